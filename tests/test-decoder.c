/* test-decoder.c: the decoder against RFC 8448 and recorded TLS 1.2 handshakes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "hl-decoder.h"
#include "hl-registry.h"
#include "test-decoder-common.h"

typedef struct
{
  GBytes  *bytes;
  HlField *root;
} Decoded;

static void
decoded_free (Decoded *decoded)
{
  g_clear_pointer (&decoded->bytes, g_bytes_unref);
  g_clear_pointer (&decoded->root, hl_field_unref);
  g_free (decoded);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Decoded, decoded_free)

static Decoded *
decode_file (const char *relative,
             guint16     version,
             gboolean    from_server,
             guint16     suite)
{
  Decoded *decoded = g_new0 (Decoded, 1);
  HlDecodeContext context = { version, from_server };
  const guint8 *data;
  gsize length;

  decoded->bytes = test_read_message (relative);
  data = g_bytes_get_data (decoded->bytes, &length);
  decoded->root = hl_decode_handshake_full (data, length, &context, suite);
  test_assert_cover (decoded->root, length, relative);
  if (hl_field_has_error (decoded->root))
    {
      g_autofree char *text = hl_field_to_text (decoded->root);

      g_error ("%s has an error field:\n%s", relative, text);
    }
  return decoded;
}

static Decoded *
decode_13 (const char *relative,
           gboolean    from_server)
{
  g_autofree char *path = g_build_filename ("rfc8448", relative, NULL);

  return decode_file (path, 0x0304, from_server, 0);
}

static HlField *
find (HlField    *root,
      const char *name)
{
  HlField *field = hl_field_find (root, name);

  if (field == NULL)
    g_error ("no field %s under %s", name, hl_field_get_name (root));
  return field;
}

/* The first field named name strictly below field */
static HlField *
find_below (HlField    *field,
            const char *name)
{
  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    {
      HlField *found = hl_field_find (hl_field_get_child (field, i), name);

      if (found != NULL)
        return found;
    }
  g_error ("no field %s below %s", name, hl_field_get_name (field));
  return NULL;
}

static const char *
value (HlField    *root,
       const char *name)
{
  return hl_field_get_value (find (root, name));
}

/* The direct children of field, "length" left out: names or values */
static char *
children_joined (HlField  *field,
                 gboolean  values)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    {
      HlField *child = hl_field_get_child (field, i);

      if (g_str_equal (hl_field_get_name (child), "length"))
        continue;
      g_string_append_printf (out, "%s%s", out->len > 0 ? "," : "",
                              values ? hl_field_get_value (child) : hl_field_get_name (child));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_children (HlField    *field,
                 gboolean    values,
                 const char *expected)
{
  g_autofree char *joined = children_joined (field, values);

  g_assert_cmpstr (joined, ==, expected);
}

/* The raw contents of an opaque vector field (its "length" prefix skipped) */
static GBytes *
vector_contents (Decoded    *decoded,
                 HlField    *field,
                 gsize       prefix)
{
  const guint8 *data = g_bytes_get_data (decoded->bytes, NULL);

  return g_bytes_new (data + hl_field_get_offset (field) + prefix, hl_field_get_length (field) - prefix);
}

/* RFC 8448 section 3: Simple 1-RTT Handshake */

static void
test_rfc8448_simple_client_hello (void)
{
  g_autoptr(Decoded) d = decode_13 ("3-01-client_hello-c.hex", FALSE);
  HlField *root = d->root;

  g_assert_cmpstr (hl_field_get_name (root), ==, "client_hello");
  g_assert_cmpuint (hl_field_get_offset (root), ==, 0);
  g_assert_cmpuint (hl_field_get_length (root), ==, 196);
  g_assert_cmpstr (hl_field_get_name (hl_field_get_child (root, 0)), ==, "msg_type");
  g_assert_cmpstr (value (root, "msg_type"), ==, "client_hello (1)");
  g_assert_cmpstr (value (root, "length"), ==, "192");
  g_assert_cmpstr (value (root, "legacy_version"), ==, "TLS 1.2 (0x0303)");
  g_assert_cmpstr (value (root, "random"), ==,
                   "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7");
  g_assert_cmpstr (value (root, "legacy_session_id"), ==, "(empty)");
  assert_children (find (root, "cipher_suites"), TRUE,
                   "TLS_AES_128_GCM_SHA256 (0x1301),TLS_CHACHA20_POLY1305_SHA256 (0x1303),"
                   "TLS_AES_256_GCM_SHA384 (0x1302)");
  assert_children (find (root, "legacy_compression_methods"), TRUE, "null (0)");
  assert_children (find (root, "extensions"), FALSE,
                   "server_name,renegotiation_info,supported_groups,session_ticket,key_share,"
                   "supported_versions,signature_algorithms,psk_key_exchange_modes,record_size_limit");
  g_assert_cmpstr (value (root, "host_name"), ==, "server");
  g_assert_cmpstr (value (find (root, "server_name"), "name_type"), ==, "host_name (0)");
  assert_children (find (root, "named_group_list"), TRUE,
                   "x25519 (0x001d),secp256r1 (0x0017),secp384r1 (0x0018),secp521r1 (0x0019),"
                   "ffdhe2048 (0x0100),ffdhe3072 (0x0101),ffdhe4096 (0x0102),ffdhe6144 (0x0103),"
                   "ffdhe8192 (0x0104)");
  g_assert_cmpstr (value (find (root, "key_share_entry"), "group"), ==, "x25519 (0x001d)");
  g_assert_cmpstr (value (find (root, "key_share_entry"), "key_exchange"), ==,
                   "99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c");
  assert_children (find (root, "versions"), TRUE, "TLS 1.3 (0x0304)");
  assert_children (find (root, "supported_signature_algorithms"), TRUE,
                   "ecdsa_secp256r1_sha256 (0x0403),ecdsa_secp384r1_sha384 (0x0503),"
                   "ecdsa_secp521r1_sha512 (0x0603),ecdsa_sha1 (0x0203),rsa_pss_rsae_sha256 (0x0804),"
                   "rsa_pss_rsae_sha384 (0x0805),rsa_pss_rsae_sha512 (0x0806),rsa_pkcs1_sha256 (0x0401),"
                   "rsa_pkcs1_sha384 (0x0501),rsa_pkcs1_sha512 (0x0601),rsa_pkcs1_sha1 (0x0201),"
                   "dsa_sha256 (0x0402),dsa_sha384 (0x0502),dsa_sha512 (0x0602),dsa_sha1 (0x0202)");
  assert_children (find (root, "ke_modes"), TRUE, "psk_dhe_ke (1)");
  g_assert_cmpstr (hl_field_get_value (find_below (find (root, "record_size_limit"), "record_size_limit")), ==, "16385");
  g_assert_cmpstr (value (find (root, "key_share"), "extension_type"), ==, "key_share (51)");
}

static void
test_rfc8448_simple_server_hello (void)
{
  g_autoptr(Decoded) d = decode_13 ("3-02-server_hello-s.hex", TRUE);
  HlField *root = d->root;

  g_assert_cmpstr (hl_field_get_name (root), ==, "server_hello");
  g_assert_nonnull (strstr (hl_field_get_value (root), "TLS 1.3 (0x0304) (supported_versions)"));
  g_assert_cmpstr (value (root, "random"), ==,
                   "a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928");
  g_assert_cmpstr (value (root, "cipher_suite"), ==, "TLS_AES_128_GCM_SHA256 (0x1301)");
  g_assert_cmpstr (value (root, "legacy_compression_method"), ==, "null (0)");
  assert_children (find (root, "extensions"), FALSE, "key_share,supported_versions");
  g_assert_cmpstr (value (root, "server_share"), ==, "x25519 (0x001d)");
  g_assert_cmpstr (value (find (root, "server_share"), "key_exchange"), ==,
                   "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f");
  g_assert_cmpstr (value (root, "selected_version"), ==, "TLS 1.3 (0x0304)");
}

static void
test_rfc8448_simple_encrypted_extensions (void)
{
  g_autoptr(Decoded) d = decode_13 ("3-03-encrypted_extensions-s.hex", TRUE);
  HlField *root = d->root;

  g_assert_cmpstr (hl_field_get_name (root), ==, "encrypted_extensions");
  assert_children (find (root, "extensions"), FALSE, "supported_groups,record_size_limit,server_name");
  g_assert_cmpuint (hl_field_get_length (find (root, "server_name")), ==, 4);
  g_assert_cmpstr (hl_field_get_value (find_below (find (root, "record_size_limit"), "record_size_limit")), ==, "16385");
  g_assert_cmpstr (value (root, "named_group_list"), ==, "9 groups");
}

static void
test_rfc8448_simple_certificate (void)
{
  g_autoptr(Decoded) d = decode_13 ("3-04-certificate-s.hex", TRUE);
  HlField *root = d->root;
  HlField *cert;

  g_assert_cmpstr (hl_field_get_name (root), ==, "certificate");
  g_assert_nonnull (strstr (hl_field_get_value (root), "TLS 1.3 layout (negotiated version)"));
  g_assert_cmpstr (value (root, "certificate_request_context"), ==, "(empty)");
  g_assert_cmpstr (value (root, "certificate_list"), ==, "1 certificate");
  cert = find (root, "x509_certificate");
  g_assert_cmpuint (hl_field_get_offset (cert), ==, 11);
  g_assert_cmpuint (hl_field_get_length (cert), ==, 432);
  g_assert_cmpstr (value (cert, "subject"), ==, "CN=rsa");
  g_assert_cmpstr (value (cert, "issuer"), ==, "CN=rsa");
  g_assert_cmpstr (value (cert, "serial_number"), ==, "02");
  g_assert_cmpstr (value (cert, "not_before"), ==, "2016-07-30 01:23:59 UTC");
  g_assert_cmpstr (value (cert, "not_after"), ==, "2026-07-30 01:23:59 UTC");
  g_assert_cmpstr (value (cert, "subject_public_key_info"), ==, "RSA, 1024 bits");
  g_assert_cmpstr (value (cert, "signature_algorithm"), ==, "RSA-SHA256");
  g_assert_cmpstr (value (cert, "key_usage"), ==, "digitalSignature, keyEncipherment");
  g_assert_cmpstr (value (cert, "basic_constraints"), ==, "CA:FALSE");
  g_assert_cmpuint (strlen (value (cert, "sha256_fingerprint")), ==, 32 * 3 - 1);
  /* the TLS 1.3 CertificateEntry carries an empty extension list */
  {
    HlField *entry = find (root, "certificate_entry");
    HlField *last = hl_field_get_child (entry, hl_field_get_n_children (entry) - 1);

    g_assert_cmpstr (hl_field_get_name (last), ==, "extensions");
    g_assert_cmpstr (hl_field_get_value (last), ==, "0 extensions");
  }
}

static void
test_rfc8448_simple_certificate_verify (void)
{
  g_autoptr(Decoded) d = decode_13 ("3-05-certificate_verify-s.hex", TRUE);
  HlField *root = d->root;

  g_assert_cmpstr (hl_field_get_name (root), ==, "certificate_verify");
  g_assert_cmpstr (value (root, "algorithm"), ==, "rsa_pss_rsae_sha256 (0x0804)");
  g_assert_cmpstr (value (root, "signature"), ==, "5a747c5d88fa9bd2e55ab085a61015b7… (128 bytes)");
}

static void
test_rfc8448_simple_finished (void)
{
  g_autoptr(Decoded) server = decode_13 ("3-06-finished-s.hex", TRUE);
  g_autoptr(Decoded) client = decode_13 ("3-07-finished-c.hex", FALSE);

  g_assert_cmpstr (hl_field_get_name (server->root), ==, "finished");
  g_assert_cmpstr (value (server->root, "verify_data"), ==,
                   "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718");
  g_assert_cmpstr (value (client->root, "verify_data"), ==,
                   "a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61");
}

static void
test_rfc8448_simple_new_session_ticket (void)
{
  g_autoptr(Decoded) d = decode_13 ("3-08-new_session_ticket-s.hex", TRUE);
  HlField *root = d->root;

  g_assert_cmpstr (hl_field_get_name (root), ==, "new_session_ticket");
  g_assert_cmpstr (value (root, "ticket_lifetime"), ==, "30");
  g_assert_cmpstr (value (root, "ticket_age_add"), ==, "4208372421");
  g_assert_cmpstr (value (root, "ticket_nonce"), ==, "0000");
  g_assert_cmpstr (value (root, "ticket"), ==, "2c035d829359ee5ff7af4ec900000000… (178 bytes)");
  assert_children (find (root, "extensions"), FALSE, "early_data");
  g_assert_cmpstr (value (root, "max_early_data_size"), ==, "1024");
}

/* RFC 8448 section 4: Resumed 0-RTT Handshake */

static void
test_rfc8448_resumed_client_hello (void)
{
  g_autoptr(Decoded) d = decode_13 ("4-01-client_hello-c.hex", FALSE);
  g_autoptr(Decoded) nst = decode_13 ("3-08-new_session_ticket-s.hex", TRUE);
  g_autoptr(GBytes) identity = NULL;
  g_autoptr(GBytes) ticket = NULL;
  HlField *root = d->root;

  assert_children (find (root, "extensions"), FALSE,
                   "server_name,renegotiation_info,supported_groups,key_share,early_data,"
                   "supported_versions,signature_algorithms,psk_key_exchange_modes,record_size_limit,"
                   "padding,pre_shared_key");
  g_assert_cmpstr (value (root, "random"), ==,
                   "1bc3ceb6bbe39cff938355b5a50adb6db21b7a6af649d7b4bc419d7876487d95");
  g_assert_cmpstr (value (root, "host_name"), ==, "server");
  g_assert_cmpstr (value (find (root, "key_share_entry"), "key_exchange"), ==,
                   "e4ffb68ac05f8d96c99da26698346c6be16482badddafe051a66b4f18d668f0b");
  g_assert_cmpuint (hl_field_get_length (find (root, "early_data")), ==, 4);
  g_assert_cmpstr (hl_field_get_value (find_below (find (root, "padding"), "padding")), ==, "87 zero bytes");
  g_assert_cmpstr (value (root, "identities"), ==, "1 identity");
  g_assert_cmpstr (value (root, "obfuscated_ticket_age"), ==, "4208372427");
  g_assert_cmpstr (value (root, "binders"), ==, "1 binder");
  g_assert_cmpstr (value (root, "psk_binder_entry"), ==,
                   "3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d");

  /* the PSK identity is the ticket of the first handshake */
  identity = vector_contents (d, find (root, "identity"), 2);
  ticket = vector_contents (nst, find (nst->root, "ticket"), 2);
  g_assert_cmpuint (g_bytes_get_size (identity), ==, 178);
  g_assert_true (g_bytes_equal (identity, ticket));
}

static void
test_rfc8448_resumed_server (void)
{
  g_autoptr(Decoded) sh = decode_13 ("4-02-server_hello-s.hex", TRUE);
  g_autoptr(Decoded) ee = decode_13 ("4-03-encrypted_extensions-s.hex", TRUE);
  g_autoptr(Decoded) server_finished = decode_13 ("4-04-finished-s.hex", TRUE);
  g_autoptr(Decoded) eoed = decode_13 ("4-05-end_of_early_data-c.hex", FALSE);
  g_autoptr(Decoded) client_finished = decode_13 ("4-06-finished-c.hex", FALSE);

  g_assert_cmpstr (value (sh->root, "cipher_suite"), ==, "TLS_AES_128_GCM_SHA256 (0x1301)");
  assert_children (find (sh->root, "extensions"), FALSE, "pre_shared_key,key_share,supported_versions");
  g_assert_cmpstr (value (sh->root, "selected_identity"), ==, "0");
  g_assert_cmpstr (value (find (sh->root, "server_share"), "key_exchange"), ==,
                   "121761ee42c333e1b9e77b60dd57c2053cd94512ab47f115e86eff50942cea31");

  assert_children (find (ee->root, "extensions"), FALSE,
                   "supported_groups,record_size_limit,server_name,early_data");

  g_assert_cmpstr (value (server_finished->root, "verify_data"), ==,
                   "48d3e0e1b3d907c6acff145e16090388c77b05c050b634ab1a88bbd0dd1a34b2");
  g_assert_cmpstr (hl_field_get_name (eoed->root), ==, "end_of_early_data");
  g_assert_cmpuint (hl_field_get_n_children (eoed->root), ==, 2);
  g_assert_cmpstr (value (client_finished->root, "verify_data"), ==,
                   "7230a9c952c25cd6138fc5e6628308c41c5335dd81b9f96bcea50fd32bda416d");
}

/* RFC 8448 section 5: HelloRetryRequest */

static void
test_rfc8448_hello_retry_request (void)
{
  g_autoptr(Decoded) ch1 = decode_13 ("5-01-client_hello-c.hex", FALSE);
  g_autoptr(Decoded) hrr = decode_13 ("5-02-hello_retry_request-s.hex", TRUE);
  g_autoptr(Decoded) ch2 = decode_13 ("5-03-client_hello-c.hex", FALSE);
  g_autoptr(Decoded) sh = decode_13 ("5-04-server_hello-s.hex", TRUE);
  g_autoptr(GBytes) cookie_sent = NULL;
  g_autoptr(GBytes) cookie_back = NULL;

  assert_children (find (ch1->root, "named_group_list"), TRUE,
                   "x25519 (0x001d),secp256r1 (0x0017),secp384r1 (0x0018)");
  assert_children (find (ch1->root, "client_shares"), TRUE, "x25519 (0x001d)");
  g_assert_cmpstr (value (ch1->root, "key_exchange"), ==,
                   "e8e8e3f3b93a25ed97a14a7dcacb8a272c6288e585c6484d05262fcad062ad1f");

  g_assert_cmpstr (hl_field_get_name (hrr->root), ==, "hello_retry_request");
  g_assert_nonnull (strstr (hl_field_get_value (hrr->root), "HelloRetryRequest"));
  g_assert_cmpstr (value (hrr->root, "msg_type"), ==, "server_hello (2)");
  g_assert_cmpstr (value (hrr->root, "random"), ==, "HelloRetryRequest (SHA-256 of \"HelloRetryRequest\")");
  assert_children (find (hrr->root, "extensions"), FALSE, "key_share,cookie,supported_versions");
  g_assert_cmpstr (value (hrr->root, "selected_group"), ==, "secp256r1 (0x0017)");
  g_assert_cmpstr (hl_field_get_value (find_below (find (hrr->root, "cookie"), "cookie")), ==,
                   "71dcd04bb88bc3189119398a00000000… (114 bytes)");

  assert_children (find (ch2->root, "client_shares"), TRUE, "secp256r1 (0x0017)");
  g_assert_cmpstr (value (ch2->root, "key_exchange"), ==, "04a6da7392ec591e17abfd535964b998… (65 bytes)");
  g_assert_cmpstr (hl_field_get_value (find_below (find (ch2->root, "padding"), "padding")), ==, "175 zero bytes");
  cookie_sent = vector_contents (hrr, find_below (find (hrr->root, "cookie"), "cookie"), 2);
  cookie_back = vector_contents (ch2, find_below (find (ch2->root, "cookie"), "cookie"), 2);
  g_assert_true (g_bytes_equal (cookie_sent, cookie_back));

  g_assert_cmpstr (hl_field_get_name (sh->root), ==, "server_hello");
  g_assert_cmpstr (value (sh->root, "server_share"), ==, "secp256r1 (0x0017)");
  g_assert_cmpstr (value (sh->root, "key_exchange"), ==, "04583e054b7a66672ae020ad9d2686fc… (65 bytes)");
}

/* TLS 1.2 handshakes recorded from openssl s_server / s_client */

typedef struct
{
  const char *dir;
  const char *openssl_suite;
  const char *iana_suite;
} Scenario;

static const Scenario scenarios[] = {
  { "ecdhe-ecdsa", "ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (0xc02b)" },
  { "ecdhe-rsa", "ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (0xc030)" },
  { "rsa", "AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009c)" },
  { "dhe", "DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (0x009e)" },
  { "mutual", "ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (0xc02c)" },
  { "gnutls-ecdhe-rsa", "ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (0xc030)" },
};

/* What openssl printed: "key: value" lines of openssl-printed.txt, the
 * certificate lines prefixed with "server " or "client " */
static GHashTable *
read_printed (const char *dir)
{
  g_autofree char *relative = g_build_filename ("tls12", dir, "openssl-printed.txt", NULL);
  g_autofree char *path = test_data_path (relative);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *prefix = "";

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *sep = strpbrk (line, ":=");

      if (g_str_has_prefix (line, "# server"))
        prefix = "server ";
      else if (g_str_has_prefix (line, "# client"))
        prefix = "client ";
      else if (g_str_has_prefix (line, "New, TLSv1.2, Cipher is "))
        g_hash_table_insert (printed, g_strdup ("cipher"),
                             g_strdup (line + strlen ("New, TLSv1.2, Cipher is ")));
      else if (sep != NULL && !g_str_has_prefix (line, "<<<") && !g_str_has_prefix (line, ">>>"))
        g_hash_table_insert (printed, g_strdup_printf ("%s%.*s", prefix, (int) (sep - line), line),
                             g_strstrip (g_strdup (sep + 1)));
    }
  return printed;
}

static char *
strip (const char *text,
       const char *chars)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (strchr (chars, *p) == NULL)
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
assert_certificate (HlField    *cert,
                    GHashTable *printed,
                    const char *who)
{
  g_autofree char *subject_key = g_strdup_printf ("%ssubject", who);
  g_autofree char *issuer_key = g_strdup_printf ("%sissuer", who);
  g_autofree char *serial_key = g_strdup_printf ("%sserial", who);
  g_autofree char *fingerprint_key = g_strdup_printf ("%ssha256 Fingerprint", who);
  g_autofree char *subject = strip (g_hash_table_lookup (printed, subject_key), " ");
  g_autofree char *issuer = strip (g_hash_table_lookup (printed, issuer_key), " ");
  g_autofree char *serial = strip (value (cert, "serial_number"), ":");
  g_autofree char *decoded_issuer = strip (value (cert, "issuer"), " ");

  g_assert_cmpstr (value (cert, "subject"), ==, subject);
  g_assert_cmpstr (decoded_issuer, ==, issuer);
  g_assert_cmpstr (serial, ==, g_hash_table_lookup (printed, serial_key));
  g_assert_cmpstr (value (cert, "sha256_fingerprint"), ==, g_hash_table_lookup (printed, fingerprint_key));
}

static Decoded *
decode_scenario_file (const Scenario *scenario,
                      const char     *pattern,
                      guint16         suite)
{
  g_autofree char *dir_relative = g_build_filename ("tls12", scenario->dir, NULL);
  g_autofree char *dir_path = test_data_path (dir_relative);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_pattern_match_simple (pattern, name))
      {
        g_autofree char *relative = g_build_filename (dir_relative, name, NULL);

        return decode_file (relative, 0x0303, g_str_has_suffix (name, "-s.hex"), suite);
      }
  return NULL;
}

static void
test_tls12_scenario (gconstpointer data)
{
  const Scenario *scenario = data;
  g_autoptr(GHashTable) printed = read_printed (scenario->dir);
  g_autoptr(Decoded) sh = decode_scenario_file (scenario, "*-server_hello-s.hex", 0);
  g_autoptr(Decoded) ch = NULL;
  g_autoptr(Decoded) cert = NULL;
  g_autoptr(Decoded) ske = NULL;
  g_autoptr(Decoded) cke = NULL;
  const char *temp_key = g_hash_table_lookup (printed, "Server Temp Key");
  const char *peer_signature = g_hash_table_lookup (printed, "Peer signature type");
  guint16 suite;

  g_assert_cmpstr (g_hash_table_lookup (printed, "cipher"), ==, scenario->openssl_suite);
  g_assert_cmpstr (value (sh->root, "cipher_suite"), ==, scenario->iana_suite);
  g_assert_nonnull (strstr (hl_field_get_value (sh->root), "TLS 1.2 (0x0303)"));
  suite = test_server_hello_suite (sh->bytes);

  /* Extended master secret: yes */
  ch = decode_scenario_file (scenario, "*-client_hello-c.hex", suite);
  g_assert_cmpstr (g_hash_table_lookup (printed, "Extended master secret"), ==, "yes");
  g_assert_nonnull (hl_field_find (ch->root, "extended_master_secret"));
  g_assert_nonnull (hl_field_find (sh->root, "extended_master_secret"));
  g_assert_nonnull (strstr (value (ch->root, "cipher_suites"), "cipher suite"));

  cert = decode_scenario_file (scenario, "*-certificate-s.hex", suite);
  g_assert_nonnull (strstr (hl_field_get_value (cert->root), "TLS 1.2 layout"));
  assert_certificate (find (cert->root, "x509_certificate"), printed, "server ");

  ske = decode_scenario_file (scenario, "*-server_key_exchange-s.hex", suite);
  if (temp_key == NULL)
    g_assert_null (ske);
  else if (g_str_has_prefix (temp_key, "X25519"))
    g_assert_cmpstr (value (ske->root, "namedcurve"), ==, "x25519 (0x001d)");
  else if (g_str_has_prefix (temp_key, "ECDH, prime256v1"))
    g_assert_cmpstr (value (ske->root, "namedcurve"), ==, "secp256r1 (0x0017)");
  else if (g_str_equal (temp_key, "DH, 2048 bits"))
    g_assert_cmpstr (value (ske->root, "params"), ==, "2048-bit group");
  else
    g_assert_not_reached ();
  if (peer_signature != NULL && g_str_equal (peer_signature, "RSA-PSS"))
    g_assert_true (g_str_has_prefix (value (ske->root, "algorithm"), "rsa_pss_"));
  else if (peer_signature != NULL && g_str_equal (peer_signature, "ECDSA"))
    g_assert_true (g_str_has_prefix (value (ske->root, "algorithm"), "ecdsa_"));

  cke = decode_scenario_file (scenario, "*-client_key_exchange-c.hex", suite);
  if (temp_key == NULL)
    g_assert_cmpstr (value (cke->root, "encrypted_pre_master_secret"), !=, NULL);
  else if (g_str_has_prefix (temp_key, "DH,"))
    g_assert_cmpuint (hl_field_get_length (find (cke->root, "dh_Yc")), ==, 2 + 256);
  else
    g_assert_nonnull (hl_field_find (cke->root, "ecdh_Yc"));

  if (g_str_equal (scenario->dir, "mutual"))
    {
      g_autoptr(Decoded) request = decode_scenario_file (scenario, "*-certificate_request-s.hex", suite);
      g_autoptr(Decoded) client_cert = decode_scenario_file (scenario, "*-certificate-c.hex", suite);
      g_autoptr(Decoded) verify = decode_scenario_file (scenario, "*-certificate_verify-c.hex", suite);

      g_assert_cmpstr (value (request->root, "distinguished_name"), ==, "CN=Handshake Lens Test CA");
      g_assert_nonnull (strstr (value (request->root, "certificate_types"), "types"));
      assert_children (find (request->root, "certificate_types"), TRUE, "rsa_sign (1),dss_sign (2),ecdsa_sign (64)");
      assert_certificate (find (client_cert->root, "x509_certificate"), printed, "client ");
      g_assert_cmpstr (value (client_cert->root, "extended_key_usage"), ==, "clientAuth");
      g_assert_true (g_str_has_prefix (value (verify->root, "algorithm"), "ecdsa_"));
    }
  if (g_str_equal (scenario->dir, "gnutls-ecdhe-rsa"))
    {
      /* gnutls-serv asks for a certificate; s_client answers with none */
      g_autoptr(Decoded) request = decode_scenario_file (scenario, "*-certificate_request-s.hex", suite);
      g_autoptr(Decoded) client_cert = decode_scenario_file (scenario, "*-certificate-c.hex", suite);

      g_assert_nonnull (strstr (g_hash_table_lookup (printed, "gnutls-serv"), "(ECDHE-X25519)-(RSA-PSS-RSAE-SHA256)"));
      g_assert_true (g_str_has_prefix (value (ske->root, "algorithm"), "rsa_pss_rsae_sha256"));
      g_assert_nonnull (hl_field_find (request->root, "supported_signature_algorithms"));
      g_assert_cmpstr (value (client_cert->root, "certificate_list"), ==, "0 certificates");
    }
}

/* Every vector decodes without an error field, in its context */
static void
test_all_vectors_clean (void)
{
  g_autoptr(GPtrArray) vectors = test_load_vectors ();

  for (guint i = 0; i < vectors->len; i++)
    {
      TestVector *vector = g_ptr_array_index (vectors, i);
      g_autoptr(HlField) root = test_decode_vector (vector);

      test_assert_cover (root, g_bytes_get_size (vector->bytes), vector->name);
      if (hl_field_has_error (root))
        {
          g_autofree char *text = hl_field_to_text (root);

          g_error ("%s:\n%s", vector->name, text);
        }
    }
}

/* The tree as the log writes it */
static char *
tree_text (const TestVector *vector,
           guint16           version,
           guint16           cipher_suite)
{
  HlDecodeContext context = { version, vector->context.from_server };
  gsize length;
  const guint8 *data = g_bytes_get_data (vector->bytes, &length);
  g_autoptr(HlField) root = hl_decode_handshake_full (data, length, &context, cipher_suite);
  GString *json = g_string_new (NULL);

  hl_field_append_json (root, json);
  return g_string_free (json, FALSE);
}

/* A message whose type hl_decode_depends_on_version() calls free of the
 * version and suite decodes the same under any (the log writer then
 * takes one side's tree for the other's copy); one that depends on them
 * is seen to, for Certificate and NewSessionTicket at least */
static void
test_depends_on_version (void)
{
  static const guint16 versions[] = { 0, 0x0303, 0x0304 };
  static const guint16 suites[] = { 0, 0xc02f, 0x009c, 0x1302 };
  g_autoptr(GPtrArray) vectors = test_load_vectors ();
  g_autoptr(GHashTable) seen_to_depend = g_hash_table_new (NULL, NULL);
  guint n_free = 0;

  for (guint i = 0; i < vectors->len; i++)
    {
      TestVector *vector = g_ptr_array_index (vectors, i);
      guint8 type = ((const guint8 *) g_bytes_get_data (vector->bytes, NULL))[0];
      g_autofree char *first = tree_text (vector, 0, 0);

      for (gsize v = 0; v < G_N_ELEMENTS (versions); v++)
        for (gsize c = 0; c < G_N_ELEMENTS (suites); c++)
          {
            g_autofree char *text = tree_text (vector, versions[v], suites[c]);

            if (g_str_equal (text, first))
              continue;
            if (!hl_decode_depends_on_version (type))
              g_error ("%s: type %u decodes differently with version 0x%04x and suite 0x%04x",
                       vector->name, type, versions[v], suites[c]);
            g_hash_table_add (seen_to_depend, GUINT_TO_POINTER (type));
          }
      n_free += !hl_decode_depends_on_version (type);
    }
  g_assert_cmpuint (n_free, >, 20);
  g_assert_true (g_hash_table_contains (seen_to_depend, GUINT_TO_POINTER (11)));
  g_assert_true (g_hash_table_contains (seen_to_depend, GUINT_TO_POINTER (4)));
}

static HlField *
decode_hex (const char *hex,
            guint16     version,
            gboolean    from_server)
{
  g_autoptr(GBytes) bytes = hl_decode_parse_input ((const guint8 *) hex, strlen (hex), NULL);
  HlDecodeContext context = { version, from_server };
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  HlField *root = hl_decode_handshake (data, length, &context);

  test_assert_cover (root, length, hex);
  g_assert_false (hl_field_has_error (root));
  return root;
}

/* RFC 8701 GREASE values, and an outer encrypted_client_hello */
static void
test_grease_and_ech (void)
{
  g_autoptr(HlField) ee = decode_hex ("08 00 00 0e 00 0c 0a 0a 00 00 00 0a 00 04 00 02 2a 2a", 0x0304, TRUE);
  g_autoptr(HlField) ch = NULL;

  assert_children (find (ee, "extensions"), FALSE, "GREASE,supported_groups");
  g_assert_cmpstr (value (ee, "GREASE"), ==, "GREASE (0x0a0a)");
  assert_children (find (ee, "named_group_list"), TRUE, "GREASE (0x2a2a)");

  ch = decode_hex ("01 00 00 40 03 03"
                   "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                   "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                   "00 00 04 da da 13 01 01 00 00 13"
                   "fe 0d 00 0f 00 00 01 00 01 05 00 02 aa bb 00 03 01 02 03", 0x0304, FALSE);
  assert_children (find (ch, "cipher_suites"), TRUE, "GREASE (0xdada),TLS_AES_128_GCM_SHA256 (0x1301)");
  g_assert_cmpstr (value (ch, "encrypted_client_hello"), ==, "encrypted_client_hello (0xfe0d)");
  g_assert_cmpstr (value (ch, "type"), ==, "outer (0)");
  g_assert_cmpstr (value (ch, "kdf_id"), ==, "HKDF-SHA256 (0x0001)");
  g_assert_cmpstr (value (ch, "aead_id"), ==, "AES-128-GCM (0x0001)");
  g_assert_cmpstr (value (ch, "config_id"), ==, "5");
  g_assert_cmpstr (value (ch, "enc"), ==, "aabb");
  g_assert_cmpstr (value (ch, "payload"), ==, "010203");
}

static void
test_json_round_trip (void)
{
  g_autoptr(Decoded) d = decode_13 ("3-04-certificate-s.hex", TRUE);
  g_autoptr(JsonNode) node = hl_field_to_json (d->root);
  g_autoptr(HlField) back = hl_field_new_from_json (node, NULL);
  g_autofree char *text = hl_field_to_text (d->root);
  g_autofree char *text_back = hl_field_to_text (back);

  g_assert_cmpstr (text, ==, text_back);
}

/* Field nodes: children owned by their parent, a reference keeps a
 * subtree alive after its root goes, names copied, values replaced */
static void
test_field_nodes (void)
{
  char name[] = "extensions";
  HlField *root = hl_field_new ("ClientHello", NULL, 0, 10);
  HlField *child = hl_field_new (name, "2 extensions", 2, 8);
  HlField *kept;

  g_assert_true (g_type_is_a (HL_TYPE_FIELD, G_TYPE_BOXED));
  hl_field_append (root, child);
  for (guint i = 0; i < 9; i++)
    hl_field_append (child, hl_field_new ("extension", NULL, 2 + i, i < 8 ? 1 : 0));
  name[0] = 'X';
  g_assert_cmpstr (hl_field_get_name (child), ==, "extensions");
  g_assert_cmpuint (hl_field_get_n_children (child), ==, 9);
  g_assert_cmpuint (hl_field_get_offset (hl_field_get_child (child, 8)), ==, 10);
  hl_field_set_value (child, "8 extensions");
  g_assert_cmpstr (hl_field_get_value (child), ==, "8 extensions");
  hl_field_set_value (child, NULL);
  g_assert_null (hl_field_get_value (child));

  kept = hl_field_ref (child);
  hl_field_unref (root);
  /* the subtree outlives the tree it was part of */
  g_assert_cmpstr (hl_field_get_name (kept), ==, "extensions");
  g_assert_cmpstr (hl_field_get_name (hl_field_get_child (kept, 3)), ==, "extension");
  hl_field_shift (kept, 5);
  g_assert_cmpuint (hl_field_get_offset (hl_field_get_child (kept, 3)), ==, 10);
  hl_field_unref (kept);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/decoder/rfc8448/simple/client-hello", test_rfc8448_simple_client_hello);
  g_test_add_func ("/decoder/rfc8448/simple/server-hello", test_rfc8448_simple_server_hello);
  g_test_add_func ("/decoder/rfc8448/simple/encrypted-extensions", test_rfc8448_simple_encrypted_extensions);
  g_test_add_func ("/decoder/rfc8448/simple/certificate", test_rfc8448_simple_certificate);
  g_test_add_func ("/decoder/rfc8448/simple/certificate-verify", test_rfc8448_simple_certificate_verify);
  g_test_add_func ("/decoder/rfc8448/simple/finished", test_rfc8448_simple_finished);
  g_test_add_func ("/decoder/rfc8448/simple/new-session-ticket", test_rfc8448_simple_new_session_ticket);
  g_test_add_func ("/decoder/rfc8448/resumed/client-hello", test_rfc8448_resumed_client_hello);
  g_test_add_func ("/decoder/rfc8448/resumed/server", test_rfc8448_resumed_server);
  g_test_add_func ("/decoder/rfc8448/hello-retry-request", test_rfc8448_hello_retry_request);
  for (gsize i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autofree char *path = g_strdup_printf ("/decoder/tls12/%s", scenarios[i].dir);

      g_test_add_data_func (path, &scenarios[i], test_tls12_scenario);
    }
  g_test_add_func ("/decoder/vectors/clean", test_all_vectors_clean);
  g_test_add_func ("/decoder/depends-on-version", test_depends_on_version);
  g_test_add_func ("/decoder/grease-and-ech", test_grease_and_ech);
  g_test_add_func ("/decoder/json-round-trip", test_json_round_trip);
  g_test_add_func ("/decoder/field-nodes", test_field_nodes);

  return g_test_run ();
}

/* test-x509.c: a certificate's values read from its DER are GnuTLS's
 *
 * Certificates of many shapes are made here with GnuTLS. For each, the
 * values the DER reader gives must be those GnuTLS gives, and the shapes
 * it leaves to GnuTLS must be left; then every certificate it reads is
 * mutated a byte at a time, and whatever mutant it still reads must be
 * read by GnuTLS the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-decoder.h"
#include "hl-x509.h"
#include "hl-x509-private.h"

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_privkey_t, gnutls_privkey_deinit, NULL)

typedef enum
{
  KEY_RSA,
  KEY_P256,
  KEY_P384,
  KEY_P521,
  KEY_ED25519,
  KEY_ED448,
  N_KEYS,
} Key;

typedef struct
{
  const char         *name;
  Key                 key;
  gnutls_digest_algorithm_t digest;
  gboolean            pss;
  int                 version;
  const char         *dn;
  const guint8       *serial;
  gsize               serial_size;
  gint64              not_before;
  gint64              not_after;
  gboolean            alt_names;
  gboolean            odd_alt_name;   /* an otherName */
  guint               key_usage;      /* 0: none */
  const char * const *purposes;
  int                 ca;             /* -1: no basic constraints */
  int                 path_length;
  gboolean            unknown_extension;
  gboolean            read_from_der;  /* expected of the DER reader */
} Shape;

typedef struct
{
  gnutls_x509_privkey_t keys[N_KEYS];
} Fixture;

static const guint8 serial_small[] = { 0x01 };
static const guint8 serial_long[] = {
  0x00, 0x9c, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
  0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01, 0x02, 0x03,
};
static const char *const purposes_common[] = { GNUTLS_KP_TLS_WWW_SERVER, GNUTLS_KP_TLS_WWW_CLIENT, NULL };
static const char *const purposes_odd[] = { GNUTLS_KP_OCSP_SIGNING, "1.3.6.1.4.1.99999.7", NULL };

/* 2026-01-02 03:04:05 UTC, 2049-12-31 23:59:59 UTC, 2050-01-01 00:00:00 UTC */
#define T_2026 G_GINT64_CONSTANT (1767323045)
#define T_2049 G_GINT64_CONSTANT (2524607999)
#define T_2050 G_GINT64_CONSTANT (2524608000)
#define T_1999 G_GINT64_CONSTANT (946684799)
#define NO_EXPIRY (-1)

static const Shape shapes[] = {
  { "ecdsa-p256-server", KEY_P256, GNUTLS_DIG_SHA256, FALSE, 3, "CN=localhost,O=Handshake Lens Demo",
    serial_small, sizeof serial_small, T_2026, T_2049, TRUE, FALSE,
    GNUTLS_KEY_DIGITAL_SIGNATURE, purposes_common, 0, -1, FALSE, TRUE },
  { "rsa-ca", KEY_RSA, GNUTLS_DIG_SHA256, FALSE, 3, "CN=Example Root CA,OU=Trust,O=Example,L=Berlin,ST=Berlin,C=DE",
    serial_long, sizeof serial_long, T_1999, T_2050, FALSE, FALSE,
    GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN, NULL, 1, 2, FALSE, TRUE },
  { "p384-every-usage", KEY_P384, GNUTLS_DIG_SHA384, FALSE, 3, "CN=every usage",
    serial_small, sizeof serial_small, T_2026, T_2050, TRUE, FALSE,
    GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION | GNUTLS_KEY_KEY_ENCIPHERMENT |
    GNUTLS_KEY_DATA_ENCIPHERMENT | GNUTLS_KEY_KEY_AGREEMENT | GNUTLS_KEY_KEY_CERT_SIGN |
    GNUTLS_KEY_CRL_SIGN | GNUTLS_KEY_ENCIPHER_ONLY | GNUTLS_KEY_DECIPHER_ONLY,
    purposes_odd, 1, 0, TRUE, TRUE },
  { "p521-decipher-only", KEY_P521, GNUTLS_DIG_SHA512, FALSE, 3, "CN=p521",
    serial_small, sizeof serial_small, T_2026, NO_EXPIRY, FALSE, FALSE,
    GNUTLS_KEY_KEY_AGREEMENT | GNUTLS_KEY_DECIPHER_ONLY, NULL, -1, -1, FALSE, TRUE },
  { "rsa-sha1-no-extensions-but-one", KEY_RSA, GNUTLS_DIG_SHA1, FALSE, 3, "CN=old",
    serial_small, sizeof serial_small, T_1999, T_2026, FALSE, FALSE, 0, NULL, -1, -1, TRUE, TRUE },
  { "unicode-name", KEY_P256, GNUTLS_DIG_SHA256, FALSE, 3, "CN=M\xc3\xbcller,O=\xe6\x97\xa5\xe6\x9c\xac,C=JP",
    serial_small, sizeof serial_small, T_2026, T_2049, FALSE, FALSE, 0, NULL, 0, -1, FALSE, TRUE },
  { "ed25519", KEY_ED25519, GNUTLS_DIG_SHA512, FALSE, 3, "CN=ed25519",
    serial_small, sizeof serial_small, T_2026, T_2049, TRUE, FALSE,
    GNUTLS_KEY_DIGITAL_SIGNATURE, NULL, 0, -1, FALSE, TRUE },
  { "ed448", KEY_ED448, GNUTLS_DIG_SHAKE_256, FALSE, 3, "CN=ed448",
    serial_small, sizeof serial_small, T_2026, T_2049, FALSE, FALSE, 0, NULL, 0, -1, FALSE, TRUE },
  /* left to GnuTLS: names that need escaping, other attributes, RSA-PSS, v1, an otherName */
  { "escaped-name", KEY_P256, GNUTLS_DIG_SHA256, FALSE, 3, "CN=Smith\\, John,O=a\\+b \\\"q\\\"",
    serial_small, sizeof serial_small, T_2026, T_2049, FALSE, FALSE, 0, NULL, 0, -1, FALSE, FALSE },
  { "other-attributes-name", KEY_P256, GNUTLS_DIG_SHA256, FALSE, 3, "UID=b,CN=a,DC=example,DC=com",
    serial_small, sizeof serial_small, T_2026, T_2049, FALSE, FALSE, 0, NULL, 0, -1, FALSE, FALSE },
  { "email-name", KEY_P256, GNUTLS_DIG_SHA256, FALSE, 3, "EMAIL=admin@example.com,CN=admin",
    serial_small, sizeof serial_small, T_2026, T_2049, FALSE, FALSE, 0, NULL, 0, -1, FALSE, FALSE },
  { "rsa-pss", KEY_RSA, GNUTLS_DIG_SHA256, TRUE, 3, "CN=pss",
    serial_small, sizeof serial_small, T_2026, T_2049, FALSE, FALSE, 0, NULL, 0, -1, FALSE, FALSE },
  { "version-1", KEY_P256, GNUTLS_DIG_SHA256, FALSE, 1, "CN=v1",
    serial_small, sizeof serial_small, T_2026, T_2049, FALSE, FALSE, 0, NULL, -1, -1, FALSE, FALSE },
  { "other-name", KEY_P256, GNUTLS_DIG_SHA256, FALSE, 3, "CN=other",
    serial_small, sizeof serial_small, T_2026, T_2049, TRUE, TRUE, 0, NULL, 0, -1, FALSE, FALSE },
};

static void
check (int         ret,
       const char *what)
{
  if (ret < 0)
    g_error ("%s: %s", what, gnutls_strerror (ret));
}

static void
fixture_init (Fixture *fixture)
{
  static const struct { gnutls_pk_algorithm_t algorithm; unsigned int bits; } kinds[N_KEYS] = {
    [KEY_RSA] = { GNUTLS_PK_RSA, 2048 },
    [KEY_P256] = { GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1) },
    [KEY_P384] = { GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP384R1) },
    [KEY_P521] = { GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP521R1) },
    [KEY_ED25519] = { GNUTLS_PK_EDDSA_ED25519, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_ED25519) },
    [KEY_ED448] = { GNUTLS_PK_EDDSA_ED448, GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_ED448) },
  };

  for (guint i = 0; i < N_KEYS; i++)
    {
      check (gnutls_x509_privkey_init (&fixture->keys[i]), "key");
      check (gnutls_x509_privkey_generate (fixture->keys[i], kinds[i].algorithm, kinds[i].bits, 0), "generate");
    }
}

static void
fixture_clear (Fixture *fixture)
{
  for (guint i = 0; i < N_KEYS; i++)
    gnutls_x509_privkey_deinit (fixture->keys[i]);
}

static void
add_alt_names (gnutls_x509_crt_t crt,
               const Shape      *shape)
{
  static const guint8 ipv4[] = { 127, 0, 0, 1 };
  static const guint8 ipv6[16] = { [15] = 1 };

  check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, "localhost", 9, GNUTLS_FSAN_APPEND), "dns");
  check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ipv4, 4, GNUTLS_FSAN_APPEND), "ipv4");
  check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, ipv6, 16, GNUTLS_FSAN_APPEND), "ipv6");
  check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_RFC822NAME, "a@example.com", 13, GNUTLS_FSAN_APPEND),
         "email");
  check (gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_URI, "https://example.com/", 20, GNUTLS_FSAN_APPEND),
         "uri");
  if (shape->odd_alt_name)
    {
      /* a UTF8String "x" as an otherName */
      static const guint8 value[] = { 0x0c, 0x01, 'x' };

      check (gnutls_x509_crt_set_subject_alt_othername (crt, "1.3.6.1.4.1.99999.3", value, sizeof value,
                                                        GNUTLS_FSAN_APPEND),
             "other name");
    }
}

static void
add_extensions (gnutls_x509_crt_t crt,
                const Shape      *shape)
{
  if (shape->alt_names)
    add_alt_names (crt, shape);
  if (shape->key_usage != 0)
    check (gnutls_x509_crt_set_key_usage (crt, shape->key_usage), "key usage");
  for (guint i = 0; shape->purposes != NULL && shape->purposes[i] != NULL; i++)
    check (gnutls_x509_crt_set_key_purpose_oid (crt, shape->purposes[i], shape->purposes == purposes_odd),
           "purpose");
  if (shape->ca >= 0)
    check (gnutls_x509_crt_set_basic_constraints (crt, shape->ca, shape->path_length), "basic constraints");
  if (shape->unknown_extension)
    {
      static const guint8 value[] = { 0x04, 0x02, 0xca, 0xfe };

      check (gnutls_x509_crt_set_extension_by_oid (crt, "1.3.6.1.4.1.99999.1", value, sizeof value, 0),
             "extension");
    }
}

static GBytes *
make_cert (const Fixture *fixture,
           const Shape   *shape)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_privkey_t) signer = NULL;
  gnutls_x509_privkey_t key = fixture->keys[shape->key];
  gnutls_datum_t der = { NULL, 0 };
  const char *error_at = NULL;
  GBytes *bytes;

  check (gnutls_x509_crt_init (&crt), "certificate");
  check (gnutls_x509_crt_set_version (crt, shape->version), "version");
  check (gnutls_x509_crt_set_serial (crt, shape->serial, shape->serial_size), "serial");
  if (gnutls_x509_crt_set_dn (crt, shape->dn, &error_at) < 0)
    g_error ("DN %s at %s", shape->dn, error_at);
  check (gnutls_x509_crt_set_activation_time (crt, (time_t) shape->not_before), "activation");
  check (gnutls_x509_crt_set_expiration_time (crt, (time_t) shape->not_after), "expiration");
  check (gnutls_x509_crt_set_key (crt, key), "public key");
  if (shape->version >= 3)
    add_extensions (crt, shape);
  check (gnutls_privkey_init (&signer), "signer");
  check (gnutls_privkey_import_x509 (signer, key, 0), "signer key");
  check (gnutls_x509_crt_privkey_sign (crt, crt, signer, shape->digest,
                                       shape->pss ? GNUTLS_PRIVKEY_SIGN_FLAG_RSA_PSS : 0),
         "signature");
  check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der), "export");
  bytes = g_bytes_new (der.data, der.size);
  gnutls_free (der.data);
  return bytes;
}

/* Whether the DER reader read it; if it did, GnuTLS must read the same */
static gboolean
compare_readers (const guint8 *der,
                 gsize         length,
                 const char   *name)
{
  g_auto(HlX509Values) from_der = { NULL };
  g_auto(HlX509Values) from_gnutls = { NULL };
  g_autoptr(GError) error = NULL;
  const char *part, *a, *b;

  if (!hl_x509_values_from_der (der, length, &from_der))
    return FALSE;
  if (!hl_x509_values_from_gnutls (der, length, &from_gnutls, &error))
    g_error ("%s: the DER reader read a certificate GnuTLS rejects (%s)", name, error->message);
  part = hl_x509_values_differ (&from_der, &from_gnutls, &a, &b);
  if (part != NULL)
    g_error ("%s, %s: \"%s\" from the DER, \"%s\" from GnuTLS", name, part, a, b);
  return TRUE;
}

static void
test_shapes (gconstpointer data)
{
  const Fixture *fixture = data;

  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(GBytes) cert = make_cert (fixture, &shapes[i]);
      g_auto(HlX509Values) values = { NULL };
      gsize length;
      const guint8 *der = g_bytes_get_data (cert, &length);

      g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", shapes[i].name, length);
      g_assert_true (hl_x509_values_from_gnutls (der, length, &values, NULL));
      if (compare_readers (der, length, shapes[i].name) != shapes[i].read_from_der)
        g_error ("%s: the DER reader %s it", shapes[i].name, shapes[i].read_from_der ? "left" : "read");
    }
}

/* What the values say, for the shapes where GnuTLS's own wording matters */
static void
test_values (gconstpointer data)
{
  const Fixture *fixture = data;
  g_autoptr(GBytes) server = NULL;
  g_autoptr(GBytes) ca = NULL;
  g_auto(HlX509Values) values = { NULL };
  gsize length;
  const guint8 *der;

  server = make_cert (fixture, &shapes[0]);
  der = g_bytes_get_data (server, &length);
  g_assert_true (hl_x509_values_from_der (der, length, &values));
  g_assert_cmpstr (values.subject, ==, "CN=localhost,O=Handshake Lens Demo");
  g_assert_cmpstr (values.serial, ==, "01");
  g_assert_cmpstr (values.not_before, ==, "2026-01-02 03:04:05 UTC");
  g_assert_cmpstr (values.not_after, ==, "2049-12-31 23:59:59 UTC");
  g_assert_cmpstr (values.public_key, ==, "EC/ECDSA SECP256R1, 256 bits");
  g_assert_cmpstr (values.signature, ==, "ECDSA-SHA256");
  g_assert_cmpstr (values.alt_names, ==, "DNS:localhost, IP:127.0.0.1, IP:::1, email:a@example.com, "
                                         "URI:https://example.com/");
  g_assert_cmpstr (values.key_usage, ==, "digitalSignature (critical)");
  g_assert_cmpstr (values.extended_key_usage, ==, "serverAuth, clientAuth");
  g_assert_cmpstr (values.basic_constraints, ==, "CA:FALSE (critical)");
  hl_x509_values_clear (&values);

  ca = make_cert (fixture, &shapes[1]);
  der = g_bytes_get_data (ca, &length);
  g_assert_true (hl_x509_values_from_der (der, length, &values));
  g_assert_cmpstr (values.public_key, ==, "RSA, 2048 bits");
  g_assert_cmpstr (values.serial, ==, "00:9C:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:01:02:03");
  g_assert_cmpstr (values.not_after, ==, "2050-01-01 00:00:00 UTC");
  g_assert_cmpstr (values.basic_constraints, ==, "CA:TRUE, pathlen:2 (critical)");
  g_assert_cmpstr (values.key_usage, ==, "keyCertSign, cRLSign (critical)");
  g_assert_null (values.alt_names);
}

/* Every certificate the DER reader reads, changed a byte at a time and
 * cut short: what it still reads, GnuTLS reads the same. (Both of the
 * set values found a difference once: GnuTLS gives a country in UTF-8
 * as #hex, and skips a purpose whose OID has a padded arc.) */
static void
test_mutants (gconstpointer data)
{
  const Fixture *fixture = data;
  /* each bit, and more; then two values set outright: a UTF8String's tag
   * (where a PrintableString was, a country's say) and a lone 0x80 (the
   * first byte of an OID's arc written longer than it needs) */
  static const guint8 changes[] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x7f, 0xff };
  static const guint8 values[] = { 0x0c, 0x80 };
  guint n_read = 0, n_mutants = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(GBytes) cert = NULL;
      g_autofree guint8 *copy = NULL;
      gsize length;
      const guint8 *der;

      if (!shapes[i].read_from_der)
        continue;
      cert = make_cert (fixture, &shapes[i]);
      der = g_bytes_get_data (cert, &length);
      copy = g_memdup2 (der, length);
      for (gsize at = 0; at < length; at++)
        {
          for (gsize c = 0; c < G_N_ELEMENTS (changes) + G_N_ELEMENTS (values); c++)
            {
              g_autofree char *name = NULL;

              copy[at] = c < G_N_ELEMENTS (changes) ? der[at] ^ changes[c] : values[c - G_N_ELEMENTS (changes)];
              name = g_strdup_printf ("%s, byte %" G_GSIZE_FORMAT " (0x%02x) changed to 0x%02x",
                                      shapes[i].name, at, der[at], copy[at]);
              n_read += compare_readers (copy, length, name);
              n_mutants++;
            }
          copy[at] = der[at];
          n_read += compare_readers (copy, at, "cut short");
          n_mutants++;
          /* a UTCTime's century turns between 49 and 50 */
          if (at + 15 <= length && der[at] == 0x17 && der[at + 1] == 13 && der[at + 14] == 'Z')
            for (guint year = 48; year <= 51; year++)
              {
                copy[at + 2] = '0' + year / 10;
                copy[at + 3] = '0' + year % 10;
                n_read += compare_readers (copy, length, "a UTCTime's year changed");
                n_mutants++;
                memcpy (copy + at + 2, der + at + 2, 2);
              }
        }
    }
  g_test_message ("%u of %u mutants read from the DER, as GnuTLS reads them", n_read, n_mutants);
  /* the bytes of names, serials and signatures change without harm */
  g_assert_cmpuint (n_read, >, n_mutants / 10);
}

/* The CA certificates the system trusts, where there are some: real
 * certificates of many issuers, each read alike by both readers, most of
 * them by the DER reader */
static void
test_system_roots (gconstpointer data)
{
  static const char bundle[] = "/etc/ssl/certs/ca-certificates.crt";
  static const char begin[] = "-----BEGIN CERTIFICATE-----";
  g_autofree char *contents = NULL;
  guint n_certs = 0, n_read = 0;
  const char *at;

  if (!g_file_get_contents (bundle, &contents, NULL, NULL))
    {
      g_test_skip ("no CA certificates in /etc/ssl/certs (the ca-certificates package)");
      return;
    }
  for (at = strstr (contents, begin); at != NULL; at = strstr (at + 1, begin))
    {
      const char *end = strstr (at, "-----END CERTIFICATE-----");
      gnutls_datum_t pem = { (unsigned char *) at, end != NULL ? (unsigned int) (end - at) + 25 : 0 };
      gnutls_datum_t der = { NULL, 0 };

      if (end == NULL || gnutls_pem_base64_decode2 ("CERTIFICATE", &pem, &der) < 0)
        continue;
      n_certs++;
      n_read += compare_readers (der.data, der.size, "a certificate of the system's bundle");
      gnutls_free (der.data);
    }
  g_test_message ("%u of %u CA certificates read from the DER, as GnuTLS reads them", n_read, n_certs);
  g_assert_cmpuint (n_certs, >, 0);
  g_assert_cmpuint (n_read, >, n_certs / 2);
}

/* A certificate message's field tree names what the DER reader read */
static void
test_decoded_tree (gconstpointer data)
{
  const Fixture *fixture = data;
  g_autoptr(GBytes) cert = NULL;
  g_autoptr(HlField) tree = NULL;
  HlField *subject;
  gsize length;
  const guint8 *der;

  cert = make_cert (fixture, &shapes[2]);
  der = g_bytes_get_data (cert, &length);
  tree = hl_x509_decode (der, length, 100);
  g_assert_cmpstr (hl_field_get_name (tree), ==, "x509_certificate");
  g_assert_cmpstr (hl_field_get_value (tree), ==, "CN=every usage");
  g_assert_cmpuint (hl_field_get_offset (tree), ==, 100);
  subject = hl_field_find (tree, "subject");
  g_assert_nonnull (subject);
  g_assert_cmpstr (hl_field_get_value (subject), ==, "CN=every usage");
  g_assert_cmpstr (hl_field_get_value (hl_field_find (tree, "key_usage")), ==,
                   "digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, "
                   "keyCertSign, cRLSign, encipherOnly, decipherOnly (critical)");
  g_assert_cmpstr (hl_field_get_value (hl_field_find (tree, "extended_key_usage")), ==,
                   "OCSPSigning, 1.3.6.1.4.1.99999.7 (critical)");
  g_assert_cmpstr (hl_field_get_value (hl_field_find (tree, "basic_constraints")), ==,
                   "CA:TRUE, pathlen:0 (critical)");
  g_assert_cmpstr (hl_field_get_value (hl_field_find (tree, "extension")), ==, "1.3.6.1.4.1.99999.1");
}

int
main (int   argc,
      char *argv[])
{
  Fixture fixture;
  int status;

  g_test_init (&argc, &argv, NULL);
  gnutls_global_init ();
  /* the keys, made once (an RSA key takes a while) */
  fixture_init (&fixture);

  g_test_add_data_func ("/x509/shapes", &fixture, test_shapes);
  g_test_add_data_func ("/x509/values", &fixture, test_values);
  g_test_add_data_func ("/x509/mutants", &fixture, test_mutants);
  g_test_add_data_func ("/x509/decoded-tree", &fixture, test_decoded_tree);
  g_test_add_data_func ("/x509/system-roots", &fixture, test_system_roots);
  status = g_test_run ();
  fixture_clear (&fixture);
  return status;
}

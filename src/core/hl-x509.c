/* hl-x509.c: X.509 certificates inside certificate messages, through GnuTLS
 *
 * GnuTLS gives the values; a small bounded DER walk gives where each part
 * lies, so that every field covers its own bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-decoder-private.h"
#include "hl-x509.h"

#define MAX_LIST_ITEMS 64

typedef struct
{
  guint8 tag;
  gsize  header;
  gsize  length;
} Tlv;

typedef struct
{
  gnutls_x509_crt_t crt;
} Cert;

static const struct { const char *oid; const char *name; } extension_names[] = {
  { "2.5.29.14", "subject_key_identifier" },
  { "2.5.29.15", "key_usage" },
  { "2.5.29.17", "subject_alt_name" },
  { "2.5.29.18", "issuer_alt_name" },
  { "2.5.29.19", "basic_constraints" },
  { "2.5.29.30", "name_constraints" },
  { "2.5.29.31", "crl_distribution_points" },
  { "2.5.29.32", "certificate_policies" },
  { "2.5.29.35", "authority_key_identifier" },
  { "2.5.29.37", "extended_key_usage" },
  { "1.3.6.1.5.5.7.1.1", "authority_info_access" },
  { "1.3.6.1.4.1.11129.2.4.2", "signed_certificate_timestamps" },
};

static const struct { const char *oid; const char *name; } purpose_names[] = {
  { "1.3.6.1.5.5.7.3.1", "serverAuth" },
  { "1.3.6.1.5.5.7.3.2", "clientAuth" },
  { "1.3.6.1.5.5.7.3.3", "codeSigning" },
  { "1.3.6.1.5.5.7.3.4", "emailProtection" },
  { "1.3.6.1.5.5.7.3.8", "timeStamping" },
  { "1.3.6.1.5.5.7.3.9", "OCSPSigning" },
  { "2.5.29.37.0", "anyExtendedKeyUsage" },
};

static const struct { guint flag; const char *name; } key_usages[] = {
  { GNUTLS_KEY_DIGITAL_SIGNATURE, "digitalSignature" },
  { GNUTLS_KEY_NON_REPUDIATION, "nonRepudiation" },
  { GNUTLS_KEY_KEY_ENCIPHERMENT, "keyEncipherment" },
  { GNUTLS_KEY_DATA_ENCIPHERMENT, "dataEncipherment" },
  { GNUTLS_KEY_KEY_AGREEMENT, "keyAgreement" },
  { GNUTLS_KEY_KEY_CERT_SIGN, "keyCertSign" },
  { GNUTLS_KEY_CRL_SIGN, "cRLSign" },
  { GNUTLS_KEY_ENCIPHER_ONLY, "encipherOnly" },
  { GNUTLS_KEY_DECIPHER_ONLY, "decipherOnly" },
};

/* One DER tag-length header at the reader's position: single-byte tags,
 * definite lengths of at most 4 bytes, contents inside the window */
static gboolean
read_tlv (const HlReader *reader,
          Tlv            *tlv)
{
  const guint8 *p = reader->data + reader->pos;
  gsize left = hl_reader_left (reader);

  if (reader->failed || left < 2 || (p[0] & 0x1f) == 0x1f)
    return FALSE;
  tlv->tag = p[0];
  if (p[1] < 0x80)
    {
      tlv->header = 2;
      tlv->length = p[1];
    }
  else
    {
      guint n = p[1] & 0x7f;

      if (n == 0 || n > 4 || left < 2 + n)
        return FALSE;
      tlv->header = 2 + n;
      tlv->length = 0;
      for (guint i = 0; i < n; i++)
        tlv->length = (tlv->length << 8) | p[2 + i];
    }
  return tlv->length <= left - tlv->header;
}

static char *
hex_colon (const guint8 *bytes,
           gsize         n)
{
  static const char digits[] = "0123456789ABCDEF";
  GString *out = g_string_sized_new (n * 3);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, digits[bytes[i] >> 4]);
      g_string_append_c (out, digits[bytes[i] & 0xf]);
    }
  return g_string_free (out, FALSE);
}

/* The dotted form of a DER OBJECT IDENTIFIER's contents, or NULL */
static char *
oid_to_string (const guint8 *bytes,
               gsize         n)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint64 arc = 0;
  gboolean first = TRUE;

  if (n == 0 || n > 64 || (bytes[n - 1] & 0x80) != 0)
    return NULL;
  for (gsize i = 0; i < n; i++)
    {
      if (arc > (G_MAXUINT32 >> 7))
        return NULL;
      arc = (arc << 7) | (bytes[i] & 0x7f);
      if (bytes[i] & 0x80)
        continue;
      if (first)
        {
          guint top = arc < 80 ? (guint) arc / 40 : 2;

          g_string_append_printf (out, "%u.%" G_GUINT64_FORMAT, top, arc - top * 40);
          first = FALSE;
        }
      else
        g_string_append_printf (out, ".%" G_GUINT64_FORMAT, arc);
      arc = 0;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
format_time (time_t t)
{
  g_autoptr(GDateTime) when = NULL;

  if (t == (time_t) -1)
    return g_strdup ("(invalid)");
  when = g_date_time_new_from_unix_utc ((gint64) t);
  if (when == NULL)
    return g_strdup ("(out of range)");
  return g_date_time_format (when, "%Y-%m-%d %H:%M:%S UTC");
}

static char *
datum_string (int             ret,
              gnutls_datum_t *datum)
{
  char *out;

  if (ret < 0)
    return NULL;
  out = g_strndup ((const char *) datum->data, datum->size);
  gnutls_free (datum->data);
  return out;
}

static char *
describe_serial (Cert *cert)
{
  guint8 serial[64];
  size_t size = sizeof serial;

  if (gnutls_x509_crt_get_serial (cert->crt, serial, &size) < 0)
    return NULL;
  return hex_colon (serial, size);
}

static char *
describe_public_key (Cert *cert)
{
  unsigned int bits = 0;
  int algorithm = gnutls_x509_crt_get_pk_algorithm (cert->crt, &bits);
  const char *name = algorithm >= 0 ? gnutls_pk_algorithm_get_name (algorithm) : NULL;
  gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
  gnutls_datum_t x = { NULL, 0 };
  gnutls_datum_t y = { NULL, 0 };

  if (name == NULL)
    return g_strdup ("unknown public key algorithm");
  if ((algorithm == GNUTLS_PK_ECDSA || algorithm == GNUTLS_PK_EDDSA_ED25519 ||
       algorithm == GNUTLS_PK_EDDSA_ED448) &&
      gnutls_x509_crt_get_pk_ecc_raw (cert->crt, &curve, &x, &y) >= 0)
    {
      gnutls_free (x.data);
      gnutls_free (y.data);
      return g_strdup_printf ("%s %s, %u bits", name, gnutls_ecc_curve_get_name (curve), bits);
    }
  return g_strdup_printf ("%s, %u bits", name, bits);
}

static char *
describe_signature_algorithm (Cert *cert)
{
  int algorithm = gnutls_x509_crt_get_signature_algorithm (cert->crt);
  const char *name = algorithm >= 0 ? gnutls_sign_get_name (algorithm) : NULL;

  return g_strdup (name != NULL ? name : "unknown signature algorithm");
}

static char *
describe_alt_names (Cert *cert)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < MAX_LIST_ITEMS; i++)
    {
      char name[1024];
      size_t size = sizeof name - 1;
      int type = gnutls_x509_crt_get_subject_alt_name (cert->crt, i, name, &size, NULL);
      g_autofree char *item = NULL;

      if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (type < 0)
        continue;
      name[MIN (size, sizeof name - 1)] = '\0';
      switch (type)
        {
        case GNUTLS_SAN_DNSNAME:
          item = g_strdup_printf ("DNS:%s", name);
          break;
        case GNUTLS_SAN_RFC822NAME:
          item = g_strdup_printf ("email:%s", name);
          break;
        case GNUTLS_SAN_URI:
          item = g_strdup_printf ("URI:%s", name);
          break;
        case GNUTLS_SAN_IPADDRESS:
          if (size == 4 || size == 16)
            {
              g_autoptr(GInetAddress) address =
                g_inet_address_new_from_bytes ((const guint8 *) name,
                                               size == 4 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6);
              g_autofree char *text = g_inet_address_to_string (address);

              item = g_strdup_printf ("IP:%s", text);
            }
          break;
        default:
          item = g_strdup_printf ("other name (type %d)", type);
          break;
        }
      if (item != NULL)
        g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "", item);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
describe_key_usage (Cert *cert)
{
  g_autoptr(GString) out = g_string_new (NULL);
  unsigned int usage = 0;
  unsigned int critical = 0;

  if (gnutls_x509_crt_get_key_usage (cert->crt, &usage, &critical) < 0)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (key_usages); i++)
    if (usage & key_usages[i].flag)
      g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "", key_usages[i].name);
  if (critical)
    g_string_append (out, " (critical)");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
describe_extended_key_usage (Cert *cert)
{
  g_autoptr(GString) out = g_string_new (NULL);
  unsigned int critical = 0;

  for (guint i = 0; i < MAX_LIST_ITEMS; i++)
    {
      char oid[128];
      size_t size = sizeof oid;
      const char *name = NULL;
      int ret = gnutls_x509_crt_get_key_purpose_oid (cert->crt, i, oid, &size, &critical);

      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (ret < 0)
        continue;
      oid[MIN (size, sizeof oid - 1)] = '\0';
      for (gsize j = 0; j < G_N_ELEMENTS (purpose_names); j++)
        if (g_str_equal (oid, purpose_names[j].oid))
          name = purpose_names[j].name;
      g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "", name != NULL ? name : oid);
    }
  if (critical)
    g_string_append (out, " (critical)");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
describe_basic_constraints (Cert *cert)
{
  unsigned int critical = 0;
  unsigned int ca = 0;
  int path_length = -1;

  if (gnutls_x509_crt_get_basic_constraints (cert->crt, &critical, &ca, &path_length) < 0)
    return NULL;
  if (ca && path_length >= 0)
    return g_strdup_printf ("CA:TRUE, pathlen:%d%s", path_length, critical ? " (critical)" : "");
  return g_strdup_printf ("CA:%s%s", ca ? "TRUE" : "FALSE", critical ? " (critical)" : "");
}

/* Over the certificate's bytes as they came: what GnuTLS would compute
 * after encoding the parsed certificate again, a tenth of the decoding */
static char *
describe_fingerprint (const gnutls_datum_t *der)
{
  guint8 digest[32];

  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, der->data, der->size, digest) < 0)
    return NULL;
  return hex_colon (digest, sizeof digest);
}

/* A whole TLV as one field; FALSE (with an error) when it is malformed */
static gboolean
der_leaf (HlReader   *reader,
          const char *name,
          const char *value)
{
  Tlv tlv;

  if (!read_tlv (reader, &tlv))
    {
      hl_reader_error (reader, "%s: malformed DER at offset %" G_GSIZE_FORMAT, name, reader->pos);
      return FALSE;
    }
  hl_reader_leaf (reader, name, tlv.header + tlv.length, value);
  return TRUE;
}

/* A constructed TLV as a field with a "der_header" child; sub reads its contents */
static HlField *
der_struct (HlReader   *reader,
            const char *name,
            guint8      tag,
            HlReader   *sub)
{
  HlField *field;
  Tlv tlv;

  if (!read_tlv (reader, &tlv) || tlv.tag != tag)
    {
      hl_reader_error (reader, "%s: expected DER tag 0x%02x at offset %" G_GSIZE_FORMAT,
                       name, tag, reader->pos);
      return NULL;
    }
  field = hl_reader_struct (reader, name, tlv.header + tlv.length, sub);
  {
    g_autofree char *value = g_strdup_printf ("tag 0x%02x, %" G_GSIZE_FORMAT " bytes", tlv.tag, tlv.length);

    hl_reader_leaf (sub, "der_header", tlv.header, value);
  }
  return field;
}

static guint8
peek_tag (const HlReader *reader)
{
  return hl_reader_at_end (reader) ? 0 : reader->data[reader->pos];
}

/* The extnID of the Extension SEQUENCE at the reader's position, or NULL */
static char *
peek_extension_oid (const HlReader *list)
{
  HlReader peek = *list;
  Tlv sequence;
  Tlv id;

  if (!read_tlv (&peek, &sequence) || sequence.tag != 0x30)
    return NULL;
  peek.pos += sequence.header;
  peek.end = peek.pos + sequence.length;
  if (!read_tlv (&peek, &id) || id.tag != 0x06)
    return NULL;
  return oid_to_string (peek.data + peek.pos + id.header, id.length);
}

static char *
describe_extension (Cert       *cert,
                    const char *name,
                    const char *oid)
{
  if (g_str_equal (name, "subject_alt_name"))
    return describe_alt_names (cert);
  if (g_str_equal (name, "key_usage"))
    return describe_key_usage (cert);
  if (g_str_equal (name, "extended_key_usage"))
    return describe_extended_key_usage (cert);
  if (g_str_equal (name, "basic_constraints"))
    return describe_basic_constraints (cert);
  return g_strdup (oid);
}

static void
decode_extension (Cert     *cert,
                  HlReader *list)
{
  g_autofree char *oid = peek_extension_oid (list);
  g_autofree char *value = NULL;
  const char *name = "extension";
  HlReader ext;
  HlField *field;
  Tlv tlv;

  for (gsize i = 0; oid != NULL && i < G_N_ELEMENTS (extension_names); i++)
    if (g_str_equal (oid, extension_names[i].oid))
      name = extension_names[i].name;

  field = der_struct (list, name, 0x30, &ext);
  if (field == NULL)
    return;
  if (oid == NULL)
    {
      hl_reader_error (&ext, "extnID: expected an OBJECT IDENTIFIER at offset %" G_GSIZE_FORMAT, ext.pos);
      return;
    }
  value = describe_extension (cert, name, oid);
  hl_field_set_value (field, value);
  der_leaf (&ext, "extn_id", oid);
  if (peek_tag (&ext) == 0x01)
    der_leaf (&ext, "critical", "TRUE");
  if (read_tlv (&ext, &tlv) && tlv.tag == 0x04)
    {
      /* GnuTLS decodes the common ones; the others show their bytes */
      g_autofree char *contents = g_strcmp0 (value, oid) == 0
                                  ? hl_hex_preview (ext.data + ext.pos + tlv.header, tlv.length) : NULL;

      der_leaf (&ext, "extn_value", contents != NULL ? contents : value);
    }
  else
    hl_reader_error (&ext, "extnValue: expected an OCTET STRING at offset %" G_GSIZE_FORMAT, ext.pos);
  hl_reader_finish (&ext);
}

static void
decode_extensions (Cert     *cert,
                   HlReader *tbs)
{
  HlReader explicit_tag;
  HlReader list;
  HlField *field;
  Tlv tlv;
  guint count = 0;

  field = der_struct (tbs, "extensions", 0xa3, &explicit_tag);
  if (field == NULL)
    return;
  if (!read_tlv (&explicit_tag, &tlv) || tlv.tag != 0x30 ||
      tlv.header + tlv.length != hl_reader_left (&explicit_tag))
    {
      hl_reader_error (&explicit_tag, "extensions: expected one SEQUENCE at offset %" G_GSIZE_FORMAT,
                       explicit_tag.pos);
      return;
    }
  hl_reader_leaf (&explicit_tag, "sequence_header", tlv.header, NULL);
  list = explicit_tag;
  while (!hl_reader_at_end (&list) && count++ < 4 * MAX_LIST_ITEMS)
    decode_extension (cert, &list);
  hl_reader_rest (&list, "more_extensions");
}

static void
decode_validity (Cert     *cert,
                 HlReader *tbs)
{
  g_autofree char *not_before = format_time (gnutls_x509_crt_get_activation_time (cert->crt));
  g_autofree char *not_after = format_time (gnutls_x509_crt_get_expiration_time (cert->crt));
  g_autofree char *value = g_strdup_printf ("%s to %s", not_before, not_after);
  HlReader validity;
  HlField *field;

  field = der_struct (tbs, "validity", 0x30, &validity);
  if (field == NULL)
    return;
  hl_field_set_value (field, value);
  if (der_leaf (&validity, "not_before", not_before))
    der_leaf (&validity, "not_after", not_after);
  hl_reader_finish (&validity);
}

static void
decode_tbs (Cert       *cert,
            HlReader   *outer,
            const char *subject,
            const char *signature)
{
  int version_number = gnutls_x509_crt_get_version (cert->crt);
  g_autofree char *version = version_number > 0 ? g_strdup_printf ("v%d", version_number) : NULL;
  g_autofree char *serial = describe_serial (cert);
  g_autofree char *issuer = NULL;
  g_autofree char *public_key = describe_public_key (cert);
  gnutls_datum_t datum = { NULL, 0 };
  HlReader tbs;

  issuer = datum_string (gnutls_x509_crt_get_issuer_dn3 (cert->crt, &datum, 0), &datum);

  if (der_struct (outer, "tbs_certificate", 0x30, &tbs) == NULL)
    return;
  if (peek_tag (&tbs) == 0xa0 && !der_leaf (&tbs, "version", version))
    return;
  if (!der_leaf (&tbs, "serial_number", serial) ||
      !der_leaf (&tbs, "signature", signature) ||
      !der_leaf (&tbs, "issuer", issuer))
    return;
  decode_validity (cert, &tbs);
  if (!der_leaf (&tbs, "subject", subject) ||
      !der_leaf (&tbs, "subject_public_key_info", public_key))
    return;
  while (!hl_reader_at_end (&tbs))
    {
      guint8 tag = peek_tag (&tbs);

      if (tag == 0xa3)
        decode_extensions (cert, &tbs);
      else if (!der_leaf (&tbs, (tag & 0x1f) == 1 ? "issuer_unique_id"
                                : (tag & 0x1f) == 2 ? "subject_unique_id" : "unknown", NULL))
        break;
    }
}

/* The certificate as a field over the next n bytes of reader */
void
hl_decode_x509 (HlReader   *reader,
                const char *name,
                gsize       n)
{
  gnutls_datum_t datum;
  gnutls_datum_t subject_dn = { NULL, 0 };
  g_autofree char *subject = NULL;
  g_autofree char *signature = NULL;
  HlReader window;
  HlReader outer;
  HlField *field;
  Cert cert = { NULL };
  int ret;
  Tlv tlv;

  if (hl_reader_struct (reader, name, n, &window) == NULL)
    return;
  field = window.parent;
  if (!read_tlv (&window, &tlv) || tlv.tag != 0x30)
    {
      hl_reader_error (&window, "not a DER certificate: no SEQUENCE at offset %" G_GSIZE_FORMAT, window.pos);
      return;
    }

  datum.data = (unsigned char *) window.data + window.pos;
  datum.size = tlv.header + tlv.length;
  if (gnutls_x509_crt_init (&cert.crt) < 0)
    {
      hl_reader_error (&window, "GnuTLS could not allocate a certificate");
      return;
    }
  ret = gnutls_x509_crt_import (cert.crt, &datum, GNUTLS_X509_FMT_DER);
  if (ret < 0)
    {
      hl_reader_error (&window, "not a valid X.509 certificate: %s", gnutls_strerror (ret));
      gnutls_x509_crt_deinit (cert.crt);
      return;
    }

  /* each asked of GnuTLS once: the subject is also the value of the
   * whole, the signature algorithm named twice */
  subject = datum_string (gnutls_x509_crt_get_dn3 (cert.crt, &subject_dn, 0), &subject_dn);
  signature = describe_signature_algorithm (&cert);
  {
    g_autofree char *fingerprint = describe_fingerprint (&datum);

    hl_field_set_value (field, subject);
    /* computed over the whole certificate, stored nowhere: zero-length */
    hl_field_append (field, hl_field_new ("sha256_fingerprint", fingerprint, window.pos, 0));
  }

  if (hl_reader_struct (&window, "certificate", tlv.header + tlv.length, &outer) != NULL)
    {
      HlField *certificate = outer.parent;

      hl_field_set_value (certificate, "Certificate");
      hl_reader_leaf (&outer, "der_header", tlv.header, NULL);
      decode_tbs (&cert, &outer, subject, signature);
      if (der_leaf (&outer, "signature_algorithm", signature))
        der_leaf (&outer, "signature_value", NULL);
      hl_reader_finish (&outer);
    }
  hl_reader_finish (&window);
  gnutls_x509_crt_deinit (cert.crt);
}

/**
 * hl_x509_decode:
 * @der: a DER certificate
 * @length: its size
 * @base_offset: where it starts in the message the offsets refer to
 *
 * Returns: (transfer full): the field "x509_certificate"
 */
HlField *
hl_x509_decode (const guint8 *der,
                gsize         length,
                gsize         base_offset)
{
  g_autoptr(HlField) holder = hl_field_new ("holder", NULL, 0, length);
  HlField *certificate;
  HlReader reader;

  g_return_val_if_fail (der != NULL || length == 0, NULL);

  hl_reader_init (&reader, der, 0, length, holder);
  hl_decode_x509 (&reader, "x509_certificate", length);
  certificate = hl_field_get_child (holder, 0);
  hl_field_shift (certificate, base_offset);
  return hl_field_ref (certificate);
}

/**
 * hl_x509_dn_to_string:
 *
 * Returns: (transfer full) (nullable): the name as RFC 4514 text
 */
char *
hl_x509_dn_to_string (const guint8 *der,
                      gsize         length)
{
  gnutls_datum_t in = { (unsigned char *) der, length };
  gnutls_datum_t out = { NULL, 0 };

  g_return_val_if_fail (der != NULL || length == 0, NULL);

  if (length == 0 || length > G_MAXUINT)
    return NULL;
  return datum_string (gnutls_x509_rdn_get2 (&in, &out, 0), &out);
}

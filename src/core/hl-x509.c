/* hl-x509.c: X.509 certificates inside certificate messages
 *
 * The values are GnuTLS's (read straight from the DER for certificates
 * of the usual shape, see hl-x509-der.c); a small bounded DER walk gives
 * where each part lies, so that every field covers its own bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-decoder-private.h"
#include "hl-x509.h"
#include "hl-x509-private.h"

#define MAX_LIST_ITEMS 64

typedef struct
{
  guint8 tag;
  gsize  header;
  gsize  length;
} Tlv;

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
describe_serial (gnutls_x509_crt_t crt)
{
  guint8 serial[64];
  size_t size = sizeof serial;

  if (gnutls_x509_crt_get_serial (crt, serial, &size) < 0)
    return NULL;
  return hl_x509_hex_colon (serial, size);
}

static char *
describe_public_key (gnutls_x509_crt_t crt)
{
  unsigned int bits = 0;
  int algorithm = gnutls_x509_crt_get_pk_algorithm (crt, &bits);
  const char *name = algorithm >= 0 ? gnutls_pk_algorithm_get_name (algorithm) : NULL;
  gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
  gnutls_datum_t x = { NULL, 0 };
  gnutls_datum_t y = { NULL, 0 };

  if (name == NULL)
    return g_strdup ("unknown public key algorithm");
  if ((algorithm == GNUTLS_PK_ECDSA || algorithm == GNUTLS_PK_EDDSA_ED25519 ||
       algorithm == GNUTLS_PK_EDDSA_ED448) &&
      gnutls_x509_crt_get_pk_ecc_raw (crt, &curve, &x, &y) >= 0)
    {
      gnutls_free (x.data);
      gnutls_free (y.data);
      return g_strdup_printf ("%s %s, %u bits", name, gnutls_ecc_curve_get_name (curve), bits);
    }
  return g_strdup_printf ("%s, %u bits", name, bits);
}

static char *
describe_signature_algorithm (gnutls_x509_crt_t crt)
{
  int algorithm = gnutls_x509_crt_get_signature_algorithm (crt);
  const char *name = algorithm >= 0 ? gnutls_sign_get_name (algorithm) : NULL;

  return g_strdup (name != NULL ? name : "unknown signature algorithm");
}

static char *
describe_alt_names (gnutls_x509_crt_t crt)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < MAX_LIST_ITEMS; i++)
    {
      char name[1024];
      size_t size = sizeof name - 1;
      int type = gnutls_x509_crt_get_subject_alt_name (crt, i, name, &size, NULL);
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
        hl_x509_list_append (out, item);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
describe_key_usage (gnutls_x509_crt_t crt)
{
  unsigned int usage = 0;
  unsigned int critical = 0;
  guint named_bits = 0;

  if (gnutls_x509_crt_get_key_usage (crt, &usage, &critical) < 0)
    return NULL;
  /* GnuTLS's flags: the first byte of named bits, then decipherOnly */
  for (guint i = 0; i < 8; i++)
    if (usage & (0x80u >> i))
      named_bits |= 1u << i;
  if (usage & GNUTLS_KEY_DECIPHER_ONLY)
    named_bits |= 1u << 8;
  return hl_x509_describe_key_usage (named_bits, critical);
}

static char *
describe_extended_key_usage (gnutls_x509_crt_t crt)
{
  GString *out = g_string_new (NULL);
  unsigned int critical = 0;

  for (guint i = 0; i < MAX_LIST_ITEMS; i++)
    {
      char oid[128];
      size_t size = sizeof oid;
      const char *name;
      int ret = gnutls_x509_crt_get_key_purpose_oid (crt, i, oid, &size, &critical);

      if (ret == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        break;
      if (ret < 0)
        continue;
      oid[MIN (size, sizeof oid - 1)] = '\0';
      name = hl_x509_purpose_name (oid);
      hl_x509_list_append (out, name != NULL ? name : oid);
    }
  return hl_x509_list_finish (out, critical);
}

static char *
describe_basic_constraints (gnutls_x509_crt_t crt)
{
  unsigned int critical = 0;
  unsigned int ca = 0;
  int path_length = -1;

  if (gnutls_x509_crt_get_basic_constraints (crt, &critical, &ca, &path_length) < 0)
    return NULL;
  return hl_x509_describe_basic_constraints (ca, path_length, critical);
}

/* Over the certificate's bytes as they came: what GnuTLS would compute
 * after encoding the parsed certificate again, a tenth of the decoding */
static char *
describe_fingerprint (const gnutls_datum_t *der)
{
  guint8 digest[32];

  if (gnutls_hash_fast (GNUTLS_DIG_SHA256, der->data, der->size, digest) < 0)
    return NULL;
  return hl_x509_hex_colon (digest, sizeof digest);
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
    char value[48];

    /* "tag 0x30, 1234 bytes", without printf: a certificate has many */
    memcpy (value, "tag 0x", 6);
    value[6] = "0123456789abcdef"[tlv.tag >> 4];
    value[7] = "0123456789abcdef"[tlv.tag & 0xf];
    value[8] = ',';
    value[9] = ' ';
    strcpy (hl_x509_format_uint (value + 10, tlv.length), " bytes");
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
  return hl_x509_oid_to_string (peek.data + peek.pos + id.header, id.length);
}

static const char *
describe_extension (const HlX509Values *values,
                    const char         *name,
                    const char         *oid)
{
  if (g_str_equal (name, "subject_alt_name"))
    return values->alt_names;
  if (g_str_equal (name, "key_usage"))
    return values->key_usage;
  if (g_str_equal (name, "extended_key_usage"))
    return values->extended_key_usage;
  if (g_str_equal (name, "basic_constraints"))
    return values->basic_constraints;
  return oid;
}

static void
decode_extension (const HlX509Values *values,
                  HlReader           *list)
{
  g_autofree char *oid = peek_extension_oid (list);
  const char *value;
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
  value = describe_extension (values, name, oid);
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
decode_extensions (const HlX509Values *values,
                   HlReader           *tbs)
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
    decode_extension (values, &list);
  hl_reader_rest (&list, "more_extensions");
}

static void
decode_validity (const HlX509Values *values,
                 HlReader           *tbs)
{
  g_autofree char *value = g_strdup_printf ("%s to %s", values->not_before, values->not_after);
  HlReader validity;
  HlField *field;

  field = der_struct (tbs, "validity", 0x30, &validity);
  if (field == NULL)
    return;
  hl_field_set_value (field, value);
  if (der_leaf (&validity, "not_before", values->not_before))
    der_leaf (&validity, "not_after", values->not_after);
  hl_reader_finish (&validity);
}

static void
decode_tbs (const HlX509Values *values,
            HlReader           *outer)
{
  HlReader tbs;

  if (der_struct (outer, "tbs_certificate", 0x30, &tbs) == NULL)
    return;
  if (peek_tag (&tbs) == 0xa0 && !der_leaf (&tbs, "version", values->version))
    return;
  if (!der_leaf (&tbs, "serial_number", values->serial) ||
      !der_leaf (&tbs, "signature", values->signature) ||
      !der_leaf (&tbs, "issuer", values->issuer))
    return;
  decode_validity (values, &tbs);
  if (!der_leaf (&tbs, "subject", values->subject) ||
      !der_leaf (&tbs, "subject_public_key_info", values->public_key))
    return;
  while (!hl_reader_at_end (&tbs))
    {
      guint8 tag = peek_tag (&tbs);

      if (tag == 0xa3)
        decode_extensions (values, &tbs);
      else if (!der_leaf (&tbs, (tag & 0x1f) == 1 ? "issuer_unique_id"
                                : (tag & 0x1f) == 2 ? "subject_unique_id" : "unknown", NULL))
        break;
    }
}

/**
 * hl_x509_values_from_gnutls:
 *
 * The values as GnuTLS reads them, each asked of it once.
 *
 * Returns: FALSE, with @error set, if GnuTLS rejects the certificate
 */
gboolean
hl_x509_values_from_gnutls (const guint8  *der,
                            gsize          length,
                            HlX509Values  *values,
                            GError       **error)
{
  gnutls_datum_t datum = { (unsigned char *) der, length };
  gnutls_datum_t dn = { NULL, 0 };
  gnutls_x509_crt_t crt;
  int version;
  int ret;

  memset (values, 0, sizeof *values);
  if (length > G_MAXUINT || gnutls_x509_crt_init (&crt) < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "GnuTLS could not allocate a certificate");
      return FALSE;
    }
  ret = gnutls_x509_crt_import (crt, &datum, GNUTLS_X509_FMT_DER);
  if (ret < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a valid X.509 certificate: %s",
                   gnutls_strerror (ret));
      gnutls_x509_crt_deinit (crt);
      return FALSE;
    }
  version = gnutls_x509_crt_get_version (crt);
  values->version = version > 0 ? g_strdup_printf ("v%d", version) : NULL;
  values->serial = describe_serial (crt);
  values->signature = describe_signature_algorithm (crt);
  values->issuer = datum_string (gnutls_x509_crt_get_issuer_dn3 (crt, &dn, 0), &dn);
  values->subject = datum_string (gnutls_x509_crt_get_dn3 (crt, &dn, 0), &dn);
  values->not_before = format_time (gnutls_x509_crt_get_activation_time (crt));
  values->not_after = format_time (gnutls_x509_crt_get_expiration_time (crt));
  values->public_key = describe_public_key (crt);
  values->alt_names = describe_alt_names (crt);
  values->key_usage = describe_key_usage (crt);
  values->extended_key_usage = describe_extended_key_usage (crt);
  values->basic_constraints = describe_basic_constraints (crt);
  gnutls_x509_crt_deinit (crt);
  return TRUE;
}

/* The certificate as a field over the next n bytes of reader */
void
hl_decode_x509 (HlReader   *reader,
                const char *name,
                gsize       n)
{
  g_auto(HlX509Values) values = { NULL };
  g_autoptr(GError) error = NULL;
  gnutls_datum_t datum;
  HlReader window;
  HlReader outer;
  HlField *field;
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
  if (!hl_x509_values_from_der (datum.data, datum.size, &values) &&
      !hl_x509_values_from_gnutls (datum.data, datum.size, &values, &error))
    {
      hl_reader_error (&window, "%s", error->message);
      return;
    }
  {
    g_autofree char *fingerprint = describe_fingerprint (&datum);

    /* the subject is also the value of the whole */
    hl_field_set_value (field, values.subject);
    /* computed over the whole certificate, stored nowhere: zero-length */
    hl_field_append (field, hl_field_new ("sha256_fingerprint", fingerprint, window.pos, 0));
  }

  if (hl_reader_struct (&window, "certificate", tlv.header + tlv.length, &outer) != NULL)
    {
      HlField *certificate = outer.parent;

      hl_field_set_value (certificate, "Certificate");
      hl_reader_leaf (&outer, "der_header", tlv.header, NULL);
      decode_tbs (&values, &outer);
      if (der_leaf (&outer, "signature_algorithm", values.signature))
        der_leaf (&outer, "signature_value", NULL);
      hl_reader_finish (&outer);
    }
  hl_reader_finish (&window);
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

/* hl-x509-der.c: a certificate's values read straight from its DER
 *
 * Writing a demo exchange's log decodes its server certificate; through
 * GnuTLS (gnutls_x509_crt_import() builds a libtasn1 tree of the whole
 * certificate, and every getter walks it by name) that took 55 µs, most
 * of the decoding of the whole handshake, against 6 µs here. The
 * certificates a TLS tool sees are nearly all of one shape, which is read
 * here in one pass over the DER. Whatever falls outside that shape, or
 * is not strict DER, is left to GnuTLS, so that the values shown never
 * depend on which of the two read them; a test compares the two over
 * certificates of many shapes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>
#include <gio/gio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-x509-private.h"

#define MAX_LIST_ITEMS 64
/* below GnuTLS's buffer for one alternative name */
#define MAX_ALT_NAME 1000

#define OID_RSA_ENCRYPTION "1.2.840.113549.1.1.1"
#define OID_RSA_PSS        "1.2.840.113549.1.1.10"
#define OID_EC_PUBLIC_KEY  "1.2.840.10045.2.1"
#define OID_ED25519        "1.3.101.112"
#define OID_ED448          "1.3.101.113"

/* The contents of a DER element still to read */
typedef struct
{
  const guint8 *p;
  gsize         n;
} Der;

/* With the value types GnuTLS prints as text: a DirectoryString's
 * PrintableString and UTF8String, and the country's PrintableString
 * alone (GnuTLS gives the others as #hex) */
static const struct { const char *oid; const char *name; gboolean utf8; } plain_attributes[] = {
  { "2.5.4.3", "CN", TRUE },
  { "2.5.4.6", "C", FALSE },
  { "2.5.4.7", "L", TRUE },
  { "2.5.4.8", "ST", TRUE },
  { "2.5.4.10", "O", TRUE },
  { "2.5.4.11", "OU", TRUE },
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

/* KeyUsage's named bits, in order (RFC 5280, 4.2.1.3) */
static const char *const key_usage_names[] = {
  "digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
  "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly",
};

const char *
hl_x509_purpose_name (const char *oid)
{
  for (gsize i = 0; i < G_N_ELEMENTS (purpose_names); i++)
    if (g_str_equal (oid, purpose_names[i].oid))
      return purpose_names[i].name;
  return NULL;
}

/* "a, b, c", then " (critical)" where it is */
void
hl_x509_list_append (GString    *list,
                     const char *item)
{
  if (list->len > 0)
    g_string_append (list, ", ");
  g_string_append (list, item);
}

char *
hl_x509_list_finish (GString  *list,
                     gboolean  critical)
{
  if (critical)
    g_string_append (list, " (critical)");
  return g_string_free (list, FALSE);
}

char *
hl_x509_describe_key_usage (guint    named_bits,
                            gboolean critical)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (key_usage_names); i++)
    if (named_bits & (1u << i))
      hl_x509_list_append (out, key_usage_names[i]);
  return hl_x509_list_finish (out, critical);
}

char *
hl_x509_describe_basic_constraints (gboolean ca,
                                    int      path_length,
                                    gboolean critical)
{
  if (ca && path_length >= 0)
    return g_strdup_printf ("CA:TRUE, pathlen:%d%s", path_length, critical ? " (critical)" : "");
  return g_strdup_printf ("CA:%s%s", ca ? "TRUE" : "FALSE", critical ? " (critical)" : "");
}

char *
hl_x509_hex_colon (const guint8 *bytes,
                   gsize         n)
{
  static const char digits[] = "0123456789ABCDEF";
  char *out = g_malloc (n > 0 ? n * 3 : 1);
  char *q = out;

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        *q++ = ':';
      *q++ = digits[bytes[i] >> 4];
      *q++ = digits[bytes[i] & 0xf];
    }
  *q = '\0';
  return out;
}

char *
hl_x509_format_uint (char    *out,
                     guint64  value)
{
  char digits[20];
  guint n = 0;

  do
    digits[n++] = '0' + value % 10;
  while ((value /= 10) > 0);
  while (n > 0)
    *out++ = digits[--n];
  return out;
}

/* The dotted form of a DER OBJECT IDENTIFIER's contents, or NULL */
char *
hl_x509_oid_to_string (const guint8 *bytes,
                       gsize         n)
{
  /* 64 bytes hold at most 64 arcs of up to 10 digits, each after a dot
   * (the first two share a byte but take two numbers) */
  char out[64 * 12];
  char *end = out;
  guint64 arc = 0;

  if (n == 0 || n > 64 || (bytes[n - 1] & 0x80) != 0)
    return NULL;
  for (gsize i = 0; i < n; i++)
    {
      if (arc > (G_MAXUINT32 >> 7))
        return NULL;
      arc = (arc << 7) | (bytes[i] & 0x7f);
      if (bytes[i] & 0x80)
        continue;
      if (end == out)
        {
          /* the first two arcs share the first number */
          guint top = arc < 80 ? (guint) arc / 40 : 2;

          end = hl_x509_format_uint (end, top);
          arc -= top * 40;
        }
      *end++ = '.';
      end = hl_x509_format_uint (end, arc);
      arc = 0;
    }
  return g_strndup (out, end - out);
}

/* The next element, which must have @tag and a minimal definite length */
static gboolean
der_read (Der    *der,
          guint8  tag,
          Der    *contents)
{
  gsize header = 2;
  gsize length;

  if (der->n < 2 || der->p[0] != tag)
    return FALSE;
  length = der->p[1];
  if (length >= 0x80)
    {
      guint n_bytes = length & 0x7f;

      if (n_bytes == 0 || n_bytes > 3 || der->n < 2 + n_bytes || der->p[2] == 0)
        return FALSE;
      length = 0;
      for (guint i = 0; i < n_bytes; i++)
        length = (length << 8) | der->p[2 + i];
      if (length < 0x80)
        return FALSE;
      header += n_bytes;
    }
  if (length > der->n - header)
    return FALSE;
  contents->p = der->p + header;
  contents->n = length;
  der->p += header + length;
  der->n -= header + length;
  return TRUE;
}

static guint8
der_peek (const Der *der)
{
  return der->n > 0 ? der->p[0] : 0;
}

/* An OBJECT IDENTIFIER element, dotted; each arc in as few bytes as it
 * takes, as DER wants (GnuTLS refuses a leading 0x80) */
static char *
der_read_oid (Der *der)
{
  Der oid;

  if (!der_read (der, 0x06, &oid))
    return NULL;
  for (gsize i = 0; i < oid.n; i++)
    if (oid.p[i] == 0x80 && (i == 0 || (oid.p[i - 1] & 0x80) == 0))
      return NULL;
  return hl_x509_oid_to_string (oid.p, oid.n);
}

/* A non-negative INTEGER of at most 31 bits, minimally encoded */
static gboolean
der_read_small_uint (Der  *der,
                     gint *value)
{
  Der integer;

  if (!der_read (der, 0x02, &integer) || integer.n == 0 || integer.n > 4 ||
      (integer.p[0] & 0x80) != 0 || (integer.n > 1 && integer.p[0] == 0 && integer.p[1] < 0x80))
    return FALSE;
  *value = 0;
  for (gsize i = 0; i < integer.n; i++)
    *value = (*value << 8) | integer.p[i];
  return TRUE;
}

/* A DER BOOLEAN that is TRUE (DER encodes no FALSE that has a default) */
static gboolean
der_read_true (Der *der)
{
  Der boolean;

  return der_read (der, 0x01, &boolean) && boolean.n == 1 && boolean.p[0] == 0xff;
}

/* Printable ASCII; in a name's value, UTF-8 too where @utf8, and none of
 * what RFC 4514 escapes (nor '=' and '#') */
static gboolean
plain_text (const Der *text,
            gboolean   dn_value,
            gboolean   utf8)
{
  if (text->n == 0)
    return FALSE;
  for (gsize i = 0; i < text->n; i++)
    {
      guint8 c = text->p[i];

      if (c < 0x20 || c == 0x7f || (c > 0x7f && !utf8))
        return FALSE;
      if (dn_value && strchr (",+\"\\<>;=#", c) != NULL)
        return FALSE;
    }
  if (utf8 && !g_utf8_validate_len ((const char *) text->p, text->n, NULL))
    return FALSE;
  return !dn_value || (text->p[0] != ' ' && text->p[text->n - 1] != ' ');
}

/* A DER Name of plain single-valued attributes as RFC 4514 text, or NULL
 * for any other */
static char *
plain_dn (const guint8 *bytes,
          gsize         length)
{
  struct { const char *type; Der value; } parts[MAX_LIST_ITEMS];
  guint n_parts = 0;
  GString *out;
  Der all = { bytes, length };
  Der name;

  if (!der_read (&all, 0x30, &name) || all.n != 0 || name.n == 0)
    return NULL;
  while (name.n > 0)
    {
      g_autofree char *oid = NULL;
      const char *type = NULL;
      gboolean utf8 = FALSE;
      Der rdn, attribute, value;

      if (n_parts == MAX_LIST_ITEMS || !der_read (&name, 0x31, &rdn) || !der_read (&rdn, 0x30, &attribute) ||
          rdn.n != 0 || (oid = der_read_oid (&attribute)) == NULL)
        return NULL;
      for (gsize i = 0; i < G_N_ELEMENTS (plain_attributes); i++)
        if (g_str_equal (oid, plain_attributes[i].oid))
          {
            type = plain_attributes[i].name;
            utf8 = plain_attributes[i].utf8;
          }
      /* a PrintableString, or where the attribute allows it a UTF8String */
      if (type == NULL)
        return NULL;
      if (der_read (&attribute, 0x13, &value))
        utf8 = FALSE;
      else if (!utf8 || !der_read (&attribute, 0x0c, &value))
        return NULL;
      if (attribute.n != 0 || !plain_text (&value, TRUE, utf8))
        return NULL;
      parts[n_parts].type = type;
      parts[n_parts++].value = value;
    }
  /* RFC 4514 names the last RDN first */
  out = g_string_sized_new (length);
  for (guint i = n_parts; i > 0; i--)
    {
      if (i < n_parts)
        g_string_append_c (out, ',');
      g_string_append (out, parts[i - 1].type);
      g_string_append_c (out, '=');
      g_string_append_len (out, (const char *) parts[i - 1].value.p, parts[i - 1].value.n);
    }
  return g_string_free (out, FALSE);
}

static gboolean
read_digits (const guint8 *p,
             guint         n,
             gint         *value)
{
  *value = 0;
  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      *value = *value * 10 + (p[i] - '0');
    }
  return TRUE;
}

/* A UTCTime or GeneralizedTime in the form RFC 5280 asks for, between
 * 1970 and 9999 */
static char *
der_read_time (Der *der)
{
  gint year, month, day, hour, minute, second;
  guint8 tag = der_peek (der);
  const guint8 *p;
  Der time;

  if ((tag != 0x17 && tag != 0x18) || !der_read (der, tag, &time))
    return NULL;
  if (tag == 0x17 && time.n == 13 && read_digits (time.p, 2, &year))
    {
      year += year >= 50 ? 1900 : 2000;
      p = time.p + 2;
    }
  else if (tag == 0x18 && time.n == 15 && read_digits (time.p, 4, &year))
    p = time.p + 4;
  else
    return NULL;
  if (!read_digits (p, 2, &month) || !read_digits (p + 2, 2, &day) || !read_digits (p + 4, 2, &hour) ||
      !read_digits (p + 6, 2, &minute) || !read_digits (p + 8, 2, &second) || p[10] != 'Z')
    return NULL;
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > g_date_get_days_in_month (month, year) || hour > 23 || minute > 59 || second > 59)
    return NULL;
  {
    /* "2026-01-02 03:04:05 UTC", without printf */
    const int parts[6] = { year, month, day, hour, minute, second };
    char text[] = "0000-00-00 00:00:00 UTC";
    static const guint8 at[6] = { 3, 6, 9, 12, 15, 18 };

    for (guint i = 0; i < 6; i++)
      for (int value = parts[i], j = at[i]; value > 0; value /= 10, j--)
        text[j] = '0' + value % 10;
    return g_strdup (text);
  }
}

/* An AlgorithmIdentifier: its OID, and its parameters as they are */
static char *
der_read_algorithm (Der *der,
                    Der *parameters)
{
  Der algorithm;
  char *oid;

  if (!der_read (der, 0x30, &algorithm) || (oid = der_read_oid (&algorithm)) == NULL)
    return NULL;
  *parameters = algorithm;
  return oid;
}

static gboolean
is_null (const Der *parameters)
{
  return parameters->n == 2 && parameters->p[0] == 0x05 && parameters->p[1] == 0x00;
}

static char *
describe_signature (const char *oid,
                    const Der  *parameters)
{
  gnutls_sign_algorithm_t algorithm;
  const char *name;

  /* RSA-PSS takes its hash from the parameters */
  if (g_str_equal (oid, OID_RSA_PSS))
    return NULL;
  algorithm = gnutls_oid_to_sign (oid);
  name = algorithm != GNUTLS_SIGN_UNKNOWN ? gnutls_sign_get_name (algorithm) : NULL;
  /* EdDSA has no parameters at all (RFC 8410), the others NULL or none */
  if (name == NULL || (parameters->n != 0 && !is_null (parameters)) ||
      (parameters->n != 0 && (g_str_equal (oid, OID_ED25519) || g_str_equal (oid, OID_ED448))))
    return NULL;
  return g_strdup (name);
}

/* The number of bits of a positive INTEGER's contents, minimally encoded */
static guint
integer_bits (const Der *integer)
{
  const guint8 *p = integer->p;
  gsize n = integer->n;

  if (n == 0 || (p[0] & 0x80) != 0 || (n > 1 && p[0] == 0 && p[1] < 0x80))
    return 0;
  if (p[0] == 0)
    {
      p++;
      n--;
    }
  if (p[0] == 0)
    return 0;
  return (guint) (n - 1) * 8 + g_bit_storage (p[0]);
}

static char *
describe_public_key (Der *info)
{
  g_autofree char *oid = NULL;
  Der parameters, key, rsa, modulus, exponent;

  if ((oid = der_read_algorithm (info, &parameters)) == NULL || !der_read (info, 0x03, &key) ||
      info->n != 0 || key.n < 2 || key.p[0] != 0)
    return NULL;
  key.p++;
  key.n--;
  if (g_str_equal (oid, OID_RSA_ENCRYPTION))
    {
      guint bits;

      if (!is_null (&parameters) || !der_read (&key, 0x30, &rsa) || key.n != 0 ||
          !der_read (&rsa, 0x02, &modulus) || !der_read (&rsa, 0x02, &exponent) || rsa.n != 0 ||
          integer_bits (&exponent) == 0 || (bits = integer_bits (&modulus)) == 0)
        return NULL;
      return g_strdup_printf ("%s, %u bits", gnutls_pk_algorithm_get_name (GNUTLS_PK_RSA), bits);
    }
  if (g_str_equal (oid, OID_EC_PUBLIC_KEY))
    {
      g_autofree char *curve_oid = der_read_oid (&parameters);
      gnutls_ecc_curve_t curve = curve_oid != NULL ? gnutls_oid_to_ecc_curve (curve_oid) : GNUTLS_ECC_CURVE_INVALID;
      int size = curve != GNUTLS_ECC_CURVE_INVALID ? gnutls_ecc_curve_get_size (curve) : 0;

      /* an uncompressed point on a named curve */
      if (size <= 0 || parameters.n != 0 || key.n != 1 + 2 * (gsize) size || key.p[0] != 0x04)
        return NULL;
      return g_strdup_printf ("%s %s, %u bits", gnutls_pk_algorithm_get_name (GNUTLS_PK_ECDSA),
                              gnutls_ecc_curve_get_name (curve), (guint) size * 8);
    }
  if (g_str_equal (oid, OID_ED25519) || g_str_equal (oid, OID_ED448))
    {
      gboolean ed25519 = g_str_equal (oid, OID_ED25519);
      gnutls_ecc_curve_t curve = ed25519 ? GNUTLS_ECC_CURVE_ED25519 : GNUTLS_ECC_CURVE_ED448;
      int size = gnutls_ecc_curve_get_size (curve);

      /* the key's bytes, and no parameters */
      if (size <= 0 || parameters.n != 0 || key.n != (gsize) size)
        return NULL;
      return g_strdup_printf ("%s %s, %u bits",
                              gnutls_pk_algorithm_get_name (ed25519 ? GNUTLS_PK_EDDSA_ED25519 : GNUTLS_PK_EDDSA_ED448),
                              gnutls_ecc_curve_get_name (curve), (guint) size * 8);
    }
  return NULL;
}

static char *
describe_alt_names (Der *value)
{
  g_autoptr(GString) out = g_string_new (NULL);
  Der names, name;
  guint count = 0;

  if (!der_read (value, 0x30, &names) || value->n != 0 || names.n == 0)
    return NULL;
  while (names.n > 0)
    {
      guint8 tag = der_peek (&names);
      const char *prefix = tag == 0x82 ? "DNS:" : tag == 0x81 ? "email:" : tag == 0x86 ? "URI:" : NULL;

      if (++count > MAX_LIST_ITEMS)
        return NULL;
      if (out->len > 0)
        g_string_append (out, ", ");
      if (prefix != NULL)
        {
          if (!der_read (&names, tag, &name) || name.n > MAX_ALT_NAME || !plain_text (&name, FALSE, FALSE))
            return NULL;
          g_string_append (out, prefix);
          g_string_append_len (out, (const char *) name.p, name.n);
        }
      else if (tag == 0x87 && der_read (&names, tag, &name) && (name.n == 4 || name.n == 16))
        {
          /* as g_inet_address_to_string() writes it */
          char text[INET6_ADDRSTRLEN];

          if (inet_ntop (name.n == 4 ? AF_INET : AF_INET6, name.p, text, sizeof text) == NULL)
            return NULL;
          g_string_append (out, "IP:");
          g_string_append (out, text);
        }
      else
        return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
describe_key_usage (Der      *value,
                    gboolean  critical)
{
  guint named_bits = 0;
  Der bits;

  /* the unused bits count, then the named bits: the first eight, and
   * decipherOnly alone in a second byte */
  if (!der_read (value, 0x03, &bits) || value->n != 0 || bits.n < 2 || bits.n > 3 || bits.p[0] > 7 ||
      (bits.p[bits.n - 1] & ((1u << bits.p[0]) - 1)) != 0 || (bits.n == 3 && (bits.p[2] & 0x7f) != 0))
    return NULL;
  for (guint i = 0; i < 8; i++)
    if (bits.p[1] & (0x80 >> i))
      named_bits |= 1u << i;
  if (bits.n == 3 && (bits.p[2] & 0x80))
    named_bits |= 1u << 8;
  return hl_x509_describe_key_usage (named_bits, critical);
}

static char *
describe_extended_key_usage (Der      *value,
                             gboolean  critical)
{
  g_autoptr(GString) out = g_string_new (NULL);
  Der purposes;
  guint count = 0;

  if (!der_read (value, 0x30, &purposes) || value->n != 0 || purposes.n == 0)
    return NULL;
  while (purposes.n > 0)
    {
      g_autofree char *oid = der_read_oid (&purposes);
      const char *name;

      /* GnuTLS skips an OID longer than its buffer */
      if (oid == NULL || strlen (oid) >= 128 || ++count > MAX_LIST_ITEMS)
        return NULL;
      name = hl_x509_purpose_name (oid);
      hl_x509_list_append (out, name != NULL ? name : oid);
    }
  return hl_x509_list_finish (g_steal_pointer (&out), critical);
}

static char *
describe_basic_constraints (Der      *value,
                            gboolean  critical)
{
  gboolean ca = FALSE;
  gint path_length = -1;
  Der constraints;

  if (!der_read (value, 0x30, &constraints) || value->n != 0)
    return NULL;
  if (der_peek (&constraints) == 0x01)
    {
      if (!der_read_true (&constraints))
        return NULL;
      ca = TRUE;
    }
  if (der_peek (&constraints) == 0x02 && !der_read_small_uint (&constraints, &path_length))
    return NULL;
  if (constraints.n != 0)
    return NULL;
  return hl_x509_describe_basic_constraints (ca, path_length, critical);
}

/* One Extension, of a kind not seen before in @seen */
static gboolean
read_extension (Der          *list,
                GPtrArray    *seen,
                HlX509Values *values)
{
  g_autofree char *oid = NULL;
  gboolean critical = FALSE;
  char **slot = NULL;
  Der extension, value;

  if (!der_read (list, 0x30, &extension) || (oid = der_read_oid (&extension)) == NULL ||
      g_ptr_array_find_with_equal_func (seen, oid, g_str_equal, NULL))
    return FALSE;
  g_ptr_array_add (seen, g_strdup (oid));
  if (der_peek (&extension) == 0x01)
    {
      if (!der_read_true (&extension))
        return FALSE;
      critical = TRUE;
    }
  if (!der_read (&extension, 0x04, &value) || extension.n != 0)
    return FALSE;
  /* GnuTLS reads the issuer's alternative names as it imports a
   * certificate, and rejects it if they are malformed */
  if (g_str_equal (oid, "2.5.29.18"))
    return FALSE;
  if (g_str_equal (oid, "2.5.29.17"))
    slot = &values->alt_names;
  else if (g_str_equal (oid, "2.5.29.15"))
    slot = &values->key_usage;
  else if (g_str_equal (oid, "2.5.29.37"))
    slot = &values->extended_key_usage;
  else if (g_str_equal (oid, "2.5.29.19"))
    slot = &values->basic_constraints;
  if (slot == NULL)
    return TRUE;
  *slot = slot == &values->alt_names ? describe_alt_names (&value)
          : slot == &values->key_usage ? describe_key_usage (&value, critical)
          : slot == &values->extended_key_usage ? describe_extended_key_usage (&value, critical)
          : describe_basic_constraints (&value, critical);
  return *slot != NULL;
}

static gboolean
read_extensions (Der          *tbs,
                 HlX509Values *values)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  Der explicit_tag, list;

  if (!der_read (tbs, 0xa3, &explicit_tag) || !der_read (&explicit_tag, 0x30, &list) ||
      explicit_tag.n != 0 || list.n == 0)
    return FALSE;
  while (list.n > 0)
    if (seen->len >= MAX_LIST_ITEMS || !read_extension (&list, seen, values))
      return FALSE;
  return TRUE;
}

/* The next element, which must have @tag, whole */
static gboolean
der_read_whole (Der    *der,
                guint8  tag,
                Der    *whole)
{
  Der contents;

  whole->p = der->p;
  if (!der_read (der, tag, &contents))
    return FALSE;
  whole->n = der->p - whole->p;
  return TRUE;
}

static gboolean
read_tbs (Der          *tbs,
          const Der    *outer_signature,
          HlX509Values *values)
{
  Der version, serial, signature, issuer, validity, subject, info;
  gint version_number;

  if (!der_read (tbs, 0xa0, &version) || !der_read_small_uint (&version, &version_number) ||
      version.n != 0 || version_number != 2 || !der_read (tbs, 0x02, &serial) ||
      serial.n == 0 || serial.n > 64)
    return FALSE;
  values->version = g_strdup ("v3");
  values->serial = hl_x509_hex_colon (serial.p, serial.n);
  /* the signature algorithm named twice, the same both times */
  if (!der_read_whole (tbs, 0x30, &signature) || signature.n != outer_signature->n ||
      memcmp (signature.p, outer_signature->p, signature.n) != 0)
    return FALSE;
  if (!der_read_whole (tbs, 0x30, &issuer) || issuer.n <= 2 ||
      (values->issuer = plain_dn (issuer.p, issuer.n)) == NULL)
    return FALSE;
  if (!der_read (tbs, 0x30, &validity) || (values->not_before = der_read_time (&validity)) == NULL ||
      (values->not_after = der_read_time (&validity)) == NULL || validity.n != 0)
    return FALSE;
  if (!der_read_whole (tbs, 0x30, &subject) || subject.n <= 2 ||
      (values->subject = plain_dn (subject.p, subject.n)) == NULL)
    return FALSE;
  if (!der_read (tbs, 0x30, &info) || (values->public_key = describe_public_key (&info)) == NULL)
    return FALSE;
  return read_extensions (tbs, values) && tbs->n == 0;
}

gboolean
hl_x509_values_from_der (const guint8 *bytes,
                         gsize         length,
                         HlX509Values *values)
{
  g_autofree char *algorithm = NULL;
  Der all = { bytes, length };
  Der certificate, tbs, signature, parameters, value;

  memset (values, 0, sizeof *values);
  if (!der_read (&all, 0x30, &certificate) || all.n != 0 || !der_read (&certificate, 0x30, &tbs))
    return FALSE;
  signature = certificate;
  if ((algorithm = der_read_algorithm (&certificate, &parameters)) == NULL)
    return FALSE;
  signature.n = certificate.p - signature.p;
  if (!der_read (&certificate, 0x03, &value) || certificate.n != 0 || value.n < 2 || value.p[0] != 0 ||
      (values->signature = describe_signature (algorithm, &parameters)) == NULL ||
      !read_tbs (&tbs, &signature, values))
    {
      hl_x509_values_clear (values);
      return FALSE;
    }
  return TRUE;
}

const char *
hl_x509_values_differ (const HlX509Values  *a,
                       const HlX509Values  *b,
                       const char         **a_value,
                       const char         **b_value)
{
  const struct { const char *part; const char *a; const char *b; } parts[] = {
    { "version", a->version, b->version },
    { "serial", a->serial, b->serial },
    { "signature", a->signature, b->signature },
    { "issuer", a->issuer, b->issuer },
    { "subject", a->subject, b->subject },
    { "not_before", a->not_before, b->not_before },
    { "not_after", a->not_after, b->not_after },
    { "public_key", a->public_key, b->public_key },
    { "alt_names", a->alt_names, b->alt_names },
    { "key_usage", a->key_usage, b->key_usage },
    { "extended_key_usage", a->extended_key_usage, b->extended_key_usage },
    { "basic_constraints", a->basic_constraints, b->basic_constraints },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      /* GnuTLS words the alternative names or purposes of a certificate
       * without any as "", where the DER reader has none */
      gboolean same = g_strcmp0 (parts[i].a, parts[i].b) == 0 ||
                      (g_strcmp0 (parts[i].a, "") <= 0 && g_strcmp0 (parts[i].b, "") <= 0);

      if (!same)
        {
          *a_value = parts[i].a;
          *b_value = parts[i].b;
          return parts[i].part;
        }
    }
  return NULL;
}

void
hl_x509_values_clear (HlX509Values *values)
{
  g_free (values->version);
  g_free (values->serial);
  g_free (values->signature);
  g_free (values->issuer);
  g_free (values->subject);
  g_free (values->not_before);
  g_free (values->not_after);
  g_free (values->public_key);
  g_free (values->alt_names);
  g_free (values->key_usage);
  g_free (values->extended_key_usage);
  g_free (values->basic_constraints);
  memset (values, 0, sizeof *values);
}

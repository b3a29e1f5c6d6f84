/* hl-decoder.c: handshake message bytes to a tree of named fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-decoder-private.h"
#include "hl-x509.h"

typedef struct
{
  guint16       tls_version;
  gboolean      from_server;
  guint16       cipher_suite;
  gboolean      hello_retry_request;
  GPtrArray    *notes;            /* what the decoder assumed, for the root's value */
} Decoder;

typedef void (*BodyDecoder) (Decoder  *self,
                             HlReader *body);

/* SHA-256 of "HelloRetryRequest" (RFC 8446, section 4.1.3) */
static const guint8 hello_retry_request_random[32] = {
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* The last 8 bytes of a TLS 1.3 server's random when it negotiates less */
static const guint8 downgrade_sentinel[7] = { 'D', 'O', 'W', 'N', 'G', 'R', 'D' };

static void
note (Decoder    *self,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
note (Decoder    *self,
      const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (self->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Bounded look-ahead used to recognise a layout when the version is not
 * known: the size of count consecutive vectors starting at offset, or
 * G_MAXSIZE when they do not fit in the window */
static gsize
peek_vectors (const HlReader *reader,
              gsize           offset,
              const guint    *length_bytes,
              guint           count)
{
  gsize at = offset;

  for (guint i = 0; i < count; i++)
    {
      if (at > hl_reader_left (reader) || length_bytes[i] > hl_reader_left (reader) - at)
        return G_MAXSIZE;
      at += length_bytes[i] + hl_reader_peek_uint (reader, at, length_bytes[i]);
    }
  if (at > hl_reader_left (reader))
    return G_MAXSIZE;
  return at - offset;
}

/* Decides between the TLS 1.3 and TLS 1.2 layouts of a message: from the
 * context when it says, otherwise by which layout the bytes fit */
static gboolean
choose_tls13 (Decoder  *self,
              gboolean  fits_13,
              gboolean  fits_12)
{
  if (self->tls_version >= 0x0304)
    {
      note (self, "TLS 1.3 layout (negotiated version)");
      return TRUE;
    }
  if (self->tls_version != 0)
    {
      note (self, "TLS 1.2 layout (negotiated version)");
      return FALSE;
    }
  if (fits_13 || !fits_12)
    {
      note (self, "TLS 1.3 layout (no version given; %s)",
            fits_13 ? "the bytes fit it" : "the bytes fit neither layout");
      return TRUE;
    }
  note (self, "TLS 1.2 layout (no version given; the bytes fit it)");
  return FALSE;
}

static void
note_direction (Decoder *self)
{
  note (self, "from the %s", self->from_server ? "server" : "client");
}

static void
decode_random (Decoder  *self,
               HlReader *body)
{
  g_autofree char *hex = NULL;
  g_autofree char *value = NULL;
  const guint8 *random;

  if (!hl_reader_need (body, 32, "random"))
    return;
  random = body->data + body->pos;
  hex = hl_hex_preview (random, 32);
  if (memcmp (random, hello_retry_request_random, 32) == 0)
    value = g_strdup ("HelloRetryRequest (SHA-256 of \"HelloRetryRequest\")");
  else if (memcmp (random + 24, downgrade_sentinel, 7) == 0 && random[31] <= 1)
    value = g_strdup_printf ("%s (ends with the downgrade sentinel: the server supports %s)", hex,
                             random[31] == 1 ? "TLS 1.3 but negotiated TLS 1.2"
                                             : "TLS 1.2 or higher but negotiated less");
  hl_reader_leaf (body, "random", 32, value != NULL ? value : hex);
}

static void
decode_client_hello (Decoder  *self,
                     HlReader *body)
{
  hl_reader_enum (body, "legacy_version", 2, HL_REGISTRY_VERSION, NULL);
  decode_random (self, body);
  hl_reader_opaque_vector (body, "legacy_session_id", 1, FALSE);
  hl_reader_enum_list (body, "cipher_suites", 2, "cipher_suite", 2,
                       HL_REGISTRY_CIPHER_SUITE, "cipher suites");
  hl_reader_enum_list (body, "legacy_compression_methods", 1, "compression_method", 1,
                       HL_REGISTRY_COMPRESSION_METHOD, "methods");
  /* SSL 3.0-era hellos may end without extensions */
  if (!hl_reader_at_end (body))
    hl_decode_extensions (body, HL_EXT_CLIENT_HELLO);
}

static void
decode_server_hello (Decoder  *self,
                     HlReader *body)
{
  HlField *version;
  HlField *selected;

  hl_reader_enum (body, "legacy_version", 2, HL_REGISTRY_VERSION, NULL);
  decode_random (self, body);
  hl_reader_opaque_vector (body, "legacy_session_id_echo", 1, FALSE);
  hl_reader_enum (body, "cipher_suite", 2, HL_REGISTRY_CIPHER_SUITE, NULL);
  hl_reader_enum (body, "legacy_compression_method", 1, HL_REGISTRY_COMPRESSION_METHOD, NULL);
  if (!hl_reader_at_end (body))
    hl_decode_extensions (body, self->hello_retry_request ? HL_EXT_HELLO_RETRY_REQUEST
                                                          : HL_EXT_SERVER_HELLO);

  selected = hl_field_find (body->parent, "selected_version");
  version = hl_field_find (body->parent, "legacy_version");
  if (selected != NULL)
    note (self, "%s (supported_versions)", hl_field_get_value (selected));
  else if (version != NULL)
    note (self, "%s (legacy_version; no supported_versions)", hl_field_get_value (version));
}

static void
decode_encrypted_extensions (Decoder  *self,
                             HlReader *body)
{
  hl_decode_extensions (body, HL_EXT_ENCRYPTED_EXTENSIONS);
}

/* cert_data / ASN.1Cert: a 3-byte length then the DER */
static HlField *
decode_cert_vector (HlReader   *reader,
                    const char *name)
{
  HlReader der;
  HlField *field;
  HlField *cert;

  field = hl_reader_vector (reader, name, 3, &der);
  if (field == NULL)
    return NULL;
  if (hl_reader_left (&der) == 0)
    hl_reader_error (&der, "%s is empty: a certificate needs at least one byte", name);
  else
    {
      hl_decode_x509 (&der, "x509_certificate", hl_reader_left (&der));
      cert = hl_field_get_child (field, hl_field_get_n_children (field) - 1);
      hl_field_set_value (field, hl_field_get_value (cert));
    }
  return field;
}

static void
decode_certificate_13 (Decoder  *self,
                       HlReader *body)
{
  HlReader list;
  HlField *field;
  guint count = 0;

  hl_reader_opaque_vector (body, "certificate_request_context", 1, FALSE);
  field = hl_reader_vector (body, "certificate_list", 3, &list);
  if (field == NULL)
    return;
  while (!hl_reader_at_end (&list))
    {
      static const guint lengths[] = { 3, 2 };
      HlReader entry;
      HlField *entry_field;
      HlField *cert;
      gsize size;

      size = peek_vectors (&list, 0, lengths, 2);
      if (size == G_MAXSIZE)
        size = hl_reader_left (&list);
      entry_field = hl_reader_struct (&list, "certificate_entry", size, &entry);
      if (entry_field == NULL)
        break;
      cert = decode_cert_vector (&entry, "cert_data");
      if (cert != NULL)
        hl_field_set_value (entry_field, hl_field_get_value (cert));
      /* every CertificateEntry ends with its extensions, if only an empty list */
      if (cert != NULL)
        hl_decode_extensions (&entry, HL_EXT_CERTIFICATE);
      hl_reader_finish (&entry);
      count++;
    }
  {
    g_autofree char *value = hl_count_text (count, "certificate", "certificates");
    hl_field_set_value (field, value);
  }
}

static void
decode_certificate_12 (Decoder  *self,
                       HlReader *body)
{
  HlReader list;
  HlField *field;
  guint count = 0;

  field = hl_reader_vector (body, "certificate_list", 3, &list);
  if (field == NULL)
    return;
  while (!hl_reader_at_end (&list) && decode_cert_vector (&list, "ASN.1Cert") != NULL)
    count++;
  {
    g_autofree char *value = hl_count_text (count, "certificate", "certificates");
    hl_field_set_value (field, value);
  }
}

static void
decode_certificate (Decoder  *self,
                    HlReader *body)
{
  static const guint layout_13[] = { 1, 3 };
  static const guint layout_12[] = { 3 };
  gboolean fits_13 = peek_vectors (body, 0, layout_13, 2) == hl_reader_left (body);
  gboolean fits_12 = peek_vectors (body, 0, layout_12, 1) == hl_reader_left (body);

  note_direction (self);
  if (choose_tls13 (self, fits_13, fits_12))
    decode_certificate_13 (self, body);
  else
    decode_certificate_12 (self, body);
}

static void
decode_distinguished_names (HlReader   *reader,
                            const char *name)
{
  HlReader list;
  HlField *field;
  guint count = 0;

  field = hl_reader_vector (reader, name, 2, &list);
  if (field == NULL)
    return;
  while (!hl_reader_at_end (&list))
    {
      HlField *dn = hl_reader_opaque_vector (&list, "distinguished_name", 2, FALSE);
      g_autofree char *text = NULL;

      if (dn == NULL)
        break;
      text = hl_x509_dn_to_string (list.data + hl_field_get_offset (dn) + 2,
                                   hl_field_get_length (dn) - 2);
      if (text != NULL)
        hl_field_set_value (dn, text);
      count++;
    }
  {
    g_autofree char *value = hl_count_text (count, "name", "names");
    hl_field_set_value (field, value);
  }
}

static void
decode_certificate_request (Decoder  *self,
                            HlReader *body)
{
  static const guint layout_13[] = { 1, 2 };
  static const guint layout_12[] = { 1, 2, 2 };
  gboolean fits_13 = peek_vectors (body, 0, layout_13, 2) == hl_reader_left (body);
  gboolean fits_12 = peek_vectors (body, 0, layout_12, 3) == hl_reader_left (body);

  if (choose_tls13 (self, fits_13, fits_12))
    {
      hl_reader_opaque_vector (body, "certificate_request_context", 1, FALSE);
      hl_decode_extensions (body, HL_EXT_CERTIFICATE_REQUEST);
      return;
    }
  hl_reader_enum_list (body, "certificate_types", 1, "certificate_type", 1,
                       HL_REGISTRY_CLIENT_CERTIFICATE_TYPE, "types");
  hl_reader_enum_list (body, "supported_signature_algorithms", 2, "signature_scheme", 2,
                       HL_REGISTRY_SIGNATURE_SCHEME, "schemes");
  decode_distinguished_names (body, "certificate_authorities");
}

static void
decode_certificate_verify (Decoder  *self,
                           HlReader *body)
{
  note_direction (self);
  hl_reader_enum (body, "algorithm", 2, HL_REGISTRY_SIGNATURE_SCHEME, NULL);
  hl_reader_opaque_vector (body, "signature", 2, FALSE);
}

static HlKeyExchange
key_exchange_from_suite (Decoder *self)
{
  HlKeyExchange kx = HL_KEY_EXCHANGE_UNKNOWN;

  if (self->cipher_suite != 0)
    kx = hl_registry_cipher_suite_key_exchange (self->cipher_suite);
  if (kx != HL_KEY_EXCHANGE_UNKNOWN && kx != HL_KEY_EXCHANGE_NONE)
    {
      g_autofree char *suite = hl_registry_describe (HL_REGISTRY_CIPHER_SUITE, self->cipher_suite);

      note (self, "key exchange of %s", suite);
      return kx;
    }
  return HL_KEY_EXCHANGE_UNKNOWN;
}

static void
decode_ec_params (HlReader *reader)
{
  HlReader params;
  HlReader curve;
  HlField *field;
  guint32 curve_type;
  guint32 group;
  gsize size = hl_reader_left (reader);

  /* ServerECDHParams: curve_params then the public point */
  if (hl_reader_left (reader) >= 4 && reader->data[reader->pos] == 3)
    {
      static const guint point[] = { 1 };
      gsize point_size = peek_vectors (reader, 3, point, 1);

      if (point_size != G_MAXSIZE)
        size = 3 + point_size;
    }
  field = hl_reader_struct (reader, "params", size, &params);
  if (field == NULL)
    return;
  if (hl_reader_struct (&params, "curve_params", MIN (3, hl_reader_left (&params)), &curve) == NULL)
    return;
  if (!hl_reader_enum (&curve, "curve_type", 1, HL_REGISTRY_EC_CURVE_TYPE, &curve_type))
    return;
  if (curve_type != 3)
    {
      /* explicit curves (deprecated) have a layout of their own */
      hl_reader_rest (&curve, "curve");
      hl_reader_rest (&params, "explicit_curve_parameters");
      return;
    }
  if (hl_reader_enum (&curve, "namedcurve", 2, HL_REGISTRY_NAMED_GROUP, &group))
    {
      g_autofree char *value = hl_registry_describe (HL_REGISTRY_NAMED_GROUP, group);

      hl_field_set_value (field, value);
    }
  hl_reader_opaque_vector (&params, "public", 1, FALSE);
  hl_reader_finish (&params);
}

static void
decode_dh_params (HlReader *reader)
{
  static const guint dh[] = { 2, 2, 2 };
  HlReader params;
  HlField *field;
  gsize size = peek_vectors (reader, 0, dh, 3);

  if (size == G_MAXSIZE)
    size = hl_reader_left (reader);
  field = hl_reader_struct (reader, "params", size, &params);
  if (field == NULL)
    return;
  hl_reader_opaque_vector (&params, "dh_p", 2, FALSE);
  hl_reader_opaque_vector (&params, "dh_g", 2, FALSE);
  hl_reader_opaque_vector (&params, "dh_Ys", 2, FALSE);
  if (hl_field_get_n_children (field) > 0 && !params.failed)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GSIZE_FORMAT "-bit group",
                                                (hl_field_get_length (hl_field_get_child (field, 0)) - 2) * 8);
      hl_field_set_value (field, value);
    }
  hl_reader_finish (&params);
}

static void
decode_signed_params (Decoder  *self,
                      HlReader *body)
{
  HlReader signed_params;

  if (hl_reader_at_end (body))
    return;
  if (hl_reader_struct (body, "signed_params", hl_reader_left (body), &signed_params) == NULL)
    return;
  if (self->tls_version == 0 || self->tls_version >= 0x0303)
    hl_reader_enum (&signed_params, "algorithm", 2, HL_REGISTRY_SIGNATURE_SCHEME, NULL);
  hl_reader_opaque_vector (&signed_params, "signature", 2, FALSE);
  hl_reader_finish (&signed_params);
}

/* Without the cipher suite: ECDHE params start with curve_type 3 and hold
 * together with a signature after them; otherwise DHE */
static gboolean
looks_like_ec_params (HlReader *body)
{
  static const guint point[] = { 1 };
  static const guint signature[] = { 2 };
  gsize point_size;
  gsize signature_size;

  if (hl_reader_left (body) < 4 || body->data[body->pos] != 3)
    return FALSE;
  point_size = peek_vectors (body, 3, point, 1);
  if (point_size == G_MAXSIZE)
    return FALSE;
  if (3 + point_size == hl_reader_left (body))
    return TRUE;
  signature_size = peek_vectors (body, 3 + point_size + 2, signature, 1);
  return signature_size != G_MAXSIZE && 3 + point_size + 2 + signature_size == hl_reader_left (body);
}

static void
decode_server_key_exchange (Decoder  *self,
                            HlReader *body)
{
  HlKeyExchange kx = key_exchange_from_suite (self);

  if (kx == HL_KEY_EXCHANGE_UNKNOWN)
    {
      kx = looks_like_ec_params (body) ? HL_KEY_EXCHANGE_ECDHE : HL_KEY_EXCHANGE_DHE;
      note (self, "%s parameters (no cipher suite given; recognised from the bytes)",
            kx == HL_KEY_EXCHANGE_ECDHE ? "ECDHE" : "DHE");
    }

  switch (kx)
    {
    case HL_KEY_EXCHANGE_PSK:
    case HL_KEY_EXCHANGE_RSA_PSK:
      hl_reader_opaque_vector (body, "psk_identity_hint", 2, TRUE);
      return;
    case HL_KEY_EXCHANGE_DHE_PSK:
      hl_reader_opaque_vector (body, "psk_identity_hint", 2, TRUE);
      decode_dh_params (body);
      return;
    case HL_KEY_EXCHANGE_ECDHE_PSK:
      hl_reader_opaque_vector (body, "psk_identity_hint", 2, TRUE);
      decode_ec_params (body);
      return;
    case HL_KEY_EXCHANGE_ECDHE:
    case HL_KEY_EXCHANGE_ECDH:
      decode_ec_params (body);
      break;
    case HL_KEY_EXCHANGE_RSA:
      /* only the long-gone export suites sent one (temporary RSA keys) */
      hl_reader_rest (body, "params");
      return;
    case HL_KEY_EXCHANGE_DHE:
    case HL_KEY_EXCHANGE_UNKNOWN:
    case HL_KEY_EXCHANGE_NONE:
    default:
      decode_dh_params (body);
      break;
    }
  decode_signed_params (self, body);
}

static void
decode_client_key_exchange (Decoder  *self,
                            HlReader *body)
{
  HlKeyExchange kx = key_exchange_from_suite (self);
  gsize left = hl_reader_left (body);

  if (kx == HL_KEY_EXCHANGE_UNKNOWN)
    {
      if (left >= 1 && (gsize) body->data[body->pos] + 1 == left)
        {
          kx = HL_KEY_EXCHANGE_ECDHE;
          note (self, "ECDHE public value (no cipher suite given; a 1-byte length fits)");
        }
      else
        {
          kx = HL_KEY_EXCHANGE_RSA;
          note (self, "RSA encrypted premaster secret (no cipher suite given; "
                "under DHE the same bytes are dh_Yc)");
        }
    }

  switch (kx)
    {
    case HL_KEY_EXCHANGE_PSK:
      hl_reader_opaque_vector (body, "psk_identity", 2, TRUE);
      break;
    case HL_KEY_EXCHANGE_DHE_PSK:
      hl_reader_opaque_vector (body, "psk_identity", 2, TRUE);
      hl_reader_opaque_vector (body, "dh_Yc", 2, FALSE);
      break;
    case HL_KEY_EXCHANGE_ECDHE_PSK:
      hl_reader_opaque_vector (body, "psk_identity", 2, TRUE);
      hl_reader_opaque_vector (body, "ecdh_Yc", 1, FALSE);
      break;
    case HL_KEY_EXCHANGE_RSA_PSK:
      hl_reader_opaque_vector (body, "psk_identity", 2, TRUE);
      hl_reader_opaque_vector (body, "encrypted_pre_master_secret", 2, FALSE);
      break;
    case HL_KEY_EXCHANGE_ECDHE:
    case HL_KEY_EXCHANGE_ECDH:
      hl_reader_opaque_vector (body, "ecdh_Yc", 1, FALSE);
      break;
    case HL_KEY_EXCHANGE_DHE:
      hl_reader_opaque_vector (body, "dh_Yc", 2, FALSE);
      break;
    case HL_KEY_EXCHANGE_RSA:
    case HL_KEY_EXCHANGE_UNKNOWN:
    case HL_KEY_EXCHANGE_NONE:
    default:
      hl_reader_opaque_vector (body, "encrypted_pre_master_secret", 2, FALSE);
      break;
    }
}

static void
decode_finished (Decoder  *self,
                 HlReader *body)
{
  note_direction (self);
  if (hl_reader_left (body) == 0)
    hl_reader_error (body, "verify_data is empty");
  else
    hl_reader_rest (body, "verify_data");
}

static void
decode_new_session_ticket (Decoder  *self,
                           HlReader *body)
{
  static const guint layout_13[] = { 1, 2, 2 };
  static const guint layout_12[] = { 2 };
  gboolean fits_13 = hl_reader_left (body) >= 8 &&
                     peek_vectors (body, 8, layout_13, 3) == hl_reader_left (body) - 8;
  gboolean fits_12 = hl_reader_left (body) >= 4 &&
                     peek_vectors (body, 4, layout_12, 1) == hl_reader_left (body) - 4;

  if (choose_tls13 (self, fits_13, fits_12))
    {
      hl_reader_uint (body, "ticket_lifetime", 4, NULL);
      hl_reader_uint (body, "ticket_age_add", 4, NULL);
      hl_reader_opaque_vector (body, "ticket_nonce", 1, FALSE);
      hl_reader_opaque_vector (body, "ticket", 2, FALSE);
      hl_decode_extensions (body, HL_EXT_NEW_SESSION_TICKET);
      return;
    }
  hl_reader_uint (body, "ticket_lifetime_hint", 4, NULL);
  hl_reader_opaque_vector (body, "ticket", 2, FALSE);
}

static void
decode_key_update (Decoder  *self,
                   HlReader *body)
{
  hl_reader_enum (body, "request_update", 1, HL_REGISTRY_KEY_UPDATE_REQUEST, NULL);
}

static void
decode_empty (Decoder  *self,
              HlReader *body)
{
  /* the body must be empty: hl_reader_finish() reports anything else */
}

static void
decode_certificate_status (Decoder  *self,
                           HlReader *body)
{
  hl_reader_enum (body, "status_type", 1, HL_REGISTRY_CERTIFICATE_STATUS_TYPE, NULL);
  hl_reader_opaque_vector (body, "response", 3, FALSE);
}

static void
decode_compressed_certificate (Decoder  *self,
                               HlReader *body)
{
  hl_reader_enum (body, "algorithm", 2, HL_REGISTRY_CERTIFICATE_COMPRESSION_ALGORITHM, NULL);
  hl_reader_uint (body, "uncompressed_length", 3, NULL);
  hl_reader_opaque_vector (body, "compressed_certificate_message", 3, FALSE);
}

static void
decode_message_hash (Decoder  *self,
                     HlReader *body)
{
  hl_reader_rest (body, "hash");
}

static void
decode_opaque_body (Decoder  *self,
                    HlReader *body)
{
  note (self, "no decoder for this message type: opaque body");
  hl_reader_rest (body, "body");
}

static BodyDecoder
lookup_body_decoder (guint type)
{
  switch (type)
    {
    case 0: return decode_empty;                 /* hello_request */
    case 1: return decode_client_hello;
    case 2: return decode_server_hello;
    case 4: return decode_new_session_ticket;
    case 5: return decode_empty;                 /* end_of_early_data */
    case 8: return decode_encrypted_extensions;
    case 11: return decode_certificate;
    case 12: return decode_server_key_exchange;
    case 13: return decode_certificate_request;
    case 14: return decode_empty;                /* server_hello_done */
    case 15: return decode_certificate_verify;
    case 16: return decode_client_key_exchange;
    case 20: return decode_finished;
    case 22: return decode_certificate_status;
    case 24: return decode_key_update;
    case 25: return decode_compressed_certificate;
    case 254: return decode_message_hash;
    default: return decode_opaque_body;
    }
}

static gboolean
is_hello_retry_request (const guint8 *data,
                        gsize         length)
{
  return length >= 4 + 2 + 32 && data[0] == 2 &&
         memcmp (data + 6, hello_retry_request_random, 32) == 0;
}

static void
decode_body (Decoder      *self,
             HlField      *root,
             const guint8 *data,
             gsize         length)
{
  HlReader message;
  HlReader body;
  gsize declared;
  gsize end;

  hl_reader_init (&message, data, 0, length, root);
  hl_reader_enum (&message, "msg_type", 1, HL_REGISTRY_HANDSHAKE_TYPE, NULL);
  if (!hl_reader_need (&message, 3, "the 4-byte handshake header"))
    return;
  hl_reader_uint (&message, "length", 3, NULL);

  declared = ((gsize) data[1] << 16) | ((gsize) data[2] << 8) | data[3];
  end = 4 + MIN (declared, length - 4);
  hl_reader_init (&body, data, 4, end, root);
  lookup_body_decoder (data[0]) (self, &body);
  hl_reader_finish (&body);

  message.pos = end;
  if (declared > length - 4)
    {
      g_autofree char *message_text =
        g_strdup_printf ("message truncated: its length says %" G_GSIZE_FORMAT " body bytes, only %"
                         G_GSIZE_FORMAT " are present", declared, length - 4);

      /* zero-length, at the end: the missing bytes are not there to cover */
      hl_field_append (root, hl_field_new_error (message_text, length, 0));
    }
  else if (end < length)
    hl_reader_error (&message, "%" G_GSIZE_FORMAT " bytes after the end of the message "
                     "(its length says %" G_GSIZE_FORMAT ")", length - end, declared);
}

gboolean
hl_decode_depends_on_version (guint8 type)
{
  switch (type)
    {
    case 1:   /* client_hello */
    case 2:   /* server_hello, hello_retry_request */
    case 5:   /* end_of_early_data */
    case 8:   /* encrypted_extensions */
    case 14:  /* server_hello_done */
    case 15:  /* certificate_verify */
    case 20:  /* finished */
    case 24:  /* key_update */
      return FALSE;
    default:
      return TRUE;
    }
}

/**
 * hl_decode_handshake_full:
 * @data: one handshake message, 4-byte header included
 * @length: its size
 * @context: (nullable): the negotiated version and who sent it
 * @cipher_suite: the negotiated cipher suite, or 0 when not known; it
 *   decides how TLS 1.2 key exchange messages are read
 *
 * Like hl_decode_handshake(), with the cipher suite.
 *
 * Returns: (transfer full): the message's field tree
 */
HlField *
hl_decode_handshake_full (const guint8          *data,
                          gsize                  length,
                          const HlDecodeContext *context,
                          guint16                cipher_suite)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(HlField) root = NULL;
  g_autofree char *value = NULL;
  Decoder self = { 0, };
  const char *name;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  self.tls_version = context != NULL ? context->tls_version : 0;
  self.from_server = context != NULL ? context->from_server : FALSE;
  self.cipher_suite = cipher_suite;
  self.hello_retry_request = is_hello_retry_request (data, length);
  self.notes = notes;

  name = length > 0 ? hl_registry_handshake_type_name (data[0]) : NULL;
  if (self.hello_retry_request)
    {
      name = "hello_retry_request";
      note (&self, "HelloRetryRequest: a server_hello with the special random");
    }
  root = hl_field_new (name != NULL ? name : "handshake", NULL, 0, length);

  if (length == 0)
    hl_field_append (root, hl_field_new_error ("empty message: no 4-byte header", 0, 0));
  else
    decode_body (&self, root, data, length);

  if (notes->len > 0)
    {
      g_ptr_array_add (notes, NULL);
      value = g_strjoinv ("; ", (char **) notes->pdata);
      hl_field_set_value (root, value);
    }
  return g_steal_pointer (&root);
}

/**
 * hl_decode_handshake:
 * @data: one handshake message, 4-byte header included
 * @length: its size
 * @context: (nullable): the negotiated version and who sent it
 *
 * Never fails: malformed input gives the fields decoded so far plus an
 * error field saying what was wrong and where.
 *
 * Returns: (transfer full): the message's field tree
 */
HlField *
hl_decode_handshake (const guint8          *data,
                     gsize                  length,
                     const HlDecodeContext *context)
{
  return hl_decode_handshake_full (data, length, context, 0);
}

/**
 * hl_decode_parse_input:
 * @data: file contents
 * @length: their size
 * @was_hex: (out) (optional): whether they were read as hex
 *
 * Returns: (transfer full): the message bytes
 */
GBytes *
hl_decode_parse_input (const guint8 *data,
                       gsize         length,
                       gboolean     *was_hex)
{
  g_autoptr(GByteArray) bytes = NULL;
  gsize digits = 0;
  int high = -1;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  for (gsize i = 0; i < length; i++)
    {
      if (g_ascii_isxdigit (data[i]))
        digits++;
      else if (!g_ascii_isspace (data[i]))
        break;
      if (i + 1 == length && digits > 0 && digits % 2 == 0)
        bytes = g_byte_array_sized_new (digits / 2);
    }

  if (was_hex != NULL)
    *was_hex = bytes != NULL;
  if (bytes == NULL)
    return g_bytes_new (data, length);

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isxdigit (data[i]))
        continue;
      if (high < 0)
        high = g_ascii_xdigit_value (data[i]);
      else
        {
          guint8 byte = (guint8) ((high << 4) | g_ascii_xdigit_value (data[i]));

          g_byte_array_append (bytes, &byte, 1);
          high = -1;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

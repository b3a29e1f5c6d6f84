/* hl-decoder-extensions.c: the extensions of hello, encrypted_extensions,
 * certificate, certificate_request and new_session_ticket messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-decoder-private.h"
#include "hl-x509.h"

typedef void (*ExtensionDecoder) (HlReader     *reader,
                                  HlExtContext  context);

static void
decode_server_name (HlReader     *reader,
                    HlExtContext  context)
{
  HlReader list;
  HlField *field;
  guint count = 0;

  /* The server answers with an empty extension */
  if (context != HL_EXT_CLIENT_HELLO)
    return;

  field = hl_reader_vector (reader, "server_name_list", 2, &list);
  if (field == NULL)
    return;
  while (!hl_reader_at_end (&list))
    {
      HlReader entry;
      HlField *name;
      HlField *host;
      guint32 name_type;

      if (!hl_reader_need (&list, 3, "server_name"))
        break;
      name_type = hl_reader_peek_uint (&list, 0, 1);
      if (name_type != 0)
        {
          /* An unknown name_type has an unknown layout: keep the rest opaque */
          name = hl_reader_struct (&list, "server_name", hl_reader_left (&list), &entry);
          hl_reader_enum (&entry, "name_type", 1, HL_REGISTRY_SERVER_NAME_TYPE, NULL);
          hl_reader_rest (&entry, "name");
          break;
        }
      name = hl_reader_struct (&list, "server_name", 3 + hl_reader_peek_uint (&list, 1, 2), &entry);
      if (name == NULL)
        break;
      hl_reader_enum (&entry, "name_type", 1, HL_REGISTRY_SERVER_NAME_TYPE, NULL);
      host = hl_reader_opaque_vector (&entry, "host_name", 2, TRUE);
      if (host != NULL)
        hl_field_set_value (name, hl_field_get_value (host));
      count++;
    }
  hl_reader_finish (&list);
  if (count == 1)
    hl_field_set_value (field, hl_field_get_value (hl_field_get_child (field, 1)));
}

static void
decode_max_fragment_length (HlReader     *reader,
                            HlExtContext  context)
{
  hl_reader_enum (reader, "max_fragment_length", 1, HL_REGISTRY_MAX_FRAGMENT_LENGTH, NULL);
}

static void
decode_status_request (HlReader     *reader,
                       HlExtContext  context)
{
  guint32 status_type = 0;

  /* Empty in a TLS 1.2 ServerHello; a CertificateStatus in a TLS 1.3
   * CertificateEntry; a CertificateStatusRequest from the client */
  if (hl_reader_left (reader) == 0)
    return;
  if (!hl_reader_enum (reader, "status_type", 1, HL_REGISTRY_CERTIFICATE_STATUS_TYPE, &status_type))
    return;
  if (context == HL_EXT_CERTIFICATE)
    {
      hl_reader_opaque_vector (reader, "response", 3, FALSE);
      return;
    }
  if (status_type != 1)
    {
      hl_reader_rest (reader, "request");
      return;
    }
  hl_reader_opaque_vector (reader, "responder_id_list", 2, FALSE);
  hl_reader_opaque_vector (reader, "request_extensions", 2, FALSE);
}

static void
decode_supported_groups (HlReader     *reader,
                         HlExtContext  context)
{
  hl_reader_enum_list (reader, "named_group_list", 2, "named_group", 2,
                       HL_REGISTRY_NAMED_GROUP, "groups");
}

static void
decode_ec_point_formats (HlReader     *reader,
                         HlExtContext  context)
{
  hl_reader_enum_list (reader, "ec_point_format_list", 1, "ec_point_format", 1,
                       HL_REGISTRY_EC_POINT_FORMAT, "formats");
}

static void
decode_signature_algorithms (HlReader     *reader,
                             HlExtContext  context)
{
  hl_reader_enum_list (reader, "supported_signature_algorithms", 2, "signature_scheme", 2,
                       HL_REGISTRY_SIGNATURE_SCHEME, "schemes");
}

static void
decode_alpn (HlReader     *reader,
             HlExtContext  context)
{
  g_autoptr(GString) names = g_string_new (NULL);
  HlReader list;
  HlField *field;

  field = hl_reader_vector (reader, "protocol_name_list", 2, &list);
  if (field == NULL)
    return;
  while (!hl_reader_at_end (&list))
    {
      HlField *name = hl_reader_opaque_vector (&list, "protocol_name", 1, TRUE);

      if (name == NULL)
        break;
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", hl_field_get_value (name));
    }
  hl_field_set_value (field, names->str);
}

static void
decode_sct_list (HlReader     *reader,
                 HlExtContext  context)
{
  HlReader list;
  guint count = 0;

  /* The client's request is empty */
  if (context == HL_EXT_CLIENT_HELLO || hl_reader_left (reader) == 0)
    return;
  if (hl_reader_vector (reader, "signed_certificate_timestamp_list", 2, &list) == NULL)
    return;
  while (!hl_reader_at_end (&list) &&
         hl_reader_opaque_vector (&list, "serialized_sct", 2, FALSE) != NULL)
    count++;
}

static void
decode_padding (HlReader     *reader,
                HlExtContext  context)
{
  gsize n = hl_reader_left (reader);
  gboolean zero = TRUE;
  g_autofree char *value = NULL;

  for (gsize i = 0; i < n; i++)
    zero = zero && reader->data[reader->pos + i] == 0;
  if (n == 0)
    return;
  value = g_strdup_printf ("%" G_GSIZE_FORMAT " %s bytes", n, zero ? "zero" : "non-zero");
  hl_reader_leaf (reader, "padding", n, value);
}

static void
decode_compress_certificate (HlReader     *reader,
                             HlExtContext  context)
{
  hl_reader_enum_list (reader, "algorithms", 1, "algorithm", 2,
                       HL_REGISTRY_CERTIFICATE_COMPRESSION_ALGORITHM, "algorithms");
}

static void
decode_record_size_limit (HlReader     *reader,
                          HlExtContext  context)
{
  hl_reader_uint (reader, "record_size_limit", 2, NULL);
}

static void
decode_session_ticket (HlReader     *reader,
                       HlExtContext  context)
{
  hl_reader_rest (reader, "ticket");
}

static void
decode_pre_shared_key (HlReader     *reader,
                       HlExtContext  context)
{
  HlReader identities;
  HlReader binders;
  HlField *field;
  guint count = 0;

  if (context != HL_EXT_CLIENT_HELLO)
    {
      hl_reader_uint (reader, "selected_identity", 2, NULL);
      return;
    }

  field = hl_reader_vector (reader, "identities", 2, &identities);
  if (field == NULL)
    return;
  while (!hl_reader_at_end (&identities))
    {
      HlReader identity;
      HlField *entry;

      if (!hl_reader_need (&identities, 2, "identity"))
        break;
      entry = hl_reader_struct (&identities, "psk_identity",
                                2 + hl_reader_peek_uint (&identities, 0, 2) + 4, &identity);
      if (entry == NULL)
        break;
      hl_reader_opaque_vector (&identity, "identity", 2, FALSE);
      hl_reader_uint (&identity, "obfuscated_ticket_age", 4, NULL);
      hl_field_set_value (entry, hl_field_get_value (hl_field_get_child (entry, 0)));
      count++;
    }
  {
    g_autofree char *value = hl_count_text (count, "identity", "identities");
    hl_field_set_value (field, value);
  }

  field = hl_reader_vector (reader, "binders", 2, &binders);
  if (field == NULL)
    return;
  count = 0;
  while (!hl_reader_at_end (&binders) &&
         hl_reader_opaque_vector (&binders, "psk_binder_entry", 1, FALSE) != NULL)
    count++;
  {
    g_autofree char *value = hl_count_text (count, "binder", "binders");
    hl_field_set_value (field, value);
  }
}

static void
decode_early_data (HlReader     *reader,
                   HlExtContext  context)
{
  if (context == HL_EXT_NEW_SESSION_TICKET)
    hl_reader_uint (reader, "max_early_data_size", 4, NULL);
}

static void
decode_supported_versions (HlReader     *reader,
                           HlExtContext  context)
{
  if (context == HL_EXT_CLIENT_HELLO)
    hl_reader_enum_list (reader, "versions", 1, "version", 2, HL_REGISTRY_VERSION, "versions");
  else
    hl_reader_enum (reader, "selected_version", 2, HL_REGISTRY_VERSION, NULL);
}

static void
decode_cookie (HlReader     *reader,
               HlExtContext  context)
{
  hl_reader_opaque_vector (reader, "cookie", 2, FALSE);
}

static void
decode_psk_key_exchange_modes (HlReader     *reader,
                               HlExtContext  context)
{
  hl_reader_enum_list (reader, "ke_modes", 1, "ke_mode", 1,
                       HL_REGISTRY_PSK_KEY_EXCHANGE_MODE, "modes");
}

static void
decode_certificate_authorities (HlReader     *reader,
                                HlExtContext  context)
{
  HlReader list;
  guint count = 0;
  HlField *field;

  field = hl_reader_vector (reader, "authorities", 2, &list);
  if (field == NULL)
    return;
  while (!hl_reader_at_end (&list))
    {
      HlField *name = hl_reader_opaque_vector (&list, "distinguished_name", 2, FALSE);
      g_autofree char *text = NULL;

      if (name == NULL)
        break;
      text = hl_x509_dn_to_string (list.data + hl_field_get_offset (name) + 2,
                                   hl_field_get_length (name) - 2);
      if (text != NULL)
        hl_field_set_value (name, text);
      count++;
    }
  {
    g_autofree char *value = hl_count_text (count, "name", "names");
    hl_field_set_value (field, value);
  }
}

static void
decode_oid_filters (HlReader     *reader,
                    HlExtContext  context)
{
  HlReader list;

  if (hl_reader_vector (reader, "filters", 2, &list) == NULL)
    return;
  while (!hl_reader_at_end (&list))
    {
      HlReader filter;
      gsize oid_length;
      gsize values_length;

      if (!hl_reader_need (&list, 1, "oid_filter"))
        break;
      oid_length = hl_reader_peek_uint (&list, 0, 1);
      if (!hl_reader_need (&list, 1 + oid_length + 2, "oid_filter"))
        break;
      values_length = hl_reader_peek_uint (&list, 1 + oid_length, 2);
      if (hl_reader_struct (&list, "oid_filter", 1 + oid_length + 2 + values_length, &filter) == NULL)
        break;
      hl_reader_opaque_vector (&filter, "certificate_extension_oid", 1, FALSE);
      hl_reader_opaque_vector (&filter, "certificate_extension_values", 2, FALSE);
    }
}

static gboolean
decode_key_share_entry (HlReader   *reader,
                        const char *name)
{
  g_autofree char *group_name = NULL;
  HlReader entry;
  HlField *field;

  if (!hl_reader_need (reader, 4, name))
    return FALSE;
  field = hl_reader_struct (reader, name, 4 + hl_reader_peek_uint (reader, 2, 2), &entry);
  if (field == NULL)
    return FALSE;
  group_name = hl_registry_describe (HL_REGISTRY_NAMED_GROUP, hl_reader_peek_uint (&entry, 0, 2));
  hl_field_set_value (field, group_name);
  hl_reader_enum (&entry, "group", 2, HL_REGISTRY_NAMED_GROUP, NULL);
  hl_reader_opaque_vector (&entry, "key_exchange", 2, FALSE);
  return TRUE;
}

static void
decode_key_share (HlReader     *reader,
                  HlExtContext  context)
{
  HlReader list;
  HlField *field;
  guint count = 0;

  switch (context)
    {
    case HL_EXT_HELLO_RETRY_REQUEST:
      hl_reader_enum (reader, "selected_group", 2, HL_REGISTRY_NAMED_GROUP, NULL);
      return;
    case HL_EXT_SERVER_HELLO:
      decode_key_share_entry (reader, "server_share");
      return;
    case HL_EXT_CLIENT_HELLO:
    case HL_EXT_ENCRYPTED_EXTENSIONS:
    case HL_EXT_CERTIFICATE:
    case HL_EXT_CERTIFICATE_REQUEST:
    case HL_EXT_NEW_SESSION_TICKET:
    default:
      break;
    }

  field = hl_reader_vector (reader, "client_shares", 2, &list);
  if (field == NULL)
    return;
  while (!hl_reader_at_end (&list) && decode_key_share_entry (&list, "key_share_entry"))
    count++;
  {
    g_autofree char *value = hl_count_text (count, "share", "shares");
    hl_field_set_value (field, value);
  }
}

static void
decode_renegotiation_info (HlReader     *reader,
                           HlExtContext  context)
{
  hl_reader_opaque_vector (reader, "renegotiated_connection", 1, FALSE);
}

static void
decode_encrypted_client_hello (HlReader     *reader,
                               HlExtContext  context)
{
  guint32 type = 0;
  HlReader suite;

  switch (context)
    {
    case HL_EXT_HELLO_RETRY_REQUEST:
      hl_reader_opaque (reader, "confirmation", 8);
      return;
    case HL_EXT_ENCRYPTED_EXTENSIONS:
      hl_reader_rest (reader, "retry_configs");
      return;
    case HL_EXT_CLIENT_HELLO:
      break;
    case HL_EXT_SERVER_HELLO:
    case HL_EXT_CERTIFICATE:
    case HL_EXT_CERTIFICATE_REQUEST:
    case HL_EXT_NEW_SESSION_TICKET:
    default:
      hl_reader_rest (reader, "extension_data");
      return;
    }

  if (!hl_reader_need (reader, 1, "type"))
    return;
  type = hl_reader_peek_uint (reader, 0, 1);
  hl_reader_leaf (reader, "type", 1, type == 0 ? "outer (0)" : type == 1 ? "inner (1)" : "unknown");
  if (type != 0)
    {
      hl_reader_rest (reader, "payload");
      return;
    }
  if (hl_reader_struct (reader, "cipher_suite", 4, &suite) != NULL)
    {
      hl_reader_enum (&suite, "kdf_id", 2, HL_REGISTRY_HPKE_KDF, NULL);
      hl_reader_enum (&suite, "aead_id", 2, HL_REGISTRY_HPKE_AEAD, NULL);
    }
  hl_reader_uint (reader, "config_id", 1, NULL);
  hl_reader_opaque_vector (reader, "enc", 2, FALSE);
  hl_reader_opaque_vector (reader, "payload", 2, FALSE);
}

static void
decode_empty (HlReader     *reader,
              HlExtContext  context)
{
  /* Nothing to read: hl_reader_finish() reports any bytes */
}

static void
decode_opaque (HlReader     *reader,
               HlExtContext  context)
{
  hl_reader_rest (reader, "extension_data");
}

static ExtensionDecoder
lookup_decoder (guint16 type)
{
  switch (type)
    {
    case 0: return decode_server_name;
    case 1: return decode_max_fragment_length;
    case 5: return decode_status_request;
    case 10: return decode_supported_groups;
    case 11: return decode_ec_point_formats;
    case 13: return decode_signature_algorithms;
    case 16: return decode_alpn;
    case 18: return decode_sct_list;
    case 21: return decode_padding;
    case 22: return decode_empty;
    case 23: return decode_empty;
    case 27: return decode_compress_certificate;
    case 28: return decode_record_size_limit;
    case 35: return decode_session_ticket;
    case 41: return decode_pre_shared_key;
    case 42: return decode_early_data;
    case 43: return decode_supported_versions;
    case 44: return decode_cookie;
    case 45: return decode_psk_key_exchange_modes;
    case 47: return decode_certificate_authorities;
    case 48: return decode_oid_filters;
    case 49: return decode_empty;
    case 50: return decode_signature_algorithms;
    case 51: return decode_key_share;
    case 0xfe0d: return decode_encrypted_client_hello;
    case 0xff01: return decode_renegotiation_info;
    default: return decode_opaque;
    }
}

static void
decode_extension (HlReader     *list,
                  HlExtContext  context)
{
  g_autofree char *type_value = NULL;
  HlReader body;
  HlField *field;
  const char *name;
  guint16 type;
  guint32 length;

  if (!hl_reader_need (list, 4, "extension"))
    return;
  type = hl_reader_peek_uint (list, 0, 2);
  length = hl_reader_peek_uint (list, 2, 2);
  name = hl_registry_is_grease (type) ? "GREASE" : hl_registry_extension_type_name (type);
  if (name == NULL)
    name = "extension";
  type_value = hl_registry_describe (HL_REGISTRY_EXTENSION_TYPE, type);

  if (length > hl_reader_left (list) - 4)
    {
      /* the extension takes the rest of the list, with the error in it */
      field = hl_reader_struct (list, name, hl_reader_left (list), &body);
      hl_field_set_value (field, type_value);
      hl_reader_enum (&body, "extension_type", 2, HL_REGISTRY_EXTENSION_TYPE, NULL);
      hl_reader_uint (&body, "length", 2, NULL);
      hl_reader_error (&body, "extension length %u runs past the end of the extensions: "
                       "only %" G_GSIZE_FORMAT " bytes are left at offset %" G_GSIZE_FORMAT,
                       length, hl_reader_left (&body), body.pos);
      list->failed = TRUE;
      return;
    }

  field = hl_reader_struct (list, name, 4 + length, &body);
  hl_field_set_value (field, type_value);
  hl_reader_enum (&body, "extension_type", 2, HL_REGISTRY_EXTENSION_TYPE, NULL);
  hl_reader_uint (&body, "length", 2, NULL);
  if (hl_registry_is_grease (type))
    decode_opaque (&body, context);
  else
    lookup_decoder (type) (&body, context);
  hl_reader_finish (&body);
}

/* extensions<0..2^16-1>: the vector with one child per extension */
void
hl_decode_extensions (HlReader     *reader,
                      HlExtContext  context)
{
  g_autofree char *value = NULL;
  HlReader list;
  HlField *field;

  field = hl_reader_vector (reader, "extensions", 2, &list);
  if (field == NULL)
    return;
  while (!hl_reader_at_end (&list))
    decode_extension (&list, context);
  value = hl_count_text (hl_field_get_n_children (field) - 1, "extension", "extensions");
  hl_field_set_value (field, value);
}

/* hl-registry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-registry.h"

typedef struct
{
  guint       value;
  const char *name;
} HlName;

static const char *
lookup (const HlName *names,
        gsize         n_names,
        guint         value)
{
  for (gsize i = 0; i < n_names; i++)
    if (names[i].value == value)
      return names[i].name;
  return NULL;
}

static const HlName handshake_types[] = {
  { 0, "hello_request" },
  { 1, "client_hello" },
  { 2, "server_hello" },
  { 3, "hello_verify_request" },
  { 4, "new_session_ticket" },
  { 5, "end_of_early_data" },
  { 6, "hello_retry_request" },
  { 8, "encrypted_extensions" },
  { 11, "certificate" },
  { 12, "server_key_exchange" },
  { 13, "certificate_request" },
  { 14, "server_hello_done" },
  { 15, "certificate_verify" },
  { 16, "client_key_exchange" },
  { 20, "finished" },
  { 21, "certificate_url" },
  { 22, "certificate_status" },
  { 23, "supplemental_data" },
  { 24, "key_update" },
  { 25, "compressed_certificate" },
  { 254, "message_hash" },
  { 0x102, "hello_retry_request" },
};

static const HlName content_types[] = {
  { 20, "change_cipher_spec" },
  { 21, "alert" },
  { 22, "handshake" },
  { 23, "application_data" },
  { 24, "heartbeat" },
};

static const HlName alert_descriptions[] = {
  { 0, "close_notify" },
  { 10, "unexpected_message" },
  { 20, "bad_record_mac" },
  { 21, "decryption_failed" },
  { 22, "record_overflow" },
  { 30, "decompression_failure" },
  { 40, "handshake_failure" },
  { 41, "no_certificate" },
  { 42, "bad_certificate" },
  { 43, "unsupported_certificate" },
  { 44, "certificate_revoked" },
  { 45, "certificate_expired" },
  { 46, "certificate_unknown" },
  { 47, "illegal_parameter" },
  { 48, "unknown_ca" },
  { 49, "access_denied" },
  { 50, "decode_error" },
  { 51, "decrypt_error" },
  { 60, "export_restriction" },
  { 70, "protocol_version" },
  { 71, "insufficient_security" },
  { 80, "internal_error" },
  { 86, "inappropriate_fallback" },
  { 90, "user_canceled" },
  { 100, "no_renegotiation" },
  { 109, "missing_extension" },
  { 110, "unsupported_extension" },
  { 111, "certificate_unobtainable" },
  { 112, "unrecognized_name" },
  { 113, "bad_certificate_status_response" },
  { 114, "bad_certificate_hash_value" },
  { 115, "unknown_psk_identity" },
  { 116, "certificate_required" },
  { 120, "no_application_protocol" },
  { 121, "ech_required" },
};

static const HlName alert_levels[] = {
  { 1, "warning" },
  { 2, "fatal" },
};

static const HlName versions[] = {
  { 0x0300, "SSL 3.0" },
  { 0x0301, "TLS 1.0" },
  { 0x0302, "TLS 1.1" },
  { 0x0303, "TLS 1.2" },
  { 0x0304, "TLS 1.3" },
};

const char *
hl_registry_handshake_type_name (guint type)
{
  return lookup (handshake_types, G_N_ELEMENTS (handshake_types), type);
}

const char *
hl_registry_content_type_name (guint8 type)
{
  return lookup (content_types, G_N_ELEMENTS (content_types), type);
}

const char *
hl_registry_alert_description_name (guint8 description)
{
  return lookup (alert_descriptions, G_N_ELEMENTS (alert_descriptions), description);
}

const char *
hl_registry_alert_level_name (guint8 level)
{
  return lookup (alert_levels, G_N_ELEMENTS (alert_levels), level);
}

const char *
hl_registry_version_name (guint16 version)
{
  return lookup (versions, G_N_ELEMENTS (versions), version);
}

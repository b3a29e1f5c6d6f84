/* hl-registry.h: names from the IANA TLS registries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The registries hl_registry_describe() knows */
typedef enum
{
  HL_REGISTRY_HANDSHAKE_TYPE,
  HL_REGISTRY_CONTENT_TYPE,
  HL_REGISTRY_ALERT_DESCRIPTION,
  HL_REGISTRY_ALERT_LEVEL,
  HL_REGISTRY_VERSION,
  HL_REGISTRY_CIPHER_SUITE,
  HL_REGISTRY_NAMED_GROUP,
  HL_REGISTRY_SIGNATURE_SCHEME,
  HL_REGISTRY_EXTENSION_TYPE,
  HL_REGISTRY_CLIENT_CERTIFICATE_TYPE,
  HL_REGISTRY_CERTIFICATE_TYPE,
  HL_REGISTRY_PSK_KEY_EXCHANGE_MODE,
  HL_REGISTRY_EC_POINT_FORMAT,
  HL_REGISTRY_EC_CURVE_TYPE,
  HL_REGISTRY_COMPRESSION_METHOD,
  HL_REGISTRY_CERTIFICATE_COMPRESSION_ALGORITHM,
  HL_REGISTRY_CERTIFICATE_STATUS_TYPE,
  HL_REGISTRY_SERVER_NAME_TYPE,
  HL_REGISTRY_MAX_FRAGMENT_LENGTH,
  HL_REGISTRY_KEY_UPDATE_REQUEST,
  HL_REGISTRY_HEARTBEAT_MODE,
  HL_REGISTRY_HPKE_KDF,
  HL_REGISTRY_HPKE_AEAD,
} HlRegistry;

/* The key exchange a cipher suite implies (TLS 1.2 and earlier) */
typedef enum
{
  HL_KEY_EXCHANGE_UNKNOWN,
  HL_KEY_EXCHANGE_NONE,        /* TLS 1.3 suites: the key exchange is negotiated apart */
  HL_KEY_EXCHANGE_RSA,
  HL_KEY_EXCHANGE_DHE,
  HL_KEY_EXCHANGE_ECDHE,
  HL_KEY_EXCHANGE_ECDH,        /* fixed ECDH from the certificate */
  HL_KEY_EXCHANGE_PSK,
  HL_KEY_EXCHANGE_DHE_PSK,
  HL_KEY_EXCHANGE_ECDHE_PSK,
  HL_KEY_EXCHANGE_RSA_PSK,
} HlKeyExchange;

/* Each returns the registry identifier (e.g. "client_hello") or NULL */
const char *hl_registry_handshake_type_name    (guint   type);
const char *hl_registry_content_type_name      (guint8  type);
const char *hl_registry_alert_description_name (guint8  description);
const char *hl_registry_alert_level_name       (guint8  level);
const char *hl_registry_version_name           (guint16 version);

const char *hl_registry_cipher_suite_name                     (guint16 suite);
const char *hl_registry_named_group_name                      (guint16 group);
const char *hl_registry_signature_scheme_name                 (guint16 scheme);
const char *hl_registry_extension_type_name                   (guint16 type);
const char *hl_registry_client_certificate_type_name          (guint8  type);
const char *hl_registry_certificate_type_name                 (guint8  type);
const char *hl_registry_psk_key_exchange_mode_name            (guint8  mode);
const char *hl_registry_ec_point_format_name                  (guint8  format);
const char *hl_registry_ec_curve_type_name                    (guint8  type);
const char *hl_registry_compression_method_name               (guint8  method);
const char *hl_registry_certificate_compression_algorithm_name (guint16 algorithm);

const char *hl_registry_name                   (HlRegistry registry,
                                                guint      value);
gboolean    hl_registry_is_grease              (guint16    value);
HlKeyExchange hl_registry_cipher_suite_key_exchange (guint16 suite);

gboolean    hl_registry_self_check             (void);

/* "TLS_AES_128_GCM_SHA256 (0x1301)", "GREASE (0x0a0a)", "unknown (0x1234)" */
char       *hl_registry_describe               (HlRegistry registry,
                                                guint      value);

G_END_DECLS

/* test-registry.c: the IANA name tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>

#include "hl-registry.h"

static void
test_sorted (void)
{
  g_assert_true (hl_registry_self_check ());
}

static void
test_describe (void)
{
  static const struct { HlRegistry registry; guint value; const char *text; } cases[] = {
    { HL_REGISTRY_CIPHER_SUITE, 0x1301, "TLS_AES_128_GCM_SHA256 (0x1301)" },
    { HL_REGISTRY_CIPHER_SUITE, 0x1303, "TLS_CHACHA20_POLY1305_SHA256 (0x1303)" },
    { HL_REGISTRY_CIPHER_SUITE, 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)" },
    { HL_REGISTRY_CIPHER_SUITE, 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 (0xcca9)" },
    { HL_REGISTRY_CIPHER_SUITE, 0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (0x009e)" },
    { HL_REGISTRY_CIPHER_SUITE, 0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff)" },
    { HL_REGISTRY_CIPHER_SUITE, 0x5600, "TLS_FALLBACK_SCSV (0x5600)" },
    { HL_REGISTRY_CIPHER_SUITE, 0x2a2a, "GREASE (0x2a2a)" },
    { HL_REGISTRY_CIPHER_SUITE, 0x1234, "unknown (0x1234)" },
    { HL_REGISTRY_NAMED_GROUP, 0x001d, "x25519 (0x001d)" },
    { HL_REGISTRY_NAMED_GROUP, 0x0017, "secp256r1 (0x0017)" },
    { HL_REGISTRY_NAMED_GROUP, 0x0100, "ffdhe2048 (0x0100)" },
    { HL_REGISTRY_NAMED_GROUP, 0x11ec, "X25519MLKEM768 (0x11ec)" },
    { HL_REGISTRY_NAMED_GROUP, 0xfafa, "GREASE (0xfafa)" },
    { HL_REGISTRY_SIGNATURE_SCHEME, 0x0804, "rsa_pss_rsae_sha256 (0x0804)" },
    { HL_REGISTRY_SIGNATURE_SCHEME, 0x0807, "ed25519 (0x0807)" },
    { HL_REGISTRY_SIGNATURE_SCHEME, 0x0303, "ecdsa_sha224 (0x0303)" },
    { HL_REGISTRY_EXTENSION_TYPE, 0, "server_name (0)" },
    { HL_REGISTRY_EXTENSION_TYPE, 51, "key_share (51)" },
    { HL_REGISTRY_EXTENSION_TYPE, 0xff01, "renegotiation_info (0xff01)" },
    { HL_REGISTRY_EXTENSION_TYPE, 0xfe0d, "encrypted_client_hello (0xfe0d)" },
    { HL_REGISTRY_EXTENSION_TYPE, 0x0a0a, "GREASE (0x0a0a)" },
    { HL_REGISTRY_EXTENSION_TYPE, 0x7777, "unknown (0x7777)" },
    { HL_REGISTRY_ALERT_DESCRIPTION, 116, "certificate_required (116)" },
    { HL_REGISTRY_CLIENT_CERTIFICATE_TYPE, 64, "ecdsa_sign (64)" },
    { HL_REGISTRY_CERTIFICATE_TYPE, 2, "RawPublicKey (2)" },
    { HL_REGISTRY_PSK_KEY_EXCHANGE_MODE, 1, "psk_dhe_ke (1)" },
    { HL_REGISTRY_EC_POINT_FORMAT, 0, "uncompressed (0)" },
    { HL_REGISTRY_VERSION, 0x0304, "TLS 1.3 (0x0304)" },
    { HL_REGISTRY_HANDSHAKE_TYPE, 0x102, "hello_retry_request (0x0102)" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = hl_registry_describe (cases[i].registry, cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_names (void)
{
  g_assert_cmpstr (hl_registry_cipher_suite_name (0x1302), ==, "TLS_AES_256_GCM_SHA384");
  g_assert_null (hl_registry_cipher_suite_name (0x0a0a));
  g_assert_cmpstr (hl_registry_named_group_name (30), ==, "x448");
  g_assert_cmpstr (hl_registry_signature_scheme_name (0x0403), ==, "ecdsa_secp256r1_sha256");
  g_assert_cmpstr (hl_registry_extension_type_name (45), ==, "psk_key_exchange_modes");
  g_assert_cmpstr (hl_registry_psk_key_exchange_mode_name (0), ==, "psk_ke");
  g_assert_cmpstr (hl_registry_certificate_compression_algorithm_name (2), ==, "brotli");
  g_assert_cmpstr (hl_registry_handshake_type_name (1), ==, "client_hello");
  g_assert_cmpstr (hl_registry_alert_description_name (40), ==, "handshake_failure");
  g_assert_true (hl_registry_is_grease (0xdada));
  g_assert_false (hl_registry_is_grease (0x0a1a));
}

static void
test_key_exchange (void)
{
  g_assert_cmpint (hl_registry_cipher_suite_key_exchange (0xc02b), ==, HL_KEY_EXCHANGE_ECDHE);
  g_assert_cmpint (hl_registry_cipher_suite_key_exchange (0x009c), ==, HL_KEY_EXCHANGE_RSA);
  g_assert_cmpint (hl_registry_cipher_suite_key_exchange (0x009e), ==, HL_KEY_EXCHANGE_DHE);
  g_assert_cmpint (hl_registry_cipher_suite_key_exchange (0xc025), ==, HL_KEY_EXCHANGE_ECDH);
  g_assert_cmpint (hl_registry_cipher_suite_key_exchange (0xccac), ==, HL_KEY_EXCHANGE_ECDHE_PSK);
  g_assert_cmpint (hl_registry_cipher_suite_key_exchange (0x00a8), ==, HL_KEY_EXCHANGE_PSK);
  g_assert_cmpint (hl_registry_cipher_suite_key_exchange (0x1301), ==, HL_KEY_EXCHANGE_NONE);
  g_assert_cmpint (hl_registry_cipher_suite_key_exchange (0x7777), ==, HL_KEY_EXCHANGE_UNKNOWN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/registry/sorted", test_sorted);
  g_test_add_func ("/registry/describe", test_describe);
  g_test_add_func ("/registry/names", test_names);
  g_test_add_func ("/registry/key-exchange", test_key_exchange);

  return g_test_run ();
}

/* hl-registry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-field.h"
#include "hl-registry.h"

typedef struct
{
  guint       value;
  const char *name;
} HlName;

/* Every table is sorted by value (hl_registry_self_check() verifies it),
 * so a lookup is a binary search even for the long cipher suite table. */
static const char *
lookup (const HlName *names,
        gsize         n_names,
        guint         value)
{
  gsize lo = 0;
  gsize hi = n_names;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (names[mid].value == value)
        return names[mid].name;
      if (names[mid].value < value)
        lo = mid + 1;
      else
        hi = mid;
    }
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

static const HlName cipher_suites[] = {
  { 0x0000, "TLS_NULL_WITH_NULL_NULL" },
  { 0x0001, "TLS_RSA_WITH_NULL_MD5" },
  { 0x0002, "TLS_RSA_WITH_NULL_SHA" },
  { 0x0004, "TLS_RSA_WITH_RC4_128_MD5" },
  { 0x0005, "TLS_RSA_WITH_RC4_128_SHA" },
  { 0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA" },
  { 0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0x002c, "TLS_PSK_WITH_NULL_SHA" },
  { 0x002d, "TLS_DHE_PSK_WITH_NULL_SHA" },
  { 0x002e, "TLS_RSA_PSK_WITH_NULL_SHA" },
  { 0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA" },
  { 0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA" },
  { 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA" },
  { 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA" },
  { 0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA" },
  { 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA" },
  { 0x003b, "TLS_RSA_WITH_NULL_SHA256" },
  { 0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256" },
  { 0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256" },
  { 0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256" },
  { 0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA" },
  { 0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256" },
  { 0x006a, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256" },
  { 0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256" },
  { 0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA" },
  { 0x008a, "TLS_PSK_WITH_RC4_128_SHA" },
  { 0x008b, "TLS_PSK_WITH_3DES_EDE_CBC_SHA" },
  { 0x008c, "TLS_PSK_WITH_AES_128_CBC_SHA" },
  { 0x008d, "TLS_PSK_WITH_AES_256_CBC_SHA" },
  { 0x008f, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA" },
  { 0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA" },
  { 0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA" },
  { 0x0093, "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA" },
  { 0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA" },
  { 0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA" },
  { 0x0096, "TLS_RSA_WITH_SEED_CBC_SHA" },
  { 0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256" },
  { 0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384" },
  { 0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256" },
  { 0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384" },
  { 0x00a2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256" },
  { 0x00a3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384" },
  { 0x00a8, "TLS_PSK_WITH_AES_128_GCM_SHA256" },
  { 0x00a9, "TLS_PSK_WITH_AES_256_GCM_SHA384" },
  { 0x00aa, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256" },
  { 0x00ab, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384" },
  { 0x00ac, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256" },
  { 0x00ad, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384" },
  { 0x00ae, "TLS_PSK_WITH_AES_128_CBC_SHA256" },
  { 0x00af, "TLS_PSK_WITH_AES_256_CBC_SHA384" },
  { 0x00b0, "TLS_PSK_WITH_NULL_SHA256" },
  { 0x00b1, "TLS_PSK_WITH_NULL_SHA384" },
  { 0x00b2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256" },
  { 0x00b3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384" },
  { 0x00b6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256" },
  { 0x00b7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384" },
  { 0x00ba, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0x00bd, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0x00be, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0x00c0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256" },
  { 0x00c3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256" },
  { 0x00c4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256" },
  { 0x00c6, "TLS_SM4_GCM_SM3" },
  { 0x00c7, "TLS_SM4_CCM_SM3" },
  { 0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" },
  { 0x1301, "TLS_AES_128_GCM_SHA256" },
  { 0x1302, "TLS_AES_256_GCM_SHA384" },
  { 0x1303, "TLS_CHACHA20_POLY1305_SHA256" },
  { 0x1304, "TLS_AES_128_CCM_SHA256" },
  { 0x1305, "TLS_AES_128_CCM_8_SHA256" },
  { 0x1306, "TLS_AEGIS_256_SHA512" },
  { 0x1307, "TLS_AEGIS_128L_SHA256" },
  { 0x5600, "TLS_FALLBACK_SCSV" },
  { 0xc001, "TLS_ECDH_ECDSA_WITH_NULL_SHA" },
  { 0xc002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA" },
  { 0xc003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA" },
  { 0xc005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA" },
  { 0xc006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA" },
  { 0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA" },
  { 0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA" },
  { 0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA" },
  { 0xc00b, "TLS_ECDH_RSA_WITH_NULL_SHA" },
  { 0xc00c, "TLS_ECDH_RSA_WITH_RC4_128_SHA" },
  { 0xc00d, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc00e, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA" },
  { 0xc00f, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA" },
  { 0xc010, "TLS_ECDHE_RSA_WITH_NULL_SHA" },
  { 0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA" },
  { 0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA" },
  { 0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" },
  { 0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA" },
  { 0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256" },
  { 0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384" },
  { 0xc025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256" },
  { 0xc026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384" },
  { 0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256" },
  { 0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384" },
  { 0xc029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256" },
  { 0xc02a, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384" },
  { 0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" },
  { 0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" },
  { 0xc02d, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256" },
  { 0xc02e, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384" },
  { 0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" },
  { 0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" },
  { 0xc031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256" },
  { 0xc032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384" },
  { 0xc035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA" },
  { 0xc036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA" },
  { 0xc037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256" },
  { 0xc038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384" },
  { 0xc039, "TLS_ECDHE_PSK_WITH_NULL_SHA" },
  { 0xc03a, "TLS_ECDHE_PSK_WITH_NULL_SHA256" },
  { 0xc03b, "TLS_ECDHE_PSK_WITH_NULL_SHA384" },
  { 0xc03c, "TLS_RSA_WITH_ARIA_128_CBC_SHA256" },
  { 0xc03d, "TLS_RSA_WITH_ARIA_256_CBC_SHA384" },
  { 0xc044, "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256" },
  { 0xc045, "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384" },
  { 0xc048, "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256" },
  { 0xc049, "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384" },
  { 0xc04c, "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256" },
  { 0xc04d, "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384" },
  { 0xc050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256" },
  { 0xc051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384" },
  { 0xc052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256" },
  { 0xc053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384" },
  { 0xc05c, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256" },
  { 0xc05d, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384" },
  { 0xc060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256" },
  { 0xc061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384" },
  { 0xc06a, "TLS_PSK_WITH_ARIA_128_GCM_SHA256" },
  { 0xc06b, "TLS_PSK_WITH_ARIA_256_GCM_SHA384" },
  { 0xc06c, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256" },
  { 0xc06d, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384" },
  { 0xc06e, "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256" },
  { 0xc06f, "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384" },
  { 0xc072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256" },
  { 0xc077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384" },
  { 0xc07a, "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc07b, "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc07c, "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc07d, "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc086, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc087, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc08a, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256" },
  { 0xc08b, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384" },
  { 0xc09c, "TLS_RSA_WITH_AES_128_CCM" },
  { 0xc09d, "TLS_RSA_WITH_AES_256_CCM" },
  { 0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM" },
  { 0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM" },
  { 0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8" },
  { 0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8" },
  { 0xc0a2, "TLS_DHE_RSA_WITH_AES_128_CCM_8" },
  { 0xc0a3, "TLS_DHE_RSA_WITH_AES_256_CCM_8" },
  { 0xc0a4, "TLS_PSK_WITH_AES_128_CCM" },
  { 0xc0a5, "TLS_PSK_WITH_AES_256_CCM" },
  { 0xc0a6, "TLS_DHE_PSK_WITH_AES_128_CCM" },
  { 0xc0a7, "TLS_DHE_PSK_WITH_AES_256_CCM" },
  { 0xc0a8, "TLS_PSK_WITH_AES_128_CCM_8" },
  { 0xc0a9, "TLS_PSK_WITH_AES_256_CCM_8" },
  { 0xc0aa, "TLS_PSK_DHE_WITH_AES_128_CCM_8" },
  { 0xc0ab, "TLS_PSK_DHE_WITH_AES_256_CCM_8" },
  { 0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM" },
  { 0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM" },
  { 0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8" },
  { 0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8" },
  { 0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccab, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccac, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccad, "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xccae, "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256" },
  { 0xd001, "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256" },
  { 0xd002, "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384" },
  { 0xd003, "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256" },
  { 0xd005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256" },
};

static const HlName named_groups[] = {
  { 0x0001, "sect163k1" },
  { 0x0002, "sect163r1" },
  { 0x0003, "sect163r2" },
  { 0x0004, "sect193r1" },
  { 0x0005, "sect193r2" },
  { 0x0006, "sect233k1" },
  { 0x0007, "sect233r1" },
  { 0x0008, "sect239k1" },
  { 0x0009, "sect283k1" },
  { 0x000a, "sect283r1" },
  { 0x000b, "sect409k1" },
  { 0x000c, "sect409r1" },
  { 0x000d, "sect571k1" },
  { 0x000e, "sect571r1" },
  { 0x000f, "secp160k1" },
  { 0x0010, "secp160r1" },
  { 0x0011, "secp160r2" },
  { 0x0012, "secp192k1" },
  { 0x0013, "secp192r1" },
  { 0x0014, "secp224k1" },
  { 0x0015, "secp224r1" },
  { 0x0016, "secp256k1" },
  { 0x0017, "secp256r1" },
  { 0x0018, "secp384r1" },
  { 0x0019, "secp521r1" },
  { 0x001a, "brainpoolP256r1" },
  { 0x001b, "brainpoolP384r1" },
  { 0x001c, "brainpoolP512r1" },
  { 0x001d, "x25519" },
  { 0x001e, "x448" },
  { 0x001f, "brainpoolP256r1tls13" },
  { 0x0020, "brainpoolP384r1tls13" },
  { 0x0021, "brainpoolP512r1tls13" },
  { 0x0022, "GC256A" },
  { 0x0023, "GC256B" },
  { 0x0024, "GC256C" },
  { 0x0025, "GC256D" },
  { 0x0026, "GC512A" },
  { 0x0027, "GC512B" },
  { 0x0028, "GC512C" },
  { 0x0029, "curveSM2" },
  { 0x0100, "ffdhe2048" },
  { 0x0101, "ffdhe3072" },
  { 0x0102, "ffdhe4096" },
  { 0x0103, "ffdhe6144" },
  { 0x0104, "ffdhe8192" },
  { 0x0200, "MLKEM512" },
  { 0x0201, "MLKEM768" },
  { 0x0202, "MLKEM1024" },
  { 0x11eb, "SecP256r1MLKEM768" },
  { 0x11ec, "X25519MLKEM768" },
  { 0x11ed, "SecP384r1MLKEM1024" },
  { 0x6399, "X25519Kyber768Draft00" },
  { 0xff01, "arbitrary_explicit_prime_curves" },
  { 0xff02, "arbitrary_explicit_char2_curves" },
};

static const HlName signature_schemes[] = {
  { 0x0201, "rsa_pkcs1_sha1" },
  { 0x0202, "dsa_sha1" },
  { 0x0203, "ecdsa_sha1" },
  { 0x0401, "rsa_pkcs1_sha256" },
  { 0x0402, "dsa_sha256" },
  { 0x0403, "ecdsa_secp256r1_sha256" },
  { 0x0420, "rsa_pkcs1_sha256_legacy" },
  { 0x0501, "rsa_pkcs1_sha384" },
  { 0x0502, "dsa_sha384" },
  { 0x0503, "ecdsa_secp384r1_sha384" },
  { 0x0520, "rsa_pkcs1_sha384_legacy" },
  { 0x0601, "rsa_pkcs1_sha512" },
  { 0x0602, "dsa_sha512" },
  { 0x0603, "ecdsa_secp521r1_sha512" },
  { 0x0620, "rsa_pkcs1_sha512_legacy" },
  { 0x0704, "eccsi_sha256" },
  { 0x0705, "iso_ibs1" },
  { 0x0706, "iso_ibs2" },
  { 0x0707, "iso_chinese_ibs" },
  { 0x0708, "sm2sig_sm3" },
  { 0x0709, "gostr34102012_256a" },
  { 0x070a, "gostr34102012_256b" },
  { 0x070b, "gostr34102012_256c" },
  { 0x070c, "gostr34102012_256d" },
  { 0x070d, "gostr34102012_512a" },
  { 0x070e, "gostr34102012_512b" },
  { 0x070f, "gostr34102012_512c" },
  { 0x0804, "rsa_pss_rsae_sha256" },
  { 0x0805, "rsa_pss_rsae_sha384" },
  { 0x0806, "rsa_pss_rsae_sha512" },
  { 0x0807, "ed25519" },
  { 0x0808, "ed448" },
  { 0x0809, "rsa_pss_pss_sha256" },
  { 0x080a, "rsa_pss_pss_sha384" },
  { 0x080b, "rsa_pss_pss_sha512" },
  { 0x081a, "ecdsa_brainpoolP256r1tls13_sha256" },
  { 0x081b, "ecdsa_brainpoolP384r1tls13_sha384" },
  { 0x081c, "ecdsa_brainpoolP512r1tls13_sha512" },
  { 0x0904, "mldsa44" },
  { 0x0905, "mldsa65" },
  { 0x0906, "mldsa87" },
};

static const HlName extension_types[] = {
  { 0x0000, "server_name" },
  { 0x0001, "max_fragment_length" },
  { 0x0002, "client_certificate_url" },
  { 0x0003, "trusted_ca_keys" },
  { 0x0004, "truncated_hmac" },
  { 0x0005, "status_request" },
  { 0x0006, "user_mapping" },
  { 0x0007, "client_authz" },
  { 0x0008, "server_authz" },
  { 0x0009, "cert_type" },
  { 0x000a, "supported_groups" },
  { 0x000b, "ec_point_formats" },
  { 0x000c, "srp" },
  { 0x000d, "signature_algorithms" },
  { 0x000e, "use_srtp" },
  { 0x000f, "heartbeat" },
  { 0x0010, "application_layer_protocol_negotiation" },
  { 0x0011, "status_request_v2" },
  { 0x0012, "signed_certificate_timestamp" },
  { 0x0013, "client_certificate_type" },
  { 0x0014, "server_certificate_type" },
  { 0x0015, "padding" },
  { 0x0016, "encrypt_then_mac" },
  { 0x0017, "extended_master_secret" },
  { 0x0018, "token_binding" },
  { 0x0019, "cached_info" },
  { 0x001a, "tls_lts" },
  { 0x001b, "compress_certificate" },
  { 0x001c, "record_size_limit" },
  { 0x001d, "pwd_protect" },
  { 0x001e, "pwd_clear" },
  { 0x001f, "password_salt" },
  { 0x0020, "ticket_pinning" },
  { 0x0021, "tls_cert_with_extern_psk" },
  { 0x0022, "delegated_credential" },
  { 0x0023, "session_ticket" },
  { 0x0024, "TLMSP" },
  { 0x0025, "TLMSP_proxying" },
  { 0x0026, "TLMSP_delegate" },
  { 0x0027, "supported_ekt_ciphers" },
  { 0x0029, "pre_shared_key" },
  { 0x002a, "early_data" },
  { 0x002b, "supported_versions" },
  { 0x002c, "cookie" },
  { 0x002d, "psk_key_exchange_modes" },
  { 0x002f, "certificate_authorities" },
  { 0x0030, "oid_filters" },
  { 0x0031, "post_handshake_auth" },
  { 0x0032, "signature_algorithms_cert" },
  { 0x0033, "key_share" },
  { 0x0034, "transparency_info" },
  { 0x0035, "connection_id_deprecated" },
  { 0x0036, "connection_id" },
  { 0x0037, "external_id_hash" },
  { 0x0038, "external_session_id" },
  { 0x0039, "quic_transport_parameters" },
  { 0x003a, "ticket_request" },
  { 0x003b, "dnssec_chain" },
  { 0x003c, "sequence_number_encryption_algorithms" },
  { 0x003d, "rrc" },
  { 0x4469, "application_settings" },
  { 0xfd00, "ech_outer_extensions" },
  { 0xfe0d, "encrypted_client_hello" },
  { 0xff01, "renegotiation_info" },
};

static const HlName client_certificate_types[] = {
  { 1, "rsa_sign" },
  { 2, "dss_sign" },
  { 3, "rsa_fixed_dh" },
  { 4, "dss_fixed_dh" },
  { 5, "rsa_ephemeral_dh_RESERVED" },
  { 6, "dss_ephemeral_dh_RESERVED" },
  { 20, "fortezza_dms_RESERVED" },
  { 64, "ecdsa_sign" },
  { 65, "rsa_fixed_ecdh" },
  { 66, "ecdsa_fixed_ecdh" },
  { 67, "gost_sign256" },
  { 68, "gost_sign512" },
};

static const HlName certificate_types[] = {
  { 0, "X509" },
  { 1, "OpenPGP" },
  { 2, "RawPublicKey" },
  { 3, "1609Dot2" },
};

static const HlName psk_key_exchange_modes[] = {
  { 0, "psk_ke" },
  { 1, "psk_dhe_ke" },
};

static const HlName ec_point_formats[] = {
  { 0, "uncompressed" },
  { 1, "ansiX962_compressed_prime" },
  { 2, "ansiX962_compressed_char2" },
};

static const HlName ec_curve_types[] = {
  { 1, "explicit_prime" },
  { 2, "explicit_char2" },
  { 3, "named_curve" },
};

static const HlName compression_methods[] = {
  { 0, "null" },
  { 1, "DEFLATE" },
  { 64, "LZS" },
};

static const HlName certificate_compression_algorithms[] = {
  { 1, "zlib" },
  { 2, "brotli" },
  { 3, "zstd" },
};

static const HlName certificate_status_types[] = {
  { 1, "ocsp" },
  { 2, "ocsp_multi" },
};

static const HlName server_name_types[] = {
  { 0, "host_name" },
};

static const HlName max_fragment_lengths[] = {
  { 1, "2^9" },
  { 2, "2^10" },
  { 3, "2^11" },
  { 4, "2^12" },
};

static const HlName key_update_requests[] = {
  { 0, "update_not_requested" },
  { 1, "update_requested" },
};

static const HlName heartbeat_modes[] = {
  { 1, "peer_allowed_to_send" },
  { 2, "peer_not_allowed_to_send" },
};

static const HlName hpke_kdfs[] = {
  { 1, "HKDF-SHA256" },
  { 2, "HKDF-SHA384" },
  { 3, "HKDF-SHA512" },
};

static const HlName hpke_aeads[] = {
  { 1, "AES-128-GCM" },
  { 2, "AES-256-GCM" },
  { 3, "ChaCha20Poly1305" },
  { 65535, "Export-only" },
};

typedef struct
{
  const HlName *names;
  gsize         n_names;
  guint         hex_digits;   /* 0: print the number in decimal */
} HlTable;

#define TABLE(t, digits) { t, G_N_ELEMENTS (t), digits }

/* Indexed by HlRegistry */
static const HlTable tables[] = {
  TABLE (handshake_types, 0),
  TABLE (content_types, 0),
  TABLE (alert_descriptions, 0),
  TABLE (alert_levels, 0),
  TABLE (versions, 4),
  TABLE (cipher_suites, 4),
  TABLE (named_groups, 4),
  TABLE (signature_schemes, 4),
  TABLE (extension_types, 0),
  TABLE (client_certificate_types, 0),
  TABLE (certificate_types, 0),
  TABLE (psk_key_exchange_modes, 0),
  TABLE (ec_point_formats, 0),
  TABLE (ec_curve_types, 0),
  TABLE (compression_methods, 0),
  TABLE (certificate_compression_algorithms, 0),
  TABLE (certificate_status_types, 0),
  TABLE (server_name_types, 0),
  TABLE (max_fragment_lengths, 0),
  TABLE (key_update_requests, 0),
  TABLE (heartbeat_modes, 0),
  TABLE (hpke_kdfs, 4),
  TABLE (hpke_aeads, 4),
};

G_STATIC_ASSERT (G_N_ELEMENTS (tables) == HL_REGISTRY_HPKE_AEAD + 1);

/* TLS 1.2 SignatureAndHashAlgorithm pairs outside the SignatureScheme
 * registry read as "<signature>_<hash>" */
static const char * const hash_algorithms[] = {
  "none", "md5", "sha1", "sha224", "sha256", "sha384", "sha512", NULL, "intrinsic",
};
static const char * const signature_algorithms[] = {
  "anonymous", "rsa", "dsa", "ecdsa", NULL, NULL, NULL, "ed25519", "ed448",
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

const char *
hl_registry_cipher_suite_name (guint16 suite)
{
  return lookup (cipher_suites, G_N_ELEMENTS (cipher_suites), suite);
}

const char *
hl_registry_named_group_name (guint16 group)
{
  return lookup (named_groups, G_N_ELEMENTS (named_groups), group);
}

const char *
hl_registry_signature_scheme_name (guint16 scheme)
{
  return lookup (signature_schemes, G_N_ELEMENTS (signature_schemes), scheme);
}

const char *
hl_registry_extension_type_name (guint16 type)
{
  return lookup (extension_types, G_N_ELEMENTS (extension_types), type);
}

const char *
hl_registry_client_certificate_type_name (guint8 type)
{
  return lookup (client_certificate_types, G_N_ELEMENTS (client_certificate_types), type);
}

const char *
hl_registry_certificate_type_name (guint8 type)
{
  return lookup (certificate_types, G_N_ELEMENTS (certificate_types), type);
}

const char *
hl_registry_psk_key_exchange_mode_name (guint8 mode)
{
  return lookup (psk_key_exchange_modes, G_N_ELEMENTS (psk_key_exchange_modes), mode);
}

const char *
hl_registry_ec_point_format_name (guint8 format)
{
  return lookup (ec_point_formats, G_N_ELEMENTS (ec_point_formats), format);
}

const char *
hl_registry_ec_curve_type_name (guint8 type)
{
  return lookup (ec_curve_types, G_N_ELEMENTS (ec_curve_types), type);
}

const char *
hl_registry_compression_method_name (guint8 method)
{
  return lookup (compression_methods, G_N_ELEMENTS (compression_methods), method);
}

const char *
hl_registry_certificate_compression_algorithm_name (guint16 algorithm)
{
  return lookup (certificate_compression_algorithms,
                 G_N_ELEMENTS (certificate_compression_algorithms), algorithm);
}

/**
 * hl_registry_name:
 * @registry: which registry
 * @value: a code point
 *
 * Returns: (nullable): the identifier of @value in @registry
 */
const char *
hl_registry_name (HlRegistry registry,
                  guint      value)
{
  g_return_val_if_fail ((guint) registry < G_N_ELEMENTS (tables), NULL);

  return lookup (tables[registry].names, tables[registry].n_names, value);
}

/**
 * hl_registry_is_grease:
 *
 * Returns: whether @value is one of the RFC 8701 GREASE code points
 * (0x0a0a, 0x1a1a, … 0xfafa)
 */
gboolean
hl_registry_is_grease (guint16 value)
{
  return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}

/**
 * hl_registry_cipher_suite_key_exchange:
 *
 * Returns: the key exchange a TLS 1.2 cipher suite implies, from its name
 */
HlKeyExchange
hl_registry_cipher_suite_key_exchange (guint16 suite)
{
  static const struct { const char *prefix; HlKeyExchange kx; } prefixes[] = {
    { "TLS_ECDHE_PSK_", HL_KEY_EXCHANGE_ECDHE_PSK },
    { "TLS_DHE_PSK_", HL_KEY_EXCHANGE_DHE_PSK },
    { "TLS_PSK_DHE_", HL_KEY_EXCHANGE_DHE_PSK },
    { "TLS_RSA_PSK_", HL_KEY_EXCHANGE_RSA_PSK },
    { "TLS_PSK_", HL_KEY_EXCHANGE_PSK },
    { "TLS_ECDHE_", HL_KEY_EXCHANGE_ECDHE },
    { "TLS_ECDH_", HL_KEY_EXCHANGE_ECDH },
    { "TLS_DHE_", HL_KEY_EXCHANGE_DHE },
    { "TLS_RSA_", HL_KEY_EXCHANGE_RSA },
  };
  const char *name = hl_registry_cipher_suite_name (suite);

  if (name == NULL)
    return HL_KEY_EXCHANGE_UNKNOWN;
  if ((suite >> 8) == 0x13 || g_str_equal (name, "TLS_SM4_GCM_SM3") ||
      g_str_equal (name, "TLS_SM4_CCM_SM3"))
    return HL_KEY_EXCHANGE_NONE;
  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (name, prefixes[i].prefix))
      return prefixes[i].kx;
  return HL_KEY_EXCHANGE_UNKNOWN;
}

/* "name (0x1301)" or "name (51)": every enumerated field of every message
 * is described, so this is written out rather than through printf */
static char *
name_with_code (const char *name,
                guint       value,
                gboolean    hex)
{
  static const char digits[] = "0123456789abcdef";
  GString *out = g_string_sized_new (strlen (name) + 16);

  g_string_append (out, name);
  if (hex)
    {
      char text[8];
      guint n = 0;

      g_string_append (out, " (0x");
      do
        {
          text[sizeof text - 1 - n++] = digits[value & 0xf];
          value >>= 4;
        }
      while (value != 0 || n < 4);
      g_string_append_len (out, text + sizeof text - n, n);
    }
  else
    {
      g_string_append (out, " (");
      hl_json_append_uint (out, value);
    }
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

static char *
describe_signature_pair (guint value)
{
  guint hash = value >> 8;
  guint sig = value & 0xff;

  if (hash < G_N_ELEMENTS (hash_algorithms) && hash_algorithms[hash] != NULL &&
      sig < G_N_ELEMENTS (signature_algorithms) && signature_algorithms[sig] != NULL)
    return g_strdup_printf ("%s_%s (0x%04x)", signature_algorithms[sig], hash_algorithms[hash], value);
  return NULL;
}

/**
 * hl_registry_describe:
 * @registry: which registry
 * @value: a code point
 *
 * Returns: (transfer full): the value as it is shown everywhere, e.g.
 *   `TLS_AES_128_GCM_SHA256 (0x1301)` or `key_share (51)`
 */
char *
hl_registry_describe (HlRegistry registry,
                      guint      value)
{
  const HlTable *table;
  const char *name;
  gboolean is_grease;

  g_return_val_if_fail ((guint) registry < G_N_ELEMENTS (tables), NULL);

  table = &tables[registry];
  name = lookup (table->names, table->n_names, value);
  is_grease = value <= G_MAXUINT16 && hl_registry_is_grease (value) &&
              (registry == HL_REGISTRY_CIPHER_SUITE || registry == HL_REGISTRY_NAMED_GROUP ||
               registry == HL_REGISTRY_SIGNATURE_SCHEME || registry == HL_REGISTRY_EXTENSION_TYPE ||
               registry == HL_REGISTRY_VERSION);
  if (name == NULL && is_grease)
    return g_strdup_printf ("GREASE (0x%04x)", value);
  if (name == NULL && registry == HL_REGISTRY_SIGNATURE_SCHEME)
    {
      char *pair = describe_signature_pair (value);

      if (pair != NULL)
        return pair;
    }
  if (name == NULL)
    name = "unknown";
  return name_with_code (name, value, table->hex_digits == 4 || value > 0xff);
}

/**
 * hl_registry_self_check:
 *
 * Returns: %TRUE when every table is strictly sorted (lookups rely on it)
 */
gboolean
hl_registry_self_check (void)
{
  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    for (gsize i = 1; i < tables[t].n_names; i++)
      if (tables[t].names[i - 1].value >= tables[t].names[i].value)
        return FALSE;
  return TRUE;
}

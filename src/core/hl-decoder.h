/* hl-decoder.h: handshake message bytes to a tree of named fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-field.h"

G_BEGIN_DECLS

typedef struct
{
  /* negotiated protocol version (0x0303, 0x0304) or 0 when not known */
  guint16  tls_version;
  /* TRUE when the server sent the message */
  gboolean from_server;
} HlDecodeContext;

/* Decodes one handshake message, 4-byte header included. Never fails:
 * malformed input gives the fields decoded so far plus an error node. */
HlField *hl_decode_handshake (const guint8          *data,
                              gsize                  length,
                              const HlDecodeContext *context);

/* The same, with the negotiated cipher suite (0 when not known), which
 * decides how TLS 1.2 ServerKeyExchange and ClientKeyExchange are read */
HlField *hl_decode_handshake_full (const guint8          *data,
                                   gsize                  length,
                                   const HlDecodeContext *context,
                                   guint16                cipher_suite);

/* Whether the tree of a message of @type (its wire value) can depend on
 * the context's tls_version or on the cipher suite: TRUE for the messages
 * laid out differently in TLS 1.2 and 1.3 and for TLS 1.2's key exchange
 * messages, and for any type not known to be free of them */
gboolean hl_decode_depends_on_version (guint8 type);

/* Input as people give it: hex digits with any whitespace between them
 * are decoded, anything else is taken as binary. Sets *was_hex. */
GBytes  *hl_decode_parse_input    (const guint8          *data,
                                   gsize                  length,
                                   gboolean              *was_hex);

G_END_DECLS

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

G_END_DECLS

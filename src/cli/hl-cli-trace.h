/* hl-cli-trace.h: the readable trace printed by handshake-lens-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-event.h"

G_BEGIN_DECLS

/* One aligned line (without newline) for @event, or NULL for events the
 * trace leaves out (raw records unless @records). */
char *hl_cli_trace_line    (HlEvent    *event,
                            gboolean    records);
/* The negotiated parameters and each side's verdict, several lines */
char *hl_cli_trace_summary (GListModel *events);
/* Replaces control characters and escapes so that text from a peer
 * can never drive the terminal */
char *hl_cli_escape        (const char *text);
/* The same for JSON text, which stays valid and equivalent */
char *hl_cli_escape_json   (const char *json);

G_END_DECLS

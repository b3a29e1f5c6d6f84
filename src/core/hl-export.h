/* hl-export.h: write a capture in formats other tools read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-event.h"

G_BEGIN_DECLS

#define HL_EXPORT_ERROR (hl_export_error_quark ())

typedef enum
{
  HL_EXPORT_ERROR_NO_RECORDS,   /* nothing was seen on the wire */
} HlExportError;

GQuark    hl_export_error_quark        (void);

/* NSS SSLKEYLOGFILE: each key-log line once, in the order it appeared */
gboolean  hl_export_keylog             (GListModel    *events,
                                        GOutputStream *out,
                                        GError       **error);

/* pcapng: the records one side saw, in synthesized TCP/IP frames, with
 * the key-log lines in a Decryption Secrets Block so that Wireshark
 * decrypts the capture on its own. Timestamps start now. */
gboolean  hl_export_pcapng             (GListModel    *events,
                                        GOutputStream *out,
                                        GError       **error);
/* The same, with @start the wall-clock time at which t_ns was 0 (the
 * log's creation time), or NULL for now */
gboolean  hl_export_pcapng_with_start  (GListModel    *events,
                                        GDateTime     *start,
                                        GOutputStream *out,
                                        GError       **error);

/* A Mermaid sequenceDiagram of the handshake, for documentation */
char     *hl_export_mermaid            (GListModel    *events);

G_END_DECLS

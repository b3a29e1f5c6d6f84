/* hl-summary-bar.h: what was negotiated, or why it failed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_TYPE_SUMMARY_BAR (hl_summary_bar_get_type ())
G_DECLARE_FINAL_TYPE (HlSummaryBar, hl_summary_bar, HL, SUMMARY_BAR, GtkWidget)

GtkWidget  *hl_summary_bar_new          (void);
void        hl_summary_bar_set_events   (HlSummaryBar *self,
                                         GListModel   *events);
void        hl_summary_bar_set_running  (HlSummaryBar *self,
                                         gboolean      running);
/* "empty", "running", "done" or "failed" */
const char *hl_summary_bar_get_state    (HlSummaryBar *self);
/* For tests: the value shown for "version", "cipher_suite", "group",
 * "signature_scheme", "alpn", "server_verdict", "client_verdict",
 * "duration", or for "failure" and "cause" */
const char *hl_summary_bar_get_value    (HlSummaryBar *self,
                                         const char   *key);

G_END_DECLS

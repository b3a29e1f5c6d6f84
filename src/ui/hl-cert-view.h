/* hl-cert-view.h: certificate chains and verification verdicts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hl-event.h"
#include "hl-field.h"

G_BEGIN_DECLS

#define HL_TYPE_CERT_VIEW (hl_cert_view_get_type ())
G_DECLARE_FINAL_TYPE (HlCertView, hl_cert_view, HL, CERT_VIEW, GtkWidget)

GtkWidget   *hl_cert_view_new             (void);
void         hl_cert_view_set_events      (HlCertView *self,
                                           GListModel *events);
void         hl_cert_view_set_event       (HlCertView *self,
                                           HlEvent    *event);
guint        hl_cert_view_get_n_chains    (HlCertView *self);

/* Helpers, public for tests */
HlField     *hl_cert_view_decode_certificate (GBytes    *der);
char        *hl_cert_view_chain_to_pem       (GPtrArray *chain);
GPtrArray   *hl_cert_view_chain_from_message (HlEvent   *event);

G_END_DECLS

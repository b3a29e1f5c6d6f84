/* hl-secrets-view.h: the secrets known at the selected point of a capture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hl-event.h"

G_BEGIN_DECLS

#define HL_TYPE_SECRETS_VIEW (hl_secrets_view_get_type ())
G_DECLARE_FINAL_TYPE (HlSecretsView, hl_secrets_view, HL, SECRETS_VIEW, GtkWidget)

GtkWidget   *hl_secrets_view_new           (void);
void         hl_secrets_view_set_events    (HlSecretsView *self,
                                            GListModel    *events);
void         hl_secrets_view_set_event     (HlSecretsView *self,
                                            HlEvent       *event);
guint        hl_secrets_view_get_n_secrets (HlSecretsView *self);
char        *hl_secrets_view_dup_key_log   (HlSecretsView *self);

G_END_DECLS

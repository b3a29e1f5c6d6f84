/* hl-details-pane.h: everything about the selected event
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hl-event.h"
#include "hl-fields-view.h"
#include "hl-hex-view.h"

G_BEGIN_DECLS

#define HL_TYPE_DETAILS_PANE (hl_details_pane_get_type ())
G_DECLARE_FINAL_TYPE (HlDetailsPane, hl_details_pane, HL, DETAILS_PANE, GtkWidget)

GtkWidget    *hl_details_pane_new              (void);
/* all events of the capture or log (GListModel of HlEvent), to know which
 * secrets and chains are known at a point */
void          hl_details_pane_set_events       (HlDetailsPane *self,
                                                GListModel    *events);
GListModel   *hl_details_pane_get_events       (HlDetailsPane *self);
/* the selected event, or NULL */
void          hl_details_pane_set_event        (HlDetailsPane *self,
                                                HlEvent       *event);
HlEvent      *hl_details_pane_get_event        (HlDetailsPane *self);

/* "fields", "certificates", "secrets" or "explanation" */
void          hl_details_pane_set_page         (HlDetailsPane *self,
                                                const char    *page);
const char   *hl_details_pane_get_page         (HlDetailsPane *self);

/* The parts, for tests and for the window's shortcuts */
HlFieldsView *hl_details_pane_get_fields_view  (HlDetailsPane *self);
HlHexView    *hl_details_pane_get_hex_view     (HlDetailsPane *self);
GtkWidget    *hl_details_pane_get_cert_view    (HlDetailsPane *self);
GtkWidget    *hl_details_pane_get_secrets_view (HlDetailsPane *self);
const char   *hl_details_pane_get_explanation  (HlDetailsPane *self);

G_END_DECLS

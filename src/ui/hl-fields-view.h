/* hl-fields-view.h: the decoded field tree of a message over its bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hl-event.h"
#include "hl-hex-view.h"

G_BEGIN_DECLS

#define HL_TYPE_FIELDS_VIEW (hl_fields_view_get_type ())
G_DECLARE_FINAL_TYPE (HlFieldsView, hl_fields_view, HL, FIELDS_VIEW, GtkWidget)

GtkWidget   *hl_fields_view_new                 (void);
void         hl_fields_view_set_event           (HlFieldsView *self,
                                                 HlEvent      *event);
HlHexView   *hl_fields_view_get_hex_view        (HlFieldsView *self);
HlField     *hl_fields_view_get_root            (HlFieldsView *self);
HlField     *hl_fields_view_get_selected_field  (HlFieldsView *self);
gboolean     hl_fields_view_select_field        (HlFieldsView *self,
                                                 HlField      *field);
HlField     *hl_fields_view_select_offset       (HlFieldsView *self,
                                                 gsize         offset);

G_END_DECLS

/* hl-sequence-view.h: the sequence diagram of a handshake
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hl-diagram-row.h"

G_BEGIN_DECLS

#define HL_TYPE_SEQUENCE_VIEW (hl_sequence_view_get_type ())
G_DECLARE_FINAL_TYPE (HlSequenceView, hl_sequence_view, HL, SEQUENCE_VIEW, GtkWidget)

GtkWidget    *hl_sequence_view_new                (void);
GListModel   *hl_sequence_view_get_model          (HlSequenceView *self);
void          hl_sequence_view_set_model          (HlSequenceView *self,
                                                   GListModel     *rows);
guint         hl_sequence_view_get_selected       (HlSequenceView *self);
void          hl_sequence_view_set_selected       (HlSequenceView *self,
                                                   guint           position);
HlDiagramRow *hl_sequence_view_get_selected_row   (HlSequenceView *self);
HlEvent      *hl_sequence_view_get_selected_event (HlSequenceView *self);
gboolean      hl_sequence_view_get_follow         (HlSequenceView *self);
void          hl_sequence_view_set_follow         (HlSequenceView *self,
                                                   gboolean        follow);
void          hl_sequence_view_set_titles         (HlSequenceView *self,
                                                   const char     *client,
                                                   const char     *server);
/* For tests: rows snapshotted in the last frame that drew any */
guint         hl_sequence_view_get_n_drawn_rows   (HlSequenceView *self);

G_END_DECLS

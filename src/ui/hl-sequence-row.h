/* hl-sequence-row.h: one custom-drawn row of the sequence diagram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hl-diagram-row.h"

G_BEGIN_DECLS

#define HL_TYPE_SEQUENCE_ROW (hl_sequence_row_get_type ())
G_DECLARE_FINAL_TYPE (HlSequenceRow, hl_sequence_row, HL, SEQUENCE_ROW, GtkWidget)

GtkWidget    *hl_sequence_row_new     (void);
HlDiagramRow *hl_sequence_row_get_row (HlSequenceRow *self);
void          hl_sequence_row_set_row (HlSequenceRow *self,
                                       HlDiagramRow  *row);

G_END_DECLS

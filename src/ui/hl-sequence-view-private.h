/* hl-sequence-view-private.h: what the diagram's parts share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "hl-event.h"
#include "hl-sequence-header.h"
#include "hl-sequence-row.h"
#include "hl-sequence-view.h"

G_BEGIN_DECLS

#define HL_SEQUENCE_ROW_HEIGHT 44
#define HL_SEQUENCE_HEADER_HEIGHT 56

typedef struct
{
  GdkRGBA fg;
  GdkRGBA dim;
  GdkRGBA faint;
  GdkRGBA accent;
  GdkRGBA error;
  GdkRGBA success;
} HlSequenceColors;

double hl_sequence_lifeline_x     (int               width,
                                   HlSide            side);
void   hl_sequence_colors_load    (GtkWidget        *widget,
                                   HlSequenceColors *colors);
void   _hl_sequence_view_row_drawn (HlSequenceView  *self);
void     _hl_sequence_row_redraw_if_empty (HlSequenceRow *self);
gboolean _hl_sequence_row_drew_nothing    (HlSequenceRow *self);

/* The drawing of the diagram's parts, shared with its exports */
void   hl_sequence_row_draw       (HlSequenceRow          *self,
                                   GtkSnapshot            *snapshot,
                                   const HlSequenceColors *colors,
                                   int                     width,
                                   int                     height);
void   hl_sequence_header_draw    (HlSequenceHeader       *self,
                                   GtkSnapshot            *snapshot,
                                   const HlSequenceColors *colors,
                                   int                     width,
                                   int                     height);

G_END_DECLS

/* hl-hex-view.h: the bytes of a message as offsets, hex and ASCII
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_HEX_VIEW_BYTES_PER_LINE 16

#define HL_TYPE_HEX_VIEW (hl_hex_view_get_type ())
G_DECLARE_FINAL_TYPE (HlHexView, hl_hex_view, HL, HEX_VIEW, GtkWidget)

GtkWidget   *hl_hex_view_new                (void);
void         hl_hex_view_set_bytes          (HlHexView *self,
                                             GBytes    *bytes);
GBytes      *hl_hex_view_get_bytes          (HlHexView *self);
void         hl_hex_view_set_highlight      (HlHexView *self,
                                             gsize      offset,
                                             gsize      length);
void         hl_hex_view_get_highlight      (HlHexView *self,
                                             gsize     *offset,
                                             gsize     *length);
gboolean     hl_hex_view_get_byte_at_point  (HlHexView *self,
                                             double     x,
                                             double     y,
                                             gsize     *offset);
gboolean     hl_hex_view_get_byte_rect      (HlHexView      *self,
                                             gsize           offset,
                                             graphene_rect_t *rect);

G_END_DECLS

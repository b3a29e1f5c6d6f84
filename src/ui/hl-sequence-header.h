/* hl-sequence-header.h: the heads of the diagram's lifelines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_TYPE_SEQUENCE_HEADER (hl_sequence_header_get_type ())
G_DECLARE_FINAL_TYPE (HlSequenceHeader, hl_sequence_header, HL, SEQUENCE_HEADER, GtkWidget)

GtkWidget *hl_sequence_header_new        (void);
void       hl_sequence_header_set_titles (HlSequenceHeader *self,
                                          const char       *client,
                                          const char       *server);

G_END_DECLS

/* hl-diagram-model.h: the rows of a sequence diagram, built from events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-diagram-row.h"

G_BEGIN_DECLS

#define HL_TYPE_DIAGRAM_MODEL (hl_diagram_model_get_type ())
G_DECLARE_FINAL_TYPE (HlDiagramModel, hl_diagram_model, HL, DIAGRAM_MODEL, GObject)

HlDiagramModel *hl_diagram_model_new              (GListModel     *events);
GListModel     *hl_diagram_model_get_events       (HlDiagramModel *self);
void            hl_diagram_model_set_events       (HlDiagramModel *self,
                                                   GListModel     *events);
gboolean        hl_diagram_model_get_show_records (HlDiagramModel *self);
void            hl_diagram_model_set_show_records (HlDiagramModel *self,
                                                   gboolean        show_records);
guint           hl_diagram_model_find_event       (HlDiagramModel *self,
                                                   HlEvent        *event);

G_END_DECLS

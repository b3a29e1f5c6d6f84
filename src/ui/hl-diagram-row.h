/* hl-diagram-row.h: one row of the sequence diagram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hl-event.h"

G_BEGIN_DECLS

typedef enum
{
  HL_DIAGRAM_ROW_MESSAGE,             /* a handshake message: an arrow */
  HL_DIAGRAM_ROW_CHANGE_CIPHER_SPEC,  /* a thin marker arrow */
  HL_DIAGRAM_ROW_ALERT,               /* an arrow in the error colour */
  HL_DIAGRAM_ROW_RECORD,              /* a raw record (only when shown) */
  HL_DIAGRAM_ROW_NOTE,                /* something inside one endpoint */
  HL_DIAGRAM_ROW_ERROR,               /* a failure outside TLS, across the diagram */
} HlDiagramRowKind;

typedef enum
{
  HL_DIAGRAM_MOOD_NEUTRAL,
  HL_DIAGRAM_MOOD_GOOD,
  HL_DIAGRAM_MOOD_BAD,
} HlDiagramMood;

#define HL_TYPE_DIAGRAM_ROW (hl_diagram_row_get_type ())
G_DECLARE_FINAL_TYPE (HlDiagramRow, hl_diagram_row, HL, DIAGRAM_ROW, GObject)

HlDiagramRowKind  hl_diagram_row_get_kind          (HlDiagramRow *self);
guint             hl_diagram_row_get_index         (HlDiagramRow *self);
HlEvent          *hl_diagram_row_get_event         (HlDiagramRow *self);
HlEvent          *hl_diagram_row_get_send_event    (HlDiagramRow *self);
HlEvent          *hl_diagram_row_get_receive_event (HlDiagramRow *self);
HlSide            hl_diagram_row_get_side          (HlDiagramRow *self);
guint             hl_diagram_row_get_flight        (HlDiagramRow *self);
gboolean          hl_diagram_row_get_flight_start  (HlDiagramRow *self);
const char       *hl_diagram_row_get_label         (HlDiagramRow *self);
const char       *hl_diagram_row_get_detail        (HlDiagramRow *self);
gsize             hl_diagram_row_get_size          (HlDiagramRow *self);
gboolean          hl_diagram_row_get_encrypted     (HlDiagramRow *self);
HlDiagramMood     hl_diagram_row_get_mood          (HlDiagramRow *self);
gint64            hl_diagram_row_get_time_ns       (HlDiagramRow *self);
gint64            hl_diagram_row_get_elapsed_ns    (HlDiagramRow *self);
gboolean          hl_diagram_row_is_paired         (HlDiagramRow *self);
char             *hl_diagram_row_dup_description   (HlDiagramRow *self);
char             *hl_diagram_row_dup_tooltip       (HlDiagramRow *self);

char             *hl_diagram_message_title         (const char   *rfc_name);

/* For HlDiagramModel: rows are immutable once the model has emitted them,
 * except that a message gains its second observation (and is re-emitted). */
HlDiagramRow     *_hl_diagram_row_new              (HlDiagramRowKind kind,
                                                    HlEvent      *event,
                                                    guint         index);
void              _hl_diagram_row_set_receive_event (HlDiagramRow *self,
                                                    HlEvent      *event);
void              _hl_diagram_row_set_send_event   (HlDiagramRow *self,
                                                    HlEvent      *event);
void              _hl_diagram_row_set_flight       (HlDiagramRow *self,
                                                    guint         flight,
                                                    gboolean      start);
void              _hl_diagram_row_set_origin       (HlDiagramRow *self,
                                                    gint64        origin_ns);
void              _hl_diagram_row_add_secret       (HlDiagramRow *self,
                                                    HlEvent      *event);

G_END_DECLS

/* hl-event-private.h: what the engine may do to an event before it is shared
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-event.h"

G_BEGIN_DECLS

void hl_event_set_stamp   (HlEvent *self,
                           guint64  seq,
                           gint64   t_ns);
void hl_event_set_session (HlEvent *self,
                           guint    session);
void hl_event_set_cipher_suite (HlEvent *self,
                                guint16  cipher_suite);
HlField *hl_event_dup_fields   (HlEvent *self);
void     hl_event_render_json_line    (HlEvent  *self,
                                       gboolean  with_fields);
const GString *hl_event_get_rendered_fields (HlEvent *self);
/* What holds the bytes a log's reader gives an event */
typedef struct
{
  gpointer (*ref)   (gpointer owner);
  void     (*unref) (gpointer owner);
} HlEventRawOwner;

HlEvent *hl_event_new_with_raw_owner (HlEventKind            kind,
                                      HlSide                 side,
                                      HlDirection            dir,
                                      guint                  type,
                                      guint16                version,
                                      gboolean               encrypted,
                                      const guint8          *data,
                                      gsize                  size,
                                      gpointer               owner,
                                      const HlEventRawOwner *owner_class);
HlEvent *hl_event_new_taking_raw (HlEventKind kind,
                                  HlSide      side,
                                  HlDirection dir,
                                  guint       type,
                                  guint16     version,
                                  gboolean    encrypted,
                                  GBytes     *raw);
HlEvent *hl_event_new_state_lazy (HlSide      side,
                                  const char *state,
                                  const char *details,
                                  gsize       length);

G_END_DECLS

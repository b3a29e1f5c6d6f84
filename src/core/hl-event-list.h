/* hl-event-list.h: the events of a capture or a log, as a list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-event.h"

G_BEGIN_DECLS

#define HL_TYPE_EVENT_LIST (hl_event_list_get_type ())
G_DECLARE_FINAL_TYPE (HlEventList, hl_event_list, HL, EVENT_LIST, GObject)

HlEventList *hl_event_list_new     (void);
void         hl_event_list_append  (HlEventList     *self,
                                    HlEvent * const *events,
                                    guint            n_events);
void         hl_event_list_take    (HlEventList     *self,
                                    GPtrArray       *events);

G_END_DECLS

/* hl-explain.h: what an event means, in plain language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-event.h"

G_BEGIN_DECLS

char        *hl_explain_event_title (HlEvent    *event);
char        *hl_explain_event       (HlEvent    *event,
                                     GListModel *events);

G_END_DECLS

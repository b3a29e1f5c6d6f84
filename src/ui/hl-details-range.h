/* hl-details-range.h: which events of a capture belong to the selected one's connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-event.h"

G_BEGIN_DECLS

typedef struct
{
  /* where the event is in the model */
  guint position;
  /* its connection: from its "connected" milestone to the next one */
  guint start;
  guint end;
} HlDetailsRange;

gboolean     hl_details_range_find          (GListModel     *events,
                                             HlEvent        *event,
                                             HlDetailsRange *range);

G_END_DECLS

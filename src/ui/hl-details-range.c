/* hl-details-range.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A long log holds thousands of connections; the pages of the details
 * pane only look at the selected event's own, so selecting stays fast.
 */
#include "config.h"

#include "hl-details-range.h"

static gboolean
starts_connection (HlEvent *candidate,
                   HlEvent *event)
{
  return hl_event_get_kind (candidate) == HL_EVENT_STATE &&
         hl_event_get_session (candidate) == hl_event_get_session (event) &&
         g_strcmp0 (hl_event_get_state (candidate), "connected") == 0;
}

static gboolean
find_position (GListModel *events,
               HlEvent    *event,
               guint      *position)
{
  guint n = g_list_model_get_n_items (events);
  guint64 seq = hl_event_get_seq (event);

  /* in a log of one capture the sequence number is the position */
  if (seq < n)
    {
      g_autoptr(HlEvent) guess = g_list_model_get_item (events, (guint) seq);

      if (guess == event)
        {
          *position = (guint) seq;
          return TRUE;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlEvent) item = g_list_model_get_item (events, i);

      if (item == event)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * hl_details_range_find:
 * @events: all events of a capture or log
 * @event: one of them
 * @range: (out): where @event and its connection are
 *
 * Returns: whether @event is in @events
 */
gboolean
hl_details_range_find (GListModel     *events,
                       HlEvent        *event,
                       HlDetailsRange *range)
{
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (events), FALSE);
  g_return_val_if_fail (HL_IS_EVENT (event), FALSE);
  g_return_val_if_fail (range != NULL, FALSE);

  if (!find_position (events, event, &range->position))
    return FALSE;

  n = g_list_model_get_n_items (events);
  range->start = range->position;
  while (range->start > 0)
    {
      g_autoptr(HlEvent) item = g_list_model_get_item (events, range->start);

      if (starts_connection (item, event))
        break;
      range->start--;
    }
  for (range->end = range->position + 1; range->end < n; range->end++)
    {
      g_autoptr(HlEvent) item = g_list_model_get_item (events, range->end);

      if (starts_connection (item, event))
        break;
    }
  return TRUE;
}

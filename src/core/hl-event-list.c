/* hl-event-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event-list.h"

/* Events only ever come at the end, by the hundred thousand from a long
 * log: an array holds them, where a GListStore kept a tree node for each
 * (a twentieth of loading a log, and of its memory). */
struct _HlEventList
{
  GObject    parent_instance;

  GPtrArray *events;  /* of HlEvent, owned */
};

static GType
hl_event_list_get_item_type (GListModel *model)
{
  return HL_TYPE_EVENT;
}

static guint
hl_event_list_get_n_items (GListModel *model)
{
  return HL_EVENT_LIST (model)->events->len;
}

static gpointer
hl_event_list_get_item (GListModel *model,
                        guint       position)
{
  HlEventList *self = HL_EVENT_LIST (model);

  if (position >= self->events->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->events, position));
}

static void
hl_event_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = hl_event_list_get_item_type;
  iface->get_n_items = hl_event_list_get_n_items;
  iface->get_item = hl_event_list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (HlEventList, hl_event_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, hl_event_list_model_init))

static void
hl_event_list_finalize (GObject *object)
{
  HlEventList *self = HL_EVENT_LIST (object);

  g_clear_pointer (&self->events, g_ptr_array_unref);

  G_OBJECT_CLASS (hl_event_list_parent_class)->finalize (object);
}

static void
hl_event_list_class_init (HlEventListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_event_list_finalize;
}

static void
hl_event_list_init (HlEventList *self)
{
  self->events = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * hl_event_list_new:
 *
 * Returns: (transfer full): an empty list
 */
HlEventList *
hl_event_list_new (void)
{
  return g_object_new (HL_TYPE_EVENT_LIST, NULL);
}

/**
 * hl_event_list_append:
 * @events: (array length=n_events): events to add at the end
 *
 * Adds a reference to each, then says so once.
 */
void
hl_event_list_append (HlEventList     *self,
                      HlEvent * const *events,
                      guint            n_events)
{
  guint position;

  g_return_if_fail (HL_IS_EVENT_LIST (self));
  g_return_if_fail (events != NULL || n_events == 0);

  if (n_events == 0)
    return;
  position = self->events->len;
  for (guint i = 0; i < n_events; i++)
    {
      g_return_if_fail (HL_IS_EVENT (events[i]));
      g_ptr_array_add (self->events, g_object_ref (events[i]));
    }
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n_events);
}

/**
 * hl_event_list_take:
 * @events: (transfer container): events to add at the end, whose
 *   references the list takes over; @events is left empty
 */
void
hl_event_list_take (HlEventList *self,
                    GPtrArray   *events)
{
  guint position, n_events;

  g_return_if_fail (HL_IS_EVENT_LIST (self));
  g_return_if_fail (events != NULL);

  n_events = events->len;
  if (n_events == 0)
    return;
  position = self->events->len;
  g_ptr_array_extend_and_steal (self->events, g_ptr_array_ref (events));
  g_ptr_array_set_size (events, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n_events);
}

/* hl-diagram-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns the event stream into diagram rows as it grows. When both ends are
 * observed (a demo), each message is seen twice: the sender's "out" and the
 * receiver's "in". The k-th "out" of one message type from one sender is
 * paired with the k-th "in" of that type at the receiver, in whichever order
 * they arrive, so the two observations become one arrow.
 */
#include "config.h"

#include "hl-diagram-model.h"

struct _HlDiagramModel
{
  GObject       parent_instance;

  GListModel   *events;
  gulong        items_changed_id;
  gboolean      show_records;

  GPtrArray    *rows;
  guint         n_processed;
  /* "session:sender:kind:type" → Pending */
  GHashTable   *pending;
  /* event → row (every event that a row shows or pairs) */
  GHashTable   *rows_by_event;
  HlDiagramRow *secret_row;
  gboolean      have_sender;
  HlSide        last_sender;
  guint         flight;
  gint64        origin_ns;
  /* rows emitted before the batch that changed afterwards */
  GArray       *updated;
};

typedef struct
{
  GQueue awaiting_in;   /* rows made from an "out", waiting for the "in" */
  GQueue awaiting_out;  /* rows made from an "in", waiting for the "out" */
} Pending;

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HlDiagramModel, hl_diagram_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_EVENTS,
  PROP_SHOW_RECORDS,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_queue_clear (&pending->awaiting_in);
  g_queue_clear (&pending->awaiting_out);
  g_free (pending);
}

static GType
hl_diagram_model_get_item_type (GListModel *model)
{
  return HL_TYPE_DIAGRAM_ROW;
}

static guint
hl_diagram_model_get_n_items (GListModel *model)
{
  return HL_DIAGRAM_MODEL (model)->rows->len;
}

static gpointer
hl_diagram_model_get_item (GListModel *model,
                           guint       position)
{
  HlDiagramModel *self = HL_DIAGRAM_MODEL (model);

  if (position >= self->rows->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = hl_diagram_model_get_item_type;
  iface->get_n_items = hl_diagram_model_get_n_items;
  iface->get_item = hl_diagram_model_get_item;
}

static HlDiagramRowKind
row_kind_for (HlDiagramModel *self,
              HlEvent        *event,
              gboolean       *makes_row)
{
  *makes_row = TRUE;
  switch (hl_event_get_kind (event))
    {
    case HL_EVENT_HANDSHAKE:
      return HL_DIAGRAM_ROW_MESSAGE;
    case HL_EVENT_CHANGE_CIPHER_SPEC:
      return HL_DIAGRAM_ROW_CHANGE_CIPHER_SPEC;
    case HL_EVENT_ALERT:
      return HL_DIAGRAM_ROW_ALERT;
    case HL_EVENT_RECORD:
      *makes_row = self->show_records;
      return HL_DIAGRAM_ROW_RECORD;
    case HL_EVENT_SECRET:
    case HL_EVENT_CERTIFICATE_CHECK:
    case HL_EVENT_STATE:
      return HL_DIAGRAM_ROW_NOTE;
    case HL_EVENT_ERROR:
      return HL_DIAGRAM_ROW_ERROR;
    default:
      *makes_row = FALSE;
      return HL_DIAGRAM_ROW_NOTE;
    }
}

static guint
event_type_key (HlEvent *event)
{
  switch (hl_event_get_kind (event))
    {
    case HL_EVENT_HANDSHAKE:
      return hl_event_get_handshake_type (event);
    case HL_EVENT_ALERT:
      return hl_event_get_alert_description (event);
    case HL_EVENT_RECORD:
      return hl_event_get_content_type (event);
    default:
      return 0;
    }
}

static Pending *
lookup_pending (HlDiagramModel *self,
                HlEvent        *event)
{
  g_autofree char *key = g_strdup_printf ("%u:%d:%d:%u",
                                          hl_event_get_session (event),
                                          hl_event_get_sender (event),
                                          hl_event_get_kind (event),
                                          event_type_key (event));
  Pending *pending = g_hash_table_lookup (self->pending, key);

  if (pending == NULL)
    {
      pending = g_new0 (Pending, 1);
      g_hash_table_insert (self->pending, g_steal_pointer (&key), pending);
    }
  return pending;
}

static void
note_updated (HlDiagramModel *self,
              HlDiagramRow   *row,
              guint           first_new_row)
{
  guint index = hl_diagram_row_get_index (row);

  if (index < first_new_row)
    g_array_append_val (self->updated, index);
}

static void
append_row (HlDiagramModel   *self,
            HlDiagramRowKind  kind,
            HlEvent          *event,
            HlDiagramRow    **out_row)
{
  HlDiagramRow *row = _hl_diagram_row_new (kind, event, self->rows->len);
  gboolean arrow = hl_event_get_direction (event) != HL_DIRECTION_NONE;
  gboolean start = FALSE;

  if (arrow && (!self->have_sender || self->last_sender != hl_diagram_row_get_side (row)))
    {
      if (self->have_sender)
        self->flight++;
      self->have_sender = TRUE;
      self->last_sender = hl_diagram_row_get_side (row);
      start = TRUE;
    }
  _hl_diagram_row_set_flight (row, self->flight, start);
  _hl_diagram_row_set_origin (row, self->origin_ns);

  g_ptr_array_add (self->rows, row);
  g_hash_table_insert (self->rows_by_event, event, row);
  *out_row = row;
}

/* Returns: whether @event joined a row that exists already */
static gboolean
pair_event (HlDiagramModel *self,
            HlEvent        *event,
            guint           first_new_row)
{
  Pending *pending = lookup_pending (self, event);
  HlDiagramRow *row;

  if (hl_event_get_direction (event) == HL_DIRECTION_OUT)
    {
      row = g_queue_pop_head (&pending->awaiting_out);
      if (row == NULL)
        return FALSE;
      _hl_diagram_row_set_send_event (row, event);
    }
  else
    {
      row = g_queue_pop_head (&pending->awaiting_in);
      if (row == NULL)
        return FALSE;
      _hl_diagram_row_set_receive_event (row, event);
    }

  g_hash_table_insert (self->rows_by_event, event, row);
  note_updated (self, row, first_new_row);
  return TRUE;
}

static void
remember_unpaired (HlDiagramModel *self,
                   HlEvent        *event,
                   HlDiagramRow   *row)
{
  Pending *pending = lookup_pending (self, event);

  if (hl_event_get_direction (event) == HL_DIRECTION_OUT)
    g_queue_push_tail (&pending->awaiting_in, row);
  else
    g_queue_push_tail (&pending->awaiting_out, row);
}

static void
process_event (HlDiagramModel *self,
               HlEvent        *event,
               guint           first_new_row)
{
  gboolean makes_row;
  HlDiagramRowKind kind = row_kind_for (self, event, &makes_row);
  HlDiagramRow *row = NULL;

  if (self->n_processed == 0)
    self->origin_ns = hl_event_get_time_ns (event);
  if (!makes_row)
    return;

  if (hl_event_get_kind (event) == HL_EVENT_SECRET &&
      self->secret_row != NULL &&
      hl_diagram_row_get_side (self->secret_row) == hl_event_get_side (event))
    {
      _hl_diagram_row_add_secret (self->secret_row, event);
      g_hash_table_insert (self->rows_by_event, event, self->secret_row);
      note_updated (self, self->secret_row, first_new_row);
      return;
    }

  if (hl_event_get_direction (event) != HL_DIRECTION_NONE &&
      pair_event (self, event, first_new_row))
    return;

  append_row (self, kind, event, &row);
  if (hl_event_get_direction (event) != HL_DIRECTION_NONE)
    remember_unpaired (self, event, row);
  self->secret_row = hl_event_get_kind (event) == HL_EVENT_SECRET ? row : NULL;
}

static void
process_new_events (HlDiagramModel *self)
{
  guint n_events = self->events != NULL ? g_list_model_get_n_items (self->events) : 0;
  guint first_new_row = self->rows->len;

  g_array_set_size (self->updated, 0);
  for (; self->n_processed < n_events; self->n_processed++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (self->events, self->n_processed);

      process_event (self, event, first_new_row);
    }

  if (self->rows->len > first_new_row)
    g_list_model_items_changed (G_LIST_MODEL (self), first_new_row, 0,
                                self->rows->len - first_new_row);

  /* after the append, so that every signal sees a consistent count */
  for (guint i = 0; i < self->updated->len; i++)
    {
      guint index = g_array_index (self->updated, guint, i);

      if (i == 0 || index != g_array_index (self->updated, guint, i - 1))
        g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 1);
    }

  if (self->rows->len > first_new_row)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
reset (HlDiagramModel *self)
{
  g_ptr_array_set_size (self->rows, 0);
  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->rows_by_event);
  self->n_processed = 0;
  self->secret_row = NULL;
  self->have_sender = FALSE;
  self->flight = 0;
}

static void
rebuild (HlDiagramModel *self)
{
  guint old_n = self->rows->len;

  reset (self);
  g_array_set_size (self->updated, 0);
  for (guint n = self->events != NULL ? g_list_model_get_n_items (self->events) : 0;
       self->n_processed < n; self->n_processed++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (self->events, self->n_processed);

      process_event (self, event, 0);
    }

  if (old_n > 0 || self->rows->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->rows->len);
  if (old_n != self->rows->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
events_changed_cb (HlDiagramModel *self,
                   guint           position,
                   guint           removed,
                   guint           added,
                   GListModel     *events)
{
  /* events are only ever appended while a capture runs; anything else
   * (a playback rewinding its slice) starts over */
  if (removed == 0 && position == self->n_processed)
    process_new_events (self);
  else
    rebuild (self);
}

static void
hl_diagram_model_dispose (GObject *object)
{
  HlDiagramModel *self = HL_DIAGRAM_MODEL (object);

  if (self->events != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->events);
  g_clear_object (&self->events);

  G_OBJECT_CLASS (hl_diagram_model_parent_class)->dispose (object);
}

static void
hl_diagram_model_finalize (GObject *object)
{
  HlDiagramModel *self = HL_DIAGRAM_MODEL (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->rows_by_event, g_hash_table_unref);
  g_clear_pointer (&self->updated, g_array_unref);

  G_OBJECT_CLASS (hl_diagram_model_parent_class)->finalize (object);
}

static void
hl_diagram_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HlDiagramModel *self = HL_DIAGRAM_MODEL (object);

  switch (prop_id)
    {
    case PROP_EVENTS:
      g_value_set_object (value, self->events);
      break;
    case PROP_SHOW_RECORDS:
      g_value_set_boolean (value, self->show_records);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->rows->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_diagram_model_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HlDiagramModel *self = HL_DIAGRAM_MODEL (object);

  switch (prop_id)
    {
    case PROP_EVENTS:
      hl_diagram_model_set_events (self, g_value_get_object (value));
      break;
    case PROP_SHOW_RECORDS:
      hl_diagram_model_set_show_records (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_diagram_model_class_init (HlDiagramModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_diagram_model_dispose;
  object_class->finalize = hl_diagram_model_finalize;
  object_class->get_property = hl_diagram_model_get_property;
  object_class->set_property = hl_diagram_model_set_property;

  properties[PROP_EVENTS] =
    g_param_spec_object ("events", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_RECORDS] =
    g_param_spec_boolean ("show-records", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_diagram_model_init (HlDiagramModel *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pending_free);
  self->rows_by_event = g_hash_table_new (NULL, NULL);
  self->updated = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * hl_diagram_model_new:
 * @events: (nullable): a #GListModel of #HlEvent
 */
HlDiagramModel *
hl_diagram_model_new (GListModel *events)
{
  return g_object_new (HL_TYPE_DIAGRAM_MODEL, "events", events, NULL);
}

GListModel *
hl_diagram_model_get_events (HlDiagramModel *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_MODEL (self), NULL);
  return self->events;
}

void
hl_diagram_model_set_events (HlDiagramModel *self,
                             GListModel     *events)
{
  g_return_if_fail (HL_IS_DIAGRAM_MODEL (self));
  g_return_if_fail (events == NULL || G_IS_LIST_MODEL (events));

  if (self->events == events)
    return;

  if (self->events != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->events);
  g_set_object (&self->events, events);
  if (events != NULL)
    self->items_changed_id = g_signal_connect_object (events, "items-changed",
                                                      G_CALLBACK (events_changed_cb), self,
                                                      G_CONNECT_SWAPPED);
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS]);
}

gboolean
hl_diagram_model_get_show_records (HlDiagramModel *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_MODEL (self), FALSE);
  return self->show_records;
}

void
hl_diagram_model_set_show_records (HlDiagramModel *self,
                                   gboolean        show_records)
{
  g_return_if_fail (HL_IS_DIAGRAM_MODEL (self));

  show_records = !!show_records;
  if (self->show_records == show_records)
    return;
  self->show_records = show_records;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_RECORDS]);
}

/**
 * hl_diagram_model_find_event:
 *
 * Returns: the position of the row showing @event, or %G_MAXUINT
 */
guint
hl_diagram_model_find_event (HlDiagramModel *self,
                             HlEvent        *event)
{
  HlDiagramRow *row;

  g_return_val_if_fail (HL_IS_DIAGRAM_MODEL (self), G_MAXUINT);

  row = g_hash_table_lookup (self->rows_by_event, event);
  return row != NULL ? hl_diagram_row_get_index (row) : G_MAXUINT;
}

/* test-sequence-view.c: the sequence diagram, its rows and its cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "hl-diagram-model.h"
#include "hl-log.h"
#include "hl-sequence-row.h"
#include "hl-sequence-view.h"
#include "hl-sequence-view-private.h"

#define VIEW_WIDTH  900
#define VIEW_HEIGHT 600

static guint64 next_seq;

static HlEvent *
stamp (HlEvent *event)
{
  HlEvent *copy = hl_event_copy_with_time (event, next_seq, (gint64) next_seq * 150000);

  next_seq++;
  g_object_unref (event);
  return copy;
}

static HlEvent *
message (HlSide      side,
         HlDirection dir,
         guint       type,
         gsize       body,
         gboolean    encrypted)
{
  g_autofree guint8 *data = g_malloc0 (body + 4);
  g_autoptr(GBytes) raw = NULL;

  data[0] = type == HL_HANDSHAKE_TYPE_HELLO_RETRY_REQUEST ? 2 : type;
  data[1] = (body >> 16) & 0xff;
  data[2] = (body >> 8) & 0xff;
  data[3] = body & 0xff;
  raw = g_bytes_new (data, body + 4);
  return stamp (hl_event_new_handshake (side, dir, type, raw, encrypted, 0x0304));
}

static HlEvent *
secret (HlSide      side,
        const char *label)
{
  g_autoptr(GBytes) random = g_bytes_new_take (g_malloc0 (32), 32);
  g_autoptr(GBytes) value = g_bytes_new_take (g_malloc0 (48), 48);

  return stamp (hl_event_new_secret (side, label, random, value));
}

static HlEvent *
check (HlSide side)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  return stamp (hl_event_new_certificate_check (side, chain, 0, NULL));
}

static HlEvent *
done (HlSide side)
{
  g_autoptr(JsonObject) details = json_object_new ();

  json_object_set_string_member (details, "version", "TLS1.3");
  json_object_set_string_member (details, "cipher_suite", "TLS_AES_256_GCM_SHA384");
  return stamp (hl_event_new_state (side, "handshake_done", details));
}

/* A TLS 1.3 handshake as the client alone sees it (connect mode): every
 * event but the two grouped secrets is a row of its own. */
static void
append_client_view (GListStore *store,
                    GPtrArray  *expected)
{
  HlEvent *events[] = {
    message (HL_SIDE_CLIENT, HL_DIRECTION_OUT, 1, 508, FALSE),
    message (HL_SIDE_CLIENT, HL_DIRECTION_IN, 2, 118, FALSE),
    secret (HL_SIDE_CLIENT, "CLIENT_HANDSHAKE_TRAFFIC_SECRET"),
    secret (HL_SIDE_CLIENT, "SERVER_HANDSHAKE_TRAFFIC_SECRET"),
    message (HL_SIDE_CLIENT, HL_DIRECTION_IN, 8, 6, TRUE),
    message (HL_SIDE_CLIENT, HL_DIRECTION_IN, 11, 840, TRUE),
    message (HL_SIDE_CLIENT, HL_DIRECTION_IN, 15, 76, TRUE),
    check (HL_SIDE_CLIENT),
    message (HL_SIDE_CLIENT, HL_DIRECTION_IN, 20, 48, TRUE),
    message (HL_SIDE_CLIENT, HL_DIRECTION_OUT, 20, 48, TRUE),
    done (HL_SIDE_CLIENT),
  };

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_list_store_append (store, events[i]);
      /* the second secret joins the first one's note */
      if (expected != NULL && i != 3)
        g_ptr_array_add (expected, g_object_ref (i == 2 ? events[3] : events[i]));
      g_object_unref (events[i]);
    }
}

static GListModel *
make_client_log (guint      n_events,
                 GPtrArray *expected)
{
  GListStore *store = g_list_store_new (HL_TYPE_EVENT);

  next_seq = 0;
  while (g_list_model_get_n_items (G_LIST_MODEL (store)) < n_events)
    append_client_view (store, expected);
  if (expected == NULL)
    while (g_list_model_get_n_items (G_LIST_MODEL (store)) > n_events)
      g_list_store_remove (store, g_list_model_get_n_items (G_LIST_MODEL (store)) - 1);
  return G_LIST_MODEL (store);
}

/* Writes @events as a session log and opens it the way the window does */
static GListModel *
open_as_log (GListModel *events)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *header = hl_log_format_header ("connect", "example.com:443", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLog) log = NULL;

  g_string_append_printf (text, "%s\n", header);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      g_autoptr(JsonNode) node = hl_event_to_json (event, FALSE);
      g_autofree char *line = json_to_string (node, FALSE);

      g_string_append_printf (text, "%s\n", line);
    }

  log = hl_log_load_from_data (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_null (hl_log_get_problem (log));
  return g_object_ref (hl_log_get_events (log));
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  guint *frames = data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

static void
wait_frames (GtkWidget *widget,
             guint      n_frames)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, tick_cb, &frames, NULL);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (frames < n_frames && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (widget, id);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (frames, >=, n_frames);
}

static GtkWindow *
show_view (HlSequenceView *view)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, VIEW_WIDTH, VIEW_HEIGHT);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  wait_frames (GTK_WIDGET (view), 5);
  return window;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static HlDiagramRow *
row_at (GListModel *rows,
        guint       position)
{
  g_autoptr(HlDiagramRow) row = g_list_model_get_item (rows, position);

  return row;
}

/* The top of the list item showing row @index, in @view's coordinates */
static double
row_top (HlSequenceView *view,
         guint           index)
{
  GtkWidget *list = find_descendant (GTK_WIDGET (view), GTK_TYPE_LIST_VIEW);

  for (GtkWidget *item = gtk_widget_get_first_child (list);
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = find_descendant (item, HL_TYPE_SEQUENCE_ROW);
      graphene_rect_t bounds;

      if (row != NULL && hl_sequence_row_get_row (HL_SEQUENCE_ROW (row)) != NULL &&
          hl_diagram_row_get_index (hl_sequence_row_get_row (HL_SEQUENCE_ROW (row))) == index &&
          gtk_widget_compute_bounds (item, GTK_WIDGET (view), &bounds))
        return bounds.origin.y;
    }
  g_assert_not_reached ();
}

/* What a click does: the list item under the pointer selects itself */
static guint
click_at (HlSequenceView *view,
          double          y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (view), VIEW_WIDTH / 2.0, y, GTK_PICK_DEFAULT);
  GtkWidget *row;

  g_assert_nonnull (picked);
  row = HL_IS_SEQUENCE_ROW (picked) ? picked : gtk_widget_get_ancestor (picked, HL_TYPE_SEQUENCE_ROW);
  if (row == NULL)
    row = find_descendant (picked, HL_TYPE_SEQUENCE_ROW);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (row, "listitem.select", "(bb)", FALSE, FALSE));
  return hl_diagram_row_get_index (hl_sequence_row_get_row (HL_SEQUENCE_ROW (row)));
}

/* What a key press does: the view's shortcut for @keyval */
static void
press_key (HlSequenceView *view,
           guint           keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval)
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                           GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                           GTK_WIDGET (view),
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_assert_not_reached ();
}

static void
test_rows_in_order (void)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListModel) made = make_client_log (33, expected);
  g_autoptr(GListModel) events = open_as_log (made);
  g_autoptr(HlDiagramModel) rows = hl_diagram_model_new (events);
  HlSequenceView *view = HL_SEQUENCE_VIEW (hl_sequence_view_new ());
  GtkWindow *window;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (rows));
  double header, row_h;

  g_assert_cmpuint (n, ==, expected->len);
  for (guint i = 0; i < n; i++)
    {
      HlEvent *want = g_ptr_array_index (expected, i);
      HlEvent *got = hl_diagram_row_get_event (row_at (G_LIST_MODEL (rows), i));

      g_assert_cmpuint (hl_diagram_row_get_index (row_at (G_LIST_MODEL (rows), i)), ==, i);
      g_assert_cmpuint (hl_event_get_seq (got), ==, hl_event_get_seq (want));
      g_assert_cmpint (hl_event_get_kind (got), ==, hl_event_get_kind (want));
    }

  hl_sequence_view_set_follow (view, FALSE);
  hl_sequence_view_set_model (view, G_LIST_MODEL (rows));
  window = show_view (view);
  g_assert_cmpuint (hl_sequence_view_get_selected (view), ==, 0);

  /* a click at the middle of row 4 selects row 4 and its event */
  header = gtk_widget_get_height (GTK_WIDGET (view)) -
           gtk_widget_get_height (find_descendant (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW));
  /* rows are evenly spaced under the header */
  row_h = row_top (view, 1) - row_top (view, 0);
  g_assert_cmpfloat (row_top (view, 0), ==, header);
  g_assert_cmpfloat (row_h, >=, 44);
  for (guint i = 0; i < 8; i++)
    {
      guint target = (i * 5) % 9;
      double y = header + target * row_h + row_h / 2;

      g_assert_cmpuint (click_at (view, y), ==, target);
      g_assert_cmpuint (hl_sequence_view_get_selected (view), ==, target);
      g_assert_true (hl_sequence_view_get_selected_event (view) == g_ptr_array_index (expected, target) ||
                     hl_event_get_seq (hl_sequence_view_get_selected_event (view)) ==
                     hl_event_get_seq (g_ptr_array_index (expected, target)));
    }

  click_at (view, header + 2 * row_h + row_h / 2);
  press_key (view, GDK_KEY_Down);
  g_assert_cmpuint (hl_sequence_view_get_selected (view), ==, 3);
  /* the focus moves with the selection */
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
    GtkWidget *row = focus != NULL ? find_descendant (focus, HL_TYPE_SEQUENCE_ROW) : NULL;

    g_assert_nonnull (row);
    g_assert_cmpuint (hl_diagram_row_get_index (hl_sequence_row_get_row (HL_SEQUENCE_ROW (row))), ==, 3);
  }
  press_key (view, GDK_KEY_Down);
  g_assert_cmpuint (hl_sequence_view_get_selected (view), ==, 4);
  press_key (view, GDK_KEY_Up);
  g_assert_cmpuint (hl_sequence_view_get_selected (view), ==, 3);
  press_key (view, GDK_KEY_End);
  g_assert_cmpuint (hl_sequence_view_get_selected (view), ==, n - 1);
  g_assert_true (hl_sequence_view_get_selected_event (view) ==
                 hl_diagram_row_get_event (row_at (G_LIST_MODEL (rows), n - 1)));
  press_key (view, GDK_KEY_Down);
  g_assert_cmpuint (hl_sequence_view_get_selected (view), ==, n - 1);
  press_key (view, GDK_KEY_Home);
  g_assert_cmpuint (hl_sequence_view_get_selected (view), ==, 0);
  press_key (view, GDK_KEY_Up);
  g_assert_cmpuint (hl_sequence_view_get_selected (view), ==, 0);

  /* after End the last row is in view, and a click there selects it */
  press_key (view, GDK_KEY_End);
  wait_frames (GTK_WIDGET (view), 3);
  g_assert_cmpuint (click_at (view, gtk_widget_get_height (GTK_WIDGET (view)) - row_h / 2), ==, n - 1);

  gtk_window_destroy (window);
}

/* Both ends observed: one arrow per message, from the sender's event */
static void
test_pairing (void)
{
  g_autoptr(GListStore) events = g_list_store_new (HL_TYPE_EVENT);
  g_autoptr(HlDiagramModel) rows = hl_diagram_model_new (G_LIST_MODEL (events));
  g_autoptr(HlEvent) ch_out = message (HL_SIDE_CLIENT, HL_DIRECTION_OUT, 1, 300, FALSE);
  g_autoptr(HlEvent) ch_in = message (HL_SIDE_SERVER, HL_DIRECTION_IN, 1, 300, FALSE);
  g_autoptr(HlEvent) sh_in = message (HL_SIDE_CLIENT, HL_DIRECTION_IN, 2, 90, FALSE);
  g_autoptr(HlEvent) sh_out = message (HL_SIDE_SERVER, HL_DIRECTION_OUT, 2, 90, FALSE);
  g_autoptr(HlEvent) fin1 = message (HL_SIDE_SERVER, HL_DIRECTION_OUT, 20, 48, TRUE);
  g_autoptr(HlEvent) fin2 = message (HL_SIDE_CLIENT, HL_DIRECTION_OUT, 20, 48, TRUE);
  g_autoptr(HlEvent) fin1_in = message (HL_SIDE_CLIENT, HL_DIRECTION_IN, 20, 48, TRUE);
  HlDiagramRow *row;

  g_list_store_append (events, ch_out);
  g_list_store_append (events, ch_in);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 1);
  row = row_at (G_LIST_MODEL (rows), 0);
  g_assert_true (hl_diagram_row_get_event (row) == ch_out);
  g_assert_true (hl_diagram_row_get_receive_event (row) == ch_in);
  g_assert_true (hl_diagram_row_is_paired (row));
  g_assert_cmpint (hl_diagram_row_get_side (row), ==, HL_SIDE_CLIENT);

  /* the receiver's observation may come first */
  g_list_store_append (events, sh_in);
  g_list_store_append (events, sh_out);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 2);
  row = row_at (G_LIST_MODEL (rows), 1);
  g_assert_true (hl_diagram_row_get_event (row) == sh_out);
  g_assert_cmpint (hl_diagram_row_get_side (row), ==, HL_SIDE_SERVER);
  g_assert_cmpstr (hl_diagram_row_get_label (row), ==, "ServerHello");
  g_assert_cmpuint (hl_diagram_row_get_flight (row), ==, 1);

  /* two Finished from two senders stay apart */
  g_list_store_append (events, fin1);
  g_list_store_append (events, fin2);
  g_list_store_append (events, fin1_in);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 4);
  g_assert_true (hl_diagram_row_get_receive_event (row_at (G_LIST_MODEL (rows), 2)) == fin1_in);
  g_assert_null (hl_diagram_row_get_receive_event (row_at (G_LIST_MODEL (rows), 3)));
  g_assert_true (hl_diagram_row_get_encrypted (row_at (G_LIST_MODEL (rows), 3)));
  g_assert_cmpuint (hl_diagram_model_find_event (rows, fin1_in), ==, 2);
}

static guint
drawn_rows_for (guint n_events)
{
  g_autoptr(GListModel) events = make_client_log (n_events, NULL);
  g_autoptr(HlDiagramModel) rows = hl_diagram_model_new (events);
  HlSequenceView *view = HL_SEQUENCE_VIEW (hl_sequence_view_new ());
  GtkWindow *window;
  guint drawn;

  g_assert_cmpuint (g_list_model_get_n_items (events), ==, n_events);
  hl_sequence_view_set_follow (view, FALSE);
  hl_sequence_view_set_model (view, G_LIST_MODEL (rows));
  window = show_view (view);
  drawn = hl_sequence_view_get_n_drawn_rows (view);
  g_test_message ("%u events, %u rows: %u rows drawn", n_events,
                  g_list_model_get_n_items (G_LIST_MODEL (rows)), drawn);
  gtk_window_destroy (window);
  return drawn;
}

static void
test_frame_cost (void)
{
  guint small = drawn_rows_for (100);
  guint large = drawn_rows_for (100000);

  g_assert_cmpuint (small, >, 0);
  g_assert_cmpuint (small, <=, VIEW_HEIGHT / 44 + 2);
  g_assert_cmpuint (large, ==, small);
}

/* Appends events @from to @to of @made, as a capture delivers them */
static void
append_events (GListStore *events,
               GListModel *made,
               guint       from,
               guint       to)
{
  for (guint i = from; i < to; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (made, i);

      g_list_store_append (events, event);
    }
}

static GtkAdjustment *
view_vadjustment (HlSequenceView *view)
{
  GtkScrolledWindow *scroller =
    GTK_SCROLLED_WINDOW (find_descendant (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW));

  g_assert_nonnull (scroller);
  return gtk_scrolled_window_get_vadjustment (scroller);
}

/* The view follows and shows its last row */
static void
assert_at_newest_row (HlSequenceView *view,
                      GtkAdjustment  *vadjustment)
{
  g_assert_true (hl_sequence_view_get_follow (view));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >=,
                     gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_page_size (vadjustment) -
                     HL_SEQUENCE_ROW_HEIGHT);
}

/* A capture that is over before its window's first frame: the view
 * still ends at the newest row, selected and scrolled into view */
static void
test_follow_before_first_frame (void)
{
  g_autoptr(GListModel) made = make_client_log (200, NULL);
  g_autoptr(GListStore) events = g_list_store_new (HL_TYPE_EVENT);
  g_autoptr(HlDiagramModel) rows = hl_diagram_model_new (G_LIST_MODEL (events));
  HlSequenceView *view = HL_SEQUENCE_VIEW (hl_sequence_view_new ());
  GtkAdjustment *vadjustment;
  GtkWindow *window;
  guint n_rows;

  g_object_ref_sink (view);
  hl_sequence_view_set_model (view, G_LIST_MODEL (rows));
  g_assert_true (hl_sequence_view_get_follow (view));
  /* the events arrive in batches, each handled before anything is drawn */
  for (guint i = 0; i < g_list_model_get_n_items (made); i += 16)
    {
      append_events (events, made, i, MIN (i + 16, g_list_model_get_n_items (made)));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (rows));
  g_assert_cmpuint (n_rows, >, 100);

  window = show_view (view);
  vadjustment = view_vadjustment (view);
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment), >, 2 * gtk_adjustment_get_page_size (vadjustment));
  assert_at_newest_row (view, vadjustment);
  g_assert_cmpuint (hl_sequence_view_get_selected (view), ==, n_rows - 1);
  gtk_window_destroy (window);
  g_object_unref (view);
}

typedef struct
{
  GtkAdjustment *vadjustment;
  guint          n_painted;
  double         value;      /* at the first frame's paint */
  double         bottom;
} FirstPaint;

static void
first_paint_cb (GdkFrameClock *clock,
                FirstPaint    *paint)
{
  if (paint->n_painted++ > 0)
    return;
  paint->value = gtk_adjustment_get_value (paint->vadjustment);
  paint->bottom = gtk_adjustment_get_upper (paint->vadjustment) - gtk_adjustment_get_page_size (paint->vadjustment);
}

/* The rows of a capture show in the frame that lays them out: the window's
 * very first frame already paints the view at its newest row, where the
 * list, which has no size before it, used to be scrolled a frame later */
static void
test_follow_in_the_same_frame (void)
{
  g_autoptr(GListModel) made = make_client_log (200, NULL);
  g_autoptr(GListStore) events = g_list_store_new (HL_TYPE_EVENT);
  g_autoptr(HlDiagramModel) rows = hl_diagram_model_new (G_LIST_MODEL (events));
  HlSequenceView *view = HL_SEQUENCE_VIEW (hl_sequence_view_new ());
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  FirstPaint paint = { view_vadjustment (view), 0, 0, 0 };
  GdkFrameClock *clock;
  gulong id;

  g_object_ref_sink (view);
  hl_sequence_view_set_model (view, G_LIST_MODEL (rows));
  append_events (events, made, 0, g_list_model_get_n_items (made));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gtk_window_set_default_size (window, VIEW_WIDTH, VIEW_HEIGHT);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_assert_nonnull (clock);
  id = g_signal_connect_after (clock, "paint", G_CALLBACK (first_paint_cb), &paint);
  wait_frames (GTK_WIDGET (view), 3);
  g_signal_handler_disconnect (clock, id);

  g_assert_cmpuint (paint.n_painted, >, 0);
  g_assert_cmpfloat (paint.bottom, >, VIEW_HEIGHT);
  g_assert_cmpfloat (paint.value, >=, paint.bottom - 0.5);
  gtk_window_destroy (window);
  g_object_unref (view);
}

/* Every row in the list's view has drawn itself: a row drew nothing out
 * of view (to spare the work), and GTK kept that as it scrolled in */
static void
assert_rows_in_view_drawn (HlSequenceView *view)
{
  GtkWidget *list = find_descendant (GTK_WIDGET (view), GTK_TYPE_LIST_VIEW);
  guint n_in_view = 0;

  for (GtkWidget *item = gtk_widget_get_first_child (list); item != NULL; item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);
      graphene_rect_t bounds;

      if (!HL_IS_SEQUENCE_ROW (child) || hl_sequence_row_get_row (HL_SEQUENCE_ROW (child)) == NULL ||
          !gtk_widget_get_child_visible (item) || !gtk_widget_compute_bounds (child, list, &bounds) ||
          bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= gtk_widget_get_height (list))
        continue;
      n_in_view++;
      g_assert_false (_hl_sequence_row_drew_nothing (HL_SEQUENCE_ROW (child)));
    }
  g_assert_cmpuint (n_in_view, >=, VIEW_HEIGHT / HL_SEQUENCE_ROW_HEIGHT - 2);
}

/* Rows that come into view, scrolled up a row at a time or by a page, or
 * by a taller window, are drawn */
static void
test_rows_drawn_as_they_come_into_view (void)
{
  g_autoptr(GListModel) made = make_client_log (200, NULL);
  g_autoptr(HlDiagramModel) rows = hl_diagram_model_new (made);
  HlSequenceView *view = HL_SEQUENCE_VIEW (hl_sequence_view_new ());
  GtkAdjustment *vadjustment;
  GtkWindow *window;

  g_object_ref_sink (view);
  hl_sequence_view_set_model (view, G_LIST_MODEL (rows));
  window = show_view (view);
  vadjustment = view_vadjustment (view);
  assert_rows_in_view_drawn (view);
  for (guint i = 0; i < 12; i++)
    {
      gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_value (vadjustment) - HL_SEQUENCE_ROW_HEIGHT);
      wait_frames (GTK_WIDGET (view), 2);
      assert_rows_in_view_drawn (view);
    }
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_value (vadjustment) - VIEW_HEIGHT / 2);
  wait_frames (GTK_WIDGET (view), 2);
  assert_rows_in_view_drawn (view);
  gtk_window_set_default_size (window, VIEW_WIDTH, VIEW_HEIGHT * 3 / 2);
  wait_frames (GTK_WIDGET (view), 3);
  assert_rows_in_view_drawn (view);
  gtk_window_destroy (window);
  g_object_unref (view);
}

/* A scroll event that comes after the view scrolled to a new row but
 * before the list applied it (here the horizontal adjustment's) makes
 * GTK's list scroll again from where it still is: a following view still
 * ends at its newest row */
static void
test_follow_survives_lost_scroll (void)
{
  g_autoptr(GListModel) made = make_client_log (120, NULL);
  g_autoptr(GListStore) events = g_list_store_new (HL_TYPE_EVENT);
  g_autoptr(HlDiagramModel) rows = hl_diagram_model_new (G_LIST_MODEL (events));
  HlSequenceView *view = HL_SEQUENCE_VIEW (hl_sequence_view_new ());
  GtkScrolledWindow *scroller;
  GtkAdjustment *vadjustment;
  GtkWindow *window;
  guint n_made = g_list_model_get_n_items (made), n_rows;
  gint64 deadline;

  g_object_ref_sink (view);
  hl_sequence_view_set_model (view, G_LIST_MODEL (rows));
  append_events (events, made, 0, n_made / 2);
  window = show_view (view);
  scroller = GTK_SCROLLED_WINDOW (find_descendant (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW));
  vadjustment = view_vadjustment (view);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment), >, 0);

  append_events (events, made, n_made / 2, n_made);
  n_rows = g_list_model_get_n_items (G_LIST_MODEL (rows));
  /* the view selects the newest row, then scrolls to it */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (hl_sequence_view_get_selected (view) != n_rows - 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (hl_sequence_view_get_selected (view), ==, n_rows - 1);
  g_signal_emit_by_name (gtk_scrolled_window_get_hadjustment (scroller), "value-changed");

  wait_frames (GTK_WIDGET (view), 5);
  assert_at_newest_row (view, vadjustment);
  gtk_window_destroy (window);
  g_object_unref (view);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/sequence-view/pairing", test_pairing);
  g_test_add_func ("/sequence-view/rows-in-order", test_rows_in_order);
  g_test_add_func ("/sequence-view/frame-cost", test_frame_cost);
  g_test_add_func ("/sequence-view/follow-before-first-frame", test_follow_before_first_frame);
  g_test_add_func ("/sequence-view/follow-survives-lost-scroll", test_follow_survives_lost_scroll);
  g_test_add_func ("/sequence-view/follow-in-the-same-frame", test_follow_in_the_same_frame);
  g_test_add_func ("/sequence-view/rows-drawn-as-they-come-into-view", test_rows_drawn_as_they_come_into_view);
  return g_test_run ();
}

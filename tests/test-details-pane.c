/* test-details-pane.c: the details pane over real and RFC 8448 handshakes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include "hl-cert-view.h"
#include "hl-details-pane.h"
#include "hl-explain.h"
#include "hl-field-item.h"
#include "hl-log.h"
#include "hl-secrets-view.h"

static guint64 next_seq;

static GBytes *
load_hex (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("HL_TEST_DATA"), name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  int high = -1;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  for (const char *p = text; *p != '\0'; p++)
    {
      int digit = g_ascii_xdigit_value (*p);

      if (digit < 0)
        continue;
      if (high < 0)
        high = digit;
      else
        {
          guint8 byte = (guint8) (high << 4 | digit);

          g_byte_array_append (bytes, &byte, 1);
          high = -1;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static HlEvent *
stamp (GListStore *store,
       HlEvent    *event)
{
  HlEvent *copy = hl_event_copy_with_time (event, next_seq, (gint64) next_seq * 1000);

  next_seq++;
  g_object_unref (event);
  g_list_store_append (store, copy);
  g_object_unref (copy);
  return copy;
}

static HlEvent *
message (GListStore *store,
         const char *file,
         HlSide      sender,
         guint16     version,
         gboolean    encrypted)
{
  g_autoptr(GBytes) raw = load_hex (file);
  const guint8 *data = g_bytes_get_data (raw, NULL);

  return stamp (store, hl_event_new_handshake (sender, HL_DIRECTION_OUT, data[0], raw,
                                               encrypted, version));
}

static HlEvent *
secret (GListStore *store,
        HlSide      side,
        const char *label)
{
  g_autoptr(GBytes) random = g_bytes_new_take (g_malloc0 (32), 32);
  g_autoptr(GBytes) value = g_bytes_new_take (g_malloc0 (32), 32);

  return stamp (store, hl_event_new_secret (side, label, random, value));
}

/* RFC 8448 section 3: a simple 1-RTT TLS 1.3 handshake, as the senders saw it */
static GListStore *
rfc8448_handshake (void)
{
  GListStore *store = g_list_store_new (HL_TYPE_EVENT);
  HlEvent *certificate;
  g_autoptr(GPtrArray) chain = NULL;

  message (store, "rfc8448/3-01-client_hello-c.hex", HL_SIDE_CLIENT, 0, FALSE);
  message (store, "rfc8448/3-02-server_hello-s.hex", HL_SIDE_SERVER, 0x0304, FALSE);
  secret (store, HL_SIDE_SERVER, "CLIENT_HANDSHAKE_TRAFFIC_SECRET");
  secret (store, HL_SIDE_SERVER, "SERVER_HANDSHAKE_TRAFFIC_SECRET");
  message (store, "rfc8448/3-03-encrypted_extensions-s.hex", HL_SIDE_SERVER, 0x0304, TRUE);
  certificate = message (store, "rfc8448/3-04-certificate-s.hex", HL_SIDE_SERVER, 0x0304, TRUE);
  message (store, "rfc8448/3-05-certificate_verify-s.hex", HL_SIDE_SERVER, 0x0304, TRUE);
  message (store, "rfc8448/3-06-finished-s.hex", HL_SIDE_SERVER, 0x0304, TRUE);
  chain = hl_cert_view_chain_from_message (certificate);
  g_assert_nonnull (chain);
  stamp (store, hl_event_new_certificate_check (HL_SIDE_CLIENT, chain, 0, NULL));
  secret (store, HL_SIDE_SERVER, "SERVER_TRAFFIC_SECRET_0");
  message (store, "rfc8448/3-07-finished-c.hex", HL_SIDE_CLIENT, 0x0304, TRUE);
  message (store, "rfc8448/3-08-new_session_ticket-s.hex", HL_SIDE_SERVER, 0x0304, TRUE);
  return store;
}

static HlEvent *
find_event (GListModel *events,
            HlEventKind kind,
            const char *name,
            guint       nth)
{
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      g_autofree char *description = hl_event_describe (event);

      if (hl_event_get_kind (event) == kind &&
          (name == NULL || g_str_has_prefix (description, name)) && nth-- == 0)
        return event;
    }
  return NULL;
}

typedef struct
{
  GtkWidget     *window;
  HlDetailsPane *pane;
  GListStore    *events;
} Fixture;

static void
iterate (void)
{
  for (int i = 0; i < 30; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
painted_cb (GdkFrameClock *frame_clock,
            guint         *n_painted)
{
  (*n_painted)++;
}

/* Wakes the main loop, so that loops waiting for a frame see their
 * deadline when no frame comes */
static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @widget's window has painted a frame (the
 * details pane shows a message set before its first frame after it) */
static void
wait_for_frame (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (widget);
  guint n_painted = 0;
  gulong id;
  guint wake;

  g_assert_nonnull (frame_clock);
  wake = g_timeout_add (50, wake_cb, NULL);
  id = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (painted_cb), &n_painted);
  gtk_widget_queue_draw (widget);
  while (n_painted == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (frame_clock, id);
  g_source_remove (wake);
  g_assert_cmpuint (n_painted, >, 0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  next_seq = 0;
  fixture->events = rfc8448_handshake ();
  fixture->pane = HL_DETAILS_PANE (hl_details_pane_new ());
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 600, 900);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->pane));
  gtk_window_present (GTK_WINDOW (fixture->window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (fixture->pane)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  wait_for_frame (GTK_WIDGET (fixture->pane));
  hl_details_pane_set_events (fixture->pane, G_LIST_MODEL (fixture->events));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_object_unref (fixture->events);
}

static void
assert_highlight (HlDetailsPane *pane,
                  HlField       *field,
                  gsize          message_length)
{
  gsize offset, length;
  gsize expected_offset = hl_field_get_offset (field);
  gsize expected_length = hl_field_get_length (field);

  /* a field never reaches past its message: the decoder guarantees it */
  g_assert_cmpuint (expected_offset + expected_length, <=, message_length);
  if (expected_length == 0)
    expected_offset = 0;
  hl_hex_view_get_highlight (hl_details_pane_get_hex_view (pane), &offset, &length);
  g_assert_cmpuint (offset, ==, expected_offset);
  g_assert_cmpuint (length, ==, expected_length);
}

/* Selects every field of the tree, one by one: each highlights exactly
 * its bytes, and the tree's selection is that field */
static guint
select_every_field (HlDetailsPane *pane,
                    HlField       *field,
                    gsize          message_length)
{
  HlFieldsView *fields_view = hl_details_pane_get_fields_view (pane);
  guint n = 1;

  g_assert_true (hl_fields_view_select_field (fields_view, field));
  g_assert_true (hl_fields_view_get_selected_field (fields_view) == field);
  assert_highlight (pane, field, message_length);
  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    n += select_every_field (pane, hl_field_get_child (field, i), message_length);
  return n;
}

/* Activates every byte, as a click does: the deepest field covering it is
 * selected and highlighted */
static void
activate_every_byte (HlDetailsPane *pane,
                     HlField       *root,
                     gsize          message_length)
{
  HlFieldsView *fields_view = hl_details_pane_get_fields_view (pane);
  HlHexView *hex_view = hl_details_pane_get_hex_view (pane);

  for (guint offset = 0; offset < message_length; offset++)
    {
      HlField *expected = hl_field_find_at_offset (root, offset);

      g_signal_emit_by_name (hex_view, "byte-activated", offset);
      g_assert_nonnull (expected);
      g_assert_true (hl_fields_view_get_selected_field (fields_view) == expected);
      assert_highlight (pane, expected, message_length);
    }
}

static void
test_fields_highlight (Fixture       *fixture,
                       gconstpointer  data)
{
  GListModel *events = G_LIST_MODEL (fixture->events);

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      HlField *root;
      gsize length;

      if (hl_event_get_kind (event) != HL_EVENT_HANDSHAKE)
        continue;
      hl_details_pane_set_event (fixture->pane, event);
      iterate ();
      root = hl_fields_view_get_root (hl_details_pane_get_fields_view (fixture->pane));
      length = g_bytes_get_size (hl_event_get_raw (event));
      g_assert_true (root == hl_event_get_fields (event));
      g_assert_true (hl_hex_view_get_bytes (hl_details_pane_get_hex_view (fixture->pane)) ==
                     hl_event_get_raw (event));
      g_assert_cmpuint (select_every_field (fixture->pane, root, length), >=, 3);
      activate_every_byte (fixture->pane, root, length);
    }
}

static void
test_no_event (Fixture       *fixture,
               gconstpointer  data)
{
  HlEvent *client_hello = find_event (G_LIST_MODEL (fixture->events), HL_EVENT_HANDSHAKE,
                                      "client_hello", 0);
  HlEvent *secret_event = find_event (G_LIST_MODEL (fixture->events), HL_EVENT_SECRET, NULL, 0);
  gsize offset, length;

  hl_details_pane_set_event (fixture->pane, client_hello);
  hl_hex_view_set_highlight (hl_details_pane_get_hex_view (fixture->pane), 1, 3);
  hl_details_pane_set_event (fixture->pane, NULL);
  iterate ();
  g_assert_null (hl_details_pane_get_event (fixture->pane));
  g_assert_null (hl_details_pane_get_explanation (fixture->pane));

  /* an event without bytes shows no bytes and no highlight */
  hl_details_pane_set_event (fixture->pane, secret_event);
  iterate ();
  g_assert_null (hl_hex_view_get_bytes (hl_details_pane_get_hex_view (fixture->pane)));
  hl_hex_view_get_highlight (hl_details_pane_get_hex_view (fixture->pane), &offset, &length);
  g_assert_cmpuint (length, ==, 0);

  hl_details_pane_set_events (fixture->pane, NULL);
  hl_details_pane_set_event (fixture->pane, client_hello);
  iterate ();
  g_assert_nonnull (hl_details_pane_get_explanation (fixture->pane));
}

static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  GListModel *events = G_LIST_MODEL (fixture->events);
  HlEvent *client_hello = find_event (events, HL_EVENT_HANDSHAKE, "client_hello", 0);
  HlEvent *secret_event = find_event (events, HL_EVENT_SECRET, NULL, 0);
  HlEvent *check = find_event (events, HL_EVENT_CERTIFICATE_CHECK, NULL, 0);

  hl_details_pane_set_page (fixture->pane, "fields");
  hl_details_pane_set_event (fixture->pane, secret_event);
  g_assert_cmpstr (hl_details_pane_get_page (fixture->pane), ==, "secrets");
  hl_details_pane_set_event (fixture->pane, check);
  g_assert_cmpstr (hl_details_pane_get_page (fixture->pane), ==, "certificates");
  /* the user's choice comes back with the next message */
  hl_details_pane_set_event (fixture->pane, client_hello);
  g_assert_cmpstr (hl_details_pane_get_page (fixture->pane), ==, "fields");

  hl_details_pane_set_page (fixture->pane, "explanation");
  hl_details_pane_set_event (fixture->pane, check);
  g_assert_cmpstr (hl_details_pane_get_page (fixture->pane), ==, "explanation");
  hl_details_pane_set_event (fixture->pane, secret_event);
  g_assert_cmpstr (hl_details_pane_get_page (fixture->pane), ==, "explanation");
}

static guint
count_view_stacks (GtkWidget *widget)
{
  guint n = ADW_IS_VIEW_STACK (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_view_stacks (child);
  return n;
}

static const char *
shown_page (HlDetailsPane *pane)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_first_child (GTK_WIDGET (pane))));
}

/* Runs the main loop until the pane has made its details page, by
 * itself, for at most 5 s */
static void
wait_for_pages (HlDetailsPane *pane)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, wake_cb, NULL);

  while (count_view_stacks (GTK_WIDGET (pane)) == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_cmpuint (count_view_stacks (GTK_WIDGET (pane)), ==, 1);
}

typedef struct
{
  HlDetailsPane *pane;
  GListStore    *events;
  HlEvent       *extra;
  guint          n_adding;  /* frames after which an event comes */
  guint          n_frames;
  guint          made_at;   /* the frame that first had the page */
} Rows;

static void
rows_frame_cb (GdkFrameClock *frame_clock,
               Rows          *rows)
{
  rows->n_frames++;
  if (rows->made_at == 0 && count_view_stacks (GTK_WIDGET (rows->pane)) > 0)
    rows->made_at = rows->n_frames;
  if (rows->n_frames <= rows->n_adding)
    {
      g_list_store_append (rows->events, rows->extra);
      gtk_widget_queue_draw (GTK_WIDGET (rows->pane));
    }
}

/* The first message shown in a live capture waits for a frame without
 * new events: the frames that draw the diagram's first rows go without
 * the details page and its layout; a stream of events that never pauses
 * gets the page after a few frames all the same */
static void
test_waits_for_rows (Fixture       *fixture,
                     gconstpointer  data)
{
  guint n_adding = GPOINTER_TO_UINT (data);
  GListModel *events = G_LIST_MODEL (fixture->events);
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->pane));
  Rows rows = { fixture->pane, fixture->events, NULL, n_adding, 0, 0 };
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gulong id;
  guint wake;

  rows.extra = find_event (events, HL_EVENT_HANDSHAKE, "finished", 0);
  /* before the pane's own handler, which it connects when it waits */
  id = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (rows_frame_cb), &rows);
  hl_details_pane_set_event (fixture->pane, find_event (events, HL_EVENT_HANDSHAKE, "client_hello", 0));
  g_assert_cmpstr (shown_page (fixture->pane), ==, "pending");
  g_assert_cmpuint (count_view_stacks (GTK_WIDGET (fixture->pane)), ==, 0);

  wake = g_timeout_add (50, wake_cb, NULL);
  while (rows.made_at == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_signal_handler_disconnect (frame_clock, id);
  g_test_message ("events added after %u frames, page made by frame %u", n_adding, rows.made_at);

  g_assert_cmpuint (rows.made_at, >, 0);
  if (n_adding < 6)
    {
      /* not while the rows came, and soon after */
      g_assert_cmpuint (rows.made_at, >, n_adding + 1);
      g_assert_cmpuint (rows.made_at, <=, n_adding + 3);
    }
  else
    g_assert_cmpuint (rows.made_at, <=, 8);
  g_assert_cmpstr (shown_page (fixture->pane), ==, "details");
}

static void
page_notify_cb (GObject    *object,
                GParamSpec *pspec,
                guint      *n)
{
  (*n)++;
}

/* The pages are made when a message is first shown: a page chosen before
 * is the page they open on, and the user's choice still gives way to an
 * event's own page */
static void
test_pages_made_when_needed (Fixture       *fixture,
                             gconstpointer  data)
{
  GListModel *events = G_LIST_MODEL (fixture->events);
  HlEvent *client_hello = find_event (events, HL_EVENT_HANDSHAKE, "client_hello", 0);
  HlEvent *secret_event = find_event (events, HL_EVENT_SECRET, NULL, 0);
  guint n_notified = 0;

  g_signal_connect (fixture->pane, "notify::page", G_CALLBACK (page_notify_cb), &n_notified);
  iterate ();
  g_assert_cmpuint (count_view_stacks (GTK_WIDGET (fixture->pane)), ==, 0);
  g_assert_cmpstr (hl_details_pane_get_page (fixture->pane), ==, "fields");
  hl_details_pane_set_page (fixture->pane, "explanation");
  g_assert_cmpuint (n_notified, ==, 1);
  g_assert_cmpstr (hl_details_pane_get_page (fixture->pane), ==, "explanation");
  hl_details_pane_set_event (fixture->pane, NULL);
  g_assert_cmpuint (count_view_stacks (GTK_WIDGET (fixture->pane)), ==, 0);

  /* made after the next frame, not in it */
  hl_details_pane_set_event (fixture->pane, client_hello);
  g_assert_cmpstr (shown_page (fixture->pane), ==, "pending");
  wait_for_pages (fixture->pane);
  g_assert_cmpstr (shown_page (fixture->pane), ==, "details");
  g_assert_cmpuint (count_view_stacks (GTK_WIDGET (fixture->pane)), ==, 1);
  g_assert_cmpstr (hl_details_pane_get_page (fixture->pane), ==, "explanation");
  g_assert_nonnull (hl_details_pane_get_explanation (fixture->pane));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (hl_details_pane_get_fields_view (fixture->pane))) == FALSE);

  hl_details_pane_set_page (fixture->pane, "fields");
  hl_details_pane_set_event (fixture->pane, secret_event);
  g_assert_cmpstr (hl_details_pane_get_page (fixture->pane), ==, "secrets");
  hl_details_pane_set_event (fixture->pane, client_hello);
  iterate ();
  g_assert_cmpstr (hl_details_pane_get_page (fixture->pane), ==, "fields");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (hl_details_pane_get_fields_view (fixture->pane))));
  g_assert_true (hl_hex_view_get_bytes (hl_details_pane_get_hex_view (fixture->pane)) ==
                 hl_event_get_raw (client_hello));
  /* still the one page */
  g_assert_cmpuint (count_view_stacks (GTK_WIDGET (fixture->pane)), ==, 1);
}

typedef struct
{
  HlDetailsPane *pane;
  guint          n_painted;
  guint          n_stacks;  /* at the first frame */
  char          *shown;     /* at the first frame */
} FirstFrame;

static void
first_frame_cb (GdkFrameClock *frame_clock,
                FirstFrame    *first)
{
  if (first->n_painted++ > 0)
    return;
  first->n_stacks = count_view_stacks (GTK_WIDGET (first->pane));
  first->shown = g_strdup (shown_page (first->pane));
}

static void
window_realize_cb (GtkWidget  *window,
                   FirstFrame *first)
{
  /* before the pane's own handler, which it connects when it is mapped */
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (first_frame_cb), first);
}

/* A message set before the window's first frame is shown after it: that
 * frame has a blank pane and no details page to lay out (start-up with a
 * log); anyone asking for the pages gets them at once */
static void
test_shown_after_first_frame (void)
{
  g_autoptr(GListStore) events = rfc8448_handshake ();
  HlEvent *client_hello = find_event (G_LIST_MODEL (events), HL_EVENT_HANDSHAKE, "client_hello", 0);
  HlEvent *secret_event = find_event (G_LIST_MODEL (events), HL_EVENT_SECRET, NULL, 0);
  HlDetailsPane *pane = HL_DETAILS_PANE (hl_details_pane_new ());
  GtkWidget *window = gtk_window_new ();
  HlDetailsPane *unshown;
  FirstFrame first = { pane, 0, 0, NULL };
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint wake;

  gtk_window_set_default_size (GTK_WINDOW (window), 600, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (pane));
  g_signal_connect (window, "realize", G_CALLBACK (window_realize_cb), &first);
  hl_details_pane_set_events (pane, G_LIST_MODEL (events));
  hl_details_pane_set_event (pane, client_hello);
  g_assert_true (hl_details_pane_get_event (pane) == client_hello);
  g_assert_cmpstr (shown_page (pane), ==, "pending");
  g_assert_cmpuint (count_view_stacks (GTK_WIDGET (pane)), ==, 0);

  gtk_window_present (GTK_WINDOW (window));
  wake = g_timeout_add (50, wake_cb, NULL);
  while ((first.n_painted == 0 || count_view_stacks (GTK_WIDGET (pane)) == 0) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  g_assert_cmpuint (first.n_painted, >, 0);
  g_assert_cmpstr (first.shown, ==, "pending");
  g_assert_cmpuint (first.n_stacks, ==, 0);
  /* then the details, without asking */
  g_assert_cmpstr (shown_page (pane), ==, "details");
  g_assert_cmpuint (count_view_stacks (GTK_WIDGET (pane)), ==, 1);
  g_assert_true (hl_hex_view_get_bytes (hl_details_pane_get_hex_view (pane)) == hl_event_get_raw (client_hello));
  /* later events show at once */
  hl_details_pane_set_event (pane, secret_event);
  g_assert_cmpstr (shown_page (pane), ==, "details");
  g_assert_cmpstr (hl_details_pane_get_page (pane), ==, "secrets");

  /* a pane never drawn shows its event to whoever asks for it */
  unshown = g_object_ref_sink (HL_DETAILS_PANE (hl_details_pane_new ()));
  hl_details_pane_set_events (unshown, G_LIST_MODEL (events));
  hl_details_pane_set_event (unshown, secret_event);
  g_assert_cmpstr (shown_page (unshown), ==, "pending");
  g_assert_cmpstr (hl_details_pane_get_page (unshown), ==, "secrets");
  g_assert_cmpstr (shown_page (unshown), ==, "details");
  g_assert_nonnull (hl_details_pane_get_explanation (unshown));
  hl_details_pane_set_event (unshown, NULL);
  g_assert_cmpstr (shown_page (unshown), ==, "empty");
  g_object_unref (unshown);

  g_free (first.shown);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_certificates (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *events = G_LIST_MODEL (fixture->events);
  HlEvent *client_hello = find_event (events, HL_EVENT_HANDSHAKE, "client_hello", 0);
  HlEvent *certificate = find_event (events, HL_EVENT_HANDSHAKE, "certificate", 0);
  HlEvent *check = find_event (events, HL_EVENT_CERTIFICATE_CHECK, NULL, 0);
  HlCertView *cert_view = HL_CERT_VIEW (hl_details_pane_get_cert_view (fixture->pane));
  g_autoptr(GPtrArray) chain = hl_cert_view_chain_from_message (certificate);
  g_autoptr(HlField) fields = NULL;
  g_autofree char *pem = NULL;

  hl_details_pane_set_page (fixture->pane, "certificates");
  g_assert_cmpstr (hl_details_pane_get_page (fixture->pane), ==, "certificates");

  hl_details_pane_set_event (fixture->pane, client_hello);
  iterate ();
  g_assert_cmpuint (hl_cert_view_get_n_chains (cert_view), ==, 0);
  hl_details_pane_set_event (fixture->pane, certificate);
  iterate ();
  g_assert_cmpuint (hl_cert_view_get_n_chains (cert_view), ==, 1);
  hl_details_pane_set_event (fixture->pane, check);
  iterate ();
  g_assert_cmpuint (hl_cert_view_get_n_chains (cert_view), ==, 1);

  /* RFC 8448's server certificate: CN=rsa, self-signed, RSA 1024 */
  g_assert_cmpuint (chain->len, ==, 1);
  fields = hl_cert_view_decode_certificate (g_ptr_array_index (chain, 0));
  g_assert_cmpstr (hl_field_get_value (fields), ==, "rsa");
  g_assert_false (hl_field_has_error (fields));
  g_assert_cmpuint (hl_field_get_n_children (fields), >=, 6);

  pem = hl_cert_view_chain_to_pem (chain);
  g_assert_true (g_str_has_prefix (pem, "-----BEGIN CERTIFICATE-----\n"));
  g_assert_true (g_str_has_suffix (pem, "-----END CERTIFICATE-----\n"));
}

static void
test_secrets (Fixture       *fixture,
              gconstpointer  data)
{
  GListModel *events = G_LIST_MODEL (fixture->events);
  HlSecretsView *secrets_view = HL_SECRETS_VIEW (hl_details_pane_get_secrets_view (fixture->pane));
  HlEvent *server_hello = find_event (events, HL_EVENT_HANDSHAKE, "server_hello", 0);
  HlEvent *encrypted_extensions = find_event (events, HL_EVENT_HANDSHAKE, "encrypted_extensions", 0);
  HlEvent *ticket = find_event (events, HL_EVENT_HANDSHAKE, "new_session_ticket", 0);
  HlEvent *first = find_event (events, HL_EVENT_SECRET, NULL, 0);
  HlEvent *second = find_event (events, HL_EVENT_SECRET, NULL, 1);
  g_autofree char *line1 = hl_event_dup_keylog_line (first);
  g_autofree char *line2 = hl_event_dup_keylog_line (second);
  g_autofree char *expected = g_strdup_printf ("%s\n%s\n", line1, line2);
  g_autofree char *key_log = NULL;

  hl_details_pane_set_event (fixture->pane, server_hello);
  g_assert_cmpuint (hl_secrets_view_get_n_secrets (secrets_view), ==, 0);
  hl_details_pane_set_event (fixture->pane, encrypted_extensions);
  g_assert_cmpuint (hl_secrets_view_get_n_secrets (secrets_view), ==, 2);
  key_log = hl_secrets_view_dup_key_log (secrets_view);
  g_assert_cmpstr (key_log, ==, expected);
  hl_details_pane_set_event (fixture->pane, ticket);
  g_assert_cmpuint (hl_secrets_view_get_n_secrets (secrets_view), ==, 3);
}

static void
collect_widgets (GtkWidget *widget,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

static GtkLabel *
find_label_with_prefix (GtkWidget  *widget,
                        const char *prefix)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_widgets (widget, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (gtk_label_get_label (g_ptr_array_index (labels, i)), prefix))
      return g_ptr_array_index (labels, i);
  return NULL;
}

static guint
count_property_rows (GtkWidget *widget)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint n = 0;

  collect_widgets (widget, ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    n += gtk_widget_has_css_class (g_ptr_array_index (rows, i), "property");
  return n;
}

/* A certificate's row lists its fields when it is expanded, and has no
 * rows for them while it is collapsed (GTK would measure them all the same):
 * with both chains shown, both start collapsed */
static void
test_certificate_fields (Fixture       *fixture,
                         gconstpointer  data)
{
  GListStore *events = fixture->events;
  HlEvent *certificate = find_event (G_LIST_MODEL (events), HL_EVENT_HANDSHAKE, "certificate", 0);
  GtkWidget *cert_view = hl_details_pane_get_cert_view (fixture->pane);
  g_autoptr(GPtrArray) chain = hl_cert_view_chain_from_message (certificate);
  g_autoptr(HlField) fields = hl_cert_view_decode_certificate (g_ptr_array_index (chain, 0));
  guint n_fields = hl_field_get_n_children (fields);
  g_autoptr(GPtrArray) expanders = g_ptr_array_new ();
  HlEvent *client_check;
  AdwExpanderRow *leaf;

  /* one chain: its leaf opens at once */
  hl_details_pane_set_page (fixture->pane, "certificates");
  hl_details_pane_set_event (fixture->pane, certificate);
  iterate ();
  collect_widgets (cert_view, ADW_TYPE_EXPANDER_ROW, expanders);
  g_assert_cmpuint (expanders->len, ==, 1);
  leaf = g_ptr_array_index (expanders, 0);
  g_assert_true (adw_expander_row_get_expanded (leaf));
  g_assert_cmpuint (count_property_rows (cert_view), ==, n_fields);

  /* two chains (the server checked a client's, here the same certificate) */
  client_check = stamp (events, hl_event_new_certificate_check (HL_SIDE_SERVER, chain, 0, NULL));
  hl_details_pane_set_event (fixture->pane, client_check);
  iterate ();
  g_ptr_array_set_size (expanders, 0);
  collect_widgets (cert_view, ADW_TYPE_EXPANDER_ROW, expanders);
  g_assert_cmpuint (expanders->len, ==, 2);
  g_assert_cmpuint (count_property_rows (cert_view), ==, 0);

  leaf = g_ptr_array_index (expanders, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (leaf)), ==, "rsa");
  g_assert_false (adw_expander_row_get_expanded (leaf));
  adw_expander_row_set_expanded (leaf, TRUE);
  iterate ();
  g_assert_cmpuint (count_property_rows (cert_view), ==, n_fields);
  /* collapsing and expanding again makes no second set */
  adw_expander_row_set_expanded (leaf, FALSE);
  adw_expander_row_set_expanded (leaf, TRUE);
  iterate ();
  g_assert_cmpuint (count_property_rows (cert_view), ==, n_fields);
}

/* Each key-log line shows whole on one line, the block scrolling sideways
 * (a wrapped block of hex took GTK 0.1 s to measure on a page's first
 * frame) */
static void
test_key_log_lines (Fixture       *fixture,
                    gconstpointer  data)
{
  GListModel *events = G_LIST_MODEL (fixture->events);
  HlSecretsView *secrets_view = HL_SECRETS_VIEW (hl_details_pane_get_secrets_view (fixture->pane));
  HlEvent *ticket = find_event (events, HL_EVENT_HANDSHAKE, "new_session_ticket", 0);
  HlEvent *first = find_event (events, HL_EVENT_SECRET, NULL, 0);
  g_autofree char *line1 = hl_event_dup_keylog_line (first);
  GtkWidget *scroller;
  GtkLabel *label;
  GtkPolicyType policy;
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  hl_details_pane_set_event (fixture->pane, ticket);
  hl_details_pane_set_page (fixture->pane, "secrets");
  while (!gtk_widget_get_mapped (GTK_WIDGET (secrets_view)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (hl_secrets_view_get_n_secrets (secrets_view), ==, 3);
  label = find_label_with_prefix (GTK_WIDGET (secrets_view), line1);
  g_assert_nonnull (label);
  while (gtk_widget_get_width (GTK_WIDGET (label)) == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  iterate ();

  /* longer than the pane is wide, yet one line each */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (label)), >, 600);
  g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (label)), ==, 3);
  scroller = gtk_widget_get_ancestor (GTK_WIDGET (label), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scroller);
  gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (scroller), &policy, NULL);
  g_assert_cmpint (policy, ==, GTK_POLICY_AUTOMATIC);
  g_assert_cmpint (gtk_widget_get_width (scroller), <, 600);
}

/* A live capture: what arrives later tells more about the selected event */
static void
test_live (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GListStore) live = g_list_store_new (HL_TYPE_EVENT);
  HlEvent *client_hello;
  gint64 end;

  next_seq = 0;
  client_hello = message (live, "rfc8448/3-01-client_hello-c.hex", HL_SIDE_CLIENT, 0, FALSE);
  hl_details_pane_set_events (fixture->pane, G_LIST_MODEL (live));
  hl_details_pane_set_event (fixture->pane, client_hello);
  g_assert_null (strstr (hl_details_pane_get_explanation (fixture->pane), "key_share"));

  message (live, "rfc8448/3-02-server_hello-s.hex", HL_SIDE_SERVER, 0x0304, FALSE);
  end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (strstr (hl_details_pane_get_explanation (fixture->pane), "key_share") == NULL &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (hl_details_pane_get_explanation (fixture->pane), "key_share"));
}

/* A log of two connections: the pages look at the selected one's only */
static void
test_connections (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GListStore) first = rfc8448_handshake ();
  g_autoptr(GListStore) second = rfc8448_handshake ();
  g_autoptr(GListStore) both = g_list_store_new (HL_TYPE_EVENT);
  HlSecretsView *secrets_view = HL_SECRETS_VIEW (hl_details_pane_get_secrets_view (fixture->pane));
  HlCertView *cert_view = HL_CERT_VIEW (hl_details_pane_get_cert_view (fixture->pane));
  HlEvent *server_hello;
  HlEvent *ticket;

  next_seq = 0;
  for (guint c = 0; c < 2; c++)
    {
      GListModel *events = G_LIST_MODEL (c == 0 ? first : second);

      stamp (both, hl_event_new_state (HL_SIDE_CLIENT, "connected", NULL));
      for (guint i = 0; i < g_list_model_get_n_items (events); i++)
        {
          g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

          stamp (both, g_object_ref (event));
        }
    }
  hl_details_pane_set_events (fixture->pane, G_LIST_MODEL (both));

  server_hello = find_event (G_LIST_MODEL (both), HL_EVENT_HANDSHAKE, "server_hello", 1);
  hl_details_pane_set_event (fixture->pane, server_hello);
  g_assert_cmpuint (hl_secrets_view_get_n_secrets (secrets_view), ==, 0);
  g_assert_cmpuint (hl_cert_view_get_n_chains (cert_view), ==, 0);
  ticket = find_event (G_LIST_MODEL (both), HL_EVENT_HANDSHAKE, "new_session_ticket", 1);
  hl_details_pane_set_event (fixture->pane, ticket);
  g_assert_cmpuint (hl_secrets_view_get_n_secrets (secrets_view), ==, 3);
  g_assert_cmpuint (hl_cert_view_get_n_chains (cert_view), ==, 1);
}

static void
assert_explains (GListModel *events,
                 HlEvent    *event,
                 const char *needle)
{
  g_autofree char *text = hl_explain_event (event, events);

  if (strstr (text, needle) == NULL)
    g_error ("the explanation of %s lacks “%s”: %s", hl_event_get_handshake_name (event),
             needle, text);
}

static void
test_explanations (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *events = G_LIST_MODEL (fixture->events);
  g_autoptr(GListStore) rsa = g_list_store_new (HL_TYPE_EVENT);
  g_autoptr(GListStore) mutual = g_list_store_new (HL_TYPE_EVENT);

  assert_explains (events, find_event (events, HL_EVENT_HANDSHAKE, "certificate", 0),
                   "In TLS 1.3 the certificate travels encrypted");
  assert_explains (events, find_event (events, HL_EVENT_HANDSHAKE, "client_hello", 0), "key_share");
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      g_autofree char *text = hl_explain_event (event, events);
      g_autofree char *title = hl_explain_event_title (event);

      g_assert_cmpuint (strlen (text), >, 80);
      g_assert_nonnull (title);
    }

  /* TLS 1.2 with RSA key transport: no server_key_exchange */
  message (rsa, "tls12/rsa/01-client_hello-c.hex", HL_SIDE_CLIENT, 0, FALSE);
  message (rsa, "tls12/rsa/02-server_hello-s.hex", HL_SIDE_SERVER, 0x0303, FALSE);
  message (rsa, "tls12/rsa/03-certificate-s.hex", HL_SIDE_SERVER, 0x0303, FALSE);
  message (rsa, "tls12/rsa/04-server_hello_done-s.hex", HL_SIDE_SERVER, 0x0303, FALSE);
  message (rsa, "tls12/rsa/05-client_key_exchange-c.hex", HL_SIDE_CLIENT, 0x0303, FALSE);
  assert_explains (G_LIST_MODEL (rsa), find_event (G_LIST_MODEL (rsa), HL_EVENT_HANDSHAKE,
                                                   "server_hello", 0),
                   "no ServerKeyExchange follows");
  assert_explains (G_LIST_MODEL (rsa), find_event (G_LIST_MODEL (rsa), HL_EVENT_HANDSHAKE,
                                                   "client_key_exchange", 0),
                   "RSA key transport");
  assert_explains (G_LIST_MODEL (rsa), find_event (G_LIST_MODEL (rsa), HL_EVENT_HANDSHAKE,
                                                   "certificate", 0),
                   "In TLS 1.2 the certificate travels in the clear");

  /* mutual TLS 1.2 */
  message (mutual, "tls12/mutual/05-certificate_request-s.hex", HL_SIDE_SERVER, 0x0303, FALSE);
  message (mutual, "tls12/mutual/07-certificate-c.hex", HL_SIDE_CLIENT, 0x0303, FALSE);
  assert_explains (G_LIST_MODEL (mutual), find_event (G_LIST_MODEL (mutual), HL_EVENT_HANDSHAKE,
                                                      "certificate_request", 0),
                   "only in mutual (two-way) TLS");
  assert_explains (G_LIST_MODEL (mutual), find_event (G_LIST_MODEL (mutual), HL_EVENT_HANDSHAKE,
                                                      "certificate", 0),
                   "mutual (two-way) TLS");
}

/* A real capture made by the CLI: the decoder's full trees, both sides */
static void
test_real_capture (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *cli = g_getenv ("HL_CLI");
  g_autofree char *dir = g_dir_make_tmp ("hl-details-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "mutual.log", NULL);
  const char *argv[] = { cli, "demo", "--mutual", "-o", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(HlLog) log = NULL;
  GListModel *events;
  int status = 0;
  guint n_messages = 0;

  if (cli == NULL ||
      !g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("the CLI could not run a demo");
      return;
    }
  file = g_file_new_for_path (path);
  log = hl_log_load (file, NULL, &error);
  g_assert_no_error (error);
  events = hl_log_get_events (log);
  hl_details_pane_set_events (fixture->pane, events);

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      gsize length;

      hl_details_pane_set_event (fixture->pane, event);
      g_assert_nonnull (hl_details_pane_get_explanation (fixture->pane));
      if (hl_event_get_kind (event) != HL_EVENT_HANDSHAKE || hl_event_get_side (event) != HL_SIDE_CLIENT)
        continue;
      length = g_bytes_get_size (hl_event_get_raw (event));
      select_every_field (fixture->pane, hl_event_get_fields (event), length);
      activate_every_byte (fixture->pane, hl_event_get_fields (event), length);
      n_messages++;
    }
  g_assert_cmpuint (n_messages, >=, 8);
  /* mutual TLS 1.3: both chains, and the server asked for the client's */
  hl_details_pane_set_event (fixture->pane, find_event (events, HL_EVENT_STATE, "closed", 0));
  g_assert_cmpuint (hl_cert_view_get_n_chains (HL_CERT_VIEW (hl_details_pane_get_cert_view (fixture->pane))),
                    ==, 2);
  assert_explains (events, find_event (events, HL_EVENT_HANDSHAKE, "certificate_request", 0),
                   "In TLS 1.3 it is encrypted");

  g_unlink (path);
  g_rmdir (dir);
}

/* The fields view's items: one per field, made a level at a time, the
 * same children model each time it is asked for, none for a leaf */
static void
test_field_items (void)
{
  g_autoptr(HlField) root = hl_field_new ("Finished", NULL, 0, 36);
  g_autoptr(HlFieldItem) item = NULL;
  g_autoptr(GListModel) children = NULL;
  g_autoptr(GListModel) again = NULL;
  g_autoptr(HlFieldItem) first = NULL;
  g_autoptr(HlFieldItem) second = NULL;

  hl_field_append (root, hl_field_new ("msg_type", "finished (20)", 0, 1));
  hl_field_append (root, hl_field_new ("verify_data", NULL, 4, 32));
  item = hl_field_item_new (root);
  g_assert_true (hl_field_item_get_field (item) == root);

  children = hl_field_item_get_children (item);
  g_assert_nonnull (children);
  g_assert_true (g_list_model_get_item_type (children) == HL_TYPE_FIELD_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, 2);
  again = hl_field_item_get_children (item);
  g_assert_true (again == children);

  first = g_list_model_get_item (children, 0);
  second = g_list_model_get_item (children, 1);
  g_assert_true (hl_field_item_get_field (first) == hl_field_get_child (root, 0));
  g_assert_cmpstr (hl_field_get_name (hl_field_item_get_field (second)), ==, "verify_data");
  g_assert_null (hl_field_item_get_children (first));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/details-pane/field-items", test_field_items);
  g_test_add ("/details-pane/fields-highlight", Fixture, NULL,
              fixture_set_up, test_fields_highlight, fixture_tear_down);
  g_test_add ("/details-pane/no-event", Fixture, NULL,
              fixture_set_up, test_no_event, fixture_tear_down);
  g_test_add ("/details-pane/pages", Fixture, NULL,
              fixture_set_up, test_pages, fixture_tear_down);
  g_test_add ("/details-pane/pages-made-when-needed", Fixture, NULL,
              fixture_set_up, test_pages_made_when_needed, fixture_tear_down);
  g_test_add_func ("/details-pane/shown-after-first-frame", test_shown_after_first_frame);
  g_test_add ("/details-pane/waits-for-rows", Fixture, GUINT_TO_POINTER (3),
              fixture_set_up, test_waits_for_rows, fixture_tear_down);
  g_test_add ("/details-pane/waits-for-rows-a-while", Fixture, GUINT_TO_POINTER (40),
              fixture_set_up, test_waits_for_rows, fixture_tear_down);
  g_test_add ("/details-pane/certificates", Fixture, NULL,
              fixture_set_up, test_certificates, fixture_tear_down);
  g_test_add ("/details-pane/certificate-fields", Fixture, NULL, fixture_set_up, test_certificate_fields,
              fixture_tear_down);
  g_test_add ("/details-pane/key-log-lines", Fixture, NULL, fixture_set_up, test_key_log_lines, fixture_tear_down);
  g_test_add ("/details-pane/secrets", Fixture, NULL,
              fixture_set_up, test_secrets, fixture_tear_down);
  g_test_add ("/details-pane/live", Fixture, NULL,
              fixture_set_up, test_live, fixture_tear_down);
  g_test_add ("/details-pane/connections", Fixture, NULL,
              fixture_set_up, test_connections, fixture_tear_down);
  g_test_add ("/details-pane/explanations", Fixture, NULL,
              fixture_set_up, test_explanations, fixture_tear_down);
  g_test_add ("/details-pane/real-capture", Fixture, NULL,
              fixture_set_up, test_real_capture, fixture_tear_down);

  return g_test_run ();
}

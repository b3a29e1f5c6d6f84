/* test-app.c: the application driving real demos, logs and playback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "hl-application.h"
#include "hl-connect-dialog.h"
#include "hl-diagram-model.h"
#include "hl-log.h"
#include "hl-window.h"

static HlApplication *app;
static char *tmpdir;

static void
wait_until (gboolean (*done) (gpointer),
            gpointer   data,
            guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  /* let the views catch up */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Returns: whether @done came true within @ms milliseconds */
static gboolean
wait_for (gboolean (*done) (gpointer),
          gpointer   data,
          guint      ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (!done (data) && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  return done (data);
}

static gboolean
not_busy (gpointer data)
{
  return !hl_window_get_busy (data) && hl_window_get_events (data) != NULL;
}

static HlWindow *
new_window (void)
{
  HlWindow *window = hl_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (hl_window_get_page (window), ==, "empty");
  g_assert_true (hl_window_is_empty (window));
  return window;
}

static void
set_demo_options (const char *version,
                  gboolean    mutual,
                  const char *kx)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_set_string (settings, "demo-version", version);
  g_settings_set_string (settings, "demo-kx", kx);
  g_settings_set_boolean (settings, "demo-mutual", mutual);
}

/* One click: the Demo button's action */
static void
run_demo (HlWindow   *window,
          const char *scenario)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.demo", "s", scenario));
  g_assert_nonnull (hl_window_get_capture (window));
  wait_until (not_busy, window, 30);
  g_assert_cmpstr (hl_window_get_page (window), ==, "session");
}

static GListModel *
rows_of (HlWindow *window)
{
  return hl_sequence_view_get_model (hl_window_get_sequence_view (window));
}

/* The message rows, as "C>ClientHello" or "S>Finished", space-separated */
static char *
describe_messages (GListModel *rows,
                   gboolean    require_paired)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(HlDiagramRow) row = g_list_model_get_item (rows, i);
      HlDiagramRowKind kind = hl_diagram_row_get_kind (row);

      g_assert_cmpuint (hl_diagram_row_get_index (row), ==, i);
      if (kind != HL_DIAGRAM_ROW_MESSAGE && kind != HL_DIAGRAM_ROW_CHANGE_CIPHER_SPEC)
        continue;
      /* both ends ran in the app: every message is one arrow, seen twice */
      if (require_paired)
        g_assert_true (hl_diagram_row_is_paired (row));
      g_assert_true (hl_diagram_row_get_event (row) == hl_diagram_row_get_send_event (row));
      g_string_append_printf (text, "%s%c>%s", text->len > 0 ? " " : "",
                              hl_diagram_row_get_side (row) == HL_SIDE_CLIENT ? 'C' : 'S',
                              hl_diagram_row_get_label (row));
    }
  return g_string_free (text, FALSE);
}

/* The messages of one side ('C' or 'S') from describe_messages(): while a
 * TLS 1.3 server writes its flight, the client may already send its
 * ChangeCipherSpec, and the rows follow the time each message was sent */
static char *
messages_of_side (const char *messages,
                  char        side)
{
  g_auto(GStrv) words = g_strsplit (messages, " ", -1);
  GString *text = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] == side)
      g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", words[i]);
  return g_string_free (text, FALSE);
}

static gboolean
has_note (GListModel *rows,
          HlSide      side,
          const char *label)
{
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(HlDiagramRow) row = g_list_model_get_item (rows, i);

      if (hl_diagram_row_get_kind (row) == HL_DIAGRAM_ROW_NOTE &&
          hl_diagram_row_get_side (row) == side &&
          g_strcmp0 (hl_diagram_row_get_label (row), label) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_demo_tls13 (void)
{
  HlWindow *window = new_window ();
  HlSummaryBar *summary = hl_window_get_summary_bar (window);
  GListModel *rows;
  g_autofree char *messages = NULL;
  g_autofree char *server_messages = NULL;
  HlSequenceView *view = hl_window_get_sequence_view (window);

  set_demo_options ("tls1.3", FALSE, "ecdhe");
  run_demo (window, "none");

  g_assert_cmpstr (hl_summary_bar_get_state (summary), ==, "done");
  g_assert_cmpstr (hl_summary_bar_get_value (summary, "version"), ==, "TLS1.3");
  g_assert_true (g_str_has_prefix (hl_summary_bar_get_value (summary, "cipher_suite"), "TLS_AES_"));
  g_assert_cmpstr (hl_summary_bar_get_value (summary, "server_verdict"), ==, "✓ trusted");
  g_assert_cmpstr (hl_summary_bar_get_value (summary, "client_verdict"), ==, "not requested");
  g_assert_true (g_str_has_suffix (hl_summary_bar_get_value (summary, "duration"), " ms"));

  rows = rows_of (window);
  messages = describe_messages (rows, TRUE);
  g_test_message ("messages: %s", messages);
  g_assert_true (g_str_has_prefix (messages, "C>ClientHello S>ServerHello "));
  server_messages = messages_of_side (messages, 'S');
  g_assert_nonnull (strstr (server_messages, "S>EncryptedExtensions S>Certificate S>CertificateVerify S>Finished"));
  g_assert_nonnull (strstr (messages, "C>Finished"));
  g_assert_true (has_note (rows, HL_SIDE_CLIENT, "verified server chain ✓"));
  g_assert_true (has_note (rows, HL_SIDE_CLIENT, "handshake traffic secrets derived"));
  g_assert_true (has_note (rows, HL_SIDE_CLIENT, "handshake complete"));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (hl_playback_get_source (hl_window_get_playback (window)))));

  /* the selection drives the details pane */
  hl_sequence_view_set_selected (view, 1);
  g_assert_true (hl_details_pane_get_event (hl_window_get_details_pane (window)) ==
                 hl_sequence_view_get_selected_event (view));
  g_assert_cmpint (hl_event_get_kind (hl_sequence_view_get_selected_event (view)), ==, HL_EVENT_HANDSHAKE);

  /* raw records are rows only on request */
  {
    guint n_rows = g_list_model_get_n_items (rows);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.show-records", NULL));
    rows = rows_of (window);
    g_assert_cmpuint (g_list_model_get_n_items (rows), >, n_rows);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.show-records", NULL));
    g_assert_cmpuint (g_list_model_get_n_items (rows_of (window)), ==, n_rows);
  }

  /* a second demo opens a window of its own */
  {
    guint n_windows = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));

    g_assert_false (hl_window_is_empty (window));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.demo", "s", "none"));
    g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, n_windows + 1);
    wait_until (not_busy, gtk_application_get_windows (GTK_APPLICATION (app))->data, 30);
    gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_demo_mutual_tls12 (void)
{
  HlWindow *window = new_window ();
  HlSummaryBar *summary = hl_window_get_summary_bar (window);
  g_autofree char *messages = NULL;

  set_demo_options ("tls1.2", TRUE, "ecdhe");
  run_demo (window, "none");

  g_assert_cmpstr (hl_summary_bar_get_state (summary), ==, "done");
  g_assert_cmpstr (hl_summary_bar_get_value (summary, "version"), ==, "TLS1.2");
  g_assert_cmpstr (hl_summary_bar_get_value (summary, "client_verdict"), ==, "✓ trusted");

  messages = describe_messages (rows_of (window), TRUE);
  g_test_message ("messages: %s", messages);
  g_assert_true (g_str_has_prefix (messages,
                                   "C>ClientHello S>ServerHello S>Certificate S>ServerKeyExchange "
                                   "S>CertificateRequest S>ServerHelloDone C>Certificate "
                                   "C>ClientKeyExchange C>CertificateVerify C>ChangeCipherSpec C>Finished"));
  g_assert_true (has_note (rows_of (window), HL_SIDE_SERVER, "verified client chain ✓"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_demo_failure (void)
{
  HlWindow *window = new_window ();
  HlSummaryBar *summary = hl_window_get_summary_bar (window);
  GListModel *rows;
  gboolean alert = FALSE;

  set_demo_options ("tls1.3", FALSE, "ecdhe");
  run_demo (window, "untrusted-server");

  g_assert_cmpstr (hl_summary_bar_get_state (summary), ==, "failed");
  g_test_message ("cause: %s", hl_summary_bar_get_value (summary, "cause"));
  g_assert_nonnull (strstr (hl_summary_bar_get_value (summary, "cause"), "The client sent the alert"));
  rows = rows_of (window);
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(HlDiagramRow) row = g_list_model_get_item (rows, i);

      if (hl_diagram_row_get_kind (row) == HL_DIAGRAM_ROW_ALERT &&
          hl_diagram_row_get_mood (row) == HL_DIAGRAM_MOOD_BAD)
        alert = TRUE;
    }
  g_assert_true (alert);
  g_assert_true (has_note (rows, HL_SIDE_CLIENT, "server chain refused ✗"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
waiting_or_done (gpointer data)
{
  HlCapture *capture = hl_window_get_capture (data);

  return hl_capture_get_waiting (capture) || !hl_capture_get_running (capture);
}

static gboolean
capture_running (gpointer data)
{
  return hl_capture_get_running (hl_window_get_capture (data));
}

static guint
count_sent (GListModel *events)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_kind (event) == HL_EVENT_HANDSHAKE &&
          hl_event_get_direction (event) == HL_DIRECTION_OUT)
        n++;
    }
  return n;
}

/* Step mode: the workers wait before each message until Next */
static void
test_step_mode (void)
{
  HlWindow *window = new_window ();
  guint steps = 0, last_rows = 0;
  /* Bounded in time, not in presses: "waiting" as last announced may be
   * stale, and a Next pressed then lets nothing go (on a loaded machine,
   * dozens of times in one demo) */
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  set_demo_options ("tls1.3", FALSE, "ecdhe");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.step-mode", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.demo", "s", "none"));
  /* it starts once its page is drawn */
  g_assert_true (wait_for (capture_running, window, 5000));

  /* every message sent takes one Next: never more sent than pressed */
  while (hl_capture_get_running (hl_window_get_capture (window)))
    {
      guint n_rows;

      wait_for (waiting_or_done, window, 250);
      g_assert_cmpuint (count_sent (hl_window_get_events (window)), <=, steps);
      n_rows = g_list_model_get_n_items (rows_of (window));
      g_assert_cmpuint (n_rows, >=, last_rows);
      last_rows = n_rows;
      if (!hl_capture_get_running (hl_window_get_capture (window)))
        break;
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.next", NULL));
      steps++;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  wait_until (not_busy, window, 10);
  g_test_message ("%u steps, %s: %s", steps,
                  hl_summary_bar_get_state (hl_window_get_summary_bar (window)),
                  hl_summary_bar_get_value (hl_window_get_summary_bar (window), "cause"));
  g_assert_cmpuint (steps, >=, 5);
  g_assert_cmpuint (count_sent (hl_window_get_events (window)), <=, steps);
  g_assert_cmpstr (hl_summary_bar_get_state (hl_window_get_summary_bar (window)), ==, "done");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Save a demo, open it again: the same rows; then play it back */
static void
test_log_and_playback (void)
{
  HlWindow *window = new_window ();
  HlWindow *reopened;
  g_autofree char *path = g_build_filename (tmpdir, "demo.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  HlPlayback *playback;
  guint n;

  set_demo_options ("tls1.3", TRUE, "ecdhe");
  run_demo (window, "none");
  g_assert_true (hl_log_save (hl_window_get_events (window), "demo", "test", file, &error));
  g_assert_no_error (error);
  before = describe_messages (rows_of (window), TRUE);

  reopened = new_window ();
  hl_window_open_file (reopened, file);
  wait_until (not_busy, reopened, 10);
  after = describe_messages (rows_of (reopened), TRUE);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (g_list_model_get_n_items (rows_of (reopened)), ==,
                    g_list_model_get_n_items (rows_of (window)));

  playback = hl_window_get_playback (reopened);
  n = hl_playback_get_n_items (playback);
  g_assert_cmpuint (hl_playback_get_position (playback), ==, n);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (reopened), "playback.start", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (rows_of (reopened)), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (reopened), "playback.step-forward", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (reopened), "playback.step-forward", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (rows_of (reopened)), ==, 3);
  g_assert_cmpuint (hl_sequence_view_get_selected (hl_window_get_sequence_view (reopened)), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (reopened), "playback.step-back", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (rows_of (reopened)), ==, 2);
  hl_playback_set_speed (playback, 8.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (reopened), "playback.toggle", NULL));
  g_assert_true (hl_playback_get_playing (playback));
  while (hl_playback_get_playing (playback))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (rows_of (reopened)), ==, n);

  gtk_window_destroy (GTK_WINDOW (reopened));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
}

/* The first widget under @widget, itself included, that @match accepts */
static GtkWidget *
find_widget (GtkWidget     *widget,
             gboolean     (*match) (GtkWidget *, gconstpointer),
             gconstpointer  data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  return find_widget (widget, is_button_labelled, label);
}

/* Counts the stacks under @widget and checks that each one sizes itself
 * to the page it shows; aside: popovers and drop-downs (GTK's own
 * stacks) and the summary bar, whose pages are a row of labels each and
 * which keeps one width for every state of the capture */
static guint
check_stacks (GtkWidget *widget)
{
  guint n = 0;

  if (GTK_IS_POPOVER (widget) || GTK_IS_DROP_DOWN (widget) || HL_IS_SUMMARY_BAR (widget))
    return 0;
  if (GTK_IS_STACK (widget))
    {
      g_assert_false (gtk_stack_get_hhomogeneous (GTK_STACK (widget)));
      g_assert_false (gtk_stack_get_vhomogeneous (GTK_STACK (widget)));
      n++;
    }
  if (ADW_IS_VIEW_STACK (widget))
    {
      g_assert_false (adw_view_stack_get_hhomogeneous (ADW_VIEW_STACK (widget)));
      g_assert_false (adw_view_stack_get_vhomogeneous (ADW_VIEW_STACK (widget)));
      n++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += check_stacks (child);
  return n;
}

/* A homogeneous stack measures every page, the hidden ones too, each
 * time it is measured: the details pane's pages (the explanation's
 * wrapped text, the certificate and secrets pages) then cost the
 * window's first frame a sixth of its instructions. Every stack of the
 * window sizes itself to the page it shows. */
static void
test_stacks_measure_shown_page (void)
{
  HlWindow *window = new_window ();

  /* the details pane makes its pages when they are first needed */
  g_assert_cmpuint (check_stacks (GTK_WIDGET (window)), >=, 2);
  hl_details_pane_get_fields_view (hl_window_get_details_pane (window));
  g_assert_cmpuint (check_stacks (GTK_WIDGET (window)), >=, 7);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_spinner (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_SPINNER (widget);
}

static GtkSpinner *
find_spinner (GtkWidget *widget)
{
  return GTK_SPINNER (find_widget (widget, is_spinner, NULL));
}

static gboolean
spinning (gpointer data)
{
  return gtk_spinner_get_spinning (data);
}

/* The window's stack of pages: the one with a "session" page */
static gboolean
is_page_stack (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "session") != NULL;
}

typedef struct
{
  HlWindow   *window;
  GtkSpinner *spinner;
  guint       n_painted;     /* frames since the capture was asked for */
  guint       n_painted_at_start;
  char       *page_at_start;
  gboolean    fading_at_start;
  gint64      asked_us;
  gint64      last_paint_us;
  gint64      quiet_at_start_us;  /* since the last frame */
  gint64      start_us;
  gint64      end_us;
  guint       n_spins;
} Start;

static void
start_painted_cb (GdkFrameClock *frame_clock,
                  Start         *start)
{
  start->n_painted++;
  start->last_paint_us = g_get_monotonic_time ();
}

static void
start_running_cb (HlCapture  *capture,
                  GParamSpec *pspec,
                  Start      *start)
{
  if (hl_capture_get_running (capture) && start->start_us == 0)
    {
      start->start_us = g_get_monotonic_time ();
      start->quiet_at_start_us = start->start_us - start->last_paint_us;
      start->n_painted_at_start = start->n_painted;
      start->page_at_start = g_strdup (hl_window_get_page (start->window));
      start->fading_at_start = gtk_stack_get_transition_running (GTK_STACK (find_widget (GTK_WIDGET (start->window), is_page_stack, NULL)));
    }
  else if (!hl_capture_get_running (capture))
    start->end_us = g_get_monotonic_time ();
}

static void
start_spinning_cb (GtkSpinner *spinner,
                   GParamSpec *pspec,
                   Start      *start)
{
  start->n_spins += gtk_spinner_get_spinning (spinner);
}

static HlCapture *
new_demo_capture (void)
{
  HlCaptureConfig config;

  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_DEMO;
  config.version = HL_TLS_VERSION_1_3;
  return hl_capture_new (&config);
}

/* A capture starts once the frame that first shows its page is painted
 * and the window has stopped drawing, so that its first rows wait neither
 * for that frame nor for a frame slot taken just before, and nothing animates
 * while a short handshake's rows come: the page comes without a
 * cross-fade, and the spinner turns only for a handshake that takes a
 * while */
static void
test_capture_starts_after_page (void)
{
  HlWindow *window = new_window ();
  g_autoptr(HlCapture) capture = new_demo_capture ();
  g_autoptr(HlCapture) stepped = NULL;
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  Start start = { window, find_spinner (GTK_WIDGET (hl_window_get_summary_bar (window))), 0 };
  gulong painted_id;
  double ms;

  g_assert_nonnull (start.spinner);
  g_signal_connect (start.spinner, "notify::spinning", G_CALLBACK (start_spinning_cb), &start);
  g_signal_connect (capture, "notify::running", G_CALLBACK (start_running_cb), &start);
  painted_id = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (start_painted_cb), &start);

  start.asked_us = g_get_monotonic_time ();
  hl_window_run_capture (window, capture);
  g_assert_true (hl_window_get_busy (window));
  g_assert_false (hl_capture_get_running (capture));
  wait_until (not_busy, window, 30);
  g_signal_handler_disconnect (frame_clock, painted_id);

  g_assert_cmpint (start.start_us, >, 0);
  g_assert_cmpuint (start.n_painted_at_start, >=, 1);
  /* once a refresh went by without a frame (two are waited for), so that
   * the frame its first events ask for can start at once; or, in a
   * window that never stops drawing, after 300 ms */
  g_test_message ("started %.1f ms after it was asked for, %.1f ms after the last frame",
                  (start.start_us - start.asked_us) / 1000.0, start.quiet_at_start_us / 1000.0);
  if (start.start_us - start.asked_us < 300 * 1000)
    g_assert_cmpint (start.quiet_at_start_us, >=, 16 * 1000);
  g_assert_cmpstr (start.page_at_start, ==, "session");
  /* the page is there at once: a cross-fade would draw the whole page
   * again in every frame while the rows come */
  g_assert_false (start.fading_at_start);
  g_assert_cmpstr (hl_summary_bar_get_state (hl_window_get_summary_bar (window)), ==, "done");
  ms = (start.end_us - start.start_us) / 1000.0;
  g_test_message ("the demo ran %.1f ms, %u frames after its page was asked for", ms, start.n_painted_at_start);
  /* a demo is over in milliseconds, on a loaded machine in tens: the
   * spinner waits half a second from when the capture was asked for */
  if (start.end_us - start.asked_us < 450 * 1000)
    g_assert_cmpuint (start.n_spins, ==, 0);
  g_assert_false (gtk_spinner_get_spinning (start.spinner));
  g_free (start.page_at_start);
  gtk_window_destroy (GTK_WINDOW (window));

  /* one that waits for the user: the spinner turns after a while */
  window = new_window ();
  start.spinner = find_spinner (GTK_WIDGET (hl_window_get_summary_bar (window)));
  stepped = new_demo_capture ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.step-mode", NULL));
  hl_window_run_capture (window, stepped);
  g_assert_true (wait_for (capture_running, window, 5000));
  g_assert_false (gtk_spinner_get_spinning (start.spinner));
  g_assert_true (wait_for (spinning, start.spinner, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.cancel", NULL));
  wait_until (not_busy, window, 10);
  g_assert_false (gtk_spinner_get_spinning (start.spinner));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Stopped before its page was drawn: it never starts */
static void
test_capture_stopped_before_start (void)
{
  HlWindow *window = new_window ();
  g_autoptr(HlCapture) capture = new_demo_capture ();

  hl_window_run_capture (window, capture);
  g_assert_false (hl_capture_get_running (capture));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.cancel", NULL));
  g_assert_false (hl_window_get_busy (window));
  wait_for (capture_running, window, 500);
  g_assert_false (hl_capture_get_running (capture));
  g_assert_cmpuint (g_list_model_get_n_items (hl_window_get_events (window)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The connect dialog validates as you type, remembers, and connects */
static void
test_connect_dialog (void)
{
  HlWindow *window = new_window ();
  HlConnectDialog *dialog = hl_connect_dialog_new (GTK_WINDOW (window));
  GtkWidget *connect = find_button (GTK_WIDGET (dialog), "C_onnect");
  g_autoptr(GError) error = NULL;
  g_autoptr(HlCapture) capture = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *remembered = NULL;

  g_assert_nonnull (connect);
  g_signal_connect_object (dialog, "start", G_CALLBACK (gtk_window_destroy), dialog, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));

  hl_connect_dialog_set_host (dialog, "example.com");
  g_assert_false (gtk_widget_get_sensitive (connect));
  g_assert_null (hl_connect_dialog_create_capture (dialog, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  hl_connect_dialog_set_host (dialog, "example.com:99999");
  g_assert_false (gtk_widget_get_sensitive (connect));

  hl_connect_dialog_set_host (dialog, "127.0.0.1:1");
  g_assert_true (gtk_widget_get_sensitive (connect));
  capture = hl_connect_dialog_create_capture (dialog, &error);
  g_assert_no_error (error);
  g_assert_nonnull (capture);

  /* pressing Connect remembers the values */
  g_signal_emit_by_name (connect, "clicked");
  remembered = g_settings_get_string (settings, "connect-host");
  g_assert_cmpstr (remembered, ==, "127.0.0.1:1");

  /* nothing listens on port 1: the failure is shown, the UI goes on */
  hl_window_run_capture (window, capture);
  wait_until (not_busy, window, 20);
  g_assert_cmpstr (hl_summary_bar_get_state (hl_window_get_summary_bar (window)), ==, "failed");
  g_test_message ("cause: %s", hl_summary_bar_get_value (hl_window_get_summary_bar (window), "cause"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_render_node (void)
{
  g_autoptr(GDir) dri = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dri != NULL && (name = g_dir_read_name (dri)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

/* Where no GPU render node exists, the application draws with cairo
 * rather than GL in a software rasterizer; a renderer asked for, a GPU,
 * or debug flags given stay as they are (in a child: it sets variables) */
static void
test_renderer_choice (void)
{
  gboolean gpu = has_render_node ();

  if (!g_test_subprocess ())
    {
      g_test_message ("a GPU render node: %s", gpu ? "yes" : "no");
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  g_unsetenv ("GSK_RENDERER");
  g_unsetenv ("GDK_DEBUG");
  if (gpu)
    {
      g_assert_null (hl_application_choose_renderer ());
      g_assert_null (g_getenv ("GSK_RENDERER"));
      g_assert_null (g_getenv ("GDK_DEBUG"));
    }
  else
    {
      g_assert_cmpstr (hl_application_choose_renderer (), ==, "cairo");
      g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "cairo");
      g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "gl-disable");
    }

  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_assert_null (hl_application_choose_renderer ());
  g_assert_cmpstr (g_getenv ("GSK_RENDERER"), ==, "gl");

  g_unsetenv ("GSK_RENDERER");
  g_setenv ("GDK_DEBUG", "misc", TRUE);
  g_assert_cmpstr (hl_application_choose_renderer (), ==, gpu ? NULL : "cairo");
  g_assert_cmpstr (g_getenv ("GDK_DEBUG"), ==, "misc");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmpdir = g_dir_make_tmp ("hl-test-app-XXXXXX", &error);
  g_assert_no_error (error);
  /* the demo PKI is cached there */
  g_setenv ("XDG_CACHE_HOME", tmpdir, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  app = hl_application_new_for_tests ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/app/demo-tls13", test_demo_tls13);
  g_test_add_func ("/app/demo-mutual-tls12", test_demo_mutual_tls12);
  g_test_add_func ("/app/demo-failure", test_demo_failure);
  g_test_add_func ("/app/step-mode", test_step_mode);
  g_test_add_func ("/app/capture-starts-after-page", test_capture_starts_after_page);
  g_test_add_func ("/app/capture-stopped-before-start", test_capture_stopped_before_start);
  g_test_add_func ("/app/renderer-choice", test_renderer_choice);
  g_test_add_func ("/app/log-and-playback", test_log_and_playback);
  g_test_add_func ("/app/connect-dialog", test_connect_dialog);
  g_test_add_func ("/app/stacks-measure-shown-page", test_stacks_measure_shown_page);
  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);
    (void) !system (command);
  }
  g_free (tmpdir);
  return ret;
}

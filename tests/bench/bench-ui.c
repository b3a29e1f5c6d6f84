/* bench-ui.c: the figures that need a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>

#include "bench.h"
#include "hl-application.h"
#include "hl-capture.h"
#include "hl-diagram-model.h"
#include "hl-sequence-view-private.h"
#include "hl-sequence-view.h"
#include "hl-window.h"

#define VIEW_WIDTH  900
#define VIEW_HEIGHT 700

static const char *
holds_ms (double ms,
          double goal)
{
  return ms < goal ? "yes" : "NO";
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until *@done or @ms passed; a periodic
 * wake-up keeps a quiet context from blocking past the deadline */
static void
iterate_until (const gboolean *done,
               guint           ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  guint wake = g_timeout_add (5, wake_cb, NULL);

  while ((done == NULL || !*done) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

static void
iterate_for (guint ms)
{
  iterate_until (NULL, ms);
}

typedef struct
{
  guint    frames;
  guint    wanted;
  gboolean done;
} FrameCount;

static gboolean
count_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  FrameCount *count = data;

  count->done = ++count->frames >= count->wanted;
  return G_SOURCE_CONTINUE;
}

static void
wait_frames (GtkWidget *widget,
             guint      n_frames)
{
  FrameCount count = { 0, n_frames, FALSE };
  guint id = gtk_widget_add_tick_callback (widget, count_tick_cb, &count, NULL);

  iterate_until (&count.done, 10000);
  gtk_widget_remove_tick_callback (widget, id);
}

static GtkScrolledWindow *
find_scroller (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return GTK_SCROLLED_WINDOW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scroller (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Every widget of the view draws again, as when it scrolls */
static void
invalidate_all (GtkWidget *widget)
{
  gtk_widget_queue_draw (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    invalidate_all (child);
}

/* Diagram frame */

typedef struct
{
  guint           n_events;
  GtkWindow      *window;
  HlSequenceView *view;
  HlDiagramModel *model;
  GArray         *snapshot_ms;
  GArray         *frame_ms;
  double          model_ms;
  gint64          frame_start;
  double          last_frame_ms;
  gboolean        painted;
} FrameCase;

static void
before_paint_cb (GdkFrameClock *clock,
                 FrameCase     *c)
{
  c->frame_start = bench_now_ns ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                FrameCase     *c)
{
  if (c->frame_start != 0)
    c->last_frame_ms = (bench_now_ns () - c->frame_start) / 1e6;
  c->frame_start = 0;
  c->painted = TRUE;
}

static void
frame_case_init (FrameCase  *c,
                 GListModel *events,
                 guint       n_events)
{
  g_autoptr(GListStore) store = g_list_store_new (HL_TYPE_EVENT);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  GdkFrameClock *clock;
  gint64 start;

  for (guint i = 0; i < n_events; i++)
    g_ptr_array_add (items, g_list_model_get_item (events, i));
  g_list_store_splice (store, 0, 0, items->pdata, items->len);

  c->n_events = n_events;
  c->snapshot_ms = g_array_new (FALSE, FALSE, sizeof (double));
  c->frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  start = bench_now_ns ();
  c->model = hl_diagram_model_new (G_LIST_MODEL (store));
  c->model_ms = (bench_now_ns () - start) / 1e6;
  c->view = HL_SEQUENCE_VIEW (hl_sequence_view_new ());
  hl_sequence_view_set_follow (c->view, FALSE);
  hl_sequence_view_set_model (c->view, G_LIST_MODEL (c->model));
  c->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (c->window, VIEW_WIDTH, VIEW_HEIGHT);
  gtk_window_set_child (c->window, GTK_WIDGET (c->view));
  gtk_window_present (c->window);
  wait_frames (GTK_WIDGET (c->view), 5);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (find_scroller (GTK_WIDGET (c->view))), 0);
  wait_frames (GTK_WIDGET (c->view), 3);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (c->window));
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), c);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), c);
}

static void
frame_case_measure (FrameCase *c)
{
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  gint64 start;
  double ms;

  /* the snapshot of the whole view, every row drawn again */
  invalidate_all (GTK_WIDGET (c->view));
  snapshot = gtk_snapshot_new ();
  start = bench_now_ns ();
  gtk_widget_snapshot_child (GTK_WIDGET (c->window), GTK_WIDGET (c->view), snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  ms = (bench_now_ns () - start) / 1e6;
  g_array_append_val (c->snapshot_ms, ms);
  g_clear_pointer (&node, gsk_render_node_unref);

  /* a whole frame (layout, snapshot, render), every row drawn again */
  invalidate_all (GTK_WIDGET (c->window));
  c->last_frame_ms = -1;
  c->painted = FALSE;
  iterate_until (&c->painted, 1000);
  if (c->last_frame_ms >= 0)
    g_array_append_val (c->frame_ms, c->last_frame_ms);
}

static void
frame_case_clear (FrameCase *c)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (c->window));

  g_signal_handlers_disconnect_by_data (clock, c);
  gtk_window_destroy (c->window);
  g_clear_object (&c->model);
  g_array_unref (c->snapshot_ms);
  g_array_unref (c->frame_ms);
}

static void
measure_diagram_frame (GListModel *events)
{
  static const guint sizes[] = { 100, 10000, 100000 };
  FrameCase cases[G_N_ELEMENTS (sizes)] = { { 0 } };
  guint n_rounds = bench_quick ? 20 : 60;
  double small, big, ratio;
  guint last = G_N_ELEMENTS (sizes) - 1;

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    frame_case_init (&cases[i], events, MIN (sizes[i], g_list_model_get_n_items (events)));
  for (guint r = 0; r < n_rounds; r++)
    for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
      frame_case_measure (&cases[(i + r) % G_N_ELEMENTS (sizes)]);

  small = bench_median (cases[0].snapshot_ms);
  big = bench_median (cases[last].snapshot_ms);
  ratio = big / small;
  bench_row ("diagram frame (snapshot)", "100 000 ≤ 1.2× 100, < 4 ms", ratio <= 1.2 && big < 4 ? "yes" : "NO",
             "%.2f / %.2f / %.2f ms (100 / 10 000 / 100 000), %.2f×", small,
             bench_median (cases[1].snapshot_ms), big, ratio);
  bench_note ("diagram frame: snapshot of the sequence view (%d×%d, scrolled to the top) with every row "
              "drawn again, median of %u, the three sizes interleaved; drawn rows in the last frame: %u / "
              "%u / %u; a whole frame (layout, snapshot, render and present under this X server): "
              "%.2f / %.2f / %.2f ms; building the diagram's rows from the events took %.1f / %.1f / %.1f ms",
             VIEW_WIDTH, VIEW_HEIGHT, n_rounds,
             hl_sequence_view_get_n_drawn_rows (cases[0].view),
             hl_sequence_view_get_n_drawn_rows (cases[1].view),
             hl_sequence_view_get_n_drawn_rows (cases[last].view),
             cases[0].frame_ms->len ? bench_median (cases[0].frame_ms) : -1,
             cases[1].frame_ms->len ? bench_median (cases[1].frame_ms) : -1,
             cases[last].frame_ms->len ? bench_median (cases[last].frame_ms) : -1,
             cases[0].model_ms, cases[1].model_ms, cases[last].model_ms);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    frame_case_clear (&cases[i]);
}

/* Hook to pixels */

typedef struct
{
  HlCapture      *capture;
  HlSequenceView *view;
  HlDiagramModel *rows;      /* the same rows as the window's */
  GtkAdjustment  *vadjustment;
  gint64          start_ns;
  gint64          asked_ns;     /* when the window was asked to run it */
  guint           n_seen;
  GPtrArray      *pending;
  GArray         *latency_ms;
  GArray         *delivery_ms;  /* hook to the event reaching the main context */
  GArray         *frame_ms;     /* before-paint to after-paint */
  gint64          frame_start;
  GArray         *frame_cpu_ms; /* the same on the main thread's CPU clock */
  gint64          frame_cpu_start;
  GArray         *delivered_ns; /* when each event (by seq) reached the main context */
  GArray         *wait_ms;      /* from there to the start of the frame that showed it */
  GArray         *shown_frame_ms; /* and that frame, before-paint to after-paint */
  GArray         *interval_ms;  /* between the starts of successive frames */
  gint64          last_frame_start;
  guint           n_rowless;
  guint           n_passed;     /* shown scrolled past, never on screen */
  /* what the frame painted: the scroll and the rows, as they were when
   * it was drawn (the view may scroll again after painting) */
  double          painted_value;
  double          painted_page;
  guint           painted_rows;
} Live;

static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static void
live_event_cb (HlCapture *capture,
               HlEvent   *event,
               Live      *live)
{
  gint64 now = bench_now_ns ();
  double ms = (now - (live->start_ns + hl_event_get_time_ns (event))) / 1e6;
  guint64 seq = hl_event_get_seq (event);

  g_array_append_val (live->delivery_ms, ms);
  if (seq < 100000)
    {
      if (seq >= live->delivered_ns->len)
        g_array_set_size (live->delivered_ns, seq + 1);
      g_array_index (live->delivered_ns, gint64, seq) = now;
    }
}

/* The capture stamps its events from its own start, which comes after
 * its page's first frame; it announces that it runs right after */
static void
live_running_cb (HlCapture  *capture,
                 GParamSpec *pspec,
                 Live       *live)
{
  if (hl_capture_get_running (capture) && live->start_ns == 0)
    live->start_ns = bench_now_ns ();
}

static void
live_before_paint_cb (GdkFrameClock *clock,
                      Live          *live)
{
  live->frame_start = bench_now_ns ();
  live->frame_cpu_start = thread_cpu_ns ();
  if (live->last_frame_start != 0)
    {
      double ms = (live->frame_start - live->last_frame_start) / 1e6;

      g_array_append_val (live->interval_ms, ms);
    }
  live->last_frame_start = live->frame_start;
}

static void
live_paint_cb (GdkFrameClock *clock,
               Live          *live)
{
  GListModel *shown = hl_sequence_view_get_model (live->view);

  live->painted_value = gtk_adjustment_get_value (live->vadjustment);
  live->painted_page = gtk_adjustment_get_page_size (live->vadjustment);
  live->painted_rows = shown != NULL ? g_list_model_get_n_items (shown) : 0;
}

/* Whether the frame just painted showed row @index, or had scrolled past
 * it: a view that follows the newest row scrolls to it in the frame that
 * lays it out, so the rows above it in that frame are never on screen
 * (*@passed is then TRUE) */
static gboolean
row_shown (Live     *live,
           guint     index,
           gboolean *passed)
{
  double top = (double) index * HL_SEQUENCE_ROW_HEIGHT;

  *passed = top + HL_SEQUENCE_ROW_HEIGHT <= live->painted_value;
  return index < live->painted_rows && top < live->painted_value + live->painted_page;
}

static void
live_after_paint_cb (GdkFrameClock *clock,
                     Live          *live)
{
  gint64 now = bench_now_ns ();
  GListModel *events = hl_capture_get_events (live->capture);
  guint n = g_list_model_get_n_items (events);
  gint64 frame_start = live->frame_start;

  if (live->frame_start != 0)
    {
      double ms = (now - live->frame_start) / 1e6;

      g_array_append_val (live->frame_ms, ms);
      ms = (thread_cpu_ns () - live->frame_cpu_start) / 1e6;
      g_array_append_val (live->frame_cpu_ms, ms);
      live->frame_start = 0;
    }

  for (; live->n_seen < n; live->n_seen++)
    g_ptr_array_add (live->pending, g_list_model_get_item (events, live->n_seen));
  for (guint i = 0; i < live->pending->len;)
    {
      HlEvent *event = g_ptr_array_index (live->pending, i);
      guint index = hl_diagram_model_find_event (live->rows, event);
      gboolean passed = FALSE;

      if (index == G_MAXUINT)
        {
          live->n_rowless++;
          g_ptr_array_remove_index (live->pending, i);
        }
      else if (row_shown (live, index, &passed))
        {
          live->n_passed += passed;
          double ms = (now - (live->start_ns + hl_event_get_time_ns (event))) / 1e6;
          guint64 seq = hl_event_get_seq (event);

          g_array_append_val (live->latency_ms, ms);
          if (frame_start != 0 && seq < live->delivered_ns->len &&
              g_array_index (live->delivered_ns, gint64, seq) != 0)
            {
              double wait = MAX (0, frame_start - g_array_index (live->delivered_ns, gint64, seq)) / 1e6;
              double frame = (now - frame_start) / 1e6;

              g_array_append_val (live->wait_ms, wait);
              g_array_append_val (live->shown_frame_ms, frame);
            }
          g_ptr_array_remove_index (live->pending, i);
        }
      else
        i++;
    }
}

static void
measure_hook_to_pixels (HlApplication *app,
                        const char    *pki_dir)
{
  guint n_demos = bench_quick ? 4 : 16;
  g_autoptr(GArray) latency_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) delivery_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frame_cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) wait_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) shown_frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) interval_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) start_ms = g_array_new (FALSE, FALSE, sizeof (double));
  guint n_rowless = 0, n_unseen = 0, n_passed = 0;
  double p95;

  for (guint d = 0; d < n_demos; d++)
    {
      HlWindow *window = hl_window_new (app);
      HlCaptureConfig config;
      gboolean show_records = FALSE;
      GdkFrameClock *clock;
      Live live = { 0 };

      gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
      gtk_window_present (GTK_WINDOW (window));
      wait_frames (GTK_WIDGET (window), 5);

      hl_capture_config_init (&config);
      config.mode = HL_CAPTURE_MODE_DEMO;
      config.version = d % 2 == 0 ? HL_TLS_VERSION_1_3 : HL_TLS_VERSION_1_2;
      config.key_exchange = d % 4 == 3 ? HL_KEY_EXCHANGE_RSA : HL_KEY_EXCHANGE_ECDHE;
      config.mutual = d % 3 == 0;
      config.pki_dir = pki_dir;
      live.capture = hl_capture_new (&config);
      live.pending = g_ptr_array_new_with_free_func (g_object_unref);
      live.latency_ms = latency_ms;
      live.delivery_ms = delivery_ms;
      live.frame_ms = frame_ms;
      live.frame_cpu_ms = frame_cpu_ms;
      live.delivered_ns = g_array_new (FALSE, TRUE, sizeof (gint64));
      live.wait_ms = wait_ms;
      live.shown_frame_ms = shown_frame_ms;
      live.interval_ms = interval_ms;
      g_signal_connect (live.capture, "event", G_CALLBACK (live_event_cb), &live);
      g_signal_connect (live.capture, "notify::running", G_CALLBACK (live_running_cb), &live);
      live.view = hl_window_get_sequence_view (window);
      live.vadjustment = gtk_scrolled_window_get_vadjustment (find_scroller (GTK_WIDGET (live.view)));
      live.rows = hl_diagram_model_new (hl_capture_get_events (live.capture));
      g_object_get (window, "show-records", &show_records, NULL);
      hl_diagram_model_set_show_records (live.rows, show_records);
      clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
      g_signal_connect_after (clock, "paint", G_CALLBACK (live_paint_cb), &live);
      g_signal_connect_after (clock, "after-paint", G_CALLBACK (live_after_paint_cb), &live);
      g_signal_connect (clock, "before-paint", G_CALLBACK (live_before_paint_cb), &live);

      live.asked_ns = bench_now_ns ();
      hl_window_run_capture (window, live.capture);
      while (hl_window_get_busy (window))
        iterate_for (5);
      if (live.start_ns != 0)
        {
          double ms = (live.start_ns - live.asked_ns) / 1e6;

          g_array_append_val (start_ms, ms);
        }
      /* until every event was seen on screen, or for 2 s: a new window's
       * first frames may come well after a short demo is over */
      for (gint64 until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
           g_get_monotonic_time () < until &&
           (live.pending->len > 0 || live.n_seen < g_list_model_get_n_items (hl_capture_get_events (live.capture)));)
        iterate_for (5);
      iterate_for (50);

      g_signal_handlers_disconnect_by_data (clock, &live);
      n_rowless += live.n_rowless;
      n_passed += live.n_passed;
      n_unseen += live.pending->len;
      g_ptr_array_unref (live.pending);
      g_array_unref (live.delivered_ns);
      g_object_unref (live.rows);
      g_object_unref (live.capture);
      gtk_window_destroy (GTK_WINDOW (window));
      iterate_for (50);
    }

  if (latency_ms->len == 0)
    {
      bench_row ("hook to pixels (p95)", "< 16.7 ms", "NO", "no event reached the screen");
      return;
    }
  p95 = bench_percentile (latency_ms, 95);
  bench_row ("hook to pixels (p95)", "< 16.7 ms", p95 < 16.7 && n_unseen == 0 ? "yes" : "NO",
             "%.1f ms (median %.1f ms, max %.1f ms)", p95, bench_median (latency_ms),
             g_array_index (latency_ms, double, latency_ms->len - 1));
  if (bench_chosen_renderer != NULL)
    bench_note ("GSK_RENDERER=%s, as the application sets it where no GPU render node exists",
                bench_chosen_renderer);
  else if (g_getenv ("GSK_RENDERER") != NULL)
    bench_note ("GSK_RENDERER=%s", g_getenv ("GSK_RENDERER"));
  bench_note ("hook to pixels: %u live demos in the application window, %u events timed from the "
              "hook's time stamp to the end of the first frame painted with their row on screen, or "
              "scrolled past it (%u of them: the view, following the newest row, never put them on "
              "screen); %u events have no row of their own (records, grouped secrets), %u never showed",
              n_demos, latency_ms->len, n_passed, n_rowless, n_unseen);
  if (delivery_ms->len > 0 && frame_ms->len > 0)
    {
      double max_frame;

      bench_median (frame_ms);
      max_frame = g_array_index (frame_ms, double, frame_ms->len - 1);
      bench_note ("hook to pixels, where the time goes: hook to the event on the main context %.2f ms "
                "median, %.1f ms p95; %u frames painted during the demos took %.1f ms median, %.1f ms "
                "p95, %.1f ms max (before-paint to after-paint)",
                bench_median (delivery_ms), bench_percentile (delivery_ms, 95), frame_ms->len,
                bench_median (frame_ms), bench_percentile (frame_ms, 95), max_frame);
      bench_note ("hook to pixels: those frames used %.1f ms median, %.1f ms p95 of the main thread's CPU "
                  "(the rest of their time the thread waited: for the CPU on this loaded machine, for "
                  "the renderer's threads)", bench_median (frame_cpu_ms), bench_percentile (frame_cpu_ms, 95));
    }
  if (start_ms->len > 0)
    {
      /* sorted by the median */
      double median = bench_median (start_ms);

      bench_note ("hook to pixels: each capture started %.0f ms (median; %.0f to %.0f ms) after the window "
                  "was asked to run it, once the window had drawn the capture's page and then two "
                  "refreshes without a frame (300 ms at most); that wait comes before any event and is "
                  "not in the figure", median, g_array_index (start_ms, double, 0),
                  g_array_index (start_ms, double, start_ms->len - 1));
    }
  if (wait_ms->len > 0 && interval_ms->len > 0)
    bench_note ("hook to pixels, each event's share: from the main context to the start of the frame that "
                "showed it %.1f ms median, %.1f ms p95 (GTK's frame clock starts at most one frame per "
                "refresh, and successive frames during the demos started %.1f ms apart, median); that "
                "frame %.1f ms median, %.1f ms p95",
                bench_median (wait_ms), bench_percentile (wait_ms, 95), bench_median (interval_ms),
                bench_median (shown_frame_ms), bench_percentile (shown_frame_ms, 95));
}

/* Start-up */

static gboolean startup_first_printed;

/* What the child tells the benchmark: its first frame and renderer, */
static void
print_first_frame (GtkWidget *window)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  printf ("first %" G_GINT64_FORMAT "\n", bench_now_ns ());
  printf ("renderer %s\n", renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none");
  fflush (stdout);
}

/* then the frame with the log's rows and the CPU used by then; it ends */
static void
print_rows_frame_and_exit (void)
{
  struct timespec cpu;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu);
  printf ("rows %" G_GINT64_FORMAT "\n", bench_now_ns ());
  printf ("cpu %" G_GINT64_FORMAT "\n", (gint64) cpu.tv_sec * 1000000000 + cpu.tv_nsec);
  fflush (stdout);
  _exit (0);
}

static void
startup_after_paint_cb (GdkFrameClock *clock,
                        HlWindow      *window)
{
  HlSequenceView *view = hl_window_get_sequence_view (window);

  if (!startup_first_printed)
    {
      print_first_frame (GTK_WIDGET (window));
      startup_first_printed = TRUE;
    }
  if (view != NULL && gtk_widget_get_mapped (GTK_WIDGET (view)) &&
      hl_sequence_view_get_n_drawn_rows (view) > 0)
    print_rows_frame_and_exit ();
}

static void
startup_map_cb (GtkWidget *window)
{
  g_signal_connect_after (gtk_widget_get_frame_clock (window), "after-paint",
                          G_CALLBACK (startup_after_paint_cb), window);
}

static void
startup_window_added_cb (GtkApplication *app,
                         GtkWindow      *window)
{
  if (HL_IS_WINDOW (window))
    g_signal_connect (window, "map", G_CALLBACK (startup_map_cb), NULL);
}

static gboolean
startup_timeout_cb (gpointer data)
{
  printf ("timeout\n");
  fflush (stdout);
  _exit (1);
}

int
bench_ui_startup_child (const char *log_path)
{
  g_autoptr(HlApplication) app = hl_application_new_for_tests ();
  char *argv[] = { (char *) "handshake-lens", (char *) log_path, NULL };

  g_signal_connect (app, "window-added", G_CALLBACK (startup_window_added_cb), NULL);
  g_timeout_add_seconds (20, startup_timeout_cb, NULL);
  return g_application_run (G_APPLICATION (app), 2, argv);
}

/* The baseline: a libadwaita window of the same size holding a header
 * bar and a label, timed the same way, for what GTK and libadwaita alone
 * take on this machine */
static void
baseline_after_paint_cb (GdkFrameClock *clock,
                         GtkWidget     *window)
{
  print_first_frame (window);
  print_rows_frame_and_exit ();
}

static void
baseline_map_cb (GtkWidget *window)
{
  g_signal_connect_after (gtk_widget_get_frame_clock (window), "after-paint",
                          G_CALLBACK (baseline_after_paint_cb), window);
}

static void
baseline_activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("Handshake Lens");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 820);
  g_signal_connect (window, "map", G_CALLBACK (baseline_map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
bench_ui_baseline_child (void)
{
  g_autoptr(AdwApplication) app = adw_application_new (NULL, G_APPLICATION_NON_UNIQUE);
  char *argv[] = { (char *) "baseline", NULL };

  g_signal_connect (app, "activate", G_CALLBACK (baseline_activate_cb), NULL);
  g_timeout_add_seconds (20, startup_timeout_cb, NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}

typedef struct
{
  GArray *first_ms;
  GArray *drawn_ms;
  GArray *cpu_ms;
  char   *renderer;  /* the GskRenderer the child drew with */
} Startup;

static void
startup_init (Startup *startup)
{
  startup->first_ms = g_array_new (FALSE, FALSE, sizeof (double));
  startup->drawn_ms = g_array_new (FALSE, FALSE, sizeof (double));
  startup->cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  startup->renderer = NULL;
}

static void
startup_clear (Startup *startup)
{
  g_clear_pointer (&startup->first_ms, g_array_unref);
  g_clear_pointer (&startup->drawn_ms, g_array_unref);
  g_clear_pointer (&startup->cpu_ms, g_array_unref);
  g_clear_pointer (&startup->renderer, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Startup, startup_clear)

/* @log_path: the log to open, or %NULL for the baseline window;
 * @gsk_renderer: GSK_RENDERER for the child, or %NULL for the bench's own
 * environment; @startup: where the times go, or %NULL for a warm-up */
static gboolean
run_startup (const char *self_path,
             const char *log_path,
             const char *gsk_renderer,
             Startup    *startup,
             double     *rows_ms)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 first = 0, drawn = 0;
  double first_ms, cpu_ms = 0;
  const char *p;
  gint64 start;

  if (gsk_renderer != NULL)
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", gsk_renderer, TRUE);
  /* GL where the application chose cairo: without the GDK_DEBUG it set */
  if (g_strcmp0 (gsk_renderer, "gl") == 0 && g_strcmp0 (g_getenv ("GDK_DEBUG"), "gl-disable") == 0)
    g_subprocess_launcher_unsetenv (launcher, "GDK_DEBUG");
  start = bench_now_ns ();
  if (log_path != NULL)
    process = g_subprocess_launcher_spawn (launcher, &error, self_path, "--startup-child", log_path, NULL);
  else
    process = g_subprocess_launcher_spawn (launcher, &error, self_path, "--startup-baseline-child", NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    return FALSE;
  if ((p = strstr (out, "first ")) != NULL)
    first = g_ascii_strtoll (p + 6, NULL, 10);
  if ((p = strstr (out, "rows ")) != NULL)
    drawn = g_ascii_strtoll (p + 5, NULL, 10);
  if (first == 0 || drawn == 0)
    return FALSE;
  if ((p = strstr (out, "cpu ")) != NULL)
    cpu_ms = g_ascii_strtoll (p + 4, NULL, 10) / 1e6;
  *rows_ms = (drawn - start) / 1e6;
  if (startup == NULL)
    return TRUE;

  first_ms = (first - start) / 1e6;
  g_array_append_val (startup->first_ms, first_ms);
  g_array_append_val (startup->drawn_ms, *rows_ms);
  g_array_append_val (startup->cpu_ms, cpu_ms);
  if (startup->renderer == NULL && (p = strstr (out, "renderer ")) != NULL)
    startup->renderer = g_strndup (p + 9, strcspn (p + 9, "\n"));
  return TRUE;
}

static void
measure_startup (const char *self_path,
                 const char *small_log,
                 const char *big_log)
{
  guint n_rounds = bench_quick ? 3 : 7;
  /* the other renderer too, unless the whole run was told one: GL where
   * the application chose cairo, cairo where GTK chooses */
  const char *other = bench_chosen_renderer != NULL ? "gl"
                      : g_getenv ("GSK_RENDERER") == NULL ? "cairo" : NULL;
  g_autofree char *other_figure = g_strdup_printf ("start-up to first frame, GSK_RENDERER=%s", other);
  g_auto(Startup) plain = { 0 };
  g_auto(Startup) alt = { 0 };
  g_auto(Startup) base = { 0 };
  g_auto(Startup) base_alt = { 0 };
  g_autoptr(GArray) big_drawn = g_array_new (FALSE, FALSE, sizeof (double));
  double f, d;

  startup_init (&plain);
  startup_init (&alt);
  startup_init (&base);
  startup_init (&base_alt);
  /* rounds interleave the two renderers, so that other work on the machine
   * weighs on both alike; the first round warms the page and font caches */
  for (guint r = 0; r < n_rounds + 1; r++)
    {
      Startup *target = r == 0 ? NULL : &plain;

      if (!run_startup (self_path, small_log, NULL, target, &d))
        {
          bench_row ("start-up to first frame", "< 300 ms", "NO", "the window never drew the log");
          return;
        }
      if (other != NULL && !run_startup (self_path, small_log, other, r == 0 ? NULL : &alt, &d))
        {
          bench_row (other_figure, "< 300 ms", "NO", "the window never drew the log");
          other = NULL;
        }
      if (big_log != NULL && r >= 1 && r <= 2 && run_startup (self_path, big_log, NULL, NULL, &d))
        g_array_append_val (big_drawn, d);
      run_startup (self_path, NULL, NULL, r == 0 ? NULL : &base, &d);
      if (other != NULL)
        run_startup (self_path, NULL, other, r == 0 ? NULL : &base_alt, &d);
    }

  f = bench_median (plain.first_ms);
  d = bench_median (plain.drawn_ms);
  if (base.first_ms->len > 0)
    bench_row ("start-up to first frame", "< 300 ms", holds_ms (f, 300),
               "%.0f ms (a bare libadwaita window: %.0f ms)", f, bench_median (base.first_ms));
  else
    bench_row ("start-up to first frame", "< 300 ms", holds_ms (f, 300), "%.0f ms", f);
  bench_row ("start-up to the log drawn", "< 300 ms", holds_ms (d, 300), "%.0f ms", d);
  if (other != NULL)
    {
      f = bench_median (alt.first_ms);
      if (base_alt.first_ms->len > 0)
        bench_row (other_figure, "< 300 ms", holds_ms (f, 300),
                   "%.0f ms (a bare libadwaita window: %.0f ms)", f, bench_median (base_alt.first_ms));
      else
        bench_row (other_figure, "< 300 ms", holds_ms (f, 300), "%.0f ms", f);
    }
  if (base.first_ms->len > 0)
    {
      g_autofree char *with_other_too = base_alt.first_ms->len == 0 ? g_strdup ("")
        : g_strdup_printf (", and after %.0f ms with GSK_RENDERER=%s", bench_median (base_alt.first_ms), other);

      bench_note ("start-up, the baseline: a libadwaita window of the same size holding only a header bar "
                  "and a label, spawned and timed the same way in the same rounds, drew its first frame "
                  "after %.0f ms (%.0f ms of CPU, %s)%s: what GTK and libadwaita take on this machine "
                  "before any of the application's own work",
                  bench_median (base.first_ms), bench_median (base.cpu_ms),
                  base.renderer != NULL ? base.renderer : "an unknown renderer", with_other_too);
    }
  bench_note ("start-up: from spawning `handshake-lens LOG` (the application in a child process, a "
              "log of the six demo captures that the long log repeats, about 500 events) to the end of the window's first painted frame, then of the "
              "first frame that draws the log's rows, median of %u; the child had used %.0f ms of CPU "
              "by then (all its threads); it drew with %s", n_rounds, bench_median (plain.cpu_ms),
              plain.renderer != NULL ? plain.renderer : "an unknown renderer");
  if (other != NULL)
    bench_note ("start-up, GSK_RENDERER=%s: the same with that variable set in the child's environment "
                "only, rounds interleaved with the default's: first frame %.0f ms, log drawn %.0f ms, %.0f ms "
                "of CPU, drew with %s. Under Xvfb, which has no GPU, GTK's GL renderer runs on "
                "Mesa's llvmpipe, a software rasterizer: making the GL context, compiling GTK's shaders "
                "and drawing all happen on the CPU, which a GPU's driver would mostly spare; the cairo "
                "renderer does without GL",
                other, bench_median (alt.first_ms), bench_median (alt.drawn_ms), bench_median (alt.cpu_ms),
                alt.renderer != NULL ? alt.renderer : "an unknown renderer");
  else if (g_getenv ("GSK_RENDERER") != NULL)
    bench_note ("start-up: GSK_RENDERER=%s for the whole run, so no figure with another renderer",
                g_getenv ("GSK_RENDERER"));
  if (big_drawn->len > 0)
    bench_note ("start-up with the 100 000-event log: its rows drawn after %.0f ms (median of %u)",
                bench_median (big_drawn), big_drawn->len);
}

void
bench_ui_run (const char *self_path,
              const char *pki_dir,
              const char *small_log,
              const char *big_log,
              GListModel *events)
{
  g_autoptr(HlApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  gtk_init ();
  app = hl_application_new_for_tests ();
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("application: %s", error->message);
  g_application_hold (G_APPLICATION (app));

  if (bench_wanted ("frame"))
    measure_diagram_frame (events);
  if (bench_wanted ("pixels"))
    measure_hook_to_pixels (app, pki_dir);
  if (bench_wanted ("startup"))
    measure_startup (self_path, small_log, big_log);

  g_application_release (G_APPLICATION (app));
}

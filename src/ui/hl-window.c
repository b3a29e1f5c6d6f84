/* hl-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One window per capture or log. An empty window offers a demo and a
 * connection; once it shows events it keeps them, and the next capture or
 * log opens a window of its own.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-connect-dialog.h"
#include "hl-diagram-model.h"
#include "hl-export-dialog.h"
#include "hl-log.h"
#include "hl-window.h"

struct _HlWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  AdwWindowTitle       *window_title;
  GtkWidget            *cancel_button;
  GtkPopover           *demo_popover;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  HlSummaryBar         *summary_bar;
  HlSequenceView       *sequence_view;
  HlDetailsPane        *details_pane;
  GtkWidget            *play_button;
  GtkLabel             *position_label;
  GtkWidget            *step_box;
  GtkLabel             *step_label;
  GtkDropDown          *speed_dropdown;

  GSettings            *settings;
  GSimpleActionGroup   *demo_actions;

  HlCapture            *capture;
  GCancellable         *cancellable;
  GListModel           *events;
  HlDiagramModel       *rows;
  HlPlayback           *playback;
  char                 *mode;
  char                 *target;

  gboolean              step_mode;
  gboolean              show_records;
  gboolean              loading;
  gboolean              running;

  /* a capture shown but not started yet: it starts once its page is on
   * screen (see hl_window_run_capture()) */
  GdkFrameClock        *start_clock;
  gulong                start_paint_id;
  guint                 start_timeout_id;
  guint                 start_quiet_id;
};

G_DEFINE_FINAL_TYPE (HlWindow, hl_window, ADW_TYPE_APPLICATION_WINDOW)

/* how long a capture waits at most for its window to draw its page and
 * stop drawing (see hl_window_run_capture()) */
#define START_TIMEOUT_MS 300

/* A burst of events (a demo's whole handshake, a server's flight) comes
 * to the view at once: each batch waits until no event came for 1.5 ms,
 * 6 ms at most. Whatever the frame that shows a burst's first events
 * starts, the rest would wait a whole refresh behind it. */
#define COALESCE_QUIET_US 1500
#define COALESCE_MAX_US 6000

enum {
  PROP_0,
  PROP_STEP_MODE,
  PROP_SHOW_RECORDS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const double speeds[] = { 0.5, 1.0, 2.0, 4.0 };

static void
toast (HlWindow   *self,
       const char *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* Actions and controls follow the state */

static void
update_playback (HlWindow *self)
{
  gboolean have = self->playback != NULL;
  guint position = have ? hl_playback_get_position (self->playback) : 0;
  guint n = have ? hl_playback_get_n_items (self->playback) : 0;
  gboolean playing = have && hl_playback_get_playing (self->playback);
  g_autofree char *text = g_strdup_printf ("%u / %u", position, n);
  const char *tooltip = playing ? _("Pause") : _("Play");
  const char *icon = playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic";

  gtk_label_set_label (self->position_label, text);
  /* runs for each row a capture adds: setting an icon lays the button
   * out again and draws a frame, and setting a tooltip queries the
   * pointer on the display, even when they stay the same */
  if (g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (self->play_button)), icon) != 0)
    gtk_button_set_icon_name (GTK_BUTTON (self->play_button), icon);
  if (g_strcmp0 (gtk_widget_get_tooltip_text (self->play_button), tooltip) != 0)
    gtk_widget_set_tooltip_text (self->play_button, tooltip);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playback.toggle", have && n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playback.start", have && position > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playback.step-back", have && position > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playback.step-forward", have && position < n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "playback.end", have && position < n);
}

static void
update_actions (HlWindow *self)
{
  gboolean running = self->running;
  gboolean stepping = running && hl_capture_get_step_mode (self->capture);
  gboolean waiting = stepping && hl_capture_get_waiting (self->capture);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.save", self->events != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.export", self->events != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.run-again", self->capture != NULL && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.cancel", running);
  /* enabled even when no worker says it waits: two may wait at once */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.next", stepping);
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_visible (self->step_box, stepping);
  gtk_label_set_label (self->step_label,
                       waiting ? _("Waiting before the next message") : _("Running…"));
  hl_summary_bar_set_running (self->summary_bar, running);
  update_playback (self);
}

static void
capture_notify_cb (HlWindow *self)
{
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
selected_event_cb (HlWindow *self)
{
  hl_details_pane_set_event (self->details_pane,
                             hl_sequence_view_get_selected_event (self->sequence_view));
}

static void
speed_changed_cb (HlWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->speed_dropdown);
  double speed = selected < G_N_ELEMENTS (speeds) ? speeds[selected] : 1.0;

  g_settings_set_double (self->settings, "playback-speed", speed);
  if (self->playback != NULL)
    hl_playback_set_speed (self->playback, speed);
}

/* Sessions */

/**
 * hl_window_show_events:
 * @events: a #GListModel of #HlEvent, complete or growing
 *
 * Shows @events in this window: diagram, details, summary and playback.
 */
void
hl_window_show_events (HlWindow   *self,
                       GListModel *events,
                       const char *mode,
                       const char *target)
{
  gboolean live = self->capture != NULL;

  g_return_if_fail (HL_IS_WINDOW (self));
  g_return_if_fail (G_IS_LIST_MODEL (events));

  g_set_object (&self->events, events);
  g_free (self->mode);
  self->mode = g_strdup (mode);
  g_free (self->target);
  self->target = g_strdup (target);

  g_clear_object (&self->rows);
  self->rows = hl_diagram_model_new (events);
  hl_diagram_model_set_show_records (self->rows, self->show_records);

  if (self->playback != NULL)
    g_signal_handlers_disconnect_by_func (self->playback, update_playback, self);
  g_clear_object (&self->playback);
  self->playback = hl_playback_new (G_LIST_MODEL (self->rows));
  hl_playback_set_speed (self->playback, g_settings_get_double (self->settings, "playback-speed"));
  g_signal_connect_object (self->playback, "notify",
                           G_CALLBACK (update_playback), self, G_CONNECT_SWAPPED);

  hl_sequence_view_set_follow (self->sequence_view, live);
  hl_sequence_view_set_model (self->sequence_view, hl_playback_get_model (self->playback));
  hl_sequence_view_set_titles (self->sequence_view,
                               g_strcmp0 (mode, "demo") == 0 ? _("in this app") : _("this computer"),
                               g_strcmp0 (mode, "demo") == 0 ? _("in this app") : target);
  hl_details_pane_set_events (self->details_pane, events);
  hl_summary_bar_set_events (self->summary_bar, events);

  adw_window_title_set_subtitle (self->window_title, target != NULL ? target : "");
  gtk_stack_set_visible_child_name (self->stack, "session");
  gtk_widget_grab_focus (GTK_WIDGET (self->sequence_view));
  update_actions (self);
}

static void
capture_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HlWindow) self = user_data;
  HlCapture *capture = HL_CAPTURE (object);
  g_autoptr(GError) error = NULL;

  if (!hl_capture_run_finish (capture, result, &error) && self->capture == capture)
    {
      if (g_error_matches (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_CANCELLED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, _("Capture stopped"));
      else if (g_strcmp0 (hl_summary_bar_get_state (self->summary_bar), "failed") != 0)
        toast (self, error->message);
    }

  if (self->capture == capture)
    {
      self->running = FALSE;
      capture_notify_cb (self);
    }
}

static gboolean
start_pending (HlWindow *self)
{
  return self->start_timeout_id != 0 || self->start_quiet_id != 0 || self->start_clock != NULL;
}

static void
clear_pending_start (HlWindow *self)
{
  if (self->start_clock != NULL)
    {
      g_clear_signal_handler (&self->start_paint_id, self->start_clock);
      g_clear_object (&self->start_clock);
    }
  g_clear_handle_id (&self->start_timeout_id, g_source_remove);
  g_clear_handle_id (&self->start_quiet_id, g_source_remove);
}

static void
start_capture (HlWindow *self)
{
  if (!start_pending (self))
    return;
  clear_pending_start (self);
  hl_capture_run_async (self->capture, self->cancellable, capture_done_cb, g_object_ref (self));
}

/* for both timeouts: starting removes them, this one too */
static gboolean
start_cb (gpointer data)
{
  start_capture (data);
  return G_SOURCE_REMOVE;
}

/* Each frame painted puts the start off until two refreshes have gone
 * by without one: with one, a frame the clock was about to start could
 * still come just after */
static void
start_after_paint_cb (GdkFrameClock *frame_clock,
                      HlWindow      *self)
{
  gint64 interval_us = 0;

  gdk_frame_clock_get_refresh_info (frame_clock, 0, &interval_us, NULL);
  if (interval_us <= 0)
    interval_us = 16667;
  g_clear_handle_id (&self->start_quiet_id, g_source_remove);
  self->start_quiet_id = g_timeout_add ((guint) (2 * interval_us + 999) / 1000, start_cb, self);
}

static HlWindow *
window_for_new_session (HlWindow *self)
{
  HlWindow *window;

  if (hl_window_is_empty (self))
    return self;

  window = hl_window_new (HL_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/**
 * hl_window_run_capture:
 *
 * Runs @capture on worker threads and shows its events as they come, in
 * this window if it is empty, else in a new one.
 */
void
hl_window_run_capture (HlWindow  *self,
                       HlCapture *capture)
{
  g_autofree char *target = NULL;

  g_return_if_fail (HL_IS_WINDOW (self));
  g_return_if_fail (HL_IS_CAPTURE (capture));

  self = window_for_new_session (self);
  g_set_object (&self->capture, capture);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  hl_capture_set_step_mode (capture, self->step_mode);
  hl_capture_set_coalescing (capture, COALESCE_QUIET_US, COALESCE_MAX_US);
  g_signal_connect_object (capture, "notify::running",
                           G_CALLBACK (capture_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (capture, "notify::waiting",
                           G_CALLBACK (capture_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (capture, "notify::step-mode",
                           G_CALLBACK (capture_notify_cb), self, G_CONNECT_SWAPPED);

  target = hl_capture_dup_target (capture);
  hl_window_show_events (self, hl_capture_get_events (capture),
                         hl_capture_get_mode_name (capture), target);
  self->running = TRUE;
  capture_notify_cb (self);

  /* The capture starts once its page is on screen and two refreshes
   * have gone by without a frame. The page's first frame styles, measures
   * and draws it all for the first time, and GTK starts at most one frame
   * per refresh, at once when none was drawn for one: the handshake's
   * events then reach a page that only has rows to add, and a frame that
   * can start as soon as they ask. A window that paints no frame (hidden,
   * or not yet mapped by the windowing system), or that never stops,
   * starts it after a short while all the same; one without a surface
   * yet, at once. */
  clear_pending_start (self);
  self->start_timeout_id = g_timeout_add (START_TIMEOUT_MS, start_cb, self);
  if (!gtk_widget_get_realized (GTK_WIDGET (self)))
    {
      start_capture (self);
      return;
    }
  self->start_clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  self->start_paint_id = g_signal_connect (self->start_clock, "after-paint",
                                           G_CALLBACK (start_after_paint_cb), self);
}

/**
 * hl_window_start_demo:
 *
 * Starts a demo with the options the demo popover remembers.
 */
void
hl_window_start_demo (HlWindow   *self,
                      HlScenario  scenario)
{
  HlCaptureConfig config;
  g_autofree char *version = g_settings_get_string (self->settings, "demo-version");
  g_autofree char *kx = g_settings_get_string (self->settings, "demo-kx");
  g_autoptr(GError) error = NULL;
  g_autoptr(HlCapture) capture = NULL;

  g_return_if_fail (HL_IS_WINDOW (self));

  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_DEMO;
  config.version = g_str_equal (version, "tls1.2") ? HL_TLS_VERSION_1_2 : HL_TLS_VERSION_1_3;
  config.key_exchange = g_str_equal (kx, "rsa") ? HL_KEY_EXCHANGE_RSA : HL_KEY_EXCHANGE_ECDHE;
  config.mutual = g_settings_get_boolean (self->settings, "demo-mutual");
  config.scenario = scenario;
  config.timeout_ms = 30000;

  /* a scenario about client certificates needs a server that asks */
  if (scenario == HL_SCENARIO_NO_CLIENT_CERT)
    config.mutual = TRUE;
  if (config.key_exchange == HL_KEY_EXCHANGE_RSA)
    config.version = HL_TLS_VERSION_1_2;

  if (!hl_capture_config_validate (&config, &error))
    {
      toast (self, error->message);
      return;
    }
  capture = hl_capture_new (&config);
  hl_window_run_capture (self, capture);
}

static void
log_loaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HlWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLog) log = hl_log_load_finish (result, &error);

  self->loading = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  if (log == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  hl_window_show_events (self, hl_log_get_events (log),
                         hl_log_get_mode (log), hl_log_get_target (log));
  if (hl_log_get_problem (log) != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Loaded what could be read: %s"),
                                                  hl_log_get_problem (log));
      toast (self, message);
    }
}

/**
 * hl_window_open_file:
 *
 * Loads a session log, in this window if it is empty, else in a new one.
 */
void
hl_window_open_file (HlWindow *self,
                     GFile    *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (HL_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  self = window_for_new_session (self);
  self->loading = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  name = g_file_get_basename (file);
  adw_window_title_set_title (self->window_title, name);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  hl_log_load_async (file, self->cancellable, log_loaded_cb, g_object_ref (self));
}

/* Window actions */

static HlScenario
scenario_from_variant (GVariant *parameter)
{
  HlScenario scenario = HL_SCENARIO_NONE;

  if (parameter != NULL)
    hl_scenario_from_string (g_variant_get_string (parameter, NULL), &scenario);
  return scenario;
}

static void
demo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  gtk_popover_popdown (self->demo_popover);
  hl_window_start_demo (self, scenario_from_variant (parameter));
}

static void
connect_start_cb (HlWindow        *self,
                  HlConnectDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlCapture) capture = hl_connect_dialog_create_capture (dialog, &error);

  if (capture == NULL)
    return;
  gtk_window_destroy (GTK_WINDOW (dialog));
  hl_window_run_capture (self, capture);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  HlConnectDialog *dialog = hl_connect_dialog_new (GTK_WINDOW (self));

  g_signal_connect_object (dialog, "start", G_CALLBACK (connect_start_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkFileFilter *
log_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Session Logs"));
  gtk_file_filter_add_pattern (filter, "*.hllog");
  gtk_file_filter_add_pattern (filter, "*.log");
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_filter_add_mime_type (filter, "application/x-handshake-lens-log");
  return filter;
}

static void
open_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  HlWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      hl_window_open_file (self, file);
    }
  g_object_unref (chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Open a Log"), GTK_WINDOW (widget),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = log_filter ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  HlWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->events != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GError) error = NULL;

      if (hl_log_save (self->events, self->mode, self->target, file, &error))
        toast (self, _("Log saved"));
      else
        toast (self, error->message);
    }
  g_object_unref (chooser);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Save the Log"), GTK_WINDOW (widget),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "handshake-%Y%m%d-%H%M%S.hllog");
  g_autoptr(GtkFileFilter) filter = log_filter ();

  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_finished_cb (HlWindow   *self,
                    const char *message)
{
  toast (self, message);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  HlExportDialog *dialog;

  if (self->events == NULL)
    return;
  dialog = hl_export_dialog_new (GTK_WINDOW (self), self->events, G_LIST_MODEL (self->rows),
                                 self->mode, self->target);
  g_signal_connect_object (dialog, "finished", G_CALLBACK (export_finished_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The same demo or connection again, in a new window unless this one is empty */
static void
run_again_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);
  g_autoptr(HlCapture) capture = NULL;

  if (self->capture == NULL || self->running)
    return;
  capture = hl_capture_new (hl_capture_get_config (self->capture));
  hl_window_run_capture (self, capture);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  /* a capture not started yet never starts */
  if (start_pending (self))
    {
      clear_pending_start (self);
      self->running = FALSE;
      capture_notify_cb (self);
      toast (self, _("Capture stopped"));
      return;
    }
  if (self->capture != NULL)
    hl_capture_cancel (self->capture);
  g_cancellable_cancel (self->cancellable);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  if (self->capture != NULL)
    hl_capture_step (self->capture);
}

static void
playback_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  HlWindow *self = HL_WINDOW (widget);

  if (self->playback == NULL)
    return;

  hl_sequence_view_set_follow (self->sequence_view, TRUE);
  if (g_str_equal (action_name, "playback.toggle"))
    {
      if (hl_playback_get_playing (self->playback))
        hl_playback_pause (self->playback);
      else
        hl_playback_play (self->playback);
    }
  else if (g_str_equal (action_name, "playback.step-forward"))
    hl_playback_step_forward (self->playback);
  else if (g_str_equal (action_name, "playback.step-back"))
    hl_playback_step_back (self->playback);
  else if (g_str_equal (action_name, "playback.start"))
    hl_playback_go_to_start (self->playback);
  else if (g_str_equal (action_name, "playback.end"))
    hl_playback_go_to_end (self->playback);

  /* the newest row shown is the one to read about */
  if (hl_playback_get_position (self->playback) > 0)
    hl_sequence_view_set_selected (self->sequence_view,
                                   hl_playback_get_position (self->playback) - 1);
}

/* Demo options, kept in GSettings */

static void
auth_changed_cb (GSimpleAction *action,
                 GVariant      *value,
                 gpointer       user_data)
{
  HlWindow *self = user_data;

  g_settings_set_boolean (self->settings, "demo-mutual",
                          g_str_equal (g_variant_get_string (value, NULL), "mutual"));
  g_simple_action_set_state (action, value);
}

static void
demo_settings_changed_cb (HlWindow   *self,
                          const char *key)
{
  g_autofree char *version = g_settings_get_string (self->settings, "demo-version");
  g_autofree char *kx = g_settings_get_string (self->settings, "demo-kx");
  GAction *auth = g_action_map_lookup_action (G_ACTION_MAP (self->demo_actions), "auth");

  /* RSA key transport exists in TLS 1.2 only */
  if (g_str_equal (kx, "rsa") && g_str_equal (version, "tls1.3"))
    {
      if (g_strcmp0 (key, "demo-version") == 0)
        g_settings_set_string (self->settings, "demo-kx", "ecdhe");
      else
        g_settings_set_string (self->settings, "demo-version", "tls1.2");
    }

  g_simple_action_set_state (G_SIMPLE_ACTION (auth),
                             g_variant_new_string (g_settings_get_boolean (self->settings, "demo-mutual")
                                                   ? "mutual" : "one-way"));
}

/* The shortcuts window is built when first asked for: GtkApplication
 * builds its gtk/help-overlay.ui for every window as the window opens,
 * which cost each window's start about 3 % of its work. The action is
 * ours, so gtk_application_window_set_help_overlay() leaves it be. */
static void
show_help_overlay_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       data)
{
  GtkApplicationWindow *window = data;
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/handshakelens/HandshakeLens/hl-shortcuts-window.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

static void
setup_demo_actions (HlWindow *self)
{
  g_autoptr(GAction) version = g_settings_create_action (self->settings, "demo-version");
  g_autoptr(GAction) kx = g_settings_create_action (self->settings, "demo-kx");
  g_autoptr(GSimpleAction) auth = NULL;

  self->demo_actions = g_simple_action_group_new ();
  g_action_map_add_action (G_ACTION_MAP (self->demo_actions), version);
  g_action_map_add_action (G_ACTION_MAP (self->demo_actions), kx);

  auth = g_simple_action_new_stateful ("auth", G_VARIANT_TYPE_STRING,
                                       g_variant_new_string ("one-way"));
  g_signal_connect (auth, "change-state", G_CALLBACK (auth_changed_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self->demo_actions), G_ACTION (auth));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "demo", G_ACTION_GROUP (self->demo_actions));

  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (demo_settings_changed_cb), self, G_CONNECT_SWAPPED);
  demo_settings_changed_cb (self, NULL);
}

/* Drag and drop */

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         HlWindow      *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    hl_window_open_file (self, l->data);
  return files != NULL;
}

/* Keys on the diagram: Space plays, the arrows across step; Up and Down
 * stay the list's. Captured before the list takes them, and only while
 * the focus is in the diagram. */
static void
add_diagram_shortcuts (HlWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  const struct { guint key; const char *action; } keys[] = {
    { GDK_KEY_space, "playback.toggle" },
    { GDK_KEY_Left, "playback.step-back" },
    { GDK_KEY_Right, "playback.step-forward" },
  };

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self->sequence_view), controller);
}

/* GObject */

static gboolean
hl_window_close_request (GtkWindow *window)
{
  HlWindow *self = HL_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  if (self->capture != NULL)
    hl_capture_cancel (self->capture);
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (hl_window_parent_class)->close_request (window);
}

static void
hl_window_dispose (GObject *object)
{
  HlWindow *self = HL_WINDOW (object);

  clear_pending_start (self);
  if (self->capture != NULL)
    hl_capture_cancel (self->capture);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_WINDOW);
  g_clear_object (&self->playback);
  g_clear_object (&self->rows);
  g_clear_object (&self->events);
  g_clear_object (&self->capture);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->demo_actions);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hl_window_parent_class)->dispose (object);
}

static void
hl_window_finalize (GObject *object)
{
  HlWindow *self = HL_WINDOW (object);

  g_free (self->mode);
  g_free (self->target);

  G_OBJECT_CLASS (hl_window_parent_class)->finalize (object);
}

static void
hl_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HlWindow *self = HL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STEP_MODE:
      g_value_set_boolean (value, self->step_mode);
      break;
    case PROP_SHOW_RECORDS:
      g_value_set_boolean (value, self->show_records);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, hl_window_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HlWindow *self = HL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STEP_MODE:
      if (self->step_mode != g_value_get_boolean (value))
        {
          self->step_mode = g_value_get_boolean (value);
          if (self->capture != NULL)
            hl_capture_set_step_mode (self->capture, self->step_mode);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SHOW_RECORDS:
      if (self->show_records != g_value_get_boolean (value))
        {
          self->show_records = g_value_get_boolean (value);
          if (self->rows != NULL)
            hl_diagram_model_set_show_records (self->rows, self->show_records);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_window_class_init (HlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char *playback_actions[] = {
    "playback.toggle", "playback.step-forward", "playback.step-back",
    "playback.start", "playback.end",
  };

  object_class->dispose = hl_window_dispose;
  object_class->finalize = hl_window_finalize;
  object_class->get_property = hl_window_get_property;
  object_class->set_property = hl_window_set_property;
  GTK_WINDOW_CLASS (klass)->close_request = hl_window_close_request;

  properties[PROP_STEP_MODE] =
    g_param_spec_boolean ("step-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_RECORDS] =
    g_param_spec_boolean ("show-records", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HL_TYPE_SEQUENCE_VIEW);
  g_type_ensure (HL_TYPE_SUMMARY_BAR);
  g_type_ensure (HL_TYPE_DETAILS_PANE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/handshakelens/HandshakeLens/hl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, demo_popover);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, summary_bar);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, sequence_view);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, details_pane);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, position_label);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, step_box);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, step_label);
  gtk_widget_class_bind_template_child (widget_class, HlWindow, speed_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, speed_changed_cb);

  gtk_widget_class_install_action (widget_class, "window.demo", "s", demo_action);
  gtk_widget_class_install_action (widget_class, "window.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "window.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "window.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "window.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "window.run-again", NULL, run_again_action);
  gtk_widget_class_install_action (widget_class, "window.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "window.next", NULL, next_action);
  gtk_widget_class_install_property_action (widget_class, "window.step-mode", "step-mode");
  gtk_widget_class_install_property_action (widget_class, "window.show-records", "show-records");
  for (guint i = 0; i < G_N_ELEMENTS (playback_actions); i++)
    gtk_widget_class_install_action (widget_class, playback_actions[i], NULL, playback_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "window.connect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "window.demo", "s", "none");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "window.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, GDK_CONTROL_MASK, "playback.toggle", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "playback.toggle", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "playback.step-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "playback.step-forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.cancel", NULL);
}

static void
hl_window_init (HlWindow *self)
{
  GtkDropTarget *drop;
  double speed;

  /* the demo popover's actions need the settings before the template */
  self->settings = g_settings_new (APPLICATION_ID);
  g_type_ensure (HL_TYPE_SEQUENCE_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_demo_actions (self);
  {
    g_autoptr(GSimpleAction) help = g_simple_action_new ("show-help-overlay", NULL);

    g_signal_connect_object (help, "activate", G_CALLBACK (show_help_overlay_cb), self, 0);
    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (help));
  }

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  speed = g_settings_get_double (self->settings, "playback-speed");
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (G_APPROX_VALUE (speeds[i], speed, 0.01))
      gtk_drop_down_set_selected (self->speed_dropdown, i);

  g_signal_connect_object (self->sequence_view, "notify::selected-event",
                           G_CALLBACK (selected_event_cb), self, G_CONNECT_SWAPPED);

  add_diagram_shortcuts (self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  update_actions (self);
}

HlWindow *
hl_window_new (HlApplication *application)
{
  return g_object_new (HL_TYPE_WINDOW, "application", application, NULL);
}

/**
 * hl_window_is_empty:
 *
 * Returns: whether the window shows nothing yet (and may take a session)
 */
gboolean
hl_window_is_empty (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), FALSE);
  return self->events == NULL && !self->loading;
}

gboolean
hl_window_get_busy (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), FALSE);
  return self->loading || self->running;
}

HlCapture *
hl_window_get_capture (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->capture;
}

GListModel *
hl_window_get_events (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->events;
}

HlPlayback *
hl_window_get_playback (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->playback;
}

HlSequenceView *
hl_window_get_sequence_view (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->sequence_view;
}

HlSummaryBar *
hl_window_get_summary_bar (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->summary_bar;
}

HlDetailsPane *
hl_window_get_details_pane (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return self->details_pane;
}

/**
 * hl_window_get_page:
 *
 * Returns: "empty" or "session"
 */
const char *
hl_window_get_page (HlWindow *self)
{
  g_return_val_if_fail (HL_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

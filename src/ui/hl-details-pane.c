/* hl-details-pane.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "hl-cert-view.h"
#include "hl-details-pane.h"
#include "hl-explain.h"
#include "hl-registry.h"
#include "hl-secrets-view.h"

struct _HlDetailsPane
{
  GtkWidget      parent_instance;

  GListModel    *events;
  HlEvent       *event;
  char          *explanation;
  guint          refresh_source;
  gboolean       events_rewritten;
  /* the page last chosen by the user, shown whenever the event allows */
  char          *preferred_page;
  gboolean       switching_page;
  /* The details page is made after a frame is painted: an event set
   * before it is shown after it (show_pending()), so that the window's
   * first frame, and the frame that draws a live capture's first rows,
   * go without it */
  gboolean       pending;
  guint          show_source;
  guint          n_events_waited;
  guint          n_frames_waited;
  GdkFrameClock *frame_clock;
  gulong         after_paint_id;

  GtkStack      *stack;
  /* the "details" page, made when a message is first selected
   * (ensure_details()): NULL until then */
  GtkLabel      *title_label;
  GtkLabel      *subtitle_label;
  AdwViewStack  *view_stack;
  HlFieldsView  *fields_view;
  HlCertView    *cert_view;
  HlSecretsView *secrets_view;
  GtkLabel      *explanation_label;
};

G_DEFINE_FINAL_TYPE (HlDetailsPane, hl_details_pane, GTK_TYPE_WIDGET)

/* how many frames with new events the details page waits for at most */
#define MAX_FRAMES_WAITED 6

enum {
  PROP_0,
  PROP_EVENTS,
  PROP_EVENT,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
describe_route (HlEvent *event)
{
  gboolean from_client = hl_event_get_sender (event) == HL_SIDE_CLIENT;

  if (hl_event_get_direction (event) == HL_DIRECTION_NONE)
    return g_strdup (hl_event_get_side (event) == HL_SIDE_CLIENT ? _("Observed by the client")
                                                                 : _("Observed by the server"));
  return g_strdup (from_client ? _("Client → Server") : _("Server → Client"));
}

static char *
describe_event (HlEvent *event)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *version = hl_registry_version_name (hl_event_get_tls_version (event));
  gsize length = hl_event_get_length (event);

  g_ptr_array_add (parts, describe_route (event));
  if (length > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%lu byte", "%lu bytes", length),
                                             (gulong) length));
  if (version != NULL)
    g_ptr_array_add (parts, g_strdup (version));
  if (hl_event_get_kind (event) == HL_EVENT_HANDSHAKE)
    g_ptr_array_add (parts, g_strdup (hl_event_get_encrypted (event) ? _("encrypted")
                                                                     : _("in the clear")));
  if (hl_event_get_kind (event) == HL_EVENT_ALERT)
    g_ptr_array_add (parts, g_strdup (hl_event_get_alert_level (event) == 2 ? _("fatal")
                                                                            : _("warning")));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
update_explanation (HlDetailsPane *self)
{
  g_clear_pointer (&self->explanation, g_free);
  if (self->event == NULL)
    return;
  self->explanation = hl_explain_event (self->event, self->events);
  if (self->explanation_label != NULL)
    gtk_label_set_label (self->explanation_label, self->explanation);
}

static void
update_header (HlDetailsPane *self)
{
  g_autofree char *title = hl_explain_event_title (self->event);
  g_autofree char *subtitle = describe_event (self->event);

  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title,
                                  -1);
}

static gboolean
refresh_cb (gpointer user_data)
{
  HlDetailsPane *self = user_data;

  self->refresh_source = 0;
  /* Events arriving after the selected one change what is known about
   * its connection (the explanation); only a rewritten model changes the
   * secrets and chains known at its point */
  if (self->events_rewritten && self->view_stack != NULL)
    {
      hl_cert_view_set_events (self->cert_view, self->events);
      hl_secrets_view_set_events (self->secrets_view, self->events);
      self->events_rewritten = FALSE;
    }
  update_explanation (self);
  return G_SOURCE_REMOVE;
}

static void
events_changed_cb (GListModel    *events,
                   guint          position,
                   guint          removed,
                   guint          added,
                   HlDetailsPane *self)
{
  if (removed > 0)
    self->events_rewritten = TRUE;
  /* a live capture adds events in bursts: refresh once per burst */
  if (self->event != NULL && self->refresh_source == 0)
    self->refresh_source = g_timeout_add (200, refresh_cb, self);
}

static void
page_changed_cb (AdwViewStack  *view_stack,
                 GParamSpec    *pspec,
                 HlDetailsPane *self)
{
  const char *page = adw_view_stack_get_visible_child_name (view_stack);

  if (!self->switching_page && page != NULL)
    {
      g_free (self->preferred_page);
      self->preferred_page = g_strdup (page);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

/* Events without bytes open where they say something: a verdict on the
 * certificates page, a secret among the secrets, the rest explained */
static void
show_page_for_event (HlDetailsPane *self)
{
  const char *page = self->preferred_page;

  if (self->event != NULL && hl_event_get_raw (self->event) == NULL &&
      g_str_equal (page, "fields"))
    {
      if (hl_event_get_kind (self->event) == HL_EVENT_CERTIFICATE_CHECK)
        page = "certificates";
      else if (hl_event_get_kind (self->event) == HL_EVENT_SECRET)
        page = "secrets";
      else
        page = "explanation";
    }
  self->switching_page = TRUE;
  adw_view_stack_set_visible_child_name (self->view_stack, page);
  self->switching_page = FALSE;
}

/* A window opened on a log shows no message at first: the page with
 * the header, the page switcher and the four pages, a third of the
 * window's template, is made when a message is first shown (or one of
 * its pages is asked for) */
static void
ensure_details (HlDetailsPane *self)
{
  g_autoptr(GtkBuilder) builder = NULL;
  g_autoptr(GtkBuilderScope) scope = NULL;
  g_autoptr(GError) error = NULL;

  if (self->view_stack != NULL)
    return;

  /* the page shown first is the preferred one, not a choice */
  self->switching_page = TRUE;
  scope = gtk_builder_cscope_new ();
  gtk_builder_cscope_add_callback (GTK_BUILDER_CSCOPE (scope), page_changed_cb);
  builder = gtk_builder_new ();
  gtk_builder_set_scope (builder, scope);
  gtk_builder_set_current_object (builder, G_OBJECT (self));
  if (!gtk_builder_add_from_resource (builder, "/io/github/handshakelens/HandshakeLens/hl-details-page.ui",
                                      &error))
    g_error ("hl-details-page.ui: %s", error->message);

  self->title_label = GTK_LABEL (gtk_builder_get_object (builder, "title_label"));
  self->subtitle_label = GTK_LABEL (gtk_builder_get_object (builder, "subtitle_label"));
  self->view_stack = ADW_VIEW_STACK (gtk_builder_get_object (builder, "view_stack"));
  self->fields_view = HL_FIELDS_VIEW (gtk_builder_get_object (builder, "fields_view"));
  self->cert_view = HL_CERT_VIEW (gtk_builder_get_object (builder, "cert_view"));
  self->secrets_view = HL_SECRETS_VIEW (gtk_builder_get_object (builder, "secrets_view"));
  self->explanation_label = GTK_LABEL (gtk_builder_get_object (builder, "explanation_label"));
  gtk_stack_add_named (self->stack, GTK_WIDGET (gtk_builder_get_object (builder, "details")), "details");
  hl_cert_view_set_events (self->cert_view, self->events);
  hl_secrets_view_set_events (self->secrets_view, self->events);
  adw_view_stack_set_visible_child_name (self->view_stack, self->preferred_page);
  self->switching_page = FALSE;
}

static void
show_event (HlDetailsPane *self)
{
  self->pending = FALSE;
  g_clear_handle_id (&self->show_source, g_source_remove);
  if (self->event != NULL)
    ensure_details (self);
  update_explanation (self);
  if (self->view_stack != NULL)
    {
      hl_fields_view_set_event (self->fields_view, self->event);
      hl_cert_view_set_event (self->cert_view, self->event);
      hl_secrets_view_set_event (self->secrets_view, self->event);
      if (self->event != NULL)
        update_header (self);
      show_page_for_event (self);
    }
  gtk_stack_set_visible_child_name (self->stack, self->event != NULL ? "details" : "empty");
}

/* Shows the event set before the first frame, when it has not been yet;
 * callers that ask for the pages see them as they will be */
static void
show_pending (HlDetailsPane *self)
{
  if (self->pending)
    show_event (self);
}

/* The pages, made if they were not, showing the event */
static void
ensure_pages (HlDetailsPane *self)
{
  ensure_details (self);
  show_pending (self);
}

static void
stop_waiting_for_frame (HlDetailsPane *self)
{
  if (self->after_paint_id != 0)
    g_signal_handler_disconnect (self->frame_clock, self->after_paint_id);
  self->after_paint_id = 0;
  g_clear_object (&self->frame_clock);
}

static gboolean
show_pending_cb (gpointer data)
{
  HlDetailsPane *self = data;

  self->show_source = 0;
  show_pending (self);
  return G_SOURCE_REMOVE;
}

static guint
count_events (HlDetailsPane *self)
{
  return self->events != NULL ? g_list_model_get_n_items (self->events) : 0;
}

/* Once a frame is painted with no new events since the one before (a
 * live capture's rows come first), or after a few frames all the same;
 * not in the frame's own after-paint, so that its pixels go to the
 * display first */
static void
after_paint_cb (GdkFrameClock *frame_clock,
                HlDetailsPane *self)
{
  guint n_events = count_events (self);

  if (self->pending && n_events != self->n_events_waited && ++self->n_frames_waited < MAX_FRAMES_WAITED)
    {
      self->n_events_waited = n_events;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  stop_waiting_for_frame (self);
  if (self->pending && self->show_source == 0)
    self->show_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, show_pending_cb, self, NULL);
}

/* Shows the pending event after the next frame painted, or once mapped */
static void
wait_for_frame (HlDetailsPane *self)
{
  GdkFrameClock *frame_clock;

  if (!self->pending || self->after_paint_id != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      (frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self))) == NULL)
    return;
  self->frame_clock = g_object_ref (frame_clock);
  self->after_paint_id = g_signal_connect (frame_clock, "after-paint",
                                           G_CALLBACK (after_paint_cb), self);
  self->n_events_waited = count_events (self);
  self->n_frames_waited = 0;
  /* the frame may be drawn for this pane alone */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
hl_details_pane_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (hl_details_pane_parent_class)->map (widget);
  wait_for_frame (HL_DETAILS_PANE (widget));
}

static void
hl_details_pane_unmap (GtkWidget *widget)
{
  stop_waiting_for_frame (HL_DETAILS_PANE (widget));
  GTK_WIDGET_CLASS (hl_details_pane_parent_class)->unmap (widget);
}

static void
hl_details_pane_dispose (GObject *object)
{
  HlDetailsPane *self = HL_DETAILS_PANE (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_handle_id (&self->show_source, g_source_remove);
  stop_waiting_for_frame (self);
  if (self->events != NULL)
    g_signal_handlers_disconnect_by_func (self->events, events_changed_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_DETAILS_PANE);
  /* the details page went with the stack */
  self->title_label = NULL;
  self->subtitle_label = NULL;
  self->view_stack = NULL;
  self->fields_view = NULL;
  self->cert_view = NULL;
  self->secrets_view = NULL;
  self->explanation_label = NULL;
  g_clear_object (&self->events);
  g_clear_object (&self->event);

  G_OBJECT_CLASS (hl_details_pane_parent_class)->dispose (object);
}

static void
hl_details_pane_finalize (GObject *object)
{
  HlDetailsPane *self = HL_DETAILS_PANE (object);

  g_clear_pointer (&self->explanation, g_free);
  g_clear_pointer (&self->preferred_page, g_free);

  G_OBJECT_CLASS (hl_details_pane_parent_class)->finalize (object);
}

static void
hl_details_pane_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HlDetailsPane *self = HL_DETAILS_PANE (object);

  switch (prop_id)
    {
    case PROP_EVENTS:
      g_value_set_object (value, self->events);
      break;
    case PROP_EVENT:
      g_value_set_object (value, self->event);
      break;
    case PROP_PAGE:
      g_value_set_string (value, hl_details_pane_get_page (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_details_pane_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HlDetailsPane *self = HL_DETAILS_PANE (object);

  switch (prop_id)
    {
    case PROP_EVENTS:
      hl_details_pane_set_events (self, g_value_get_object (value));
      break;
    case PROP_EVENT:
      hl_details_pane_set_event (self, g_value_get_object (value));
      break;
    case PROP_PAGE:
      hl_details_pane_set_page (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_details_pane_class_init (HlDetailsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_details_pane_dispose;
  object_class->finalize = hl_details_pane_finalize;
  object_class->get_property = hl_details_pane_get_property;
  object_class->set_property = hl_details_pane_set_property;
  widget_class->map = hl_details_pane_map;
  widget_class->unmap = hl_details_pane_unmap;

  properties[PROP_EVENTS] =
    g_param_spec_object ("events", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVENT] =
    g_param_spec_object ("event", NULL, NULL, HL_TYPE_EVENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL, "fields",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HL_TYPE_FIELDS_VIEW);
  g_type_ensure (HL_TYPE_CERT_VIEW);
  g_type_ensure (HL_TYPE_SECRETS_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/handshakelens/HandshakeLens/hl-details-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, HlDetailsPane, stack);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "detailspane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hl_details_pane_init (HlDetailsPane *self)
{
  self->preferred_page = g_strdup ("fields");
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Selected event"),
                                  -1);
}

/**
 * hl_details_pane_new:
 *
 * Returns: (transfer full): a details pane showing nothing yet
 */
GtkWidget *
hl_details_pane_new (void)
{
  return g_object_new (HL_TYPE_DETAILS_PANE, NULL);
}

/**
 * hl_details_pane_set_events:
 * @events: (nullable): all events of the capture or log (#HlEvent)
 *
 * Gives the context of the selected event: the secrets and chains known
 * at its point, and what the session negotiated. New events are picked up
 * as they arrive.
 */
void
hl_details_pane_set_events (HlDetailsPane *self,
                            GListModel    *events)
{
  g_return_if_fail (HL_IS_DETAILS_PANE (self));
  g_return_if_fail (events == NULL || G_IS_LIST_MODEL (events));

  if (self->events == events)
    return;

  if (self->events != NULL)
    g_signal_handlers_disconnect_by_func (self->events, events_changed_cb, self);
  g_set_object (&self->events, events);
  if (events != NULL)
    g_signal_connect (events, "items-changed", G_CALLBACK (events_changed_cb), self);

  if (self->view_stack != NULL)
    {
      hl_cert_view_set_events (self->cert_view, events);
      hl_secrets_view_set_events (self->secrets_view, events);
    }
  update_explanation (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENTS]);
}

/**
 * hl_details_pane_get_events:
 *
 * Returns: (transfer none) (nullable): the events of the capture
 */
GListModel *
hl_details_pane_get_events (HlDetailsPane *self)
{
  g_return_val_if_fail (HL_IS_DETAILS_PANE (self), NULL);
  return self->events;
}

/**
 * hl_details_pane_set_event:
 * @event: (nullable): the selected event, or %NULL
 */
void
hl_details_pane_set_event (HlDetailsPane *self,
                           HlEvent       *event)
{
  g_return_if_fail (HL_IS_DETAILS_PANE (self));
  g_return_if_fail (event == NULL || HL_IS_EVENT (event));

  if (!g_set_object (&self->event, event))
    return;

  if (event != NULL && self->view_stack == NULL)
    {
      /* The page and its layout would weigh on the frame being drawn:
       * on the window's first (start-up with a log), or on the one that
       * draws a live capture's first rows, which select the first
       * message. A blank pane until that frame is painted. */
      self->pending = TRUE;
      gtk_stack_set_visible_child_name (self->stack, "pending");
      wait_for_frame (self);
    }
  else
    show_event (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EVENT]);
}

/**
 * hl_details_pane_get_event:
 *
 * Returns: (transfer none) (nullable): the event shown
 */
HlEvent *
hl_details_pane_get_event (HlDetailsPane *self)
{
  g_return_val_if_fail (HL_IS_DETAILS_PANE (self), NULL);
  return self->event;
}

/**
 * hl_details_pane_set_page:
 * @page: "fields", "certificates", "secrets" or "explanation"
 *
 * Shows @page, as if the user had chosen it. An event without bytes
 * selected later shows its own page instead of "fields".
 */
void
hl_details_pane_set_page (HlDetailsPane *self,
                          const char    *page)
{
  g_return_if_fail (HL_IS_DETAILS_PANE (self));
  g_return_if_fail (page != NULL);

  if (self->view_stack != NULL)
    {
      adw_view_stack_set_visible_child_name (self->view_stack, page);
      return;
    }
  /* kept for when the pages are made, as page_changed_cb() would */
  if (g_strcmp0 (self->preferred_page, page) != 0)
    {
      g_free (self->preferred_page);
      self->preferred_page = g_strdup (page);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
    }
}

const char *
hl_details_pane_get_page (HlDetailsPane *self)
{
  g_return_val_if_fail (HL_IS_DETAILS_PANE (self), NULL);

  show_pending (self);
  if (self->view_stack == NULL)
    return self->preferred_page;
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

/**
 * hl_details_pane_get_fields_view:
 *
 * The pages are made now if they were not yet (see ensure_details()).
 *
 * Returns: (transfer none): the field tree and hex view
 */
HlFieldsView *
hl_details_pane_get_fields_view (HlDetailsPane *self)
{
  g_return_val_if_fail (HL_IS_DETAILS_PANE (self), NULL);

  ensure_pages (self);
  return self->fields_view;
}

/**
 * hl_details_pane_get_hex_view:
 *
 * Returns: (transfer none): the hex view under the field tree
 */
HlHexView *
hl_details_pane_get_hex_view (HlDetailsPane *self)
{
  g_return_val_if_fail (HL_IS_DETAILS_PANE (self), NULL);

  ensure_pages (self);
  return hl_fields_view_get_hex_view (self->fields_view);
}

/**
 * hl_details_pane_get_cert_view:
 *
 * Returns: (transfer none): the certificates page (an #HlCertView)
 */
GtkWidget *
hl_details_pane_get_cert_view (HlDetailsPane *self)
{
  g_return_val_if_fail (HL_IS_DETAILS_PANE (self), NULL);

  ensure_pages (self);
  return GTK_WIDGET (self->cert_view);
}

/**
 * hl_details_pane_get_secrets_view:
 *
 * Returns: (transfer none): the secrets page (an #HlSecretsView)
 */
GtkWidget *
hl_details_pane_get_secrets_view (HlDetailsPane *self)
{
  g_return_val_if_fail (HL_IS_DETAILS_PANE (self), NULL);

  ensure_pages (self);
  return GTK_WIDGET (self->secrets_view);
}

/**
 * hl_details_pane_get_explanation:
 *
 * Returns: (nullable): the explanation shown for the selected event
 */
const char *
hl_details_pane_get_explanation (HlDetailsPane *self)
{
  g_return_val_if_fail (HL_IS_DETAILS_PANE (self), NULL);

  show_pending (self);
  return self->explanation;
}

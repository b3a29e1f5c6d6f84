/* hl-summary-bar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the event stream as it grows (never the whole list twice) and keeps
 * a one-line summary: negotiated parameters and verdicts, or the failure
 * and its cause.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-event.h"
#include "hl-registry.h"
#include "hl-summary-bar.h"

typedef enum
{
  FACT_VERSION,
  FACT_CIPHER_SUITE,
  FACT_GROUP,
  FACT_SIGNATURE_SCHEME,
  FACT_ALPN,
  FACT_SERVER_VERDICT,
  FACT_CLIENT_VERDICT,
  FACT_DURATION,
  N_FACTS
} Fact;

static const struct {
  const char *key;
  const char *caption;
} facts[N_FACTS] = {
  { "version", N_("Version") },
  { "cipher_suite", N_("Cipher Suite") },
  { "group", N_("Group") },
  { "signature_scheme", N_("Signature") },
  { "alpn", N_("ALPN") },
  { "server_verdict", N_("Server Certificate") },
  { "client_verdict", N_("Client Certificate") },
  { "duration", N_("Duration") },
};

struct _HlSummaryBar
{
  GtkWidget   parent_instance;

  GtkStack   *stack;
  GtkSpinner *spinner;
  GtkLabel   *values[N_FACTS];
  GtkLabel   *failure_label;
  GtkLabel   *cause_label;

  GListModel *events;
  guint       n_seen;
  gboolean    running;
  guint       spinner_id;

  gboolean    have_start;
  gint64      start_ns;
  HlEvent    *done;
  HlEvent    *failed;
  HlEvent    *checks[2];
  HlEvent    *alert;
  HlEvent    *error;
};

G_DEFINE_FINAL_TYPE (HlSummaryBar, hl_summary_bar, GTK_TYPE_WIDGET)

/* how long a handshake runs before the spinner turns */
#define SPINNER_DELAY_MS 500

/* Returns: whether @event changes what the bar says */
static gboolean
take_event (HlSummaryBar *self,
            HlEvent      *event)
{
  if (!self->have_start)
    {
      self->have_start = TRUE;
      self->start_ns = hl_event_get_time_ns (event);
    }

  switch (hl_event_get_kind (event))
    {
    case HL_EVENT_STATE:
      if (self->done == NULL && g_strcmp0 (hl_event_get_state (event), "handshake_done") == 0)
        self->done = g_object_ref (event);
      else if (self->failed == NULL && g_strcmp0 (hl_event_get_state (event), "handshake_failed") == 0)
        self->failed = g_object_ref (event);
      else
        return FALSE;
      return TRUE;
    case HL_EVENT_CERTIFICATE_CHECK:
      return g_set_object (&self->checks[hl_event_get_side (event)], event);
    case HL_EVENT_ALERT:
      /* the first alert that ends the connection, from the sender's view */
      if (self->alert != NULL || hl_event_get_alert_description (event) == 0)
        return FALSE;
      self->alert = g_object_ref (event);
      return TRUE;
    case HL_EVENT_ERROR:
      if (self->error != NULL)
        return FALSE;
      self->error = g_object_ref (event);
      return TRUE;
    default:
      return FALSE;
    }
}

static const char *
refusal_reason (HlEvent *check)
{
  const char *const *reasons = hl_event_get_reasons (check);

  return reasons != NULL && reasons[0] != NULL ? reasons[0] : _("refused");
}

static char *
dup_verdict (HlSummaryBar *self,
             HlSide        verifier)
{
  HlEvent *check = self->checks[verifier];

  if (check == NULL)
    return g_strdup (verifier == HL_SIDE_SERVER ? _("not requested") : _("not checked"));
  if (hl_event_get_verified (check))
    return g_strdup (_("✓ trusted"));
  return g_strdup_printf (_("✗ %s"), refusal_reason (check));
}

static char *
dup_cause (HlSummaryBar *self)
{
  GString *cause = g_string_new (NULL);

  if (self->alert != NULL)
    {
      const char *name = hl_registry_alert_description_name (hl_event_get_alert_description (self->alert));

      g_string_append_printf (cause,
                              hl_event_get_sender (self->alert) == HL_SIDE_CLIENT
                              ? _("The client sent the alert %s.")
                              : _("The server sent the alert %s."),
                              name != NULL ? name : _("unknown"));
    }
  if (self->error != NULL)
    g_string_append_printf (cause, "%s%s", cause->len > 0 ? " " : "",
                            hl_event_get_message (self->error));
  else if (self->alert == NULL && self->failed != NULL &&
           hl_event_get_detail (self->failed, "reason") != NULL)
    g_string_append (cause, hl_event_get_detail (self->failed, "reason"));
  for (HlSide side = HL_SIDE_CLIENT; side <= HL_SIDE_SERVER; side++)
    if (self->checks[side] != NULL && !hl_event_get_verified (self->checks[side]))
      g_string_append_printf (cause, " %s %s",
                              side == HL_SIDE_CLIENT
                              ? _("The client refused the server's chain:")
                              : _("The server refused the client's chain:"),
                              refusal_reason (self->checks[side]));
  return g_string_free (cause, FALSE);
}

/* The tooltip shows a value in full when the label ellipsizes it; built
 * when asked, since gtk_widget_set_tooltip_text() queries the pointer on
 * the display at each call */
static gboolean
value_query_tooltip_cb (GtkWidget  *label,
                        int         x,
                        int         y,
                        gboolean    keyboard_tooltip,
                        GtkTooltip *tooltip,
                        gpointer    user_data)
{
  gtk_tooltip_set_text (tooltip, gtk_label_get_label (GTK_LABEL (label)));
  return TRUE;
}

static void
set_fact (HlSummaryBar *self,
          Fact          fact,
          const char   *value)
{
  GtkWidget *label = GTK_WIDGET (self->values[fact]);
  gboolean empty = value == NULL || *value == '\0';
  const char *text = empty ? "—" : value;

  if (gtk_widget_get_has_tooltip (label) == !empty &&
      g_strcmp0 (gtk_label_get_label (self->values[fact]), text) == 0)
    return;

  gtk_label_set_label (self->values[fact], text);
  /* only a value has a tooltip, and describes the label as one would */
  gtk_widget_set_has_tooltip (label, !empty);
  if (empty)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, value,
                                    -1);
}

static gboolean
start_spinner_cb (gpointer data)
{
  HlSummaryBar *self = data;

  self->spinner_id = 0;
  gtk_spinner_set_spinning (self->spinner, TRUE);
  return G_SOURCE_REMOVE;
}

/* The spinner turns only once a handshake has taken a while: a demo is
 * over in milliseconds, and an animation would make the window draw a
 * frame every refresh while it lasts, which new rows would have to wait
 * for */
static void
update_spinner (HlSummaryBar *self)
{
  if (!self->running)
    {
      g_clear_handle_id (&self->spinner_id, g_source_remove);
      gtk_spinner_set_spinning (self->spinner, FALSE);
    }
  else if (self->spinner_id == 0 && !gtk_spinner_get_spinning (self->spinner))
    self->spinner_id = g_timeout_add (SPINNER_DELAY_MS, start_spinner_cb, self);
}

static void
update (HlSummaryBar *self)
{
  if (self->alert != NULL || self->error != NULL || self->failed != NULL)
    {
      g_autofree char *cause = dup_cause (self);

      gtk_label_set_label (self->failure_label,
                           self->done != NULL ? _("Connection Failed") : _("Handshake Failed"));
      gtk_label_set_label (self->cause_label, g_strstrip (cause));
      gtk_stack_set_visible_child_name (self->stack, "failed");
    }
  else if (self->done != NULL)
    {
      g_autofree char *server = dup_verdict (self, HL_SIDE_CLIENT);
      g_autofree char *client = dup_verdict (self, HL_SIDE_SERVER);
      g_autofree char *duration =
        g_strdup_printf (_("%.2f ms"), (hl_event_get_time_ns (self->done) - self->start_ns) / 1e6);

      for (Fact f = FACT_VERSION; f <= FACT_ALPN; f++)
        set_fact (self, f, hl_event_get_detail (self->done, facts[f].key));
      set_fact (self, FACT_SERVER_VERDICT, server);
      set_fact (self, FACT_CLIENT_VERDICT, client);
      set_fact (self, FACT_DURATION, duration);
      gtk_stack_set_visible_child_name (self->stack, "done");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, self->running ? "running" : "empty");

  update_spinner (self);
  gtk_widget_set_visible (GTK_WIDGET (self), self->events != NULL);
}

/* Returns: whether the events not seen yet change what the bar says */
static gboolean
read_new_events (HlSummaryBar *self)
{
  guint n = g_list_model_get_n_items (self->events);
  gboolean changed = FALSE;

  for (; self->n_seen < n; self->n_seen++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (self->events, self->n_seen);

      changed |= take_event (self, event);
    }
  return changed;
}

static void
events_changed_cb (HlSummaryBar *self,
                   guint         position,
                   guint         removed,
                   guint         added,
                   GListModel   *events)
{
  /* most events of a capture change nothing here */
  if (read_new_events (self))
    update (self);
}

static void
clear (HlSummaryBar *self)
{
  self->n_seen = 0;
  self->have_start = FALSE;
  g_clear_object (&self->done);
  g_clear_object (&self->failed);
  g_clear_object (&self->checks[0]);
  g_clear_object (&self->checks[1]);
  g_clear_object (&self->alert);
  g_clear_object (&self->error);
}

static GtkWidget *
make_fact (HlSummaryBar *self,
           Fact          fact)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *caption = gtk_label_new (_(facts[fact].caption));
  GtkWidget *value = gtk_label_new ("—");

  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_widget_add_css_class (value, "heading");
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (value), fact == FACT_CIPHER_SUITE ? 48 : 28);
  g_signal_connect (value, "query-tooltip", G_CALLBACK (value_query_tooltip_cb), NULL);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), value);
  self->values[fact] = GTK_LABEL (value);
  return box;
}

static GtkWidget *
make_done_page (HlSummaryBar *self)
{
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 24);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), N_FACTS);
  for (Fact f = 0; f < N_FACTS; f++)
    {
      gtk_flow_box_append (GTK_FLOW_BOX (flow), make_fact (self, f));
      gtk_widget_set_can_focus (GTK_WIDGET (gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (flow), f)),
                                FALSE);
    }
  return flow;
}

static GtkWidget *
make_failed_page (HlSummaryBar *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);

  gtk_widget_add_css_class (icon, "error");
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 24);
  self->failure_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->failure_label), "heading");
  gtk_widget_add_css_class (GTK_WIDGET (self->failure_label), "error");
  gtk_label_set_xalign (self->failure_label, 0);
  self->cause_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->cause_label, 0);
  gtk_label_set_wrap (self->cause_label, TRUE);
  gtk_label_set_selectable (self->cause_label, TRUE);
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->failure_label));
  gtk_box_append (GTK_BOX (text), GTK_WIDGET (self->cause_label));
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), text);
  return box;
}

static GtkWidget *
make_running_page (HlSummaryBar *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_("Handshake in progress…"));

  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
hl_summary_bar_dispose (GObject *object)
{
  HlSummaryBar *self = HL_SUMMARY_BAR (object);

  hl_summary_bar_set_events (self, NULL);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  if (self->stack != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->stack));
      self->stack = NULL;
    }

  G_OBJECT_CLASS (hl_summary_bar_parent_class)->dispose (object);
}

static void
hl_summary_bar_class_init (HlSummaryBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = hl_summary_bar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "summarybar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
hl_summary_bar_init (HlSummaryBar *self)
{
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  gtk_stack_add_named (self->stack, gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0), "empty");
  gtk_stack_add_named (self->stack, make_running_page (self), "running");
  gtk_stack_add_named (self->stack, make_done_page (self), "done");
  gtk_stack_add_named (self->stack, make_failed_page (self), "failed");
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
hl_summary_bar_new (void)
{
  return g_object_new (HL_TYPE_SUMMARY_BAR, NULL);
}

/**
 * hl_summary_bar_set_events:
 * @events: (nullable): a #GListModel of #HlEvent
 */
void
hl_summary_bar_set_events (HlSummaryBar *self,
                           GListModel   *events)
{
  g_return_if_fail (HL_IS_SUMMARY_BAR (self));

  if (self->events != NULL)
    g_signal_handlers_disconnect_by_func (self->events, events_changed_cb, self);
  clear (self);
  g_set_object (&self->events, events);
  if (events == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  g_signal_connect_object (events, "items-changed",
                           G_CALLBACK (events_changed_cb), self, G_CONNECT_SWAPPED);
  read_new_events (self);
  update (self);
}

void
hl_summary_bar_set_running (HlSummaryBar *self,
                            gboolean      running)
{
  g_return_if_fail (HL_IS_SUMMARY_BAR (self));

  self->running = !!running;
  update (self);
}

const char *
hl_summary_bar_get_state (HlSummaryBar *self)
{
  g_return_val_if_fail (HL_IS_SUMMARY_BAR (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
hl_summary_bar_get_value (HlSummaryBar *self,
                          const char   *key)
{
  g_return_val_if_fail (HL_IS_SUMMARY_BAR (self), NULL);

  if (g_strcmp0 (key, "failure") == 0)
    return gtk_label_get_label (self->failure_label);
  if (g_strcmp0 (key, "cause") == 0)
    return gtk_label_get_label (self->cause_label);
  for (Fact f = 0; f < N_FACTS; f++)
    if (g_strcmp0 (key, facts[f].key) == 0)
      return gtk_label_get_label (self->values[f]);
  return NULL;
}

/* hl-secrets-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "hl-details-range.h"
#include "hl-secrets-view.h"

/* A connection that renegotiates or updates keys often can hold many
 * secrets: rows for the latest only */
#define MAX_ROWS 24

struct _HlSecretsView
{
  GtkWidget        parent_instance;

  GListModel      *events;
  HlEvent         *event;
  GPtrArray       *lines;
  /* set when the content must be built again, the next time it shows */
  gboolean         dirty;

  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkListBox      *secrets_list;
  GtkButton       *copy_all_button;
  GtkLabel        *key_log_label;
};

G_DEFINE_FINAL_TYPE (HlSecretsView, hl_secrets_view, GTK_TYPE_WIDGET)

static void
copy_text (HlSecretsView *self,
           const char    *text,
           const char    *toast)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (toast));
}

static void
copy_line_clicked_cb (GtkButton     *button,
                      HlSecretsView *self)
{
  copy_text (self, g_object_get_data (G_OBJECT (button), "key-log-line"),
             _("Key-log line copied"));
}

static void
copy_all_clicked_cb (GtkButton     *button,
                     HlSecretsView *self)
{
  g_autofree char *key_log = hl_secrets_view_dup_key_log (self);

  copy_text (self, key_log, _("Key log copied"));
}

/* Where the secret came from: the last handshake message its side saw */
static char *
describe_origin (HlEvent *secret,
                 HlEvent *message)
{
  gboolean client = hl_event_get_side (secret) == HL_SIDE_CLIENT;
  const char *name;

  if (message == NULL)
    return g_strdup (client ? _("Derived by the client") : _("Derived by the server"));

  name = hl_event_get_handshake_name (message);
  if (hl_event_get_direction (message) == HL_DIRECTION_IN)
    return g_strdup_printf (client ? _("Derived by the client after receiving %s")
                                   : _("Derived by the server after receiving %s"), name);
  return g_strdup_printf (client ? _("Derived by the client after sending %s")
                                 : _("Derived by the server after sending %s"), name);
}

static GtkWidget *
create_row (HlSecretsView *self,
            HlEvent       *secret,
            HlEvent       *message)
{
  g_autofree char *origin = describe_origin (secret, message);
  char *line = hl_event_dup_keylog_line (secret);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("edit-copy-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hl_event_get_label (secret));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), origin);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Copy Key-Log Line"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy Key-Log Line"),
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "key-log-line", line, g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (copy_line_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
clear_rows (HlSecretsView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->secrets_list))) != NULL)
    gtk_list_box_remove (self->secrets_list, child);
  g_ptr_array_set_size (self->lines, 0);
}

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* Every secret of the connection up to the selected event, with the last
 * handshake message its side had seen then */
static void
collect_secrets (HlSecretsView *self,
                 GPtrArray     *secrets,
                 GPtrArray     *messages)
{
  /* owned */
  HlEvent *last_message[2] = { NULL, NULL };
  HlDetailsRange range;

  if (self->event == NULL)
    return;

  if (self->events != NULL && hl_details_range_find (self->events, self->event, &range))
    for (guint i = range.start; i <= range.position; i++)
      {
        g_autoptr(HlEvent) other = g_list_model_get_item (self->events, i);
        HlSide side = hl_event_get_side (other);

        if (hl_event_get_session (other) != hl_event_get_session (self->event))
          continue;
        if (hl_event_get_kind (other) == HL_EVENT_HANDSHAKE)
          g_set_object (&last_message[side], other);
        else if (hl_event_get_kind (other) == HL_EVENT_SECRET)
          {
            g_ptr_array_add (secrets, g_object_ref (other));
            g_ptr_array_add (messages, last_message[side] ? g_object_ref (last_message[side]) : NULL);
          }
      }
  /* Without the capture's events, a secret still shows itself */
  if (secrets->len == 0 && hl_event_get_kind (self->event) == HL_EVENT_SECRET)
    {
      g_ptr_array_add (secrets, g_object_ref (self->event));
      g_ptr_array_add (messages, NULL);
    }
  g_clear_object (&last_message[HL_SIDE_CLIENT]);
  g_clear_object (&last_message[HL_SIDE_SERVER]);
  /* Without the capture's events, a secret still shows itself */
  if (secrets->len == 0 && self->event != NULL &&
      hl_event_get_kind (self->event) == HL_EVENT_SECRET)
    {
      g_ptr_array_add (secrets, g_object_ref (self->event));
      g_ptr_array_add (messages, NULL);
    }
}

static void
append_hidden_row (HlSecretsView *self,
                   guint          hidden)
{
  g_autofree char *title = g_strdup_printf (ngettext ("%u earlier secret is not shown",
                                                      "%u earlier secrets are not shown", hidden),
                                            hidden);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Copy Key Log copies them all"));
  gtk_list_box_append (self->secrets_list, row);
}

static void
ensure_built (HlSecretsView *self)
{
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (unref_nullable);
  g_autoptr(GString) key_log = g_string_new (NULL);
  guint first_row;

  if (!self->dirty)
    return;
  self->dirty = FALSE;

  clear_rows (self);
  collect_secrets (self, secrets, messages);
  first_row = secrets->len > MAX_ROWS ? secrets->len - MAX_ROWS : 0;
  if (first_row > 0)
    append_hidden_row (self, first_row);
  for (guint i = 0; i < secrets->len; i++)
    {
      char *line = hl_event_dup_keylog_line (g_ptr_array_index (secrets, i));

      g_ptr_array_add (self->lines, line);
      if (i < first_row)
        continue;
      gtk_list_box_append (self->secrets_list,
                           create_row (self, g_ptr_array_index (secrets, i),
                                       g_ptr_array_index (messages, i)));
      g_string_append_printf (key_log, "%s%s", key_log->len > 0 ? "\n" : "", line);
    }

  gtk_label_set_label (self->key_log_label, key_log->str);
  gtk_stack_set_visible_child_name (self->stack, self->lines->len > 0 ? "secrets" : "empty");
}

static void
invalidate (HlSecretsView *self)
{
  self->dirty = TRUE;
  /* a hidden page waits until it is shown */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_built (self);
}

static void
hl_secrets_view_map (GtkWidget *widget)
{
  ensure_built (HL_SECRETS_VIEW (widget));
  GTK_WIDGET_CLASS (hl_secrets_view_parent_class)->map (widget);
}

static void
hl_secrets_view_dispose (GObject *object)
{
  HlSecretsView *self = HL_SECRETS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_SECRETS_VIEW);
  g_clear_object (&self->events);
  g_clear_object (&self->event);

  G_OBJECT_CLASS (hl_secrets_view_parent_class)->dispose (object);
}

static void
hl_secrets_view_finalize (GObject *object)
{
  HlSecretsView *self = HL_SECRETS_VIEW (object);

  g_clear_pointer (&self->lines, g_ptr_array_unref);

  G_OBJECT_CLASS (hl_secrets_view_parent_class)->finalize (object);
}

static void
hl_secrets_view_class_init (HlSecretsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_secrets_view_dispose;
  object_class->finalize = hl_secrets_view_finalize;
  widget_class->map = hl_secrets_view_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/handshakelens/HandshakeLens/hl-secrets-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HlSecretsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HlSecretsView, stack);
  gtk_widget_class_bind_template_child (widget_class, HlSecretsView, secrets_list);
  gtk_widget_class_bind_template_child (widget_class, HlSecretsView, copy_all_button);
  gtk_widget_class_bind_template_child (widget_class, HlSecretsView, key_log_label);
  gtk_widget_class_bind_template_callback (widget_class, copy_all_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "secretsview");
}

static void
hl_secrets_view_init (HlSecretsView *self)
{
  self->lines = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  invalidate (self);
}

GtkWidget *
hl_secrets_view_new (void)
{
  return g_object_new (HL_TYPE_SECRETS_VIEW, NULL);
}

/**
 * hl_secrets_view_set_events:
 * @events: (nullable): all events of the capture or log (#HlEvent)
 */
void
hl_secrets_view_set_events (HlSecretsView *self,
                            GListModel    *events)
{
  g_return_if_fail (HL_IS_SECRETS_VIEW (self));
  g_return_if_fail (events == NULL || G_IS_LIST_MODEL (events));

  /* the same model again refreshes: it may have grown */
  g_set_object (&self->events, events);
  invalidate (self);
}

/**
 * hl_secrets_view_set_event:
 * @event: (nullable): the selected event
 *
 * Shows the secrets of its session derived up to and including @event.
 */
void
hl_secrets_view_set_event (HlSecretsView *self,
                           HlEvent       *event)
{
  g_return_if_fail (HL_IS_SECRETS_VIEW (self));
  g_return_if_fail (event == NULL || HL_IS_EVENT (event));

  if (g_set_object (&self->event, event))
    invalidate (self);
}

guint
hl_secrets_view_get_n_secrets (HlSecretsView *self)
{
  g_return_val_if_fail (HL_IS_SECRETS_VIEW (self), 0);

  ensure_built (self);
  return self->lines->len;
}

/**
 * hl_secrets_view_dup_key_log:
 *
 * Returns: (transfer full): the key-log lines shown, each ending in a newline
 */
char *
hl_secrets_view_dup_key_log (HlSecretsView *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (HL_IS_SECRETS_VIEW (self), NULL);

  ensure_built (self);
  for (guint i = 0; i < self->lines->len; i++)
    g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (self->lines, i));
  return g_string_free (text, FALSE);
}

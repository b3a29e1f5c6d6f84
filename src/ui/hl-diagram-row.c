/* hl-diagram-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-diagram-row.h"
#include "hl-registry.h"

enum
{
  SECRET_HANDSHAKE   = 1 << 0,
  SECRET_APPLICATION = 1 << 1,
  SECRET_EXPORTER    = 1 << 2,
  SECRET_MASTER      = 1 << 3,
  SECRET_EARLY       = 1 << 4,
  SECRET_OTHER       = 1 << 5,
};

struct _HlDiagramRow
{
  GObject           parent_instance;

  HlDiagramRowKind  kind;
  guint             index;
  HlSide            side;
  guint             flight;
  gboolean          flight_start;
  HlEvent          *send_event;
  HlEvent          *receive_event;
  /* notes: the event the note is about (the last one for grouped secrets) */
  HlEvent          *note_event;
  GPtrArray        *secret_labels;
  guint             secret_flags;
  char             *label;
  char             *detail;
  gsize             size;
  HlDiagramMood     mood;
  gint64            origin_ns;
};

G_DEFINE_FINAL_TYPE (HlDiagramRow, hl_diagram_row, G_TYPE_OBJECT)

/* "client_hello" → "ClientHello", the way diagrams in the RFCs write it */
char *
hl_diagram_message_title (const char *rfc_name)
{
  GString *title = g_string_new (NULL);
  gboolean upper = TRUE;

  for (const char *p = rfc_name; p != NULL && *p != '\0'; p++)
    {
      if (*p == '_')
        {
          upper = TRUE;
          continue;
        }
      g_string_append_c (title, upper ? g_ascii_toupper (*p) : *p);
      upper = FALSE;
    }
  return g_string_free (title, FALSE);
}

static guint
secret_flag (const char *label)
{
  if (label == NULL)
    return SECRET_OTHER;
  if (g_str_has_suffix (label, "HANDSHAKE_TRAFFIC_SECRET"))
    return SECRET_HANDSHAKE;
  if (g_str_has_suffix (label, "TRAFFIC_SECRET_0"))
    return SECRET_APPLICATION;
  if (g_str_equal (label, "EXPORTER_SECRET"))
    return SECRET_EXPORTER;
  if (g_str_equal (label, "CLIENT_RANDOM"))
    return SECRET_MASTER;
  if (g_str_has_prefix (label, "CLIENT_EARLY"))
    return SECRET_EARLY;
  return SECRET_OTHER;
}

static void
update_secret_label (HlDiagramRow *self)
{
  const char *label;

  if (self->secret_flags & SECRET_APPLICATION)
    label = _("application keys ready");
  else if (self->secret_flags & SECRET_HANDSHAKE)
    label = _("handshake traffic secrets derived");
  else if (self->secret_flags & SECRET_MASTER)
    label = _("master secret derived");
  else if (self->secret_flags & SECRET_EARLY)
    label = _("early traffic secret derived");
  else if (self->secret_flags & SECRET_EXPORTER)
    label = _("exporter secret derived");
  else
    label = _("secret derived");

  g_free (self->label);
  self->label = g_strdup (label);
  g_free (self->detail);
  self->detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u secret", "%u secrets",
                                               self->secret_labels->len),
                                  self->secret_labels->len);
}

static void
setup_certificate_check (HlDiagramRow *self,
                         HlEvent      *event)
{
  gboolean ok = hl_event_get_verified (event);
  gboolean client = hl_event_get_side (event) == HL_SIDE_CLIENT;
  const char *const *reasons = hl_event_get_reasons (event);

  self->mood = ok ? HL_DIAGRAM_MOOD_GOOD : HL_DIAGRAM_MOOD_BAD;
  if (ok)
    self->label = g_strdup (client ? _("verified server chain ✓") : _("verified client chain ✓"));
  else
    self->label = g_strdup (client ? _("server chain refused ✗") : _("client chain refused ✗"));
  if (!ok && reasons != NULL && reasons[0] != NULL)
    self->detail = g_strdup (reasons[0]);
}

static void
setup_state (HlDiagramRow *self,
             HlEvent      *event)
{
  const char *state = hl_event_get_state (event);

  if (g_strcmp0 (state, "handshake_done") == 0)
    {
      self->label = g_strdup (_("handshake complete"));
      self->detail = g_strdup (hl_event_get_detail (event, "version"));
      self->mood = HL_DIAGRAM_MOOD_GOOD;
    }
  else if (g_strcmp0 (state, "handshake_failed") == 0)
    {
      self->label = g_strdup (_("handshake failed ✗"));
      self->detail = g_strdup (hl_event_get_detail (event, "reason"));
      self->mood = HL_DIAGRAM_MOOD_BAD;
    }
  else if (g_strcmp0 (state, "closed") == 0)
    self->label = g_strdup (_("connection closed"));
  else if (g_strcmp0 (state, "connected") == 0)
    self->label = g_strdup (_("connected"));
  else
    self->label = g_strdup (state);
}

static void
setup_alert (HlDiagramRow *self,
             HlEvent      *event)
{
  guint8 description = hl_event_get_alert_description (event);
  const char *name = hl_registry_alert_description_name (description);
  const char *level = hl_registry_alert_level_name (hl_event_get_alert_level (event));

  self->label = g_strdup_printf (_("Alert: %s"), name != NULL ? name : _("unknown"));
  self->detail = g_strdup (level);
  self->size = 2;
  /* close_notify is the orderly end, not a failure */
  self->mood = description == 0 ? HL_DIAGRAM_MOOD_NEUTRAL : HL_DIAGRAM_MOOD_BAD;
}

static void
setup (HlDiagramRow *self,
       HlEvent      *event)
{
  GBytes *raw = hl_event_get_raw (event);

  self->size = raw != NULL ? g_bytes_get_size (raw) : 0;

  switch (self->kind)
    {
    case HL_DIAGRAM_ROW_MESSAGE:
      self->label = hl_diagram_message_title (hl_event_get_handshake_name (event));
      break;
    case HL_DIAGRAM_ROW_CHANGE_CIPHER_SPEC:
      self->label = g_strdup ("ChangeCipherSpec");
      self->size = 1;
      break;
    case HL_DIAGRAM_ROW_ALERT:
      setup_alert (self, event);
      break;
    case HL_DIAGRAM_ROW_RECORD:
      {
        const char *name = hl_registry_content_type_name (hl_event_get_content_type (event));
        self->label = g_strdup_printf (_("%s record"), name != NULL ? name : _("unknown"));
      }
      break;
    case HL_DIAGRAM_ROW_NOTE:
      if (hl_event_get_kind (event) == HL_EVENT_CERTIFICATE_CHECK)
        setup_certificate_check (self, event);
      else if (hl_event_get_kind (event) == HL_EVENT_STATE)
        setup_state (self, event);
      else if (hl_event_get_kind (event) == HL_EVENT_SECRET)
        _hl_diagram_row_add_secret (self, event);
      else
        self->label = hl_event_describe (event);
      break;
    case HL_DIAGRAM_ROW_ERROR:
      self->label = g_strdup (hl_event_get_message (event));
      self->detail = g_strdup (hl_event_get_error_code (event));
      self->mood = HL_DIAGRAM_MOOD_BAD;
      break;
    default:
      g_assert_not_reached ();
    }

  if (self->label == NULL)
    self->label = g_strdup ("");
}

static void
hl_diagram_row_finalize (GObject *object)
{
  HlDiagramRow *self = HL_DIAGRAM_ROW (object);

  g_clear_object (&self->send_event);
  g_clear_object (&self->receive_event);
  g_clear_object (&self->note_event);
  g_clear_pointer (&self->secret_labels, g_ptr_array_unref);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (hl_diagram_row_parent_class)->finalize (object);
}

static void
hl_diagram_row_class_init (HlDiagramRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_diagram_row_finalize;
}

static void
hl_diagram_row_init (HlDiagramRow *self)
{
}

HlDiagramRow *
_hl_diagram_row_new (HlDiagramRowKind  kind,
                     HlEvent          *event,
                     guint             index)
{
  HlDiagramRow *self = g_object_new (HL_TYPE_DIAGRAM_ROW, NULL);

  self->kind = kind;
  self->index = index;

  if (hl_event_get_direction (event) == HL_DIRECTION_NONE)
    {
      self->side = hl_event_get_side (event);
      self->note_event = g_object_ref (event);
    }
  else
    {
      self->side = hl_event_get_sender (event);
      if (hl_event_get_direction (event) == HL_DIRECTION_OUT)
        self->send_event = g_object_ref (event);
      else
        self->receive_event = g_object_ref (event);
    }

  setup (self, event);
  return self;
}

void
_hl_diagram_row_set_receive_event (HlDiagramRow *self,
                                   HlEvent      *event)
{
  g_set_object (&self->receive_event, event);
}

void
_hl_diagram_row_set_send_event (HlDiagramRow *self,
                                HlEvent      *event)
{
  g_set_object (&self->send_event, event);
}

void
_hl_diagram_row_set_flight (HlDiagramRow *self,
                            guint         flight,
                            gboolean      start)
{
  self->flight = flight;
  self->flight_start = start;
}

/* times show as offsets from the first event of the capture */
void
_hl_diagram_row_set_origin (HlDiagramRow *self,
                            gint64        origin_ns)
{
  self->origin_ns = origin_ns;
}

void
_hl_diagram_row_add_secret (HlDiagramRow *self,
                            HlEvent      *event)
{
  if (self->secret_labels == NULL)
    self->secret_labels = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->secret_labels, g_strdup (hl_event_get_label (event)));
  self->secret_flags |= secret_flag (hl_event_get_label (event));
  /* the last one: the details pane shows the secrets known at that point */
  g_set_object (&self->note_event, event);
  update_secret_label (self);
}

HlDiagramRowKind
hl_diagram_row_get_kind (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), 0);
  return self->kind;
}

guint
hl_diagram_row_get_index (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), 0);
  return self->index;
}

/**
 * hl_diagram_row_get_event:
 *
 * Returns: (transfer none): the event that selecting the row shows: the
 *   sender's observation of a message when there is one
 */
HlEvent *
hl_diagram_row_get_event (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), NULL);

  if (self->note_event != NULL)
    return self->note_event;
  if (self->send_event != NULL)
    return self->send_event;
  return self->receive_event;
}

HlEvent *
hl_diagram_row_get_send_event (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), NULL);
  return self->send_event;
}

HlEvent *
hl_diagram_row_get_receive_event (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), NULL);
  return self->receive_event;
}

/**
 * hl_diagram_row_get_side:
 *
 * Returns: the sender of a message, or the endpoint a note is about
 */
HlSide
hl_diagram_row_get_side (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), HL_SIDE_CLIENT);
  return self->side;
}

guint
hl_diagram_row_get_flight (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), 0);
  return self->flight;
}

gboolean
hl_diagram_row_get_flight_start (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), FALSE);
  return self->flight_start;
}

const char *
hl_diagram_row_get_label (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), NULL);
  return self->label;
}

const char *
hl_diagram_row_get_detail (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), NULL);
  return self->detail;
}

gsize
hl_diagram_row_get_size (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), 0);
  return self->size;
}

gboolean
hl_diagram_row_get_encrypted (HlDiagramRow *self)
{
  HlEvent *event;

  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), FALSE);

  event = hl_diagram_row_get_event (self);
  if (self->kind == HL_DIAGRAM_ROW_MESSAGE)
    return hl_event_get_encrypted (event);
  return FALSE;
}

HlDiagramMood
hl_diagram_row_get_mood (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), HL_DIAGRAM_MOOD_NEUTRAL);
  return self->mood;
}

gint64
hl_diagram_row_get_time_ns (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), 0);
  return hl_event_get_time_ns (hl_diagram_row_get_event (self));
}

/**
 * hl_diagram_row_get_elapsed_ns:
 *
 * Returns: the row's time since the first event of its capture
 */
gint64
hl_diagram_row_get_elapsed_ns (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), 0);
  return hl_diagram_row_get_time_ns (self) - self->origin_ns;
}

gboolean
hl_diagram_row_is_paired (HlDiagramRow *self)
{
  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), FALSE);
  return self->send_event != NULL && self->receive_event != NULL;
}

static const char *
side_name (HlSide side)
{
  return side == HL_SIDE_CLIENT ? _("client") : _("server");
}

/**
 * hl_diagram_row_dup_description:
 *
 * Returns: (transfer full): what a screen reader says for the row
 */
char *
hl_diagram_row_dup_description (HlDiagramRow *self)
{
  HlSide other;

  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), NULL);

  other = self->side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  switch (self->kind)
    {
    case HL_DIAGRAM_ROW_MESSAGE:
    case HL_DIAGRAM_ROW_CHANGE_CIPHER_SPEC:
    case HL_DIAGRAM_ROW_ALERT:
    case HL_DIAGRAM_ROW_RECORD:
      /* Translators: "ClientHello, client to server, 512 bytes" */
      return g_strdup_printf (_("%s, %s to %s, %zu bytes%s"),
                              self->label, side_name (self->side), side_name (other),
                              self->size,
                              hl_diagram_row_get_encrypted (self) ? _(", encrypted") : "");
    case HL_DIAGRAM_ROW_NOTE:
      return g_strdup_printf (_("%s: %s%s%s"), side_name (self->side), self->label,
                              self->detail != NULL ? ", " : "",
                              self->detail != NULL ? self->detail : "");
    case HL_DIAGRAM_ROW_ERROR:
      return g_strdup_printf (_("Error: %s"), self->label);
    default:
      g_assert_not_reached ();
    }
}

static void
append_time (GString    *text,
             const char *what,
             HlEvent    *event,
             gint64      origin_ns)
{
  if (event == NULL)
    return;
  g_string_append_printf (text, "\n%s +%.3f ms", what,
                          (hl_event_get_time_ns (event) - origin_ns) / 1e6);
}

/**
 * hl_diagram_row_dup_tooltip:
 *
 * Returns: (transfer full): the row's hover text: what, when and how big
 */
char *
hl_diagram_row_dup_tooltip (HlDiagramRow *self)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (HL_IS_DIAGRAM_ROW (self), NULL);

  text = g_string_new (self->label);
  if (self->size > 0)
    {
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %zu byte", " · %zu bytes",
                                                 self->size),
                              self->size);
    }
  if (self->detail != NULL && self->kind != HL_DIAGRAM_ROW_MESSAGE)
    g_string_append_printf (text, "\n%s", self->detail);
  if (self->secret_labels != NULL)
    for (guint i = 0; i < self->secret_labels->len; i++)
      g_string_append_printf (text, "\n%s", (char *) g_ptr_array_index (self->secret_labels, i));

  append_time (text, _("Sent"), self->send_event, self->origin_ns);
  append_time (text, _("Received"), self->receive_event, self->origin_ns);
  append_time (text, _("At"), self->note_event, self->origin_ns);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* hl-export-mermaid.c: the sequence diagram as Mermaid text
 *
 * Mirrors the app's diagram: one arrow per message, from its sender, and
 * notes on a lifeline for what happens inside an endpoint (secrets
 * derived, the peer's chain checked). Mermaid has no colours for a
 * single arrow, so alerts and failures carry a "⚠" instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-export-private.h"
#include "hl-registry.h"

#define SIDE_BIT(side) (1u << (side))

typedef struct
{
  GString   *out;
  GArray    *observed;          /* guint8 per session: SIDE_BIT of sides that saw messages */
  GPtrArray *secrets[2];        /* labels derived by each side, not yet written */
  guint      session;
  gboolean   done_noted;
} Diagram;

static const char *
participant (HlSide side)
{
  return side == HL_SIDE_CLIENT ? "Client" : "Server";
}

static HlSide
other_side (HlSide side)
{
  return side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
}

/* Text from a log (or from a peer) must not end a statement (";"),
 * start an entity ("#"), open HTML or break the line */
static void
append_text (GString    *out,
             const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      switch (*p)
        {
        case ';':
          g_string_append (out, "#59;");
          break;
        case '#':
          g_string_append (out, "#35;");
          break;
        case '<':
          g_string_append (out, "#60;");
          break;
        case '>':
          g_string_append (out, "#62;");
          break;
        default:
          g_string_append_c (out, g_ascii_iscntrl (*p) ? ' ' : *p);
        }
    }
}

static void
append_note (Diagram    *diagram,
             const char *over,
             const char *prefix,
             const char *text)
{
  g_string_append_printf (diagram->out, "    Note over %s: %s", over, prefix);
  append_text (diagram->out, text);
  g_string_append_c (diagram->out, '\n');
}

static GArray *
observed_sides (GListModel *events)
{
  GArray *observed = g_array_new (FALSE, TRUE, sizeof (guint8));
  guint n = g_list_model_get_n_items (events);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      guint session = hl_event_get_session (event);

      if (hl_event_get_direction (event) == HL_DIRECTION_NONE)
        continue;
      if (session >= observed->len)
        g_array_set_size (observed, session + 1);
      g_array_index (observed, guint8, session) |= SIDE_BIT (hl_event_get_side (event));
    }
  return observed;
}

/* A message is drawn once, from the sender's own event when the sender
 * was observed (a demo), else from the receiver's (connect) */
static gboolean
is_drawn (Diagram *diagram,
          HlEvent *event)
{
  guint session = hl_event_get_session (event);
  HlSide sender = hl_event_get_sender (event);
  guint8 observed = session < diagram->observed->len ?
                    g_array_index (diagram->observed, guint8, session) : 0;

  if (hl_event_get_direction (event) == HL_DIRECTION_OUT)
    return TRUE;
  return (observed & SIDE_BIT (sender)) == 0;
}

static void
flush_secrets (Diagram *diagram,
               HlSide   side)
{
  GPtrArray *labels = diagram->secrets[side];

  if (labels->len == 0)
    return;
  g_string_append_printf (diagram->out, "    Note over %s: secrets derived", participant (side));
  for (guint i = 0; i < labels->len; i++)
    {
      g_string_append (diagram->out, "<br/>");
      append_text (diagram->out, g_ptr_array_index (labels, i));
    }
  g_string_append_c (diagram->out, '\n');
  g_ptr_array_set_size (labels, 0);
}

static void
append_handshake (Diagram *diagram,
                  HlEvent *event)
{
  HlSide sender = hl_event_get_sender (event);
  GBytes *raw = hl_event_get_raw (event);

  g_string_append_printf (diagram->out, "    %s->>%s: ", participant (sender),
                          participant (other_side (sender)));
  append_text (diagram->out, hl_event_get_handshake_name (event));
  g_string_append_printf (diagram->out, " (%" G_GSIZE_FORMAT " B%s)\n",
                          raw != NULL ? g_bytes_get_size (raw) : 0,
                          hl_event_get_encrypted (event) ? ", encrypted" : "");
}

static void
append_alert (Diagram *diagram,
              HlEvent *event)
{
  HlSide sender = hl_event_get_sender (event);
  const char *level = hl_registry_alert_level_name (hl_event_get_alert_level (event));
  const char *name = hl_registry_alert_description_name (hl_event_get_alert_description (event));

  /* a cross-ended arrow: the message that ends (or refuses) something;
   * only a close_notify is no news */
  g_string_append_printf (diagram->out, "    %s-x%s: %salert ", participant (sender),
                          participant (other_side (sender)),
                          hl_event_get_alert_description (event) != 0 ||
                          hl_event_get_alert_level (event) == 2 ? "⚠ " : "");
  append_text (diagram->out, level != NULL ? level : "unknown");
  g_string_append_c (diagram->out, ' ');
  append_text (diagram->out, name != NULL ? name : "unknown");
  g_string_append_c (diagram->out, '\n');
}

static void
append_certificate_check (Diagram *diagram,
                          HlEvent *event)
{
  HlSide side = hl_event_get_side (event);
  GPtrArray *chain = hl_event_get_chain (event);
  const char *const *reasons = hl_event_get_reasons (event);
  g_autofree char *what = g_strdup_printf ("%s chain (%u certificate%s)",
                                           side == HL_SIDE_CLIENT ? "server" : "client",
                                           chain != NULL ? chain->len : 0,
                                           chain != NULL && chain->len == 1 ? "" : "s");

  if (hl_event_get_verified (event))
    {
      append_note (diagram, participant (side), "✓ verified the ", what);
      return;
    }
  g_string_append_printf (diagram->out, "    Note over %s: ⚠ refused the ", participant (side));
  append_text (diagram->out, what);
  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    {
      g_string_append (diagram->out, "<br/>");
      append_text (diagram->out, reasons[i]);
    }
  g_string_append_c (diagram->out, '\n');
}

static void
append_state (Diagram *diagram,
              HlEvent *event)
{
  const char *state = hl_event_get_state (event);

  if (g_strcmp0 (state, "connected") == 0 && hl_event_get_side (event) == HL_SIDE_CLIENT)
    {
      g_autofree char *prefix = g_strdup_printf ("connection %u: ",
                                                 hl_event_get_session (event) + 1);
      const char *peer = hl_event_get_detail (event, "peer");

      append_note (diagram, "Client,Server", prefix, peer != NULL ? peer : "");
    }
  else if (g_strcmp0 (state, "handshake_done") == 0 && !diagram->done_noted)
    {
      const char *version = hl_event_get_detail (event, "version");
      const char *suite = hl_event_get_detail (event, "cipher_suite");
      gboolean resumed = g_strcmp0 (hl_event_get_detail (event, "resumed"), "true") == 0;
      g_autofree char *text = g_strdup_printf ("%s, %s%s", version != NULL ? version : "?",
                                               suite != NULL ? suite : "?",
                                               resumed ? ", resumed" : "");

      /* both ends finish: one note says it */
      diagram->done_noted = TRUE;
      append_note (diagram, "Client,Server", "handshake done: ", text);
    }
}

static void
append_event (Diagram *diagram,
              HlEvent *event)
{
  HlEventKind kind = hl_event_get_kind (event);
  HlSide side = hl_event_get_side (event);

  if (kind == HL_EVENT_SECRET)
    {
      g_ptr_array_add (diagram->secrets[side], g_strdup (hl_event_get_label (event)));
      return;
    }
  /* a group of secrets ends with anything else its side does, and is
   * drawn before whatever the diagram shows next */
  flush_secrets (diagram, side);
  if (kind == HL_EVENT_RECORD)
    return;
  flush_secrets (diagram, other_side (side));

  switch (kind)
    {
    case HL_EVENT_HANDSHAKE:
      if (is_drawn (diagram, event))
        append_handshake (diagram, event);
      break;
    case HL_EVENT_CHANGE_CIPHER_SPEC:
      if (is_drawn (diagram, event))
        g_string_append_printf (diagram->out, "    %s-->>%s: change_cipher_spec\n",
                                participant (hl_event_get_sender (event)),
                                participant (other_side (hl_event_get_sender (event))));
      break;
    case HL_EVENT_ALERT:
      if (is_drawn (diagram, event))
        append_alert (diagram, event);
      break;
    case HL_EVENT_CERTIFICATE_CHECK:
      append_certificate_check (diagram, event);
      break;
    case HL_EVENT_STATE:
      append_state (diagram, event);
      break;
    case HL_EVENT_ERROR:
      append_note (diagram, participant (side), "⚠ ", hl_event_get_message (event));
      break;
    case HL_EVENT_RECORD:
    case HL_EVENT_SECRET:
    default:
      break;
    }
}

/**
 * hl_export_mermaid:
 * @events: a #GListModel of #HlEvent
 *
 * Returns: (transfer full): a Mermaid `sequenceDiagram` of @events
 */
char *
hl_export_mermaid (GListModel *events)
{
  Diagram diagram = { 0 };
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (events), NULL);

  diagram.out = g_string_new ("sequenceDiagram\n"
                              "    participant Client\n"
                              "    participant Server\n");
  diagram.observed = observed_sides (events);
  diagram.secrets[HL_SIDE_CLIENT] = g_ptr_array_new_with_free_func (g_free);
  diagram.secrets[HL_SIDE_SERVER] = g_ptr_array_new_with_free_func (g_free);

  n = g_list_model_get_n_items (events);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_session (event) != diagram.session)
        {
          /* a new connection: what the last one derived belongs to it */
          flush_secrets (&diagram, HL_SIDE_CLIENT);
          flush_secrets (&diagram, HL_SIDE_SERVER);
          diagram.session = hl_event_get_session (event);
          diagram.done_noted = FALSE;
        }
      append_event (&diagram, event);
    }
  flush_secrets (&diagram, HL_SIDE_CLIENT);
  flush_secrets (&diagram, HL_SIDE_SERVER);

  g_array_unref (diagram.observed);
  g_ptr_array_unref (diagram.secrets[HL_SIDE_CLIENT]);
  g_ptr_array_unref (diagram.secrets[HL_SIDE_SERVER]);
  return g_string_free (diagram.out, FALSE);
}

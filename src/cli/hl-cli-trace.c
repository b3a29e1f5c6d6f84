/* hl-cli-trace.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-cli-trace.h"
#include "hl-registry.h"

#define MAX_FIELD_CHARS 200

/**
 * hl_cli_escape:
 *
 * Returns: (transfer full): @text with every control character, escape
 *   sequence and bidirectional override shown as \\uXXXX, and cut at a
 *   sane length
 */
char *
hl_cli_escape (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p = text;
  guint chars = 0;

  if (text == NULL)
    return g_string_free (out, FALSE);

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guint8) *p);
          p++;
          continue;
        }
      if (++chars > MAX_FIELD_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
          (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
          (c >= 0x2066 && c <= 0x2069) || c == 0xfeff)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/**
 * hl_cli_escape_json:
 * @line: JSON text written by json-glib
 *
 * json-glib escapes C0 controls but writes C1 controls and the Unicode
 * format characters that reorder or hide text as they are: escape those
 * too, so that a terminal never interprets what a peer sent. The text
 * stays equivalent JSON (they only occur inside strings).
 *
 * Returns: (transfer full): the escaped text
 */
char *
hl_cli_escape_json (const char *line)
{
  GString *out = g_string_sized_new (strlen (line));
  const char *p = line;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      const char *next;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8 (json-glib should never write that): escape the byte */
          g_string_append_printf (out, "\\u%04x", (guint8) *p);
          p++;
          continue;
        }
      next = g_utf8_next_char (p);
      if (c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x200b && c <= 0x200f) ||
          (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, next - p);
      p = next;
    }
  return g_string_free (out, FALSE);
}

static const char *
verb (HlEvent *event)
{
  switch (hl_event_get_direction (event))
    {
    case HL_DIRECTION_OUT:
      return "sent";
    case HL_DIRECTION_IN:
      return "received";
    case HL_DIRECTION_NONE:
    default:
      return "";
    }
}

static char *
describe (HlEvent  *event,
          gboolean  records,
          char    **size)
{
  switch (hl_event_get_kind (event))
    {
    case HL_EVENT_HANDSHAKE:
      *size = g_strdup_printf ("%" G_GSIZE_FORMAT " B", hl_event_get_length (event));
      return g_strdup_printf ("%-22s %s", hl_event_get_handshake_name (event),
                              hl_event_get_encrypted (event) ? "encrypted" : "plaintext");
    case HL_EVENT_CHANGE_CIPHER_SPEC:
      return g_strdup ("change_cipher_spec");
    case HL_EVENT_RECORD:
      {
        const char *name = hl_registry_content_type_name (hl_event_get_content_type (event));

        if (!records)
          return NULL;
        *size = g_strdup_printf ("%" G_GSIZE_FORMAT " B", hl_event_get_length (event));
        return g_strdup_printf ("record %s", name ? name : "unknown");
      }
    case HL_EVENT_SECRET:
      return g_strdup_printf ("secret %s", hl_event_get_label (event));
    case HL_EVENT_CERTIFICATE_CHECK:
      {
        GPtrArray *chain = hl_event_get_chain (event);
        const char *const *reasons = hl_event_get_reasons (event);
        g_autofree char *joined = g_strjoinv (" ", (char **) reasons);
        g_autofree char *escaped = hl_cli_escape (joined);

        return g_strdup_printf ("verified the %s's chain (%u certificate%s): %s%s%s",
                                hl_event_get_side (event) == HL_SIDE_CLIENT ? "server" : "client",
                                chain->len, chain->len == 1 ? "" : "s",
                                hl_event_get_verified (event) ? "trusted" : "REJECTED",
                                reasons[0] ? " — " : "", escaped);
      }
    case HL_EVENT_ALERT:
      {
        const char *level = hl_registry_alert_level_name (hl_event_get_alert_level (event));
        const char *name = hl_registry_alert_description_name (hl_event_get_alert_description (event));

        return g_strdup_printf ("alert %s %s", level ? level : "unknown", name ? name : "unknown");
      }
    case HL_EVENT_STATE:
      {
        const char *state = hl_event_get_state (event);
        const char *detail = hl_event_get_detail (event, "description");

        if (g_strcmp0 (state, "handshake_failed") == 0)
          detail = hl_event_get_detail (event, "reason");
        else if (g_strcmp0 (state, "connected") == 0)
          detail = hl_event_get_detail (event, "peer");
        if (detail != NULL)
          {
            g_autofree char *escaped = hl_cli_escape (detail);
            return g_strdup_printf ("%s: %s", state, escaped);
          }
        return g_strdup (state);
      }
    case HL_EVENT_ERROR:
      {
        g_autofree char *escaped = hl_cli_escape (hl_event_get_message (event));
        return g_strdup_printf ("error %s: %s", hl_event_get_error_code (event), escaped);
      }
    default:
      g_assert_not_reached ();
    }
}

/**
 * hl_cli_trace_line:
 *
 * Returns: (transfer full) (nullable): the line
 */
char *
hl_cli_trace_line (HlEvent  *event,
                   gboolean  records)
{
  g_autofree char *size = NULL;
  g_autofree char *what = describe (event, records, &size);
  g_autofree char *session = NULL;

  if (what == NULL)
    return NULL;
  if (hl_event_get_session (event) > 0)
    session = g_strdup_printf ("#%u ", hl_event_get_session (event));
  return g_strdup_printf ("%10.3f ms  %s%-6s  %-8s  %-44s %8s",
                          hl_event_get_time_ns (event) / 1e6,
                          session ? session : "",
                          hl_side_to_string (hl_event_get_side (event)),
                          verb (event), what, size ? size : "");
}

static void
append_detail (GString    *out,
               HlEvent    *done,
               const char *label,
               const char *key)
{
  const char *value = hl_event_get_detail (done, key);
  g_autofree char *escaped = hl_cli_escape (value ? value : "—");

  g_string_append_printf (out, "  %-18s %s\n", label, escaped);
}

/**
 * hl_cli_trace_summary:
 *
 * Returns: (transfer full): the summary block
 */
char *
hl_cli_trace_summary (GListModel *events)
{
  GString *out = g_string_new ("\n");
  g_autoptr(HlEvent) done = NULL;
  HlEvent *verdicts[2] = { NULL, NULL };
  g_autoptr(HlEvent) failure = NULL;
  guint n = g_list_model_get_n_items (events);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      const char *state = hl_event_get_state (event);

      if (g_strcmp0 (state, "handshake_done") == 0 && hl_event_get_side (event) == HL_SIDE_CLIENT)
        g_set_object (&done, event);
      else if ((g_strcmp0 (state, "handshake_failed") == 0 || hl_event_get_kind (event) == HL_EVENT_ERROR) &&
               failure == NULL)
        g_set_object (&failure, event);
      else if (hl_event_get_kind (event) == HL_EVENT_CERTIFICATE_CHECK)
        g_set_object (&verdicts[hl_event_get_side (event)], event);
    }

  if (done != NULL)
    {
      g_string_append (out, "Negotiated\n");
      append_detail (out, done, "version", "version");
      append_detail (out, done, "cipher suite", "cipher_suite");
      append_detail (out, done, "key exchange group", "group");
      append_detail (out, done, "signature scheme", "signature_scheme");
      append_detail (out, done, "ALPN", "alpn");
      append_detail (out, done, "resumed", "resumed");
    }
  g_string_append (out, "Verification\n");
  for (guint side = HL_SIDE_CLIENT; side <= HL_SIDE_SERVER; side++)
    {
      const char *who = side == HL_SIDE_CLIENT ? "client" : "server";

      if (verdicts[side] == NULL)
        g_string_append_printf (out, "  %-18s %s\n", who, side == HL_SIDE_CLIENT ? "did not verify a chain"
                                                                                  : "did not ask for a certificate");
      else
        {
          const char *const *reasons = hl_event_get_reasons (verdicts[side]);
          g_autofree char *joined = g_strjoinv (" ", (char **) reasons);
          g_autofree char *escaped = hl_cli_escape (joined);

          g_string_append_printf (out, "  %-18s %s %s chain%s%s\n", who,
                                  hl_event_get_verified (verdicts[side]) ? "trusted the" : "REJECTED the",
                                  side == HL_SIDE_CLIENT ? "server's" : "client's",
                                  reasons[0] ? ": " : "", escaped);
        }
    }
  if (failure != NULL)
    {
      const char *why = hl_event_get_kind (failure) == HL_EVENT_ERROR ? hl_event_get_message (failure)
                                                                      : hl_event_get_detail (failure, "reason");
      g_autofree char *escaped = hl_cli_escape (why);

      g_string_append_printf (out, "Failed\n  %-18s %s\n", hl_side_to_string (hl_event_get_side (failure)),
                              escaped);
    }
  g_clear_object (&verdicts[0]);
  g_clear_object (&verdicts[1]);
  return g_string_free (out, FALSE);
}

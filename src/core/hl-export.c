/* hl-export.c: the key-log export, and what the exporters share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-export-private.h"

G_DEFINE_QUARK (hl-export-error-quark, hl_export_error)

GPtrArray *
hl_export_collect_keylog_lines (GListModel *events)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (events);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      char *line;

      if (hl_event_get_kind (event) != HL_EVENT_SECRET)
        continue;
      line = hl_event_dup_keylog_line (event);
      if (line == NULL || !g_hash_table_add (seen, line))
        {
          g_free (line);
          continue;
        }
      /* the table borrows the string the array owns */
      g_ptr_array_add (lines, line);
    }
  return g_steal_pointer (&lines);
}

/**
 * hl_export_keylog:
 * @events: a #GListModel of #HlEvent
 * @out: where to write
 * @error: return location for a #GError
 *
 * Writes the NSS SSLKEYLOGFILE lines of the secrets in @events, each
 * once, in the order they were derived.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_export_keylog (GListModel     *events,
                  GOutputStream  *out,
                  GError        **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (G_IS_LIST_MODEL (events), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  lines = hl_export_collect_keylog_lines (events);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_output_stream_write_all (out, text->str, text->len, NULL, NULL, error);
}

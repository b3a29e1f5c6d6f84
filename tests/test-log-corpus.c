/* test-log-corpus.c: every log in tests/data/logs loads; the inputs the
 * fuzzer once crashed on (crash-*) load or fail cleanly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>

#include "hl-export.h"
#include "hl-log.h"

static void
test_load (gconstpointer data)
{
  const char *path = data;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLog) log = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  log = hl_log_load_from_data (contents, length, &error);
  if (g_str_has_prefix (base, "crash-"))
    {
      /* Loaded or refused, with exactly one of a log and an error */
      g_assert_true ((log == NULL) != (error == NULL));
      /* and what loaded exports (or says why it cannot) */
      if (log != NULL)
        {
          g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
          g_autofree char *mermaid = hl_export_mermaid (hl_log_get_events (log));

          g_assert_nonnull (mermaid);
          if (!hl_export_pcapng (hl_log_get_events (log), out, &error))
            g_assert_error (error, HL_EXPORT_ERROR, HL_EXPORT_ERROR_NO_RECORDS);
        }
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (log);
  g_assert_null (hl_log_get_problem (log));
  g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (log)), >, 0);

  /* Each event written again reads back into the same event */
  for (guint i = 0; i < g_list_model_get_n_items (hl_log_get_events (log)); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (hl_log_get_events (log), i);
      g_autofree char *line = hl_event_to_json_line (event, TRUE);
      g_autoptr(JsonNode) parsed = json_from_string (line, NULL);
      g_autoptr(HlEvent) read = NULL;
      g_autofree char *again = NULL;

      g_assert_nonnull (parsed);
      read = hl_event_new_from_json (json_node_get_object (parsed), &error);
      g_assert_no_error (error);
      again = hl_event_to_json_line (read, TRUE);
      g_assert_cmpstr (again, ==, line);
    }
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autoptr(GDir) logs = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_test_init (&argc, &argv, NULL);
  dir = g_build_filename (g_getenv ("HL_TEST_DATA"), "logs", NULL);
  logs = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (logs);
  while ((name = g_dir_read_name (logs)) != NULL)
    if (g_str_has_suffix (name, ".jsonl"))
      g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (paths, compare_paths);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *test = g_strdup_printf ("/log-corpus/%s", base);

      g_test_add_data_func (test, path, test_load);
    }
  return g_test_run ();
}

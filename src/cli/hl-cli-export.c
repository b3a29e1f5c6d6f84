/* hl-cli-export.c: handshake-lens-cli export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <gio/gunixoutputstream.h>

#include "hl-cli-export.h"
#include "hl-cli-trace.h"
#include "hl-export.h"
#include "hl-log.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2

typedef gboolean (*ExportFunc) (GListModel     *events,
                                GDateTime      *start,
                                GOutputStream  *out,
                                GError        **error);

static int
fail (const char *message)
{
  g_autofree char *escaped = hl_cli_escape (message);

  g_printerr ("handshake-lens-cli: %s\n", escaped);
  return EXIT_FAILED;
}

static int
usage (const char *message)
{
  g_printerr ("handshake-lens-cli: %s\n", message);
  g_printerr ("Try “handshake-lens-cli export --help”.\n");
  return EXIT_USAGE;
}

static gboolean
export_keylog (GListModel     *events,
               GDateTime      *start,
               GOutputStream  *out,
               GError        **error)
{
  return hl_export_keylog (events, out, error);
}

static gboolean
export_pcapng (GListModel     *events,
               GDateTime      *start,
               GOutputStream  *out,
               GError        **error)
{
  return hl_export_pcapng_with_start (events, start, out, error);
}

static gboolean
export_mermaid (GListModel     *events,
                GDateTime      *start,
                GOutputStream  *out,
                GError        **error)
{
  g_autofree char *text = hl_export_mermaid (events);

  return g_output_stream_write_all (out, text, strlen (text), NULL, NULL, error);
}

/* Builds the whole export in memory first (logs are held in memory
 * anyway), so a failed export never leaves a file behind, and replaces
 * the file atomically */
static gboolean
export_to (const char  *path,
           gboolean     stdout_allowed,
           ExportFunc   func,
           GListModel  *events,
           GDateTime   *start,
           GError     **error)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GFile) file = NULL;
  gconstpointer data;
  gsize size;

  if (!func (events, start, memory, error) || !g_output_stream_close (memory, NULL, error))
    return FALSE;
  data = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory));
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory));

  if (stdout_allowed && g_str_equal (path, "-"))
    {
      g_autoptr(GOutputStream) out = g_unix_output_stream_new (1, FALSE);

      return g_output_stream_write_all (out, data, size, NULL, NULL, error);
    }
  file = g_file_new_for_commandline_arg (path);
  return g_file_replace_contents (file, size > 0 ? data : "", size, NULL, FALSE,
                                  G_FILE_CREATE_NONE, NULL, NULL, error);
}

static GDateTime *
log_start (HlLog *log)
{
  const char *created = hl_log_get_created (log);

  return created != NULL ? g_date_time_new_from_iso8601 (created, NULL) : NULL;
}

int
hl_cli_export (int    argc,
               char **argv)
{
  g_autofree char *keylog = NULL;
  g_autofree char *pcapng = NULL;
  g_autofree char *mermaid = NULL;
  GOptionEntry entries[] = {
    { "keylog", 0, 0, G_OPTION_ARG_FILENAME, &keylog,
      "Write the NSS key-log lines (SSLKEYLOGFILE) to FILE, - for standard output", "FILE" },
    { "pcapng", 0, 0, G_OPTION_ARG_FILENAME, &pcapng,
      "Write a pcapng capture with the secrets embedded to FILE", "FILE" },
    { "mermaid", 0, 0, G_OPTION_ARG_FILENAME, &mermaid,
      "Write the diagram as a Mermaid sequence diagram to FILE, - for standard output", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("LOG — write a saved session log for other tools");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(HlLog) log = NULL;
  g_autoptr(GDateTime) start = NULL;
  GListModel *events;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (error->message);
  if (argc != 2)
    return usage ("export takes one LOG");
  if (keylog == NULL && pcapng == NULL && mermaid == NULL)
    return usage ("choose at least one of --keylog, --pcapng and --mermaid");
  if (g_strcmp0 (keylog, "-") == 0 && g_strcmp0 (mermaid, "-") == 0)
    return usage ("only one output can go to standard output");

  file = g_file_new_for_commandline_arg (argv[1]);
  log = hl_log_load (file, NULL, &error);
  if (log == NULL)
    return fail (error->message);
  events = hl_log_get_events (log);
  start = log_start (log);

  if ((keylog != NULL && !export_to (keylog, TRUE, export_keylog, events, start, &error)) ||
      (pcapng != NULL && !export_to (pcapng, FALSE, export_pcapng, events, start, &error)) ||
      (mermaid != NULL && !export_to (mermaid, TRUE, export_mermaid, events, start, &error)))
    return fail (error->message);

  /* what could be read was exported, but the log is not whole */
  if (hl_log_get_problem (log) != NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: %u line(s) could not be loaded; first at %s",
                                                  argv[1], hl_log_get_n_problems (log),
                                                  hl_log_get_problem (log));
      return fail (message);
    }
  return 0;
}

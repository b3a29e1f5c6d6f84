/* hl-cli.c: handshake-lens-cli, the engine from a terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <gnutls/gnutls.h>

#include "hl-capture.h"
#include "hl-cli-decode.h"
#include "hl-cli-export.h"
#include "hl-cli-trace.h"
#include "hl-log.h"

#define EXIT_FAILED 1
#define EXIT_USAGE 2

typedef struct
{
  gboolean      json;
  gboolean      records;
  char         *output;
  char         *keylog;
  HlLogWriter  *writer;
  FILE         *keylog_file;
  GHashTable   *keylog_lines;
  GError       *error;
  gboolean      write_failed;
} CliRun;

static int
usage_error (const char *message)
{
  g_printerr ("handshake-lens-cli: %s\n", message);
  g_printerr ("Try “handshake-lens-cli --help”.\n");
  return EXIT_USAGE;
}

static void
print_event (CliRun  *run,
             HlEvent *event)
{
  if (run->json)
    {
      g_autofree char *json = hl_event_to_json_line (event, TRUE);
      g_autofree char *line = hl_cli_escape_json (json);

      g_print ("%s\n", line);
    }
  else
    {
      g_autofree char *line = hl_cli_trace_line (event, run->records);

      if (line != NULL)
        g_print ("%s\n", line);
    }
}

static void
event_cb (HlCapture *capture,
          HlEvent   *event,
          CliRun    *run)
{
  print_event (run, event);
  if (run->keylog_file != NULL && hl_event_get_kind (event) == HL_EVENT_SECRET)
    {
      char *line = hl_event_dup_keylog_line (event);

      /* Both ends of a demo log the same secrets: write each once */
      if (g_hash_table_add (run->keylog_lines, line))
        {
          fprintf (run->keylog_file, "%s\n", line);
          fflush (run->keylog_file);
        }
    }
}

/* The log writer takes each batch the capture delivers at once */
static void
events_added_cb (GListModel *events,
                 guint       position,
                 guint       removed,
                 guint       added,
                 CliRun     *run)
{
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;

  if (run->writer == NULL || run->write_failed || added == 0)
    return;
  batch = g_ptr_array_new_full (added, g_object_unref);
  for (guint i = 0; i < added; i++)
    g_ptr_array_add (batch, g_list_model_get_item (events, position + i));
  if (!hl_log_writer_write_events (run->writer, (HlEvent * const *) batch->pdata, batch->len, &error))
    {
      g_printerr ("handshake-lens-cli: %s\n", error->message);
      run->write_failed = TRUE;
    }
}

static gboolean
sigint_cb (gpointer data)
{
  hl_capture_cancel (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
open_outputs (CliRun     *run,
              HlCapture  *capture,
              GError    **error)
{
  g_autofree char *target = hl_capture_dup_target (capture);

  if (run->output != NULL)
    {
      run->writer = hl_log_writer_new_for_path (run->output, hl_capture_get_mode_name (capture),
                                                target, TRUE, error);
      if (run->writer == NULL)
        return FALSE;
    }
  if (run->keylog != NULL)
    {
      run->keylog_file = fopen (run->keylog, "we");
      if (run->keylog_file == NULL)
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Could not write %s: %s", run->keylog, g_strerror (saved_errno));
          return FALSE;
        }
      run->keylog_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  if (run->json)
    {
      g_autofree char *header = hl_log_format_header (hl_capture_get_mode_name (capture), target, TRUE);
      g_print ("%s\n", header);
    }
  return TRUE;
}

static int
run_capture (CliRun                *run,
             const HlCaptureConfig *config)
{
  g_autoptr(HlCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  guint sigint;
  int status;

  if (!hl_capture_config_validate (config, &error))
    return usage_error (error->message);

  capture = hl_capture_new (config);
  if (!open_outputs (run, capture, &error))
    {
      g_printerr ("handshake-lens-cli: %s\n", error->message);
      return EXIT_FAILED;
    }

  /* every event is written out: the demo server makes its lines meanwhile */
  hl_capture_set_render_ahead (capture, run->writer != NULL || run->json);
  g_signal_connect (capture, "event", G_CALLBACK (event_cb), run);
  g_signal_connect (hl_capture_get_events (capture), "items-changed", G_CALLBACK (events_added_cb), run);
  sigint = g_unix_signal_add (SIGINT, sigint_cb, capture);
  /* the client runs on this thread, which takes Ctrl+C while it waits */
  hl_capture_run (capture, NULL, &run->error);
  g_source_remove (sigint);

  if (!run->json)
    {
      g_autofree char *summary = hl_cli_trace_summary (hl_capture_get_events (capture));
      g_print ("%s", summary);
    }
  /* a write that failed was reported when it failed; the close repeats it */
  if (run->writer != NULL && !hl_log_writer_close (run->writer, &error) && !run->write_failed)
    {
      g_printerr ("handshake-lens-cli: %s\n", error->message);
      run->write_failed = TRUE;
    }
  g_clear_object (&run->writer);
  if (run->keylog_file != NULL)
    fclose (run->keylog_file);
  g_clear_pointer (&run->keylog_lines, g_hash_table_unref);

  status = run->write_failed ? EXIT_FAILED : 0;
  if (run->error != NULL)
    {
      g_autofree char *escaped = hl_cli_escape (run->error->message);
      g_printerr ("handshake-lens-cli: %s\n", escaped);
      status = EXIT_FAILED;
    }
  g_clear_error (&run->error);
  return status;
}

static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      usage_error (error->message);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_demo (int    argc,
          char **argv)
{
  CliRun run = { 0 };
  HlCaptureConfig config;
  gboolean tls12 = FALSE, tls13 = FALSE, mutual = FALSE;
  g_autofree char *kx = NULL, *scenario = NULL, *pki = NULL;
  int timeout = 30;
  GOptionEntry entries[] = {
    { "tls1.2", 0, 0, G_OPTION_ARG_NONE, &tls12, "Use TLS 1.2", NULL },
    { "tls1.3", 0, 0, G_OPTION_ARG_NONE, &tls13, "Use TLS 1.3 (the default)", NULL },
    { "mutual", 0, 0, G_OPTION_ARG_NONE, &mutual, "The server requires a client certificate", NULL },
    { "kx", 0, 0, G_OPTION_ARG_STRING, &kx, "Key exchange: ecdhe (default) or rsa (TLS 1.2 only)", "KX" },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &scenario,
      "no-client-cert, untrusted-server, expired-server, wrong-host, hello-retry or resumption", "NAME" },
    { "pki-dir", 0, 0, G_OPTION_ARG_FILENAME, &pki, "Where the demo certificates live", "DIR" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up after SEC seconds (default 30)", "SEC" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &run.output, "Write the session log to LOG", "LOG" },
    { "keylog", 0, 0, G_OPTION_ARG_FILENAME, &run.keylog, "Write NSS key-log lines to FILE", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &run.json, "Print the events as JSON Lines", NULL },
    { "records", 0, 0, G_OPTION_ARG_NONE, &run.records, "Show every TLS record too", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— run a client and a server in this process");
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    return usage_error ("demo takes no arguments");
  if (tls12 && tls13)
    return usage_error ("choose one of --tls1.2 and --tls1.3");

  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_DEMO;
  config.version = tls12 ? HL_TLS_VERSION_1_2 : HL_TLS_VERSION_1_3;
  config.mutual = mutual;
  config.pki_dir = pki;
  if (timeout <= 0)
    return usage_error ("--timeout must be a positive number of seconds");
  config.timeout_ms = timeout * 1000;
  if (kx == NULL || g_str_equal (kx, "ecdhe"))
    config.key_exchange = HL_KEY_EXCHANGE_ECDHE;
  else if (g_str_equal (kx, "rsa"))
    config.key_exchange = HL_KEY_EXCHANGE_RSA;
  else
    return usage_error ("--kx is ecdhe or rsa");
  if (scenario != NULL && !hl_scenario_from_string (scenario, &config.scenario))
    return usage_error ("unknown --scenario (no-client-cert, untrusted-server, expired-server, "
                        "wrong-host, hello-retry, resumption)");

  status = run_capture (&run, &config);
  g_free (run.output);
  g_free (run.keylog);
  return status;
}

static int
cmd_connect (int    argc,
             char **argv)
{
  CliRun run = { 0 };
  HlCaptureConfig config;
  g_autofree char *host = NULL;
  g_autofree char *sni = NULL, *alpn = NULL, *cafile = NULL, *cert = NULL, *key = NULL, *priority = NULL;
  gboolean insecure = FALSE, tls12 = FALSE, tls13 = FALSE;
  int timeout = 10;
  GOptionEntry entries[] = {
    { "sni", 0, 0, G_OPTION_ARG_STRING, &sni, "Server name to send (default: HOST unless it is an address)", "NAME" },
    { "alpn", 0, 0, G_OPTION_ARG_STRING, &alpn, "Offer these application protocols (comma-separated)", "PROTO" },
    { "cafile", 0, 0, G_OPTION_ARG_FILENAME, &cafile, "Trust these CAs (default: the system store)", "FILE" },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &cert, "Client certificate (PEM)", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &key, "Client private key (PEM)", "FILE" },
    { "insecure", 0, 0, G_OPTION_ARG_NONE, &insecure, "Finish the handshake even if verification fails", NULL },
    { "priority", 0, 0, G_OPTION_ARG_STRING, &priority, "GnuTLS priority string", "STR" },
    { "tls1.2", 0, 0, G_OPTION_ARG_NONE, &tls12, "Offer TLS 1.2 only", NULL },
    { "tls1.3", 0, 0, G_OPTION_ARG_NONE, &tls13, "Offer TLS 1.3 only", NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up after SEC seconds (default 10)", "SEC" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &run.output, "Write the session log to LOG", "LOG" },
    { "keylog", 0, 0, G_OPTION_ARG_FILENAME, &run.keylog, "Write NSS key-log lines to FILE", "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &run.json, "Print the events as JSON Lines", NULL },
    { "records", 0, 0, G_OPTION_ARG_NONE, &run.records, "Show every TLS record too", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("HOST:PORT — connect to a TLS server");
  g_autoptr(GError) error = NULL;
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error ("connect takes one HOST:PORT");
  if (tls12 && tls13)
    return usage_error ("choose one of --tls1.2 and --tls1.3");
  if (timeout <= 0)
    return usage_error ("--timeout must be a positive number of seconds");

  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_CONNECT;
  if (!hl_parse_host_port (argv[1], &host, &config.port, &error))
    return usage_error (error->message);
  config.host = host;
  config.version = tls12 ? HL_TLS_VERSION_1_2 : tls13 ? HL_TLS_VERSION_1_3 : HL_TLS_VERSION_ANY;
  config.sni = sni;
  config.alpn = alpn;
  config.ca_file = cafile;
  config.cert_file = cert;
  config.key_file = key;
  config.priority = priority;
  config.insecure = insecure;
  config.timeout_ms = timeout * 1000;

  status = run_capture (&run, &config);
  g_free (run.output);
  g_free (run.keylog);
  return status;
}

static int
cmd_replay (int    argc,
            char **argv)
{
  gboolean json = FALSE, records = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the events as JSON Lines", NULL },
    { "records", 0, 0, G_OPTION_ARG_NONE, &records, "Show every TLS record too", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("LOG — print a saved session log");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(HlLog) log = NULL;
  CliRun run = { 0 };
  GListModel *events;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error ("replay takes one LOG");

  file = g_file_new_for_commandline_arg (argv[1]);
  log = hl_log_load (file, NULL, &error);
  if (log == NULL)
    {
      g_autofree char *escaped = hl_cli_escape (error->message);
      g_printerr ("handshake-lens-cli: %s\n", escaped);
      return EXIT_FAILED;
    }

  run.json = json;
  run.records = records;
  events = hl_log_get_events (log);
  if (json)
    {
      g_autofree char *header = hl_log_format_header (hl_log_get_mode (log), hl_log_get_target (log),
                                                      hl_log_get_contains_secrets (log));
      g_print ("%s\n", header);
    }
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      print_event (&run, event);
    }
  if (!json)
    {
      g_autofree char *summary = hl_cli_trace_summary (events);
      g_print ("%s", summary);
    }
  if (hl_log_get_problem (log) != NULL)
    {
      g_printerr ("handshake-lens-cli: %s: %u line(s) could not be loaded; first at %s\n",
                  argv[1], hl_log_get_n_problems (log), hl_log_get_problem (log));
      return EXIT_FAILED;
    }
  return 0;
}

static void
print_help (void)
{
  g_print ("Usage:\n"
           "  handshake-lens-cli demo    [--tls1.2|--tls1.3] [--mutual] [--kx rsa|ecdhe] [--scenario NAME]\n"
           "                             [-o LOG] [--keylog FILE] [--json]\n"
           "  handshake-lens-cli connect HOST:PORT [--sni NAME] [--alpn PROTO] [--cafile F] [--cert F --key F]\n"
           "                             [--insecure] [--priority STR] [--timeout SEC] [-o LOG] [--keylog FILE] [--json]\n"
           "  handshake-lens-cli replay  LOG [--json]\n"
           "  handshake-lens-cli decode  FILE|- [--json]\n"
           "  handshake-lens-cli export  LOG [--keylog FILE] [--pcapng FILE] [--mermaid FILE]\n"
           "\n"
           "Each command takes --help.\n");
}

int
main (int   argc,
      char *argv[])
{
  static const struct
  {
    const char *name;
    int       (*run) (int, char **);
  } commands[] = {
    { "demo", cmd_demo },
    { "connect", cmd_connect },
    { "replay", cmd_replay },
    { "decode", hl_cli_decode },
    { "export", hl_cli_export },
  };

  setlocale (LC_ALL, "");
  gnutls_global_init ();

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_help ();
      return argc < 2 ? EXIT_USAGE : 0;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("handshake-lens-cli %s (GnuTLS %s)\n", PACKAGE_VERSION, gnutls_check_version (NULL));
      return 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  {
    g_autofree char *message = g_strdup_printf ("unknown command “%s”", argv[1]);
    return usage_error (message);
  }
}

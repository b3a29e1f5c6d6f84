/* fuzz-log.c: libFuzzer target for the session log reader
 *
 * Loads the input as a whole log file. A log that loads must keep its
 * promises: no more events than its lines, each one able to go back to
 * JSON, and a problem (with a line number) whenever a line was refused.
 * Header fields other than format and version are optional (a header
 * without "mode" loads: tests/data/logs/crash-header-without-mode.jsonl).
 * The sanitizers catch any read past the input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "hl-event.h"
#include "hl-json-scan.h"
#include "hl-log.h"

int LLVMFuzzerInitialize   (int          *argc,
                            char       ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static void
fail (const char *why)
{
  fprintf (stderr, "fuzz-log: %s\n", why);
  abort ();
}

static void
check_log (HlLog       *log,
           const guint8 *data,
           size_t        size)
{
  GListModel *events = hl_log_get_events (log);
  guint n = g_list_model_get_n_items (events);
  gsize lines = 1;

  for (size_t i = 0; i < size; i++)
    lines += data[i] == '\n';
  if (n >= lines)
    fail ("more events than lines");
  if ((hl_log_get_problem (log) == NULL) != (hl_log_get_n_problems (log) == 0))
    fail ("a problem count without a problem, or the reverse");
  if (hl_log_get_problem (log) != NULL && hl_log_get_problem_line (log) < 2)
    fail ("a problem before the first event line");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      g_autoptr(JsonNode) node = NULL;

      if (event == NULL)
        fail ("a hole in the events");
      node = hl_event_to_json (event, TRUE);
      if (node == NULL)
        fail ("an event that cannot be written back");
    }
}

static GLogWriterOutput
abort_on_warning (GLogLevelFlags   level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  g_log_writer_standard_streams (level, fields, n_fields, user_data);
  /* abort(), not GLib's breakpoint trap: libFuzzer catches SIGABRT and
   * keeps the input that caused it */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A critical or a warning is a bug the fuzzer found */
  g_log_set_writer_func (abort_on_warning, NULL, NULL);
  return 0;
}

/* What the fast path accepts, json-glib reads the same (json-glib is
 * laxer, never stricter) */
static void
check_as_json_glib (const char *line,
                    gsize       length,
                    HlEvent    *fast)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(HlEvent) slow = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, line, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (slow = hl_event_new_from_json (json_node_get_object (root), NULL)) == NULL)
    fail ("the fast path accepts a line json-glib refuses");
  a = hl_event_to_json (fast, FALSE);
  b = hl_event_to_json (slow, FALSE);
  if (!json_node_equal (a, b) || hl_event_get_seq (fast) != hl_event_get_seq (slow) ||
      hl_event_get_time_ns (fast) != hl_event_get_time_ns (slow))
    fail ("the fast path and json-glib read a line differently");
}

/* Each line read in two steps (as a long log's helper thread reads them)
 * gives what it gives in one: the same event, or nothing */
static void
check_two_steps (const char *data,
                 size_t      size)
{
  g_autoptr(GString) scratch = NULL;
  g_autoptr(HlJsonScanArena) arena = NULL;
  const char *end;

  if (size == 0)
    return;
  scratch = g_string_new (NULL);
  /* one arena for the input's lines, as a log's reader has */
  arena = hl_json_scan_arena_new ();
  end = data + size;
  for (const char *line = data; line < end;)
    {
      const char *newline = memchr (line, '\n', end - line);
      gsize length = (newline != NULL ? newline : end) - line;
      g_autoptr(HlEvent) whole = hl_json_scan_event (line, length, scratch, NULL);
      HlJsonScanned scanned;

      if (hl_json_scan_prepare (line, length, scratch, arena, &scanned))
        {
          g_autoptr(HlEvent) stepped = hl_json_scan_finish (&scanned);
          g_autofree char *a = NULL;
          g_autofree char *b = NULL;

          if (whole == NULL)
            fail ("a line prepared that the fast path declines");
          a = hl_event_to_json_line (whole, FALSE);
          b = hl_event_to_json_line (stepped, FALSE);
          if (strcmp (a, b) != 0 || hl_event_get_seq (whole) != hl_event_get_seq (stepped) ||
              hl_event_get_time_ns (whole) != hl_event_get_time_ns (stepped) ||
              hl_event_get_session (whole) != hl_event_get_session (stepped))
            fail ("a line read in two steps differs");
        }
      else if (whole != NULL && (hl_event_get_kind (whole) == HL_EVENT_HANDSHAKE ||
                                 hl_event_get_kind (whole) == HL_EVENT_RECORD))
        fail ("a handshake message or record the fast path reads was not prepared");
      if (whole != NULL)
        check_as_json_glib (line, length, whole);
      /* read where it lies, the scan finding its end: the same */
      {
        gsize found = 1;
        g_autoptr(HlEvent) there = hl_json_scan_event_line (line, end - line, &found, scratch, NULL);

        if ((there != NULL) != (whole != NULL && newline != NULL) ||
            found != (there != NULL ? length : 0))
          fail ("a line read where it lies differs from the line read alone");
        if (there != NULL)
          {
            g_autofree char *a = hl_event_to_json_line (whole, FALSE);
            g_autofree char *b = hl_event_to_json_line (there, FALSE);

            if (strcmp (a, b) != 0)
              fail ("a line read where it lies differs from the line read alone");
          }
      }
      line = newline != NULL ? newline + 1 : end;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  /* A copy of exactly @size bytes, so that any read past them is caught */
  g_autofree char *copy = g_memdup2 (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLog) log = NULL;

  log = hl_log_load_from_data (size > 0 ? copy : "", size, &error);
  if (log == NULL && error == NULL)
    fail ("no log and no error");
  if (log != NULL && error != NULL)
    fail ("a log and an error");
  if (log != NULL)
    check_log (log, data, size);
  check_two_steps (copy, size);
  return 0;
}

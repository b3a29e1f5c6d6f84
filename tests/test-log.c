/* test-log.c: session logs, whole, cut at every byte, and corrupt
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/resource.h>
#include <glib/gstdio.h>

#include "hl-capture.h"
#include "hl-log.h"
#include "hl-test-util.h"


static GListModel *
capture_demo (HlTlsVersion version,
              HlScenario   scenario)
{
  return hl_test_run_demo (version, TRUE, HL_KEY_EXCHANGE_ECDHE, scenario, NULL);
}

static GString *
format_log (GListModel *events,
            gboolean    with_fields)
{
  g_autofree char *header = hl_log_format_header ("demo", "test", TRUE);
  GString *log = g_string_new (header);

  g_string_append_c (log, '\n');
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      g_autofree char *line = hl_event_to_json_line (event, with_fields);

      g_string_append_printf (log, "%s\n", line);
    }
  return log;
}

static void
assert_same_events (GListModel *a,
                    GListModel *b,
                    guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlEvent) ea = g_list_model_get_item (a, i);
      g_autoptr(HlEvent) eb = g_list_model_get_item (b, i);
      g_autofree char *la = hl_event_to_json_line (ea, FALSE);
      g_autofree char *lb = hl_event_to_json_line (eb, FALSE);

      g_assert_cmpstr (la, ==, lb);
    }
}

/* Cutting the log at @cut: every complete line loads, a partial last line
 * is named as the problem, and nothing else is */
static void
check_cut (const GString *log,
           gsize          cut,
           GListModel    *events)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLog) loaded = hl_log_load_from_data (log->str, cut, &error);
  const char *header_end = memchr (log->str, '\n', log->len);
  gsize header_length = header_end - log->str;
  guint complete = 0, line = 1;
  gsize start = header_length + 1;
  gboolean partial;

  if (cut < header_length)
    {
      /* Not even a header: refused with a clear error */
      g_assert_null (loaded);
      g_assert_error (error, HL_LOG_ERROR, HL_LOG_ERROR_NOT_A_LOG);
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (loaded);

  for (gsize i = start; i < cut; i++)
    if (log->str[i] == '\n')
      {
        complete++;
        line++;
        start = i + 1;
      }
  /* A last line cut right before its newline is still whole */
  partial = start < cut && log->str[cut] != '\n';
  if (start < cut && !partial)
    complete++;

  g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (loaded)), ==, complete);
  if (partial)
    {
      g_assert_nonnull (hl_log_get_problem (loaded));
      g_assert_cmpuint (hl_log_get_problem_line (loaded), ==, line + 1);
    }
  else
    g_assert_null (hl_log_get_problem (loaded));
  assert_same_events (hl_log_get_events (loaded), events, complete);
}

static void
test_cut_every_byte (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_2, HL_SCENARIO_NONE);
  g_autoptr(GString) log = format_log (events, FALSE);

  for (gsize cut = 0; cut <= log->len; cut++)
    check_cut (log, cut, events);
}

static void
test_cut_with_fields (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_SCENARIO_NONE);
  g_autoptr(GString) log = format_log (events, TRUE);
  GRand *rand = g_rand_new_with_seed (8448);

  /* Around every line boundary, and at random places inside lines */
  for (gsize i = 0; i < log->len; i++)
    if (log->str[i] == '\n')
      for (gsize cut = i > 2 ? i - 2 : 0; cut <= MIN (log->len, i + 2); cut++)
        check_cut (log, cut, events);
  for (guint k = 0; k < 300; k++)
    check_cut (log, g_rand_int_range (rand, 0, log->len + 1), events);
  g_rand_free (rand);
}

static void
test_corrupt_lines (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_SCENARIO_UNTRUSTED_SERVER);
  g_autoptr(GString) log = format_log (events, FALSE);
  guint n = g_list_model_get_n_items (events);
  GRand *rand = g_rand_new_with_seed (5246);

  for (guint k = 0; k < 400; k++)
    {
      g_autoptr(GString) copy = g_string_new_len (log->str, log->len);
      g_autoptr(GError) error = NULL;
      g_autoptr(HlLog) loaded = NULL;
      const char *header_end = memchr (copy->str, '\n', copy->len);
      gsize pos = g_rand_int_range (rand, header_end - copy->str + 1, copy->len);

      copy->str[pos] ^= 1 << g_rand_int_range (rand, 0, 8);
      loaded = hl_log_load_from_data (copy->str, copy->len, &error);
      g_assert_no_error (error);
      /* At most the damaged line is lost (or split in two by a new newline) */
      g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (loaded)) + 2, >=, n);
      if (hl_log_get_problem (loaded) != NULL)
        g_assert_true (g_str_has_prefix (hl_log_get_problem (loaded), "line "));
    }
  g_rand_free (rand);
}

static void
test_refused (void)
{
  const struct
  {
    const char *data;
    int         code;
    const char *says;
  } cases[] = {
    { "", HL_LOG_ERROR_NOT_A_LOG, "empty" },
    { "hello world\n", HL_LOG_ERROR_NOT_A_LOG, "not a Handshake Lens session log" },
    { "   \n{\"seq\":0}\n", HL_LOG_ERROR_NOT_A_LOG, "not a Handshake Lens session log" },
    { "{\"format\":\"something-else\",\"version\":1}\n", HL_LOG_ERROR_NOT_A_LOG, "not a Handshake Lens" },
    { "{\"format\":\"handshake-lens-log\"}\n", HL_LOG_ERROR_NOT_A_LOG, "version" },
    { "{\"format\":\"handshake-lens-log\",\"version\":2}\n", HL_LOG_ERROR_NEWER_VERSION, "newer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HlLog) log = hl_log_load_from_data (cases[i].data, strlen (cases[i].data), &error);

      g_assert_null (log);
      g_assert_error (error, HL_LOG_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].says));
    }
}

static void
test_unknown_fields_ignored (void)
{
  const char *data =
    "{\"format\":\"handshake-lens-log\",\"version\":1,\"mode\":\"demo\",\"future\":[1,2]}\n"
    "{\"seq\":0,\"t_ns\":5,\"side\":\"client\",\"kind\":\"change_cipher_spec\",\"dir\":\"out\",\"later\":{}}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLog) log = hl_log_load_from_data (data, strlen (data), &error);

  g_assert_no_error (error);
  g_assert_null (hl_log_get_problem (log));
  g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (log)), ==, 1);
  g_assert_cmpstr (hl_log_get_mode (log), ==, "demo");
}

static void
test_save_atomic (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_SCENARIO_NONE);
  g_autofree char *dir = g_dir_make_tmp ("hl-save-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "session.hllog", NULL);
  g_autofree char *readonly = g_build_filename (dir, "ro", NULL);
  g_autofree char *blocked = g_build_filename (readonly, "session.hllog", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) blocked_file = g_file_new_for_path (blocked);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLog) loaded = NULL;

  g_assert_true (hl_log_save (events, "demo", "test", file, &error));
  g_assert_no_error (error);
  loaded = hl_log_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (loaded)), ==,
                    g_list_model_get_n_items (events));

  /* A directory we may not write: a clear error, and nothing left behind
   * (root ignores permissions, so only check where they apply) */
  g_assert_cmpint (g_mkdir (readonly, 0500), ==, 0);
  if (getuid () != 0)
    {
      g_assert_false (hl_log_save (events, "demo", "test", blocked_file, &error));
      g_assert_nonnull (error);
      g_assert_false (g_file_test (blocked, G_FILE_TEST_EXISTS));
      g_clear_error (&error);
    }
  g_rmdir (readonly);

  /* A path under a regular file: refused for root as well */
  {
    g_autofree char *under_file = g_build_filename (path, "session.hllog", NULL);
    g_autoptr(GFile) under = g_file_new_for_path (under_file);

    g_assert_false (hl_log_save (events, "demo", "test", under, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
    g_assert_nonnull (strstr (error->message, under_file));
    g_clear_error (&error);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* A stream that fills up (a full disk): the writer's thread meets the
 * failure, the next write or the close reports it */
static void
test_writer_no_space (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_SCENARIO_NONE);
  static char space[4096];
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new (space, sizeof space, NULL, NULL);
  g_autoptr(HlLogWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;
  guint n_rounds = 0;

  writer = hl_log_writer_new (stream, "demo", "test", TRUE, &error);
  g_assert_no_error (error);
  /* Far more than fits; bounded */
  for (; ok && n_rounds < 1000; n_rounds++)
    for (guint i = 0; ok && i < g_list_model_get_n_items (events); i++)
      {
        g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

        ok = hl_log_writer_write (writer, event, &error);
      }
  if (ok)
    ok = hl_log_writer_close (writer, &error);
  g_assert_false (ok);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  /* Closing again after the failure is harmless */
  hl_log_writer_close (writer, NULL);
}

/* The event lines of a demo, repeated to more than @size bytes */
static GString *
event_lines (GListModel *events,
             gsize       size)
{
  GString *text = g_string_new (NULL);

  while (text->len < size)
    for (guint i = 0; i < g_list_model_get_n_items (events); i++)
      {
        g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
        g_autofree char *line = hl_event_to_json_line (event, TRUE);

        g_string_append_printf (text, "%s\n", line);
      }
  return text;
}

static HlLog *
load_text (const GString  *text,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autofree char *path = g_build_filename (hl_test_tmpdir (), "edges.hllog", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  HlLog *log;

  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  log = hl_log_load (file, cancellable, error);
  g_unlink (path);
  return log;
}

typedef struct
{
  GCancellable *cancellable;
  guint         delay_us;
} CancelLater;

static gpointer
cancel_later (gpointer data)
{
  CancelLater *later = data;

  g_usleep (later->delay_us);
  g_cancellable_cancel (later->cancellable);
  return NULL;
}

/* Cancelled at any moment, with blocks read ahead, being prepared and
 * being made into events: a load either ends whole or says it was
 * cancelled, and leaves nothing behind (the ASan suite runs this) */
static void
test_cancel_mid_load (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_SCENARIO_NONE);
  g_autoptr(GString) body = event_lines (events, 8 * 1024 * 1024);
  g_autofree char *header = hl_log_format_header ("demo", "test", TRUE);
  g_autofree char *path = g_build_filename (hl_test_tmpdir (), "cancel.hllog", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GString) text = g_string_new (header);
  guint n_lines = 0, n_cancelled = 0, n_whole = 0;

  g_string_append_c (text, '\n');
  g_string_append_len (text, body->str, body->len);
  for (gsize i = 0; i < body->len; i++)
    n_lines += body->str[i] == '\n';
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  for (guint round = 0; round < 24; round++)
    {
      CancelLater later = { g_cancellable_new (), round * 1500 };
      g_autoptr(GError) error = NULL;
      g_autoptr(HlLog) log = NULL;
      GThread *thread = g_thread_new ("cancel", cancel_later, &later);

      log = hl_log_load (file, later.cancellable, &error);
      g_thread_join (thread);
      g_object_unref (later.cancellable);
      if (log == NULL)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          n_cancelled++;
        }
      else
        {
          g_assert_no_error (error);
          g_assert_null (hl_log_get_problem (log));
          g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (log)), ==, n_lines);
          n_whole++;
        }
    }
  g_test_message ("%u loads cancelled, %u whole", n_cancelled, n_whole);
  g_assert_cmpuint (n_cancelled, >, 0);
  g_unlink (path);
}

/* Files long enough to be read by both threads of the loader: a bad
 * header stops it with the header's error, a cancelled load stops, and
 * lines longer than a read block load as from memory */
static void
test_file_edges (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_SCENARIO_NONE);
  g_autoptr(GString) body = event_lines (events, 9 * 1024 * 1024);
  g_autofree char *header = hl_log_format_header ("demo", "test", TRUE);
  const struct
  {
    const char *first;
    int         code;
    const char *says;
  } refused[] = {
    { "hello world\n", HL_LOG_ERROR_NOT_A_LOG, "not a Handshake Lens session log" },
    { "", HL_LOG_ERROR_NOT_A_LOG, "not a Handshake Lens session log" },
    { "{\"format\":\"handshake-lens-log\",\"version\":2}\n", HL_LOG_ERROR_NEWER_VERSION, "newer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GString) text = g_string_new (refused[i].first);
      g_autoptr(GError) error = NULL;
      g_autoptr(HlLog) log = NULL;

      g_string_append_len (text, body->str, body->len);
      log = load_text (text, NULL, &error);
      g_assert_null (log);
      g_assert_error (error, HL_LOG_ERROR, refused[i].code);
      g_assert_nonnull (strstr (error->message, refused[i].says));
    }

  {
    g_autoptr(GString) text = g_string_new (header);
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(HlLog) log = NULL;

    g_string_append_c (text, '\n');
    g_string_append_len (text, body->str, body->len);
    g_cancellable_cancel (cancellable);
    log = load_text (text, cancellable, &error);
    g_assert_null (log);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  /* a file that is not there, and a folder: said plainly, the path once */
  {
    g_autofree char *missing = g_build_filename (hl_test_tmpdir (), "no-such.hllog", NULL);
    const char *folder = hl_test_tmpdir ();
    const struct
    {
      const char *path;
      int         code;
      const char *says;
    } unreadable[] = {
      { missing, G_IO_ERROR_NOT_FOUND, "there is no such file" },
      { folder, G_IO_ERROR_IS_DIRECTORY, "it is a folder" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (unreadable); i++)
      {
        g_autoptr(GFile) file = g_file_new_for_path (unreadable[i].path);
        g_autofree char *expected = g_strdup_printf ("Could not read %s: %s", unreadable[i].path,
                                                     unreadable[i].says);
        g_autoptr(GError) error = NULL;
        g_autoptr(HlLog) log = hl_log_load (file, NULL, &error);

        g_assert_null (log);
        g_assert_error (error, G_IO_ERROR, unreadable[i].code);
        g_assert_cmpstr (error->message, ==, expected);
      }
  }

  /* a line of more than two read blocks in the middle, and one with no
   * newline at the very end */
  {
    g_autoptr(GString) text = g_string_new (header);
    g_autoptr(GString) padded = NULL;
    g_autoptr(HlEvent) event = g_list_model_get_item (events, 1);
    g_autofree char *line = hl_event_to_json_line (event, TRUE);
    g_autoptr(HlLog) from_file = NULL;
    g_autoptr(HlLog) from_data = NULL;
    g_autoptr(GError) error = NULL;
    guint n_body = 0;

    for (gsize i = 0; i < body->len; i++)
      n_body += body->str[i] == '\n';
    padded = g_string_new ("{\"pad\":\"");
    for (guint i = 0; i < 9 * 1024 * 1024 / 64; i++)
      g_string_append (padded, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    g_string_append (padded, "\",");
    g_string_append (padded, line + 1);

    g_string_append_c (text, '\n');
    g_string_append_len (text, body->str, body->len / 3);
    g_string_truncate (text, strrchr (text->str, '\n') + 1 - text->str);
    g_string_append_printf (text, "%s\n", padded->str);
    g_string_append_len (text, body->str, body->len);
    g_string_append (text, padded->str);

    from_file = load_text (text, NULL, &error);
    g_assert_no_error (error);
    from_data = hl_log_load_from_data (text->str, text->len, &error);
    g_assert_no_error (error);
    g_assert_null (hl_log_get_problem (from_file));
    g_assert_null (hl_log_get_problem (from_data));
    g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (from_file)), >, n_body + 2);
    g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (from_file)), ==,
                      g_list_model_get_n_items (hl_log_get_events (from_data)));
    assert_same_events (hl_log_get_events (from_file), hl_log_get_events (from_data),
                        g_list_model_get_n_items (hl_log_get_events (from_data)));
  }
}

/* Events handed over one at a time and in batches of every size come
 * out in order, each line as the event writes it */
static void
test_writer_batches (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_SCENARIO_NONE);
  g_autoptr(GString) expected = format_log (events, TRUE);
  g_autofree char *path = g_build_filename (hl_test_tmpdir (), "batches.hllog", NULL);
  g_autoptr(HlLogWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *written = NULL;
  guint n = g_list_model_get_n_items (events), size = 1, n_batches = 0;

  writer = hl_log_writer_new_for_path (path, "demo", "test", TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; size++, n_batches++)
    {
      g_ptr_array_set_size (batch, 0);
      for (guint j = 0; j < size && i < n; j++, i++)
        g_ptr_array_add (batch, g_list_model_get_item (events, i));
      if (batch->len == 1)
        g_assert_true (hl_log_writer_write (writer, g_ptr_array_index (batch, 0), &error));
      else
        g_assert_true (hl_log_writer_write_events (writer, (HlEvent * const *) batch->pdata, batch->len, &error));
      g_assert_no_error (error);
    }
  g_assert_true (hl_log_writer_write_events (writer, NULL, 0, &error));
  g_assert_true (hl_log_writer_close (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_batches, >, 5);

  /* the same lines after the header (whose time differs) */
  g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
  g_assert_true (g_str_equal (strchr (written, '\n'), strchr (expected->str, '\n')));
  g_unlink (path);
}

/* The header holds any target as JSON (json-glib reads it back the
 * same), and a log closed before any event is its header alone */
static void
test_writer_header (void)
{
  static const char *const targets[] = {
    "example.com:443", "", "[::1]:8443", "b\303\274cher.example:443 \"quoted\" \\ back",
    "tab\there\nnewline \x01 control", "\xe2\x80\xae override",
  };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *header = hl_log_format_header (i % 2 ? "connect" : "demo", targets[i], i % 2 == 0);
      g_autofree char *path = g_build_filename (hl_test_tmpdir (), "header.hllog", NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(HlLogWriter) writer = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(HlLog) log = NULL;
      g_autofree char *written = NULL;
      JsonObject *object;

      g_assert_true (json_parser_load_from_data (parser, header, -1, &error));
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, HL_LOG_FORMAT_NAME);
      g_assert_cmpint (json_object_get_int_member (object, "version"), ==, HL_LOG_FORMAT_VERSION);
      g_assert_cmpstr (json_object_get_string_member (object, "target"), ==, targets[i]);
      g_assert_cmpstr (json_object_get_string_member (object, "mode"), ==, i % 2 ? "connect" : "demo");
      g_assert_true (json_object_get_boolean_member (object, "contains_secrets") == (i % 2 == 0));
      g_assert_nonnull (g_date_time_new_from_iso8601 (json_object_get_string_member (object, "created"), NULL));
      g_assert_null (strchr (header, '\n'));

      writer = hl_log_writer_new_for_path (path, "demo", targets[i], TRUE, &error);
      g_assert_no_error (error);
      g_assert_true (hl_log_writer_close (writer, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
      g_assert_cmpuint (strlen (written), >, 0);
      g_assert_true (strchr (written, '\n') == written + strlen (written) - 1);
      log = hl_log_load_from_data (written, strlen (written), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (hl_log_get_target (log), ==, targets[i]);
      g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (log)), ==, 0);
      g_unlink (path);
    }
}

typedef struct
{
  HlLogWriter *writer;
  const char  *path;
  guint        n_batches;
  gboolean     hello_before_file;
} LateRun;

static void
late_batch_cb (GListModel *events,
               guint       position,
               guint       removed,
               guint       added,
               LateRun    *run)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < added; i++)
    {
      HlEvent *event = g_list_model_get_item (events, position + i);

      g_ptr_array_add (batch, event);
      /* the ClientHello has gone out before the file is made */
      if (run->n_batches == 0 && !g_file_test (run->path, G_FILE_TEST_EXISTS) &&
          hl_event_get_kind (event) == HL_EVENT_HANDSHAKE && hl_event_get_side (event) == HL_SIDE_CLIENT &&
          hl_event_get_direction (event) == HL_DIRECTION_OUT && hl_event_get_handshake_type (event) == 1)
        run->hello_before_file = TRUE;
    }
  g_assert_true (hl_log_writer_write_events (run->writer, (HlEvent * const *) batch->pdata, batch->len, &error));
  g_assert_no_error (error);
  run->n_batches++;
}

/* A new log file is created on another thread from the first batch on,
 * so that making it does not hold back a capture; the lines wait for it
 * and none is lost, whether the file comes before or after them. A path
 * where it could not be made is refused at once all the same, and a file
 * that cannot be made later is an error of a write or of the close. */
static void
test_writer_creates_late (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_SCENARIO_NONE);
  g_autofree char *folder = g_build_filename (hl_test_tmpdir (), "late", NULL);
  g_autofree char *path = g_build_filename (folder, "late.hllog", NULL);
  g_autofree char *missing = g_build_filename (folder, "missing", "late.hllog", NULL);
  g_autofree char *under_file = g_build_filename (path, "late.hllog", NULL);
  g_autoptr(HlEvent) first = g_list_model_get_item (events, 0);
  guint n = g_list_model_get_n_items (events);
  g_autoptr(HlLogWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLog) log = NULL;
  GStatBuf st;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);

  /* every event, in batches of one to five, right after the file was
   * asked for or later: after the close, the log holds them all */
  for (guint delay = 0; delay < 3; delay++)
    {
      g_autofree char *written = NULL;

      writer = hl_log_writer_new_for_path (path, "demo", "test", TRUE, &error);
      g_assert_no_error (error);
      /* nothing is made before the first batch */
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      for (guint i = 0, size = 1; i < n; size = size % 5 + 1)
        {
          g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

          for (guint j = 0; j < size && i < n; j++, i++)
            g_ptr_array_add (batch, g_list_model_get_item (events, i));
          g_assert_true (hl_log_writer_write_events (writer, (HlEvent * const *) batch->pdata, batch->len, &error));
          g_assert_no_error (error);
          if (delay > 0)
            g_usleep (delay * 500);
        }
      g_assert_true (hl_log_writer_close (writer, &error));
      g_assert_no_error (error);
      g_clear_object (&writer);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
      g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
      log = hl_log_load_from_data (written, strlen (written), &error);
      g_assert_no_error (error);
      g_assert_null (hl_log_get_problem (log));
      g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (log)), ==, n);
      assert_same_events (events, hl_log_get_events (log), n);
      g_clear_object (&log);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }

  /* a relative path names the file in the folder it was given in, even
   * if the working folder changes before the file is made */
  {
    g_autofree char *cwd = g_get_current_dir ();

    g_assert_cmpint (g_chdir (folder), ==, 0);
    writer = hl_log_writer_new_for_path ("late.hllog", "demo", "test", TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_chdir (hl_test_tmpdir ()), ==, 0);
    g_assert_true (hl_log_writer_write (writer, first, &error));
    g_assert_true (hl_log_writer_close (writer, &error));
    g_assert_no_error (error);
    g_clear_object (&writer);
    g_assert_cmpint (g_chdir (cwd), ==, 0);
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    g_assert_cmpint (g_unlink (path), ==, 0);
  }

  /* a writer dropped without its close still writes what it was given */
  {
    g_autofree char *written = NULL;

    writer = hl_log_writer_new_for_path (path, "demo", "test", FALSE, &error);
    g_assert_no_error (error);
    g_assert_true (hl_log_writer_write (writer, first, &error));
    g_clear_object (&writer);
    g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
    log = hl_log_load_from_data (written, strlen (written), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (log)), ==, 1);
    g_clear_object (&log);
    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0644);
    g_assert_cmpint (g_unlink (path), ==, 0);
  }

  /* refused at once: no folder; a file where the folder should be */
  g_assert_null (hl_log_writer_new_for_path (missing, "demo", "test", TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  g_assert_null (hl_log_writer_new_for_path (under_file, "demo", "test", TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (path), ==, 0);

  /* the folder goes before the first batch: the file cannot be made,
   * which that write or the next one reports, and the close, each
   * naming the file */
  writer = hl_log_writer_new_for_path (path, "demo", "test", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rmdir (folder), ==, 0);
  for (guint i = 0; i < 2000 && hl_log_writer_write (writer, first, &error); i++)
    g_usleep (1000);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_false (hl_log_writer_close (writer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&writer);

  /* a live capture: its first batch, with the ClientHello sent, comes
   * before the file; the log holds every event */
  {
    HlCaptureConfig config;
    g_autoptr(HlCapture) capture = NULL;
    g_autoptr(GFile) file = NULL;
    LateRun run = { NULL, path, 0, FALSE };

    g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
    hl_capture_config_init (&config);
    config.mode = HL_CAPTURE_MODE_DEMO;
    config.version = HL_TLS_VERSION_1_3;
    config.pki_dir = hl_test_pki_dir ();
    config.timeout_ms = 20000;
    capture = hl_capture_new (&config);
    run.writer = hl_log_writer_new_for_path (path, "demo", "test", TRUE, &error);
    g_assert_no_error (error);
    g_signal_connect (hl_capture_get_events (capture), "items-changed", G_CALLBACK (late_batch_cb), &run);
    g_assert_true (hl_capture_run (capture, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (hl_log_writer_close (run.writer, &error));
    g_assert_no_error (error);
    g_clear_object (&run.writer);
    g_assert_true (run.hello_before_file);
    g_assert_cmpuint (run.n_batches, >, 1);

    file = g_file_new_for_path (path);
    log = hl_log_load (file, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (hl_log_get_problem (log));
    g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (log)), ==,
                      g_list_model_get_n_items (hl_capture_get_events (capture)));
    assert_same_events (hl_capture_get_events (capture), hl_log_get_events (log),
                        g_list_model_get_n_items (hl_log_get_events (log)));
    g_unlink (path);
    g_rmdir (folder);
  }
}

/* A device that is full from the start: the writer is not made, and the
 * error names the file */
static void
test_writer_full_device (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLogWriter) writer = NULL;

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  writer = hl_log_writer_new_for_path ("/dev/full", "demo", "test", TRUE, &error);
  g_assert_null (writer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "/dev/full"));
}

/* A log of several read blocks, read by both threads: every event in
 * order, the damaged lines named by their numbers, the first one first,
 * as when the same text is read in one piece */
static void
test_large_log (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_SCENARIO_NONE);
  g_autofree char *header = hl_log_format_header ("demo", "test", TRUE);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (header);
  g_autofree char *dir = g_dir_make_tmp ("hl-large-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "large.hllog", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(HlLog) loaded = NULL;
  g_autoptr(HlLog) whole = NULL;
  g_autoptr(GError) error = NULL;
  guint bad[6], n_good = 0;
  guint64 seq = 0, last_seq = 0;
  gsize size = 0;
  GListModel *got;

  /* the same demo again and again, numbered on, to more than two blocks */
  while (size < 9 * 1024 * 1024)
    for (guint i = 0; i < g_list_model_get_n_items (events); i++, seq++)
      {
        g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
        g_autoptr(HlEvent) copy = hl_event_copy_with_time (event, seq, (gint64) seq * 1000);
        char *line = hl_event_to_json_line (copy, TRUE);

        size += strlen (line) + 1;
        g_ptr_array_add (lines, line);
      }
  /* damaged lines here and there (line numbers count the header), in the
   * reader's part of a block and in the helper's, blocks being 1 MiB */
  bad[0] = lines->len * 3 / 10 + 2;   /* the helper's part of a block */
  bad[1] = lines->len * 5 / 8 + 2;
  bad[2] = lines->len * 7 / 8 + 2;
  bad[3] = lines->len * 19 / 20 + 2;
  bad[4] = lines->len + 1;
  bad[5] = lines->len * 47 / 100 + 2; /* the reader's part of a block */
  g_string_append_c (text, '\n');
  for (guint i = 0; i < lines->len; i++)
    {
      guint number = i + 2;
      const char *line = g_ptr_array_index (lines, i);

      if (number == bad[4])
        g_string_append_len (text, line, strlen (line) / 2);   /* cut short */
      else if (number == bad[0] || number == bad[1] || number == bad[2] || number == bad[3] ||
               number == bad[5])
        g_string_append (text, "{\"seq\":\n");
      else
        {
          g_string_append_printf (text, "%s\n", line);
          n_good++;
        }
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  loaded = hl_log_load (file, NULL, &error);
  g_assert_no_error (error);
  got = hl_log_get_events (loaded);
  g_assert_cmpuint (g_list_model_get_n_items (got), ==, n_good);
  for (guint i = 0; i < n_good; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (got, i);

      if (i > 0)
        g_assert_cmpuint (hl_event_get_seq (event), >, last_seq);
      last_seq = hl_event_get_seq (event);
    }
  g_assert_cmpuint (hl_log_get_n_problems (loaded), ==, 6);
  g_assert_cmpuint (hl_log_get_problem_line (loaded), ==, bad[0]);

  /* the same as reading it in one piece */
  whole = hl_log_load_from_data (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (whole)), ==, n_good);
  g_assert_cmpuint (hl_log_get_n_problems (whole), ==, 6);
  g_assert_cmpstr (hl_log_get_problem (whole), ==, hl_log_get_problem (loaded));
  for (guint i = 0; i < n_good; i += 97)
    {
      g_autoptr(HlEvent) a = g_list_model_get_item (got, i);
      g_autoptr(HlEvent) b = g_list_model_get_item (hl_log_get_events (whole), i);
      g_autofree char *la = hl_event_to_json_line (a, FALSE);
      g_autofree char *lb = hl_event_to_json_line (b, FALSE);

      g_assert_cmpstr (la, ==, lb);
    }
  g_unlink (path);
  g_rmdir (dir);
}

#if defined(__SANITIZE_ADDRESS__)
#define HL_TEST_OWN_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HL_TEST_OWN_MALLOC 1
#endif
#endif

#if !defined(HL_TEST_OWN_MALLOC) && defined(__GLIBC__)
static glong
minor_faults (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}
#endif

/* A log loaded after another reuses the memory the one before freed: it
 * faults in a small part of the pages the first load did */
static void
test_keep_freed_memory (void)
{
#if defined(HL_TEST_OWN_MALLOC) || !defined(__GLIBC__)
  g_test_skip ("glibc's own allocator only");
#else
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_SCENARIO_NONE);
  g_autofree char *header = hl_log_format_header ("demo", "test", TRUE);
  g_autoptr(GString) text = g_string_new (header);
  g_autofree char *dir = g_dir_make_tmp ("hl-heap-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "heap.hllog", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  glong faults[3];
  guint64 seq = 0;

  hl_log_keep_freed_memory ();
  g_string_append_c (text, '\n');
  while (text->len < 12 * 1024 * 1024)
    for (guint i = 0; i < g_list_model_get_n_items (events); i++, seq++)
      {
        g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
        g_autoptr(HlEvent) copy = hl_event_copy_with_time (event, seq, (gint64) seq * 1000);
        g_autofree char *line = hl_event_to_json_line (copy, TRUE);

        g_string_append_printf (text, "%s\n", line);
      }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GError) error = NULL;
      glong before = minor_faults ();
      g_autoptr(HlLog) log = hl_log_load (file, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (log)), ==, seq);
      faults[i] = minor_faults () - before;
    }
  g_test_message ("page faults of three loads: %ld, %ld, %ld", faults[0], faults[1], faults[2]);
  g_assert_cmpint (faults[1], <, faults[0] / 4);
  g_assert_cmpint (faults[2], <, faults[0] / 4);
  g_unlink (path);
  g_rmdir (dir);
#endif
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  hl_test_init ("log");

  g_test_add_func ("/log/cut-every-byte", test_cut_every_byte);
  g_test_add_func ("/log/cut-with-fields", test_cut_with_fields);
  g_test_add_func ("/log/corrupt-lines", test_corrupt_lines);
  g_test_add_func ("/log/refused", test_refused);
  g_test_add_func ("/log/unknown-fields-ignored", test_unknown_fields_ignored);
  g_test_add_func ("/log/save-atomic", test_save_atomic);
  g_test_add_func ("/log/writer-no-space", test_writer_no_space);
  g_test_add_func ("/log/writer-batches", test_writer_batches);
  g_test_add_func ("/log/writer-full-device", test_writer_full_device);
  g_test_add_func ("/log/writer-creates-late", test_writer_creates_late);
  g_test_add_func ("/log/writer-header", test_writer_header);
  g_test_add_func ("/log/large", test_large_log);
  g_test_add_func ("/log/keep-freed-memory", test_keep_freed_memory);
  g_test_add_func ("/log/file-edges", test_file_edges);
  g_test_add_func ("/log/cancel-mid-load", test_cancel_mid_load);
  ret = g_test_run ();

  hl_test_cleanup ();
  return ret;
}

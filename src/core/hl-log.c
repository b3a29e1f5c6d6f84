/* hl-log.c: reading session logs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event-list.h"
#include "hl-json-scan.h"
#include "hl-log.h"

struct _HlLog
{
  GObject      parent_instance;

  char        *mode;
  char        *target;
  char        *created;
  gboolean     contains_secrets;
  HlEventList *events;
  char        *problem;
  guint        problem_line;
  guint        n_problems;
};

G_DEFINE_FINAL_TYPE (HlLog, hl_log, G_TYPE_OBJECT)

G_DEFINE_QUARK (hl-log-error-quark, hl_log_error)

static void
hl_log_finalize (GObject *object)
{
  HlLog *self = HL_LOG (object);

  g_free (self->mode);
  g_free (self->target);
  g_free (self->created);
  g_free (self->problem);
  g_clear_object (&self->events);

  G_OBJECT_CLASS (hl_log_parent_class)->finalize (object);
}

static void
hl_log_class_init (HlLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_log_finalize;
}

static void
hl_log_init (HlLog *self)
{
  self->events = hl_event_list_new ();
}

/**
 * hl_log_new:
 *
 * Returns: (transfer full): an empty log
 */
HlLog *
hl_log_new (const char *mode,
            const char *target)
{
  HlLog *self = g_object_new (HL_TYPE_LOG, NULL);

  self->mode = g_strdup (mode);
  self->target = g_strdup (target);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    self->created = g_date_time_format_iso8601 (now);
  }
  return self;
}

static void
add_problem (HlLog      *self,
             guint       line,
             const char *why)
{
  self->n_problems++;
  if (self->problem != NULL)
    return;
  self->problem = g_strdup_printf ("line %u: %s", line, why);
  self->problem_line = line;
}

static gboolean
read_header (HlLog       *self,
             JsonParser  *parser,
             const char  *line,
             gsize        length,
             GError     **error)
{
  JsonNode *root;
  JsonObject *object;
  JsonNode *version;

  /* A blank line parses, to no root at all */
  if (!json_parser_load_from_data (parser, line, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (hl_json_get_string (object = json_node_get_object (root), "format"),
                 HL_LOG_FORMAT_NAME) != 0)
    {
      g_set_error_literal (error, HL_LOG_ERROR, HL_LOG_ERROR_NOT_A_LOG,
                           "This is not a Handshake Lens session log (its first line is not a log header)");
      return FALSE;
    }
  version = json_object_get_member (object, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 || json_node_get_int (version) < 1)
    {
      g_set_error_literal (error, HL_LOG_ERROR, HL_LOG_ERROR_NOT_A_LOG,
                           "The log header has no valid format version");
      return FALSE;
    }
  if (json_node_get_int (version) > HL_LOG_FORMAT_VERSION)
    {
      g_set_error (error, HL_LOG_ERROR, HL_LOG_ERROR_NEWER_VERSION,
                   "This log uses format version %" G_GINT64_FORMAT ", written by a newer "
                   "Handshake Lens; this version reads version %d",
                   json_node_get_int (version), HL_LOG_FORMAT_VERSION);
      return FALSE;
    }
  self->mode = g_strdup (hl_json_get_string (object, "mode"));
  self->target = g_strdup (hl_json_get_string (object, "target"));
  self->created = g_strdup (hl_json_get_string (object, "created"));
  self->contains_secrets = hl_json_get_boolean (object, "contains_secrets", FALSE);
  return TRUE;
}

static HlEvent *
read_event (JsonParser  *parser,
            const char  *line,
            gsize        length,
            GError     **error)
{
  JsonNode *root;

  if (!json_parser_load_from_data (parser, line, length, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HL_LOG_ERROR, HL_LOG_ERROR_CORRUPT, "not a JSON object");
      return NULL;
    }
  return hl_event_new_from_json (json_node_get_object (root), error);
}

/* Lines are read one at a time, from memory or from a file a block at a
 * time (a long log is never held whole, and each line is still in the
 * cache when it is parsed) */
typedef struct
{
  HlLog      *self;
  JsonParser *parser;
  GString    *scratch;  /* for the fast path's strings */
  GPtrArray  *events;
  guint       line_number;
} Reader;

static gboolean
read_line (Reader      *reader,
           const char  *line,
           gsize        line_length,
           gboolean     complete,
           GError     **error)
{
  reader->line_number++;
  if (reader->line_number == 1)
    return read_header (reader->self, reader->parser, line, line_length, error);
  if (line_length > 0)
    {
      g_autoptr(GError) local_error = NULL;
      /* The common lines take a fast path (which checks the text too);
       * json-glib reads the rest and names what is wrong with a bad line */
      HlEvent *event = hl_json_scan_event (line, line_length, reader->scratch);

      if (event == NULL && memchr (line, '\0', line_length) == NULL &&
          g_utf8_validate_len (line, line_length, NULL))
        event = read_event (reader->parser, line, line_length, &local_error);
      else if (event == NULL)
        g_set_error_literal (&local_error, HL_LOG_ERROR, HL_LOG_ERROR_CORRUPT, "not UTF-8 text");

      if (event != NULL)
        g_ptr_array_add (reader->events, event);
      else
        add_problem (reader->self, reader->line_number,
                     !complete ? "the line is incomplete (the log is truncated)" : local_error->message);
    }
  return TRUE;
}

/* Reads the complete lines of @data (and, @at_end, the incomplete last
 * one); *consumed: up to where */
static gboolean
read_lines (Reader      *reader,
            const char  *data,
            gsize        length,
            gboolean     at_end,
            gsize       *consumed,
            GError     **error)
{
  const char *end = data + length;
  const char *line = data;

  while (line < end)
    {
      const char *newline = memchr (line, '\n', end - line);

      if (newline == NULL && !at_end)
        break;
      if (!read_line (reader, line, (newline != NULL ? newline : end) - line, newline != NULL, error))
        return FALSE;
      line = newline != NULL ? newline + 1 : end;
    }
  *consumed = line - data;
  return TRUE;
}

static void
reader_init (Reader *reader)
{
  reader->self = g_object_new (HL_TYPE_LOG, NULL);
  reader->parser = json_parser_new_immutable ();
  reader->scratch = g_string_sized_new (64);
  reader->events = g_ptr_array_new_with_free_func (g_object_unref);
  reader->line_number = 0;
}

/* Returns: (transfer full) (nullable): the log, when @ok */
static HlLog *
reader_finish (Reader   *reader,
               gboolean  ok)
{
  HlLog *self = NULL;

  if (ok)
    {
      hl_event_list_take (reader->self->events, reader->events);
      self = g_object_ref (reader->self);
    }
  g_clear_object (&reader->self);
  g_clear_object (&reader->parser);
  if (reader->scratch != NULL)
    g_string_free (g_steal_pointer (&reader->scratch), TRUE);
  g_clear_pointer (&reader->events, g_ptr_array_unref);
  return self;
}

static gboolean
empty_file (GError **error)
{
  g_set_error_literal (error, HL_LOG_ERROR, HL_LOG_ERROR_NOT_A_LOG, "The file is empty");
  return FALSE;
}

/**
 * hl_log_load_from_data:
 * @data: the whole log
 *
 * Returns: (transfer full) (nullable): the log, or %NULL when @data is not
 *   a log this version can read
 */
HlLog *
hl_log_load_from_data (const char  *data,
                       gsize        length,
                       GError     **error)
{
  Reader reader;
  gsize consumed;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    {
      empty_file (error);
      return NULL;
    }
  reader_init (&reader);
  return reader_finish (&reader, read_lines (&reader, data, length, TRUE, &consumed, error));
}

/* A long log is read in blocks of a few MiB. The complete lines of a block
 * are parsed in two halves, the second on a thread of its own, so that a
 * second core shortens the wait for a long log. That thread prepares its
 * handshake messages and records (hl_json_scan_prepare(): the checks, the
 * numbers, the hex), and the reader's thread makes all the events: GLib's
 * slice allocator, which makes every object, serialises two threads that
 * allocate at once, which cost more than the second core gave. */
#define READ_BLOCK    (4 * 1024 * 1024)
#define SPLIT_MIN     (256 * 1024)

typedef struct
{
  const char    *line;
  gsize          length;
  gboolean       prepared;
  HlJsonScanned  scanned;
} Prepared;

typedef struct
{
  const char *data;
  gsize       length;
  GString    *scratch;
  GArray     *lines;  /* of Prepared */
} Half;

static gpointer
half_thread (gpointer data)
{
  Half *half = data;
  const char *end = half->data + half->length;
  const char *line = half->data;

  /* Complete lines only */
  while (line < end)
    {
      const char *newline = memchr (line, '\n', end - line);
      Prepared prepared = { line, newline - line, FALSE };

      prepared.prepared = prepared.length > 0 &&
                          hl_json_scan_prepare (line, prepared.length, half->scratch, &prepared.scanned);
      g_array_append_val (half->lines, prepared);
      line = newline + 1;
    }
  return NULL;
}

static void
prepared_clear (gpointer data)
{
  Prepared *prepared = data;

  if (prepared->prepared)
    hl_json_scan_clear (&prepared->scanned);
}

/* read_lines(), with the second half of the complete lines prepared on a
 * thread of its own where that is worth it */
static gboolean
read_lines_split (Reader      *reader,
                  const char  *data,
                  gsize        length,
                  gboolean     at_end,
                  gsize       *consumed,
                  GError     **error)
{
  const char *last, *middle;
  gsize complete, first_length, tail_consumed = 0;
  Half half = { 0 };
  GThread *thread;

  /* the header is read first, on its own */
  if (reader->line_number == 0 && length >= SPLIT_MIN &&
      (last = memchr (data, '\n', length)) != NULL)
    {
      gsize header_length = last + 1 - data, rest_consumed;

      if (!read_lines (reader, data, header_length, FALSE, consumed, error) ||
          !read_lines_split (reader, last + 1, length - header_length, at_end, &rest_consumed, error))
        return FALSE;
      *consumed = header_length + rest_consumed;
      return TRUE;
    }
  if (reader->line_number == 0 || length < SPLIT_MIN ||
      (last = memrchr (data, '\n', length)) == NULL)
    return read_lines (reader, data, length, at_end, consumed, error);
  complete = last + 1 - data;
  middle = memchr (data + complete / 2, '\n', complete - complete / 2);
  first_length = middle + 1 - data;
  if (first_length >= complete)
    return read_lines (reader, data, length, at_end, consumed, error);

  half.data = middle + 1;
  half.length = complete - first_length;
  half.scratch = g_string_sized_new (64);
  half.lines = g_array_sized_new (FALSE, FALSE, sizeof (Prepared), half.length / 256 + 16);
  g_array_set_clear_func (half.lines, prepared_clear);
  thread = g_thread_try_new ("hl-log-reader", half_thread, &half, NULL);
  if (thread == NULL)
    half_thread (&half);

  read_lines (reader, data, first_length, FALSE, consumed, NULL);
  if (thread != NULL)
    g_thread_join (thread);

  /* Then come the second half's lines, in order, their events made here */
  for (guint i = 0; i < half.lines->len; i++)
    {
      Prepared *prepared = &g_array_index (half.lines, Prepared, i);

      if (prepared->prepared)
        {
          reader->line_number++;
          g_ptr_array_add (reader->events, hl_json_scan_finish (&prepared->scanned));
          prepared->prepared = FALSE;
        }
      else
        read_line (reader, prepared->line, prepared->length, TRUE, NULL);
    }
  g_array_unref (half.lines);
  g_string_free (half.scratch, TRUE);

  /* and an incomplete last line, at the end */
  if (at_end && complete < length &&
      !read_lines (reader, data + complete, length - complete, TRUE, &tail_consumed, error))
    return FALSE;
  *consumed = complete + tail_consumed;
  return TRUE;
}

static gboolean
read_stream (Reader        *reader,
             GInputStream  *stream,
             GCancellable  *cancellable,
             GError       **read_error,
             GError       **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_sized_new (READ_BLOCK);
  gboolean at_end = FALSE;
  gsize total = 0;

  while (!at_end)
    {
      gsize kept = buffer->len, consumed;
      gssize n;

      /* a block more after the incomplete line carried over */
      g_byte_array_set_size (buffer, kept + READ_BLOCK);
      n = g_input_stream_read (stream, buffer->data + kept, READ_BLOCK, cancellable, read_error);
      if (n < 0)
        return FALSE;
      g_byte_array_set_size (buffer, kept + n);
      total += n;
      at_end = n == 0;
      if (at_end && total == 0)
        return empty_file (error);
      if (!read_lines_split (reader, (const char *) buffer->data, buffer->len, at_end, &consumed, error))
        return FALSE;
      g_byte_array_remove_range (buffer, 0, consumed);
    }
  return TRUE;
}

/**
 * hl_log_load:
 *
 * Returns: (transfer full) (nullable): the log, or %NULL with @error set
 */
HlLog *
hl_log_load (GFile         *file,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  Reader reader;
  HlLog *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_parse_name (file);
  reader_init (&reader);
  stream = g_file_read (file, cancellable, &read_error);
  self = reader_finish (&reader, stream != NULL &&
                                 read_stream (&reader, G_INPUT_STREAM (stream), cancellable,
                                              &read_error, &local_error));
  if (read_error != NULL)
    g_set_error (error, read_error->domain, read_error->code,
                 "Could not read %s: %s", name, read_error->message);
  else if (self == NULL)
    g_set_error (error, local_error->domain, local_error->code, "%s: %s", name, local_error->message);
  return self;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  HlLog *log = hl_log_load (task_data, cancellable, &error);

  if (log != NULL)
    g_task_return_pointer (task, log, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
hl_log_load_async (GFile               *file,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hl_log_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

/**
 * hl_log_load_finish:
 *
 * Returns: (transfer full) (nullable): the log
 */
HlLog *
hl_log_load_finish (GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
hl_log_get_mode (HlLog *self)
{
  g_return_val_if_fail (HL_IS_LOG (self), NULL);
  return self->mode;
}

const char *
hl_log_get_target (HlLog *self)
{
  g_return_val_if_fail (HL_IS_LOG (self), NULL);
  return self->target;
}

const char *
hl_log_get_created (HlLog *self)
{
  g_return_val_if_fail (HL_IS_LOG (self), NULL);
  return self->created;
}

gboolean
hl_log_get_contains_secrets (HlLog *self)
{
  g_return_val_if_fail (HL_IS_LOG (self), FALSE);
  return self->contains_secrets;
}

/**
 * hl_log_get_events:
 *
 * Returns: (transfer none): a #GListModel of #HlEvent
 */
GListModel *
hl_log_get_events (HlLog *self)
{
  g_return_val_if_fail (HL_IS_LOG (self), NULL);
  return G_LIST_MODEL (self->events);
}

/**
 * hl_log_get_problem:
 *
 * Returns: (nullable): the first line that could not be loaded, as
 *   "line N: why", or %NULL when every line loaded
 */
const char *
hl_log_get_problem (HlLog *self)
{
  g_return_val_if_fail (HL_IS_LOG (self), NULL);
  return self->problem;
}

guint
hl_log_get_problem_line (HlLog *self)
{
  g_return_val_if_fail (HL_IS_LOG (self), 0);
  return self->problem_line;
}

guint
hl_log_get_n_problems (HlLog *self)
{
  g_return_val_if_fail (HL_IS_LOG (self), 0);
  return self->n_problems;
}

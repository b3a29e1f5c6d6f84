/* hl-log-writer.c: writing session logs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include "hl-log.h"

struct _HlLogWriter
{
  GObject        parent_instance;

  GOutputStream *stream;
  gboolean       closed;
};

G_DEFINE_FINAL_TYPE (HlLogWriter, hl_log_writer, G_TYPE_OBJECT)

static void
hl_log_writer_finalize (GObject *object)
{
  HlLogWriter *self = HL_LOG_WRITER (object);

  if (!self->closed)
    g_output_stream_close (self->stream, NULL, NULL);
  g_clear_object (&self->stream);

  G_OBJECT_CLASS (hl_log_writer_parent_class)->finalize (object);
}

static void
hl_log_writer_class_init (HlLogWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_log_writer_finalize;
}

static void
hl_log_writer_init (HlLogWriter *self)
{
}

/**
 * hl_log_format_header:
 *
 * Returns: (transfer full): the first line of a log, without the newline
 */
char *
hl_log_format_header (const char *mode,
                      const char *target,
                      gboolean    contains_secrets)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, HL_LOG_FORMAT_NAME);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, HL_LOG_FORMAT_VERSION);
  json_builder_set_member_name (builder, "created");
  json_builder_add_string_value (builder, created);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, mode);
  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, target);
  json_builder_set_member_name (builder, "contains_secrets");
  json_builder_add_boolean_value (builder, contains_secrets);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
write_line (GOutputStream  *stream,
            const char     *line,
            GError        **error)
{
  g_autofree char *with_newline = g_strconcat (line, "\n", NULL);

  /* One write per line, flushed: a crash loses at most this line */
  return g_output_stream_write_all (stream, with_newline, strlen (with_newline), NULL, NULL, error) &&
         g_output_stream_flush (stream, NULL, error);
}

/**
 * hl_log_writer_new:
 * @stream: where to write
 *
 * Returns: (transfer full) (nullable): a writer that has written the header
 */
HlLogWriter *
hl_log_writer_new (GOutputStream  *stream,
                   const char     *mode,
                   const char     *target,
                   gboolean        contains_secrets,
                   GError        **error)
{
  g_autoptr(HlLogWriter) self = NULL;
  g_autofree char *header = hl_log_format_header (mode, target, contains_secrets);

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  self = g_object_new (HL_TYPE_LOG_WRITER, NULL);
  self->stream = g_object_ref (stream);
  if (!write_line (self->stream, header, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * hl_log_writer_new_for_path:
 *
 * Creates (or truncates) @path and writes to it directly, so that what
 * was captured before a crash stays there.
 *
 * Returns: (transfer full) (nullable): the writer
 */
HlLogWriter *
hl_log_writer_new_for_path (const char  *path,
                            const char  *mode,
                            const char  *target,
                            gboolean     contains_secrets,
                            GError     **error)
{
  g_autoptr(GOutputStream) stream = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, contains_secrets ? 0600 : 0644);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not write %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  stream = g_unix_output_stream_new (fd, TRUE);
  return hl_log_writer_new (stream, mode, target, contains_secrets, error);
}

gboolean
hl_log_writer_write (HlLogWriter  *self,
                     HlEvent      *event,
                     GError      **error)
{
  g_autofree char *line = NULL;

  g_return_val_if_fail (HL_IS_LOG_WRITER (self), FALSE);
  g_return_val_if_fail (HL_IS_EVENT (event), FALSE);

  line = hl_event_to_json_line (event, TRUE);
  return write_line (self->stream, line, error);
}

gboolean
hl_log_writer_close (HlLogWriter  *self,
                     GError      **error)
{
  g_return_val_if_fail (HL_IS_LOG_WRITER (self), FALSE);

  if (self->closed)
    return TRUE;
  self->closed = TRUE;
  return g_output_stream_close (self->stream, NULL, error);
}

/**
 * hl_log_save:
 * @events: a #GListModel of #HlEvent
 *
 * Writes a whole log to a temporary file next to @file and renames it
 * into place, so that a failure never leaves a half-written log under
 * the chosen name.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_log_save (GListModel  *events,
             const char  *mode,
             const char  *target,
             GFile       *file,
             GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *tmp_path = NULL;
  g_autoptr(HlLogWriter) writer = NULL;
  gboolean contains_secrets = FALSE;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (events), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Logs are saved to local files only");
      return FALSE;
    }
  n = g_list_model_get_n_items (events);
  for (guint i = 0; i < n && !contains_secrets; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      contains_secrets = hl_event_get_kind (event) == HL_EVENT_SECRET;
    }

  tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  {
    int fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, contains_secrets ? 0600 : 0644);
    g_autoptr(GOutputStream) stream = NULL;

    if (fd < 0)
      {
        int saved_errno = errno;
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     "Could not save %s: %s", path, g_strerror (saved_errno));
        return FALSE;
      }
    stream = g_unix_output_stream_new (fd, TRUE);
    writer = hl_log_writer_new (stream, mode, target, contains_secrets, error);
  }
  for (guint i = 0; writer != NULL && i < n; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (!hl_log_writer_write (writer, event, error))
        g_clear_object (&writer);
    }
  if (writer == NULL || !hl_log_writer_close (writer, error) || g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;

      if (writer != NULL && error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     "Could not save %s: %s", path, g_strerror (saved_errno));
      g_unlink (tmp_path);
      return FALSE;
    }
  return TRUE;
}

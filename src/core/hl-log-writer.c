/* hl-log-writer.c: writing session logs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hl-decoder.h"
#include "hl-event-private.h"
#include "hl-field.h"
#include "hl-log.h"

/* Events handed to a writer are turned into lines (field trees decoded)
 * and written at once, on the caller's thread, one write(2) for each
 * batch. A capture delivers its events when its client is about to wait
 * for the peer: writing them there costs a handshake less than handing
 * them to a thread of the writer's own did (demo exchanges, interleaved
 * runs: 0.4 ms less CPU and 0.3 ms less time an exchange), since every
 * hand-off woke that thread, and on two cores each wake-up cost more
 * than the writing it moved away.
 *
 * The lines a capture's worker made while it waited for its peer
 * (hl_capture_set_render_ahead()) are taken as they are, field trees
 * included: the demo server makes those of its own events as the client
 * works, and the client, writing, has only its own left to make.
 *
 * A log file is written with write(2) on its descriptor: a
 * GUnixOutputStream polls the descriptor before each write, and asks
 * epoll whether it can poll it when made, system calls that a regular
 * file never needs.
 *
 * A new log file is created on a thread of its own, started by the
 * first batch, whose lines wait in the buffer until the file is open
 * (and then go out with the next batch, or at the close, which waits
 * for the file). A capture delivers its first batch once its client has
 * sent the ClientHello and waits for the server, so starting the thread
 * costs the handshake nothing, and the file system's work (an inode to
 * find, a directory entry to add: 15 µs, but up to a millisecond on an
 * ext4 without a journal where many files were deleted in the last few
 * minutes, and a round trip on a network file system) no longer holds
 * back the handshake. The writer checks at once that the file could be
 * made in its folder, so that a wrong path still fails before anything
 * runs. */

/* In a demo each message is seen twice, sent by one side and received
 * by the other: the field trees of the last few messages are kept as
 * text, so that each is decoded and written out once */
#define N_RECENT 8

typedef struct
{
  GBytes  *raw;
  HlSide   sender;
  guint16  tls_version;
  guint16  cipher_suite;
  GString *json;
} RecentFields;

struct _HlLogWriter
{
  GObject        parent_instance;

  int            fd;        /* owned, or -1 and then @stream or @create */
  char          *name;      /* of @fd's file, for errors */
  char          *create;    /* the new file, until it is open */
  int            create_mode;
  GThread       *creator;   /* opening @create, from the first batch on */
  gint           created;   /* atomic: @creator is done */
  int            created_fd;
  int            create_errno;
  GOutputStream *stream;
  gboolean       closed;
  GError        *error;     /* the first write that failed */

  GString       *buffer;
  RecentFields   recent[N_RECENT];
  guint          next_recent;
};

G_DEFINE_FINAL_TYPE (HlLogWriter, hl_log_writer, G_TYPE_OBJECT)

static void
set_path_error (const char  *path,
                int          saved_errno,
                GError     **error)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "Could not write %s: %s", path, g_strerror (saved_errno));
}

static void
set_write_error (HlLogWriter  *self,
                 int           saved_errno,
                 GError      **error)
{
  set_path_error (self->name, saved_errno, error);
}

static gboolean
write_fd (HlLogWriter  *self,
          const char   *data,
          gsize         size,
          GError      **error)
{
  while (size > 0)
    {
      gssize n = write (self->fd, data, MIN (size, G_MAXSSIZE));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_write_error (self, errno, error);
          return FALSE;
        }
      data += n;
      size -= n;
    }
  return TRUE;
}

static gpointer
creator_main (gpointer data)
{
  HlLogWriter *self = data;

  self->created_fd = g_open (self->create, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, self->create_mode);
  self->create_errno = errno;
  g_atomic_int_set (&self->created, TRUE);
  return NULL;
}

/* Starts making the new file, and returns whether it is made (waiting
 * for it if @wait): then @fd is its descriptor, or -1 if it could not be
 * made, and @create_errno says why */
static gboolean
file_made (HlLogWriter *self,
           gboolean     wait)
{
  if (self->creator == NULL && !g_atomic_int_get (&self->created))
    {
      if (!wait)
        self->creator = g_thread_try_new ("hl-log-create", creator_main, self, NULL);
      if (self->creator == NULL)
        creator_main (self);
    }
  if (!wait && !g_atomic_int_get (&self->created))
    return FALSE;
  if (self->creator != NULL)
    g_thread_join (g_steal_pointer (&self->creator));
  g_clear_pointer (&self->create, g_free);
  self->fd = self->created_fd;
  return TRUE;
}

/* Writes @buffer out and empties it; while a new file is being made
 * (and @wait is FALSE), its lines stay in the buffer */
static gboolean
write_buffer (HlLogWriter  *self,
              GString      *buffer,
              gboolean      wait,
              GError      **error)
{
  gboolean ok;

  if (self->create != NULL && !file_made (self, wait))
    return TRUE;
  if (self->fd < 0 && self->stream == NULL)
    {
      set_write_error (self, self->create_errno, error);
      ok = FALSE;
    }
  else if (self->fd >= 0)
    ok = write_fd (self, buffer->str, buffer->len, error);
  else
    ok = g_output_stream_write_all (self->stream, buffer->str, buffer->len, NULL, NULL, error) &&
         g_output_stream_flush (self->stream, NULL, error);
  g_string_truncate (buffer, 0);
  return ok;
}

static gboolean
close_output (HlLogWriter  *self,
              GError      **error)
{
  if (self->fd >= 0)
    {
      int fd = self->fd;

      self->fd = -1;
      if (close (fd) != 0 && errno != EINTR)
        {
          set_write_error (self, errno, error);
          return FALSE;
        }
      return TRUE;
    }
  return self->stream == NULL || g_output_stream_close (self->stream, NULL, error);
}

static void
recent_fields_clear (RecentFields *recent)
{
  g_clear_pointer (&recent->raw, g_bytes_unref);
  if (recent->json != NULL)
    g_string_free (g_steal_pointer (&recent->json), TRUE);
}

static const GString *
fields_json (RecentFields *recent,
             guint        *next,
             HlEvent      *event)
{
  GBytes *raw = hl_event_get_raw (event);
  gsize size;
  const guint8 *bytes = g_bytes_get_data (raw, &size);
  HlSide sender = hl_event_get_sender (event);
  /* a side that receives a ServerHello sees it before the version is
   * known: where the tree does not depend on it, the sender's copy serves */
  gboolean by_version = size == 0 || hl_decode_depends_on_version (bytes[0]);
  guint16 tls_version = by_version ? hl_event_get_tls_version (event) : 0;
  guint16 cipher_suite = by_version ? hl_event_get_cipher_suite (event) : 0;
  g_autoptr(HlField) fields = NULL;
  const GString *rendered;
  RecentFields *slot;

  for (guint i = 0; i < N_RECENT; i++)
    if (recent[i].raw != NULL && recent[i].sender == sender && recent[i].tls_version == tls_version &&
        recent[i].cipher_suite == cipher_suite && g_bytes_equal (recent[i].raw, raw))
      return recent[i].json;

  slot = &recent[*next];
  *next = (*next + 1) % N_RECENT;
  recent_fields_clear (slot);
  slot->raw = g_bytes_ref (raw);
  slot->sender = sender;
  slot->tls_version = tls_version;
  slot->cipher_suite = cipher_suite;
  /* made by the capture's worker that sent it, or now */
  rendered = hl_event_get_rendered_fields (event);
  if (rendered != NULL)
    {
      slot->json = g_string_new_len (rendered->str, rendered->len);
      return slot->json;
    }
  fields = hl_event_dup_fields (event);
  slot->json = g_string_sized_new (8 * g_bytes_get_size (raw) + 64);
  hl_field_append_json (fields, slot->json);
  return slot->json;
}

/* Appends the event's line, the newline included */
static void
append_line (GString      *buffer,
             RecentFields *recent,
             guint        *next,
             HlEvent      *event)
{
  if (hl_event_get_kind (event) == HL_EVENT_HANDSHAKE)
    {
      const GString *json = fields_json (recent, next, event);

      /* "fields" is the last member: open the object up before its brace */
      hl_event_append_json_line (event, buffer, FALSE);
      g_string_truncate (buffer, buffer->len - 1);
      hl_string_append_literal (buffer, ",\"fields\":");
      hl_string_append_len (buffer, json->str, json->len);
      hl_string_append_literal (buffer, "}\n");
    }
  else
    {
      hl_event_append_json_line (event, buffer, TRUE);
      g_string_append_c (buffer, '\n');
    }
}

static void
hl_log_writer_finalize (GObject *object)
{
  HlLogWriter *self = HL_LOG_WRITER (object);

  /* lines that waited for a new file are not lost */
  if (self->creator != NULL && self->error == NULL)
    write_buffer (self, self->buffer, TRUE, NULL);
  else if (self->creator != NULL)
    file_made (self, TRUE);
  if (!self->closed)
    close_output (self, NULL);
  g_clear_object (&self->stream);
  g_free (self->name);
  g_free (self->create);
  g_clear_error (&self->error);
  for (guint i = 0; i < N_RECENT; i++)
    recent_fields_clear (&self->recent[i]);
  g_string_free (self->buffer, TRUE);

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
  self->fd = -1;
  self->buffer = g_string_sized_new (16 * 1024);
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
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  GString *header = g_string_sized_new (192);

  /* written directly, as event lines are: a JsonBuilder took a fifth of
   * the time to start a capture's log */
  g_string_append (header, "{\"format\":");
  hl_json_append_string (header, HL_LOG_FORMAT_NAME);
  g_string_append_printf (header, ",\"version\":%d,\"created\":", HL_LOG_FORMAT_VERSION);
  hl_json_append_string (header, created);
  g_string_append (header, ",\"mode\":");
  hl_json_append_string (header, mode != NULL ? mode : "");
  g_string_append (header, ",\"target\":");
  hl_json_append_string (header, target != NULL ? target : "");
  g_string_append (header, contains_secrets ? ",\"contains_secrets\":true}" : ",\"contains_secrets\":false}");
  return g_string_free (header, FALSE);
}

/* Takes @fd (the file @path, as errors name it), or @stream when @fd is
 * -1; with neither, @path is created with the first write, which then
 * writes the header too */
static HlLogWriter *
writer_new (int             fd,
            const char     *path,
            GOutputStream  *stream,
            const char     *mode,
            const char     *target,
            gboolean        contains_secrets,
            GError        **error)
{
  g_autoptr(HlLogWriter) self = g_object_new (HL_TYPE_LOG_WRITER, NULL);
  g_autofree char *header = hl_log_format_header (mode, target, contains_secrets);

  self->fd = fd;
  self->name = path != NULL ? g_filename_display_name (path) : NULL;
  if (stream != NULL)
    self->stream = g_object_ref (stream);
  else if (fd < 0)
    {
      /* made later, maybe after the working folder changed */
      self->create = g_canonicalize_filename (path, NULL);
      self->create_mode = contains_secrets ? 0600 : 0644;
    }
  g_string_append (self->buffer, header);
  g_string_append_c (self->buffer, '\n');
  if (self->create == NULL && !write_buffer (self, self->buffer, TRUE, error))
    return NULL;
  return g_steal_pointer (&self);
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
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);

  return writer_new (-1, NULL, stream, mode, target, contains_secrets, error);
}

/**
 * hl_log_writer_new_for_path:
 *
 * Truncates @path, or has it created on another thread from the first
 * write on, and writes to it directly, so that what was captured before
 * a crash stays there. A file that could not be created in its folder is
 * an error at once; one that could not be created later is an error of
 * the next write or of the close.
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
  GStatBuf st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) != 0 && errno == ENOENT)
    {
      g_autofree char *folder = g_path_get_dirname (path);

      if (g_access (folder, W_OK | X_OK) != 0)
        {
          set_path_error (path, errno, error);
          return NULL;
        }
      return writer_new (-1, path, NULL, mode, target, contains_secrets, error);
    }

  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, contains_secrets ? 0600 : 0644);
  if (fd < 0)
    {
      set_path_error (path, errno, error);
      return NULL;
    }
  return writer_new (fd, path, NULL, mode, target, contains_secrets, error);
}

/**
 * hl_log_writer_write:
 *
 * Writes @event at once (or, while a new file is being created, as soon
 * as it is there). After a failure, every later call and
 * hl_log_writer_close() report it again.
 *
 * Returns: %FALSE if this write or an earlier one failed
 */
gboolean
hl_log_writer_write (HlLogWriter  *self,
                     HlEvent      *event,
                     GError      **error)
{
  g_return_val_if_fail (HL_IS_EVENT (event), FALSE);

  return hl_log_writer_write_events (self, &event, 1, error);
}

/**
 * hl_log_writer_write_events:
 * @events: (array length=n_events): events to write, in order
 *
 * Writes a batch of events (what a capture delivers at once) on the
 * calling thread, with one write(2) for up to 60 KiB of lines; while a
 * new file is being created, the lines wait for it.
 *
 * Returns: %FALSE if this write or an earlier one failed
 */
gboolean
hl_log_writer_write_events (HlLogWriter     *self,
                            HlEvent * const *events,
                            guint            n_events,
                            GError         **error)
{
  g_return_val_if_fail (HL_IS_LOG_WRITER (self), FALSE);
  g_return_val_if_fail (events != NULL || n_events == 0, FALSE);
  g_return_val_if_fail (!self->closed, FALSE);

  if (self->error == NULL && n_events > 0)
    {
      for (guint i = 0; i < n_events && self->error == NULL; i++)
        {
          append_line (self->buffer, self->recent, &self->next_recent, events[i]);
          if (self->buffer->len >= 60 * 1024 || i == n_events - 1)
            write_buffer (self, self->buffer, FALSE, &self->error);
        }
    }
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  return TRUE;
}

/**
 * hl_log_writer_close:
 *
 * Closes the stream, every event having been written already.
 *
 * Returns: %FALSE if a write or the close failed
 */
gboolean
hl_log_writer_close (HlLogWriter  *self,
                     GError      **error)
{
  g_return_val_if_fail (HL_IS_LOG_WRITER (self), FALSE);

  if (self->closed)
    return TRUE;
  self->closed = TRUE;
  /* what waited for a new file (the header at least) */
  if (self->error == NULL && self->buffer->len > 0)
    write_buffer (self, self->buffer, TRUE, &self->error);
  if (self->error != NULL)
    {
      close_output (self, NULL);
      g_propagate_error (error, g_steal_pointer (&self->error));
      return FALSE;
    }
  return close_output (self, error);
}

#define SAVE_BATCH 256

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

    if (fd < 0)
      {
        int saved_errno = errno;
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     "Could not save %s: %s", path, g_strerror (saved_errno));
        return FALSE;
      }
    writer = writer_new (fd, path, NULL, mode, target, contains_secrets, error);
  }
  /* in batches, for fewer and larger writes */
  for (guint i = 0; writer != NULL && i < n; i += SAVE_BATCH)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_full (SAVE_BATCH, g_object_unref);

      for (guint j = i; j < n && j < i + SAVE_BATCH; j++)
        g_ptr_array_add (batch, g_list_model_get_item (events, j));
      if (!hl_log_writer_write_events (writer, (HlEvent * const *) batch->pdata, batch->len, error))
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

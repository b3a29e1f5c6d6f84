/* hl-log.c: reading session logs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

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
  HlJsonScanArena *arena;  /* for its events' bytes */
  GPtrArray  *events;
  guint       line_number;
} Reader;

static gboolean
read_line (Reader      *reader,
           const char  *line,
           gsize        line_length,
           gboolean     complete,
           gboolean     fast_tried,
           GError     **error)
{
  reader->line_number++;
  if (reader->line_number == 1)
    return read_header (reader->self, reader->parser, line, line_length, error);
  if (line_length > 0)
    {
      g_autoptr(GError) local_error = NULL;
      /* The common lines take a fast path (which checks the text too),
       * unless the caller tried it already; json-glib reads the rest and
       * names what is wrong with a bad line */
      HlEvent *event = fast_tried ? NULL : hl_json_scan_event (line, line_length, reader->scratch, reader->arena);

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
      const char *newline;
      gsize line_length;
      HlEvent *event;

      /* most lines: read where they lie, the scan finding their end
       * (looking for each newline first was 2-3 % of a long log's load) */
      if (reader->line_number > 0 &&
          (event = hl_json_scan_event_line (line, end - line, &line_length, reader->scratch,
                                            reader->arena)) != NULL)
        {
          reader->line_number++;
          g_ptr_array_add (reader->events, event);
          line += line_length + 1;
          continue;
        }
      newline = memchr (line, '\n', end - line);
      if (newline == NULL && !at_end)
        break;
      /* a complete line the fast path declined goes straight to json-glib */
      if (!read_line (reader, line, (newline != NULL ? newline : end) - line, newline != NULL,
                      newline != NULL && reader->line_number > 0, error))
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
  reader->arena = hl_json_scan_arena_new ();
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
  g_clear_pointer (&reader->arena, hl_json_scan_arena_free);
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

/* A long log is read in blocks of 1 MiB, in a pipeline of two threads.
 * The helper reads each block and prepares the handshake messages and
 * records of its later part (hl_json_scan_prepare(): the checks, the
 * numbers, the hex); the reader's thread reads the block's earlier part
 * line by line and makes the events of the prepared part in order. The
 * helper reads a block ahead: it reads the next block and gives it to the
 * reader's thread before it prepares this one, so that the reader's
 * thread, done with a block, has the next block's own part to do at once
 * rather than wait for its read. Events are made on the reader's thread
 * only: GLib's slice allocator, which makes every object, serialises two
 * threads that allocate at once, which cost more than the second core
 * gave. */
/* A block stays in the CPU's cache from its read to its parsing, and its
 * few buffers cost few first touches of fresh pages: with 4 MiB blocks
 * the load that follows a tshark run in the benchmark took 98-133 ms,
 * with 1 MiB 80-105 ms */
#define READ_BLOCK    (1024 * 1024)
#define SPLIT_MIN     (256 * 1024)
/* The reader's share of a block's lines, in percent, at first: it also
 * makes every event of the block. Then, block by block, the thread that
 * waited for the other since the last block split gets a larger share:
 * which one is faster depends on the machine and on what else it does.
 * With a fixed share of 44 %, one run had the helper wait a third of the
 * time and the next the reader's thread; with shares that follow the
 * waits (about 29 % on average here) each waits 2-4 ms of a 50 ms load,
 * and the load took 50-55 ms instead of 59-69. */
#define READER_SHARE  30
#define SHARE_STEP    2
#define SHARE_MIN     10
#define SHARE_MAX     90
/* Blocks given to the reader's thread and not yet done with: the one it
 * reads, the next one, and the one after that, being read */
#define MAX_AHEAD     3

typedef struct
{
  const char    *line;
  gsize          length;
  gboolean       prepared;
  HlJsonScanned  scanned;
} Prepared;

static void
prepared_clear (gpointer data)
{
  Prepared *prepared = data;

  if (prepared->prepared)
    hl_json_scan_clear (&prepared->scanned);
}

typedef struct
{
  GByteArray *buffer;
  gsize       complete;      /* the complete lines end here */
  gsize       first_length;  /* the reader's part: complete lines */
  GArray     *lines;         /* of Prepared: the rest of the complete lines */
  gboolean    at_end;        /* the rest of the buffer is an incomplete last line */
  gboolean    empty;         /* the stream was empty */
  GError     *error;         /* reading failed */
  gboolean    prepared;      /* @lines is ready (under the pipeline's lock) */
} Block;

static void
block_free (Block *block)
{
  g_clear_pointer (&block->buffer, g_byte_array_unref);
  g_clear_pointer (&block->lines, g_array_unref);
  g_clear_error (&block->error);
  g_free (block);
}

typedef struct
{
  GInputStream *stream;
  GCancellable *cancellable;

  GMutex        lock;
  GCond         cond;
  GQueue        blocks;   /* of Block, read and not yet taken */
  GPtrArray    *spare;    /* of GByteArray, done with */
  guint         ahead;    /* blocks given out and not yet done with */
  gboolean      waits;    /* the helper waits for the reader to catch up */
  guint         share;    /* the reader's share of the next block, in percent */
  gint64        reader_waited;  /* µs, since the last block was split */
  gint64        helper_waited;
  gint          stop;     /* atomic */

  /* the helper's own */
  GString      *scratch;
  HlJsonScanArena *arena;
  GByteArray   *carry;    /* an incomplete line */
  gsize         total;
  gboolean      at_end;
} Pipeline;

/* Returns NULL when the pipeline stops */
static GByteArray *
take_buffer (Pipeline *pipeline)
{
  GByteArray *buffer = NULL;

  g_mutex_lock (&pipeline->lock);
  if (pipeline->waits && pipeline->ahead >= MAX_AHEAD)
    {
      gint64 start = g_get_monotonic_time ();

      while (pipeline->ahead >= MAX_AHEAD && !g_atomic_int_get (&pipeline->stop))
        g_cond_wait (&pipeline->cond, &pipeline->lock);
      pipeline->helper_waited += g_get_monotonic_time () - start;
    }
  if (g_atomic_int_get (&pipeline->stop))
    {
      g_mutex_unlock (&pipeline->lock);
      return NULL;
    }
  pipeline->ahead++;
  /* the one that waited gets more to do */
  if (pipeline->reader_waited > pipeline->helper_waited)
    pipeline->share = MIN (pipeline->share + SHARE_STEP, SHARE_MAX);
  else if (pipeline->helper_waited > pipeline->reader_waited)
    pipeline->share = MAX (pipeline->share - SHARE_STEP, SHARE_MIN);
  pipeline->reader_waited = pipeline->helper_waited = 0;
  if (pipeline->spare->len > 0)
    buffer = g_ptr_array_steal_index_fast (pipeline->spare, pipeline->spare->len - 1);
  g_mutex_unlock (&pipeline->lock);
  if (buffer == NULL)
    buffer = g_byte_array_sized_new (READ_BLOCK + 64 * 1024);
  g_byte_array_set_size (buffer, 0);
  return buffer;
}

static void
give_block (Pipeline *pipeline,
            Block    *block)
{
  g_mutex_lock (&pipeline->lock);
  g_queue_push_tail (&pipeline->blocks, block);
  g_cond_broadcast (&pipeline->cond);
  g_mutex_unlock (&pipeline->lock);
}

/* Prepares the lines of @block after the reader's part */
static void
prepare_lines (Pipeline *pipeline,
               Block    *block)
{
  const char *data = (const char *) block->buffer->data;
  const char *end = data + block->complete;
  const char *line = data + block->first_length;

  /* the trees it remembers were in the last block, now given back */
  hl_json_scan_arena_forget (pipeline->arena);
  while (line < end && !g_atomic_int_get (&pipeline->stop))
    {
      Prepared prepared = { line, 0, FALSE };

      /* every line here ends with a newline, which the scan finds */
      prepared.prepared = hl_json_scan_prepare_line (line, end - line, &prepared.length, pipeline->scratch,
                                                     pipeline->arena, &prepared.scanned);
      if (!prepared.prepared)
        prepared.length = (const char *) memchr (line, '\n', end - line) - line;
      g_array_append_val (block->lines, prepared);
      line += prepared.length + 1;
    }
}

/* Reads the next block and gives it to the reader's thread. Returns the
 * block when it is to be prepared, NULL after the last block (or one
 * that failed) and when the pipeline stops. */
static Block *
read_next_block (Pipeline *pipeline)
{
  Block *block;
  GByteArray *buffer;
  const char *last, *middle;
  gssize n;

  if (pipeline->at_end || (buffer = take_buffer (pipeline)) == NULL)
    return NULL;
  block = g_new0 (Block, 1);
  block->buffer = buffer;
  g_byte_array_append (buffer, pipeline->carry->data, pipeline->carry->len);
  g_byte_array_set_size (pipeline->carry, 0);
  /* a block more after the line carried over */
  g_byte_array_set_size (buffer, buffer->len + READ_BLOCK);
  n = g_input_stream_read (pipeline->stream, buffer->data + buffer->len - READ_BLOCK, READ_BLOCK,
                           pipeline->cancellable, &block->error);
  g_byte_array_set_size (buffer, buffer->len - READ_BLOCK + MAX (n, 0));
  if (n < 0)
    {
      pipeline->at_end = TRUE;
      give_block (pipeline, block);
      return NULL;
    }
  pipeline->total += n;
  pipeline->at_end = block->at_end = n == 0;
  block->empty = block->at_end && pipeline->total == 0;

  last = buffer->len > 0 ? memrchr (buffer->data, '\n', buffer->len) : NULL;
  block->complete = last != NULL ? (gsize) (last + 1 - (const char *) buffer->data) : 0;
  if (!block->at_end)
    {
      /* the incomplete last line goes with the next block */
      g_byte_array_append (pipeline->carry, buffer->data + block->complete, buffer->len - block->complete);
      g_byte_array_set_size (buffer, block->complete);
    }
  block->first_length = block->complete;
  if (block->complete >= SPLIT_MIN &&
      (middle = memchr (buffer->data + block->complete / 100 * pipeline->share, '\n',
                        block->complete - block->complete / 100 * pipeline->share)) != NULL)
    block->first_length = middle + 1 - (const char *) buffer->data;
  block->lines = g_array_sized_new (FALSE, FALSE, sizeof (Prepared),
                                    (block->complete - block->first_length) / 256 + 16);
  g_array_set_clear_func (block->lines, prepared_clear);

  give_block (pipeline, block);
  return block;
}

static void
prepare_block (Pipeline *pipeline,
               Block    *block)
{
  prepare_lines (pipeline, block);
  /* the reader's thread may free the block as soon as it is prepared */
  g_mutex_lock (&pipeline->lock);
  block->prepared = TRUE;
  g_cond_broadcast (&pipeline->cond);
  g_mutex_unlock (&pipeline->lock);
}

/* Without a helper thread: the reader's thread reads and prepares one
 * block before it reads the block itself */
static void
read_and_prepare_block (Pipeline *pipeline)
{
  Block *block = read_next_block (pipeline);

  if (block != NULL)
    prepare_block (pipeline, block);
}

/* A block ahead: the next block is read and given to the reader's
 * thread before this one is prepared, so that the reader has the next
 * block's own part to do as soon as it is done with this one */
static gpointer
helper_thread (gpointer data)
{
  Pipeline *pipeline = data;
  Block *previous = NULL;

  do
    {
      Block *block = read_next_block (pipeline);

      if (previous != NULL)
        prepare_block (pipeline, previous);
      previous = block;
    }
  while (previous != NULL);
  return NULL;
}

/* Reads one block on the reader's thread: its part, then the events of
 * the part the helper prepared, then (at the end) an incomplete last line */
static gboolean
read_block (Reader    *reader,
            Pipeline  *pipeline,
            Block     *block,
            GError   **error)
{
  const char *data = (const char *) block->buffer->data;
  gsize consumed;

  hl_json_scan_arena_forget (reader->arena);
  if (!read_lines (reader, data, block->first_length, FALSE, &consumed, error))
    return FALSE;

  g_mutex_lock (&pipeline->lock);
  if (!block->prepared)
    {
      gint64 start = g_get_monotonic_time ();

      while (!block->prepared)
        g_cond_wait (&pipeline->cond, &pipeline->lock);
      pipeline->reader_waited += g_get_monotonic_time () - start;
    }
  g_mutex_unlock (&pipeline->lock);
  for (guint i = 0; i < block->lines->len; i++)
    {
      Prepared *prepared = &g_array_index (block->lines, Prepared, i);

      if (prepared->prepared)
        {
          reader->line_number++;
          g_ptr_array_add (reader->events, hl_json_scan_finish (&prepared->scanned));
          prepared->prepared = FALSE;
        }
      else
        read_line (reader, prepared->line, prepared->length, TRUE, FALSE, NULL);
    }

  if (block->at_end && block->complete < block->buffer->len)
    return read_lines (reader, data + block->complete, block->buffer->len - block->complete, TRUE,
                       &consumed, error);
  return TRUE;
}

/* Stops the helper, which may be preparing a block */
static void
stop_helper (Pipeline  *pipeline,
             GThread  **helper)
{
  g_atomic_int_set (&pipeline->stop, TRUE);
  g_mutex_lock (&pipeline->lock);
  g_cond_broadcast (&pipeline->cond);
  g_mutex_unlock (&pipeline->lock);
  if (*helper != NULL)
    g_thread_join (g_steal_pointer (helper));
}

static gboolean
read_stream (Reader        *reader,
             GInputStream  *stream,
             GCancellable  *cancellable,
             GError       **read_error,
             GError       **error)
{
  Pipeline pipeline = { stream, cancellable };
  GThread *helper;
  gboolean ok = TRUE, at_end = FALSE;

  g_mutex_init (&pipeline.lock);
  g_cond_init (&pipeline.cond);
  g_queue_init (&pipeline.blocks);
  pipeline.spare = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  pipeline.scratch = g_string_sized_new (64);
  pipeline.arena = hl_json_scan_arena_new ();
  pipeline.carry = g_byte_array_new ();
  pipeline.waits = TRUE;
  pipeline.share = READER_SHARE;
  helper = g_thread_try_new ("hl-log-reader", helper_thread, &pipeline, NULL);
  /* without a thread, each block is read when the last one is done */
  if (helper == NULL)
    pipeline.waits = FALSE;

  while (ok && !at_end)
    {
      Block *block;

      if (helper == NULL)
        read_and_prepare_block (&pipeline);
      g_mutex_lock (&pipeline.lock);
      while ((block = g_queue_pop_head (&pipeline.blocks)) == NULL)
        g_cond_wait (&pipeline.cond, &pipeline.lock);
      g_mutex_unlock (&pipeline.lock);

      at_end = block->at_end;
      if (block->error != NULL)
        {
          g_propagate_error (read_error, g_steal_pointer (&block->error));
          ok = FALSE;
        }
      else if (block->empty)
        ok = empty_file (error);
      else
        ok = read_block (reader, &pipeline, block, error);
      if (!ok)
        stop_helper (&pipeline, &helper);

      g_mutex_lock (&pipeline.lock);
      g_ptr_array_add (pipeline.spare, g_steal_pointer (&block->buffer));
      pipeline.ahead--;
      g_cond_broadcast (&pipeline.cond);
      g_mutex_unlock (&pipeline.lock);
      block_free (block);
    }

  if (helper != NULL)
    g_thread_join (helper);
  g_queue_clear_full (&pipeline.blocks, (GDestroyNotify) block_free);
  g_ptr_array_unref (pipeline.spare);
  g_string_free (pipeline.scratch, TRUE);
  hl_json_scan_arena_free (pipeline.arena);
  g_byte_array_unref (pipeline.carry);
  g_mutex_clear (&pipeline.lock);
  g_cond_clear (&pipeline.cond);
  return ok;
}

/* Why a file could not be opened, in words that do not name it again,
 * as GIO's own messages do ("Error opening file NAME: ...") */
static const char *
open_failure (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    switch (error->code)
      {
      case G_IO_ERROR_NOT_FOUND:
        return "there is no such file";
      case G_IO_ERROR_IS_DIRECTORY:
        return "it is a folder";
      case G_IO_ERROR_PERMISSION_DENIED:
        return "permission denied";
      default:
        break;
      }
  return error->message;
}

/**
 * hl_log_keep_freed_memory:
 *
 * Has the process keep up to 64 MiB of freed memory for its next
 * allocations, and take blocks of up to 4 MiB from it, where glibc gives
 * memory back to the system as soon as more than 128 KiB is free at the
 * end of its heap (and maps and unmaps blocks of a MiB on their own).
 * A log loaded after another then reuses the pages the first one left
 * instead of having the system fault fresh ones in: a tenth of a long
 * log's load, on two threads. For main(), before any thread starts; it
 * does nothing without glibc.
 */
void
hl_log_keep_freed_memory (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 4 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
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
    g_set_error (error, read_error->domain, read_error->code, "Could not read %s: %s", name,
                 stream == NULL ? open_failure (read_error) : read_error->message);
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

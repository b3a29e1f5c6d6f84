/* hl-log.h: session logs (JSON Lines)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-event.h"

G_BEGIN_DECLS

#define HL_LOG_FORMAT_NAME "handshake-lens-log"
#define HL_LOG_FORMAT_VERSION 1

#define HL_LOG_ERROR (hl_log_error_quark ())

typedef enum
{
  HL_LOG_ERROR_NOT_A_LOG,
  HL_LOG_ERROR_NEWER_VERSION,
  HL_LOG_ERROR_CORRUPT,
} HlLogError;

#define HL_TYPE_LOG (hl_log_get_type ())
G_DECLARE_FINAL_TYPE (HlLog, hl_log, HL, LOG, GObject)

GQuark       hl_log_error_quark        (void);

/* Loads every complete, valid event line; a bad line is recorded as a
 * problem (with its line number) and loading stops there. Fails only
 * when the file cannot be read or is not a log at all. */
HlLog       *hl_log_load               (GFile         *file,
                                        GCancellable  *cancellable,
                                        GError       **error);
HlLog       *hl_log_load_from_data     (const char    *data,
                                        gsize          length,
                                        GError       **error);
void         hl_log_load_async         (GFile         *file,
                                        GCancellable  *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer       user_data);
HlLog       *hl_log_load_finish        (GAsyncResult  *result,
                                        GError       **error);

/* For a program's main(): logs loaded one after another reuse the memory
 * the one before freed */
void         hl_log_keep_freed_memory  (void);

HlLog       *hl_log_new                (const char    *mode,
                                        const char    *target);

const char  *hl_log_get_mode           (HlLog         *self);
const char  *hl_log_get_target         (HlLog         *self);
const char  *hl_log_get_created        (HlLog         *self);
gboolean     hl_log_get_contains_secrets (HlLog       *self);
GListModel  *hl_log_get_events         (HlLog         *self);
/* Lines that could not be loaded, "line N: why", or NULL */
const char  *hl_log_get_problem        (HlLog         *self);
guint        hl_log_get_problem_line   (HlLog         *self);
guint        hl_log_get_n_problems     (HlLog         *self);

/* Writes a whole log atomically (temporary file, then rename) */
gboolean     hl_log_save               (GListModel    *events,
                                        const char    *mode,
                                        const char    *target,
                                        GFile         *file,
                                        GError       **error);

#define HL_TYPE_LOG_WRITER (hl_log_writer_get_type ())
G_DECLARE_FINAL_TYPE (HlLogWriter, hl_log_writer, HL, LOG_WRITER, GObject)

/* Writes line by line as events arrive (a crash loses at most one line) */
HlLogWriter *hl_log_writer_new         (GOutputStream *stream,
                                        const char    *mode,
                                        const char    *target,
                                        gboolean       contains_secrets,
                                        GError       **error);
HlLogWriter *hl_log_writer_new_for_path (const char   *path,
                                        const char    *mode,
                                        const char    *target,
                                        gboolean       contains_secrets,
                                        GError       **error);
gboolean     hl_log_writer_write       (HlLogWriter   *self,
                                        HlEvent       *event,
                                        GError       **error);
gboolean     hl_log_writer_write_events (HlLogWriter    *self,
                                         HlEvent * const *events,
                                         guint           n_events,
                                         GError        **error);
gboolean     hl_log_writer_close       (HlLogWriter   *self,
                                        GError       **error);
char        *hl_log_format_header      (const char    *mode,
                                        const char    *target,
                                        gboolean       contains_secrets);

G_END_DECLS

/* hl-json-scan.h: a fast, strict reader for the event lines of a log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-event.h"

G_BEGIN_DECLS

/* What one thread keeps as it reads a log: memory for the bytes of its
 * events, in a few large blocks rather than a malloc() each (the bytes
 * keep their blocks, so the arena may go before the events), and the
 * field trees it checked last, so that the same tree in a later line is
 * compared rather than checked again. Those trees are where the lines
 * were: hl_json_scan_arena_forget() before that text changes or goes. */
typedef struct _HlJsonScanArena HlJsonScanArena;

HlJsonScanArena *hl_json_scan_arena_new    (void);
void             hl_json_scan_arena_forget (HlJsonScanArena *arena);
void             hl_json_scan_arena_free   (HlJsonScanArena *arena);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlJsonScanArena, hl_json_scan_arena_free)

/* Builds the event of one log line without building a JSON tree, skipping
 * the decoded "fields" subtree (it is derived again from "raw").
 *
 * The fast path accepts only valid UTF-8 without NUL bytes and a strict
 * subset of JSON; it returns %NULL, never an error, for anything else
 * (malformed lines, state details holding more than strings, integers,
 * booleans and nulls, lone surrogates, numbers that are not exact 64-bit
 * integers, duplicate members the event uses, …): the caller then
 * reads the line with json-glib, which gives the event or names the error.
 * Any line it accepts, json-glib reads as the same event.
 *
 * @scratch, when not %NULL, is a buffer to reuse for the strings it
 * unescapes: a log's reader keeps one rather than make one per line;
 * @arena, when not %NULL, is where the event's bytes go. */
HlEvent *hl_json_scan_event (const char      *line,
                             gsize            length,
                             GString         *scratch,
                             HlJsonScanArena *arena);
/* The same for the line at @data, among the @available bytes of a block:
 * the scan finds the line's newline, no token holding one, and gives
 * *line_length where it read an event (else 0) */
HlEvent *hl_json_scan_event_line (const char      *data,
                                  gsize            available,
                                  gsize           *line_length,
                                  GString         *scratch,
                                  HlJsonScanArena *arena);

/* Handshake messages and records, most of a log, can be read in two
 * steps: hl_json_scan_prepare() does the work that allocates no object
 * (the checks, the numbers, the hex), on any thread; hl_json_scan_finish()
 * makes the event, on the thread that keeps the events. GLib's slice
 * allocator, which makes every object, serialises threads that allocate at
 * once. */
typedef struct
{
  guint64   seq;
  gint64    t_ns;
  guint     session;
  guint8    kind;
  guint8    side;
  guint8    dir;
  gboolean  encrypted;
  guint     type;
  guint     version;
  guint     cipher_suite;
  guint8   *raw;       /* owned until finished */
  gsize     raw_size;
  gpointer  raw_block; /* the arena's block holding @raw, or NULL */
} HlJsonScanned;

gboolean  hl_json_scan_prepare (const char      *line,
                                gsize            length,
                                GString         *scratch,
                                HlJsonScanArena *arena,
                                HlJsonScanned   *scanned);
gboolean  hl_json_scan_prepare_line (const char      *data,
                                     gsize            available,
                                     gsize           *line_length,
                                     GString         *scratch,
                                     HlJsonScanArena *arena,
                                     HlJsonScanned   *scanned);
HlEvent  *hl_json_scan_finish  (HlJsonScanned *scanned);
void      hl_json_scan_clear   (HlJsonScanned *scanned);

/* The details of a state event, an object hl_json_scan_event() checked
 * (hl_event_new_state_lazy()): %NULL for anything else */
JsonObject *hl_json_scan_details (const char *text,
                                  gsize       length);

G_END_DECLS

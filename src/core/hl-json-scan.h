/* hl-json-scan.h: a fast, strict reader for the event lines of a log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-event.h"

G_BEGIN_DECLS

/* Builds the event of one log line without building a JSON tree, skipping
 * the decoded "fields" subtree (it is derived again from "raw").
 *
 * The fast path accepts only valid UTF-8 without NUL bytes and a strict
 * subset of JSON; it returns %NULL, never an error, for anything else
 * (malformed lines, state details holding more than strings, integers,
 * booleans and nulls, lone surrogates, numbers that are not exact 64-bit
 * integers, duplicate members the event uses, …): the caller then
 * reads the line with json-glib, which gives the event or names the error.
 * Any line it accepts, json-glib reads as the same event. */
HlEvent *hl_json_scan_event (const char *line,
                             gsize       length);

G_END_DECLS

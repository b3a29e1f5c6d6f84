/* hl-capture-private.h: what the workers of a capture call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <poll.h>

#include "hl-capture.h"

G_BEGIN_DECLS

/* Thread-safe: stamps @event with the next sequence number and the time,
 * and queues it for the consumer's main context (see hl_capture_wake()). */
void      hl_capture_push        (HlCapture    *self,
                                  HlEvent      *event);
/* Thread-safe: lets the consumer's main context take what was pushed;
 * a worker calls it before it waits, and when it ends. On the consumer's
 * own thread (hl_capture_run()) it delivers at once; on the demo
 * server's thread there it does nothing, the client delivering next. */
void      hl_capture_wake        (HlCapture    *self);
/* In step mode, blocks the calling worker until the user steps or the
 * capture is cancelled; returns FALSE when cancelled. */
gboolean  hl_capture_wait_step   (HlCapture    *self,
                                  GCancellable *cancellable);

/* Waits as poll() does. On the consumer's own thread (the client of a
 * capture run by hl_capture_run()) it dispatches the consumer's main
 * context meanwhile, and returns only when one of @fds is ready or
 * @timeout_ms (-1: none) has passed. */
int       hl_capture_poll        (HlCapture     *self,
                                  struct pollfd *fds,
                                  guint          n_fds,
                                  int            timeout_ms);

/* What the calling worker makes ahead of the events it pushed, when it
 * is about to wait (see hl_capture_set_render_ahead()) */
typedef enum
{
  HL_RENDER_NOTHING,       /* the consumer makes everything */
  HL_RENDER_SENT_FIELDS,   /* lines, and the field trees of the messages
                            * sent: the peer's copies are the same bytes */
  HL_RENDER_ALL_FIELDS,    /* lines and field trees: no peer here */
} HlRender;

HlRender  hl_capture_get_render  (HlCapture    *self);

/* Delivers what was pushed at once, on the calling thread, which must be
 * the consumer's: for endpoints driven without a run (tests) */
void      hl_capture_flush_now   (HlCapture    *self);

G_END_DECLS

/* hl-capture.h: run TLS sessions and observe everything they do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-event.h"
#include "hl-registry.h"   /* HlKeyExchange: demos use ECDHE or RSA */

G_BEGIN_DECLS

#define HL_CAPTURE_ERROR (hl_capture_error_quark ())

typedef enum
{
  HL_CAPTURE_ERROR_FAILED,
  HL_CAPTURE_ERROR_HANDSHAKE,       /* TLS failed: an alert was sent or received */
  HL_CAPTURE_ERROR_VERIFICATION,    /* the peer's certificate was refused */
  HL_CAPTURE_ERROR_RESOLVE,         /* the host name does not resolve */
  HL_CAPTURE_ERROR_CONNECT,         /* the connection was refused or failed */
  HL_CAPTURE_ERROR_TIMEOUT,
  HL_CAPTURE_ERROR_CANCELLED,
  HL_CAPTURE_ERROR_INVALID_ARGUMENT,
  HL_CAPTURE_ERROR_CLOSED,          /* the peer closed the connection early */
} HlCaptureError;

typedef enum
{
  HL_CAPTURE_MODE_DEMO,
  HL_CAPTURE_MODE_CONNECT,
} HlCaptureMode;

typedef enum
{
  HL_TLS_VERSION_1_3,
  HL_TLS_VERSION_1_2,
  HL_TLS_VERSION_ANY,
} HlTlsVersion;

typedef enum
{
  HL_SCENARIO_NONE,
  HL_SCENARIO_NO_CLIENT_CERT,
  HL_SCENARIO_UNTRUSTED_SERVER,
  HL_SCENARIO_EXPIRED_SERVER,
  HL_SCENARIO_WRONG_HOST,
  HL_SCENARIO_HELLO_RETRY,
  HL_SCENARIO_RESUMPTION,
} HlScenario;

/* What to run. Strings are copied by hl_capture_new(). */
typedef struct
{
  HlCaptureMode  mode;
  HlTlsVersion   version;
  guint          timeout_ms;   /* 0: no timeout */

  /* demo */
  gboolean       mutual;
  HlKeyExchange  key_exchange;
  HlScenario     scenario;
  const char    *pki_dir;      /* NULL: the user cache directory */

  /* connect */
  const char    *host;
  guint16        port;
  const char    *sni;          /* NULL: the host unless it is an address; "" for none */
  const char    *alpn;         /* comma-separated protocols, or NULL */
  const char    *ca_file;      /* NULL: the system trust store */
  const char    *cert_file;
  const char    *key_file;
  const char    *priority;     /* a GnuTLS priority string, or NULL */
  gboolean       insecure;
} HlCaptureConfig;

#define HL_TYPE_CAPTURE (hl_capture_get_type ())
G_DECLARE_FINAL_TYPE (HlCapture, hl_capture, HL, CAPTURE, GObject)

GQuark           hl_capture_error_quark       (void);

void             hl_capture_config_init       (HlCaptureConfig  *config);
gboolean         hl_capture_config_validate   (const HlCaptureConfig *config,
                                               GError          **error);
gboolean         hl_parse_host_port           (const char       *text,
                                               char            **host,
                                               guint16          *port,
                                               GError          **error);
const char      *hl_scenario_to_string        (HlScenario        scenario);
gboolean         hl_scenario_from_string      (const char       *name,
                                               HlScenario       *scenario);

HlCapture       *hl_capture_new               (const HlCaptureConfig *config);
const HlCaptureConfig *hl_capture_get_config  (HlCapture        *self);
char            *hl_capture_dup_target        (HlCapture        *self);
const char      *hl_capture_get_mode_name     (HlCapture        *self);

/* Every event so far, in order (a GListModel of HlEvent, grown in batches
 * on the main context that started the capture) */
GListModel      *hl_capture_get_events        (HlCapture        *self);
gboolean         hl_capture_get_running       (HlCapture        *self);

void             hl_capture_run_async         (HlCapture        *self,
                                               GCancellable     *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer          user_data);
gboolean         hl_capture_run_finish        (HlCapture        *self,
                                               GAsyncResult     *result,
                                               GError          **error);
/* Runs the capture to its end, its client on the calling thread, which
 * delivers the events (signals are emitted while it runs) and dispatches
 * its thread-default main context while the client waits. */
gboolean         hl_capture_run               (HlCapture        *self,
                                               GCancellable     *cancellable,
                                               GError          **error);
void             hl_capture_cancel            (HlCapture        *self);

/* For a consumer that writes every event out (a log, JSON lines): each
 * worker makes the lines of the events it saw (hl_event_render_json_line())
 * while it waits for its peer, so that the consumer takes them as they
 * are. A worker on the consumer's own thread leaves that to the consumer,
 * which would do the same work at the same moment. Set before a run. */
void             hl_capture_set_render_ahead  (HlCapture        *self,
                                               gboolean          render_ahead);

/* For a consumer that draws what comes: a batch of events handed to the
 * consumer's context (hl_capture_run_async()) waits until none came for
 * @quiet_us, or until its first is @max_us old, so that a burst (a demo's
 * whole handshake) reaches it at once rather than in pieces, the first
 * of which would take the frame that the rest then wait a refresh
 * behind. @max_us 0: no bound but @quiet_us. @quiet_us 0 (the default):
 * each batch at once. Set before a run. */
void             hl_capture_set_coalescing    (HlCapture        *self,
                                               guint             quiet_us,
                                               guint             max_us);

/* Step mode: before each handshake message is sent, the sending worker
 * waits until hl_capture_step() is called. */
void             hl_capture_set_step_mode     (HlCapture        *self,
                                               gboolean          step_mode);
gboolean         hl_capture_get_step_mode     (HlCapture        *self);
gboolean         hl_capture_get_waiting       (HlCapture        *self);
gboolean         hl_capture_step              (HlCapture        *self);

G_END_DECLS

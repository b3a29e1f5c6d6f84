/* hl-capture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "hl-capture-private.h"
#include "hl-event-list.h"
#include "hl-demo-pki.h"
#include "hl-endpoint.h"
#include "hl-event-private.h"

#define DEFAULT_TIMEOUT_MS 30000
#define DRAIN_MS 300
#define LINGER_MS 1000

static const char demo_request[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
static const char demo_response[] =
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 27\r\n\r\n"
  "Hello from Handshake Lens!\n";

/* Workers hand events over in batches: they append to @pending under
 * @lock and, when the consumer has not been asked yet, raise @flush_wanted
 * and wake the consumer's context, where @flush_source moves the whole
 * batch into @events.
 *
 * hl_capture_run() runs the client on the caller's thread instead, the
 * consumer's (@consumer_thread): it delivers what was pushed itself
 * whenever it is about to wait, and dispatches the caller's context
 * while it waits (hl_capture_poll()). */
struct _HlCapture
{
  GObject          parent_instance;

  HlCaptureConfig  config;
  char            *owned_strings[8];  /* the config's strings; NULL ones too */

  HlEventList     *events;
  GMainContext    *context;
  GCancellable    *cancellable;
  gulong           cancel_handler;
  GSource         *timeout_source;
  gint64           start_ns;

  GMutex           lock;
  GCond            step_cond;
  GPtrArray       *pending;
  GSource         *flush_source;  /* on @context while running */
  GThread         *consumer_thread;  /* hl_capture_run(): the caller's */
  GArray          *poll_fds;      /* of GPollFD, for hl_capture_poll() */
  gint             flush_wanted;   /* atomic: @pending waits for the consumer */
  /* hl_capture_set_coalescing(): a batch waits until no event came for
   * @quiet_ns, or its first is @max_ns old (0: at once); times of the
   * pending batch's first and last event, under @lock */
  gint64           quiet_ns;
  gint64           max_ns;
  gint64           first_pending_ns;
  gint64           last_pending_ns;
  guint64          next_seq;
  guint            step_credits;
  guint            n_waiting;
  guint            running : 1;
  guint            step_mode : 1;
  guint            render_ahead : 1;
  guint            waiting_notified : 1;
  guint            timed_out : 1;
};

G_DEFINE_FINAL_TYPE (HlCapture, hl_capture, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_STEP_MODE,
  PROP_WAITING,
  N_PROPS
};

enum {
  EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_QUARK (hl-capture-error-quark, hl_capture_error)

static const char *scenario_names[] = {
  "none", "no-client-cert", "untrusted-server", "expired-server",
  "wrong-host", "hello-retry", "resumption",
};

const char *
hl_scenario_to_string (HlScenario scenario)
{
  g_return_val_if_fail (scenario <= HL_SCENARIO_RESUMPTION, NULL);
  return scenario_names[scenario];
}

gboolean
hl_scenario_from_string (const char *name,
                         HlScenario *scenario)
{
  for (guint i = 0; i < G_N_ELEMENTS (scenario_names); i++)
    if (g_strcmp0 (name, scenario_names[i]) == 0)
      {
        *scenario = i;
        return TRUE;
      }
  return FALSE;
}

void
hl_capture_config_init (HlCaptureConfig *config)
{
  g_return_if_fail (config != NULL);

  memset (config, 0, sizeof *config);
  config->version = HL_TLS_VERSION_1_3;
  config->key_exchange = HL_KEY_EXCHANGE_ECDHE;
  config->timeout_ms = DEFAULT_TIMEOUT_MS;
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_INVALID_ARGUMENT, message);
  return FALSE;
}

/**
 * hl_capture_config_validate:
 *
 * Returns: %TRUE when @config describes a capture that can run
 */
gboolean
hl_capture_config_validate (const HlCaptureConfig  *config,
                            GError                **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  if (config->mode == HL_CAPTURE_MODE_DEMO)
    {
      if (config->key_exchange == HL_KEY_EXCHANGE_RSA && config->version != HL_TLS_VERSION_1_2)
        return invalid (error, "RSA key transport exists only in TLS 1.2: use --tls1.2 with --kx rsa");
      if (config->scenario == HL_SCENARIO_HELLO_RETRY && config->version != HL_TLS_VERSION_1_3)
        return invalid (error, "A HelloRetryRequest exists only in TLS 1.3");
      return TRUE;
    }
  if (config->host == NULL || config->host[0] == '\0')
    return invalid (error, "No host to connect to");
  if (config->port == 0)
    return invalid (error, "No port to connect to");
  if ((config->cert_file == NULL) != (config->key_file == NULL))
    return invalid (error, "A client certificate needs both --cert and --key");
  return TRUE;
}

/**
 * hl_parse_host_port:
 * @text: "host:port", "[v6]:port"
 *
 * Returns: %TRUE when @text names a host and a port
 */
gboolean
hl_parse_host_port (const char  *text,
                    char       **host,
                    guint16     *port,
                    GError     **error)
{
  const char *colon;
  g_autofree char *name = NULL;
  guint64 number;

  g_return_val_if_fail (text != NULL, FALSE);

  colon = strrchr (text, ':');
  if (colon == NULL || colon == text)
    {
      g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_INVALID_ARGUMENT,
                   "“%s” is not HOST:PORT", text);
      return FALSE;
    }
  if (text[0] == '[' && colon > text && colon[-1] == ']')
    name = g_strndup (text + 1, colon - text - 2);
  else
    name = g_strndup (text, colon - text);
  if (name[0] == '\0' || (strchr (name, ':') != NULL && text[0] != '[') ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &number, NULL))
    {
      g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_INVALID_ARGUMENT,
                   "“%s” is not HOST:PORT (a port is a number from 1 to 65535)", text);
      return FALSE;
    }
  *host = g_steal_pointer (&name);
  *port = number;
  return TRUE;
}

/* Hand-off */

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static void
flush (HlCapture *self)
{
  g_autoptr(GPtrArray) batch = NULL;
  gboolean waiting, notify_waiting;

  g_mutex_lock (&self->lock);
  g_atomic_int_set (&self->flush_wanted, FALSE);
  batch = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  /* Both ends may wait at once (a server's tickets and the client's
   * Finished): "waiting" holds while any worker waits */
  waiting = self->n_waiting > 0;
  notify_waiting = waiting != self->waiting_notified;
  self->waiting_notified = waiting;
  g_mutex_unlock (&self->lock);

  if (batch->len > 0)
    {
      hl_event_list_append (self->events, (HlEvent * const *) batch->pdata, batch->len);
      for (guint i = 0; i < batch->len; i++)
        g_signal_emit (self, signals[EVENT], 0, g_ptr_array_index (batch, i));
    }
  if (notify_waiting)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
}

void
hl_capture_flush_now (HlCapture *self)
{
  g_return_if_fail (HL_IS_CAPTURE (self));

  flush (self);
}

/* One source for the whole run, ready whenever the workers want the
 * consumer: waking it is then a flag and a write to its wake-up fd, with
 * no source to create and attach (and no context lock to take) each time */
typedef struct
{
  GSource    source;
  HlCapture *capture;
} FlushSource;

/* Whether the batch the workers want delivered may go now; if not, how
 * many milliseconds to wait at most (hl_capture_set_coalescing()) */
static gboolean
flush_ready (HlCapture *self,
             int       *timeout)
{
  gint64 until;

  *timeout = -1;
  if (!g_atomic_int_get (&self->flush_wanted))
    return FALSE;
  if (self->quiet_ns == 0)
    return TRUE;

  g_mutex_lock (&self->lock);
  until = self->pending->len == 0 ? 0
          : MIN (self->last_pending_ns + self->quiet_ns, self->first_pending_ns + self->max_ns);
  g_mutex_unlock (&self->lock);
  until -= now_ns ();
  if (until <= 0)
    return TRUE;
  *timeout = (int) ((until + 999999) / 1000000);
  return FALSE;
}

static gboolean
flush_source_prepare (GSource *source,
                      int     *timeout)
{
  return flush_ready (((FlushSource *) source)->capture, timeout);
}

static gboolean
flush_source_check (GSource *source)
{
  int timeout;

  return flush_ready (((FlushSource *) source)->capture, &timeout);
}

static gboolean
flush_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  flush (((FlushSource *) source)->capture);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs flush_source_funcs = {
  .prepare = flush_source_prepare,
  .check = flush_source_check,
  .dispatch = flush_source_dispatch,
};

/* The source does not hold the capture: the run (its task) does, and the
 * source goes when the run ends */
static void
start_flush_source (HlCapture *self)
{
  FlushSource *source = (FlushSource *) g_source_new (&flush_source_funcs, sizeof (FlushSource));

  source->capture = self;
  g_source_set_priority (&source->source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (&source->source, "[hl] capture events");
  g_source_attach (&source->source, self->context);
  g_mutex_lock (&self->lock);
  self->flush_source = &source->source;
  g_mutex_unlock (&self->lock);
}

static void
stop_flush_source (HlCapture *self)
{
  GSource *source;

  g_mutex_lock (&self->lock);
  source = g_steal_pointer (&self->flush_source);
  g_mutex_unlock (&self->lock);
  if (source != NULL)
    {
      g_source_destroy (source);
      g_source_unref (source);
    }
}

/* Called with the lock held; the caller wakes the consumer (outside the
 * lock) when this returns TRUE. At once: while the consumer works, what
 * comes meanwhile waits for its next round, so that busy flights are
 * batched anyway; a timeout here only delayed what the view shows, and
 * kept the log writer idle until a short handshake was over. */
static gboolean
want_flush_locked (HlCapture *self)
{
  if (self->flush_source == NULL || g_atomic_int_get (&self->flush_wanted))
    return FALSE;
  g_atomic_int_set (&self->flush_wanted, TRUE);
  return TRUE;
}

void
hl_capture_push (HlCapture *self,
                 HlEvent   *event)
{
  gint64 now;

  /* stamped under the lock: sequence numbers and times in one order */
  g_mutex_lock (&self->lock);
  now = now_ns ();
  hl_event_set_stamp (event, self->next_seq++, now - self->start_ns);
  if (self->pending->len == 0)
    self->first_pending_ns = now;
  self->last_pending_ns = now;
  g_ptr_array_add (self->pending, event);
  g_mutex_unlock (&self->lock);
}

/* Workers wake the consumer when they are about to wait (for the peer, for
 * the socket, for the presenter) rather than for each event: a worker is
 * then giving up its CPU, which the consumer takes, where waking it in the
 * middle of a flight had it compete with both ends of the handshake for
 * the two CPUs of a small machine (a tenth of an exchange's time). Events
 * are stamped and ordered when seen all the same. */
void
hl_capture_wake (HlCapture *self)
{
  gboolean wake;

  /* On the consumer's thread, deliver at once. The demo server, on its
   * own thread, then need not wake the consumer at all: its events go
   * out before the bytes that wake the client, which delivers them
   * before its next wait (or when the run ends), and waking the client
   * for them on top of those bytes cost a context switch each time. */
  if (self->consumer_thread != NULL)
    {
      if (g_thread_self () == self->consumer_thread)
        flush (self);
      return;
    }
  g_mutex_lock (&self->lock);
  wake = self->pending->len > 0 && want_flush_locked (self);
  g_mutex_unlock (&self->lock);
  if (wake)
    g_main_context_wakeup (self->context);
}

static gboolean
may_step_locked (HlCapture    *self,
                 GCancellable *cancellable)
{
  return !self->step_mode || self->step_credits > 0 || g_cancellable_is_cancelled (cancellable);
}

gboolean
hl_capture_wait_step (HlCapture    *self,
                      GCancellable *cancellable)
{
  gboolean go_on, wake = FALSE;

  g_mutex_lock (&self->lock);
  if (self->step_mode)
    {
      self->n_waiting++;
      if (self->consumer_thread != NULL && g_thread_self () == self->consumer_thread)
        {
          /* The presenter steps from the context this thread runs: run it */
          g_mutex_unlock (&self->lock);
          flush (self);
          g_mutex_lock (&self->lock);
          while (!may_step_locked (self, cancellable))
            {
              g_mutex_unlock (&self->lock);
              g_main_context_iteration (self->context, TRUE);
              g_mutex_lock (&self->lock);
            }
        }
      else
        {
          if (want_flush_locked (self))
            g_main_context_wakeup (self->context);
          while (!may_step_locked (self, cancellable))
            g_cond_wait (&self->step_cond, &self->lock);
        }
      if (self->step_credits > 0)
        self->step_credits--;
      self->n_waiting--;
      wake = want_flush_locked (self);
    }
  go_on = !g_cancellable_is_cancelled (cancellable);
  g_mutex_unlock (&self->lock);
  if (wake)
    g_main_context_wakeup (self->context);
  return go_on;
}

/* Wakes a client that runs the consumer's context while it waits for a
 * step (called with the lock held) */
static void
wake_consumer_thread_locked (HlCapture *self)
{
  if (self->consumer_thread != NULL)
    g_main_context_wakeup (self->context);
}

static void
cancelled_cb (GCancellable *cancellable,
              HlCapture    *self)
{
  g_mutex_lock (&self->lock);
  g_cond_broadcast (&self->step_cond);
  wake_consumer_thread_locked (self);
  g_mutex_unlock (&self->lock);
}

int
hl_capture_poll (HlCapture     *self,
                 struct pollfd *fds,
                 guint          n_fds,
                 int            timeout_ms)
{
  gint64 end_us;

  if (self->consumer_thread == NULL || g_thread_self () != self->consumer_thread)
    return poll (fds, n_fds, timeout_ms);

  end_us = timeout_ms < 0 ? -1 : g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  for (;;)
    {
      GPollFD *all;
      gint max_priority, context_timeout, n_context, timeout = -1, ret, n_ready = 0;

      g_main_context_prepare (self->context, &max_priority);
      for (;;)
        {
          n_context = g_main_context_query (self->context, max_priority, &context_timeout,
                                            (GPollFD *) self->poll_fds->data,
                                            self->poll_fds->len - n_fds);
          if ((guint) n_context + n_fds <= self->poll_fds->len)
            break;
          g_array_set_size (self->poll_fds, n_context + n_fds);
        }
      all = (GPollFD *) self->poll_fds->data;
      for (guint i = 0; i < n_fds; i++)
        all[n_context + i] = (GPollFD) { .fd = fds[i].fd, .events = fds[i].events };
      if (end_us >= 0)
        timeout = MAX (0, (end_us - g_get_monotonic_time () + 999) / 1000);
      if (context_timeout >= 0 && (timeout < 0 || context_timeout < timeout))
        timeout = context_timeout;

      ret = g_poll (all, n_context + n_fds, timeout);
      if (ret < 0 && errno != EINTR)
        {
          int saved_errno = errno;

          g_main_context_check (self->context, max_priority, all, n_context);
          errno = saved_errno;
          return -1;
        }
      for (guint i = 0; i < n_fds; i++)
        {
          fds[i].revents = ret > 0 ? all[n_context + i].revents : 0;
          n_ready += fds[i].revents != 0;
        }
      if (g_main_context_check (self->context, max_priority, all, n_context))
        g_main_context_dispatch (self->context);
      if (n_ready > 0)
        return n_ready;
      if (end_us >= 0 && g_get_monotonic_time () >= end_us)
        return 0;
    }
}

/* Workers: common */

static void
push_error (HlCapture   *self,
            guint        session_index,
            const char  *code,
            const char  *message)
{
  HlEvent *event = hl_event_new_error (HL_SIDE_CLIENT, code, message);

  hl_event_set_session (event, session_index);
  hl_capture_push (self, event);
}

static void
push_state (HlCapture  *self,
            HlSide      side,
            guint       session_index,
            const char *state,
            JsonObject *details)
{
  HlEvent *event = hl_event_new_state (side, state, details);

  hl_event_set_session (event, session_index);
  hl_capture_push (self, event);
}

/* The timeout counts from the start of the capture, not from the moment
 * a worker gets to its session (after connecting, loading trust stores):
 * else the backstop in hl_capture_run_async() fires first and the log says
 * "cancelled" for a timeout. start_ns and g_get_monotonic_time() both
 * read CLOCK_MONOTONIC. */
static gint64
deadline_us (HlCapture *self)
{
  if (self->config.timeout_ms == 0)
    return 0;
  return self->start_ns / 1000 + (gint64) self->config.timeout_ms * 1000;
}

static const char *
version_priority (HlTlsVersion version)
{
  switch (version)
    {
    case HL_TLS_VERSION_1_3:
      return ":-VERS-ALL:+VERS-TLS1.3";
    case HL_TLS_VERSION_1_2:
      return ":-VERS-ALL:+VERS-TLS1.2";
    case HL_TLS_VERSION_ANY:
    default:
      /* TLS 1.0 and 1.1 are deprecated (RFC 8996): refuse them unless a
       * priority string asks for them */
      return ":-VERS-TLS1.1:-VERS-TLS1.0";
    }
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_certificate_credentials_t, gnutls_certificate_free_credentials, NULL)

static gboolean
gnutls_ok (int          ret,
           const char  *what,
           GError     **error)
{
  if (ret >= 0)
    return TRUE;
  g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_INVALID_ARGUMENT,
               "%s: %s", what, gnutls_strerror (ret));
  return FALSE;
}

/* Demo */

typedef struct
{
  HlCapture                        *capture;
  HlEndpointConfig                  config;
  gnutls_certificate_credentials_t  credentials;
  gboolean                          ok;
  GError                           *error;
  gnutls_datum_t                    session_data;
  gboolean                          want_session_data;
  gint                              done;   /* atomic: the server's thread is about to end */
} DemoSide;

static void
demo_server_run (DemoSide *side)
{
  g_autoptr(HlEndpoint) ep = hl_endpoint_new (side->capture, &side->config, &side->error);
  char buffer[4096];
  gsize received = 0;

  side->config.fd = -1;
  if (ep == NULL)
    return;
  if (!hl_endpoint_handshake (ep, &side->error))
    {
      hl_endpoint_linger (ep, LINGER_MS);
      return;
    }
  /* One request in, one answer out, then a polite close */
  while (received < sizeof demo_request - 1)
    {
      gssize n = hl_endpoint_receive (ep, buffer, sizeof buffer, &side->error);

      if (n <= 0)
        {
          if (n == 0)
            g_set_error (&side->error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_CLOSED,
                         "The client closed the connection before its request");
          hl_endpoint_shutdown (ep);
          return;
        }
      received += n;
    }
  if (!hl_endpoint_send (ep, demo_response, sizeof demo_response - 1, &side->error))
    {
      hl_endpoint_shutdown (ep);
      return;
    }
  hl_endpoint_close (ep);
  while (hl_endpoint_receive (ep, buffer, sizeof buffer, NULL) > 0)
    ;
  side->ok = TRUE;
}

static gpointer
demo_server_main (gpointer data)
{
  DemoSide *side = data;
  HlCapture *capture = side->capture;

  demo_server_run (side);
  g_atomic_int_set (&side->done, TRUE);
  if (capture->consumer_thread != NULL)
    g_main_context_wakeup (capture->context);
  return NULL;
}

static void
demo_client_main (DemoSide *side)
{
  g_autoptr(HlEndpoint) ep = hl_endpoint_new (side->capture, &side->config, &side->error);
  g_autoptr(GError) send_error = NULL;
  char buffer[4096];
  gssize n;

  side->config.fd = -1;
  if (ep == NULL)
    return;
  if (!hl_endpoint_handshake (ep, &side->error))
    {
      hl_endpoint_linger (ep, LINGER_MS);
      return;
    }
  /* A late alert (TLS 1.3 client authentication) only shows up when
   * reading, so read even when the request could not be sent. */
  hl_endpoint_send (ep, demo_request, sizeof demo_request - 1, &send_error);
  do
    n = hl_endpoint_receive (ep, buffer, sizeof buffer, &side->error);
  while (n > 0);
  if (n < 0)
    {
      hl_endpoint_linger (ep, LINGER_MS);
      return;
    }
  if (send_error != NULL)
    {
      side->error = g_steal_pointer (&send_error);
      hl_endpoint_shutdown (ep);
      return;
    }
  if (side->want_session_data)
    hl_endpoint_get_session_data (ep, &side->session_data);
  hl_endpoint_close (ep);
  side->ok = TRUE;
}

static gboolean
load_demo_credentials (HlCapture                        *self,
                       const char                       *dir,
                       gnutls_certificate_credentials_t *server,
                       gnutls_certificate_credentials_t *client,
                       GError                          **error)
{
  HlCaptureConfig *c = &self->config;
  HlDemoKeyType type = c->key_exchange == HL_KEY_EXCHANGE_RSA ? HL_DEMO_KEY_RSA : HL_DEMO_KEY_ECDSA;
  HlDemoCert server_cert = HL_DEMO_CERT_SERVER;
  g_autofree char *ca = hl_demo_pki_path (dir, type, HL_DEMO_CERT_CA, FALSE);
  g_autofree char *server_crt = NULL, *server_key = NULL;
  g_autofree char *client_crt = hl_demo_pki_path (dir, type, HL_DEMO_CERT_CLIENT, FALSE);
  g_autofree char *client_key = hl_demo_pki_path (dir, type, HL_DEMO_CERT_CLIENT, TRUE);

  if (c->scenario == HL_SCENARIO_EXPIRED_SERVER)
    server_cert = HL_DEMO_CERT_SERVER_EXPIRED;
  else if (c->scenario == HL_SCENARIO_WRONG_HOST)
    server_cert = HL_DEMO_CERT_SERVER_OTHER_HOST;
  server_crt = hl_demo_pki_path (dir, type, server_cert, FALSE);
  server_key = hl_demo_pki_path (dir, type, server_cert, TRUE);

  if (!gnutls_ok (gnutls_certificate_allocate_credentials (server), "credentials", error) ||
      !gnutls_ok (gnutls_certificate_allocate_credentials (client), "credentials", error) ||
      !gnutls_ok (gnutls_certificate_set_x509_key_file (*server, server_crt, server_key,
                                                        GNUTLS_X509_FMT_PEM), server_crt, error) ||
      !gnutls_ok (gnutls_certificate_set_x509_trust_file (*server, ca, GNUTLS_X509_FMT_PEM), ca, error))
    return FALSE;
  if (c->scenario != HL_SCENARIO_UNTRUSTED_SERVER &&
      !gnutls_ok (gnutls_certificate_set_x509_trust_file (*client, ca, GNUTLS_X509_FMT_PEM), ca, error))
    return FALSE;
  if ((c->mutual || c->scenario == HL_SCENARIO_NO_CLIENT_CERT) && c->scenario != HL_SCENARIO_NO_CLIENT_CERT &&
      !gnutls_ok (gnutls_certificate_set_x509_key_file (*client, client_crt, client_key,
                                                        GNUTLS_X509_FMT_PEM), client_crt, error))
    return FALSE;
  return TRUE;
}

static void
demo_priorities (HlCapture  *self,
                 char      **client,
                 char      **server)
{
  HlCaptureConfig *c = &self->config;
  const char *versions = version_priority (c->version);

  if (c->key_exchange == HL_KEY_EXCHANGE_RSA)
    {
      *client = g_strdup_printf ("NORMAL%s:-KX-ALL:+RSA", versions);
      *server = g_strdup (*client);
    }
  else if (c->scenario == HL_SCENARIO_HELLO_RETRY)
    {
      /* The client offers a key share only for P-256 while also listing
       * P-384, the one group the server accepts: the server must ask again. */
      *client = g_strdup_printf ("NORMAL%s:-GROUP-ALL:+GROUP-SECP256R1:+GROUP-SECP384R1", versions);
      *server = g_strdup_printf ("NORMAL%s:-GROUP-ALL:+GROUP-SECP384R1", versions);
    }
  else if (c->version == HL_TLS_VERSION_1_2)
    {
      *client = g_strdup_printf ("NORMAL%s:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA", versions);
      *server = g_strdup (*client);
    }
  else
    {
      *client = g_strdup_printf ("NORMAL%s", versions);
      *server = g_strdup (*client);
    }
}

static gboolean
run_demo_session (HlCapture                        *self,
                  guint                             index,
                  gnutls_certificate_credentials_t  server_creds,
                  gnutls_certificate_credentials_t  client_creds,
                  const gnutls_datum_t             *ticket_key,
                  gnutls_datum_t                   *resume,
                  GError                          **error)
{
  HlCaptureConfig *c = &self->config;
  g_autofree char *client_priority = NULL, *server_priority = NULL;
  DemoSide server = { 0 }, client = { 0 };
  g_autoptr(JsonObject) details = json_object_new ();
  GThread *thread;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_FAILED,
                   "Could not create a socket pair: %s", g_strerror (saved_errno));
      return FALSE;
    }
  demo_priorities (self, &client_priority, &server_priority);

  server.capture = client.capture = self;
  server.config = (HlEndpointConfig) {
    .side = HL_SIDE_SERVER, .session_index = index, .fd = fds[0],
    .cancellable = self->cancellable, .deadline_us = deadline_us (self),
    .priority = server_priority, .credentials = server_creds,
    .verify_peer = TRUE,
    .require_peer = c->mutual || c->scenario == HL_SCENARIO_NO_CLIENT_CERT,
    .ticket_key = ticket_key,
  };
  client.config = (HlEndpointConfig) {
    .side = HL_SIDE_CLIENT, .session_index = index, .fd = fds[1],
    .cancellable = self->cancellable, .deadline_us = deadline_us (self),
    .priority = client_priority, .credentials = client_creds,
    .server_name = "localhost", .verify_host = "localhost", .verify_peer = TRUE,
    .resume_data = index > 0 ? resume : NULL,
  };
  client.want_session_data = c->scenario == HL_SCENARIO_RESUMPTION && index == 0;

  json_object_set_string_member (details, "transport", "socketpair");
  json_object_set_string_member (details, "peer", "localhost (in-process demo server)");
  push_state (self, HL_SIDE_CLIENT, index, "connected", details);

  thread = g_thread_new ("hl-demo-server", demo_server_main, &server);
  demo_client_main (&client);
  /* A client on the consumer's thread keeps its context running (a
   * presenter may step the server) until the server is done */
  while (self->consumer_thread != NULL && !g_atomic_int_get (&server.done))
    g_main_context_iteration (self->context, TRUE);
  g_thread_join (thread);

  if (client.want_session_data)
    *resume = client.session_data;
  else if (client.session_data.data != NULL)
    gnutls_free (client.session_data.data);

  if (!client.ok || !server.ok)
    {
      DemoSide *failed = !client.ok && client.error != NULL ? &client : &server;

      if (failed->error == NULL)
        g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_FAILED, "The demo failed");
      else
        g_set_error (error, failed->error->domain, failed->error->code, "%s: %s",
                     failed == &client ? "client" : "server", failed->error->message);
    }
  g_clear_error (&client.error);
  g_clear_error (&server.error);
  push_state (self, HL_SIDE_CLIENT, index, "closed", NULL);
  return client.ok && server.ok;
}

static gboolean
run_demo (HlCapture  *self,
          GError    **error)
{
  g_auto(gnutls_certificate_credentials_t) server_creds = NULL;
  g_auto(gnutls_certificate_credentials_t) client_creds = NULL;
  g_autofree char *dir = self->config.pki_dir ? g_strdup (self->config.pki_dir) : hl_demo_pki_default_dir ();
  gnutls_datum_t ticket_key = { NULL, 0 };
  gnutls_datum_t resume = { NULL, 0 };
  guint n_sessions = self->config.scenario == HL_SCENARIO_RESUMPTION ? 2 : 1;
  gboolean ok = TRUE;

  if (!hl_demo_pki_ensure (dir, error) ||
      !load_demo_credentials (self, dir, &server_creds, &client_creds, error) ||
      !gnutls_ok (gnutls_session_ticket_key_generate (&ticket_key), "ticket key", error))
    return FALSE;

  for (guint i = 0; ok && i < n_sessions; i++)
    ok = run_demo_session (self, i, server_creds, client_creds, &ticket_key, &resume, error);

  gnutls_memset (ticket_key.data, 0, ticket_key.size);
  gnutls_free (ticket_key.data);
  gnutls_free (resume.data);
  return ok;
}

/* Connect */

static const char *
connect_error_code (const GError *error,
                    HlCapture    *self,
                    HlCaptureError *code)
{
  if (self->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      *code = HL_CAPTURE_ERROR_TIMEOUT;
      return "timeout";
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      *code = HL_CAPTURE_ERROR_CANCELLED;
      return "cancelled";
    }
  if (error->domain == G_RESOLVER_ERROR)
    {
      *code = HL_CAPTURE_ERROR_RESOLVE;
      return "dns";
    }
  *code = HL_CAPTURE_ERROR_CONNECT;
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ? "refused" : "connect";
}

/* Keeps the result of an asynchronous call in the GAsyncResult * at @data */
static void
keep_result_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

static int
open_connection (HlCapture  *self,
                 char      **peer,
                 char      **local,
                 GError    **error)
{
  HlCaptureConfig *c = &self->config;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  int fd;

  if (c->timeout_ms > 0)
    g_socket_client_set_timeout (client, (c->timeout_ms + 999) / 1000);
  if (self->consumer_thread != NULL)
    {
      /* the caller's context runs meanwhile (its sources may cancel) */
      g_autoptr(GAsyncResult) result = NULL;

      g_socket_client_connect_to_host_async (client, c->host, c->port, self->cancellable,
                                             keep_result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (self->context, TRUE);
      connection = g_socket_client_connect_to_host_finish (client, result, &local_error);
    }
  else
    connection = g_socket_client_connect_to_host (client, c->host, c->port, self->cancellable, &local_error);
  if (connection == NULL)
    {
      HlCaptureError code;
      const char *name = connect_error_code (local_error, self, &code);
      g_autofree char *message = NULL;

      if (code == HL_CAPTURE_ERROR_TIMEOUT)
        message = g_strdup_printf ("Timed out connecting to %s:%u", c->host, c->port);
      else if (code == HL_CAPTURE_ERROR_CANCELLED)
        message = g_strdup_printf ("Cancelled while connecting to %s:%u", c->host, c->port);
      else if (code == HL_CAPTURE_ERROR_RESOLVE)
        message = g_strdup_printf ("Could not resolve %s: %s", c->host, local_error->message);
      else
        message = g_strdup_printf ("Could not connect to %s:%u: %s", c->host, c->port, local_error->message);
      push_error (self, 0, name, message);
      g_set_error_literal (error, HL_CAPTURE_ERROR, code, message);
      return -1;
    }
  address = g_socket_connection_get_remote_address (connection, NULL);
  if (address != NULL)
    *peer = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));
  g_clear_object (&address);
  address = g_socket_connection_get_local_address (connection, NULL);
  if (address != NULL)
    *local = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));
  fd = dup (g_socket_get_fd (g_socket_connection_get_socket (connection)));
  if (fd < 0)
    g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_FAILED, "Out of file descriptors");
  return fd;
}

static gboolean
load_connect_credentials (HlCapture                        *self,
                          gnutls_certificate_credentials_t *creds,
                          GError                          **error)
{
  HlCaptureConfig *c = &self->config;

  if (!gnutls_ok (gnutls_certificate_allocate_credentials (creds), "credentials", error))
    return FALSE;
  if (c->ca_file != NULL)
    {
      int ret = gnutls_certificate_set_x509_trust_file (*creds, c->ca_file, GNUTLS_X509_FMT_PEM);

      if (ret <= 0)
        ret = gnutls_certificate_set_x509_trust_file (*creds, c->ca_file, GNUTLS_X509_FMT_DER);
      if (ret <= 0)
        {
          g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_INVALID_ARGUMENT,
                       "No CA certificate could be read from %s", c->ca_file);
          return FALSE;
        }
    }
  else
    gnutls_certificate_set_x509_system_trust (*creds);
  if (c->cert_file != NULL &&
      !gnutls_ok (gnutls_certificate_set_x509_key_file (*creds, c->cert_file, c->key_file,
                                                        GNUTLS_X509_FMT_PEM),
                  "Could not load the client certificate and key", error))
    return FALSE;
  return TRUE;
}

static gboolean
is_address (const char *host)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  return address != NULL;
}

static gboolean
run_connect (HlCapture  *self,
             GError    **error)
{
  HlCaptureConfig *c = &self->config;
  g_auto(gnutls_certificate_credentials_t) creds = NULL;
  g_autoptr(HlEndpoint) ep = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autofree char *peer = NULL;
  g_autofree char *local = NULL;
  g_autofree char *priority = NULL;
  const char *sni = c->sni;
  HlEndpointConfig config;
  gboolean ok;
  int fd;

  if (!load_connect_credentials (self, &creds, error))
    return FALSE;
  if (sni == NULL)
    sni = is_address (c->host) ? NULL : c->host;
  priority = c->priority != NULL ? g_strdup (c->priority)
                                 : g_strdup_printf ("NORMAL%s", version_priority (c->version));

  fd = open_connection (self, &peer, &local, error);
  if (fd < 0)
    return FALSE;
  json_object_set_string_member (details, "transport", "tcp");
  json_object_set_string_member (details, "peer", peer ? peer : c->host);
  if (local != NULL)
    json_object_set_string_member (details, "local", local);
  if (sni != NULL)
    json_object_set_string_member (details, "server_name", sni);
  push_state (self, HL_SIDE_CLIENT, 0, "connected", details);

  config = (HlEndpointConfig) {
    .side = HL_SIDE_CLIENT, .fd = fd, .cancellable = self->cancellable,
    .deadline_us = deadline_us (self), .priority = priority, .credentials = creds,
    .server_name = sni, .verify_host = sni != NULL && sni[0] ? sni : c->host,
    .verify_peer = TRUE, .insecure = c->insecure, .alpn = c->alpn,
  };
  ep = hl_endpoint_new (self, &config, error);
  if (ep == NULL)
    {
      close (fd);
      return FALSE;
    }
  ok = hl_endpoint_handshake (ep, error);
  /* Tickets and late alerts (a required client certificate in TLS 1.3)
   * arrive after the handshake: listen a moment for them. */
  if (ok)
    ok = hl_endpoint_drain (ep, DRAIN_MS, error);
  if (ok)
    hl_endpoint_close (ep);
  else
    hl_endpoint_shutdown (ep);
  push_state (self, HL_SIDE_CLIENT, 0, "closed", NULL);
  return ok;
}

static gboolean
run_capture (HlCapture  *self,
             GError    **error)
{
  GError *local_error = NULL;
  gboolean ok;

  if (self->config.mode == HL_CAPTURE_MODE_DEMO)
    ok = run_demo (self, &local_error);
  else
    ok = run_connect (self, &local_error);

  if (!ok && local_error != NULL && self->timed_out &&
      local_error->domain == HL_CAPTURE_ERROR && local_error->code == HL_CAPTURE_ERROR_CANCELLED)
    {
      g_clear_error (&local_error);
      g_set_error (&local_error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_TIMEOUT,
                   "Timed out after %.1f s", self->config.timeout_ms / 1000.0);
    }
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (!ok)
    g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_FAILED, "The capture failed");
  return ok;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  if (run_capture (source_object, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* GObject */

static void
hl_capture_dispose (GObject *object)
{
  HlCapture *self = HL_CAPTURE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  stop_flush_source (self);
  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
  G_OBJECT_CLASS (hl_capture_parent_class)->dispose (object);
}

static void
hl_capture_finalize (GObject *object)
{
  HlCapture *self = HL_CAPTURE (object);

  if (self->cancel_handler != 0)
    g_cancellable_disconnect (self->cancellable, self->cancel_handler);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->events);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->poll_fds, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  /* Not g_strfreev(): a NULL string in the middle would end it early */
  for (guint i = 0; i < G_N_ELEMENTS (self->owned_strings); i++)
    g_clear_pointer (&self->owned_strings[i], g_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->step_cond);

  G_OBJECT_CLASS (hl_capture_parent_class)->finalize (object);
}

static void
hl_capture_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HlCapture *self = HL_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_STEP_MODE:
      g_value_set_boolean (value, hl_capture_get_step_mode (self));
      break;
    case PROP_WAITING:
      g_value_set_boolean (value, hl_capture_get_waiting (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_capture_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  HlCapture *self = HL_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_STEP_MODE:
      hl_capture_set_step_mode (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_capture_class_init (HlCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_capture_dispose;
  object_class->finalize = hl_capture_finalize;
  object_class->get_property = hl_capture_get_property;
  object_class->set_property = hl_capture_set_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP_MODE] =
    g_param_spec_boolean ("step-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WAITING] =
    g_param_spec_boolean ("waiting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HlCapture::event:
   * @event: the new event
   *
   * Emitted on the consumer's main context for every event, in order,
   * after it was added to the events model.
   */
  signals[EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, HL_TYPE_EVENT);
}

static void
hl_capture_init (HlCapture *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->step_cond);
  self->events = hl_event_list_new ();
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->poll_fds = g_array_sized_new (FALSE, TRUE, sizeof (GPollFD), 16);
  g_array_set_size (self->poll_fds, 16);
  self->cancellable = g_cancellable_new ();
  self->cancel_handler = g_cancellable_connect (self->cancellable, G_CALLBACK (cancelled_cb), self, NULL);
}

/* Public API */

/**
 * hl_capture_new:
 * @config: what to run; copied
 *
 * Returns: (transfer full): a capture, not started
 */
HlCapture *
hl_capture_new (const HlCaptureConfig *config)
{
  HlCapture *self;
  const char *strings[] = {
    config->pki_dir, config->host, config->sni, config->alpn, config->ca_file,
    config->cert_file, config->key_file, config->priority,
  };

  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (HL_TYPE_CAPTURE, NULL);
  self->config = *config;
  G_STATIC_ASSERT (G_N_ELEMENTS (strings) == G_N_ELEMENTS (self->owned_strings));
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    self->owned_strings[i] = g_strdup (strings[i]);
  /* Point the copy at strings it owns (NULL stays NULL) */
  self->config.pki_dir = self->owned_strings[0];
  self->config.host = self->owned_strings[1];
  self->config.sni = self->owned_strings[2];
  self->config.alpn = self->owned_strings[3];
  self->config.ca_file = self->owned_strings[4];
  self->config.cert_file = self->owned_strings[5];
  self->config.key_file = self->owned_strings[6];
  self->config.priority = self->owned_strings[7];
  return self;
}

const HlCaptureConfig *
hl_capture_get_config (HlCapture *self)
{
  g_return_val_if_fail (HL_IS_CAPTURE (self), NULL);
  return &self->config;
}

/**
 * hl_capture_get_mode_name:
 *
 * Returns: "demo" or "connect"
 */
const char *
hl_capture_get_mode_name (HlCapture *self)
{
  g_return_val_if_fail (HL_IS_CAPTURE (self), NULL);
  return self->config.mode == HL_CAPTURE_MODE_DEMO ? "demo" : "connect";
}

/**
 * hl_capture_dup_target:
 *
 * Returns: (transfer full): what the capture looks at, for people
 */
char *
hl_capture_dup_target (HlCapture *self)
{
  HlCaptureConfig *c;

  g_return_val_if_fail (HL_IS_CAPTURE (self), NULL);

  c = &self->config;
  if (c->mode == HL_CAPTURE_MODE_CONNECT)
    return g_strdup_printf (strchr (c->host, ':') ? "[%s]:%u" : "%s:%u", c->host, c->port);
  return g_strdup_printf ("demo %s%s%s%s%s",
                          c->version == HL_TLS_VERSION_1_2 ? "TLS 1.2" : "TLS 1.3",
                          c->mutual ? ", mutual" : ", one-way",
                          c->key_exchange == HL_KEY_EXCHANGE_RSA ? ", RSA" : ", ECDHE",
                          c->scenario != HL_SCENARIO_NONE ? ", " : "",
                          c->scenario != HL_SCENARIO_NONE ? hl_scenario_to_string (c->scenario) : "");
}

/**
 * hl_capture_get_events:
 *
 * Returns: (transfer none): a #GListModel of #HlEvent
 */
GListModel *
hl_capture_get_events (HlCapture *self)
{
  g_return_val_if_fail (HL_IS_CAPTURE (self), NULL);
  return G_LIST_MODEL (self->events);
}

gboolean
hl_capture_get_running (HlCapture *self)
{
  g_return_val_if_fail (HL_IS_CAPTURE (self), FALSE);
  return self->running;
}

static gboolean
timeout_cb (gpointer data)
{
  HlCapture *self = data;

  g_mutex_lock (&self->lock);
  self->timed_out = TRUE;
  g_mutex_unlock (&self->lock);
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->timeout_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
user_cancelled_cb (GCancellable *cancellable,
                   HlCapture    *self)
{
  g_cancellable_cancel (self->cancellable);
}

/* What every run starts with, on the consumer's thread-default context */
static gulong
begin_run (HlCapture    *self,
           GCancellable *cancellable)
{
  gulong handler = 0;

  self->context = g_main_context_ref_thread_default ();
  self->running = TRUE;
  self->start_ns = now_ns ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (user_cancelled_cb), self, NULL);
  if (self->config.timeout_ms > 0)
    {
      /* A backstop for what the workers' own deadline does not cover
       * (name resolution): it fires just after that deadline */
      self->timeout_source = g_timeout_source_new (self->config.timeout_ms + 250);
      g_source_set_callback (self->timeout_source, timeout_cb, self, NULL);
      g_source_attach (self->timeout_source, self->context);
    }
  start_flush_source (self);
  return handler;
}

static void
end_run (HlCapture    *self,
         GCancellable *cancellable,
         gulong        handler)
{
  if (cancellable != NULL && handler != 0)
    g_cancellable_disconnect (cancellable, handler);
  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
  /* Deliver every event before saying that the capture ended */
  stop_flush_source (self);
  flush (self);

  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  HlCapture *self = HL_CAPTURE (object);
  g_autoptr(GTask) outer = user_data;
  GError *error = NULL;

  end_run (self, g_task_get_cancellable (outer), GPOINTER_TO_SIZE (g_task_get_task_data (outer)));
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
}

static gboolean
check_can_run (HlCapture  *self,
               GError    **error)
{
  if (self->context != NULL)
    {
      g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_FAILED, "A capture runs only once");
      return FALSE;
    }
  return hl_capture_config_validate (&self->config, error);
}

/**
 * hl_capture_run_async:
 *
 * Starts the capture on worker threads. Events are delivered on the
 * thread-default main context of the caller.
 */
void
hl_capture_run_async (HlCapture           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) inner = NULL;
  GTask *outer;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HL_IS_CAPTURE (self));
  g_return_if_fail (!self->running);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, hl_capture_run_async);
  /* Cancelling is reported by the capture itself, with what it saw */
  g_task_set_check_cancellable (outer, FALSE);
  if (!check_can_run (self, &error))
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      g_object_unref (outer);
      return;
    }

  g_task_set_task_data (outer, GSIZE_TO_POINTER (begin_run (self, cancellable)), NULL);
  inner = g_task_new (self, NULL, run_done_cb, outer);
  g_task_run_in_thread (inner, run_thread);
}

gboolean
hl_capture_run_finish (HlCapture     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (HL_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * hl_capture_run:
 *
 * Runs the capture to its end. The client (the only session of a
 * connect) runs on the calling thread, which delivers the events and
 * dispatches the sources of its thread-default main context whenever
 * the client waits: for the peer, for a step, for the demo server to
 * finish. Without a second thread to hand events and results over to,
 * watching costs a handshake less (a tenth of an exchange against a
 * worker thread, on two cores).
 *
 * Where that context belongs to another thread, the capture runs on
 * worker threads while this thread iterates a private context.
 *
 * Returns: %TRUE when every handshake and exchange succeeded
 */
gboolean
hl_capture_run (HlCapture     *self,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(HlCapture) hold = NULL;
  gulong handler;
  gboolean ok;

  g_return_val_if_fail (HL_IS_CAPTURE (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  if (!check_can_run (self, error))
    return FALSE;
  if (!g_main_context_acquire (context))
    {
      g_autoptr(GMainContext) private_context = g_main_context_new ();
      g_autoptr(GAsyncResult) result = NULL;

      g_main_context_push_thread_default (private_context);
      hl_capture_run_async (self, cancellable, keep_result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (private_context, TRUE);
      g_main_context_pop_thread_default (private_context);
      return hl_capture_run_finish (self, result, error);
    }

  /* sources dispatched meanwhile may drop the caller's reference */
  hold = g_object_ref (self);
  handler = begin_run (self, cancellable);
  /* set before the server's thread starts and cleared after it ended;
   * under the lock for cancellation and steps from other threads */
  g_mutex_lock (&self->lock);
  self->consumer_thread = g_thread_self ();
  g_mutex_unlock (&self->lock);
  ok = run_capture (self, error);
  g_mutex_lock (&self->lock);
  self->consumer_thread = NULL;
  g_mutex_unlock (&self->lock);
  end_run (self, cancellable, handler);
  g_main_context_release (context);
  return ok;
}

void
hl_capture_cancel (HlCapture *self)
{
  g_return_if_fail (HL_IS_CAPTURE (self));
  g_cancellable_cancel (self->cancellable);
}

void
hl_capture_set_step_mode (HlCapture *self,
                          gboolean   step_mode)
{
  gboolean changed;

  g_return_if_fail (HL_IS_CAPTURE (self));

  g_mutex_lock (&self->lock);
  changed = self->step_mode != !!step_mode;
  self->step_mode = !!step_mode;
  g_cond_broadcast (&self->step_cond);
  wake_consumer_thread_locked (self);
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP_MODE]);
}

void
hl_capture_set_coalescing (HlCapture *self,
                           guint      quiet_us,
                           guint      max_us)
{
  g_return_if_fail (HL_IS_CAPTURE (self));

  g_mutex_lock (&self->lock);
  self->quiet_ns = (gint64) quiet_us * 1000;
  self->max_ns = max_us > 0 ? (gint64) max_us * 1000 : self->quiet_ns;
  g_mutex_unlock (&self->lock);
}

void
hl_capture_set_render_ahead (HlCapture *self,
                             gboolean   render_ahead)
{
  g_return_if_fail (HL_IS_CAPTURE (self));

  g_mutex_lock (&self->lock);
  self->render_ahead = !!render_ahead;
  g_mutex_unlock (&self->lock);
}

HlRender
hl_capture_get_render (HlCapture *self)
{
  HlRender render = HL_RENDER_NOTHING;

  g_mutex_lock (&self->lock);
  if (self->render_ahead && self->consumer_thread != g_thread_self ())
    render = self->config.mode == HL_CAPTURE_MODE_DEMO ? HL_RENDER_SENT_FIELDS : HL_RENDER_ALL_FIELDS;
  g_mutex_unlock (&self->lock);
  return render;
}

gboolean
hl_capture_get_step_mode (HlCapture *self)
{
  gboolean step_mode;

  g_return_val_if_fail (HL_IS_CAPTURE (self), FALSE);

  g_mutex_lock (&self->lock);
  step_mode = self->step_mode;
  g_mutex_unlock (&self->lock);
  return step_mode;
}

/**
 * hl_capture_get_waiting:
 *
 * Returns: %TRUE while a worker waits in step mode for hl_capture_step()
 */
gboolean
hl_capture_get_waiting (HlCapture *self)
{
  g_return_val_if_fail (HL_IS_CAPTURE (self), FALSE);
  return self->waiting_notified;
}

/**
 * hl_capture_step:
 *
 * Lets one waiting message go (in step mode).
 *
 * Returns: %TRUE when a message was waiting and is now released
 */
gboolean
hl_capture_step (HlCapture *self)
{
  gboolean released = FALSE;

  g_return_val_if_fail (HL_IS_CAPTURE (self), FALSE);

  g_mutex_lock (&self->lock);
  /* One step lets one message go, and only when someone waits for it:
   * "waiting" as last announced may be stale by the time Next is pressed */
  if (self->step_credits < self->n_waiting)
    {
      self->step_credits++;
      released = TRUE;
    }
  g_cond_broadcast (&self->step_cond);
  wake_consumer_thread_locked (self);
  g_mutex_unlock (&self->lock);
  return released;
}

/* hl-endpoint.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/x509.h>

#include "hl-capture-private.h"
#include "hl-event-private.h"
#include "hl-endpoint.h"
#include "hl-registry.h"

#define MAX_PEER_CHAIN 256

/* Reassembles the byte stream of one direction into TLS records */
typedef struct
{
  GByteArray *buffer;
  guint8      last_content_type;
  gboolean    saw_ccs;
} Wire;

struct _HlEndpoint
{
  HlCapture        *capture;
  HlSide            side;
  guint             session_index;
  int               fd;
  GCancellable     *cancellable;
  GPollFD           cancel_pollfd;
  gboolean          has_cancel_fd;
  gint64            deadline_us;
  gint64            soft_deadline_us;
  gboolean          soft_expired;
  gnutls_session_t  session;

  char             *verify_host;
  gboolean          insecure;

  Wire              out;
  Wire              in;
  guint8            first_in[8];     /* the peer's first bytes, to say what it spoke */
  gsize             n_first_in;
  gboolean          got_handshake;
  gboolean          sent_finished;
  gboolean          ccs_announced;
  guint16           cipher_suite;
  gboolean          handshake_done;
  gboolean          failed;
  gboolean          timed_out;
  gboolean          cancelled;

  /* what this worker makes ahead for the consumer, asked at the first
   * event (-1 until then), and the events pushed since it last waited */
  int               render;
  GPtrArray        *unrendered;
};

static void
push (HlEndpoint *self,
      HlEvent    *event)
{
  hl_event_set_session (event, self->session_index);
  if (self->render < 0)
    self->render = hl_capture_get_render (self->capture);
  if (self->render != HL_RENDER_NOTHING)
    g_ptr_array_add (self->unrendered, g_object_ref (event));
  hl_capture_push (self->capture, event);
}

/* About to wait for the peer: the time to make the lines of what this
 * side saw, which the consumer would otherwise make as the peer works */
static void
render_pushed (HlEndpoint *self)
{
  for (guint i = 0; i < self->unrendered->len; i++)
    {
      HlEvent *event = g_ptr_array_index (self->unrendered, i);

      hl_event_render_json_line (event, self->render == HL_RENDER_ALL_FIELDS ||
                                        hl_event_get_direction (event) == HL_DIRECTION_OUT);
    }
  g_ptr_array_set_size (self->unrendered, 0);
}

static guint16
current_version (HlEndpoint *self)
{
  switch (gnutls_protocol_get_version (self->session))
    {
    case GNUTLS_TLS1_3:
      return 0x0304;
    case GNUTLS_TLS1_2:
      return 0x0303;
    case GNUTLS_TLS1_1:
      return 0x0302;
    case GNUTLS_TLS1_0:
      return 0x0301;
    default:
      return 0;
    }
}

/* Wire */

static void
wire_feed (HlEndpoint  *self,
           Wire        *wire,
           HlDirection  dir,
           const void  *data,
           gsize        length)
{
  g_byte_array_append (wire->buffer, data, length);

  while (wire->buffer->len >= 5)
    {
      const guint8 *b = wire->buffer->data;
      gsize record_length = 5 + (((gsize) b[3] << 8) | b[4]);
      g_autoptr(GBytes) raw = NULL;

      if (wire->buffer->len < record_length)
        break;
      raw = g_bytes_new (b, record_length);
      wire->last_content_type = b[0];
      push (self, hl_event_new_record (self->side, dir, b[0], (b[1] << 8) | b[2], raw));
      if (b[0] == 20)
        {
          wire->saw_ccs = TRUE;
          if (dir == HL_DIRECTION_OUT && self->ccs_announced)
            self->ccs_announced = FALSE;
          else
            push (self, hl_event_new_change_cipher_spec (self->side, dir));
        }
      g_byte_array_remove_range (wire->buffer, 0, record_length);
    }
}

/* Transport: blocking I/O on the socket, woken by cancellation and bounded
 * by the capture's deadline. */

/* TRUE when the capture was cancelled or its soft deadline passed */
static gboolean
should_stop (HlEndpoint *self)
{
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      self->cancelled = TRUE;
      return TRUE;
    }
  if (self->soft_deadline_us > 0 && g_get_monotonic_time () >= self->soft_deadline_us)
    {
      self->soft_expired = TRUE;
      return TRUE;
    }
  return FALSE;
}

static int
wait_fd (HlEndpoint *self,
         short       events,
         int         cap_ms)
{
  for (;;)
    {
      struct pollfd fds[2] = {
        { .fd = self->fd, .events = events },
        { .fd = self->has_cancel_fd ? self->cancel_pollfd.fd : -1, .events = POLLIN },
      };
      int timeout = cap_ms;
      int ret;

      if (should_stop (self))
        return -1;
      render_pushed (self);
      hl_capture_wake (self->capture);
      if (self->deadline_us > 0 || self->soft_deadline_us > 0)
        {
          gint64 until = self->deadline_us == 0 ? self->soft_deadline_us
                         : self->soft_deadline_us == 0 ? self->deadline_us
                         : MIN (self->deadline_us, self->soft_deadline_us);
          gint64 left = until - g_get_monotonic_time ();

          if (left <= 0)
            {
              if (until == self->soft_deadline_us)
                self->soft_expired = TRUE;
              else
                self->timed_out = TRUE;
              return -1;
            }
          if (timeout < 0 || left / 1000 + 1 < timeout)
            timeout = left / 1000 + 1;
        }
      ret = hl_capture_poll (self->capture, fds, 2, timeout);
      if (ret < 0 && errno == EINTR)
        continue;
      if (ret < 0)
        return -1;
      if (fds[1].revents != 0)
        continue;
      if (ret == 0)
        {
          if (cap_ms >= 0)
            return 0;
          continue;
        }
      return 1;
    }
}

/* GnuTLS hands over a whole flight's records at once: they go out in one
 * sendmsg(), as GnuTLS's own transport sends them, so that the peer is
 * woken once for the flight rather than once for each record */
static ssize_t
vec_push_cb (gnutls_transport_ptr_t  ptr,
             const giovec_t         *iov,
             int                     iovcnt)
{
  HlEndpoint *self = ptr;
  struct iovec vecs[64];
  struct msghdr msg = { 0 };
  gsize total = 0, done = 0;
  int n_vecs = MIN (iovcnt, (int) G_N_ELEMENTS (vecs));

  /* Recorded before sending so that the peer's observation of the same
   * bytes can never come first in the stream. */
  for (int i = 0; i < n_vecs; i++)
    {
      wire_feed (self, &self->out, HL_DIRECTION_OUT, iov[i].iov_base, iov[i].iov_len);
      vecs[i].iov_base = iov[i].iov_base;
      vecs[i].iov_len = iov[i].iov_len;
      total += iov[i].iov_len;
    }
  msg.msg_iov = vecs;
  msg.msg_iovlen = n_vecs;

  /* Sends at once where the socket has room, and waits (woken by
   * cancellation, bounded by the deadline) only where it has none; what
   * was recorded is all sent before returning */
  while (done < total)
    {
      ssize_t n;
      int saved_errno;

      if (should_stop (self))
        {
          gnutls_transport_set_errno (self->session, ECONNABORTED);
          return -1;
        }
      n = sendmsg (self->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
      saved_errno = errno;
      if (n < 0 && saved_errno == EAGAIN)
        {
          if (wait_fd (self, POLLOUT, -1) < 0)
            {
              gnutls_transport_set_errno (self->session, ECONNABORTED);
              return -1;
            }
          continue;
        }
      if (n < 0 && saved_errno == EINTR)
        continue;
      if (n < 0)
        {
          gnutls_transport_set_errno (self->session, saved_errno);
          return -1;
        }
      done += n;
      /* step over what went */
      while (n > 0 && msg.msg_iovlen > 0)
        {
          if ((size_t) n >= msg.msg_iov->iov_len)
            {
              n -= msg.msg_iov->iov_len;
              msg.msg_iov++;
              msg.msg_iovlen--;
            }
          else
            {
              msg.msg_iov->iov_base = (char *) msg.msg_iov->iov_base + n;
              msg.msg_iov->iov_len -= n;
              n = 0;
            }
        }
    }
  return total;
}

static ssize_t
pull_cb (gnutls_transport_ptr_t  ptr,
         void                   *data,
         size_t                  length)
{
  HlEndpoint *self = ptr;

  /* Reads what has arrived at once, and waits (woken by cancellation,
   * bounded by the deadline) only where nothing has */
  for (;;)
    {
      ssize_t n = -1;
      int saved_errno = EAGAIN;
      gboolean stop = should_stop (self);

      if (!stop)
        {
          n = recv (self->fd, data, length, MSG_DONTWAIT);
          saved_errno = errno;
          if (n < 0 && saved_errno == EAGAIN)
            stop = wait_fd (self, POLLIN, -1) < 0;
        }
      if (stop)
        {
          /* A quiet moment while draining is not an error: EAGAIN keeps
           * the session usable */
          gnutls_transport_set_errno (self->session, self->soft_expired ? EAGAIN : ECONNABORTED);
          return -1;
        }
      if (n < 0 && (saved_errno == EINTR || saved_errno == EAGAIN))
        continue;
      if (n < 0)
        {
          gnutls_transport_set_errno (self->session, saved_errno);
          return -1;
        }
      if (self->n_first_in < sizeof self->first_in)
        {
          gsize keep = MIN ((gsize) n, sizeof self->first_in - self->n_first_in);

          memcpy (self->first_in + self->n_first_in, data, keep);
          self->n_first_in += keep;
        }
      wire_feed (self, &self->in, HL_DIRECTION_IN, data, n);
      return n;
    }
}

static int
pull_timeout_cb (gnutls_transport_ptr_t ptr,
                 unsigned int           ms)
{
  HlEndpoint *self = ptr;
  int ret = wait_fd (self, POLLIN, ms == GNUTLS_INDEFINITE_TIMEOUT ? -1 : (int) MIN (ms, G_MAXINT));

  if (ret < 0)
    {
      gnutls_transport_set_errno (self->session, ECONNABORTED);
      return -1;
    }
  return ret;
}

/* Hooks */

static gboolean
outgoing_encrypted (HlEndpoint *self,
                    guint       type,
                    guint16     version)
{
  if (type == GNUTLS_HANDSHAKE_CLIENT_HELLO || type == GNUTLS_HANDSHAKE_SERVER_HELLO ||
      type == HL_HANDSHAKE_TYPE_HELLO_RETRY_REQUEST || type == GNUTLS_HANDSHAKE_HELLO_REQUEST)
    return FALSE;
  if (version == 0x0304)
    return TRUE;
  /* TLS 1.2: Finished is the first message under the new keys */
  return type == GNUTLS_HANDSHAKE_FINISHED || self->sent_finished;
}

static gboolean
incoming_encrypted (HlEndpoint *self,
                    guint16     version)
{
  /* TLS 1.3 hides every protected record as application_data; TLS 1.2
   * protects whatever follows the peer's ChangeCipherSpec. */
  if (self->in.last_content_type == 23)
    return TRUE;
  return version != 0 && version != 0x0304 && self->in.saw_ccs;
}

static int
handshake_hook_cb (gnutls_session_t        session,
                   unsigned int            htype,
                   unsigned int            when,
                   unsigned int            incoming,
                   const gnutls_datum_t   *msg)
{
  HlEndpoint *self = gnutls_session_get_ptr (session);
  guint type = htype == GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST ? HL_HANDSHAKE_TYPE_HELLO_RETRY_REQUEST : htype;
  guint8 wire_type = htype == GNUTLS_HANDSHAKE_HELLO_RETRY_REQUEST ? GNUTLS_HANDSHAKE_SERVER_HELLO : htype;
  g_autoptr(GBytes) raw = NULL;
  gboolean encrypted;
  guint16 version;
  guint8 *bytes;

  /* Incoming bodies are only complete before processing, and outgoing
   * ones are the same in both: observe every message once, before. */
  if (when != GNUTLS_HOOK_PRE || htype > 255 + 1024 || htype == GNUTLS_HANDSHAKE_CHANGE_CIPHER_SPEC)
    return 0;

  /* In step mode the sender waits here for the presenter. A cancelled
   * wait must not fail the hook (GnuTLS does not expect that mid-flight):
   * the transport, which checks the same cancellable, ends the session. */
  if (!incoming)
    hl_capture_wait_step (self->capture, self->cancellable);
  if (incoming)
    self->got_handshake = TRUE;

  version = type == GNUTLS_HANDSHAKE_CLIENT_HELLO ? 0 : current_version (self);
  if (type == GNUTLS_HANDSHAKE_SERVER_HELLO && incoming)
    version = 0;

  bytes = g_malloc (msg->size + 4);
  bytes[0] = wire_type;
  bytes[1] = (msg->size >> 16) & 0xff;
  bytes[2] = (msg->size >> 8) & 0xff;
  bytes[3] = msg->size & 0xff;
  if (msg->size > 0)
    memcpy (bytes + 4, msg->data, msg->size);
  raw = g_bytes_new_take (bytes, msg->size + 4);

  encrypted = incoming ? incoming_encrypted (self, version) : outgoing_encrypted (self, type, version);
  if (!incoming && type == GNUTLS_HANDSHAKE_FINISHED)
    {
      /* Before TLS 1.3, ChangeCipherSpec goes on the wire right before
       * Finished, but the flight's records are written after its hooks:
       * show it where it really travels. */
      if (version != 0x0304 && !self->out.saw_ccs)
        {
          self->ccs_announced = TRUE;
          push (self, hl_event_new_change_cipher_spec (self->side, HL_DIRECTION_OUT));
        }
      self->sent_finished = TRUE;
    }

  /* The suite chosen in the ServerHello tells how later TLS 1.2 key
   * exchange messages read: legacy_version, random, session id, suite */
  if (type == GNUTLS_HANDSHAKE_SERVER_HELLO && msg->size >= 35 && msg->size >= 35u + msg->data[34] + 2)
    self->cipher_suite = (msg->data[35 + msg->data[34]] << 8) | msg->data[36 + msg->data[34]];

  {
    HlEvent *event = hl_event_new_handshake (self->side, incoming ? HL_DIRECTION_IN : HL_DIRECTION_OUT,
                                             type, raw, encrypted, version);
    hl_event_set_cipher_suite (event, self->cipher_suite);
    push (self, event);
  }
  return 0;
}

static int
keylog_cb (gnutls_session_t      session,
           const char           *label,
           const gnutls_datum_t *secret)
{
  HlEndpoint *self = gnutls_session_get_ptr (session);
  gnutls_datum_t client_random = { NULL, 0 }, server_random = { NULL, 0 };
  g_autoptr(GBytes) random = NULL;
  g_autoptr(GBytes) value = NULL;

  gnutls_session_get_random (session, &client_random, &server_random);
  random = g_bytes_new (client_random.data, client_random.size);
  value = g_bytes_new (secret->data, secret->size);
  push (self, hl_event_new_secret (self->side, label, random, value));
  return 0;
}

/* Verification */

static const struct
{
  guint       flag;
  const char *reason;
} status_reasons[] = {
  { GNUTLS_CERT_REVOKED, "The certificate has been revoked by its issuer." },
  { GNUTLS_CERT_SIGNER_NOT_FOUND, "The certificate's issuer is not trusted (unknown certificate authority)." },
  { GNUTLS_CERT_SIGNER_NOT_CA, "The certificate's issuer is not a certificate authority." },
  { GNUTLS_CERT_INSECURE_ALGORITHM, "The certificate is signed with an insecure algorithm." },
  { GNUTLS_CERT_NOT_ACTIVATED, "The certificate is not yet valid." },
  { GNUTLS_CERT_EXPIRED, "The certificate has expired." },
  { GNUTLS_CERT_SIGNATURE_FAILURE, "The certificate's signature does not verify." },
  { GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED, "The revocation data is too old." },
  { GNUTLS_CERT_UNEXPECTED_OWNER, "The certificate does not match the expected host name." },
  { GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE, "The revocation data is dated in the future." },
  { GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, "The issuer's constraints forbid this certificate." },
  { GNUTLS_CERT_MISMATCH, "The certificate does not match the one expected." },
  { GNUTLS_CERT_PURPOSE_MISMATCH, "The certificate is not meant for this purpose." },
  { GNUTLS_CERT_MISSING_OCSP_STATUS, "The certificate requires an OCSP status that was not sent." },
  { GNUTLS_CERT_INVALID_OCSP_STATUS, "The OCSP status of the certificate is invalid." },
  { GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS, "The certificate has an unknown critical extension." },
};

static int
verify_cb (gnutls_session_t session)
{
  HlEndpoint *self = gnutls_session_get_ptr (session);
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GStrvBuilder) reasons = g_strv_builder_new ();
  g_auto(GStrv) reasons_strv = NULL;
  const gnutls_datum_t *peers;
  unsigned int n_peers = 0;
  unsigned int status = 0;
  int ret;

  peers = gnutls_certificate_get_peers (session, &n_peers);
  for (unsigned int i = 0; peers != NULL && i < n_peers && i < MAX_PEER_CHAIN; i++)
    g_ptr_array_add (chain, g_bytes_new (peers[i].data, peers[i].size));

  if (n_peers == 0)
    {
      status = GNUTLS_CERT_INVALID;
      g_strv_builder_add (reasons, "The peer sent no certificate.");
    }
  else
    {
      const char *host = self->side == HL_SIDE_CLIENT ? self->verify_host : NULL;

      ret = gnutls_certificate_verify_peers3 (session, host, &status);
      if (ret < 0)
        {
          g_autofree char *reason = g_strdup_printf ("The chain could not be checked: %s",
                                                     gnutls_strerror (ret));
          status |= GNUTLS_CERT_INVALID;
          g_strv_builder_add (reasons, reason);
        }
      for (guint i = 0; i < G_N_ELEMENTS (status_reasons); i++)
        if (status & status_reasons[i].flag)
          g_strv_builder_add (reasons, status_reasons[i].reason);
      if (status != 0 && status == GNUTLS_CERT_INVALID && ret >= 0)
        g_strv_builder_add (reasons, "The certificate is not valid.");
    }

  reasons_strv = g_strv_builder_end (reasons);
  push (self, hl_event_new_certificate_check (self->side, chain, status,
                                              (const char *const *) reasons_strv));

  if (status != 0 && !self->insecure)
    return GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR;
  return 0;
}

/* Life cycle */

static gboolean
check (int          ret,
       const char  *what,
       GError     **error)
{
  if (ret >= 0)
    return TRUE;
  g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_INVALID_ARGUMENT,
               "%s: %s", what, gnutls_strerror (ret));
  return FALSE;
}

static gboolean
set_alpn (HlEndpoint  *self,
          const char  *alpn,
          GError     **error)
{
  g_auto(GStrv) protocols = g_strsplit (alpn, ",", 0);
  guint n = g_strv_length (protocols);
  g_autofree gnutls_datum_t *data = g_new0 (gnutls_datum_t, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      data[i].data = (unsigned char *) protocols[i];
      data[i].size = strlen (protocols[i]);
    }
  return check (gnutls_alpn_set_protocols (self->session, data, n, 0), "ALPN", error);
}

HlEndpoint *
hl_endpoint_new (HlCapture               *capture,
                 const HlEndpointConfig  *config,
                 GError                 **error)
{
  g_autoptr(HlEndpoint) self = g_new0 (HlEndpoint, 1);
  gboolean server = config->side == HL_SIDE_SERVER;
  const char *err_pos = NULL;
  int ret;

  self->capture = capture;
  self->side = config->side;
  self->session_index = config->session_index;
  self->fd = config->fd;
  self->cancellable = config->cancellable ? g_object_ref (config->cancellable) : g_cancellable_new ();
  self->has_cancel_fd = g_cancellable_make_pollfd (self->cancellable, &self->cancel_pollfd);
  self->deadline_us = config->deadline_us;
  self->verify_host = g_strdup (config->verify_host);
  self->insecure = config->insecure;
  self->out.buffer = g_byte_array_new ();
  self->in.buffer = g_byte_array_new ();
  self->render = -1;
  self->unrendered = g_ptr_array_new_with_free_func (g_object_unref);

  if (!check (gnutls_init (&self->session, (server ? GNUTLS_SERVER : GNUTLS_CLIENT)), "session", error))
    return NULL;
  gnutls_session_set_ptr (self->session, self);

  ret = gnutls_priority_set_direct (self->session, config->priority ? config->priority : "NORMAL", &err_pos);
  if (ret < 0)
    {
      g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_INVALID_ARGUMENT,
                   "Invalid priority string near “%s”", err_pos ? err_pos : config->priority);
      return NULL;
    }
  if (!check (gnutls_credentials_set (self->session, GNUTLS_CRD_CERTIFICATE, config->credentials),
              "credentials", error))
    return NULL;
  if (config->server_name != NULL && config->server_name[0] != '\0' &&
      !check (gnutls_server_name_set (self->session, GNUTLS_NAME_DNS, config->server_name,
                                      strlen (config->server_name)), "server name", error))
    return NULL;
  if (config->alpn != NULL && config->alpn[0] != '\0' && !set_alpn (self, config->alpn, error))
    return NULL;
  if (server)
    gnutls_certificate_server_set_request (self->session,
                                           config->require_peer ? GNUTLS_CERT_REQUIRE : GNUTLS_CERT_IGNORE);
  if (server && config->ticket_key != NULL &&
      !check (gnutls_session_ticket_enable_server (self->session, config->ticket_key), "tickets", error))
    return NULL;
  if (!server && config->resume_data != NULL &&
      !check (gnutls_session_set_data (self->session, config->resume_data->data,
                                       config->resume_data->size), "resumption", error))
    return NULL;

  gnutls_handshake_set_hook_function (self->session, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_BOTH,
                                      handshake_hook_cb);
  gnutls_session_set_keylog_function (self->session, keylog_cb);
  if (config->verify_peer)
    gnutls_session_set_verify_function (self->session, verify_cb);
  gnutls_transport_set_ptr (self->session, self);
  gnutls_transport_set_vec_push_function (self->session, vec_push_cb);
  gnutls_transport_set_pull_function (self->session, pull_cb);
  gnutls_transport_set_pull_timeout_function (self->session, pull_timeout_cb);
  gnutls_handshake_set_timeout (self->session, 0);

  return g_steal_pointer (&self);
}

void
hl_endpoint_free (HlEndpoint *self)
{
  if (self == NULL)
    return;
  hl_capture_wake (self->capture);
  if (self->session != NULL)
    gnutls_deinit (self->session);
  if (self->fd >= 0)
    close (self->fd);
  if (self->has_cancel_fd)
    g_cancellable_release_fd (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->out.buffer, g_byte_array_unref);
  g_clear_pointer (&self->in.buffer, g_byte_array_unref);
  g_clear_pointer (&self->unrendered, g_ptr_array_unref);
  g_free (self->verify_host);
  g_free (self);
}

static void
push_alert (HlEndpoint  *self,
            HlDirection  dir,
            int          level,
            int          description)
{
  push (self, hl_event_new_alert (self->side, dir, level, description));
}

static const char *
peer_name (HlEndpoint *self)
{
  return self->side == HL_SIDE_CLIENT ? "server" : "client";
}

/* Sends the alert GnuTLS chooses for @ret, recording it first */
static void
send_alert_for (HlEndpoint *self,
                int         ret)
{
  gnutls_alert_level_t level;
  int description;

  if (ret != GNUTLS_E_REHANDSHAKE && (!gnutls_error_is_fatal (ret) || ret == GNUTLS_E_FATAL_ALERT_RECEIVED))
    return;
  description = gnutls_error_to_alert (ret, (int *) &level);
  if (description < 0)
    return;
  push_alert (self, HL_DIRECTION_OUT, level, description);
  gnutls_alert_send (self->session, level, description);
}

/* When the peer answered with something else than TLS before any
 * handshake message: what it was, for people (never its raw bytes) */
static char *
describe_not_tls (HlEndpoint *self)
{
  const guint8 *b = self->first_in;
  gsize n = self->n_first_in;
  g_autoptr(GString) hex = NULL;

  if (self->got_handshake || n == 0)
    return NULL;
  if (n >= 5 && memcmp (b, "HTTP/", 5) == 0)
    return g_strdup ("an HTTP reply");
  /* An SSL 2.0 record header (2 bytes, top bit set), then SERVER-HELLO */
  if (n >= 3 && (b[0] & 0x80) != 0 && b[2] == 4)
    return g_strdup ("an SSL 2.0 reply");
  if (b[0] >= 20 && b[0] <= 24 && (n < 2 || b[1] == 3))
    return NULL;
  hex = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (hex, "%s%02x", i > 0 ? " " : "", b[i]);
  return g_strdup_printf ("bytes that are not TLS (%s…)", hex->str);
}

/* Sets @error; returns the code of an error event when the failure is
 * outside TLS (timeout, cancel, closed connection), else NULL */
static const char *
classify (HlEndpoint  *self,
          int          ret,
          const char  *doing,
          GError     **error)
{
  g_autofree char *not_tls = NULL;

  if (self->timed_out)
    {
      g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_TIMEOUT,
                   "Timed out during the %s: the %s did not answer", doing, peer_name (self));
      return "timeout";
    }
  if (self->cancelled || g_cancellable_is_cancelled (self->cancellable))
    {
      g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_CANCELLED, "Cancelled during the %s", doing);
      return "cancelled";
    }
  if (ret != GNUTLS_E_FATAL_ALERT_RECEIVED && (not_tls = describe_not_tls (self)) != NULL)
    {
      send_alert_for (self, ret);
      g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_HANDSHAKE,
                   "The %s did not answer with TLS: it sent %s", peer_name (self), not_tls);
      return NULL;
    }
  switch (ret)
    {
    case GNUTLS_E_FATAL_ALERT_RECEIVED:
      {
        int alert = gnutls_alert_get (self->session);
        const char *name = hl_registry_alert_description_name (alert);

        push_alert (self, HL_DIRECTION_IN, GNUTLS_AL_FATAL, alert);
        g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_HANDSHAKE,
                     "The %s sent a fatal %s alert during the %s",
                     peer_name (self), name ? name : "unknown", doing);
        return NULL;
      }
    case GNUTLS_E_PREMATURE_TERMINATION:
    case GNUTLS_E_UNEXPECTED_PACKET_LENGTH:
    case GNUTLS_E_PULL_ERROR:
    case GNUTLS_E_PUSH_ERROR:
      g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_CLOSED,
                   "The %s closed the connection during the %s", peer_name (self), doing);
      return "closed";
    case GNUTLS_E_NO_CERTIFICATE_FOUND:
    case GNUTLS_E_CERTIFICATE_REQUIRED:
      if (self->side == HL_SIDE_SERVER)
        {
          /* GnuTLS checks nothing when the client sends no certificate;
           * the verdict is still the server's to show */
          g_autoptr(GPtrArray) chain = g_ptr_array_new ();
          const char *reasons[] = { "The client sent no certificate, but this server requires one.", NULL };

          push (self, hl_event_new_certificate_check (self->side, chain, GNUTLS_CERT_INVALID, reasons));
        }
      send_alert_for (self, ret);
      g_set_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_VERIFICATION,
                   "The %s failed: %s", doing, gnutls_strerror (ret));
      return NULL;
    default:
      send_alert_for (self, ret);
      g_set_error (error, HL_CAPTURE_ERROR,
                   ret == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR ? HL_CAPTURE_ERROR_VERIFICATION
                                                                  : HL_CAPTURE_ERROR_HANDSHAKE,
                   "The %s failed: %s", doing, gnutls_strerror (ret));
      return NULL;
    }
}

/**
 * hl_endpoint_classify_error:
 * @ret: a GnuTLS error code
 * @doing: what failed ("handshake", "receive", …)
 *
 * Records what @ret means (alerts received or sent, a closed or cancelled
 * connection) and sets @error to one line saying it.
 *
 * Returns: %FALSE, always
 */
gboolean
hl_endpoint_classify_error (HlEndpoint  *self,
                            int          ret,
                            const char  *doing,
                            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *outside;

  self->failed = TRUE;
  outside = classify (self, ret, doing, &local_error);
  /* A failure outside TLS shows up as an error event, like the ones of
   * connecting, so that a log says why it ends */
  if (outside != NULL)
    push (self, hl_event_new_error (self->side, outside, local_error->message));
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static JsonObject *
negotiated_details (HlEndpoint *self)
{
  JsonObject *details = json_object_new ();
  gnutls_session_t s = self->session;
  gnutls_datum_t alpn = { NULL, 0 };
  const char *suite = gnutls_ciphersuite_get (s);
  const char *group = gnutls_group_get_name (gnutls_group_get (s));
  gnutls_sign_algorithm_t sign = gnutls_sign_algorithm_get (s);
  g_autofree char *desc = gnutls_session_get_desc (s);

  json_object_set_string_member (details, "version", gnutls_protocol_get_name (gnutls_protocol_get_version (s)));
  if (suite != NULL)
    json_object_set_string_member (details, "cipher_suite", suite);
  if (group != NULL)
    json_object_set_string_member (details, "group", group);
  if (sign != GNUTLS_SIGN_UNKNOWN && gnutls_sign_get_name (sign) != NULL)
    json_object_set_string_member (details, "signature_scheme", gnutls_sign_get_name (sign));
  if (gnutls_protocol_get_version (s) != GNUTLS_TLS1_3)
    json_object_set_string_member (details, "key_exchange", gnutls_kx_get_name (gnutls_kx_get (s)));
  if (gnutls_alpn_get_selected_protocol (s, &alpn) == 0)
    {
      g_autofree char *proto = g_strndup ((const char *) alpn.data, alpn.size);
      json_object_set_string_member (details, "alpn", proto);
    }
  json_object_set_boolean_member (details, "resumed", gnutls_session_is_resumed (s));
  json_object_set_string_member (details, "description", desc);
  return details;
}

gboolean
hl_endpoint_handshake (HlEndpoint  *self,
                       GError     **error)
{
  int ret;

  do
    {
      ret = gnutls_handshake (self->session);
      if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED)
        push_alert (self, HL_DIRECTION_IN, GNUTLS_AL_WARNING, gnutls_alert_get (self->session));
    }
  while (ret < 0 && !gnutls_error_is_fatal (ret) && !self->cancelled && !self->timed_out &&
         !g_cancellable_is_cancelled (self->cancellable));

  if (ret < 0)
    {
      g_autoptr(JsonObject) details = json_object_new ();
      g_autoptr(GError) local_error = NULL;

      hl_endpoint_classify_error (self, ret, "handshake", &local_error);
      json_object_set_string_member (details, "reason", local_error->message);
      json_object_set_string_member (details, "gnutls_error", gnutls_strerror_name (ret));
      push (self, hl_event_new_state (self->side, "handshake_failed", details));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->handshake_done = TRUE;
  {
    g_autoptr(JsonObject) details = negotiated_details (self);
    push (self, hl_event_new_state (self->side, "handshake_done", details));
  }
  return TRUE;
}

gboolean
hl_endpoint_send (HlEndpoint  *self,
                  const char  *data,
                  gsize        length,
                  GError     **error)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t ret = gnutls_record_send (self->session, data + done, length - done);

      if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
        {
          if (self->cancelled || self->timed_out)
            return hl_endpoint_classify_error (self, ret, "exchange", error);
          continue;
        }
      if (ret < 0)
        return hl_endpoint_classify_error (self, ret, "exchange", error);
      done += ret;
    }
  return TRUE;
}

gssize
hl_endpoint_receive (HlEndpoint  *self,
                     char        *buffer,
                     gsize        size,
                     GError     **error)
{
  for (;;)
    {
      ssize_t ret = gnutls_record_recv (self->session, buffer, size);

      if (ret == 0)
        {
          push_alert (self, HL_DIRECTION_IN, GNUTLS_AL_WARNING, GNUTLS_A_CLOSE_NOTIFY);
          return 0;
        }
      if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED)
        {
          push_alert (self, HL_DIRECTION_IN, GNUTLS_AL_WARNING, gnutls_alert_get (self->session));
          continue;
        }
      if ((ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) && !self->cancelled && !self->timed_out)
        continue;
      if (ret < 0)
        {
          hl_endpoint_classify_error (self, ret, "exchange", error);
          return -1;
        }
      return ret;
    }
}

gboolean
hl_endpoint_drain (HlEndpoint  *self,
                   guint        ms,
                   GError     **error)
{
  char buffer[4096];
  gboolean ok = TRUE;

  self->soft_deadline_us = g_get_monotonic_time () + (gint64) ms * 1000;
  self->soft_expired = FALSE;
  for (;;)
    {
      ssize_t ret = gnutls_record_recv (self->session, buffer, sizeof buffer);

      if (ret > 0)
        continue;
      if (ret == 0)
        {
          push_alert (self, HL_DIRECTION_IN, GNUTLS_AL_WARNING, GNUTLS_A_CLOSE_NOTIFY);
          break;
        }
      if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED)
        {
          push_alert (self, HL_DIRECTION_IN, GNUTLS_AL_WARNING, gnutls_alert_get (self->session));
          continue;
        }
      if ((ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED) && self->soft_expired)
        break;
      if (ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED)
        continue;
      ok = hl_endpoint_classify_error (self, ret, "exchange", error);
      break;
    }
  self->soft_deadline_us = 0;
  self->soft_expired = FALSE;
  return ok;
}

/* Ends the TLS session politely (close_notify) if it is still up */
void
hl_endpoint_close (HlEndpoint *self)
{
  if (self->handshake_done && !self->failed)
    {
      push_alert (self, HL_DIRECTION_OUT, GNUTLS_AL_WARNING, GNUTLS_A_CLOSE_NOTIFY);
      gnutls_bye (self->session, GNUTLS_SHUT_WR);
    }
  hl_endpoint_shutdown (self);
}

/* Lets the peer see end-of-file so that it never waits for us */
void
hl_endpoint_shutdown (HlEndpoint *self)
{
  if (self->fd >= 0)
    shutdown (self->fd, SHUT_WR);
}

/* After a failure: let the peer finish its flight and read our alert
 * before the socket goes away, as a server's lingering close does. */
void
hl_endpoint_linger (HlEndpoint *self,
                    guint       ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  char buffer[4096];

  hl_endpoint_shutdown (self);
  for (;;)
    {
      gint64 left_ms = (until - g_get_monotonic_time ()) / 1000;

      if (left_ms <= 0 || wait_fd (self, POLLIN, left_ms) <= 0 ||
          recv (self->fd, buffer, sizeof buffer, 0) <= 0)
        break;
    }
}

gboolean
hl_endpoint_get_session_data (HlEndpoint     *self,
                              gnutls_datum_t *data)
{
  return gnutls_session_get_data2 (self->session, data) >= 0;
}

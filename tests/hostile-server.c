/* hostile-server.c: a misbehaving TLS server on 127.0.0.1 for the tests
 *
 *   hostile-server SCENARIO [PORT]
 *
 * Listens on 127.0.0.1 (PORT, or a free one when 0 or absent), prints the
 * port on stdout, serves one connection the way SCENARIO says and exits.
 * It never lives longer than LIFETIME_S seconds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#define LIFETIME_S 30
#define IO_TIMEOUT_MS 10000
#define CHAIN_LENGTH 50
#define BIG_EXTENSION_SIZE (61 * 1024)

typedef enum
{
  SCENARIO_GARBAGE,
  SCENARIO_SSLV2,
  SCENARIO_HTTP,
  SCENARIO_HELLO_CLOSE,
  SCENARIO_SILENT,
  SCENARIO_DRIBBLE,
  SCENARIO_CHAIN50,
  SCENARIO_CERT60K,
  SCENARIO_NAMES,
  SCENARIO_ALERT,
  SCENARIO_TLS10,
} Scenario;

static const char *scenario_names[] = {
  "garbage", "sslv2", "http", "hello-close", "silent", "dribble",
  "chain50", "cert60k", "names", "alert", "tls10",
};

/* One accepted connection and what the scenario does to its output */
typedef struct
{
  int         fd;
  Scenario    scenario;
  GByteArray *out;        /* bytes GnuTLS wrote that are not forwarded yet */
  gboolean    cut;        /* the scenario ended the flight */
} Conn;

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_certificate_credentials_t, gnutls_certificate_free_credentials, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_session_t, gnutls_deinit, NULL)

static void
die (const char *what,
     int         ret)
{
  g_printerr ("hostile-server: %s: %s\n", what, ret < 0 ? gnutls_strerror (ret) : g_strerror (errno));
  exit (1);
}

static void
check (int         ret,
       const char *what)
{
  if (ret < 0)
    die (what, ret);
}

/* Raw socket I/O, every wait bounded */

static gboolean
send_all (int         fd,
          const void *data,
          gsize       length)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = send (fd, (const char *) data + done, length - done, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += n;
    }
  return TRUE;
}

/* Reads what arrives within @ms milliseconds; FALSE on end of file */
static gboolean
read_for (int fd,
          int ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  char buffer[4096];

  for (;;)
    {
      struct pollfd pfd = { .fd = fd, .events = POLLIN };
      gint64 left = (until - g_get_monotonic_time ()) / 1000;
      ssize_t n;

      if (left <= 0)
        return TRUE;
      if (poll (&pfd, 1, left) <= 0)
        continue;
      n = recv (fd, buffer, sizeof buffer, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
    }
}

/* Waits for the first bytes of the ClientHello */
static void
read_hello (int fd)
{
  struct pollfd pfd = { .fd = fd, .events = POLLIN };
  char buffer[4096];

  if (poll (&pfd, 1, IO_TIMEOUT_MS) > 0)
    {
      /* Let the rest of the hello arrive too */
      g_usleep (20000);
      if (recv (fd, buffer, sizeof buffer, MSG_DONTWAIT) < 0 && errno != EAGAIN)
        return;
    }
}

/* Closes without a reset: our end first, then wait for the client's */
static void
linger_close (int fd)
{
  shutdown (fd, SHUT_WR);
  read_for (fd, IO_TIMEOUT_MS);
  close (fd);
}

/* Scenarios without TLS */

static void
serve_garbage (int fd)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed);
  guint8 junk[512];

  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = g_rand_int_range (rand, 0, 256);
  junk[0] = 0x99;   /* no TLS content type */
  read_hello (fd);
  send_all (fd, junk, sizeof junk);
  linger_close (fd);
}

static void
serve_sslv2 (int fd)
{
  /* An SSL 2.0 SERVER-HELLO: no certificate, one cipher spec
   * (SSL_CK_DES_192_EDE3_CBC_WITH_MD5), a 16-byte connection id */
  static const guint8 hello[] = {
    0x80, 0x1e,
    0x04, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x10,
    0x07, 0x00, 0xc0,
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
  };

  read_hello (fd);
  send_all (fd, hello, sizeof hello);
  linger_close (fd);
}

static void
serve_http (int fd)
{
  static const char reply[] =
    "HTTP/1.1 400 Bad Request\r\n"
    "Server: nginx\r\n"
    "Content-Type: text/html\r\n"
    "Content-Length: 59\r\n"
    "Connection: close\r\n"
    "\r\n"
    "<html><body>This is a plain HTTP server.</body></html>\r\n\r\n";

  read_hello (fd);
  send_all (fd, reply, sizeof reply - 1);
  linger_close (fd);
}

static void
serve_silent (int fd)
{
  /* Accept, read, never answer: until the client gives up */
  read_for (fd, LIFETIME_S * 1000);
  close (fd);
}

/* Certificates, made now */

static gnutls_x509_privkey_t
make_key (void)
{
  gnutls_x509_privkey_t key;

  check (gnutls_x509_privkey_init (&key), "key");
  check (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                       GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0), "key");
  return key;
}

static void
set_dn (gnutls_x509_crt_t  crt,
        const char        *oid,
        const char        *value)
{
  check (gnutls_x509_crt_set_dn_by_oid (crt, oid, 0, value, strlen (value)), "subject");
}

/* A certificate for @key named @cn, signed by @issuer (itself when NULL) */
static gnutls_x509_crt_t
make_cert (gnutls_x509_privkey_t  key,
           const char            *cn,
           gboolean               ca,
           guint                  serial,
           gnutls_x509_crt_t      issuer)
{
  gnutls_x509_crt_t crt;
  time_t now = time (NULL);
  guint8 serial_bytes[4] = { 0x01, (serial >> 16) & 0xff, (serial >> 8) & 0xff, serial & 0xff };

  check (gnutls_x509_crt_init (&crt), "certificate");
  check (gnutls_x509_crt_set_version (crt, 3), "version");
  check (gnutls_x509_crt_set_serial (crt, serial_bytes, sizeof serial_bytes), "serial");
  check (gnutls_x509_crt_set_activation_time (crt, now - 3600), "activation");
  check (gnutls_x509_crt_set_expiration_time (crt, now + 86400), "expiration");
  check (gnutls_x509_crt_set_key (crt, key), "public key");
  set_dn (crt, GNUTLS_OID_X520_COMMON_NAME, cn);
  check (gnutls_x509_crt_set_basic_constraints (crt, ca, -1), "basic constraints");
  check (gnutls_x509_crt_set_key_usage (crt, ca ? GNUTLS_KEY_KEY_CERT_SIGN
                                                : GNUTLS_KEY_DIGITAL_SIGNATURE), "key usage");
  if (issuer == NULL)
    return crt;
  check (gnutls_x509_crt_sign2 (crt, issuer, key, GNUTLS_DIG_SHA256, 0), "signature");
  return crt;
}

static void
self_sign (gnutls_x509_crt_t     crt,
           gnutls_x509_privkey_t key)
{
  check (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "signature");
}

/* A root, 48 intermediates and a leaf, all with the same key to be quick */
static guint
make_long_chain (gnutls_x509_privkey_t  key,
                 gnutls_x509_crt_t     *chain)
{
  gnutls_x509_crt_t previous;

  chain[CHAIN_LENGTH - 1] = make_cert (key, "Hostile Root", TRUE, CHAIN_LENGTH, NULL);
  self_sign (chain[CHAIN_LENGTH - 1], key);
  previous = chain[CHAIN_LENGTH - 1];
  for (int i = CHAIN_LENGTH - 2; i >= 0; i--)
    {
      g_autofree char *cn = i == 0 ? g_strdup ("localhost") : g_strdup_printf ("Hostile Intermediate %d", i);

      chain[i] = make_cert (key, cn, i > 0, i + 1, previous);
      previous = chain[i];
    }
  return CHAIN_LENGTH;
}

/* A leaf carrying 61 KiB of private extension: a 60 KiB Certificate */
static guint
make_big_cert (gnutls_x509_privkey_t  key,
               gnutls_x509_crt_t     *chain)
{
  gsize size = BIG_EXTENSION_SIZE;
  g_autofree guint8 *value = g_malloc (size + 4);

  /* An OCTET STRING of filler */
  value[0] = 0x04;
  value[1] = 0x82;
  value[2] = (size >> 8) & 0xff;
  value[3] = size & 0xff;
  memset (value + 4, 'Z', size);
  chain[0] = make_cert (key, "localhost", FALSE, 1, NULL);
  check (gnutls_x509_crt_set_extension_by_oid (chain[0], "1.3.6.1.4.1.99999.1", value, size + 4, 0),
         "extension");
  self_sign (chain[0], key);
  return 1;
}

/* Names that try to drive the terminal: escapes, controls, bidi overrides,
 * C1 controls and a 10 000-character field */
static guint
make_hostile_names (gnutls_x509_privkey_t  key,
                    gnutls_x509_crt_t     *chain)
{
  static const char cn[] =
    "evil\x1b[31mRED\x1b[0m\x07\x08\r\nnext line \xe2\x80\xaegnp.exe \xc2\x9b" "2J \x7f end";
  static const char ou[] = "\x1b]0;pwned\x07 \x1b[2J\x1b[H \x01\x02\x03\x0c\x0b\x1b" "c";
  g_autofree char *long_name = g_strnfill (10000, 'A');

  chain[0] = make_cert (key, cn, FALSE, 1, NULL);
  set_dn (chain[0], GNUTLS_OID_X520_ORGANIZATION_NAME, long_name);
  set_dn (chain[0], GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, ou);
  check (gnutls_x509_crt_set_subject_alt_name (chain[0], GNUTLS_SAN_DNSNAME, "localhost",
                                               strlen ("localhost"), GNUTLS_FSAN_APPEND), "SAN");
  self_sign (chain[0], key);
  return 1;
}

static gnutls_certificate_credentials_t
make_credentials (Scenario scenario)
{
  g_auto(gnutls_x509_privkey_t) key = make_key ();
  gnutls_x509_crt_t chain[CHAIN_LENGTH];
  gnutls_certificate_credentials_t creds;
  guint n;

  if (scenario == SCENARIO_CHAIN50)
    n = make_long_chain (key, chain);
  else if (scenario == SCENARIO_CERT60K)
    n = make_big_cert (key, chain);
  else if (scenario == SCENARIO_NAMES)
    n = make_hostile_names (key, chain);
  else
    {
      chain[0] = make_cert (key, "localhost", FALSE, 1, NULL);
      self_sign (chain[0], key);
      n = 1;
    }
  check (gnutls_certificate_allocate_credentials (&creds), "credentials");
  check (gnutls_certificate_set_x509_key (creds, chain, n, key), "credentials");
  for (guint i = 0; i < n; i++)
    gnutls_x509_crt_deinit (chain[i]);
  return creds;
}

/* TLS scenarios: GnuTLS as the server, its output reshaped */

static ssize_t
pull_cb (gnutls_transport_ptr_t  ptr,
         void                   *data,
         size_t                  length)
{
  Conn *conn = ptr;

  return recv (conn->fd, data, length, 0);
}

static int
pull_timeout_cb (gnutls_transport_ptr_t ptr,
                 unsigned int           ms)
{
  Conn *conn = ptr;
  struct pollfd pfd = { .fd = conn->fd, .events = POLLIN };

  return poll (&pfd, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? IO_TIMEOUT_MS : (int) ms);
}

/* Forwards the first record (the ServerHello), then ends the flight: with
 * a fatal alert for SCENARIO_ALERT, by closing for SCENARIO_HELLO_CLOSE */
static ssize_t
cut_after_hello (Conn       *conn,
                 const void *data,
                 size_t      length)
{
  static const guint8 alert[] = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 };
  gsize record_length;

  if (conn->cut)
    {
      errno = EPIPE;
      return -1;
    }
  g_byte_array_append (conn->out, data, length);
  if (conn->out->len < 5)
    return length;
  record_length = 5 + ((conn->out->data[3] << 8) | conn->out->data[4]);
  if (conn->out->len < record_length)
    return length;
  send_all (conn->fd, conn->out->data, record_length);
  if (conn->scenario == SCENARIO_ALERT)
    send_all (conn->fd, alert, sizeof alert);
  conn->cut = TRUE;
  shutdown (conn->fd, SHUT_WR);
  return length;
}

static ssize_t
push_cb (gnutls_transport_ptr_t  ptr,
         const void             *data,
         size_t                  length)
{
  Conn *conn = ptr;

  switch (conn->scenario)
    {
    case SCENARIO_ALERT:
    case SCENARIO_HELLO_CLOSE:
      return cut_after_hello (conn, data, length);
    case SCENARIO_DRIBBLE:
      for (size_t i = 0; i < length; i++)
        {
          if (!send_all (conn->fd, (const guint8 *) data + i, 1))
            return -1;
          g_usleep (100);
        }
      return length;
    default:
      return send_all (conn->fd, data, length) ? (ssize_t) length : -1;
    }
}

static const char *
priority_for (Scenario scenario)
{
  switch (scenario)
    {
    case SCENARIO_TLS10:
      return "NORMAL:-VERS-ALL:+VERS-TLS1.0";
    case SCENARIO_ALERT:
      /* Every message of a TLS 1.2 flight is in plaintext records, so
       * a plaintext alert in the middle of it is believable */
      return "NORMAL:-VERS-ALL:+VERS-TLS1.2";
    default:
      return "NORMAL";
    }
}

static void
serve_tls (int      fd,
           Scenario scenario)
{
  g_auto(gnutls_certificate_credentials_t) creds = make_credentials (scenario);
  g_auto(gnutls_session_t) session = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  Conn conn = { .fd = fd, .scenario = scenario, .out = out };
  struct timeval tv = { .tv_sec = IO_TIMEOUT_MS / 1000 };
  int one = 1;
  int ret;
  char buffer[4096];

  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  check (gnutls_init (&session, GNUTLS_SERVER), "session");
  check (gnutls_priority_set_direct (session, priority_for (scenario), NULL), "priority");
  check (gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE, creds), "credentials");
  gnutls_transport_set_ptr (session, &conn);
  gnutls_transport_set_push_function (session, push_cb);
  gnutls_transport_set_pull_function (session, pull_cb);
  gnutls_transport_set_pull_timeout_function (session, pull_timeout_cb);
  gnutls_handshake_set_timeout (session, IO_TIMEOUT_MS);

  do
    ret = gnutls_handshake (session);
  while (ret < 0 && !gnutls_error_is_fatal (ret));
  if (ret < 0)
    {
      g_printerr ("hostile-server: handshake: %s\n", gnutls_strerror (ret));
      if (!conn.cut)
        gnutls_alert_send_appropriate (session, ret);
      linger_close (fd);
      return;
    }
  /* Answer nothing, read until the client says goodbye */
  do
    ret = gnutls_record_recv (session, buffer, sizeof buffer);
  while (ret > 0 || ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED);
  gnutls_bye (session, GNUTLS_SHUT_WR);
  linger_close (fd);
}

/* Listening */

static int
listen_on (guint16 port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port) };
  socklen_t len = sizeof addr;
  int one = 1;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    die ("socket", 0);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0 || listen (fd, 4) != 0)
    die ("bind", 0);
  if (getsockname (fd, (struct sockaddr *) &addr, &len) != 0)
    die ("getsockname", 0);
  printf ("%u\n", ntohs (addr.sin_port));
  fflush (stdout);
  return fd;
}

static int
accept_one (int listener)
{
  struct pollfd pfd = { .fd = listener, .events = POLLIN };
  int fd;

  if (poll (&pfd, 1, LIFETIME_S * 1000) <= 0)
    {
      g_printerr ("hostile-server: nobody connected\n");
      exit (1);
    }
  fd = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);
  if (fd < 0)
    die ("accept", 0);
  return fd;
}

static gboolean
parse_scenario (const char *name,
                Scenario   *scenario)
{
  for (guint i = 0; i < G_N_ELEMENTS (scenario_names); i++)
    if (g_str_equal (name, scenario_names[i]))
      {
        *scenario = i;
        return TRUE;
      }
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  Scenario scenario;
  guint64 port = 0;
  int listener, fd;

  if (argc < 2 || argc > 3 || !parse_scenario (argv[1], &scenario) ||
      (argc == 3 && !g_ascii_string_to_unsigned (argv[2], 10, 0, 65535, &port, NULL)))
    {
      g_autofree char *names = g_strjoinv (" | ", (char **) scenario_names);
      g_printerr ("usage: hostile-server %s [PORT]\n", names);
      return 2;
    }

  /* A bounded lifetime whatever happens: SIGALRM ends the process */
  alarm (LIFETIME_S);
  signal (SIGPIPE, SIG_IGN);
  gnutls_global_init ();

  listener = listen_on (port);
  fd = accept_one (listener);
  close (listener);

  switch (scenario)
    {
    case SCENARIO_GARBAGE:
      serve_garbage (fd);
      break;
    case SCENARIO_SSLV2:
      serve_sslv2 (fd);
      break;
    case SCENARIO_HTTP:
      serve_http (fd);
      break;
    case SCENARIO_SILENT:
      serve_silent (fd);
      break;
    case SCENARIO_HELLO_CLOSE:
    case SCENARIO_DRIBBLE:
    case SCENARIO_CHAIN50:
    case SCENARIO_CERT60K:
    case SCENARIO_NAMES:
    case SCENARIO_ALERT:
    case SCENARIO_TLS10:
    default:
      serve_tls (fd, scenario);
      break;
    }
  gnutls_global_deinit ();
  return 0;
}

/* bench.c: what watching a handshake costs, at any log size
 *
 * Every ratio is measured within one run, its two sides interleaved
 * (alternating which goes first), over several rounds; the median is
 * reported. `meson test -C build --benchmark` runs it; HL_BENCH_QUICK=1
 * makes a short run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sched.h>
#include <spawn.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gnutls/gnutls.h>

#include "bench.h"
#include "hl-capture.h"
#include "hl-demo-pki.h"
#include "hl-export.h"
#include "hl-application.h"
#include "hl-log.h"

#define N_LOG_EVENTS 100000

gboolean bench_quick;
const char *bench_chosen_renderer;

typedef struct
{
  char       *figure;
  char       *measured;
  char       *goal;
  const char *holds;
} Row;

static GPtrArray *rows;
static GPtrArray *notes;

gint64
bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static gint64
cpu_ns (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static double
children_cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static char *
load_average (void)
{
  g_autofree char *text = NULL;

  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL) ||
      g_strv_length (fields = g_strsplit (text, " ", 4)) < 3)
    return g_strdup ("?");
  return g_strdup_printf ("%s %s %s", fields[0], fields[1], fields[2]);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
bench_percentile (GArray *values,
                  double  p)
{
  double rank;
  guint lo;

  g_assert (values->len > 0);
  g_array_sort (values, compare_doubles);
  rank = p / 100.0 * (values->len - 1);
  lo = (guint) rank;
  if (lo + 1 >= values->len)
    return g_array_index (values, double, values->len - 1);
  return g_array_index (values, double, lo) +
         (rank - lo) * (g_array_index (values, double, lo + 1) - g_array_index (values, double, lo));
}

double
bench_median (GArray *values)
{
  return bench_percentile (values, 50);
}

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->figure);
  g_free (row->measured);
  g_free (row->goal);
  g_free (row);
}

void
bench_row (const char *figure,
           const char *goal,
           const char *holds,
           const char *format,
           ...)
{
  Row *row = g_new0 (Row, 1);
  va_list args;

  va_start (args, format);
  row->measured = g_strdup_vprintf (format, args);
  va_end (args);
  row->figure = g_strdup (figure);
  row->goal = g_strdup (goal);
  row->holds = holds;
  g_ptr_array_add (rows, row);
  printf ("# %-34s %-44s goal %-22s %s\n", figure, row->measured, goal, holds);
  fflush (stdout);
}

void
bench_note (const char *format,
            ...)
{
  va_list args;
  char *note;

  va_start (args, format);
  note = g_strdup_vprintf (format, args);
  va_end (args);
  printf ("#   %s\n", note);
  fflush (stdout);
  g_ptr_array_add (notes, note);
}

static const char *
holds (gboolean ok)
{
  return ok ? "yes" : "NO";
}

static void
print_table (void)
{
  gsize w[3] = { strlen ("figure"), strlen ("measured"), strlen ("goal") };

  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);

      w[0] = MAX (w[0], (gsize) g_utf8_strlen (row->figure, -1));
      w[1] = MAX (w[1], (gsize) g_utf8_strlen (row->measured, -1));
      w[2] = MAX (w[2], (gsize) g_utf8_strlen (row->goal, -1));
    }
  printf ("\n| %-*s | %-*s | %-*s | holds |\n", (int) w[0], "figure", (int) w[1], "measured",
          (int) w[2], "goal");
  {
    g_autofree char *d0 = g_strnfill (w[0] + 2, '-');
    g_autofree char *d1 = g_strnfill (w[1] + 2, '-');
    g_autofree char *d2 = g_strnfill (w[2] + 2, '-');

    printf ("|%s|%s|%s|-------|\n", d0, d1, d2);
  }
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);

      /* printf pads bytes, not characters: pad by hand */
      printf ("| %s%*s | %s%*s | %s%*s | %-5s |\n",
              row->figure, (int) (w[0] - g_utf8_strlen (row->figure, -1)), "",
              row->measured, (int) (w[1] - g_utf8_strlen (row->measured, -1)), "",
              row->goal, (int) (w[2] - g_utf8_strlen (row->goal, -1)), "",
              row->holds);
    }
  printf ("\nNotes:\n");
  for (guint i = 0; i < notes->len; i++)
    printf ("- %s\n", (const char *) g_ptr_array_index (notes, i));
  fflush (stdout);
}

/* Capture overhead: bare GnuTLS against the full capture */

static const char demo_request[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
static const char demo_response[] =
  "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 27\r\n\r\n"
  "Hello from Handshake Lens!\n";

typedef struct
{
  const char    *name;
  HlTlsVersion   version;
  HlKeyExchange  kx;
  const char    *priority;   /* what the demo uses for this variant */
} Variant;

static const Variant variants[] = {
  { "TLS 1.3 ECDHE P-256", HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, "NORMAL:-VERS-ALL:+VERS-TLS1.3" },
  { "TLS 1.2 RSA", HL_TLS_VERSION_1_2, HL_KEY_EXCHANGE_RSA, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA" },
};

typedef struct
{
  gnutls_session_t session;
  int              fd;
  gboolean         ok;
} BarePeer;

#define CHECK(expr) G_STMT_START { if ((expr) < 0) return FALSE; } G_STMT_END

/* As the capture's endpoints do: a ticket or a warning is no data yet */
static ssize_t
bare_recv (gnutls_session_t  session,
           char             *buffer,
           gsize             size)
{
  ssize_t n;

  do
    n = gnutls_record_recv (session, buffer, size);
  while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED);
  return n;
}

static gboolean
bare_handshake (gnutls_session_t session)
{
  int ret;

  do
    ret = gnutls_handshake (session);
  while (ret < 0 && !gnutls_error_is_fatal (ret));
  if (ret < 0)
    g_printerr ("bare handshake: %s\n", gnutls_strerror (ret));
  return ret >= 0;
}

static gboolean
bare_server_run (BarePeer *peer)
{
  char buffer[4096];
  gsize received = 0;

  if (!bare_handshake (peer->session))
    return FALSE;
  while (received < sizeof demo_request - 1)
    {
      ssize_t n = bare_recv (peer->session, buffer, sizeof buffer);

      if (n <= 0)
        return FALSE;
      received += n;
    }
  CHECK (gnutls_record_send (peer->session, demo_response, sizeof demo_response - 1));
  gnutls_bye (peer->session, GNUTLS_SHUT_WR);
  while (bare_recv (peer->session, buffer, sizeof buffer) > 0)
    ;
  return TRUE;
}

static gpointer
bare_server_main (gpointer data)
{
  BarePeer *peer = data;

  peer->ok = bare_server_run (peer);
  shutdown (peer->fd, SHUT_WR);
  return NULL;
}

static gboolean
bare_client_run (BarePeer *peer)
{
  char buffer[4096];
  ssize_t n;

  if (!bare_handshake (peer->session))
    return FALSE;
  CHECK (gnutls_record_send (peer->session, demo_request, sizeof demo_request - 1));
  do
    n = bare_recv (peer->session, buffer, sizeof buffer);
  while (n > 0);
  if (n < 0)
    {
      g_printerr ("bare client: %s\n", gnutls_strerror (n));
      return FALSE;
    }
  gnutls_bye (peer->session, GNUTLS_SHUT_WR);
  return TRUE;
}

/* One demo exchange with plain GnuTLS sessions doing what the demo's
 * sessions do (credentials loaded from the demo PKI for each capture, a
 * ticket key, a socket pair, a server thread, the same priorities, the
 * server chain verified for "localhost", one request and one answer, a
 * polite close), without hooks, key log, transport callbacks or events */
static gboolean
bare_once (const Variant *v,
           const char    *pki_dir)
{
  HlDemoKeyType type = v->kx == HL_KEY_EXCHANGE_RSA ? HL_DEMO_KEY_RSA : HL_DEMO_KEY_ECDSA;
  g_autofree char *ca = hl_demo_pki_path (pki_dir, type, HL_DEMO_CERT_CA, FALSE);
  g_autofree char *crt = hl_demo_pki_path (pki_dir, type, HL_DEMO_CERT_SERVER, FALSE);
  g_autofree char *key = hl_demo_pki_path (pki_dir, type, HL_DEMO_CERT_SERVER, TRUE);
  gnutls_certificate_credentials_t server_creds, client_creds;
  gnutls_datum_t ticket_key = { NULL, 0 };
  BarePeer server = { 0 }, client = { 0 };
  GThread *thread;
  int fds[2];

  if (!hl_demo_pki_ensure (pki_dir, NULL))
    return FALSE;
  gnutls_certificate_allocate_credentials (&server_creds);
  gnutls_certificate_allocate_credentials (&client_creds);
  if (gnutls_certificate_set_x509_key_file (server_creds, crt, key, GNUTLS_X509_FMT_PEM) < 0 ||
      gnutls_certificate_set_x509_trust_file (server_creds, ca, GNUTLS_X509_FMT_PEM) < 0 ||
      gnutls_certificate_set_x509_trust_file (client_creds, ca, GNUTLS_X509_FMT_PEM) < 0 ||
      gnutls_session_ticket_key_generate (&ticket_key) < 0 ||
      socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    g_error ("bare GnuTLS set-up failed");

  gnutls_init (&server.session, GNUTLS_SERVER);
  gnutls_priority_set_direct (server.session, v->priority, NULL);
  gnutls_credentials_set (server.session, GNUTLS_CRD_CERTIFICATE, server_creds);
  gnutls_certificate_server_set_request (server.session, GNUTLS_CERT_IGNORE);
  gnutls_session_ticket_enable_server (server.session, &ticket_key);
  gnutls_transport_set_int (server.session, fds[0]);
  server.fd = fds[0];

  gnutls_init (&client.session, GNUTLS_CLIENT);
  gnutls_priority_set_direct (client.session, v->priority, NULL);
  gnutls_credentials_set (client.session, GNUTLS_CRD_CERTIFICATE, client_creds);
  gnutls_server_name_set (client.session, GNUTLS_NAME_DNS, "localhost", strlen ("localhost"));
  gnutls_session_set_verify_cert (client.session, "localhost", 0);
  gnutls_transport_set_int (client.session, fds[1]);
  client.fd = fds[1];

  thread = g_thread_new ("bare-server", bare_server_main, &server);
  client.ok = bare_client_run (&client);
  shutdown (fds[1], SHUT_WR);
  g_thread_join (thread);

  gnutls_deinit (client.session);
  gnutls_deinit (server.session);
  close (fds[0]);
  close (fds[1]);
  gnutls_free (ticket_key.data);
  gnutls_certificate_free_credentials (server_creds);
  gnutls_certificate_free_credentials (client_creds);
  return client.ok && server.ok;
}

typedef enum
{
  LEVEL_BARE,      /* plain GnuTLS */
  LEVEL_ENGINE,    /* the capture, its events delivered to the caller */
  LEVEL_DECODE,    /* and every field tree decoded there */
  LEVEL_FULL,      /* and every event (field tree included) written to a log file */
  N_LEVELS,
} Level;

static const char *level_names[N_LEVELS] = {
  "bare GnuTLS", "capture, events delivered", "events delivered and decoded there",
  "full capture (events delivered, decoded and written by the log writer)",
};

typedef struct
{
  HlLogWriter *writer;
  Level        level;
  guint        n_events;
} Watch;

/* What the command line does with the events: each reaches the caller
 * (hl_capture_run() runs the client on the caller's thread), and each
 * batch of them goes to the log writer, which decodes their fields and
 * writes them there */
static void
event_cb (HlCapture *capture,
          HlEvent   *event,
          Watch     *watch)
{
  if (watch->level == LEVEL_DECODE)
    hl_event_get_fields (event);
  watch->n_events++;
}

static void
events_added_cb (GListModel *events,
                 guint       position,
                 guint       removed,
                 guint       added,
                 Watch      *watch)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_full (added, g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < added; i++)
    g_ptr_array_add (batch, g_list_model_get_item (events, position + i));
  if (!hl_log_writer_write_events (watch->writer, (HlEvent * const *) batch->pdata, batch->len, &error))
    g_error ("%s", error->message);
}

static HlCapture *
new_demo (const Variant *v,
          const char    *pki_dir)
{
  HlCaptureConfig config;

  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_DEMO;
  config.version = v->version;
  config.key_exchange = v->kx;
  config.pki_dir = pki_dir;
  return hl_capture_new (&config);
}

static guint
capture_once (const Variant *v,
              const char    *pki_dir,
              const char    *log_path,
              Level          level)
{
  g_autoptr(HlCapture) capture = new_demo (v, pki_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *target = hl_capture_dup_target (capture);
  Watch watch = { NULL, level, 0 };

  if (level >= LEVEL_FULL &&
      (watch.writer = hl_log_writer_new_for_path (log_path, "demo", target, TRUE, &error)) == NULL)
    g_error ("%s", error->message);
  g_signal_connect (capture, "event", G_CALLBACK (event_cb), &watch);
  if (watch.writer != NULL)
    {
      hl_capture_set_render_ahead (capture, TRUE);
      g_signal_connect (hl_capture_get_events (capture), "items-changed", G_CALLBACK (events_added_cb), &watch);
    }
  if (!hl_capture_run (capture, NULL, &error) ||
      (watch.writer != NULL && !hl_log_writer_close (watch.writer, &error)))
    g_error ("capture: %s", error->message);
  g_clear_object (&watch.writer);
  return watch.n_events;
}

/* The median time to create an empty file in @dir and close it, over
 * @n files that are kept: what the file system takes for a new log */
static double
file_creation_us (const char *dir,
                  guint       n,
                  GPtrArray  *made)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n; i++)
    {
      char *path = g_strdup_printf ("%s/probe-%u", dir, i);
      gint64 start = bench_now_ns ();
      int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      double us = (bench_now_ns () - start) / 1e3;

      if (fd < 0)
        g_error ("could not create %s: %s", path, g_strerror (errno));
      close (fd);
      g_array_append_val (times, us);
      g_ptr_array_add (made, path);
    }
  return bench_median (times);
}

/* Two threads that answer each other over a socket pair, each working
 * for a while before it answers, as a handshake's two sides do */
typedef struct
{
  int    fd;
  int    cpu;
  guint  n;
  double work_us;
} Pong;

static void
pin_to_cpu (int cpu)
{
  cpu_set_t set;

  CPU_ZERO (&set);
  CPU_SET (cpu, &set);
  sched_setaffinity (0, sizeof set, &set);
}

static void
work_for (double us)
{
  gint64 start = bench_now_ns ();

  while (bench_now_ns () - start < us * 1e3)
    ;
}

static gpointer
pong_main (gpointer data)
{
  Pong *pong = data;
  char byte;

  pin_to_cpu (pong->cpu);
  for (guint i = 0; i < pong->n && read (pong->fd, &byte, 1) == 1; i++)
    {
      work_for (pong->work_us);
      if (write (pong->fd, &byte, 1) != 1)
        break;
    }
  return NULL;
}

/* What a round trip costs beyond the two sides' work, in µs, with the
 * asking thread on the first CPU this process may use and the answering
 * one on the same (@other_cpu FALSE) or the next; -1 if there is none */
static double
round_trip_us (gboolean other_cpu,
               double   work_us)
{
  Pong pong = { -1, -1, 400, work_us };
  cpu_set_t saved;
  GThread *thread;
  int cpus[2] = { -1, -1 };
  int fds[2];
  char byte = 'x';
  gint64 start;
  double us;

  if (sched_getaffinity (0, sizeof saved, &saved) != 0)
    return -1;
  for (int cpu = 0, n = 0; cpu < CPU_SETSIZE && n < 2; cpu++)
    if (CPU_ISSET (cpu, &saved))
      cpus[n++] = cpu;
  if (cpus[1] < 0 || socketpair (AF_UNIX, SOCK_STREAM, 0, fds) != 0)
    return -1;
  pin_to_cpu (cpus[0]);
  pong.fd = fds[1];
  pong.cpu = cpus[other_cpu ? 1 : 0];
  thread = g_thread_new ("bench-pong", pong_main, &pong);
  start = bench_now_ns ();
  for (guint i = 0; i < pong.n; i++)
    {
      if (write (fds[0], &byte, 1) != 1 || read (fds[0], &byte, 1) != 1)
        break;
      work_for (work_us);
    }
  us = (bench_now_ns () - start) / 1e3 / pong.n - 2 * work_us;
  /* the answering thread ends when its socket does */
  close (fds[0]);
  g_thread_join (thread);
  close (fds[1]);
  sched_setaffinity (0, sizeof saved, &saved);
  return us;
}

static void
measure_capture_overhead (const char *pki_dir,
                          const char *tmp_dir)
{
  guint n_rounds = bench_quick ? 3 : 9;
  guint n_handshakes = bench_quick ? 8 : 24;
  g_autoptr(GPtrArray) log_paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) probes = g_ptr_array_new_with_free_func (g_free);
  double creation_us = file_creation_us (tmp_dir, n_handshakes, probes);
  double same_cpu_us, other_cpu_us;
  guint n_logs = 0;

  /* Each capture writes a new log, as the command line does, rather than
   * truncating the last one (which makes ext4 write it out at once). The
   * logs are deleted when the figure is done: deleting is not part of a
   * capture, and an ext4 without a journal (this machine's) is slow to
   * create files where many were deleted in the last minutes, since it
   * steps over every inode freed then (a quarter of a millisecond for
   * each file once a few hundred had been deleted). */
  for (guint i = 0; i < G_N_ELEMENTS (variants) * (1 + n_rounds * n_handshakes); i++)
    g_ptr_array_add (log_paths, g_strdup_printf ("%s/overhead-%u.hllog", tmp_dir, i));

  for (guint k = 0; k < G_N_ELEMENTS (variants); k++)
    {
      const Variant *v = &variants[k];
      GArray *wall[N_LEVELS], *cpu[N_LEVELS];
      g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) cpu_ratios = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *figure = g_strdup_printf ("capture overhead, %s", v->name);
      g_autofree char *cpu_figure = g_strdup_printf ("capture CPU cost, %s", v->name);
      g_autoptr(GString) split = g_string_new (NULL);
      guint n_events = 0;
      double ratio, cpu_ratio;

      for (guint l = 0; l < N_LEVELS; l++)
        {
          wall[l] = g_array_new (FALSE, FALSE, sizeof (double));
          cpu[l] = g_array_new (FALSE, FALSE, sizeof (double));
        }
      /* warm up (PKI, GnuTLS, thread pool, page cache) */
      bare_once (v, pki_dir);
      capture_once (v, pki_dir, g_ptr_array_index (log_paths, n_logs++), LEVEL_FULL);

      for (guint r = 0; r < n_rounds; r++)
        {
          double t[N_LEVELS], c[N_LEVELS];

          /* each round starts with another level */
          for (guint j = 0; j < N_LEVELS; j++)
            {
              Level level = (j + r) % N_LEVELS;
              gint64 start = bench_now_ns ();
              gint64 cpu_start = cpu_ns (CLOCK_PROCESS_CPUTIME_ID);

              for (guint i = 0; i < n_handshakes; i++)
                {
                  if (level == LEVEL_BARE && !bare_once (v, pki_dir))
                    g_error ("bare handshake failed");
                  if (level != LEVEL_BARE)
                    n_events = capture_once (v, pki_dir,
                                             level == LEVEL_FULL ? g_ptr_array_index (log_paths, n_logs++) : NULL,
                                             level);
                }
              t[level] = (bench_now_ns () - start) / 1e6 / n_handshakes;
              c[level] = (cpu_ns (CLOCK_PROCESS_CPUTIME_ID) - cpu_start) / 1e6 / n_handshakes;
            }
          for (guint l = 0; l < N_LEVELS; l++)
            {
              g_array_append_val (wall[l], t[l]);
              g_array_append_val (cpu[l], c[l]);
            }
          ratio = t[LEVEL_FULL] / t[LEVEL_BARE];
          g_array_append_val (ratios, ratio);
          cpu_ratio = c[LEVEL_FULL] / c[LEVEL_BARE];
          g_array_append_val (cpu_ratios, cpu_ratio);
        }
      ratio = bench_median (ratios);
      cpu_ratio = bench_median (cpu_ratios);
      bench_row (figure, "≤ 1.05× bare", holds (ratio <= 1.05),
                 "%.2f× (%.2f ms vs %.2f ms bare)", ratio, bench_median (wall[LEVEL_FULL]),
                 bench_median (wall[LEVEL_BARE]));
      bench_row (cpu_figure, "≤ 1.05× bare", holds (cpu_ratio <= 1.05),
                 "%.2f× (%.2f ms vs %.2f ms of CPU)", cpu_ratio, bench_median (cpu[LEVEL_FULL]),
                 bench_median (cpu[LEVEL_BARE]));
      for (guint l = 0; l < N_LEVELS; l++)
        g_string_append_printf (split, "%s%s %.2f ms wall, %.2f ms CPU", l > 0 ? "; " : "",
                                level_names[l], bench_median (wall[l]), bench_median (cpu[l]));
      bench_note ("%s: %u rounds × %u exchanges per level, %u events each, medians per exchange: %s "
                  "(per-round ratios of the full capture from %.2f× to %.2f×)",
                  v->name, n_rounds, n_handshakes, n_events, split->str,
                  g_array_index (ratios, double, 0), g_array_index (ratios, double, ratios->len - 1));
      for (guint l = 0; l < N_LEVELS; l++)
        {
          g_array_unref (wall[l]);
          g_array_unref (cpu[l]);
        }
    }
  for (guint i = 0; i < log_paths->len; i++)
    g_unlink (g_ptr_array_index (log_paths, i));
  for (guint i = 0; i < probes->len; i++)
    g_unlink (g_ptr_array_index (probes, i));
  bench_note ("creating a file in the logs' folder took %.0f µs (the median of %u, before the figure): the log "
              "writer creates a new log with its first batch, once the client has sent its ClientHello",
              creation_us, n_handshakes);
  same_cpu_us = round_trip_us (FALSE, 100);
  other_cpu_us = round_trip_us (TRUE, 100);
  if (same_cpu_us >= 0 && other_cpu_us >= 0)
    bench_note ("a socket round trip between two threads that each work 100 µs before answering took %.0f µs "
                "more than that work with both on one core, and %.0f µs more with one on each of two cores, "
                "where each answer wakes a core that has gone idle: Linux wakes a socket's reader on its "
                "writer's core where it can, so the work a capture does after a send (the demo server's lines, "
                "the client's batches) mostly waits with the peer it woke rather than running beside it",
                same_cpu_us, other_cpu_us);
  bench_note ("capture overhead compares like with like: every level loads the demo credentials, makes a "
              "ticket key, a socket pair and a server thread per exchange, uses the demo's priorities and "
              "certificates, verifies the server chain, sends one request and one answer and closes; the "
              "capture adds hooks, key log, transport callbacks and events delivered to the caller, then "
              "every field tree decoded, then every event written to a log file (HlLogWriter)");
}

/* The long log */

/* The demo captures whose events the long log repeats */
static GPtrArray *
demo_event_lines (const char *pki_dir,
                  gint64     *span_ns)
{
  static const struct {
    HlTlsVersion version;
    HlKeyExchange kx;
    gboolean mutual;
    HlScenario scenario;
  } demos[] = {
    { HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, FALSE, HL_SCENARIO_NONE },
    { HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, TRUE, HL_SCENARIO_NONE },
    { HL_TLS_VERSION_1_2, HL_KEY_EXCHANGE_RSA, FALSE, HL_SCENARIO_NONE },
    { HL_TLS_VERSION_1_2, HL_KEY_EXCHANGE_ECDHE, TRUE, HL_SCENARIO_NONE },
    { HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, FALSE, HL_SCENARIO_HELLO_RETRY },
    { HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, FALSE, HL_SCENARIO_RESUMPTION },
  };
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  *span_ns = 0;
  for (guint d = 0; d < G_N_ELEMENTS (demos); d++)
    {
      HlCaptureConfig config;
      g_autoptr(HlCapture) capture = NULL;
      GListModel *events;

      hl_capture_config_init (&config);
      config.mode = HL_CAPTURE_MODE_DEMO;
      config.version = demos[d].version;
      config.key_exchange = demos[d].kx;
      config.mutual = demos[d].mutual;
      config.scenario = demos[d].scenario;
      config.pki_dir = pki_dir;
      capture = hl_capture_new (&config);
      if (!hl_capture_run (capture, NULL, NULL))
        g_error ("demo %u failed", d);
      events = hl_capture_get_events (capture);
      for (guint i = 0; i < g_list_model_get_n_items (events); i++)
        {
          g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
          g_autoptr(JsonNode) node = hl_event_to_json (event, TRUE);

          g_ptr_array_add (lines, json_to_string (node, FALSE));
          *span_ns = MAX (*span_ns, hl_event_get_time_ns (event));
        }
    }
  return lines;
}

/* Where a line goes on after `{"seq":N,"t_ns":T` */
static const char *
after_stamp (const char *line)
{
  const char *p;

  if (!g_str_has_prefix (line, "{\"seq\":") || (p = strstr (line, ",\"t_ns\":")) == NULL)
    g_error ("unexpected event line %.40s", line);
  p += strlen (",\"t_ns\":");
  if (*p == '-')
    p++;
  while (g_ascii_isdigit (*p))
    p++;
  return p;
}

/* The demo events, repeated with new sequence numbers and times, written
 * as the application writes logs (with the decoded field trees) */
static void
write_long_log (GPtrArray  *lines,
                gint64      span_ns,
                guint       n_events,
                const char *path,
                const char *small_path)
{
  g_autofree char *header = hl_log_format_header ("demo", "benchmark: demo captures repeated", TRUE);
  FILE *out = fopen (path, "w");
  FILE *small = fopen (small_path, "w");
  guint cycle = 0;

  g_assert (out != NULL && small != NULL);
  fprintf (out, "%s\n", header);
  fprintf (small, "%s\n", header);
  for (guint seq = 0; seq < n_events; cycle++)
    for (guint i = 0; i < lines->len && seq < n_events; i++, seq++)
      {
        const char *line = g_ptr_array_index (lines, i);
        const char *rest = after_stamp (line);
        g_autofree char *t_text = g_strndup (strstr (line, ",\"t_ns\":") + 8,
                                             rest - (strstr (line, ",\"t_ns\":") + 8));
        gint64 t_ns = g_ascii_strtoll (t_text, NULL, 10) + (gint64) cycle * (span_ns + 1000000);

        fprintf (out, "{\"seq\":%u,\"t_ns\":%" G_GINT64_FORMAT "%s\n", seq, t_ns, rest);
        if (cycle == 0)
          fprintf (small, "%s\n", line);
      }
  fclose (out);
  fclose (small);
}

/* A saved log is opened long after it was written: its pages come from
 * the disk through the kernel's readahead, which caches them in large
 * pieces. A log just written in 4 KiB pieces (fprintf()'s buffer, or
 * the log writer's lines) stays cached in 4 KiB pages, and reading it
 * costs the kernel about three times as much: 15 ms against 5 ms for
 * the 106 MB long log here, as much as a third of the load. So the long
 * log and the pcapng tshark reads are written out, dropped from the
 * cache and read back once, untimed, as a saved file would be. */
static void
read_as_saved (const char *path)
{
  g_autofree char *buffer = g_malloc (1024 * 1024);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    g_error ("cannot open %s: %s", path, g_strerror (errno));
  if (fdatasync (fd) < 0)
    g_printerr ("fdatasync %s: %s\n", path, g_strerror (errno));
  posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
  while (read (fd, buffer, 1024 * 1024) > 0)
    ;
  close (fd);
}

/* The reader as it was: json-glib for every line */
static guint
load_with_json_glib (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  gsize length;
  char *line, *end;

  if (!g_file_get_contents (path, &data, &length, NULL))
    g_error ("cannot read %s", path);
  end = data + length;
  line = memchr (data, '\n', length) + 1;
  while (line < end)
    {
      char *newline = memchr (line, '\n', end - line);
      gsize n = (newline ? newline : end) - line;
      HlEvent *event;

      if (!g_utf8_validate_len (line, n, NULL) || !json_parser_load_from_data (parser, line, n, NULL) ||
          (event = hl_event_new_from_json (json_node_get_object (json_parser_get_root (parser)), NULL)) == NULL)
        g_error ("json-glib could not read the log");
      g_ptr_array_add (events, event);
      line = newline ? newline + 1 : end;
    }
  return events->len;
}

static HlLog *
load_log (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  HlLog *log = hl_log_load (file, NULL, &error);

  if (log == NULL || hl_log_get_problem (log) != NULL)
    g_error ("log: %s", log ? hl_log_get_problem (log) : error->message);
  return log;
}

/* posix_spawn(), which shares the benchmark's memory with the child
 * until it runs tshark, where GSubprocess forks: a fork marks every page
 * of the benchmark copy-on-write, and the load timed next then took a
 * page fault for each page of heap it wrote (7 000-8 000 faults, 130-150
 * ms instead of 47 ms), a cost of how tshark was started, not of loading */
static double
run_tshark (const char *tshark,
            const char *pcapng)
{
  char *argv[] = { (char *) tshark, (char *) "-r", (char *) pcapng, NULL };
  posix_spawn_file_actions_t actions;
  gint64 start = bench_now_ns ();
  int status = 0, ret;
  pid_t pid;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen (&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  ret = posix_spawn (&pid, tshark, &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  if (ret != 0)
    {
      g_printerr ("tshark failed: %s\n", g_strerror (ret));
      return -1;
    }
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_printerr ("tshark failed (status %d)\n", status);
      return -1;
    }
  return (bench_now_ns () - start) / 1e9;
}

static void
export_pcapng (GListModel *events,
               const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);

  if (out == NULL || !hl_export_pcapng (events, G_OUTPUT_STREAM (out), &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error))
    g_error ("pcapng export: %s", error->message);
}

static void
measure_log_load (const char  *log_path,
                  const char  *tmp_dir,
                  HlLog      **loaded)
{
  guint n_rounds = bench_quick ? 3 : 7;
  guint n_json_rounds = bench_quick ? 1 : 3;
  guint n_tshark_rounds = bench_quick ? 1 : 7;
  guint n_written_rounds = bench_quick ? 1 : 3;
  g_autoptr(GArray) written = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) fast = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) fast_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ours_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) theirs_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_ratios = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) slow = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) theirs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) decode = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *pcapng = g_build_filename (tmp_dir, "long.pcapng", NULL);
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  GStatBuf st;
  double mb, rate;
  guint n_handshake = 0;

  g_stat (log_path, &st);
  mb = st.st_size / 1e6;

  /* the log as just written, for a note; then as a saved log */
  for (guint r = 0; r < n_written_rounds; r++)
    {
      gint64 start = bench_now_ns ();
      HlLog *log = load_log (log_path);
      double t = (bench_now_ns () - start) / 1e9;

      g_object_unref (log);
      g_array_append_val (written, t);
    }
  read_as_saved (log_path);

  for (guint r = 0; r < n_rounds; r++)
    {
      gint64 start = bench_now_ns ();
      gint64 cpu_start = cpu_ns (CLOCK_PROCESS_CPUTIME_ID);
      g_autoptr(HlLog) log = load_log (log_path);
      GListModel *events = hl_log_get_events (log);
      guint n = g_list_model_get_n_items (events);
      double t;

      /* ready to draw: what a row shows is at hand */
      for (guint i = 0; i < n; i++)
        {
          HlEvent *event = g_list_model_get_item (events, i);

          (void) hl_event_get_handshake_name (event);
          (void) hl_event_get_length (event);
          g_object_unref (event);
        }
      t = (bench_now_ns () - start) / 1e9;
      g_assert_cmpuint (n, ==, N_LOG_EVENTS);
      g_array_append_val (fast, t);
      t = (cpu_ns (CLOCK_PROCESS_CPUTIME_ID) - cpu_start) / 1e9;
      g_array_append_val (fast_cpu, t);

      if (r < n_json_rounds)
        {
          start = bench_now_ns ();
          load_with_json_glib (log_path);
          t = (bench_now_ns () - start) / 1e9;
          g_array_append_val (slow, t);
        }
      if (r == 0)
        {
          /* decoding every field tree, which the application does only
           * for the message shown */
          start = bench_now_ns ();
          for (guint i = 0; i < n; i++)
            {
              HlEvent *event = g_list_model_get_item (events, i);

              n_handshake += hl_event_get_fields (event) != NULL;
              g_object_unref (event);
            }
          t = (bench_now_ns () - start) / 1e9;
          g_array_append_val (decode, t);
        }
      if (r == n_rounds - 1)
        *loaded = g_steal_pointer (&log);
    }
  rate = mb / bench_median (fast_cpu);
  bench_row ("log load (100 000 events), CPU", "≥ 200 MB/s on one core", holds (rate >= 200),
             "%.0f MB/s (%.1f MB in %.0f ms of CPU)", rate, mb, bench_median (fast_cpu) * 1e3);
  rate = mb / bench_median (fast);
  bench_row ("log load (100 000 events), wall", "≥ 200 MB/s", holds (rate >= 200),
             "%.0f MB/s (%.1f MB in %.0f ms)", rate, mb, bench_median (fast) * 1e3);
  bench_note ("log load: read, every line checked and parsed, events built and what a row draws at hand; "
              "field trees are decoded when a message is first shown (decoding all %u handshake "
              "messages of the log would take %.0f ms more); the json-glib reader it replaced: %.0f MB/s "
              "(%.0f ms, median of %u)", n_handshake, bench_median (decode) * 1e3,
              mb / bench_median (slow), bench_median (slow) * 1e3, slow->len);
  bench_note ("log load: the long log is read as a saved log, its pages from the disk; just written, "
              "still cached in the 4 KiB pieces it was written in, it loads in %.0f ms (median of %u), "
              "the kernel's copy costing more", bench_median (written) * 1e3, written->len);

  if (tshark == NULL)
    {
      bench_row ("log load against tshark -r", "≥ 10× faster", "-", "not measured: no tshark");
      return;
    }
  export_pcapng (hl_log_get_events (*loaded), pcapng);
  read_as_saved (pcapng);
  for (guint r = 0; r < n_tshark_rounds; r++)
    {
      double t_ours, t_theirs, c_ours, c_theirs = 0, c_start;
      gint64 start, cpu_start;

      c_start = children_cpu_s ();
      t_theirs = r % 2 == 0 ? run_tshark (tshark, pcapng) : 0;
      if (r % 2 == 0)
        c_theirs = children_cpu_s () - c_start;
      g_clear_object (loaded);
      start = bench_now_ns ();
      cpu_start = cpu_ns (CLOCK_PROCESS_CPUTIME_ID);
      *loaded = load_log (log_path);
      t_ours = (bench_now_ns () - start) / 1e9;
      c_ours = (cpu_ns (CLOCK_PROCESS_CPUTIME_ID) - cpu_start) / 1e9;
      c_start = children_cpu_s ();
      if (r % 2 == 1)
        {
          t_theirs = run_tshark (tshark, pcapng);
          c_theirs = children_cpu_s () - c_start;
        }
      if (t_theirs < 0)
        return;
      g_array_append_val (ours, t_ours);
      g_array_append_val (theirs, t_theirs);
      g_array_append_val (ours_cpu, c_ours);
      g_array_append_val (theirs_cpu, c_theirs);
      rate = t_theirs / t_ours;
      g_array_append_val (ratios, rate);
      rate = c_theirs / c_ours;
      g_array_append_val (cpu_ratios, rate);
    }
  g_stat (pcapng, &st);
  /* each round's two runs are next to each other: the ratio of each
   * round is what the host's speed, which drifts, changes least */
  rate = bench_median (ratios);
  bench_row ("log load against tshark -r, wall", "≥ 10× faster", holds (rate >= 10),
             "%.1f× faster (%.0f ms vs %.0f ms)", rate, bench_median (ours) * 1e3, bench_median (theirs) * 1e3);
  rate = bench_median (cpu_ratios);
  bench_row ("log load against tshark -r, CPU", "≥ 10× faster", holds (rate >= 10),
             "%.1f× less CPU (%.0f ms vs %.0f ms)", rate, bench_median (ours_cpu) * 1e3,
             bench_median (theirs_cpu) * 1e3);
  bench_note ("tshark -r reads the pcapng export of the same log (%.1f MB, the records of one side in "
              "synthesized TCP frames, keys embedded so it decrypts), its output discarded; %u rounds, each "
              "a load and a tshark run in turn, the medians of each round's ratio (wall: from %.1f× to %.1f×)",
              st.st_size / 1e6, ratios->len, g_array_index (ratios, double, 0),
              g_array_index (ratios, double, ratios->len - 1));
}

/* Memory: in a fresh process, so that nothing else is on the heap */

static gsize
resident_bytes (void)
{
  g_autofree char *text = NULL;
  unsigned long size = 0, resident = 0;

  if (g_file_get_contents ("/proc/self/statm", &text, NULL, NULL))
    sscanf (text, "%lu %lu", &size, &resident);
  return resident * sysconf (_SC_PAGESIZE);
}

static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

static gsize
bytes_size (GBytes *bytes)
{
  return bytes != NULL ? g_bytes_get_size (bytes) : 0;
}

/* Counted without asking for the bytes: a loaded message or record makes
 * its GBytes when first asked for it */
static gsize
raw_bytes_of (HlEvent *event)
{
  gsize total = hl_event_get_length (event) + bytes_size (hl_event_get_client_random (event)) +
                bytes_size (hl_event_get_secret (event));
  GPtrArray *chain = hl_event_get_chain (event);

  for (guint i = 0; chain != NULL && i < chain->len; i++)
    total += bytes_size (g_ptr_array_index (chain, i));
  return total;
}

static int
memory_child (const char *log_path)
{
  gsize rss_before, heap_before, raw = 0;
  g_autoptr(HlLog) log = NULL;
  GListModel *events;
  guint n;

  hl_log_get_type ();
  hl_event_get_type ();
  malloc_trim (0);
  rss_before = resident_bytes ();
  heap_before = heap_in_use ();
  log = load_log (log_path);
  malloc_trim (0);
  events = hl_log_get_events (log);
  n = g_list_model_get_n_items (events);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      raw += raw_bytes_of (event);
    }
  printf ("%u %zu %zd %zd\n", n, raw, (gssize) (resident_bytes () - rss_before),
          (gssize) (heap_in_use () - heap_before));
  return 0;
}

static void
measure_memory (const char *self_path,
                const char *log_path)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  guint n;
  gsize raw;
  gssize rss, heap;
  double per_event_rss, per_event_heap;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path, "--memory-child", log_path, NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error) ||
      sscanf (out, "%u %zu %zd %zd", &n, &raw, &rss, &heap) != 4)
    g_error ("memory child: %s", error ? error->message : out);
  per_event_rss = ((double) rss - raw) / n;
  per_event_heap = ((double) heap - raw) / n;
  bench_row ("memory per event beyond raw bytes", "< 1 KiB", holds (per_event_rss < 1024),
             "%.0f B resident (%.0f B of heap)", per_event_rss, per_event_heap);
  bench_note ("memory: %u events loaded from the long log in a fresh process hold %.1f MB of raw "
              "bytes (messages, records, secrets, chains); resident memory grew by %.1f MB, the heap in "
              "use by %.1f MB", n, raw / 1e6, rss / 1e6, heap / 1e6);
}

/* HL_BENCH_ONLY=capture,load,memory,ui (or frame,pixels,startup): some
 * figures only */
gboolean
bench_wanted (const char *part)
{
  const char *only = g_getenv ("HL_BENCH_ONLY");
  g_auto(GStrv) parts = NULL;

  if (only == NULL || *only == '\0')
    return TRUE;
  parts = g_strsplit (only, ",", 0);
  return g_strv_contains ((const char *const *) parts, part) ||
         (g_strv_contains ((const char *const *) parts, "ui") &&
          (strcmp (part, "frame") == 0 || strcmp (part, "pixels") == 0 || strcmp (part, "startup") == 0));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmp_dir = NULL;
  g_autofree char *pki_dir = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *small_path = NULL;
  g_autofree char *self_path = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(HlLog) log = NULL;
  gint64 span_ns, start = bench_now_ns ();
  g_autofree char *load_start = load_average ();
  gboolean any_ui;

  /* as the application does: its renderer where no GPU draws (the
   * start-up children too), and a log loaded after another reuses what
   * the one before freed */
  bench_chosen_renderer = hl_application_choose_renderer ();
  hl_log_keep_freed_memory ();
  if (argc == 3 && strcmp (argv[1], "--memory-child") == 0)
    return memory_child (argv[2]);
  if (argc == 3 && strcmp (argv[1], "--startup-child") == 0)
    return bench_ui_startup_child (argv[2]);
  if (argc == 2 && strcmp (argv[1], "--startup-baseline-child") == 0)
    return bench_ui_baseline_child ();
  /* for profiling: --profile-capture|--profile-bare N PKI_DIR */
  if (argc == 4 && (strcmp (argv[1], "--profile-capture") == 0 || strcmp (argv[1], "--profile-bare") == 0))
    {
      int n = atoi (argv[2]);

      hl_demo_pki_ensure (argv[3], NULL);
      /* a log each, deleted at the end, as the figure does */
      for (int i = 0; i < n; i++)
        if (argv[1][10] == 'c')
          {
            g_autofree char *path = g_strdup_printf ("%s/profile-%d.hllog", argv[3], i);

            capture_once (&variants[0], argv[3], path,
                          g_getenv ("HL_PROFILE_LEVEL") ? atoi (g_getenv ("HL_PROFILE_LEVEL")) : LEVEL_FULL);
          }
        else
          bare_once (&variants[0], argv[3]);
      for (int i = 0; i < n && argv[1][10] == 'c'; i++)
        {
          g_autofree char *path = g_strdup_printf ("%s/profile-%d.hllog", argv[3], i);

          g_unlink (path);
        }
      return 0;
    }

  /* for profiling the loader: --profile-load N DIR (the long log is written in DIR) */
  if (argc == 4 && strcmp (argv[1], "--profile-load") == 0)
    {
      g_autofree char *pki = g_build_filename (argv[3], "pki", NULL);
      g_autofree char *path = g_build_filename (argv[3], "long.hllog", NULL);
      g_autofree char *small = g_build_filename (argv[3], "demo.hllog", NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          hl_demo_pki_ensure (pki, NULL);
          lines = demo_event_lines (pki, &span_ns);
          write_long_log (lines, span_ns, N_LOG_EVENTS, path, small);
        }
      read_as_saved (path);
      /* each load's time: the first in a fresh process, the later ones
       * in the heap the one before left */
      for (int i = 0; i < atoi (argv[2]); i++)
        {
          gint64 began, cpu_start;

          g_clear_object (&log);
          began = bench_now_ns ();
          cpu_start = cpu_ns (CLOCK_PROCESS_CPUTIME_ID);
          log = load_log (path);
          printf ("load %d: %.2f ms, %.2f ms of CPU\n", i + 1, (bench_now_ns () - began) / 1e6,
                  (cpu_ns (CLOCK_PROCESS_CPUTIME_ID) - cpu_start) / 1e6);
        }
      return 0;
    }

  bench_quick = g_strcmp0 (g_getenv ("HL_BENCH_QUICK"), "1") == 0;
  any_ui = bench_wanted ("frame") || bench_wanted ("pixels") || bench_wanted ("startup");
  rows = g_ptr_array_new_with_free_func (row_free);
  notes = g_ptr_array_new_with_free_func (g_free);
  self_path = g_file_read_link ("/proc/self/exe", NULL);
  tmp_dir = g_dir_make_tmp ("hl-bench-XXXXXX", NULL);
  pki_dir = g_build_filename (tmp_dir, "pki", NULL);
  log_path = g_build_filename (tmp_dir, "long.hllog", NULL);
  small_path = g_build_filename (tmp_dir, "demo.hllog", NULL);

  printf ("# Handshake Lens benchmark%s: %u cores, GnuTLS %s\n", bench_quick ? " (quick)" : "",
          g_get_num_processors (), gnutls_check_version (NULL));
  if (!hl_demo_pki_ensure (pki_dir, NULL))
    g_error ("no demo PKI");

  if (bench_wanted ("capture"))
    measure_capture_overhead (pki_dir, tmp_dir);

  lines = demo_event_lines (pki_dir, &span_ns);
  write_long_log (lines, span_ns, N_LOG_EVENTS, log_path, small_path);
  if (bench_wanted ("load"))
    measure_log_load (log_path, tmp_dir, &log);
  else
    log = load_log (log_path);
  if (bench_wanted ("memory"))
    measure_memory (self_path, log_path);

  if (any_ui && (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL))
    bench_ui_run (self_path, pki_dir, small_path, log_path, hl_log_get_events (log));
  else if (any_ui)
    {
      bench_row ("diagram frame", "100 000 ≤ 1.2× 100, < 4 ms", "-", "not measured: no display");
      bench_row ("hook to pixels (p95)", "< 16.7 ms", "-", "not measured: no display");
      bench_row ("start-up to first frame", "< 300 ms", "-", "not measured: no display");
    }

  {
    g_autofree char *load = load_average ();
    bench_note ("load average at the end: %s (at the start: %s); wall-clock figures suffer when other work "
                "runs, CPU-time figures much less", load, load_start);
  }
  print_table ();
  printf ("\n# %.0f s in all\n", (bench_now_ns () - start) / 1e9);

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", tmp_dir);
  }
  return 0;
}

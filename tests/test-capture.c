/* test-capture.c: demo captures end to end, through the real engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>

#include <sys/socket.h>
#include "hl-capture-private.h"
#include "hl-demo-pki.h"
#include "hl-endpoint.h"
#include "hl-event-private.h"
#include "hl-log.h"
#include "hl-test-util.h"


typedef struct
{
  HlTlsVersion   version;
  gboolean       mutual;
  HlKeyExchange  kx;
  HlScenario     scenario;
} Demo;

static GListModel *
run_demo (const Demo *demo,
          GError    **error)
{
  return hl_test_run_demo (demo->version, demo->mutual, demo->kx, demo->scenario, error);
}

/* The message types @side sent (OUT) or received (IN), with
 * change_cipher_spec, in order, space-separated */
static char *
messages (GListModel  *events,
          HlSide       side,
          HlDirection  dir,
          guint        session)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      const char *name = NULL;

      if (hl_event_get_side (event) != side || hl_event_get_direction (event) != dir ||
          hl_event_get_session (event) != session)
        continue;
      if (hl_event_get_kind (event) == HL_EVENT_HANDSHAKE)
        name = hl_event_get_handshake_name (event);
      else if (hl_event_get_kind (event) == HL_EVENT_CHANGE_CIPHER_SPEC)
        name = "change_cipher_spec";
      if (name != NULL)
        g_string_append_printf (out, "%s%s", out->len ? " " : "", name);
    }
  return g_strdup (out->str);
}

/* Every event is in order of sequence and time, and every message or
 * record one side received comes after its peer sent the same bytes */
static void
assert_ordered (GListModel *events)
{
  guint n = g_list_model_get_n_items (events);
  gint64 last_t = -1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      HlEventKind kind = hl_event_get_kind (event);
      gboolean sent_before = FALSE;

      g_assert_cmpuint (hl_event_get_seq (event), ==, i);
      g_assert_cmpint (hl_event_get_time_ns (event), >=, last_t);
      last_t = hl_event_get_time_ns (event);

      if ((kind != HL_EVENT_HANDSHAKE && kind != HL_EVENT_RECORD) ||
          hl_event_get_direction (event) != HL_DIRECTION_IN)
        continue;
      for (guint j = 0; j < i && !sent_before; j++)
        {
          g_autoptr(HlEvent) earlier = g_list_model_get_item (events, j);

          sent_before = hl_event_get_kind (earlier) == kind &&
                        hl_event_get_direction (earlier) == HL_DIRECTION_OUT &&
                        hl_event_get_side (earlier) != hl_event_get_side (event) &&
                        g_bytes_equal (hl_event_get_raw (earlier), hl_event_get_raw (event));
        }
      g_assert_true (sent_before);
    }
}

static void
assert_flows (GListModel *events,
              const char *client_sent,
              const char *server_sent)
{
  g_autofree char *cs = messages (events, HL_SIDE_CLIENT, HL_DIRECTION_OUT, 0);
  g_autofree char *cr = messages (events, HL_SIDE_CLIENT, HL_DIRECTION_IN, 0);
  g_autofree char *ss = messages (events, HL_SIDE_SERVER, HL_DIRECTION_OUT, 0);
  g_autofree char *sr = messages (events, HL_SIDE_SERVER, HL_DIRECTION_IN, 0);

  assert_ordered (events);
  g_assert_cmpstr (cs, ==, client_sent);
  g_assert_cmpstr (sr, ==, client_sent);
  g_assert_cmpstr (ss, ==, server_sent);
  g_assert_cmpstr (cr, ==, server_sent);
}

static HlEvent *
find_state (GListModel *events,
            HlSide      side,
            const char *state)
{
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_side (event) == side && g_strcmp0 (hl_event_get_state (event), state) == 0)
        return g_steal_pointer (&event);
    }
  return NULL;
}

static void
assert_done (GListModel *events,
             const char *version,
             const char *suite)
{
  for (HlSide side = HL_SIDE_CLIENT; side <= HL_SIDE_SERVER; side++)
    {
      g_autoptr(HlEvent) done = find_state (events, side, "handshake_done");

      g_assert_nonnull (done);
      g_assert_cmpstr (hl_event_get_detail (done, "version"), ==, version);
      if (suite != NULL)
        g_assert_cmpstr (hl_event_get_detail (done, "cipher_suite"), ==, suite);
    }
}

#define TLS13_SERVER_ONE_WAY \
  "server_hello change_cipher_spec encrypted_extensions certificate certificate_verify finished " \
  "new_session_ticket new_session_ticket"

static void
test_tls13_one_way (void)
{
  Demo demo = { HL_TLS_VERSION_1_3, FALSE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_NONE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = run_demo (&demo, &error);

  g_assert_no_error (error);
  assert_flows (events, "client_hello change_cipher_spec finished", TLS13_SERVER_ONE_WAY);
  assert_done (events, "TLS1.3", NULL);
}

static void
test_tls13_mutual (void)
{
  Demo demo = { HL_TLS_VERSION_1_3, TRUE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_NONE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = run_demo (&demo, &error);

  g_assert_no_error (error);
  assert_flows (events,
                "client_hello change_cipher_spec certificate certificate_verify finished",
                "server_hello change_cipher_spec encrypted_extensions certificate_request certificate "
                "certificate_verify finished new_session_ticket new_session_ticket");
  assert_done (events, "TLS1.3", NULL);
}

static void
test_tls12_ecdhe (void)
{
  Demo demo = { HL_TLS_VERSION_1_2, FALSE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_NONE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = run_demo (&demo, &error);

  g_assert_no_error (error);
  assert_flows (events,
                "client_hello client_key_exchange change_cipher_spec finished",
                "server_hello certificate server_key_exchange server_hello_done "
                "new_session_ticket change_cipher_spec finished");
  assert_done (events, "TLS1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
}

static void
test_tls12_ecdhe_mutual (void)
{
  Demo demo = { HL_TLS_VERSION_1_2, TRUE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_NONE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = run_demo (&demo, &error);

  g_assert_no_error (error);
  assert_flows (events,
                "client_hello certificate client_key_exchange certificate_verify change_cipher_spec finished",
                "server_hello certificate server_key_exchange certificate_request server_hello_done "
                "new_session_ticket change_cipher_spec finished");
  assert_done (events, "TLS1.2", NULL);
}

static void
test_tls12_rsa (void)
{
  Demo demo = { HL_TLS_VERSION_1_2, FALSE, HL_KEY_EXCHANGE_RSA, HL_SCENARIO_NONE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = run_demo (&demo, &error);

  g_assert_no_error (error);
  /* RSA key transport: no server_key_exchange */
  assert_flows (events,
                "client_hello client_key_exchange change_cipher_spec finished",
                "server_hello certificate server_hello_done new_session_ticket change_cipher_spec finished");
  assert_done (events, "TLS1.2", "TLS_RSA_WITH_AES_256_GCM_SHA384");
}

static void
test_tls12_rsa_mutual (void)
{
  Demo demo = { HL_TLS_VERSION_1_2, TRUE, HL_KEY_EXCHANGE_RSA, HL_SCENARIO_NONE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = run_demo (&demo, &error);

  g_assert_no_error (error);
  assert_flows (events,
                "client_hello certificate client_key_exchange certificate_verify change_cipher_spec finished",
                "server_hello certificate certificate_request server_hello_done "
                "new_session_ticket change_cipher_spec finished");
  assert_done (events, "TLS1.2", NULL);
}

static void
test_rsa_needs_tls12 (void)
{
  HlCaptureConfig config;
  g_autoptr(GError) error = NULL;

  hl_capture_config_init (&config);
  config.key_exchange = HL_KEY_EXCHANGE_RSA;
  g_assert_false (hl_capture_config_validate (&config, &error));
  g_assert_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "TLS 1.2"));
}

/* Encryption flags follow the protocol: in TLS 1.3 everything after the
 * hellos is encrypted; in TLS 1.2 only Finished */
static void
test_encrypted_flags (void)
{
  Demo demos[] = {
    { HL_TLS_VERSION_1_3, TRUE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_NONE },
    { HL_TLS_VERSION_1_2, TRUE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_NONE },
  };

  for (guint d = 0; d < G_N_ELEMENTS (demos); d++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) events = run_demo (&demos[d], &error);

      g_assert_no_error (error);
      for (guint i = 0; i < g_list_model_get_n_items (events); i++)
        {
          g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
          const char *name = hl_event_get_handshake_name (event);
          gboolean expected;
          gsize length;
          const guint8 *raw;

          if (name == NULL)
            continue;
          if (demos[d].version == HL_TLS_VERSION_1_3)
            expected = !g_str_equal (name, "client_hello") && !g_str_equal (name, "server_hello");
          else
            expected = g_str_equal (name, "finished");
          g_assert_cmpint (hl_event_get_encrypted (event), ==, expected);

          /* raw carries the 4-byte header with the body length */
          raw = g_bytes_get_data (hl_event_get_raw (event), &length);
          g_assert_cmpuint (length, >=, 4);
          g_assert_cmpuint (((gsize) raw[1] << 16 | raw[2] << 8 | raw[3]), ==, length - 4);
        }
    }
}

static GHashTable *
secrets_of (GListModel *events,
            HlSide      side)
{
  GHashTable *secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_kind (event) == HL_EVENT_SECRET && hl_event_get_side (event) == side)
        g_hash_table_insert (secrets, g_strdup (hl_event_get_label (event)),
                             hl_event_dup_keylog_line (event));
    }
  return secrets;
}

static void
assert_secrets (GListModel         *events,
                const char *const  *labels)
{
  g_autoptr(GHashTable) client = secrets_of (events, HL_SIDE_CLIENT);
  g_autoptr(GHashTable) server = secrets_of (events, HL_SIDE_SERVER);

  g_assert_cmpuint (g_hash_table_size (client), ==, g_strv_length ((char **) labels));
  for (guint i = 0; labels[i] != NULL; i++)
    {
      const char *c = g_hash_table_lookup (client, labels[i]);

      g_assert_nonnull (c);
      g_assert_cmpstr (c, ==, g_hash_table_lookup (server, labels[i]));
    }
}

static void
test_secrets (void)
{
  static const char *const tls13[] = {
    "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
    "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET", NULL
  };
  static const char *const tls12[] = { "CLIENT_RANDOM", NULL };
  Demo demo13 = { HL_TLS_VERSION_1_3, FALSE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_NONE };
  Demo demo12 = { HL_TLS_VERSION_1_2, FALSE, HL_KEY_EXCHANGE_RSA, HL_SCENARIO_NONE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events13 = run_demo (&demo13, &error);
  g_autoptr(GListModel) events12 = NULL;

  g_assert_no_error (error);
  assert_secrets (events13, tls13);
  events12 = run_demo (&demo12, &error);
  g_assert_no_error (error);
  assert_secrets (events12, tls12);
}

/* Failure scenarios */

static HlEvent *
find_alert (GListModel  *events,
            HlSide       side,
            HlDirection  dir)
{
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_kind (event) == HL_EVENT_ALERT && hl_event_get_side (event) == side &&
          hl_event_get_direction (event) == dir && hl_event_get_alert_level (event) == 2)
        return g_steal_pointer (&event);
    }
  return NULL;
}

/* The fatal alert was sent by @sender and received by its peer */
static void
assert_alert (GListModel *events,
              HlSide      sender,
              guint8      description)
{
  HlSide receiver = sender == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  g_autoptr(HlEvent) sent = find_alert (events, sender, HL_DIRECTION_OUT);
  g_autoptr(HlEvent) received = find_alert (events, receiver, HL_DIRECTION_IN);

  g_assert_nonnull (sent);
  g_assert_nonnull (received);
  g_assert_cmpuint (hl_event_get_alert_description (sent), ==, description);
  g_assert_cmpuint (hl_event_get_alert_description (received), ==, description);
  g_assert_cmpuint (hl_event_get_seq (sent), <, hl_event_get_seq (received));
}

static void
assert_verdict (GListModel *events,
                HlSide      side,
                guint       status_bit)
{
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_kind (event) == HL_EVENT_CERTIFICATE_CHECK && hl_event_get_side (event) == side)
        {
          g_assert_false (hl_event_get_verified (event));
          g_assert_true (hl_event_get_status (event) & status_bit);
          g_assert_nonnull (hl_event_get_reasons (event)[0]);
          return;
        }
    }
  g_assert_not_reached ();
}

/* The log written while the capture ran holds every event up to the
 * failure and loads back whole */
static void
assert_log_round_trip (GListModel *events)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "hl-test-XXXXXX.log", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlLogWriter) writer = NULL;
  g_autoptr(HlLog) log = NULL;
  g_autoptr(GFile) file = NULL;
  int fd = g_mkstemp (path);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  writer = hl_log_writer_new_for_path (path, "demo", "test", TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      g_assert_true (hl_log_writer_write (writer, event, &error));
    }
  g_assert_true (hl_log_writer_close (writer, &error));

  file = g_file_new_for_path (path);
  log = hl_log_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (hl_log_get_problem (log));
  g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (log)), ==, g_list_model_get_n_items (events));
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) a = g_list_model_get_item (events, i);
      g_autoptr(HlEvent) b = g_list_model_get_item (hl_log_get_events (log), i);
      g_autoptr(JsonNode) ja = hl_event_to_json (a, TRUE);
      g_autoptr(JsonNode) jb = hl_event_to_json (b, TRUE);

      g_assert_true (json_node_equal (ja, jb));
    }

  /* Each line written, field tree included, is the event's JSON object */
  {
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    lines = g_strsplit (contents, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, g_list_model_get_n_items (events) + 2);
    for (guint i = 0; i < g_list_model_get_n_items (events); i++)
      {
        g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
        g_autoptr(JsonNode) expected = hl_event_to_json (event, TRUE);
        g_autoptr(JsonNode) written = json_from_string (lines[i + 1], &error);

        g_assert_no_error (error);
        g_assert_true (json_node_equal (expected, written));
      }
  }
  g_unlink (path);
}

static void
run_failure (const Demo  *demo,
             GListModel **events_out,
             GError     **error)
{
  g_autoptr(GListModel) events = run_demo (demo, error);

  g_assert_nonnull (*error);
  assert_log_round_trip (events);
  *events_out = g_steal_pointer (&events);
}

static void
test_no_client_cert_tls13 (void)
{
  Demo demo = { HL_TLS_VERSION_1_3, TRUE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_NO_CLIENT_CERT };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = NULL;

  run_failure (&demo, &events, &error);
  /* The client's handshake succeeds; it learns of the alert when reading */
  g_assert_nonnull (find_state (events, HL_SIDE_CLIENT, "handshake_done"));
  assert_alert (events, HL_SIDE_SERVER, 116 /* certificate_required */);
  assert_verdict (events, HL_SIDE_SERVER, 0x2 /* GNUTLS_CERT_INVALID */);
}

static void
test_no_client_cert_tls12 (void)
{
  Demo demo = { HL_TLS_VERSION_1_2, TRUE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_NO_CLIENT_CERT };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(HlEvent) sent = NULL;

  run_failure (&demo, &events, &error);
  sent = find_alert (events, HL_SIDE_SERVER, HL_DIRECTION_OUT);
  g_assert_nonnull (sent);
  assert_alert (events, HL_SIDE_SERVER, hl_event_get_alert_description (sent));
  g_assert_nonnull (find_state (events, HL_SIDE_SERVER, "handshake_failed"));
  g_assert_nonnull (find_state (events, HL_SIDE_CLIENT, "handshake_failed"));
}

static void
test_untrusted_server (void)
{
  Demo demo = { HL_TLS_VERSION_1_3, FALSE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_UNTRUSTED_SERVER };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = NULL;

  run_failure (&demo, &events, &error);
  g_assert_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_VERIFICATION);
  assert_alert (events, HL_SIDE_CLIENT, 42 /* bad_certificate */);
  assert_verdict (events, HL_SIDE_CLIENT, 0x40 /* GNUTLS_CERT_SIGNER_NOT_FOUND */);
}

static void
test_expired_server (void)
{
  Demo demo = { HL_TLS_VERSION_1_3, FALSE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_EXPIRED_SERVER };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = NULL;

  run_failure (&demo, &events, &error);
  assert_alert (events, HL_SIDE_CLIENT, 42);
  assert_verdict (events, HL_SIDE_CLIENT, 0x400 /* GNUTLS_CERT_EXPIRED */);
}

static void
test_wrong_host (void)
{
  Demo demo = { HL_TLS_VERSION_1_2, FALSE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_WRONG_HOST };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = NULL;

  run_failure (&demo, &events, &error);
  assert_alert (events, HL_SIDE_CLIENT, 42);
  assert_verdict (events, HL_SIDE_CLIENT, 0x4000 /* GNUTLS_CERT_UNEXPECTED_OWNER */);
}

static void
test_hello_retry (void)
{
  Demo demo = { HL_TLS_VERSION_1_3, FALSE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_HELLO_RETRY };
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = run_demo (&demo, &error);
  g_autofree char *client = NULL;
  g_autofree char *server = NULL;

  g_assert_no_error (error);
  client = messages (events, HL_SIDE_CLIENT, HL_DIRECTION_OUT, 0);
  server = messages (events, HL_SIDE_SERVER, HL_DIRECTION_OUT, 0);
  g_assert_cmpstr (client, ==, "client_hello client_hello change_cipher_spec finished");
  g_assert_true (g_str_has_prefix (server, "hello_retry_request change_cipher_spec server_hello "));
  assert_done (events, "TLS1.3", NULL);
}

static void
test_resumption (void)
{
  Demo demos[] = {
    { HL_TLS_VERSION_1_3, FALSE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_RESUMPTION },
    { HL_TLS_VERSION_1_2, FALSE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_RESUMPTION },
  };

  for (guint d = 0; d < G_N_ELEMENTS (demos); d++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) events = run_demo (&demos[d], &error);
      g_autofree char *second = NULL;
      gboolean resumed = FALSE;

      g_assert_no_error (error);
      for (guint i = 0; i < g_list_model_get_n_items (events); i++)
        {
          g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

          if (hl_event_get_session (event) == 1 && g_strcmp0 (hl_event_get_state (event), "handshake_done") == 0)
            resumed = g_strcmp0 (hl_event_get_detail (event, "resumed"), "true") == 0;
        }
      g_assert_true (resumed);
      /* A resumed handshake proves itself without a certificate */
      second = messages (events, HL_SIDE_SERVER, HL_DIRECTION_OUT, 1);
      g_assert_null (strstr (second, "certificate"));
    }
}

static void
test_pki_files (void)
{
  static const char *const names[] = {
    "ca", "server", "client", "server-expired", "server-other-host",
  };
  static const char *const types[] = { "ecdsa", "rsa" };

  /* The PKI exists once any demo ran; keys are private to the user */
  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *key = g_strdup_printf ("%s/%s-%s-key.pem", hl_test_pki_dir (), names[i], types[t]);
        g_autofree char *crt = g_strdup_printf ("%s/%s-%s.pem", hl_test_pki_dir (), names[i], types[t]);
        GStatBuf st;

        g_assert_cmpint (g_stat (key, &st), ==, 0);
        g_assert_cmpint (st.st_mode & 0777, ==, 0600);
        g_assert_true (g_file_test (crt, G_FILE_TEST_IS_REGULAR));
      }
}

typedef struct
{
  HlCapture    *capture;
  GAsyncResult *result;
  guint         steps;
  gboolean      ran_ahead;
} StepRun;

static guint
count_sent (HlCapture *capture)
{
  GListModel *events = hl_capture_get_events (capture);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      n += hl_event_get_kind (event) == HL_EVENT_HANDSHAKE && hl_event_get_direction (event) == HL_DIRECTION_OUT;
    }
  return n;
}

/* A presenter pressing Next whenever the capture waits */
static gboolean
presenter_cb (gpointer data)
{
  StepRun *run = data;

  if (count_sent (run->capture) > run->steps)
    run->ran_ahead = TRUE;
  if (hl_capture_get_waiting (run->capture) && hl_capture_step (run->capture))
    run->steps++;
  return G_SOURCE_CONTINUE;
}

/* Keeps the result of an asynchronous run in the GAsyncResult * at @data */
static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

/* The presenter is a source on the default context: with
 * hl_capture_run(), the client's thread runs it while it waits */
static void
step_mode (gconstpointer data)
{
  gboolean sync = GPOINTER_TO_INT (data);
  HlCaptureConfig config;
  g_autoptr(HlCapture) capture = NULL;
  g_autoptr(GError) error = NULL;
  StepRun run = { 0 };
  guint presenter;
  gboolean ok;

  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_DEMO;
  config.pki_dir = hl_test_pki_dir ();
  config.timeout_ms = 20000;
  capture = hl_capture_new (&config);
  run.capture = capture;
  hl_capture_set_step_mode (capture, TRUE);
  presenter = g_timeout_add (5, presenter_cb, &run);
  if (sync)
    ok = hl_capture_run (capture, NULL, &error);
  else
    {
      hl_capture_run_async (capture, NULL, run_done_cb, &run.result);
      while (run.result == NULL)
        g_main_context_iteration (NULL, TRUE);
      ok = hl_capture_run_finish (capture, run.result, &error);
    }
  g_source_remove (presenter);

  g_assert_no_error (error);
  g_assert_true (ok);
  /* Nothing went out without a step, and every message took one */
  g_assert_false (run.ran_ahead);
  g_assert_cmpuint (run.steps, ==, count_sent (capture));
  g_assert_cmpuint (run.steps, >=, 8);
  g_clear_object (&run.result);
}

/* connect: failures outside TLS */

static GListModel *
run_connect (guint16       port,
             guint         timeout_ms,
             GCancellable *cancellable,
             GError      **error)
{
  HlCaptureConfig config;
  g_autoptr(HlCapture) capture = NULL;

  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_CONNECT;
  config.host = "127.0.0.1";
  config.port = port;
  config.timeout_ms = timeout_ms;
  capture = hl_capture_new (&config);
  hl_capture_run (capture, cancellable, error);
  return g_object_ref (hl_capture_get_events (capture));
}

static GSocket *
listen_loopback (guint16 *port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static const char *
error_code (GListModel *events)
{
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_kind (event) == HL_EVENT_ERROR)
        return hl_event_get_error_code (event);
    }
  return NULL;
}

typedef struct
{
  HlCapture    *capture;
  GCancellable *cancellable;
  gint64        start;
  gboolean      hello_live;   /* the ClientHello arrived while the client waited */
  GAsyncResult *result;
} LiveRun;

static void
live_event_cb (HlCapture *capture,
               HlEvent   *event,
               LiveRun   *run)
{
  if (hl_event_get_kind (event) == HL_EVENT_HANDSHAKE && hl_event_get_direction (event) == HL_DIRECTION_OUT &&
      hl_event_get_handshake_type (event) == 1)
    {
      /* long before the capture's own timeout, which would end the wait */
      run->hello_live = g_get_monotonic_time () - run->start < 5 * G_USEC_PER_SEC &&
                        !g_cancellable_is_cancelled (run->cancellable);
      g_cancellable_cancel (run->cancellable);
    }
}

/* Events reach the consumer while the capture runs, not when it ends:
 * here the server never answers, and the ClientHello must show while the
 * client waits for it (the capture is cancelled once it has) */
static void
connect_live (gconstpointer data)
{
  gboolean sync = GPOINTER_TO_INT (data);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  HlCaptureConfig config;
  g_autoptr(HlCapture) capture = NULL;
  LiveRun run = { 0 };
  guint16 port;

  socket = listen_loopback (&port);
  g_assert_true (g_socket_listen (socket, &error));
  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_CONNECT;
  config.host = "127.0.0.1";
  config.port = port;
  config.timeout_ms = 8000;
  capture = hl_capture_new (&config);
  run.capture = capture;
  run.cancellable = cancellable;
  run.start = g_get_monotonic_time ();
  g_signal_connect (capture, "event", G_CALLBACK (live_event_cb), &run);
  if (sync)
    g_assert_false (hl_capture_run (capture, cancellable, &error));
  else
    {
      hl_capture_run_async (capture, cancellable, run_done_cb, &run.result);
      while (run.result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_false (hl_capture_run_finish (capture, run.result, &error));
    }

  g_assert_true (run.hello_live);
  g_assert_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_CANCELLED);
  g_clear_object (&run.result);
}

typedef struct
{
  guint  n_batches;
  guint  n_while_running;
} Batches;

static void
batch_cb (GListModel *events,
          guint       position,
          guint       removed,
          guint       added,
          Batches    *batches)
{
  batches->n_batches++;
}

static void
running_event_cb (HlCapture *capture,
                  HlEvent   *event,
                  Batches   *batches)
{
  batches->n_while_running += hl_capture_get_running (capture);
}

static gpointer
run_demo_thread (gpointer data)
{
  HlCapture *capture = data;
  g_autoptr(GError) error = NULL;
  gboolean ok = hl_capture_run (capture, NULL, &error);

  g_assert_no_error (error);
  return GINT_TO_POINTER (ok);
}

/* A synchronous run cancelled from its own context at any moment, here
 * from before the first flight to after the end, in demo and in step
 * mode: each run ends promptly, cancelled or whole, with its events in
 * order and nothing left running */
static void
test_run_cancel_anywhere (void)
{
  for (guint i = 0; i < 24; i++)
    {
      HlCaptureConfig config;
      g_autoptr(HlCapture) capture = NULL;
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      GListModel *events;
      StepRun run = { 0 };
      guint presenter = 0, cancel;
      gint64 start;
      gboolean ok;

      hl_capture_config_init (&config);
      config.mode = HL_CAPTURE_MODE_DEMO;
      config.pki_dir = hl_test_pki_dir ();
      config.version = i % 3 == 2 ? HL_TLS_VERSION_1_2 : HL_TLS_VERSION_1_3;
      config.mutual = i % 2 == 1;
      config.timeout_ms = 20000;
      capture = hl_capture_new (&config);
      run.capture = capture;
      if (i % 4 == 3)
        {
          hl_capture_set_step_mode (capture, TRUE);
          presenter = g_timeout_add (1, presenter_cb, &run);
        }
      cancel = g_timeout_add_once (i % 12, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
      start = g_get_monotonic_time ();
      ok = hl_capture_run (capture, cancellable, &error);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
      if (!g_cancellable_is_cancelled (cancellable))
        g_source_remove (cancel);
      if (presenter != 0)
        g_source_remove (presenter);

      g_test_message ("run %u: %s after %u events", i, ok ? "whole" : "cancelled",
                      g_list_model_get_n_items (hl_capture_get_events (capture)));
      if (!ok)
        g_assert_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_CANCELLED);
      g_assert_false (hl_capture_get_running (capture));
      g_assert_false (hl_capture_get_waiting (capture));
      events = hl_capture_get_events (capture);
      g_assert_cmpuint (g_list_model_get_n_items (events), >, 0);
      for (guint j = 0; j < g_list_model_get_n_items (events); j++)
        {
          g_autoptr(HlEvent) event = g_list_model_get_item (events, j);

          g_assert_cmpuint (hl_event_get_seq (event), ==, j);
        }
    }
}

/* A synchronous run delivers events as the handshake goes, in several
 * batches, each while the capture runs; and where the caller's context
 * belongs to another thread, it runs on workers instead, the same */
static void
test_run_delivery (void)
{
  for (guint owned = 0; owned < 2; owned++)
    {
      HlCaptureConfig config;
      g_autoptr(HlCapture) capture = NULL;
      g_autoptr(GError) error = NULL;
      Batches batches = { 0 };
      GListModel *events;

      hl_capture_config_init (&config);
      config.mode = HL_CAPTURE_MODE_DEMO;
      config.pki_dir = hl_test_pki_dir ();
      capture = hl_capture_new (&config);
      events = hl_capture_get_events (capture);
      g_signal_connect (events, "items-changed", G_CALLBACK (batch_cb), &batches);
      g_signal_connect (capture, "event", G_CALLBACK (running_event_cb), &batches);
      if (owned)
        {
          GThread *thread;

          /* the default context is this thread's while the other runs */
          g_assert_true (g_main_context_acquire (NULL));
          thread = g_thread_new ("run", run_demo_thread, capture);
          g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
          g_main_context_release (NULL);
        }
      else
        {
          g_assert_true (hl_capture_run (capture, NULL, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (batches.n_batches, >=, 3);
        }
      g_assert_cmpuint (g_list_model_get_n_items (events), >=, 30);
      g_assert_cmpuint (batches.n_while_running, ==, g_list_model_get_n_items (events));
      g_assert_false (hl_capture_get_running (capture));
      /* a capture runs once */
      g_assert_false (hl_capture_run (capture, NULL, &error));
      g_assert_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_FAILED);
    }
}

/* A one-way TLS 1.3 demo with the test PKI, ended after 20 s at most */
static HlCapture *
new_demo_capture (void)
{
  HlCaptureConfig config;

  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_DEMO;
  config.pki_dir = hl_test_pki_dir ();
  config.timeout_ms = 20000;
  return hl_capture_new (&config);
}

/* Batches for a consumer that draws: with coalescing, a demo's events
 * reach the consumer's context in one piece or two (the run's end
 * delivers what waits at once), where they come in several without */
static void
test_run_coalescing (void)
{
  for (guint coalesce = 0; coalesce < 2; coalesce++)
    {
      g_autoptr(HlCapture) capture = new_demo_capture ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      Batches batches = { 0 };
      GListModel *events;
      gint64 start;

      /* far longer than any pause within a demo, even on a loaded machine */
      if (coalesce)
        hl_capture_set_coalescing (capture, 500 * 1000, 5 * 1000 * 1000);
      events = hl_capture_get_events (capture);
      g_signal_connect (events, "items-changed", G_CALLBACK (batch_cb), &batches);
      start = g_get_monotonic_time ();
      hl_capture_run_async (capture, NULL, run_done_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (hl_capture_run_finish (capture, result, &error));
      g_assert_no_error (error);
      g_test_message ("coalescing %s: %u events in %u batches, %.0f ms",
                      coalesce ? "on" : "off", g_list_model_get_n_items (events), batches.n_batches,
                      (g_get_monotonic_time () - start) / 1000.0);
      g_assert_cmpuint (g_list_model_get_n_items (events), >=, 30);
      if (coalesce)
        g_assert_cmpuint (batches.n_batches, <=, 2);
      else
        g_assert_cmpuint (batches.n_batches, >=, 3);
    }
}

/* A batch never waits longer than the bound: in step mode the workers
 * stop before the first message, so no event comes after the first few,
 * and those reach the consumer when their first is 200 ms old, not when
 * ten seconds have gone by without another */
static void
test_run_coalescing_bound (void)
{
  g_autoptr(HlCapture) capture = new_demo_capture ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *events;
  gint64 start, deadline, waited;

  hl_capture_set_step_mode (capture, TRUE);
  hl_capture_set_coalescing (capture, 10 * 1000 * 1000, 200 * 1000);
  events = hl_capture_get_events (capture);
  start = g_get_monotonic_time ();
  deadline = start + 8 * G_USEC_PER_SEC;
  hl_capture_run_async (capture, NULL, run_done_cb, &result);
  while (g_list_model_get_n_items (events) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  waited = g_get_monotonic_time () - start;
  g_test_message ("%u events after %.0f ms", g_list_model_get_n_items (events), waited / 1000.0);
  g_assert_cmpuint (g_list_model_get_n_items (events), >, 0);
  g_assert_cmpint (waited, >=, 150 * 1000);
  g_assert_cmpint (waited, <, 5 * G_USEC_PER_SEC);

  hl_capture_cancel (capture);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (hl_capture_run_finish (capture, result, &error));
  g_assert_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_CANCELLED);
}

/* The log @events make, header aside, as HlLogWriter writes it */
static char *
written_log (GListModel *events)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(HlLogWriter) writer = hl_log_writer_new (stream, "demo", "", TRUE, NULL);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (writer);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    g_ptr_array_add (batch, g_list_model_get_item (events, i));
  g_assert_true (hl_log_writer_write_events (writer, (HlEvent * const *) batch->pdata, batch->len, &error));
  g_assert_true (hl_log_writer_close (writer, &error));
  g_assert_no_error (error);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (strchr (text, '\n'));
  return g_strdup (strchr (text, '\n') + 1);
}

/* Both give the same log, line for line */
static void
assert_same_log (GListModel *events,
                 GListModel *fresh)
{
  g_autofree char *log = written_log (events);
  g_autofree char *fresh_log = written_log (fresh);
  g_auto(GStrv) lines = g_strsplit (log, "\n", -1);
  g_auto(GStrv) fresh_lines = g_strsplit (fresh_log, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, g_strv_length (fresh_lines));
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpstr (lines[i], ==, fresh_lines[i]);
}

/* For a consumer that writes every event out, the demo server (and in an
 * asynchronous run the client too) makes the lines of its events while
 * it waits, with the field trees of the messages it sent; the consumer's
 * own thread leaves its events alone. A log written from them is the one
 * written from fresh copies, byte for byte. */
static void
render_ahead (gconstpointer data)
{
  gboolean sync = GPOINTER_TO_INT (data);
  static const Demo demos[] = {
    { HL_TLS_VERSION_1_3, TRUE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_NONE },
    { HL_TLS_VERSION_1_2, FALSE, HL_KEY_EXCHANGE_RSA, HL_SCENARIO_NONE },
    { HL_TLS_VERSION_1_3, FALSE, HL_KEY_EXCHANGE_ECDHE, HL_SCENARIO_UNTRUSTED_SERVER },
  };
  guint n_server_rendered = 0;

  for (guint round = 0; round < 2 * G_N_ELEMENTS (demos); round++)
    {
      const Demo *demo = &demos[round % G_N_ELEMENTS (demos)];
      gboolean render = round < G_N_ELEMENTS (demos);
      HlCaptureConfig config;
      g_autoptr(HlCapture) capture = NULL;
      g_autoptr(GListStore) fresh = g_list_store_new (HL_TYPE_EVENT);
      GListModel *events;

      hl_capture_config_init (&config);
      config.mode = HL_CAPTURE_MODE_DEMO;
      config.version = demo->version;
      config.mutual = demo->mutual;
      config.key_exchange = demo->kx;
      config.scenario = demo->scenario;
      config.pki_dir = hl_test_pki_dir ();
      config.timeout_ms = 20000;
      capture = hl_capture_new (&config);
      hl_capture_set_render_ahead (capture, render);
      if (sync)
        hl_capture_run (capture, NULL, NULL);
      else
        {
          g_autoptr(GAsyncResult) result = NULL;

          hl_capture_run_async (capture, NULL, run_done_cb, &result);
          while (result == NULL)
            g_main_context_iteration (NULL, TRUE);
          hl_capture_run_finish (capture, result, NULL);
        }
      events = hl_capture_get_events (capture);
      g_assert_cmpuint (g_list_model_get_n_items (events), >=, 20);

      for (guint i = 0; i < g_list_model_get_n_items (events); i++)
        {
          g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
          g_autoptr(HlEvent) copy = hl_event_copy_with_time (event, hl_event_get_seq (event),
                                                              hl_event_get_time_ns (event));
          gboolean rendered = hl_event_get_rendered_fields (event) != NULL;

          g_list_store_append (fresh, copy);
          if (!render || hl_event_get_direction (event) != HL_DIRECTION_OUT ||
              (sync && hl_event_get_side (event) == HL_SIDE_CLIENT))
            g_assert_false (rendered);
          else if (rendered && hl_event_get_side (event) == HL_SIDE_SERVER)
            n_server_rendered++;
        }
      assert_same_log (events, G_LIST_MODEL (fresh));
    }
  /* the server waits for the client after each of its flights, but a
   * loaded machine may find the client's bytes there already */
  g_assert_cmpuint (n_server_rendered, >=, 3);
}

/* A TLS server for one connection on @socket: the demo's certificate,
 * the handshake, then whatever the client sends until it closes */
static gpointer
tls_server_main (gpointer data)
{
  GSocket *socket = data;
  g_autofree char *crt = hl_demo_pki_path (hl_test_pki_dir (), HL_DEMO_KEY_ECDSA, HL_DEMO_CERT_SERVER, FALSE);
  g_autofree char *key = hl_demo_pki_path (hl_test_pki_dir (), HL_DEMO_KEY_ECDSA, HL_DEMO_CERT_SERVER, TRUE);
  g_autoptr(GSocket) connection = g_socket_accept (socket, NULL, NULL);
  gnutls_certificate_credentials_t creds;
  gnutls_session_t session;
  char buffer[4096];
  int ret;

  g_assert_nonnull (connection);
  g_assert_cmpint (gnutls_certificate_allocate_credentials (&creds), ==, 0);
  g_assert_cmpint (gnutls_certificate_set_x509_key_file (creds, crt, key, GNUTLS_X509_FMT_PEM), >=, 0);
  g_assert_cmpint (gnutls_init (&session, GNUTLS_SERVER), ==, 0);
  g_assert_cmpint (gnutls_set_default_priority (session), ==, 0);
  g_assert_cmpint (gnutls_credentials_set (session, GNUTLS_CRD_CERTIFICATE, creds), ==, 0);
  gnutls_transport_set_int (session, g_socket_get_fd (connection));
  gnutls_handshake_set_timeout (session, 10000);
  gnutls_record_set_timeout (session, 10000);
  do
    ret = gnutls_handshake (session);
  while (ret < 0 && !gnutls_error_is_fatal (ret));
  g_assert_cmpint (ret, ==, 0);
  while (gnutls_record_recv (session, buffer, sizeof buffer) > 0)
    ;
  gnutls_bye (session, GNUTLS_SHUT_WR);
  gnutls_deinit (session);
  gnutls_certificate_free_credentials (creds);
  return NULL;
}

/* Connecting, with no peer in this process, the client makes ahead the
 * field trees of the messages it received too, while it listens for
 * tickets after the handshake */
static void
test_render_ahead_connect (void)
{
  g_autofree char *ca = hl_demo_pki_path (hl_test_pki_dir (), HL_DEMO_KEY_ECDSA, HL_DEMO_CERT_CA, FALSE);
  g_autoptr(GListStore) fresh = g_list_store_new (HL_TYPE_EVENT);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(HlCapture) capture = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  HlCaptureConfig config;
  guint n_received = 0, n_received_rendered = 0;
  GListModel *events;
  GThread *server;
  guint16 port;

  g_assert_true (hl_demo_pki_ensure (hl_test_pki_dir (), &error));
  socket = listen_loopback (&port);
  g_assert_true (g_socket_listen (socket, &error));
  g_socket_set_timeout (socket, 10);
  server = g_thread_new ("tls-server", tls_server_main, socket);
  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_CONNECT;
  config.host = "127.0.0.1";
  config.port = port;
  config.sni = "localhost";
  config.ca_file = ca;
  config.timeout_ms = 20000;
  capture = hl_capture_new (&config);
  hl_capture_set_render_ahead (capture, TRUE);
  hl_capture_run_async (capture, NULL, run_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hl_capture_run_finish (capture, result, &error));
  g_assert_no_error (error);
  g_thread_join (server);

  events = hl_capture_get_events (capture);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      g_autoptr(HlEvent) copy = hl_event_copy_with_time (event, hl_event_get_seq (event),
                                                          hl_event_get_time_ns (event));

      g_list_store_append (fresh, copy);
      if (hl_event_get_kind (event) == HL_EVENT_HANDSHAKE && hl_event_get_direction (event) == HL_DIRECTION_IN)
        {
          n_received++;
          n_received_rendered += hl_event_get_rendered_fields (event) != NULL;
        }
    }
  /* all but the tickets that came while it listened, at least */
  g_assert_cmpuint (n_received, >=, 5);
  g_assert_cmpuint (n_received_rendered, >=, 5);
  assert_same_log (events, G_LIST_MODEL (fresh));
}

static void
test_connect_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GSocket) socket = NULL;
  guint16 port;
  gint64 start = g_get_monotonic_time ();

  /* A port that is bound but not listening refuses connections */
  socket = listen_loopback (&port);
  events = run_connect (port, 5000, NULL, &error);
  g_socket_close (socket, NULL);
  g_assert_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "Could not connect to 127.0.0.1"));
  g_assert_cmpstr (error_code (events), ==, "refused");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_connect_silent (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) listen_error = NULL;
  guint16 port;
  gint64 start, elapsed;

  /* The kernel accepts the connection; nobody ever reads or answers */
  socket = listen_loopback (&port);
  g_assert_true (g_socket_listen (socket, &listen_error));
  start = g_get_monotonic_time ();
  events = run_connect (port, 1000, NULL, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "Timed out"));
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (200 * 1000);
  cancel_cb (data);
  return NULL;
}

/* Cancel ends a stalled handshake promptly: cancelled from another
 * thread, or from a source on the caller's context, which
 * hl_capture_run() dispatches while the client waits */
static void
connect_cancel (gconstpointer data)
{
  gboolean from_source = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) listen_error = NULL;
  GThread *thread = NULL;
  guint16 port;
  gint64 start, elapsed;

  socket = listen_loopback (&port);
  g_assert_true (g_socket_listen (socket, &listen_error));
  if (from_source)
    g_timeout_add_once (200, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  else
    thread = g_thread_new ("cancel", cancel_later, cancellable);
  start = g_get_monotonic_time ();
  events = run_connect (port, 30000, cancellable, &error);
  elapsed = g_get_monotonic_time () - start;
  if (thread != NULL)
    g_thread_join (thread);

  g_assert_error (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_CANCELLED);
  g_assert_cmpstr (error_code (events), ==, "cancelled");
  g_assert_cmpint (elapsed, >=, 150 * 1000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);
}

/* Endpoints */

typedef struct
{
  HlEndpoint *ep;
  gsize       received;
  gboolean    intact;
} SlowReader;

static gpointer
slow_reader_main (gpointer data)
{
  SlowReader *reader = data;
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gssize n;

  g_assert_true (hl_endpoint_handshake (reader->ep, &error));
  /* let the sender fill its socket before reading anything */
  g_usleep (50 * 1000);
  reader->intact = TRUE;
  while ((n = hl_endpoint_receive (reader->ep, buffer, sizeof buffer, &error)) > 0)
    {
      for (gssize i = 0; i < n; i++)
        reader->intact &= (guint8) buffer[i] == (guint8) ((reader->received + i) * 7 / 3);
      reader->received += n;
    }
  g_assert_no_error (error);
  return NULL;
}

/* A sender whose socket takes only part of each flight at a time (a
 * small send buffer and a peer that reads late) still sends every byte
 * once, in order, and records each record it sent once */
static void
test_endpoint_partial_sends (void)
{
  g_autoptr(HlCapture) capture = NULL;
  HlCaptureConfig config;
  g_autofree char *ca = hl_demo_pki_path (hl_test_pki_dir (), HL_DEMO_KEY_ECDSA, HL_DEMO_CERT_CA, FALSE);
  g_autofree char *crt = hl_demo_pki_path (hl_test_pki_dir (), HL_DEMO_KEY_ECDSA, HL_DEMO_CERT_SERVER, FALSE);
  g_autofree char *key = hl_demo_pki_path (hl_test_pki_dir (), HL_DEMO_KEY_ECDSA, HL_DEMO_CERT_SERVER, TRUE);
  gnutls_certificate_credentials_t server_creds, client_creds;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) events = NULL;
  HlEndpointConfig server_config, client_config;
  SlowReader reader = { 0 };
  gsize length = 256 * 1024, sent_records = 0, received_records = 0;
  g_autofree char *data = g_malloc (length);
  int fds[2], size = 4096;
  HlEndpoint *client;
  GThread *thread;

  g_assert_true (hl_demo_pki_ensure (hl_test_pki_dir (), &error));
  g_assert_cmpint (gnutls_certificate_allocate_credentials (&server_creds), ==, 0);
  g_assert_cmpint (gnutls_certificate_allocate_credentials (&client_creds), ==, 0);
  g_assert_cmpint (gnutls_certificate_set_x509_key_file (server_creds, crt, key, GNUTLS_X509_FMT_PEM), >=, 0);
  g_assert_cmpint (gnutls_certificate_set_x509_trust_file (client_creds, ca, GNUTLS_X509_FMT_PEM), >, 0);
  for (gsize i = 0; i < length; i++)
    data[i] = (char) (guint8) (i * 7 / 3);

  hl_capture_config_init (&config);
  config.pki_dir = hl_test_pki_dir ();
  capture = hl_capture_new (&config);
  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  g_assert_cmpint (setsockopt (fds[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof size), ==, 0);
  g_assert_cmpint (setsockopt (fds[0], SOL_SOCKET, SO_RCVBUF, &size, sizeof size), ==, 0);
  server_config = (HlEndpointConfig) {
    .side = HL_SIDE_SERVER, .fd = fds[0], .priority = "NORMAL", .credentials = server_creds,
  };
  client_config = (HlEndpointConfig) {
    .side = HL_SIDE_CLIENT, .fd = fds[1], .priority = "NORMAL", .credentials = client_creds,
    .server_name = "localhost", .verify_host = "localhost", .verify_peer = TRUE,
  };
  reader.ep = hl_endpoint_new (capture, &server_config, &error);
  g_assert_no_error (error);
  client = hl_endpoint_new (capture, &client_config, &error);
  g_assert_no_error (error);

  thread = g_thread_new ("slow-reader", slow_reader_main, &reader);
  g_assert_true (hl_endpoint_handshake (client, &error));
  g_assert_no_error (error);
  g_assert_true (hl_endpoint_send (client, data, length, &error));
  g_assert_no_error (error);
  hl_endpoint_close (client);
  g_thread_join (thread);
  g_assert_cmpuint (reader.received, ==, length);
  g_assert_true (reader.intact);

  /* every record the client sent was seen once by each side */
  hl_capture_flush_now (capture);
  events = g_object_ref (hl_capture_get_events (capture));
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_kind (event) != HL_EVENT_RECORD || hl_event_get_sender (event) != HL_SIDE_CLIENT)
        continue;
      if (hl_event_get_side (event) == HL_SIDE_CLIENT)
        sent_records++;
      else
        received_records++;
    }
  g_assert_cmpuint (sent_records, >, length / 16384);
  g_assert_cmpuint (sent_records, ==, received_records);
  assert_ordered (events);

  hl_endpoint_free (reader.ep);
  hl_endpoint_free (client);
  gnutls_certificate_free_credentials (server_creds);
  gnutls_certificate_free_credentials (client_creds);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  hl_test_init ("capture");

  g_test_add_func ("/capture/demo/tls13-one-way", test_tls13_one_way);
  g_test_add_func ("/capture/demo/tls13-mutual", test_tls13_mutual);
  g_test_add_func ("/capture/demo/tls12-ecdhe", test_tls12_ecdhe);
  g_test_add_func ("/capture/demo/tls12-ecdhe-mutual", test_tls12_ecdhe_mutual);
  g_test_add_func ("/capture/demo/tls12-rsa", test_tls12_rsa);
  g_test_add_func ("/capture/demo/tls12-rsa-mutual", test_tls12_rsa_mutual);
  g_test_add_func ("/capture/demo/rsa-needs-tls12", test_rsa_needs_tls12);
  g_test_add_func ("/capture/demo/encrypted-flags", test_encrypted_flags);
  g_test_add_func ("/capture/secrets", test_secrets);
  g_test_add_func ("/capture/scenario/no-client-cert-tls13", test_no_client_cert_tls13);
  g_test_add_func ("/capture/scenario/no-client-cert-tls12", test_no_client_cert_tls12);
  g_test_add_func ("/capture/scenario/untrusted-server", test_untrusted_server);
  g_test_add_func ("/capture/scenario/expired-server", test_expired_server);
  g_test_add_func ("/capture/scenario/wrong-host", test_wrong_host);
  g_test_add_func ("/capture/scenario/hello-retry", test_hello_retry);
  g_test_add_func ("/capture/scenario/resumption", test_resumption);

  g_test_add_func ("/capture/pki-files", test_pki_files);
  g_test_add_data_func ("/capture/step-mode/async", GINT_TO_POINTER (FALSE), step_mode);
  g_test_add_data_func ("/capture/step-mode/sync", GINT_TO_POINTER (TRUE), step_mode);
  g_test_add_func ("/capture/endpoint/partial-sends", test_endpoint_partial_sends);
  g_test_add_func ("/capture/connect/refused", test_connect_refused);
  g_test_add_func ("/capture/connect/silent", test_connect_silent);
  g_test_add_data_func ("/capture/connect/cancel", GINT_TO_POINTER (FALSE), connect_cancel);
  g_test_add_data_func ("/capture/connect/live/async", GINT_TO_POINTER (FALSE), connect_live);
  g_test_add_data_func ("/capture/connect/live/sync", GINT_TO_POINTER (TRUE), connect_live);
  g_test_add_data_func ("/capture/run/dispatches-sources", GINT_TO_POINTER (TRUE), connect_cancel);
  g_test_add_func ("/capture/run/delivery", test_run_delivery);
  g_test_add_func ("/capture/run/coalescing", test_run_coalescing);
  g_test_add_func ("/capture/run/coalescing-bound", test_run_coalescing_bound);
  g_test_add_func ("/capture/run/cancel-anywhere", test_run_cancel_anywhere);
  g_test_add_data_func ("/capture/run/render-ahead/sync", GINT_TO_POINTER (TRUE), render_ahead);
  g_test_add_data_func ("/capture/run/render-ahead/async", GINT_TO_POINTER (FALSE), render_ahead);
  g_test_add_func ("/capture/run/render-ahead/connect", test_render_ahead_connect);

  ret = g_test_run ();

  hl_test_cleanup ();
  return ret;
}

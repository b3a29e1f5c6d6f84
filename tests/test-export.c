/* test-export.c: key log, pcapng and Mermaid exports of real demo captures
 *
 * The pcapng checks parse the file back independently of the writer:
 * block framing, the secrets block, every checksum, and TCP sequence
 * numbers that add up to exactly the record bytes the client saw.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>

#include "hl-capture.h"
#include "hl-export.h"
#include "hl-test-util.h"


static GListModel *
capture_demo (HlTlsVersion  version,
              HlKeyExchange kx,
              gboolean      mutual,
              HlScenario    scenario)
{
  g_autoptr(GError) error = NULL;
  GListModel *events = hl_test_run_demo (version, mutual, kx, scenario, &error);

  /* failure scenarios fail on purpose; the others must not */
  if (scenario == HL_SCENARIO_NONE || scenario == HL_SCENARIO_RESUMPTION)
    g_assert_no_error (error);
  return events;
}

static GBytes *
export_to_bytes (gboolean  (*func) (GListModel *, GOutputStream *, GError **),
                 GListModel *events,
                 GError    **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

  if (!func (events, out, error))
    return NULL;
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static char *
export_keylog (GListModel *events)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = export_to_bytes (hl_export_keylog, events, &error);

  g_assert_no_error (error);
  /* an empty stream has no data pointer at all */
  if (g_bytes_get_size (bytes) == 0)
    return g_strdup ("");
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Key log */

static void
test_keylog (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, FALSE,
                                               HL_SCENARIO_NONE);
  g_autofree char *text = export_keylog (events);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_lines = g_strv_length (lines) - 1;
  guint n_client_secrets = 0;

  g_assert_true (g_str_has_suffix (text, "\n"));
  for (guint i = 0; i < n_lines; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], " ", -1);

      g_assert_cmpuint (g_strv_length (parts), ==, 3);
      g_assert_cmpuint (strlen (parts[1]), ==, 64);
      g_assert_true (g_hash_table_add (seen, lines[i]));
    }
  /* both ends derive every secret; each line appears once */
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);
      g_autofree char *line = hl_event_dup_keylog_line (event);

      if (line == NULL)
        continue;
      g_assert_true (g_hash_table_contains (seen, line));
      if (hl_event_get_side (event) == HL_SIDE_CLIENT)
        n_client_secrets++;
    }
  g_assert_cmpuint (n_lines, ==, n_client_secrets);
  g_assert_cmpuint (n_lines, ==, 5);
  g_assert_true (g_str_has_prefix (lines[0], "CLIENT_HANDSHAKE_TRAFFIC_SECRET "));
}

/* pcapng, parsed back */

typedef struct
{
  const guint8 *data;
  guint32       len;
  guint64       ts;
} Packet;

typedef struct
{
  GArray *packets;      /* Packet, pointing into the file */
  char   *secrets;      /* the DSB's key log */
  guint   n_dsb;
} Pcapng;

static guint32
le32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static guint16
be16 (const guint8 *p)
{
  return (p[0] << 8) | p[1];
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

static void
parse_pcapng (GBytes *bytes,
              Pcapng *file)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  gsize offset = 0;
  guint n_blocks = 0;

  file->packets = g_array_new (FALSE, FALSE, sizeof (Packet));
  while (offset < size)
    {
      guint32 type, length;
      const guint8 *body;

      g_assert_cmpuint (size - offset, >=, 12);
      type = le32 (data + offset);
      length = le32 (data + offset + 4);
      g_assert_cmpuint (length % 4, ==, 0);
      g_assert_cmpuint (length, >=, 12);
      g_assert_cmpuint (length, <=, size - offset);
      g_assert_cmpuint (le32 (data + offset + length - 4), ==, length);
      body = data + offset + 8;

      if (n_blocks == 0)
        {
          g_assert_cmphex (type, ==, 0x0A0D0D0A);
          g_assert_cmphex (le32 (body), ==, 0x1A2B3C4D);
        }
      else if (n_blocks == 1)
        {
          g_assert_cmphex (type, ==, 1);
          g_assert_cmpuint (body[0] | (body[1] << 8), ==, 1);   /* LINKTYPE_ETHERNET */
        }
      else if (type == 0x0A)
        {
          guint32 secrets_len = le32 (body + 4);

          /* the secrets come before any packet that needs them */
          g_assert_cmpuint (file->packets->len, ==, 0);
          g_assert_cmphex (le32 (body), ==, 0x544c534b);
          g_assert_cmpuint (secrets_len, <=, length - 20);
          file->secrets = g_strndup ((const char *) body + 8, secrets_len);
          file->n_dsb++;
        }
      else
        {
          Packet packet;

          g_assert_cmphex (type, ==, 6);
          g_assert_cmpuint (le32 (body), ==, 0);
          packet.ts = ((guint64) le32 (body + 4) << 32) | le32 (body + 8);
          packet.len = le32 (body + 12);
          g_assert_cmpuint (le32 (body + 16), ==, packet.len);
          g_assert_cmpuint (packet.len + 28, <=, length - 4);
          packet.data = body + 20;
          g_array_append_val (file->packets, packet);
        }
      offset += length;
      n_blocks++;
    }
  g_assert_cmpuint (offset, ==, size);
}

static guint16
checksum (guint32       sum,
          const guint8 *data,
          gsize         len)
{
  for (gsize i = 0; i < len; i++)
    sum += (i % 2 == 0) ? data[i] << 8 : data[i];
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

typedef struct
{
  guint32  ports;         /* sender's port, receiver's port */
  guint32  next_seq;
  gboolean syn_seen;
  gboolean fin_seen;
} Flow;

static Flow *
find_flow (GArray  *flows,
           guint16  from,
           guint16  to)
{
  Flow fresh = { .ports = ((guint32) from << 16) | to };

  for (guint i = 0; i < flows->len; i++)
    if (g_array_index (flows, Flow, i).ports == fresh.ports)
      return &g_array_index (flows, Flow, i);
  g_array_append_val (flows, fresh);
  return &g_array_index (flows, Flow, flows->len - 1);
}

/* Checks one frame and appends its TCP payload to @payloads. Returns the
 * sender's port. */
static guint16
check_frame (const Packet *packet,
             GArray       *flows,
             GPtrArray    *payloads,
             gboolean      ipv6)
{
  const guint8 *ip = packet->data + 14;
  const guint8 *tcp;
  gsize ip_header = ipv6 ? 40 : 20, tcp_len, alen = ipv6 ? 16 : 4;
  guint32 pseudo = 0;
  guint8 flags;
  Flow *flow, *reverse;
  guint16 sport, dport;

  g_assert_cmpuint (be16 (packet->data + 12), ==, ipv6 ? 0x86DD : 0x0800);
  if (ipv6)
    {
      g_assert_cmpuint (ip[0] >> 4, ==, 6);
      g_assert_cmpuint (ip[6], ==, 6);
      tcp_len = be16 (ip + 4);
    }
  else
    {
      g_assert_cmphex (ip[0], ==, 0x45);
      g_assert_cmpuint (ip[9], ==, 6);
      g_assert_cmphex (checksum (0, ip, 20), ==, 0xffff);
      tcp_len = be16 (ip + 2) - 20;
    }
  g_assert_cmpuint (14 + ip_header + tcp_len, ==, packet->len);
  tcp = ip + ip_header;

  /* pseudo header: addresses, protocol, length */
  for (gsize i = 0; i < 2 * alen; i += 2)
    pseudo += be16 (ip + (ipv6 ? 8 : 12) + i);
  pseudo += 6 + tcp_len;
  g_assert_cmphex (checksum (pseudo, tcp, tcp_len), ==, 0xffff);

  sport = be16 (tcp);
  dport = be16 (tcp + 2);
  flags = tcp[13];
  g_assert_cmpuint (tcp[12] >> 4, ==, 5);
  /* both looked up before either pointer is taken: adding one may move the array */
  find_flow (flows, sport, dport);
  reverse = find_flow (flows, dport, sport);
  flow = find_flow (flows, sport, dport);
  if (flags & 0x02)
    {
      g_assert_false (flow->syn_seen);
      flow->syn_seen = TRUE;
      flow->next_seq = be32 (tcp + 4) + 1;
    }
  else
    {
      g_assert_true (flow->syn_seen);
      /* after its FIN a side only acknowledges */
      if (flow->fin_seen)
        g_assert_true (flags == 0x10 && tcp_len == 20);
      g_assert_cmphex (be32 (tcp + 4), ==, flow->next_seq);
      flow->next_seq += tcp_len - 20 + ((flags & 0x01) ? 1 : 0);
      flow->fin_seen |= (flags & 0x01) != 0;
    }
  if (flags & 0x10)
    g_assert_cmphex (be32 (tcp + 8), ==, reverse->next_seq);
  if (tcp_len > 20)
    g_ptr_array_add (payloads, g_bytes_new (tcp + 20, tcp_len - 20));
  return sport;
}

static GBytes *
concat (GPtrArray *chunks)
{
  g_autoptr(GByteArray) all = g_byte_array_new ();

  for (guint i = 0; i < chunks->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (g_ptr_array_index (chunks, i), &len);

      g_byte_array_append (all, data, len);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

/* What the client saw on the wire, in order */
static GPtrArray *
client_records (GListModel *events)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_kind (event) == HL_EVENT_RECORD &&
          hl_event_get_side (event) == HL_SIDE_CLIENT)
        g_ptr_array_add (records, g_bytes_ref (hl_event_get_raw (event)));
    }
  return records;
}

/* Parses an export of @events and checks it; returns the number of
 * distinct client ports (one per connection) */
static guint
check_pcapng (GListModel *events,
              gboolean    ipv6)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = export_to_bytes (hl_export_pcapng, events, &error);
  g_autofree char *keylog = export_keylog (events);
  g_autoptr(GArray) flows = g_array_new (FALSE, TRUE, sizeof (Flow));
  g_autoptr(GPtrArray) payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) records = client_records (events);
  g_autoptr(GBytes) sent = NULL;
  g_autoptr(GBytes) seen = NULL;
  g_autoptr(GHashTable) ports = g_hash_table_new (NULL, NULL);
  Pcapng file = { 0 };

  g_assert_no_error (error);
  parse_pcapng (bytes, &file);
  g_assert_cmpuint (file.n_dsb, ==, keylog[0] != '\0' ? 1 : 0);
  g_assert_cmpstr (file.secrets, ==, keylog[0] != '\0' ? keylog : NULL);

  for (guint i = 0; i < file.packets->len; i++)
    {
      const Packet *packet = &g_array_index (file.packets, Packet, i);
      guint16 port = check_frame (packet, flows, payloads, ipv6);

      if (i > 0)
        g_assert_cmpuint (packet->ts, >=, g_array_index (file.packets, Packet, i - 1).ts);
      if (port != 443 && port != 4433)
        g_hash_table_add (ports, GUINT_TO_POINTER (port));
    }
  for (guint i = 0; i < flows->len; i++)
    g_assert_true (g_array_index (flows, Flow, i).fin_seen);

  /* every byte the client saw, nothing else, in the same order */
  sent = concat (records);
  seen = concat (payloads);
  g_assert_cmpuint (g_bytes_get_size (seen), ==, g_bytes_get_size (sent));
  g_assert_true (g_bytes_equal (seen, sent));

  g_array_unref (file.packets);
  g_free (file.secrets);
  return g_hash_table_size (ports);
}

static void
test_pcapng_tls13 (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, FALSE,
                                               HL_SCENARIO_NONE);

  g_assert_cmpuint (check_pcapng (events, FALSE), ==, 1);
}

static void
test_pcapng_tls12_rsa (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_2, HL_KEY_EXCHANGE_RSA, TRUE,
                                               HL_SCENARIO_NONE);

  g_assert_cmpuint (check_pcapng (events, FALSE), ==, 1);
}

static void
test_pcapng_resumption (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, FALSE,
                                               HL_SCENARIO_RESUMPTION);

  /* two connections, told apart by their client ports */
  g_assert_cmpuint (check_pcapng (events, FALSE), ==, 2);
}

static void
append_event (GListStore *store,
              HlEvent    *event)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
  g_autoptr(HlEvent) timed = hl_event_copy_with_time (event, n, 1000000 * (n + 1));

  g_object_unref (event);
  g_list_store_append (store, timed);
}

static void
append_record (GListStore  *store,
               HlDirection  dir,
               gsize        length)
{
  g_autofree guint8 *data = NULL;
  g_autoptr(GBytes) raw = NULL;

  g_assert_cmpuint (length, >=, 5);
  data = g_malloc (length);
  data[0] = 23;
  data[1] = 3;
  data[2] = 3;
  data[3] = (length - 5) >> 8;
  data[4] = (length - 5) & 0xff;
  for (gsize i = 5; i < length; i++)
    data[i] = i * 7;
  raw = g_bytes_new (data, length);
  append_event (store, hl_event_new_record (HL_SIDE_CLIENT, dir, 23, 0x0303, raw));
}

/* A connect log: real endpoints, only the client's view, and a record
 * too big for one segment */
static GListModel *
connect_events (const char *peer,
                const char *local)
{
  GListStore *store = g_list_store_new (HL_TYPE_EVENT);
  JsonObject *details = json_object_new ();

  json_object_set_string_member (details, "transport", "tcp");
  json_object_set_string_member (details, "peer", peer);
  json_object_set_string_member (details, "local", local);
  append_event (store, hl_event_new_state (HL_SIDE_CLIENT, "connected", details));
  json_object_unref (details);
  append_record (store, HL_DIRECTION_OUT, 300);
  append_record (store, HL_DIRECTION_IN, 16384 + 5 + 256);
  append_record (store, HL_DIRECTION_IN, 33);
  append_record (store, HL_DIRECTION_OUT, 5 + 1);
  return G_LIST_MODEL (store);
}

static void
test_pcapng_endpoints (void)
{
  g_autoptr(GListModel) v4 = connect_events ("127.0.0.1:4433", "127.0.0.1:50000");
  g_autoptr(GListModel) v6 = connect_events ("[::1]:4433", "[::1]:50001");
  g_autoptr(GBytes) bytes = export_to_bytes (hl_export_pcapng, v4, NULL);
  Pcapng file = { 0 };
  const Packet *syn;

  g_assert_cmpuint (check_pcapng (v4, FALSE), ==, 1);
  g_assert_cmpuint (check_pcapng (v6, TRUE), ==, 1);

  /* the real addresses and ports, no secrets block without secrets */
  parse_pcapng (bytes, &file);
  g_assert_cmpuint (file.n_dsb, ==, 0);
  /* SYN, SYN/ACK, ACK, 1 + 2 + 1 + 1 data segments, FIN, FIN, ACK */
  g_assert_cmpuint (file.packets->len, ==, 11);
  syn = &g_array_index (file.packets, Packet, 0);
  g_assert_cmpmem (syn->data + 14 + 12, 4, "\x7f\x00\x00\x01", 4);
  g_assert_cmpuint (be16 (syn->data + 34), ==, 50000);
  g_assert_cmpuint (be16 (syn->data + 36), ==, 4433);
  g_array_unref (file.packets);
}

static void
test_pcapng_no_records (void)
{
  g_autoptr(GListStore) store = g_list_store_new (HL_TYPE_EVENT);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  append_event (store, hl_event_new_error (HL_SIDE_CLIENT, "refused", "Connection refused"));
  bytes = export_to_bytes (hl_export_pcapng, G_LIST_MODEL (store), &error);
  g_assert_error (error, HL_EXPORT_ERROR, HL_EXPORT_ERROR_NO_RECORDS);
  g_assert_null (bytes);
}

/* Mermaid */

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static guint
count_handshakes (GListModel  *events,
                  HlSide       side,
                  HlDirection  dir)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_kind (event) == HL_EVENT_HANDSHAKE && hl_event_get_side (event) == side &&
          hl_event_get_direction (event) == dir)
        n++;
    }
  return n;
}

static void
test_mermaid_demo (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, TRUE,
                                               HL_SCENARIO_NONE);
  g_autofree char *text = hl_export_mermaid (events);
  guint arrows = count (text, "Client->>Server: ") + count (text, "Server->>Client: ");

  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "sequenceDiagram\n    participant Client\n"
                                         "    participant Server\n"));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  /* in order, once each: the receiver's copy is not drawn */
  {
    const char *expected[] = {
      "Client->>Server: client_hello (",
      "Server->>Client: server_hello (",
      "Server->>Client: encrypted_extensions (",
      "Server->>Client: certificate_request (",
      "Server->>Client: certificate (",
      "Server->>Client: certificate_verify (",
      "Server->>Client: finished (",
      "Client->>Server: certificate (",
      "Client->>Server: certificate_verify (",
      "Client->>Server: finished (",
    };
    const char *at = text;

    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        at = strstr (at, expected[i]);
        g_assert_nonnull (at);
        g_assert_cmpuint (count (text, expected[i]), ==, 1);
      }
  }
  g_assert_cmpuint (arrows, ==, count_handshakes (events, HL_SIDE_CLIENT, HL_DIRECTION_OUT) +
                                count_handshakes (events, HL_SIDE_SERVER, HL_DIRECTION_OUT));
  g_assert_nonnull (strstr (text, "encrypted)\n"));
  g_assert_nonnull (strstr (text, "-->>Client: change_cipher_spec\n"));
  g_assert_nonnull (strstr (text, "Note over Client: ✓ verified the server chain"));
  g_assert_nonnull (strstr (text, "Note over Server: ✓ verified the client chain"));
  /* How secrets group into notes depends on how the two threads
   * interleave; each label must sit in one of the client's notes */
  {
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    const char *labels[] = { "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                             "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0" };

    for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
      {
        gboolean found = FALSE;

        for (guint l = 0; lines[l] != NULL && !found; l++)
          found = strstr (lines[l], "Note over Client: secrets derived<br/>") != NULL &&
                  strstr (lines[l], labels[i]) != NULL;
        g_assert_true (found);
      }
  }
  g_assert_nonnull (strstr (text, "Note over Client,Server: handshake done: TLS1.3"));
}

static void
test_mermaid_client_only (void)
{
  g_autoptr(GListModel) events = capture_demo (HL_TLS_VERSION_1_2, HL_KEY_EXCHANGE_ECDHE, FALSE,
                                               HL_SCENARIO_UNTRUSTED_SERVER);
  g_autoptr(GListStore) client = g_list_store_new (HL_TYPE_EVENT);
  g_autofree char *text = NULL;

  /* what a connect log holds: the client's events only */
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_side (event) == HL_SIDE_CLIENT)
        g_list_store_append (client, event);
    }
  text = hl_export_mermaid (G_LIST_MODEL (client));
  g_test_message ("%s", text);
  g_assert_cmpuint (count (text, "Client->>Server: "), ==,
                    count_handshakes (events, HL_SIDE_CLIENT, HL_DIRECTION_OUT));
  g_assert_cmpuint (count (text, "Server->>Client: "), ==,
                    count_handshakes (events, HL_SIDE_CLIENT, HL_DIRECTION_IN));
  g_assert_nonnull (strstr (text, "Server->>Client: certificate ("));
  g_assert_nonnull (strstr (text, "Note over Client: ⚠ refused the server chain"));
  g_assert_nonnull (strstr (text, "Client-xServer: ⚠ alert fatal "));
}

static void
test_mermaid_escapes (void)
{
  g_autoptr(GListStore) store = g_list_store_new (HL_TYPE_EVENT);
  g_autofree char *text = NULL;

  append_event (store, hl_event_new_error (HL_SIDE_CLIENT, "failed",
                                           "a;b#c<script>\nServer->>Client: forged"));
  text = hl_export_mermaid (G_LIST_MODEL (store));
  g_assert_cmpstr (text, ==, "sequenceDiagram\n"
                             "    participant Client\n"
                             "    participant Server\n"
                             "    Note over Client: ⚠ a#59;b#35;c#60;script#62; "
                             "Server-#62;#62;Client: forged\n");
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  hl_test_init ("export");

  g_test_add_func ("/export/keylog", test_keylog);
  g_test_add_func ("/export/pcapng/tls13", test_pcapng_tls13);
  g_test_add_func ("/export/pcapng/tls12-rsa", test_pcapng_tls12_rsa);
  g_test_add_func ("/export/pcapng/resumption", test_pcapng_resumption);
  g_test_add_func ("/export/pcapng/endpoints", test_pcapng_endpoints);
  g_test_add_func ("/export/pcapng/no-records", test_pcapng_no_records);
  g_test_add_func ("/export/mermaid/demo", test_mermaid_demo);
  g_test_add_func ("/export/mermaid/client-only", test_mermaid_client_only);
  g_test_add_func ("/export/mermaid/escapes", test_mermaid_escapes);
  ret = g_test_run ();

  hl_test_cleanup ();
  return ret;
}

/* hl-export-pcapng.c: the records seen on the wire as a pcapng capture
 *
 * The engine sees TLS records, not packets. Wireshark needs packets, so
 * each connection becomes a synthesized TCP stream between the real
 * endpoints (or stand-ins for an in-process socket pair): a three-way
 * handshake, one segment per record with consistent sequence numbers,
 * and a FIN exchange. The key-log lines go into a Decryption Secrets
 * Block ahead of the packets, so the file decrypts on its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-export-private.h"

#define BLOCK_SHB 0x0A0D0D0Au
#define BLOCK_IDB 0x00000001u
#define BLOCK_EPB 0x00000006u
#define BLOCK_DSB 0x0000000Au
#define SECRETS_TLS_KEY_LOG 0x544c534bu
#define LINKTYPE_ETHERNET 1

#define OPT_END 0
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME 2
#define OPT_IF_TSRESOL 9

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

/* A TLS record can exceed 16 KiB by its header and expansion; segments
 * stay below that, like a loopback MSS would keep them */
#define MAX_SEGMENT 16384

#define DEMO_SERVER_PORT 443
#define DEMO_CLIENT_PORT 49152

typedef struct
{
  GSocketFamily family;
  guint8        address[16];
  guint16       port;
} Endpoint;

/* One TCP connection: one session index of the capture */
typedef struct
{
  guint       session;
  JsonObject *details;          /* of "connected", borrowed from an event */
  gboolean    client_records;   /* the client saw records (it is the view used) */
  gboolean    server_records;
  gint64      first_ns;
  gint64      last_ns;
  Endpoint    client;
  Endpoint    server;
  guint32     next_seq[2];      /* [0] client to server, [1] server to client */
  guint16     ip_id[2];
} Connection;

typedef struct
{
  GOutputStream *out;
  gint64         start_ns;      /* wall-clock time of t_ns 0 */
  gint64         last_ts_ns;    /* packets never go back in time */
} Writer;

static void
put_le16 (GByteArray *buf,
          guint16     value)
{
  guint16 le = GUINT16_TO_LE (value);
  g_byte_array_append (buf, (const guint8 *) &le, 2);
}

static void
put_le32 (GByteArray *buf,
          guint32     value)
{
  guint32 le = GUINT32_TO_LE (value);
  g_byte_array_append (buf, (const guint8 *) &le, 4);
}

static void
put_be16 (GByteArray *buf,
          guint16     value)
{
  guint16 be = GUINT16_TO_BE (value);
  g_byte_array_append (buf, (const guint8 *) &be, 2);
}

static void
put_be32 (GByteArray *buf,
          guint32     value)
{
  guint32 be = GUINT32_TO_BE (value);
  g_byte_array_append (buf, (const guint8 *) &be, 4);
}

static void
set_be16 (GByteArray *buf,
          guint       offset,
          guint16     value)
{
  buf->data[offset] = value >> 8;
  buf->data[offset + 1] = value & 0xff;
}

static void
pad32 (GByteArray *buf)
{
  static const guint8 zeros[4] = { 0 };

  if (buf->len % 4 != 0)
    g_byte_array_append (buf, zeros, 4 - buf->len % 4);
}

/* pcapng blocks: type, total length, body, total length again */

static GByteArray *
block_new (guint32 type)
{
  GByteArray *buf = g_byte_array_new ();

  put_le32 (buf, type);
  put_le32 (buf, 0);
  return buf;
}

static void
block_put_option (GByteArray   *buf,
                  guint16       code,
                  const void   *data,
                  gsize         len)
{
  put_le16 (buf, code);
  put_le16 (buf, len);
  g_byte_array_append (buf, data, len);
  pad32 (buf);
}

static void
block_put_end_of_options (GByteArray *buf)
{
  put_le32 (buf, OPT_END);
}

static gboolean
block_write (Writer      *writer,
             GByteArray  *buf,
             GError     **error)
{
  guint32 total;

  pad32 (buf);
  total = GUINT32_TO_LE (buf->len + 4);
  memcpy (buf->data + 4, &total, 4);
  put_le32 (buf, buf->len + 4);
  return g_output_stream_write_all (writer->out, buf->data, buf->len, NULL, NULL, error);
}

static gboolean
write_header (Writer  *writer,
              GError **error)
{
  g_autoptr(GByteArray) shb = block_new (BLOCK_SHB);
  g_autoptr(GByteArray) idb = block_new (BLOCK_IDB);
  static const char application[] = "Handshake Lens " PACKAGE_VERSION;
  static const char interface[] = "synthesized from a Handshake Lens log";
  guint8 nanoseconds = 9;

  put_le32 (shb, 0x1A2B3C4D);
  put_le16 (shb, 1);
  put_le16 (shb, 0);
  /* section length unknown: -1 */
  put_le32 (shb, 0xffffffff);
  put_le32 (shb, 0xffffffff);
  block_put_option (shb, OPT_SHB_USERAPPL, application, strlen (application));
  block_put_end_of_options (shb);
  if (!block_write (writer, shb, error))
    return FALSE;

  put_le16 (idb, LINKTYPE_ETHERNET);
  put_le16 (idb, 0);
  put_le32 (idb, 0);   /* no snapshot limit */
  block_put_option (idb, OPT_IF_NAME, interface, strlen (interface));
  block_put_option (idb, OPT_IF_TSRESOL, &nanoseconds, 1);
  block_put_end_of_options (idb);
  return block_write (writer, idb, error);
}

static gboolean
write_secrets (Writer      *writer,
               GListModel  *events,
               GError     **error)
{
  g_autoptr(GPtrArray) lines = hl_export_collect_keylog_lines (events);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GByteArray) dsb = NULL;

  /* an empty Decryption Secrets Block only confuses readers */
  if (lines->len == 0)
    return TRUE;
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (lines, i));

  dsb = block_new (BLOCK_DSB);
  put_le32 (dsb, SECRETS_TLS_KEY_LOG);
  put_le32 (dsb, text->len);
  g_byte_array_append (dsb, (const guint8 *) text->str, text->len);
  return block_write (writer, dsb, error);
}

static gboolean
write_packet (Writer      *writer,
              gint64       t_ns,
              GByteArray  *frame,
              GError     **error)
{
  g_autoptr(GByteArray) epb = block_new (BLOCK_EPB);
  guint64 ts;

  writer->last_ts_ns = MAX (writer->last_ts_ns, t_ns);
  ts = (guint64) (writer->start_ns + writer->last_ts_ns);
  put_le32 (epb, 0);
  put_le32 (epb, ts >> 32);
  put_le32 (epb, ts & 0xffffffff);
  put_le32 (epb, frame->len);
  put_le32 (epb, frame->len);
  g_byte_array_append (epb, frame->data, frame->len);
  pad32 (epb);
  block_put_end_of_options (epb);
  return block_write (writer, epb, error);
}

/* Frames */

static guint32
checksum_add (guint32       sum,
              const guint8 *data,
              gsize         len)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    sum += (data[i] << 8) | data[i + 1];
  if (len % 2 == 1)
    sum += data[len - 1] << 8;
  return sum;
}

static guint16
checksum_finish (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

static gsize
address_length (const Endpoint *endpoint)
{
  return endpoint->family == G_SOCKET_FAMILY_IPV6 ? 16 : 4;
}

static void
put_ip_header (GByteArray     *frame,
               const Endpoint *from,
               const Endpoint *to,
               guint16         id,
               gsize           tcp_length)
{
  gsize alen = address_length (from);

  if (from->family == G_SOCKET_FAMILY_IPV6)
    {
      put_be32 (frame, 0x60000000);
      put_be16 (frame, tcp_length);
      g_byte_array_append (frame, (const guint8 *) "\x06\x40", 2);   /* TCP, hop limit 64 */
    }
  else
    {
      guint start = frame->len;

      g_byte_array_append (frame, (const guint8 *) "\x45\x00", 2);
      put_be16 (frame, 20 + tcp_length);
      put_be16 (frame, id);
      put_be16 (frame, 0x4000);   /* don't fragment */
      g_byte_array_append (frame, (const guint8 *) "\x40\x06\x00\x00", 4);   /* TTL, TCP */
      g_byte_array_append (frame, from->address, alen);
      g_byte_array_append (frame, to->address, alen);
      set_be16 (frame, start + 10, checksum_finish (checksum_add (0, frame->data + start, 20)));
      return;
    }
  g_byte_array_append (frame, from->address, alen);
  g_byte_array_append (frame, to->address, alen);
}

static guint16
tcp_checksum (const Endpoint *from,
              const Endpoint *to,
              const guint8   *segment,
              gsize           len)
{
  gsize alen = address_length (from);
  guint32 sum = 0;

  sum = checksum_add (sum, from->address, alen);
  sum = checksum_add (sum, to->address, alen);
  /* adding the 32-bit length whole is the same as adding its two words */
  sum += 6 + (guint32) len;
  return checksum_finish (checksum_add (sum, segment, len));
}

static GByteArray *
build_frame (Connection   *conn,
             gboolean      from_client,
             guint8        flags,
             const guint8 *payload,
             gsize         len)
{
  static const guint8 client_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
  static const guint8 server_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
  const Endpoint *from = from_client ? &conn->client : &conn->server;
  const Endpoint *to = from_client ? &conn->server : &conn->client;
  guint dir = from_client ? 0 : 1;
  GByteArray *frame = g_byte_array_new ();
  guint tcp_start;

  g_byte_array_append (frame, from_client ? server_mac : client_mac, 6);
  g_byte_array_append (frame, from_client ? client_mac : server_mac, 6);
  put_be16 (frame, from->family == G_SOCKET_FAMILY_IPV6 ? 0x86DD : 0x0800);
  put_ip_header (frame, from, to, conn->ip_id[dir]++, 20 + len);

  tcp_start = frame->len;
  put_be16 (frame, from->port);
  put_be16 (frame, to->port);
  put_be32 (frame, conn->next_seq[dir]);
  put_be32 (frame, (flags & TCP_ACK) ? conn->next_seq[1 - dir] : 0);
  g_byte_array_append (frame, (const guint8 *) "\x50", 1);   /* 20-byte header */
  g_byte_array_append (frame, &flags, 1);
  put_be16 (frame, 0xffff);
  put_be16 (frame, 0);
  put_be16 (frame, 0);
  if (len > 0)
    g_byte_array_append (frame, payload, len);
  set_be16 (frame, tcp_start + 16,
            tcp_checksum (from, to, frame->data + tcp_start, frame->len - tcp_start));

  /* SYN and FIN take one sequence number each */
  conn->next_seq[dir] += len + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
  return frame;
}

static gboolean
write_segment (Writer        *writer,
               Connection    *conn,
               gint64         t_ns,
               gboolean       from_client,
               guint8         flags,
               const guint8  *payload,
               gsize          len,
               GError       **error)
{
  g_autoptr(GByteArray) frame = build_frame (conn, from_client, flags, payload, len);

  return write_packet (writer, t_ns, frame, error);
}

/* Endpoints */

static gboolean
parse_endpoint (const char *text,
                Endpoint   *endpoint)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *port_text;
  guint64 port;

  if (text == NULL)
    return FALSE;
  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || end[1] != ':')
        return FALSE;
      host = g_strndup (text + 1, end - text - 1);
      port_text = end + 2;
      /* a scope ("%eth0") means nothing in a synthesized frame */
      if (strchr (host, '%') != NULL)
        *strchr (host, '%') = '\0';
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon == NULL || strchr (text, ':') != colon)
        return FALSE;
      host = g_strndup (text, colon - text);
      port_text = colon + 1;
    }
  if (!g_ascii_string_to_unsigned (port_text, 10, 1, G_MAXUINT16, &port, NULL))
    return FALSE;
  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return FALSE;
  endpoint->family = g_inet_address_get_family (address);
  memcpy (endpoint->address, g_inet_address_to_bytes (address),
          g_inet_address_get_native_size (address));
  endpoint->port = port;
  return TRUE;
}

static void
set_loopback (Endpoint *endpoint,
              guint16   port)
{
  static const guint8 loopback[4] = { 127, 0, 0, 1 };

  endpoint->family = G_SOCKET_FAMILY_IPV4;
  memcpy (endpoint->address, loopback, 4);
  endpoint->port = port;
}

static void
connection_set_endpoints (Connection *conn)
{
  const char *peer = NULL, *local = NULL;

  if (conn->details != NULL)
    {
      peer = hl_json_get_string (conn->details, "peer");
      local = hl_json_get_string (conn->details, "local");
    }
  if (parse_endpoint (peer, &conn->server) && parse_endpoint (local, &conn->client) &&
      conn->server.family == conn->client.family)
    return;
  /* a socket pair has no addresses: stand-ins, a port per connection so
   * that Wireshark keeps the streams apart */
  set_loopback (&conn->server, DEMO_SERVER_PORT);
  set_loopback (&conn->client, DEMO_CLIENT_PORT + conn->session % 16384);
}

/* Connections */

static Connection *
find_connection (GArray *conns,
                 guint   session)
{
  Connection fresh = { 0 };

  for (guint i = 0; i < conns->len; i++)
    if (g_array_index (conns, Connection, i).session == session)
      return &g_array_index (conns, Connection, i);
  fresh.session = session;
  fresh.first_ns = G_MAXINT64;
  fresh.last_ns = G_MININT64;
  /* arbitrary but fixed initial sequence numbers keep exports reproducible */
  fresh.next_seq[0] = 0x1000000u + session * 0x10000u;
  fresh.next_seq[1] = 0x8000000u + session * 0x10000u;
  g_array_append_val (conns, fresh);
  return &g_array_index (conns, Connection, conns->len - 1);
}

static void
note_event (Connection *conn,
            HlEvent    *event)
{
  gint64 t = hl_event_get_time_ns (event);
  HlSide side = hl_event_get_side (event);

  conn->first_ns = MIN (conn->first_ns, t);
  conn->last_ns = MAX (conn->last_ns, t);
  if (hl_event_get_kind (event) == HL_EVENT_RECORD)
    {
      if (side == HL_SIDE_CLIENT)
        conn->client_records = TRUE;
      else
        conn->server_records = TRUE;
    }
  /* the client's view of the connection knows both addresses */
  if (hl_event_get_kind (event) == HL_EVENT_STATE &&
      g_strcmp0 (hl_event_get_state (event), "connected") == 0 &&
      (conn->details == NULL || side == HL_SIDE_CLIENT))
    conn->details = hl_event_get_details (event);
}

static GArray *
collect_connections (GListModel *events)
{
  GArray *conns = g_array_new (FALSE, TRUE, sizeof (Connection));
  guint n = g_list_model_get_n_items (events);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      note_event (find_connection (conns, hl_event_get_session (event)), event);
    }
  for (guint i = 0; i < conns->len; i++)
    connection_set_endpoints (&g_array_index (conns, Connection, i));
  return conns;
}

static gboolean
has_records (GArray *conns)
{
  for (guint i = 0; i < conns->len; i++)
    {
      const Connection *conn = &g_array_index (conns, Connection, i);

      if (conn->client_records || conn->server_records)
        return TRUE;
    }
  return FALSE;
}

static gboolean
write_open (Writer      *writer,
            Connection  *conn,
            GError     **error)
{
  gint64 t = conn->first_ns;

  return write_segment (writer, conn, t, TRUE, TCP_SYN, NULL, 0, error) &&
         write_segment (writer, conn, t + 1000, FALSE, TCP_SYN | TCP_ACK, NULL, 0, error) &&
         write_segment (writer, conn, t + 2000, TRUE, TCP_ACK, NULL, 0, error);
}

static gboolean
write_close (Writer      *writer,
             Connection  *conn,
             GError     **error)
{
  gint64 t = MAX (conn->last_ns, writer->last_ts_ns) + 1000;

  return write_segment (writer, conn, t, TRUE, TCP_FIN | TCP_ACK, NULL, 0, error) &&
         write_segment (writer, conn, t + 1000, FALSE, TCP_FIN | TCP_ACK, NULL, 0, error) &&
         write_segment (writer, conn, t + 2000, TRUE, TCP_ACK, NULL, 0, error);
}

static gboolean
write_record (Writer      *writer,
              Connection  *conn,
              HlEvent     *event,
              GError     **error)
{
  GBytes *raw = hl_event_get_raw (event);
  gboolean from_client = hl_event_get_sender (event) == HL_SIDE_CLIENT;
  const guint8 *data;
  gsize len;

  if (raw == NULL)
    return TRUE;
  data = g_bytes_get_data (raw, &len);
  for (gsize offset = 0; offset < len; offset += MAX_SEGMENT)
    {
      gsize chunk = MIN (len - offset, MAX_SEGMENT);

      if (!write_segment (writer, conn, hl_event_get_time_ns (event), from_client,
                          TCP_PSH | TCP_ACK, data + offset, chunk, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_connection (Writer      *writer,
                  GListModel  *events,
                  Connection  *conn,
                  GError     **error)
{
  /* Both ends of a demo record the same bytes; one view is enough and
   * the client's is the one every mode has */
  HlSide view = conn->client_records ? HL_SIDE_CLIENT : HL_SIDE_SERVER;
  guint n = g_list_model_get_n_items (events);

  if (!conn->client_records && !conn->server_records)
    return TRUE;
  if (!write_open (writer, conn, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

      if (hl_event_get_kind (event) != HL_EVENT_RECORD ||
          hl_event_get_side (event) != view ||
          hl_event_get_session (event) != conn->session)
        continue;
      if (!write_record (writer, conn, event, error))
        return FALSE;
    }
  return write_close (writer, conn, error);
}

/**
 * hl_export_pcapng_with_start:
 * @events: a #GListModel of #HlEvent
 * @start: (nullable): the wall-clock time at which the capture began
 * @out: where to write
 * @error: return location for a #GError
 *
 * Writes a pcapng capture of the records in @events (one connection per
 * session index) with their key-log lines embedded.
 *
 * Returns: %TRUE on success; fails with %HL_EXPORT_ERROR_NO_RECORDS if
 *   no record was seen
 */
gboolean
hl_export_pcapng_with_start (GListModel     *events,
                             GDateTime      *start,
                             GOutputStream  *out,
                             GError        **error)
{
  g_autoptr(GArray) conns = NULL;
  Writer writer = { .out = out };

  g_return_val_if_fail (G_IS_LIST_MODEL (events), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (start != NULL)
    writer.start_ns = g_date_time_to_unix (start) * G_GINT64_CONSTANT (1000000000) +
                      g_date_time_get_microsecond (start) * 1000;
  else
    writer.start_ns = g_get_real_time () * 1000;

  conns = collect_connections (events);
  if (!has_records (conns))
    {
      g_set_error_literal (error, HL_EXPORT_ERROR, HL_EXPORT_ERROR_NO_RECORDS,
                           "The log holds no TLS records to put in a capture");
      return FALSE;
    }
  if (!write_header (&writer, error) || !write_secrets (&writer, events, error))
    return FALSE;
  for (guint i = 0; i < conns->len; i++)
    if (!write_connection (&writer, events, &g_array_index (conns, Connection, i), error))
      return FALSE;
  return TRUE;
}

/**
 * hl_export_pcapng:
 * @events: a #GListModel of #HlEvent
 * @out: where to write
 * @error: return location for a #GError
 *
 * Like hl_export_pcapng_with_start(), with timestamps starting now.
 *
 * Returns: %TRUE on success
 */
gboolean
hl_export_pcapng (GListModel     *events,
                  GOutputStream  *out,
                  GError        **error)
{
  return hl_export_pcapng_with_start (events, NULL, out, error);
}

/* hl-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "hl-decoder.h"
#include "hl-event-private.h"
#include "hl-json-scan.h"
#include "hl-registry.h"

/* Events are immutable once handed to a consumer: the engine stamps them
 * (seq, time) before the hand-off. Only caches are filled in afterwards,
 * each once, by whichever thread gets there first: the decoded field
 * tree, a state's details, and the line a capture's worker makes ahead. */

/* An event's log line, made ahead of the consumer */
typedef struct
{
  GString *line;    /* without the field tree of a handshake message */
  GString *fields;  /* that tree, as JSON; NULL when it was left out */
} Rendered;

struct _HlEvent
{
  GObject      parent_instance;

  guint64      seq;
  gint64       t_ns;
  HlEventKind  kind : 8;
  HlSide       side : 2;
  HlDirection  dir : 2;
  guint        encrypted : 1;
  guint        session;

  /* handshake: message type; record: content type; alert: description */
  guint        type;
  /* handshake: negotiated version; record: record version; alert: level */
  guint16      version;
  /* handshake: the negotiated cipher suite when known (TLS 1.2 key
   * exchange messages are read by it) */
  guint16      cipher_suite;

  /* handshake, record: raw bytes; secret: the secret. @raw_data and
   * @raw_size are where they are. A log's reader gives them with what
   * holds them (@raw_owner) rather than as a GBytes, one of which for each
   * event was 3 % of a long log's load: @raw is then made when first
   * asked for (atomically: any thread may ask) */
  GBytes      *raw;
  const guint8 *raw_data;
  gsize        raw_size;
  gpointer     raw_owner;
  const HlEventRawOwner *raw_owner_class;
  /* secret: client random */
  GBytes      *random;
  /* secret: label; state: state; error: code */
  char        *name;
  /* error: message */
  char        *message;
  /* certificate_check */
  GPtrArray   *chain;
  GStrv        reasons;
  /* state: made on first use (atomically: any thread may ask) from
   * @details_text when set, else empty */
  JsonObject  *details;
  char        *details_text;
  gsize        details_length;

  HlField     *fields;
  /* made once, by the thread that saw the event, for a consumer that
   * writes every event out: see hl_event_render_json_line() */
  Rendered    *rendered;
};

G_DEFINE_FINAL_TYPE (HlEvent, hl_event, G_TYPE_OBJECT)

static void
rendered_free (Rendered *rendered)
{
  g_string_free (rendered->line, TRUE);
  if (rendered->fields != NULL)
    g_string_free (rendered->fields, TRUE);
  g_free (rendered);
}

static void
hl_event_finalize (GObject *object)
{
  HlEvent *self = HL_EVENT (object);

  g_clear_pointer (&self->raw, g_bytes_unref);
  if (self->raw_owner != NULL)
    self->raw_owner_class->unref (g_steal_pointer (&self->raw_owner));
  g_clear_pointer (&self->random, g_bytes_unref);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->chain, g_ptr_array_unref);
  g_clear_pointer (&self->reasons, g_strfreev);
  g_clear_pointer (&self->details, json_object_unref);
  g_clear_pointer (&self->details_text, g_free);
  g_clear_pointer (&self->fields, hl_field_unref);
  g_clear_pointer (&self->rendered, rendered_free);

  G_OBJECT_CLASS (hl_event_parent_class)->finalize (object);
}

static void
hl_event_class_init (HlEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_event_finalize;
}

static void
hl_event_init (HlEvent *self)
{
}

static HlEvent *
event_new (HlEventKind kind,
           HlSide      side,
           HlDirection dir)
{
  HlEvent *self = g_object_new (HL_TYPE_EVENT, NULL);

  self->kind = kind;
  self->side = side;
  self->dir = dir;
  return self;
}

/* Takes @raw */
static void
set_raw (HlEvent *self,
         GBytes  *raw)
{
  self->raw = raw;
  self->raw_data = g_bytes_get_data (raw, &self->raw_size);
}

/* The bytes as a GBytes, made when first asked for where the event was
 * given them otherwise */
static GBytes *
raw_bytes (HlEvent *self)
{
  GBytes *raw = g_atomic_pointer_get (&self->raw);

  if (raw == NULL && self->raw_owner != NULL)
    {
      GBytes *made = g_bytes_new_with_free_func (self->raw_data, self->raw_size, self->raw_owner_class->unref,
                                                 self->raw_owner_class->ref (self->raw_owner));

      if (!g_atomic_pointer_compare_and_exchange (&self->raw, NULL, made))
        g_bytes_unref (made);
      raw = g_atomic_pointer_get (&self->raw);
    }
  return raw;
}

/**
 * hl_event_new_handshake:
 * @type: the wire message type, or %HL_HANDSHAKE_TYPE_HELLO_RETRY_REQUEST
 * @raw: the message, 4-byte header included
 * @tls_version: the version negotiated when it was seen, or 0
 *
 * Returns: (transfer full): a handshake event
 */
HlEvent *
hl_event_new_handshake (HlSide      side,
                        HlDirection dir,
                        guint       type,
                        GBytes     *raw,
                        gboolean    encrypted,
                        guint16     tls_version)
{
  HlEvent *self;

  g_return_val_if_fail (raw != NULL, NULL);

  self = event_new (HL_EVENT_HANDSHAKE, side, dir);
  self->type = type;
  set_raw (self, g_bytes_ref (raw));
  self->encrypted = !!encrypted;
  self->version = tls_version;
  return self;
}

/**
 * hl_event_new_taking_raw:
 * @kind: %HL_EVENT_HANDSHAKE or %HL_EVENT_RECORD
 * @type: the message type or the record's content type
 * @encrypted: for a handshake message
 * @raw: (transfer full): the message or the record, header included
 *
 * A handshake message or a record as a log's reader makes it: @raw is
 * taken rather than referenced (a reference and its release on every
 * event were 2 % of a long log's load).
 *
 * Returns: (transfer full): the event
 */
HlEvent *
hl_event_new_taking_raw (HlEventKind kind,
                         HlSide      side,
                         HlDirection dir,
                         guint       type,
                         guint16     version,
                         gboolean    encrypted,
                         GBytes     *raw)
{
  HlEvent *self;

  g_return_val_if_fail (kind == HL_EVENT_HANDSHAKE || kind == HL_EVENT_RECORD, NULL);
  g_return_val_if_fail (raw != NULL, NULL);

  self = event_new (kind, side, dir);
  self->type = type;
  self->version = version;
  self->encrypted = kind == HL_EVENT_HANDSHAKE && encrypted;
  set_raw (self, raw);
  return self;
}

/**
 * hl_event_new_with_raw_owner:
 * @data: the message or the record, header included
 * @owner: (transfer full): what holds @data, kept as long as the event
 *   or a GBytes made of its bytes is
 *
 * As hl_event_new_taking_raw(), for bytes held by something else (a log
 * reader's block): the GBytes hl_event_get_raw() gives is made when first
 * asked for.
 *
 * Returns: (transfer full): the event
 */
HlEvent *
hl_event_new_with_raw_owner (HlEventKind            kind,
                             HlSide                 side,
                             HlDirection            dir,
                             guint                  type,
                             guint16                version,
                             gboolean               encrypted,
                             const guint8          *data,
                             gsize                  size,
                             gpointer               owner,
                             const HlEventRawOwner *owner_class)
{
  HlEvent *self;

  g_return_val_if_fail (kind == HL_EVENT_HANDSHAKE || kind == HL_EVENT_RECORD, NULL);
  g_return_val_if_fail (data != NULL && owner != NULL && owner_class != NULL, NULL);

  self = event_new (kind, side, dir);
  self->type = type;
  self->version = version;
  self->encrypted = kind == HL_EVENT_HANDSHAKE && encrypted;
  self->raw_data = data;
  self->raw_size = size;
  self->raw_owner = owner;
  self->raw_owner_class = owner_class;
  return self;
}

HlEvent *
hl_event_new_change_cipher_spec (HlSide      side,
                                 HlDirection dir)
{
  return event_new (HL_EVENT_CHANGE_CIPHER_SPEC, side, dir);
}

/**
 * hl_event_new_record:
 * @raw: the record, 5-byte header included
 *
 * Returns: (transfer full): a record event
 */
HlEvent *
hl_event_new_record (HlSide      side,
                     HlDirection dir,
                     guint8      content_type,
                     guint16     version,
                     GBytes     *raw)
{
  HlEvent *self;

  g_return_val_if_fail (raw != NULL, NULL);

  self = event_new (HL_EVENT_RECORD, side, dir);
  self->type = content_type;
  self->version = version;
  set_raw (self, g_bytes_ref (raw));
  return self;
}

HlEvent *
hl_event_new_secret (HlSide      side,
                     const char *label,
                     GBytes     *client_random,
                     GBytes     *secret)
{
  HlEvent *self;

  g_return_val_if_fail (label != NULL, NULL);
  g_return_val_if_fail (client_random != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  self = event_new (HL_EVENT_SECRET, side, HL_DIRECTION_NONE);
  self->name = g_strdup (label);
  self->random = g_bytes_ref (client_random);
  set_raw (self, g_bytes_ref (secret));
  return self;
}

/**
 * hl_event_new_certificate_check:
 * @chain: (element-type GBytes): the DER certificates received, leaf first
 * @status: the GnuTLS verification status bits (0: verified)
 * @reasons: (nullable) (array zero-terminated=1): why verification failed
 *
 * Returns: (transfer full): a certificate_check event
 */
HlEvent *
hl_event_new_certificate_check (HlSide             side,
                                GPtrArray         *chain,
                                guint              status,
                                const char *const *reasons)
{
  HlEvent *self;

  g_return_val_if_fail (chain != NULL, NULL);

  self = event_new (HL_EVENT_CERTIFICATE_CHECK, side, HL_DIRECTION_NONE);
  self->chain = g_ptr_array_ref (chain);
  self->type = status;
  self->reasons = g_strdupv ((char **) reasons);
  if (self->reasons == NULL)
    self->reasons = g_new0 (char *, 1);
  return self;
}

HlEvent *
hl_event_new_alert (HlSide      side,
                    HlDirection dir,
                    guint8      level,
                    guint8      description)
{
  HlEvent *self = event_new (HL_EVENT_ALERT, side, dir);

  self->version = level;
  self->type = description;
  return self;
}

/**
 * hl_event_new_state:
 * @state: "connected", "handshake_done", "closed", …
 * @details: (nullable): what the milestone found
 *
 * Returns: (transfer full): a state event
 */
HlEvent *
hl_event_new_state (HlSide      side,
                    const char *state,
                    JsonObject *details)
{
  HlEvent *self;

  g_return_val_if_fail (state != NULL, NULL);

  self = event_new (HL_EVENT_STATE, side, HL_DIRECTION_NONE);
  self->name = g_strdup (state);
  self->details = details != NULL ? json_object_ref (details) : NULL;
  return self;
}

/* A state whose details (an object hl_json_scan_details() reads, when
 * not NULL) are only read when first asked for: a log holds thousands */
HlEvent *
hl_event_new_state_lazy (HlSide      side,
                         const char *state,
                         const char *details,
                         gsize       length)
{
  HlEvent *self = hl_event_new_state (side, state, NULL);

  if (details != NULL)
    {
      self->details_text = g_strndup (details, length);
      self->details_length = length;
    }
  return self;
}

static JsonObject *
details_of (HlEvent *self)
{
  JsonObject *details = g_atomic_pointer_get (&self->details);

  if (details != NULL || self->kind != HL_EVENT_STATE)
    return details;
  if (self->details_text != NULL)
    details = hl_json_scan_details (self->details_text, self->details_length);
  if (details == NULL)
    details = json_object_new ();
  if (!g_atomic_pointer_compare_and_exchange (&self->details, NULL, details))
    {
      json_object_unref (details);
      details = g_atomic_pointer_get (&self->details);
    }
  return details;
}

/**
 * hl_event_new_error:
 * @code: a short machine-readable code ("timeout", "refused", …)
 * @message: one line saying what happened
 *
 * Returns: (transfer full): an error event
 */
HlEvent *
hl_event_new_error (HlSide      side,
                    const char *code,
                    const char *message)
{
  HlEvent *self;

  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  self = event_new (HL_EVENT_ERROR, side, HL_DIRECTION_NONE);
  self->name = g_strdup (code);
  self->message = g_strdup (message);
  return self;
}

void
hl_event_set_stamp (HlEvent *self,
                    guint64  seq,
                    gint64   t_ns)
{
  self->seq = seq;
  self->t_ns = t_ns;
}

void
hl_event_set_session (HlEvent *self,
                      guint    session)
{
  self->session = session;
}

void
hl_event_set_cipher_suite (HlEvent *self,
                           guint16  cipher_suite)
{
  self->cipher_suite = cipher_suite;
}

/**
 * hl_event_copy_with_time:
 *
 * Returns: (transfer full): the same observation with a new sequence number
 *   and time (used to build long logs from real ones)
 */
HlEvent *
hl_event_copy_with_time (HlEvent *self,
                         guint64  seq,
                         gint64   t_ns)
{
  HlEvent *copy;

  g_return_val_if_fail (HL_IS_EVENT (self), NULL);

  copy = event_new (self->kind, self->side, self->dir);
  copy->seq = seq;
  copy->t_ns = t_ns;
  copy->encrypted = self->encrypted;
  copy->session = self->session;
  copy->type = self->type;
  copy->version = self->version;
  copy->cipher_suite = self->cipher_suite;
  {
    GBytes *raw = g_atomic_pointer_get (&self->raw);

    copy->raw = raw != NULL ? g_bytes_ref (raw) : NULL;
  }
  copy->raw_data = self->raw_data;
  copy->raw_size = self->raw_size;
  if (self->raw_owner != NULL)
    {
      copy->raw_owner = self->raw_owner_class->ref (self->raw_owner);
      copy->raw_owner_class = self->raw_owner_class;
    }
  copy->random = self->random ? g_bytes_ref (self->random) : NULL;
  copy->name = g_strdup (self->name);
  copy->message = g_strdup (self->message);
  copy->chain = self->chain ? g_ptr_array_ref (self->chain) : NULL;
  copy->reasons = g_strdupv (self->reasons);
  if (self->kind == HL_EVENT_STATE)
    copy->details = json_object_ref (details_of (self));
  {
    HlField *fields = g_atomic_pointer_get (&self->fields);

    copy->fields = fields != NULL ? hl_field_ref (fields) : NULL;
  }
  return copy;
}

/* Accessors */

guint64
hl_event_get_seq (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->seq;
}

gint64
hl_event_get_time_ns (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->t_ns;
}

HlSide
hl_event_get_side (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), HL_SIDE_CLIENT);
  return self->side;
}

HlEventKind
hl_event_get_kind (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), HL_EVENT_ERROR);
  return self->kind;
}

HlDirection
hl_event_get_direction (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), HL_DIRECTION_NONE);
  return self->dir;
}

guint
hl_event_get_session (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->session;
}

/**
 * hl_event_get_sender:
 *
 * Returns: the endpoint that sent the message (for events with a
 *   direction), else the side that observed the event
 */
HlSide
hl_event_get_sender (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), HL_SIDE_CLIENT);

  if (self->dir == HL_DIRECTION_IN)
    return self->side == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  return self->side;
}

gboolean
hl_event_is_sent_by (HlEvent *self,
                     HlSide   sender)
{
  g_return_val_if_fail (HL_IS_EVENT (self), FALSE);
  return self->dir != HL_DIRECTION_NONE && hl_event_get_sender (self) == sender;
}

guint
hl_event_get_handshake_type (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->kind == HL_EVENT_HANDSHAKE ? self->type : 0;
}

/**
 * hl_event_get_handshake_name:
 *
 * Returns: the RFC identifier of the message type ("client_hello", …)
 */
const char *
hl_event_get_handshake_name (HlEvent *self)
{
  const char *name;

  g_return_val_if_fail (HL_IS_EVENT (self), NULL);

  if (self->kind != HL_EVENT_HANDSHAKE)
    return NULL;
  name = hl_registry_handshake_type_name (self->type);
  return name != NULL ? name : "unknown";
}

gboolean
hl_event_get_encrypted (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), FALSE);
  return self->encrypted;
}

/**
 * hl_event_get_cipher_suite:
 *
 * Returns: the cipher suite negotiated when a handshake message was seen,
 *   or 0 before the ServerHello
 */
guint16
hl_event_get_cipher_suite (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->kind == HL_EVENT_HANDSHAKE ? self->cipher_suite : 0;
}

guint16
hl_event_get_tls_version (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->kind == HL_EVENT_HANDSHAKE ? self->version : 0;
}

static HlField *
decode_fields (HlEvent *self)
{
  HlDecodeContext context = {
    .tls_version = self->version,
    .from_server = hl_event_get_sender (self) == HL_SIDE_SERVER,
  };
  return hl_decode_handshake_full (self->raw_data, self->raw_size, &context, self->cipher_suite);
}

/**
 * hl_event_dup_fields:
 *
 * The decoded tree, decoded now if it was not yet and then not kept:
 * writing an event out does not make it any bigger.
 *
 * Returns: (transfer full) (nullable): the decoded tree of a handshake event
 */
HlField *
hl_event_dup_fields (HlEvent *self)
{
  HlField *fields;

  g_return_val_if_fail (HL_IS_EVENT (self), NULL);

  if (self->kind != HL_EVENT_HANDSHAKE)
    return NULL;
  fields = g_atomic_pointer_get (&self->fields);
  return fields != NULL ? hl_field_ref (fields) : decode_fields (self);
}

/**
 * hl_event_get_fields:
 *
 * Decodes the message on first use; safe to call from any thread.
 *
 * Returns: (transfer none) (nullable): the decoded tree of a handshake event
 */
HlField *
hl_event_get_fields (HlEvent *self)
{
  HlField *fields;

  g_return_val_if_fail (HL_IS_EVENT (self), NULL);

  if (self->kind != HL_EVENT_HANDSHAKE)
    return NULL;
  fields = g_atomic_pointer_get (&self->fields);
  if (fields == NULL)
    {
      /* Two threads may decode at once: the first tree stored is kept */
      fields = decode_fields (self);
      if (!g_atomic_pointer_compare_and_exchange (&self->fields, NULL, fields))
        {
          hl_field_unref (fields);
          fields = g_atomic_pointer_get (&self->fields);
        }
    }
  return fields;
}

/**
 * hl_event_get_raw:
 *
 * Returns: (transfer none) (nullable): the message or record bytes
 */
GBytes *
hl_event_get_raw (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->kind == HL_EVENT_HANDSHAKE || self->kind == HL_EVENT_RECORD ? raw_bytes (self) : NULL;
}

guint8
hl_event_get_content_type (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->kind == HL_EVENT_RECORD ? self->type : 0;
}

guint16
hl_event_get_record_version (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->kind == HL_EVENT_RECORD ? self->version : 0;
}

/**
 * hl_event_get_length:
 *
 * Returns: the size of the message or record on the wire, header included
 */
gsize
hl_event_get_length (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  if (self->kind != HL_EVENT_HANDSHAKE && self->kind != HL_EVENT_RECORD)
    return 0;
  return self->raw_size;
}

const char *
hl_event_get_label (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->kind == HL_EVENT_SECRET ? self->name : NULL;
}

GBytes *
hl_event_get_client_random (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->kind == HL_EVENT_SECRET ? self->random : NULL;
}

GBytes *
hl_event_get_secret (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->kind == HL_EVENT_SECRET ? raw_bytes (self) : NULL;
}

static char *
data_to_hex (const guint8 *data,
             gsize         len)
{
  char *hex = g_malloc (len * 2 + 1);
  static const char digits[] = "0123456789abcdef";

  for (gsize i = 0; i < len; i++)
    {
      hex[2 * i] = digits[data[i] >> 4];
      hex[2 * i + 1] = digits[data[i] & 0xf];
    }
  hex[len * 2] = '\0';
  return hex;
}

static GBytes *
hex_to_bytes (const char *hex)
{
  gsize len = strlen (hex);
  guint8 *data;

  if (len % 2 != 0)
    return NULL;
  data = g_malloc (len / 2 + 1);
  for (gsize i = 0; i < len / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        {
          g_free (data);
          return NULL;
        }
      data[i] = (hi << 4) | lo;
    }
  return g_bytes_new_take (data, len / 2);
}

/**
 * hl_event_dup_keylog_line:
 *
 * Returns: (transfer full) (nullable): the NSS SSLKEYLOGFILE line of a
 *   secret event, without the newline
 */
char *
hl_event_dup_keylog_line (HlEvent *self)
{
  g_autofree char *random = NULL;
  g_autofree char *secret = NULL;

  g_return_val_if_fail (HL_IS_EVENT (self), NULL);

  if (self->kind != HL_EVENT_SECRET)
    return NULL;
  random = data_to_hex (g_bytes_get_data (self->random, NULL), g_bytes_get_size (self->random));
  secret = data_to_hex (self->raw_data, self->raw_size);
  return g_strdup_printf ("%s %s %s", self->name, random, secret);
}

/**
 * hl_event_get_chain:
 *
 * Returns: (transfer none) (element-type GBytes) (nullable): the DER chain
 */
GPtrArray *
hl_event_get_chain (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->kind == HL_EVENT_CERTIFICATE_CHECK ? self->chain : NULL;
}

guint
hl_event_get_status (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->kind == HL_EVENT_CERTIFICATE_CHECK ? self->type : 0;
}

/**
 * hl_event_get_reasons:
 *
 * Returns: (transfer none) (nullable): why verification failed, one
 *   sentence each; empty when it succeeded
 */
const char *const *
hl_event_get_reasons (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->kind == HL_EVENT_CERTIFICATE_CHECK ? (const char *const *) self->reasons : NULL;
}

gboolean
hl_event_get_verified (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), FALSE);
  return self->kind == HL_EVENT_CERTIFICATE_CHECK && self->type == 0;
}

guint8
hl_event_get_alert_level (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->kind == HL_EVENT_ALERT ? self->version : 0;
}

guint8
hl_event_get_alert_description (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), 0);
  return self->kind == HL_EVENT_ALERT ? self->type : 0;
}

const char *
hl_event_get_state (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->kind == HL_EVENT_STATE ? self->name : NULL;
}

/**
 * hl_event_get_details:
 *
 * The details of a state read from a log are made on the first call,
 * from any thread; every call gets the same object.
 *
 * Returns: (transfer none) (nullable): what a state milestone found
 */
JsonObject *
hl_event_get_details (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return details_of (self);
}

/**
 * hl_event_get_detail:
 * @key: a detail such as "version", "cipher_suite", "group"
 *
 * Returns: (nullable): the detail as a string ("true"/"false" for booleans)
 */
const char *
hl_event_get_detail (HlEvent    *self,
                     const char *key)
{
  JsonObject *details;
  JsonNode *node;

  g_return_val_if_fail (HL_IS_EVENT (self), NULL);

  details = details_of (self);
  if (details == NULL || !json_object_has_member (details, key))
    return NULL;
  node = json_object_get_member (details, key);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? "true" : "false";
  return NULL;
}

const char *
hl_event_get_error_code (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->kind == HL_EVENT_ERROR ? self->name : NULL;
}

const char *
hl_event_get_message (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);
  return self->kind == HL_EVENT_ERROR ? self->message : NULL;
}

/* Names */

static const char *side_names[] = { "client", "server" };
static const char *dir_names[] = { NULL, "out", "in" };
static const char *kind_names[] = {
  "handshake", "change_cipher_spec", "record", "secret",
  "certificate_check", "alert", "state", "error",
};

const char *
hl_side_to_string (HlSide side)
{
  g_return_val_if_fail (side <= HL_SIDE_SERVER, NULL);
  return side_names[side];
}

const char *
hl_direction_to_string (HlDirection dir)
{
  g_return_val_if_fail (dir <= HL_DIRECTION_IN, NULL);
  return dir_names[dir];
}

const char *
hl_event_kind_to_string (HlEventKind kind)
{
  g_return_val_if_fail (kind <= HL_EVENT_ERROR, NULL);
  return kind_names[kind];
}

static int
name_index (const char  *name,
            const char **names,
            int          n_names)
{
  for (int i = 0; i < n_names; i++)
    if (names[i] != NULL && g_strcmp0 (names[i], name) == 0)
      return i;
  return -1;
}

/**
 * hl_event_describe:
 *
 * Returns: (transfer full): a short untranslated summary, for logs and tests
 */
char *
hl_event_describe (HlEvent *self)
{
  g_return_val_if_fail (HL_IS_EVENT (self), NULL);

  switch (self->kind)
    {
    case HL_EVENT_HANDSHAKE:
      return g_strdup (hl_event_get_handshake_name (self));
    case HL_EVENT_CHANGE_CIPHER_SPEC:
      return g_strdup ("change_cipher_spec");
    case HL_EVENT_RECORD:
      {
        const char *name = hl_registry_content_type_name (self->type);
        return g_strdup_printf ("record %s", name != NULL ? name : "unknown");
      }
    case HL_EVENT_SECRET:
      return g_strdup (self->name);
    case HL_EVENT_CERTIFICATE_CHECK:
      return g_strdup (self->type == 0 ? "certificate_check ok" : "certificate_check failed");
    case HL_EVENT_ALERT:
      {
        const char *name = hl_registry_alert_description_name (self->type);
        return g_strdup_printf ("alert %s", name != NULL ? name : "unknown");
      }
    case HL_EVENT_STATE:
      return g_strdup (self->name);
    case HL_EVENT_ERROR:
      return g_strdup_printf ("error %s", self->name);
    default:
      g_assert_not_reached ();
    }
}

/* JSON: events are written directly, without building a tree first */


/* A JSON value read from a log, written back: its strings as the log's
 * own are (invalid UTF-8, which json-glib makes of a lone surrogate escape,
 * becomes U+FFFD), so that every line written parses again */
static void
append_json_node (GString  *out,
                  JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append_c (out, ',');
            hl_json_append_string (out, l->data);
            g_string_append_c (out, ':');
            append_json_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_json_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          hl_json_append_string (out, json_node_get_string (node));
          break;
        case G_TYPE_INT64:
          hl_json_append_int (out, json_node_get_int (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_DOUBLE:
          {
            char text[G_ASCII_DTOSTR_BUF_SIZE];
            double value = json_node_get_double (node);

            /* JSON has no infinities; json-glib reads none either */
            if (isfinite (value))
              {
                g_ascii_dtostr (text, sizeof text, value);
                g_string_append (out, text);
                if (strpbrk (text, ".eE") == NULL)
                  hl_string_append_literal (out, ".0");
              }
            else
              hl_string_append_literal (out, "null");
          }
          break;
        default:
          hl_string_append_literal (out, "null");
        }
      break;
    case JSON_NODE_NULL:
    default:
      hl_string_append_literal (out, "null");
    }
}

static void
append_member (GString    *out,
               const char *member)
{
  g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  hl_string_append_len (out, member, strlen (member));
  hl_string_append_literal (out, "\":");
}

static void
append_int_member (GString    *out,
                   const char *member,
                   gint64      value)
{
  append_member (out, member);
  hl_json_append_int (out, value);
}

static void
append_string_member (GString    *out,
                      const char *member,
                      const char *value)
{
  append_member (out, member);
  hl_json_append_string (out, value);
}

static void
append_hex_data (GString      *out,
                 const guint8 *data,
                 gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  gsize at;
  char *to;

  at = out->len;
  g_string_set_size (out, at + 2 * len + 2);
  to = out->str + at;
  *to++ = '"';
  for (gsize i = 0; i < len; i++)
    {
      *to++ = digits[data[i] >> 4];
      *to++ = digits[data[i] & 0xf];
    }
  *to = '"';
}

static void
append_hex (GString *out,
            GBytes  *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  append_hex_data (out, data, len);
}

static void
append_hex_member (GString    *out,
                   const char *member,
                   GBytes     *bytes)
{
  append_member (out, member);
  append_hex (out, bytes);
}

/* The event's own bytes, as the member @member */
static void
append_raw_member (GString    *out,
                   const char *member,
                   HlEvent    *self)
{
  append_member (out, member);
  append_hex_data (out, self->raw_data, self->raw_size);
}

static void
append_fields (HlEvent *self,
               GString *out)
{
  g_autoptr(HlField) fields = hl_event_dup_fields (self);

  hl_field_append_json (fields, out);
}

static void
append_kind_members (HlEvent *self,
                     GString *out,
                     gboolean with_fields)
{
  switch (self->kind)
    {
    case HL_EVENT_HANDSHAKE:
      append_string_member (out, "type", hl_event_get_handshake_name (self));
      append_int_member (out, "msg_type", self->type);
      append_raw_member (out, "raw", self);
      append_member (out, "encrypted");
      g_string_append (out, self->encrypted ? "true" : "false");
      if (self->version != 0)
        append_int_member (out, "tls_version", self->version);
      if (self->cipher_suite != 0)
        append_int_member (out, "cipher_suite", self->cipher_suite);
      if (with_fields)
        {
          append_member (out, "fields");
          append_fields (self, out);
        }
      break;
    case HL_EVENT_CHANGE_CIPHER_SPEC:
      break;
    case HL_EVENT_RECORD:
      {
        const char *name = hl_registry_content_type_name (self->type);

        if (name != NULL)
          append_string_member (out, "content_type", name);
        else
          append_int_member (out, "content_type", self->type);
        append_int_member (out, "version", self->version);
        append_int_member (out, "length", self->raw_size - 5);
        append_raw_member (out, "raw", self);
      }
      break;
    case HL_EVENT_SECRET:
      append_string_member (out, "label", self->name);
      append_hex_member (out, "client_random", self->random);
      append_raw_member (out, "secret", self);
      break;
    case HL_EVENT_CERTIFICATE_CHECK:
      append_member (out, "chain");
      g_string_append_c (out, '[');
      for (guint i = 0; i < self->chain->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_hex (out, g_ptr_array_index (self->chain, i));
        }
      g_string_append_c (out, ']');
      append_int_member (out, "status", self->type);
      append_member (out, "reasons");
      g_string_append_c (out, '[');
      for (guint i = 0; self->reasons[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          hl_json_append_string (out, self->reasons[i]);
        }
      g_string_append_c (out, ']');
      break;
    case HL_EVENT_ALERT:
      append_string_member (out, "level", hl_registry_alert_level_name (self->version) ?: "unknown");
      append_int_member (out, "level_code", self->version);
      append_string_member (out, "description",
                            hl_registry_alert_description_name (self->type) ?: "unknown");
      append_int_member (out, "description_code", self->type);
      break;
    case HL_EVENT_STATE:
      {
        g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

        json_node_set_object (node, details_of (self));
        append_string_member (out, "state", self->name);
        append_member (out, "details");
        append_json_node (out, node);
      }
      break;
    case HL_EVENT_ERROR:
      append_string_member (out, "code", self->name);
      append_string_member (out, "message", self->message);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
render_line (HlEvent  *self,
             GString  *out,
             gboolean  with_fields)
{
  hl_string_append_literal (out, "{\"seq\":");
  hl_json_append_uint (out, self->seq);
  hl_string_append_literal (out, ",\"t_ns\":");
  hl_json_append_int (out, self->t_ns);
  if (self->session != 0)
    append_int_member (out, "session", self->session);
  append_string_member (out, "side", side_names[self->side]);
  append_string_member (out, "kind", kind_names[self->kind]);
  if (self->dir != HL_DIRECTION_NONE)
    append_string_member (out, "dir", dir_names[self->dir]);
  append_kind_members (self, out, with_fields);
  g_string_append_c (out, '}');
}

/**
 * hl_event_append_json_line:
 * @out: where to append
 * @with_fields: include the decoded field tree of handshake messages
 *
 * Appends the event as one JSON object of the log format, on one line
 * without a newline, written directly: a log writer's hot path. What
 * hl_event_render_json_line() made is taken as it is.
 */
void
hl_event_append_json_line (HlEvent *self,
                           GString *out,
                           gboolean with_fields)
{
  Rendered *rendered;

  g_return_if_fail (HL_IS_EVENT (self));
  g_return_if_fail (out != NULL);

  rendered = g_atomic_pointer_get (&self->rendered);
  if (rendered == NULL)
    {
      render_line (self, out, with_fields);
      return;
    }
  hl_string_append_len (out, rendered->line->str, rendered->line->len);
  if (with_fields && self->kind == HL_EVENT_HANDSHAKE)
    {
      /* "fields" is the last member: open the object up before its brace */
      g_string_truncate (out, out->len - 1);
      append_member (out, "fields");
      if (rendered->fields != NULL)
        hl_string_append_len (out, rendered->fields->str, rendered->fields->len);
      else
        append_fields (self, out);
      g_string_append_c (out, '}');
    }
}

/**
 * hl_event_render_json_line:
 * @with_fields: make the field tree of a handshake message too
 *
 * Makes the event's line now and keeps it, for hl_event_append_json_line()
 * and the log writer to take as it is: a capture's workers call it while
 * they wait for their peer, when the consumer writes every event out.
 * Thread-safe; the first line made is kept.
 */
void
hl_event_render_json_line (HlEvent  *self,
                           gboolean  with_fields)
{
  Rendered *rendered;
  gsize size;

  g_return_if_fail (HL_IS_EVENT (self));

  if (g_atomic_pointer_get (&self->rendered) != NULL)
    return;
  size = 128 + 2 * self->raw_size;
  rendered = g_new0 (Rendered, 1);
  rendered->line = g_string_sized_new (size);
  render_line (self, rendered->line, FALSE);
  if (with_fields && self->kind == HL_EVENT_HANDSHAKE)
    {
      rendered->fields = g_string_sized_new (4 * size);
      append_fields (self, rendered->fields);
    }
  if (!g_atomic_pointer_compare_and_exchange (&self->rendered, NULL, rendered))
    rendered_free (rendered);
}

/**
 * hl_event_get_rendered_fields:
 *
 * Returns: (transfer none) (nullable): the field tree as JSON, when
 *   hl_event_render_json_line() made it
 */
const GString *
hl_event_get_rendered_fields (HlEvent *self)
{
  Rendered *rendered;

  g_return_val_if_fail (HL_IS_EVENT (self), NULL);

  rendered = g_atomic_pointer_get (&self->rendered);
  return rendered != NULL ? rendered->fields : NULL;
}

/**
 * hl_event_to_json_line:
 * @with_fields: include the decoded field tree of handshake messages
 *
 * The event as one JSON object of the log format, on one line.
 *
 * Returns: (transfer full): the line, without a newline
 */
char *
hl_event_to_json_line (HlEvent  *self,
                       gboolean  with_fields)
{
  GString *line;

  g_return_val_if_fail (HL_IS_EVENT (self), NULL);

  line = g_string_sized_new (128 + 2 * self->raw_size * (with_fields ? 4 : 1));
  hl_event_append_json_line (self, line, with_fields);
  return g_string_free (line, FALSE);
}

/**
 * hl_event_to_json:
 * @with_fields: include the decoded field tree of handshake messages
 *
 * The object of hl_event_to_json_line(), as a tree.
 *
 * Returns: (transfer full): the event as one JSON object of the log format
 */
JsonNode *
hl_event_to_json (HlEvent  *self,
                  gboolean  with_fields)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (HL_IS_EVENT (self), NULL);

  line = hl_event_to_json_line (self, with_fields);
  if (!json_parser_load_from_data (parser, line, -1, &error))
    g_error ("An event's own JSON line does not parse: %s", error->message);
  return json_node_ref (json_parser_get_root (parser));
}

/* Reading */

static gboolean
get_int (JsonObject  *object,
         const char  *member,
         gint64       min,
         gint64       max,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "“%s” is missing or not an integer", member);
      return FALSE;
    }
  *out = json_node_get_int (node);
  if (*out < min || *out > max)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "“%s” is out of range", member);
      return FALSE;
    }
  return TRUE;
}

static const char *
get_string (JsonObject  *object,
            const char  *member,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "“%s” is missing or not a string", member);
      return NULL;
    }
  return json_node_get_string (node);
}

static GBytes *
get_hex (JsonObject  *object,
         const char  *member,
         GError     **error)
{
  const char *hex = get_string (object, member, error);
  GBytes *bytes;

  if (hex == NULL)
    return NULL;
  bytes = hex_to_bytes (hex);
  if (bytes == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "“%s” is not hexadecimal", member);
  return bytes;
}

static JsonArray *
member_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static HlEvent *
handshake_from_json (JsonObject  *object,
                     HlSide       side,
                     HlDirection  dir,
                     GError     **error)
{
  g_autoptr(GBytes) raw = NULL;
  gint64 type, version = 0, suite = 0;
  HlEvent *event;

  if (!get_int (object, "msg_type", 0, 0xffff, &type, error) ||
      (raw = get_hex (object, "raw", error)) == NULL)
    return NULL;
  if (json_object_has_member (object, "tls_version") &&
      !get_int (object, "tls_version", 0, 0xffff, &version, error))
    return NULL;
  if (json_object_has_member (object, "cipher_suite") &&
      !get_int (object, "cipher_suite", 0, 0xffff, &suite, error))
    return NULL;
  event = hl_event_new_handshake (side, dir, type, raw,
                                  hl_json_get_boolean (object, "encrypted", FALSE),
                                  version);
  event->cipher_suite = suite;
  return event;
}

static HlEvent *
record_from_json (JsonObject  *object,
                  HlSide       side,
                  HlDirection  dir,
                  GError     **error)
{
  g_autoptr(GBytes) raw = NULL;
  gint64 version;
  const guint8 *data;
  gsize len;

  if (!get_int (object, "version", 0, 0xffff, &version, error) ||
      (raw = get_hex (object, "raw", error)) == NULL)
    return NULL;
  data = g_bytes_get_data (raw, &len);
  if (len < 5)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "a record is shorter than its 5-byte header");
      return NULL;
    }
  return hl_event_new_record (side, dir, data[0], version, raw);
}

static HlEvent *
secret_from_json (JsonObject  *object,
                  HlSide       side,
                  GError     **error)
{
  g_autoptr(GBytes) random = NULL;
  g_autoptr(GBytes) secret = NULL;
  const char *label;

  if ((label = get_string (object, "label", error)) == NULL ||
      (random = get_hex (object, "client_random", error)) == NULL ||
      (secret = get_hex (object, "secret", error)) == NULL)
    return NULL;
  return hl_event_new_secret (side, label, random, secret);
}

static HlEvent *
certificate_check_from_json (JsonObject  *object,
                             HlSide       side,
                             GError     **error)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GStrvBuilder) reasons = g_strv_builder_new ();
  g_auto(GStrv) reasons_strv = NULL;
  JsonArray *chain_array = member_array (object, "chain");
  JsonArray *reason_array = member_array (object, "reasons");
  gint64 status;

  if (chain_array == NULL || reason_array == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "“chain” or “reasons” is missing");
      return NULL;
    }
  if (!get_int (object, "status", 0, G_MAXUINT32, &status, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (chain_array); i++)
    {
      JsonNode *node = json_array_get_element (chain_array, i);
      GBytes *der = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        der = hex_to_bytes (json_node_get_string (node));
      if (der == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "certificate %u of “chain” is not hexadecimal", i);
          return NULL;
        }
      g_ptr_array_add (chain, der);
    }
  for (guint i = 0; i < json_array_get_length (reason_array); i++)
    {
      JsonNode *node = json_array_get_element (reason_array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "reason %u is not a string", i);
          return NULL;
        }
      g_strv_builder_add (reasons, json_node_get_string (node));
    }
  reasons_strv = g_strv_builder_end (reasons);
  return hl_event_new_certificate_check (side, chain, status, (const char *const *) reasons_strv);
}

static HlEvent *
alert_from_json (JsonObject  *object,
                 HlSide       side,
                 HlDirection  dir,
                 GError     **error)
{
  gint64 level, description;

  if (!get_int (object, "level_code", 0, 255, &level, error) ||
      !get_int (object, "description_code", 0, 255, &description, error))
    return NULL;
  return hl_event_new_alert (side, dir, level, description);
}

static HlEvent *
state_from_json (JsonObject  *object,
                 HlSide       side,
                 GError     **error)
{
  const char *state = get_string (object, "state", error);
  JsonObject *details = member_object (object, "details");

  if (state == NULL)
    return NULL;
  return hl_event_new_state (side, state, details);
}

static HlEvent *
error_from_json (JsonObject  *object,
                 HlSide       side,
                 GError     **error)
{
  const char *code, *message;

  if ((code = get_string (object, "code", error)) == NULL ||
      (message = get_string (object, "message", error)) == NULL)
    return NULL;
  return hl_event_new_error (side, code, message);
}

/**
 * hl_event_new_from_json:
 * @object: one event object of the log format
 *
 * Unknown members are ignored; the field tree, if present, is not read:
 * it is decoded again from the raw bytes when asked for.
 *
 * Returns: (transfer full) (nullable): the event, or %NULL with @error set
 */
HlEvent *
hl_event_new_from_json (JsonObject  *object,
                        GError     **error)
{
  g_autoptr(HlEvent) self = NULL;
  const char *side_name, *kind_name, *dir_name;
  gint64 seq, t_ns, session = 0;
  int side, kind, dir = HL_DIRECTION_NONE;

  g_return_val_if_fail (object != NULL, NULL);

  if (!get_int (object, "seq", 0, G_MAXINT64, &seq, error) ||
      !get_int (object, "t_ns", G_MININT64, G_MAXINT64, &t_ns, error) ||
      (side_name = get_string (object, "side", error)) == NULL ||
      (kind_name = get_string (object, "kind", error)) == NULL)
    return NULL;
  if (json_object_has_member (object, "session") &&
      !get_int (object, "session", 0, G_MAXUINT, &session, error))
    return NULL;

  side = name_index (side_name, side_names, G_N_ELEMENTS (side_names));
  kind = name_index (kind_name, kind_names, G_N_ELEMENTS (kind_names));
  if (side < 0 || kind < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "unknown %s “%s”", side < 0 ? "side" : "kind",
                   side < 0 ? side_name : kind_name);
      return NULL;
    }
  dir_name = hl_json_get_string (object, "dir");
  if (dir_name != NULL && (dir = name_index (dir_name, dir_names, G_N_ELEMENTS (dir_names))) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "unknown dir “%s”", dir_name);
      return NULL;
    }

  switch ((HlEventKind) kind)
    {
    case HL_EVENT_HANDSHAKE:
      self = handshake_from_json (object, side, dir, error);
      break;
    case HL_EVENT_CHANGE_CIPHER_SPEC:
      self = hl_event_new_change_cipher_spec (side, dir);
      break;
    case HL_EVENT_RECORD:
      self = record_from_json (object, side, dir, error);
      break;
    case HL_EVENT_SECRET:
      self = secret_from_json (object, side, error);
      break;
    case HL_EVENT_CERTIFICATE_CHECK:
      self = certificate_check_from_json (object, side, error);
      break;
    case HL_EVENT_ALERT:
      self = alert_from_json (object, side, dir, error);
      break;
    case HL_EVENT_STATE:
      self = state_from_json (object, side, error);
      break;
    case HL_EVENT_ERROR:
      self = error_from_json (object, side, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (self == NULL)
    return NULL;

  self->seq = seq;
  self->t_ns = t_ns;
  self->session = session;
  return g_steal_pointer (&self);
}

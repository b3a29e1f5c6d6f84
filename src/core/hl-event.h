/* hl-event.h: one observation made during a capture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "hl-field.h"

G_BEGIN_DECLS

typedef enum
{
  HL_SIDE_CLIENT,
  HL_SIDE_SERVER,
} HlSide;

typedef enum
{
  HL_DIRECTION_NONE,
  HL_DIRECTION_OUT,
  HL_DIRECTION_IN,
} HlDirection;

typedef enum
{
  HL_EVENT_HANDSHAKE,
  HL_EVENT_CHANGE_CIPHER_SPEC,
  HL_EVENT_RECORD,
  HL_EVENT_SECRET,
  HL_EVENT_CERTIFICATE_CHECK,
  HL_EVENT_ALERT,
  HL_EVENT_STATE,
  HL_EVENT_ERROR,
} HlEventKind;

/* Wire value of a HelloRetryRequest is 2 (server_hello); this pseudo type
 * keeps it apart from a real ServerHello everywhere above the wire. */
#define HL_HANDSHAKE_TYPE_HELLO_RETRY_REQUEST 0x102

#define HL_TYPE_EVENT (hl_event_get_type ())
G_DECLARE_FINAL_TYPE (HlEvent, hl_event, HL, EVENT, GObject)

/* Constructors (the engine and the log reader use them) */
HlEvent     *hl_event_new_handshake           (HlSide        side,
                                               HlDirection   dir,
                                               guint         type,
                                               GBytes       *raw,
                                               gboolean      encrypted,
                                               guint16       tls_version);
HlEvent     *hl_event_new_change_cipher_spec  (HlSide        side,
                                               HlDirection   dir);
HlEvent     *hl_event_new_record              (HlSide        side,
                                               HlDirection   dir,
                                               guint8        content_type,
                                               guint16       version,
                                               GBytes       *raw);
HlEvent     *hl_event_new_secret              (HlSide        side,
                                               const char   *label,
                                               GBytes       *client_random,
                                               GBytes       *secret);
HlEvent     *hl_event_new_certificate_check   (HlSide        side,
                                               GPtrArray    *chain,
                                               guint         status,
                                               const char  *const *reasons);
HlEvent     *hl_event_new_alert               (HlSide        side,
                                               HlDirection   dir,
                                               guint8        level,
                                               guint8        description);
HlEvent     *hl_event_new_state               (HlSide        side,
                                               const char   *state,
                                               JsonObject   *details);
HlEvent     *hl_event_new_error               (HlSide        side,
                                               const char   *code,
                                               const char   *message);

HlEvent     *hl_event_new_from_json           (JsonObject   *object,
                                               GError      **error);
JsonNode    *hl_event_to_json                 (HlEvent      *self,
                                               gboolean      with_fields);
char        *hl_event_to_json_line            (HlEvent      *self,
                                               gboolean      with_fields);
void         hl_event_append_json_line        (HlEvent      *self,
                                               GString      *out,
                                               gboolean      with_fields);
HlEvent     *hl_event_copy_with_time          (HlEvent      *self,
                                               guint64       seq,
                                               gint64        t_ns);

/* Common */
guint64      hl_event_get_seq                 (HlEvent      *self);
gint64       hl_event_get_time_ns             (HlEvent      *self);
HlSide       hl_event_get_side                (HlEvent      *self);
HlEventKind  hl_event_get_kind                (HlEvent      *self);
HlDirection  hl_event_get_direction           (HlEvent      *self);
guint        hl_event_get_session             (HlEvent      *self);
gboolean     hl_event_is_sent_by              (HlEvent      *self,
                                               HlSide        sender);
HlSide       hl_event_get_sender              (HlEvent      *self);

/* handshake */
guint        hl_event_get_handshake_type      (HlEvent      *self);
const char  *hl_event_get_handshake_name      (HlEvent      *self);
gboolean     hl_event_get_encrypted           (HlEvent      *self);
guint16      hl_event_get_tls_version         (HlEvent      *self);
guint16      hl_event_get_cipher_suite        (HlEvent      *self);
HlField     *hl_event_get_fields              (HlEvent      *self);
/* handshake and record: the bytes, header included */
GBytes      *hl_event_get_raw                 (HlEvent      *self);

/* record */
guint8       hl_event_get_content_type        (HlEvent      *self);
guint16      hl_event_get_record_version      (HlEvent      *self);
gsize        hl_event_get_length              (HlEvent      *self);

/* secret */
const char  *hl_event_get_label               (HlEvent      *self);
GBytes      *hl_event_get_client_random       (HlEvent      *self);
GBytes      *hl_event_get_secret              (HlEvent      *self);
char        *hl_event_dup_keylog_line         (HlEvent      *self);

/* certificate_check */
GPtrArray   *hl_event_get_chain               (HlEvent      *self);
guint        hl_event_get_status              (HlEvent      *self);
const char *const *hl_event_get_reasons       (HlEvent      *self);
gboolean     hl_event_get_verified            (HlEvent      *self);

/* alert */
guint8       hl_event_get_alert_level         (HlEvent      *self);
guint8       hl_event_get_alert_description   (HlEvent      *self);

/* state */
const char  *hl_event_get_state               (HlEvent      *self);
JsonObject  *hl_event_get_details             (HlEvent      *self);
const char  *hl_event_get_detail              (HlEvent      *self,
                                               const char   *key);

/* error */
const char  *hl_event_get_error_code          (HlEvent      *self);
const char  *hl_event_get_message             (HlEvent      *self);

const char  *hl_side_to_string                (HlSide        side);
const char  *hl_direction_to_string           (HlDirection   dir);
const char  *hl_event_kind_to_string          (HlEventKind   kind);
char        *hl_event_describe                (HlEvent      *self);

G_END_DECLS

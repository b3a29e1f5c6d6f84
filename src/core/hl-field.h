/* hl-field.h: one node of a decoded message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A decoded message is a tree of small, reference-counted nodes: a
 * message holds hundreds of them, and writing a log decodes every one.
 * The fields view wraps the nodes it shows in objects (HlFieldItem). */
typedef struct _HlField HlField;

#define HL_TYPE_FIELD (hl_field_get_type ())
GType        hl_field_get_type         (void) G_GNUC_CONST;

HlField     *hl_field_new              (const char *name,
                                        const char *value,
                                        gsize       offset,
                                        gsize       length);
HlField     *hl_field_ref              (HlField    *self);
void         hl_field_unref            (HlField    *self);
HlField     *hl_field_new_error        (const char *message,
                                        gsize       offset,
                                        gsize       length);
void         hl_field_append           (HlField    *self,
                                        HlField    *child);
void         hl_field_set_value        (HlField    *self,
                                        const char *value);
void         hl_field_set_length       (HlField    *self,
                                        gsize       length);
void         hl_field_shift            (HlField    *self,
                                        gsize       delta);

const char  *hl_field_get_name         (HlField    *self);
const char  *hl_field_get_value        (HlField    *self);
gsize        hl_field_get_offset       (HlField    *self);
gsize        hl_field_get_length       (HlField    *self);
gboolean     hl_field_is_error         (HlField    *self);
guint        hl_field_get_n_children   (HlField    *self);
HlField     *hl_field_get_child        (HlField    *self,
                                        guint       index);
HlField     *hl_field_find             (HlField    *self,
                                        const char *name);
HlField     *hl_field_find_at_offset   (HlField    *self,
                                        gsize       offset);
gboolean     hl_field_has_error        (HlField    *self);
gboolean     hl_field_check_cover      (HlField    *self,
                                        gsize       total_length,
                                        char      **problem);

JsonNode    *hl_field_to_json          (HlField    *self);
void         hl_field_append_json      (HlField    *self,
                                        GString    *out);
/* Appends @length bytes of @text in place where @out has room:
 * g_string_append() is a call into g_string_insert_len() and a strlen()
 * for every piece of a log line, thousands of them for each handshake */
static inline void
hl_string_append_len (GString    *out,
                      const char *text,
                      gsize       length)
{
  if (G_LIKELY (out->len + length < out->allocated_len))
    {
      memcpy (out->str + out->len, text, length);
      out->len += length;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, text, length);
}

#define hl_string_append_literal(out, literal) \
  hl_string_append_len ((out), "" literal, sizeof (literal) - 1)

void         hl_json_append_string     (GString    *out,
                                        const char *text);
void         hl_json_append_uint       (GString    *out,
                                        guint64     value);
void         hl_json_append_int        (GString    *out,
                                        gint64      value);
/* Members of JSON read from outside: the value when it has the type
 * asked for, else nothing (json-glib's getters complain of the others) */
const char  *hl_json_get_string        (JsonObject *object,
                                        const char *member);
gboolean     hl_json_get_boolean       (JsonObject *object,
                                        const char *member,
                                        gboolean    fallback);
gint64       hl_json_get_int           (JsonObject *object,
                                        const char *member,
                                        gint64      fallback);
HlField     *hl_field_new_from_json    (JsonNode   *node,
                                        GError    **error);
char        *hl_field_to_text          (HlField    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlField, hl_field_unref)

G_END_DECLS

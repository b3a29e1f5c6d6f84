/* hl-field.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-field.h"

struct _HlField
{
  gatomicrefcount  ref_count;
  guint            is_error : 1;
  guint            n_children;
  guint            n_allocated;
  const char      *name;      /* kept after the node, in the same block */
  char            *value;
  gsize            offset;
  gsize            length;
  HlField        **children;  /* owned */
};

G_DEFINE_BOXED_TYPE (HlField, hl_field, hl_field_ref, hl_field_unref)

/**
 * hl_field_new:
 * @name: the RFC identifier of the field
 * @value: (nullable): a human-readable value
 * @offset: where the field starts inside the message
 * @length: how many bytes it covers
 *
 * Returns: (transfer full): a new leaf field
 */
HlField *
hl_field_new (const char *name,
              const char *value,
              gsize       offset,
              gsize       length)
{
  HlField *self;
  gsize name_size;

  g_return_val_if_fail (name != NULL, NULL);

  name_size = strlen (name) + 1;
  self = g_malloc (sizeof (HlField) + name_size);
  g_atomic_ref_count_init (&self->ref_count);
  self->is_error = FALSE;
  self->n_children = 0;
  self->n_allocated = 0;
  self->name = memcpy ((char *) (self + 1), name, name_size);
  self->value = g_strdup (value);
  self->offset = offset;
  self->length = length;
  self->children = NULL;
  return self;
}

/**
 * hl_field_ref:
 *
 * Returns: (transfer full): @self
 */
HlField *
hl_field_ref (HlField *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * hl_field_unref:
 *
 * Drops a reference; the last one frees the node and its children.
 */
void
hl_field_unref (HlField *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  for (guint i = 0; i < self->n_children; i++)
    hl_field_unref (self->children[i]);
  g_free (self->children);
  g_free (self->value);
  g_free (self);
}

/**
 * hl_field_new_error:
 * @message: what was wrong
 * @offset: where it was found
 * @length: the bytes it concerns
 *
 * Returns: (transfer full): a field named "error"
 */
HlField *
hl_field_new_error (const char *message,
                    gsize       offset,
                    gsize       length)
{
  HlField *self = hl_field_new ("error", message, offset, length);

  self->is_error = TRUE;
  return self;
}

/**
 * hl_field_append:
 * @self: a field
 * @child: (transfer full): the next child
 */
void
hl_field_append (HlField *self,
                 HlField *child)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (child != NULL);

  if (self->n_children == self->n_allocated)
    {
      self->n_allocated = MAX (4, 2 * self->n_allocated);
      self->children = g_renew (HlField *, self->children, self->n_allocated);
    }
  self->children[self->n_children++] = child;
}

void
hl_field_set_value (HlField    *self,
                    const char *value)
{
  g_return_if_fail (self != NULL);

  g_free (self->value);
  self->value = g_strdup (value);
}

void
hl_field_set_length (HlField *self,
                     gsize    length)
{
  g_return_if_fail (self != NULL);

  self->length = length;
}

/**
 * hl_field_shift:
 * @delta: bytes to add
 *
 * Moves the field and all its descendants @delta bytes later, e.g. to
 * place a tree decoded on its own inside a bigger message.
 */
void
hl_field_shift (HlField *self,
                gsize    delta)
{
  g_return_if_fail (self != NULL);

  self->offset += delta;
  for (guint i = 0; i < hl_field_get_n_children (self); i++)
    hl_field_shift (self->children[i], delta);
}

const char *
hl_field_get_name (HlField *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

const char *
hl_field_get_value (HlField *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->value;
}

gsize
hl_field_get_offset (HlField *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->offset;
}

gsize
hl_field_get_length (HlField *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->length;
}

gboolean
hl_field_is_error (HlField *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->is_error;
}

guint
hl_field_get_n_children (HlField *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_children;
}

/**
 * hl_field_get_child:
 *
 * Returns: (transfer none): the child at @index
 */
HlField *
hl_field_get_child (HlField *self,
                    guint    index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < hl_field_get_n_children (self), NULL);
  return self->children[index];
}

/**
 * hl_field_find:
 * @name: a field name
 *
 * Returns: (transfer none) (nullable): the first field named @name, depth first
 */
HlField *
hl_field_find (HlField    *self,
               const char *name)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (g_strcmp0 (self->name, name) == 0)
    return self;
  for (guint i = 0; i < hl_field_get_n_children (self); i++)
    {
      HlField *found = hl_field_find (self->children[i], name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * hl_field_find_at_offset:
 * @offset: a byte offset in the message
 *
 * Returns: (transfer none) (nullable): the deepest field covering @offset
 */
HlField *
hl_field_find_at_offset (HlField *self,
                         gsize    offset)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (offset < self->offset || offset >= self->offset + self->length)
    return NULL;
  for (guint i = 0; i < hl_field_get_n_children (self); i++)
    {
      HlField *found = hl_field_find_at_offset (self->children[i], offset);
      if (found != NULL)
        return found;
    }
  return self;
}

gboolean
hl_field_has_error (HlField *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->is_error)
    return TRUE;
  for (guint i = 0; i < hl_field_get_n_children (self); i++)
    if (hl_field_has_error (self->children[i]))
      return TRUE;
  return FALSE;
}

static gboolean
check_cover (HlField  *self,
             gsize     total_length,
             char    **problem)
{
  gsize cursor = self->offset;

  if (self->offset > total_length || self->length > total_length - self->offset)
    {
      *problem = g_strdup_printf ("%s [%" G_GSIZE_FORMAT "+%" G_GSIZE_FORMAT "] lies outside the %"
                                  G_GSIZE_FORMAT " bytes", self->name, self->offset, self->length,
                                  total_length);
      return FALSE;
    }
  if (hl_field_get_n_children (self) == 0)
    return TRUE;
  for (guint i = 0; i < self->n_children; i++)
    {
      HlField *child = self->children[i];

      if (child->offset != cursor)
        {
          *problem = g_strdup_printf ("%s starts at %" G_GSIZE_FORMAT " inside %s where %" G_GSIZE_FORMAT
                                      " was expected (a gap or an overlap)",
                                      child->name, child->offset, self->name, cursor);
          return FALSE;
        }
      if (!check_cover (child, total_length, problem))
        return FALSE;
      cursor += child->length;
    }
  if (cursor != self->offset + self->length)
    {
      *problem = g_strdup_printf ("the children of %s [%" G_GSIZE_FORMAT "+%" G_GSIZE_FORMAT
                                  "] end at %" G_GSIZE_FORMAT, self->name, self->offset,
                                  self->length, cursor);
      return FALSE;
    }
  return TRUE;
}

/**
 * hl_field_check_cover:
 * @total_length: the size of the message the offsets refer to
 * @problem: (out) (optional) (transfer full): what is wrong
 *
 * Checks the decoder's promise: every field lies inside the message, and
 * the children of a field cover its bytes exactly, in order, without gap
 * or overlap (zero-length fields are allowed anywhere).
 *
 * Returns: %TRUE when the tree keeps it
 */
gboolean
hl_field_check_cover (HlField  *self,
                      gsize     total_length,
                      char    **problem)
{
  g_autofree char *message = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  ok = check_cover (self, total_length, &message);
  if (problem != NULL)
    *problem = g_steal_pointer (&message);
  return ok;
}

/**
 * hl_field_to_json:
 *
 * Returns: (transfer full): `{"name","value","offset","length","children"}`
 */
JsonNode *
hl_field_to_json (HlField *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  if (self->value != NULL)
    {
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, self->value);
    }
  json_builder_set_member_name (builder, "offset");
  json_builder_add_int_value (builder, self->offset);
  json_builder_set_member_name (builder, "length");
  json_builder_add_int_value (builder, self->length);
  if (self->is_error)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (hl_field_get_n_children (self) > 0)
    {
      json_builder_set_member_name (builder, "children");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->n_children; i++)
        json_builder_add_value (builder, hl_field_to_json (self->children[i]));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  node = json_builder_get_root (builder);
  return node;
}

/**
 * hl_json_append_uint:
 *
 * Appends @value in decimal, as a JSON number. Lines are written by the
 * hundred thousand, and printf's format parsing was a tenth of that.
 */
void
hl_json_append_uint (GString *out,
                     guint64  value)
{
  char digits[20];
  guint n = 0;

  do
    {
      digits[sizeof digits - 1 - n++] = '0' + value % 10;
      value /= 10;
    }
  while (value != 0);
  hl_string_append_len (out, digits + sizeof digits - n, n);
}

/**
 * hl_json_append_int:
 *
 * Appends @value in decimal, as a JSON number.
 */
void
hl_json_append_int (GString *out,
                    gint64   value)
{
  if (value < 0)
    {
      g_string_append_c (out, '-');
      /* the magnitude of G_MININT64 only fits unsigned */
      hl_json_append_uint (out, (guint64) -(value + 1) + 1);
    }
  else
    hl_json_append_uint (out, (guint64) value);
}

/**
 * hl_json_append_string:
 * @out: where to append
 * @text: UTF-8 text (invalid bytes become U+FFFD)
 *
 * Appends @text as a JSON string literal, quotes included.
 */
void
hl_json_append_string (GString    *out,
                       const char *text)
{
  static const char hex[] = "0123456789abcdef";
  const char *p = text;

  g_string_append_c (out, '"');
  while (*p != '\0')
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
          p++;
        }
      else if (c < 0x20)
        {
          switch (c)
            {
            case '\n': hl_string_append_literal (out, "\\n"); break;
            case '\r': hl_string_append_literal (out, "\\r"); break;
            case '\t': hl_string_append_literal (out, "\\t"); break;
            case '\b': hl_string_append_literal (out, "\\b"); break;
            case '\f': hl_string_append_literal (out, "\\f"); break;
            default:
              hl_string_append_literal (out, "\\u00");
              g_string_append_c (out, hex[c >> 4]);
              g_string_append_c (out, hex[c & 0xf]);
            }
          p++;
        }
      else if (c < 0x80)
        {
          /* a run of plain ASCII in one go: most names and values */
          const char *run = p;

          do
            p++;
          while ((guchar) *p >= 0x20 && (guchar) *p < 0x80 && *p != '"' && *p != '\\');
          hl_string_append_len (out, run, p - run);
        }
      else
        {
          gunichar u = g_utf8_get_char_validated (p, -1);

          if (u == (gunichar) -1 || u == (gunichar) -2)
            {
              hl_string_append_literal (out, "\\ufffd");
              p++;
            }
          else
            {
              const char *next = g_utf8_next_char (p);
              hl_string_append_len (out, p, next - p);
              p = next;
            }
        }
    }
  g_string_append_c (out, '"');
}

/**
 * hl_field_append_json:
 * @out: where to append
 *
 * Appends the same object as hl_field_to_json(), as text, without
 * building a tree first (logs write one per handshake message).
 */
void
hl_field_append_json (HlField *self,
                      GString *out)
{
  g_return_if_fail (self != NULL);

  hl_string_append_literal (out, "{\"name\":");
  hl_json_append_string (out, self->name);
  if (self->value != NULL)
    {
      hl_string_append_literal (out, ",\"value\":");
      hl_json_append_string (out, self->value);
    }
  hl_string_append_literal (out, ",\"offset\":");
  hl_json_append_uint (out, self->offset);
  hl_string_append_literal (out, ",\"length\":");
  hl_json_append_uint (out, self->length);
  if (self->is_error)
    hl_string_append_literal (out, ",\"error\":true");
  if (hl_field_get_n_children (self) > 0)
    {
      hl_string_append_literal (out, ",\"children\":[");
      for (guint i = 0; i < self->n_children; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          hl_field_append_json (self->children[i], out);
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
}

static JsonNode *
value_member (JsonObject *object,
              const char *member,
              GType       type)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type
         ? node : NULL;
}

/**
 * hl_json_get_string:
 * @object: (nullable): an object
 *
 * Returns: (nullable): the member's string, %NULL when it has none
 */
const char *
hl_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = value_member (object, member, G_TYPE_STRING);

  return node != NULL ? json_node_get_string (node) : NULL;
}

gboolean
hl_json_get_boolean (JsonObject *object,
                     const char *member,
                     gboolean    fallback)
{
  JsonNode *node = value_member (object, member, G_TYPE_BOOLEAN);

  return node != NULL ? json_node_get_boolean (node) : fallback;
}

gint64
hl_json_get_int (JsonObject *object,
                 const char *member,
                 gint64      fallback)
{
  JsonNode *node = value_member (object, member, G_TYPE_INT64);

  return node != NULL ? json_node_get_int (node) : fallback;
}

/**
 * hl_field_new_from_json:
 * @node: a node written by hl_field_to_json()
 *
 * Returns: (transfer full) (nullable): the field tree, or %NULL with @error set
 */
HlField *
hl_field_new_from_json (JsonNode  *node,
                        GError   **error)
{
  g_autoptr(HlField) self = NULL;
  JsonObject *object;
  JsonArray *children;
  gint64 offset, length;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a field is not an object");
      return NULL;
    }
  object = json_node_get_object (node);
  offset = hl_json_get_int (object, "offset", -1);
  length = hl_json_get_int (object, "length", -1);
  if (hl_json_get_string (object, "name") == NULL ||
      offset < 0 || length < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "a field lacks its name, offset or length");
      return NULL;
    }
  self = hl_field_new (hl_json_get_string (object, "name"),
                       hl_json_get_string (object, "value"),
                       offset, length);
  self->is_error = hl_json_get_boolean (object, "error", FALSE);

  {
    JsonNode *children_node = json_object_get_member (object, "children");
    children = children_node != NULL && JSON_NODE_HOLDS_ARRAY (children_node)
               ? json_node_get_array (children_node) : NULL;
  }
  for (guint i = 0; children != NULL && i < json_array_get_length (children); i++)
    {
      HlField *child = hl_field_new_from_json (json_array_get_element (children, i), error);

      if (child == NULL)
        return NULL;
      hl_field_append (self, child);
    }
  return g_steal_pointer (&self);
}

static void
append_text (HlField *self,
             GString *out,
             guint    depth)
{
  g_string_append_printf (out, "%*s%s", depth * 2, "", self->name);
  if (self->value != NULL)
    g_string_append_printf (out, ": %s", self->value);
  g_string_append_printf (out, "  [%" G_GSIZE_FORMAT "+%" G_GSIZE_FORMAT "]\n",
                          self->offset, self->length);
  for (guint i = 0; i < hl_field_get_n_children (self); i++)
    append_text (self->children[i], out, depth + 1);
}

/**
 * hl_field_to_text:
 *
 * Returns: (transfer full): the tree, one indented line per field
 */
char *
hl_field_to_text (HlField *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  append_text (self, out, 0);
  return g_string_free (out, FALSE);
}

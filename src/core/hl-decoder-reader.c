/* hl-decoder-reader.c: checked reads over a handshake message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "hl-decoder-private.h"

/* Opaque values longer than this are shown by their first bytes */
#define PREVIEW_FULL  32
#define PREVIEW_HEAD  16

void
hl_reader_init (HlReader     *reader,
                const guint8 *data,
                gsize         start,
                gsize         end,
                HlField      *parent)
{
  g_assert (start <= end);

  reader->data = data;
  reader->pos = start;
  reader->end = end;
  reader->parent = parent;
  reader->failed = FALSE;
}

gsize
hl_reader_left (const HlReader *reader)
{
  return reader->end - reader->pos;
}

gboolean
hl_reader_at_end (const HlReader *reader)
{
  return reader->failed || reader->pos >= reader->end;
}

/* Appends an error covering the rest of the window (possibly nothing)
 * and stops the reader */
void
hl_reader_error (HlReader   *reader,
                 const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (reader->failed)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  hl_field_append (reader->parent,
                   hl_field_new_error (message, reader->pos, reader->end - reader->pos));
  reader->pos = reader->end;
  reader->failed = TRUE;
}

gboolean
hl_reader_need (HlReader   *reader,
                gsize       n,
                const char *what)
{
  if (reader->failed)
    return FALSE;
  if (n <= hl_reader_left (reader))
    return TRUE;
  hl_reader_error (reader, "%s needs %" G_GSIZE_FORMAT " bytes at offset %" G_GSIZE_FORMAT
                   " but only %" G_GSIZE_FORMAT " are left",
                   what, n, reader->pos, hl_reader_left (reader));
  return FALSE;
}

/* Reads a big-endian integer at pos + at; the caller has checked bounds */
guint32
hl_reader_peek_uint (const HlReader *reader,
                     gsize           at,
                     guint           n_bytes)
{
  guint32 value = 0;

  g_assert (n_bytes <= 4);
  g_assert (reader->pos + at + n_bytes <= reader->end);

  for (guint i = 0; i < n_bytes; i++)
    value = (value << 8) | reader->data[reader->pos + at + i];
  return value;
}

/* Appends a field over the next n bytes; the caller has checked bounds */
HlField *
hl_reader_leaf (HlReader   *reader,
                const char *name,
                gsize       n,
                const char *value)
{
  HlField *field;

  g_assert (n <= hl_reader_left (reader));

  field = hl_field_new (name, value, reader->pos, n);
  hl_field_append (reader->parent, field);
  reader->pos += n;
  return field;
}

/* Field values are written by the hundred per message: not through printf */
static char *
decimal (guint32 value)
{
  char text[11];
  guint n = 0;

  do
    {
      text[sizeof text - 2 - n++] = '0' + value % 10;
      value /= 10;
    }
  while (value != 0);
  text[sizeof text - 1] = '\0';
  return g_strndup (text + sizeof text - 1 - n, n);
}

gboolean
hl_reader_uint (HlReader   *reader,
                const char *name,
                guint       n_bytes,
                guint32    *out)
{
  g_autofree char *value = NULL;
  guint32 v;

  if (!hl_reader_need (reader, n_bytes, name))
    return FALSE;
  v = hl_reader_peek_uint (reader, 0, n_bytes);
  value = decimal (v);
  hl_reader_leaf (reader, name, n_bytes, value);
  if (out != NULL)
    *out = v;
  return TRUE;
}

gboolean
hl_reader_enum (HlReader   *reader,
                const char *name,
                guint       n_bytes,
                HlRegistry  registry,
                guint32    *out)
{
  g_autofree char *value = NULL;
  guint32 v;

  if (!hl_reader_need (reader, n_bytes, name))
    return FALSE;
  v = hl_reader_peek_uint (reader, 0, n_bytes);
  value = hl_registry_describe (registry, v);
  hl_reader_leaf (reader, name, n_bytes, value);
  if (out != NULL)
    *out = v;
  return TRUE;
}

gboolean
hl_reader_opaque (HlReader   *reader,
                  const char *name,
                  gsize       n)
{
  g_autofree char *value = NULL;

  if (!hl_reader_need (reader, n, name))
    return FALSE;
  value = hl_hex_preview (reader->data + reader->pos, n);
  hl_reader_leaf (reader, name, n, value);
  return TRUE;
}

/* The remaining bytes of the window as one opaque field, if there are any */
gboolean
hl_reader_rest (HlReader   *reader,
                const char *name)
{
  if (reader->failed)
    return FALSE;
  if (hl_reader_left (reader) == 0)
    return TRUE;
  return hl_reader_opaque (reader, name, hl_reader_left (reader));
}

/* A field over the next n bytes whose children are read through sub */
HlField *
hl_reader_struct (HlReader   *reader,
                  const char *name,
                  gsize       n,
                  HlReader   *sub)
{
  HlField *field;

  if (!hl_reader_need (reader, n, name))
    return NULL;
  field = hl_reader_leaf (reader, name, n, NULL);
  hl_reader_init (sub, reader->data, hl_field_get_offset (field), reader->pos, field);
  return field;
}

/* A vector<length_bytes>: a field over the length and the contents, with a
 * "length" child; sub reads the contents. When the length runs past the
 * window, the field takes the rest of the window with an error in it. */
HlField *
hl_reader_vector (HlReader   *reader,
                  const char *name,
                  guint       length_bytes,
                  HlReader   *sub)
{
  g_autofree char *length_value = NULL;
  HlField *field;
  gsize start = reader->pos;
  guint32 length;

  if (!hl_reader_need (reader, length_bytes, name))
    return NULL;
  length = hl_reader_peek_uint (reader, 0, length_bytes);
  length_value = decimal (length);

  if (length > hl_reader_left (reader) - length_bytes)
    {
      HlReader inner;

      field = hl_reader_leaf (reader, name, hl_reader_left (reader), NULL);
      hl_reader_init (&inner, reader->data, start, reader->pos, field);
      hl_reader_leaf (&inner, "length", length_bytes, length_value);
      hl_reader_error (&inner, "%s length %u runs past the end: only %" G_GSIZE_FORMAT
                       " bytes are left at offset %" G_GSIZE_FORMAT,
                       name, length, hl_reader_left (&inner), inner.pos);
      reader->failed = TRUE;
      return NULL;
    }

  field = hl_reader_leaf (reader, name, length_bytes + length, NULL);
  hl_reader_init (sub, reader->data, start, reader->pos, field);
  hl_reader_leaf (sub, "length", length_bytes, length_value);
  return field;
}

/* A vector of opaque bytes: value shows the contents (as text when as_text
 * and they are printable), children "length" and "opaque" */
HlField *
hl_reader_opaque_vector (HlReader   *reader,
                         const char *name,
                         guint       length_bytes,
                         gboolean    as_text)
{
  g_autofree char *value = NULL;
  HlReader sub;
  HlField *field;
  gsize n;

  field = hl_reader_vector (reader, name, length_bytes, &sub);
  if (field == NULL)
    return NULL;
  n = hl_reader_left (&sub);
  value = as_text ? hl_text_preview (sub.data + sub.pos, n) : hl_hex_preview (sub.data + sub.pos, n);
  hl_field_set_value (field, value);
  if (n > 0)
    hl_reader_leaf (&sub, "opaque", n, value);
  return field;
}

/* A vector of registry values: returns how many were read */
guint
hl_reader_enum_list (HlReader   *reader,
                     const char *list_name,
                     guint       length_bytes,
                     const char *item_name,
                     guint       item_bytes,
                     HlRegistry  registry,
                     const char *noun)
{
  g_autofree char *value = NULL;
  HlReader sub;
  HlField *field;
  guint count = 0;

  field = hl_reader_vector (reader, list_name, length_bytes, &sub);
  if (field == NULL)
    return 0;
  while (!hl_reader_at_end (&sub) && hl_reader_enum (&sub, item_name, item_bytes, registry, NULL))
    count++;
  if (count == 1 && g_str_has_suffix (noun, "s"))
    {
      g_autofree char *singular = g_strndup (noun, strlen (noun) - 1);

      value = hl_count_text (count, singular, noun);
    }
  else
    value = hl_count_text (count, noun, noun);
  hl_field_set_value (field, value);
  return count;
}

/* Ends a sub-reader: bytes left unread are an error */
void
hl_reader_finish (HlReader *sub)
{
  if (!sub->failed && sub->pos < sub->end)
    hl_reader_error (sub, "%" G_GSIZE_FORMAT " unexpected trailing bytes at offset %" G_GSIZE_FORMAT,
                     hl_reader_left (sub), sub->pos);
}

/* "1 certificate", "3 certificates" */
char *
hl_count_text (guint       count,
               const char *singular,
               const char *plural)
{
  return g_strdup_printf ("%u %s", count, count == 1 ? singular : plural);
}

static const char hex_digits[] = "0123456789abcdef";

char *
hl_hex_preview (const guint8 *bytes,
                gsize         n)
{
  GString *out;
  gsize shown = n <= PREVIEW_FULL ? n : PREVIEW_HEAD;

  if (n == 0)
    return g_strdup ("(empty)");
  out = g_string_sized_new (shown * 2 + 24);
  for (gsize i = 0; i < shown; i++)
    {
      g_string_append_c (out, hex_digits[bytes[i] >> 4]);
      g_string_append_c (out, hex_digits[bytes[i] & 0xf]);
    }
  if (shown < n)
    g_string_append_printf (out, "… (%" G_GSIZE_FORMAT " bytes)", n);
  return g_string_free (out, FALSE);
}

/* Printable ASCII as itself; anything else falls back to hex */
char *
hl_text_preview (const guint8 *bytes,
                 gsize         n)
{
  for (gsize i = 0; i < n; i++)
    if (bytes[i] < 0x20 || bytes[i] > 0x7e)
      return hl_hex_preview (bytes, n);
  if (n == 0)
    return g_strdup ("(empty)");
  return g_strndup ((const char *) bytes, n);
}

/* hl-decoder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-decoder.h"
#include "hl-registry.h"

HlField *
hl_decode_handshake (const guint8          *data,
                     gsize                  length,
                     const HlDecodeContext *context)
{
  g_autoptr(HlField) root = NULL;
  g_autofree char *type_value = NULL;
  const char *name;
  gsize body_length;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 4)
    {
      root = hl_field_new ("handshake", NULL, 0, length);
      hl_field_append (root, hl_field_new_error ("message shorter than its 4-byte header", 0, length));
      return g_steal_pointer (&root);
    }

  name = hl_registry_handshake_type_name (data[0]);
  root = hl_field_new (name != NULL ? name : "handshake", NULL, 0, length);
  type_value = g_strdup_printf ("%s (%u)", name != NULL ? name : "unknown", data[0]);
  hl_field_append (root, hl_field_new ("msg_type", type_value, 0, 1));
  body_length = ((gsize) data[1] << 16) | ((gsize) data[2] << 8) | data[3];
  {
    g_autofree char *len_value = g_strdup_printf ("%" G_GSIZE_FORMAT, body_length);
    hl_field_append (root, hl_field_new ("length", len_value, 1, 3));
  }
  if (length > 4)
    hl_field_append (root, hl_field_new ("body", NULL, 4, length - 4));
  return g_steal_pointer (&root);
}

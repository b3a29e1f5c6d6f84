/* fuzz-decoder.c: libFuzzer target for the handshake message decoder
 *
 * Decodes the input in every context (TLS 1.3 and 1.2, from either side,
 * version unknown, with and without a cipher suite) and aborts when a tree
 * breaks the decoder's promise: every field inside the input, children
 * covering their parent exactly. The sanitizers catch any read past it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

#include "hl-decoder.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

static const HlDecodeContext contexts[] = {
  { 0x0304, FALSE },
  { 0x0304, TRUE },
  { 0x0303, FALSE },
  { 0x0303, TRUE },
  { 0, FALSE },
};

/* One suite of each TLS 1.2 key exchange the decoder tells apart */
static const guint16 suites[] = {
  0, 0xc02f, 0x009c, 0x009e, 0xc025, 0x00a8, 0x0090, 0xc035, 0x00ac,
};

static void
check (HlField    *tree,
       gsize       size,
       const char *what)
{
  g_autofree char *problem = NULL;

  if (tree == NULL || !hl_field_check_cover (tree, size, &problem))
    {
      fprintf (stderr, "fuzz-decoder: %s: %s\n", what, problem != NULL ? problem : "no tree");
      abort ();
    }
  if (hl_field_get_offset (tree) != 0 || hl_field_get_length (tree) != size)
    {
      fprintf (stderr, "fuzz-decoder: %s: the root does not cover the input\n", what);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  for (gsize i = 0; i < G_N_ELEMENTS (contexts); i++)
    {
      g_autoptr(HlField) tree = hl_decode_handshake (data, size, &contexts[i]);

      check (tree, size, "decode");
    }

  /* the cipher suite only matters to TLS 1.2 key exchange messages */
  for (gsize i = 0; size > 0 && (data[0] == 12 || data[0] == 16) && i < G_N_ELEMENTS (suites); i++)
    {
      g_autoptr(HlField) tree = hl_decode_handshake_full (data, size, &contexts[3], suites[i]);

      check (tree, size, "decode with a cipher suite");
    }

  /* the printers walk every field too */
  {
    g_autoptr(HlField) tree = hl_decode_handshake (data, size, &contexts[4]);
    g_autoptr(JsonNode) node = hl_field_to_json (tree);
    g_autofree char *text = hl_field_to_text (tree);

    if (node == NULL || text == NULL)
      abort ();
  }
  return 0;
}

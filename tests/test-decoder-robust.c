/* test-decoder-robust.c: the decoder's promises over every vector, and
 * over every vector cut short or with a length field inflated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib.h>

#include "hl-decoder.h"
#include "test-decoder-common.h"

static const HlDecodeContext contexts[] = {
  { 0x0304, FALSE }, { 0x0304, TRUE }, { 0x0303, FALSE }, { 0x0303, TRUE }, { 0, FALSE },
};

static void
collect_lengths (HlField   *field,
                 GPtrArray *out)
{
  if (g_str_equal (hl_field_get_name (field), "length") && hl_field_get_n_children (field) == 0)
    g_ptr_array_add (out, field);
  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    collect_lengths (hl_field_get_child (field, i), out);
}

static HlField *
decode (const guint8          *data,
        gsize                  length,
        const HlDecodeContext *context,
        guint16                suite,
        const char            *what)
{
  HlField *root = hl_decode_handshake_full (data, length, context, suite);

  g_assert_nonnull (root);
  g_assert_cmpuint (hl_field_get_offset (root), ==, 0);
  g_assert_cmpuint (hl_field_get_length (root), ==, length);
  test_assert_cover (root, length, what);
  return root;
}

/* Property: in its own context and in every other, each vector gives a
 * tree inside its bytes whose children cover their parents exactly */
static void
test_cover (void)
{
  g_autoptr(GPtrArray) vectors = test_load_vectors ();

  for (guint i = 0; i < vectors->len; i++)
    {
      TestVector *vector = g_ptr_array_index (vectors, i);
      gsize length;
      const guint8 *data = g_bytes_get_data (vector->bytes, &length);

      hl_field_unref (decode (data, length, &vector->context, vector->cipher_suite, vector->name));
      for (gsize c = 0; c < G_N_ELEMENTS (contexts); c++)
        {
          hl_field_unref (decode (data, length, &contexts[c], 0, vector->name));
          hl_field_unref (decode (data, length, &contexts[c], vector->cipher_suite, vector->name));
        }
    }
}

/* Every prefix of every vector: an error field, the cover kept, and the
 * copy is exactly as long as the prefix so ASan sees any over-read */
static void
test_truncated (void)
{
  g_autoptr(GPtrArray) vectors = test_load_vectors ();
  guint decoded = 0;

  for (guint i = 0; i < vectors->len; i++)
    {
      TestVector *vector = g_ptr_array_index (vectors, i);
      gsize length;
      const guint8 *data = g_bytes_get_data (vector->bytes, &length);

      for (gsize cut = 0; cut < length; cut++)
        {
          g_autofree guint8 *copy = g_memdup2 (data, cut);
          g_autoptr(HlField) root = decode (copy, cut, &vector->context, vector->cipher_suite, vector->name);
          g_autoptr(HlField) guessed = decode (copy, cut, &contexts[4], 0, vector->name);

          if (!hl_field_has_error (root) || !hl_field_has_error (guessed))
            g_error ("%s cut to %" G_GSIZE_FORMAT " bytes has no error field", vector->name, cut);
          decoded += 2;
        }
    }
  g_test_message ("%u truncated messages decoded", decoded);
}

static void
write_length (guint8 *data,
              gsize   offset,
              gsize   width,
              guint32 value)
{
  for (gsize i = 0; i < width; i++)
    data[offset + i] = (guint8) (value >> (8 * (width - 1 - i)));
}

/* Every length field of every vector made larger: by one (the cover must
 * hold), and past the end of the message (there must be an error too) */
static void
test_inflated (void)
{
  g_autoptr(GPtrArray) vectors = test_load_vectors ();
  guint decoded = 0;

  for (guint i = 0; i < vectors->len; i++)
    {
      TestVector *vector = g_ptr_array_index (vectors, i);
      g_autoptr(HlField) original = test_decode_vector (vector);
      g_autoptr(GPtrArray) lengths = g_ptr_array_new ();
      gsize length;
      const guint8 *data = g_bytes_get_data (vector->bytes, &length);

      collect_lengths (original, lengths);
      g_assert_cmpuint (lengths->len, >, 0);
      for (guint l = 0; l < lengths->len; l++)
        {
          HlField *field = g_ptr_array_index (lengths, l);
          gsize offset = hl_field_get_offset (field);
          gsize width = hl_field_get_length (field);
          guint32 max = width >= 4 ? G_MAXUINT32 : (1u << (8 * width)) - 1;
          guint32 current = 0;
          gsize past_end = length - (offset + width) + 1;
          g_autofree guint8 *copy = g_memdup2 (data, length);

          g_assert_cmpuint (width, >=, 1);
          g_assert_cmpuint (width, <=, 3);
          for (gsize b = 0; b < width; b++)
            current = (current << 8) | data[offset + b];

          if (current < max)
            {
              g_autoptr(HlField) root = NULL;

              write_length (copy, offset, width, current + 1);
              root = decode (copy, length, &vector->context, vector->cipher_suite, vector->name);
              decoded++;
            }
          if (past_end <= max)
            {
              g_autoptr(HlField) root = NULL;

              write_length (copy, offset, width, (guint32) past_end);
              root = decode (copy, length, &vector->context, vector->cipher_suite, vector->name);
              if (!hl_field_has_error (root))
                {
                  g_autofree char *text = hl_field_to_text (root);

                  g_error ("%s with the length at %" G_GSIZE_FORMAT " set to %" G_GSIZE_FORMAT
                           " has no error field:\n%s", vector->name, offset, past_end, text);
                }
              decoded++;
            }
          write_length (copy, offset, width, max);
          hl_field_unref (decode (copy, length, &vector->context, vector->cipher_suite, vector->name));
          decoded++;
        }
    }
  g_test_message ("%u inflated messages decoded", decoded);
}

/* Hostile shapes the vectors do not reach */
static void
test_hostile (void)
{
  static const struct { const char *hex; gboolean malformed; } messages[] = {
    { "", TRUE },
    { "01", TRUE },
    { "01 00 00", TRUE },
    { "01 ff ff ff", TRUE },
    { "02 00 00 00", TRUE },
    { "0b 00 00 04 00 00 00 00", FALSE },                      /* no certificates */
    { "0b 00 00 07 00 00 00 03 00 00 00", TRUE },              /* empty cert_data */
    { "0b 00 00 0b 00 00 00 07 00 00 04 30 82 ff ff 00 00", TRUE },
    { "08 00 00 06 00 04 0a 0a 00 00", FALSE },                /* a GREASE extension */
    { "08 00 00 08 00 06 ff ff 00 02 01 02", FALSE },          /* an unknown extension */
    { "08 00 00 07 00 05 00 2b 00 01 03", TRUE },              /* half a selected_version */
    { "18 00 00 01 07", FALSE },                               /* unknown, not malformed */
    { "7f 00 00 03 01 02 03", FALSE },                         /* opaque body */
    { "14 00 00 00", TRUE },                                   /* empty verify_data */
    { "0e 00 00 01 00", TRUE },                                /* server_hello_done with a body */
    { "05 00 00 00", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (messages); i++)
    for (gsize c = 0; c < G_N_ELEMENTS (contexts); c++)
      {
        g_autoptr(GBytes) bytes = hl_decode_parse_input ((const guint8 *) messages[i].hex,
                                                         strlen (messages[i].hex), NULL);
        gsize length;
        const guint8 *data = g_bytes_get_data (bytes, &length);
        g_autoptr(HlField) root = decode (data, length, &contexts[c], 0, messages[i].hex);

        /* the expectations are for a decoder left to guess the version */
        if (contexts[c].tls_version == 0 && hl_field_has_error (root) != messages[i].malformed)
          {
            g_autofree char *text = hl_field_to_text (root);

            g_error ("“%s”: expected %s error field:\n%s", messages[i].hex,
                     messages[i].malformed ? "an" : "no", text);
          }
      }
}

static void
test_parse_input (void)
{
  g_autoptr(GBytes) hex = NULL;
  g_autoptr(GBytes) binary = NULL;
  gboolean was_hex = FALSE;

  hex = hl_decode_parse_input ((const guint8 *) " 14 00\n00 01\tAB ", 16, &was_hex);
  g_assert_true (was_hex);
  g_assert_cmpuint (g_bytes_get_size (hex), ==, 5);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (hex, NULL))[4], ==, 0xab);

  binary = hl_decode_parse_input ((const guint8 *) "\x14\x00\x00\x01\xab", 5, &was_hex);
  g_assert_false (was_hex);
  g_assert_cmpuint (g_bytes_get_size (binary), ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/decoder-robust/cover", test_cover);
  g_test_add_func ("/decoder-robust/truncated", test_truncated);
  g_test_add_func ("/decoder-robust/inflated", test_inflated);
  g_test_add_func ("/decoder-robust/hostile", test_hostile);
  g_test_add_func ("/decoder-robust/parse-input", test_parse_input);

  return g_test_run ();
}

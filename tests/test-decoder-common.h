/* test-decoder-common.h: the decoder's test vectors, shared by its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <glib.h>

#include "hl-decoder.h"

/* One handshake message from tests/data, with the context it was sent in */
typedef struct
{
  char            *name;          /* e.g. "rfc8448/3-01-client_hello-c.hex" */
  GBytes          *bytes;
  HlDecodeContext  context;
  guint16          cipher_suite;  /* negotiated suite for TLS 1.2 vectors, else 0 */
} TestVector;

static inline void
test_vector_free (gpointer data)
{
  TestVector *vector = data;

  g_free (vector->name);
  g_bytes_unref (vector->bytes);
  g_free (vector);
}

static inline char *
test_data_path (const char *relative)
{
  const char *dir = g_getenv ("HL_TEST_DATA");

  g_assert_nonnull (dir);
  return g_build_filename (dir, relative, NULL);
}

static inline GBytes *
test_read_message (const char *relative)
{
  g_autofree char *path = test_data_path (relative);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("cannot read %s: %s", path, error->message);
  return hl_decode_parse_input ((const guint8 *) contents, length, NULL);
}

/* The cipher suite a TLS 1.2 server_hello chose, read from the bytes */
static inline guint16
test_server_hello_suite (GBytes *server_hello)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (server_hello, &length);
  gsize at;

  g_assert_cmpuint (length, >, 39);
  at = 39 + data[38];
  g_assert_cmpuint (length, >=, at + 2);
  return (guint16) ((data[at] << 8) | data[at + 1]);
}

static inline void
test_add_dir (GPtrArray  *vectors,
              const char *relative,
              guint16     version)
{
  g_autofree char *path = test_data_path (relative);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint16 suite = 0;
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".hex"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (names->len, >, 0);

  for (guint i = 0; i < names->len; i++)
    {
      TestVector *vector = g_new0 (TestVector, 1);
      const char *file = g_ptr_array_index (names, i);

      vector->name = g_build_filename (relative, file, NULL);
      vector->bytes = test_read_message (vector->name);
      vector->context.tls_version = version;
      vector->context.from_server = g_str_has_suffix (file, "-s.hex");
      if (version == 0x0303 && g_str_has_suffix (file, "-server_hello-s.hex"))
        suite = test_server_hello_suite (vector->bytes);
      g_ptr_array_add (vectors, vector);
    }
  for (guint i = vectors->len - names->len; i < vectors->len; i++)
    ((TestVector *) g_ptr_array_index (vectors, i))->cipher_suite = suite;
}

/* Every vector: the RFC 8448 traces, then the recorded TLS 1.2 handshakes */
static inline GPtrArray *
test_load_vectors (void)
{
  static const char * const tls12[] = { "ecdhe-ecdsa", "ecdhe-rsa", "rsa", "dhe", "mutual", "gnutls-ecdhe-rsa" };
  GPtrArray *vectors = g_ptr_array_new_with_free_func (test_vector_free);

  test_add_dir (vectors, "rfc8448", 0x0304);
  for (gsize i = 0; i < G_N_ELEMENTS (tls12); i++)
    {
      g_autofree char *dir = g_build_filename ("tls12", tls12[i], NULL);

      test_add_dir (vectors, dir, 0x0303);
    }
  return vectors;
}

static inline HlField *
test_decode_vector (const TestVector *vector)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (vector->bytes, &length);

  return hl_decode_handshake_full (data, length, &vector->context, vector->cipher_suite);
}

static inline void
test_assert_cover (HlField    *tree,
                   gsize       length,
                   const char *what)
{
  g_autofree char *problem = NULL;

  if (!hl_field_check_cover (tree, length, &problem))
    {
      g_autofree char *text = hl_field_to_text (tree);

      g_error ("%s: %s\n%s", what, problem, text);
    }
}

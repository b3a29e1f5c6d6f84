/* fuzz-seeds.c: turns the test data into a binary seed corpus
 *
 *   fuzz-seeds [--certificates] DATA_DIR CORPUS_DIR
 *
 * Every *.hex file under DATA_DIR (recursively) becomes one raw message in
 * CORPUS_DIR, named after its path. With --certificates, the seeds are
 * instead the DER certificates found there: in the Certificate messages of
 * the *.hex files and of the session logs (*.jsonl), and in the logs'
 * chain checks, each once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "hl-decoder.h"

typedef struct
{
  const char *corpus;
  gboolean    certificates;
  guint       count;
} Seeder;

/* A seed named after its contents, so that each is kept once */
static void
add_certificate (Seeder       *seeder,
                 const guint8 *der,
                 gsize         length)
{
  g_autofree char *name = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der, length);
  g_autofree char *path = g_build_filename (seeder->corpus, name, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS) && g_file_set_contents (path, (const char *) der, length, NULL))
    seeder->count++;
}

static void
add_certificates_in (Seeder       *seeder,
                     HlField      *field,
                     const guint8 *message)
{
  if (g_strcmp0 (hl_field_get_name (field), "x509_certificate") == 0)
    add_certificate (seeder, message + hl_field_get_offset (field), hl_field_get_length (field));
  for (guint i = 0; i < hl_field_get_n_children (field); i++)
    add_certificates_in (seeder, hl_field_get_child (field, i), message);
}

/* The certificates of a message given as hex */
static void
add_message_certificates (Seeder     *seeder,
                          const char *hex)
{
  g_autoptr(GBytes) message = hl_decode_parse_input ((const guint8 *) hex, strlen (hex), NULL);
  gsize length;
  const guint8 *data = g_bytes_get_data (message, &length);
  g_autoptr(HlField) tree = NULL;

  if (length == 0 || data[0] != 11)
    return;
  tree = hl_decode_handshake (data, length, NULL);
  add_certificates_in (seeder, tree, data);
}

static void
add_log_certificates (Seeder     *seeder,
                      const char *contents)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (lines[i], NULL);
      JsonObject *event = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *kind = event != NULL ? json_object_get_string_member_with_default (event, "kind", "") : "";

      if (g_str_equal (kind, "handshake"))
        add_message_certificates (seeder, json_object_get_string_member_with_default (event, "raw", ""));
      else if (g_str_equal (kind, "certificate_check") && json_object_has_member (event, "chain"))
        {
          JsonArray *chain = json_object_get_array_member (event, "chain");

          for (guint j = 0; chain != NULL && j < json_array_get_length (chain); j++)
            {
              const char *hex = json_array_get_string_element (chain, j);
              g_autoptr(GBytes) der = hl_decode_parse_input ((const guint8 *) hex, strlen (hex), NULL);

              add_certificate (seeder, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
            }
        }
    }
}

static void
convert_file (Seeder     *seeder,
              const char *path,
              const char *seed_name)
{
  g_autofree char *contents = NULL;
  gsize length;

  if ((!g_str_has_suffix (path, ".hex") && !(seeder->certificates && g_str_has_suffix (path, ".jsonl"))) ||
      !g_file_get_contents (path, &contents, &length, NULL))
    return;
  if (!seeder->certificates)
    {
      g_autoptr(GBytes) message = hl_decode_parse_input ((const guint8 *) contents, length, NULL);
      g_autofree char *seed_path = g_build_filename (seeder->corpus, seed_name, NULL);

      if (g_file_set_contents (seed_path, g_bytes_get_data (message, NULL), g_bytes_get_size (message), NULL))
        seeder->count++;
    }
  else if (g_str_has_suffix (path, ".hex"))
    add_message_certificates (seeder, contents);
  else
    add_log_certificates (seeder, contents);
}

static void
convert_dir (Seeder     *seeder,
             const char *dir_path,
             const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *seed_name = g_strconcat (prefix, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *sub_prefix = g_strconcat (seed_name, "-", NULL);

          convert_dir (seeder, path, sub_prefix);
        }
      else
        convert_file (seeder, path, seed_name);
    }
}

int
main (int   argc,
      char *argv[])
{
  Seeder seeder = { NULL, FALSE, 0 };
  int first = 1;

  if (argc == 4 && g_str_equal (argv[1], "--certificates"))
    {
      seeder.certificates = TRUE;
      first = 2;
    }
  if (argc != first + 2)
    {
      g_printerr ("usage: fuzz-seeds [--certificates] DATA_DIR CORPUS_DIR\n");
      return 2;
    }
  seeder.corpus = argv[first + 1];
  if (g_mkdir_with_parents (seeder.corpus, 0755) != 0)
    {
      g_printerr ("fuzz-seeds: cannot create %s\n", seeder.corpus);
      return 2;
    }
  convert_dir (&seeder, argv[first], "");
  g_print ("fuzz-seeds: %u seeds in %s\n", seeder.count, seeder.corpus);
  return seeder.count > 0 ? 0 : 1;
}

/* fuzz-seeds.c: turns the hex test vectors into a binary seed corpus
 *
 *   fuzz-seeds DATA_DIR CORPUS_DIR
 *
 * Every *.hex file under DATA_DIR (recursively) becomes one raw message in
 * CORPUS_DIR, named after its path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

#include "hl-decoder.h"

static guint
convert_dir (const char *dir_path,
             const char *prefix,
             const char *corpus)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint count = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *seed_name = g_strconcat (prefix, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *sub_prefix = g_strconcat (seed_name, "-", NULL);

          count += convert_dir (path, sub_prefix, corpus);
        }
      else if (g_str_has_suffix (name, ".hex"))
        {
          g_autofree char *contents = NULL;
          g_autoptr(GBytes) message = NULL;
          g_autofree char *seed_path = g_build_filename (corpus, seed_name, NULL);
          gsize length;

          if (!g_file_get_contents (path, &contents, &length, NULL))
            continue;
          message = hl_decode_parse_input ((const guint8 *) contents, length, NULL);
          if (g_file_set_contents (seed_path, g_bytes_get_data (message, NULL),
                                   g_bytes_get_size (message), NULL))
            count++;
        }
    }
  return count;
}

int
main (int   argc,
      char *argv[])
{
  guint count;

  if (argc != 3)
    {
      g_printerr ("usage: fuzz-seeds DATA_DIR CORPUS_DIR\n");
      return 2;
    }
  if (g_mkdir_with_parents (argv[2], 0755) != 0)
    {
      g_printerr ("fuzz-seeds: cannot create %s\n", argv[2]);
      return 2;
    }
  count = convert_dir (argv[1], "", argv[2]);
  g_print ("fuzz-seeds: %u seeds in %s\n", count, argv[2]);
  return count > 0 ? 0 : 1;
}

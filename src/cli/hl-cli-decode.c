/* hl-cli-decode.c: handshake-lens-cli decode, one raw handshake message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <glib.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "hl-cli-decode.h"
#include "hl-cli-trace.h"
#include "hl-decoder.h"

#define EXIT_DECODE_ERROR 1
#define EXIT_USAGE 2

static int
fail (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("handshake-lens-cli decode: %s\n", message);
  return EXIT_USAGE;
}

static GBytes *
read_all (const char  *path,
          GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) sink = NULL;

  if (g_strcmp0 (path, "-") != 0)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      return g_file_load_bytes (file, NULL, NULL, error);
    }
  stream = g_unix_input_stream_new (0, FALSE);
  sink = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (sink, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static gboolean
parse_version (const char *text,
               guint16    *version)
{
  if (g_strcmp0 (text, "1.3") == 0)
    *version = 0x0304;
  else if (g_strcmp0 (text, "1.2") == 0)
    *version = 0x0303;
  else
    return FALSE;
  return TRUE;
}

static void
print_tree (HlField  *tree,
            gboolean  json)
{
  if (json)
    {
      g_autoptr(JsonNode) node = hl_field_to_json (tree);
      g_autofree char *raw = json_to_string (node, TRUE);
      g_autofree char *text = hl_cli_escape_json (raw);

      g_print ("%s\n", text);
    }
  else
    {
      g_autofree char *text = hl_field_to_text (tree);
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

      /* Names and strings come from the input: escaped line by line */
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autofree char *escaped = hl_cli_escape (lines[i]);

          if (lines[i + 1] != NULL || escaped[0] != '\0')
            g_print ("%s%s", escaped, lines[i + 1] != NULL ? "\n" : "");
        }
    }
}

/**
 * hl_cli_decode:
 * @argc: argument count, argv[0] being "decode"
 * @argv: `decode [--json] [--tls-version 1.2|1.3] [--server|--client]
 *   [--cipher-suite 0xNNNN] FILE|-`
 *
 * Returns: 0 when the tree has no error field, 1 when it has one (it is
 *   printed all the same), 2 on a usage or input error
 */
int
hl_cli_decode (int    argc,
               char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(HlField) tree = NULL;
  HlDecodeContext context = { 0, FALSE };
  const char *path = NULL;
  gboolean json = FALSE;
  guint64 suite = 0;
  const guint8 *data;
  gsize length;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--json"))
        json = TRUE;
      else if (g_str_equal (arg, "--server"))
        context.from_server = TRUE;
      else if (g_str_equal (arg, "--client"))
        context.from_server = FALSE;
      else if (g_str_equal (arg, "--tls-version") && i + 1 < argc)
        {
          if (!parse_version (argv[++i], &context.tls_version))
            return fail ("--tls-version takes 1.2 or 1.3, not “%s”", argv[i]);
        }
      else if (g_str_equal (arg, "--cipher-suite") && i + 1 < argc)
        {
          if (!g_ascii_string_to_unsigned (g_str_has_prefix (argv[i + 1], "0x") ? argv[i + 1] + 2 : argv[i + 1],
                                           16, 0, G_MAXUINT16, &suite, NULL))
            return fail ("--cipher-suite takes a hex code such as 0xc02f, not “%s”", argv[i + 1]);
          i++;
        }
      else if (g_str_equal (arg, "-h") || g_str_equal (arg, "--help"))
        {
          g_print ("usage: handshake-lens-cli decode [--json] [--tls-version 1.2|1.3] "
                   "[--server|--client] [--cipher-suite 0xNNNN] FILE|-\n"
                   "Decodes one handshake message (4-byte header included), given as hex or binary.\n");
          return 0;
        }
      else if (arg[0] == '-' && arg[1] != '\0')
        return fail ("unknown option “%s”", arg);
      else if (path != NULL)
        return fail ("takes one FILE (or - for standard input)");
      else
        path = arg;
    }
  if (path == NULL)
    return fail ("needs a FILE (or - for standard input); see --help");

  input = read_all (path, &error);
  if (input == NULL)
    return fail ("cannot read %s: %s", path, error->message);
  data = g_bytes_get_data (input, &length);
  message = hl_decode_parse_input (data, length, NULL);
  data = g_bytes_get_data (message, &length);
  if (length == 0)
    return fail ("%s holds no message", path);

  tree = hl_decode_handshake_full (data, length, &context, (guint16) suite);
  print_tree (tree, json);
  return hl_field_has_error (tree) ? EXIT_DECODE_ERROR : 0;
}

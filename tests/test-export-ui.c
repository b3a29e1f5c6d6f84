/* test-export-ui.c: the diagram's exports, the Export dialog, the
 * accelerators, and the about and shortcuts windows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "hl-application.h"
#include "hl-diagram-export.h"
#include "hl-export-dialog.h"
#include "hl-window.h"

#define WIDTH 1200

static HlApplication *app;
static char *tmpdir;
static HlWindow *demo_window;

static void
iterate (guint n)
{
  for (guint i = 0; i < n; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
wait_until (gboolean (*done) (gpointer),
            gpointer   data,
            guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  iterate (20);
}

/* HL_TEST_LINGER=seconds keeps what is on screen there, for screenshots */
static void
linger (void)
{
  const char *seconds = g_getenv ("HL_TEST_LINGER");
  gint64 deadline;

  if (seconds == NULL)
    return;
  deadline = g_get_monotonic_time () + g_ascii_strtoll (seconds, NULL, 10) * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

static gboolean
not_busy (gpointer data)
{
  return !hl_window_get_busy (data) && hl_window_get_events (data) != NULL;
}

static HlWindow *
get_demo_window (void)
{
  g_autoptr(GSettings) settings = NULL;

  if (demo_window != NULL)
    return demo_window;

  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (settings, "demo-version", "tls1.3");
  g_settings_set_string (settings, "demo-kx", "ecdhe");
  g_settings_set_boolean (settings, "demo-mutual", FALSE);

  demo_window = hl_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (demo_window), 1280, 800);
  gtk_window_present (GTK_WINDOW (demo_window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (demo_window), "window.demo", "s", "none"));
  wait_until (not_busy, demo_window, 30);
  g_assert_cmpstr (hl_window_get_page (demo_window), ==, "session");
  return demo_window;
}

/* The whole diagram, not what playback shows so far */
static GListModel *
demo_events (void)
{
  return hl_window_get_events (get_demo_window ());
}

static GFile *
temp_file (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);

  return g_file_new_for_path (path);
}

static GFile *
export_diagram (HlDiagramFormat  format,
                gboolean         dark,
                const char      *name)
{
  g_autoptr(GError) error = NULL;
  GFile *file = temp_file (name);

  g_assert_true (hl_diagram_export (demo_events (), "in this app", "in this app",
                                    format, WIDTH, dark, file, &error));
  g_assert_no_error (error);
  return file;
}

/* 0 (black) … 1 (white), of the pixel at x, y */
static double
luminance_at (GdkTexture *texture,
              int         x,
              int         y)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guchar *data = g_malloc ((gsize) width * height * 4);
  const guchar *pixel;

  gdk_texture_download (texture, data, width * 4);
  /* GDK_MEMORY_DEFAULT: B G R A, premultiplied; opaque here */
  pixel = data + (gsize) y * width * 4 + (gsize) x * 4;
  g_assert_cmpuint (pixel[3], ==, 255);
  return (0.0722 * pixel[0] + 0.7152 * pixel[1] + 0.2126 * pixel[2]) / 255.0;
}

static int
expected_height (void)
{
  int height = hl_diagram_export_get_height (demo_events ());

  g_assert_cmpint (height, >, 300);
  return height;
}

static void
test_png (void)
{
  g_autoptr(GFile) light = export_diagram (HL_DIAGRAM_FORMAT_PNG, FALSE, "light.png");
  g_autoptr(GFile) dark = export_diagram (HL_DIAGRAM_FORMAT_PNG, TRUE, "dark.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) light_texture = gdk_texture_new_from_file (light, &error);
  g_autoptr(GdkTexture) dark_texture = NULL;

  g_assert_no_error (error);
  dark_texture = gdk_texture_new_from_file (dark, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      GdkTexture *texture = i == 0 ? light_texture : dark_texture;

      g_assert_cmpint (gdk_texture_get_width (texture), ==, WIDTH);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, expected_height ());
    }
  /* the background, left of the client's lifeline */
  g_assert_cmpfloat (luminance_at (light_texture, 4, 4), >, 0.9);
  g_assert_cmpfloat (luminance_at (dark_texture, 4, 4), <, 0.2);
  g_assert_cmpfloat (luminance_at (light_texture, 4, expected_height () - 4), >, 0.9);
  g_assert_cmpfloat (luminance_at (dark_texture, 4, expected_height () - 4), <, 0.2);
}

typedef struct
{
  char *root;
  char *width;
  char *height;
} SvgRoot;

static void
svg_start_cb (GMarkupParseContext  *context,
              const char           *element,
              const char          **names,
              const char          **values,
              gpointer              user_data,
              GError              **error)
{
  SvgRoot *root = user_data;

  if (root->root != NULL)
    return;
  root->root = g_strdup (element);
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], "width"))
      root->width = g_strdup (values[i]);
    else if (g_str_equal (names[i], "height"))
      root->height = g_strdup (values[i]);
}

static void
test_svg (void)
{
  g_autoptr(GFile) file = export_diagram (HL_DIAGRAM_FORMAT_SVG, FALSE, "diagram.svg");
  const GMarkupParser parser = { .start_element = svg_start_cb };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *height = NULL;
  SvgRoot root = { NULL, NULL, NULL };
  gsize length;

  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, &error));
  g_assert_no_error (error);

  context = g_markup_parse_context_new (&parser, 0, &root, NULL);
  g_assert_true (g_markup_parse_context_parse (context, contents, length, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);

  height = g_strdup_printf ("%d", expected_height ());
  g_assert_cmpstr (root.root, ==, "svg");
  g_assert_nonnull (root.width);
  g_assert_true (g_str_has_prefix (root.width, "1200"));
  g_assert_true (g_str_has_prefix (root.height, height));
  /* text is drawn, as glyphs */
  g_assert_nonnull (strstr (contents, "<path"));

  g_free (root.root);
  g_free (root.width);
  g_free (root.height);
}

static void
assert_pdf (GFile *file,
            int    width,
            int    height)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const char *box;
  double x0, y0, x1, y1;
  gsize length;

  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));

  /* the streams hold NUL bytes: search past them */
  box = NULL;
  for (gsize i = 0; box == NULL && i + 9 < length; i++)
    if (memcmp (contents + i, "/MediaBox", 9) == 0)
      box = contents + i;
  g_assert_nonnull (box);
  g_assert_cmpint (sscanf (box, "/MediaBox [ %lf %lf %lf %lf ]", &x0, &y0, &x1, &y1), ==, 4);
  g_assert_cmpfloat (x1 - x0, ==, width);
  g_assert_cmpfloat (y1 - y0, ==, height);
}

static void
test_pdf (void)
{
  g_autoptr(GFile) file = export_diagram (HL_DIAGRAM_FORMAT_PDF, FALSE, "diagram.pdf");

  assert_pdf (file, WIDTH, expected_height ());
}

static void
test_errors (void)
{
  g_autoptr(GFile) file = temp_file ("narrow.png");
  g_autoptr(GFile) nowhere = temp_file ("no/such/folder/diagram.png");
  g_autoptr(GError) error = NULL;

  g_assert_false (hl_diagram_export (demo_events (), NULL, NULL, HL_DIAGRAM_FORMAT_PNG,
                                     100, FALSE, file, &error));
  g_assert_error (error, HL_DIAGRAM_EXPORT_ERROR, HL_DIAGRAM_EXPORT_ERROR_SIZE);
  g_assert_false (g_file_query_exists (file, NULL));
  g_clear_error (&error);

  g_assert_false (hl_diagram_export (demo_events (), NULL, NULL, HL_DIAGRAM_FORMAT_PNG,
                                     WIDTH, FALSE, nowhere, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static void
write_from_dialog (HlExportDialog *dialog,
                   HlExportKind    kind,
                   const char     *name,
                   const char     *extension,
                   char          **contents,
                   gsize          *length)
{
  g_autoptr(GFile) file = temp_file (name);
  g_autoptr(GError) error = NULL;
  g_autofree char *suggested = NULL;

  hl_export_dialog_set_kind (dialog, kind);
  g_assert_cmpint (hl_export_dialog_get_kind (dialog), ==, kind);
  suggested = hl_export_dialog_dup_file_name (dialog);
  g_assert_true (g_str_has_suffix (suggested, extension));

  g_assert_true (hl_export_dialog_write (dialog, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_load_contents (file, NULL, contents, length, NULL, &error));
  g_assert_no_error (error);
}

static void
test_dialog (void)
{
  HlWindow *window = get_demo_window ();
  HlExportDialog *dialog;
  g_autoptr(GFile) pdf = temp_file ("dialog.pdf");
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.export", NULL));
  iterate (20);
  dialog = (HlExportDialog *) find_toplevel (HL_TYPE_EXPORT_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_cmpint (hl_export_dialog_get_kind (dialog), ==, HL_EXPORT_KIND_DIAGRAM);
  linger ();

  write_from_dialog (dialog, HL_EXPORT_KIND_KEYLOG, "keys.txt", ".keys", &contents, &length);
  g_assert_nonnull (strstr (contents, "CLIENT_HANDSHAKE_TRAFFIC_SECRET "));
  g_assert_nonnull (strstr (contents, "SERVER_TRAFFIC_SECRET_0 "));
  g_free (contents);

  write_from_dialog (dialog, HL_EXPORT_KIND_PCAPNG, "capture.pcapng", ".pcapng", &contents, &length);
  g_assert_cmpuint (length, >, 12);
  g_assert_cmpmem (contents, 4, "\x0a\x0d\x0d\x0a", 4);
  g_free (contents);

  write_from_dialog (dialog, HL_EXPORT_KIND_MERMAID, "diagram.mmd", ".mmd", &contents, &length);
  g_assert_true (g_str_has_prefix (contents, "sequenceDiagram"));
  g_free (contents);

  write_from_dialog (dialog, HL_EXPORT_KIND_LOG, "session.hllog", ".hllog", &contents, &length);
  g_assert_nonnull (strstr (contents, "handshake-lens-log"));
  g_free (contents);

  /* the whole diagram, even while playback shows a part of it */
  hl_export_dialog_set_kind (dialog, HL_EXPORT_KIND_DIAGRAM);
  hl_export_dialog_set_diagram (dialog, HL_DIAGRAM_FORMAT_PDF, 900, TRUE);
  contents = hl_export_dialog_dup_file_name (dialog);
  g_assert_true (g_str_has_suffix (contents, ".pdf"));
  g_free (contents);
  g_assert_true (hl_export_dialog_write (dialog, pdf, &error));
  g_assert_no_error (error);
  assert_pdf (pdf, 900, expected_height ());

  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate (20);
}

static void
test_accels (void)
{
  const struct { const char *action; const char *accel; } expected[] = {
    { "window.open", "<Control>o" },
    { "window.save", "<Control>s" },
    { "window.export", "<Control>e" },
    { "app.new-window", "<Control>n" },
    { "window.run-again", "<Control>r" },
    { "app.quit", "<Control>q" },
    { "win.show-help-overlay", "<Control>question" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                   expected[i].action);

      g_test_message ("%s: %s", expected[i].action, expected[i].accel);
      g_assert_true (g_strv_contains ((const char * const *) accels, expected[i].accel));
    }
}

static void
test_about (void)
{
  HlWindow *window = get_demo_window ();
  GtkWindow *about;

  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  iterate (20);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==, APPLICATION_ID);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  g_assert_nonnull (adw_about_window_get_issue_url (ADW_ABOUT_WINDOW (about)));
  gtk_window_destroy (about);
  iterate (20);
}

static void
test_shortcuts (void)
{
  HlWindow *window = get_demo_window ();
  GtkShortcutsWindow *overlay = NULL;

  /* not built with the window: when first asked for, then shown again */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
      iterate (20);
      if (overlay == NULL)
        overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
      g_assert_nonnull (overlay);
      g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) == overlay);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
      g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (window));
      g_assert_true (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW) == GTK_WINDOW (overlay));
      if (i == 0)
        linger ();
      gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);
      iterate (20);
    }
}

static gboolean
other_window_done (gpointer data)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (HL_IS_WINDOW (l->data) && l->data != data && hl_window_get_capture (l->data) != NULL)
      return not_busy (l->data);
  return FALSE;
}

static void
test_run_again (void)
{
  HlWindow *window = get_demo_window ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.run-again", NULL));
  wait_until (other_window_done, window, 30);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (HL_IS_WINDOW (l->data) && l->data != (gpointer) window)
      {
        HlWindow *other = l->data;

        g_assert_cmpuint (g_list_model_get_n_items (hl_window_get_events (other)), ==,
                          g_list_model_get_n_items (hl_window_get_events (window)));
        gtk_window_destroy (GTK_WINDOW (other));
        break;
      }
  iterate (20);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmpdir = g_dir_make_tmp ("hl-test-export-ui-XXXXXX", &error);
  g_assert_no_error (error);
  /* the demo PKI is cached there */
  g_setenv ("XDG_CACHE_HOME", tmpdir, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  app = hl_application_new_for_tests ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/export-ui/png", test_png);
  g_test_add_func ("/export-ui/svg", test_svg);
  g_test_add_func ("/export-ui/pdf", test_pdf);
  g_test_add_func ("/export-ui/errors", test_errors);
  g_test_add_func ("/export-ui/dialog", test_dialog);
  g_test_add_func ("/export-ui/accels", test_accels);
  g_test_add_func ("/export-ui/about", test_about);
  g_test_add_func ("/export-ui/shortcuts", test_shortcuts);
  g_test_add_func ("/export-ui/run-again", test_run_again);
  ret = g_test_run ();

  if (demo_window != NULL)
    gtk_window_destroy (GTK_WINDOW (demo_window));
  iterate (20);
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  if (g_getenv ("HL_TEST_KEEP") == NULL)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

      (void) !system (command);
    }
  g_free (tmpdir);
  return ret;
}

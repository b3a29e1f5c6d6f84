/* hl-screenshots.c: renders the application's main views to PNG files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run by build-aux/screenshots.sh under Xvfb:
 *   hl-screenshots OUTPUT-DIR [light|dark]
 * Each window is rendered by its own renderer, so the pictures are the
 * window alone, at the window's scale.
 */
#include "config.h"

#include <adwaita.h>

#include "hl-application.h"
#include "hl-connect-dialog.h"
#include "hl-diagram-model.h"
#include "hl-window.h"

static HlApplication *app;
static const char *outdir;
static const char *suffix = "";

static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static void
save (GtkWidget  *widget,
      const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int width = 0, height = 0;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strdup_printf ("%s%s.png", name, suffix);
  g_autofree char *path = g_build_filename (outdir, file, NULL);

  /* the paintable has nothing while a frame is pending */
  for (guint tries = 0; node == NULL && tries < 20; tries++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      settle (tries == 0 ? 1200 : 400);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  if (node == NULL)
    g_error ("Nothing drawn for %s", name);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
  g_print ("%s\n", path);
}

static HlWindow *
new_window (void)
{
  HlWindow *window = hl_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1360, 840);
  gtk_window_present (GTK_WINDOW (window));
  settle (200);
  return window;
}

static HlWindow *
demo (const char *version,
      gboolean    mutual,
      const char *scenario)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  HlWindow *window = new_window ();
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_settings_set_string (settings, "demo-version", version);
  g_settings_set_boolean (settings, "demo-mutual", mutual);
  g_settings_set_string (settings, "demo-kx", "ecdhe");
  gtk_widget_activate_action (GTK_WIDGET (window), "window.demo", "s", scenario);
  while (hl_window_get_busy (window) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  settle (300);
  return window;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Selects the first row from @side whose label starts with @label */
static gboolean
select_row (HlWindow         *window,
            HlDiagramRowKind  kind,
            HlSide            side,
            const char       *label)
{
  HlSequenceView *view = hl_window_get_sequence_view (window);
  GListModel *rows = hl_sequence_view_get_model (view);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(HlDiagramRow) row = g_list_model_get_item (rows, i);

      if (hl_diagram_row_get_kind (row) == kind && hl_diagram_row_get_side (row) == side &&
          g_str_has_prefix (hl_diagram_row_get_label (row), label))
        {
          hl_sequence_view_set_selected (view, i);
          gtk_widget_grab_focus (GTK_WIDGET (view));
          return TRUE;
        }
    }
  g_warning ("No row %s", label);
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  HlWindow *window;
  HlDetailsPane *pane;

  if (argc < 2)
    {
      g_printerr ("usage: %s OUTPUT-DIR [light|dark]\n", argv[0]);
      return 2;
    }
  outdir = argv[1];

  gtk_init ();
  app = hl_application_new_for_tests ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));
  if (argc > 2 && g_str_equal (argv[2], "dark"))
    {
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          ADW_COLOR_SCHEME_FORCE_DARK);
      suffix = "-dark";
    }
  g_mkdir_with_parents (outdir, 0755);

  window = new_window ();
  save (GTK_WIDGET (window), "empty");
  {
    GtkWidget *dialog = GTK_WIDGET (hl_connect_dialog_new (GTK_WINDOW (window)));

    gtk_window_present (GTK_WINDOW (dialog));
    hl_connect_dialog_set_host (HL_CONNECT_DIALOG (dialog), "example.com");
    save (dialog, "connect-dialog");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  {
    GtkWidget *button = find_widget (GTK_WIDGET (window), ADW_TYPE_SPLIT_BUTTON);

    adw_split_button_popup (ADW_SPLIT_BUTTON (button));
    save (GTK_WIDGET (adw_split_button_get_popover (ADW_SPLIT_BUTTON (button))), "demo-popover");
    adw_split_button_popdown (ADW_SPLIT_BUTTON (button));
  }
  gtk_window_destroy (GTK_WINDOW (window));

  window = demo ("tls1.3", FALSE, "none");
  select_row (window, HL_DIAGRAM_ROW_MESSAGE, HL_SIDE_SERVER, "ServerHello");
  save (GTK_WIDGET (window), "demo-tls13-one-way");
  gtk_window_destroy (GTK_WINDOW (window));

  window = demo ("tls1.2", TRUE, "none");
  pane = hl_window_get_details_pane (window);
  select_row (window, HL_DIAGRAM_ROW_MESSAGE, HL_SIDE_SERVER, "ServerKeyExchange");
  settle (100);
  hl_details_pane_set_page (pane, "fields");
  hl_fields_view_select_offset (hl_details_pane_get_fields_view (pane), 6);
  save (GTK_WIDGET (window), "demo-tls12-mutual-field");

  select_row (window, HL_DIAGRAM_ROW_MESSAGE, HL_SIDE_CLIENT, "Certificate");
  settle (100);
  hl_details_pane_set_page (pane, "certificates");
  save (GTK_WIDGET (window), "certificates");
  gtk_window_destroy (GTK_WINDOW (window));

  window = demo ("tls1.3", FALSE, "expired-server");
  select_row (window, HL_DIAGRAM_ROW_ALERT, HL_SIDE_CLIENT, "Alert");
  save (GTK_WIDGET (window), "failure-expired-server");
  gtk_window_destroy (GTK_WINDOW (window));

  /* step mode: the handshake held before the next message */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_settings_set_string (settings, "demo-version", "tls1.3");
    g_settings_set_boolean (settings, "demo-mutual", FALSE);
    window = new_window ();
    gtk_widget_activate_action (GTK_WIDGET (window), "window.step-mode", NULL);
    gtk_widget_activate_action (GTK_WIDGET (window), "window.demo", "s", "none");
    settle (1500);
    for (guint i = 0; i < 3; i++)
      {
        gtk_widget_activate_action (GTK_WIDGET (window), "window.next", NULL);
        settle (600);
      }
    save (GTK_WIDGET (window), "step-mode");
    gtk_widget_activate_action (GTK_WIDGET (window), "window.cancel", NULL);
    settle (500);
    gtk_window_destroy (GTK_WINDOW (window));
  }

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return 0;
}

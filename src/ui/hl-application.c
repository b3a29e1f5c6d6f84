/* hl-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-application.h"
#include "hl-window.h"

struct _HlApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (HlApplication, hl_application, ADW_TYPE_APPLICATION)

static HlWindow *
empty_window (HlApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (HL_IS_WINDOW (active) && hl_window_is_empty (HL_WINDOW (active)))
    return HL_WINDOW (active);
  return hl_window_new (self);
}

static void
hl_application_activate (GApplication *app)
{
  HlWindow *window = empty_window (HL_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
}

/* One window per log */
static void
hl_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      HlWindow *window = empty_window (HL_APPLICATION (app));

      gtk_window_present (GTK_WINDOW (window));
      hl_window_open_file (window, files[i]);
    }
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (hl_window_new (HL_APPLICATION (user_data))));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* closing each window cancels its capture */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  const char *developers[] = { "The Handshake Lens developers", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  adw_show_about_window (parent,
                         "application-name", _("Handshake Lens"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Watch a TLS handshake as it happens"),
                         "developer-name", _("The Handshake Lens developers"),
                         "developers", developers,
                         "copyright", _("© The Handshake Lens developers"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", "https://github.com/handshakelens/HandshakeLens",
                         "issue-url", "https://github.com/handshakelens/HandshakeLens/issues",
                         NULL);
}

static void
hl_application_startup (GApplication *app)
{
  static const GActionEntry actions[] = {
    { .name = "new-window", .activate = new_window_action },
    { .name = "quit", .activate = quit_action },
    { .name = "about", .activate = about_action },
  };
  /* Space and the arrows are the window's and the diagram's own
   * (hl-window.c) */
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.new-window", { "<Control>n", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "window.open", { "<Control>o", NULL } },
    { "window.save", { "<Control>s", NULL } },
    { "window.export", { "<Control>e", NULL } },
    { "window.run-again", { "<Control>r", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };

  G_APPLICATION_CLASS (hl_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action, accels[i].accels);
}

static void
hl_application_class_init (HlApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = hl_application_activate;
  app_class->open = hl_application_open;
  app_class->startup = hl_application_startup;
}

static void
hl_application_init (HlApplication *self)
{
}

/**
 * hl_application_choose_renderer:
 *
 * Picks GTK's cairo renderer where no GPU draws. Without a DRM render
 * node (`/dev/dri/renderD*`), OpenGL runs in Mesa's software rasterizer,
 * and GTK's GL renderer then takes 25 ms for a frame of this window that
 * the cairo renderer, drawing only what changed, draws in 3: longer than
 * a refresh, for every row a live capture adds. GDK then does not set up
 * OpenGL when it opens the display either. An explicit `GSK_RENDERER`,
 * or a render node, leaves the choice to GTK.
 *
 * Call it before GTK starts and before any other thread does.
 *
 * Returns: (nullable): the renderer chosen, or %NULL if GTK chooses
 */
const char *
hl_application_choose_renderer (void)
{
  g_autoptr(GDir) dri = NULL;
  const char *name;

  if (g_getenv ("GSK_RENDERER") != NULL)
    return NULL;
  dri = g_dir_open ("/dev/dri", 0, NULL);
  while (dri != NULL && (name = g_dir_read_name (dri)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return NULL;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  return "cairo";
}

HlApplication *
hl_application_new (void)
{
  return g_object_new (HL_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/handshakelens/HandshakeLens",
                       NULL);
}

/**
 * hl_application_new_for_tests:
 *
 * Returns: an instance that registers no name on the session bus
 */
HlApplication *
hl_application_new_for_tests (void)
{
  return g_object_new (HL_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/handshakelens/HandshakeLens",
                       NULL);
}

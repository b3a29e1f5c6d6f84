/* hl-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-application.h"
#include "hl-window.h"

struct _HlApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (HlApplication, hl_application, ADW_TYPE_APPLICATION)

static void
hl_application_activate (GApplication *app)
{
  HlWindow *window = hl_window_new (HL_APPLICATION (app));

  gtk_window_present (GTK_WINDOW (window));
}

static void
hl_application_class_init (HlApplicationClass *klass)
{
  G_APPLICATION_CLASS (klass)->activate = hl_application_activate;
}

static void
hl_application_init (HlApplication *self)
{
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

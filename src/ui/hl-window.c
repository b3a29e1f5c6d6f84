/* hl-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-window.h"

struct _HlWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (HlWindow, hl_window, ADW_TYPE_APPLICATION_WINDOW)

static void
hl_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HL_TYPE_WINDOW);
  G_OBJECT_CLASS (hl_window_parent_class)->dispose (object);
}

static void
hl_window_class_init (HlWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = hl_window_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/io/github/handshakelens/HandshakeLens/hl-window.ui");
}

static void
hl_window_init (HlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HlWindow *
hl_window_new (HlApplication *application)
{
  return g_object_new (HL_TYPE_WINDOW, "application", application, NULL);
}

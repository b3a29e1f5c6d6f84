/* main.c: handshake-lens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "hl-application.h"
#include "hl-log.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HlApplication) app = NULL;

  /* before GTK, and before any thread */
  hl_application_choose_renderer ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* logs opened one after another: the next reuses what the last freed */
  hl_log_keep_freed_memory ();
  app = hl_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

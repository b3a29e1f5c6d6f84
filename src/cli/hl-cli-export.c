/* hl-cli-export.c: handshake-lens-cli export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>

#include "hl-cli-export.h"

int
hl_cli_export (int    argc,
               char **argv)
{
  g_printerr ("handshake-lens-cli: export is not available in this build\n");
  return 2;
}

/* hl-cli-export.h: handshake-lens-cli export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int hl_cli_export (int    argc,
                   char **argv);

/* hl-cli-decode.h: handshake-lens-cli decode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int hl_cli_decode (int    argc,
                   char **argv);

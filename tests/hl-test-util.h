/* hl-test-util.h: what the engine's test programs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-capture.h"

G_BEGIN_DECLS

/* A private temporary directory for one test program, with the demo PKI
 * in its "pki" folder (made on the first demo) */
void         hl_test_init          (const char   *name);
const char  *hl_test_tmpdir        (void);
const char  *hl_test_pki_dir       (void);
/* Removes the directory and everything in it */
void         hl_test_cleanup       (void);

/* Runs one demo capture to its end; @error says whether it failed */
GListModel  *hl_test_run_demo      (HlTlsVersion   version,
                                    gboolean       mutual,
                                    HlKeyExchange  key_exchange,
                                    HlScenario     scenario,
                                    GError       **error);

G_END_DECLS

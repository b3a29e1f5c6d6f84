/* hl-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "hl-test-util.h"

static char *tmpdir;
static char *pki_dir;

void
hl_test_init (const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("hl-test-%s-XXXXXX", name);
  g_autoptr(GError) error = NULL;

  g_assert_null (tmpdir);
  tmpdir = g_dir_make_tmp (pattern, &error);
  g_assert_no_error (error);
  pki_dir = g_build_filename (tmpdir, "pki", NULL);
}

const char *
hl_test_tmpdir (void)
{
  g_assert_nonnull (tmpdir);
  return tmpdir;
}

const char *
hl_test_pki_dir (void)
{
  g_assert_nonnull (pki_dir);
  return pki_dir;
}

static int
remove_cb (const char        *path,
           const struct stat *st,
           int                flag,
           struct FTW        *ftw)
{
  if (g_remove (path) != 0)
    g_printerr ("# could not remove %s\n", path);
  return 0;
}

void
hl_test_cleanup (void)
{
  if (tmpdir != NULL)
    nftw (tmpdir, remove_cb, 16, FTW_DEPTH | FTW_PHYS);
  g_clear_pointer (&tmpdir, g_free);
  g_clear_pointer (&pki_dir, g_free);
}

/**
 * hl_test_run_demo:
 *
 * Returns: (transfer full): every event of the capture
 */
GListModel *
hl_test_run_demo (HlTlsVersion   version,
                  gboolean       mutual,
                  HlKeyExchange  key_exchange,
                  HlScenario     scenario,
                  GError       **error)
{
  HlCaptureConfig config;
  g_autoptr(HlCapture) capture = NULL;

  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_DEMO;
  config.version = version;
  config.mutual = mutual;
  config.key_exchange = key_exchange;
  config.scenario = scenario;
  config.pki_dir = hl_test_pki_dir ();
  config.timeout_ms = 20000;

  capture = hl_capture_new (&config);
  hl_capture_run (capture, NULL, error);
  return g_object_ref (hl_capture_get_events (capture));
}

/* test-soak.c: 1 000 demo captures in one process leak neither memory nor
 * file descriptors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include <glib.h>

#include "hl-capture.h"
#include "hl-test-util.h"

#define WARM_UP 50
#define CAPTURES 1000
#define MAX_RSS_GROWTH (8 * 1024 * 1024)

/* AddressSanitizer keeps freed memory in quarantine: RSS means nothing there */
#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif
#ifndef UNDER_ASAN
# define UNDER_ASAN 0
#endif


static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  fields = g_strsplit (statm, " ", 0);
  g_assert_cmpuint (g_strv_length (fields), >=, 2);
  return g_ascii_strtoull (fields[1], NULL, 10) * sysconf (_SC_PAGESIZE);
}

static guint
count_fds (GString *names)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      g_string_append_printf (names, " %s", target ? target : "?");
      n++;
    }
  return n;
}

/* Worker threads may still be closing a descriptor when a capture has
 * returned: take the lowest of a few samples, 10 ms apart */
static guint
open_fds (void)
{
  guint lowest = G_MAXUINT;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GString) names = g_string_new (NULL);
      guint n = count_fds (names);

      if (n < lowest)
        {
          lowest = n;
          g_test_message ("%u descriptors:%s", n, names->str);
        }
      g_usleep (10 * 1000);
    }
  return lowest;
}

static void
run_one (guint i)
{
  HlCaptureConfig config;
  g_autoptr(HlCapture) capture = NULL;
  g_autoptr(GError) error = NULL;

  hl_capture_config_init (&config);
  config.mode = HL_CAPTURE_MODE_DEMO;
  config.pki_dir = hl_test_pki_dir ();
  config.version = i % 2 == 0 ? HL_TLS_VERSION_1_3 : HL_TLS_VERSION_1_2;
  capture = hl_capture_new (&config);
  g_assert_true (hl_capture_run (capture, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (hl_capture_get_events (capture)), >, 10);
}

static void
test_demo_captures (void)
{
  gsize rss_before, rss_after;
  guint fds_before, fds_after;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < WARM_UP; i++)
    run_one (i);
  rss_before = resident_bytes ();
  fds_before = open_fds ();

  for (guint i = WARM_UP; i < CAPTURES; i++)
    run_one (i);
  rss_after = resident_bytes ();
  fds_after = open_fds ();

  g_test_message ("%u captures in %.1f s; resident %" G_GSIZE_FORMAT " KiB -> %" G_GSIZE_FORMAT
                  " KiB; %u -> %u descriptors", CAPTURES,
                  (g_get_monotonic_time () - start) / 1e6, rss_before / 1024, rss_after / 1024,
                  fds_before, fds_after);
  g_assert_cmpuint (fds_after, ==, fds_before);
  if (UNDER_ASAN)
    g_test_message ("resident memory not checked under AddressSanitizer (its quarantine grows)");
  else
    g_assert_cmpint ((gssize) rss_after - (gssize) rss_before, <, MAX_RSS_GROWTH);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  hl_test_init ("soak");

  g_test_add_func ("/soak/demo-captures", test_demo_captures);

  ret = g_test_run ();

  hl_test_cleanup ();
  return ret;
}

/* bench.h: what the parts of the benchmark share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* HL_BENCH_QUICK=1: fewer rounds and handshakes, same figures */
extern gboolean bench_quick;
/* the renderer the run chose as the application does, or NULL */
extern const char *bench_chosen_renderer;

gint64   bench_now_ns      (void);
/* Whether HL_BENCH_ONLY asks for this part */
gboolean bench_wanted      (const char *part);
/* Sorts @values (doubles) and returns their median */
double   bench_median      (GArray     *values);
double   bench_percentile  (GArray     *values,
                            double      p);
/* One line of the final table; @holds is "yes", "NO" or "-" (not a goal) */
void     bench_row         (const char *figure,
                            const char *goal,
                            const char *holds,
                            const char *format,
                            ...) G_GNUC_PRINTF (4, 5);
void     bench_note        (const char *format,
                            ...) G_GNUC_PRINTF (1, 2);

/* The GUI figures (diagram frame, hook to pixels, start-up); need a
 * display. @events: the 100 000 events of @big_log. */
void     bench_ui_run      (const char *self_path,
                            const char *pki_dir,
                            const char *small_log,
                            const char *big_log,
                            GListModel *events);
/* The child process of the start-up figure: prints the monotonic time
 * of the window's first frame, then of the first frame that draws rows */
int      bench_ui_startup_child (const char *log_path);
int      bench_ui_baseline_child (void);

G_END_DECLS

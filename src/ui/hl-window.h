/* hl-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-application.h"
#include "hl-capture.h"
#include "hl-details-pane.h"
#include "hl-playback.h"
#include "hl-sequence-view.h"
#include "hl-summary-bar.h"

G_BEGIN_DECLS

#define HL_TYPE_WINDOW (hl_window_get_type ())
G_DECLARE_FINAL_TYPE (HlWindow, hl_window, HL, WINDOW, AdwApplicationWindow)

HlWindow       *hl_window_new                (HlApplication   *application);
gboolean        hl_window_is_empty           (HlWindow        *self);
void            hl_window_run_capture        (HlWindow        *self,
                                              HlCapture       *capture);
void            hl_window_start_demo         (HlWindow        *self,
                                              HlScenario       scenario);
void            hl_window_open_file          (HlWindow        *self,
                                              GFile           *file);
void            hl_window_show_events        (HlWindow        *self,
                                              GListModel      *events,
                                              const char      *mode,
                                              const char      *target);

/* The parts, for tests */
gboolean        hl_window_get_busy           (HlWindow        *self);
HlCapture      *hl_window_get_capture        (HlWindow        *self);
GListModel     *hl_window_get_events         (HlWindow        *self);
HlPlayback     *hl_window_get_playback       (HlWindow        *self);
HlSequenceView *hl_window_get_sequence_view  (HlWindow        *self);
HlSummaryBar   *hl_window_get_summary_bar    (HlWindow        *self);
HlDetailsPane  *hl_window_get_details_pane   (HlWindow        *self);
const char     *hl_window_get_page           (HlWindow        *self);

G_END_DECLS

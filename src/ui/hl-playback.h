/* hl-playback.h: replaying the rows of a diagram one at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HL_TYPE_PLAYBACK (hl_playback_get_type ())
G_DECLARE_FINAL_TYPE (HlPlayback, hl_playback, HL, PLAYBACK, GObject)

HlPlayback *hl_playback_new           (GListModel *source);
GListModel *hl_playback_get_source    (HlPlayback *self);
GListModel *hl_playback_get_model     (HlPlayback *self);
guint       hl_playback_get_position  (HlPlayback *self);
void        hl_playback_set_position  (HlPlayback *self,
                                       guint       position);
guint       hl_playback_get_n_items   (HlPlayback *self);
gboolean    hl_playback_get_playing   (HlPlayback *self);
double      hl_playback_get_speed     (HlPlayback *self);
void        hl_playback_set_speed     (HlPlayback *self,
                                       double      speed);
void        hl_playback_play          (HlPlayback *self);
void        hl_playback_pause         (HlPlayback *self);
void        hl_playback_step_forward  (HlPlayback *self);
void        hl_playback_step_back     (HlPlayback *self);
void        hl_playback_go_to_start   (HlPlayback *self);
void        hl_playback_go_to_end     (HlPlayback *self);

G_END_DECLS

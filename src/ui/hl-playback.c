/* hl-playback.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a prefix of the diagram's rows through a GtkSliceListModel. While
 * the position is at the end, the prefix grows with the source (a live
 * capture); moved back, it stays where the user put it.
 */
#include "config.h"

#include <gtk/gtk.h>

#include "hl-playback.h"

#define STEP_INTERVAL_MS 700

struct _HlPlayback
{
  GObject            parent_instance;

  GListModel        *source;
  GtkSliceListModel *slice;
  guint              position;
  double             speed;
  guint              timeout_id;
};

G_DEFINE_FINAL_TYPE (HlPlayback, hl_playback, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_POSITION,
  PROP_N_ITEMS,
  PROP_PLAYING,
  PROP_SPEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_position (HlPlayback *self,
              guint       position)
{
  position = MIN (position, g_list_model_get_n_items (self->source));
  if (position == self->position)
    return;
  self->position = position;
  gtk_slice_list_model_set_size (self->slice, position);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static gboolean
tick_cb (gpointer data)
{
  HlPlayback *self = data;

  set_position (self, self->position + 1);
  if (self->position >= g_list_model_get_n_items (self->source))
    {
      self->timeout_id = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (HlPlayback *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add ((guint) (STEP_INTERVAL_MS / self->speed), tick_cb, self);
}

static void
source_changed_cb (HlPlayback *self,
                   guint       position,
                   guint       removed,
                   guint       added,
                   GListModel *source)
{
  guint n = g_list_model_get_n_items (source);

  /* at the end: follow the capture as it grows */
  if (self->timeout_id == 0 && self->position == n - added + removed)
    set_position (self, n);
  else if (self->position > n)
    set_position (self, n);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
hl_playback_dispose (GObject *object)
{
  HlPlayback *self = HL_PLAYBACK (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->slice);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (hl_playback_parent_class)->dispose (object);
}

static void
hl_playback_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HlPlayback *self = HL_PLAYBACK (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, hl_playback_get_n_items (self));
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->timeout_id != 0);
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_playback_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HlPlayback *self = HL_PLAYBACK (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      hl_playback_set_position (self, g_value_get_uint (value));
      break;
    case PROP_SPEED:
      hl_playback_set_speed (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_playback_class_init (HlPlaybackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hl_playback_dispose;
  object_class->get_property = hl_playback_get_property;
  object_class->set_property = hl_playback_set_property;

  properties[PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0.25, 8.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hl_playback_init (HlPlayback *self)
{
  self->speed = 1.0;
}

/**
 * hl_playback_new:
 * @source: the rows to play back
 *
 * Starts at the end: everything shown, following the source.
 */
HlPlayback *
hl_playback_new (GListModel *source)
{
  HlPlayback *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  self = g_object_new (HL_TYPE_PLAYBACK, NULL);
  self->source = g_object_ref (source);
  self->position = g_list_model_get_n_items (source);
  self->slice = gtk_slice_list_model_new (g_object_ref (source), 0, self->position);
  g_signal_connect_object (source, "items-changed",
                           G_CALLBACK (source_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

GListModel *
hl_playback_get_source (HlPlayback *self)
{
  g_return_val_if_fail (HL_IS_PLAYBACK (self), NULL);
  return self->source;
}

/**
 * hl_playback_get_model:
 *
 * Returns: (transfer none): the rows shown so far
 */
GListModel *
hl_playback_get_model (HlPlayback *self)
{
  g_return_val_if_fail (HL_IS_PLAYBACK (self), NULL);
  return G_LIST_MODEL (self->slice);
}

guint
hl_playback_get_position (HlPlayback *self)
{
  g_return_val_if_fail (HL_IS_PLAYBACK (self), 0);
  return self->position;
}

void
hl_playback_set_position (HlPlayback *self,
                          guint       position)
{
  g_return_if_fail (HL_IS_PLAYBACK (self));
  set_position (self, position);
}

guint
hl_playback_get_n_items (HlPlayback *self)
{
  g_return_val_if_fail (HL_IS_PLAYBACK (self), 0);
  return g_list_model_get_n_items (self->source);
}

gboolean
hl_playback_get_playing (HlPlayback *self)
{
  g_return_val_if_fail (HL_IS_PLAYBACK (self), FALSE);
  return self->timeout_id != 0;
}

double
hl_playback_get_speed (HlPlayback *self)
{
  g_return_val_if_fail (HL_IS_PLAYBACK (self), 1.0);
  return self->speed;
}

void
hl_playback_set_speed (HlPlayback *self,
                       double      speed)
{
  g_return_if_fail (HL_IS_PLAYBACK (self));

  speed = CLAMP (speed, 0.25, 8.0);
  if (G_APPROX_VALUE (speed, self->speed, 0.001))
    return;
  self->speed = speed;
  if (self->timeout_id != 0)
    restart_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

/**
 * hl_playback_play:
 *
 * Adds a row at a time; from the end, starts again from the beginning.
 */
void
hl_playback_play (HlPlayback *self)
{
  g_return_if_fail (HL_IS_PLAYBACK (self));

  if (self->timeout_id != 0)
    return;
  if (self->position >= g_list_model_get_n_items (self->source))
    set_position (self, 1);
  restart_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

void
hl_playback_pause (HlPlayback *self)
{
  g_return_if_fail (HL_IS_PLAYBACK (self));

  if (self->timeout_id == 0)
    return;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

void
hl_playback_step_forward (HlPlayback *self)
{
  g_return_if_fail (HL_IS_PLAYBACK (self));
  hl_playback_pause (self);
  set_position (self, self->position + 1);
}

void
hl_playback_step_back (HlPlayback *self)
{
  g_return_if_fail (HL_IS_PLAYBACK (self));
  hl_playback_pause (self);
  if (self->position > 1)
    set_position (self, self->position - 1);
}

void
hl_playback_go_to_start (HlPlayback *self)
{
  g_return_if_fail (HL_IS_PLAYBACK (self));
  hl_playback_pause (self);
  set_position (self, MIN (1, g_list_model_get_n_items (self->source)));
}

void
hl_playback_go_to_end (HlPlayback *self)
{
  g_return_if_fail (HL_IS_PLAYBACK (self));
  hl_playback_pause (self);
  set_position (self, g_list_model_get_n_items (self->source));
}

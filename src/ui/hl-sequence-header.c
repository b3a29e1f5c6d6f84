/* hl-sequence-header.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Draws what spans the rows: the heads of the client and server lifelines.
 * The rows below draw their own stretch of each lifeline at the same x.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-sequence-header.h"
#include "hl-sequence-view-private.h"

struct _HlSequenceHeader
{
  GtkWidget  parent_instance;

  char      *subtitles[2];
};

G_DEFINE_FINAL_TYPE (HlSequenceHeader, hl_sequence_header, GTK_TYPE_WIDGET)

static void
draw_head (HlSequenceHeader       *self,
           GtkSnapshot            *snapshot,
           const HlSequenceColors *colors,
           int                     width,
           int                     height,
           HlSide                  side)
{
  double x = hl_sequence_lifeline_x (width, side);
  const char *title = side == HL_SIDE_CLIENT ? _("Client") : _("Server");
  const char *subtitle = self->subtitles[side];
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autofree char *markup = NULL;
  PangoRectangle extents;
  GskRoundedRect box;
  float box_w, box_h = 40;
  GdkRGBA fill = colors->accent;
  GdkRGBA border = colors->accent;
  GdkRGBA line = colors->faint;

  if (subtitle != NULL && *subtitle != '\0')
    markup = g_markup_printf_escaped ("<b>%s</b>\n<small>%s</small>", title, subtitle);
  else
    markup = g_markup_printf_escaped ("<b>%s</b>", title);
  pango_layout_set_markup (layout, markup, -1);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_width (layout, PANGO_SCALE * 180);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_MIDDLE);
  pango_layout_get_pixel_extents (layout, NULL, &extents);

  box_w = MAX (96, extents.width + 28);
  box_h = MAX (box_h, extents.height + 12);
  gsk_rounded_rect_init_from_rect (&box,
                                   &GRAPHENE_RECT_INIT (x - box_w / 2, 6, box_w, box_h),
                                   8);

  /* the lifeline starts under the head */
  gtk_snapshot_append_color (snapshot, &line,
                             &GRAPHENE_RECT_INIT (x - 1, 6 + box_h, 2, height - 6 - box_h));

  fill.alpha = 0.14;
  border.alpha = 0.55;
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  gtk_snapshot_append_color (snapshot, &fill, &box.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &box,
                              (float[4]) { 1, 1, 1, 1 },
                              (GdkRGBA[4]) { border, border, border, border });

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (x - 90,
                                                6 + (box_h - extents.height) / 2 - extents.y));
  gtk_snapshot_append_layout (snapshot, layout, &colors->fg);
  gtk_snapshot_restore (snapshot);
}

static void
hl_sequence_header_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  HlSequenceHeader *self = HL_SEQUENCE_HEADER (widget);
  HlSequenceColors colors;

  hl_sequence_colors_load (widget, &colors);
  hl_sequence_header_draw (self, snapshot, &colors,
                           gtk_widget_get_width (widget), gtk_widget_get_height (widget));
}

static void
hl_sequence_header_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = HL_SEQUENCE_HEADER_HEIGHT;
  else
    *minimum = *natural = 360;
}

static void
hl_sequence_header_finalize (GObject *object)
{
  HlSequenceHeader *self = HL_SEQUENCE_HEADER (object);

  g_free (self->subtitles[0]);
  g_free (self->subtitles[1]);

  G_OBJECT_CLASS (hl_sequence_header_parent_class)->finalize (object);
}

static void
hl_sequence_header_class_init (HlSequenceHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = hl_sequence_header_finalize;
  widget_class->snapshot = hl_sequence_header_snapshot;
  widget_class->measure = hl_sequence_header_measure;

  gtk_widget_class_set_css_name (widget_class, "sequenceheader");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
hl_sequence_header_init (HlSequenceHeader *self)
{
}

GtkWidget *
hl_sequence_header_new (void)
{
  return g_object_new (HL_TYPE_SEQUENCE_HEADER, NULL);
}

void
hl_sequence_header_set_titles (HlSequenceHeader *self,
                               const char       *client,
                               const char       *server)
{
  g_return_if_fail (HL_IS_SEQUENCE_HEADER (self));

  g_free (self->subtitles[HL_SIDE_CLIENT]);
  self->subtitles[HL_SIDE_CLIENT] = g_strdup (client);
  g_free (self->subtitles[HL_SIDE_SERVER]);
  self->subtitles[HL_SIDE_SERVER] = g_strdup (server);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * hl_sequence_header_draw:
 * @colors: the palette to draw in
 *
 * Draws the heads at @width × @height whether or not the widget is shown.
 */
void
hl_sequence_header_draw (HlSequenceHeader       *self,
                         GtkSnapshot            *snapshot,
                         const HlSequenceColors *colors,
                         int                     width,
                         int                     height)
{
  g_return_if_fail (HL_IS_SEQUENCE_HEADER (self));
  g_return_if_fail (colors != NULL);

  draw_head (self, snapshot, colors, width, height, HL_SIDE_CLIENT);
  draw_head (self, snapshot, colors, width, height, HL_SIDE_SERVER);
}

/* hl-sequence-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row draws its own stretch of both lifelines, so that the rows of the
 * list read as one diagram, and whatever the row is about: an arrow from
 * the sender's lifeline (at the top, when it was sent) to the receiver's
 * (lower, when it was received), a note on one lifeline, or an error
 * across both. Rows the list keeps around outside the viewport draw
 * nothing, so the cost of a frame depends on the viewport only.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "hl-sequence-row.h"
#include "hl-sequence-view-private.h"

#define ARROW_Y      27.0
#define ARROW_SLANT  9.0
#define ARROW_HEAD   9.0

struct _HlSequenceRow
{
  GtkWidget     parent_instance;

  HlDiagramRow *row;
  gboolean      drew_nothing;  /* its last snapshot: out of the list's view */
};

G_DEFINE_FINAL_TYPE (HlSequenceRow, hl_sequence_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ROW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_in_viewport (GtkWidget *widget)
{
  GtkWidget *list = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_VIEW);
  graphene_rect_t bounds;

  if (list == NULL || !gtk_widget_compute_bounds (widget, list, &bounds))
    return TRUE;
  return bounds.origin.y + bounds.size.height > 0 &&
         bounds.origin.y < gtk_widget_get_height (list);
}

static PangoLayout *
make_layout (GtkWidget  *widget,
             const char *markup,
             int         max_width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);

  pango_layout_set_markup (layout, markup, -1);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, MAX (1, max_width) * PANGO_SCALE);
  return layout;
}

static void
append_layout_at (GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  double         x,
                  double         y,
                  const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
draw_background (HlSequenceRow          *self,
                 GtkSnapshot            *snapshot,
                 const HlSequenceColors *colors,
                 int                     width,
                 int                     height)
{
  GdkRGBA band = colors->fg;

  /* flights alternate between two shades */
  if (hl_diagram_row_get_flight (self->row) % 2 == 1)
    {
      band.alpha = 0.035;
      gtk_snapshot_append_color (snapshot, &band, &GRAPHENE_RECT_INIT (0, 0, width, height));
    }
  if (hl_diagram_row_get_flight_start (self->row) && hl_diagram_row_get_index (self->row) > 0)
    {
      band.alpha = 0.10;
      gtk_snapshot_append_color (snapshot, &band, &GRAPHENE_RECT_INIT (0, 0, width, 1));
    }

  for (HlSide side = HL_SIDE_CLIENT; side <= HL_SIDE_SERVER; side++)
    {
      double x = hl_sequence_lifeline_x (width, side);

      gtk_snapshot_append_color (snapshot, &colors->faint,
                                 &GRAPHENE_RECT_INIT (x - 1, 0, 2, height));
    }
}

static void
draw_margin (HlSequenceRow          *self,
             GtkSnapshot            *snapshot,
             const HlSequenceColors *colors,
             int                     width)
{
  g_autofree char *time = g_strdup_printf ("%+.3f ms", hl_diagram_row_get_elapsed_ns (self->row) / 1e6);
  g_autofree char *markup = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  int max_width = (int) hl_sequence_lifeline_x (width, HL_SIDE_CLIENT) - 24;

  /* time on the first line, the flight under it where one starts */
  if (hl_diagram_row_get_flight_start (self->row))
    markup = g_markup_printf_escaped ("<small>%s</small>\n<small><b>%s %u</b></small>",
                                      time, _("Flight"), hl_diagram_row_get_flight (self->row) + 1);
  else
    markup = g_markup_printf_escaped ("<small>%s</small>", time);
  layout = make_layout (GTK_WIDGET (self), markup, max_width);

  append_layout_at (snapshot, layout, 12, 6, &colors->dim);
}

static void
draw_padlock (cairo_t       *cr,
              double         x,
              double         y,
              const GdkRGBA *color)
{
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 1.6);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + 5, y + 5, 3.2, M_PI, 2 * M_PI);
  cairo_line_to (cr, x + 8.2, y + 6.5);
  cairo_move_to (cr, x + 1.8, y + 5);
  cairo_line_to (cr, x + 1.8, y + 6.5);
  cairo_stroke (cr);
  cairo_rectangle (cr, x, y + 6, 10, 7);
  cairo_fill (cr);
}

static void
draw_arrow_line (cairo_t       *cr,
                 double         x0,
                 double         y0,
                 double         x1,
                 double         y1,
                 double         line_width,
                 gboolean       dashed,
                 const GdkRGBA *color)
{
  double angle = atan2 (y1 - y0, x1 - x0);
  double ux = cos (angle), uy = sin (angle);

  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, line_width);
  if (dashed)
    cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1 - ux * ARROW_HEAD * 0.8, y1 - uy * ARROW_HEAD * 0.8);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, x1 - ux * ARROW_HEAD - uy * ARROW_HEAD * 0.45,
                 y1 - uy * ARROW_HEAD + ux * ARROW_HEAD * 0.45);
  cairo_line_to (cr, x1 - ux * ARROW_HEAD + uy * ARROW_HEAD * 0.45,
                 y1 - uy * ARROW_HEAD - ux * ARROW_HEAD * 0.45);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_arrow (HlSequenceRow          *self,
            GtkSnapshot            *snapshot,
            const HlSequenceColors *colors,
            int                     width,
            int                     height)
{
  HlDiagramRowKind kind = hl_diagram_row_get_kind (self->row);
  HlSide sender = hl_diagram_row_get_side (self->row);
  HlSide receiver = sender == HL_SIDE_CLIENT ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
  double xs = hl_sequence_lifeline_x (width, sender);
  double xr = hl_sequence_lifeline_x (width, receiver);
  double dir = xr > xs ? 1 : -1;
  gboolean thin = kind == HL_DIAGRAM_ROW_CHANGE_CIPHER_SPEC || kind == HL_DIAGRAM_ROW_RECORD;
  gboolean encrypted = hl_diagram_row_get_encrypted (self->row);
  double y0 = ARROW_Y, y1 = ARROW_Y;
  const GdkRGBA *color = &colors->fg;
  g_autofree char *markup = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle extents;
  double label_x, lock_w = encrypted ? 15 : 0;
  cairo_t *cr;

  if (kind == HL_DIAGRAM_ROW_ALERT && hl_diagram_row_get_mood (self->row) == HL_DIAGRAM_MOOD_BAD)
    color = &colors->error;
  else if (thin)
    color = &colors->dim;
  else if (encrypted)
    color = &colors->accent;

  /* slanted when both ends saw it: sent above, received below */
  if (hl_diagram_row_is_paired (self->row))
    {
      y0 = ARROW_Y - ARROW_SLANT / 2;
      y1 = ARROW_Y + ARROW_SLANT / 2;
    }

  if (thin)
    markup = g_markup_printf_escaped ("<small>%s</small>", hl_diagram_row_get_label (self->row));
  else if (kind == HL_DIAGRAM_ROW_ALERT)
    markup = g_markup_printf_escaped ("<b>%s</b>  <small>%s</small>",
                                      hl_diagram_row_get_label (self->row),
                                      hl_diagram_row_get_detail (self->row) != NULL ?
                                        hl_diagram_row_get_detail (self->row) : "");
  else
    markup = g_markup_printf_escaped ("<b>%s</b>  <span alpha=\"65%%\"><small>%zu B</small></span>",
                                      hl_diagram_row_get_label (self->row),
                                      hl_diagram_row_get_size (self->row));
  layout = make_layout (GTK_WIDGET (self), markup, (int) fabs (xr - xs) - 24 - lock_w);
  pango_layout_get_pixel_extents (layout, NULL, &extents);
  label_x = (xs + xr) / 2 - (extents.width + lock_w) / 2;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_arrow_line (cr, xs + dir * 2, y0, xr - dir * 2, y1, thin ? 1.0 : 1.6, thin, color);
  if (encrypted)
    draw_padlock (cr, label_x, ARROW_Y - 6 - 16, &colors->accent);
  cairo_destroy (cr);

  append_layout_at (snapshot, layout, label_x + lock_w,
                    MIN (y0, y1) - 4 - extents.height - extents.y,
                    kind == HL_DIAGRAM_ROW_ALERT ? color : thin ? &colors->dim : &colors->fg);
}

static const GdkRGBA *
mood_color (HlDiagramMood           mood,
            const HlSequenceColors *colors)
{
  switch (mood)
    {
    case HL_DIAGRAM_MOOD_GOOD:
      return &colors->success;
    case HL_DIAGRAM_MOOD_BAD:
      return &colors->error;
    case HL_DIAGRAM_MOOD_NEUTRAL:
    default:
      return &colors->accent;
    }
}

static void
draw_note (HlSequenceRow          *self,
           GtkSnapshot            *snapshot,
           const HlSequenceColors *colors,
           int                     width,
           int                     height)
{
  HlSide side = hl_diagram_row_get_side (self->row);
  HlDiagramMood mood = hl_diagram_row_get_mood (self->row);
  double xc = hl_sequence_lifeline_x (width, HL_SIDE_CLIENT);
  double xs = hl_sequence_lifeline_x (width, HL_SIDE_SERVER);
  double x = side == HL_SIDE_CLIENT ? xc : xs;
  const char *detail = hl_diagram_row_get_detail (self->row);
  const GdkRGBA *tint = mood_color (mood, colors);
  g_autofree char *markup = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle extents;
  GskRoundedRect box;
  GdkRGBA fill = *tint, border = *tint;
  double box_w, box_x;

  if (detail != NULL)
    markup = g_markup_printf_escaped ("%s  <span alpha=\"65%%\"><small>%s</small></span>",
                                      hl_diagram_row_get_label (self->row), detail);
  else
    markup = g_markup_printf_escaped ("%s", hl_diagram_row_get_label (self->row));
  layout = make_layout (GTK_WIDGET (self), markup, (int) (xs - xc) - 8);
  pango_layout_get_pixel_extents (layout, NULL, &extents);

  /* the box hangs off its lifeline towards the middle */
  box_w = extents.width + 24;
  box_x = side == HL_SIDE_CLIENT ? x - 12 : x + 12 - box_w;
  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT (box_x, 7, box_w, height - 14), 6);

  fill.alpha = 0.13;
  border.alpha = 0.6;
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  gtk_snapshot_append_color (snapshot, &fill, &box.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &box, (float[4]) { 1, 1, 1, 1 },
                              (GdkRGBA[4]) { border, border, border, border });

  append_layout_at (snapshot, layout, box_x + 12 - extents.x,
                    (height - extents.height) / 2.0 - extents.y,
                    mood == HL_DIAGRAM_MOOD_BAD ? &colors->error : &colors->fg);
}

static void
draw_error (HlSequenceRow          *self,
            GtkSnapshot            *snapshot,
            const HlSequenceColors *colors,
            int                     width,
            int                     height)
{
  double xc = hl_sequence_lifeline_x (width, HL_SIDE_CLIENT);
  double xs = hl_sequence_lifeline_x (width, HL_SIDE_SERVER);
  const char *detail = hl_diagram_row_get_detail (self->row);
  g_autofree char *markup = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle extents;
  GskRoundedRect box;
  GdkRGBA fill = colors->error;

  markup = g_markup_printf_escaped ("<b>%s</b>%s%s", hl_diagram_row_get_label (self->row),
                                    detail != NULL ? "  " : "", detail != NULL ? detail : "");
  layout = make_layout (GTK_WIDGET (self), markup, (int) (xs - xc) - 24);
  pango_layout_get_pixel_extents (layout, NULL, &extents);

  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT (xc - 12, 7, xs - xc + 24, height - 14), 6);
  fill.alpha = 0.15;
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  gtk_snapshot_append_color (snapshot, &fill, &box.bounds);
  gtk_snapshot_pop (snapshot);

  append_layout_at (snapshot, layout, (xc + xs) / 2 - extents.width / 2.0 - extents.x,
                    (height - extents.height) / 2.0 - extents.y, &colors->error);
}

static void
hl_sequence_row_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  HlSequenceRow *self = HL_SEQUENCE_ROW (widget);
  GtkWidget *view = gtk_widget_get_ancestor (widget, HL_TYPE_SEQUENCE_VIEW);
  HlSequenceColors colors;

  self->drew_nothing = self->row == NULL || !is_in_viewport (widget);
  if (self->drew_nothing)
    return;
  if (view != NULL)
    _hl_sequence_view_row_drawn (HL_SEQUENCE_VIEW (view));

  hl_sequence_colors_load (widget, &colors);
  hl_sequence_row_draw (self, snapshot, &colors,
                        gtk_widget_get_width (widget), gtk_widget_get_height (widget));
}

/* Built when asked: a live capture binds rows far more often than anyone
 * hovers one */
static gboolean
hl_sequence_row_query_tooltip (GtkWidget  *widget,
                               int         x,
                               int         y,
                               gboolean    keyboard_tooltip,
                               GtkTooltip *tooltip)
{
  HlSequenceRow *self = HL_SEQUENCE_ROW (widget);
  g_autofree char *text = NULL;

  if (self->row == NULL)
    return FALSE;
  text = hl_diagram_row_dup_tooltip (self->row);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
hl_sequence_row_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = HL_SEQUENCE_ROW_HEIGHT;
  else
    *minimum = *natural = 360;
}

static void
hl_sequence_row_dispose (GObject *object)
{
  HlSequenceRow *self = HL_SEQUENCE_ROW (object);

  g_clear_object (&self->row);

  G_OBJECT_CLASS (hl_sequence_row_parent_class)->dispose (object);
}

static void
hl_sequence_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HlSequenceRow *self = HL_SEQUENCE_ROW (object);

  switch (prop_id)
    {
    case PROP_ROW:
      g_value_set_object (value, self->row);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_sequence_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HlSequenceRow *self = HL_SEQUENCE_ROW (object);

  switch (prop_id)
    {
    case PROP_ROW:
      hl_sequence_row_set_row (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_sequence_row_class_init (HlSequenceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_sequence_row_dispose;
  object_class->get_property = hl_sequence_row_get_property;
  object_class->set_property = hl_sequence_row_set_property;

  widget_class->snapshot = hl_sequence_row_snapshot;
  widget_class->measure = hl_sequence_row_measure;
  widget_class->query_tooltip = hl_sequence_row_query_tooltip;

  properties[PROP_ROW] =
    g_param_spec_object ("row", NULL, NULL, HL_TYPE_DIAGRAM_ROW,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "sequencerow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
hl_sequence_row_init (HlSequenceRow *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
hl_sequence_row_new (void)
{
  return g_object_new (HL_TYPE_SEQUENCE_ROW, NULL);
}

HlDiagramRow *
hl_sequence_row_get_row (HlSequenceRow *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_ROW (self), NULL);
  return self->row;
}

void
hl_sequence_row_set_row (HlSequenceRow *self,
                         HlDiagramRow  *row)
{
  g_return_if_fail (HL_IS_SEQUENCE_ROW (self));
  g_return_if_fail (row == NULL || HL_IS_DIAGRAM_ROW (row));

  /* a row may come back changed (a message seen by its receiver too) */
  g_set_object (&self->row, row);

  if (row != NULL)
    {
      g_autofree char *description = hl_diagram_row_dup_description (row);
      g_autofree char *tooltip = hl_diagram_row_dup_tooltip (row);

      /* the hover text stays the accessible description, as with
       * gtk_widget_set_tooltip_text(), whose cost (a pointer query on the
       * display for each call) the lazy tooltip avoids */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip,
                                      -1);
    }
  else
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROW]);
}

/* GTK keeps a widget's last drawing until it is queued again, also as it
 * moves: a row that drew nothing out of the list's view must draw again
 * when scrolling (or a taller list) brings it in */
void
_hl_sequence_row_redraw_if_empty (HlSequenceRow *self)
{
  if (self->drew_nothing && self->row != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
_hl_sequence_row_drew_nothing (HlSequenceRow *self)
{
  return self->drew_nothing;
}

/**
 * hl_sequence_row_draw:
 * @colors: the palette to draw in
 *
 * Draws the row at @width × @height whether or not the widget is shown:
 * the widget draws itself with it, and so do the diagram's exports.
 */
void
hl_sequence_row_draw (HlSequenceRow          *self,
                      GtkSnapshot            *snapshot,
                      const HlSequenceColors *colors,
                      int                     width,
                      int                     height)
{
  g_return_if_fail (HL_IS_SEQUENCE_ROW (self));
  g_return_if_fail (colors != NULL);

  if (self->row == NULL)
    return;

  draw_background (self, snapshot, colors, width, height);
  draw_margin (self, snapshot, colors, width);

  switch (hl_diagram_row_get_kind (self->row))
    {
    case HL_DIAGRAM_ROW_MESSAGE:
    case HL_DIAGRAM_ROW_CHANGE_CIPHER_SPEC:
    case HL_DIAGRAM_ROW_ALERT:
    case HL_DIAGRAM_ROW_RECORD:
      draw_arrow (self, snapshot, colors, width, height);
      break;
    case HL_DIAGRAM_ROW_NOTE:
      draw_note (self, snapshot, colors, width, height);
      break;
    case HL_DIAGRAM_ROW_ERROR:
      draw_error (self, snapshot, colors, width, height);
      break;
    default:
      g_assert_not_reached ();
    }
}

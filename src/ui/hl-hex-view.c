/* hl-hex-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "hl-hex-view.h"

/* One line: "0000  16 03 01 02 00 01 00 01  fc 03 03 8a 9b 1c 2d 3e  ..........-"
 * Columns are counted in characters of the monospace font. */
#define PAD_X        12.0
#define PAD_Y        8.0
#define LINE_SPACING 3.0
#define GAP_CHARS    2
#define HEX_CHARS    (HL_HEX_VIEW_BYTES_PER_LINE * 3)
#define NO_BYTE      G_MAXSIZE

struct _HlHexView
{
  GtkWidget      parent_instance;

  GBytes        *bytes;
  gsize          highlight_offset;
  gsize          highlight_length;
  gsize          hover;
  gsize          cursor;

  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;

  /* Font metrics, measured lazily and dropped when the style changes */
  double         char_width;
  double         line_height;
  double         ascent;
};

static void scrollable_iface_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HlHexView, hl_hex_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, scrollable_iface_init))

enum {
  PROP_0,
  PROP_BYTES,
  N_PROPS,
  /* GtkScrollable */
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

enum {
  BYTE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
scrollable_iface_init (GtkScrollableInterface *iface)
{
}

static gsize
n_bytes (HlHexView *self)
{
  return self->bytes != NULL ? g_bytes_get_size (self->bytes) : 0;
}

static guint
n_lines (HlHexView *self)
{
  return (n_bytes (self) + HL_HEX_VIEW_BYTES_PER_LINE - 1) / HL_HEX_VIEW_BYTES_PER_LINE;
}

static guint
offset_digits (HlHexView *self)
{
  gsize last = n_bytes (self) > 0 ? n_bytes (self) - 1 : 0;
  guint digits = 4;

  while (digits < 16 && (last >> (digits * 4)) != 0)
    digits++;
  return digits;
}

static void
ensure_metrics (HlHexView *self)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle logical;

  if (self->char_width > 0)
    return;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0123456789abcdef");
  pango_layout_get_extents (layout, NULL, &logical);
  self->char_width = (double) logical.width / PANGO_SCALE / 16.0;
  self->line_height = ceil ((double) logical.height / PANGO_SCALE) + LINE_SPACING;
  self->ascent = (double) pango_layout_get_baseline (layout) / PANGO_SCALE;
}

static double
hex_x (HlHexView *self)
{
  return PAD_X + (offset_digits (self) + GAP_CHARS) * self->char_width;
}

static double
ascii_x (HlHexView *self)
{
  return hex_x (self) + (HEX_CHARS + GAP_CHARS) * self->char_width;
}

/* The hex pair of byte @column starts here; a wider gap splits the line in two halves */
static double
hex_column_x (HlHexView *self,
              guint      column)
{
  return hex_x (self) + (column * 3 + (column >= 8 ? 1 : 0)) * self->char_width;
}

static double
content_width (HlHexView *self)
{
  ensure_metrics (self);
  return ascii_x (self) + HL_HEX_VIEW_BYTES_PER_LINE * self->char_width + PAD_X;
}

static double
content_height (HlHexView *self)
{
  ensure_metrics (self);
  return 2 * PAD_Y + n_lines (self) * self->line_height;
}

static double
adjustment_value (GtkAdjustment *adjustment)
{
  return adjustment != NULL ? gtk_adjustment_get_value (adjustment) : 0.0;
}

static void
update_accessible (HlHexView *self)
{
  g_autofree char *description = NULL;

  if (self->highlight_length > 0)
    /* xgettext cannot read G_GSIZE_FORMAT: translatable formats use %lu */
    description = g_strdup_printf (_("%lu bytes; bytes %lu to %lu highlighted"),
                                   (gulong) n_bytes (self), (gulong) self->highlight_offset,
                                   (gulong) (self->highlight_offset + self->highlight_length - 1));
  else
    description = g_strdup_printf (ngettext ("%lu byte", "%lu bytes", n_bytes (self)),
                                   (gulong) n_bytes (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
configure_adjustment (GtkAdjustment *adjustment,
                      double         upper,
                      double         page,
                      double         step)
{
  double value;

  if (adjustment == NULL)
    return;
  upper = MAX (upper, page);
  value = CLAMP (gtk_adjustment_get_value (adjustment), 0, upper - page);
  gtk_adjustment_configure (adjustment, value, 0, upper, step, page * 0.9, page);
}

static void
adjustment_value_changed_cb (GtkAdjustment *adjustment,
                             HlHexView     *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (HlHexView      *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment,
                guint           prop_id)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot == adjustment)
    return;
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, adjustment_value_changed_cb, self);
  g_clear_object (slot);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (adjustment_value_changed_cb), self, 0);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify (G_OBJECT (self), prop_id == PROP_HADJUSTMENT ? "hadjustment" : "vadjustment");
}

static void
format_line (HlHexView *self,
             guint      line,
             GString   *offsets,
             GString   *text)
{
  static const char digits[] = "0123456789abcdef";
  gsize size;
  const guint8 *data = g_bytes_get_data (self->bytes, &size);
  gsize start = (gsize) line * HL_HEX_VIEW_BYTES_PER_LINE;
  gsize end = MIN (size, start + HL_HEX_VIEW_BYTES_PER_LINE);

  g_string_truncate (offsets, 0);
  g_string_append_printf (offsets, "%0*" G_GSIZE_MODIFIER "x", offset_digits (self), start);

  g_string_truncate (text, 0);
  for (gsize i = start; i < start + HL_HEX_VIEW_BYTES_PER_LINE; i++)
    {
      if (i - start == 8)
        g_string_append_c (text, ' ');
      if (i < end)
        {
          g_string_append_c (text, digits[data[i] >> 4]);
          g_string_append_c (text, digits[data[i] & 0xf]);
          g_string_append_c (text, ' ');
        }
      else
        g_string_append (text, "   ");
    }
  g_string_append_c (text, ' ');
  for (gsize i = start; i < end; i++)
    g_string_append_c (text, g_ascii_isprint (data[i]) ? (char) data[i] : '.');
}

static void
get_colors (HlHexView *self,
            GdkRGBA   *fg,
            GdkRGBA   *accent)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, fg);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", accent) &&
      !gtk_style_context_lookup_color (context, "theme_selected_bg_color", accent))
    gdk_rgba_parse (accent, "#3584e4");
}

static void
append_range_rects (HlHexView       *self,
                    GtkSnapshot     *snapshot,
                    guint            line,
                    gsize            offset,
                    gsize            length,
                    const GdkRGBA   *color)
{
  gsize line_start = (gsize) line * HL_HEX_VIEW_BYTES_PER_LINE;
  gsize first = MAX (offset, line_start);
  gsize last = MIN (offset + length, line_start + HL_HEX_VIEW_BYTES_PER_LINE);
  double y = PAD_Y + line * self->line_height;
  double cw = self->char_width;
  double x0, x1;

  last = MIN (last, n_bytes (self));
  if (first >= last)
    return;
  last--;

  x0 = hex_column_x (self, first - line_start) - cw / 2;
  x1 = hex_column_x (self, last - line_start) + 2.5 * cw;
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (floor (x0), y, ceil (x1 - x0), self->line_height));
  x0 = ascii_x (self) + (first - line_start) * cw;
  x1 = ascii_x (self) + (last - line_start + 1) * cw;
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (floor (x0), y, ceil (x1 - x0), self->line_height));
}

static void
append_line (HlHexView     *self,
             GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             guint          line,
             GString       *offsets,
             GString       *text,
             const GdkRGBA *fg,
             const GdkRGBA *dim)
{
  double y = PAD_Y + line * self->line_height + LINE_SPACING / 2;

  format_line (self, line, offsets, text);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PAD_X, y));
  pango_layout_set_text (layout, offsets->str, offsets->len);
  gtk_snapshot_append_layout (snapshot, layout, dim);
  gtk_snapshot_restore (snapshot);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (hex_x (self), y));
  pango_layout_set_text (layout, text->str, text->len);
  gtk_snapshot_append_layout (snapshot, layout, fg);
  gtk_snapshot_restore (snapshot);
}

static void
hl_hex_view_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  HlHexView *self = HL_HEX_VIEW (widget);
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(GString) offsets = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  GdkRGBA fg, dim, accent, hover;
  double top = adjustment_value (self->vadjustment);
  double height = gtk_widget_get_height (widget);
  guint first, last;

  if (n_bytes (self) == 0)
    return;

  ensure_metrics (self);
  get_colors (self, &fg, &accent);
  dim = fg;
  dim.alpha *= 0.55;
  hover = fg;
  hover.alpha *= 0.12;
  accent.alpha *= 0.35;

  /* Only the lines in view are drawn; a certificate message has hundreds */
  first = top > PAD_Y ? (guint) ((top - PAD_Y) / self->line_height) : 0;
  last = MIN (n_lines (self), (guint) ((top + height) / self->line_height) + 1);

  layout = gtk_widget_create_pango_layout (widget, NULL);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (-round (adjustment_value (self->hadjustment)),
                                                -round (top)));
  for (guint line = first; line < last; line++)
    {
      if (self->highlight_length > 0)
        append_range_rects (self, snapshot, line, self->highlight_offset,
                            self->highlight_length, &accent);
      if (self->hover != NO_BYTE)
        append_range_rects (self, snapshot, line, self->hover, 1, &hover);
      if (self->cursor != NO_BYTE && gtk_widget_has_focus (widget))
        append_range_rects (self, snapshot, line, self->cursor, 1, &accent);
      append_line (self, snapshot, layout, line, offsets, text, &fg, &dim);
    }
  gtk_snapshot_restore (snapshot);
}

static void
hl_hex_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  HlHexView *self = HL_HEX_VIEW (widget);

  /* Scrolled: a minimum of one line, and the whole content as natural size */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *natural = (int) ceil (content_width (self));
      *minimum = self->hscroll_policy == GTK_SCROLL_MINIMUM ? *natural : (int) (PAD_X * 2);
      *natural = MAX (*natural, *minimum);
    }
  else
    {
      *minimum = (int) ceil (2 * PAD_Y + self->line_height);
      *natural = MAX (*minimum, (int) ceil (content_height (self)));
    }
}

static void
hl_hex_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  HlHexView *self = HL_HEX_VIEW (widget);

  ensure_metrics (self);
  configure_adjustment (self->hadjustment, content_width (self), width, self->char_width);
  configure_adjustment (self->vadjustment, content_height (self), height, self->line_height);
}

static void
hl_hex_view_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  HlHexView *self = HL_HEX_VIEW (widget);

  GTK_WIDGET_CLASS (hl_hex_view_parent_class)->css_changed (widget, change);

  self->char_width = 0;
  gtk_widget_queue_resize (widget);
}

static void
set_cursor (HlHexView *self,
            gsize      cursor,
            gboolean   activate)
{
  graphene_rect_t rect;

  self->cursor = cursor;
  if (hl_hex_view_get_byte_rect (self, cursor, &rect) && self->vadjustment != NULL)
    gtk_adjustment_clamp_page (self->vadjustment,
                               rect.origin.y + adjustment_value (self->vadjustment) - PAD_Y,
                               rect.origin.y + adjustment_value (self->vadjustment)
                               + rect.size.height + PAD_Y);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (activate)
    g_signal_emit (self, signals[BYTE_ACTIVATED], 0, (guint) cursor);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  HlHexView       *self)
{
  gsize offset;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (hl_hex_view_get_byte_at_point (self, x, y, &offset))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      set_cursor (self, offset, TRUE);
    }
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           HlHexView                *self)
{
  gsize offset = NO_BYTE;

  if (!hl_hex_view_get_byte_at_point (self, x, y, &offset))
    offset = NO_BYTE;
  if (offset != self->hover)
    {
      self->hover = offset;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
leave_cb (GtkEventControllerMotion *controller,
          HlHexView                *self)
{
  self->hover = NO_BYTE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Keyboard: the cursor starts at the highlight, and each move activates the
 * byte reached, so the field tree follows the cursor */
static void
move_cursor (HlHexView *self,
             gssize     delta)
{
  gsize size = n_bytes (self);
  gsize cursor = self->cursor != NO_BYTE ? self->cursor : self->highlight_offset;

  if (size == 0)
    return;
  cursor = MIN (cursor, size - 1);
  if (delta < 0 && (gsize) -delta > cursor)
    delta = -(gssize) cursor;
  if (delta > 0 && cursor + delta >= size)
    delta = (gssize) (size - 1 - cursor);
  set_cursor (self, cursor + delta, TRUE);
}

static void
move_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HlHexView *self = HL_HEX_VIEW (widget);
  gssize size = (gssize) n_bytes (self);

  if (g_str_equal (action_name, "hexview.previous-byte"))
    move_cursor (self, -1);
  else if (g_str_equal (action_name, "hexview.next-byte"))
    move_cursor (self, 1);
  else if (g_str_equal (action_name, "hexview.previous-line"))
    move_cursor (self, -HL_HEX_VIEW_BYTES_PER_LINE);
  else if (g_str_equal (action_name, "hexview.next-line"))
    move_cursor (self, HL_HEX_VIEW_BYTES_PER_LINE);
  else if (g_str_equal (action_name, "hexview.first-byte"))
    move_cursor (self, -size);
  else if (g_str_equal (action_name, "hexview.last-byte"))
    move_cursor (self, size);
  else
    move_cursor (self, 0);
}

static void
bind_key (GtkWidgetClass *widget_class,
          guint           keyval,
          guint           keypad_keyval,
          const char     *action)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, 0, action, NULL);
  gtk_widget_class_add_binding_action (widget_class, keypad_keyval, 0, action, NULL);
}

static void
focus_changed_cb (GtkEventControllerFocus *controller,
                  HlHexView               *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
hl_hex_view_dispose (GObject *object)
{
  HlHexView *self = HL_HEX_VIEW (object);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, adjustment_value_changed_cb, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, adjustment_value_changed_cb, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_pointer (&self->bytes, g_bytes_unref);

  G_OBJECT_CLASS (hl_hex_view_parent_class)->dispose (object);
}

static void
hl_hex_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HlHexView *self = HL_HEX_VIEW (object);

  switch (prop_id)
    {
    case PROP_BYTES:
      g_value_set_boxed (value, self->bytes);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_hex_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HlHexView *self = HL_HEX_VIEW (object);

  switch (prop_id)
    {
    case PROP_BYTES:
      hl_hex_view_set_bytes (self, g_value_get_boxed (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value), prop_id);
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value), prop_id);
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_hex_view_class_init (HlHexViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_hex_view_dispose;
  object_class->get_property = hl_hex_view_get_property;
  object_class->set_property = hl_hex_view_set_property;

  widget_class->snapshot = hl_hex_view_snapshot;
  widget_class->measure = hl_hex_view_measure;
  widget_class->size_allocate = hl_hex_view_size_allocate;
  widget_class->css_changed = hl_hex_view_css_changed;

  properties[PROP_BYTES] =
    g_param_spec_boxed ("bytes", NULL, NULL, G_TYPE_BYTES,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * HlHexView::byte-activated:
   * @offset: the byte clicked or reached with the keyboard
   */
  signals[BYTE_ACTIVATED] =
    g_signal_new ("byte-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_install_action (widget_class, "hexview.previous-byte", NULL, move_action_cb);
  gtk_widget_class_install_action (widget_class, "hexview.next-byte", NULL, move_action_cb);
  gtk_widget_class_install_action (widget_class, "hexview.previous-line", NULL, move_action_cb);
  gtk_widget_class_install_action (widget_class, "hexview.next-line", NULL, move_action_cb);
  gtk_widget_class_install_action (widget_class, "hexview.first-byte", NULL, move_action_cb);
  gtk_widget_class_install_action (widget_class, "hexview.last-byte", NULL, move_action_cb);
  gtk_widget_class_install_action (widget_class, "hexview.activate", NULL, move_action_cb);
  bind_key (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, "hexview.previous-byte");
  bind_key (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, "hexview.next-byte");
  bind_key (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, "hexview.previous-line");
  bind_key (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, "hexview.next-line");
  bind_key (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, "hexview.first-byte");
  bind_key (widget_class, GDK_KEY_End, GDK_KEY_KP_End, "hexview.last-byte");
  bind_key (widget_class, GDK_KEY_Return, GDK_KEY_KP_Enter, "hexview.activate");
  bind_key (widget_class, GDK_KEY_space, GDK_KEY_KP_Space, "hexview.activate");

  gtk_widget_class_set_css_name (widget_class, "hexview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hl_hex_view_init (HlHexView *self)
{
  GtkEventController *controller;
  GtkGesture *click;

  self->hover = NO_BYTE;
  self->cursor = NO_BYTE;

  gtk_widget_add_css_class (GTK_WIDGET (self), "monospace");
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "default");

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (focus_changed_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Message bytes"),
                                  -1);
  update_accessible (self);
}

/**
 * hl_hex_view_new:
 *
 * Returns: (transfer full): a new, empty hex view
 */
GtkWidget *
hl_hex_view_new (void)
{
  return g_object_new (HL_TYPE_HEX_VIEW, NULL);
}

/**
 * hl_hex_view_set_bytes:
 * @bytes: (nullable): the bytes to show
 *
 * Shows @bytes from the top, with no highlight.
 */
void
hl_hex_view_set_bytes (HlHexView *self,
                       GBytes    *bytes)
{
  g_return_if_fail (HL_IS_HEX_VIEW (self));

  if (self->bytes == bytes)
    return;

  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;
  self->highlight_offset = 0;
  self->highlight_length = 0;
  self->hover = NO_BYTE;
  self->cursor = NO_BYTE;
  if (self->vadjustment != NULL)
    gtk_adjustment_set_value (self->vadjustment, 0);
  if (self->hadjustment != NULL)
    gtk_adjustment_set_value (self->hadjustment, 0);
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES]);
}

/**
 * hl_hex_view_get_bytes:
 *
 * Returns: (transfer none) (nullable): the bytes shown
 */
GBytes *
hl_hex_view_get_bytes (HlHexView *self)
{
  g_return_val_if_fail (HL_IS_HEX_VIEW (self), NULL);
  return self->bytes;
}

/**
 * hl_hex_view_set_highlight:
 * @offset: the first byte to highlight
 * @length: how many bytes, 0 for none
 *
 * Highlights a byte range (clipped to the bytes shown) and scrolls it into view.
 */
void
hl_hex_view_set_highlight (HlHexView *self,
                           gsize      offset,
                           gsize      length)
{
  graphene_rect_t first_rect, last_rect;
  gsize size;

  g_return_if_fail (HL_IS_HEX_VIEW (self));

  size = n_bytes (self);
  offset = MIN (offset, size);
  length = MIN (length, size - offset);
  if (length == 0)
    offset = 0;
  if (self->highlight_offset == offset && self->highlight_length == length)
    return;

  self->highlight_offset = offset;
  self->highlight_length = length;

  if (length > 0 && self->vadjustment != NULL &&
      hl_hex_view_get_byte_rect (self, offset + length - 1, &last_rect) &&
      hl_hex_view_get_byte_rect (self, offset, &first_rect))
    {
      double top = adjustment_value (self->vadjustment);

      /* Shows the end first, then the start, so a long range shows its beginning */
      gtk_adjustment_clamp_page (self->vadjustment,
                                 last_rect.origin.y + top,
                                 last_rect.origin.y + top + last_rect.size.height + PAD_Y);
      gtk_adjustment_clamp_page (self->vadjustment,
                                 first_rect.origin.y + top - PAD_Y,
                                 first_rect.origin.y + top + first_rect.size.height);
    }
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * hl_hex_view_get_highlight:
 * @offset: (out) (optional): the first highlighted byte
 * @length: (out) (optional): how many are highlighted (0: none)
 */
void
hl_hex_view_get_highlight (HlHexView *self,
                           gsize     *offset,
                           gsize     *length)
{
  g_return_if_fail (HL_IS_HEX_VIEW (self));

  if (offset != NULL)
    *offset = self->highlight_offset;
  if (length != NULL)
    *length = self->highlight_length;
}

/**
 * hl_hex_view_get_byte_at_point:
 * @x: widget coordinate
 * @y: widget coordinate
 * @offset: (out) (optional): the byte drawn there, in its hex or ASCII column
 *
 * Returns: whether a byte is drawn at (@x, @y)
 */
gboolean
hl_hex_view_get_byte_at_point (HlHexView *self,
                               double     x,
                               double     y,
                               gsize     *offset)
{
  double cw;
  gssize line, column = -1;
  gsize byte;

  g_return_val_if_fail (HL_IS_HEX_VIEW (self), FALSE);

  ensure_metrics (self);
  cw = self->char_width;
  x += adjustment_value (self->hadjustment);
  y += adjustment_value (self->vadjustment);
  if (y < PAD_Y || n_bytes (self) == 0)
    return FALSE;
  line = (gssize) ((y - PAD_Y) / self->line_height);

  if (x >= ascii_x (self) && x < ascii_x (self) + HL_HEX_VIEW_BYTES_PER_LINE * cw)
    column = (gssize) ((x - ascii_x (self)) / cw);
  else
    /* Each hex pair owns the space around it, so every click hits a byte */
    for (guint c = 0; c < HL_HEX_VIEW_BYTES_PER_LINE; c++)
      if (x >= hex_column_x (self, c) - cw / 2 && x < hex_column_x (self, c) + 2.5 * cw)
        column = c;

  if (column < 0)
    return FALSE;
  byte = (gsize) line * HL_HEX_VIEW_BYTES_PER_LINE + column;
  if (byte >= n_bytes (self))
    return FALSE;
  if (offset != NULL)
    *offset = byte;
  return TRUE;
}

/**
 * hl_hex_view_get_byte_rect:
 * @offset: a byte offset
 * @rect: (out): where its hex pair is drawn, in widget coordinates
 *
 * Returns: whether @offset is a byte shown
 */
gboolean
hl_hex_view_get_byte_rect (HlHexView       *self,
                           gsize            offset,
                           graphene_rect_t *rect)
{
  guint line, column;

  g_return_val_if_fail (HL_IS_HEX_VIEW (self), FALSE);
  g_return_val_if_fail (rect != NULL, FALSE);

  if (offset >= n_bytes (self))
    return FALSE;
  ensure_metrics (self);
  line = offset / HL_HEX_VIEW_BYTES_PER_LINE;
  column = offset % HL_HEX_VIEW_BYTES_PER_LINE;
  graphene_rect_init (rect,
                      hex_column_x (self, column) - adjustment_value (self->hadjustment),
                      PAD_Y + line * self->line_height - adjustment_value (self->vadjustment),
                      2 * self->char_width,
                      self->line_height);
  return TRUE;
}

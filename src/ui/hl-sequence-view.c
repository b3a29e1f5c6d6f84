/* hl-sequence-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A header that draws the lifeline heads over a GtkListView of
 * custom-drawn rows (Sysprof's mark chart is built the same way): the list
 * gives virtualisation, selection, keyboard navigation and accessibility;
 * the rows draw the diagram.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-sequence-header.h"
#include "hl-sequence-row.h"
#include "hl-sequence-view-private.h"

struct _HlSequenceView
{
  GtkWidget           parent_instance;

  HlSequenceHeader   *header;
  GtkScrolledWindow  *scroller;
  GtkListView        *list_view;

  GtkSingleSelection *selection;
  HlDiagramRow       *selected_row;

  gboolean            follow;
  gboolean            select_newest;
  gboolean            scroll_waits;
  double              last_value;
  guint               follow_idle_id;
  guint               focus_idle_id;
  GdkFrameClock      *frame_clock;
  gulong              layout_id;

  gint64              drawn_frame;
  guint               n_drawing;
  guint               n_drawn;
};

G_DEFINE_FINAL_TYPE (HlSequenceView, hl_sequence_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED,
  PROP_SELECTED_EVENT,
  PROP_FOLLOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Shared with the header and the rows */

double
hl_sequence_lifeline_x (int    width,
                        HlSide side)
{
  double inset = MAX (150.0, width * 0.22);

  /* never cross over on a very narrow view */
  inset = MIN (inset, width / 2.0 - 60);
  return side == HL_SIDE_CLIENT ? inset : width - inset;
}

void
hl_sequence_colors_load (GtkWidget        *widget,
                         HlSequenceColors *colors)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (context, &colors->fg);
  colors->dim = colors->fg;
  colors->dim.alpha *= 0.6;
  colors->faint = colors->fg;
  colors->faint.alpha *= 0.2;

  /* libadwaita's named colours follow the light and dark styles */
  if (!gtk_style_context_lookup_color (context, "accent_color", &colors->accent))
    colors->accent = (GdkRGBA) { 0.11, 0.44, 0.85, 1.0 };
  if (!gtk_style_context_lookup_color (context, "error_color", &colors->error))
    colors->error = (GdkRGBA) { 0.75, 0.11, 0.16, 1.0 };
  if (!gtk_style_context_lookup_color (context, "success_color", &colors->success))
    colors->success = (GdkRGBA) { 0.15, 0.64, 0.41, 1.0 };
}

void
_hl_sequence_view_row_drawn (HlSequenceView *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  gint64 frame = clock != NULL ? gdk_frame_clock_get_frame_counter (clock) : 0;

  if (frame != self->drawn_frame)
    {
      self->drawn_frame = frame;
      self->n_drawing = 0;
    }
  self->n_drawn = ++self->n_drawing;
}

/* Selection */

static void
update_accessible (HlSequenceView *self)
{
  g_autofree char *description = NULL;

  if (self->selected_row != NULL)
    description = hl_diagram_row_dup_description (self->selected_row);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : "",
                                  -1);
}

static void
selection_changed_cb (HlSequenceView *self)
{
  HlDiagramRow *row = gtk_single_selection_get_selected_item (self->selection);

  if (row == self->selected_row)
    return;

  g_set_object (&self->selected_row, row);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_EVENT]);
}

static void
scroll_to (HlSequenceView *self,
           guint           position)
{
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

/* The list item showing @position, when the list has made one */
static GtkWidget *
find_item_widget (HlSequenceView *self,
                  guint           position)
{
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);
      HlDiagramRow *row = HL_IS_SEQUENCE_ROW (child) ? hl_sequence_row_get_row (HL_SEQUENCE_ROW (child)) : NULL;

      if (row != NULL && hl_diagram_row_get_index (row) == position)
        return item;
    }
  return NULL;
}

static gboolean
focus_selected_cb (gpointer data)
{
  HlSequenceView *self = data;
  GtkWidget *item = find_item_widget (self, gtk_single_selection_get_selected (self->selection));

  self->focus_idle_id = 0;
  if (item != NULL)
    gtk_widget_grab_focus (item);
  return G_SOURCE_REMOVE;
}

/* Keys move the focus with the selection, as the list itself would */
static void
focus_selected (HlSequenceView *self)
{
  GtkWidget *item = find_item_widget (self, gtk_single_selection_get_selected (self->selection));

  if (item != NULL)
    gtk_widget_grab_focus (item);
  else if (self->focus_idle_id == 0)
    self->focus_idle_id = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, focus_selected_cb, self, NULL);
}

static void
move_selection (HlSequenceView *self,
                int             delta,
                gboolean        absolute)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint current = gtk_single_selection_get_selected (self->selection);
  gint64 target;

  if (n == 0)
    return;

  if (absolute)
    target = delta < 0 ? 0 : (gint64) n - 1;
  else if (current == GTK_INVALID_LIST_POSITION)
    target = 0;
  else
    target = (gint64) current + delta;

  hl_sequence_view_set_selected (self, (guint) CLAMP (target, 0, (gint64) n - 1));
  focus_selected (self);
}

static int
page_rows (HlSequenceView *self)
{
  return MAX (1, gtk_widget_get_height (GTK_WIDGET (self->list_view)) / HL_SEQUENCE_ROW_HEIGHT - 1);
}

static void
select_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (widget);

  if (g_str_equal (action_name, "sequence.select-next"))
    move_selection (self, 1, FALSE);
  else if (g_str_equal (action_name, "sequence.select-previous"))
    move_selection (self, -1, FALSE);
  else if (g_str_equal (action_name, "sequence.select-first"))
    move_selection (self, -1, TRUE);
  else if (g_str_equal (action_name, "sequence.select-last"))
    move_selection (self, 1, TRUE);
  else if (g_str_equal (action_name, "sequence.select-page-down"))
    move_selection (self, page_rows (self), FALSE);
  else if (g_str_equal (action_name, "sequence.select-page-up"))
    move_selection (self, -page_rows (self), FALSE);
}

/* Following new rows */

static gboolean
follow_idle_cb (gpointer data)
{
  HlSequenceView *self = data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->follow_idle_id = 0;
  if (self->follow && n > 0)
    {
      if (self->select_newest)
        gtk_single_selection_set_selected (self->selection, n - 1);
      /* A list that has no size yet loses the scroll (a capture may well
       * be over before the first frame of its window): the scroll waits
       * for the list's first allocation */
      self->scroll_waits = gtk_adjustment_get_page_size (vadjustment) <= 0;
      if (!self->scroll_waits)
        scroll_to (self, n - 1);
    }
  self->select_newest = FALSE;
  return G_SOURCE_REMOVE;
}

/* Rows out of the list's view draw nothing, and GTK keeps that drawing as
 * they move: those that may come into view draw again */
static void
redraw_empty_rows (HlSequenceView *self)
{
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);

      if (HL_IS_SEQUENCE_ROW (child))
        _hl_sequence_row_redraw_if_empty (HL_SEQUENCE_ROW (child));
    }
}

static void
adjustment_changed_cb (HlSequenceView *self,
                       GtkAdjustment  *adjustment)
{
  /* a taller list shows more rows */
  redraw_empty_rows (self);
  if (!self->scroll_waits || gtk_adjustment_get_page_size (adjustment) <= 0)
    return;

  /* the list is allocating: scroll once it is done */
  self->scroll_waits = FALSE;
  if (self->follow_idle_id == 0)
    self->follow_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, follow_idle_cb, self, NULL);
}

/* GTK's list keeps a scroll as an anchor that it applies at its next
 * allocation, and any scroll event before then sets the anchor again from
 * where the list still is: a scroll to the newest row can be lost that
 * way. Whatever moved the list, a view that follows is at its newest row
 * when a frame is painted. This runs in the frame's layout phase, after
 * GTK's own layout (the list is allocated, so the value is exact): a
 * scroll asks for layout again, which the frame clock does before it
 * paints, so new rows show in the frame that lays them out. Scrolled
 * after painting, they showed a frame later (a new session page's rows
 * always did, its list having had no size before). */
static void
layout_cb (HlSequenceView *self)
{
  GtkAdjustment *vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double page, bottom;

  if (self->follow_idle_id != 0)
    {
      g_source_remove (self->follow_idle_id);
      follow_idle_cb (self);
    }
  page = gtk_adjustment_get_page_size (vadjustment);
  bottom = gtk_adjustment_get_upper (vadjustment) - page;
  if (!self->follow || self->scroll_waits || page <= 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0)
    return;
  if (gtk_adjustment_get_value (vadjustment) < bottom - 0.5)
    gtk_adjustment_set_value (vadjustment, bottom);
}

static void
rows_changed_cb (HlSequenceView *self,
                 guint           position,
                 guint           removed,
                 guint           added,
                 GListModel     *model)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (!self->follow || added <= removed)
    return;

  /* a selection that was on the newest row moves on with it, so that a
   * live capture or a playback shows each message as it comes */
  if (model != NULL && position + added == n &&
      (selected == GTK_INVALID_LIST_POSITION || selected + 1 >= position))
    self->select_newest = TRUE;
  if (self->follow_idle_id == 0)
    self->follow_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, follow_idle_cb, self, NULL);
}

static void
scrolled_cb (HlSequenceView *self,
             GtkAdjustment  *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  gboolean follow = self->follow;

  redraw_empty_rows (self);
  /* scrolling up leaves the live end; coming back to it follows again */
  if (value >= bottom - HL_SEQUENCE_ROW_HEIGHT / 2.0)
    follow = TRUE;
  else if (value < self->last_value)
    follow = FALSE;
  self->last_value = value;

  if (follow != self->follow)
    {
      self->follow = follow;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
    }
}

/* The rows */

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  HlSequenceView           *self)
{
  gtk_list_item_set_child (item, hl_sequence_row_new ());
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 HlSequenceView           *self)
{
  hl_sequence_row_set_row (HL_SEQUENCE_ROW (gtk_list_item_get_child (item)),
                           gtk_list_item_get_item (item));
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   HlSequenceView           *self)
{
  hl_sequence_row_set_row (HL_SEQUENCE_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
hl_sequence_view_realize (GtkWidget *widget)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (widget);

  GTK_WIDGET_CLASS (hl_sequence_view_parent_class)->realize (widget);
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  /* after the toplevel's own layout, connected when its surface was made */
  self->layout_id = g_signal_connect_swapped (self->frame_clock, "layout", G_CALLBACK (layout_cb), self);
}

static void
hl_sequence_view_unrealize (GtkWidget *widget)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (widget);

  g_clear_signal_handler (&self->layout_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
  GTK_WIDGET_CLASS (hl_sequence_view_parent_class)->unrealize (widget);
}

static void
hl_sequence_view_dispose (GObject *object)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (object);

  g_clear_handle_id (&self->follow_idle_id, g_source_remove);
  g_clear_handle_id (&self->focus_idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_SEQUENCE_VIEW);
  g_clear_object (&self->selected_row);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (hl_sequence_view_parent_class)->dispose (object);
}

static void
hl_sequence_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, hl_sequence_view_get_model (self));
      break;
    case PROP_SELECTED:
      g_value_set_uint (value, hl_sequence_view_get_selected (self));
      break;
    case PROP_SELECTED_EVENT:
      g_value_set_object (value, hl_sequence_view_get_selected_event (self));
      break;
    case PROP_FOLLOW:
      g_value_set_boolean (value, self->follow);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hl_sequence_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  HlSequenceView *self = HL_SEQUENCE_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      hl_sequence_view_set_model (self, g_value_get_object (value));
      break;
    case PROP_SELECTED:
      hl_sequence_view_set_selected (self, g_value_get_uint (value));
      break;
    case PROP_FOLLOW:
      hl_sequence_view_set_follow (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_key (GtkShortcutController *controller,
         guint                  keyval,
         const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (keyval, 0),
                                                          gtk_named_action_new (action)));
}

static void
hl_sequence_view_class_init (HlSequenceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char *actions[] = {
    "sequence.select-next", "sequence.select-previous",
    "sequence.select-first", "sequence.select-last",
    "sequence.select-page-down", "sequence.select-page-up",
  };

  object_class->dispose = hl_sequence_view_dispose;
  object_class->get_property = hl_sequence_view_get_property;
  object_class->set_property = hl_sequence_view_set_property;
  widget_class->realize = hl_sequence_view_realize;
  widget_class->unrealize = hl_sequence_view_unrealize;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_uint ("selected", NULL, NULL, 0, G_MAXUINT, GTK_INVALID_LIST_POSITION,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_EVENT] =
    g_param_spec_object ("selected-event", NULL, NULL, HL_TYPE_EVENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOW] =
    g_param_spec_boolean ("follow", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (HL_TYPE_SEQUENCE_HEADER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/handshakelens/HandshakeLens/hl-sequence-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HlSequenceView, header);
  gtk_widget_class_bind_template_child (widget_class, HlSequenceView, scroller);
  gtk_widget_class_bind_template_child (widget_class, HlSequenceView, list_view);
  gtk_widget_class_bind_template_callback (widget_class, factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, factory_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, factory_unbind_cb);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, select_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sequenceview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hl_sequence_view_init (HlSequenceView *self)
{
  GtkAdjustment *vadjustment;
  GtkEventController *controller;
  GtkShortcutController *shortcuts;

  self->follow = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_single_selection_set_can_unselect (self->selection, FALSE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (rows_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (vadjustment, "value-changed",
                           G_CALLBACK (scrolled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vadjustment, "changed",
                           G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);

  /* The list moves its own focus with the arrow keys; ours come first, in
   * the capture phase, so keys, clicks and the selection always agree. */
  controller = gtk_shortcut_controller_new ();
  shortcuts = GTK_SHORTCUT_CONTROLLER (controller);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  add_key (shortcuts, GDK_KEY_Down, "sequence.select-next");
  add_key (shortcuts, GDK_KEY_KP_Down, "sequence.select-next");
  add_key (shortcuts, GDK_KEY_Up, "sequence.select-previous");
  add_key (shortcuts, GDK_KEY_KP_Up, "sequence.select-previous");
  add_key (shortcuts, GDK_KEY_Home, "sequence.select-first");
  add_key (shortcuts, GDK_KEY_End, "sequence.select-last");
  add_key (shortcuts, GDK_KEY_Page_Down, "sequence.select-page-down");
  add_key (shortcuts, GDK_KEY_Page_Up, "sequence.select-page-up");
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sequence diagram"),
                                  -1);
}

GtkWidget *
hl_sequence_view_new (void)
{
  return g_object_new (HL_TYPE_SEQUENCE_VIEW, NULL);
}

/**
 * hl_sequence_view_get_model:
 *
 * Returns: (transfer none) (nullable): the rows, a #GListModel of #HlDiagramRow
 */
GListModel *
hl_sequence_view_get_model (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), NULL);
  return gtk_single_selection_get_model (self->selection);
}

void
hl_sequence_view_set_model (HlSequenceView *self,
                            GListModel     *rows)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));
  g_return_if_fail (rows == NULL || G_IS_LIST_MODEL (rows));

  if (hl_sequence_view_get_model (self) == rows)
    return;

  self->last_value = 0;
  gtk_single_selection_set_model (self->selection, rows);
  selection_changed_cb (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

guint
hl_sequence_view_get_selected (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), GTK_INVALID_LIST_POSITION);
  return gtk_single_selection_get_selected (self->selection);
}

void
hl_sequence_view_set_selected (HlSequenceView *self,
                               guint           position)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));

  gtk_single_selection_set_selected (self->selection, position);
  if (position != GTK_INVALID_LIST_POSITION &&
      position < g_list_model_get_n_items (G_LIST_MODEL (self->selection)))
    scroll_to (self, position);
}

/**
 * hl_sequence_view_get_selected_row:
 *
 * Returns: (transfer none) (nullable): the selected row
 */
HlDiagramRow *
hl_sequence_view_get_selected_row (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), NULL);
  return self->selected_row;
}

/**
 * hl_sequence_view_get_selected_event:
 *
 * Returns: (transfer none) (nullable): the event of the selected row
 */
HlEvent *
hl_sequence_view_get_selected_event (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), NULL);
  return self->selected_row != NULL ? hl_diagram_row_get_event (self->selected_row) : NULL;
}

gboolean
hl_sequence_view_get_follow (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), FALSE);
  return self->follow;
}

/**
 * hl_sequence_view_set_follow:
 *
 * Whether new rows scroll into view. Scrolling away from the end turns it
 * off, scrolling back to the end turns it on again.
 */
void
hl_sequence_view_set_follow (HlSequenceView *self,
                             gboolean        follow)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));

  follow = !!follow;
  if (self->follow == follow)
    return;
  self->follow = follow;
  if (follow)
    rows_changed_cb (self, 0, 0, 1, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW]);
}

void
hl_sequence_view_set_titles (HlSequenceView *self,
                             const char     *client,
                             const char     *server)
{
  g_return_if_fail (HL_IS_SEQUENCE_VIEW (self));
  hl_sequence_header_set_titles (self->header, client, server);
}

guint
hl_sequence_view_get_n_drawn_rows (HlSequenceView *self)
{
  g_return_val_if_fail (HL_IS_SEQUENCE_VIEW (self), 0);
  return self->n_drawn;
}

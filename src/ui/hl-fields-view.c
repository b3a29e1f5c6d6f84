/* hl-fields-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "hl-field-item.h"
#include "hl-fields-view.h"
#include "hl-registry.h"

struct _HlFieldsView
{
  GtkWidget            parent_instance;

  HlEvent             *event;
  HlField             *root;
  GtkTreeListModel    *tree;
  GtkSingleSelection  *selection;

  GtkStack            *stack;
  AdwStatusPage       *empty_page;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *offset_column;
  HlHexView           *hex_view;
};

G_DEFINE_FINAL_TYPE (HlFieldsView, hl_fields_view, GTK_TYPE_WIDGET)

static HlField *
item_get_field (GtkListItem *item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  g_autoptr(HlFieldItem) field = gtk_tree_list_row_get_item (row);

  /* the row keeps its item alive as long as the list item shows it */
  return hl_field_item_get_field (field);
}

static char *
dup_offset_text (HlField *field)
{
  return g_strdup_printf (_("Starts at byte %lu of the message"),
                          (gulong) hl_field_get_offset (field));
}

/* Tooltips are built when asked: gtk_widget_set_tooltip_text() on each
 * bind queried the pointer on the display every time. What it also did,
 * describe the label to assistive technologies, the binds still do. */
static void
set_description (GtkWidget  *label,
                 const char *text)
{
  if (text != NULL && *text != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

/* Which text a label's tooltip shows */
typedef enum
{
  TOOLTIP_NAME,
  TOOLTIP_VALUE,
  TOOLTIP_OFFSET,
} TooltipKind;

static gboolean
query_tooltip_cb (GtkWidget   *label,
                  int          x,
                  int          y,
                  gboolean     keyboard_tooltip,
                  GtkTooltip  *tooltip,
                  GtkListItem *item)
{
  TooltipKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "hl-tooltip-kind"));
  g_autofree char *offset = NULL;
  const char *text = NULL;
  HlField *field;

  if (gtk_list_item_get_item (item) == NULL)
    return FALSE;
  field = item_get_field (item);
  switch (kind)
    {
    case TOOLTIP_NAME:
      text = hl_field_get_name (field);
      break;
    case TOOLTIP_VALUE:
      text = hl_field_get_value (field);
      break;
    case TOOLTIP_OFFSET:
      text = offset = dup_offset_text (field);
      break;
    default:
      g_assert_not_reached ();
    }
  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* Tooltips built when asked: a label is bound far more often than anyone
 * hovers it */
static void
lazy_tooltip (GtkWidget   *label,
              GtkListItem *item,
              TooltipKind  kind)
{
  gtk_widget_set_has_tooltip (label, TRUE);
  g_object_set_data (G_OBJECT (label), "hl-tooltip-kind", GUINT_TO_POINTER (kind));
  g_signal_connect_object (label, "query-tooltip", G_CALLBACK (query_tooltip_cb), item, 0);
}

static void
name_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               HlFieldsView             *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  lazy_tooltip (label, item, TOOLTIP_NAME);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
  gtk_list_item_set_child (item, expander);
}

static void
name_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              HlFieldsView             *self)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (item));
  GtkWidget *label = gtk_tree_expander_get_child (expander);
  HlField *field = item_get_field (item);

  gtk_tree_expander_set_list_row (expander, gtk_list_item_get_item (item));
  gtk_label_set_label (GTK_LABEL (label), hl_field_get_name (field));
  set_description (label, hl_field_get_name (field));
  if (hl_field_is_error (field))
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

static void
name_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                HlFieldsView             *self)
{
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (item)), NULL);
}

static void
value_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                HlFieldsView             *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  lazy_tooltip (label, item, TOOLTIP_VALUE);
  gtk_list_item_set_child (item, label);
}

static void
value_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               HlFieldsView             *self)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  HlField *field = item_get_field (item);
  const char *value = hl_field_get_value (field);

  gtk_label_set_label (GTK_LABEL (label), value != NULL ? value : "");
  set_description (label, value);
  if (hl_field_is_error (field))
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

static void
number_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 HlFieldsView             *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "dim-label");
  if (factory == GTK_SIGNAL_LIST_ITEM_FACTORY (gtk_column_view_column_get_factory (self->offset_column)))
    lazy_tooltip (label, item, TOOLTIP_OFFSET);
  gtk_list_item_set_child (item, label);
}

static void
offset_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                HlFieldsView             *self)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  HlField *field = item_get_field (item);
  g_autofree char *text = NULL;
  g_autofree char *description = dup_offset_text (field);

  /* in hex, like the offsets of the hex view */
  text = g_strdup_printf ("%04" G_GSIZE_MODIFIER "x", hl_field_get_offset (field));
  gtk_label_set_label (GTK_LABEL (label), text);
  set_description (label, description);
}

static void
length_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                HlFieldsView             *self)
{
  HlField *field = item_get_field (item);
  g_autofree char *text = NULL;

  text = g_strdup_printf ("%" G_GSIZE_FORMAT, hl_field_get_length (field));
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  return hl_field_item_get_children (HL_FIELD_ITEM (item));
}

static void
selection_changed_cb (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      HlFieldsView       *self)
{
  HlField *field = hl_fields_view_get_selected_field (self);

  if (field != NULL)
    hl_hex_view_set_highlight (self->hex_view,
                               hl_field_get_offset (field), hl_field_get_length (field));
  else
    hl_hex_view_set_highlight (self->hex_view, 0, 0);
}

static void
byte_activated_cb (HlHexView    *hex_view,
                   guint         offset,
                   HlFieldsView *self)
{
  if (hl_fields_view_select_offset (self, offset) == NULL)
    hl_hex_view_set_highlight (self->hex_view, offset, 1);
}

/* The list view inside the column view: GTK 4.8 has no
 * gtk_column_view_scroll_to(), but the list view's action does it. */
static void
scroll_to_position (HlFieldsView *self,
                    guint         position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

/* A record has no decoder of its own: its 5-byte header is simple enough */
static HlField *
record_fields (HlEvent *event)
{
  GBytes *raw = hl_event_get_raw (event);
  gsize size = g_bytes_get_size (raw);
  const char *type_name = hl_registry_content_type_name (hl_event_get_content_type (event));
  const char *version_name = hl_registry_version_name (hl_event_get_record_version (event));
  g_autoptr(HlField) root = hl_field_new ("TLSPlaintext", NULL, 0, size);
  g_autofree char *type = NULL;
  g_autofree char *version = NULL;
  g_autofree char *length = NULL;

  if (size < 5)
    {
      hl_field_append (root, hl_field_new_error (_("record shorter than its 5-byte header"), 0, size));
      return g_steal_pointer (&root);
    }
  type = g_strdup_printf ("%s (%u)", type_name ? type_name : "unknown",
                          hl_event_get_content_type (event));
  version = g_strdup_printf ("%s (0x%04x)", version_name ? version_name : "unknown",
                             hl_event_get_record_version (event));
  length = g_strdup_printf ("%" G_GSIZE_FORMAT, size - 5);
  hl_field_append (root, hl_field_new ("type", type, 0, 1));
  hl_field_append (root, hl_field_new ("legacy_record_version", version, 1, 2));
  hl_field_append (root, hl_field_new ("length", length, 3, 2));
  if (size > 5)
    hl_field_append (root, hl_field_new ("fragment", NULL, 5, size - 5));
  return g_steal_pointer (&root);
}

static void
set_root (HlFieldsView *self,
          HlField      *root)
{
  g_autoptr(GListStore) store = g_list_store_new (HL_TYPE_FIELD_ITEM);
  g_autoptr(GtkTreeListRow) row = NULL;

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, selection_changed_cb, self);
  if (root != NULL)
    {
      g_autoptr(HlFieldItem) item = hl_field_item_new (root);

      hl_field_ref (root);
      g_list_store_append (store, item);
    }
  g_clear_pointer (&self->root, hl_field_unref);
  self->root = root;

  self->tree = gtk_tree_list_model_new (g_object_ref (G_LIST_MODEL (store)), FALSE, FALSE,
                                        create_children_cb, NULL, NULL);
  /* the selection takes the tree, the view holds the selection */
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->tree));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect (self->selection, "notify::selected",
                    G_CALLBACK (selection_changed_cb), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_object_unref (self->selection);

  /* The message's own fields are what one wants to see first */
  row = gtk_tree_list_model_get_row (self->tree, 0);
  if (row != NULL)
    gtk_tree_list_row_set_expanded (row, TRUE);
}

static void
hl_fields_view_dispose (GObject *object)
{
  HlFieldsView *self = HL_FIELDS_VIEW (object);

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_func (self->selection, selection_changed_cb, self);
  self->selection = NULL;
  self->tree = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_FIELDS_VIEW);
  g_clear_object (&self->event);
  g_clear_pointer (&self->root, hl_field_unref);

  G_OBJECT_CLASS (hl_fields_view_parent_class)->dispose (object);
}

static void
hl_fields_view_class_init (HlFieldsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_fields_view_dispose;

  g_type_ensure (HL_TYPE_HEX_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/handshakelens/HandshakeLens/hl-fields-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HlFieldsView, stack);
  gtk_widget_class_bind_template_child (widget_class, HlFieldsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, HlFieldsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, HlFieldsView, offset_column);
  gtk_widget_class_bind_template_child (widget_class, HlFieldsView, hex_view);
  gtk_widget_class_bind_template_callback (widget_class, name_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, value_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, value_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, number_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, offset_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, length_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, byte_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fieldsview");
}

static void
hl_fields_view_init (HlFieldsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_root (self, NULL);
}

GtkWidget *
hl_fields_view_new (void)
{
  return g_object_new (HL_TYPE_FIELDS_VIEW, NULL);
}

/**
 * hl_fields_view_set_event:
 * @event: (nullable): the event to show
 *
 * Shows the field tree and bytes of a handshake message or record.
 */
void
hl_fields_view_set_event (HlFieldsView *self,
                          HlEvent      *event)
{
  g_autoptr(HlField) root = NULL;
  GBytes *raw = NULL;

  g_return_if_fail (HL_IS_FIELDS_VIEW (self));
  g_return_if_fail (event == NULL || HL_IS_EVENT (event));

  if (self->event == event)
    return;
  g_set_object (&self->event, event);

  if (event != NULL)
    raw = hl_event_get_raw (event);
  if (event != NULL && hl_event_get_kind (event) == HL_EVENT_HANDSHAKE)
    root = hl_field_ref (hl_event_get_fields (event));
  else if (event != NULL && hl_event_get_kind (event) == HL_EVENT_RECORD)
    root = record_fields (event);

  hl_hex_view_set_bytes (self->hex_view, raw);
  set_root (self, root);
  gtk_stack_set_visible_child_name (self->stack, raw != NULL ? "fields" : "empty");
}

/**
 * hl_fields_view_get_hex_view:
 *
 * Returns: (transfer none): the hex view under the tree
 */
HlHexView *
hl_fields_view_get_hex_view (HlFieldsView *self)
{
  g_return_val_if_fail (HL_IS_FIELDS_VIEW (self), NULL);
  return self->hex_view;
}

/**
 * hl_fields_view_get_root:
 *
 * Returns: (transfer none) (nullable): the root of the tree shown
 */
HlField *
hl_fields_view_get_root (HlFieldsView *self)
{
  g_return_val_if_fail (HL_IS_FIELDS_VIEW (self), NULL);
  return self->root;
}

/**
 * hl_fields_view_get_selected_field:
 *
 * Returns: (transfer none) (nullable): the field selected in the tree
 */
HlField *
hl_fields_view_get_selected_field (HlFieldsView *self)
{
  GtkTreeListRow *row;
  g_autoptr(HlFieldItem) item = NULL;

  g_return_val_if_fail (HL_IS_FIELDS_VIEW (self), NULL);

  row = self->selection != NULL ? gtk_single_selection_get_selected_item (self->selection) : NULL;
  if (row == NULL)
    return NULL;
  item = gtk_tree_list_row_get_item (row);
  /* the row, held by the model, keeps the item and its field alive */
  return hl_field_item_get_field (item);
}

static gboolean
collect_path (HlField   *node,
              HlField   *target,
              GPtrArray *path)
{
  g_ptr_array_add (path, node);
  if (node == target)
    return TRUE;
  for (guint i = 0; i < hl_field_get_n_children (node); i++)
    if (collect_path (hl_field_get_child (node, i), target, path))
      return TRUE;
  g_ptr_array_remove_index (path, path->len - 1);
  return FALSE;
}

/**
 * hl_fields_view_select_field:
 * @field: a field of the tree shown
 *
 * Selects @field, expanding its ancestors and scrolling to it; the hex view
 * highlights its bytes.
 *
 * Returns: whether @field is in the tree
 */
gboolean
hl_fields_view_select_field (HlFieldsView *self,
                             HlField      *field)
{
  g_autoptr(GPtrArray) path = g_ptr_array_new ();
  g_autoptr(GtkTreeListRow) row = NULL;

  g_return_val_if_fail (HL_IS_FIELDS_VIEW (self), FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  if (self->root == NULL || !collect_path (self->root, field, path))
    return FALSE;

  row = gtk_tree_list_model_get_row (self->tree, 0);
  for (guint i = 1; i < path->len && row != NULL; i++)
    {
      HlField *parent = g_ptr_array_index (path, i - 1);
      guint index = 0;

      while (hl_field_get_child (parent, index) != g_ptr_array_index (path, i))
        index++;
      gtk_tree_list_row_set_expanded (row, TRUE);
      g_set_object (&row, gtk_tree_list_row_get_child_row (row, index));
    }
  g_return_val_if_fail (row != NULL, FALSE);

  gtk_single_selection_set_selected (self->selection, gtk_tree_list_row_get_position (row));
  scroll_to_position (self, gtk_tree_list_row_get_position (row));
  return TRUE;
}

/**
 * hl_fields_view_select_offset:
 * @offset: a byte offset in the message
 *
 * Selects the deepest field covering @offset (what a click in the hex view
 * does).
 *
 * Returns: (transfer none) (nullable): the field selected
 */
HlField *
hl_fields_view_select_offset (HlFieldsView *self,
                              gsize         offset)
{
  HlField *field;

  g_return_val_if_fail (HL_IS_FIELDS_VIEW (self), NULL);

  if (self->root == NULL)
    return NULL;
  field = hl_field_find_at_offset (self->root, offset);
  if (field == NULL || !hl_fields_view_select_field (self, field))
    return NULL;
  return field;
}

/* hl-field-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-field-item.h"

/* Field trees are plain nodes, decoded by the hundred for every message
 * a log writes; only the fields a view shows become objects, a level at a
 * time, as the tree is expanded. */
struct _HlFieldItem
{
  GObject     parent_instance;

  HlField    *field;
  GListStore *children;  /* made when first asked for */
};

G_DEFINE_FINAL_TYPE (HlFieldItem, hl_field_item, G_TYPE_OBJECT)

static void
hl_field_item_finalize (GObject *object)
{
  HlFieldItem *self = HL_FIELD_ITEM (object);

  g_clear_pointer (&self->field, hl_field_unref);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (hl_field_item_parent_class)->finalize (object);
}

static void
hl_field_item_class_init (HlFieldItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hl_field_item_finalize;
}

static void
hl_field_item_init (HlFieldItem *self)
{
}

/**
 * hl_field_item_new:
 * @field: a field
 *
 * Returns: (transfer full): an item that holds a reference on @field
 */
HlFieldItem *
hl_field_item_new (HlField *field)
{
  HlFieldItem *self;

  g_return_val_if_fail (field != NULL, NULL);

  self = g_object_new (HL_TYPE_FIELD_ITEM, NULL);
  self->field = hl_field_ref (field);
  return self;
}

/**
 * hl_field_item_get_field:
 *
 * Returns: (transfer none): the field
 */
HlField *
hl_field_item_get_field (HlFieldItem *self)
{
  g_return_val_if_fail (HL_IS_FIELD_ITEM (self), NULL);
  return self->field;
}

/**
 * hl_field_item_get_children:
 *
 * The same model is returned each time, so that a tree list model that
 * asks again finds the items it knew.
 *
 * Returns: (transfer full) (nullable): the children as items, or %NULL
 *   for a leaf
 */
GListModel *
hl_field_item_get_children (HlFieldItem *self)
{
  guint n;

  g_return_val_if_fail (HL_IS_FIELD_ITEM (self), NULL);

  n = hl_field_get_n_children (self->field);
  if (n == 0)
    return NULL;
  if (self->children == NULL)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_full (n, g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (items, hl_field_item_new (hl_field_get_child (self->field, i)));
      self->children = g_list_store_new (HL_TYPE_FIELD_ITEM);
      g_list_store_splice (self->children, 0, 0, items->pdata, items->len);
    }
  return g_object_ref (G_LIST_MODEL (self->children));
}

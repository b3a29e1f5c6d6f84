/* hl-field-item.h: a field of a decoded message, as an item of a list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hl-field.h"

G_BEGIN_DECLS

#define HL_TYPE_FIELD_ITEM (hl_field_item_get_type ())
G_DECLARE_FINAL_TYPE (HlFieldItem, hl_field_item, HL, FIELD_ITEM, GObject)

HlFieldItem *hl_field_item_new           (HlField     *field);
HlField     *hl_field_item_get_field     (HlFieldItem *self);
GListModel  *hl_field_item_get_children  (HlFieldItem *self);

G_END_DECLS

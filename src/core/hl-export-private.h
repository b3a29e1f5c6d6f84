/* hl-export-private.h: helpers shared by the exporters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-export.h"

G_BEGIN_DECLS

/* Each key-log line of @events once, in order (both ends of a demo log
 * the same secrets) */
GPtrArray *hl_export_collect_keylog_lines (GListModel *events);

G_END_DECLS

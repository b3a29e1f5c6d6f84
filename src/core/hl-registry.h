/* hl-registry.h: names from the IANA TLS registries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Each returns the registry identifier (e.g. "client_hello") or NULL */
const char *hl_registry_handshake_type_name    (guint   type);
const char *hl_registry_content_type_name      (guint8  type);
const char *hl_registry_alert_description_name (guint8  description);
const char *hl_registry_alert_level_name       (guint8  level);
const char *hl_registry_version_name           (guint16 version);

G_END_DECLS

/* hl-connect-dialog.h: where to connect, and how
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-capture.h"

G_BEGIN_DECLS

#define HL_TYPE_CONNECT_DIALOG (hl_connect_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlConnectDialog, hl_connect_dialog, HL, CONNECT_DIALOG, AdwWindow)

HlConnectDialog *hl_connect_dialog_new            (GtkWindow       *parent);
/* Returns: (transfer full) (nullable): a capture of what the dialog says,
 * or %NULL with @error set when something is not valid */
HlCapture       *hl_connect_dialog_create_capture (HlConnectDialog *self,
                                                   GError         **error);
void             hl_connect_dialog_set_host       (HlConnectDialog *self,
                                                   const char      *host_port);

G_END_DECLS

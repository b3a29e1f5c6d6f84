/* hl-export-dialog.h: what to export, then where
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hl-diagram-export.h"

G_BEGIN_DECLS

typedef enum
{
  HL_EXPORT_KIND_DIAGRAM,
  HL_EXPORT_KIND_KEYLOG,
  HL_EXPORT_KIND_PCAPNG,
  HL_EXPORT_KIND_MERMAID,
  HL_EXPORT_KIND_LOG,
} HlExportKind;

#define HL_TYPE_EXPORT_DIALOG (hl_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HlExportDialog, hl_export_dialog, HL, EXPORT_DIALOG, AdwWindow)

HlExportDialog *hl_export_dialog_new             (GtkWindow       *parent,
                                                  GListModel      *events,
                                                  GListModel      *rows,
                                                  const char      *mode,
                                                  const char      *target);
HlExportKind    hl_export_dialog_get_kind        (HlExportDialog  *self);
void            hl_export_dialog_set_kind        (HlExportDialog  *self,
                                                  HlExportKind     kind);
void            hl_export_dialog_set_diagram     (HlExportDialog  *self,
                                                  HlDiagramFormat  format,
                                                  int              width,
                                                  gboolean         dark);
char           *hl_export_dialog_dup_file_name   (HlExportDialog  *self);
gboolean        hl_export_dialog_write           (HlExportDialog  *self,
                                                  GFile           *file,
                                                  GError         **error);

G_END_DECLS

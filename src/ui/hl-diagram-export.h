/* hl-diagram-export.h: the sequence diagram as an image or a document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HL_DIAGRAM_EXPORT_ERROR (hl_diagram_export_error_quark ())

typedef enum
{
  HL_DIAGRAM_EXPORT_ERROR_EMPTY,   /* no rows to draw */
  HL_DIAGRAM_EXPORT_ERROR_SIZE,    /* a width out of range */
  HL_DIAGRAM_EXPORT_ERROR_CAIRO,   /* cairo could not draw or write */
} HlDiagramExportError;

typedef enum
{
  HL_DIAGRAM_FORMAT_PNG,
  HL_DIAGRAM_FORMAT_SVG,
  HL_DIAGRAM_FORMAT_PDF,
} HlDiagramFormat;

#define HL_DIAGRAM_EXPORT_MIN_WIDTH 480
#define HL_DIAGRAM_EXPORT_MAX_WIDTH 8000

GQuark         hl_diagram_export_error_quark (void);
const char    *hl_diagram_format_get_extension (HlDiagramFormat  format);
int            hl_diagram_export_get_height  (GListModel      *rows);
GskRenderNode *hl_diagram_export_render      (GListModel      *rows,
                                              const char      *client_title,
                                              const char      *server_title,
                                              int              width,
                                              gboolean         dark);
gboolean       hl_diagram_export             (GListModel      *rows,
                                              const char      *client_title,
                                              const char      *server_title,
                                              HlDiagramFormat  format,
                                              int              width,
                                              gboolean         dark,
                                              GFile           *file,
                                              GError         **error);

G_END_DECLS

/* hl-diagram-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The diagram as PNG, SVG or PDF, drawn by the same code as the widget:
 * one header and one off-screen row widget draw every row into a
 * GtkSnapshot, and the render node it gives is drawn with cairo on an
 * image, SVG or PDF surface. Colours are libadwaita's light or dark
 * palette, whichever the caller asks for, not the desktop's.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "hl-diagram-export.h"
#include "hl-diagram-model.h"
#include "hl-sequence-view-private.h"

#define BOTTOM_MARGIN 16

G_DEFINE_QUARK (hl-diagram-export-error-quark, hl_diagram_export_error)

typedef struct
{
  GOutputStream *out;
  GError        *error;
} StreamClosure;

/* libadwaita 1.2's view colours */
static void
load_palette (HlSequenceColors *colors,
              GdkRGBA          *background,
              gboolean          dark)
{
  if (dark)
    {
      *background = (GdkRGBA) { 0x1e / 255., 0x1e / 255., 0x1e / 255., 1 };
      colors->fg = (GdkRGBA) { 1, 1, 1, 1 };
      colors->accent = (GdkRGBA) { 0x78 / 255., 0xae / 255., 0xed / 255., 1 };
      colors->error = (GdkRGBA) { 0xff / 255., 0x7b / 255., 0x63 / 255., 1 };
      colors->success = (GdkRGBA) { 0x8f / 255., 0xf0 / 255., 0xa4 / 255., 1 };
    }
  else
    {
      *background = (GdkRGBA) { 1, 1, 1, 1 };
      colors->fg = (GdkRGBA) { 0, 0, 0, 0.8 };
      colors->accent = (GdkRGBA) { 0x1c / 255., 0x71 / 255., 0xd8 / 255., 1 };
      colors->error = (GdkRGBA) { 0xc0 / 255., 0x1c / 255., 0x28 / 255., 1 };
      colors->success = (GdkRGBA) { 0x1b / 255., 0x85 / 255., 0x53 / 255., 1 };
    }
  /* as hl_sequence_colors_load() derives them */
  colors->dim = colors->fg;
  colors->dim.alpha *= 0.6;
  colors->faint = colors->fg;
  colors->faint.alpha *= 0.2;
}

static GListModel *
ensure_rows (GListModel *rows_or_events)
{
  if (g_type_is_a (g_list_model_get_item_type (rows_or_events), HL_TYPE_DIAGRAM_ROW))
    return g_object_ref (rows_or_events);
  return G_LIST_MODEL (hl_diagram_model_new (rows_or_events));
}

static cairo_status_t
write_cb (void                *user_data,
          const unsigned char *data,
          unsigned int         length)
{
  StreamClosure *closure = user_data;

  if (closure->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (closure->out, data, length, NULL, NULL, &closure->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
create_surface (HlDiagramFormat  format,
                int              width,
                int              height,
                StreamClosure   *closure)
{
  cairo_surface_t *surface;

  switch (format)
    {
    case HL_DIAGRAM_FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_cb, closure, width, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      return surface;
    case HL_DIAGRAM_FORMAT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_cb, closure, width, height);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("TLS Handshake"));
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Handshake Lens " PACKAGE_VERSION);
      return surface;
    case HL_DIAGRAM_FORMAT_PNG:
    default:
      return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
    }
}

static gboolean
draw_and_write (GskRenderNode    *node,
                HlDiagramFormat   format,
                int               width,
                int               height,
                StreamClosure    *closure,
                GError          **error)
{
  cairo_surface_t *surface = create_surface (format, width, height, closure);
  cairo_status_t status;
  cairo_t *cr = cairo_create (surface);

  gsk_render_node_draw (node, cr);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS && format == HL_DIAGRAM_FORMAT_PNG)
    status = cairo_surface_write_to_png_stream (surface, write_cb, closure);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (closure->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&closure->error));
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, HL_DIAGRAM_EXPORT_ERROR, HL_DIAGRAM_EXPORT_ERROR_CAIRO,
                   _("Could not draw the diagram: %s"), cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

const char *
hl_diagram_format_get_extension (HlDiagramFormat format)
{
  switch (format)
    {
    case HL_DIAGRAM_FORMAT_SVG:
      return "svg";
    case HL_DIAGRAM_FORMAT_PDF:
      return "pdf";
    case HL_DIAGRAM_FORMAT_PNG:
    default:
      return "png";
    }
}

/**
 * hl_diagram_export_get_height:
 * @rows: a #GListModel of #HlDiagramRow, or of #HlEvent
 *
 * Returns: the height of the whole diagram, header and rows, in pixels
 */
int
hl_diagram_export_get_height (GListModel *rows)
{
  g_autoptr(GListModel) diagram = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (rows), 0);

  diagram = ensure_rows (rows);
  return HL_SEQUENCE_HEADER_HEIGHT +
         (int) g_list_model_get_n_items (diagram) * HL_SEQUENCE_ROW_HEIGHT +
         BOTTOM_MARGIN;
}

/**
 * hl_diagram_export_render:
 * @rows: a #GListModel of #HlDiagramRow, or of #HlEvent
 * @client_title: (nullable): what the client's head says under "Client"
 * @server_title: (nullable): what the server's head says under "Server"
 *
 * Draws the whole diagram at @width and its natural height, on an opaque
 * light or dark background.
 *
 * Returns: (transfer full) (nullable): the drawing
 */
GskRenderNode *
hl_diagram_export_render (GListModel *rows,
                          const char *client_title,
                          const char *server_title,
                          int         width,
                          gboolean    dark)
{
  g_autoptr(GListModel) diagram = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  GtkWidget *header, *row_widget;
  HlSequenceColors colors;
  GdkRGBA background;
  int height;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (rows), NULL);
  g_return_val_if_fail (width > 0, NULL);

  diagram = ensure_rows (rows);
  n = g_list_model_get_n_items (diagram);
  height = hl_diagram_export_get_height (diagram);
  load_palette (&colors, &background, dark);

  /* widgets that are never shown, for their fonts and drawing code */
  header = g_object_ref_sink (hl_sequence_header_new ());
  row_widget = g_object_ref_sink (hl_sequence_row_new ());
  hl_sequence_header_set_titles (HL_SEQUENCE_HEADER (header), client_title, server_title);

  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  hl_sequence_header_draw (HL_SEQUENCE_HEADER (header), snapshot, &colors,
                           width, HL_SEQUENCE_HEADER_HEIGHT);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HlDiagramRow) row = g_list_model_get_item (diagram, i);

      hl_sequence_row_set_row (HL_SEQUENCE_ROW (row_widget), row);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (0, HL_SEQUENCE_HEADER_HEIGHT + i * HL_SEQUENCE_ROW_HEIGHT));
      hl_sequence_row_draw (HL_SEQUENCE_ROW (row_widget), snapshot, &colors,
                            width, HL_SEQUENCE_ROW_HEIGHT);
      gtk_snapshot_restore (snapshot);
    }

  /* the lifelines run on a little below the last row */
  for (HlSide side = HL_SIDE_CLIENT; side <= HL_SIDE_SERVER; side++)
    gtk_snapshot_append_color (snapshot, &colors.faint,
                               &GRAPHENE_RECT_INIT (hl_sequence_lifeline_x (width, side) - 1,
                                                    height - BOTTOM_MARGIN, 2, BOTTOM_MARGIN));

  g_object_unref (row_widget);
  g_object_unref (header);
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

/**
 * hl_diagram_export:
 * @rows: a #GListModel of #HlDiagramRow, or of #HlEvent
 * @client_title: (nullable): what the client's head says under "Client"
 * @server_title: (nullable): what the server's head says under "Server"
 * @format: PNG, SVG or PDF
 * @width: the width in pixels (PNG, SVG) or points (PDF)
 * @dark: whether to draw light on dark
 * @file: where to write, atomically (a temporary file, then a rename)
 *
 * Writes the whole diagram at @width and its natural height
 * (hl_diagram_export_get_height()).
 *
 * Returns: whether the file was written
 */
gboolean
hl_diagram_export (GListModel       *rows,
                   const char       *client_title,
                   const char       *server_title,
                   HlDiagramFormat   format,
                   int               width,
                   gboolean          dark,
                   GFile            *file,
                   GError          **error)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GCancellable) abandon = NULL;
  StreamClosure closure = { NULL, NULL };

  g_return_val_if_fail (G_IS_LIST_MODEL (rows), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (width < HL_DIAGRAM_EXPORT_MIN_WIDTH || width > HL_DIAGRAM_EXPORT_MAX_WIDTH)
    {
      g_set_error (error, HL_DIAGRAM_EXPORT_ERROR, HL_DIAGRAM_EXPORT_ERROR_SIZE,
                   _("The width must be between %d and %d pixels"),
                   HL_DIAGRAM_EXPORT_MIN_WIDTH, HL_DIAGRAM_EXPORT_MAX_WIDTH);
      return FALSE;
    }
  if (g_list_model_get_n_items (rows) == 0)
    {
      g_set_error_literal (error, HL_DIAGRAM_EXPORT_ERROR, HL_DIAGRAM_EXPORT_ERROR_EMPTY,
                           _("The diagram is empty"));
      return FALSE;
    }

  node = hl_diagram_export_render (rows, client_title, server_title, width, dark);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (out == NULL)
    return FALSE;

  /* the temporary file becomes @file on a successful close only */
  abandon = g_cancellable_new ();
  closure.out = G_OUTPUT_STREAM (out);
  if (!draw_and_write (node, format, width, hl_diagram_export_get_height (rows), &closure, error))
    {
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

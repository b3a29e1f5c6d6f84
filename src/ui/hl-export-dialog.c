/* hl-export-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Asks what to export (the diagram as an image at a width, light or dark;
 * the key log; pcapng with secrets; Mermaid; the session log), then where.
 * It says how it went with the "finished" signal, a sentence for a toast,
 * and closes.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-export-dialog.h"
#include "hl-export.h"
#include "hl-log.h"

struct _HlExportDialog
{
  AdwWindow        parent_instance;

  /* template */
  GtkCheckButton  *diagram_check;
  GtkCheckButton  *keylog_check;
  GtkCheckButton  *pcapng_check;
  GtkCheckButton  *mermaid_check;
  GtkCheckButton  *log_check;
  GtkWidget       *diagram_group;
  AdwComboRow     *format_row;
  GtkSpinButton   *width_spin;
  GtkSwitch       *dark_switch;

  GListModel      *events;
  GListModel      *rows;
  char            *mode;
  char            *target;
};

G_DEFINE_FINAL_TYPE (HlExportDialog, hl_export_dialog, ADW_TYPE_WINDOW)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkCheckButton *
kind_check (HlExportDialog *self,
            HlExportKind    kind)
{
  switch (kind)
    {
    case HL_EXPORT_KIND_KEYLOG:
      return self->keylog_check;
    case HL_EXPORT_KIND_PCAPNG:
      return self->pcapng_check;
    case HL_EXPORT_KIND_MERMAID:
      return self->mermaid_check;
    case HL_EXPORT_KIND_LOG:
      return self->log_check;
    case HL_EXPORT_KIND_DIAGRAM:
    default:
      return self->diagram_check;
    }
}

static void
kind_toggled_cb (HlExportDialog *self)
{
  gtk_widget_set_sensitive (self->diagram_group,
                            hl_export_dialog_get_kind (self) == HL_EXPORT_KIND_DIAGRAM);
}

/* Writers, each atomic */

typedef gboolean (*StreamWriter) (GListModel     *events,
                                  GOutputStream  *out,
                                  GError        **error);

static gboolean
write_stream (GFile         *file,
              GListModel    *events,
              StreamWriter   writer,
              GError       **error)
{
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GCancellable) abandon = NULL;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (out == NULL)
    return FALSE;
  if (!writer (events, G_OUTPUT_STREAM (out), error))
    {
      /* closing a cancelled replacement keeps the old file */
      abandon = g_cancellable_new ();
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error);
}

static gboolean
write_mermaid (GFile       *file,
               GListModel  *events,
               GError     **error)
{
  g_autofree char *text = hl_export_mermaid (events);

  return g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                  G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

static gboolean
write_diagram (HlExportDialog  *self,
               GFile           *file,
               GError         **error)
{
  gboolean demo = g_strcmp0 (self->mode, "demo") == 0;

  return hl_diagram_export (self->rows,
                            demo ? _("in this app") : _("this computer"),
                            demo ? _("in this app") : self->target,
                            adw_combo_row_get_selected (self->format_row),
                            gtk_spin_button_get_value_as_int (self->width_spin),
                            gtk_switch_get_active (self->dark_switch),
                            file, error);
}

/* Choosing the file */

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     HlExportDialog  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
      g_object_unref (chooser);
      return;
    }

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (hl_export_dialog_write (self, file, &error))
    {
      g_autofree char *name = g_file_get_basename (file);

      message = g_strdup_printf (_("Exported to %s"), name);
    }
  else
    message = g_strdup_printf (_("Could not export: %s"), error->message);

  g_signal_emit (self, signals[FINISHED], 0, message);
  g_object_unref (chooser);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
export_clicked_cb (HlExportDialog *self)
{
  g_autofree char *name = hl_export_dialog_dup_file_name (self);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* GObject */

static void
hl_export_dialog_dispose (GObject *object)
{
  HlExportDialog *self = HL_EXPORT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_EXPORT_DIALOG);
  g_clear_object (&self->events);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (hl_export_dialog_parent_class)->dispose (object);
}

static void
hl_export_dialog_finalize (GObject *object)
{
  HlExportDialog *self = HL_EXPORT_DIALOG (object);

  g_free (self->mode);
  g_free (self->target);

  G_OBJECT_CLASS (hl_export_dialog_parent_class)->finalize (object);
}

static void
hl_export_dialog_class_init (HlExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_export_dialog_dispose;
  object_class->finalize = hl_export_dialog_finalize;

  /**
   * HlExportDialog::finished:
   * @message: what happened, for a toast
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/handshakelens/HandshakeLens/hl-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, diagram_check);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, keylog_check);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, pcapng_check);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, mermaid_check);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, log_check);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, diagram_group);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, width_spin);
  gtk_widget_class_bind_template_child (widget_class, HlExportDialog, dark_switch);
  gtk_widget_class_bind_template_callback (widget_class, kind_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_export_dialog_init (HlExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * hl_export_dialog_new:
 * @events: the session's #HlEvent list
 * @rows: its diagram, a #GListModel of #HlDiagramRow
 * @mode: the session's mode ("demo", "connect", …), for the log
 * @target: (nullable): what it connected to
 */
HlExportDialog *
hl_export_dialog_new (GtkWindow  *parent,
                      GListModel *events,
                      GListModel *rows,
                      const char *mode,
                      const char *target)
{
  HlExportDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (events), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (rows), NULL);

  self = g_object_new (HL_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->events = g_object_ref (events);
  self->rows = g_object_ref (rows);
  self->mode = g_strdup (mode);
  self->target = g_strdup (target);
  return self;
}

HlExportKind
hl_export_dialog_get_kind (HlExportDialog *self)
{
  g_return_val_if_fail (HL_IS_EXPORT_DIALOG (self), HL_EXPORT_KIND_DIAGRAM);

  for (HlExportKind kind = HL_EXPORT_KIND_DIAGRAM; kind <= HL_EXPORT_KIND_LOG; kind++)
    if (gtk_check_button_get_active (kind_check (self, kind)))
      return kind;
  return HL_EXPORT_KIND_DIAGRAM;
}

void
hl_export_dialog_set_kind (HlExportDialog *self,
                           HlExportKind    kind)
{
  g_return_if_fail (HL_IS_EXPORT_DIALOG (self));
  g_return_if_fail (kind <= HL_EXPORT_KIND_LOG);

  gtk_check_button_set_active (kind_check (self, kind), TRUE);
}

void
hl_export_dialog_set_diagram (HlExportDialog  *self,
                              HlDiagramFormat  format,
                              int              width,
                              gboolean         dark)
{
  g_return_if_fail (HL_IS_EXPORT_DIALOG (self));
  g_return_if_fail (format <= HL_DIAGRAM_FORMAT_PDF);

  adw_combo_row_set_selected (self->format_row, format);
  gtk_spin_button_set_value (self->width_spin, width);
  gtk_switch_set_active (self->dark_switch, dark);
}

/**
 * hl_export_dialog_dup_file_name:
 *
 * Returns: (transfer full): a name to suggest for what is chosen
 */
char *
hl_export_dialog_dup_file_name (HlExportDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stem = g_date_time_format (now, "handshake-%Y%m%d-%H%M%S");
  const char *extension;

  g_return_val_if_fail (HL_IS_EXPORT_DIALOG (self), NULL);

  switch (hl_export_dialog_get_kind (self))
    {
    case HL_EXPORT_KIND_KEYLOG:
      extension = "keys";
      break;
    case HL_EXPORT_KIND_PCAPNG:
      extension = "pcapng";
      break;
    case HL_EXPORT_KIND_MERMAID:
      extension = "mmd";
      break;
    case HL_EXPORT_KIND_LOG:
      extension = "hllog";
      break;
    case HL_EXPORT_KIND_DIAGRAM:
    default:
      extension = hl_diagram_format_get_extension (adw_combo_row_get_selected (self->format_row));
      break;
    }
  return g_strdup_printf ("%s.%s", stem, extension);
}

/**
 * hl_export_dialog_write:
 * @file: where to write, atomically
 *
 * Writes what the dialog says to @file.
 *
 * Returns: whether it was written
 */
gboolean
hl_export_dialog_write (HlExportDialog  *self,
                        GFile           *file,
                        GError         **error)
{
  g_return_val_if_fail (HL_IS_EXPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (hl_export_dialog_get_kind (self))
    {
    case HL_EXPORT_KIND_KEYLOG:
      return write_stream (file, self->events, hl_export_keylog, error);
    case HL_EXPORT_KIND_PCAPNG:
      return write_stream (file, self->events, hl_export_pcapng, error);
    case HL_EXPORT_KIND_MERMAID:
      return write_mermaid (file, self->events, error);
    case HL_EXPORT_KIND_LOG:
      return hl_log_save (self->events, self->mode, self->target, file, error);
    case HL_EXPORT_KIND_DIAGRAM:
    default:
      return write_diagram (self, file, error);
    }
}

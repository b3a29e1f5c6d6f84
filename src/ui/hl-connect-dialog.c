/* hl-connect-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "hl-connect-dialog.h"

typedef enum
{
  FILE_CA,
  FILE_CERT,
  FILE_KEY,
  N_FILES
} FileKind;

struct _HlConnectDialog
{
  AdwWindow     parent_instance;

  AdwEntryRow  *host_row;
  AdwEntryRow  *sni_row;
  AdwEntryRow  *alpn_row;
  AdwActionRow *ca_row;
  AdwActionRow *cert_row;
  AdwActionRow *key_row;
  GtkWidget    *ca_choose;
  GtkWidget    *cert_choose;
  GtkWidget    *key_choose;
  GtkWidget    *ca_clear;
  GtkWidget    *cert_clear;
  GtkWidget    *key_clear;
  GtkSwitch    *insecure_switch;
  GtkSpinButton *timeout_spin;
  AdwPreferencesGroup *server_group;
  GtkWidget    *connect_button;

  GSettings    *settings;
  char         *files[N_FILES];
};

G_DEFINE_FINAL_TYPE (HlConnectDialog, hl_connect_dialog, ADW_TYPE_WINDOW)

enum {
  START,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *file_keys[N_FILES] = {
  "connect-ca-file", "connect-cert-file", "connect-key-file",
};

static AdwActionRow *
file_row (HlConnectDialog *self,
          FileKind         kind)
{
  AdwActionRow *rows[N_FILES] = { self->ca_row, self->cert_row, self->key_row };

  return rows[kind];
}

static void
show_file (HlConnectDialog *self,
           FileKind         kind)
{
  const char *path = self->files[kind];
  const char *none = kind == FILE_CA ? _("The system trust store") : _("None");
  GtkWidget *clear[N_FILES] = { self->ca_clear, self->cert_clear, self->key_clear };

  adw_action_row_set_subtitle (file_row (self, kind), path != NULL ? path : none);
  gtk_widget_set_visible (clear[kind], path != NULL);
}

static void
fill_config (HlConnectDialog *self,
             HlCaptureConfig *config)
{
  const char *sni = gtk_editable_get_text (GTK_EDITABLE (self->sni_row));
  const char *alpn = gtk_editable_get_text (GTK_EDITABLE (self->alpn_row));

  hl_capture_config_init (config);
  config->mode = HL_CAPTURE_MODE_CONNECT;
  config->version = HL_TLS_VERSION_ANY;
  config->sni = *sni != '\0' ? sni : NULL;
  config->alpn = *alpn != '\0' ? alpn : NULL;
  config->ca_file = self->files[FILE_CA];
  config->cert_file = self->files[FILE_CERT];
  config->key_file = self->files[FILE_KEY];
  config->insecure = gtk_switch_get_active (self->insecure_switch);
  config->timeout_ms = (guint) gtk_spin_button_get_value_as_int (self->timeout_spin) * 1000;
}

static gboolean
check_files (HlConnectDialog  *self,
             GError          **error)
{
  if ((self->files[FILE_CERT] == NULL) != (self->files[FILE_KEY] == NULL))
    {
      g_set_error_literal (error, HL_CAPTURE_ERROR, HL_CAPTURE_ERROR_INVALID_ARGUMENT,
                           _("A client certificate needs its private key, and a key its certificate."));
      return FALSE;
    }
  for (FileKind kind = 0; kind < N_FILES; kind++)
    if (self->files[kind] != NULL && !g_file_test (self->files[kind], G_FILE_TEST_IS_REGULAR))
      {
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                     _("No such file: %s"), self->files[kind]);
        return FALSE;
      }
  return TRUE;
}

static void
validate_cb (HlConnectDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HlCapture) capture = hl_connect_dialog_create_capture (self, &error);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->host_row));

  /* an empty field is not an error yet, only not ready */
  if (capture == NULL && *text != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->host_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->host_row), "error");

  /* the reason shows under the group's title, next to the fields */
  adw_preferences_group_set_description (self->server_group,
                                         error != NULL && *text != '\0' ? error->message : NULL);
  gtk_widget_set_sensitive (self->connect_button, capture != NULL);
}

static void
save_settings (HlConnectDialog *self)
{
  g_settings_set_string (self->settings, "connect-host",
                         gtk_editable_get_text (GTK_EDITABLE (self->host_row)));
  g_settings_set_string (self->settings, "connect-sni",
                         gtk_editable_get_text (GTK_EDITABLE (self->sni_row)));
  g_settings_set_string (self->settings, "connect-alpn",
                         gtk_editable_get_text (GTK_EDITABLE (self->alpn_row)));
  for (FileKind kind = 0; kind < N_FILES; kind++)
    g_settings_set_string (self->settings, file_keys[kind],
                           self->files[kind] != NULL ? self->files[kind] : "");
  g_settings_set_boolean (self->settings, "connect-insecure",
                          gtk_switch_get_active (self->insecure_switch));
  g_settings_set_uint (self->settings, "connect-timeout",
                       (guint) gtk_spin_button_get_value_as_int (self->timeout_spin));
}

static void
load_settings (HlConnectDialog *self)
{
  g_autofree char *host = g_settings_get_string (self->settings, "connect-host");
  g_autofree char *sni = g_settings_get_string (self->settings, "connect-sni");
  g_autofree char *alpn = g_settings_get_string (self->settings, "connect-alpn");

  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host);
  gtk_editable_set_text (GTK_EDITABLE (self->sni_row), sni);
  gtk_editable_set_text (GTK_EDITABLE (self->alpn_row), alpn);
  for (FileKind kind = 0; kind < N_FILES; kind++)
    {
      g_autofree char *path = g_settings_get_string (self->settings, file_keys[kind]);

      g_free (self->files[kind]);
      self->files[kind] = *path != '\0' ? g_steal_pointer (&path) : NULL;
      show_file (self, kind);
    }
  gtk_switch_set_active (self->insecure_switch,
                         g_settings_get_boolean (self->settings, "connect-insecure"));
  gtk_spin_button_set_value (self->timeout_spin,
                             g_settings_get_uint (self->settings, "connect-timeout"));
}

static void
connect_clicked_cb (HlConnectDialog *self)
{
  save_settings (self);
  g_signal_emit (self, signals[START], 0);
}

static FileKind
file_kind_for_button (HlConnectDialog *self,
                      GtkWidget       *button)
{
  if (button == self->ca_choose || button == self->ca_clear)
    return FILE_CA;
  if (button == self->cert_choose || button == self->cert_clear)
    return FILE_CERT;
  return FILE_KEY;
}

static void
set_file (HlConnectDialog *self,
          FileKind         kind,
          char            *path)
{
  g_free (self->files[kind]);
  self->files[kind] = path;
  show_file (self, kind);
  validate_cb (self);
}

static void
clear_file_cb (GtkWidget       *button,
               HlConnectDialog *self)
{
  set_file (self, file_kind_for_button (self, button), NULL);
}

static void
file_chosen_cb (GtkNativeDialog *chooser,
                int              response,
                HlConnectDialog *self)
{
  FileKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chooser), "kind"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      set_file (self, kind, g_file_get_path (file));
    }
  g_object_unref (chooser);
}

static void
choose_file_cb (GtkWidget       *button,
                HlConnectDialog *self)
{
  FileKind kind = file_kind_for_button (self, button);
  const char *titles[N_FILES] = {
    _("Choose a CA File"), _("Choose a Client Certificate"), _("Choose a Private Key"),
  };
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (titles[kind], GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                 _("_Choose"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "kind", GUINT_TO_POINTER (kind));
  g_signal_connect (chooser, "response", G_CALLBACK (file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
hl_connect_dialog_dispose (GObject *object)
{
  HlConnectDialog *self = HL_CONNECT_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_CONNECT_DIALOG);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hl_connect_dialog_parent_class)->dispose (object);
}

static void
hl_connect_dialog_finalize (GObject *object)
{
  HlConnectDialog *self = HL_CONNECT_DIALOG (object);

  for (FileKind kind = 0; kind < N_FILES; kind++)
    g_free (self->files[kind]);

  G_OBJECT_CLASS (hl_connect_dialog_parent_class)->finalize (object);
}

static void
hl_connect_dialog_class_init (HlConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_connect_dialog_dispose;
  object_class->finalize = hl_connect_dialog_finalize;

  /**
   * HlConnectDialog::start:
   *
   * The user asked to connect; hl_connect_dialog_create_capture() has
   * what to run.
   */
  signals[START] = g_signal_new ("start", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/handshakelens/HandshakeLens/hl-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, sni_row);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, alpn_row);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, ca_row);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, cert_row);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, ca_choose);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, cert_choose);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, key_choose);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, ca_clear);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, cert_clear);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, key_clear);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, insecure_switch);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, server_group);
  gtk_widget_class_bind_template_child (widget_class, HlConnectDialog, connect_button);
  gtk_widget_class_bind_template_callback (widget_class, validate_cb);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_file_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_file_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hl_connect_dialog_init (HlConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  load_settings (self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->connect_button);
  validate_cb (self);
}

HlConnectDialog *
hl_connect_dialog_new (GtkWindow *parent)
{
  return g_object_new (HL_TYPE_CONNECT_DIALOG, "transient-for", parent, NULL);
}

void
hl_connect_dialog_set_host (HlConnectDialog *self,
                            const char      *host_port)
{
  g_return_if_fail (HL_IS_CONNECT_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host_port);
}

HlCapture *
hl_connect_dialog_create_capture (HlConnectDialog  *self,
                                  GError          **error)
{
  HlCaptureConfig config;
  g_autofree char *host = NULL;
  guint16 port = 0;

  g_return_val_if_fail (HL_IS_CONNECT_DIALOG (self), NULL);

  if (!hl_parse_host_port (gtk_editable_get_text (GTK_EDITABLE (self->host_row)),
                           &host, &port, error))
    return NULL;
  if (!check_files (self, error))
    return NULL;

  fill_config (self, &config);
  config.host = host;
  config.port = port;
  if (!hl_capture_config_validate (&config, error))
    return NULL;
  return hl_capture_new (&config);
}

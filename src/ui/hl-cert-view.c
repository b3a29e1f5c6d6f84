/* hl-cert-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gnutls/gnutls.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "hl-cert-view.h"
#include "hl-details-range.h"
#include "hl-x509.h"

#define HT_CERTIFICATE 11

struct _HlCertView
{
  GtkWidget   parent_instance;

  GListModel *events;
  HlEvent    *event;
  guint       n_chains;
  /* set when the content must be built again, the next time it shows */
  gboolean    dirty;

  GtkStack   *stack;
  GtkBox     *chains_box;
};

G_DEFINE_FINAL_TYPE (HlCertView, hl_cert_view, GTK_TYPE_WIDGET)

/* What one side's chain looks like at the selected point */
typedef struct
{
  GPtrArray *chain;
  HlEvent   *check;
} ChainInfo;

/* Decoding: the decoder's DER tree, summed up as the properties people look for */

static const struct
{
  const char *field;
  const char *label;
} summary[] = {
  { "subject", N_("Subject") },
  { "issuer", N_("Issuer") },
  { "serial_number", N_("Serial number") },
  { "not_before", N_("Not before") },
  { "not_after", N_("Not after") },
  { "subject_alt_name", N_("Subject alternative names") },
  { "subject_public_key_info", N_("Public key") },
  { "signature_algorithm", N_("Signature algorithm") },
  { "key_usage", N_("Key usage") },
  { "extended_key_usage", N_("Extended key usage") },
  { "basic_constraints", N_("Basic constraints") },
  { "sha256_fingerprint", N_("SHA-256 fingerprint") },
};

/* The CN of an RFC 4514 string such as "CN=localhost,O=Example" */
static char *
common_name (const char *dn)
{
  const char *start;
  GString *cn;

  if (dn == NULL)
    return NULL;
  for (start = dn; *start != '\0'; start++)
    if ((start == dn || start[-1] == ',') && g_str_has_prefix (start, "CN="))
      break;
  if (*start == '\0')
    return NULL;
  cn = g_string_new (NULL);
  for (start += 3; *start != '\0' && *start != ','; start++)
    {
      if (*start == '\\' && start[1] != '\0')
        start++;
      g_string_append_c (cn, *start);
    }
  return g_string_free (cn, FALSE);
}

static guint32
read_u24 (const guint8 *p)
{
  return ((guint32) p[0] << 16) | ((guint32) p[1] << 8) | p[2];
}

/* RFC 5246 7.4.2 / RFC 8446 4.4.2; NULL when the bytes do not parse as asked */
static GPtrArray *
parse_certificate_body (const guint8 *body,
                        gsize         length,
                        gboolean      tls13)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize pos = 0, end;

  if (tls13)
    {
      if (length < 1 || 1 + (gsize) body[0] > length)
        return NULL;
      pos = 1 + body[0];
    }
  if (pos + 3 > length || pos + 3 + read_u24 (body + pos) != length)
    return NULL;
  end = length;
  pos += 3;
  while (pos < end)
    {
      gsize size;

      if (pos + 3 > end || (size = read_u24 (body + pos)) == 0 || pos + 3 + size > end)
        return NULL;
      g_ptr_array_add (chain, g_bytes_new (body + pos + 3, size));
      pos += 3 + size;
      if (tls13)
        {
          if (pos + 2 > end || pos + 2 + ((body[pos] << 8) | body[pos + 1]) > end)
            return NULL;
          pos += 2 + ((body[pos] << 8) | body[pos + 1]);
        }
    }
  return g_steal_pointer (&chain);
}

/* Display */

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  GPtrArray *chain = g_object_get_data (G_OBJECT (dialog), "chain");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *pem = hl_cert_view_chain_to_pem (chain);
      g_autoptr(GError) error = NULL;

      if (!g_file_replace_contents (file, pem, strlen (pem), NULL, FALSE,
                                    G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
        g_warning ("Could not export the chain: %s", error->message);
    }
  g_object_unref (dialog);
}

static void
export_clicked_cb (GtkButton  *button,
                   HlCertView *self)
{
  GPtrArray *chain = g_object_get_data (G_OBJECT (button), "chain");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Export Chain as PEM"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog),
                                     g_object_get_data (G_OBJECT (button), "file-name"));
  g_object_set_data_full (G_OBJECT (dialog), "chain", g_ptr_array_ref (chain),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* The rows of a certificate's fields, made when it is first expanded: a
 * collapsed expander row still has GTK measure its hidden rows, and their
 * long values (keys, signatures, fingerprints) wrap, which is slow to
 * measure */
static void
add_field_rows (AdwExpanderRow *row)
{
  HlField *fields = g_object_get_data (G_OBJECT (row), "fields");

  if (fields == NULL || !adw_expander_row_get_expanded (row))
    return;

  for (guint i = 0; i < hl_field_get_n_children (fields); i++)
    {
      HlField *field = hl_field_get_child (fields, i);
      GtkWidget *child = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), hl_field_get_name (field));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (child), hl_field_get_value (field));
      gtk_widget_add_css_class (child, "property");
      if (hl_field_is_error (field))
        gtk_widget_add_css_class (child, "error");
      adw_expander_row_add_row (row, child);
    }
  g_object_set_data (G_OBJECT (row), "fields", NULL);
}

static GtkWidget *
create_certificate_row (GBytes   *der,
                        guint     index,
                        guint     n,
                        gboolean  expand_leaf)
{
  g_autoptr(HlField) fields = hl_cert_view_decode_certificate (der);
  GtkWidget *row = adw_expander_row_new ();
  const char *cn = hl_field_get_value (fields);
  const char *role;

  role = index == 0 ? _("Leaf certificate")
         : index + 1 == n ? _("Last certificate sent") : _("Intermediate certificate");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cn != NULL ? cn : _("Certificate"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), role);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), expand_leaf && index == 0);

  g_object_set_data_full (G_OBJECT (row), "fields", hl_field_ref (fields), (GDestroyNotify) hl_field_unref);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (add_field_rows), NULL);
  add_field_rows (ADW_EXPANDER_ROW (row));
  return row;
}

static GtkWidget *
create_verdict_row (HlEvent *check)
{
  gboolean ok = hl_event_get_verified (check);
  gboolean by_client = hl_event_get_side (check) == HL_SIDE_CLIENT;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (ok ? "emblem-ok-symbolic" : "window-close-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 ok ? _("Verified") : _("Not Verified"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               by_client
                               ? (ok ? _("The client accepted the server's chain")
                                     : _("The client rejected the server's chain"))
                               : (ok ? _("The server accepted the client's chain")
                                     : _("The server rejected the client's chain")));
  gtk_widget_add_css_class (icon, ok ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  ok ? _("Verified") : _("Not verified"),
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (row, ok ? "success" : "error");
  return row;
}

static GtkWidget *
create_reason_row (const char *reason)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), reason);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (icon, "warning");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

static GtkWidget *
create_export_button (HlCertView *self,
                      GPtrArray  *chain,
                      HlSide      owner)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();

  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "document-save-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _("Export PEM…"));
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Save this chain as PEM"));
  g_object_set_data_full (G_OBJECT (button), "chain", g_ptr_array_ref (chain),
                          (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data (G_OBJECT (button), "file-name",
                     owner == HL_SIDE_SERVER ? "server-chain.pem" : "client-chain.pem");
  g_signal_connect (button, "clicked", G_CALLBACK (export_clicked_cb), self);
  gtk_widget_set_sensitive (button, chain->len > 0);
  return button;
}

static GtkWidget *
create_chain_group (HlCertView *self,
                    HlSide      owner,
                    ChainInfo  *info,
                    gboolean    expand_leaf)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *list = gtk_list_box_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group),
                                   owner == HL_SIDE_SERVER ? _("Server's Chain") : _("Client's Chain"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         info->check == NULL
                                         ? _("Sent in a Certificate message; not checked yet")
                                         : owner == HL_SIDE_SERVER
                                         ? _("Checked by the client")
                                         : _("Checked by the server (mutual TLS)"));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group),
                                           create_export_button (self, info->chain, owner));

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  owner == HL_SIDE_SERVER ? _("Server's chain") : _("Client's chain"),
                                  -1);
  if (info->check != NULL)
    {
      const char *const *reasons = hl_event_get_reasons (info->check);

      gtk_list_box_append (GTK_LIST_BOX (list), create_verdict_row (info->check));
      for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
        gtk_list_box_append (GTK_LIST_BOX (list), create_reason_row (reasons[i]));
    }
  if (info->chain->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No certificate was sent"));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  for (guint i = 0; i < info->chain->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list),
                         create_certificate_row (g_ptr_array_index (info->chain, i), i,
                                                 info->chain->len, expand_leaf));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  return group;
}

static void
take_event (ChainInfo *infos,
            HlEvent   *event)
{
  if (hl_event_get_kind (event) == HL_EVENT_CERTIFICATE_CHECK)
    {
      /* the side that checked holds the peer's chain */
      ChainInfo *info = &infos[hl_event_get_side (event) == HL_SIDE_CLIENT ? HL_SIDE_SERVER
                                                                           : HL_SIDE_CLIENT];

      g_clear_pointer (&info->chain, g_ptr_array_unref);
      info->chain = g_ptr_array_ref (hl_event_get_chain (event));
      g_set_object (&info->check, event);
    }
  else if (hl_event_get_handshake_type (event) == HT_CERTIFICATE)
    {
      ChainInfo *info = &infos[hl_event_get_sender (event)];
      GPtrArray *chain;

      if (info->check != NULL || (chain = hl_cert_view_chain_from_message (event)) == NULL)
        return;
      g_clear_pointer (&info->chain, g_ptr_array_unref);
      info->chain = chain;
    }
}

static void
ensure_built (HlCertView *self)
{
  ChainInfo infos[2] = { { NULL, NULL }, { NULL, NULL } };
  GtkWidget *child;
  HlDetailsRange range;
  gboolean expand_leaf;

  if (!self->dirty)
    return;
  self->dirty = FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chains_box))) != NULL)
    gtk_box_remove (self->chains_box, child);
  self->n_chains = 0;

  if (self->event != NULL && self->events != NULL &&
      hl_details_range_find (self->events, self->event, &range))
    for (guint i = range.start; i <= range.position; i++)
      {
        g_autoptr(HlEvent) other = g_list_model_get_item (self->events, i);

        if (hl_event_get_session (other) == hl_event_get_session (self->event))
          take_event (infos, other);
      }
  if (self->event != NULL && infos[0].chain == NULL && infos[1].chain == NULL)
    take_event (infos, self->event);
  /* one chain shows its leaf at once; two show their verdicts side by side */
  expand_leaf = infos[0].chain == NULL || infos[1].chain == NULL;

  for (guint i = 0; i < 2; i++)
    {
      /* the server's chain first: it is the one every handshake has */
      HlSide owner = i == 0 ? HL_SIDE_SERVER : HL_SIDE_CLIENT;
      ChainInfo *info = &infos[owner];

      if (info->chain != NULL)
        {
          gtk_box_append (self->chains_box, create_chain_group (self, owner, info, expand_leaf));
          self->n_chains++;
        }
      g_clear_pointer (&info->chain, g_ptr_array_unref);
      g_clear_object (&info->check);
    }
  gtk_stack_set_visible_child_name (self->stack, self->n_chains > 0 ? "chains" : "empty");
}

static void
invalidate (HlCertView *self)
{
  self->dirty = TRUE;
  /* a hidden page waits until it is shown */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_built (self);
}

static void
hl_cert_view_map (GtkWidget *widget)
{
  ensure_built (HL_CERT_VIEW (widget));
  GTK_WIDGET_CLASS (hl_cert_view_parent_class)->map (widget);
}

static void
hl_cert_view_dispose (GObject *object)
{
  HlCertView *self = HL_CERT_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HL_TYPE_CERT_VIEW);
  g_clear_object (&self->events);
  g_clear_object (&self->event);

  G_OBJECT_CLASS (hl_cert_view_parent_class)->dispose (object);
}

static void
hl_cert_view_class_init (HlCertViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hl_cert_view_dispose;
  widget_class->map = hl_cert_view_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/handshakelens/HandshakeLens/hl-cert-view.ui");
  gtk_widget_class_bind_template_child (widget_class, HlCertView, stack);
  gtk_widget_class_bind_template_child (widget_class, HlCertView, chains_box);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "certview");
}

static void
hl_cert_view_init (HlCertView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  invalidate (self);
}

GtkWidget *
hl_cert_view_new (void)
{
  return g_object_new (HL_TYPE_CERT_VIEW, NULL);
}

/**
 * hl_cert_view_set_events:
 * @events: (nullable): all events of the capture or log (#HlEvent)
 */
void
hl_cert_view_set_events (HlCertView *self,
                         GListModel *events)
{
  g_return_if_fail (HL_IS_CERT_VIEW (self));
  g_return_if_fail (events == NULL || G_IS_LIST_MODEL (events));

  /* the same model again refreshes: it may have grown */
  g_set_object (&self->events, events);
  invalidate (self);
}

/**
 * hl_cert_view_set_event:
 * @event: (nullable): the selected event
 *
 * Shows the chains of its session seen up to @event, with the verdicts.
 */
void
hl_cert_view_set_event (HlCertView *self,
                        HlEvent    *event)
{
  g_return_if_fail (HL_IS_CERT_VIEW (self));
  g_return_if_fail (event == NULL || HL_IS_EVENT (event));

  if (g_set_object (&self->event, event))
    invalidate (self);
}

guint
hl_cert_view_get_n_chains (HlCertView *self)
{
  g_return_val_if_fail (HL_IS_CERT_VIEW (self), 0);

  ensure_built (self);
  return self->n_chains;
}

/**
 * hl_cert_view_decode_certificate:
 * @der: a DER certificate
 *
 * Returns: (transfer full): a field "certificate" whose value is the
 *   subject's common name (or DN) and whose children are readable
 *   properties (subject, issuer, validity, key, fingerprint, …), plus an
 *   error field when the certificate does not decode
 */
HlField *
hl_cert_view_decode_certificate (GBytes *der)
{
  g_autoptr(HlField) tree = NULL;
  g_autoptr(HlField) root = NULL;
  g_autofree char *cn = NULL;
  const char *subject;
  HlField *error;
  gsize length;
  const guint8 *data;

  g_return_val_if_fail (der != NULL, NULL);

  data = g_bytes_get_data (der, &length);
  tree = hl_x509_decode (data, length, 0);
  subject = hl_field_find (tree, "subject") != NULL
            ? hl_field_get_value (hl_field_find (tree, "subject")) : NULL;
  cn = common_name (subject);
  root = hl_field_new ("certificate", cn != NULL ? cn : subject, 0, length);

  for (guint i = 0; i < G_N_ELEMENTS (summary); i++)
    {
      HlField *field = hl_field_find (tree, summary[i].field);
      const char *value = field != NULL ? hl_field_get_value (field) : NULL;

      if (value != NULL && *value != '\0')
        hl_field_append (root, hl_field_new (_(summary[i].label), value,
                                             hl_field_get_offset (field),
                                             hl_field_get_length (field)));
    }
  if ((error = hl_field_find (tree, "error")) != NULL)
    hl_field_append (root, hl_field_new_error (hl_field_get_value (error),
                                               hl_field_get_offset (error),
                                               hl_field_get_length (error)));
  return g_steal_pointer (&root);
}

/**
 * hl_cert_view_chain_to_pem:
 * @chain: (element-type GBytes): DER certificates
 *
 * Returns: (transfer full): the chain as concatenated PEM blocks
 */
char *
hl_cert_view_chain_to_pem (GPtrArray *chain)
{
  GString *pem = g_string_new (NULL);

  g_return_val_if_fail (chain != NULL, NULL);

  for (guint i = 0; i < chain->len; i++)
    {
      GBytes *der = g_ptr_array_index (chain, i);
      gnutls_datum_t in = { (unsigned char *) g_bytes_get_data (der, NULL), g_bytes_get_size (der) };
      gnutls_datum_t out = { NULL, 0 };

      if (gnutls_pem_base64_encode2 ("CERTIFICATE", &in, &out) < 0)
        continue;
      g_string_append_len (pem, (const char *) out.data, out.size);
      gnutls_free (out.data);
    }
  return g_string_free (pem, FALSE);
}

/**
 * hl_cert_view_chain_from_message:
 * @event: a handshake event
 *
 * Returns: (transfer full) (nullable) (element-type GBytes): the DER
 *   certificates of a certificate message, leaf first
 */
GPtrArray *
hl_cert_view_chain_from_message (HlEvent *event)
{
  GBytes *raw;
  const guint8 *data;
  gsize length;
  GPtrArray *chain;

  g_return_val_if_fail (HL_IS_EVENT (event), NULL);

  if (hl_event_get_handshake_type (event) != HT_CERTIFICATE ||
      (raw = hl_event_get_raw (event)) == NULL)
    return NULL;
  data = g_bytes_get_data (raw, &length);
  if (length < 4)
    return NULL;
  /* the version may not be known yet when the message is seen: try both */
  chain = parse_certificate_body (data + 4, length - 4, hl_event_get_tls_version (event) != 0x0303);
  if (chain == NULL)
    chain = parse_certificate_body (data + 4, length - 4, hl_event_get_tls_version (event) == 0x0303);
  return chain;
}

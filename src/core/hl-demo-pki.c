/* hl-demo-pki.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "hl-demo-pki.h"

#define PKI_VERSION "pki-v1"

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)

static const char *key_type_names[] = { "ecdsa", "rsa" };
static const char *cert_names[] = { "ca", "server", "client", "server-expired", "server-other-host" };


char *
hl_demo_pki_default_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "handshake-lens", PKI_VERSION, NULL);
}

char *
hl_demo_pki_path (const char    *dir,
                  HlDemoKeyType  type,
                  HlDemoCert     cert,
                  gboolean       key)
{
  g_autofree char *name = g_strdup_printf ("%s-%s%s.pem", cert_names[cert],
                                           key_type_names[type], key ? "-key" : "");

  g_return_val_if_fail (dir != NULL, NULL);
  return g_build_filename (dir, name, NULL);
}

static gboolean
gnutls_check (int          ret,
              const char  *what,
              GError     **error)
{
  if (ret >= 0)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "Could not generate the demo certificates (%s: %s)", what, gnutls_strerror (ret));
  return FALSE;
}

static gboolean
write_pem (const char      *path,
           gnutls_datum_t  *pem,
           int              mode,
           GError         **error)
{
  gboolean ok = g_file_set_contents_full (path, (const char *) pem->data, pem->size,
                                          G_FILE_SET_CONTENTS_CONSISTENT, mode, error);

  gnutls_free (pem->data);
  pem->data = NULL;
  return ok;
}

static gboolean
generate_key (gnutls_x509_privkey_t *key,
              HlDemoKeyType          type,
              GError               **error)
{
  int ret = gnutls_x509_privkey_init (key);

  if (ret >= 0)
    {
      if (type == HL_DEMO_KEY_ECDSA)
        ret = gnutls_x509_privkey_generate (*key, GNUTLS_PK_ECDSA,
                                            GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0);
      else
        ret = gnutls_x509_privkey_generate (*key, GNUTLS_PK_RSA, 2048, 0);
    }
  return gnutls_check (ret, "key", error);
}

typedef struct
{
  const char *common_name;
  const char *const *dns_names;
  gboolean    ca;
  gboolean    client;
  gboolean    expired;
  guint       serial;
} CertSpec;

static gboolean
fill_certificate (gnutls_x509_crt_t      crt,
                  gnutls_x509_privkey_t  key,
                  const CertSpec        *spec)
{
  time_t now = time (NULL);
  guint8 serial[4] = { 0x10, 0, (spec->serial >> 8) & 0xff, spec->serial & 0xff };
  static const guint8 loopback4[] = { 127, 0, 0, 1 };
  int ret = 0;

  ret |= gnutls_x509_crt_set_version (crt, 3);
  ret |= gnutls_x509_crt_set_serial (crt, serial, sizeof serial);
  ret |= gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
                                        "Handshake Lens Demo", strlen ("Handshake Lens Demo"));
  ret |= gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                        spec->common_name, strlen (spec->common_name));
  if (spec->expired)
    {
      ret |= gnutls_x509_crt_set_activation_time (crt, now - 30 * 24 * 3600);
      ret |= gnutls_x509_crt_set_expiration_time (crt, now - 24 * 3600);
    }
  else
    {
      ret |= gnutls_x509_crt_set_activation_time (crt, now - 3600);
      ret |= gnutls_x509_crt_set_expiration_time (crt, now + 10L * 365 * 24 * 3600);
    }
  ret |= gnutls_x509_crt_set_key (crt, key);
  ret |= gnutls_x509_crt_set_basic_constraints (crt, spec->ca, spec->ca ? 0 : -1);
  if (spec->ca)
    ret |= gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN);
  else
    {
      ret |= gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                                                 GNUTLS_KEY_KEY_ENCIPHERMENT);
      ret |= gnutls_x509_crt_set_key_purpose_oid (crt, spec->client ? GNUTLS_KP_TLS_WWW_CLIENT
                                                                    : GNUTLS_KP_TLS_WWW_SERVER, 0);
    }
  for (guint i = 0; spec->dns_names != NULL && spec->dns_names[i] != NULL; i++)
    ret |= gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, spec->dns_names[i],
                                                 strlen (spec->dns_names[i]), GNUTLS_FSAN_APPEND);
  if (spec->dns_names != NULL && g_strv_contains (spec->dns_names, "localhost"))
    ret |= gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, loopback4,
                                                 sizeof loopback4, GNUTLS_FSAN_APPEND);
  {
    guint8 id[64];
    size_t id_size = sizeof id;

    if (gnutls_x509_privkey_get_key_id (key, GNUTLS_KEYID_USE_SHA1, id, &id_size) >= 0)
      ret |= gnutls_x509_crt_set_subject_key_id (crt, id, id_size);
  }
  return ret == 0;
}

static gboolean
generate_set (const char     *dir,
              HlDemoKeyType   type,
              GError        **error)
{
  static const char *const server_names[] = { "localhost", NULL };
  static const char *const other_names[] = { "other.example", NULL };
  static const CertSpec specs[] = {
    [HL_DEMO_CERT_CA] = { "Handshake Lens Demo Root CA", NULL, TRUE, FALSE, FALSE, 1 },
    [HL_DEMO_CERT_SERVER] = { "localhost", server_names, FALSE, FALSE, FALSE, 2 },
    [HL_DEMO_CERT_CLIENT] = { "Demo Client", NULL, FALSE, TRUE, FALSE, 3 },
    [HL_DEMO_CERT_SERVER_EXPIRED] = { "localhost", server_names, FALSE, FALSE, TRUE, 4 },
    [HL_DEMO_CERT_SERVER_OTHER_HOST] = { "other.example", other_names, FALSE, FALSE, FALSE, 5 },
  };
  g_auto(gnutls_x509_privkey_t) ca_key = NULL;
  g_auto(gnutls_x509_crt_t) ca_crt = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_auto(gnutls_x509_privkey_t) key = NULL;
      g_auto(gnutls_x509_crt_t) crt = NULL;
      g_autofree char *crt_path = hl_demo_pki_path (dir, type, i, FALSE);
      g_autofree char *key_path = hl_demo_pki_path (dir, type, i, TRUE);
      gnutls_datum_t pem = { NULL, 0 };

      if (!generate_key (&key, type, error) ||
          !gnutls_check (gnutls_x509_crt_init (&crt), "certificate", error))
        return FALSE;
      if (!fill_certificate (crt, key, &specs[i]))
        return gnutls_check (GNUTLS_E_INTERNAL_ERROR, "certificate fields", error);
      if (i == HL_DEMO_CERT_CA)
        {
          if (!gnutls_check (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0),
                             "self-signature", error))
            return FALSE;
        }
      else
        {
          guint8 id[64];
          size_t id_size = sizeof id;

          if (gnutls_x509_crt_get_subject_key_id (ca_crt, id, &id_size, NULL) >= 0)
            gnutls_x509_crt_set_authority_key_id (crt, id, id_size);
          if (!gnutls_check (gnutls_x509_crt_sign2 (crt, ca_crt, ca_key, GNUTLS_DIG_SHA256, 0),
                             "signature", error))
            return FALSE;
        }

      if (!gnutls_check (gnutls_x509_privkey_export2 (key, GNUTLS_X509_FMT_PEM, &pem),
                         "key export", error) ||
          !write_pem (key_path, &pem, 0600, error) ||
          !gnutls_check (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &pem),
                         "certificate export", error) ||
          !write_pem (crt_path, &pem, 0644, error))
        return FALSE;

      if (i == HL_DEMO_CERT_CA)
        {
          ca_key = g_steal_pointer (&key);
          ca_crt = g_steal_pointer (&crt);
        }
    }
  return TRUE;
}

static gboolean
set_complete (const char    *dir,
              HlDemoKeyType  type)
{
  for (guint i = 0; i < G_N_ELEMENTS (cert_names); i++)
    {
      g_autofree char *crt_path = hl_demo_pki_path (dir, type, i, FALSE);
      g_autofree char *key_path = hl_demo_pki_path (dir, type, i, TRUE);

      if (!g_file_test (crt_path, G_FILE_TEST_IS_REGULAR) ||
          !g_file_test (key_path, G_FILE_TEST_IS_REGULAR))
        return FALSE;
    }
  return TRUE;
}

/**
 * hl_demo_pki_ensure:
 * @dir: where the demo PKI lives
 *
 * Returns: %TRUE when every file is there, generating what is missing
 */
gboolean
hl_demo_pki_ensure (const char  *dir,
                    GError     **error)
{
  g_autofree char *lock_path = NULL;
  gboolean ok = TRUE;
  int lock_fd;

  g_return_val_if_fail (dir != NULL, FALSE);

  if (set_complete (dir, HL_DEMO_KEY_ECDSA) && set_complete (dir, HL_DEMO_KEY_RSA))
    return TRUE;

  /* Another thread or process may be generating the same files: a lock on
   * the directory keeps every certificate next to its own key. */
  lock_path = g_build_filename (dir, ".lock", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      (lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create the demo certificates in %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  while (flock (lock_fd, LOCK_EX) != 0 && errno == EINTR)
    ;
  for (guint type = HL_DEMO_KEY_ECDSA; ok && type <= HL_DEMO_KEY_RSA; type++)
    if (!set_complete (dir, type))
      ok = generate_set (dir, type, error);
  close (lock_fd);
  return ok;
}

/* hl-demo-pki.h: the demo certificate authority and its certificates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HL_DEMO_KEY_ECDSA,
  HL_DEMO_KEY_RSA,
} HlDemoKeyType;

typedef enum
{
  HL_DEMO_CERT_CA,
  HL_DEMO_CERT_SERVER,
  HL_DEMO_CERT_CLIENT,
  HL_DEMO_CERT_SERVER_EXPIRED,
  HL_DEMO_CERT_SERVER_OTHER_HOST,
} HlDemoCert;

/* Makes sure every demo certificate and key exists under @dir (generated
 * with GnuTLS on first use, private keys with mode 0600). */
gboolean  hl_demo_pki_ensure         (const char    *dir,
                                      GError       **error);
char     *hl_demo_pki_default_dir    (void);
/* Paths inside @dir; @key selects the private key instead of the certificate */
char     *hl_demo_pki_path           (const char    *dir,
                                      HlDemoKeyType  type,
                                      HlDemoCert     cert,
                                      gboolean       key);

G_END_DECLS

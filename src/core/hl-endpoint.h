/* hl-endpoint.h: one observed GnuTLS session, driven by one worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gnutls/gnutls.h>

#include "hl-capture.h"

G_BEGIN_DECLS

typedef struct _HlEndpoint HlEndpoint;

typedef struct
{
  HlSide                            side;
  guint                             session_index;
  int                               fd;            /* owned: closed by free */
  GCancellable                     *cancellable;
  gint64                            deadline_us;   /* monotonic; 0: none */
  const char                       *priority;
  gnutls_certificate_credentials_t  credentials;   /* borrowed */
  const char                       *server_name;   /* SNI (client) */
  const char                       *verify_host;   /* name the server certificate must match */
  gboolean                          verify_peer;   /* check the peer's chain */
  gboolean                          require_peer;  /* server: a client certificate is required */
  gboolean                          insecure;      /* go on after a failed verification */
  const char                       *alpn;          /* comma-separated */
  const gnutls_datum_t             *ticket_key;    /* server: session ticket key */
  const gnutls_datum_t             *resume_data;   /* client: session to resume */
} HlEndpointConfig;

HlEndpoint *hl_endpoint_new          (HlCapture               *capture,
                                      const HlEndpointConfig  *config,
                                      GError                 **error);
void        hl_endpoint_free         (HlEndpoint              *self);

gboolean    hl_endpoint_handshake    (HlEndpoint              *self,
                                      GError                 **error);
gboolean    hl_endpoint_send         (HlEndpoint              *self,
                                      const char              *data,
                                      gsize                    length,
                                      GError                 **error);
/* Reads one chunk of application data; returns 0 at close_notify */
gssize      hl_endpoint_receive      (HlEndpoint              *self,
                                      char                    *buffer,
                                      gsize                    size,
                                      GError                 **error);
/* Reads post-handshake messages (tickets, late alerts) for @ms */
gboolean    hl_endpoint_drain        (HlEndpoint              *self,
                                      guint                    ms,
                                      GError                 **error);
void        hl_endpoint_close        (HlEndpoint              *self);
void        hl_endpoint_shutdown     (HlEndpoint              *self);
void        hl_endpoint_linger       (HlEndpoint              *self,
                                      guint                    ms);
gboolean    hl_endpoint_get_session_data (HlEndpoint          *self,
                                      gnutls_datum_t          *data);
gboolean    hl_endpoint_classify_error (HlEndpoint            *self,
                                      int                      ret,
                                      const char              *doing,
                                      GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HlEndpoint, hl_endpoint_free)

G_END_DECLS

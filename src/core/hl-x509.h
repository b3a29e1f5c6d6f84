/* hl-x509.h: X.509 certificates inside certificate messages, through GnuTLS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-field.h"

G_BEGIN_DECLS

/* Decodes one DER certificate into a field named "x509_certificate" whose
 * offsets start at base_offset (its place in the message). Children follow
 * the DER structure (tbs_certificate, serial_number, issuer, validity,
 * subject, subject_public_key_info, extensions, signature_algorithm,
 * signature_value); values come from GnuTLS. Never fails: bytes GnuTLS or
 * the DER walk reject give an error field. */
HlField *hl_x509_decode          (const guint8 *der,
                                  gsize         length,
                                  gsize         base_offset);

/* A DER DistinguishedName as an RFC 4514 string, or NULL */
char    *hl_x509_dn_to_string    (const guint8 *der,
                                  gsize         length);

G_END_DECLS

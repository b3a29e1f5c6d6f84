/* hl-x509-private.h: the values a certificate's fields show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What each part of a certificate shows as its value, as GnuTLS reads
 * it; NULL where there is nothing to show. The four extension values
 * describe the certificate's extension of that kind. */
typedef struct
{
  char *version;             /* "v3" */
  char *serial;              /* "01:AB:…" */
  char *signature;           /* "ECDSA-SHA256" */
  char *issuer;              /* RFC 4514 */
  char *subject;
  char *not_before;          /* "2026-01-02 03:04:05 UTC" */
  char *not_after;
  char *public_key;          /* "EC/ECDSA SECP256R1, 256 bits" */
  char *alt_names;           /* "DNS:localhost, IP:127.0.0.1" */
  char *key_usage;           /* "digitalSignature, keyCertSign (critical)" */
  char *extended_key_usage;  /* "serverAuth, clientAuth" */
  char *basic_constraints;   /* "CA:TRUE, pathlen:0 (critical)" */
} HlX509Values;

void      hl_x509_values_clear    (HlX509Values *values);

/* The first part (its name, and the two values) where two readings of a
 * certificate differ, or NULL if they agree */
const char *hl_x509_values_differ (const HlX509Values  *a,
                                   const HlX509Values  *b,
                                   const char         **a_value,
                                   const char         **b_value);

/* Reads the values straight from the DER of a certificate of the usual
 * shape (a v3 certificate signed with RSA, ECDSA or EdDSA, an RSA, ECDSA
 * or EdDSA key, plain names and the common extensions), for a tenth of what parsing it
 * with GnuTLS costs. Returns FALSE, values cleared, for anything else:
 * GnuTLS then reads it, so that every certificate shows what GnuTLS makes
 * of it. */
gboolean  hl_x509_values_from_der (const guint8 *der,
                                   gsize         length,
                                   HlX509Values *values);

gboolean  hl_x509_values_from_gnutls (const guint8  *der,
                                      gsize          length,
                                      HlX509Values  *values,
                                      GError       **error);

/* Writes @value in decimal at @out, without a NUL; returns where it ends */
char     *hl_x509_format_uint     (char         *out,
                                   guint64       value);
char     *hl_x509_hex_colon       (const guint8 *bytes,
                                   gsize         n);
char     *hl_x509_oid_to_string   (const guint8 *bytes,
                                   gsize         n);
const char *hl_x509_purpose_name  (const char   *oid);

/* The wording both readers share */
void      hl_x509_list_append     (GString      *list,
                                   const char   *item);
char     *hl_x509_list_finish     (GString      *list,
                                   gboolean      critical);
/* @named_bits: bit i for KeyUsage's bit i (digitalSignature is 0) */
char     *hl_x509_describe_key_usage (guint     named_bits,
                                      gboolean  critical);
char     *hl_x509_describe_basic_constraints (gboolean ca,
                                              int      path_length,
                                              gboolean critical);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HlX509Values, hl_x509_values_clear)

G_END_DECLS

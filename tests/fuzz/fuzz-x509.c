/* fuzz-x509.c: libFuzzer target for the certificate readers
 *
 * Decodes the input as one DER certificate, as a Certificate message's
 * entries are, and aborts when the tree breaks the decoder's promise
 * (every field inside the input, children covering their parent exactly),
 * or when the DER reader reads values that GnuTLS does not read the same
 * way: wherever the DER reader takes a certificate, GnuTLS must take it
 * too and word every value alike.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

#include "hl-decoder.h"
#include "hl-x509.h"
#include "hl-x509-private.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(HlField) tree = hl_x509_decode (data, size, 0);
  g_auto(HlX509Values) from_der = { NULL };
  g_auto(HlX509Values) from_gnutls = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  const char *part, *a, *b;

  if (tree == NULL || !hl_field_check_cover (tree, size, &problem))
    {
      fprintf (stderr, "fuzz-x509: the tree: %s\n", problem != NULL ? problem : "none");
      abort ();
    }
  if (!hl_x509_values_from_der (data, size, &from_der))
    return 0;
  if (!hl_x509_values_from_gnutls (data, size, &from_gnutls, &error))
    {
      fprintf (stderr, "fuzz-x509: the DER reader read a certificate GnuTLS rejects: %s\n", error->message);
      abort ();
    }
  part = hl_x509_values_differ (&from_der, &from_gnutls, &a, &b);
  if (part != NULL)
    {
      fprintf (stderr, "fuzz-x509: %s: \"%s\" from the DER, \"%s\" from GnuTLS\n", part, a, b);
      abort ();
    }
  return 0;
}

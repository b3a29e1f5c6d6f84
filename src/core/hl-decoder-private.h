/* hl-decoder-private.h: the bounded reader shared by the decoder's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hl-decoder.h"
#include "hl-registry.h"

G_BEGIN_DECLS

/* A window [pos, end) of the message, and the field that receives what is
 * read from it. Every read is checked against end; the first failure
 * appends one error field covering the rest of the window and marks the
 * reader failed, after which reads fail silently. Offsets are absolute
 * (from the start of the message), so fields can be built directly. */
typedef struct
{
  const guint8 *data;
  gsize         pos;
  gsize         end;
  HlField      *parent;
  gboolean      failed;
} HlReader;

/* Where a list of extensions appears: it decides how some are read */
typedef enum
{
  HL_EXT_CLIENT_HELLO,
  HL_EXT_SERVER_HELLO,
  HL_EXT_HELLO_RETRY_REQUEST,
  HL_EXT_ENCRYPTED_EXTENSIONS,
  HL_EXT_CERTIFICATE,
  HL_EXT_CERTIFICATE_REQUEST,
  HL_EXT_NEW_SESSION_TICKET,
} HlExtContext;

void      hl_reader_init      (HlReader     *reader,
                               const guint8 *data,
                               gsize         start,
                               gsize         end,
                               HlField      *parent);
gsize     hl_reader_left      (const HlReader *reader);
gboolean  hl_reader_at_end    (const HlReader *reader);
void      hl_reader_error     (HlReader     *reader,
                               const char   *format,
                               ...) G_GNUC_PRINTF (2, 3);
gboolean  hl_reader_need      (HlReader     *reader,
                               gsize         n,
                               const char   *what);
guint32   hl_reader_peek_uint (const HlReader *reader,
                               gsize         at,
                               guint         n_bytes);
HlField  *hl_reader_leaf      (HlReader     *reader,
                               const char   *name,
                               gsize         n,
                               const char   *value);
gboolean  hl_reader_uint      (HlReader     *reader,
                               const char   *name,
                               guint         n_bytes,
                               guint32      *out);
gboolean  hl_reader_enum      (HlReader     *reader,
                               const char   *name,
                               guint         n_bytes,
                               HlRegistry    registry,
                               guint32      *out);
gboolean  hl_reader_opaque    (HlReader     *reader,
                               const char   *name,
                               gsize         n);
gboolean  hl_reader_rest      (HlReader     *reader,
                               const char   *name);
HlField  *hl_reader_struct    (HlReader     *reader,
                               const char   *name,
                               gsize         n,
                               HlReader     *sub);
HlField  *hl_reader_vector    (HlReader     *reader,
                               const char   *name,
                               guint         length_bytes,
                               HlReader     *sub);
HlField  *hl_reader_opaque_vector (HlReader   *reader,
                                   const char *name,
                                   guint       length_bytes,
                                   gboolean    as_text);
guint     hl_reader_enum_list (HlReader     *reader,
                               const char   *list_name,
                               guint         length_bytes,
                               const char   *item_name,
                               guint         item_bytes,
                               HlRegistry    registry,
                               const char   *noun);
void      hl_reader_finish    (HlReader     *sub);

char     *hl_count_text       (guint         count,
                               const char   *singular,
                               const char   *plural);
char     *hl_hex_preview      (const guint8 *bytes,
                               gsize         n);
char     *hl_text_preview     (const guint8 *bytes,
                               gsize         n);

void      hl_decode_extensions (HlReader     *reader,
                                HlExtContext  context);

void      hl_decode_x509      (HlReader     *reader,
                               const char   *name,
                               gsize         n);

G_END_DECLS

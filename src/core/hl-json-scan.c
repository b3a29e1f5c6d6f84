/* hl-json-scan.c: a fast, strict reader for the event lines of a log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined (__GNUC__) && defined (__x86_64__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#endif

#include "hl-event-private.h"
#include "hl-json-scan.h"

/* One pass checks the syntax of the whole line (strict RFC 8259 JSON,
 * bounds-checked, nesting limited) and notes where the value of each
 * member the event needs lies; the "fields" tree and every other unknown
 * member are only stepped over. Then only the values the event's kind
 * uses are converted. Whatever this subset does not cover is declined
 * (NULL) for json-glib to read: json-glib is laxer (comments, single
 * quotes, wrapping integers, duplicate members), so everything accepted
 * here reads the same there. */

#define MAX_DEPTH 64

typedef enum
{
  VALUE_NONE,
  VALUE_STRING,
  VALUE_NUMBER,
  VALUE_TRUE,
  VALUE_FALSE,
  VALUE_NULL,
  VALUE_OBJECT,
  VALUE_ARRAY,
} ValueType;

typedef struct
{
  const char *start;   /* strings: just after the opening quote */
  const char *end;     /* strings: the closing quote; else one past the value */
  guint64     integer; /* numbers: the integer part's magnitude, when @digits */
  guint8      type;    /* ValueType */
  gboolean    escaped; /* strings: holds at least one backslash escape */
  guint       digits;  /* numbers without fraction or exponent: their digits */
} Value;

typedef enum
{
  M_SEQ,
  M_T_NS,
  M_SESSION,
  M_SIDE,
  M_KIND,
  M_DIR,
  M_MSG_TYPE,
  M_RAW,
  M_ENCRYPTED,
  M_TLS_VERSION,
  M_CIPHER_SUITE,
  M_VERSION,
  M_LABEL,
  M_CLIENT_RANDOM,
  M_SECRET,
  M_CHAIN,
  M_STATUS,
  M_REASONS,
  M_LEVEL_CODE,
  M_DESCRIPTION_CODE,
  M_STATE,
  M_DETAILS,
  M_CODE,
  M_MESSAGE,
  N_MEMBERS,
} Member;  /* named by keys[] */

typedef struct
{
  const char *p;
  const char *end;
} Scanner;

static gboolean scan_value (Scanner *s,
                            Value   *v,
                            guint    depth);

static inline void
skip_ws (Scanner *s)
{
  /* a log's lines have no space between their tokens; and no newline:
   * one ends the scan, so that a line can be scanned as it lies in a
   * block, its end found by the scan (see hl_json_scan_event_line()) */
  if (G_LIKELY (s->p < s->end && (guchar) *s->p > ' '))
    return;
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

static inline gboolean
expect (Scanner *s,
        char     c)
{
  skip_ws (s);
  if (s->p >= s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

/* Marks (in its high bit) each of 8 bytes that is a quote, a backslash,
 * a control character or not ASCII: strings are mostly long runs of hex
 * digits, so test a word at a time. Bytes after the first one marked may
 * be marked wrongly (a borrow runs on), but the first mark is exact. */
static inline guint64
special_bytes (guint64 w)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  guint64 quote = w ^ (ones * '"');
  guint64 backslash = w ^ (ones * '\\');
  guint64 control = (w - ones * 0x20) & ~w;

  return (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | control | w) & highs;
}

/* The first byte at or after @p (before @end) that ends a run of plain
 * characters, or @end */
static inline const char *
find_special (const char *p,
              const char *end)
{
#ifdef __SSE2__
  /* 16 bytes at a time: as signed bytes, the controls and every byte
   * that is not ASCII are below a space */
  const __m128i quote = _mm_set1_epi8 ('"');
  const __m128i backslash = _mm_set1_epi8 ('\\');
  const __m128i space = _mm_set1_epi8 (' ');

  while (end - p >= 16)
    {
      __m128i chunk = _mm_loadu_si128 ((const __m128i *) (const void *) p);
      int marks = _mm_movemask_epi8 (_mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (chunk, quote),
                                                                 _mm_cmpeq_epi8 (chunk, backslash)),
                                                   _mm_cmplt_epi8 (chunk, space)));

      if (marks != 0)
        return p + __builtin_ctz ((unsigned int) marks);
      p += 16;
    }
#endif
  while (end - p >= 8)
    {
      guint64 w, marks;

      memcpy (&w, p, 8);
      if ((marks = special_bytes (w)) != 0)
        {
#if G_BYTE_ORDER == G_LITTLE_ENDIAN && defined (__GNUC__)
          return p + __builtin_ctzll (marks) / 8;
#else
          break;
#endif
        }
      p += 8;
    }
  while (p < end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20 && (guchar) *p < 0x80)
    p++;
  return p;
}

static int
hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = (value << 4) | digit;
    }
  return value;
}

/* Steps over one escape at *pp (a backslash); fills @c with the character.
 * Refuses \u0000 and surrogates that are not a proper pair. */
static gboolean
scan_escape (const char **pp,
             const char  *end,
             gunichar    *c)
{
  const char *p = *pp;
  int hi, lo;

  if (end - p < 2)
    return FALSE;
  switch (p[1])
    {
    case '"': *c = '"'; break;
    case '\\': *c = '\\'; break;
    case '/': *c = '/'; break;
    case 'b': *c = '\b'; break;
    case 'f': *c = '\f'; break;
    case 'n': *c = '\n'; break;
    case 'r': *c = '\r'; break;
    case 't': *c = '\t'; break;
    case 'u':
      if (end - p < 6 || (hi = hex4 (p + 2)) <= 0 || (hi >= 0xdc00 && hi <= 0xdfff))
        return FALSE;
      if (hi < 0xd800 || hi > 0xdbff)
        {
          *c = hi;
          *pp = p + 6;
          return TRUE;
        }
      if (end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
          (lo = hex4 (p + 8)) < 0xdc00 || lo > 0xdfff)
        return FALSE;
      *c = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
      *pp = p + 12;
      return TRUE;
    default:
      return FALSE;
    }
  *pp = p + 2;
  return TRUE;
}

/* The rest of a string from @p, the first byte that ends a plain run */
static gboolean
scan_string_rest (Scanner    *s,
                  Value      *v,
                  const char *p)
{
  v->type = VALUE_STRING;
  v->start = s->p + 1;
  v->escaped = FALSE;
  for (;;)
    {
      guchar c;

      if (p >= s->end)
        return FALSE;
      c = *p;
      if (c == '"')
        break;
      if (c < 0x20)
        return FALSE;
      if (c >= 0x80)
        {
          /* one character at a time is how g_utf8_validate() goes too */
          int length = g_utf8_skip[c];

          if (s->end - p < length || !g_utf8_validate_len (p, length, NULL))
            return FALSE;
          p = find_special (p + length, s->end);
          continue;
        }
      if (c == '\\')
        {
          gunichar ch;

          if (!scan_escape (&p, s->end, &ch))
            return FALSE;
          v->escaped = TRUE;
          p = find_special (p, s->end);
          continue;
        }
      p++;
    }
  v->end = p;
  s->p = p + 1;
  return TRUE;
}

/* A string at s->p (its opening quote). Inline for the plain strings that
 * are most of a log: one run up to the closing quote. */
static inline gboolean
scan_string (Scanner *s,
             Value   *v)
{
  const char *p = find_special (s->p + 1, s->end);

  if (G_LIKELY (p < s->end && *p == '"'))
    {
      v->type = VALUE_STRING;
      v->start = s->p + 1;
      v->end = p;
      v->escaped = FALSE;
      s->p = p + 1;
      return TRUE;
    }
  return scan_string_rest (s, v, p);
}

/* g_ascii_isdigit() without its table */
static inline gboolean
is_digit (char c)
{
  return (guchar) (c - '0') < 10;
}

static inline gboolean
scan_digits (Scanner *s)
{
  const char *start = s->p;

  while (s->p < s->end && is_digit (*s->p))
    s->p++;
  return s->p > start;
}

/* A number's integer part: 0, or digits that do not start with 0 */
static inline gboolean
scan_integer_part (Scanner *s)
{
  if (s->p >= s->end || !is_digit (*s->p))
    return FALSE;
  if (*s->p == '0')
    s->p++;
  else
    scan_digits (s);
  return TRUE;
}

/* A number; its integer part's value as it goes, so that get_int() need
 * not read the digits again (a long log's integers are a fifth of its
 * members) */
static gboolean
scan_number (Scanner *s,
             Value   *v)
{
  const char *digits;
  guint64 n = 0;

  if (*s->p == '-')
    s->p++;
  digits = s->p;
  if (s->p >= s->end || !is_digit (*s->p))
    return FALSE;
  if (*s->p == '0')
    s->p++;
  else
    while (s->p < s->end && is_digit (*s->p))
      n = n * 10 + (guint) (*s->p++ - '0');
  v->integer = n;
  v->digits = s->p - digits;
  if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
    v->digits = 0;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (!scan_digits (s))
        return FALSE;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!scan_digits (s))
        return FALSE;
    }
  return TRUE;
}

static gboolean
scan_literal (Scanner    *s,
              const char *word,
              gsize       length)
{
  if ((gsize) (s->end - s->p) < length || memcmp (s->p, word, length) != 0)
    return FALSE;
  s->p += length;
  return TRUE;
}

/* An object or an array, at s->p on its opening bracket */
static gboolean
scan_container (Scanner *s,
                gboolean object,
                guint    depth)
{
  char close = object ? '}' : ']';
  Value v;

  if (depth > MAX_DEPTH)
    return FALSE;
  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      return TRUE;
    }
  for (;;)
    {
      skip_ws (s);
      if (object && (s->p >= s->end || *s->p != '"' || !scan_string (s, &v) || !expect (s, ':')))
        return FALSE;
      skip_ws (s);
      if (!scan_value (s, &v, depth))
        return FALSE;
      skip_ws (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == close)
        {
          s->p++;
          return TRUE;
        }
      if (*s->p != ',')
        return FALSE;
      s->p++;
    }
}

static gboolean
scan_value (Scanner *s,
            Value   *v,
            guint    depth)
{
  gboolean ok;

  if (s->p >= s->end)
    return FALSE;
  v->start = s->p;
  switch (*s->p)
    {
    case '"':
      return scan_string (s, v);
    case '{':
      v->type = VALUE_OBJECT;
      ok = scan_container (s, TRUE, depth + 1);
      break;
    case '[':
      v->type = VALUE_ARRAY;
      ok = scan_container (s, FALSE, depth + 1);
      break;
    case 't':
      v->type = VALUE_TRUE;
      ok = scan_literal (s, "true", 4);
      break;
    case 'f':
      v->type = VALUE_FALSE;
      ok = scan_literal (s, "false", 5);
      break;
    case 'n':
      v->type = VALUE_NULL;
      ok = scan_literal (s, "null", 4);
      break;
    default:
      v->type = VALUE_NUMBER;
      ok = scan_number (s, v);
      break;
    }
  v->end = s->p;
  return ok;
}

/* Steps over @text where the line has it there */
#define SKIP_LITERAL(s, text) scan_literal ((s), (text), sizeof (text) - 1)

/* A JSON number that is a plain unsigned integer (a "01" is not one) */
static inline gboolean
scan_uint (Scanner *s)
{
  return scan_integer_part (s) && (s->p >= s->end || !is_digit (*s->p));
}

/* A field object of a "fields" tree exactly as logs are written
 * (hl_field_append_json(): name, value, offset, length, error, children,
 * in that order, no space), at @depth as scan_container() counts it.
 * Checked as strictly as the general path does, for much less work
 * (field trees are three quarters of a log's tokens; loading a log took a
 * quarter fewer instructions); FALSE for anything else, which the
 * general path then reads. */
static gboolean
scan_field (Scanner *s,
            guint    depth)
{
  Value v;

  if (depth > MAX_DEPTH || !SKIP_LITERAL (s, "{\"name\":\"") || (s->p--, !scan_string (s, &v)))
    return FALSE;
  if (SKIP_LITERAL (s, ",\"value\":\"") && (s->p--, !scan_string (s, &v)))
    return FALSE;
  if (!SKIP_LITERAL (s, ",\"offset\":") || !scan_uint (s) ||
      !SKIP_LITERAL (s, ",\"length\":") || !scan_uint (s))
    return FALSE;
  SKIP_LITERAL (s, ",\"error\":true");
  if (SKIP_LITERAL (s, ",\"children\":["))
    {
      if (depth + 1 > MAX_DEPTH)
        return FALSE;
      for (;;)
        {
          if (!scan_field (s, depth + 2))
            return FALSE;
          if (s->p < s->end && *s->p == ']')
            break;
          if (s->p >= s->end || *s->p != ',')
            return FALSE;
          s->p++;
        }
      s->p++;
    }
  if (s->p >= s->end || *s->p != '}')
    return FALSE;
  s->p++;
  return TRUE;
}

/* Values */

/* An exact 64-bit integer written without fraction or exponent, as
 * json-glib types G_TYPE_INT64 (it wraps longer ones: declined) */
static gboolean
get_int (const Value *v,
         gint64       min,
         gint64       max,
         gint64      *out)
{
  gboolean negative;
  guint64 n;
  gint64 value;

  /* scan_number() read the digits: at most 19 of them cannot wrap */
  if (v->type != VALUE_NUMBER || v->digits < 1 || v->digits > 19)
    return FALSE;
  negative = *v->start == '-';
  n = v->integer;
  if (negative && n > (guint64) G_MAXINT64 + 1)
    return FALSE;
  if (!negative && n > (guint64) G_MAXINT64)
    return FALSE;
  if (negative)
    value = n == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) n;
  else
    value = n;
  if (value < min || value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

/* The text of a string value, unescaped, into @out (valid UTF-8, no NUL) */
static gboolean
get_string (const Value *v,
            GString     *out)
{
  const char *p = v->start;

  if (v->type != VALUE_STRING)
    return FALSE;
  g_string_truncate (out, 0);
  if (!v->escaped)
    {
      /* scan_string() checked its characters: valid UTF-8, no NUL */
      g_string_append_len (out, v->start, v->end - v->start);
      return TRUE;
    }
  while (p < v->end)
    {
      const char *run = p;
      gunichar c;

      while (p < v->end && *p != '\\')
        p++;
      g_string_append_len (out, run, p - run);
      if (p < v->end)
        {
          if (!scan_escape (&p, v->end, &c))
            return FALSE;
          g_string_append_unichar (out, c);
        }
    }
  return g_utf8_validate_len (out->str, out->len, NULL);
}

/* A name from a short list, compared in place unless escaped */
static gboolean
get_name (const Value *v,
          GString     *buffer,
          const char  *(*to_string) (int),
          int          n_names,
          int         *out)
{
  const char *text = v->start;
  gsize length = v->end - v->start;

  if (v->type != VALUE_STRING)
    return FALSE;
  if (v->escaped)
    {
      if (!get_string (v, buffer))
        return FALSE;
      text = buffer->str;
      length = buffer->len;
    }
  for (int i = 0; i < n_names; i++)
    {
      const char *name = to_string (i);
      gsize k = 0;

      if (name == NULL)
        continue;
      /* in place: a call to strncmp() for each of a few short names was
       * 2 % of a long log's load; the name's NUL stops the loop */
      while (k < length && name[k] == text[k])
        k++;
      if (k == length && name[k] == '\0')
        {
          *out = i;
          return TRUE;
        }
    }
  return FALSE;
}

static const char *
side_name (int i)
{
  return hl_side_to_string (i);
}

static const char *
kind_name (int i)
{
  return hl_event_kind_to_string (i);
}

static const char *
dir_name (int i)
{
  return hl_direction_to_string (i);
}

/* 0xff: not a hex digit */
static const guint8 *
hex_table (void)
{
  static guint8 table[256];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      memset (table, 0xff, sizeof table);
      for (int c = 0; c < 256; c++)
        if (g_ascii_isxdigit (c))
          table[c] = g_ascii_xdigit_value (c);
      g_once_init_leave (&initialized, 1);
    }
  return table;
}

/* The bytes of a log's events in a few large blocks, each freed with the
 * last of the byte arrays made of it: a malloc() for each event's bytes,
 * by two threads at once, cost 8 % of a long log's first load in a
 * process */

/* A block's size, and the size above which a piece gets a block of its
 * own. Blocks stay below malloc's threshold for mapping memory of its
 * own, so that a log loaded after another reuses the heap the first one
 * left: blocks of 256 KiB, mapped and unmapped each time, made later
 * loads slower than a malloc() each. */
#define ARENA_BLOCK (64 * 1024 - 64)
#define ARENA_OWN   (ARENA_BLOCK / 8)

typedef struct
{
  gatomicrefcount ref;
  gsize           size;
  guint8          data[];
} ArenaBlock;

/* The field trees checked last, in the text the reader still holds. A
 * log of both sides holds each handshake message twice, sent by one side
 * and received by the other, with the same field tree: the second copy is
 * compared, not checked again (half of a demo log's field trees, which
 * are most of its bytes). Trees shorter than RECENT_MIN are checked. */
#define N_RECENT   8
#define RECENT_MIN 256

typedef struct
{
  const char *text;
  gsize       length;
} Recent;

struct _HlJsonScanArena
{
  ArenaBlock *block;  /* the block pieces come from (a reference) */
  gsize       used;
  Recent      recent[N_RECENT];
  guint       next_recent;
};

static ArenaBlock *
arena_block_new (gsize size)
{
  ArenaBlock *block = g_malloc (sizeof *block + size);

  g_atomic_ref_count_init (&block->ref);
  block->size = size;
  return block;
}

static void
arena_block_unref (gpointer data)
{
  ArenaBlock *block = data;

  if (g_atomic_ref_count_dec (&block->ref))
    g_free (block);
}

/**
 * hl_json_scan_arena_new:
 *
 * Memory for the bytes of the events one thread reads from a log. The
 * events' bytes keep their blocks: the arena may be freed before them.
 */
HlJsonScanArena *
hl_json_scan_arena_new (void)
{
  return g_new0 (HlJsonScanArena, 1);
}

/**
 * hl_json_scan_arena_forget:
 *
 * Forgets the field trees checked so far, whose text is about to change or
 * go: call it before the buffer the lines were read from is reused or freed.
 */
void
hl_json_scan_arena_forget (HlJsonScanArena *arena)
{
  g_return_if_fail (arena != NULL);

  memset (arena->recent, 0, sizeof arena->recent);
  arena->next_recent = 0;
}

/* Steps over a field tree at s->p that is the same text as one checked
 * since the arena last forgot */
static gboolean
skip_recent_tree (HlJsonScanArena *arena,
                  Scanner         *s)
{
  gsize left = s->end - s->p;

  for (guint i = 0; i < N_RECENT; i++)
    {
      const Recent *recent = &arena->recent[(arena->next_recent + N_RECENT - 1 - i) % N_RECENT];

      /* the tree is an object: its text ends at its closing brace, so
       * the same bytes at the start of the rest are the same tree */
      if (recent->text != NULL && recent->length <= left &&
          s->p[recent->length - 1] == '}' && memcmp (s->p, recent->text, recent->length) == 0)
        {
          s->p += recent->length;
          return TRUE;
        }
    }
  return FALSE;
}

static void
remember_tree (HlJsonScanArena *arena,
               const char      *text,
               gsize            length)
{
  if (length < RECENT_MIN)
    return;
  arena->recent[arena->next_recent] = (Recent) { text, length };
  arena->next_recent = (arena->next_recent + 1) % N_RECENT;
}

void
hl_json_scan_arena_free (HlJsonScanArena *arena)
{
  if (arena == NULL)
    return;
  g_clear_pointer (&arena->block, arena_block_unref);
  g_free (arena);
}

/* Room for @size bytes from @arena, or from malloc without one; *block
 * is then the block holding them, with a reference for them (NULL from
 * malloc) */
static guint8 *
piece_alloc (HlJsonScanArena  *arena,
             gsize             size,
             ArenaBlock      **block)
{
  gsize aligned = (size + 7) & ~(gsize) 7;
  guint8 *data;

  if (arena == NULL)
    {
      *block = NULL;
      return g_malloc (size);
    }
  if (aligned > ARENA_OWN)
    {
      *block = arena_block_new (aligned);
      return (*block)->data;
    }
  if (arena->block == NULL || arena->block->size - arena->used < aligned)
    {
      g_clear_pointer (&arena->block, arena_block_unref);
      arena->block = arena_block_new (ARENA_BLOCK);
      arena->used = 0;
    }
  data = arena->block->data + arena->used;
  arena->used += aligned;
  *block = arena->block;
  g_atomic_ref_count_inc (&(*block)->ref);
  return data;
}

/* Gives back the last piece of @arena, not kept after all */
static void
piece_drop (HlJsonScanArena *arena,
            guint8          *data,
            ArenaBlock      *block)
{
  if (block == NULL)
    {
      g_free (data);
      return;
    }
  if (arena != NULL && block == arena->block)
    arena->used = data - block->data;
  arena_block_unref (block);
}

/* The bytes of a piece, which keep its block */
static GBytes *
piece_to_bytes (guint8     *data,
                gsize       size,
                ArenaBlock *block)
{
  if (block == NULL)
    return g_bytes_new_take (data, size);
  return g_bytes_new_with_free_func (data, size, arena_block_unref, block);
}

static gpointer
arena_block_ref (gpointer data)
{
  ArenaBlock *block = data;

  g_atomic_ref_count_inc (&block->ref);
  return block;
}

static const HlEventRawOwner arena_block_owner = { arena_block_ref, arena_block_unref };

#ifdef HAVE_AVX2_PATH
/* 32 digits at a time where the processor has AVX2 (decided at run time,
 * the build targeting any x86-64): the digits as in decode_hex(), then
 * each pair of them multiplied out into its byte. Returns how many of the
 * @n bytes it made; *bad is set when a digit was not one. Decoding took
 * 5 % of a long log's load with 16 digits at a time. */
__attribute__ ((target ("avx2"))) static gsize
decode_hex_avx2 (const guchar *p,
                 gsize         n,
                 guint8       *out,
                 guint        *bad)
{
  const __m256i zero = _mm256_set1_epi8 ('0');
  const __m256i nine = _mm256_set1_epi8 (9);
  const __m256i lower = _mm256_set1_epi8 (0x20);
  const __m256i a = _mm256_set1_epi8 ('a');
  const __m256i five = _mm256_set1_epi8 (5);
  const __m256i ten = _mm256_set1_epi8 (10);
  /* the high digit times 16 plus the low one, for each 16-bit lane */
  const __m256i weights = _mm256_set1_epi16 (0x0110);
  __m256i valid = _mm256_set1_epi8 (-1);
  gsize i = 0;

  for (; i + 16 <= n; i += 16)
    {
      __m256i c = _mm256_loadu_si256 ((const __m256i *) (const void *) (p + 2 * i));
      __m256i d = _mm256_sub_epi8 (c, zero);
      __m256i l = _mm256_sub_epi8 (_mm256_or_si256 (c, lower), a);
      __m256i is_d = _mm256_cmpeq_epi8 (_mm256_min_epu8 (d, nine), d);
      __m256i is_l = _mm256_cmpeq_epi8 (_mm256_min_epu8 (l, five), l);
      __m256i value = _mm256_or_si256 (_mm256_and_si256 (is_d, d),
                                       _mm256_and_si256 (is_l, _mm256_add_epi8 (l, ten)));
      __m256i words = _mm256_maddubs_epi16 (value, weights);
      /* each 128-bit half packs to its 8 bytes twice: keep one of each */
      __m256i bytes = _mm256_permute4x64_epi64 (_mm256_packus_epi16 (words, words), 0x08);

      valid = _mm256_and_si256 (valid, _mm256_or_si256 (is_d, is_l));
      _mm_storeu_si128 ((__m128i *) (void *) (out + i), _mm256_castsi256_si128 (bytes));
    }
  if ((guint32) _mm256_movemask_epi8 (valid) != G_MAXUINT32)
    *bad = 1;
  return i;
}

static gboolean
have_avx2 (void)
{
  static gsize checked = 0;
  static gboolean avx2 = FALSE;

  if (g_once_init_enter (&checked))
    {
      __builtin_cpu_init ();
      avx2 = __builtin_cpu_supports ("avx2");
      g_once_init_leave (&checked, 1);
    }
  return avx2;
}
#endif

/* Hex digits (no escape can stand for one here: escaped strings are
 * declined), into a piece of @arena (*block) or memory from malloc */
static guint8 *
decode_hex (const Value      *v,
            gsize            *size,
            HlJsonScanArena  *arena,
            ArenaBlock      **block)
{
  const guint8 *table = hex_table ();
  const guchar *p = (const guchar *) v->start;
  gsize length = v->end - v->start;
  guint8 *data;
  guint bad = 0;
  gsize i = 0;

  if (v->type != VALUE_STRING || v->escaped || length % 2 != 0)
    return NULL;
  data = piece_alloc (arena, length / 2 + 1, block);
#ifdef HAVE_AVX2_PATH
  if (length >= 32 && have_avx2 ())
    i = decode_hex_avx2 (p, length / 2, data, &bad);
#endif
#ifdef __SSE2__
  {
    /* 16 digits at a time: a digit's value is c - '0' where that is at
     * most 9, or (c | 0x20) - 'a' + 10 where that is at most 5; then the
     * two digits of each byte (a 16-bit lane) are put together */
    const __m128i zero = _mm_set1_epi8 ('0');
    const __m128i nine = _mm_set1_epi8 (9);
    const __m128i lower = _mm_set1_epi8 (0x20);
    const __m128i a = _mm_set1_epi8 ('a');
    const __m128i five = _mm_set1_epi8 (5);
    const __m128i ten = _mm_set1_epi8 (10);
    const __m128i low_byte = _mm_set1_epi16 (0x00f0);

    for (; i + 8 <= length / 2; i += 8)
      {
        __m128i c = _mm_loadu_si128 ((const __m128i *) (const void *) (p + 2 * i));
        __m128i d = _mm_sub_epi8 (c, zero);
        __m128i l = _mm_sub_epi8 (_mm_or_si128 (c, lower), a);
        __m128i is_d = _mm_cmpeq_epi8 (_mm_min_epu8 (d, nine), d);
        __m128i is_l = _mm_cmpeq_epi8 (_mm_min_epu8 (l, five), l);
        __m128i value = _mm_or_si128 (_mm_and_si128 (is_d, d), _mm_and_si128 (is_l, _mm_add_epi8 (l, ten)));
        __m128i bytes = _mm_or_si128 (_mm_and_si128 (_mm_slli_epi16 (value, 4), low_byte),
                                      _mm_srli_epi16 (value, 8));

        if (_mm_movemask_epi8 (_mm_or_si128 (is_d, is_l)) != 0xffff)
          bad = 1;
        _mm_storel_epi64 ((__m128i *) (void *) (data + i), _mm_packus_epi16 (bytes, bytes));
      }
  }
#endif
  for (; i < length / 2; i++)
    {
      guint8 hi = table[p[2 * i]];
      guint8 lo = table[p[2 * i + 1]];

      bad |= (hi | lo) & 0xf0;
      data[i] = (guint8) (hi << 4) | lo;
    }
  if (bad)
    {
      piece_drop (arena, data, *block);
      return NULL;
    }
  *size = length / 2;
  return data;
}

static GBytes *
get_hex (const Value     *v,
         HlJsonScanArena *arena)
{
  ArenaBlock *block;
  gsize size;
  guint8 *data = decode_hex (v, &size, arena, &block);

  return data != NULL ? piece_to_bytes (data, size, block) : NULL;
}

/* Kinds */

/* What a handshake message or a record needs, without an object made */
static gboolean
prepare_handshake (const Value     *m,
                   HlJsonScanArena *arena,
                   HlJsonScanned   *scanned)
{
  gint64 type, version = 0, suite = 0;

  if (!get_int (&m[M_MSG_TYPE], 0, 0xffff, &type))
    return FALSE;
  if (m[M_TLS_VERSION].type != VALUE_NONE && !get_int (&m[M_TLS_VERSION], 0, 0xffff, &version))
    return FALSE;
  if (m[M_CIPHER_SUITE].type != VALUE_NONE && !get_int (&m[M_CIPHER_SUITE], 0, 0xffff, &suite))
    return FALSE;
  if (m[M_ENCRYPTED].type == VALUE_TRUE)
    scanned->encrypted = TRUE;
  else if (m[M_ENCRYPTED].type != VALUE_FALSE && m[M_ENCRYPTED].type != VALUE_NONE)
    return FALSE;
  scanned->type = type;
  scanned->version = version;
  scanned->cipher_suite = suite;
  return (scanned->raw = decode_hex (&m[M_RAW], &scanned->raw_size, arena,
                                     (ArenaBlock **) &scanned->raw_block)) != NULL;
}

static gboolean
prepare_record (const Value     *m,
                HlJsonScanArena *arena,
                HlJsonScanned   *scanned)
{
  gint64 version;

  if (!get_int (&m[M_VERSION], 0, 0xffff, &version) ||
      (scanned->raw = decode_hex (&m[M_RAW], &scanned->raw_size, arena,
                                  (ArenaBlock **) &scanned->raw_block)) == NULL)
    return FALSE;
  scanned->version = version;
  if (scanned->raw_size < 5)
    {
      hl_json_scan_clear (scanned);
      return FALSE;
    }
  scanned->type = scanned->raw[0];
  return TRUE;
}

static HlEvent *
secret_event (const Value     *m,
              HlSide           side,
              GString         *buffer,
              HlJsonScanArena *arena)
{
  g_autoptr(GBytes) random = NULL;
  g_autoptr(GBytes) secret = NULL;

  if (!get_string (&m[M_LABEL], buffer) ||
      (random = get_hex (&m[M_CLIENT_RANDOM], arena)) == NULL ||
      (secret = get_hex (&m[M_SECRET], arena)) == NULL)
    return NULL;
  return hl_event_new_secret (side, buffer->str, random, secret);
}

/* The elements of an array value, each checked by @element */
static gboolean
each_element (const Value *array,
              gboolean   (*element) (const Value *v, gpointer data),
              gpointer     data)
{
  Scanner s;
  Value v;

  if (array->type != VALUE_ARRAY)
    return FALSE;
  s.p = array->start + 1;
  s.end = array->end - 1;
  skip_ws (&s);
  while (s.p < s.end)
    {
      /* Already checked by the first pass: only step through it */
      if (!scan_value (&s, &v, 1))
        return FALSE;
      if (!element (&v, data))
        return FALSE;
      if (!expect (&s, ',') && s.p < s.end)
        return FALSE;
      skip_ws (&s);
    }
  return TRUE;
}

static gboolean
add_certificate (const Value *v,
                 gpointer     data)
{
  GBytes *der = get_hex (v, NULL);

  if (der == NULL)
    return FALSE;
  g_ptr_array_add (data, der);
  return TRUE;
}

static gboolean
add_reason (const Value *v,
            gpointer     data)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!get_string (v, text))
    return FALSE;
  g_ptr_array_add (data, g_string_free (g_steal_pointer (&text), FALSE));
  return TRUE;
}

static HlEvent *
certificate_check_event (const Value *m,
                         HlSide       side)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  gint64 status;

  if (!get_int (&m[M_STATUS], 0, G_MAXUINT32, &status) ||
      !each_element (&m[M_CHAIN], add_certificate, chain) ||
      !each_element (&m[M_REASONS], add_reason, reasons))
    return NULL;
  g_ptr_array_add (reasons, NULL);
  return hl_event_new_certificate_check (side, chain, status, (const char *const *) reasons->pdata);
}

static HlEvent *
alert_event (const Value *m,
             HlSide       side,
             HlDirection  dir)
{
  gint64 level, description;

  if (!get_int (&m[M_LEVEL_CODE], 0, 255, &level) ||
      !get_int (&m[M_DESCRIPTION_CODE], 0, 255, &description))
    return NULL;
  return hl_event_new_alert (side, dir, level, description);
}

/* A state's details as json-glib reads them, for the objects of scalars
 * captures write: strings, integers, booleans and nulls under names
 * given once; anything else (nested values, fractions, escaped names) is
 * declined. With @details NULL only checks: a log's details are read
 * when first asked for (hl_event_new_state_lazy()). */
static gboolean
read_details (const Value *object,
              GString     *buffer,
              JsonObject  *details)
{
  struct { const char *text; gsize length; } names[16];
  g_autoptr(GPtrArray) unescaped = NULL;  /* names held for the check */
  guint n_names = 0;
  Scanner s;

  if (object->type != VALUE_OBJECT)
    return FALSE;
  s.p = object->start + 1;
  s.end = object->end - 1;
  skip_ws (&s);
  while (s.p < s.end)
    {
      const char *name;
      gsize length;
      Value key, v;
      gint64 number;

      /* Already checked by the first pass: only step through it */
      if (*s.p != '"' || !scan_string (&s, &key) || !expect (&s, ':'))
        return FALSE;
      skip_ws (&s);
      if (!scan_value (&s, &v, 1) || n_names == G_N_ELEMENTS (names))
        return FALSE;
      if (key.escaped)
        {
          if (!get_string (&key, buffer))
            return FALSE;
          if (unescaped == NULL)
            unescaped = g_ptr_array_new_with_free_func (g_free);
          length = buffer->len;
          name = g_memdup2 (buffer->str, length + 1);
          g_ptr_array_add (unescaped, (char *) name);
        }
      else
        {
          name = key.start;
          length = key.end - key.start;
        }
      /* json-glib keeps the last of duplicates; simpler to decline */
      for (guint i = 0; i < n_names; i++)
        if (names[i].length == length && memcmp (names[i].text, name, length) == 0)
          return FALSE;
      names[n_names].text = name;
      names[n_names].length = length;
      n_names++;
      switch (v.type)
        {
        case VALUE_STRING:
          break;
        case VALUE_NUMBER:
          if (!get_int (&v, G_MININT64, G_MAXINT64, &number))
            return FALSE;
          break;
        case VALUE_TRUE:
        case VALUE_FALSE:
        case VALUE_NULL:
          break;
        case VALUE_NONE:
        case VALUE_OBJECT:
        case VALUE_ARRAY:
        default:
          return FALSE;
        }
      if (details != NULL)
        {
          g_autofree char *key_text = g_strndup (name, length);

          if (v.type == VALUE_STRING && !get_string (&v, buffer))
            return FALSE;
          if (v.type == VALUE_STRING)
            json_object_set_string_member (details, key_text, buffer->str);
          else if (v.type == VALUE_NUMBER)
            json_object_set_int_member (details, key_text, number);
          else if (v.type == VALUE_NULL)
            json_object_set_null_member (details, key_text);
          else
            json_object_set_boolean_member (details, key_text, v.type == VALUE_TRUE);
        }
      if (!expect (&s, ',') && s.p < s.end)
        return FALSE;
      skip_ws (&s);
    }
  return TRUE;
}

JsonObject *
hl_json_scan_details (const char *text,
                      gsize       length)
{
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GString) buffer = g_string_new (NULL);
  Scanner s = { text, text + length };
  Value object;

  g_return_val_if_fail (text != NULL, NULL);

  if (length == 0 || *text != '{' || !scan_value (&s, &object, 0) || s.p != s.end ||
      !read_details (&object, buffer, details))
    return NULL;
  return g_steal_pointer (&details);
}

static HlEvent *
state_event (const Value *m,
             HlSide       side,
             GString     *buffer)
{
  const Value *details = &m[M_DETAILS];

  /* the state last: checking the details may use @buffer */
  if ((details->type != VALUE_NONE && !read_details (details, buffer, NULL)) ||
      !get_string (&m[M_STATE], buffer))
    return NULL;
  if (details->type == VALUE_NONE)
    return hl_event_new_state (side, buffer->str, NULL);
  return hl_event_new_state_lazy (side, buffer->str, details->start, details->end - details->start);
}

static HlEvent *
error_event (const Value *m,
             HlSide       side,
             GString     *buffer)
{
  g_autofree char *code = NULL;

  if (!get_string (&m[M_CODE], buffer))
    return NULL;
  code = g_strndup (buffer->str, buffer->len);
  if (!get_string (&m[M_MESSAGE], buffer))
    return NULL;
  return hl_event_new_error (side, code, buffer->str);
}

/* The keys of a line as the log writer puts them (hl_event_append_json_line()),
 * each with the keys that may follow it there: the key at a member's
 * start is first compared with those, as text with its quotes and colon,
 * rather than scanned as a string and looked up. Any other key is read
 * the general way. */
typedef enum
{
  K_START, K_SEQ, K_T_NS, K_SESSION, K_SIDE, K_KIND, K_DIR, K_TYPE, K_MSG_TYPE, K_RAW,
  K_ENCRYPTED, K_TLS_VERSION, K_CIPHER_SUITE, K_FIELDS, K_CONTENT_TYPE, K_VERSION, K_LENGTH,
  K_LABEL, K_CLIENT_RANDOM, K_SECRET, K_CHAIN, K_STATUS, K_REASONS, K_LEVEL, K_LEVEL_CODE,
  K_DESCRIPTION, K_DESCRIPTION_CODE, K_STATE, K_DETAILS, K_CODE, K_MESSAGE, N_KEYS,
  K_OTHER = N_KEYS,
} Key;

typedef struct
{
  const char *text;    /* "name": */
  guint8      length;
  gint8       member;  /* or -1: not one the event uses */
  guint8      next[3]; /* up to K_START: the keys that may follow */
} KeyInfo;

#define KEY(name, member, ...) { "\"" name "\":", sizeof name + 2, member, { __VA_ARGS__ } }

static const KeyInfo keys[N_KEYS] = {
  [K_START] = { "", 0, -1, { K_SEQ } },
  [K_SEQ] = KEY ("seq", M_SEQ, K_T_NS),
  [K_T_NS] = KEY ("t_ns", M_T_NS, K_SIDE, K_SESSION),
  [K_SESSION] = KEY ("session", M_SESSION, K_SIDE),
  [K_SIDE] = KEY ("side", M_SIDE, K_KIND),
  [K_KIND] = KEY ("kind", M_KIND, K_DIR, K_LABEL, K_STATE),
  [K_DIR] = KEY ("dir", M_DIR, K_TYPE, K_CONTENT_TYPE, K_LEVEL),
  [K_TYPE] = KEY ("type", -1, K_MSG_TYPE),
  [K_MSG_TYPE] = KEY ("msg_type", M_MSG_TYPE, K_RAW),
  [K_RAW] = KEY ("raw", M_RAW, K_ENCRYPTED),
  [K_ENCRYPTED] = KEY ("encrypted", M_ENCRYPTED, K_FIELDS, K_TLS_VERSION),
  [K_TLS_VERSION] = KEY ("tls_version", M_TLS_VERSION, K_CIPHER_SUITE, K_FIELDS),
  [K_CIPHER_SUITE] = KEY ("cipher_suite", M_CIPHER_SUITE, K_FIELDS),
  [K_FIELDS] = KEY ("fields", -1, K_START),
  [K_CONTENT_TYPE] = KEY ("content_type", -1, K_VERSION),
  [K_VERSION] = KEY ("version", M_VERSION, K_LENGTH),
  [K_LENGTH] = KEY ("length", -1, K_RAW),
  [K_LABEL] = KEY ("label", M_LABEL, K_CLIENT_RANDOM),
  [K_CLIENT_RANDOM] = KEY ("client_random", M_CLIENT_RANDOM, K_SECRET),
  [K_SECRET] = KEY ("secret", M_SECRET, K_START),
  [K_CHAIN] = KEY ("chain", M_CHAIN, K_STATUS),
  [K_STATUS] = KEY ("status", M_STATUS, K_REASONS),
  [K_REASONS] = KEY ("reasons", M_REASONS, K_START),
  [K_LEVEL] = KEY ("level", -1, K_LEVEL_CODE),
  [K_LEVEL_CODE] = KEY ("level_code", M_LEVEL_CODE, K_DESCRIPTION),
  [K_DESCRIPTION] = KEY ("description", -1, K_DESCRIPTION_CODE),
  [K_DESCRIPTION_CODE] = KEY ("description_code", M_DESCRIPTION_CODE, K_START),
  [K_STATE] = KEY ("state", M_STATE, K_DETAILS),
  [K_DETAILS] = KEY ("details", M_DETAILS, K_START),
  [K_CODE] = KEY ("code", M_CODE, K_MESSAGE),
  [K_MESSAGE] = KEY ("message", M_MESSAGE, K_START),
};

#undef KEY

/* The key at s->p when it is one that may follow @last, stepped over
 * with its colon; else K_OTHER */
static inline Key
expected_key (Scanner *s,
              Key      last)
{
  gsize left = s->end - s->p;

  for (guint i = 0; i < G_N_ELEMENTS (keys[last].next) && keys[last].next[i] != K_START; i++)
    {
      const KeyInfo *key = &keys[keys[last].next[i]];

      if (left >= key->length && s->p[1] == key->text[1] && memcmp (s->p, key->text, key->length) == 0)
        {
          s->p += key->length;
          return keys[last].next[i];
        }
    }
  return K_OTHER;
}

/* A key read the general way (unescaped), as one of the writer's */
static Key
find_key (const char *name,
          gsize       length)
{
  for (guint k = K_SEQ; k < N_KEYS; k++)
    if (keys[k].length == length + 3 && memcmp (keys[k].text + 1, name, length) == 0)
      return k;
  return K_OTHER;
}

/* The line's top-level object: where each member the event uses lies.
 * With @line_length, @length is what there is to read and the line ends
 * at the first newline (no token holds one, so the scan never passes
 * it): *line_length is where that is. */
static gboolean
scan_members (const char      *line,
              gsize            length,
              HlJsonScanArena *arena,
              Value           *m,
              gsize           *line_length)
{
  Scanner s = { line, line + length };

  Key last = K_START;

  if (!expect (&s, '{'))
    return FALSE;
  for (;;)
    {
      Value key, value;
      int member;
      Key k;

      skip_ws (&s);
      if ((k = last != K_OTHER ? expected_key (&s, last) : K_OTHER) == K_OTHER)
        {
          if (s.p >= s.end || *s.p != '"' || !scan_string (&s, &key) || key.escaped || !expect (&s, ':'))
            return FALSE;
          k = find_key (key.start, key.end - key.start);
        }
      last = k;
      skip_ws (&s);
      if (k == K_FIELDS)
        {
          const char *start = s.p;

          if (arena == NULL || s.p >= s.end || *s.p != '{' || !skip_recent_tree (arena, &s))
            {
              /* as scan_value() at depth 1 would see the object: at 2 */
              if (!scan_field (&s, 2))
                {
                  s.p = start;
                  if (!scan_value (&s, &value, 1))
                    return FALSE;
                }
              if (arena != NULL && *start == '{')
                remember_tree (arena, start, s.p - start);
            }
          member = -1;
        }
      else if (!scan_value (&s, &value, 1))
        return FALSE;
      else
        member = k != K_OTHER ? keys[k].member : -1;
      if (member >= 0)
        {
          /* json-glib keeps the last of duplicates; simpler to decline */
          if (m[member].type != VALUE_NONE)
            return FALSE;
          m[member] = value;
        }
      skip_ws (&s);
      if (s.p < s.end && *s.p == '}')
        break;
      if (s.p >= s.end || *s.p != ',')
        return FALSE;
      s.p++;
    }
  s.p++;
  skip_ws (&s);
  if (line_length == NULL)
    return s.p == s.end;
  if (s.p >= s.end || *s.p != '\n')
    return FALSE;
  *line_length = s.p - line;
  return TRUE;
}

/* The members every event has, into @common (its other members zeroed) */
static gboolean
get_common (const Value   *m,
            GString       *buffer,
            HlJsonScanned *common)
{
  gint64 seq, t_ns, session = 0;
  int side, kind, dir = HL_DIRECTION_NONE;

  memset (common, 0, sizeof *common);
  if (!get_int (&m[M_SEQ], 0, G_MAXINT64, &seq) ||
      !get_int (&m[M_T_NS], G_MININT64, G_MAXINT64, &t_ns) ||
      (m[M_SESSION].type != VALUE_NONE && !get_int (&m[M_SESSION], 0, G_MAXUINT, &session)) ||
      !get_name (&m[M_SIDE], buffer, side_name, HL_SIDE_SERVER + 1, &side) ||
      !get_name (&m[M_KIND], buffer, kind_name, HL_EVENT_ERROR + 1, &kind) ||
      (m[M_DIR].type != VALUE_NONE && !get_name (&m[M_DIR], buffer, dir_name, HL_DIRECTION_IN + 1, &dir)))
    return FALSE;
  common->seq = seq;
  common->t_ns = t_ns;
  common->session = session;
  common->side = side;
  common->kind = kind;
  common->dir = dir;
  return TRUE;
}

/* A handshake message or a record, prepared */
static gboolean
prepare_kind (const Value     *m,
              HlJsonScanArena *arena,
              HlJsonScanned   *scanned)
{
  if (scanned->kind == HL_EVENT_HANDSHAKE)
    return prepare_handshake (m, arena, scanned);
  if (scanned->kind == HL_EVENT_RECORD)
    return prepare_record (m, arena, scanned);
  return FALSE;
}

/**
 * hl_json_scan_prepare:
 * @scanned: (out caller-allocates): what hl_json_scan_finish() needs
 *
 * Returns: %TRUE for a handshake message or a record read on the fast
 *   path; %FALSE for any other line (hl_json_scan_event() reads it)
 */
static gboolean
prepare (const char      *line,
         gsize            length,
         gsize           *line_length,
         GString         *scratch,
         HlJsonScanArena *arena,
         HlJsonScanned   *scanned)
{
  Value m[N_MEMBERS] = { { 0 } };

  memset (scanned, 0, sizeof *scanned);
  return scan_members (line, length, arena, m, line_length) && get_common (m, scratch, scanned) &&
         prepare_kind (m, arena, scanned);
}

gboolean
hl_json_scan_prepare (const char      *line,
                      gsize            length,
                      GString         *scratch,
                      HlJsonScanArena *arena,
                      HlJsonScanned   *scanned)
{
  g_return_val_if_fail (line != NULL || length == 0, FALSE);
  g_return_val_if_fail (scratch != NULL, FALSE);
  g_return_val_if_fail (scanned != NULL, FALSE);

  return prepare (line, length, NULL, scratch, arena, scanned);
}

/**
 * hl_json_scan_prepare_line:
 * @data: a line, where it lies among the lines that follow it
 * @available: the bytes there are from @data on
 * @line_length: (out): the length of the line up to its newline, where it
 *   was read; else 0
 *
 * As hl_json_scan_prepare() for the line at @data, whose end it finds as
 * it reads it (a line without a newline before @available is not read).
 */
gboolean
hl_json_scan_prepare_line (const char      *data,
                           gsize            available,
                           gsize           *line_length,
                           GString         *scratch,
                           HlJsonScanArena *arena,
                           HlJsonScanned   *scanned)
{
  g_return_val_if_fail (data != NULL || available == 0, FALSE);
  g_return_val_if_fail (line_length != NULL, FALSE);
  g_return_val_if_fail (scratch != NULL, FALSE);
  g_return_val_if_fail (scanned != NULL, FALSE);

  *line_length = 0;
  if (prepare (data, available, line_length, scratch, arena, scanned))
    return TRUE;
  *line_length = 0;
  return FALSE;
}

/**
 * hl_json_scan_finish:
 *
 * Returns: (transfer full): the event of a line hl_json_scan_prepare()
 *   read, which gives its bytes over to it
 */
HlEvent *
hl_json_scan_finish (HlJsonScanned *scanned)
{
  HlEvent *event;

  g_return_val_if_fail (scanned != NULL && scanned->raw != NULL, NULL);

  if (scanned->raw_block != NULL)
    {
      /* the event keeps the block, and makes a GBytes only when asked */
      event = hl_event_new_with_raw_owner (scanned->kind, scanned->side, scanned->dir, scanned->type,
                                           scanned->version, scanned->encrypted, scanned->raw,
                                           scanned->raw_size, scanned->raw_block, &arena_block_owner);
      scanned->raw = NULL;
      scanned->raw_block = NULL;
    }
  else
    event = hl_event_new_taking_raw (scanned->kind, scanned->side, scanned->dir, scanned->type,
                                     scanned->version, scanned->encrypted,
                                     g_bytes_new_take (g_steal_pointer (&scanned->raw), scanned->raw_size));
  if (scanned->kind == HL_EVENT_HANDSHAKE)
    hl_event_set_cipher_suite (event, scanned->cipher_suite);
  hl_event_set_stamp (event, scanned->seq, scanned->t_ns);
  hl_event_set_session (event, scanned->session);
  return event;
}

/* Frees what a prepared line holds that was not finished */
void
hl_json_scan_clear (HlJsonScanned *scanned)
{
  if (scanned->raw != NULL)
    piece_drop (NULL, g_steal_pointer (&scanned->raw), g_steal_pointer (&scanned->raw_block));
}

static HlEvent *
scan_event (const char      *line,
            gsize            length,
            gsize           *line_length,
            GString         *scratch,
            HlJsonScanArena *arena)
{
  Value m[N_MEMBERS] = { { 0 } };
  g_autoptr(GString) own = NULL;
  GString *buffer = scratch;
  HlJsonScanned common;
  HlEvent *event = NULL;
  HlSide side;
  HlDirection dir;

  if (!scan_members (line, length, arena, m, line_length))
    return NULL;
  if (buffer == NULL)
    buffer = own = g_string_sized_new (64);
  if (!get_common (m, buffer, &common))
    return NULL;
  side = common.side;
  dir = common.dir;

  switch ((HlEventKind) common.kind)
    {
    case HL_EVENT_HANDSHAKE:
    case HL_EVENT_RECORD:
      /* stamped by hl_json_scan_finish() */
      return prepare_kind (m, arena, &common) ? hl_json_scan_finish (&common) : NULL;
    case HL_EVENT_CHANGE_CIPHER_SPEC:
      event = hl_event_new_change_cipher_spec (side, dir);
      break;
    case HL_EVENT_SECRET:
      event = secret_event (m, side, buffer, arena);
      break;
    case HL_EVENT_CERTIFICATE_CHECK:
      event = certificate_check_event (m, side);
      break;
    case HL_EVENT_ALERT:
      event = alert_event (m, side, dir);
      break;
    case HL_EVENT_STATE:
      event = state_event (m, side, buffer);
      break;
    case HL_EVENT_ERROR:
      event = error_event (m, side, buffer);
      break;
    default:
      return NULL;
    }
  if (event == NULL)
    return NULL;
  hl_event_set_stamp (event, common.seq, common.t_ns);
  hl_event_set_session (event, common.session);
  return event;
}

HlEvent *
hl_json_scan_event (const char      *line,
                    gsize            length,
                    GString         *scratch,
                    HlJsonScanArena *arena)
{
  g_return_val_if_fail (line != NULL || length == 0, NULL);

  return scan_event (line, length, NULL, scratch, arena);
}

/**
 * hl_json_scan_event_line:
 * @data: a line, where it lies among the lines that follow it
 * @available: the bytes there are from @data on
 * @line_length: (out): the length of the line up to its newline, where its
 *   event was read; else 0
 *
 * As hl_json_scan_event() for the line at @data, whose end it finds as it
 * reads it rather than the caller looking for it first (a line without a
 * newline before @available is not read).
 */
HlEvent *
hl_json_scan_event_line (const char      *data,
                         gsize            available,
                         gsize           *line_length,
                         GString         *scratch,
                         HlJsonScanArena *arena)
{
  HlEvent *event;

  g_return_val_if_fail (data != NULL || available == 0, NULL);
  g_return_val_if_fail (line_length != NULL, NULL);

  *line_length = 0;
  event = scan_event (data, available, line_length, scratch, arena);
  if (event == NULL)
    *line_length = 0;
  return event;
}

/* test-json-scan.c: the fast log line reader against json-glib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "hl-capture.h"
#include "hl-json-scan.h"
#include "hl-test-util.h"
#include "hl-log.h"


/* What the log reader does without the fast path */
static HlEvent *
read_with_json_glib (const char *line,
                     gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, line, length, &error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return hl_event_new_from_json (json_node_get_object (root), &error);
}

static void
assert_same_event (HlEvent *a,
                   HlEvent *b)
{
  g_autoptr(JsonNode) ja = hl_event_to_json (a, FALSE);
  g_autoptr(JsonNode) jb = hl_event_to_json (b, FALSE);

  if (!json_node_equal (ja, jb))
    {
      g_autofree char *sa = json_to_string (ja, FALSE);
      g_autofree char *sb = json_to_string (jb, FALSE);

      g_error ("fast path: %s\njson-glib: %s", sa, sb);
    }
  g_assert_cmpuint (hl_event_get_seq (a), ==, hl_event_get_seq (b));
  g_assert_cmpint (hl_event_get_time_ns (a), ==, hl_event_get_time_ns (b));
  g_assert_cmpuint (hl_event_get_session (a), ==, hl_event_get_session (b));
}

/* The fast path may decline a line, but what it accepts json-glib reads
 * the same; read in two steps (handshake messages and records), it reads
 * the same again; returns whether the fast path accepted it */
static gboolean
check_line (const char *line,
            gsize       length)
{
  g_autoptr(HlEvent) fast = hl_json_scan_event (line, length, NULL, NULL);
  g_autoptr(HlEvent) slow = NULL;
  g_autoptr(GString) scratch = g_string_new (NULL);
  /* the two steps take the bytes from an arena, freed before the event */
  g_autoptr(HlJsonScanArena) arena = hl_json_scan_arena_new ();
  HlJsonScanned scanned;
  gboolean prepared = hl_json_scan_prepare (line, length, scratch, arena, &scanned);

  g_clear_pointer (&arena, hl_json_scan_arena_free);
  if (prepared)
    {
      g_autoptr(HlEvent) finished = hl_json_scan_finish (&scanned);

      g_assert_nonnull (fast);
      g_assert_true (hl_event_get_kind (fast) == HL_EVENT_HANDSHAKE ||
                     hl_event_get_kind (fast) == HL_EVENT_RECORD);
      assert_same_event (finished, fast);
    }
  else
    g_assert_true (fast == NULL || (hl_event_get_kind (fast) != HL_EVENT_HANDSHAKE &&
                                    hl_event_get_kind (fast) != HL_EVENT_RECORD));
  if (fast == NULL)
    return FALSE;
  slow = read_with_json_glib (line, length);
  if (slow == NULL)
    g_error ("the fast path accepted what json-glib refuses: %.*s", (int) MIN (length, 300), line);
  assert_same_event (fast, slow);
  return TRUE;
}

static char *
event_line (HlEvent  *event,
            gboolean  with_fields)
{
  g_autoptr(JsonNode) node = hl_event_to_json (event, with_fields);

  return json_to_string (node, FALSE);
}

static GListModel *
capture_demo (HlTlsVersion  version,
              HlKeyExchange kx,
              gboolean      mutual,
              HlScenario    scenario)
{
  return hl_test_run_demo (version, mutual, kx, scenario, NULL);
}

static GPtrArray *
demo_lines (void)
{
  static const struct {
    HlTlsVersion version;
    HlKeyExchange kx;
    gboolean mutual;
    HlScenario scenario;
  } demos[] = {
    { HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, FALSE, HL_SCENARIO_NONE },
    { HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, TRUE, HL_SCENARIO_NONE },
    { HL_TLS_VERSION_1_2, HL_KEY_EXCHANGE_RSA, TRUE, HL_SCENARIO_NONE },
    { HL_TLS_VERSION_1_2, HL_KEY_EXCHANGE_ECDHE, FALSE, HL_SCENARIO_RESUMPTION },
    { HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, FALSE, HL_SCENARIO_HELLO_RETRY },
    { HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, FALSE, HL_SCENARIO_UNTRUSTED_SERVER },
    { HL_TLS_VERSION_1_3, HL_KEY_EXCHANGE_ECDHE, FALSE, HL_SCENARIO_NO_CLIENT_CERT },
  };
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint d = 0; d < G_N_ELEMENTS (demos); d++)
    {
      g_autoptr(GListModel) events = capture_demo (demos[d].version, demos[d].kx,
                                                   demos[d].mutual, demos[d].scenario);

      for (guint i = 0; i < g_list_model_get_n_items (events); i++)
        {
          g_autoptr(HlEvent) event = g_list_model_get_item (events, i);

          g_ptr_array_add (lines, event_line (event, TRUE));
          if (i % 3 == 0)
            g_ptr_array_add (lines, event_line (event, FALSE));
        }
    }
  return lines;
}

/* Every line of real captures, every kind of event: the fast path reads
 * each of them, and reads it as json-glib does */
static void
test_real_logs (void)
{
  g_autoptr(GPtrArray) lines = demo_lines ();
  guint n_kinds[HL_EVENT_ERROR + 1] = { 0 };

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autoptr(HlEvent) slow = read_with_json_glib (line, strlen (line));

      g_assert_nonnull (slow);
      if (!check_line (line, strlen (line)))
        g_error ("the fast path declined a line of a real capture: %.300s", line);
      n_kinds[hl_event_get_kind (slow)]++;
    }
  g_test_message ("%u lines on the fast path", lines->len);
  g_assert_cmpuint (n_kinds[HL_EVENT_STATE], >, 0);
  g_assert_cmpuint (n_kinds[HL_EVENT_HANDSHAKE], >, 0);
}

static const char *const accepted_lines[] = {
  /* escapes and \u sequences in strings the event keeps */
  "{\"seq\":1,\"t_ns\":2,\"side\":\"cl\\u0069ent\",\"kind\":\"secret\",\"label\":\"A\\\"B\\\\C\\/D\\b\\f\\n\\r\\t\\u00e9\\u20ac\\ud83d\\ude00\","
  "\"client_random\":\"00ff\",\"secret\":\"AbCd\"}",
  "{\"seq\":3,\"t_ns\":4,\"side\":\"server\",\"kind\":\"certificate_check\",\"chain\":[\"3082\",\"\"],"
  "\"status\":66,\"reasons\":[\"The \\u201cname\\u201d \\ud834\\udd1e is wrong.\",\"Caf\xc3\xa9\",\"\"]}",
  /* nested unknown members, in and around the ones the event uses */
  "{\"future\":{\"a\":[1,2,{\"b\":[[],{}]}],\"c\":null,\"d\":true,\"e\":false,\"f\":-0.5e+3},"
  "\"seq\":5,\"t_ns\":6,\"side\":\"client\",\"kind\":\"handshake\",\"dir\":\"out\",\"type\":\"client_hello\","
  "\"msg_type\":1,\"raw\":\"0100000103\",\"encrypted\":false,\"tls_version\":772,"
  "\"fields\":{\"name\":\"client_hello\",\"value\":\"\\u00e9 \\\"x\\\"\",\"offset\":0,\"length\":5,\"children\":[]},"
  "\"x\":\"\\ud83d\\ude00\",\"x\":[1E5,2e-3,0,-0,1.25]}",
  /* numbers at the limits of the members */
  "{\"seq\":9223372036854775807,\"t_ns\":-9223372036854775808,\"session\":4294967295,\"side\":\"client\","
  "\"kind\":\"alert\",\"dir\":\"in\",\"level_code\":255,\"description_code\":0}",
  "{\"seq\":0,\"t_ns\":9223372036854775807,\"side\":\"server\",\"kind\":\"record\",\"dir\":\"out\","
  "\"content_type\":\"handshake\",\"version\":65535,\"length\":0,\"raw\":\"1603030000\"}",
  "{\"seq\":0,\"t_ns\":0,\"side\":\"server\",\"kind\":\"certificate_check\",\"chain\":[],\"status\":4294967295,\"reasons\":[]}",
  /* keys that begin or end like the ones the writer puts next, and
   * members out of the writer's order */
  "{\"seq\":1,\"t_nsx\":5,\"t_n\":6,\"t_ns\":2,\"sidex\":\"a\",\"side\":\"client\",\"kind\":\"record\","
  "\"content_type\":\"alert\",\"dir\":\"in\",\"length\":2,\"lengthy\":3,\"version\":771,\"raw\":\"1503030002020a\"}",
  "{\"kind\":\"handshake\",\"side\":\"server\",\"raw\":\"14000000\",\"t_ns\":2,\"encrypted\":true,\"seq\":7,"
  "\"msg_type\":20,\"type\":\"finished\",\"dir\":\"out\"}",
  /* whitespace between tokens, a Windows line end */
  " { \"seq\" : 7 , \"t_ns\" : 8 ,\t\"side\" : \"client\" , \"kind\" : \"change_cipher_spec\" , \"dir\" : \"in\" } \r",
  "{\"seq\":7,\"t_ns\":8,\"side\":\"client\",\"kind\":\"handshake\",\"msg_type\":20,\"raw\":\"14000000\",\"encrypted\":true}",
  /* states: details of every scalar kind, escaped names and values, none */
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"handshake_done\",\"details\":"
  "{\"version\":\"TLS1.3\",\"resumed\":false,\"early\":true,\"alpn\":null,\"port\":443,\"skew\":-9223372036854775808,"
  "\"n\\u0061me\":\"\\u201cquoted\\u201d \\\"\\\\ \\ud83d\\ude00\",\"\":\"\"}}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"server\",\"kind\":\"state\",\"state\":\"cl\\u006fsed\",\"details\":{ }}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"closed\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"error\",\"code\":\"dns\",\"message\":\"Caf\xc3\xa9 \\\"x\\\" \\u00e9\"}",
  /* a field tree as logs write it (the fast path for fields), nested,
   * with and without values, an error node, escapes and UTF-8 */
  "{\"seq\":5,\"t_ns\":6,\"side\":\"server\",\"kind\":\"handshake\",\"dir\":\"out\",\"type\":\"finished\","
  "\"msg_type\":20,\"raw\":\"1400000400010203\",\"encrypted\":true,\"tls_version\":772,\"cipher_suite\":4865,"
  "\"fields\":{\"name\":\"finished\",\"value\":\"verify_data \\\"ok\\\" \xc3\xa9\",\"offset\":0,\"length\":8,"
  "\"children\":[{\"name\":\"msg_type\",\"value\":\"finished (20)\",\"offset\":0,\"length\":1},"
  "{\"name\":\"length\",\"offset\":1,\"length\":3},{\"name\":\"verify_data\",\"value\":\"00010203\",\"offset\":4,"
  "\"length\":4,\"error\":true,\"children\":[{\"name\":\"byte\",\"value\":\"\\u0041x\",\"offset\":10,\"length\":0}]}]}}",
};

/* json-glib may read these (or name the error), the fast path must not */
static const char *const declined_lines[] = {
  "",
  "{}",
  "[]",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\",\"dir\":\"in\"",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\",\"dir\":\"in\",}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\",\"dir\":\"in\"}{}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\",\"dir\":\"in\"} x",
  "{\"seq\":1 /* c */,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":'client',\"kind\":\"change_cipher_spec\"}",
  /* numbers json-glib wraps or types as doubles */
  "{\"seq\":9223372036854775808,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1,\"t_ns\":-9223372036854775809,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":18446744073709551617,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1.0,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1e2,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":01,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":0x1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":+1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":-1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1,\"t_ns\":2,\"session\":4294967296,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"alert\",\"level_code\":256,\"description_code\":0}",
  "{\"seq\":\"1\",\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  /* strings: lone surrogates, NUL, control characters, bad escapes */
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"secret\",\"label\":\"\\ud83d\",\"client_random\":\"00\",\"secret\":\"00\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"secret\",\"label\":\"\\ud83dx\",\"client_random\":\"00\",\"secret\":\"00\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"secret\",\"label\":\"\\ude00\",\"client_random\":\"00\",\"secret\":\"00\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"secret\",\"label\":\"a\\u0000b\",\"client_random\":\"00\",\"secret\":\"00\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"secret\",\"label\":\"a\tb\",\"client_random\":\"00\",\"secret\":\"00\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"secret\",\"label\":\"\\x41\",\"client_random\":\"00\",\"secret\":\"00\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"secret\",\"label\":\"\\u12\",\"client_random\":\"00\",\"secret\":\"00\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"secret\",\"label\":\"L\",\"client_random\":\"0\",\"secret\":\"00\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"secret\",\"label\":\"L\",\"client_random\":\"0g\",\"secret\":\"00\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"secret\",\"label\":\"L\",\"client_random\":\"\\u0030\\u0030\",\"secret\":\"00\"}",
  /* escaped, duplicate and missing members */
  "{\"s\\u0065q\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1,\"seq\":2,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\",\"dir\":\"in\",\"dir\":\"in\"}",
  ("{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"record\",\"dir\":\"in\",\"content_type\":\"alert\","
   "\"version\":771,\"version\":771,\"length\":2,\"raw\":\"1503030002020a\"}"),
  "{\"seq\":1,\"t_ns\" :2,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"both\",\"kind\":\"change_cipher_spec\"}",
  /* names that begin a known one, or go on after it */
  "{\"seq\":1,\"t_ns\":2,\"side\":\"cli\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"clients\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"\",\"kind\":\"change_cipher_spec\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec_\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\",\"dir\":\"o\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\",\"dir\":\"inn\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"cli\\u0065nt\",\"kind\":\"change_cipher_sp\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\",\"dir\":\"sideways\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\",\"dir\":null}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"handshake\",\"msg_type\":1,\"raw\":\"01\",\"encrypted\":1}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"record\",\"version\":771,\"raw\":\"16030300\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"certificate_check\",\"chain\":[1],\"status\":0,\"reasons\":[]}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"certificate_check\",\"chain\":[],\"status\":0,\"reasons\":{}}",
  /* states and errors the fast path leaves to json-glib */
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"closed\",\"details\":{\"a\":{}}}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"closed\",\"details\":{\"a\":[1]}}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"closed\",\"details\":{\"a\":1.5}}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"closed\",\"details\":{\"a\":9223372036854775808}}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"closed\",\"details\":{\"a\":1,\"a\":2}}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"closed\",\"details\":{\"a\":1,\"\\u0061\":2}}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"closed\",\"details\":{\"a\":\"\\u0000\"}}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"closed\",\"details\":[]}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"closed\",\"details\":null}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":1}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"error\",\"code\":\"dns\"}",
  "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"error\",\"code\":\"dns\",\"message\":[]}",
};

static void
test_tricky_lines (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (accepted_lines); i++)
    {
      g_test_message ("accepted %u", i);
      g_assert_true (check_line (accepted_lines[i], strlen (accepted_lines[i])));
    }
  for (guint i = 0; i < G_N_ELEMENTS (declined_lines); i++)
    {
      g_autoptr(HlEvent) event = hl_json_scan_event (declined_lines[i], strlen (declined_lines[i]), NULL, NULL);

      g_test_message ("declined %u", i);
      g_assert_null (event);
    }
  /* A field tree as logs write it, nested as deep as the fast path
   * follows, and one level deeper */
  for (guint levels = 31; levels <= 34; levels++)
    {
      g_autoptr(GString) line = g_string_new ("{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"handshake\","
                                              "\"msg_type\":20,\"raw\":\"14000000\",\"encrypted\":true,\"fields\":");
      g_autoptr(HlEvent) event = NULL;

      for (guint i = 0; i < levels; i++)
        g_string_append (line, i + 1 < levels ? "{\"name\":\"n\",\"offset\":0,\"length\":0,\"children\":["
                                              : "{\"name\":\"n\",\"offset\":0,\"length\":0");
      for (guint i = 0; i < levels; i++)
        g_string_append (line, i == 0 ? "}" : "]}");
      g_string_append_c (line, '}');
      event = hl_json_scan_event (line->str, line->len, NULL, NULL);
      /* objects and arrays: 2 levels of nesting per field after the
       * line's own object, at most 64 */
      if (2 * levels <= 64)
        g_assert_true (check_line (line->str, line->len));
      else
        g_assert_null (event);
    }

  /* Nesting deeper than the fast path follows */
  {
    g_autoptr(GString) line = g_string_new ("{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\",\"deep\":");
    g_autoptr(HlEvent) event = NULL;

    for (guint i = 0; i < 200; i++)
      g_string_append_c (line, '[');
    for (guint i = 0; i < 200; i++)
      g_string_append_c (line, ']');
    g_string_append_c (line, '}');
    event = hl_json_scan_event (line->str, line->len, NULL, NULL);
    g_assert_null (event);
  }
}

/* Strings are stepped over many bytes at a time: a character that ends
 * a plain run, at every place in strings of every length (so at every
 * distance from the line's end too), reads as it should */
static void
test_string_runs (void)
{
  static const struct {
    const char *text;
    const char *value;  /* NULL: the line is refused */
  } specials[] = {
    { "\\\"", "\"" }, { "\\\\", "\\" }, { "\\n", "\n" }, { "\\u00e9", "\xc3\xa9" },
    { "\xc3\xa9", "\xc3\xa9" }, { "\xe2\x82\xac", "\xe2\x82\xac" }, { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
    { "\x7f", "\x7f" }, { " ", " " },
    { "\x01", NULL }, { "\x1f", NULL }, { "\t", NULL }, { "\xff", NULL }, { "\x80", NULL },
    { "\xc3", NULL }, { "\xe2\x82", NULL }, { "\xc0\xaf", NULL }, { "\\", NULL }, { "\\q", NULL },
  };
  guint n_checked = 0;

  for (guint length = 0; length <= 40; length++)
    for (guint at = 0; at <= length; at++)
      for (guint k = 0; k < G_N_ELEMENTS (specials); k++)
          {
            g_autoptr(GString) expected = g_string_new (NULL);
            g_autoptr(GString) line = g_string_new ("{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"secret\","
                                                    "\"client_random\":\"00\",\"secret\":\"00\",\"label\":\"");
            g_autoptr(HlEvent) event = NULL;

            for (guint i = 0; i < length; i++)
              {
                if (i == at)
                  {
                    g_string_append (line, specials[k].text);
                    if (specials[k].value != NULL)
                      g_string_append (expected, specials[k].value);
                  }
                /* no letter that could end an escape */
                g_string_append_c (line, 'g' + i % 7);
                g_string_append_c (expected, 'g' + i % 7);
              }
            if (at == length)
              {
                g_string_append (line, specials[k].text);
                if (specials[k].value != NULL)
                  g_string_append (expected, specials[k].value);
              }
            g_string_append (line, "\"}");

            event = hl_json_scan_event (line->str, line->len, NULL, NULL);
            if (specials[k].value == NULL)
              g_assert_null (event);
            else
              {
                g_assert_true (check_line (line->str, line->len));
                g_assert_nonnull (event);
                g_assert_cmpstr (hl_event_get_label (event), ==, expected->str);
              }
            n_checked++;
          }
  g_test_message ("%u lines", n_checked);
}

/* Hex is read many digits at a time: digits of both cases decode at
 * every length, and a character that is not a digit, at every place,
 * is refused */
static void
test_hex_runs (void)
{
  static const char not_digits[] = "gG/:@`~ Zz";
  static const char digits[] = "0123456789abcdefABCDEF";
  guint n_checked = 0;

  /* a record holds its 5-byte header at least */
  for (guint size = 5; size <= 45; size++)
    {
      g_autoptr(GString) hex = g_string_new (NULL);
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      g_autofree char *line = NULL;
      g_autoptr(HlEvent) event = NULL;

      for (guint i = 0; i < size; i++)
        {
          guint8 b = (guint8) (i * 37 + size * 11);
          /* upper or lower case, by turns */
          const char *set = (i + size) % 3 == 0 ? "0123456789ABCDEF" : "0123456789abcdef";

          g_byte_array_append (bytes, &b, 1);
          g_string_append_c (hex, set[b >> 4]);
          g_string_append_c (hex, set[b & 0xf]);
        }
      line = g_strdup_printf ("{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"record\",\"dir\":\"out\","
                              "\"content_type\":\"handshake\",\"version\":771,\"length\":%u,\"raw\":\"%s\"}",
                              size, hex->str);
      g_assert_true (check_line (line, strlen (line)));
      event = hl_json_scan_event (line, strlen (line), NULL, NULL);
      g_assert_nonnull (event);
      g_assert_true (g_bytes_get_size (hl_event_get_raw (event)) == size);
      g_assert_true (memcmp (g_bytes_get_data (hl_event_get_raw (event), NULL), bytes->data, size) == 0);

      for (gsize at = 0; at < hex->len; at++)
        for (guint k = 0; k < sizeof not_digits - 1; k++)
          {
            g_autofree char *bad = g_strdup (line);
            g_autoptr(HlEvent) refused = NULL;

            bad[strstr (line, "\"raw\":\"") + 7 - line + at] = not_digits[k];
            refused = hl_json_scan_event (bad, strlen (bad), NULL, NULL);
            g_assert_null (refused);
            n_checked++;
          }
      /* and every digit at every place reads as itself */
      for (gsize at = 0; at < hex->len; at++)
        {
          g_autofree char *other = g_strdup (line);
          g_autoptr(HlEvent) read = NULL;
          char digit = digits[(at * 7 + size) % (sizeof digits - 1)];
          guint8 expected;

          other[strstr (line, "\"raw\":\"") + 7 - line + at] = digit;
          read = hl_json_scan_event (other, strlen (other), NULL, NULL);
          g_assert_nonnull (read);
          expected = at % 2 == 0 ? (guint8) ((g_ascii_xdigit_value (digit) << 4) | (bytes->data[at / 2] & 0x0f))
                                 : (guint8) ((bytes->data[at / 2] & 0xf0) | g_ascii_xdigit_value (digit));
          g_assert_cmpuint (((const guint8 *) g_bytes_get_data (hl_event_get_raw (read), NULL))[at / 2], ==, expected);
        }
    }
  g_test_message ("%u lines refused", n_checked);
}

/* Cut at every byte, and every byte replaced: never misread */
static void
test_malformed (void)
{
  static const char replacements[] = "\"\\{}[],:0a -\x01\xc3\xff\x80\0";
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  guint accepted = 0;

  for (guint i = 0; i < G_N_ELEMENTS (accepted_lines); i++)
    g_ptr_array_add (lines, (gpointer) accepted_lines[i]);

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      gsize length = strlen (line);
      g_autofree char *copy = g_strdup (line);

      for (gsize cut = 0; cut + 1 < length; cut++)
        {
          /* Only trailing white space may go */
          if (check_line (line, cut))
            g_assert_true (strspn (line + cut, " \r\t") == length - cut);
        }
      for (gsize at = 0; at < length; at++)
        for (guint r = 0; r < sizeof replacements - 1; r++)
          {
            copy[at] = replacements[r];
            if (!g_utf8_validate_len (copy, length, NULL) || memchr (copy, '\0', length) != NULL)
              {
                g_autoptr(HlEvent) event = hl_json_scan_event (copy, length, NULL, NULL);

                /* the fast path checks the text itself */
                g_assert_null (event);
              }
            else
              accepted += check_line (copy, length);
            copy[at] = line[at];
          }
    }
  g_test_message ("%u corrupted lines still read as json-glib reads them", accepted);
}

/* Several threads ask an event for something at once, and the caller
 * too: all must get the one thing, which is returned */
typedef gpointer (*AskFunc) (HlEvent *event);

typedef struct
{
  HlEvent  *event;
  AskFunc   ask;
  GMutex    lock;
  GCond     cond;
  gboolean  go;
} Race;

static gpointer
race_thread (gpointer data)
{
  Race *race = data;

  g_mutex_lock (&race->lock);
  while (!race->go)
    g_cond_wait (&race->cond, &race->lock);
  g_mutex_unlock (&race->lock);
  return race->ask (race->event);
}

static gpointer
race_for (HlEvent *event,
          AskFunc  ask)
{
  Race race = { event, ask };
  GThread *threads[4];
  gpointer got;

  g_mutex_init (&race.lock);
  g_cond_init (&race.cond);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("race", race_thread, &race);
  g_mutex_lock (&race.lock);
  race.go = TRUE;
  g_cond_broadcast (&race.cond);
  g_mutex_unlock (&race.lock);
  got = ask (event);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (g_thread_join (threads[i]) == got);
  g_mutex_clear (&race.lock);
  g_cond_clear (&race.cond);
  return got;
}

static gpointer
ask_details (HlEvent *event)
{
  return hl_event_get_details (event);
}

static gpointer
ask_raw (HlEvent *event)
{
  return hl_event_get_raw (event);
}

/* A state's details are read when first asked for: by any number of
 * threads at once, all of which get the one object, the same as
 * json-glib's; a copy of the event shares it. */
static void
test_lazy_details (void)
{
  static const char line[] =
    "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"connected\","
    "\"details\":{\"peer\":\"localhost\",\"port\":443,\"resumed\":false,\"alpn\":null,\"n\\u0061me\":\"\\u00e9\"}}";
  static const char *const not_details[] = {
    "", "{", "{}x", "[]", "{\"a\":{}}", "{\"a\":1,\"a\":2}", "{\"a\":1.5}", " {}",
  };
  g_autoptr(HlEvent) slow = read_with_json_glib (line, strlen (line));
  g_autoptr(JsonObject) empty = NULL;

  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(HlEvent) event = hl_json_scan_event (line, strlen (line), NULL, NULL);
      g_autoptr(HlEvent) copy = NULL;
      JsonObject *details;

      g_assert_nonnull (event);
      details = race_for (event, ask_details);

      g_assert_nonnull (details);
      g_assert_true (json_object_equal (details, hl_event_get_details (slow)));
      g_assert_cmpstr (hl_event_get_detail (event, "peer"), ==, "localhost");
      g_assert_cmpstr (hl_event_get_detail (event, "resumed"), ==, "false");
      g_assert_cmpstr (hl_event_get_detail (event, "name"), ==, "\xc3\xa9");
      copy = hl_event_copy_with_time (event, 5, 6);
      g_assert_true (hl_event_get_details (copy) == details);
    }

  /* A state without details has an empty object, made when asked for */
  {
    static const char bare[] = "{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"state\",\"state\":\"closed\"}";
    g_autoptr(HlEvent) event = hl_json_scan_event (bare, strlen (bare), NULL, NULL);

    g_assert_nonnull (hl_event_get_details (event));
    g_assert_cmpuint (json_object_get_size (hl_event_get_details (event)), ==, 0);
    g_assert_true (hl_event_get_details (event) == hl_event_get_details (event));
  }
  for (guint i = 0; i < G_N_ELEMENTS (not_details); i++)
    g_assert_null (hl_json_scan_details (not_details[i], strlen (not_details[i])));
  empty = hl_json_scan_details ("{}", 2);
  g_assert_nonnull (empty);
  g_assert_cmpuint (json_object_get_size (empty), ==, 0);
}

/* A whole log loads to the same events as before the fast path */
static void
test_log_load (void)
{
  g_autoptr(GPtrArray) lines = demo_lines ();
  g_autofree char *header = hl_log_format_header ("demo", "test", TRUE);
  g_autoptr(GString) text = g_string_new (header);
  g_autoptr(HlLog) log = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *events;

  g_string_append_c (text, '\n');
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (lines, i));
  log = hl_log_load_from_data (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_null (hl_log_get_problem (log));
  events = hl_log_get_events (log);
  g_assert_cmpuint (g_list_model_get_n_items (events), ==, lines->len);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autoptr(HlEvent) slow = read_with_json_glib (line, strlen (line));
      g_autoptr(HlEvent) loaded = g_list_model_get_item (events, i);

      assert_same_event (loaded, slow);
    }

  /* From a file, read a block at a time: lines across blocks, and a
   * truncated last line, as from memory */
  while (text->len < 3 * 1024 * 1024)
    g_string_append_len (text, text->str + strlen (header) + 1, text->len - strlen (header) - 1);
  for (guint cut = 0; cut < 2; cut++)
    {
      g_autofree char *path = g_build_filename (hl_test_tmpdir (), "long.hllog", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      gsize length = text->len - cut * 7;
      g_autoptr(HlLog) from_data = hl_log_load_from_data (text->str, length, &error);
      g_autoptr(HlLog) from_file = NULL;

      g_assert_no_error (error);
      g_assert_true (g_file_set_contents (path, text->str, length, NULL));
      from_file = hl_log_load (file, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (hl_log_get_events (from_file)), ==,
                        g_list_model_get_n_items (hl_log_get_events (from_data)));
      g_assert_cmpstr (hl_log_get_problem (from_file), ==, hl_log_get_problem (from_data));
      g_assert_cmpuint (hl_log_get_n_problems (from_file), ==, cut);
      g_unlink (path);
    }
}

/* Record lines of @size bytes (a pattern from @salt); *bytes: the bytes */
static char *
record_line (guint        size,
             guint        salt,
             GByteArray **bytes)
{
  g_autoptr(GString) hex = g_string_sized_new (2 * size);

  *bytes = g_byte_array_sized_new (size);
  for (guint i = 0; i < size; i++)
    {
      guint8 b = (guint8) (i * 131 + salt * 7 + (i >> 8));

      g_byte_array_append (*bytes, &b, 1);
      g_string_append_printf (hex, "%02x", b);
    }
  return g_strdup_printf ("{\"seq\":%u,\"t_ns\":2,\"side\":\"server\",\"kind\":\"record\",\"dir\":\"in\","
                          "\"content_type\":\"application_data\",\"version\":771,\"length\":%u,\"raw\":\"%s\"}",
                          salt, size, hex->str);
}

/* The bytes of many events from one arena, as a log's reader makes them:
 * small ones share blocks, big ones get their own, a line refused after
 * its bytes were decoded gives its room back, and every event keeps its
 * bytes after the arena is gone */
static void
test_arena (void)
{
  static const guint sizes[] = { 5, 120, 1500, 40000, 333, 16389, 6, 70000, 2048 };
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autoptr(GString) scratch = g_string_new (NULL);
  HlJsonScanArena *arena = hl_json_scan_arena_new ();
  guint n_refused = 0;

  for (guint i = 0; i < 600; i++)
    {
      GByteArray *bytes;
      g_autofree char *line = record_line (sizes[i % G_N_ELEMENTS (sizes)], i, &bytes);
      HlJsonScanned scanned;

      if (i % 7 == 3)
        {
          /* the last digit is not one: refused once its room was taken */
          char *raw_end = strrchr (line, '"');

          raw_end[-1] = 'g';
          g_assert_false (hl_json_scan_prepare (line, strlen (line), scratch, arena, &scanned));
          g_assert_null (hl_json_scan_event (line, strlen (line), scratch, arena));
          g_byte_array_unref (bytes);
          n_refused++;
          continue;
        }
      if (i % 2 == 0)
        {
          g_assert_true (hl_json_scan_prepare (line, strlen (line), scratch, arena, &scanned));
          g_ptr_array_add (events, hl_json_scan_finish (&scanned));
        }
      else
        g_ptr_array_add (events, hl_json_scan_event (line, strlen (line), scratch, arena));
      g_assert_nonnull (g_ptr_array_index (events, events->len - 1));
      g_ptr_array_add (expected, bytes);
    }
  /* prepared and not finished: its room goes back */
  {
    GByteArray *bytes;
    g_autofree char *line = record_line (900, 1, &bytes);
    HlJsonScanned scanned;

    g_assert_true (hl_json_scan_prepare (line, strlen (line), scratch, arena, &scanned));
    hl_json_scan_clear (&scanned);
    g_byte_array_unref (bytes);
  }
  hl_json_scan_arena_free (arena);

  g_assert_cmpuint (n_refused, >, 50);
  g_assert_cmpuint (events->len, ==, expected->len);
  for (guint i = 0; i < events->len; i++)
    {
      GBytes *raw = hl_event_get_raw (g_ptr_array_index (events, i));
      GByteArray *bytes = g_ptr_array_index (expected, i);

      g_assert_cmpuint (g_bytes_get_size (raw), ==, bytes->len);
      g_assert_true (memcmp (g_bytes_get_data (raw, NULL), bytes->data, bytes->len) == 0);
    }
  /* and they are freed in any order */
  for (guint i = events->len; i >= 2; i -= 2)
    g_object_unref (g_ptr_array_steal_index (events, i - 2));
}

/* Lines read where they lie in a block, the scan finding each line's end,
 * read as they read alone: the same event or none, the same length, in
 * both steps; a line that is not read gives no length. Blocks mix real
 * lines, tricky and declined ones, blank lines, Windows line ends, a
 * line broken in two by a newline where a space could be, and a last line
 * without its newline. */
static void
test_lines_in_block (void)
{
  g_autoptr(GPtrArray) lines = demo_lines ();
  g_autoptr(GString) block = g_string_new (NULL);
  g_autoptr(GString) scratch = g_string_new (NULL);
  g_autoptr(HlJsonScanArena) arena = hl_json_scan_arena_new ();
  const char *end;
  guint n_read = 0, n_not = 0;

  for (guint i = 0; i < G_N_ELEMENTS (accepted_lines); i++)
    g_ptr_array_add (lines, g_strdup (accepted_lines[i]));
  for (guint i = 0; i < G_N_ELEMENTS (declined_lines); i++)
    g_ptr_array_add (lines, g_strdup (declined_lines[i]));
  g_ptr_array_add (lines, g_strdup (""));
  g_ptr_array_add (lines, g_strdup ("{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\n\"kind\":\"change_cipher_spec\"}"));
  g_ptr_array_add (lines, g_strdup ("{\"seq\":1,\"t_ns\":2,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}\n\n"));
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (block, "%s%s", (const char *) g_ptr_array_index (lines, i),
                            i % 5 == 4 ? "\r\n" : "\n");
  /* a last line without its newline is not read */
  g_string_append (block, (const char *) g_ptr_array_index (lines, 1));
  end = block->str + block->len;

  for (const char *line = block->str; line < end;)
    {
      const char *newline = memchr (line, '\n', end - line);
      gsize length = newline != NULL ? (gsize) (newline - line) : 0, found = 7, prepared_length = 7;
      g_autoptr(HlEvent) alone = newline != NULL ? hl_json_scan_event (line, length, scratch, NULL) : NULL;
      g_autoptr(HlEvent) there = hl_json_scan_event_line (line, end - line, &found, scratch, arena);
      HlJsonScanned scanned, scanned_alone;
      gboolean prepared = hl_json_scan_prepare_line (line, end - line, &prepared_length, scratch, arena, &scanned);
      gboolean prepared_alone = newline != NULL &&
                                hl_json_scan_prepare (line, length, scratch, NULL, &scanned_alone);

      g_assert_true ((there != NULL) == (alone != NULL));
      g_assert_cmpuint (found, ==, there != NULL ? length : 0);
      if (there != NULL)
        {
          assert_same_event (there, alone);
          n_read++;
        }
      else
        n_not++;
      g_assert_true (prepared == prepared_alone);
      g_assert_cmpuint (prepared_length, ==, prepared ? length : 0);
      if (prepared)
        {
          g_autoptr(HlEvent) a = hl_json_scan_finish (&scanned);
          g_autoptr(HlEvent) b = hl_json_scan_finish (&scanned_alone);

          assert_same_event (a, b);
        }
      line = newline != NULL ? newline + 1 : end;
    }
  g_assert_cmpuint (n_read, >, lines->len / 2);
  g_assert_cmpuint (n_not, >, G_N_ELEMENTS (declined_lines));
}

/* A log's events keep their bytes in the reader's blocks and make a
 * GBytes of them when first asked for: by any number of threads at once,
 * all of which get the one GBytes; a copy made before or after shares the
 * bytes; all of it outlives the arena, and the event, the copy and the
 * GBytes are freed in any order. */
static void
test_raw_made_once (void)
{
  for (guint round = 0; round < 40; round++)
    {
      g_autoptr(GString) scratch = g_string_new (NULL);
      HlJsonScanArena *arena = hl_json_scan_arena_new ();
      GByteArray *expected;
      g_autofree char *line = record_line (100 + round, round, &expected);
      HlEvent *event = hl_json_scan_event (line, strlen (line), scratch, arena);
      HlEvent *early = NULL, *late = NULL;
      GBytes *raw;

      g_assert_nonnull (event);
      hl_json_scan_arena_free (arena);
      if (round % 2 == 0)
        early = hl_event_copy_with_time (event, 1, 2);
      g_assert_cmpuint (hl_event_get_length (event), ==, expected->len);
      raw = race_for (event, ask_raw);

      g_assert_cmpuint (g_bytes_get_size (raw), ==, expected->len);
      g_assert_true (memcmp (g_bytes_get_data (raw, NULL), expected->data, expected->len) == 0);
      late = hl_event_copy_with_time (event, 3, 4);
      g_assert_true (hl_event_get_raw (late) == raw);
      g_bytes_ref (raw);
      if (round % 3 == 0)
        g_object_unref (event);
      if (early != NULL)
        {
          GBytes *own = hl_event_get_raw (early);

          g_assert_true (g_bytes_equal (own, raw));
          g_object_unref (early);
        }
      g_object_unref (late);
      if (round % 3 != 0)
        g_object_unref (event);
      g_assert_true (memcmp (g_bytes_get_data (raw, NULL), expected->data, expected->len) == 0);
      g_bytes_unref (raw);
      g_byte_array_unref (expected);
    }
}

/* Reads @line through @arena, which remembers its field tree */
static void
read_remembered (const char      *line,
                 GString         *scratch,
                 HlJsonScanArena *arena)
{
  g_autoptr(HlEvent) event = hl_json_scan_event (line, strlen (line), scratch, arena);

  g_assert_nonnull (event);
}

/* A field tree the same as one checked a few lines before is compared,
 * not checked again: every line still reads as json-glib reads it, a tree
 * that differs is checked, and once the arena forgets, the text it
 * remembered is no longer trusted */
static void
test_recent_trees (void)
{
  g_autoptr(GPtrArray) lines = demo_lines ();
  g_autoptr(GString) scratch = g_string_new (NULL);
  g_autoptr(HlJsonScanArena) arena = hl_json_scan_arena_new ();
  g_autofree char *text = NULL;
  g_autofree char *corrupt = NULL;
  const char *tree = NULL;
  guint n_sent_twice = 0;

  /* both sides' lines: each message sent by one side, received by the other */
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autoptr(HlEvent) fast = hl_json_scan_event (line, strlen (line), scratch, arena);
      g_autoptr(HlEvent) slow = read_with_json_glib (line, strlen (line));
      const char *fields = strstr (line, "\"fields\":");

      g_assert_nonnull (fast);
      assert_same_event (fast, slow);
      for (guint j = i >= 8 ? i - 8 : 0; fields != NULL && j < i; j++)
        {
          const char *earlier = strstr (g_ptr_array_index (lines, j), "\"fields\":");

          if (earlier != NULL && strlen (earlier) > 256 && g_str_equal (earlier, fields))
            {
              n_sent_twice++;
              break;
            }
        }
    }
  g_assert_cmpuint (n_sent_twice, >, 5);

  /* a line with a long field tree; the same line with that tree broken
   * (a key's closing quote gone), and read after the right one: refused */
  for (guint i = 0; i < lines->len && tree == NULL; i++)
    {
      const char *fields = strstr (g_ptr_array_index (lines, i), "\"fields\":");

      if (fields != NULL && strlen (fields) > 1000)
        text = g_strdup (g_ptr_array_index (lines, i));
      tree = text != NULL ? strstr (text, "\"fields\":") : NULL;
    }
  g_assert_nonnull (tree);
  corrupt = g_strdup (text);
  corrupt[strstr (corrupt + (tree - text), "\"offset\"") - corrupt + 7] = 'x';
  g_assert_null (read_with_json_glib (corrupt, strlen (corrupt)));

  hl_json_scan_arena_forget (arena);
  read_remembered (text, scratch, arena);
  g_assert_null (hl_json_scan_event (corrupt, strlen (corrupt), scratch, arena));

  /* the text the arena remembers changes under it: after it forgets, the
   * broken tree is checked even where it is the text remembered */
  read_remembered (text, scratch, arena);
  memcpy (text, corrupt, strlen (text));
  hl_json_scan_arena_forget (arena);
  g_assert_null (hl_json_scan_event (corrupt, strlen (corrupt), scratch, arena));
  g_assert_null (hl_json_scan_event (text, strlen (text), scratch, arena));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  hl_test_init ("json-scan");

  g_test_add_func ("/json-scan/real-logs", test_real_logs);
  g_test_add_func ("/json-scan/tricky-lines", test_tricky_lines);
  g_test_add_func ("/json-scan/malformed", test_malformed);
  g_test_add_func ("/json-scan/string-runs", test_string_runs);
  g_test_add_func ("/json-scan/hex-runs", test_hex_runs);
  g_test_add_func ("/json-scan/arena", test_arena);
  g_test_add_func ("/json-scan/recent-trees", test_recent_trees);
  g_test_add_func ("/json-scan/raw-made-once", test_raw_made_once);
  g_test_add_func ("/json-scan/lines-in-block", test_lines_in_block);
  g_test_add_func ("/json-scan/log-load", test_log_load);
  g_test_add_func ("/json-scan/lazy-details", test_lazy_details);
  ret = g_test_run ();

  hl_test_cleanup ();
  return ret;
}

/* test-event.c: events and their JSON form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hl-event-list.h"
#include "hl-event-private.h"

static HlEvent *
round_trip (HlEvent *event)
{
  g_autoptr(JsonNode) node = hl_event_to_json (event, TRUE);
  g_autoptr(GError) error = NULL;
  HlEvent *copy = hl_event_new_from_json (json_node_get_object (node), &error);

  g_assert_no_error (error);
  g_assert_nonnull (copy);
  {
    g_autoptr(JsonNode) again = hl_event_to_json (copy, TRUE);
    g_assert_true (json_node_equal (node, again));
  }
  return copy;
}

static void
test_handshake (void)
{
  static const guint8 msg[] = { 20, 0, 0, 4, 1, 2, 3, 4 };
  g_autoptr(GBytes) raw = g_bytes_new_static (msg, sizeof msg);
  g_autoptr(HlEvent) event = hl_event_new_handshake (HL_SIDE_SERVER, HL_DIRECTION_IN, 20,
                                                     raw, TRUE, 0x0304);
  g_autoptr(HlEvent) copy = NULL;

  hl_event_set_stamp (event, 7, 12345);
  copy = round_trip (event);
  g_assert_cmpuint (hl_event_get_seq (copy), ==, 7);
  g_assert_cmpint (hl_event_get_time_ns (copy), ==, 12345);
  g_assert_cmpstr (hl_event_get_handshake_name (copy), ==, "finished");
  g_assert_true (hl_event_get_encrypted (copy));
  g_assert_cmpint (hl_event_get_sender (copy), ==, HL_SIDE_CLIENT);
  g_assert_true (g_bytes_equal (hl_event_get_raw (copy), raw));
  g_assert_nonnull (hl_event_get_fields (copy));
}

static void
test_secret (void)
{
  static const guint8 random[32] = { 0xab, 1, 2 };
  static const guint8 secret[4] = { 0xde, 0xad, 0xbe, 0xef };
  g_autoptr(GBytes) r = g_bytes_new_static (random, sizeof random);
  g_autoptr(GBytes) s = g_bytes_new_static (secret, sizeof secret);
  g_autoptr(HlEvent) event = hl_event_new_secret (HL_SIDE_CLIENT, "EXPORTER_SECRET", r, s);
  g_autoptr(HlEvent) copy = round_trip (event);
  g_autofree char *line = hl_event_dup_keylog_line (copy);

  g_assert_true (g_str_has_prefix (line, "EXPORTER_SECRET ab0102"));
  g_assert_true (g_str_has_suffix (line, " deadbeef"));
}

static void
test_other_kinds (void)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const char *reasons[] = { "The certificate has expired.", NULL };
  g_autoptr(JsonObject) details = json_object_new ();
  HlEvent *events[5];

  g_ptr_array_add (chain, g_bytes_new ("\x30\x03\x02\x01\x01", 5));
  json_object_set_string_member (details, "version", "TLS 1.3");
  json_object_set_boolean_member (details, "resumed", FALSE);
  events[0] = hl_event_new_certificate_check (HL_SIDE_CLIENT, chain, 2, reasons);
  events[1] = hl_event_new_alert (HL_SIDE_SERVER, HL_DIRECTION_OUT, 2, 116);
  events[2] = hl_event_new_state (HL_SIDE_CLIENT, "handshake_done", details);
  events[3] = hl_event_new_error (HL_SIDE_CLIENT, "timeout", "Timed out");
  events[4] = hl_event_new_change_cipher_spec (HL_SIDE_CLIENT, HL_DIRECTION_OUT);

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_autoptr(HlEvent) copy = round_trip (events[i]);
      g_assert_cmpint (hl_event_get_kind (copy), ==, hl_event_get_kind (events[i]));
      g_object_unref (events[i]);
    }
}

/* The text form is the tree form, field tree included */
static void
test_json_line (void)
{
  static const guint8 hello[] = {
    0x01, 0x00, 0x00, 0x2d, 0x03, 0x03,
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
    0x00, 0x00, 0x04, 0x13, 0x01, 0x13, 0x02, 0x01, 0x00, 0x00, 0x04, 0x00, 0x2b, 0x00, 0x00,
  };
  g_autoptr(GBytes) raw = g_bytes_new_static (hello, sizeof hello);
  g_autoptr(HlEvent) event = hl_event_new_handshake (HL_SIDE_CLIENT, HL_DIRECTION_OUT, 1, raw, FALSE, 0);
  g_autoptr(JsonNode) tree = hl_event_to_json (event, TRUE);
  g_autofree char *line = hl_event_to_json_line (event, TRUE);
  g_autoptr(JsonNode) parsed = json_from_string (line, NULL);

  g_assert_nonnull (parsed);
  g_assert_true (json_node_equal (tree, parsed));
  g_assert_null (strchr (line, '\n'));
}

/* Every kind of event, odd strings included, reads back from its line
 * into the same event: written again, the same line */
static void
assert_same_json (HlEvent *event)
{
  g_autofree char *line = hl_event_to_json_line (event, TRUE);
  g_autoptr(JsonNode) parsed = json_from_string (line, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) read = NULL;
  g_autofree char *again = NULL;

  g_assert_nonnull (parsed);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (parsed));
  g_assert_null (strchr (line, '\n'));
  read = hl_event_new_from_json (json_node_get_object (parsed), &error);
  g_assert_no_error (error);
  again = hl_event_to_json_line (read, TRUE);
  g_assert_cmpstr (again, ==, line);
}

/* A line made ahead (hl_event_render_json_line()), with or without the
 * field tree, is the line made when asked: both kept, both the same as
 * a fresh copy's; the first made stays */
static void
assert_rendered_same (HlEvent  *event,
                      gboolean  with_fields)
{
  g_autoptr(HlEvent) copy = hl_event_copy_with_time (event, hl_event_get_seq (event),
                                                      hl_event_get_time_ns (event));
  g_autofree char *line = hl_event_to_json_line (copy, TRUE);
  g_autofree char *short_line = hl_event_to_json_line (copy, FALSE);
  g_autofree char *rendered = NULL;
  g_autofree char *rendered_short = NULL;
  const GString *fields;

  hl_event_render_json_line (copy, with_fields);
  fields = hl_event_get_rendered_fields (copy);
  hl_event_render_json_line (copy, !with_fields);
  g_assert_true (hl_event_get_rendered_fields (copy) == fields);
  rendered = hl_event_to_json_line (copy, TRUE);
  rendered_short = hl_event_to_json_line (copy, FALSE);
  g_assert_cmpstr (rendered, ==, line);
  g_assert_cmpstr (rendered_short, ==, short_line);
  if (with_fields && hl_event_get_kind (event) == HL_EVENT_HANDSHAKE)
    {
      g_autofree char *member = g_strdup_printf (",\"fields\":%s}", fields->str);

      g_assert_true (g_str_has_suffix (line, member));
    }
  else
    g_assert_null (fields);
}

static void
test_json_line_kinds (void)
{
  static const guint8 record[] = { 0x16, 0x03, 0x01, 0x00, 0x02, 0xab, 0xcd };
  static const guint8 odd_record[] = { 0x63, 0x03, 0x03, 0x00, 0x01, 0x00 };
  static const guint8 random[32] = { 1, 2, 3 };
  static const guint8 secret[48] = { 0xff, 0x00, 0x7f };
  static const guint8 der[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
  g_autoptr(GBytes) record_bytes = g_bytes_new_static (record, sizeof record);
  g_autoptr(GBytes) odd_record_bytes = g_bytes_new_static (odd_record, sizeof odd_record);
  g_autoptr(GBytes) random_bytes = g_bytes_new_static (random, sizeof random);
  g_autoptr(GBytes) secret_bytes = g_bytes_new_static (secret, sizeof secret);
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const char *reasons[] = { "signer-not-found", "name \"quoted\"\n\x01 \xe2\x80\xae", NULL };
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (chain, g_bytes_new_static (der, sizeof der));
  g_ptr_array_add (chain, g_bytes_new_static (der, 2));
  json_object_set_string_member (details, "version", "TLS1.3");
  json_object_set_int_member (details, "group", 23);
  json_object_set_boolean_member (details, "resumed", FALSE);
  g_ptr_array_add (events, hl_event_new_change_cipher_spec (HL_SIDE_SERVER, HL_DIRECTION_IN));
  g_ptr_array_add (events, hl_event_new_record (HL_SIDE_CLIENT, HL_DIRECTION_OUT, 22, 0x0301, record_bytes));
  g_ptr_array_add (events, hl_event_new_record (HL_SIDE_CLIENT, HL_DIRECTION_IN, 99, 0x0303, odd_record_bytes));
  g_ptr_array_add (events, hl_event_new_secret (HL_SIDE_CLIENT, "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                                                random_bytes, secret_bytes));
  g_ptr_array_add (events, hl_event_new_certificate_check (HL_SIDE_CLIENT, chain, 0x42, reasons));
  g_ptr_array_add (events, hl_event_new_alert (HL_SIDE_SERVER, HL_DIRECTION_OUT, 2, 40));
  g_ptr_array_add (events, hl_event_new_alert (HL_SIDE_SERVER, HL_DIRECTION_IN, 7, 222));
  g_ptr_array_add (events, hl_event_new_state (HL_SIDE_CLIENT, "handshake_done", details));
  g_ptr_array_add (events, hl_event_new_error (HL_SIDE_CLIENT, "timeout", "No answer \"in\" 10 s\t✓"));
  g_ptr_array_add (events, hl_event_new_handshake (HL_SIDE_SERVER, HL_DIRECTION_OUT, 20,
                                                  secret_bytes, TRUE, 0x0304));
  for (guint i = 0; i < events->len; i++)
    {
      assert_same_json (g_ptr_array_index (events, i));
      assert_rendered_same (g_ptr_array_index (events, i), TRUE);
      assert_rendered_same (g_ptr_array_index (events, i), FALSE);
    }
}

static void
test_json_string (void)
{
  const char *texts[] = {
    "plain", "quote \" and backslash \\", "\n\r\t\b\f\x01" "\x1f", "Ünïcödé ✓ \xe2\x80\xae" " rlo", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(JsonNode) node = NULL;

      hl_json_append_string (out, texts[i]);
      node = json_from_string (out->str, NULL);
      g_assert_nonnull (node);
      g_assert_cmpstr (json_node_get_string (node), ==, texts[i]);
    }
  {
    /* Invalid UTF-8 still makes valid JSON */
    g_autoptr(GString) out = g_string_new (NULL);
    g_autoptr(JsonNode) node = NULL;

    hl_json_append_string (out, "a\xff\xfe" "b");
    node = json_from_string (out->str, NULL);
    g_assert_cmpstr (json_node_get_string (node), ==, "a\xef\xbf\xbd\xef\xbf\xbd" "b");
  }
  {
    /* Random mixes of plain runs, escapes, UTF-8 and stray bytes, after
     * text already in the buffer: json-glib reads each back, the same
     * where the input was valid UTF-8 */
    static const char *pieces[] = {
      "a", "plain text ", "\"", "\\", "\n", "\x01", "\x1f", " ", "é", "✓", "\xf0\x9f\x94\x92",
      "\xff", "\xc3", "\x7f", "/", "{}[]:,",
    };
    GRand *rand = g_rand_new_with_seed (8446);

    for (guint i = 0; i < 2000; i++)
      {
        g_autoptr(GString) text = g_string_new (NULL);
        g_autoptr(GString) out = g_string_new ("[1,");
        g_autoptr(JsonNode) node = NULL;
        g_autoptr(GError) error = NULL;
        guint n = g_rand_int_range (rand, 0, 12);
        JsonArray *array;

        for (guint j = 0; j < n; j++)
          g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
        hl_json_append_string (out, text->str);
        g_string_append_c (out, ']');
        node = json_from_string (out->str, &error);
        g_assert_no_error (error);
        array = json_node_get_array (node);
        g_assert_cmpuint (json_array_get_length (array), ==, 2);
        if (g_utf8_validate (text->str, -1, NULL))
          g_assert_cmpstr (json_array_get_string_element (array, 1), ==, text->str);
        else
          g_assert_true (g_utf8_validate (json_array_get_string_element (array, 1), -1, NULL));
      }
    g_rand_free (rand);
  }
}

/* A state's details, read by json-glib from a log, written back as a line
 * that parses again: nested values and numbers kept, and a lone surrogate
 * escape (invalid UTF-8 once json-glib has read it) written as U+FFFD */
static void
test_json_details (void)
{
  const char *line = "{\"seq\":3,\"t_ns\":4,\"side\":\"server\",\"kind\":\"state\",\"state\":\"connected\","
                     "\"details\":{\"transport\":\"\\ud800air\",\"peer\":{\"host\":\"localhost\",\"ports\":[443,null,true]},"
                     "\"ratio\":2.5,\"whole\":1.0,\"big\":1e300,\"n\":-7,\"none\":null,\"no\":false}}";
  g_autoptr(JsonNode) node = json_from_string (line, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HlEvent) event = hl_event_new_from_json (json_node_get_object (node), &error);
  g_autofree char *written = NULL;
  g_autoptr(JsonNode) again = NULL;
  JsonObject *details;

  g_assert_no_error (error);
  written = hl_event_to_json_line (event, FALSE);
  g_assert_true (g_utf8_validate (written, -1, NULL));
  again = json_from_string (written, &error);
  g_assert_no_error (error);
  details = json_object_get_object_member (json_node_get_object (again), "details");
  /* what json-glib made of the escape, each invalid byte replaced */
  g_assert_true (g_str_has_prefix (json_object_get_string_member (details, "transport"), "\xef\xbf\xbd"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (details, "transport"), "ir"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (details, "peer"), "host"), ==, "localhost");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (details, "peer"), "ports")), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (details, "ratio"), ==, 2.5);
  g_assert_true (json_node_get_value_type (json_object_get_member (details, "whole")) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_object_get_double_member (details, "big"), ==, 1e300);
  g_assert_cmpint (json_object_get_int_member (details, "n"), ==, -7);
  g_assert_true (json_object_get_null_member (details, "none"));
  g_assert_false (json_object_get_boolean_member (details, "no"));
  g_assert_cmpuint (json_object_get_size (details), ==, 8);
}

static void
test_json_numbers (void)
{
  const gint64 ints[] = { 0, 1, -1, 9, 10, -10, 1234567890123, G_MAXINT64, G_MININT64, G_MININT64 + 1 };
  const guint64 uints[] = { 0, 7, 10, 99, 100, G_MAXUINT32, (guint64) G_MAXUINT32 + 1, G_MAXUINT64 };

  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      g_autoptr(GString) out = g_string_new ("x");
      g_autofree char *expected = g_strdup_printf ("x%" G_GINT64_FORMAT, ints[i]);

      hl_json_append_int (out, ints[i]);
      g_assert_cmpstr (out->str, ==, expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (uints); i++)
    {
      g_autoptr(GString) out = g_string_new ("x");
      g_autofree char *expected = g_strdup_printf ("x%" G_GUINT64_FORMAT, uints[i]);

      hl_json_append_uint (out, uints[i]);
      g_assert_cmpstr (out->str, ==, expected);
    }
}

static void
test_bad_json (void)
{
  const char *bad[] = {
    "{}",
    "{\"seq\":1,\"t_ns\":1,\"side\":\"middle\",\"kind\":\"alert\"}",
    "{\"seq\":1,\"t_ns\":1,\"side\":\"client\",\"kind\":\"nonsense\"}",
    "{\"seq\":1,\"t_ns\":1,\"side\":\"client\",\"kind\":\"handshake\",\"msg_type\":1,\"raw\":\"zz\"}",
    "{\"seq\":-1,\"t_ns\":1,\"side\":\"client\",\"kind\":\"change_cipher_spec\"}",
    "{\"seq\":1,\"t_ns\":1,\"side\":\"client\",\"kind\":\"record\",\"version\":771,\"raw\":\"16\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(HlEvent) event = hl_event_new_from_json (json_node_get_object (node), &error);

      g_assert_null (event);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

/* The events of a capture or a log: appended, or taken over by the
 * hundred thousand, each change said once, the items in order */
static void
test_event_list (void)
{
  g_autoptr(HlEventList) list = hl_event_list_new ();
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_object_unref);
  HlEvent *weak;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == HL_TYPE_EVENT);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), changes);

  g_ptr_array_add (batch, hl_event_new_change_cipher_spec (HL_SIDE_CLIENT, HL_DIRECTION_OUT));
  g_ptr_array_add (batch, hl_event_new_alert (HL_SIDE_SERVER, HL_DIRECTION_OUT, 2, 40));
  hl_event_list_append (list, (HlEvent * const *) batch->pdata, batch->len);
  hl_event_list_append (list, NULL, 0);
  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (taken, hl_event_new_change_cipher_spec (HL_SIDE_SERVER, HL_DIRECTION_IN));
  weak = g_ptr_array_index (taken, 999);
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  hl_event_list_take (list, taken);
  g_assert_cmpuint (taken->len, ==, 0);
  hl_event_list_take (list, taken);

  g_assert_cmpstr (changes->str, ==, "0-0+2 2-0+1000 ");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1002);
  {
    g_autoptr(HlEvent) first = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_autoptr(HlEvent) second = g_list_model_get_item (G_LIST_MODEL (list), 1);
    g_autoptr(HlEvent) last = g_list_model_get_item (G_LIST_MODEL (list), 1001);

    g_assert_true (first == g_ptr_array_index (batch, 0));
    g_assert_cmpint (hl_event_get_kind (second), ==, HL_EVENT_ALERT);
    g_assert_true (last == weak);
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 1002));
  }
  /* the list holds what it took, and lets it go with itself */
  g_clear_pointer (&taken, g_ptr_array_unref);
  g_assert_nonnull (weak);
  g_clear_object (&list);
  g_assert_null (weak);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/event/handshake", test_handshake);
  g_test_add_func ("/event/secret", test_secret);
  g_test_add_func ("/event/other-kinds", test_other_kinds);
  g_test_add_func ("/event/bad-json", test_bad_json);
  g_test_add_func ("/event/json-line", test_json_line);
  g_test_add_func ("/event/json-line-kinds", test_json_line_kinds);
  g_test_add_func ("/event/json-string", test_json_string);
  g_test_add_func ("/event/json-numbers", test_json_numbers);
  g_test_add_func ("/event/json-details", test_json_details);
  g_test_add_func ("/event/list", test_event_list);
  return g_test_run ();
}

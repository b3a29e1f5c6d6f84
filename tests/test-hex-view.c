/* test-hex-view.c: the hex view's geometry, highlight and drawing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "hl-hex-view.h"

static GBytes *
load_hex (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("HL_TEST_DATA"), name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  int high = -1;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  for (const char *p = text; *p != '\0'; p++)
    {
      int digit = g_ascii_xdigit_value (*p);

      if (digit < 0)
        continue;
      if (high < 0)
        high = digit;
      else
        {
          guint8 byte = (guint8) (high << 4 | digit);

          g_byte_array_append (bytes, &byte, 1);
          high = -1;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

typedef struct
{
  GtkWidget *window;
  HlHexView *view;
  GBytes    *bytes;
} Fixture;

static void
wait_for_drawing (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while ((!gtk_widget_get_mapped (widget) || gtk_widget_get_height (widget) == 0) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gtk_widget_get_mapped (widget));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  fixture->bytes = load_hex ("rfc8448/3-04-certificate-s.hex");
  fixture->view = HL_HEX_VIEW (hl_hex_view_new ());
  hl_hex_view_set_bytes (fixture->view, fixture->bytes);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (fixture->view));
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 700, 300);
  gtk_window_set_child (GTK_WINDOW (fixture->window), scrolled);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_for_drawing (GTK_WIDGET (fixture->view));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_bytes_unref (fixture->bytes);
}

/* Renders the view alone (no window background) and reads its pixels */
static GdkTexture *
render (HlHexView *view)
{
  GtkWidget *widget = GTK_WIDGET (view);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  /* the widget's own drawing, as the frame clock would ask for it */
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node,
                                      &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                           gtk_widget_get_height (widget)));
}

static guint8
alpha_at (const guint8 *pixels,
          gsize         stride,
          int           width,
          int           height,
          double        x,
          double        y)
{
  int px = (int) x, py = (int) y;

  g_assert_cmpint (px, >=, 0);
  g_assert_cmpint (py, >=, 0);
  g_assert_cmpint (px, <, width);
  g_assert_cmpint (py, <, height);
  /* GDK_MEMORY_DEFAULT is B8G8R8A8 premultiplied */
  return pixels[py * stride + px * 4 + 3];
}

/* Asserts that exactly [offset, offset + length) is painted as highlighted
 * among the bytes visible, looking at the gap just left of each hex pair
 * and at the top of each ASCII cell, where no glyph is drawn. */
static void
assert_painted_range (HlHexView *view,
                      gsize      offset,
                      gsize      length)
{
  g_autoptr(GdkTexture) texture = render (view);
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guint8 *pixels = g_malloc (stride * height);
  gsize size = g_bytes_get_size (hl_hex_view_get_bytes (view));
  guint checked = 0;

  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 0; i < size; i++)
    {
      graphene_rect_t rect;
      gboolean inside = i >= offset && i < offset + length;
      double char_width;

      g_assert_true (hl_hex_view_get_byte_rect (view, i, &rect));
      if (rect.origin.y < 0 || rect.origin.y + rect.size.height > height)
        continue;
      char_width = rect.size.width / 2;
      g_assert_cmpint (alpha_at (pixels, stride, width, height,
                                 rect.origin.x - char_width / 4, rect.origin.y + 1) > 0, ==, inside);
      checked++;
    }
  g_assert_cmpuint (checked, >, HL_HEX_VIEW_BYTES_PER_LINE * 3);
}

static void
test_highlight_clips (Fixture       *fixture,
                      gconstpointer  data)
{
  gsize size = g_bytes_get_size (fixture->bytes);
  gsize offset, length;

  hl_hex_view_get_highlight (fixture->view, &offset, &length);
  g_assert_cmpuint (length, ==, 0);

  hl_hex_view_set_highlight (fixture->view, 4, 2);
  hl_hex_view_get_highlight (fixture->view, &offset, &length);
  g_assert_cmpuint (offset, ==, 4);
  g_assert_cmpuint (length, ==, 2);

  hl_hex_view_set_highlight (fixture->view, size - 3, 100);
  hl_hex_view_get_highlight (fixture->view, &offset, &length);
  g_assert_cmpuint (offset, ==, size - 3);
  g_assert_cmpuint (length, ==, 3);

  hl_hex_view_set_highlight (fixture->view, size + 10, 5);
  hl_hex_view_get_highlight (fixture->view, &offset, &length);
  g_assert_cmpuint (length, ==, 0);

  /* new bytes drop the highlight */
  hl_hex_view_set_highlight (fixture->view, 1, 3);
  hl_hex_view_set_bytes (fixture->view, NULL);
  hl_hex_view_get_highlight (fixture->view, &offset, &length);
  g_assert_cmpuint (length, ==, 0);
}

static void
test_point_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  gsize size = g_bytes_get_size (fixture->bytes);
  gsize offset;
  graphene_rect_t rect;

  for (gsize i = 0; i < MIN (size, 16 * 12); i++)
    {
      g_assert_true (hl_hex_view_get_byte_rect (fixture->view, i, &rect));
      g_assert_true (hl_hex_view_get_byte_at_point (fixture->view,
                                                    rect.origin.x + rect.size.width / 2,
                                                    rect.origin.y + rect.size.height / 2,
                                                    &offset));
      g_assert_cmpuint (offset, ==, i);
    }
  g_assert_false (hl_hex_view_get_byte_rect (fixture->view, size, &rect));

  /* the ASCII column maps to the same bytes: its first cell on line 1 is byte 16,
   * four characters right of the last hex pair */
  g_assert_true (hl_hex_view_get_byte_rect (fixture->view, 31, &rect));
  {
    double char_width = rect.size.width / 2;
    double ascii_x = rect.origin.x + 2 * char_width + 2 * char_width + char_width / 2;

    g_assert_true (hl_hex_view_get_byte_at_point (fixture->view, ascii_x,
                                                  rect.origin.y + 2, &offset));
    g_assert_cmpuint (offset, ==, 16);
  }
  /* the offsets column is no byte */
  g_assert_false (hl_hex_view_get_byte_at_point (fixture->view, 2, rect.origin.y + 2, NULL));
}

static void
test_painted_highlight (Fixture       *fixture,
                        gconstpointer  data)
{
  static const gsize ranges[][2] = { { 0, 1 }, { 4, 2 }, { 7, 9 }, { 14, 20 }, { 40, 1 }, { 0, 0 } };

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      hl_hex_view_set_highlight (fixture->view, ranges[i][0], ranges[i][1]);
      wait_for_drawing (GTK_WIDGET (fixture->view));
      assert_painted_range (fixture->view, ranges[i][0], ranges[i][1]);
    }
}

static void
test_highlight_scrolls (Fixture       *fixture,
                        gconstpointer  data)
{
  gsize size = g_bytes_get_size (fixture->bytes);
  graphene_rect_t rect;

  /* the certificate message is ~440 bytes: its end is below a 300 px window */
  hl_hex_view_set_highlight (fixture->view, size - 2, 2);
  wait_for_drawing (GTK_WIDGET (fixture->view));
  g_assert_true (hl_hex_view_get_byte_rect (fixture->view, size - 1, &rect));
  g_assert_cmpfloat (rect.origin.y, >=, 0);
  g_assert_cmpfloat (rect.origin.y + rect.size.height, <=,
                     gtk_widget_get_height (GTK_WIDGET (fixture->view)));
  assert_painted_range (fixture->view, size - 2, 2);
}

static void
activated_cb (HlHexView *view,
              guint      offset,
              guint     *out)
{
  *out = offset;
}

static void
test_keyboard_activates (Fixture       *fixture,
                         gconstpointer  data)
{
  guint activated = G_MAXUINT;

  g_signal_connect (fixture->view, "byte-activated", G_CALLBACK (activated_cb), &activated);
  hl_hex_view_set_highlight (fixture->view, 20, 4);
  gtk_widget_grab_focus (GTK_WIDGET (fixture->view));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "hexview.next-byte", NULL));
  g_assert_cmpuint (activated, ==, 21);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "hexview.next-line", NULL));
  g_assert_cmpuint (activated, ==, 37);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/hex-view/highlight-clips", Fixture, NULL,
              fixture_set_up, test_highlight_clips, fixture_tear_down);
  g_test_add ("/hex-view/point-round-trip", Fixture, NULL,
              fixture_set_up, test_point_round_trip, fixture_tear_down);
  g_test_add ("/hex-view/painted-highlight", Fixture, NULL,
              fixture_set_up, test_painted_highlight, fixture_tear_down);
  g_test_add ("/hex-view/highlight-scrolls", Fixture, NULL,
              fixture_set_up, test_highlight_scrolls, fixture_tear_down);
  g_test_add ("/hex-view/keyboard-activates", Fixture, NULL,
              fixture_set_up, test_keyboard_activates, fixture_tear_down);

  return g_test_run ();
}

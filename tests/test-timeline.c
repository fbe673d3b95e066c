/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-timeline.c — the timeline's layout (core's, drawn by the window and
 * the report alike): for the sample plan and for eight milestones in one
 * week, in English and Chinese, at the window's and the report's widths,
 * no two texts meet, no text is cut or past an edge, and no line (a stem or
 * the Today line) runs through a text. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "upg-draw.h"
#include "upg-plan.h"
#include "upg-store.h"
#include "upg-test-util.h"

typedef struct {
  UpgStore   *store;
  UpgProject *project;
  char       *db;
} Fixture;

static void
fixture_open (Fixture *f, const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  f->db = upg_test_tmpfile ("timeline.upgplan");
  f->store = upg_store_open (f->db, UPG_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  upg_plan_import (f->store, json, -1, &ids, &error);
  g_assert_no_error (error);
  f->project = upg_store_lookup_project (f->store, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load_children (f->store, UPG_RECORD (f->project), &error));
  g_assert_no_error (error);
}

static void
fixture_close (Fixture *f)
{
  g_clear_object (&f->project);
  g_clear_object (&f->store);
  g_clear_pointer (&f->db, g_free);
}

static char *
sample_json (void)
{
  g_autofree char *path = upg_test_data_path ("sample-plan.json");
  return upg_test_read (path, NULL);
}

/* The sample plan with eight milestones in the week of 30 November, two of
 * them on the same day, with long titles. */
static char *
crowded_json (void)
{
  static const struct { const char *title, *kind, *due; int percent; } week[] = {
    { "Development complete", "dev_complete", "2026-11-30", -1 },
    { "Regression and load tests passed", "test_passed", "2026-12-01", -1 },
    { "Security review signed off", "custom", "2026-12-01", -1 },
    { "Canary 1%", "gray_release", "2026-12-02", 1 },
    { "Canary 5%", "gray_release", "2026-12-03", 5 },
    { "Canary 25%", "gray_release", "2026-12-04", 25 },
    { "Canary 50%", "gray_release", "2026-12-05", 50 },
    { "Full launch", "full_launch", "2026-12-06", -1 },
  };
  g_autofree char *json = sample_json ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *project;
  JsonArray *milestones = json_array_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  project = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                         "projects"), 0);
  for (guint i = 0; i < G_N_ELEMENTS (week); i++)
    {
      JsonObject *m = json_object_new ();
      json_object_set_string_member (m, "title", week[i].title);
      json_object_set_string_member (m, "kind", week[i].kind);
      json_object_set_string_member (m, "due", week[i].due);
      json_object_set_null_member (m, "done");
      if (week[i].percent < 0)
        json_object_set_null_member (m, "rollout_percent");
      else
        json_object_set_int_member (m, "rollout_percent", week[i].percent);
      json_array_add_object_element (milestones, m);
    }
  json_object_set_array_member (project, "milestones", milestones);
  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

static gboolean
meet (const UpgTimelineBox *a, const UpgTimelineBox *b)
{
  return a->x < b->x + b->width && b->x < a->x + a->width && a->y < b->y + b->height && b->y < a->y + a->height;
}

/* A vertical line at @x from @y0 to @y1 through @box. */
static gboolean
crosses (double x, double y0, double y1, const UpgTimelineBox *box)
{
  return x > box->x && x < box->x + box->width && y1 > box->y && y0 < box->y + box->height;
}

static void
describe (const UpgTimelineBox *b, GString *out, const char *text)
{
  g_string_append_printf (out, "“%s” %.1f,%.1f %.1f×%.1f", text, b->x, b->y, b->width, b->height);
}

/* No text but the window's caption has the window's band behind it: drawn,
 * the 2 px around a text's box (where no glyph is) hold no pixel of the
 * band's own colour. */
static void
check_band (const UpgTimelineLayout *layout, const UpgPalette *palette, GPtrArray *boxes, GPtrArray *names)
{
  int width = (int) ceil (layout->width), height = (int) ceil (layout->height);
  int x0 = (int) ceil (layout->window_x0), x1 = (int) floor (layout->window_x1);
  cairo_surface_t *surface;
  cairo_t *cr;
  guint32 band;
  const guint8 *data;
  int stride;

  if (isnan (layout->window_x0))
    return;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  upg_draw_timeline_layout (cr, layout, palette);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  /* Above every text, at the band's left edge: the band alone. */
  band = *(const guint32 *) (data + 9 * stride + x0 * 4);
  g_assert_cmpuint (band >> 24, >, 0);
  for (guint i = 0; i < boxes->len; i++)
    {
      const UpgTimelineBox *box = boxes->pdata[i];
      /* The whole pixels between the box and 2 px around it. */
      int left = (int) ceil (box->x - 2), right = (int) floor (box->x + box->width + 2);
      int top = (int) ceil (box->y - 2), bottom = (int) floor (box->y + box->height + 2);
      int in_left = (int) floor (box->x), in_right = (int) ceil (box->x + box->width);
      int in_top = (int) floor (box->y), in_bottom = (int) ceil (box->y + box->height);

      for (int y = MAX (0, top); y < MIN (height, bottom); y++)
        for (int x = MAX (x0, left); x < MIN (x1, right); x++)
          if ((x < in_left || x >= in_right || y < in_top || y >= in_bottom) &&
              *(const guint32 *) (data + y * stride + x * 4) == band)
            g_error ("the window's band shows behind “%s” at %d,%d", (const char *) names->pdata[i], x, y);
    }
  cairo_surface_destroy (surface);
}

/* Every rule of the layout at @width; returns the month labels it shows. */
static char *
check_layout (UpgProject *project, double width, const char *today, double zoom, guint expected_labels)
{
  UpgTimelineOptions options = { today, "Asia/Shanghai", zoom };
  UpgPalette palette;
  g_autoptr(UpgTimelineLayout) layout = NULL;
  g_autoptr(GPtrArray) boxes = g_ptr_array_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) band_boxes = g_ptr_array_new ();
  g_autoptr(GPtrArray) band_names = g_ptr_array_new ();
  g_autoptr(GString) months = g_string_new (NULL);
  gboolean has_today = FALSE;

  upg_palette_init_light (&palette);
  palette.font = "Cantarell 11";
  layout = upg_timeline_layout_new (UPG_RECORD (project), width, &options, &palette);
  g_test_message ("width %.0f today %s: %d lines, height %.0f", width, today, layout->n_lines, layout->height);
  g_assert_cmpuint (layout->labels->len, ==, expected_labels);
  for (guint i = 0; i < layout->labels->len; i++)
    {
      UpgTimelineLabel *label = &g_array_index (layout->labels, UpgTimelineLabel, i);
      g_test_message ("  “%s” marker %.1f line %d box %.1f,%.1f %.1f×%.1f", label->text, label->marker_x,
                      label->line, label->box.x, label->box.y, label->box.width, label->box.height);
    }
  g_assert_cmpuint (layout->n_crossings, ==, 0);
  for (guint i = 0; i < layout->labels->len; i++)
    {
      UpgTimelineLabel *label = &g_array_index (layout->labels, UpgTimelineLabel, i);
      g_assert_false (label->cut);
      g_ptr_array_add (boxes, &label->box);
      g_ptr_array_add (names, label->text);
      g_ptr_array_add (band_boxes, &label->box);
      g_ptr_array_add (band_names, label->text);
      /* Its stem starts under its box. */
      g_assert_cmpfloat (label->marker_x, >=, label->box.x);
      g_assert_cmpfloat (label->marker_x, <=, label->box.x + label->box.width);
    }
  for (guint i = 0; i < layout->texts->len; i++)
    {
      UpgTimelineText *text = &g_array_index (layout->texts, UpgTimelineText, i);
      if (text->kind != UPG_TIMELINE_TEXT_WINDOW)
        {
          g_ptr_array_add (band_boxes, &text->box);
          g_ptr_array_add (band_names, text->text);
        }
      g_ptr_array_add (boxes, &text->box);
      g_ptr_array_add (names, text->text);
      if (text->kind == UPG_TIMELINE_TEXT_MONTH)
        g_string_append_printf (months, "%s%s", months->len ? "|" : "", text->text);
      if (text->kind == UPG_TIMELINE_TEXT_TODAY)
        has_today = TRUE;
    }
  g_assert_cmpint (has_today, ==, !isnan (layout->today_x));
  check_band (layout, &palette, band_boxes, band_names);

  for (guint i = 0; i < boxes->len; i++)
    {
      const UpgTimelineBox *a = boxes->pdata[i];

      /* Inside the picture. */
      if (a->x < 0 || a->x + a->width > width || a->y < 0 || a->y + a->height > layout->height)
        {
          g_autoptr(GString) what = g_string_new ("outside the picture: ");
          describe (a, what, names->pdata[i]);
          g_error ("%s", what->str);
        }
      for (guint j = i + 1; j < boxes->len; j++)
        if (meet (a, boxes->pdata[j]))
          {
            g_autoptr(GString) what = g_string_new ("texts meet: ");
            describe (a, what, names->pdata[i]);
            g_string_append (what, " and ");
            describe (boxes->pdata[j], what, names->pdata[j]);
            g_error ("%s", what->str);
          }
      /* No stem but a title's own, and not the Today line, through a text. */
      for (guint k = 0; k < layout->labels->len; k++)
        {
          UpgTimelineLabel *label = &g_array_index (layout->labels, UpgTimelineLabel, k);
          double x = floor (label->marker_x) + 0.5;
          if (a != &label->box && crosses (x, label->box.y + label->box.height + 1, layout->axis_y - 10, a))
            {
              g_autoptr(GString) what = g_string_new (NULL);
              g_string_append_printf (what, "the stem of “%s” crosses ", label->text);
              describe (a, what, names->pdata[i]);
              g_error ("%s", what->str);
            }
        }
      if (!isnan (layout->today_x) && crosses (layout->today_x, layout->today_top, layout->axis_y + 28, a))
        {
          g_autoptr(GString) what = g_string_new ("the Today line crosses ");
          describe (a, what, names->pdata[i]);
          g_error ("%s", what->str);
        }
    }
  return g_string_free (g_steal_pointer (&months), FALSE);
}

/* The window: fitted to 800 px (the Milestones section at 1100 px) and to
 * 360 px, and zoomed (the default zoom and the least, stretched to those
 * widths); the report: 680 pt fitted. */
static void
check_plan (UpgProject *project, guint expected_labels, const char *expected_months)
{
  static const char *todays[] = { "2026-11-25", "2026-12-01", "2026-12-05", "2026-12-06" };
  static const double widths[] = { 800, 680, 360 };

  for (guint t = 0; t < G_N_ELEMENTS (todays); t++)
    for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
      {
        g_autofree char *months = check_layout (project, widths[w], todays[t], -1, expected_labels);
        UpgTimelineOptions options = { todays[t], "Asia/Shanghai", 16 };
        /* Zoomed: the natural width, stretched to the visible width as the
         * window does. */
        double natural = MAX (widths[w], upg_draw_timeline_width (UPG_RECORD (project), &options));
        g_autofree char *zoomed G_GNUC_UNUSED = check_layout (project, natural, todays[t], 16, expected_labels);
        g_autofree char *least = NULL;

        options.zoom = UPG_TIMELINE_MIN_ZOOM;
        least = check_layout (project, MAX (widths[w], upg_draw_timeline_width (UPG_RECORD (project), &options)),
                              todays[t], UPG_TIMELINE_MIN_ZOOM, expected_labels);
        /* Both months are named at a width where they fit. */
        if (widths[w] >= 680)
          g_assert_cmpstr (months, ==, expected_months);
      }
}

static void
in_language (const char *language)
{
  bindtextdomain (GETTEXT_PACKAGE, UPG_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", language, TRUE);
  /* LC_ALL is C.UTF-8 in the tests' environment, where gettext reads
   * LANGUAGE; setlocale() also makes glibc forget what it looked up. */
  setlocale (LC_ALL, "");
}

static void
test_sample (gconstpointer data)
{
  const char *language = data;
  g_autofree char *json = sample_json ();
  Fixture f = { 0 };

  in_language (language);
  fixture_open (&f, json);
  check_plan (f.project, 5, g_str_equal (language, "zh_CN") ? "2026年11月|2026年12月" : "Nov 2026|Dec 2026");
  fixture_close (&f);
  in_language ("en");
}

static void
test_crowded_week (gconstpointer data)
{
  const char *language = data;
  g_autofree char *json = crowded_json ();
  Fixture f = { 0 };

  in_language (language);
  fixture_open (&f, json);
  check_plan (f.project, 8, g_str_equal (language, "zh_CN") ? "2026年11月|2026年12月" : "Nov 2026|Dec 2026");
  fixture_close (&f);
  in_language ("en");
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);
  g_test_add_data_func ("/timeline/sample/en", "en", test_sample);
  g_test_add_data_func ("/timeline/sample/zh_CN", "zh_CN", test_sample);
  g_test_add_data_func ("/timeline/crowded-week/en", "en", test_crowded_week);
  g_test_add_data_func ("/timeline/crowded-week/zh_CN", "zh_CN", test_crowded_week);
  return g_test_run ();
}

/* upg-draw.c — the timeline and the heat map drawn with cairo and Pango. */
#define G_LOG_DOMAIN "upg-draw"
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "upg-checks.h"
#include "upg-draw.h"
#include "upg-insights.h"
#include "upg-labels.h"
#include "upg-retro.h"
#include "upg-clock.h"

static void
rgba (UpgColor *c, const char *hex, double alpha)
{
  unsigned r = 0, g = 0, b = 0;

  if (sscanf (hex, "#%02x%02x%02x", &r, &g, &b) != 3)
    r = g = b = 0;
  c->red = r / 255.0;
  c->green = g / 255.0;
  c->blue = b / 255.0;
  c->alpha = alpha;
}

/* libadwaita 1.2's named colours (light), and the heat map's tints of them
 * (upg-risk.css) laid over the card. */
void
upg_palette_init_light (UpgPalette *p)
{
  memset (p, 0, sizeof *p);
  rgba (&p->fg, "#000000", 0.8);
  rgba (&p->bg, "#ffffff", 1);
  rgba (&p->accent, "#1c71d8", 1);
  rgba (&p->success, "#1b8553", 1);
  rgba (&p->warning, "#9c6e03", 1);
  rgba (&p->error, "#c01c28", 1);
  rgba (&p->level[UPG_RISK_LEVEL_LOW], "#2ec27e", 0.28);
  rgba (&p->level[UPG_RISK_LEVEL_MEDIUM], "#e5a50a", 0.35);
  rgba (&p->level[UPG_RISK_LEVEL_HIGH], "#ff7800", 0.45);
  rgba (&p->level[UPG_RISK_LEVEL_CRITICAL], "#e01b24", 0.55);
  p->font = "Cantarell, DejaVu Sans, Noto Sans CJK SC, Sans 10";
}

void
upg_palette_init_dark (UpgPalette *p)
{
  upg_palette_init_light (p);
  rgba (&p->fg, "#ffffff", 1);
  rgba (&p->bg, "#303030", 1);
  rgba (&p->accent, "#78aeed", 1);
  rgba (&p->success, "#8ff0a4", 1);
  rgba (&p->warning, "#f8e45c", 1);
  rgba (&p->error, "#ff7b63", 1);
  rgba (&p->level[UPG_RISK_LEVEL_LOW], "#26a269", 0.28);
  rgba (&p->level[UPG_RISK_LEVEL_MEDIUM], "#cd9309", 0.35);
  rgba (&p->level[UPG_RISK_LEVEL_HIGH], "#ff7800", 0.45);
  rgba (&p->level[UPG_RISK_LEVEL_CRITICAL], "#c01c28", 0.55);
}

static void
set_color (cairo_t *cr, const UpgColor *c)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha);
}

static UpgColor
with_alpha (const UpgColor *c, double factor)
{
  UpgColor out = *c;
  out.alpha *= factor;
  return out;
}

/* ---- Text ----------------------------------------------------------------- */

static PangoLayout *
text_layout (cairo_t *cr, const UpgPalette *palette, const char *text, gboolean bold, double scale)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (palette->font ? palette->font : "Sans 10");
  PangoAttrList *attrs = pango_attr_list_new ();

  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  if (scale != 1.0)
    {
      int size = pango_font_description_get_size (font);
      if (pango_font_description_get_size_is_absolute (font))
        pango_font_description_set_absolute_size (font, size * scale);
      else
        pango_font_description_set_size (font, (int) (size * scale));
    }
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
text_size (cairo_t *cr, const UpgPalette *palette, const char *text, gboolean bold, double scale,
           int *w, int *h)
{
  g_autoptr(PangoLayout) layout = text_layout (cr, palette, text, bold, scale);
  pango_layout_get_pixel_size (layout, w, h);
}

/* Draws @text with its top at @y, @align 0 (left) … 1 (right) of @x. */
static void
draw_text (cairo_t *cr, const UpgPalette *palette, const char *text, double x, double y,
           double align, gboolean bold, gboolean small, const UpgColor *color, double max_width)
{
  g_autoptr(PangoLayout) layout = text_layout (cr, palette, text, bold, small ? 0.83 : 1.0);
  int w, h;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  set_color (cr, color);
  cairo_move_to (cr, x - w * align, y);
  pango_cairo_show_layout (cr, layout);
}

/* ---- Timeline ------------------------------------------------------------ */

#define MARGIN 24.0
#define TOP 28.0          /* the first label line's top: room for "Window" above */
#define STEM_MIN 18.0     /* from the lowest label line to the axis */
#define BELOW_AXIS 64.0   /* ticks, dates, Today and the undated note */
#define MIN_LINES 3
#define MARKER_GAP 18.0   /* between two markers' centres (they are 16–18 px wide) */
#define LABEL_GAP 8.0     /* between two labels on a line */
#define STEM_CLEAR 4.0    /* between a line and a label it passes */

typedef struct {
  const UpgTimelineOptions *options;
  GTimeZone  *zone;
  GListModel *milestones;
  UpgRecord  *project;
  char       *today;
  GDate       first;
  int         n_days;
  double      day_width;
} Timeline;

static gboolean
parse_date (const char *text, GDate *date)
{
  int y, m, d;

  g_date_clear (date, 1);
  if (text == NULL || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static gboolean
parse_timestamp (Timeline *t, const char *text, GDate *date, double *fraction)
{
  g_autoptr(GDateTime) utc = text ? upg_timestamp_to_datetime (text) : NULL;
  g_autoptr(GDateTime) local = NULL;

  g_date_clear (date, 1);
  if (utc == NULL)
    return FALSE;
  local = g_date_time_to_timezone (utc, t->zone);
  g_date_set_dmy (date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  *fraction = (g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local)) / 1440.0;
  return TRUE;
}

static void
extend (GDate *first, GDate *last, const GDate *date)
{
  if (!g_date_valid (date))
    return;
  if (!g_date_valid (first) || g_date_compare (date, first) < 0)
    *first = *date;
  if (!g_date_valid (last) || g_date_compare (date, last) > 0)
    *last = *date;
}

static void
timeline_init (Timeline *t, UpgRecord *project, const UpgTimelineOptions *options)
{
  GDate first, last, date;
  double fraction;
  const char *zone = options ? options->zone : NULL;

  memset (t, 0, sizeof *t);
  t->options = options;
  t->project = project;
  t->zone = zone && *zone ? g_time_zone_new_identifier (zone) : NULL;
  if (t->zone == NULL)
    t->zone = g_time_zone_new_local ();
  t->today = options && options->today ? g_strdup (options->today) : upg_clock_today ();
  t->milestones = project ? upg_record_get_children (project, &upg_entity_milestone) : NULL;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  for (guint i = 0, n = t->milestones ? g_list_model_get_n_items (t->milestones) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (t->milestones, i);
      if (parse_date (upg_record_get_string (m, UPG_MILESTONE_DUE), &date))
        extend (&first, &last, &date);
      if (parse_date (upg_record_get_string (m, UPG_MILESTONE_DONE), &date))
        extend (&first, &last, &date);
    }
  if (project != NULL)
    {
      if (parse_timestamp (t, upg_record_get_string (project, UPG_PROJECT_WINDOW_START), &date, &fraction))
        extend (&first, &last, &date);
      if (parse_timestamp (t, upg_record_get_string (project, UPG_PROJECT_WINDOW_END), &date, &fraction))
        extend (&first, &last, &date);
    }
  /* Today, when it is near the plan (or the plan has no dates): a plan in
   * March does not open on November. */
  parse_date (t->today, &date);
  if (!g_date_valid (&first) ||
      (g_date_days_between (&date, &first) <= 14 && g_date_days_between (&last, &date) <= 14))
    extend (&first, &last, &date);
  /* A few days of air on both sides (none before 1 January of year 1),
   * and at least four weeks. */
  g_date_subtract_days (&first, MIN (3, g_date_get_julian (&first) - 1));
  g_date_add_days (&last, 3);
  t->first = first;
  t->n_days = MAX (28, g_date_days_between (&first, &last) + 1);
}

static void
timeline_clear (Timeline *t)
{
  g_clear_pointer (&t->zone, g_time_zone_unref);
  g_clear_pointer (&t->today, g_free);
}

static double
zoom_of (const UpgTimelineOptions *options)
{
  if (options != NULL && options->zoom < 0)
    return 0;   /* fit the width given, however many days */
  return options && options->zoom > 0 ? CLAMP (options->zoom, UPG_TIMELINE_MIN_ZOOM, UPG_TIMELINE_MAX_ZOOM) : 16;
}

double
upg_draw_timeline_width (UpgRecord                *project,
                         const UpgTimelineOptions *options)
{
  Timeline t;
  double width;

  timeline_init (&t, project, options);
  width = ceil (2 * MARGIN + t.n_days * zoom_of (options));
  timeline_clear (&t);
  return width;
}

static double
x_for (Timeline *t, const GDate *date, double fraction)
{
  return MARGIN + (g_date_days_between (&t->first, date) + fraction) * t->day_width;
}

/* Whether a gray stage's title already says its percent ("Canary 5%"). */
static gboolean
title_names_percent (const char *title, int percent)
{
  g_autofree char *tight = g_strdup_printf ("%d%%", percent);
  g_autofree char *spaced = g_strdup_printf ("%d %%", percent);
  return strstr (title, tight) != NULL || strstr (title, spaced) != NULL;
}

/* ---- Timeline: where everything goes --------------------------------------
 *
 * The layout is computed apart from the drawing, with text measured on a
 * surface of its own (so the window, the SVG and the PDF place the same),
 * and the tests check it: no two texts overlap, no text is cut, no line
 * runs through a text.
 *
 * - Markers: at their date; markers closer than MARKER_GAP (milestones on
 *   the same day, or a week at a narrow zoom) are spread apart around
 *   their dates, in date order.
 * - Titles: on lines above the axis, line 0 nearest it. A title's box
 *   holds its marker's x, and its stem runs from the box down to the
 *   marker, so a title may cover another marker's x only when it sits
 *   above that marker's title, and the stems of titles above never cross a
 *   title below. Titles are placed in date order, each on the lowest line
 *   that keeps those rules (right-aligned on its marker first, then
 *   centred, then left-aligned), a line inserted where none has room. The
 *   picture is as tall as its lines need.
 * - Today: a line from its label under the axis up to the lowest title it
 *   would cross (or the top), so it passes behind nothing.
 * - The axis's dates: months first (they say where the reader is), then
 *   days where they fit; none over the Today label or the Today line. */

static PangoLayout *
measure_layout (const UpgPalette *palette, const char *text, gboolean bold, double scale)
{
  static cairo_surface_t *surface;
  static cairo_t *cr;

  /* One surface for measuring, kept: the text's size does not depend on
   * where it is drawn (metrics unhinted). */
  if (cr == NULL)
    {
      cairo_font_options_t *options = cairo_font_options_create ();

      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
      cr = cairo_create (surface);
      cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
      cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
      cairo_set_font_options (cr, options);
      cairo_font_options_destroy (options);
    }
  return text_layout (cr, palette, text, bold, scale);
}

static void
measure (const UpgPalette *palette, const char *text, gboolean bold, double scale, double *w, double *h)
{
  g_autoptr(PangoLayout) layout = measure_layout (palette, text, bold, scale);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  *w = ceil ((double) logical.width / PANGO_SCALE);
  *h = ceil ((double) logical.height / PANGO_SCALE);
}

/* @text wrapped at @wrap_width: its size and how many lines. */
static void
measure_wrapped (const UpgPalette *palette, const char *text, gboolean bold, double wrap_width,
                 double *w, double *h, int *rows)
{
  g_autoptr(PangoLayout) layout = measure_layout (palette, text, bold, 1.0);
  PangoRectangle logical;

  pango_layout_set_width (layout, (int) (wrap_width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_extents (layout, NULL, &logical);
  *w = ceil ((double) logical.width / PANGO_SCALE);
  *h = ceil ((double) logical.height / PANGO_SCALE);
  *rows = pango_layout_get_line_count (layout);
}

static gboolean
boxes_meet (const UpgTimelineBox *a, const UpgTimelineBox *b, double gap)
{
  return a->x < b->x + b->width + gap && b->x < a->x + a->width + gap &&
         a->y < b->y + b->height && b->y < a->y + a->height;
}

static gboolean
spans_x (double x0, double x1, double x, double clear)
{
  return x > x0 - clear && x < x1 + clear;
}

typedef struct {
  guint  index;       /* into layout->labels */
  double x0, x1;      /* the title's span */
  int    line;        /* its lowest line */
  int    rows;        /* how many lines it takes (a wrapped title more than one) */
} Placed;

/* Whether @x0…@x1, @rows lines tall, keeps the rules with the titles placed
 * so far: its lowest line must be @lo or more, and at most @hi (G_MAXINT:
 * no bound). */
static gboolean
span_bounds (GArray *placed, double marker_x, double x0, double x1, int rows, const double *markers,
             int *lo, int *hi)
{
  *lo = 0;
  *hi = G_MAXINT;
  for (guint p = 0; p < placed->len; p++)
    {
      Placed *other = &g_array_index (placed, Placed, p);
      gboolean covers_other = spans_x (x0, x1, markers[other->index], STEM_CLEAR);
      gboolean covered = spans_x (other->x0, other->x1, marker_x, STEM_CLEAR);

      if (covers_other && covered)
        return FALSE;
      if (covers_other)
        *lo = MAX (*lo, other->line + other->rows);   /* above the other: its stem passes below */
      if (covered)
        *hi = MIN (*hi, other->line - rows);          /* below the other: our stem passes below it */
    }
  /* Equal, or a bound under the lines in use: lines inserted make room. */
  return *hi == G_MAXINT || *lo <= *hi + rows;
}

static gboolean
lines_free (GArray *placed, int line, int rows, double x0, double x1)
{
  for (guint p = 0; p < placed->len; p++)
    {
      Placed *other = &g_array_index (placed, Placed, p);
      if (line < other->line + other->rows && other->line < line + rows &&
          x0 < other->x1 + LABEL_GAP && other->x0 < x1 + LABEL_GAP)
        return FALSE;
    }
  return TRUE;
}

static int
compare_by_x (gconstpointer a, gconstpointer b, gpointer data)
{
  const double *xs = data;
  double xa = xs[*(const guint *) a], xb = xs[*(const guint *) b];
  return xa < xb ? -1 : xa > xb ? 1 : (int) *(const guint *) a - (int) *(const guint *) b;
}

static void
add_text (UpgTimelineLayout *layout, UpgTimelineTextKind kind, const char *text,
          double x, double y, double w, double h)
{
  UpgTimelineText item = { kind, g_strdup (text), { x, y, w, h } };
  g_array_append_val (layout->texts, item);
}

static void
text_clear (gpointer data)
{
  UpgTimelineText *text = data;
  g_free (text->text);
}

static void
label_clear (gpointer data)
{
  UpgTimelineLabel *label = data;
  g_free (label->text);
}

void
upg_timeline_layout_free (UpgTimelineLayout *layout)
{
  if (layout == NULL)
    return;
  g_array_unref (layout->labels);
  g_array_unref (layout->texts);
  g_array_unref (layout->ticks);
  g_free (layout);
}

/* Whether a date under the axis would meet the Today label or line. */
static gboolean
collides_today (const UpgTimelineLayout *layout, const UpgTimelineBox *today_box, const UpgTimelineBox *box)
{
  if (today_box->width <= 0)
    return FALSE;
  return spans_x (box->x, box->x + box->width, layout->today_x, STEM_CLEAR) ||
         (box->x < today_box->x + today_box->width + 4 && today_box->x < box->x + box->width + 4);
}

/* The dates along the axis: months first, then days where they fit. */
static void
layout_axis (UpgTimelineLayout *layout, Timeline *t, const UpgPalette *palette, double width,
             const UpgTimelineBox *today_box)
{
  gboolean by_year = t->day_width * 28 < 3;
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (UpgTimelineBox));

  for (int pass = 0; pass < 2; pass++)
    {
      GDate date = t->first;

      for (int d = 0; d <= t->n_days; )
        {
          GDate here = date;
          int here_d = d;
          gboolean month, week;

          if (by_year)
            {
              GDate next;

              if (g_date_get_year (&date) >= 9999)
                d = t->n_days + 1;
              else
                {
                  g_date_clear (&next, 1);
                  g_date_set_dmy (&next, 1, G_DATE_JANUARY, g_date_get_year (&date) + 1);
                  d += g_date_days_between (&date, &next);
                  date = next;
                }
              month = TRUE;
              week = FALSE;
            }
          else
            {
              month = g_date_get_day (&here) == 1;
              week = g_date_get_weekday (&here) == G_DATE_MONDAY && t->day_width * 7 >= 3;
              d++;
              g_date_add_days (&date, 1);
            }
          {
            double x = floor (MARGIN + here_d * t->day_width) + 0.5;
            gboolean heading = month || here_d == 0;
            gboolean wanted = pass == 0 ? heading
                                        : !heading && ((week && t->day_width >= 12) || t->day_width >= 40);
            g_autoptr(GDateTime) dt = NULL;
            g_autofree char *label = NULL;
            UpgTimelineBox box;
            gboolean fits = TRUE;

            if (month || week || t->day_width >= 8)
              {
                UpgTimelineTick tick = { x, month ? 10 : week ? 6 : 3 };
                if (pass == 0)
                  g_array_append_val (layout->ticks, tick);
              }
            if (!wanted)
              continue;
            dt = g_date_time_new_utc (g_date_get_year (&here), g_date_get_month (&here), g_date_get_day (&here),
                                      0, 0, 0);
            if (dt == NULL)
              continue;
            /* TRANSLATORS: a month, or a day of the month, on the timeline
             * axis; g_date_time_format() formats */
            /* xgettext:no-c-format */
            label = g_date_time_format (dt, heading ? C_("timeline", "%b %Y")
                                                    /* xgettext:no-c-format */
                                                    : C_("timeline", "%e"));
            g_strstrip (label);
            box.y = layout->axis_y + 12;
            measure (palette, label, heading, 0.83, &box.width, &box.height);
            box.x = x + 2;
            /* A month under the Today label moves to its right. */
            if (heading && collides_today (layout, today_box, &box))
              box.x = today_box->x + today_box->width + 6;
            if (box.x + box.width > width - 2 || collides_today (layout, today_box, &box))
              fits = FALSE;
            for (guint p = 0; fits && p < placed->len; p++)
              if (boxes_meet (&box, &g_array_index (placed, UpgTimelineBox, p), 6))
                fits = FALSE;
            if (!fits)
              continue;
            g_array_append_val (placed, box);
            add_text (layout, heading ? UPG_TIMELINE_TEXT_MONTH : UPG_TIMELINE_TEXT_DAY, label,
                      box.x, box.y, box.width, box.height);
          }
        }
    }
}

UpgTimelineLayout *
upg_timeline_layout_new (UpgRecord                *project,
                         double                    width,
                         const UpgTimelineOptions *options,
                         const UpgPalette         *palette)
{
  UpgTimelineLayout *layout = g_new0 (UpgTimelineLayout, 1);
  Timeline t;
  GDate date, today_date;
  double fraction, line_height, today_w = 0, today_h = 0;
  guint n;
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (Placed));
  g_autofree double *markers = NULL;
  int n_lines = 0;
  UpgTimelineBox today_box = { 0, 0, 0, 0 };

  layout->labels = g_array_new (FALSE, TRUE, sizeof (UpgTimelineLabel));
  g_array_set_clear_func (layout->labels, label_clear);
  layout->texts = g_array_new (FALSE, TRUE, sizeof (UpgTimelineText));
  g_array_set_clear_func (layout->texts, text_clear);
  layout->ticks = g_array_new (FALSE, TRUE, sizeof (UpgTimelineTick));
  layout->width = width;
  layout->today_x = NAN;
  layout->window_x0 = layout->window_x1 = NAN;

  timeline_init (&t, project, options);
  n = t.milestones ? g_list_model_get_n_items (t.milestones) : 0;
  /* A plan shorter than the picture is spread across it. */
  t.day_width = MAX (zoom_of (options), (width - 2 * MARGIN) / t.n_days);
  layout->day_width = t.day_width;
  layout->axis_start = MARGIN;
  layout->axis_end = MARGIN + t.n_days * t.day_width;
  measure (palette, "Xg", FALSE, 1.0, &fraction, &line_height);
  line_height = MAX (line_height, 16);
  layout->line_pitch = line_height + 4;

  /* The markers and their titles. */
  markers = g_new0 (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (t.milestones, i);
      UpgMilestoneState state = upg_milestone_state (m, t.today);
      const char *title = upg_record_get_string (m, UPG_MILESTONE_TITLE);
      int percent = upg_record_get_int (m, UPG_MILESTONE_ROLLOUT_PERCENT);
      gboolean gray = g_strcmp0 (upg_record_get_string (m, UPG_MILESTONE_KIND), "gray_release") == 0;
      UpgTimelineLabel label = { 0 };

      if (!parse_date (upg_record_get_string (m, state == UPG_MILESTONE_STATE_DONE ? UPG_MILESTONE_DONE : UPG_MILESTONE_DUE), &date))
        {
          layout->n_undated++;
          continue;
        }
      label.milestone = i;
      label.state = state;
      label.date_x = x_for (&t, &date, 0.5);
      if (state == UPG_MILESTONE_STATE_OVERDUE)
        /* TRANSLATORS: a milestone title on the timeline, marked overdue */
        label.text = g_strdup_printf (_("%s (overdue)"), title ? title : "");
      else if (gray && percent != UPG_INT_NULL && !title_names_percent (title ? title : "", percent))
        label.text = g_strdup_printf ("%s · %d %%", title ? title : "", percent);
      else
        label.text = g_strdup (title ? title : "");
      measure (palette, label.text, state == UPG_MILESTONE_STATE_OVERDUE, 1.0, &label.box.width, &label.box.height);
      label.rows = 1;
      /* A long title wraps onto more lines (at most four), so titles
       * narrower than the room between markers keep out of each other's
       * stems; one that still does not fit is the one thing shortened. */
      if (label.box.width > MAX (200, width * 0.45))
        {
          label.wrap_width = MAX (200, width * 0.45);
          measure_wrapped (palette, label.text, state == UPG_MILESTONE_STATE_OVERDUE, label.wrap_width,
                           &label.box.width, &label.box.height, &label.rows);
          if (label.rows > 4)
            {
              label.rows = 4;
              label.box.height = 4 * line_height;
              label.cut = TRUE;
            }
        }
      markers[layout->labels->len] = label.date_x;
      g_array_append_val (order, layout->labels->len);
      g_array_append_val (layout->labels, label);
    }

  /* Markers in date order, at least MARKER_GAP apart, each run of close
   * ones centred on its dates. */
  g_array_sort_with_data (order, compare_by_x, markers);
  for (guint a = 0; a < order->len; )
    {
      guint b = a + 1;
      double sum = markers[g_array_index (order, guint, a)];

      while (b < order->len &&
             markers[g_array_index (order, guint, b)] - markers[g_array_index (order, guint, b - 1)] < MARKER_GAP)
        sum += markers[g_array_index (order, guint, b++)];
      if (b - a > 1)
        {
          double start = sum / (b - a) - (b - a - 1) * MARKER_GAP / 2;
          start = CLAMP (start, MIN (MARGIN, markers[g_array_index (order, guint, a)]),
                         MAX (MARGIN, width - MARGIN - (b - a - 1) * MARKER_GAP));
          for (guint k = a; k < b; k++)
            markers[g_array_index (order, guint, k)] = start + (k - a) * MARKER_GAP;
          /* A spread run may now be close to the next one: go again from its start. */
          if (b < order->len &&
              markers[g_array_index (order, guint, b)] - markers[g_array_index (order, guint, b - 1)] < MARKER_GAP)
            {
              markers[g_array_index (order, guint, b)] = markers[g_array_index (order, guint, b - 1)] + MARKER_GAP;
              continue;
            }
        }
      a = b;
    }
  for (guint k = 0; k < layout->labels->len; k++)
    g_array_index (layout->labels, UpgTimelineLabel, k).marker_x = markers[k];

  /* Each title on the lowest line the rules allow. */
  for (guint k = 0; k < order->len; k++)
    {
      guint index = g_array_index (order, guint, k);
      UpgTimelineLabel *label = &g_array_index (layout->labels, UpgTimelineLabel, index);
      double x = label->marker_x, w = label->box.width;
      double right = MAX (2, width - 2 - w);
      int rows = label->rows;
      double candidates[3] = {
        CLAMP (x + 6 - w, 2, right),      /* right-aligned on the marker */
        CLAMP (x - w / 2, 2, right),      /* centred */
        CLAMP (x - 6, 2, right),          /* left-aligned */
      };
      Placed best = { index, 0, 0, -1, rows };
      int insert = 0;

      for (guint c = 0; c < G_N_ELEMENTS (candidates) && best.line < 0; c++)
        {
          int lo, hi;
          double x0 = candidates[c], x1 = candidates[c] + w;

          if (!span_bounds (placed, x, x0, x1, rows, markers, &lo, &hi))
            continue;
          for (int line = lo; line <= MIN (hi, n_lines - rows); line++)
            if (lines_free (placed, line, rows, x0, x1))
              {
                best = (Placed) { index, x0, x1, line, rows };
                break;
              }
        }
      /* No line has room: new lines, where the rules put them (on top, or
       * under the titles ours must stay below). */
      for (guint c = 0; c < G_N_ELEMENTS (candidates) && best.line < 0; c++)
        {
          int lo, hi;
          double x0 = candidates[c], x1 = candidates[c] + w;

          if (!span_bounds (placed, x, x0, x1, rows, markers, &lo, &hi))
            continue;
          if (hi == G_MAXINT)
            best = (Placed) { index, x0, x1, MAX (lo, n_lines), rows };
          else
            {
              /* Lines from @at up move up by @insert: ours goes at @lo. */
              int at = hi + rows;     /* the lowest line of the titles above ours */
              best = (Placed) { index, x0, x1, lo, rows };
              insert = lo + rows - at;
              if (insert < 0)
                insert = 0;
              for (guint p = 0; insert > 0 && p < placed->len; p++)
                if (g_array_index (placed, Placed, p).line >= at)
                  g_array_index (placed, Placed, p).line += insert;
            }
        }
      if (best.line < 0)
        {
          /* Only when titles cover each other's markers (wider than the
           * room between them): on top, its stem crossing. */
          best = (Placed) { index, candidates[0], candidates[0] + w, n_lines, rows };
          layout->n_crossings++;
        }
      g_array_append_val (placed, best);
      n_lines = MAX (n_lines + insert, best.line + rows);
    }

  layout->n_lines = MAX (n_lines, MIN_LINES);
  layout->axis_y = TOP + layout->n_lines * layout->line_pitch + STEM_MIN;
  layout->height = layout->axis_y + BELOW_AXIS;
  for (guint p = 0; p < placed->len; p++)
    {
      Placed *pl = &g_array_index (placed, Placed, p);
      UpgTimelineLabel *label = &g_array_index (layout->labels, UpgTimelineLabel, pl->index);

      label->line = pl->line;
      label->box.x = pl->x0;
      label->box.y = layout->axis_y - STEM_MIN - (pl->line + pl->rows) * layout->line_pitch + 2;
    }

  /* The maintenance window: a band, its label above the titles. */
  if (project != NULL &&
      parse_timestamp (&t, upg_record_get_string (project, UPG_PROJECT_WINDOW_START), &date, &fraction))
    {
      GDate end;
      double end_fraction, w, h;

      layout->window_x0 = x_for (&t, &date, fraction);
      if (!parse_timestamp (&t, upg_record_get_string (project, UPG_PROJECT_WINDOW_END), &end, &end_fraction) ||
          g_date_compare (&end, &date) < 0)
        {
          end = date;
          end_fraction = fraction;
        }
      layout->window_x1 = MAX (x_for (&t, &end, end_fraction), layout->window_x0 + 4);
      measure (palette, _("Window"), FALSE, 0.83, &w, &h);
      add_text (layout, UPG_TIMELINE_TEXT_WINDOW, _("Window"),
                CLAMP (layout->window_x0 + 3, 2, MAX (2, width - w - 2)), TOP - 2 - h, w, h);
    }

  /* Today: its label under the axis, its line up to the first title in
   * its way. */
  if (parse_date (t.today, &today_date) &&
      g_date_days_between (&t.first, &today_date) >= 0 && g_date_days_between (&t.first, &today_date) <= t.n_days)
    {
      layout->today_x = floor (x_for (&t, &today_date, 0.5)) + 0.5;
      measure (palette, _("Today"), TRUE, 0.83, &today_w, &today_h);
      today_box.x = CLAMP (layout->today_x - today_w / 2, 2, MAX (2, width - today_w - 2));
      today_box.y = layout->axis_y + 30;
      today_box.width = today_w;
      today_box.height = today_h;
      add_text (layout, UPG_TIMELINE_TEXT_TODAY, _("Today"), today_box.x, today_box.y, today_w, today_h);
      layout->today_top = TOP - 2;
      for (guint k = 0; k < layout->labels->len; k++)
        {
          UpgTimelineLabel *label = &g_array_index (layout->labels, UpgTimelineLabel, k);
          if (spans_x (label->box.x, label->box.x + label->box.width, layout->today_x, STEM_CLEAR))
            layout->today_top = MAX (layout->today_top, label->box.y + label->box.height + STEM_CLEAR);
        }
    }
  layout_axis (layout, &t, palette, width, &today_box);
  timeline_clear (&t);
  return layout;
}

/* Draws @text with its top-left at @x, @y, cut to @max_width when > 0. */
static void
draw_text_at (cairo_t *cr, const UpgPalette *palette, const char *text, double x, double y,
              gboolean bold, double scale, const UpgColor *color, double max_width)
{
  g_autoptr(PangoLayout) layout = text_layout (cr, palette, text, bold, scale);

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  set_color (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_label (cairo_t *cr, const UpgPalette *palette, const UpgTimelineLabel *label)
{
  gboolean overdue = label->state == UPG_MILESTONE_STATE_OVERDUE;
  g_autoptr(PangoLayout) layout = text_layout (cr, palette, label->text, overdue, 1.0);

  if (label->wrap_width > 0)
    {
      pango_layout_set_width (layout, (int) (label->wrap_width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
    }
  if (label->cut)
    {
      pango_layout_set_height (layout, (int) (label->box.height * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  set_color (cr, overdue ? &palette->error : &palette->fg);
  cairo_move_to (cr, label->box.x, label->box.y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_marker (cairo_t *cr, const UpgPalette *palette, UpgMilestoneState state, double x, double y)
{
  const UpgColor *color = state == UPG_MILESTONE_STATE_DONE ? &palette->success
                          : state == UPG_MILESTONE_STATE_OVERDUE ? &palette->error
                          : state == UPG_MILESTONE_STATE_DUE_TODAY ? &palette->warning : &palette->accent;

  set_color (cr, color);
  if (state == UPG_MILESTONE_STATE_OVERDUE)
    {
      /* A diamond with "!" inside. */
      cairo_move_to (cr, x, y - 9);
      cairo_line_to (cr, x + 9, y);
      cairo_line_to (cr, x, y + 9);
      cairo_line_to (cr, x - 9, y);
      cairo_close_path (cr);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x, y - 5);
      cairo_line_to (cr, x, y + 1);
      cairo_stroke (cr);
      cairo_arc (cr, x, y + 4.5, 1.1, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  else if (state == UPG_MILESTONE_STATE_DONE)
    {
      cairo_arc (cr, x, y, 8, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x - 4, y);
      cairo_line_to (cr, x - 1, y + 3);
      cairo_line_to (cr, x + 4, y - 3);
      cairo_stroke (cr);
    }
  else
    {
      set_color (cr, &palette->bg);
      cairo_arc (cr, x, y, 7, 0, 2 * G_PI);
      cairo_fill_preserve (cr);
      set_color (cr, color);
      cairo_set_line_width (cr, 2.5);
      cairo_stroke (cr);
    }
}

void
upg_draw_timeline_layout (cairo_t                 *cr,
                          const UpgTimelineLayout *layout,
                          const UpgPalette        *palette)
{
  UpgColor dim = with_alpha (&palette->fg, 0.55);
  UpgColor window_bg = with_alpha (&palette->accent, 0.16);
  double axis_y = layout->axis_y;

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* The maintenance window: a band with a hole (the text's box and 2 px)
   * around every text it passes under but its own caption, so no title
   * reads across it. Each hole is a clip (the band less the hole,
   * even-odd): vector in PDF and SVG, and holes that overlap stay holes. */
  if (!isnan (layout->window_x0))
    {
      UpgTimelineBox band = { layout->window_x0, 8, layout->window_x1 - layout->window_x0, axis_y + 20 - 8 };

      cairo_save (cr);
      cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
      for (guint i = 0; i < layout->labels->len + layout->texts->len; i++)
        {
          const UpgTimelineBox *box;
          double x0, x1, y0, y1;

          if (i < layout->labels->len)
            box = &g_array_index (layout->labels, UpgTimelineLabel, i).box;
          else if (g_array_index (layout->texts, UpgTimelineText, i - layout->labels->len).kind != UPG_TIMELINE_TEXT_WINDOW)
            box = &g_array_index (layout->texts, UpgTimelineText, i - layout->labels->len).box;
          else
            continue;
          x0 = MAX (box->x - 2, band.x);
          x1 = MIN (box->x + box->width + 2, band.x + band.width);
          y0 = MAX (box->y - 2, band.y);
          y1 = MIN (box->y + box->height + 2, band.y + band.height);
          if (x0 >= x1 || y0 >= y1)
            continue;
          cairo_rectangle (cr, band.x, band.y, band.width, band.height);
          cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
          cairo_clip (cr);
        }
      set_color (cr, &window_bg);
      cairo_rectangle (cr, band.x, band.y, band.width, band.height);
      cairo_fill (cr);
      cairo_restore (cr);
    }

  /* Today's line, under the axis and the markers. */
  if (!isnan (layout->today_x))
    {
      set_color (cr, &palette->accent);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, layout->today_x, layout->today_top);
      cairo_line_to (cr, layout->today_x, axis_y + 28);
      cairo_stroke (cr);
    }

  /* The axis and its ticks. */
  set_color (cr, &dim);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, layout->axis_start, axis_y + 0.5);
  cairo_line_to (cr, layout->axis_end, axis_y + 0.5);
  cairo_stroke (cr);
  for (guint i = 0; i < layout->ticks->len; i++)
    {
      UpgTimelineTick *tick = &g_array_index (layout->ticks, UpgTimelineTick, i);
      cairo_move_to (cr, tick->x, axis_y);
      cairo_line_to (cr, tick->x, axis_y + tick->length);
    }
  cairo_stroke (cr);

  /* The texts that are not titles. */
  for (guint i = 0; i < layout->texts->len; i++)
    {
      UpgTimelineText *text = &g_array_index (layout->texts, UpgTimelineText, i);
      gboolean bold = text->kind == UPG_TIMELINE_TEXT_MONTH || text->kind == UPG_TIMELINE_TEXT_TODAY;
      const UpgColor *color = text->kind == UPG_TIMELINE_TEXT_MONTH ? &palette->fg
                              : text->kind == UPG_TIMELINE_TEXT_DAY ? &dim : &palette->accent;

      draw_text_at (cr, palette, text->text, text->box.x, text->box.y, bold, 0.83, color, 0);
    }

  /* The stems, the markers, the titles. */
  for (guint i = 0; i < layout->labels->len; i++)
    {
      UpgTimelineLabel *label = &g_array_index (layout->labels, UpgTimelineLabel, i);
      double stem_x = floor (label->marker_x) + 0.5;

      set_color (cr, &dim);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, stem_x, label->box.y + label->box.height + 1);
      cairo_line_to (cr, stem_x, axis_y - 10);
      /* From the date to a marker spread apart from it. */
      if (fabs (label->marker_x - label->date_x) >= 1)
        {
          cairo_move_to (cr, floor (label->date_x) + 0.5, axis_y - 4);
          cairo_line_to (cr, floor (label->date_x) + 0.5, axis_y + 4);
        }
      cairo_stroke (cr);
      draw_marker (cr, palette, label->state, label->marker_x, axis_y);
      draw_label (cr, palette, label);
    }

  /* Milestones without a date are not on the axis: say how many. */
  if (layout->n_undated > 0)
    {
      /* TRANSLATORS: under the timeline */
      g_autofree char *text = g_strdup_printf (ngettext ("%u milestone has no date", "%u milestones have no date",
                                                         layout->n_undated),
                                               layout->n_undated);
      draw_text_at (cr, palette, text, MARGIN, axis_y + 48, FALSE, 0.83, &dim, MAX (40, layout->width - 2 * MARGIN));
    }
  cairo_restore (cr);
}

double
upg_draw_timeline_height (UpgRecord                *project,
                          double                    width,
                          const UpgTimelineOptions *options,
                          const UpgPalette         *palette)
{
  UpgTimelineLayout *layout = upg_timeline_layout_new (project, width, options, palette);
  double height = layout->height;

  upg_timeline_layout_free (layout);
  return height;
}

void
upg_draw_timeline (cairo_t                  *cr,
                   UpgRecord                *project,
                   double                    width,
                   double                    height,
                   const UpgTimelineOptions *options,
                   const UpgPalette         *palette)
{
  UpgTimelineLayout *layout = upg_timeline_layout_new (project, width, options, palette);

  upg_draw_timeline_layout (cr, layout, palette);
  upg_timeline_layout_free (layout);
}

guint
upg_draw_timeline_days (UpgRecord                *project,
                        const UpgTimelineOptions *options)
{
  Timeline t;
  guint n_days;

  timeline_init (&t, project, options);
  n_days = t.n_days;
  timeline_clear (&t);
  return n_days;
}

/* ---- Heat map ------------------------------------------------------------- */

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

void
upg_draw_heat_map (cairo_t          *cr,
                   UpgRecord        *project,
                   gboolean          residual,
                   double            width,
                   double            height,
                   const UpgPalette *palette)
{
  GListModel *risks = upg_record_get_children (project, &upg_entity_risk);
  guint count[UPG_RISK_SCALE + 1][UPG_RISK_SCALE + 1] = { { 0 } };
  UpgRiskThresholds thresholds;
  UpgColor dim = with_alpha (&palette->fg, 0.55);
  int t[3];
  double left = 118, top = 8, legend_h = 30, bottom_labels = 40;
  double grid_w = width - left - 8, grid_h = height - top - bottom_labels - legend_h;
  double cw = grid_w / UPG_RISK_SCALE, ch = grid_h / UPG_RISK_SCALE, gap = 4;
  double lx;

  upg_project_get_risk_thresholds (UPG_PROJECT (project), t);
  thresholds.medium_from = t[0];
  thresholds.high_from = t[1];
  thresholds.critical_from = t[2];

  for (guint i = 0, n = risks ? g_list_model_get_n_items (risks) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) r = g_list_model_get_item (risks, i);
      int l, im;

      if (residual)
        upg_risk_get_effective_residual (UPG_RISK (r), &l, &im);
      else
        {
          l = upg_record_get_int (r, UPG_RISK_LIKELIHOOD);
          im = upg_record_get_int (r, UPG_RISK_IMPACT);
        }
      if (l >= 1 && l <= UPG_RISK_SCALE && im >= 1 && im <= UPG_RISK_SCALE)
        count[l][im]++;
    }

  cairo_save (cr);
  for (int l = 1; l <= UPG_RISK_SCALE; l++)
    {
      double y = top + (UPG_RISK_SCALE - l) * ch;

      draw_text (cr, palette, upg_risk_likelihood_label (l), left - 8, y + ch / 2 - 7, 1, FALSE, TRUE, &dim, left - 12);
      for (int i = 1; i <= UPG_RISK_SCALE; i++)
        {
          double x = left + (i - 1) * cw;
          UpgRiskLevel level = upg_risk_level_for_score (upg_risk_score (l, i), &thresholds);
          g_autofree char *number = g_strdup_printf ("%u", count[l][i]);
          UpgColor text = count[l][i] ? palette->fg : dim;
          int nw, nh;

          set_color (cr, &palette->bg);
          rounded_rect (cr, x + gap / 2, y + gap / 2, cw - gap, ch - gap, 10);
          cairo_fill_preserve (cr);
          set_color (cr, &palette->level[level]);
          cairo_fill (cr);
          text_size (cr, palette, number, count[l][i] > 0, 1.3, &nw, &nh);
          {
            g_autoptr(PangoLayout) layout = text_layout (cr, palette, number, count[l][i] > 0, 1.3);
            set_color (cr, &text);
            cairo_move_to (cr, x + cw / 2 - nw / 2.0, y + ch / 2 - nh / 2.0 - 5);
            pango_cairo_show_layout (cr, layout);
          }
          draw_text (cr, palette, upg_risk_level_label (level), x + cw / 2, y + ch / 2 + nh / 2.0 - 6,
                     0.5, FALSE, TRUE, &dim, cw - 6);
        }
    }
  for (int i = 1; i <= UPG_RISK_SCALE; i++)
    draw_text (cr, palette, upg_risk_impact_label (i), left + (i - 0.5) * cw, top + grid_h + 4, 0.5,
               FALSE, TRUE, &dim, cw - 2);
  /* Translators: the axes of the risk heat map */
  draw_text (cr, palette, _("Impact →"), left + grid_w / 2, top + grid_h + 20, 0.5, TRUE, TRUE, &palette->fg, 0);
  cairo_save (cr);
  cairo_translate (cr, 4, top + grid_h / 2);
  cairo_rotate (cr, -G_PI / 2);
  draw_text (cr, palette, _("Likelihood →"), 0, 0, 0.5, TRUE, TRUE, &palette->fg, 0);
  cairo_restore (cr);

  /* The legend: a swatch and the scores of each level. */
  lx = 8;
  for (int level = UPG_RISK_LEVEL_LOW; level < UPG_RISK_N_LEVELS; level++)
    {
      int lo, hi, w, h;
      g_autofree char *text = NULL;

      if (!upg_risk_level_range (level, &thresholds, &lo, &hi))
        continue;
      text = lo == hi ? g_strdup_printf ("%s %d", upg_risk_level_label (level), lo)
                      : g_strdup_printf ("%s %d–%d", upg_risk_level_label (level), lo, hi);
      set_color (cr, &palette->bg);
      rounded_rect (cr, lx, height - legend_h + 8, 14, 14, 4);
      cairo_fill_preserve (cr);
      set_color (cr, &palette->level[level]);
      cairo_fill (cr);
      text_size (cr, palette, text, FALSE, 0.83, &w, &h);
      draw_text (cr, palette, text, lx + 19, height - legend_h + 8, 0, FALSE, TRUE, &palette->fg, 0);
      lx += 19 + w + 14;
    }
  cairo_restore (cr);
}


/* ---- Insights ---------------------------------------------------------------- */

const char *
upg_insights_tile_title (UpgInsightsTile tile)
{
  switch (tile)
    {
    case UPG_INSIGHTS_TILE_FAILURE: return _("Change Failure Rate");
    case UPG_INSIGHTS_TILE_RESTORE: return _("Time to Restore");
    case UPG_INSIGHTS_TILE_OVERRUN: return _("Window Overrun");
    case UPG_INSIGHTS_TILE_RISKS: return _("Risks That Occurred");
    default: return "";
    }
}

static guint
total_occurred (const UpgInsights *in)
{
  guint n = 0;
  for (guint c = 0; c < 8; c++)
    n += in->occurred[c];
  return n;
}

char *
upg_insights_tile_describe (const UpgInsights *in,
                            UpgInsightsTile    tile)
{
  switch (tile)
    {
    case UPG_INSIGHTS_TILE_FAILURE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u %%: %u of %u upgrade rolled back or with incidents",
                                           "%u %%: %u of %u upgrades rolled back or with incidents",
                                           in->n_upgrades),
                              upg_insights_failure_percent (in), in->n_failed, in->n_upgrades);
    case UPG_INSIGHTS_TILE_RESTORE:
      if (in->n_restores == 0)
        return g_strdup (_("No timed rollbacks"));
      {
        g_autofree char *median = upg_retro_format_minutes (in->restore_median_minutes);
        g_autofree char *max = upg_retro_format_minutes (in->restore_max_minutes);
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%u of %u rollback within its target; median %s, longest %s",
                                             "%u of %u rollbacks within their target; median %s, longest %s",
                                             in->n_restores),
                                in->n_restores_within_target, in->n_restores, median, max);
      }
    case UPG_INSIGHTS_TILE_OVERRUN:
      {
        GString *text = g_string_new (NULL);
        for (guint b = 0; b < 6; b++)
          g_string_append_printf (text, "%s%s: %u", b ? ", " : "", upg_insights_overrun_label (b),
                                  in->overrun_buckets[b]);
        return g_string_free (text, FALSE);
      }
    case UPG_INSIGHTS_TILE_RISKS:
      {
        GString *text = g_string_new (NULL);
        g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                   "%u risk occurred, %u of them scored low",
                                                   "%u risks occurred, %u of them scored low",
                                                   total_occurred (in)),
                                total_occurred (in), in->occurred_low);
        for (guint c = 0; c < 8; c++)
          if (in->occurred[c] > 0)
            g_string_append_printf (text, "; %s: %u", upg_enum_label (upg_risk_categories, upg_risk_categories[c]),
                                    in->occurred[c]);
        return g_string_free (text, FALSE);
      }
    default:
      return g_strdup ("");
    }
}

static void
draw_number (cairo_t *cr, const UpgPalette *palette, const char *text, double x, double y, double scale,
             const UpgColor *color)
{
  g_autoptr(PangoLayout) layout = text_layout (cr, palette, text, TRUE, scale);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  set_color (cr, color);
  cairo_move_to (cr, x - w / 2.0, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_failure (cairo_t *cr, const UpgInsights *in, double w, double h, const UpgPalette *palette)
{
  double cx = w / 2, cy = 30 + (h - 60) / 2, r = MIN (w, h - 60) / 2 - 12;
  double fraction = in->n_upgrades ? (double) in->n_failed / in->n_upgrades : 0;
  UpgColor track = with_alpha (&palette->success, 0.35);
  g_autofree char *percent = g_strdup_printf ("%u %%", upg_insights_failure_percent (in));
  g_autofree char *caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u upgrade failed",
                                                           "%u of %u upgrades failed", in->n_upgrades),
                                              in->n_failed, in->n_upgrades);
  UpgColor dim = with_alpha (&palette->fg, 0.6);

  cairo_set_line_width (cr, 16);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  set_color (cr, in->n_upgrades ? &track : &dim);
  cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
  cairo_stroke (cr);
  if (fraction > 0)
    {
      set_color (cr, &palette->error);
      cairo_arc (cr, cx, cy, r, -G_PI / 2, -G_PI / 2 + 2 * G_PI * fraction);
      cairo_stroke (cr);
    }
  draw_number (cr, palette, percent, cx, cy, 2.0, &palette->fg);
  draw_text (cr, palette, caption, w / 2, h - 24, 0.5, FALSE, TRUE, &dim, w - 8);
}

static void
draw_restore (cairo_t *cr, const UpgInsights *in, double w, double h, const UpgPalette *palette)
{
  UpgColor dim = with_alpha (&palette->fg, 0.6);
  double x = 16, bw = w - 32, y = 70, bh = 28;
  guint over = in->n_restores - in->n_restores_within_target;

  if (in->n_restores == 0)
    {
      draw_text (cr, palette, _("No timed rollbacks"), w / 2, h / 2 - 8, 0.5, FALSE, FALSE, &dim, w - 8);
      return;
    }
  {
    g_autofree char *median = upg_retro_format_minutes (in->restore_median_minutes);
    g_autofree char *max = upg_retro_format_minutes (in->restore_max_minutes);
    /* Translators: the time to restore's median, large, in the chart */
    draw_number (cr, palette, median, w / 2, 46, 1.6, &palette->fg);
    {
      g_autofree char *caption = g_strdup_printf (_("median · longest %s"), max);
      draw_text (cr, palette, caption, w / 2, y + 4, 0.5, FALSE, TRUE, &dim, w - 8);
    }
  }
  y += 30;
  /* Within the target, then over it. */
  set_color (cr, &palette->bg);
  rounded_rect (cr, x, y, bw, bh, 8);
  cairo_fill (cr);
  cairo_save (cr);
  rounded_rect (cr, x, y, bw, bh, 8);
  cairo_clip (cr);
  set_color (cr, &palette->success);
  cairo_rectangle (cr, x, y, bw * in->n_restores_within_target / in->n_restores, bh);
  cairo_fill (cr);
  set_color (cr, &palette->error);
  cairo_rectangle (cr, x + bw * in->n_restores_within_target / in->n_restores, y, bw * over / in->n_restores, bh);
  cairo_fill (cr);
  cairo_restore (cr);
  {
    g_autofree char *within = g_strdup_printf (_("%u within target"), in->n_restores_within_target);
    g_autofree char *late = g_strdup_printf (_("%u over target"), over);
    set_color (cr, &palette->success);
    rounded_rect (cr, x, y + bh + 12, 12, 12, 3);
    cairo_fill (cr);
    draw_text (cr, palette, within, x + 17, y + bh + 10, 0, FALSE, TRUE, &palette->fg, bw / 2 - 20);
    set_color (cr, &palette->error);
    rounded_rect (cr, x + bw / 2, y + bh + 12, 12, 12, 3);
    cairo_fill (cr);
    draw_text (cr, palette, late, x + bw / 2 + 17, y + bh + 10, 0, FALSE, TRUE, &palette->fg, bw / 2 - 20);
  }
}

static void
draw_overrun (cairo_t *cr, const UpgInsights *in, double w, double h, const UpgPalette *palette)
{
  UpgColor dim = with_alpha (&palette->fg, 0.6);
  guint max = 0;
  double left = 10, top = 20, base = h - 44, slot = (w - 2 * left) / 6;
  const char *short_labels[6] = {
    /* Translators: a bucket of the overrun chart (ended before the planned end); keep it short */
    C_("overrun", "early"),
    /* Translators: a bucket of the overrun chart; keep it short */
    C_("overrun", "on time"),
    "≤15", "≤30", "≤60", ">60",
  };

  for (guint b = 0; b < 6; b++)
    max = MAX (max, in->overrun_buckets[b]);
  set_color (cr, &dim);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, left, base + 0.5);
  cairo_line_to (cr, w - left, base + 0.5);
  cairo_stroke (cr);
  for (guint b = 0; b < 6; b++)
    {
      double bar = max ? (base - top - 16) * in->overrun_buckets[b] / max : 0;
      double x = left + b * slot + 6;
      const UpgColor *color = b <= UPG_INSIGHTS_OVERRUN_ON_TIME ? &palette->success
                              : b <= UPG_INSIGHTS_OVERRUN_30 ? &palette->warning : &palette->error;
      g_autofree char *count = g_strdup_printf ("%u", in->overrun_buckets[b]);

      set_color (cr, color);
      if (bar > 0)
        {
          rounded_rect (cr, x, base - bar, slot - 12, bar, MIN (5, bar / 2));
          cairo_fill (cr);
        }
      draw_text (cr, palette, count, x + (slot - 12) / 2, base - bar - 17, 0.5, TRUE, TRUE, &palette->fg, 0);
      draw_text (cr, palette, short_labels[b], x + (slot - 12) / 2, base + 4, 0.5, FALSE, TRUE,
                 &dim, slot + 14);
    }
  /* Translators: under the overrun chart's buckets (≤15, ≤30 …) */
  draw_text (cr, palette, _("minutes late"), w / 2, base + 21, 0.5, FALSE, TRUE, &dim, w - 8);
}

static void
draw_risks (cairo_t *cr, const UpgInsights *in, double w, double h, const UpgPalette *palette)
{
  UpgColor dim = with_alpha (&palette->fg, 0.6);
  UpgColor track = with_alpha (&palette->fg, 0.08);
  guint order[8], n = 0, max = 0;
  double label_w = MIN (130, w * 0.38), x, bw, row_h;

  for (guint c = 0; c < 8; c++)
    if (in->risks[c] > 0)
      {
        order[n++] = c;
        max = MAX (max, in->occurred[c]);
      }
  if (n == 0)
    {
      draw_text (cr, palette, _("No risks yet"), w / 2, h / 2 - 8, 0.5, FALSE, FALSE, &dim, w - 8);
      return;
    }
  /* Most occurred first (insertion sort: eight at most). */
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && in->occurred[order[j]] > in->occurred[order[j - 1]]; j--)
      {
        guint t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
  x = 8 + label_w + 6;
  bw = w - x - 36;
  row_h = MIN (24, (h - 40) / n);
  for (guint i = 0; i < n; i++)
    {
      guint c = order[i];
      double y = 6 + i * row_h;
      double len = max ? bw * in->occurred[c] / max : 0;
      double low = max ? bw * in->occurred_low_by_category[c] / max : 0;
      g_autofree char *count = g_strdup_printf ("%u", in->occurred[c]);

      draw_text (cr, palette, upg_enum_label (upg_risk_categories, upg_risk_categories[c]), 8 + label_w, y + 2,
                 1, FALSE, TRUE, &palette->fg, label_w);
      set_color (cr, &track);
      rounded_rect (cr, x, y + 3, bw, row_h - 8, 4);
      cairo_fill (cr);
      if (len > 0)
        {
          set_color (cr, &palette->error);
          rounded_rect (cr, x, y + 3, len, row_h - 8, MIN (4, len / 2));
          cairo_fill (cr);
        }
      if (low > 0)
        {
          /* The part that had been scored low, in the warning colour. */
          set_color (cr, &palette->warning);
          rounded_rect (cr, x, y + 3, low, row_h - 8, MIN (4, low / 2));
          cairo_fill (cr);
        }
      draw_text (cr, palette, count, x + bw + 6, y + 2, 0, TRUE, TRUE, &palette->fg, 0);
    }
  {
    double ly = h - 24;
    set_color (cr, &palette->error);
    rounded_rect (cr, 8, ly + 2, 12, 12, 3);
    cairo_fill (cr);
    draw_text (cr, palette, _("Occurred"), 25, ly, 0, FALSE, TRUE, &palette->fg, w / 2 - 30);
    set_color (cr, &palette->warning);
    rounded_rect (cr, w / 2, ly + 2, 12, 12, 3);
    cairo_fill (cr);
    draw_text (cr, palette, _("Of them scored low"), w / 2 + 17, ly, 0, FALSE, TRUE, &palette->fg, w / 2 - 20);
  }
}

void
upg_draw_insights_tile (cairo_t           *cr,
                        const UpgInsights *insights,
                        UpgInsightsTile    tile,
                        double             width,
                        double             height,
                        const UpgPalette  *palette)
{
  cairo_save (cr);
  switch (tile)
    {
    case UPG_INSIGHTS_TILE_FAILURE: draw_failure (cr, insights, width, height, palette); break;
    case UPG_INSIGHTS_TILE_RESTORE: draw_restore (cr, insights, width, height, palette); break;
    case UPG_INSIGHTS_TILE_OVERRUN: draw_overrun (cr, insights, width, height, palette); break;
    case UPG_INSIGHTS_TILE_RISKS: draw_risks (cr, insights, width, height, palette); break;
    default: break;
    }
  cairo_restore (cr);
}

/* ---- Files ---------------------------------------------------------------- */

static cairo_status_t
write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
upg_draw_to_svg (double       width,
                 double       height,
                 UpgDrawFunc  func,
                 gpointer     data)
{
  GByteArray *bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_svg_surface_create_for_stream (write_cb, bytes, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_svg_surface_restrict_to_version (surface, CAIRO_SVG_VERSION_1_1);
  func (cr, width, height, data);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (bytes);
}

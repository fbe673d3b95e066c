/* upg-timeline.c — the milestones on a date axis.
 *
 * Each milestone is a marker on its due date (or done date): a ticked
 * circle when done, a hollow circle when planned, and a red diamond with an
 * exclamation mark and the word "Overdue" when late, so the state never
 * depends on colour alone. Gray stages carry their percent. Today is a line,
 * the maintenance window a shaded band. The widget is as wide as the plan
 * needs at the current zoom; put it in a horizontal GtkScrolledWindow. On
 * first show it zooms to fit the plan's dates in the scrolled window.
 *
 * Labels never collide or leave the widget: axis labels that would overlap
 * another (or the Today label) are dropped, milestone titles stagger on four
 * lines and stay inside the edges. Clicking a marker, or Enter on the
 * marker chosen with the arrow keys, emits ::milestone-activated.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "upg-timeline.h"
#include "core/upg-checks.h"
#include "core/upg-status.h"

#define MARGIN 24.0
#define AXIS_Y 112.0
#define HEIGHT 196
#define MIN_ZOOM 2.0
#define MAX_ZOOM 96.0

struct _UpgTimeline
{
  GtkWidget   parent_instance;

  UpgProject *project;
  GListModel *milestones;
  GPtrArray  *watched;        /* milestones whose notify we listen to */
  char       *today;
  double      zoom;
  double      day_width;     /* pixels a day as drawn: the zoom, stretched to fill */
  double      scroll_zoom;

  GDate       first;          /* the axis: first..last day */
  int         n_days;
  gboolean    fit_pending;    /* zoom to fit at the next allocation */
  guint       fit_id;
  int         focus_index;    /* the marker Enter opens (-1: none) */
  GArray     *marker_x;       /* x of each milestone's marker as drawn (NAN: no date) */
};

G_DEFINE_FINAL_TYPE (UpgTimeline, upg_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MILESTONE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  int y, m, d;

  g_date_clear (date, 1);
  if (text == NULL || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static gboolean
parse_timestamp_local (const char *text,
                       GDate      *date,
                       double     *fraction)
{
  g_autoptr(GDateTime) utc = text ? upg_timestamp_to_datetime (text) : NULL;
  g_autoptr(GDateTime) local = NULL;

  g_date_clear (date, 1);
  if (utc == NULL)
    return FALSE;
  local = g_date_time_to_local (utc);
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

static const char *
today (UpgTimeline *self)
{
  if (self->today == NULL)
    self->today = upg_today ();
  return self->today;
}

static void
compute_range (UpgTimeline *self)
{
  GDate first, last, date;
  double fraction;
  guint n = self->milestones ? g_list_model_get_n_items (self->milestones) : 0;

  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (self->milestones, i);
      if (parse_date (upg_record_get_string (m, UPG_MILESTONE_DUE), &date))
        extend (&first, &last, &date);
      if (parse_date (upg_record_get_string (m, UPG_MILESTONE_DONE), &date))
        extend (&first, &last, &date);
    }
  if (self->project != NULL)
    {
      if (parse_timestamp_local (upg_record_get_string (UPG_RECORD (self->project), UPG_PROJECT_WINDOW_START), &date, &fraction))
        extend (&first, &last, &date);
      if (parse_timestamp_local (upg_record_get_string (UPG_RECORD (self->project), UPG_PROJECT_WINDOW_END), &date, &fraction))
        extend (&first, &last, &date);
    }
  /* Today, when it is near the plan (or the plan has no dates): a plan in
   * March does not open on November. */
  parse_date (today (self), &date);
  if (!g_date_valid (&first) ||
      (g_date_days_between (&date, &first) <= 14 && g_date_days_between (&last, &date) <= 14))
    extend (&first, &last, &date);
  /* A few days of air on both sides, and at least two weeks. */
  g_date_subtract_days (&first, 3);
  g_date_add_days (&last, 3);
  self->first = first;
  self->n_days = MAX (14, g_date_days_between (&first, &last) + 1);
}

/* Whether a gray stage's title already says its percent ("Canary 5%"). */
static gboolean
title_names_percent (const char *title, int percent)
{
  g_autofree char *tight = g_strdup_printf ("%d%%", percent);
  g_autofree char *spaced = g_strdup_printf ("%d %%", percent);
  return strstr (title, tight) != NULL || strstr (title, spaced) != NULL;
}

static double
x_for (UpgTimeline *self, const GDate *date, double fraction)
{
  return MARGIN + (g_date_days_between (&self->first, date) + fraction) * self->day_width;
}

static void
upg_timeline_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  UpgTimeline *self = UPG_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      compute_range (self);
      *minimum = *natural = (int) ceil (2 * MARGIN + self->n_days * self->zoom);
    }
  else
    *minimum = *natural = HEIGHT;
}

static void
lookup_color (GtkWidget *widget, const char *name, GdkRGBA *rgba, const char *fallback)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  if (!gtk_style_context_lookup_color (context, name, rgba))
    gdk_rgba_parse (rgba, fallback);
}

static PangoLayout *
layout_for (GtkWidget *widget, const char *text, gboolean bold, gboolean small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  if (small)
    pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
draw_text (cairo_t *cr, GtkWidget *widget, const char *text, double x, double y,
           double align, gboolean bold, gboolean small, const GdkRGBA *color, double max_width)
{
  g_autoptr(PangoLayout) layout = layout_for (widget, text, bold, small);
  int w, h;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_move_to (cr, x - w * align, y);
  pango_cairo_show_layout (cr, layout);
}

static void
upg_timeline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  UpgTimeline *self = UPG_TIMELINE (widget);
  int width = gtk_widget_get_width (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA fg, dim, accent, success, warning, error, window_bg, card;
  GDate date, end, today_date;
  double fraction, end_fraction;
  guint n = self->milestones ? g_list_model_get_n_items (self->milestones) : 0;
  cairo_t *cr;
  g_autoptr(GDateTime) month_dt = NULL;

  compute_range (self);
  /* A plan shorter than the card is spread across it. */
  self->day_width = MAX (self->zoom, (double) (width - 2 * MARGIN) / self->n_days);
  gtk_style_context_get_color (context, &fg);
  dim = fg;
  dim.alpha *= 0.55;
  lookup_color (widget, "accent_color", &accent, "#3584e4");
  lookup_color (widget, "success_color", &success, "#26a269");
  lookup_color (widget, "warning_color", &warning, "#cd9309");
  lookup_color (widget, "error_color", &error, "#c01c28");
  lookup_color (widget, "card_bg_color", &card, "#ffffff");
  window_bg = accent;
  window_bg.alpha = 0.16;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, HEIGHT));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* The maintenance window. */
  if (self->project != NULL &&
      parse_timestamp_local (upg_record_get_string (UPG_RECORD (self->project), UPG_PROJECT_WINDOW_START), &date, &fraction))
    {
      double x0 = x_for (self, &date, fraction), x1;
      if (!parse_timestamp_local (upg_record_get_string (UPG_RECORD (self->project), UPG_PROJECT_WINDOW_END), &end, &end_fraction) ||
          g_date_compare (&end, &date) < 0)
        {
          end = date;
          end_fraction = fraction;
        }
      x1 = MAX (x_for (self, &end, end_fraction), x0 + 4);
      gdk_cairo_set_source_rgba (cr, &window_bg);
      cairo_rectangle (cr, x0, 8, x1 - x0, AXIS_Y + 20 - 8);
      cairo_fill (cr);
      draw_text (cr, widget, _("Window"), x0 + 3, 10, 0, FALSE, TRUE, &accent, 0);
    }

  /* Today: drawn first, so the axis and the milestones' labels lie over its
   * line; its label keeps its place (axis labels make room for it). */
  double today_label_x0 = G_MAXDOUBLE, today_label_x1 = -G_MAXDOUBLE;
  if (parse_date (today (self), &today_date) &&
      g_date_days_between (&self->first, &today_date) >= 0 &&
      g_date_days_between (&self->first, &today_date) <= self->n_days)
    {
      double x = floor (x_for (self, &today_date, 0.5)) + 0.5;
      g_autoptr(PangoLayout) tl = layout_for (widget, _("Today"), TRUE, TRUE);
      int tw, th;

      pango_layout_get_pixel_size (tl, &tw, &th);
      today_label_x0 = CLAMP (x - tw / 2.0, 2, width - tw - 2);
      today_label_x1 = today_label_x0 + tw;
      gdk_cairo_set_source_rgba (cr, &accent);
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x, 26);
      cairo_line_to (cr, x, AXIS_Y + 30);
      cairo_stroke (cr);
      draw_text (cr, widget, _("Today"), today_label_x0, AXIS_Y + 30, 0, TRUE, TRUE, &accent, 0);
    }

  /* The axis with a tick a day (when there is room), a week and a month. */
  gdk_cairo_set_source_rgba (cr, &dim);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, MARGIN, AXIS_Y + 0.5);
  cairo_line_to (cr, MARGIN + self->n_days * self->day_width, AXIS_Y + 0.5);
  cairo_stroke (cr);
  date = self->first;
  double last_label_end = -G_MAXDOUBLE;
  for (int d = 0; d <= self->n_days; d++, g_date_add_days (&date, 1))
    {
      double x = floor (MARGIN + d * self->day_width) + 0.5;
      gboolean month = g_date_get_day (&date) == 1;
      gboolean week = g_date_get_weekday (&date) == G_DATE_MONDAY;

      if (!month && !week && self->day_width < 8)
        continue;
      gdk_cairo_set_source_rgba (cr, &dim);
      cairo_move_to (cr, x, AXIS_Y);
      cairo_line_to (cr, x, AXIS_Y + (month ? 10 : week ? 6 : 3));
      cairo_stroke (cr);
      if (month || d == 0 || (week && self->day_width >= 12) || (self->day_width >= 40))
        {
          g_autofree char *label = NULL;
          int mw, mh;

          g_clear_pointer (&month_dt, g_date_time_unref);
          month_dt = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date), 0, 0, 0);
          /* TRANSLATORS: a month, or a day of the month, on the timeline
           * axis; g_date_time_format() formats */
          /* xgettext:no-c-format */
          label = g_date_time_format (month_dt, month || d == 0 ? C_("timeline", "%b %Y")
                                                                /* xgettext:no-c-format */
                                                                : C_("timeline", "%e"));
          {
            g_autoptr(PangoLayout) m = layout_for (widget, g_strstrip (label), month || d == 0, TRUE);
            pango_layout_get_pixel_size (m, &mw, &mh);
          }
          /* Dropped, not drawn over another label or cut at the edge. A
           * month label takes the place of a day label just before it. */
          if (x <= last_label_end + 6 || x + 2 + mw > width - 2 ||
              (x + 2 < today_label_x1 + 4 && x + 2 + mw > today_label_x0 - 4 && AXIS_Y + 12 + mh > AXIS_Y + 30))
            continue;
          last_label_end = x + 2 + mw;
          draw_text (cr, widget, label, x + 2, AXIS_Y + 12, 0, month || d == 0, TRUE,
                     month || d == 0 ? &fg : &dim, 0);
        }
    }

  /* The milestones; each title goes on the highest of four lines where it
   * does not run into a neighbour's. */
  double line_end[4] = { -G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  guint undated = 0;
  g_array_set_size (self->marker_x, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (self->milestones, i);
      UpgMilestoneState state = upg_milestone_state (m, today (self));
      const char *title = upg_record_get_string (m, UPG_MILESTONE_TITLE);
      int percent = upg_record_get_int (m, UPG_MILESTONE_ROLLOUT_PERCENT);
      gboolean gray = g_strcmp0 (upg_record_get_string (m, UPG_MILESTONE_KIND), "gray_release") == 0;
      double x, label_y, label_w, max_w = MAX (80, self->day_width * 14);
      guint line = 0;
      g_autoptr(PangoLayout) measure = NULL;
      int lw, lh;
      const GdkRGBA *color;
      g_autofree char *label = NULL;

      g_array_index (self->marker_x, double, i) = NAN;
      if (!parse_date (upg_record_get_string (m, state == UPG_MILESTONE_STATE_DONE ? UPG_MILESTONE_DONE : UPG_MILESTONE_DUE), &date))
        {
          undated++;
          continue;
        }
      x = x_for (self, &date, 0.5);
      g_array_index (self->marker_x, double, i) = x;
      if (state == UPG_MILESTONE_STATE_OVERDUE)
        /* TRANSLATORS: a milestone title on the timeline, marked overdue */
        label = g_strdup_printf (_("%s (overdue)"), title);
      else if (gray && percent != UPG_INT_NULL && !title_names_percent (title, percent))
        label = g_strdup_printf ("%s · %d %%", title, percent);
      else
        label = g_strdup (title);
      measure = layout_for (widget, label, state == UPG_MILESTONE_STATE_OVERDUE, FALSE);
      pango_layout_get_pixel_size (measure, &lw, &lh);
      label_w = MIN (lw, max_w);
      /* The label's centre, kept so the label stays inside the widget. */
      double label_x = CLAMP (x, label_w / 2 + 2, MAX (label_w / 2 + 2, width - label_w / 2 - 2));
      while (line < 3 && line_end[line] > label_x - label_w / 2 - 8)
        line++;
      line_end[line] = MAX (line_end[line], label_x + label_w / 2);
      label_y = 24 + line * 20;
      color = state == UPG_MILESTONE_STATE_DONE ? &success
              : state == UPG_MILESTONE_STATE_OVERDUE ? &error
              : state == UPG_MILESTONE_STATE_DUE_TODAY ? &warning : &accent;

      /* Stem from the label to the axis. */
      gdk_cairo_set_source_rgba (cr, &dim);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, floor (x) + 0.5, label_y + 18);
      cairo_line_to (cr, floor (x) + 0.5, AXIS_Y - 8);
      cairo_stroke (cr);

      gdk_cairo_set_source_rgba (cr, color);
      if (state == UPG_MILESTONE_STATE_OVERDUE)
        {
          /* A diamond with "!" inside. */
          cairo_move_to (cr, x, AXIS_Y - 9);
          cairo_line_to (cr, x + 9, AXIS_Y);
          cairo_line_to (cr, x, AXIS_Y + 9);
          cairo_line_to (cr, x - 9, AXIS_Y);
          cairo_close_path (cr);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, 2);
          cairo_move_to (cr, x, AXIS_Y - 5);
          cairo_line_to (cr, x, AXIS_Y + 1);
          cairo_stroke (cr);
          cairo_arc (cr, x, AXIS_Y + 4.5, 1.1, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      else if (state == UPG_MILESTONE_STATE_DONE)
        {
          cairo_arc (cr, x, AXIS_Y, 8, 0, 2 * G_PI);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, 2);
          cairo_move_to (cr, x - 4, AXIS_Y);
          cairo_line_to (cr, x - 1, AXIS_Y + 3);
          cairo_line_to (cr, x + 4, AXIS_Y - 3);
          cairo_stroke (cr);
        }
      else
        {
          gdk_cairo_set_source_rgba (cr, &card);
          cairo_arc (cr, x, AXIS_Y, 7, 0, 2 * G_PI);
          cairo_fill_preserve (cr);
          gdk_cairo_set_source_rgba (cr, color);
          cairo_set_line_width (cr, 2.5);
          cairo_stroke (cr);
        }

      /* On the card's colour: the Today line and other stems pass behind. */
      gdk_cairo_set_source_rgba (cr, &card);
      cairo_rectangle (cr, label_x - label_w / 2 - 3, label_y, label_w + 6, lh);
      cairo_fill (cr);
      draw_text (cr, widget, label, label_x, label_y, 0.5, state == UPG_MILESTONE_STATE_OVERDUE, FALSE,
                 state == UPG_MILESTONE_STATE_OVERDUE ? &error : &fg, max_w);

      /* The marker Enter opens, when the keyboard is on the timeline. */
      if ((int) i == self->focus_index && gtk_widget_has_visible_focus (widget))
        {
          gdk_cairo_set_source_rgba (cr, &accent);
          cairo_set_line_width (cr, 2);
          cairo_arc (cr, x, AXIS_Y, 13, 0, 2 * G_PI);
          cairo_stroke (cr);
        }
    }

  /* Milestones that have no date are not on the axis: say how many. */
  if (undated > 0)
    {
      /* TRANSLATORS: under the timeline */
      g_autofree char *text = g_strdup_printf (ngettext ("%u milestone has no date", "%u milestones have no date", undated),
                                               undated);
      draw_text (cr, widget, text, MARGIN, AXIS_Y + 52, 0, FALSE, TRUE, &dim, MAX (40, width - 2 * MARGIN));
    }

  cairo_destroy (cr);
}

static void
update_accessible (UpgTimeline *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = self->milestones ? g_list_model_get_n_items (self->milestones) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (self->milestones, i);
      const char *due = upg_record_get_string (m, UPG_MILESTONE_DUE);
      const char *state;

      switch (upg_milestone_state (m, today (self)))
        {
        case UPG_MILESTONE_STATE_DONE: state = _("done"); break;
        case UPG_MILESTONE_STATE_OVERDUE: state = _("overdue"); break;
        case UPG_MILESTONE_STATE_DUE_TODAY: state = _("due today"); break;
        case UPG_MILESTONE_STATE_UNSCHEDULED: state = _("no due date"); break;
        case UPG_MILESTONE_STATE_PLANNED:
        default: state = _("planned"); break;
        }
      if (text->len > 0)
        g_string_append (text, "; ");
      /* TRANSLATORS: a milestone, its due date and its state, for screen readers */
      g_string_append_printf (text, _("%s, due %s, %s"), upg_record_get_string (m, UPG_MILESTONE_TITLE),
                              due ? due : "—", state);
    }
  if (self->milestones != NULL)
    {
      g_autofree char *warning = upg_status_milestone_order_warning (self->milestones);
      if (warning != NULL)
        g_string_append_printf (text, "%s%s", text->len > 0 ? ". " : "", warning);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);
}

static void
changed (UpgTimeline *self)
{
  update_accessible (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
milestone_notify_cb (UpgRecord   *milestone,
                     GParamSpec  *pspec,
                     UpgTimeline *self)
{
  changed (self);
}

static void
unwatch (UpgTimeline *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_func (self->watched->pdata[i], milestone_notify_cb, self);
  g_ptr_array_set_size (self->watched, 0);
}

static void
watch (UpgTimeline *self)
{
  guint n = self->milestones ? g_list_model_get_n_items (self->milestones) : 0;

  unwatch (self);
  for (guint i = 0; i < n; i++)
    {
      UpgRecord *m = g_list_model_get_item (self->milestones, i);
      g_signal_connect (m, "notify", G_CALLBACK (milestone_notify_cb), self);
      g_ptr_array_add (self->watched, m);
    }
}

static void
milestones_changed_cb (GListModel  *model,
                       guint        position,
                       guint        removed,
                       guint        added,
                       UpgTimeline *self)
{
  watch (self);
  changed (self);
}

void
upg_timeline_set_project (UpgTimeline *self,
                          UpgProject  *project)
{
  g_return_if_fail (UPG_IS_TIMELINE (self));

  if (self->milestones != NULL)
    g_signal_handlers_disconnect_by_func (self->milestones, milestones_changed_cb, self);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, milestone_notify_cb, self);
  unwatch (self);
  g_clear_object (&self->milestones);
  g_set_object (&self->project, project);
  if (project != NULL)
    {
      GListModel *milestones = upg_record_get_children (UPG_RECORD (project), &upg_entity_milestone);
      if (milestones != NULL)
        {
          self->milestones = g_object_ref (milestones);
          g_signal_connect (milestones, "items-changed", G_CALLBACK (milestones_changed_cb), self);
        }
      g_signal_connect (project, "notify::window-start", G_CALLBACK (milestone_notify_cb), self);
      g_signal_connect (project, "notify::window-end", G_CALLBACK (milestone_notify_cb), self);
    }
  watch (self);
  self->fit_pending = TRUE;
  self->focus_index = -1;
  changed (self);
}

double
upg_timeline_get_zoom (UpgTimeline *self)
{
  g_return_val_if_fail (UPG_IS_TIMELINE (self), 0);
  return self->zoom;
}

void
upg_timeline_set_zoom (UpgTimeline *self,
                       double       pixels_per_day)
{
  g_return_if_fail (UPG_IS_TIMELINE (self));

  pixels_per_day = CLAMP (pixels_per_day, MIN_ZOOM, MAX_ZOOM);
  if (self->zoom == pixels_per_day)
    return;
  self->zoom = pixels_per_day;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
upg_timeline_set_today (UpgTimeline *self,
                        const char  *today_date)
{
  g_return_if_fail (UPG_IS_TIMELINE (self));
  g_free (self->today);
  self->today = g_strdup (today_date);
  changed (self);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           UpgTimeline              *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if (!(state & GDK_CONTROL_MASK))
    return FALSE;
  upg_timeline_set_zoom (self, self->zoom * (dy < 0 ? 1.25 : 0.8));
  return TRUE;
}

static void
zoom_gesture_cb (GtkGestureZoom *gesture,
                 double          scale,
                 UpgTimeline    *self)
{
  upg_timeline_set_zoom (self, self->scroll_zoom * scale);
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               UpgTimeline      *self)
{
  self->scroll_zoom = self->zoom;
}

static void
upg_timeline_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  UpgTimeline *self = UPG_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
upg_timeline_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  UpgTimeline *self = UPG_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_ZOOM:
      upg_timeline_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
upg_timeline_dispose (GObject *object)
{
  UpgTimeline *self = UPG_TIMELINE (object);

  upg_timeline_set_project (self, NULL);
  g_clear_handle_id (&self->fit_id, g_source_remove);
  G_OBJECT_CLASS (upg_timeline_parent_class)->dispose (object);
}

static void
upg_timeline_finalize (GObject *object)
{
  UpgTimeline *self = UPG_TIMELINE (object);

  g_ptr_array_unref (self->watched);
  g_array_unref (self->marker_x);
  g_free (self->today);
  G_OBJECT_CLASS (upg_timeline_parent_class)->finalize (object);
}

/* Zoom to fit ------------------------------------------------------------ */

static gboolean
fit_idle_cb (gpointer data)
{
  UpgTimeline *self = data;
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
  int visible = scroller ? gtk_widget_get_width (scroller) : gtk_widget_get_width (GTK_WIDGET (self));

  self->fit_id = 0;
  compute_range (self);
  if (visible > 0 && self->n_days > 0)
    upg_timeline_set_zoom (self, (visible - 2 * MARGIN) / self->n_days);
  return G_SOURCE_REMOVE;
}

static void
upg_timeline_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  UpgTimeline *self = UPG_TIMELINE (widget);

  /* The plan's dates fill the visible width the first time it is shown
   * (after this allocation, not inside it). */
  if (self->fit_pending && width > 0 && self->fit_id == 0)
    {
      self->fit_pending = FALSE;
      self->fit_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, fit_idle_cb, self, NULL);
    }
}

/* Opening a milestone --------------------------------------------------- */

static int
marker_at (UpgTimeline *self,
           double       x,
           double       y)
{
  int best = -1;
  double best_distance = 14;

  for (guint i = 0; i < self->marker_x->len; i++)
    {
      double mx = g_array_index (self->marker_x, double, i);
      if (!isnan (mx) && fabs (mx - x) < best_distance && y > 16 && y < AXIS_Y + 16)
        {
          best = i;
          best_distance = fabs (mx - x);
        }
    }
  return best;
}

static void
activate_marker (UpgTimeline *self,
                 int          index)
{
  g_autoptr(UpgRecord) milestone = NULL;

  if (self->milestones == NULL || index < 0 || (guint) index >= g_list_model_get_n_items (self->milestones))
    return;
  milestone = g_list_model_get_item (self->milestones, index);
  g_signal_emit (self, signals[MILESTONE_ACTIVATED], 0, milestone);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   UpgTimeline     *self)
{
  int index = marker_at (self, x, y);

  if (index < 0)
    return;
  self->focus_index = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  activate_marker (self, index);
}

/* The next dated marker from @from in @step's direction, or @from. */
static int
next_marker (UpgTimeline *self,
             int          from,
             int          step)
{
  int n = self->marker_x->len;

  for (int i = from + step; i >= 0 && i < n; i += step)
    if (!isnan (g_array_index (self->marker_x, double, i)))
      return i;
  return from;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                UpgTimeline           *self)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  switch (keyval)
    {
    case GDK_KEY_Right: case GDK_KEY_KP_Right:
      self->focus_index = next_marker (self, self->focus_index, rtl ? -1 : 1);
      break;
    case GDK_KEY_Left: case GDK_KEY_KP_Left:
      self->focus_index = next_marker (self, self->focus_index < 0 ? (int) self->marker_x->len : self->focus_index, rtl ? 1 : -1);
      break;
    case GDK_KEY_Return: case GDK_KEY_KP_Enter: case GDK_KEY_space:
      if (self->focus_index < 0)
        self->focus_index = next_marker (self, -1, 1);
      activate_marker (self, self->focus_index);
      return TRUE;
    default:
      return FALSE;
    }
  /* Keep the chosen marker in view. */
  if (self->focus_index >= 0)
    {
      GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
      double x = g_array_index (self->marker_x, double, self->focus_index);
      if (scroller != NULL && !isnan (x))
        {
          GtkAdjustment *adj = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
          gtk_adjustment_clamp_page (adj, x - 80, x + 80);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

void
upg_timeline_activate_marker (UpgTimeline *self,
                              guint        index)
{
  g_return_if_fail (UPG_IS_TIMELINE (self));
  self->focus_index = index;
  activate_marker (self, index);
}

static void
upg_timeline_class_init (UpgTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_timeline_dispose;
  object_class->finalize = upg_timeline_finalize;
  object_class->get_property = upg_timeline_get_property;
  object_class->set_property = upg_timeline_set_property;
  widget_class->measure = upg_timeline_measure;
  widget_class->snapshot = upg_timeline_snapshot;
  widget_class->size_allocate = upg_timeline_size_allocate;

  /**
   * UpgTimeline::milestone-activated:
   * @milestone: the milestone whose marker was clicked (or chosen and Enter pressed)
   */
  signals[MILESTONE_ACTIVATED] =
    g_signal_new ("milestone-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, UPG_TYPE_RECORD);

  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, MIN_ZOOM, MAX_ZOOM, 16,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
upg_timeline_init (UpgTimeline *self)
{
  GtkEventController *scroll;
  GtkEventController *keys;
  GtkGesture *zoom;
  GtkGesture *click;

  self->zoom = 16;
  self->focus_index = -1;
  self->marker_x = g_array_new (FALSE, TRUE, sizeof (double));
  /* One Tab stop; Left and Right choose a marker, Enter opens it. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  self->day_width = 16;
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  g_date_clear (&self->first, 1);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_gesture_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Milestone Timeline"), -1);
}

GtkWidget *
upg_timeline_new (void)
{
  return g_object_new (UPG_TYPE_TIMELINE, NULL);
}

/* upg-timeline.c — the milestones on a date axis.
 *
 * Each milestone is a marker on its due date (or done date): a ticked
 * circle when done, a hollow circle when planned, and a red diamond with an
 * exclamation mark and the word "Overdue" when late, so the state never
 * depends on colour alone. Gray stages carry their percent. Today is a line,
 * the maintenance window a shaded band. The widget is as wide as the plan
 * needs at the current zoom; put it in a horizontal GtkScrolledWindow.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "upg-timeline.h"
#include "core/upg-status.h"
#include "core/upg-checks.h"
#include "core/upg-draw.h"
#include "core/upg-clock.h"

#define MIN_ZOOM UPG_TIMELINE_MIN_ZOOM
#define MAX_ZOOM UPG_TIMELINE_MAX_ZOOM

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
};

G_DEFINE_FINAL_TYPE (UpgTimeline, upg_timeline, GTK_TYPE_WIDGET)

enum {
  MILESTONE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_ZOOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
today (UpgTimeline *self)
{
  if (self->today == NULL)
    self->today = upg_clock_today ();
  return self->today;
}

static void
timeline_options (UpgTimeline *self, UpgTimelineOptions *options)
{
  options->today = today (self);
  options->zone = NULL;     /* the user's own zone */
  options->zoom = self->zoom;
}

static void
lookup_color (GtkWidget *widget, const char *name, UpgColor *color, const char *fallback)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA rgba;

  if (!gtk_style_context_lookup_color (context, name, &rgba))
    gdk_rgba_parse (&rgba, fallback);
  *color = (UpgColor) { rgba.red, rgba.green, rgba.blue, rgba.alpha };
}

/* The style's colours and font; @font holds the font's name. */
static void
widget_palette (GtkWidget  *widget,
                UpgPalette *palette,
                char      **font)
{
  GdkRGBA fg;

  upg_palette_init_light (palette);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  palette->fg = (UpgColor) { fg.red, fg.green, fg.blue, fg.alpha };
  lookup_color (widget, "accent_color", &palette->accent, "#3584e4");
  lookup_color (widget, "success_color", &palette->success, "#26a269");
  lookup_color (widget, "warning_color", &palette->warning, "#cd9309");
  lookup_color (widget, "error_color", &palette->error, "#c01c28");
  lookup_color (widget, "card_bg_color", &palette->bg, "#ffffff");
  *font = pango_font_description_to_string (pango_context_get_font_description (gtk_widget_get_pango_context (widget)));
  palette->font = *font;
}

/* Where the drawing puts everything at @width (core's layout, the one the
 * report draws). */
static UpgTimelineLayout *
layout_at (UpgTimeline *self,
           double       width)
{
  UpgTimelineOptions options;
  UpgPalette palette;
  g_autofree char *font = NULL;

  widget_palette (GTK_WIDGET (self), &palette, &font);
  timeline_options (self, &options);
  return upg_timeline_layout_new (self->project ? UPG_RECORD (self->project) : NULL, width, &options, &palette);
}

static GtkSizeRequestMode
upg_timeline_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
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
  UpgTimelineOptions options;
  double width;

  timeline_options (self, &options);
  width = upg_draw_timeline_width (self->project ? UPG_RECORD (self->project) : NULL, &options);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = (int) width;
  else
    {
      /* As tall as its lines of titles need at the width it gets. */
      g_autoptr(UpgTimelineLayout) layout = layout_at (self, for_size > 0 ? MAX (for_size, width) : width);
      *minimum = *natural = (int) ceil (layout->height);
    }
}

/* The drawing is core's (upg-draw.c), so the report shows the same picture;
 * the widget gives it the style's colours and font. */
static void
upg_timeline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  UpgTimeline *self = UPG_TIMELINE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  UpgPalette palette;
  UpgTimelineOptions options;
  g_autofree char *font = NULL;
  g_autoptr(UpgTimelineLayout) layout = NULL;
  cairo_t *cr;

  widget_palette (widget, &palette, &font);
  timeline_options (self, &options);
  self->day_width = options.zoom;
  layout = upg_timeline_layout_new (self->project ? UPG_RECORD (self->project) : NULL, width, &options, &palette);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, MAX (height, layout->height)));
  upg_draw_timeline_layout (cr, layout, &palette);
  /* The marker Enter opens, when the keyboard is on the timeline. */
  if (self->focus_index >= 0 && self->project != NULL && gtk_widget_has_visible_focus (widget))
    {
      for (guint i = 0; i < layout->labels->len; i++)
        {
          UpgTimelineLabel *label = &g_array_index (layout->labels, UpgTimelineLabel, i);
          if (label->milestone != (guint) self->focus_index)
            continue;
          cairo_set_source_rgba (cr, palette.accent.red, palette.accent.green, palette.accent.blue, 1);
          cairo_set_line_width (cr, 2);
          cairo_arc (cr, label->marker_x, layout->axis_y, 13, 0, 2 * G_PI);
          cairo_stroke (cr);
        }
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
  self->fit_pending = TRUE;
  self->focus_index = -1;
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
  UpgTimelineOptions options;
  guint n_days;

  self->fit_id = 0;
  if (self->project == NULL)
    return G_SOURCE_REMOVE;
  timeline_options (self, &options);
  n_days = upg_draw_timeline_days (UPG_RECORD (self->project), &options);
  if (visible > 0 && n_days > 0)
    upg_timeline_set_zoom (self, (visible - 48.0) / n_days);
  return G_SOURCE_REMOVE;
}

/* The plan's dates fill the visible width the first time it is shown
 * (set after this allocation, not inside it). */
static void
upg_timeline_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  UpgTimeline *self = UPG_TIMELINE (widget);

  if (self->fit_pending && width > 0 && self->fit_id == 0)
    {
      self->fit_pending = FALSE;
      self->fit_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, fit_idle_cb, self, NULL);
    }
}

/* Opening a milestone --------------------------------------------------- */

static GArray *
marker_positions (UpgTimeline *self)
{
  GArray *xs = g_array_new (FALSE, TRUE, sizeof (double));
  guint n = self->milestones ? g_list_model_get_n_items (self->milestones) : 0;
  g_autoptr(UpgTimelineLayout) layout = layout_at (self, gtk_widget_get_width (GTK_WIDGET (self)));

  g_array_set_size (xs, n);
  for (guint i = 0; i < n; i++)
    g_array_index (xs, double, i) = NAN;
  for (guint k = 0; k < layout->labels->len; k++)
    {
      UpgTimelineLabel *label = &g_array_index (layout->labels, UpgTimelineLabel, k);
      if (label->milestone < n)
        g_array_index (xs, double, label->milestone) = label->marker_x;
    }
  return xs;
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
  g_autoptr(GArray) xs = marker_positions (self);
  g_autoptr(UpgTimelineLayout) layout = layout_at (self, gtk_widget_get_width (GTK_WIDGET (self)));
  double best_distance = 14;
  int best = -1;

  /* On the titles' lines or the markers. */
  if (y < 16 || y > layout->axis_y + 16)
    return;
  for (guint i = 0; i < xs->len; i++)
    {
      double mx = g_array_index (xs, double, i);
      if (!isnan (mx) && fabs (mx - x) < best_distance)
        {
          best = i;
          best_distance = fabs (mx - x);
        }
    }
  if (best < 0)
    return;
  self->focus_index = best;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  activate_marker (self, best);
}

/* The next dated marker from @from in @step's direction, or @from. */
static int
next_marker (GArray *xs,
             int     from,
             int     step)
{
  for (int i = from + step; i >= 0 && i < (int) xs->len; i += step)
    if (!isnan (g_array_index (xs, double, i)))
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
  g_autoptr(GArray) xs = marker_positions (self);
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  switch (keyval)
    {
    case GDK_KEY_Right: case GDK_KEY_KP_Right:
      self->focus_index = next_marker (xs, self->focus_index, rtl ? -1 : 1);
      break;
    case GDK_KEY_Left: case GDK_KEY_KP_Left:
      self->focus_index = next_marker (xs, self->focus_index < 0 ? (int) xs->len : self->focus_index, rtl ? 1 : -1);
      break;
    case GDK_KEY_Return: case GDK_KEY_KP_Enter: case GDK_KEY_space:
      if (self->focus_index < 0)
        self->focus_index = next_marker (xs, -1, 1);
      activate_marker (self, self->focus_index);
      return TRUE;
    default:
      return FALSE;
    }
  /* Keep the chosen marker in view. */
  if (self->focus_index >= 0 && (guint) self->focus_index < xs->len)
    {
      GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);
      double x = g_array_index (xs, double, self->focus_index);
      if (scroller != NULL && !isnan (x))
        gtk_adjustment_clamp_page (gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller)), x - 80, x + 80);
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
  widget_class->get_request_mode = upg_timeline_get_request_mode;
  widget_class->measure = upg_timeline_measure;
  widget_class->snapshot = upg_timeline_snapshot;
  widget_class->size_allocate = upg_timeline_size_allocate;

  /**
   * UpgTimeline::milestone-activated:
   * @milestone: the milestone whose marker was clicked (or chosen with the
   *   arrow keys and Enter pressed)
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

/* upg-draw.h — the app's two pictures drawn with cairo and Pango, so the
 * window's widgets, the HTML report (a cairo SVG surface) and the PDF report
 * (vector, on the PDF surface) show the same drawing.
 *
 * - The milestone timeline: the milestones on a date axis, the maintenance
 *   window as a band, today as a line (the Milestones section's widget).
 * - The risk heat map: the 5×5 matrix with the number of risks in each cell
 *   coloured by its level, likelihood up and impact across, with a legend.
 * - The insights chart: bars per upgrade (time to restore against the
 *   target, window overrun) and per risk category.
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "upg-record.h"
#include "upg-risk.h"

G_BEGIN_DECLS

typedef struct {
  double red, green, blue, alpha;
} UpgColor;

typedef struct {
  UpgColor    fg;          /* text */
  UpgColor    bg;          /* what the picture sits on (a card) */
  UpgColor    accent;
  UpgColor    success;
  UpgColor    warning;
  UpgColor    error;
  UpgColor    level[UPG_RISK_N_LEVELS];   /* heat map cells, low … critical */
  const char *font;        /* a Pango font description ("Cantarell 11") */
} UpgPalette;

/* libadwaita's light and dark palettes (for exports: light). */
void    upg_palette_init_light     (UpgPalette *palette);
void    upg_palette_init_dark      (UpgPalette *palette);

/* ---- Timeline ------------------------------------------------------------ */

#define UPG_TIMELINE_MIN_ZOOM 2.0
#define UPG_TIMELINE_MAX_ZOOM 96.0

/* How the timeline is drawn. @zone: the zone the window's times are placed
 * in (NULL: the local zone); @today: YYYY-MM-DD (NULL: upg_clock_today()). */
typedef struct {
  const char *today;
  const char *zone;
  double      zoom;        /* pixels a day at least; stretched to fill @width;
                              negative: fit @width, however many days */
} UpgTimelineOptions;

typedef struct {
  double x, y, width, height;
} UpgTimelineBox;

/* A milestone's title, where the layout puts it. */
typedef struct {
  guint             milestone;  /* its position among the project's milestones */
  int               state;      /* UpgMilestoneState */
  char             *text;       /* as drawn ("… (overdue)", "… · 5 %") */
  double            date_x;     /* where its date is on the axis */
  double            marker_x;   /* where its marker is (spread from close ones) */
  int               line;       /* its lowest line; 0: the line nearest the axis */
  int               rows;       /* lines it takes (more than one when wrapped) */
  double            wrap_width; /* wrapped at this width (0: one line) */
  UpgTimelineBox    box;        /* the title's box; its stem runs from it down at marker_x */
  gboolean          cut;        /* too long even wrapped, so shortened */
} UpgTimelineLabel;

typedef enum {
  UPG_TIMELINE_TEXT_WINDOW,     /* "Window" over the maintenance window */
  UPG_TIMELINE_TEXT_TODAY,      /* "Today" under the axis */
  UPG_TIMELINE_TEXT_MONTH,      /* "Dec 2026" under the axis */
  UPG_TIMELINE_TEXT_DAY,        /* "14" under the axis */
} UpgTimelineTextKind;

typedef struct {
  UpgTimelineTextKind kind;
  char               *text;
  UpgTimelineBox      box;
} UpgTimelineText;

typedef struct {
  double x, length;             /* down from the axis */
} UpgTimelineTick;

/* Where everything of the timeline goes at a width (the tests check it:
 * no two texts meet, no text is cut, no line crosses a text). */
typedef struct {
  double  width, height;        /* the picture's height follows its lines of titles */
  double  axis_y, axis_start, axis_end, day_width, line_pitch;
  int     n_lines;
  GArray *labels;               /* UpgTimelineLabel, dated milestones */
  GArray *texts;                /* UpgTimelineText */
  GArray *ticks;                /* UpgTimelineTick */
  double  today_x, today_top;   /* NAN when today is off the axis; its line runs
                                   from today_top down to under the axis */
  double  window_x0, window_x1; /* NAN without a window */
  guint   n_undated;
  guint   n_crossings;          /* stems through a title: titles wider than the
                                   picture covering each other's markers */
} UpgTimelineLayout;

UpgTimelineLayout *upg_timeline_layout_new  (UpgRecord                *project,
                                             double                    width,
                                             const UpgTimelineOptions *options,
                                             const UpgPalette         *palette);
void               upg_timeline_layout_free (UpgTimelineLayout       *layout);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpgTimelineLayout, upg_timeline_layout_free)

/* The width the timeline needs at @options->zoom (its natural width). */
double  upg_draw_timeline_width    (UpgRecord                *project,
                                    const UpgTimelineOptions *options);
/* The height it needs at @width (its titles' lines). */
double  upg_draw_timeline_height   (UpgRecord                *project,
                                    double                    width,
                                    const UpgTimelineOptions *options,
                                    const UpgPalette         *palette);
/* Draws @project's milestones (loaded) into 0,0 @width × its height on @cr. */
void    upg_draw_timeline          (cairo_t                  *cr,
                                    UpgRecord                *project,
                                    double                    width,
                                    double                    height,
                                    const UpgTimelineOptions *options,
                                    const UpgPalette         *palette);
void    upg_draw_timeline_layout   (cairo_t                  *cr,
                                    const UpgTimelineLayout  *layout,
                                    const UpgPalette         *palette);

/* How many days the axis spans (for zooming to fit). */
guint   upg_draw_timeline_days     (UpgRecord                *project,
                                    const UpgTimelineOptions *options);

/* ---- Heat map ------------------------------------------------------------- */

#define UPG_HEAT_MAP_WIDTH 500
#define UPG_HEAT_MAP_HEIGHT 330

/* Draws the matrix of @project's risks (loaded), inherent positions (or
 * residual), with @thresholds (NULL: the project's). */
void    upg_draw_heat_map          (cairo_t                  *cr,
                                    UpgRecord                *project,
                                    gboolean                  residual,
                                    double                    width,
                                    double                    height,
                                    const UpgPalette         *palette);

/* ---- Insights ------------------------------------------------------------- */

struct _UpgInsights;

typedef enum {
  UPG_INSIGHTS_TILE_FAILURE,   /* change failure rate: a ring */
  UPG_INSIGHTS_TILE_RESTORE,   /* time to restore against the target */
  UPG_INSIGHTS_TILE_OVERRUN,   /* window overrun: a histogram */
  UPG_INSIGHTS_TILE_RISKS,     /* risks occurred by category, the low-scored ones marked */
  UPG_INSIGHTS_N_TILES
} UpgInsightsTile;

#define UPG_INSIGHTS_TILE_WIDTH 320
#define UPG_INSIGHTS_TILE_HEIGHT 230

const char *upg_insights_tile_title    (UpgInsightsTile            tile);
/* What the tile shows, in one or two sentences (for screen readers). */
char       *upg_insights_tile_describe (const struct _UpgInsights *insights,
                                        UpgInsightsTile            tile);
void        upg_draw_insights_tile     (cairo_t                   *cr,
                                        const struct _UpgInsights *insights,
                                        UpgInsightsTile            tile,
                                        double                     width,
                                        double                     height,
                                        const UpgPalette          *palette);

/* ---- Files ---------------------------------------------------------------- */

typedef void (*UpgDrawFunc) (cairo_t *cr, double width, double height, gpointer data);

/* An SVG document of @width × @height points drawn by @func (text as
 * outlines, so it needs no font to show). */
GBytes *upg_draw_to_svg            (double       width,
                                    double       height,
                                    UpgDrawFunc  func,
                                    gpointer     data);

G_END_DECLS

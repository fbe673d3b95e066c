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

#define UPG_TIMELINE_HEIGHT 176
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

/* The width the timeline needs at @options->zoom (its natural width). */
double  upg_draw_timeline_width    (UpgRecord                *project,
                                    const UpgTimelineOptions *options);
/* Draws @project's milestones (loaded) into 0,0 @width × @height on @cr. */
void    upg_draw_timeline          (cairo_t                  *cr,
                                    UpgRecord                *project,
                                    double                    width,
                                    double                    height,
                                    const UpgTimelineOptions *options,
                                    const UpgPalette         *palette);

/* Where each milestone's marker is drawn at @width: fills @xs (of double)
 * with an x for each milestone, NAN for one without a date. */
void    upg_draw_timeline_marker_positions (UpgRecord                *project,
                                            double                    width,
                                            const UpgTimelineOptions *options,
                                            GArray                   *xs);
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

/* upg-timeline.h — the milestones on a date axis (a custom widget). */
#pragma once

#include <gtk/gtk.h>

#include "core/upg-record.h"

G_BEGIN_DECLS

#define UPG_TYPE_TIMELINE (upg_timeline_get_type ())
G_DECLARE_FINAL_TYPE (UpgTimeline, upg_timeline, UPG, TIMELINE, GtkWidget)

GtkWidget *upg_timeline_new        (void);
/* @project with its milestones loaded, or NULL. */
void       upg_timeline_set_project (UpgTimeline *self,
                                     UpgProject  *project);
/* Pixels a day takes; zooming keeps it within 2–96. */
double     upg_timeline_get_zoom   (UpgTimeline *self);
void       upg_timeline_set_zoom   (UpgTimeline *self,
                                    double       pixels_per_day);
/* Sets the date shown as today (YYYY-MM-DD; NULL for the real today). */
void       upg_timeline_set_today  (UpgTimeline *self,
                                    const char  *today);

/* Emits ::milestone-activated for the @index-th milestone (as clicking its
 * marker does). */
void       upg_timeline_activate_marker (UpgTimeline *self,
                                         guint        index);
G_END_DECLS

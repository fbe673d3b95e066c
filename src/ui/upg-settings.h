/* upg-settings.h — the app's GSettings, also when its schema is not
 * installed (then in memory for the session, with one line saying so). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The app's schema: the installed one, else the copy compiled into the
 * program. Never NULL. */
GSettingsSchema *upg_settings_get_schema (void);
/* A new GSettings for the app; never aborts. */
GSettings       *upg_settings_new        (void);

G_END_DECLS

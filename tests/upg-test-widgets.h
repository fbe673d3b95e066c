/* upg-test-widgets.h — helpers shared by the widget tests. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* upg_test_init(), then GTK and libadwaita without an accessibility bus
 * (there is none under xvfb-run, and GTK's warning would be fatal), with
 * the "Failed to load icon" warnings of the isolated session dropped. */
void       upg_test_widgets_init (int         *argc,
                                  char      ***argv);
/* Runs the main context until nothing is pending. */
void       upg_test_drain        (void);
/* Adds every widget of @type under @root (itself included) to @found. */
void       upg_test_collect_type (GtkWidget  *root,
                                  GType       type,
                                  GPtrArray  *found);
/* Runs the main context, waiting for events, until @condition (@data)
 * holds: no deadline of its own (meson's timeout, scaled for slow builds,
 * ends a test that waits for ever). */
typedef gboolean (*UpgTestCondition) (gpointer data);
void       upg_test_wait_for     (UpgTestCondition  condition,
                                  gpointer          data);
/* The first widget under @root (itself included) named @name, or of @type. */
GtkWidget *upg_test_find_named   (GtkWidget   *root,
                                  const char  *name);
GtkWidget *upg_test_find_type    (GtkWidget   *root,
                                  GType        type);

G_END_DECLS

/* upg-test-widgets.c — helpers shared by the widget tests. */
#include "config.h"

#include <adwaita.h>

#include "upg-test-util.h"
#include "upg-test-widgets.h"

/* Each test runs with isolated XDG dirs (no MIME database), so GTK cannot
 * load its SVG icons: that warning is not what these tests are about. */
static GLogWriterOutput
log_writer_cb (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        g_str_has_prefix (fields[i].value, "Failed to load icon"))
      return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>

/* LeakSanitizer leaves the widget tests alone (it asks this function at
 * exit). What GTK 4.8 still holds then differs from run to run with the
 * timing of the X server: a frame's render tree made in AdwLeaflet's
 * snapshot, lists from X event dispatch, a stream read still in flight;
 * none of it is ours, and no widget test loses anything when its tests run
 * one by one. AddressSanitizer's other checks stay on here; the core and
 * command-line tests and the fuzzers keep leak detection, and
 * tests/lsan-canary.sh checks that it still reports our leaks. */
__attribute__ ((used)) int
__lsan_is_turned_off (void)
{
  return 1;
}
#endif

void
upg_test_widgets_init (int    *argc,
                       char ***argv)
{
  /* upg_test_init() runs g_test_init() (with a temporary HOME); the rest of
   * gtk_test_init() is gtk_init(). */
  upg_test_init (argc, argv);
  upg_test_release_caches_at_exit = FALSE;
  g_setenv ("GTK_A11Y", "none", FALSE);
  gtk_init ();
  adw_init ();
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
}

void
upg_test_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GtkWidget *
upg_test_find_named (GtkWidget  *root,
                     const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = upg_test_find_named (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
upg_test_find_type (GtkWidget *root,
                    GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = upg_test_find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

void
upg_test_wait_for (UpgTestCondition condition,
                   gpointer         data)
{
  while (!condition (data))
    g_main_context_iteration (NULL, TRUE);
}

void
upg_test_collect_type (GtkWidget *root,
                       GType      type,
                       GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    upg_test_collect_type (child, type, found);
}

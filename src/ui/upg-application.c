/* upg-application.c — the GtkApplication: one window per plan file. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "upg-application.h"
#include "upg-connect-dialog.h"
#include "upg-settings.h"
#include "upg-preferences-window.h"
#include "upg-window.h"
#include "upg-resources.h"
#include "core/store/upg-store.h"

/* The plan file the first window will show, read while GTK starts. */
typedef struct
{
  char     *path;
  GThread  *thread;
  UpgStore *store;    /* opened and loaded, or NULL */
} Preload;

struct _UpgApplication
{
  AdwApplication parent_instance;

  GSettings     *settings;
  char          *preload_path;
  Preload       *preload;
};

G_DEFINE_FINAL_TYPE (UpgApplication, upg_application, ADW_TYPE_APPLICATION)

/* Files and team servers each have their list (a server's URI holds no
 * password: the store refuses one that does). */
static void
remember_recent (UpgApplication *self,
                 const char     *path)
{
  const char *key = upg_store_is_server_uri (path) ? "recent-servers" : "recent-files";
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, key);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  g_strv_builder_add (builder, path);
  for (guint i = 0; recent[i] != NULL && n < 10; i++)
    if (g_strcmp0 (recent[i], path) != 0)
      {
        g_strv_builder_add (builder, recent[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, key, (const char * const *) updated);
  g_settings_set_string (self->settings, "last-file", path);
}

/* Start-up in parallel -----------------------------------------------------
 *
 * GTK's start takes most of a second core's worth of waiting: meanwhile a
 * thread opens and reads the plan file the window will show, the same
 * calls the window makes, and hands the store over when it is asked for.
 * Anything but a clean success is left to the window's own open, which
 * then reports it as always. */

static gpointer
preload_thread (gpointer data)
{
  Preload *preload = data;
  g_autoptr(UpgStore) store = upg_store_open (preload->path, UPG_STORE_OPEN_EXISTING, NULL);

  if (store != NULL && upg_store_load (store, NULL))
    preload->store = g_steal_pointer (&store);
  return NULL;
}

static void
preload_start (UpgApplication *self)
{
  if (self->preload_path == NULL || !g_file_test (self->preload_path, G_FILE_TEST_IS_REGULAR))
    return;
  self->preload = g_new0 (Preload, 1);
  self->preload->path = g_strdup (self->preload_path);
  self->preload->thread = g_thread_new ("upg-preload", preload_thread, self->preload);
}

/* The store read for @path, if that is the file that was read; waits for
 * the thread to finish in any case. */
static UpgStore *
preload_take (UpgApplication *self,
              const char     *path)
{
  Preload *preload = g_steal_pointer (&self->preload);
  UpgStore *store;

  if (preload == NULL)
    return NULL;
  g_thread_join (preload->thread);
  store = g_steal_pointer (&preload->store);
  if (store != NULL && g_strcmp0 (preload->path, path) != 0)
    g_clear_object (&store);
  g_free (preload->path);
  g_free (preload);
  return store;
}

/* The file a start with @arguments opens: the one named, or (with none)
 * the last one, as activate() chooses. */
static gboolean
upg_application_local_command_line (GApplication   *app,
                                    char         ***arguments,
                                    int            *exit_status)
{
  UpgApplication *self = UPG_APPLICATION (app);
  char **argv = *arguments;
  guint n = g_strv_length (argv);

  g_clear_pointer (&self->preload_path, g_free);
  if (n == 2 && upg_store_is_server_uri (argv[1]))
    ;  /* opened in a thread of its own (upg_application_open_server) */
  else if (n == 2 && argv[1][0] != '-')
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);
      self->preload_path = g_file_get_path (file);
    }
  else if (n == 1)
    {
      g_autofree char *last = g_settings_get_string (self->settings, "last-file");
      if (!upg_store_is_server_uri (last))
        self->preload_path = last[0] != '\0' ? g_steal_pointer (&last) : upg_store_get_default_path ();
    }
  return G_APPLICATION_CLASS (upg_application_parent_class)->local_command_line (app, arguments, exit_status);
}

GtkWindow *
upg_application_open_path (UpgApplication *self,
                           const char     *path,
                           gboolean        create)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (UPG_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (UPG_IS_WINDOW (l->data) && !upg_store_is_server (upg_window_get_store (l->data)))
      {
        g_autoptr(GFile) open = g_file_new_for_path (upg_store_get_path (upg_window_get_store (l->data)));
        if (g_file_equal (open, file))
          {
            gtk_window_present (l->data);
            return l->data;
          }
      }

  if (create)
    {
      dir = g_path_get_dirname (path);
      g_mkdir_with_parents (dir, 0700);
    }
  store = preload_take (self, path);
  if (store == NULL)
    {
      store = upg_store_open (path, create ? UPG_STORE_OPEN_CREATE : UPG_STORE_OPEN_EXISTING, &error);
      if (store != NULL && !upg_store_load (store, &error))
        g_clear_object (&store);
    }
  if (store == NULL)
    {
      GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
      upg_show_error_dialog (parent, GTK_APPLICATION (self), _("Could Not Open the Plan File"), error);
      return NULL;
    }
  return upg_application_open_store (self, store);
}

/* The window already open on the team server @uri, or NULL. */
static GtkWindow *
find_server_window (UpgApplication *self,
                    const char     *uri)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (UPG_IS_WINDOW (l->data) && g_strcmp0 (upg_store_get_uri (upg_window_get_store (l->data)), uri) == 0)
      return l->data;
  return NULL;
}

GtkWindow *
upg_application_open_store (UpgApplication *self,
                            UpgStore       *store)
{
  GtkWindow *window;

  g_return_val_if_fail (UPG_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (UPG_IS_STORE (store), NULL);

  if (upg_store_is_server (store) && (window = find_server_window (self, upg_store_get_uri (store))) != NULL)
    {
      gtk_window_present (window);
      return window;
    }
  window = GTK_WINDOW (upg_window_new (GTK_APPLICATION (self), store));
  remember_recent (self, upg_store_address (store));
  gtk_window_present (window);
  return window;
}

/* Opening a team server ------------------------------------------------
 *
 * The network may take seconds (connect_timeout is 10 s): the Connect to
 * Team Server dialog connects (the keyring's password, if any) and reads
 * the plan in a thread, showing progress, and says why when it fails; the
 * window is made back in the main context, where it starts listening. */

static void
connected_cb (UpgConnectDialog *dialog,
              UpgStore         *store,
              const char       *notice,
              UpgApplication   *self)
{
  GtkWindow *window = upg_application_open_store (self, store);

  if (notice != NULL && UPG_IS_WINDOW (window))
    upg_window_add_toast (UPG_WINDOW (window), notice);
}

GtkWindow *
upg_application_connect (UpgApplication *self,
                         GtkWindow      *parent,
                         const char     *uri,
                         const GError   *error)
{
  UpgConnectDialog *dialog;

  g_return_val_if_fail (UPG_IS_APPLICATION (self), NULL);

  dialog = upg_connect_dialog_new (parent, UPG_STORE_OPEN_EXISTING | UPG_STORE_OPEN_LISTEN);
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  if (uri != NULL)
    upg_connect_dialog_set_uri (dialog, uri);
  if (error != NULL)
    upg_connect_dialog_show_error (dialog, error);
  g_signal_connect_object (dialog, "connected", G_CALLBACK (connected_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static gboolean
has_plan_window (UpgApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (UPG_IS_WINDOW (l->data))
      return TRUE;
  return FALSE;
}

/* The server asked for at start-up (or from the command line) was not
 * opened and the user closed the dialog: rather than end with no window,
 * the app opens the default plan file, as a start without a last server
 * does, and says why the server is not shown. */
static gboolean
server_dialog_close_cb (UpgConnectDialog *dialog,
                        UpgApplication   *self)
{
  const GError *error = upg_connect_dialog_get_error (dialog);
  g_autofree char *path = NULL;
  g_autofree char *why = NULL;
  GtkWindow *window;

  if (has_plan_window (self))
    return FALSE;
  if (error != NULL)
    /* TRANSLATORS: a toast in the window on the default plan file; %s says
     * why (the server's own error: "Could not connect to the team server
     * “plans on db.example.com”: …") */
    why = g_strdup_printf (_("The team server was not opened: %s"), error->message);
  else
    /* TRANSLATORS: a toast: the Connect dialog was closed while connecting */
    why = g_strdup (_("The team server was not opened: connecting was cancelled"));
  path = upg_store_get_default_path ();
  window = upg_application_open_path (self, path, TRUE);
  if (window != NULL && UPG_IS_WINDOW (window))
    upg_window_add_toast (UPG_WINDOW (window), why);
  return FALSE;
}

void
upg_application_open_server (UpgApplication *self,
                             const char     *uri)
{
  GtkWindow *window;

  g_return_if_fail (UPG_IS_APPLICATION (self));
  g_return_if_fail (upg_store_is_server_uri (uri));

  if ((window = find_server_window (self, uri)) != NULL)
    {
      gtk_window_present (window);
      return;
    }
  window = upg_application_connect (self, gtk_application_get_active_window (GTK_APPLICATION (self)), uri, NULL);
  g_signal_connect_object (window, "close-request", G_CALLBACK (server_dialog_close_cb), self, 0);
  upg_connect_dialog_connect (UPG_CONNECT_DIALOG (window));
}

static void
upg_application_activate (GApplication *app)
{
  UpgApplication *self = UPG_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char *last = NULL;
  g_autofree char *path = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  last = g_settings_get_string (self->settings, "last-file");
  if (upg_store_is_server_uri (last))
    {
      upg_application_open_server (self, last);
      return;
    }
  if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_EXISTS))
    window = upg_application_open_path (self, last, FALSE);
  if (window == NULL)
    {
      path = upg_store_get_default_path ();
      upg_application_open_path (self, path, TRUE);
    }
}

static void
upg_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      g_autofree char *uri = path == NULL ? g_file_get_uri (files[i]) : NULL;

      if (upg_store_is_server_uri (uri))
        upg_application_open_server (UPG_APPLICATION (app), uri);
      /* A name that does not exist yet starts a new plan file there, as
       * editors do with a new document. */
      else if (path != NULL)
        upg_application_open_path (UPG_APPLICATION (app), path, !g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

static void
open_file_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  upg_application_open_path (UPG_APPLICATION (user_data), g_variant_get_string (parameter, NULL), FALSE);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { _("The Upgrade Planner developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Upgrade Planner"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Upgrade Planner developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Plan software upgrades: goal and scope, milestones, risks, the team, the checklist and the retrospective."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* TRANSLATORS: your name(s), one a line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  /* Close, so each window remembers its size and file. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  gtk_window_present (GTK_WINDOW (upg_preferences_window_new (parent)));
}

/* Connect to Team Server… over the active window: the one action behind
 * the Main Menu's item (beside Open…) and, as an application action, what
 * can be asked for over D-Bus, as the accessibility test does. */
static void
connect_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  UpgApplication *self = UPG_APPLICATION (user_data);

  upg_application_connect (self, gtk_application_get_active_window (GTK_APPLICATION (self)), NULL, NULL);
}

static const GActionEntry app_actions[] = {
  { "connect", connect_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_action, NULL, NULL, NULL, { 0 } },
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "open-file", open_file_action, "s", NULL, NULL, { 0 } },
};

static void
upg_application_startup (GApplication *app)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };

  /* Both run while GTK starts (below), on the second core: pango's font
   * map starts fontconfig (its configuration and font caches) in a thread
   * of its own when it is made, and the plan file is read. */
  pango_cairo_font_map_get_default ();
  preload_start (UPG_APPLICATION (app));

  G_APPLICATION_CLASS (upg_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
}

static void
upg_application_dispose (GObject *object)
{
  UpgApplication *self = UPG_APPLICATION (object);

  g_clear_object (&self->settings);
  /* A file read for a window that never asked for it: no path matches
   * NULL, so this waits for the thread and drops what it read. */
  preload_take (self, NULL);
  g_clear_pointer (&self->preload_path, g_free);
  G_OBJECT_CLASS (upg_application_parent_class)->dispose (object);
}

static void
upg_application_class_init (UpgApplicationClass *klass)
{
  /* The resources live in a static library: referencing them links them in
   * (their constructor registers them). */
  (void) upg_get_resource ();

  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = upg_application_dispose;
  app_class->local_command_line = upg_application_local_command_line;
  app_class->startup = upg_application_startup;
  app_class->activate = upg_application_activate;
  app_class->open = upg_application_open;
}

static void
upg_application_init (UpgApplication *self)
{
  self->settings = upg_settings_new ();
}

UpgApplication *
upg_application_new (void)
{
  return g_object_new (UPG_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/upgrade_planner/UpgradePlanner",
                       NULL);
}

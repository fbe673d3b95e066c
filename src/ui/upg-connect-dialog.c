/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-connect-dialog.c — Connect to Team Server. */
#define G_LOG_DOMAIN "upgrade-planner"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "upg-a11y.h"
#include "upg-connect-dialog.h"
#include "upg-settings.h"

struct _UpgConnectDialog
{
  AdwWindow            parent_instance;

  UpgStoreOpenFlags    flags;
  GSettings           *settings;
  GCancellable        *cancellable;   /* the connection being made, or NULL */
  gboolean             password_given; /* the last try had a typed password */
  GError              *error;         /* why the last try failed, or NULL */

  AdwEntryRow         *uri_row;
  AdwPasswordEntryRow *password_row;
  AdwActionRow        *remember_row;
  GtkSwitch           *remember_switch;
  GtkWidget           *progress_box;
  GtkSpinner          *spinner;
  GtkLabel            *progress_label;
  GtkLabel            *error_label;
  GtkWidget           *recent_group;
  GtkListBox          *recent_list;
  GtkButton           *connect_button;
  GtkButton           *cancel_button;
  GtkWidget           *address_group;
  GtkWidget           *status_group;
};

G_DEFINE_FINAL_TYPE (UpgConnectDialog, upg_connect_dialog, ADW_TYPE_WINDOW)

enum {
  CONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A team server's password in the desktop's keyring (the Secret Service),
 * found by the server's URI (which holds none). */
static const SecretSchema *
server_schema (void)
{
  static const SecretSchema schema = {
    .name = "io.github.upgrade_planner.UpgradePlanner.Server",
    .flags = SECRET_SCHEMA_NONE,
    .attributes = {
      { "uri", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

/* One try at connecting, handed to the thread and back. */
typedef struct {
  char              *uri;
  char              *password;      /* typed, or from the keyring, or NULL */
  gboolean           from_keyring;
  gboolean           remember;      /* keep a typed password in the keyring */
  UpgStoreOpenFlags  flags;
  char              *notice;        /* the keyring could not keep it: why */
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_free (attempt->uri);
  secret_password_free (attempt->password);
  g_free (attempt->notice);
  g_free (attempt);
}

/* In a thread: the keyring, the connection and the first read of the
 * plan may each wait on the network. Nothing here touches the main
 * context: the store starts listening once a window has it. */
static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Attempt *attempt = task_data;
  GError *error = NULL;
  g_autoptr(UpgStore) store = NULL;

  if (attempt->password == NULL)
    {
      /* No keyring (no session bus, say) is no password. */
      attempt->password = secret_password_lookup_sync (server_schema (), cancellable, NULL,
                                                       "uri", attempt->uri, NULL);
      attempt->from_keyring = attempt->password != NULL;
    }
  store = upg_store_open_server (attempt->uri, attempt->password, attempt->flags, &error);
  if (store != NULL && !upg_store_load (store, &error))
    g_clear_object (&store);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (attempt->remember && attempt->password != NULL && !attempt->from_keyring)
    {
      g_autoptr(GError) keyring_error = NULL;
      /* TRANSLATORS: how the password shows in the keyring (Passwords and
       * Keys); %s is the team server: "plans on db.example.com" */
      g_autofree char *label = g_strdup_printf (_("Upgrade Planner team server %s"), upg_store_get_location (store));

      if (!secret_password_store_sync (server_schema (), SECRET_COLLECTION_DEFAULT, label, attempt->password,
                                       cancellable, &keyring_error, "uri", attempt->uri, NULL))
        /* TRANSLATORS: a toast; %s says why */
        attempt->notice = g_strdup_printf (_("The password could not be kept in the keyring: %s"),
                                           keyring_error->message);
    }
  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

static void
set_busy (UpgConnectDialog *self,
          gboolean          busy)
{
  gtk_widget_set_visible (self->progress_box, busy);
  /* The focus leaves an entry properly before the entry turns
   * insensitive: GTK 4.8's GtkText keeps its cursor blinking otherwise, and
   * its blink_cb (gtktext.c) warns "did not receive a focus-out event" on
   * finding the focus gone. */
  if (busy)
    gtk_window_set_focus (GTK_WINDOW (self), NULL);
  if (busy)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->uri_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remember_row), !busy);
  gtk_widget_set_sensitive (self->recent_group, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button),
                            !busy && *gtk_editable_get_text (GTK_EDITABLE (self->uri_row)) != '\0');
}

static void
show_message (UpgConnectDialog *self,
              const char       *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

void
upg_connect_dialog_show_error (UpgConnectDialog *self,
                               const GError     *error)
{
  g_return_if_fail (UPG_IS_CONNECT_DIALOG (self));
  g_return_if_fail (error != NULL);

  if (self->error != error)
    {
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
    }
  /* Without a password typed, the server asking for one is no failure
   * to report in libpq's words: the field it asks for appears. */
  if (g_error_matches (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NEEDS_PASSWORD) && !self->password_given)
    show_message (self, _("The server asks for a password: type it below"));
  else
    show_message (self, error->message);
  if (g_error_matches (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NEEDS_PASSWORD))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->password_row), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->remember_row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
    }
}

static void
connect_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  UpgConnectDialog *self = UPG_CONNECT_DIALOG (source);
  Attempt *attempt = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = g_task_propagate_pointer (G_TASK (result), &error);

  /* Closed meanwhile: what was opened is let go. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  if (store == NULL)
    {
      upg_connect_dialog_show_error (self, error);
      return;
    }
  g_signal_emit (self, signals[CONNECTED], 0, store, attempt->notice);
  gtk_window_destroy (GTK_WINDOW (self));
}

const GError *
upg_connect_dialog_get_error (UpgConnectDialog *self)
{
  g_return_val_if_fail (UPG_IS_CONNECT_DIALOG (self), NULL);
  return self->error;
}

gboolean
upg_connect_dialog_is_busy (UpgConnectDialog *self)
{
  g_return_val_if_fail (UPG_IS_CONNECT_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

void
upg_connect_dialog_connect (UpgConnectDialog *self)
{
  g_autofree char *uri = NULL;
  g_autoptr(GTask) task = NULL;
  const char *password;
  Attempt *attempt;

  g_return_if_fail (UPG_IS_CONNECT_DIALOG (self));

  if (self->cancellable != NULL)
    return;
  uri = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->uri_row))));
  if (*uri == '\0')
    return;
  if (!upg_store_is_server_uri (uri))
    {
      show_message (self, _("A team server’s address starts with postgresql:// (postgresql://user@host:port/database)"));
      return;
    }
  /* The address is kept among the recent servers and shown: a password
   * never goes in it. */
  if (upg_store_uri_has_password (uri))
    {
      show_message (self, _("The address holds a password: remove it from the address and type it in the Password field, which can keep it in the keyring"));
      gtk_widget_set_visible (GTK_WIDGET (self->password_row), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->remember_row), TRUE);
      return;
    }

  attempt = g_new0 (Attempt, 1);
  attempt->uri = g_strdup (uri);
  attempt->flags = self->flags;
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (gtk_widget_get_visible (GTK_WIDGET (self->password_row)) && *password != '\0')
    {
      attempt->password = g_strdup (password);
      attempt->remember = gtk_switch_get_active (self->remember_switch);
    }
  self->password_given = attempt->password != NULL;

  show_message (self, NULL);
  {
    /* TRANSLATORS: while connecting; %s is the address typed */
    g_autofree char *progress = g_strdup_printf (_("Connecting to %s…"), uri);
    gtk_label_set_text (self->progress_label, progress);
  }
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, connect_done_cb, NULL);
  g_task_set_source_tag (task, upg_connect_dialog_connect);
  g_task_set_task_data (task, attempt, (GDestroyNotify) attempt_free);
  /* The thread's result is wanted even if cancelled: connect_done_cb
   * drops it. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, connect_thread);
}

static void
connect_clicked_cb (UpgConnectDialog *self)
{
  upg_connect_dialog_connect (self);
}

static void
uri_changed_cb (UpgConnectDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button),
                            self->cancellable == NULL && *gtk_editable_get_text (GTK_EDITABLE (self->uri_row)) != '\0');
}

static void
recent_activated_cb (UpgConnectDialog *self,
                     GtkListBoxRow    *row)
{
  upg_connect_dialog_set_uri (self, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  upg_connect_dialog_connect (self);
}

/* The keyring may be missing (no session bus): then it holds nothing to
 * forget. */
static void
password_cleared_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error))
    g_debug ("No password forgotten: %s", error->message);
}

static void
update_recent_group (UpgConnectDialog *self)
{
  gtk_widget_set_visible (self->recent_group,
                          gtk_widget_get_first_child (GTK_WIDGET (self->recent_list)) != NULL);
}

/* Forget: the server leaves the recent list and its password leaves the
 * keyring, and the next start no longer opens it: "last-file" holds the
 * server's URI as the window wrote it (upg_store_address()), and reset it
 * names none, so the start opens the default plan file. */
static void
forget_clicked_cb (GtkButton        *button,
                   UpgConnectDialog *self)
{
  g_autofree char *uri = g_strdup (g_object_get_data (G_OBJECT (button), "upg-server-uri"));
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-servers");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;

  for (guint i = 0; recent[i] != NULL; i++)
    if (g_strcmp0 (recent[i], uri) != 0)
      g_strv_builder_add (builder, recent[i]);
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-servers", (const char * const *) updated);
  {
    g_autofree char *last = g_settings_get_string (self->settings, "last-file");
    if (g_strcmp0 (last, uri) == 0)
      g_settings_reset (self->settings, "last-file");
  }
  secret_password_clear (server_schema (), NULL, password_cleared_cb, NULL, "uri", uri, NULL);

  gtk_widget_grab_focus (GTK_WIDGET (self->uri_row));
  gtk_list_box_remove (self->recent_list, row);
  update_recent_group (self);
}

static void
fill_recent (UpgConnectDialog *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-servers");

  for (guint i = 0; recent[i] != NULL; i++)
    {
      GtkWidget *row;
      GtkWidget *forget;
      g_autofree char *name = NULL;

      /* Written by an older build or by hand: never shown nor used. */
      if (!upg_store_is_server_uri (recent[i]) || upg_store_uri_has_password (recent[i]))
        continue;
      row = adw_action_row_new ();
      /* An address is not markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), recent[i]);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

      forget = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_valign (forget, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (forget, "flat");
      /* TRANSLATORS: a button on a recent server's row (its tooltip and
       * accessible name); %s is the server's address */
      name = g_strdup_printf (_("Forget %s"), recent[i]);
      upg_a11y_set_tooltip_name (forget, name);
      g_object_set_data_full (G_OBJECT (forget), "upg-server-uri", g_strdup (recent[i]), g_free);
      g_signal_connect_object (forget, "clicked", G_CALLBACK (forget_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), forget);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_append (self->recent_list, row);
    }
  update_recent_group (self);
}

void
upg_connect_dialog_set_uri (UpgConnectDialog *self,
                            const char       *uri)
{
  g_return_if_fail (UPG_IS_CONNECT_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->uri_row), uri ? uri : "");
}

void
upg_connect_dialog_set_purpose (UpgConnectDialog *self,
                                const char       *title,
                                const char       *accept)
{
  g_return_if_fail (UPG_IS_CONNECT_DIALOG (self));
  gtk_window_set_title (GTK_WINDOW (self), title);
  upg_a11y_button_set_label (self->connect_button, accept);
}

static void
upg_connect_dialog_dispose (GObject *object)
{
  UpgConnectDialog *self = UPG_CONNECT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (upg_connect_dialog_parent_class)->dispose (object);
}

static gboolean
upg_connect_dialog_close_request (GtkWindow *window)
{
  UpgConnectDialog *self = UPG_CONNECT_DIALOG (window);

  /* The thread runs on (libpq cannot be stopped mid-connect); what it
   * opens is dropped. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (upg_connect_dialog_parent_class)->close_request (window);
}

static void
upg_connect_dialog_class_init (UpgConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = upg_connect_dialog_dispose;
  window_class->close_request = upg_connect_dialog_close_request;

  /**
   * UpgConnectDialog::connected:
   * @store: the server's plan, opened and loaded
   * @notice: (nullable): something to tell the user (the keyring could
   *   not keep the password), or NULL
   */
  signals[CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, UPG_TYPE_STORE, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/upgrade_planner/UpgradePlanner/upg-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, uri_row);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, remember_row);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, progress_box);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, recent_group);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, recent_list);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, address_group);
  gtk_widget_class_bind_template_child (widget_class, UpgConnectDialog, status_group);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, uri_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, recent_activated_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
upg_connect_dialog_init (UpgConnectDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Named by their labels alone (GTK 4.8 reads "_Cancel Cancel"
   * otherwise), and the groups' own lists by what they hold. */
  upg_a11y_button_set_label (self->cancel_button, _("_Cancel"));
  upg_a11y_button_set_label (self->connect_button, _("C_onnect"));
  /* TRANSLATORS: the accessible name of the list holding the address and
   * password fields */
  upg_a11y_name_inner_lists (self->address_group, _("Team Server"));
  /* TRANSLATORS: the accessible name of the list saying how connecting goes */
  upg_a11y_name_inner_lists (self->status_group, _("Connection Status"));
  self->settings = upg_settings_new ();
  fill_recent (self);
  /* The address is what one types first, not Cancel. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->uri_row));
}

UpgConnectDialog *
upg_connect_dialog_new (GtkWindow         *parent,
                        UpgStoreOpenFlags  flags)
{
  UpgConnectDialog *self = g_object_new (UPG_TYPE_CONNECT_DIALOG, "transient-for", parent, NULL);

  self->flags = flags;
  if (parent != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
  return self;
}

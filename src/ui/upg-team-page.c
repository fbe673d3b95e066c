/* upg-team-page.c — the project's Team section: people and their roles. */
#include "config.h"

#include <glib/gi18n.h>

#include "upg-a11y.h"
#include "upg-team-page.h"
#include "upg-field-rows.h"
#include "core/upg-checks.h"
#include "core/upg-labels.h"

struct _UpgTeamPage
{
  AdwBin               parent_instance;

  UpgStore            *store;
  UpgProject          *project;
  GListModel          *team;
  GPtrArray           *warning_rows;
  guint                refresh_id;

  AdwPreferencesGroup *warnings_group;
  GtkListBox          *list;
  GtkWidget           *add_button;
};

G_DEFINE_FINAL_TYPE (UpgTeamPage, upg_team_page, ADW_TYPE_BIN)

static void
refresh_warnings (UpgTeamPage *self)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_warning_free);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  for (guint i = 0; i < self->warning_rows->len; i++)
    adw_preferences_group_remove (self->warnings_group, self->warning_rows->pdata[i]);
  g_ptr_array_set_size (self->warning_rows, 0);

  if (self->project != NULL)
    upg_team_append_warnings (self->project, warnings);
  for (guint i = 0; i < warnings->len; i++)
    {
      UpgWarning *warning = warnings->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), warning->message);
      gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_group_add (self->warnings_group, row);
      g_ptr_array_add (self->warning_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_group), warnings->len > 0);
}

static gboolean
refresh_idle_cb (gpointer data)
{
  UpgTeamPage *self = data;
  self->refresh_id = 0;
  refresh_warnings (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (UpgTeamPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

static char *
describe_member (UpgRecord *member)
{
  /* TRANSLATORS: a toast; %s is a person's name */
  return g_strdup_printf (_("%s removed from the team"), upg_record_get_string (member, UPG_MEMBER_NAME));
}

static void
update_row (UpgRecord  *member,
            GParamSpec *pspec,
            GtkWidget  *row)
{
  const char *email = upg_record_get_string (member, UPG_MEMBER_EMAIL);
  const char *phone = upg_record_get_string (member, UPG_MEMBER_PHONE);
  const char *role = upg_enum_label (upg_roles, upg_record_get_string (member, UPG_MEMBER_ROLE));
  GString *subtitle = g_string_new (role);
  UpgTeamPage *self = g_object_get_data (G_OBJECT (row), "upg-page");

  if (email != NULL && *email != '\0')
    g_string_append_printf (subtitle, " · %s", email);
  if (!upg_text_is_blank (phone))
    g_string_append_printf (subtitle, " · %s", phone);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);
  g_string_free (subtitle, TRUE);
  if (pspec != NULL && (g_str_equal (pspec->name, "role") || g_str_equal (pspec->name, "email") ||
                        g_str_equal (pspec->name, "name")))
    queue_refresh (self);
}

static void populate_row (GtkWidget *row, gpointer user_data);

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  UpgTeamPage *self = user_data;
  UpgRecord *member = item;
  GtkWidget *row = upg_record_expander_new (member);
  GtkWidget *avatar = adw_avatar_new (32, upg_record_get_string (member, UPG_MEMBER_NAME), TRUE);

  g_object_bind_property (member, "name", row, "title", G_BINDING_SYNC_CREATE);
  g_object_bind_property (member, "name", avatar, "text", G_BINDING_SYNC_CREATE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (avatar), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Avatar"), -1);
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), avatar);
  g_object_set_data (G_OBJECT (row), "upg-page", self);

  upg_record_expander_set_populate (row, populate_row, self);
  update_row (member, NULL, row);
  g_signal_connect_object (member, "notify", G_CALLBACK (update_row), row, 0);
  return row;
}

static void
populate_row (GtkWidget *row,
              gpointer   user_data)
{
  UpgTeamPage *self = user_data;
  UpgRecord *member = g_object_get_data (G_OBJECT (row), "upg-record");

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_entry_row_new (member, UPG_MEMBER_NAME, C_("person", "Name")));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_combo_row_new (member, UPG_MEMBER_ROLE, _("Role")));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_entry_row_new (member, UPG_MEMBER_EMAIL, _("Email")));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_entry_row_new (member, UPG_MEMBER_PHONE, _("Phone or On-Call Contact")));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), upg_entry_row_new (member, UPG_MEMBER_RESPONSIBILITIES, _("Responsibilities")));
  upg_record_expander_add_actions (row, self->store, describe_member);
}

static void
add_cb (UpgTeamPage *self)
{
  g_autoptr(UpgRecord) member = upg_record_new (&upg_entity_member);
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;

  if (self->project == NULL)
    return;
  upg_record_set_string (member, UPG_MEMBER_NAME, _("New person"));
  if (!upg_store_insert (self->store, UPG_RECORD (self->project), member, -1, &error))
    {
      upg_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  row = gtk_list_box_get_row_at_index (self->list, g_list_model_get_n_items (self->team) - 1);
  if (row != NULL)
    {
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

static void
team_changed_cb (GListModel  *model,
                 guint        position,
                 guint        removed,
                 guint        added,
                 UpgTeamPage *self)
{
  queue_refresh (self);
}

void
upg_team_page_set_project (UpgTeamPage *self,
                           UpgStore    *store,
                           UpgProject  *project)
{
  g_return_if_fail (UPG_IS_TEAM_PAGE (self));

  gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  if (self->team != NULL)
    g_signal_handlers_disconnect_by_func (self->team, team_changed_cb, self);
  g_clear_object (&self->team);
  g_set_object (&self->store, store);
  g_set_object (&self->project, project);
  if (project != NULL)
    {
      self->team = upg_record_get_children (UPG_RECORD (project), &upg_entity_member);
      if (self->team != NULL)
        {
          g_object_ref (self->team);
          g_signal_connect (self->team, "items-changed", G_CALLBACK (team_changed_cb), self);
          gtk_list_box_bind_model (self->list, self->team, create_row, self, NULL);
        }
    }
  gtk_widget_set_sensitive (self->add_button, project != NULL);
  refresh_warnings (self);
}

static void
upg_team_page_dispose (GObject *object)
{
  UpgTeamPage *self = UPG_TEAM_PAGE (object);

  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  if (self->team != NULL)
    g_signal_handlers_disconnect_by_func (self->team, team_changed_cb, self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_object (&self->team);
  g_clear_object (&self->store);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (upg_team_page_parent_class)->dispose (object);
}

static void
upg_team_page_finalize (GObject *object)
{
  UpgTeamPage *self = UPG_TEAM_PAGE (object);

  g_ptr_array_unref (self->warning_rows);
  G_OBJECT_CLASS (upg_team_page_parent_class)->finalize (object);
}

static void
upg_team_page_class_init (UpgTeamPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_team_page_dispose;
  object_class->finalize = upg_team_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-team-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgTeamPage, warnings_group);
  gtk_widget_class_bind_template_child (widget_class, UpgTeamPage, list);
  gtk_widget_class_bind_template_child (widget_class, UpgTeamPage, add_button);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
}

static void
upg_team_page_init (UpgTeamPage *self)
{
  GtkWidget *placeholder;

  self->warning_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));
  placeholder = gtk_label_new (_("Nobody on the team yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->list, placeholder);
  upg_record_list_add_shortcuts (self->list);
}

GtkWidget *
upg_team_page_new (void)
{
  return g_object_new (UPG_TYPE_TEAM_PAGE, NULL);
}

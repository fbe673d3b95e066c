/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-notifications-page.c — the project's Notifications section: a grid of
 * moments × groups (what was prepared, when and how; a cell opens its
 * draft) and the stakeholder groups, edited in place. */
#define G_LOG_DOMAIN "upg-notifications-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "upg-a11y.h"
#include "upg-notifications-page.h"
#include "upg-field-rows.h"
#include "upg-notice-draft.h"
#include "core/upg-labels.h"
#include "core/upg-notify.h"

struct _UpgNotificationsPage
{
  AdwBin               parent_instance;

  UpgStore            *store;
  UpgProject          *project;
  GListModel          *groups;
  GListModel          *notices;
  GListModel          *steps;
  GHashTable          *cells;      /* "moment\ngroup" → widget (the grid holds it) */
  GString             *row_order;
  GtkWindow           *draft;      /* weak */
  guint                rebuild_id;
  guint                error_id;
  GtkSizeGroup        *cell_sizes;  /* every cell as wide as the widest */

  GtkGrid             *grid;
  GtkListBox          *list;
  GtkWidget           *add_button;
  GtkLabel            *write_error;
};

G_DEFINE_FINAL_TYPE (UpgNotificationsPage, upg_notifications_page, ADW_TYPE_BIN)

/* ---- The grid ---------------------------------------------------------- */

static char *
cell_key (const char *moment,
          const char *group)
{
  return g_strconcat (moment, "\n", group, NULL);
}

static void
draft_destroyed_cb (UpgNotificationsPage *self)
{
  self->draft = NULL;
}

static void
open_draft (UpgNotificationsPage *self,
            const char           *moment,
            const char           *group)
{
  UpgNoticeDraft *draft = upg_notice_draft_new (self->store, self->project, moment, group);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    {
      int width = gtk_widget_get_width (GTK_WIDGET (root));
      int height = gtk_widget_get_height (GTK_WIDGET (root));

      gtk_window_set_transient_for (GTK_WINDOW (draft), GTK_WINDOW (root));
      /* Never wider or taller than the window it belongs to (a phone). */
      if (width > 0 && height > 0)
        gtk_window_set_default_size (GTK_WINDOW (draft), MIN (640, width), MIN (720, height));
    }
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_func (self->draft, draft_destroyed_cb, self);
  self->draft = GTK_WINDOW (draft);
  g_signal_connect_swapped (draft, "destroy", G_CALLBACK (draft_destroyed_cb), self);
  gtk_window_present (GTK_WINDOW (draft));
}

static void
cell_clicked_cb (GtkButton            *button,
                 UpgNotificationsPage *self)
{
  open_draft (self, g_object_get_data (G_OBJECT (button), "upg-moment"),
              g_object_get_data (G_OBJECT (button), "upg-group"));
}

/* "28 Nov 09:00" in the user's zone. */
static char *
format_notice_time (const char *timestamp)
{
  g_autoptr(GDateTime) utc = upg_timestamp_to_datetime (timestamp);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (timestamp ? timestamp : "");
  local = g_date_time_to_local (utc);
  /* TRANSLATORS: when a notice was prepared; a strftime format */
  return g_date_time_format (local, C_("notice time", "%e %b %H:%M"));
}

/* @misfit: why the moment does not fit the project now, or NULL. */
static GtkWidget *
make_cell (UpgNotificationsPage *self,
           const char           *moment,
           UpgRecord            *group,
           gboolean              called_for,
           const char           *misfit)
{
  const char *name = upg_record_get_string (group, UPG_GROUP_NAME);
  const char * const *moments = upg_record_get_strv (group, UPG_GROUP_MOMENTS);
  UpgRecord *notice;
  g_autofree char *status = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *button, *box, *line1, *line2;

  if (moments == NULL || !g_strv_contains (moments, moment))
    {
      GtkWidget *label = gtk_label_new ("—");

      gtk_widget_add_css_class (label, "dim-label");
      gtk_size_group_add_widget (self->cell_sizes, label);
      gtk_widget_set_tooltip_text (label, _("This group does not hear about this moment"));
      /* TRANSLATORS: a cell of the notices grid: a moment, a group */
      accessible = g_strdup_printf (_("%s for %s: not told"), upg_notify_moment_label (moment), name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      return label;
    }

  notice = upg_notify_last_notice (self->project, moment, name);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  if (notice != NULL)
    {
      g_autofree char *when = format_notice_time (upg_record_get_string (notice, UPG_NOTICE_AT));
      const char *how = upg_enum_label (upg_notice_hows, upg_record_get_string (notice, UPG_NOTICE_HOW));

      /* TRANSLATORS: a cell of the notices grid; %s is a date and time */
      status = g_strdup_printf (_("Prepared %s"), g_strstrip (when));
      line1 = gtk_label_new (when);   /* the check mark says "prepared" */
      line2 = gtk_label_new (how);
      /* TRANSLATORS: a moment, a group, "Prepared 28 Nov 09:00", how (".eml file") */
      accessible = g_strdup_printf (_("%s for %s: %s, %s"), upg_notify_moment_label (moment), name, status, how);
    }
  else if (misfit != NULL)
    {
      line1 = gtk_label_new (_("Not prepared"));
      /* TRANSLATORS: a cell of the notices grid: the moment does not fit the project now */
      line2 = gtk_label_new (_("Not now"));
      /* TRANSLATORS: a moment, a group, "Not prepared", and why the moment does not fit now */
      accessible = g_strdup_printf (_("%s for %s: %s; not now: %s"), upg_notify_moment_label (moment), name,
                                    _("Not prepared"), misfit);
    }
  else
    {
      line1 = gtk_label_new (_("Not prepared"));
      line2 = gtk_label_new (called_for ? _("Due now") : _("Open the draft"));
      accessible = g_strdup_printf (_("%s for %s: %s, %s"), upg_notify_moment_label (moment), name,
                                    _("Not prepared"), called_for ? _("Due now") : _("Open the draft"));
    }
  gtk_widget_add_css_class (line2, "caption");
  gtk_widget_add_css_class (line2, "dim-label");
  gtk_label_set_ellipsize (GTK_LABEL (line1), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (line2), PANGO_ELLIPSIZE_END);
  if (notice != NULL)
    {
      /* A check mark before how it was prepared. */
      GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *icon = gtk_image_new_from_icon_name ("object-select-symbolic");

      gtk_widget_add_css_class (icon, "success");
      gtk_image_set_pixel_size (GTK_IMAGE (icon), 12);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Prepared"), -1);
      gtk_widget_set_halign (bottom, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (bottom), icon);
      gtk_box_append (GTK_BOX (bottom), line2);
      line2 = bottom;
    }
  else if (misfit == NULL)
    gtk_widget_add_css_class (line1, "notice-open");
  else
    gtk_widget_add_css_class (line1, "dim-label");
  gtk_box_append (GTK_BOX (box), line1);
  gtk_box_append (GTK_BOX (box), line2);

  button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "notice-cell");
  if (notice == NULL && !called_for)
    gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_hexpand (button, TRUE);
  gtk_widget_set_size_request (button, 112, -1);
  gtk_size_group_add_widget (self->cell_sizes, button);
  if (called_for && notice == NULL)
    gtk_widget_add_css_class (button, "suggested-action");
  upg_a11y_set_tooltip_name (button, accessible);
  g_object_set_data_full (G_OBJECT (button), "upg-moment", g_strdup (moment), g_free);
  g_object_set_data_full (G_OBJECT (button), "upg-group", g_strdup (name), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (cell_clicked_cb), self);
  return button;
}

static void
rebuild_grid (UpgNotificationsPage *self)
{
  GtkWidget *child;
  guint n_groups = self->groups ? g_list_model_get_n_items (self->groups) : 0;
  guint n_called = 0;
  g_autofree const char **moments = NULL;

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  g_hash_table_remove_all (self->cells);
  g_string_truncate (self->row_order, 0);
  if (self->project == NULL)
    return;

  if (n_groups == 0)
    {
      GtkWidget *label = gtk_label_new (_("Add a stakeholder group below to prepare notices."));
      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_grid_attach (self->grid, label, 0, 0, 1, 1);
      return;
    }

  for (guint j = 0; j < n_groups; j++)
    {
      g_autoptr(UpgRecord) group = g_list_model_get_item (self->groups, j);
      GtkWidget *label = gtk_label_new (upg_record_get_string (group, UPG_GROUP_NAME));

      gtk_widget_add_css_class (label, "heading");
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
      gtk_grid_attach (self->grid, label, j + 1, 0, 1, 1);
    }

  moments = upg_notify_offered_moments (self->project, NULL, &n_called);
  for (guint i = 0; moments[i] != NULL; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *head = gtk_button_new ();
      GtkWidget *label = gtk_label_new (upg_notify_moment_label (moments[i]));
      g_autoptr(GPtrArray) hearing = upg_notify_groups_for (self->project, moments[i]);
      g_autofree char *row_label = NULL;
      g_autofree char *misfit = upg_notify_moment_misfit (self->project, moments[i], NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
      gtk_box_append (GTK_BOX (box), label);
      if (i < n_called)
        {
          GtkWidget *tag = gtk_label_new (_("Called for now"));
          gtk_label_set_xalign (GTK_LABEL (tag), 0);
          gtk_widget_add_css_class (tag, "caption");
          gtk_widget_add_css_class (tag, "accent");
          gtk_widget_add_css_class (label, "heading");
          gtk_box_append (GTK_BOX (box), tag);
        }
      else if (misfit != NULL)
        {
          GtkWidget *tag = gtk_label_new (_("Not now"));
          gtk_label_set_xalign (GTK_LABEL (tag), 0);
          gtk_widget_add_css_class (tag, "caption");
          gtk_widget_add_css_class (tag, "dim-label");
          gtk_box_append (GTK_BOX (box), tag);
        }
      /* The moment's name opens one draft for every group that hears it. */
      gtk_button_set_child (GTK_BUTTON (head), box);
      gtk_widget_add_css_class (head, "flat");
      gtk_widget_add_css_class (head, "notice-moment");
      /* TRANSLATORS: %s is a moment ("Advance notice") */
      if (misfit != NULL)
        /* TRANSLATORS: a moment ("Advance notice"), then why it does not fit the project now */
        row_label = g_strdup_printf (_("%s: one draft for every group that hears about it; not now: %s"),
                                     upg_notify_moment_label (moments[i]), misfit);
      else
        row_label = g_strdup_printf (_("%s: one draft for every group that hears about it"),
                                     upg_notify_moment_label (moments[i]));
      upg_a11y_set_tooltip_name (head, row_label);
      gtk_widget_set_sensitive (head, hearing->len > 0);
      g_object_set_data_full (G_OBJECT (head), "upg-moment", g_strdup (moments[i]), g_free);
      g_signal_connect (head, "clicked", G_CALLBACK (cell_clicked_cb), self);
      gtk_widget_set_valign (head, GTK_ALIGN_CENTER);
      gtk_widget_set_margin_end (head, 6);
      gtk_grid_attach (self->grid, head, 0, i + 1, 1, 1);
      g_hash_table_insert (self->cells, cell_key (moments[i], ""), head);
      g_string_append_printf (self->row_order, "%s%s", i ? " " : "", moments[i]);

      for (guint j = 0; j < n_groups; j++)
        {
          g_autoptr(UpgRecord) group = g_list_model_get_item (self->groups, j);
          GtkWidget *cell = make_cell (self, moments[i], group, i < n_called, misfit);

          gtk_grid_attach (self->grid, cell, j + 1, i + 1, 1, 1);
          g_hash_table_insert (self->cells, cell_key (moments[i], upg_record_get_string (group, UPG_GROUP_NAME)), cell);
        }
    }
}

static gboolean
rebuild_idle_cb (gpointer data)
{
  UpgNotificationsPage *self = data;
  self->rebuild_id = 0;
  rebuild_grid (self);
  return G_SOURCE_REMOVE;
}

static void
queue_rebuild (UpgNotificationsPage *self)
{
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add (rebuild_idle_cb, self);
}

/* ---- Groups ------------------------------------------------------------ */

static char *
describe_group (UpgRecord *group)
{
  /* TRANSLATORS: a toast; %s is a stakeholder group's name */
  return g_strdup_printf (_("Group “%s” removed"), upg_record_get_string (group, UPG_GROUP_NAME));
}

static void
update_row (UpgRecord  *group,
            GParamSpec *pspec,
            GtkWidget  *row)
{
  const char * const *addresses = upg_record_get_strv (group, UPG_GROUP_ADDRESSES);
  guint n = addresses ? g_strv_length ((char **) addresses) : 0;
  const char *audience = upg_record_get_string (group, UPG_GROUP_AUDIENCE);
  g_autofree char *count = g_strdup_printf (ngettext ("%u address", "%u addresses", n), n);
  g_autofree char *subtitle = NULL;
  UpgNotificationsPage *self = g_object_get_data (G_OBJECT (row), "upg-page");

  subtitle = g_strdup_printf ("%s%s%s · %s%s", audience ? audience : "", audience && *audience ? " · " : "",
                              count, upg_enum_label (upg_languages, upg_record_get_string (group, UPG_GROUP_LANGUAGE)),
                              upg_record_get_bool (group, UPG_GROUP_BCC) ? _(" · Bcc") : "");
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  if (self != NULL)
    queue_rebuild (self);
}

/* Addresses, one by one: the row names the first that is not valid. The
 * text is read when the edit is over (setting the text deletes, then
 * inserts: the empty text between is not the user's). */
static gboolean
addresses_apply_cb (gpointer data)
{
  AdwEntryRow *row = data;
  UpgRecord *group = g_object_get_data (G_OBJECT (row), "upg-group");
  g_auto(GStrv) parts = g_regex_split_simple ("[,;\\s]+", gtk_editable_get_text (GTK_EDITABLE (row)), 0, 0);
  g_autoptr(GStrvBuilder) list = g_strv_builder_new ();
  g_auto(GStrv) addresses = NULL;
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "upg-error-icon");

  g_object_set_data (G_OBJECT (row), "upg-apply-id", NULL);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *message = NULL;

      if (*parts[i] == '\0')
        continue;
      if (!upg_check_email (parts[i], &message))
        {
          /* TRANSLATORS: %s is what was typed as an address, then why it is not one */
          g_autofree char *text = g_strdup_printf (_("“%s” %s"), parts[i], message);
          gtk_widget_add_css_class (GTK_WIDGET (row), "error");
          gtk_widget_set_tooltip_text (icon, text);
          gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
          gtk_widget_set_visible (icon, TRUE);
          return G_SOURCE_REMOVE;
        }
      g_strv_builder_add (list, parts[i]);
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_set_visible (icon, FALSE);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  addresses = g_strv_builder_end (list);
  g_object_set_data (G_OBJECT (row), "upg-writing", GINT_TO_POINTER (1));
  upg_record_set_strv (group, UPG_GROUP_ADDRESSES, (const char * const *) addresses);
  g_object_set_data (G_OBJECT (row), "upg-writing", NULL);
  return G_SOURCE_REMOVE;
}

static void
addresses_apply_destroy (gpointer data)
{
  g_object_unref (data);
}

static void
addresses_changed_cb (AdwEntryRow *row,
                      UpgRecord   *group)
{
  if (g_object_get_data (G_OBJECT (row), "upg-loading") ||
      g_object_get_data (G_OBJECT (row), "upg-apply-id"))
    return;
  g_object_set_data (G_OBJECT (row), "upg-apply-id",
                     GUINT_TO_POINTER (g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, addresses_apply_cb,
                                                        g_object_ref (row), addresses_apply_destroy)));
}

static void
addresses_sync (UpgRecord  *group,
                GParamSpec *pspec,
                GtkWidget  *row)
{
  const char * const *addresses = upg_record_get_strv (group, UPG_GROUP_ADDRESSES);
  g_autofree char *text = addresses ? g_strjoinv (", ", (char **) addresses) : g_strdup ("");

  if (g_object_get_data (G_OBJECT (row), "upg-writing"))
    return;
  g_object_set_data (G_OBJECT (row), "upg-loading", GINT_TO_POINTER (1));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_object_set_data (G_OBJECT (row), "upg-loading", NULL);
}

static GtkWidget *
addresses_row_new (UpgRecord *group)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Addresses (comma-separated)"));
  gtk_widget_add_css_class (icon, "error");
  gtk_widget_set_visible (icon, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not a valid address"), -1);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "upg-error-icon", icon);
  g_object_set_data_full (G_OBJECT (row), "upg-group", g_object_ref (group), g_object_unref);
  addresses_sync (group, NULL, row);
  g_signal_connect (row, "changed", G_CALLBACK (addresses_changed_cb), group);
  g_signal_connect_object (group, "notify::addresses", G_CALLBACK (addresses_sync), row, 0);
  return row;
}

static void
moment_toggled_cb (GtkCheckButton *check,
                   UpgRecord      *group)
{
  GtkWidget *box = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (check)));
  g_autoptr(GStrvBuilder) list = g_strv_builder_new ();
  g_auto(GStrv) moments = NULL;

  if (g_object_get_data (G_OBJECT (box), "upg-loading"))
    return;
  for (guint i = 0; upg_moments[i] != NULL; i++)
    {
      GtkCheckButton *c = g_object_get_data (G_OBJECT (box), upg_moments[i]);
      if (gtk_check_button_get_active (c))
        g_strv_builder_add (list, upg_moments[i]);
    }
  moments = g_strv_builder_end (list);
  upg_record_set_strv (group, UPG_GROUP_MOMENTS, (const char * const *) moments);
}

static void
moments_sync (UpgRecord  *group,
              GParamSpec *pspec,
              GtkWidget  *box)
{
  const char * const *moments = upg_record_get_strv (group, UPG_GROUP_MOMENTS);

  g_object_set_data (G_OBJECT (box), "upg-loading", GINT_TO_POINTER (1));
  for (guint i = 0; upg_moments[i] != NULL; i++)
    gtk_check_button_set_active (g_object_get_data (G_OBJECT (box), upg_moments[i]),
                                 moments != NULL && g_strv_contains (moments, upg_moments[i]));
  g_object_set_data (G_OBJECT (box), "upg-loading", NULL);
}

static GtkWidget *
moments_row_new (UpgRecord *group)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *vbox = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (_("Hears About"));
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (vbox, 12);
  gtk_widget_set_margin_end (vbox, 12);
  gtk_widget_set_margin_top (vbox, 8);
  gtk_widget_set_margin_bottom (vbox, 8);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 4);
  gtk_accessible_update_property (GTK_ACCESSIBLE (flow), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Hears About"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Hears About"), -1);
  for (guint i = 0; upg_moments[i] != NULL; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (upg_notify_moment_label (upg_moments[i]));
      gtk_flow_box_append (GTK_FLOW_BOX (flow), check);
      g_object_set_data (G_OBJECT (flow), upg_moments[i], check);
      g_signal_connect (check, "toggled", G_CALLBACK (moment_toggled_cb), group);
    }
  gtk_box_append (GTK_BOX (vbox), title);
  gtk_box_append (GTK_BOX (vbox), flow);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), vbox);
  moments_sync (group, NULL, flow);
  g_signal_connect_object (group, "notify::moments", G_CALLBACK (moments_sync), flow, 0);
  return row;
}

static void
populate_row (GtkWidget *row,
              gpointer   user_data)
{
  UpgNotificationsPage *self = user_data;
  UpgRecord *group = g_object_get_data (G_OBJECT (row), "upg-record");
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (row);

  adw_expander_row_add_row (expander, upg_entry_row_new (group, UPG_GROUP_NAME, C_("group", "Name")));
  adw_expander_row_add_row (expander, upg_entry_row_new (group, UPG_GROUP_AUDIENCE, _("Audience")));
  adw_expander_row_add_row (expander, addresses_row_new (group));
  adw_expander_row_add_row (expander, upg_switch_row_new (group, UPG_GROUP_BCC, _("Addresses in Bcc")));
  adw_expander_row_add_row (expander, upg_combo_row_new (group, UPG_GROUP_LANGUAGE, _("Language")));
  adw_expander_row_add_row (expander, upg_entry_row_new (group, UPG_GROUP_TIME_ZONE,
                                                         _("Time Zone (empty: the project’s)")));
  adw_expander_row_add_row (expander, moments_row_new (group));
  upg_record_expander_add_actions (row, self->store, describe_group);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  UpgNotificationsPage *self = user_data;
  UpgRecord *group = item;
  GtkWidget *row = upg_record_expander_new (group);

  g_object_bind_property (group, "name", row, "title", G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (row), "upg-page", self);
  upg_record_expander_set_populate (row, populate_row, self);
  update_row (group, NULL, row);
  g_signal_connect_object (group, "notify", G_CALLBACK (update_row), row, 0);
  return row;
}

static void
export_calendar_cb (UpgNotificationsPage *self)
{
  /* The window asks where and writes it (core's milestones export). */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.export-file", "(ss)", "milestones", "ics");
}

static void
add_cb (UpgNotificationsPage *self)
{
  g_autoptr(UpgRecord) group = upg_record_new (&upg_entity_group);
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *row;

  if (self->project == NULL)
    return;
  upg_record_set_string (group, UPG_GROUP_NAME, _("New group"));
  if (!upg_store_insert (self->store, UPG_RECORD (self->project), group, -1, &error))
    {
      upg_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  row = gtk_list_box_get_row_at_index (self->list, g_list_model_get_n_items (self->groups) - 1);
  if (row != NULL)
    {
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

/* A refused write: the store put the stored value back; say why here,
 * next to what was being edited. */
static gboolean
hide_error_cb (gpointer data)
{
  UpgNotificationsPage *self = data;
  self->error_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->write_error), FALSE);
  return G_SOURCE_REMOVE;
}

static void
write_failed_cb (UpgStore             *store,
                 const GError         *error,
                 UpgNotificationsPage *self)
{
  /* TRANSLATORS: %s says why a change was refused */
  g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  gtk_label_set_text (self->write_error, text);
  gtk_widget_set_visible (GTK_WIDGET (self->write_error), TRUE);
  g_clear_handle_id (&self->error_id, g_source_remove);
  self->error_id = g_timeout_add_seconds (10, hide_error_cb, self);
}

/* ---- The page ---------------------------------------------------------- */

static void
model_changed_cb (GListModel           *model,
                  guint                 position,
                  guint                 removed,
                  guint                 added,
                  UpgNotificationsPage *self)
{
  queue_rebuild (self);
}

static void
disconnect_models (UpgNotificationsPage *self)
{
  GListModel **models[] = { &self->groups, &self->notices, &self->steps };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    if (*models[i] != NULL)
      {
        g_signal_handlers_disconnect_by_func (*models[i], model_changed_cb, self);
        g_clear_object (models[i]);
      }
}

static GListModel *
watch (UpgNotificationsPage *self,
       const UpgEntity      *entity)
{
  GListModel *model = upg_record_get_children (UPG_RECORD (self->project), entity);

  if (model == NULL)
    return NULL;
  g_signal_connect (model, "items-changed", G_CALLBACK (model_changed_cb), self);
  return g_object_ref (model);
}

void
upg_notifications_page_set_project (UpgNotificationsPage *self,
                                    UpgStore             *store,
                                    UpgProject           *project)
{
  g_return_if_fail (UPG_IS_NOTIFICATIONS_PAGE (self));

  gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  disconnect_models (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, write_failed_cb, self);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, queue_rebuild, self);
  g_set_object (&self->store, store);
  g_set_object (&self->project, project);
  if (store != NULL)
    g_signal_connect (store, "write-failed", G_CALLBACK (write_failed_cb), self);
  if (project != NULL)
    {
      self->groups = watch (self, &upg_entity_group);
      self->notices = watch (self, &upg_entity_notice);
      self->steps = watch (self, &upg_entity_sop_step);
      g_signal_connect_swapped (project, "notify", G_CALLBACK (queue_rebuild), self);
      if (self->groups != NULL)
        gtk_list_box_bind_model (self->list, self->groups, create_row, self, NULL);
    }
  gtk_widget_set_sensitive (self->add_button, project != NULL);
  rebuild_grid (self);
}

GtkWidget *
upg_notifications_page_get_cell (UpgNotificationsPage *self,
                                 const char           *moment,
                                 const char           *group)
{
  g_autofree char *key = cell_key (moment, group ? group : "");

  g_return_val_if_fail (UPG_IS_NOTIFICATIONS_PAGE (self), NULL);
  if (self->rebuild_id != 0)
    rebuild_grid (self);
  return g_hash_table_lookup (self->cells, key);
}

char *
upg_notifications_page_describe_rows (UpgNotificationsPage *self)
{
  g_return_val_if_fail (UPG_IS_NOTIFICATIONS_PAGE (self), NULL);
  if (self->rebuild_id != 0)
    rebuild_grid (self);
  return g_strdup (self->row_order->str);
}

GtkWindow *
upg_notifications_page_get_draft (UpgNotificationsPage *self)
{
  g_return_val_if_fail (UPG_IS_NOTIFICATIONS_PAGE (self), NULL);
  return self->draft;
}

static void
upg_notifications_page_dispose (GObject *object)
{
  UpgNotificationsPage *self = UPG_NOTIFICATIONS_PAGE (object);

  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  disconnect_models (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, write_failed_cb, self);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, queue_rebuild, self);
  if (self->draft != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->draft, draft_destroyed_cb, self);
      gtk_window_destroy (self->draft);
      self->draft = NULL;
    }
  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  g_clear_handle_id (&self->error_id, g_source_remove);
  g_clear_object (&self->store);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (upg_notifications_page_parent_class)->dispose (object);
}

static void
upg_notifications_page_finalize (GObject *object)
{
  UpgNotificationsPage *self = UPG_NOTIFICATIONS_PAGE (object);

  g_hash_table_unref (self->cells);
  g_object_unref (self->cell_sizes);
  g_string_free (self->row_order, TRUE);
  G_OBJECT_CLASS (upg_notifications_page_parent_class)->finalize (object);
}

static void
upg_notifications_page_class_init (UpgNotificationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_notifications_page_dispose;
  object_class->finalize = upg_notifications_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-notifications-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgNotificationsPage, grid);
  gtk_widget_class_bind_template_child (widget_class, UpgNotificationsPage, list);
  gtk_widget_class_bind_template_child (widget_class, UpgNotificationsPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, UpgNotificationsPage, write_error);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_calendar_cb);
}

static void
map_cb (UpgNotificationsPage *self)
{
  /* Checklist steps may have been checked elsewhere: what is called for
   * now is worked out again when the section is shown. */
  queue_rebuild (self);
}

static void
upg_notifications_page_init (UpgNotificationsPage *self)
{
  GtkWidget *placeholder;

  static gsize css_loaded = 0;

  if (g_once_init_enter (&css_loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
      GdkDisplay *display = gdk_display_get_default ();

      gtk_css_provider_load_from_resource (provider, "/io/github/upgrade_planner/UpgradePlanner/upg-notifications.css");
      if (display != NULL)
        gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&css_loaded, 1);
    }

  self->cells = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->row_order = g_string_new (NULL);
  self->cell_sizes = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  gtk_widget_init_template (GTK_WIDGET (self));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));
  placeholder = gtk_label_new (_("No stakeholder groups yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->list, placeholder);
  upg_record_list_add_shortcuts (self->list);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
}

GtkWidget *
upg_notifications_page_new (void)
{
  return g_object_new (UPG_TYPE_NOTIFICATIONS_PAGE, NULL);
}

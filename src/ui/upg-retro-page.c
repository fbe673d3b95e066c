/* upg-retro-page.c — the project's Retrospective section.
 *
 * Without a retrospective: a status page whose one action starts it,
 * seeded from the file (upg_retro_start()). With one: the plan held against
 * what happened (core's rows, refreshed as the team edits), the day's facts,
 * what happened, and the items in four groups — went well, went wrong,
 * lessons, actions. An open action can be carried into another project's
 * checklist. Every field is a row that saves as it changes.
 */
#define G_LOG_DOMAIN "upg-ui"
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "upg-a11y.h"
#include "upg-field-rows.h"
#include "upg-retro-export.h"
#include "upg-retro-page.h"
#include "core/upg-labels.h"
#include "core/upg-retro.h"

#define N_KINDS 4

struct _UpgRetroPage
{
  AdwBin               parent_instance;

  UpgStore            *store;
  UpgProject          *project;
  GListModel          *retro_list;     /* the project's retrospective (0 or 1) */
  UpgRecord           *retro;
  GListModel          *items;
  GtkFilterListModel  *filtered[N_KINDS];
  GPtrArray           *field_rows;     /* rows added to day_group and what_group */
  guint                refresh_id;

  GtkStack            *stack;
  AdwPreferencesPage  *page;
  GtkListBox          *compare_list;
  GtkListBox          *slips_list;
  AdwPreferencesGroup *slips_group;
  AdwPreferencesGroup *day_group;
  AdwPreferencesGroup *what_group;
  GtkMenuButton       *export_button;
  GtkListBox          *lists[N_KINDS];
};

G_DEFINE_FINAL_TYPE (UpgRetroPage, upg_retro_page, ADW_TYPE_BIN)

static const char *
kind_title (guint k)
{
  switch (k)
    {
    case 0: return _("Went Well");
    case 1: return _("Went Wrong");
    case 2: return _("Lessons");
    default: return _("Actions");
    }
}

static const char *
kind_add_label (guint k)
{
  switch (k)
    {
    case 0: return _("Add Something That Went Well");
    case 1: return _("Add Something That Went Wrong");
    case 2: return _("Add Lesson");
    default: return _("Add Action");
    }
}

/* ---- Planned and actual ---------------------------------------------------- */

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* Columns @text takes: wide (CJK) characters count twice. */
static int
display_width (const char *text)
{
  int width = 0;
  for (const char *p = text ? text : ""; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

static GtkWidget *
compare_row (const char *title, const char *subtitle, const char *difference, gboolean worse)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (difference);
  g_autofree char *name = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* Short differences stay on one line; long ones wrap, not word by word. */
  gtk_label_set_width_chars (GTK_LABEL (label), MIN (14, display_width (difference)));
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_widget_add_css_class (label, "numeric");
  if (worse)
    gtk_widget_add_css_class (label, "error");
  else if (difference && *difference && g_strcmp0 (difference, "—") != 0)
    gtk_widget_add_css_class (label, "dim-label");
  if (difference && *difference)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  else
    g_object_ref_sink (label), g_object_unref (label);
  /* Screen readers hear the whole comparison. */
  name = difference && *difference ? g_strdup_printf ("%s: %s; %s", title, subtitle, difference)
                                   : g_strdup_printf ("%s: %s", title, subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return row;
}

static void
refresh_compare (UpgRetroPage *self)
{
  g_autoptr(GPtrArray) compare = NULL;
  g_autoptr(GPtrArray) milestones = NULL;
  g_autoptr(GPtrArray) gray = NULL;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  clear_list (self->compare_list);
  clear_list (self->slips_list);
  if (self->retro == NULL)
    return;

  compare = upg_retro_compare (UPG_RECORD (self->project), self->retro);
  for (guint i = 0; i < compare->len; i++)
    {
      UpgRetroRow *r = compare->pdata[i];
      /* Translators: planned and actual values side by side */
      g_autofree char *subtitle = g_strdup_printf (_("Planned: %s\nActual: %s"), r->planned, r->actual);
      gtk_list_box_append (self->compare_list, compare_row (r->what, subtitle, r->difference, r->worse));
    }

  milestones = upg_retro_milestone_rows (UPG_RECORD (self->project));
  gray = upg_retro_gray_rows (UPG_RECORD (self->project), self->retro);
  for (guint i = 0; i < milestones->len; i++)
    {
      UpgRetroRow *r = milestones->pdata[i];
      g_autofree char *subtitle = NULL;

      if (g_strcmp0 (r->actual, _("not done")) == 0)
        /* Translators: a milestone's due date; it is not done */
        subtitle = g_strdup_printf (_("Due %s · not done"), r->planned);
      else
        /* Translators: a milestone's due and done dates */
        subtitle = g_strdup_printf (_("Due %s · done %s"), r->planned, r->actual);
      gtk_list_box_append (self->slips_list, compare_row (r->what, subtitle, r->difference, r->worse));
    }
  for (guint i = 0; i < gray->len; i++)
    {
      UpgRetroRow *r = gray->pdata[i];
      /* Translators: a gray stage; %s is its title */
      g_autofree char *title = g_strdup_printf (_("Gray stage: %s"), r->what);
      g_autofree char *subtitle = g_strdup_printf (_("Planned: %s"), r->planned);
      gtk_list_box_append (self->slips_list, compare_row (title, subtitle, r->actual, r->worse));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->slips_group), milestones->len + gray->len > 0);
}

static gboolean
refresh_idle_cb (gpointer data)
{
  UpgRetroPage *self = data;
  self->refresh_id = 0;
  refresh_compare (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (UpgRetroPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

static void
retro_notify_cb (UpgRecord    *retro,
                 GParamSpec   *pspec,
                 UpgRetroPage *self)
{
  queue_refresh (self);
}

/* ---- Items ----------------------------------------------------------------------- */

static char *
describe_item (UpgRecord *item)
{
  /* TRANSLATORS: a toast; %s is a retrospective item's text */
  return g_strdup_printf (_("“%s” removed"), upg_record_get_string (item, UPG_RETRO_ITEM_TEXT));
}

static void
update_item_row (UpgRecord  *item,
                 GParamSpec *pspec,
                 GtkWidget  *row)
{
  UpgRetroPage *self = g_object_get_data (G_OBJECT (row), "upg-page");
  const char *owner = upg_record_get_string (item, UPG_RETRO_ITEM_OWNER);
  const char *due = upg_record_get_string (item, UPG_RETRO_ITEM_DUE);
  const char *ticket = upg_record_get_string (item, UPG_RETRO_ITEM_TICKET);
  const char *carried = upg_record_get_string (item, UPG_RETRO_ITEM_CARRIED_TO);
  gboolean action = g_strcmp0 (upg_record_get_string (item, UPG_RETRO_ITEM_KIND), "action") == 0;
  g_autoptr(GString) subtitle = g_string_new (NULL);

  if (action)
    g_string_append (subtitle, upg_record_get_bool (item, UPG_RETRO_ITEM_DONE) ? _("Done") : _("Open"));
  if (owner && *owner)
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", owner);
  if (due && *due)
    {
      g_autofree char *d = g_strdup_printf (_("due %s"), due);
      g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", d);
    }
  if (ticket && *ticket)
    g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", ticket);
  if (carried && *carried && self != NULL && self->store != NULL)
    {
      g_autoptr(UpgProject) target = upg_store_find_project_by_uid (self->store, carried);
      g_autofree char *c = g_strdup_printf (_("in the checklist of “%s”"), target ? upg_project_get_name (target) : carried);
      g_string_append_printf (subtitle, "%s%s", subtitle->len ? " · " : "", c);
    }
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);

  if (pspec != NULL && g_str_equal (pspec->name, "kind") && self != NULL)
    for (guint k = 0; k < N_KINDS; k++)
      gtk_filter_changed (gtk_filter_list_model_get_filter (self->filtered[k]), GTK_FILTER_CHANGE_DIFFERENT);
}

/* The projects an action can be carried into: every other project. */
static GMenuModel *
carry_menu (UpgRetroPage *self, UpgRecord *item)
{
  GMenu *menu = g_menu_new ();
  GListModel *projects = upg_store_get_projects (self->store);

  for (guint i = 0, n = g_list_model_get_n_items (projects); i < n; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      g_autoptr(GMenuItem) entry = NULL;

      if (upg_record_get_id (project) == upg_record_get_id (UPG_RECORD (self->project)))
        continue;
      entry = g_menu_item_new (upg_record_get_string (project, UPG_PROJECT_NAME), NULL);
      g_menu_item_set_action_and_target_value (entry, "retro.carry",
                                               g_variant_new ("(xx)", upg_record_get_id (item),
                                                              upg_record_get_id (project)));
      g_menu_append_item (menu, entry);
    }
  return G_MENU_MODEL (menu);
}

static void
carry_popup_cb (GtkMenuButton *button,
                gpointer       user_data)
{
  UpgRetroPage *self = g_object_get_data (G_OBJECT (button), "upg-page");
  UpgRecord *item = user_data;
  g_autoptr(GMenuModel) menu = carry_menu (self, item);

  gtk_menu_button_set_menu_model (button, menu);
}

static void
update_carry_row (UpgRecord  *item,
                  GParamSpec *pspec,
                  GtkWidget  *row)
{
  gtk_widget_set_sensitive (row, upg_retro_item_can_carry (item));
}

static void
populate_item_row (GtkWidget *row,
                   gpointer   user_data)
{
  UpgRetroPage *self = user_data;
  UpgRecord *item = g_object_get_data (G_OBJECT (row), "upg-record");
  AdwExpanderRow *expander = ADW_EXPANDER_ROW (row);

  adw_expander_row_add_row (expander, upg_entry_row_new (item, UPG_RETRO_ITEM_TEXT, _("Text")));
  adw_expander_row_add_row (expander, upg_combo_row_new (item, UPG_RETRO_ITEM_KIND, _("Kind")));
  if (g_strcmp0 (upg_record_get_string (item, UPG_RETRO_ITEM_KIND), "action") == 0)
    {
      GtkWidget *carry = adw_action_row_new ();
      GtkWidget *button = gtk_menu_button_new ();

      adw_expander_row_add_row (expander, upg_entry_row_new (item, UPG_RETRO_ITEM_OWNER, _("Owner")));
      adw_expander_row_add_row (expander, upg_entry_row_new (item, UPG_RETRO_ITEM_DUE, _("Due")));
      adw_expander_row_add_row (expander, upg_entry_row_new (item, UPG_RETRO_ITEM_TICKET, _("Ticket")));
      adw_expander_row_add_row (expander, upg_switch_row_new (item, UPG_RETRO_ITEM_DONE, C_("action", "Done")));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (carry), _("Carry into a Checklist"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (carry),
                                   _("Add this action as a required step of another project’s checklist"));
      gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("Choose Project"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Carry into the checklist of a project"), -1);
      g_object_set_data (G_OBJECT (button), "upg-page", self);
      gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (button), carry_popup_cb, item, NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (carry), button);
      adw_expander_row_add_row (expander, carry);
      update_carry_row (item, NULL, carry);
      g_signal_connect_object (item, "notify", G_CALLBACK (update_carry_row), carry, 0);
    }
  upg_record_expander_add_actions (row, self->store, describe_item);
}

static GtkWidget *
create_item_row (gpointer item,
                 gpointer user_data)
{
  UpgRetroPage *self = user_data;
  GtkWidget *row = upg_record_expander_new (item);

  g_object_bind_property (item, "text", row, "title", G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (row), "upg-page", self);
  upg_record_expander_set_populate (row, populate_item_row, self);
  update_item_row (item, NULL, row);
  g_signal_connect_object (item, "notify", G_CALLBACK (update_item_row), row, 0);
  return row;
}

static gboolean
kind_filter_cb (gpointer item, gpointer user_data)
{
  return g_strcmp0 (upg_record_get_string (item, UPG_RETRO_ITEM_KIND), user_data) == 0;
}

/* ---- Building the section ----------------------------------------------------- */

static void
unbind (UpgRetroPage *self)
{
  for (guint k = 0; k < N_KINDS; k++)
    {
      gtk_list_box_bind_model (self->lists[k], NULL, NULL, NULL, NULL);
      gtk_filter_list_model_set_model (self->filtered[k], NULL);
    }
  for (guint i = 0; i < self->field_rows->len; i++)
    {
      GtkWidget *row = self->field_rows->pdata[i];
      AdwPreferencesGroup *group = g_object_get_data (G_OBJECT (row), "upg-group");
      adw_preferences_group_remove (group, row);
    }
  g_ptr_array_set_size (self->field_rows, 0);
  if (self->retro != NULL)
    g_signal_handlers_disconnect_by_func (self->retro, retro_notify_cb, self);
  g_clear_object (&self->retro);
  self->items = NULL;
}

static void
add_field_row (UpgRetroPage *self, AdwPreferencesGroup *group, GtkWidget *row)
{
  g_object_set_data (G_OBJECT (row), "upg-group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->field_rows, row);
}

/* Long text: a caption the eye finds, then the card. */
static void
add_text_card (UpgRetroPage *self, UpgRecord *retro, guint field, const char *title)
{
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 6);
  add_field_row (self, self->what_group, label);
  add_field_row (self, self->what_group, upg_text_card_new (retro, field, title));
}

static void
show_retro (UpgRetroPage *self)
{
  UpgRecord *retro = self->project ? upg_project_get_retro (self->project) : NULL;

  unbind (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "retro.start", self->project != NULL && retro == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "retro.print", retro != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), retro != NULL);
  if (retro == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  if (upg_record_get_children (retro, &upg_entity_retro_item) == NULL)
    {
      g_autoptr(GError) error = NULL;
      if (!upg_store_load_children (self->store, retro, &error))
        upg_show_toast (GTK_WIDGET (self), error->message);
    }
  self->retro = g_object_ref (retro);
  self->items = upg_record_get_children (retro, &upg_entity_retro_item);
  g_signal_connect (retro, "notify", G_CALLBACK (retro_notify_cb), self);

  add_field_row (self, self->day_group, upg_entry_row_new (retro, UPG_RETRO_HELD_ON, _("Held On")));
  add_field_row (self, self->day_group, upg_entry_row_new (retro, UPG_RETRO_FACILITATOR, _("Facilitator")));
  /* On the clocks of the project's zone, which the titles name. */
  add_field_row (self, self->day_group, upg_timestamp_row_new (retro, UPG_RETRO_ACTUAL_START, _("Actual Start"), NULL,
                                                               UPG_RECORD (self->project), UPG_PROJECT_TIME_ZONE));
  add_field_row (self, self->day_group, upg_timestamp_row_new (retro, UPG_RETRO_ACTUAL_END, _("Actual End"), NULL,
                                                               UPG_RECORD (self->project), UPG_PROJECT_TIME_ZONE));
  add_field_row (self, self->day_group, upg_spin_row_new (retro, UPG_RETRO_DOWNTIME_MINUTES, _("Downtime"),
                                                          _("Minutes the service was down"), 0, 100000));
  add_field_row (self, self->day_group, upg_switch_row_new (retro, UPG_RETRO_ROLLBACK_USED, _("Rollback Used")));
  add_field_row (self, self->day_group, upg_spin_row_new (retro, UPG_RETRO_ROLLBACK_MINUTES, _("Rollback Took"),
                                                          _("Minutes until service was restored"), 0, 100000));
  add_field_row (self, self->day_group, upg_spin_row_new (retro, UPG_RETRO_INCIDENTS, _("Incidents"), NULL, 0, 10000));
  add_text_card (self, retro, UPG_RETRO_ROOT_CAUSE, _("Root Cause"));
  add_text_card (self, retro, UPG_RETRO_DETECTION, _("How It Was Detected"));
  add_text_card (self, retro, UPG_RETRO_SUMMARY, _("Summary"));

  for (guint k = 0; k < N_KINDS; k++)
    {
      gtk_filter_list_model_set_model (self->filtered[k], self->items);
      gtk_list_box_bind_model (self->lists[k], G_LIST_MODEL (self->filtered[k]), create_item_row, self, NULL);
    }
  refresh_compare (self);
  gtk_stack_set_visible_child_name (self->stack, "retro");
}

static void
retro_list_changed_cb (GListModel   *model,
                       guint         position,
                       guint         removed,
                       guint         added,
                       UpgRetroPage *self)
{
  show_retro (self);
}

void
upg_retro_page_set_project (UpgRetroPage *self,
                            UpgStore     *store,
                            UpgProject   *project)
{
  g_return_if_fail (UPG_IS_RETRO_PAGE (self));

  unbind (self);
  if (self->retro_list != NULL)
    g_signal_handlers_disconnect_by_func (self->retro_list, retro_list_changed_cb, self);
  g_clear_object (&self->retro_list);
  g_set_object (&self->store, store);
  g_set_object (&self->project, project);
  if (project != NULL && upg_record_get_children (UPG_RECORD (project), &upg_entity_retro) == NULL)
    {
      g_autoptr(GError) error = NULL;
      if (!upg_store_load_children (store, UPG_RECORD (project), &error))
        upg_show_toast (GTK_WIDGET (self), error->message);
    }
  if (project != NULL)
    {
      self->retro_list = upg_record_get_children (UPG_RECORD (project), &upg_entity_retro);
      if (self->retro_list != NULL)
        {
          g_object_ref (self->retro_list);
          g_signal_connect (self->retro_list, "items-changed", G_CALLBACK (retro_list_changed_cb), self);
        }
    }
  show_retro (self);
}

UpgRecord *
upg_retro_page_get_retro (UpgRetroPage *self)
{
  g_return_val_if_fail (UPG_IS_RETRO_PAGE (self), NULL);
  return self->retro;
}

GtkListBox *
upg_retro_page_get_list (UpgRetroPage *self,
                         const char   *kind)
{
  int k = upg_enum_index (upg_retro_item_kinds, kind);
  g_return_val_if_fail (k >= 0 && k < N_KINDS, NULL);
  return self->lists[k];
}

/* ---- Actions -------------------------------------------------------------------- */

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!upg_store_write_finish (UPG_STORE (source), result, &error))
    upg_show_toast (widget, error->message);
  else
    /* The list's items-changed has shown it; say what was filled in. */
    upg_show_toast (widget, _("Retrospective started from the checklist, milestones and risks"));
}

static void
start_action (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgRetroPage *self = UPG_RETRO_PAGE (widget);

  if (self->project == NULL)
    return;
  upg_retro_start_async (self->store, self->project, NULL, started_cb, g_object_ref (widget));
}

static void
add_action (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgRetroPage *self = UPG_RETRO_PAGE (widget);
  const char *kind = g_variant_get_string (param, NULL);
  g_autoptr(UpgRecord) item = NULL;
  g_autoptr(GError) error = NULL;
  int k = upg_enum_index (upg_retro_item_kinds, kind);
  guint n;
  GtkListBoxRow *row;

  if (self->retro == NULL || k < 0 || k >= N_KINDS)
    return;
  item = upg_record_new (&upg_entity_retro_item);
  upg_record_set_string (item, UPG_RETRO_ITEM_KIND, kind);
  upg_record_set_string (item, UPG_RETRO_ITEM_TEXT, k == 3 ? _("New action") : _("New item"));
  if (!upg_store_insert (self->store, self->retro, item, -1, &error))
    {
      upg_show_toast (widget, error->message);
      return;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered[k]));
  row = n > 0 ? gtk_list_box_get_row_at_index (self->lists[k], n - 1) : NULL;
  if (row != NULL)
    {
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

static UpgRecord *
find_item (UpgRetroPage *self, gint64 id)
{
  return upg_record_list_find (self->items, id);
}

static void
carry_action (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgRetroPage *self = UPG_RETRO_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgRecord) item = NULL;
  g_autoptr(UpgProject) target = NULL;
  gint64 item_id, project_id;

  g_variant_get (param, "(xx)", &item_id, &project_id);
  item = find_item (self, item_id);
  target = upg_store_lookup_project (self->store, project_id, &error);
  if (item == NULL || target == NULL || self->project == NULL)
    return;
  upg_carry_action (widget, self->store, self->project, item_id, target, NULL);
}

static void
print_action (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgRetroPage *self = UPG_RETRO_PAGE (widget);
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->project == NULL)
    return;
  if (!upg_retro_print (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store, self->project, "retro", &error))
    upg_show_toast (widget, error->message);
}

/* ---- Class ------------------------------------------------------------------------ */

static void
upg_retro_page_dispose (GObject *object)
{
  UpgRetroPage *self = UPG_RETRO_PAGE (object);

  if (self->field_rows != NULL)
    unbind (self);
  if (self->retro_list != NULL)
    g_signal_handlers_disconnect_by_func (self->retro_list, retro_list_changed_cb, self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_object (&self->retro_list);
  g_clear_object (&self->store);
  g_clear_object (&self->project);
  for (guint k = 0; k < N_KINDS; k++)
    g_clear_object (&self->filtered[k]);
  G_OBJECT_CLASS (upg_retro_page_parent_class)->dispose (object);
}

static void
upg_retro_page_finalize (GObject *object)
{
  UpgRetroPage *self = UPG_RETRO_PAGE (object);

  g_clear_pointer (&self->field_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (upg_retro_page_parent_class)->finalize (object);
}

static void
upg_retro_page_class_init (UpgRetroPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_retro_page_dispose;
  object_class->finalize = upg_retro_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-retro-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgRetroPage, stack);
  gtk_widget_class_bind_template_child (widget_class, UpgRetroPage, page);
  gtk_widget_class_bind_template_child (widget_class, UpgRetroPage, compare_list);
  gtk_widget_class_bind_template_child (widget_class, UpgRetroPage, slips_list);
  gtk_widget_class_bind_template_child (widget_class, UpgRetroPage, slips_group);
  gtk_widget_class_bind_template_child (widget_class, UpgRetroPage, day_group);
  gtk_widget_class_bind_template_child (widget_class, UpgRetroPage, what_group);
  gtk_widget_class_bind_template_child (widget_class, UpgRetroPage, export_button);

  gtk_widget_class_install_action (widget_class, "retro.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "retro.add", "s", add_action);
  gtk_widget_class_install_action (widget_class, "retro.carry", "(xx)", carry_action);
  gtk_widget_class_install_action (widget_class, "retro.print", NULL, print_action);
}

static void
upg_retro_page_init (UpgRetroPage *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();

  self->field_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));

  /* The window's one export entry point (core's export table). */
  {
    static const struct { const char *label, *format; } formats[] = {
      { N_("_Markdown"), "md" }, { N_("_HTML"), "html" }, { N_("_PDF"), "pdf" },
      { N_("_CSV Spreadsheet (Actions)"), "csv" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
      {
        g_autoptr(GMenuItem) item = g_menu_item_new (_(formats[i].label), NULL);
        g_menu_item_set_action_and_target_value (item, "win.export-file",
                                                 g_variant_new ("(ss)", "retro", formats[i].format));
        g_menu_append_item (menu, item);
      }
  }
  gtk_menu_button_set_menu_model (self->export_button, G_MENU_MODEL (menu));

  for (guint k = 0; k < N_KINDS; k++)
    {
      GtkWidget *group = adw_preferences_group_new ();
      GtkWidget *list = gtk_list_box_new ();
      GtkWidget *add = gtk_button_new ();
      GtkWidget *content = adw_button_content_new ();
      GtkWidget *placeholder = gtk_label_new (_("Nothing yet"));
      GtkCustomFilter *filter = gtk_custom_filter_new (kind_filter_cb, (gpointer) upg_retro_item_kinds[k], NULL);
      g_autofree char *name = g_strdup_printf ("retro-%s-list", upg_retro_item_kinds[k]);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), kind_title (k));
      if (k == 3)
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                               _("Each with an owner and a due date; an open one can be carried into the next upgrade’s checklist."));
      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "list-add-symbolic");
      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _("_Add"));
      adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
      gtk_button_set_child (GTK_BUTTON (add), content);
      gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (add, "flat");
      upg_a11y_set_tooltip_name (add, kind_add_label (k));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (add), "retro.add");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (add), "s", upg_retro_item_kinds[k]);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group), add);

      gtk_widget_set_name (list, name);
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (list, "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, kind_title (k), -1);
      gtk_widget_add_css_class (placeholder, "dim-label");
      gtk_widget_set_margin_top (placeholder, 12);
      gtk_widget_set_margin_bottom (placeholder, 12);
      gtk_list_box_set_placeholder (GTK_LIST_BOX (list), placeholder);
      upg_record_list_add_shortcuts (GTK_LIST_BOX (list));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
      adw_preferences_page_add (self->page, ADW_PREFERENCES_GROUP (group));

      self->lists[k] = GTK_LIST_BOX (list);
      self->filtered[k] = gtk_filter_list_model_new (NULL, GTK_FILTER (filter));
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "retro.start", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "retro.print", FALSE);
  /* The plan may have changed in other sections: compare again when shown. */
  g_signal_connect (self, "map", G_CALLBACK (queue_refresh), NULL);
}

GtkWidget *
upg_retro_page_new (void)
{
  return g_object_new (UPG_TYPE_RETRO_PAGE, NULL);
}

/* upg-insights-view.c — learning across upgrades: the figures over every
 * project of the file as four charts (drawn by core's upg-draw.c), more
 * figures in rows, and every open action with its owner and due date, the
 * overdue ones marked. An open action can be carried into another project's
 * checklist from here too.
 */
#define G_LOG_DOMAIN "upg-ui"
#include "config.h"

#include <glib/gi18n.h>

#include "upg-a11y.h"
#include "upg-field-rows.h"
#include "upg-insights-view.h"
#include "upg-retro-export.h"
#include "core/upg-draw.h"
#include "core/upg-insights.h"
#include "core/upg-labels.h"
#include "core/upg-retro.h"

/* A long list is cut here; the export has every action. */
#define MAX_ACTION_ROWS 15

struct _UpgInsightsView
{
  AdwBin               parent_instance;

  UpgStore            *store;
  UpgInsights         *insights;
  char                *today;
  GCancellable        *reading;   /* a server's plan read in the store's thread */

  GtkStack            *stack;
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *figures_group;
  AdwPreferencesGroup *actions_group;
  GtkFlowBox          *tiles;
  GtkListBox          *more_list;
  GtkListBox          *actions_list;
  GtkWidget           *areas[UPG_INSIGHTS_N_TILES];
};

G_DEFINE_FINAL_TYPE (UpgInsightsView, upg_insights_view, ADW_TYPE_BIN)

static void
palette_from_style (GtkWidget *widget, UpgPalette *palette)
{
  static const struct { const char *name; gsize offset; const char *fallback; } colors[] = {
    { "accent_color", G_STRUCT_OFFSET (UpgPalette, accent), "#1c71d8" },
    { "success_color", G_STRUCT_OFFSET (UpgPalette, success), "#1b8553" },
    { "warning_color", G_STRUCT_OFFSET (UpgPalette, warning), "#9c6e03" },
    { "error_color", G_STRUCT_OFFSET (UpgPalette, error), "#c01c28" },
    { "card_bg_color", G_STRUCT_OFFSET (UpgPalette, bg), "#ffffff" },
  };
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  GdkRGBA fg;

  if (adw_style_manager_get_dark (adw_style_manager_get_default ()))
    upg_palette_init_dark (palette);
  else
    upg_palette_init_light (palette);
  gtk_style_context_get_color (context, &fg);
  palette->fg = (UpgColor) { fg.red, fg.green, fg.blue, fg.alpha };
  for (guint i = 0; i < G_N_ELEMENTS (colors); i++)
    {
      GdkRGBA rgba;
      if (!gtk_style_context_lookup_color (context, colors[i].name, &rgba))
        gdk_rgba_parse (&rgba, colors[i].fallback);
      *(UpgColor *) G_STRUCT_MEMBER_P (palette, colors[i].offset) = (UpgColor) { rgba.red, rgba.green, rgba.blue, rgba.alpha };
    }
}

static void
draw_tile_cb (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  UpgInsightsView *self = g_object_get_data (G_OBJECT (area), "upg-view");
  UpgInsightsTile tile = GPOINTER_TO_INT (user_data);
  g_autofree char *font = NULL;
  UpgPalette palette;

  if (self == NULL || self->insights == NULL)
    return;
  palette_from_style (GTK_WIDGET (area), &palette);
  font = pango_font_description_to_string (pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (area))));
  palette.font = font;
  upg_draw_insights_tile (cr, self->insights, tile, width, height, &palette);
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
value_row (const char *title, const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);
  g_autofree char *name = g_strdup_printf ("%s: %s", title, value);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_width_chars (GTK_LABEL (label), MIN (14, display_width (value)));
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* ---- Carrying an action ------------------------------------------------------- */

static void
carry_popup_cb (GtkMenuButton *button,
                gpointer       user_data)
{
  UpgInsightsView *self = g_object_get_data (G_OBJECT (button), "upg-view");
  UpgInsightsAction *a = user_data;
  g_autoptr(GMenu) menu = g_menu_new ();
  GListModel *projects = upg_store_get_projects (self->store);

  for (guint i = 0, n = g_list_model_get_n_items (projects); i < n; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      g_autoptr(GMenuItem) entry = NULL;

      if (upg_record_get_id (project) == upg_record_get_id (a->project))
        continue;
      entry = g_menu_item_new (upg_record_get_string (project, UPG_PROJECT_NAME), NULL);
      g_menu_item_set_action_and_target_value (entry, "insights.carry",
                                               g_variant_new ("(xx)", a->item_id,
                                                              upg_record_get_id (project)));
      g_menu_append_item (menu, entry);
    }
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

static GtkWidget *
action_row (UpgInsightsView *self, UpgInsightsAction *a)
{
  GtkWidget *row = adw_action_row_new ();
  const char *owner = a->owner;
  const char *due = a->due;
  const char *carried = a->carried_to;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autoptr(GString) name = g_string_new (a->text);

  g_string_append (subtitle, owner && *owner ? owner : _("No owner"));
  if (due && *due)
    g_string_append_printf (subtitle, " · %s", due);
  g_string_append_printf (subtitle, " · %s", upg_project_get_name (a->project));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), a->text);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  g_string_append_printf (name, "; %s", subtitle->str);

  if (a->overdue)
    {
      GtkWidget *pill = gtk_label_new (_("Overdue"));
      gtk_widget_add_css_class (pill, "upg-overdue-pill");
      gtk_widget_add_css_class (pill, "error");
      gtk_widget_add_css_class (pill, "caption-heading");
      gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), pill);
      g_string_append_printf (name, "; %s", _("overdue"));
    }
  if (carried && *carried)
    {
      g_autoptr(UpgProject) target = upg_store_find_project_by_uid (self->store, carried);
      g_autofree char *text = g_strdup_printf (_("In the checklist of “%s”"), target ? upg_project_get_name (target) : carried);
      GtkWidget *label = gtk_label_new (text);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      g_string_append_printf (name, "; %s", text);
    }
  else
    {
      GtkWidget *button = gtk_menu_button_new ();
      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "mail-forward-symbolic");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Carry into a Checklist"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Carry into the checklist of a project"), -1);
      g_object_set_data (G_OBJECT (button), "upg-view", self);
      gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (button), carry_popup_cb, a, NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name->str, -1);
  return row;
}

/* ---- Showing the figures -------------------------------------------------------------- */

static void
show_insights (UpgInsightsView *self)
{
  UpgInsights *in = self->insights;
  g_autofree char *description = NULL;

  clear_list (self->more_list);
  clear_list (self->actions_list);
  if (in == NULL || in->n_upgrades == 0)
    {
      /* Built when first needed: most files that open Insights have figures. */
      if (gtk_stack_get_child_by_name (self->stack, "empty") == NULL)
        {
          GtkWidget *status = adw_status_page_new ();
          adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "document-edit-symbolic");
          adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Nothing to Learn From Yet"));
          adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                           _("Insights gather what the retrospectives of every upgrade in this file say. "
                                             "Hold a retrospective after an upgrade to see them here."));
          gtk_stack_add_named (self->stack, status, "empty");
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%u project in this file, %u with a retrospective",
                                              "%u projects in this file, %u with a retrospective",
                                              in->n_projects),
                                 in->n_projects, in->n_upgrades);
  adw_preferences_group_set_description (self->figures_group, description);
  for (guint t = 0; t < UPG_INSIGHTS_N_TILES; t++)
    {
      g_autofree char *text = upg_insights_tile_describe (in, t);
      g_autofree char *name = g_strdup_printf ("%s: %s", upg_insights_tile_title (t), text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->areas[t]), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_widget_set_tooltip_text (self->areas[t], text);
      gtk_widget_queue_draw (self->areas[t]);
    }

  {
    g_autofree char *gray = g_strdup_printf (_("%u of %u"), in->n_gray_aborted, in->n_gray_stages);
    guint occurred = 0;
    g_autofree char *low = NULL;
    g_autofree char *overran = NULL;
    g_autofree char *failed = g_strdup_printf (_("%u of %u"), in->n_failed, in->n_upgrades);

    for (guint c = 0; c < 8; c++)
      occurred += in->occurred[c];
    low = g_strdup_printf (_("%u of %u"), in->occurred_low, occurred);
    if (in->n_overran > 0)
      {
        g_autofree char *total = upg_retro_format_minutes (in->overrun_total_minutes);
        g_autofree char *max = upg_retro_format_minutes (in->overrun_max_minutes);
        /* Translators: upgrades that ended late, of those with an actual end; total minutes; the longest */
        overran = g_strdup_printf (_("%u of %u · %s in all · longest %s"), in->n_overran, in->n_overrun_known, total, max);
      }
    else
      overran = g_strdup_printf (_("%u of %u"), in->n_overran, in->n_overrun_known);
    gtk_list_box_append (self->more_list, value_row (_("Upgrades rolled back or with incidents"), failed));
    gtk_list_box_append (self->more_list, value_row (_("Upgrades that ended late"), overran));
    gtk_list_box_append (self->more_list, value_row (_("Occurred risks that had been scored low"), low));
    gtk_list_box_append (self->more_list, value_row (_("Gray-release stages aborted"), gray));
  }

  {
    g_autofree char *heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u open, %u overdue",
                                                             "%u open, %u overdue", in->open_actions->len),
                                                in->open_actions->len, in->n_overdue);
    adw_preferences_group_set_description (self->actions_group, heading);
  }
  for (guint i = 0; i < in->open_actions->len && i < MAX_ACTION_ROWS; i++)
    gtk_list_box_append (self->actions_list, action_row (self, in->open_actions->pdata[i]));
  if (in->open_actions->len > MAX_ACTION_ROWS)
    {
      g_autofree char *more = g_strdup_printf (_("%u more in the exported insights"),
                                               in->open_actions->len - MAX_ACTION_ROWS);
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      gtk_list_box_append (self->actions_list, row);
    }
  if (in->open_actions->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No open actions"));
      gtk_list_box_append (self->actions_list, row);
    }
  gtk_stack_set_visible_child_name (self->stack, "insights");
}

static gpointer
insights_read (UpgStore  *store,
               gpointer   data,
               GError   **error)
{
  return upg_insights_load (store, data, error);
}

static void
insights_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  UpgInsights *in = upg_store_read_finish (UPG_STORE (source), result, &error);
  UpgInsightsView *self;

  if (in == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* gone, or read again */
  self = user_data;
  g_clear_object (&self->reading);
  if (in == NULL)
    {
      upg_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  g_clear_pointer (&self->insights, upg_insights_free);
  self->insights = in;
  show_insights (self);
}

/* The loading page, while a server's plan is read. */
static void
show_loading (UpgInsightsView *self)
{
  if (gtk_stack_get_child_by_name (self->stack, "loading") == NULL)
    {
      GtkWidget *status = adw_status_page_new ();
      GtkWidget *spinner = gtk_spinner_new ();

      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Reading Every Upgrade…"));
      gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
      gtk_widget_set_size_request (spinner, 32, 32);
      gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading"), -1);
      adw_status_page_set_child (ADW_STATUS_PAGE (status), spinner);
      gtk_stack_add_named (self->stack, status, "loading");
    }
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

gboolean
upg_insights_view_reload (UpgInsightsView  *self,
                          GError          **error)
{
  UpgInsights *in;

  g_return_val_if_fail (UPG_IS_INSIGHTS_VIEW (self), FALSE);
  if (self->store == NULL)
    return TRUE;
  /* A team server's plan is read in the store's thread: the window goes
   * on meanwhile (what went wrong is told in a toast). */
  if (upg_store_is_server (self->store))
    {
      if (self->reading != NULL)
        g_cancellable_cancel (self->reading);
      g_set_object (&self->reading, g_cancellable_new ());
      g_object_unref (self->reading);
      if (self->insights == NULL)
        show_loading (self);
      upg_store_read_async (self->store, insights_read, g_strdup (self->today), g_free,
                            (GDestroyNotify) upg_insights_free, self->reading, insights_read_cb, self);
      return TRUE;
    }
  in = upg_insights_load (self->store, self->today, error);
  if (in == NULL)
    return FALSE;
  g_clear_pointer (&self->insights, upg_insights_free);
  self->insights = in;
  show_insights (self);
  return TRUE;
}

void
upg_insights_view_set_store (UpgInsightsView *self,
                             UpgStore        *store,
                             const char      *today)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (UPG_IS_INSIGHTS_VIEW (self));
  g_set_object (&self->store, store);
  g_free (self->today);
  self->today = g_strdup (today);
  g_clear_pointer (&self->insights, upg_insights_free);
  if (!upg_insights_view_reload (self, &error))
    upg_show_toast (GTK_WIDGET (self), error->message);
}

const UpgInsights *
upg_insights_view_get_insights (UpgInsightsView *self)
{
  g_return_val_if_fail (UPG_IS_INSIGHTS_VIEW (self), NULL);
  return self->insights;
}

GtkWidget *
upg_insights_view_get_tile (UpgInsightsView *self,
                            guint            tile)
{
  g_return_val_if_fail (tile < UPG_INSIGHTS_N_TILES, NULL);
  return self->areas[tile];
}

GtkListBox *
upg_insights_view_get_actions_list (UpgInsightsView *self)
{
  return self->actions_list;
}

/* ---- Actions -------------------------------------------------------------------------- */

/* Shown as carried (the figures are read again when next shown). */
static void
carried (GtkWidget  *widget,
         gint64      item_id,
         const char *target_uid)
{
  UpgInsightsView *self = UPG_INSIGHTS_VIEW (widget);

  for (guint i = 0; self->insights && i < self->insights->open_actions->len; i++)
    {
      UpgInsightsAction *a = self->insights->open_actions->pdata[i];

      if (a->item_id == item_id)
        {
          g_free (a->carried_to);
          a->carried_to = g_strdup (target_uid);
        }
    }
  show_insights (self);
}

static void
carry_action (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgInsightsView *self = UPG_INSIGHTS_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgProject) from = NULL;
  g_autoptr(UpgProject) target = NULL;
  UpgInsightsAction *action = NULL;
  gint64 item_id, project_id;

  g_variant_get (param, "(xx)", &item_id, &project_id);
  for (guint i = 0; self->insights && i < self->insights->open_actions->len; i++)
    {
      UpgInsightsAction *a = self->insights->open_actions->pdata[i];
      if (a->item_id == item_id)
        action = a;
    }
  if (action == NULL)
    return;
  /* The window's own records (insights from a server were read by the
   * store's thread, on records of its own). */
  from = upg_store_lookup_project (self->store, upg_record_get_id (action->project), &error);
  target = from ? upg_store_lookup_project (self->store, project_id, &error) : NULL;
  if (target == NULL)
    {
      upg_show_toast (widget, error->message);
      return;
    }
  upg_carry_action (widget, self->store, from, item_id, target, carried);
}

static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgInsightsView *self = UPG_INSIGHTS_VIEW (widget);

  if (self->store != NULL)
    upg_retro_export_to_file (widget, self->store, NULL, "insights", g_variant_get_string (param, NULL));
}

static void
style_changed_cb (UpgInsightsView *self)
{
  for (guint t = 0; t < UPG_INSIGHTS_N_TILES; t++)
    gtk_widget_queue_draw (self->areas[t]);
}

/* ---- Class ------------------------------------------------------------------------------ */

static void
upg_insights_view_dispose (GObject *object)
{
  UpgInsightsView *self = UPG_INSIGHTS_VIEW (object);

  g_signal_handlers_disconnect_by_func (adw_style_manager_get_default (), style_changed_cb, self);
  if (self->reading != NULL)
    g_cancellable_cancel (self->reading);
  g_clear_object (&self->reading);
  g_clear_pointer (&self->insights, upg_insights_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->today, g_free);
  G_OBJECT_CLASS (upg_insights_view_parent_class)->dispose (object);
}

static void
upg_insights_view_class_init (UpgInsightsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_insights_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-insights-view.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgInsightsView, stack);
  gtk_widget_class_bind_template_child (widget_class, UpgInsightsView, page);
  gtk_widget_class_bind_template_child (widget_class, UpgInsightsView, figures_group);
  gtk_widget_class_bind_template_child (widget_class, UpgInsightsView, actions_group);
  gtk_widget_class_bind_template_child (widget_class, UpgInsightsView, tiles);
  gtk_widget_class_bind_template_child (widget_class, UpgInsightsView, more_list);
  gtk_widget_class_bind_template_child (widget_class, UpgInsightsView, actions_list);

  gtk_widget_class_install_action (widget_class, "insights.carry", "(xx)", carry_action);
  gtk_widget_class_install_action (widget_class, "insights.export", "s", export_action);
}

static void
upg_insights_view_init (UpgInsightsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));

  for (guint t = 0; t < UPG_INSIGHTS_N_TILES; t++)
    {
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *title = gtk_label_new (upg_insights_tile_title (t));
      GtkWidget *area = gtk_drawing_area_new ();

      gtk_widget_add_css_class (card, "card");
      gtk_widget_set_margin_top (title, 12);
      gtk_widget_set_margin_start (title, 12);
      gtk_widget_set_margin_end (title, 12);
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_widget_add_css_class (title, "heading");
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), UPG_INSIGHTS_TILE_HEIGHT - 30);
      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 260);
      gtk_widget_set_hexpand (area, TRUE);
      gtk_widget_set_margin_start (area, 6);
      gtk_widget_set_margin_end (area, 6);
      gtk_widget_set_margin_bottom (area, 8);
      gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      upg_insights_tile_title (t), -1);
      g_object_set_data (G_OBJECT (area), "upg-view", self);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_tile_cb, GINT_TO_POINTER (t), NULL);
      gtk_box_append (GTK_BOX (card), title);
      gtk_box_append (GTK_BOX (card), area);
      gtk_flow_box_append (self->tiles, card);
      self->areas[t] = area;
    }
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (style_changed_cb), self);
}

GtkWidget *
upg_insights_view_new (void)
{
  return g_object_new (UPG_TYPE_INSIGHTS_VIEW, NULL);
}

/* ---- The window ------------------------------------------------------------------------------ */

static void
window_export_cb (GSimpleAction   *action,
                  GVariant        *param,
                  UpgInsightsView *view)
{
  export_action (GTK_WIDGET (view), "insights.export", param);
}

GtkWindow *
upg_insights_window_new (GtkWindow *parent,
                         UpgStore  *store)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *view = upg_insights_view_new ();
  GtkWidget *export = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();

  gtk_window_set_title (GTK_WINDOW (window), _("Insights"));
  gtk_window_set_default_size (GTK_WINDOW (window), 760, 760);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), parent);
      gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (parent));
    }
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);

  g_menu_append (menu, _("_Markdown"), "insights.export::md");
  g_menu_append (menu, _("_CSV Spreadsheet"), "insights.export::csv");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (export), "document-save-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (export), G_MENU_MODEL (menu));
  upg_a11y_set_tooltip_name (export, _("Export Insights"));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), export);

  gtk_box_append (GTK_BOX (box), header);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), view);
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_box_append (GTK_BOX (box), overlay);
  adw_window_set_content (ADW_WINDOW (window), box);
  /* The header's export menu reaches the view's action through the window. */
  {
    g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
    g_autoptr(GSimpleAction) action = g_simple_action_new ("export", G_VARIANT_TYPE_STRING);
    g_signal_connect_object (action, "activate", G_CALLBACK (window_export_cb), view, 0);
    g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
    gtk_widget_insert_action_group (window, "insights", G_ACTION_GROUP (group));
  }
  upg_insights_view_set_store (UPG_INSIGHTS_VIEW (view), store, NULL);
  return GTK_WINDOW (window);
}

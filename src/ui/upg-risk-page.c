/* upg-risk-page.c — the project's Risks section: heat map, filters, register.
 *
 * The register is the project's risk list → a filter (level, category,
 * status, heat map cell) → the column view's sorter → a single selection.
 * Every risk is watched, so an edit anywhere recounts the map, refilters the
 * register and rechecks the warnings.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/upg-export.h"
#include "core/upg-labels.h"
#include "core/upg-output.h"
#include "core/upg-risk.h"
#include "upg-a11y.h"
#include "upg-heat-map.h"
#include "upg-field-rows.h"
#include "upg-risk-editor.h"
#include "upg-risk-page.h"
#include "upg-thresholds-group.h"

struct _UpgRiskPage
{
  AdwBin               parent_instance;

  UpgStore            *store;
  UpgProject          *project;
  GListModel          *risks;
  gulong               items_changed_id;
  GPtrArray           *watched;        /* risks whose notify we follow */
  UpgRiskThresholds    thresholds;
  GSettings           *settings;
  UpgDeletion         *undo;
  GMenu               *library_menu;
  gboolean             compact;        /* the register shows its first columns only */
  guint                compact_id;
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filtered;
  GtkSortListModel    *sorted;
  GtkSingleSelection  *selection;
  GtkColumnViewColumn *score_column;

  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  GtkMenuButton       *library_button;
  GtkMenuButton       *empty_library_button;
  GtkLabel            *summary_label;
  GtkListBox          *warnings_list;
  UpgHeatMap          *heat_map;
  AdwComboRow         *level_filter_row;
  AdwComboRow         *category_filter_row;
  AdwComboRow         *status_filter_row;
  AdwActionRow        *cell_filter_row;
  GtkColumnView       *register_view;
};

G_DEFINE_FINAL_TYPE (UpgRiskPage, upg_risk_page, ADW_TYPE_BIN)

static const char * const level_classes[] = { "low", "medium", "high", "critical" };

/* ---- What the rows show ------------------------------------------------ */

static int
risk_int (UpgRisk *risk, guint field)
{
  return upg_record_get_int (UPG_RECORD (risk), field);
}

static char *
score_text (UpgRiskPage *self,
            int          score)
{
  UpgRiskLevel level = upg_risk_level_for_score (score, &self->thresholds);

  if (level == UPG_RISK_LEVEL_NONE)
    return g_strdup ("—");
  return g_strdup (upg_risk_level_label (level));
}

/* Closures of the column expressions: `this` is the GtkListItem, then the
 * parameters, then the page. */
static char *
enum_label_cb (GObject *item, const char *word, gpointer data)
{
  const char * const *values = data;
  return g_strdup (word ? upg_enum_label (values, word) : "");
}

static char *
owner_text_cb (GObject *item, const char *owner, gpointer data)
{
  return g_strdup (owner != NULL && *owner ? owner : "—");
}

static char *
likelihood_text_cb (GObject *item, int value, gpointer data)
{
  if (value < 1)
    return g_strdup ("");
  /* Translators: a step of the likelihood or impact scale, e.g. "4 · Likely" */
  return g_strdup_printf (_("%d · %s"), value, upg_risk_likelihood_label (value));
}

static char *
impact_text_cb (GObject *item, int value, gpointer data)
{
  if (value < 1)
    return g_strdup ("");
  return g_strdup_printf (_("%d · %s"), value, upg_risk_impact_label (value));
}

static char *
score_number_cb (GObject *item, int l, int i, gpointer data)
{
  int score = upg_risk_score (l, i);
  return score > 0 ? g_strdup_printf ("%d", score) : g_strdup ("—");
}

static char *
level_text_cb (GObject *item, int l, int i, gpointer data)
{
  return score_text (data, upg_risk_score (l, i));
}

static char *
residual_text_cb (GObject *item, int l, int i, gpointer data)
{
  UpgRiskPage *self = data;
  int score = upg_risk_score (l, i);
  g_autofree char *level = NULL;

  if (score == 0)
    return g_strdup ("—");
  level = score_text (self, score);
  /* Translators: a risk's score and level, e.g. "10 · High" */
  return g_strdup_printf (_("%d · %s"), score, level);
}

static char **
level_classes_cb (GObject *item, int l, int i, gpointer data)
{
  UpgRiskPage *self = data;
  UpgRiskLevel level = upg_risk_level_for_score (upg_risk_score (l, i), &self->thresholds);
  GStrvBuilder *builder = g_strv_builder_new ();
  char **classes;

  g_strv_builder_add (builder, "risk-level");
  if (level != UPG_RISK_LEVEL_NONE)
    g_strv_builder_add (builder, level_classes[level]);
  classes = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return classes;
}

/* Sort keys, evaluated on the risk itself. */
static int
score_key_cb (UpgRisk *risk, gpointer data)
{
  return upg_risk_get_score (risk);
}

static int
residual_key_cb (UpgRisk *risk, gpointer data)
{
  return upg_risk_get_residual_score (risk);
}

static int
status_key_cb (UpgRisk *risk, gpointer data)
{
  return upg_enum_index (upg_risk_statuses, upg_record_get_string (UPG_RECORD (risk), UPG_RISK_STATUS));
}

static char *
category_key_cb (UpgRisk *risk, gpointer data)
{
  return g_strdup (upg_enum_label (upg_risk_categories, upg_record_get_string (UPG_RECORD (risk), UPG_RISK_CATEGORY)));
}

static char *
owner_key_cb (UpgRisk *risk, gpointer data)
{
  const char *owner = upg_record_get_string (UPG_RECORD (risk), UPG_RISK_OWNER);
  return g_strdup (owner ? owner : "");
}

typedef enum {
  COL_TITLE, COL_CATEGORY, COL_LIKELIHOOD, COL_IMPACT, COL_SCORE, COL_LEVEL,
  COL_RESIDUAL, COL_OWNER, COL_STATUS, N_COLUMNS
} Column;

static GtkExpression *
item_property (const char *name)
{
  return gtk_property_expression_new (UPG_TYPE_RISK,
                                      gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item"),
                                      name);
}

static GtkExpression *
pair_expression (GType        type,
                 const char  *first,
                 const char  *second,
                 GCallback    callback,
                 gpointer     data)
{
  GtkExpression *params[2] = { item_property (first), item_property (second) };
  return gtk_cclosure_expression_new (type, NULL, 2, params, callback, data, NULL);
}

static GtkExpression *
single_expression (const char *property,
                   GCallback   callback,
                   gpointer    data)
{
  GtkExpression *params[1] = { item_property (property) };
  return gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, params, callback, data, NULL);
}

/* GTK 4.8 gives the register's rows no name: the title cell names its row
 * (cell → GtkColumnViewCell → row), as a screen reader should read it. */
static void
title_label_changed_cb (GtkLabel   *label,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  GtkWidget *cell = gtk_widget_get_parent (GTK_WIDGET (label));
  GtkWidget *row = cell ? gtk_widget_get_parent (cell) : NULL;

  if (row != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    gtk_label_get_label (label), -1);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               UpgRiskPage              *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  GtkWidget *label = gtk_label_new (NULL);
  GtkExpression *text = NULL;

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  /* Enough to read a word before the ellipsis; in a narrow window the
   * register scrolls sideways instead. */
  gtk_label_set_width_chars (GTK_LABEL (label), 7);

  switch (column)
    {
    case COL_TITLE:
      text = item_property ("title");
      gtk_label_set_width_chars (GTK_LABEL (label), 18);
      g_signal_connect (label, "notify::label", G_CALLBACK (title_label_changed_cb), NULL);
      break;
    case COL_CATEGORY:
      text = single_expression ("category", G_CALLBACK (enum_label_cb), (gpointer) upg_risk_categories);
      break;
    case COL_LIKELIHOOD:
      text = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, (GtkExpression *[]) { item_property ("likelihood") },
                                          G_CALLBACK (likelihood_text_cb), NULL, NULL);
      break;
    case COL_IMPACT:
      text = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 1, (GtkExpression *[]) { item_property ("impact") },
                                          G_CALLBACK (impact_text_cb), NULL, NULL);
      break;
    case COL_SCORE:
      text = pair_expression (G_TYPE_STRING, "likelihood", "impact", G_CALLBACK (score_number_cb), self);
      gtk_label_set_xalign (GTK_LABEL (label), 1.0);
      gtk_widget_add_css_class (label, "numeric");
      break;
    case COL_LEVEL:
      text = pair_expression (G_TYPE_STRING, "likelihood", "impact", G_CALLBACK (level_text_cb), self);
      /* A pill with one word: never cut it short. */
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
      gtk_label_set_width_chars (GTK_LABEL (label), -1);
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_expression_bind (pair_expression (G_TYPE_STRV, "likelihood", "impact", G_CALLBACK (level_classes_cb), self),
                           label, "css-classes", item);
      break;
    case COL_RESIDUAL:
      text = pair_expression (G_TYPE_STRING, "residual-likelihood", "residual-impact", G_CALLBACK (residual_text_cb), self);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
      gtk_widget_add_css_class (label, "numeric");
      break;
    case COL_OWNER:
      text = single_expression ("owner", G_CALLBACK (owner_text_cb), NULL);
      break;
    case COL_STATUS:
      text = single_expression ("status", G_CALLBACK (enum_label_cb), (gpointer) upg_risk_statuses);
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
  gtk_expression_bind (text, label, "label", item);
  gtk_list_item_set_child (item, label);
}

static GtkSorter *
int_sorter (GCallback key)
{
  return GTK_SORTER (gtk_numeric_sorter_new (gtk_cclosure_expression_new (G_TYPE_INT, NULL, 0, NULL, key, NULL, NULL)));
}

static GtkSorter *
string_sorter (GCallback key)
{
  return GTK_SORTER (gtk_string_sorter_new (gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL, key, NULL, NULL)));
}

static void
add_columns (UpgRiskPage *self)
{
  struct { const char *title; gboolean expand; } columns[N_COLUMNS] = {
    { C_("column", "Title"), TRUE },
    { C_("column", "Category"), FALSE },
    { C_("column", "Likelihood"), FALSE },
    { C_("column", "Impact"), FALSE },
    { C_("column", "Score"), FALSE },
    { C_("column", "Level"), FALSE },
    { C_("column", "Residual"), FALSE },
    { C_("column", "Owner"), FALSE },
    { C_("column", "Status"), FALSE },
  };

  for (Column c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      GtkSorter *sorter = NULL;

      g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
      column = gtk_column_view_column_new (columns[c].title, factory);
      gtk_column_view_column_set_expand (column, columns[c].expand);
      gtk_column_view_column_set_resizable (column, TRUE);

      switch (c)
        {
        case COL_TITLE:
          sorter = GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (UPG_TYPE_RISK, NULL, "title")));
          break;
        case COL_CATEGORY: sorter = string_sorter (G_CALLBACK (category_key_cb)); break;
        case COL_LIKELIHOOD:
          sorter = GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (UPG_TYPE_RISK, NULL, "likelihood")));
          break;
        case COL_IMPACT:
          sorter = GTK_SORTER (gtk_numeric_sorter_new (gtk_property_expression_new (UPG_TYPE_RISK, NULL, "impact")));
          break;
        case COL_SCORE:
        case COL_LEVEL: sorter = int_sorter (G_CALLBACK (score_key_cb)); break;
        case COL_RESIDUAL: sorter = int_sorter (G_CALLBACK (residual_key_cb)); break;
        case COL_OWNER: sorter = string_sorter (G_CALLBACK (owner_key_cb)); break;
        case COL_STATUS: sorter = int_sorter (G_CALLBACK (status_key_cb)); break;
        case N_COLUMNS:
        default:
          g_assert_not_reached ();
        }
      gtk_column_view_column_set_sorter (column, sorter);
      gtk_column_view_append_column (self->register_view, column);
      if (c == COL_SCORE)
        self->score_column = column;
      g_object_unref (sorter);
      g_object_unref (column);
    }
}

/* ---- Filtering ----------------------------------------------------------- */

static gboolean
filter_match_cb (gpointer item,
                 gpointer data)
{
  UpgRiskPage *self = data;
  UpgRisk *risk = item;
  guint level = adw_combo_row_get_selected (self->level_filter_row);
  guint category = adw_combo_row_get_selected (self->category_filter_row);
  guint status = adw_combo_row_get_selected (self->status_filter_row);
  int sel_l, sel_i;

  /* Row 0 of each filter is "All". */
  if (level != 0 && level != GTK_INVALID_LIST_POSITION &&
      upg_risk_level_for_score (upg_risk_get_score (risk), &self->thresholds) != (UpgRiskLevel) (level - 1))
    return FALSE;
  if (category != 0 && category != GTK_INVALID_LIST_POSITION &&
      g_strcmp0 (upg_record_get_string (UPG_RECORD (risk), UPG_RISK_CATEGORY), upg_risk_categories[category - 1]) != 0)
    return FALSE;
  if (status != 0 && status != GTK_INVALID_LIST_POSITION &&
      g_strcmp0 (upg_record_get_string (UPG_RECORD (risk), UPG_RISK_STATUS), upg_risk_statuses[status - 1]) != 0)
    return FALSE;

  upg_heat_map_get_selection (self->heat_map, &sel_l, &sel_i);
  if (sel_l != 0)
    {
      int l, i;

      if (upg_heat_map_get_residual (self->heat_map))
        upg_risk_get_effective_residual (risk, &l, &i);
      else
        {
          l = risk_int (risk, UPG_RISK_LIKELIHOOD);
          i = risk_int (risk, UPG_RISK_IMPACT);
        }
      if (l != sel_l || i != sel_i)
        return FALSE;
    }
  return TRUE;
}

/* The filters that are on, as people read them ("High, Likely × Major"). */
static char *
describe_filters (UpgRiskPage *self)
{
  AdwComboRow *rows[] = { self->level_filter_row, self->category_filter_row, self->status_filter_row };
  g_autoptr(GString) text = g_string_new (NULL);
  int l, i;

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      guint selected = adw_combo_row_get_selected (rows[r]);
      GObject *item = adw_combo_row_get_selected_item (rows[r]);

      if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || !GTK_IS_STRING_OBJECT (item))
        continue;
      if (text->len > 0)
        g_string_append (text, C_("list separator", ", "));
      g_string_append (text, gtk_string_object_get_string (GTK_STRING_OBJECT (item)));
    }
  upg_heat_map_get_selection (self->heat_map, &l, &i);
  if (l != 0)
    {
      if (text->len > 0)
        g_string_append (text, C_("list separator", ", "));
      /* Translators: a heat map cell, likelihood × impact, e.g. "Likely × Major" */
      g_string_append_printf (text, _("%s × %s"), upg_risk_likelihood_label (l), upg_risk_impact_label (i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_summary (UpgRiskPage *self)
{
  guint total = self->risks ? g_list_model_get_n_items (self->risks) : 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *text = NULL;

  if (shown == 0 && total > 0)
    {
      g_autofree char *filters = describe_filters (self);
      /* Translators: the register when the filters hide every risk; %u is
       * how many risks there are, %s the filters ("High, Likely × Major") */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No risk of %u matches the filters: %s",
                                           "No risk of %u matches the filters: %s", total), total, filters);
    }
  else if (shown == total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u risk", "%u risks", total), total);
  else
    /* Translators: how many risks the filters show, e.g. "2 of 5 risks" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u risk", "%u of %u risks", total), shown, total);
  gtk_label_set_label (self->summary_label, text);
}

static void
update_cell_filter_row (UpgRiskPage *self)
{
  int l, i;

  upg_heat_map_get_selection (self->heat_map, &l, &i);
  if (l == 0)
    adw_action_row_set_subtitle (self->cell_filter_row, _("All cells; choose one in the heat map"));
  else
    {
      /* Translators: a heat map cell, likelihood × impact, e.g. "Likely × Major" */
      g_autofree char *text = g_strdup_printf (_("%s × %s"), upg_risk_likelihood_label (l), upg_risk_impact_label (i));
      adw_action_row_set_subtitle (self->cell_filter_row, text);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "risks.clear-cell", l != 0);
}

static void
refilter (UpgRiskPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_summary (self);
}

static void
filter_row_changed_cb (AdwComboRow *row,
                       GParamSpec  *pspec,
                       UpgRiskPage *self)
{
  refilter (self);
}

static void
cell_selection_changed_cb (UpgRiskPage *self)
{
  update_cell_filter_row (self);
  refilter (self);
}

/* ---- Warnings ------------------------------------------------------------ */

static void
update_warnings (UpgRiskPage *self)
{
  GtkWidget *child;
  GListModel *team;
  guint n = self->risks ? g_list_model_get_n_items (self->risks) : 0;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->warnings_list))) != NULL)
    gtk_list_box_remove (self->warnings_list, child);

  team = self->project ? upg_record_get_children (UPG_RECORD (self->project), &upg_entity_member) : NULL;
  for (guint k = 0; k < n; k++)
    {
      g_autoptr(UpgRisk) risk = g_list_model_get_item (self->risks, k);
      g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) upg_warning_free);

      upg_risk_check (risk, team, &self->thresholds, warnings);
      for (guint w = 0; w < warnings->len; w++)
        {
          UpgWarning *warning = warnings->pdata[w];
          GtkWidget *row = adw_action_row_new ();
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
          GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), warning->message);
          adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
          gtk_widget_add_css_class (icon, "warning-icon");
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Warning"), -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          gtk_widget_set_tooltip_text (row, _("Edit this risk"));
          g_object_set_data_full (G_OBJECT (row), "risk", g_object_ref (risk), g_object_unref);
          gtk_list_box_append (self->warnings_list, row);
          shown++;
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->warnings_list), shown > 0);
}

/* ---- Following the risks ------------------------------------------------- */

static void
refresh (UpgRiskPage *self)
{
  guint n = self->risks ? g_list_model_get_n_items (self->risks) : 0;

  upg_heat_map_update (self->heat_map);
  refilter (self);
  if (self->sorted != NULL)
    {
      GtkSorter *sorter = gtk_sort_list_model_get_sorter (self->sorted);
      if (sorter != NULL)
        gtk_sorter_changed (sorter, GTK_SORTER_CHANGE_DIFFERENT);
    }
  update_warnings (self);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "risks" : "empty");
}

static void
risk_notify_cb (UpgRisk     *risk,
                GParamSpec  *pspec,
                UpgRiskPage *self)
{
  refresh (self);
}

static void
unwatch_all (UpgRiskPage *self)
{
  for (guint k = 0; k < self->watched->len; k++)
    g_signal_handlers_disconnect_by_func (self->watched->pdata[k], risk_notify_cb, self);
  g_ptr_array_set_size (self->watched, 0);
}

static void
watch_all (UpgRiskPage *self)
{
  guint n = self->risks ? g_list_model_get_n_items (self->risks) : 0;

  unwatch_all (self);
  for (guint k = 0; k < n; k++)
    {
      UpgRisk *risk = g_list_model_get_item (self->risks, k);
      g_signal_connect (risk, "notify", G_CALLBACK (risk_notify_cb), self);
      g_ptr_array_add (self->watched, risk);
    }
}

static void
risks_changed_cb (GListModel  *model,
                  guint        position,
                  guint        removed,
                  guint        added,
                  UpgRiskPage *self)
{
  watch_all (self);
  refresh (self);
}

/* ---- Actions ------------------------------------------------------------- */

/* Toast titles are Pango markup in libadwaita 1.2: escape user text. */
static AdwToast *
toast_new_text (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  return adw_toast_new (escaped);
}

static void
show_toast (UpgRiskPage *self,
            AdwToast    *toast)
{
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
toast_error (UpgRiskPage *self,
             const char  *message)
{
  AdwToast *toast = toast_new_text (message);
  adw_toast_set_timeout (toast, 0);
  show_toast (self, toast);
}

static void
delete_risk (UpgRiskPage *self,
             UpgRisk     *risk)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgRisk) hold G_GNUC_UNUSED = g_object_ref (risk);
  UpgDeletion *undo = NULL;
  AdwToast *toast;
  g_autofree char *title = NULL;

  if (!upg_store_delete (self->store, UPG_RECORD (risk), &undo, &error))
    {
      toast_error (self, error->message);
      return;
    }
  g_clear_pointer (&self->undo, upg_deletion_free);
  self->undo = undo;

  /* Translators: shown after deleting a risk; %s is its title */
  title = g_strdup_printf (_("“%s” deleted"), upg_record_get_string (UPG_RECORD (risk), UPG_RISK_TITLE));
  toast = toast_new_text (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "risks.undo-delete");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  show_toast (self, toast);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "risks.undo-delete", TRUE);
}

static void
editor_delete_requested_cb (UpgRiskEditor *editor,
                            UpgRiskPage   *self)
{
  if (self->store != NULL)
    delete_risk (self, upg_risk_editor_get_risk (editor));
}

static GtkWindow *
parent_window (UpgRiskPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* A risk just added that the filters hide: the filters are cleared, so it
 * shows, and a toast says so. */
static gboolean
editor_close_request_cb (UpgRiskEditor *editor,
                         UpgRiskPage   *self)
{
  UpgRisk *risk = upg_risk_editor_get_risk (editor);
  g_autofree char *text = NULL;

  /* Opened for a new risk, and added (it is in the list: on a team
   * server before the server has given it an id). */
  if (risk == NULL || !g_object_get_data (G_OBJECT (editor), "upg-new-risk") ||
      upg_record_get_container (UPG_RECORD (risk)) == NULL || filter_match_cb (risk, self))
    return FALSE;
  adw_combo_row_set_selected (self->level_filter_row, 0);
  adw_combo_row_set_selected (self->category_filter_row, 0);
  adw_combo_row_set_selected (self->status_filter_row, 0);
  upg_heat_map_select (self->heat_map, 0, 0);
  refilter (self);
  /* Translators: a toast; %s is the title of a risk just added */
  text = g_strdup_printf (_("Filters cleared to show “%s”"), upg_record_get_string (UPG_RECORD (risk), UPG_RISK_TITLE));
  show_toast (self, toast_new_text (text));
  return FALSE;   /* and it closes */
}

static void
open_editor (UpgRiskPage *self,
             UpgRisk     *risk)
{
  GtkWidget *editor;

  if (self->store == NULL || self->project == NULL)
    return;
  editor = upg_risk_editor_new (parent_window (self), self->store, self->project, risk, &self->thresholds);
  g_signal_connect_object (editor, "delete-requested", G_CALLBACK (editor_delete_requested_cb), self, 0);
  g_object_set_data (G_OBJECT (editor), "upg-new-risk", GINT_TO_POINTER (risk == NULL));
  g_signal_connect_object (editor, "close-request", G_CALLBACK (editor_close_request_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static UpgRisk *
selected_risk (UpgRiskPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
add_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  open_editor (UPG_RISK_PAGE (widget), NULL);
}

static void
edit_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgRiskPage *self = UPG_RISK_PAGE (widget);
  UpgRisk *risk = selected_risk (self);

  if (risk != NULL)
    open_editor (self, risk);
}

static void
delete_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgRiskPage *self = UPG_RISK_PAGE (widget);
  UpgRisk *risk = selected_risk (self);

  if (risk != NULL && self->store != NULL)
    delete_risk (self, risk);
}

static void
undo_delete_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgRiskPage *self = UPG_RISK_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->undo == NULL || self->store == NULL)
    return;
  if (!upg_store_undo_delete (self->store, self->undo, &error))
    toast_error (self, error->message);
  g_clear_pointer (&self->undo, upg_deletion_free);
  gtk_widget_action_set_enabled (widget, "risks.undo-delete", FALSE);
}

static void
add_from_library_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgRiskPage *self = UPG_RISK_PAGE (widget);
  const UpgRiskTemplate *library;
  g_autoptr(UpgRisk) risk = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n, index = g_variant_get_uint32 (param);
  AdwToast *toast;

  library = upg_risk_library (&n);
  if (index >= n || self->store == NULL || self->project == NULL)
    return;
  risk = upg_risk_new_from_template (&library[index]);
  if (!upg_store_insert (self->store, UPG_RECORD (self->project), UPG_RECORD (risk), -1, &error))
    {
      toast_error (self, error->message);
      return;
    }
  /* Translators: shown after adding a risk from the library; %s is its title */
  text = g_strdup_printf (_("“%s” added"), upg_record_get_string (UPG_RECORD (risk), UPG_RISK_TITLE));
  toast = toast_new_text (text);
  show_toast (self, toast);
}

static void
clear_cell_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  upg_heat_map_select (UPG_RISK_PAGE (widget)->heat_map, 0, 0);
}

/* The project's own risk levels: saved with the plan, so its register and
 * exports read the same for everyone. */
static void
levels_changed_cb (UpgThresholdsGroup *group,
                   UpgRiskPage        *self)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  if (self->project == NULL || self->store == NULL)
    return;
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, upg_thresholds_group_get_thresholds (group));
  if (!upg_store_set_value (self->store, UPG_RECORD (self->project), UPG_PROJECT_RISK_THRESHOLDS, &value, &error))
    {
      upg_thresholds_group_set_thresholds (group, upg_record_get_string (UPG_RECORD (self->project),
                                                                          UPG_PROJECT_RISK_THRESHOLDS));
      toast_error (self, error->message);
    }
}

static void
levels_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgRiskPage *self = UPG_RISK_PAGE (widget);
  GtkWidget *window, *toolbar, *header, *page, *group;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->project == NULL)
    return;

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Risk Levels"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 560);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));

  group = upg_thresholds_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Risk Levels of This Project"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("A risk’s score is its likelihood times its impact, from 1 to 25. "
                                           "Each level starts at the score below. The levels are saved with "
                                           "the plan: its register and exports read the same for everyone."));
  upg_thresholds_group_set_thresholds (UPG_THRESHOLDS_GROUP (group),
                                       upg_record_get_string (UPG_RECORD (self->project), UPG_PROJECT_RISK_THRESHOLDS));
  g_signal_connect_object (group, "changed", G_CALLBACK (levels_changed_cb), self, 0);

  page = adw_preferences_page_new ();
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  header = adw_header_bar_new ();
  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (toolbar), page);
  adw_window_set_content (ADW_WINDOW (window), toolbar);

  /* Escape closes it, as every dialog. */
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                            gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (window, keys);
  }
  gtk_window_present (GTK_WINDOW (window));
}

/* The window's one export entry point (core's export table). */
static void
export_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  UpgRiskPage *self = UPG_RISK_PAGE (widget);

  if (self->project == NULL)
    return;
  gtk_widget_activate_action (widget, "win.export-file", "(ss)", "risks", g_variant_get_string (param, NULL));
}

gboolean
upg_risk_page_show_risk (UpgRiskPage *self,
                         UpgRecord   *record)
{
  g_return_val_if_fail (UPG_IS_RISK_PAGE (self), FALSE);

  if (!UPG_IS_RISK (record) || self->project == NULL)
    return FALSE;
  open_editor (self, UPG_RISK (record));
  return TRUE;
}

static void
register_activate_cb (UpgRiskPage *self,
                      guint        position)
{
  g_autoptr(UpgRisk) risk = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (risk != NULL)
    open_editor (self, risk);
}

static void
warning_activated_cb (UpgRiskPage   *self,
                      GtkListBoxRow *row)
{
  UpgRisk *risk = g_object_get_data (G_OBJECT (row), "risk");

  if (risk != NULL)
    open_editor (self, risk);
}

/* ---- Settings ------------------------------------------------------------ */

static void
reload_thresholds (UpgRiskPage *self)
{
  if (self->project != NULL)
    upg_risk_thresholds_for_project (self->project, &self->thresholds);
  else
    upg_risk_thresholds_init_default (&self->thresholds);
  upg_heat_map_set_thresholds (self->heat_map, &self->thresholds);
  /* The rows show levels: bind them again. */
  gtk_column_view_set_model (self->register_view, NULL);
  gtk_column_view_set_model (self->register_view, GTK_SELECTION_MODEL (self->selection));
  refresh (self);
}

/* The levels follow the project's own thresholds. */
static void
project_thresholds_changed_cb (UpgProject  *project,
                               GParamSpec  *pspec,
                               UpgRiskPage *self)
{
  reload_thresholds (self);
}

/* ---- Life cycle ---------------------------------------------------------- */

static GListModel *
filter_model (const char * const *values,
              const char         *all)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, all);
  for (guint i = 0; values[i] != NULL; i++)
    gtk_string_list_append (list, upg_enum_label (values, values[i]));
  return G_LIST_MODEL (list);
}

static void
setup_filters (UpgRiskPage *self)
{
  GtkStringList *levels = gtk_string_list_new (NULL);
  GListModel *model;

  gtk_string_list_append (levels, _("All levels"));
  for (UpgRiskLevel level = UPG_RISK_LEVEL_LOW; level < UPG_RISK_N_LEVELS; level++)
    gtk_string_list_append (levels, upg_risk_level_label (level));
  adw_combo_row_set_model (self->level_filter_row, G_LIST_MODEL (levels));
  g_object_unref (levels);

  model = filter_model (upg_risk_categories, _("All categories"));
  adw_combo_row_set_model (self->category_filter_row, model);
  g_object_unref (model);
  model = filter_model (upg_risk_statuses, _("All statuses"));
  adw_combo_row_set_model (self->status_filter_row, model);
  upg_combo_row_name_items (self->level_filter_row);
  upg_combo_row_name_items (self->category_filter_row);
  upg_combo_row_name_items (self->status_filter_row);
  g_object_unref (model);

  g_signal_connect (self->level_filter_row, "notify::selected", G_CALLBACK (filter_row_changed_cb), self);
  g_signal_connect (self->category_filter_row, "notify::selected", G_CALLBACK (filter_row_changed_cb), self);
  g_signal_connect (self->status_filter_row, "notify::selected", G_CALLBACK (filter_row_changed_cb), self);
}

static void
setup_library_menu (UpgRiskPage *self)
{
  const UpgRiskTemplate *library;
  guint n;

  self->library_menu = g_menu_new ();
  library = upg_risk_library (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(library[i].title), NULL);
      g_menu_item_set_action_and_target_value (item, "risks.add-from-library", g_variant_new_uint32 (i));
      g_menu_append_item (self->library_menu, item);
    }
  gtk_menu_button_set_menu_model (self->library_button, G_MENU_MODEL (self->library_menu));
  gtk_menu_button_set_menu_model (self->empty_library_button, G_MENU_MODEL (self->library_menu));
}

static void
upg_risk_page_dispose (GObject *object)
{
  UpgRiskPage *self = UPG_RISK_PAGE (object);

  g_clear_handle_id (&self->compact_id, g_source_remove);
  if (self->risks != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->risks);
  if (self->watched != NULL)
    unwatch_all (self);
  if (self->register_view != NULL)
    gtk_column_view_set_model (self->register_view, NULL);

  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->settings);
  g_clear_object (&self->library_menu);
  g_clear_pointer (&self->undo, upg_deletion_free);
  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_clear_object (&self->risks);
  g_clear_object (&self->store);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (upg_risk_page_parent_class)->dispose (object);
}

/* Below this width the register keeps title, score, level, owner and
 * status, and leaves category, likelihood, impact and residual to the heat
 * map and the editor. */
#define COMPACT_WIDTH 1000

static void
apply_compact (UpgRiskPage *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->register_view);
  static const Column dropped[] = { COL_CATEGORY, COL_LIKELIHOOD, COL_IMPACT, COL_RESIDUAL };

  for (guint k = 0; k < G_N_ELEMENTS (dropped); k++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, dropped[k]);
      if (column != NULL)
        gtk_column_view_column_set_visible (column, !self->compact);
    }
}

static gboolean
compact_idle_cb (gpointer data)
{
  UpgRiskPage *self = data;

  self->compact_id = 0;
  apply_compact (self);
  return G_SOURCE_REMOVE;
}

static void
upg_risk_page_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  UpgRiskPage *self = UPG_RISK_PAGE (widget);
  gboolean compact = width < COMPACT_WIDTH;

  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
  /* Columns change after this allocation, not inside it. */
  if (compact != self->compact)
    {
      self->compact = compact;
      if (self->compact_id == 0)
        self->compact_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, compact_idle_cb, self, NULL);
    }
}

static void
upg_risk_page_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  *minimum = *natural = 0;
  *minimum_baseline = *natural_baseline = -1;
  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static GtkSizeRequestMode
upg_risk_page_get_request_mode (GtkWidget *widget)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  return child ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
upg_risk_page_class_init (UpgRiskPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_risk_page_dispose;
  /* Measured and allocated here (not by AdwBin's layout manager), so the
   * page knows its width. */
  widget_class->measure = upg_risk_page_measure;
  widget_class->size_allocate = upg_risk_page_size_allocate;
  widget_class->get_request_mode = upg_risk_page_get_request_mode;

  g_type_ensure (UPG_TYPE_HEAT_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/upgrade_planner/UpgradePlanner/upg-risk-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UpgRiskPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskPage, stack);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskPage, library_button);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskPage, empty_library_button);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskPage, warnings_list);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskPage, heat_map);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskPage, level_filter_row);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskPage, category_filter_row);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskPage, status_filter_row);
  gtk_widget_class_bind_template_child (widget_class, UpgRiskPage, cell_filter_row);
  gtk_widget_class_bind_template_child_full (widget_class, "register", FALSE,
                                             G_STRUCT_OFFSET (UpgRiskPage, register_view));
  gtk_widget_class_bind_template_callback (widget_class, cell_selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, register_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, warning_activated_cb);

  gtk_widget_class_install_action (widget_class, "risks.add", NULL, add_action_cb);
  gtk_widget_class_install_action (widget_class, "risks.edit", NULL, edit_action_cb);
  gtk_widget_class_install_action (widget_class, "risks.delete", NULL, delete_action_cb);
  gtk_widget_class_install_action (widget_class, "risks.undo-delete", NULL, undo_delete_action_cb);
  gtk_widget_class_install_action (widget_class, "risks.add-from-library", "u", add_from_library_action_cb);
  gtk_widget_class_install_action (widget_class, "risks.clear-cell", NULL, clear_cell_action_cb);
  gtk_widget_class_install_action (widget_class, "risks.export", "s", export_action_cb);
  gtk_widget_class_install_action (widget_class, "risks.levels", NULL, levels_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "risks.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "risks.add", NULL);
}

static void
upg_risk_page_init (UpgRiskPage *self)
{
  GtkSorter *sorter;

  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  upg_a11y_fix_icon_buttons (GTK_WIDGET (self));
  upg_a11y_name_inner_lists (GTK_WIDGET (self->register_view), _("Risk register"));

  upg_risk_thresholds_init_default (&self->thresholds);
  upg_heat_map_set_thresholds (self->heat_map, &self->thresholds);

  setup_filters (self);
  setup_library_menu (self);
  add_columns (self);

  self->filter = gtk_custom_filter_new (filter_match_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->filter)));
  sorter = gtk_column_view_get_sorter (self->register_view);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filtered)),
                                          sorter ? g_object_ref (sorter) : NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->register_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->register_view, self->score_column, GTK_SORT_DESCENDING);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "risks.undo-delete", FALSE);
  update_cell_filter_row (self);
  refresh (self);
}

GtkWidget *
upg_risk_page_new (void)
{
  return g_object_new (UPG_TYPE_RISK_PAGE, NULL);
}

void
upg_risk_page_set_project (UpgRiskPage *self,
                           UpgStore    *store,
                           UpgProject  *project)
{
  GListModel *risks = NULL;

  g_return_if_fail (UPG_IS_RISK_PAGE (self));
  g_return_if_fail (store == NULL || UPG_IS_STORE (store));
  g_return_if_fail (project == NULL || UPG_IS_PROJECT (project));

  g_set_object (&self->store, store);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, project_thresholds_changed_cb, self);
  g_set_object (&self->project, project);
  if (project != NULL)
    g_signal_connect_object (project, "notify::risk-thresholds",
                             G_CALLBACK (project_thresholds_changed_cb), self, 0);
  upg_risk_thresholds_init_default (&self->thresholds);
  if (project != NULL)
    upg_risk_thresholds_for_project (project, &self->thresholds);
  upg_heat_map_set_thresholds (self->heat_map, &self->thresholds);

  if (project != NULL)
    risks = upg_record_get_children (UPG_RECORD (project), &upg_entity_risk);

  if (self->risks != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->risks);
  unwatch_all (self);
  g_clear_pointer (&self->undo, upg_deletion_free);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "risks.undo-delete", FALSE);
  g_set_object (&self->risks, risks);
  gtk_filter_list_model_set_model (self->filtered, risks);
  upg_heat_map_set_risks (self->heat_map, risks);
  /* After the filter model has taken the change: refiltering from inside its
   * own items-changed would add the new rows twice. */
  if (risks != NULL)
    self->items_changed_id = g_signal_connect_after (risks, "items-changed", G_CALLBACK (risks_changed_cb), self);

  watch_all (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "risks.add", project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "risks.levels", project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "risks.add-from-library", project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "risks.export", project != NULL);
  update_cell_filter_row (self);
  refresh (self);
}

UpgHeatMap *
upg_risk_page_get_heat_map (UpgRiskPage *self)
{
  g_return_val_if_fail (UPG_IS_RISK_PAGE (self), NULL);
  return self->heat_map;
}

GListModel *
upg_risk_page_get_register_model (UpgRiskPage *self)
{
  g_return_val_if_fail (UPG_IS_RISK_PAGE (self), NULL);
  return G_LIST_MODEL (self->selection);
}

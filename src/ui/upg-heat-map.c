/* upg-heat-map.c — the 5×5 risk matrix: how many risks fall in each cell.
 *
 * Likelihood runs up, impact across. Each cell is a toggle button coloured
 * by its level, showing the number of risks and the level in words; pressing
 * it selects the cell (the register's filter), pressing it again clears it.
 * The map is one Tab stop: only one cell (the selected one, or the last one
 * visited) takes focus from Tab; the arrow keys, Home and End move between
 * cells.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "upg-a11y.h"
#include "upg-heat-map.h"

#define N UPG_RISK_SCALE

struct _UpgHeatMap
{
  GtkWidget          parent_instance;

  GtkWidget         *box;
  GtkWidget         *inherent_button;
  GtkWidget         *residual_button;
  GtkWidget         *legend;
  GtkWidget         *impact_labels[N + 1];
  GtkWidget         *impact_key;     /* "Impact: 1 Insignificant · …" when narrow */
  gboolean           narrow;         /* the impact axis shows numbers */
  guint              narrow_id;
  GtkWidget         *cells[N + 1][N + 1];     /* [likelihood][impact] */
  GtkWidget         *counts[N + 1][N + 1];
  GtkWidget         *levels[N + 1][N + 1];

  GListModel        *risks;
  gulong             items_changed_id;
  UpgRiskThresholds  thresholds;
  gboolean           residual;
  int                sel_likelihood;
  int                sel_impact;
  int                focus_likelihood;  /* the one cell Tab stops at */
  int                focus_impact;
  guint              n[N + 1][N + 1];
  gboolean           updating;
};

G_DEFINE_FINAL_TYPE (UpgHeatMap, upg_heat_map, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_RESIDUAL, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SELECTION_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void set_focus_cell (UpgHeatMap *self, int l, int i);

static const char * const level_classes[] = { "low", "medium", "high", "critical" };

static void
update_cells (UpgHeatMap *self)
{
  self->updating = TRUE;
  for (int l = 1; l <= N; l++)
    for (int i = 1; i <= N; i++)
      {
        GtkWidget *cell = self->cells[l][i];
        UpgRiskLevel level = upg_risk_level_for_score (upg_risk_score (l, i), &self->thresholds);
        g_autofree char *count = g_strdup_printf ("%u", self->n[l][i]);
        g_autofree char *description = upg_risk_describe_cell (l, i, self->n[l][i], &self->thresholds);

        for (guint c = 0; c < G_N_ELEMENTS (level_classes); c++)
          gtk_widget_remove_css_class (cell, level_classes[c]);
        if (level != UPG_RISK_LEVEL_NONE)
          gtk_widget_add_css_class (cell, level_classes[level]);
        if (self->n[l][i] == 0)
          gtk_widget_add_css_class (cell, "empty");
        else
          gtk_widget_remove_css_class (cell, "empty");

        gtk_label_set_label (GTK_LABEL (self->counts[l][i]), count);
        gtk_label_set_label (GTK_LABEL (self->levels[l][i]), upg_risk_level_label (level));
        upg_a11y_set_tooltip_name (cell, description);
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (cell),
                                      l == self->sel_likelihood && i == self->sel_impact);
      }
  self->updating = FALSE;
}

static void
update_legend (UpgHeatMap *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->legend)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->legend), child);

  for (UpgRiskLevel level = UPG_RISK_LEVEL_LOW; level < UPG_RISK_N_LEVELS; level++)
    {
      GtkWidget *item, *swatch, *label;
      g_autofree char *text = NULL;
      int lo, hi;

      if (!upg_risk_level_range (level, &self->thresholds, &lo, &hi))
        continue;
      if (lo == hi)
        /* Translators: a risk level and the one score it has, e.g. "Critical 25" */
        text = g_strdup_printf (C_("level range", "%s %d"), upg_risk_level_label (level), lo);
      else
        /* Translators: a risk level and its scores, e.g. "High 10–16" */
        text = g_strdup_printf (C_("level range", "%s %d–%d"), upg_risk_level_label (level), lo, hi);

      item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      swatch = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      gtk_widget_add_css_class (swatch, "heat-swatch");
      gtk_widget_add_css_class (swatch, level_classes[level]);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      label = gtk_label_new (text);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (item), swatch);
      gtk_box_append (GTK_BOX (item), label);
      gtk_flow_box_insert (GTK_FLOW_BOX (self->legend), item, -1);
      /* Not "focusable" (FALSE): a flow box child would then hold on to a
       * Tab it cannot take, and Tab could not leave the map. */
      gtk_widget_set_can_focus (gtk_widget_get_parent (item), FALSE);
    }
}

void
upg_heat_map_update (UpgHeatMap *self)
{
  guint n_items;

  g_return_if_fail (UPG_IS_HEAT_MAP (self));

  memset (self->n, 0, sizeof self->n);
  n_items = self->risks ? g_list_model_get_n_items (self->risks) : 0;
  for (guint k = 0; k < n_items; k++)
    {
      g_autoptr(UpgRisk) risk = g_list_model_get_item (self->risks, k);
      int l, i;

      if (self->residual)
        upg_risk_get_effective_residual (risk, &l, &i);
      else
        {
          l = upg_record_get_int (UPG_RECORD (risk), UPG_RISK_LIKELIHOOD);
          i = upg_record_get_int (UPG_RECORD (risk), UPG_RISK_IMPACT);
        }
      if (upg_risk_score (l, i) > 0)
        self->n[l][i]++;
    }
  update_cells (self);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  UpgHeatMap *self)
{
  upg_heat_map_update (self);
}

void
upg_heat_map_set_risks (UpgHeatMap *self,
                        GListModel *risks)
{
  g_return_if_fail (UPG_IS_HEAT_MAP (self));
  g_return_if_fail (risks == NULL || G_IS_LIST_MODEL (risks));

  if (self->risks == risks)
    return;
  if (self->risks != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->risks);
  g_set_object (&self->risks, risks);
  if (risks != NULL)
    self->items_changed_id = g_signal_connect (risks, "items-changed", G_CALLBACK (items_changed_cb), self);
  self->sel_likelihood = self->sel_impact = 0;
  upg_heat_map_update (self);
}

void
upg_heat_map_set_thresholds (UpgHeatMap              *self,
                             const UpgRiskThresholds *thresholds)
{
  g_return_if_fail (UPG_IS_HEAT_MAP (self));

  if (thresholds != NULL)
    self->thresholds = *thresholds;
  else
    upg_risk_thresholds_init_default (&self->thresholds);
  update_legend (self);
  update_cells (self);
}

gboolean
upg_heat_map_get_residual (UpgHeatMap *self)
{
  g_return_val_if_fail (UPG_IS_HEAT_MAP (self), FALSE);
  return self->residual;
}

void
upg_heat_map_set_residual (UpgHeatMap *self,
                           gboolean    residual)
{
  g_return_if_fail (UPG_IS_HEAT_MAP (self));

  residual = !!residual;
  if (self->residual == residual)
    return;
  self->residual = residual;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (residual ? self->residual_button : self->inherent_button), TRUE);
  upg_heat_map_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESIDUAL]);
  /* The selected cell now means another set of risks. */
  if (self->sel_likelihood != 0)
    g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

void
upg_heat_map_get_selection (UpgHeatMap *self,
                            int        *likelihood,
                            int        *impact)
{
  g_return_if_fail (UPG_IS_HEAT_MAP (self));
  if (likelihood != NULL)
    *likelihood = self->sel_likelihood;
  if (impact != NULL)
    *impact = self->sel_impact;
}

void
upg_heat_map_select (UpgHeatMap *self,
                     int         likelihood,
                     int         impact)
{
  g_return_if_fail (UPG_IS_HEAT_MAP (self));

  if (upg_risk_score (likelihood, impact) == 0)
    likelihood = impact = 0;
  if (self->sel_likelihood == likelihood && self->sel_impact == impact)
    return;
  self->sel_likelihood = likelihood;
  self->sel_impact = impact;
  if (likelihood > 0)
    set_focus_cell (self, likelihood, impact);
  update_cells (self);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

guint
upg_heat_map_get_count (UpgHeatMap *self,
                        int         likelihood,
                        int         impact)
{
  g_return_val_if_fail (UPG_IS_HEAT_MAP (self), 0);
  g_return_val_if_fail (upg_risk_score (likelihood, impact) > 0, 0);
  return self->n[likelihood][impact];
}

GtkWidget *
upg_heat_map_get_cell (UpgHeatMap *self,
                       int         likelihood,
                       int         impact)
{
  g_return_val_if_fail (UPG_IS_HEAT_MAP (self), NULL);
  g_return_val_if_fail (upg_risk_score (likelihood, impact) > 0, NULL);
  return self->cells[likelihood][impact];
}

static void
cell_toggled_cb (GtkToggleButton *button,
                 UpgHeatMap      *self)
{
  int l = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "likelihood"));
  int i = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "impact"));

  if (self->updating)
    return;
  set_focus_cell (self, l, i);
  if (gtk_toggle_button_get_active (button))
    upg_heat_map_select (self, l, i);
  else if (self->sel_likelihood == l && self->sel_impact == i)
    upg_heat_map_select (self, 0, 0);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                UpgHeatMap            *self)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
  int l, i;

  if (focus == NULL || g_object_get_data (G_OBJECT (focus), "likelihood") == NULL)
    return FALSE;
  l = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (focus), "likelihood"));
  i = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (focus), "impact"));

  switch (keyval)
    {
    case GDK_KEY_Up: case GDK_KEY_KP_Up: l = MIN (l + 1, N); break;
    case GDK_KEY_Down: case GDK_KEY_KP_Down: l = MAX (l - 1, 1); break;
    case GDK_KEY_Left: case GDK_KEY_KP_Left:
      i = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL ? MIN (i + 1, N) : MAX (i - 1, 1);
      break;
    case GDK_KEY_Right: case GDK_KEY_KP_Right:
      i = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL ? MAX (i - 1, 1) : MIN (i + 1, N);
      break;
    case GDK_KEY_Home: case GDK_KEY_KP_Home: i = 1; break;
    case GDK_KEY_End: case GDK_KEY_KP_End: i = N; break;
    default:
      return FALSE;
    }
  set_focus_cell (self, l, i);
  gtk_widget_grab_focus (self->cells[l][i]);
  return TRUE;
}

/* Makes (@l, @i) the cell that Tab stops at. */
static void
set_focus_cell (UpgHeatMap *self,
                int         l,
                int         i)
{
  if (self->focus_likelihood == l && self->focus_impact == i)
    return;
  /* Not "focusable": a button's focus vfunc would then claim a Tab it
   * cannot take and hold the focus where it is. */
  gtk_widget_set_can_focus (self->cells[l][i], TRUE);
  if (self->focus_likelihood > 0)
    gtk_widget_set_can_focus (self->cells[self->focus_likelihood][self->focus_impact], FALSE);
  self->focus_likelihood = l;
  self->focus_impact = i;
}

static void
mode_toggled_cb (GtkToggleButton *button,
                 UpgHeatMap      *self)
{
  if (gtk_toggle_button_get_active (button))
    upg_heat_map_set_residual (self, button == GTK_TOGGLE_BUTTON (self->residual_button));
}

static GtkWidget *
axis_label (const char *text,
            gboolean    row)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  /* Words are never broken: a window too narrow for the impact words
   * numbers the columns instead (see update_narrow). */
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_justify (GTK_LABEL (label), row ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_CENTER);
  if (row)
    gtk_label_set_max_width_chars (GTK_LABEL (label), 7);
  gtk_label_set_xalign (GTK_LABEL (label), row ? 1.0 : 0.5);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  if (row)
    gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  else
    gtk_widget_set_valign (label, GTK_ALIGN_START);
  return label;
}

static void
build (UpgHeatMap *self)
{
  GtkWidget *modes, *grid, *title;
  GtkSizeGroup *columns;
  GtkEventController *keys;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  /* Before / after mitigation. */
  modes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (modes, "linked");
  gtk_widget_set_halign (modes, GTK_ALIGN_CENTER);
  self->inherent_button = gtk_toggle_button_new_with_label (_("Before Mitigation"));
  self->residual_button = gtk_toggle_button_new_with_label (_("After Mitigation"));
  gtk_widget_set_tooltip_text (self->inherent_button, _("Place risks by their inherent likelihood and impact"));
  gtk_widget_set_tooltip_text (self->residual_button, _("Place risks by their residual likelihood and impact; risks not yet assessed stay where they are"));
  /* In a narrow window the two labels wrap rather than widen the page. */
  for (GtkWidget *b = self->inherent_button; b != NULL; b = b == self->inherent_button ? self->residual_button : NULL)
    {
      GtkLabel *label = GTK_LABEL (gtk_button_get_child (GTK_BUTTON (b)));

      gtk_label_set_wrap (label, TRUE);
      gtk_label_set_justify (label, GTK_JUSTIFY_CENTER);
      gtk_widget_set_hexpand (b, TRUE);
    }
  gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (self->residual_button), GTK_TOGGLE_BUTTON (self->inherent_button));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->inherent_button), TRUE);
  g_signal_connect (self->inherent_button, "toggled", G_CALLBACK (mode_toggled_cb), self);
  g_signal_connect (self->residual_button, "toggled", G_CALLBACK (mode_toggled_cb), self);
  gtk_box_append (GTK_BOX (modes), self->inherent_button);
  gtk_box_append (GTK_BOX (modes), self->residual_button);
  gtk_box_append (GTK_BOX (self->box), modes);

  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 4);
  gtk_widget_set_halign (grid, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (grid, "heat-map");
  gtk_accessible_update_property (GTK_ACCESSIBLE (grid),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Risk heat map: likelihood by impact"),
                                  -1);

  title = gtk_label_new (_("Likelihood ↑"));
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  /* Over the whole map, so the heading does not widen the row labels'
   * column. */
  gtk_grid_attach (GTK_GRID (grid), title, 0, 0, N + 1, 1);

  for (int l = N; l >= 1; l--)
    {
      int row = N - l + 1;

      gtk_grid_attach (GTK_GRID (grid), axis_label (upg_risk_likelihood_label (l), TRUE), 0, row, 1, 1);
      for (int i = 1; i <= N; i++)
        {
          GtkWidget *cell = gtk_toggle_button_new ();
          GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

          self->counts[l][i] = gtk_label_new ("0");
          gtk_widget_add_css_class (self->counts[l][i], "count");
          gtk_widget_add_css_class (self->counts[l][i], "numeric");
          self->levels[l][i] = gtk_label_new (NULL);
          gtk_label_set_ellipsize (GTK_LABEL (self->levels[l][i]), PANGO_ELLIPSIZE_END);
          gtk_widget_add_css_class (self->levels[l][i], "level");
          gtk_box_append (GTK_BOX (content), self->counts[l][i]);
          gtk_box_append (GTK_BOX (content), self->levels[l][i]);
          gtk_widget_set_valign (content, GTK_ALIGN_CENTER);
          gtk_button_set_child (GTK_BUTTON (cell), content);

          gtk_widget_add_css_class (cell, "heat-cell");
          /* One Tab stop for the map (set_focus_cell). */
          gtk_widget_set_can_focus (cell, FALSE);
          gtk_widget_set_hexpand (cell, TRUE);
          g_object_set_data (G_OBJECT (cell), "likelihood", GINT_TO_POINTER (l));
          g_object_set_data (G_OBJECT (cell), "impact", GINT_TO_POINTER (i));
          g_signal_connect (cell, "toggled", G_CALLBACK (cell_toggled_cb), self);
          self->cells[l][i] = cell;
          gtk_grid_attach (GTK_GRID (grid), cell, i, row, 1, 1);
        }
    }
  set_focus_cell (self, N, 1);

  /* One width for the five impact columns, so the cells are all alike. */
  columns = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  for (int i = 1; i <= N; i++)
    {
      GtkWidget *label = axis_label (upg_risk_impact_label (i), FALSE);

      self->impact_labels[i] = label;
      gtk_size_group_add_widget (columns, label);
      gtk_grid_attach (GTK_GRID (grid), label, i, N + 1, 1, 1);
    }
  g_object_unref (columns);

  title = gtk_label_new (_("Impact →"));
  gtk_widget_add_css_class (title, "heading");
  gtk_grid_attach (GTK_GRID (grid), title, 1, N + 2, N, 1);

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (grid, keys);
  gtk_box_append (GTK_BOX (self->box), grid);

  /* The impact words in a line of their own, when the columns show numbers. */
  {
    GString *key = g_string_new (NULL);
    for (int i = 1; i <= N; i++)
      {
        /* TRANSLATORS: one entry of the impact key under a narrow heat map, e.g. "2 Minor" */
        g_autofree char *entry = g_strdup_printf (C_("impact key", "%d %s"), i, upg_risk_impact_label (i));
        g_auto(GStrv) words = g_strsplit (entry, " ", -1);
        g_autofree char *joined = g_strjoinv ("\u00a0", words);   /* an entry never breaks */

        if (i > 1)
          g_string_append (key, " · ");
        g_string_append (key, joined);
      }
    /* TRANSLATORS: the impact key under a narrow heat map; %s lists "1 Insignificant · 2 Minor · …" */
    self->impact_key = gtk_label_new (NULL);
    {
      g_autofree char *text = g_strdup_printf (_("Impact: %s"), key->str);
      gtk_label_set_text (GTK_LABEL (self->impact_key), text);
    }
    g_string_free (key, TRUE);
    gtk_label_set_wrap (GTK_LABEL (self->impact_key), TRUE);
    gtk_label_set_justify (GTK_LABEL (self->impact_key), GTK_JUSTIFY_CENTER);
    gtk_widget_add_css_class (self->impact_key, "caption");
    gtk_widget_add_css_class (self->impact_key, "dim-label");
    gtk_widget_set_visible (self->impact_key, FALSE);
    gtk_box_append (GTK_BOX (self->box), self->impact_key);
  }

  /* A flow box, so the legend wraps in a narrow window. */
  self->legend = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->legend), GTK_SELECTION_NONE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->legend), 2);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->legend), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->legend), 12);
  gtk_widget_set_halign (self->legend, GTK_ALIGN_CENTER);
  gtk_widget_set_can_focus (self->legend, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->legend),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Legend"),
                                  -1);
  gtk_box_append (GTK_BOX (self->box), self->legend);
}

static void
upg_heat_map_dispose (GObject *object)
{
  UpgHeatMap *self = UPG_HEAT_MAP (object);

  g_clear_handle_id (&self->narrow_id, g_source_remove);
  if (self->risks != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->risks);
  g_clear_object (&self->risks);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (upg_heat_map_parent_class)->dispose (object);
}

static void
upg_heat_map_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  UpgHeatMap *self = UPG_HEAT_MAP (object);

  switch (prop_id)
    {
    case PROP_RESIDUAL:
      g_value_set_boolean (value, self->residual);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
upg_heat_map_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  UpgHeatMap *self = UPG_HEAT_MAP (object);

  switch (prop_id)
    {
    case PROP_RESIDUAL:
      upg_heat_map_set_residual (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Whether @width leaves each impact column room for its longest word. */
static gboolean
impact_words_fit (UpgHeatMap *self,
                  int         width)
{
  int widest = 0;

  for (int i = 1; i <= N; i++)
    {
      g_auto(GStrv) words = g_strsplit (upg_risk_impact_label (i), " ", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (self->impact_labels[i], words[w]);
          int pw;
          pango_layout_get_pixel_size (layout, &pw, NULL);
          widest = MAX (widest, pw);
        }
    }
  /* Five columns, the likelihood words' column (7 characters) and spacing. */
  return width >= 5 * (widest + 8) + 60 + 6 * 4;
}

static void
apply_narrow (UpgHeatMap *self)
{
  for (int i = 1; i <= N; i++)
    {
      g_autofree char *number = g_strdup_printf ("%d", i);
      gtk_label_set_text (GTK_LABEL (self->impact_labels[i]), self->narrow ? number : upg_risk_impact_label (i));
      gtk_widget_set_tooltip_text (self->impact_labels[i], self->narrow ? upg_risk_impact_label (i) : NULL);
    }
  gtk_widget_set_visible (self->impact_key, self->narrow);
}

static gboolean
narrow_idle_cb (gpointer data)
{
  UpgHeatMap *self = data;

  self->narrow_id = 0;
  apply_narrow (self);
  return G_SOURCE_REMOVE;
}

static void
upg_heat_map_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  UpgHeatMap *self = UPG_HEAT_MAP (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
upg_heat_map_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  UpgHeatMap *self = UPG_HEAT_MAP (widget);
  gboolean narrow = !impact_words_fit (self, width);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
  /* The labels change after this allocation, not inside it. */
  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      if (self->narrow_id == 0)
        self->narrow_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, narrow_idle_cb, self, NULL);
    }
}

static GtkSizeRequestMode
upg_heat_map_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
upg_heat_map_class_init (UpgHeatMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_heat_map_dispose;
  object_class->get_property = upg_heat_map_get_property;
  object_class->set_property = upg_heat_map_set_property;

  properties[PROP_RESIDUAL] =
    g_param_spec_boolean ("residual", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when the selected cell changes, or what it selects does. */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* Measured and allocated here, so the map knows its width. */
  widget_class->measure = upg_heat_map_measure;
  widget_class->size_allocate = upg_heat_map_size_allocate;
  widget_class->get_request_mode = upg_heat_map_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "heatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
upg_heat_map_init (UpgHeatMap *self)
{
  static gsize css_loaded;

  if (g_once_init_enter (&css_loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();
      GdkDisplay *display = gdk_display_get_default ();

      gtk_css_provider_load_from_resource (provider, "/io/github/upgrade_planner/UpgradePlanner/upg-risk.css");
      if (display != NULL)
        gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&css_loaded, 1);
    }

  upg_risk_thresholds_init_default (&self->thresholds);
  build (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Risk heat map"),
                                  -1);
  update_legend (self);
  update_cells (self);
}

GtkWidget *
upg_heat_map_new (void)
{
  return g_object_new (UPG_TYPE_HEAT_MAP, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-card-box.c — cards side by side, in rows of two, or stacked.
 *
 * Its children (added in a .ui as <child>) share a row equally when each
 * gets at least MIN_CARD_WIDTH and its minimum width; an even number of
 * them make rows of two when that fits, and they stack otherwise. Unlike a GtkFlowBox it
 * adds no focusable wrapper around each card: a card that is a button is
 * one Tab stop.
 */
#define G_LOG_DOMAIN "upg-card-box"

#include "config.h"

#include "upg-card-box.h"

#define SPACING 12
#define MIN_CARD_WIDTH 150

struct _UpgCardBox
{
  GtkWidget parent_instance;
};

static void upg_card_box_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UpgCardBox, upg_card_box, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, upg_card_box_buildable_init))

static GtkBuildableIface *parent_buildable;

static void
upg_card_box_add_child (GtkBuildable *buildable,
                        GtkBuilder   *builder,
                        GObject      *child,
                        const char   *type)
{
  if (GTK_IS_WIDGET (child))
    gtk_widget_set_parent (GTK_WIDGET (child), GTK_WIDGET (buildable));
  else
    parent_buildable->add_child (buildable, builder, child, type);
}

static void
upg_card_box_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable = g_type_interface_peek_parent (iface);
  iface->add_child = upg_card_box_add_child;
}

static guint
n_visible (GtkWidget *widget)
{
  guint n = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    n += gtk_widget_should_layout (c);
  return n;
}

/* How many cards share a row at @width: all of them when each gets at
 * least its minimum (and MIN_CARD_WIDTH), else half of an even number of
 * them (two rows of two), else one (stacked). */
static guint
columns_for_width (GtkWidget *widget,
                   int        width)
{
  guint n = n_visible (widget);
  int needed = 0;

  if (n <= 1 || width < 0)
    return MAX (n, 1);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      {
        int min;
        gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
        needed = MAX (needed, MAX (min, MIN_CARD_WIDTH));
      }
  if (width >= (int) n * needed + ((int) n - 1) * SPACING)
    return n;
  if (n > 2 && n % 2 == 0 && width >= 2 * needed + SPACING)
    return 2;
  return 1;
}

/* Each row's height at @width in @columns: the tallest card's (natural
 * when @natural, else minimum). Returns the sum with the spacing. */
static int
rows_height (GtkWidget *widget,
             int        width,
             guint      columns,
             gboolean   natural,
             int       *row_heights)
{
  int each = (width - ((int) columns - 1) * SPACING) / (int) columns;
  int total = 0, row = 0;
  guint col = 0, rows = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      {
        int cmin, cnat;
        gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, width < 0 ? -1 : each, &cmin, &cnat, NULL, NULL);
        row = MAX (row, natural ? MAX (cnat, cmin) : cmin);
        if (++col == columns)
          {
            if (row_heights != NULL)
              row_heights[rows] = row;
            total += row;
            rows++;
            col = 0;
            row = 0;
          }
      }
  if (col > 0)
    {
      if (row_heights != NULL)
        row_heights[rows] = row;
      total += row;
      rows++;
    }
  return total + (rows > 0 ? ((int) rows - 1) * SPACING : 0);
}

static void
upg_card_box_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  guint n = n_visible (widget);
  int min = 0, nat = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* At least one card wide; naturally all in a row. */
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
        if (gtk_widget_should_layout (c))
          {
            int cmin, cnat;
            gtk_widget_measure (c, orientation, -1, &cmin, &cnat, NULL, NULL);
            min = MAX (min, cmin);
            nat = MAX (nat, MAX (cnat, MIN_CARD_WIDTH));
          }
      nat = n > 0 ? (int) n * nat + ((int) n - 1) * SPACING : 0;
    }
  else if (n > 0)
    {
      guint columns = for_size < 0 ? n : columns_for_width (widget, for_size);
      min = rows_height (widget, for_size, columns, FALSE, NULL);
      nat = MAX (min, rows_height (widget, for_size, columns, TRUE, NULL));
    }
  *minimum = min;
  *natural = nat;
  *minimum_baseline = *natural_baseline = -1;
}

static void
upg_card_box_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  guint n = n_visible (widget);
  guint columns, col = 0, row = 0;
  g_autofree int *heights = NULL;
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int each, y = 0;

  if (n == 0)
    return;
  columns = columns_for_width (widget, width);
  each = (width - ((int) columns - 1) * SPACING) / (int) columns;
  heights = g_new0 (int, n);
  rows_height (widget, width, columns, TRUE, heights);
  /* One row takes all the height it is given. */
  if (columns == n)
    heights[0] = height;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      {
        int x = (each + SPACING) * (int) col;
        gtk_widget_size_allocate (c, &(GtkAllocation) { rtl ? width - x - each : x, y, each, heights[row] }, -1);
        if (++col == columns)
          {
            col = 0;
            y += heights[row] + SPACING;
            row++;
          }
      }
}

static GtkSizeRequestMode
upg_card_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
upg_card_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (upg_card_box_parent_class)->dispose (object);
}

static void
upg_card_box_class_init (UpgCardBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = upg_card_box_dispose;
  widget_class->measure = upg_card_box_measure;
  widget_class->size_allocate = upg_card_box_size_allocate;
  widget_class->get_request_mode = upg_card_box_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "cardbox");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
upg_card_box_init (UpgCardBox *self)
{
}

GtkWidget *
upg_card_box_new (void)
{
  return g_object_new (UPG_TYPE_CARD_BOX, NULL);
}

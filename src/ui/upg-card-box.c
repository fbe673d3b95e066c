/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-card-box.c — cards side by side, stacked when the width is short.
 *
 * Its children (added in a .ui as <child>) share a row equally when each
 * gets at least MIN_CARD_WIDTH, and stack otherwise. Unlike a GtkFlowBox it
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

/* Whether @width fits the cards in one row. */
static gboolean
fits_in_row (GtkWidget *widget,
             int        width)
{
  guint n = n_visible (widget);
  int needed = 0;

  if (n == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      {
        int min;
        gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
        needed = MAX (needed, MAX (min, MIN_CARD_WIDTH));
      }
  return width >= (int) n * needed + ((int) n - 1) * SPACING;
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
  else if (for_size < 0 || fits_in_row (widget, for_size))
    {
      int width = for_size < 0 ? -1 : (for_size - ((int) n - 1) * SPACING) / (int) MAX (n, 1);
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
        if (gtk_widget_should_layout (c))
          {
            int cmin, cnat;
            gtk_widget_measure (c, orientation, width, &cmin, &cnat, NULL, NULL);
            min = MAX (min, cmin);
            nat = MAX (nat, cnat);
          }
      nat = MAX (nat, min);
    }
  else
    {
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
        if (gtk_widget_should_layout (c))
          {
            int cmin, cnat;
            gtk_widget_measure (c, orientation, for_size, &cmin, &cnat, NULL, NULL);
            min += cmin;
            nat += cnat;
          }
      min += ((int) n - 1) * SPACING;
      nat += ((int) n - 1) * SPACING;
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
  int pos = 0;

  if (n == 0)
    return;
  if (fits_in_row (widget, width))
    {
      int each = (width - ((int) n - 1) * SPACING) / (int) n;
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
        if (gtk_widget_should_layout (c))
          {
            gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
            int x = rtl ? width - pos - each : pos;
            gtk_widget_size_allocate (c, &(GtkAllocation) { x, 0, each, height }, -1);
            pos += each + SPACING;
          }
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_should_layout (c))
      {
        int h;
        gtk_widget_measure (c, GTK_ORIENTATION_VERTICAL, width, NULL, &h, NULL, NULL);
        gtk_widget_size_allocate (c, &(GtkAllocation) { 0, pos, width, h }, -1);
        pos += h + SPACING;
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-a11y.c — accessible names read once, as GTK 4.8 builds them.
 *
 * What GTK 4.8.3 does (gtk/gtkatcontext.c, gtk_at_context_get_name_accumulate;
 * gtk/gtkwidget.c, gtk_widget_set_tooltip_text; gtk/gtkbutton.c):
 *
 * - a name is the "label" property, then the names of the "labelled-by"
 *   widgets, joined by a space; with neither, a widget's type name
 *   ("GtkButton", "GtkImage");
 * - the tooltip text becomes the "description": a tooltip equal to the
 *   name is read twice;
 * - gtk_button_set_icon_name() makes the button "labelled-by" its
 *   GtkImage;
 * - gtk_button_set_label() sets the "label" property to the text as given,
 *   underscore and all, while a mnemonic label also makes the button
 *   "labelled-by" that label: "_Start Rollback Start Rollback".
 */
#define G_LOG_DOMAIN "upg-a11y"

#include "config.h"

#include "upg-a11y.h"

#include <adwaita.h>

/* A tooltip that says the same as the name (an icon button's, a cell's):
 * it is the name, and no description repeats it. */
void
upg_a11y_set_tooltip_name (GtkWidget  *widget,
                           const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_widget_set_tooltip_text (widget, name);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  if (name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
  if (GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* The label of a button (with or without a mnemonic), named by its label
 * widget alone. */
void
upg_a11y_button_set_label (GtkButton  *button,
                           const char *label)
{
  g_return_if_fail (GTK_IS_BUTTON (button));

  gtk_button_set_label (button, label);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* The lists a libadwaita 1.2 row builds inside itself (adw-expander-row.ui:
 * a GtkListBox for its header and one for its rows; adw-combo-row.ui: a
 * GtkListView for the current value and one in its popover) have no name,
 * so GTK reads each as "GtkListBox" or "GtkListView". Rows of ours inside
 * an expander row name their own. */
static void
name_inner_lists (GtkWidget  *widget,
                  const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX (child) || GTK_IS_LIST_VIEW (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      if (!ADW_IS_PREFERENCES_ROW (child))
        name_inner_lists (child, name);
    }
}

/* @widget's own lists (a GtkColumnView's GtkListView, say) take @name. */
void
upg_a11y_name_inner_lists (GtkWidget  *widget,
                           const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  name_inner_lists (widget, name);
}

static void
row_title_cb (AdwPreferencesRow *row)
{
  name_inner_lists (GTK_WIDGET (row), adw_preferences_row_get_title (row));
}

/* An expander or combo row's inner lists take the row's title, and follow
 * it. */
void
upg_a11y_name_row_lists (AdwPreferencesRow *row)
{
  g_return_if_fail (ADW_IS_PREFERENCES_ROW (row));

  row_title_cb (row);
  g_signal_connect (row, "notify::title", G_CALLBACK (row_title_cb), NULL);
}

/* A menu button's tooltip would cover the first item of its open menu:
 * no tooltip while its popover shows. */
static void
popover_visible_cb (GtkWidget  *popover,
                    GParamSpec *pspec,
                    GtkWidget  *button)
{
  gtk_widget_set_has_tooltip (button, !gtk_widget_get_visible (popover));
}

/* Every icon button under @root (built from a .ui) whose tooltip names
 * it: the tooltip is its name, read once, and its GtkImage labels nothing.
 * A menu button's tooltip also hides while its menu is open. */
void
upg_a11y_fix_icon_buttons (GtkWidget *root)
{
  const char *icon = NULL;

  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root))
    icon = gtk_button_get_icon_name (GTK_BUTTON (root));
  else if (GTK_IS_MENU_BUTTON (root))
    icon = gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (root));
  if (icon != NULL)
    {
      g_autofree char *tooltip = g_strdup (gtk_widget_get_tooltip_text (root));

      if (tooltip != NULL)
        upg_a11y_set_tooltip_name (root, tooltip);
      else if (GTK_IS_BUTTON (root))
        gtk_accessible_reset_relation (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
      if (GTK_IS_MENU_BUTTON (root) && tooltip != NULL)
        {
          GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (root));

          if (popover != NULL &&
              g_signal_handler_find (popover, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, popover_visible_cb, NULL) == 0)
            g_signal_connect_object (popover, "notify::visible", G_CALLBACK (popover_visible_cb), root, 0);
        }
      if (GTK_IS_MENU_BUTTON (root))
        return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    upg_a11y_fix_icon_buttons (child);
}

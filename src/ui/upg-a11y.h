/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-a11y.h — accessible names read once, as GTK 4.8 builds them. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void upg_a11y_set_tooltip_name   (GtkWidget  *widget,
                                  const char *name);
void upg_a11y_button_set_label   (GtkButton  *button,
                                  const char *label);
void upg_a11y_fix_icon_buttons   (GtkWidget  *root);
void upg_a11y_name_inner_lists   (GtkWidget  *widget,
                                  const char *name);
void upg_a11y_name_row_lists     (AdwPreferencesRow *row);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-card-box.h — cards side by side, stacked when the width is short. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define UPG_TYPE_CARD_BOX (upg_card_box_get_type ())
G_DECLARE_FINAL_TYPE (UpgCardBox, upg_card_box, UPG, CARD_BOX, GtkWidget)

GtkWidget *upg_card_box_new (void);

G_END_DECLS

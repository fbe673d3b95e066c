/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-connect-dialog.h — Connect to Team Server: an address, recent
 * servers, a password when the server asks (kept in the desktop's keyring
 * when the user says so); connecting runs in a thread. */
#pragma once

#include <adwaita.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

#define UPG_TYPE_CONNECT_DIALOG (upg_connect_dialog_get_type ())
G_DECLARE_FINAL_TYPE (UpgConnectDialog, upg_connect_dialog, UPG, CONNECT_DIALOG, AdwWindow)

/* A dialog over @parent (may be NULL) that opens the server's plan with
 * @flags (UPG_STORE_OPEN_CREATE: an empty database becomes a plan) and
 * emits ::connected with the store, opened and loaded, then closes. */
UpgConnectDialog *upg_connect_dialog_new        (GtkWindow         *parent,
                                                 UpgStoreOpenFlags  flags);
/* For another purpose than opening a window (Publish): its title and the
 * label of its button. */
void              upg_connect_dialog_set_purpose (UpgConnectDialog *self,
                                                  const char       *title,
                                                  const char       *accept);
void              upg_connect_dialog_set_uri    (UpgConnectDialog *self,
                                                 const char       *uri);
/* Shows why connecting failed (a password field when the server asks
 * for one). */
void              upg_connect_dialog_show_error (UpgConnectDialog *self,
                                                 const GError     *error);
/* Why the last try failed (as shown), or NULL. */
const GError     *upg_connect_dialog_get_error  (UpgConnectDialog *self);
/* Connects to the address in the dialog, as its button does. */
void              upg_connect_dialog_connect    (UpgConnectDialog *self);
/* Whether a connection is being made. */
gboolean          upg_connect_dialog_is_busy    (UpgConnectDialog *self);

G_END_DECLS

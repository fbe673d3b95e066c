/* upg-defaults.h — the standard content of a new project: the seed method's
 * milestones and standard operating procedure (SOP), in the user's language.
 *
 * Only "New Project" uses it; importing a plan never adds defaults.
 */
#pragma once

#include "upg-record.h"

G_BEGIN_DECLS

/* A new project record (not in any file yet) named @name of @kind, with
 * created/updated set to now, the standard milestones and the standard SOP
 * as children. Insert it with upg_store_insert (store, NULL, project, -1, …). */
UpgProject *upg_defaults_new_project      (const char *name,
                                           const char *kind);

/* Append the standard milestones / SOP steps to @project's child lists
 * (which must not be in a store yet, or use upg_store_insert per child). */
void        upg_defaults_add_milestones   (UpgProject *project);
void        upg_defaults_add_sop          (UpgProject *project);

guint       upg_defaults_n_milestones     (void);
guint       upg_defaults_n_sop_steps      (void);

G_END_DECLS

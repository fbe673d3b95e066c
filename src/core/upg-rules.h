/* upg-rules.h — the plan's rules that tie one value to another. Import
 * checks them on every record of a document; the store checks them on every
 * write, so a plan the app can make is a plan its import accepts.
 */
#pragma once

#include "upg-record.h"

G_BEGIN_DECLS

/* Checks the rules of @record that need nothing but the record itself and
 * its loaded children (a project's team and risks, a step's history). On a
 * broken rule returns FALSE with *where, the key path below the record
 * ("window_end", "risks[2].owner"), and *message ("must not be before
 * window_start"). */
gboolean  upg_rules_check_record   (UpgRecord  *record,
                                    char      **where,
                                    char      **message);

/* The step's last check or uncheck (skips aside), or NULL: what its
 * checked_at and checked_by must agree with. Borrowed from its history. */
UpgRecord *upg_rules_last_mark     (UpgRecord  *step);

G_END_DECLS

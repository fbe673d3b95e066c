/* upg-plan-private.h — for tests and fuzzers: the plan reader without
 * streaming, to hold the streaming one against. */
#pragma once

#include "upg-plan.h"

G_BEGIN_DECLS

/* upg_plan_parse () building the whole document's tree first, then
 * reading its projects: the same projects, or the same error. */
GPtrArray *upg_plan_parse_whole (const char  *data,
                                 gssize       length,
                                 char       **extensions,
                                 GError     **error);

G_END_DECLS

/* upg-labels.h — what the plan format's words are called in the user's language. */
#pragma once

#include <glib.h>

#include "upg-fields.h"

G_BEGIN_DECLS

/* The translated label of an enumeration word, e.g. ("dba") → "DBA";
 * @values is one of the upg_*_kinds / upg_roles / … tables of upg-fields.h.
 * Unknown words come back as they are. */
const char *upg_enum_label (const char * const *values,
                            const char         *word);

/* The translated label of field @field of @entity, e.g. risk's
 * "mitigation" → "Mitigation": what messages call it. */
const char *upg_field_label (const UpgEntity *entity,
                             guint            field);

G_END_DECLS

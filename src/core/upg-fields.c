/* upg-fields.c — the plan format's fields, enumerations and value checks. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-fields.h"
#include "upg-record.h"

const char * const upg_project_kinds[] = {
  "security_fix", "feature", "refactor", "dependency", "infrastructure", "other", NULL
};
const char * const upg_project_statuses[] = {
  "planning", "preparing", "validating", "gray_release", "live", "done",
  "rolled_back", "cancelled", NULL
};
const char * const upg_impact_levels[] = { "low", "medium", "high", NULL };
const char * const upg_milestone_kinds[] = {
  "dev_complete", "test_passed", "gray_release", "full_launch", "custom", NULL
};
const char * const upg_risk_categories[] = {
  "compatibility", "performance", "data_migration", "user_experience",
  "configuration", "dependency", "security", "other", NULL
};
const char * const upg_risk_statuses[] = { "open", "mitigated", "occurred", "closed", NULL };
const char * const upg_roles[] = {
  "project_manager", "frontend", "backend", "dba", "devops", "qa", "product",
  "support", "other", NULL
};
const char * const upg_phases[] = {
  "planning", "preparation", "build", "validation", "gray_release", "go_live",
  "notification", "retrospective", "rollback", NULL
};
const char * const upg_retro_item_kinds[] = { "went_well", "went_wrong", "lesson", "action", NULL };

#define STR(n)            { n, UPG_FIELD_STRING, FALSE, NULL, 0, 0, 0, "" }
#define STR_REQ(n)        { n, UPG_FIELD_STRING, TRUE, NULL, 0, 0, 0, "" }
#define STR_NULL(n)       { n, UPG_FIELD_STRING_OR_NULL, FALSE, NULL, 0, 0, 0, NULL }
#define ENUM(n, v, d)     { n, UPG_FIELD_ENUM, FALSE, v, 0, 0, 0, d }
#define ENUM_NULL(n, v)   { n, UPG_FIELD_ENUM_OR_NULL, FALSE, v, 0, 0, 0, NULL }
#define INT(n, lo, hi, d) { n, UPG_FIELD_INT, FALSE, NULL, lo, hi, d, NULL }
#define INT_REQ(n, lo, hi){ n, UPG_FIELD_INT, TRUE, NULL, lo, hi, lo, NULL }
#define INT_NULL(n, lo, hi) { n, UPG_FIELD_INT_OR_NULL, FALSE, NULL, lo, hi, UPG_INT_NULL, NULL }
#define BOOL(n, d)        { n, UPG_FIELD_BOOL, FALSE, NULL, 0, 1, d, NULL }
#define TS(n)             { n, UPG_FIELD_TIMESTAMP, FALSE, NULL, 0, 0, 0, NULL }
#define TS_NULL(n)        { n, UPG_FIELD_TIMESTAMP_OR_NULL, FALSE, NULL, 0, 0, 0, NULL }
#define DATE_NULL(n)      { n, UPG_FIELD_DATE_OR_NULL, FALSE, NULL, 0, 0, 0, NULL }
#define EMAIL_NULL(n)     { n, UPG_FIELD_EMAIL_OR_NULL, FALSE, NULL, 0, 0, 0, NULL }
#define EMAILS(n)         { n, UPG_FIELD_EMAIL_LIST, FALSE, NULL, 0, 0, 0, NULL }

static const UpgField project_fields[] = {
  STR_REQ ("name"),
  ENUM ("kind", upg_project_kinds, "other"),
  ENUM ("status", upg_project_statuses, "planning"),
  STR ("goal"),
  STR ("scope"),
  STR ("impact"),
  STR_NULL ("version_from"),
  STR_NULL ("version_to"),
  STR_NULL ("build_id"),
  TS_NULL ("window_start"),
  TS_NULL ("window_end"),
  INT ("rollback_target_minutes", 1, G_MAXINT, 10),
  TS ("created_at"),
  TS ("updated_at"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (project_fields) == UPG_PROJECT_N_FIELDS);

static const UpgField scope_item_fields[] = {
  STR_REQ ("module"),
  STR ("change"),
  ENUM ("impact", upg_impact_levels, "medium"),
  BOOL ("needs_data_migration", FALSE),
};
G_STATIC_ASSERT (G_N_ELEMENTS (scope_item_fields) == UPG_SCOPE_ITEM_N_FIELDS);

static const UpgField milestone_fields[] = {
  STR_REQ ("title"),
  ENUM ("kind", upg_milestone_kinds, "custom"),
  DATE_NULL ("due"),
  DATE_NULL ("done"),
  INT_NULL ("rollout_percent", 1, 100),
};
G_STATIC_ASSERT (G_N_ELEMENTS (milestone_fields) == UPG_MILESTONE_N_FIELDS);

static const UpgField risk_fields[] = {
  STR_REQ ("title"),
  ENUM ("category", upg_risk_categories, "other"),
  INT_REQ ("likelihood", 1, 5),
  INT_REQ ("impact", 1, 5),
  INT_NULL ("residual_likelihood", 1, 5),
  INT_NULL ("residual_impact", 1, 5),
  STR ("mitigation"),
  STR ("contingency"),
  STR_NULL ("owner"),
  ENUM ("status", upg_risk_statuses, "open"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (risk_fields) == UPG_RISK_N_FIELDS);

static const UpgField member_fields[] = {
  STR_REQ ("name"),
  EMAIL_NULL ("email"),
  ENUM ("role", upg_roles, "other"),
  STR ("responsibilities"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (member_fields) == UPG_MEMBER_N_FIELDS);

static const UpgField group_fields[] = {
  STR_REQ ("name"),
  STR ("audience"),
  EMAILS ("addresses"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (group_fields) == UPG_GROUP_N_FIELDS);

static const UpgField sop_step_fields[] = {
  ENUM ("phase", upg_phases, "planning"),
  STR_REQ ("title"),
  STR ("details"),
  ENUM_NULL ("owner_role", upg_roles),
  BOOL ("required", TRUE),
  TS_NULL ("checked_at"),
  STR_NULL ("checked_by"),
  STR ("note"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (sop_step_fields) == UPG_SOP_STEP_N_FIELDS);

static const UpgField retro_fields[] = {
  DATE_NULL ("held_on"),
  STR_NULL ("facilitator"),
  TS_NULL ("actual_start"),
  TS_NULL ("actual_end"),
  INT_NULL ("downtime_minutes", 0, G_MAXINT),
  BOOL ("rollback_used", FALSE),
  INT ("incidents", 0, G_MAXINT, 0),
  STR ("summary"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (retro_fields) == UPG_RETRO_N_FIELDS);

static const UpgField retro_item_fields[] = {
  ENUM ("kind", upg_retro_item_kinds, "lesson"),
  STR_REQ ("text"),
  STR_NULL ("owner"),
  DATE_NULL ("due"),
  BOOL ("done", FALSE),
};
G_STATIC_ASSERT (G_N_ELEMENTS (retro_item_fields) == UPG_RETRO_ITEM_N_FIELDS);

static const UpgEntity * const no_children[] = { NULL };

const UpgEntity upg_entity_scope_item = {
  "scope item", "scope_item", "scope_items", "project_id", FALSE,
  scope_item_fields, UPG_SCOPE_ITEM_N_FIELDS, no_children, upg_scope_item_get_type
};
const UpgEntity upg_entity_milestone = {
  "milestone", "milestone", "milestones", "project_id", FALSE,
  milestone_fields, UPG_MILESTONE_N_FIELDS, no_children, upg_milestone_get_type
};
const UpgEntity upg_entity_risk = {
  "risk", "risk", "risks", "project_id", FALSE,
  risk_fields, UPG_RISK_N_FIELDS, no_children, upg_risk_get_type
};
const UpgEntity upg_entity_member = {
  "team member", "member", "team", "project_id", FALSE,
  member_fields, UPG_MEMBER_N_FIELDS, no_children, upg_member_get_type
};
const UpgEntity upg_entity_group = {
  "stakeholder group", "stakeholder_group", "stakeholder_groups", "project_id", FALSE,
  group_fields, UPG_GROUP_N_FIELDS, no_children, upg_group_get_type
};
const UpgEntity upg_entity_sop_step = {
  "SOP step", "sop_step", "sop", "project_id", FALSE,
  sop_step_fields, UPG_SOP_STEP_N_FIELDS, no_children, upg_sop_step_get_type
};
const UpgEntity upg_entity_retro_item = {
  "retrospective item", "retro_item", "items", "retro_id", FALSE,
  retro_item_fields, UPG_RETRO_ITEM_N_FIELDS, no_children, upg_retro_item_get_type
};
static const UpgEntity * const retro_children[] = { &upg_entity_retro_item, NULL };
const UpgEntity upg_entity_retro = {
  "retrospective", "retrospective", "retrospective", "project_id", TRUE,
  retro_fields, UPG_RETRO_N_FIELDS, retro_children, upg_retro_get_type
};
static const UpgEntity * const project_children[] = {
  &upg_entity_scope_item, &upg_entity_milestone, &upg_entity_risk,
  &upg_entity_member, &upg_entity_group, &upg_entity_sop_step,
  &upg_entity_retro, NULL
};
const UpgEntity upg_entity_project = {
  "project", "project", "projects", NULL, FALSE,
  project_fields, UPG_PROJECT_N_FIELDS, project_children, upg_project_get_type
};

int
upg_enum_index (const char * const *values,
                const char         *word)
{
  if (word == NULL)
    return -1;
  for (int i = 0; values[i] != NULL; i++)
    if (strcmp (values[i], word) == 0)
      return i;
  return -1;
}

guint
upg_enum_count (const char * const *values)
{
  guint n = 0;
  while (values[n] != NULL)
    n++;
  return n;
}

static gboolean
all_digits (const char *s, guint n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* YYYY-MM-DD at the start of @s, a date that exists. */
static gboolean
parse_date_prefix (const char *s, int *y, int *m, int *d)
{
  if (strlen (s) < 10 || !all_digits (s, 4) || s[4] != '-' ||
      !all_digits (s + 5, 2) || s[7] != '-' || !all_digits (s + 8, 2))
    return FALSE;
  *y = atoi (s);
  *m = (s[5] - '0') * 10 + (s[6] - '0');
  *d = (s[8] - '0') * 10 + (s[9] - '0');
  return *y >= 1 && *m >= 1 && *m <= 12 && *d >= 1 &&
         *d <= g_date_get_days_in_month (*m, *y);
}

gboolean
upg_check_date (const char  *text,
                char       **message)
{
  int y, m, d;

  if (strlen (text) != 10 || !parse_date_prefix (text, &y, &m, &d))
    {
      if (message)
        *message = g_strdup (_("must be a date that exists, written YYYY-MM-DD"));
      return FALSE;
    }
  return TRUE;
}

gboolean
upg_check_timestamp (const char  *text,
                     char       **canonical,
                     char       **message)
{
  int y, mo, d, h, mi, s, off = 0;
  const char *p = text;
  size_t len = strlen (text);

  /* RFC 3339 in whole seconds: YYYY-MM-DDTHH:MM:SS followed by Z or ±HH:MM. */
  if (len < 20 || !parse_date_prefix (p, &y, &mo, &d) || (p[10] != 'T' && p[10] != 't') ||
      !all_digits (p + 11, 2) || p[13] != ':' || !all_digits (p + 14, 2) ||
      p[16] != ':' || !all_digits (p + 17, 2))
    goto bad;

  h = atoi (p + 11);
  mi = atoi (p + 14);
  s = atoi (p + 17);
  if (h > 23 || mi > 59 || s > 59)
    goto bad;

  p += 19;
  if ((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0')
    off = 0;
  else if ((p[0] == '+' || p[0] == '-') && strlen (p) == 6 && all_digits (p + 1, 2) &&
           p[3] == ':' && all_digits (p + 4, 2) && atoi (p + 1) <= 23 && atoi (p + 4) <= 59)
    off = (p[0] == '-' ? -1 : 1) * (atoi (p + 1) * 3600 + atoi (p + 4) * 60);
  else
    goto bad;

  if (canonical)
    {
      g_autoptr(GDateTime) local = g_date_time_new_utc (y, mo, d, h, mi, s);
      g_autoptr(GDateTime) utc = NULL;

      if (local == NULL)
        goto bad;
      utc = g_date_time_add_seconds (local, -off);
      if (utc == NULL || g_date_time_get_year (utc) < 1 || g_date_time_get_year (utc) > 9999)
        goto bad;
      *canonical = upg_timestamp_from_datetime (utc);
    }
  return TRUE;

bad:
  if (message)
    *message = g_strdup (_("must be an RFC 3339 timestamp that exists, like 2026-12-05T01:00:00Z"));
  return FALSE;
}

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

gboolean
upg_check_email (const char  *text,
                 char       **message)
{
  const char *at = strrchr (text, '@');
  const char *p;
  gboolean dot = FALSE;

  if (at == NULL || at == text || strlen (text) > 254 || at - text > 64)
    goto bad;

  /* Local part: a dot-atom (no leading, trailing or double dots). */
  if (text[0] == '.' || at[-1] == '.')
    goto bad;
  for (p = text; p < at; p++)
    if (!(is_atext (*p) || (*p == '.' && p[1] != '.')))
      goto bad;

  /* Domain: dot-separated labels of letters, digits and inner hyphens. */
  p = at + 1;
  if (*p == '\0')
    goto bad;
  while (*p != '\0')
    {
      const char *label = p;
      while (g_ascii_isalnum (*p) || *p == '-')
        p++;
      if (p == label || p - label > 63 || *label == '-' || p[-1] == '-')
        goto bad;
      if (*p == '.')
        {
          dot = TRUE;
          p++;
          if (*p == '\0')
            goto bad;
        }
      else if (*p != '\0')
        goto bad;
    }
  if (!dot)
    goto bad;
  return TRUE;

bad:
  if (message)
    *message = g_strdup (_("must be a valid email address, like name@example.org"));
  return FALSE;
}

gboolean
upg_field_check_string (const UpgField  *field,
                        const char      *text,
                        char           **canonical,
                        char           **message)
{
  switch (field->type)
    {
    case UPG_FIELD_STRING:
    case UPG_FIELD_STRING_OR_NULL:
      if (field->required)
        {
          const char *p = text;
          while (*p && g_ascii_isspace (*p))
            p++;
          if (*p == '\0')
            {
              if (message)
                *message = g_strdup (_("must not be empty"));
              return FALSE;
            }
        }
      return TRUE;

    case UPG_FIELD_ENUM:
    case UPG_FIELD_ENUM_OR_NULL:
      if (upg_enum_index (field->values, text) < 0)
        {
          if (message)
            {
              g_autofree char *list = g_strjoinv (", ", (char **) field->values);
              *message = g_strdup_printf (_("must be one of %s"), list);
            }
          return FALSE;
        }
      return TRUE;

    case UPG_FIELD_TIMESTAMP:
    case UPG_FIELD_TIMESTAMP_OR_NULL:
      return upg_check_timestamp (text, canonical, message);

    case UPG_FIELD_DATE_OR_NULL:
      return upg_check_date (text, message);

    case UPG_FIELD_EMAIL_OR_NULL:
    case UPG_FIELD_EMAIL_LIST:
      return upg_check_email (text, message);

    case UPG_FIELD_INT:
    case UPG_FIELD_INT_OR_NULL:
    case UPG_FIELD_BOOL:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}

gboolean
upg_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

char *
upg_timestamp_from_datetime (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (dt);

  /* Not g_date_time_format (): its %Y has no leading zeros before year 1000,
   * and "584-11-25T10:00:00Z" would not read back. */
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                          g_date_time_get_year (utc), g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc), g_date_time_get_second (utc));
}

char *
upg_timestamp_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return upg_timestamp_from_datetime (now);
}

GDateTime *
upg_timestamp_to_datetime (const char *timestamp)
{
  g_autofree char *canonical = NULL;

  if (timestamp == NULL || !upg_check_timestamp (timestamp, &canonical, NULL))
    return NULL;
  return g_date_time_new_from_iso8601 (canonical, NULL);
}

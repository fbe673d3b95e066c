/* upg-fields.c — the plan format's fields, enumerations and value checks. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-fields.h"
#include "upg-zone.h"
#include "upg-record.h"
#include "upg-clock.h"

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
const char * const upg_moments[] = {
  "advance_notice", "reminder", "started", "completed", "delayed", "rolled_back",
  "retrospective", "cancelled", NULL
};
const char * const upg_languages[] = { "en", "zh_CN", NULL };
const char * const upg_notice_hows[] = { "eml", "mail_app", "clipboard", NULL };
const char * const upg_event_actions[] = { "check", "uncheck", "skip", NULL };

/* Text fields: LINE for names, titles and other one-line values, LONG for
 * the long texts. */
#define LINE              UPG_TEXT_MAX_LINE
#define LONG              UPG_TEXT_MAX_LONG
#define STR(n, m)         { n, UPG_FIELD_STRING, FALSE, NULL, 0, m, 0, "" }
#define STR_REQ(n, m)     { n, UPG_FIELD_STRING, TRUE, NULL, 0, m, 0, "" }
#define STR_NULL(n, m)    { n, UPG_FIELD_STRING_OR_NULL, FALSE, NULL, 0, m, 0, NULL }
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
#define ENUMS(n, v)       { n, UPG_FIELD_ENUM_LIST, FALSE, v, 0, 0, 0, NULL }
#define UUID(n)           { n, UPG_FIELD_UUID, FALSE, NULL, 0, 0, 0, NULL }
#define UUID_NULL(n)      { n, UPG_FIELD_UUID_OR_NULL, FALSE, NULL, 0, 0, 0, NULL }
#define TZ(n, d)          { n, UPG_FIELD_TIME_ZONE, FALSE, NULL, 0, 0, 0, d }
#define TZ_NULL(n)        { n, UPG_FIELD_TIME_ZONE_OR_NULL, FALSE, NULL, 0, 0, 0, NULL }
#define THRESHOLDS(n)     { n, UPG_FIELD_THRESHOLDS, FALSE, NULL, 2, 25, 0, UPG_DEFAULT_RISK_THRESHOLDS }
#define TS_REQ(n)         { n, UPG_FIELD_TIMESTAMP, TRUE, NULL, 0, 0, 0, NULL }

static const UpgField project_fields[] = {
  UUID ("uid"),
  STR_REQ ("name", LINE),
  ENUM ("kind", upg_project_kinds, "other"),
  ENUM ("status", upg_project_statuses, "planning"),
  STR ("goal", LONG),
  STR ("scope", LONG),
  STR ("impact", LONG),
  STR_NULL ("version_from", LINE),
  STR_NULL ("version_to", LINE),
  STR_NULL ("build_id", LINE),
  TS_NULL ("window_start"),
  TS_NULL ("window_end"),
  TZ ("time_zone", "UTC"),
  INT ("calendar_sequence", 0, G_MAXINT, 0),
  INT ("rollback_target_minutes", 1, G_MAXINT, 10),
  TS_NULL ("rollback_started_at"),
  TS_NULL ("rollback_ended_at"),
  THRESHOLDS ("risk_thresholds"),
  TS ("created_at"),
  TS ("updated_at"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (project_fields) == UPG_PROJECT_N_FIELDS);

static const UpgField scope_item_fields[] = {
  STR_REQ ("module", LINE),
  STR ("change", LONG),
  ENUM ("impact", upg_impact_levels, "medium"),
  BOOL ("needs_data_migration", FALSE),
};
G_STATIC_ASSERT (G_N_ELEMENTS (scope_item_fields) == UPG_SCOPE_ITEM_N_FIELDS);

static const UpgField milestone_fields[] = {
  UUID ("uid"),
  STR_REQ ("title", LINE),
  ENUM ("kind", upg_milestone_kinds, "custom"),
  DATE_NULL ("due"),
  DATE_NULL ("done"),
  INT_NULL ("rollout_percent", 1, 100),
};
G_STATIC_ASSERT (G_N_ELEMENTS (milestone_fields) == UPG_MILESTONE_N_FIELDS);

static const UpgField cancelled_milestone_fields[] = {
  STR_REQ ("calendar_uid", LINE),
  STR_REQ ("title", LINE),
  ENUM ("kind", upg_milestone_kinds, "custom"),
  DATE_NULL ("due"),
  TS_REQ ("cancelled_at"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (cancelled_milestone_fields) == UPG_CANCELLED_MILESTONE_N_FIELDS);

static const UpgField risk_fields[] = {
  UUID ("uid"),
  STR_REQ ("title", LINE),
  ENUM ("category", upg_risk_categories, "other"),
  INT_REQ ("likelihood", 1, 5),
  INT_REQ ("impact", 1, 5),
  INT_NULL ("residual_likelihood", 1, 5),
  INT_NULL ("residual_impact", 1, 5),
  STR ("mitigation", LONG),
  STR ("contingency", LONG),
  STR_NULL ("owner", LINE),
  ENUM ("status", upg_risk_statuses, "open"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (risk_fields) == UPG_RISK_N_FIELDS);

static const UpgField member_fields[] = {
  UUID ("uid"),
  STR_REQ ("name", LINE),
  EMAIL_NULL ("email"),
  STR ("phone", LINE),
  ENUM ("role", upg_roles, "other"),
  STR ("responsibilities", LONG),
};
G_STATIC_ASSERT (G_N_ELEMENTS (member_fields) == UPG_MEMBER_N_FIELDS);

static const UpgField group_fields[] = {
  UUID ("uid"),
  STR_REQ ("name", LINE),
  STR ("audience", LONG),
  BOOL ("internal", FALSE),
  EMAILS ("addresses"),
  BOOL ("bcc", FALSE),
  ENUM ("language", upg_languages, "en"),
  TZ_NULL ("time_zone"),
  ENUMS ("moments", upg_moments),
};
G_STATIC_ASSERT (G_N_ELEMENTS (group_fields) == UPG_GROUP_N_FIELDS);

static const UpgField sop_step_fields[] = {
  UUID ("uid"),
  ENUM ("phase", upg_phases, "planning"),
  STR_REQ ("title", LINE),
  STR ("details", LONG),
  ENUM_NULL ("owner_role", upg_roles),
  BOOL ("required", TRUE),
  TS_NULL ("checked_at"),
  STR_NULL ("checked_by", LINE),
  STR ("note", LONG),
};
G_STATIC_ASSERT (G_N_ELEMENTS (sop_step_fields) == UPG_SOP_STEP_N_FIELDS);

static const UpgField retro_fields[] = {
  DATE_NULL ("held_on"),
  STR_NULL ("facilitator", LINE),
  TS_NULL ("actual_start"),
  TS_NULL ("actual_end"),
  INT_NULL ("downtime_minutes", 0, G_MAXINT),
  BOOL ("rollback_used", FALSE),
  INT ("incidents", 0, G_MAXINT, 0),
  INT_NULL ("rollback_minutes", 0, G_MAXINT),
  STR ("root_cause", LONG),
  STR ("detection", LONG),
  STR ("summary", LONG),
};
G_STATIC_ASSERT (G_N_ELEMENTS (retro_fields) == UPG_RETRO_N_FIELDS);

static const UpgField retro_item_fields[] = {
  UUID ("uid"),
  ENUM ("kind", upg_retro_item_kinds, "lesson"),
  STR_REQ ("text", LONG),
  STR_NULL ("owner", LINE),
  DATE_NULL ("due"),
  BOOL ("done", FALSE),
  STR_NULL ("ticket", LINE),
  UUID_NULL ("carried_to"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (retro_item_fields) == UPG_RETRO_ITEM_N_FIELDS);

static const UpgField email_template_fields[] = {
  ENUM ("moment", upg_moments, "advance_notice"),
  ENUM ("language", upg_languages, "en"),
  STR_REQ ("subject", LINE),
  STR_REQ ("body", LONG),
};
G_STATIC_ASSERT (G_N_ELEMENTS (email_template_fields) == UPG_EMAIL_TEMPLATE_N_FIELDS);

static const UpgField notice_fields[] = {
  ENUM ("moment", upg_moments, "advance_notice"),
  STR_REQ ("group", LINE),
  TS_REQ ("at"),
  ENUM ("how", upg_notice_hows, "eml"),
};
G_STATIC_ASSERT (G_N_ELEMENTS (notice_fields) == UPG_NOTICE_N_FIELDS);

static const UpgField sop_event_fields[] = {
  ENUM ("action", upg_event_actions, "check"),
  STR_NULL ("by", LINE),
  TS_REQ ("at"),
  STR ("note", LONG),
};
G_STATIC_ASSERT (G_N_ELEMENTS (sop_event_fields) == UPG_SOP_EVENT_N_FIELDS);

static const UpgEntity * const no_children[] = { NULL };

const UpgEntity upg_entity_scope_item = {
  "scope item", "scope_item", "scope_items", "project_id", FALSE,
  scope_item_fields, UPG_SCOPE_ITEM_N_FIELDS, no_children, upg_scope_item_get_type
};
const UpgEntity upg_entity_milestone = {
  "milestone", "milestone", "milestones", "project_id", FALSE,
  milestone_fields, UPG_MILESTONE_N_FIELDS, no_children, upg_milestone_get_type
};
const UpgEntity upg_entity_cancelled_milestone = {
  "cancelled milestone", "cancelled_milestone", "cancelled_milestones", "project_id", FALSE,
  cancelled_milestone_fields, UPG_CANCELLED_MILESTONE_N_FIELDS, no_children, upg_cancelled_milestone_get_type
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
const UpgEntity upg_entity_sop_event = {
  "history entry", "sop_event", "history", "step_id", FALSE,
  sop_event_fields, UPG_SOP_EVENT_N_FIELDS, no_children, upg_sop_event_get_type
};
static const UpgEntity * const sop_step_children[] = { &upg_entity_sop_event, NULL };
const UpgEntity upg_entity_sop_step = {
  "SOP step", "sop_step", "sop", "project_id", FALSE,
  sop_step_fields, UPG_SOP_STEP_N_FIELDS, sop_step_children, upg_sop_step_get_type
};
const UpgEntity upg_entity_email_template = {
  "email template", "email_template", "email_templates", "project_id", FALSE,
  email_template_fields, UPG_EMAIL_TEMPLATE_N_FIELDS, no_children, upg_email_template_get_type
};
const UpgEntity upg_entity_notice = {
  "notice", "notice", "notices", "project_id", FALSE,
  notice_fields, UPG_NOTICE_N_FIELDS, no_children, upg_notice_get_type
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
  &upg_entity_scope_item, &upg_entity_milestone, &upg_entity_cancelled_milestone, &upg_entity_risk,
  &upg_entity_member, &upg_entity_group, &upg_entity_email_template,
  &upg_entity_notice, &upg_entity_sop_step, &upg_entity_retro, NULL
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

int
upg_field_max_chars (const UpgField *field)
{
  g_return_val_if_fail (field != NULL, 0);

  return field->type == UPG_FIELD_STRING || field->type == UPG_FIELD_STRING_OR_NULL ? field->max : 0;
}

/* Whether @text has more than @max characters, counting no further. */
static gboolean
longer_than (const char *text,
             int         max)
{
  const char *p = text;

  if (strlen (text) <= (gsize) max)
    return FALSE;
  for (int n = 0; *p; p = g_utf8_next_char (p))
    if (++n > max)
      return TRUE;
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
      if (field->max > 0 && longer_than (text, field->max))
        {
          if (message)
            *message = g_strdup_printf (_("must not be longer than %d characters"), field->max);
          return FALSE;
        }
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
    case UPG_FIELD_ENUM_LIST:   /* each word of the list */
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

    case UPG_FIELD_UUID:
    case UPG_FIELD_UUID_OR_NULL:
      return upg_check_uuid (text, message);

    case UPG_FIELD_TIME_ZONE:
    case UPG_FIELD_TIME_ZONE_OR_NULL:
      return upg_check_time_zone (text, message);

    case UPG_FIELD_THRESHOLDS:
      {
        int values[3];
        return upg_parse_thresholds (text, values, message);
      }

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
upg_uuid_from_name (const char *name)
{
  static const char hex[] = "0123456789abcdef";
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize length = sizeof digest;
  char *text = g_malloc (37);
  char *out = text;

  g_checksum_update (sum, (const guchar *) name, -1);
  g_checksum_get_digest (sum, digest, &length);
  digest[6] = (digest[6] & 0x0f) | 0x50;   /* version 5 */
  digest[8] = (digest[8] & 0x3f) | 0x80;   /* RFC 4122 variant */
  /* 8-4-4-4-12 lowercase hex digits, without a printf: an import of a
   * document without uids derives one for every item. */
  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *out++ = '-';
      *out++ = hex[digest[i] >> 4];
      *out++ = hex[digest[i] & 0x0f];
    }
  *out = '\0';
  return text;
}

char *
upg_derive_item_uid (const char *project_uid,
                     const char *path)
{
  g_autofree char *name = g_strconcat ("upgrade-planner:", project_uid, ":", path, NULL);
  return upg_uuid_from_name (name);
}

char *
upg_timestamp_now (void)
{
  g_autoptr(GDateTime) now = upg_clock_now ();
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

gboolean
upg_check_uuid (const char  *text,
                char       **message)
{
  /* Lowercase, 8-4-4-4-12 hex digits. */
  gboolean ok = strlen (text) == 36;

  for (guint i = 0; ok && i < 36; i++)
    {
      char c = text[i];
      if (i == 8 || i == 13 || i == 18 || i == 23)
        ok = c == '-';
      else
        ok = g_ascii_isdigit (c) || (c >= 'a' && c <= 'f');
    }
  if (!ok && message)
    *message = g_strdup (_("must be a lowercase UUID, like 3f2b8c1e-5d4a-4e2b-9c1d-7a6e5f4b3c2d"));
  return ok;
}

gboolean
upg_check_time_zone (const char  *text,
                     char       **message)
{
  gboolean ok = FALSE;

  /* A name from the zone database: "UTC", "Asia/Shanghai" — not an offset
   * ("+08:00") or a path, which GLib would also take. */
  if (*text != '\0' && *text != '/' && *text != '+' && *text != '-' &&
      strstr (text, "..") == NULL && (g_ascii_isalpha (*text)))
    {
      /* Looked up once (upg-zone.c keeps what it found): opening and
       * mapping the zone's file for every check was 6% of the time of
       * the 1,000-project import (a profile), one zone a project. */
      ok = upg_zone_is_known (text);
    }
  if (!ok && message)
    *message = g_strdup (_("must be a time zone name the system knows, like Asia/Shanghai or UTC"));
  return ok;
}

gboolean
upg_parse_thresholds (const char  *text,
                      int          values[3],
                      char       **message)
{
  g_auto(GStrv) parts = text ? g_strsplit (text, ",", -1) : NULL;
  gboolean ok = parts != NULL && g_strv_length (parts) == 3;

  for (guint i = 0; ok && i < 3; i++)
    {
      guint64 v;
      ok = g_ascii_string_to_unsigned (parts[i], 10, 2, 25, &v, NULL);
      values[i] = ok ? (int) v : 0;
      if (ok && i > 0)
        ok = values[i] > values[i - 1];
    }
  if (!ok && message)
    *message = g_strdup (_("must be 3 strictly increasing integers from 2 to 25 (the lowest score of medium, high and critical)"));
  return ok;
}

gboolean
upg_field_check_list (const UpgField     *field,
                      const char * const *list,
                      guint              *bad_index,
                      char              **message)
{
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    {
      *bad_index = i;
      if (!upg_field_check_string (field, list[i], NULL, message))
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (strcmp (list[i], list[j]) == 0)
          {
            if (message)
              *message = g_strdup (_("must not be repeated"));
            return FALSE;
          }
    }
  return TRUE;
}

gboolean
upg_field_is_nullable (const UpgField *field)
{
  switch (field->type)
    {
    case UPG_FIELD_STRING_OR_NULL:
    case UPG_FIELD_ENUM_OR_NULL:
    case UPG_FIELD_INT_OR_NULL:
    case UPG_FIELD_TIMESTAMP_OR_NULL:
    case UPG_FIELD_DATE_OR_NULL:
    case UPG_FIELD_EMAIL_OR_NULL:
    case UPG_FIELD_UUID_OR_NULL:
    case UPG_FIELD_TIME_ZONE_OR_NULL:
      return TRUE;
    default:
      return FALSE;
    }
}

static char *
int_expectation (const UpgField *field)
{
  gboolean nullable = field->type == UPG_FIELD_INT_OR_NULL;

  if (field->max == G_MAXINT)
    return nullable ? g_strdup_printf (_("must be an integer of at least %d, or null"), field->min)
                    : g_strdup_printf (_("must be an integer of at least %d"), field->min);
  return nullable ? g_strdup_printf (_("must be an integer from %d to %d, or null"), field->min, field->max)
                  : g_strdup_printf (_("must be an integer from %d to %d"), field->min, field->max);
}

gboolean
upg_field_check_value (const UpgField  *field,
                       const GValue    *value,
                       char           **message)
{
  switch (field->type)
    {
    case UPG_FIELD_INT:
    case UPG_FIELD_INT_OR_NULL:
      {
        int v = g_value_get_int (value);
        if (field->type == UPG_FIELD_INT_OR_NULL && v == UPG_INT_NULL)
          return TRUE;
        if (v < field->min || v > field->max)
          {
            if (message)
              *message = int_expectation (field);
            return FALSE;
          }
        return TRUE;
      }
    case UPG_FIELD_BOOL:
      return TRUE;
    case UPG_FIELD_EMAIL_LIST:
    case UPG_FIELD_ENUM_LIST:
      {
        guint bad;
        return upg_field_check_list (field, g_value_get_boxed (value), &bad, message);
      }
    default:
      {
        const char *text = g_value_get_string (value);
        g_autofree char *canonical = NULL;

        if (text == NULL)
          {
            if (upg_field_is_nullable (field) ||
                ((field->type == UPG_FIELD_STRING || field->type == UPG_FIELD_ENUM) && !field->required))
              return TRUE;
            if (message)
              *message = g_strdup (field->required ? _("must not be empty") : _("must not be null"));
            return FALSE;
          }
        if (!upg_field_check_string (field, text, &canonical, message))
          return FALSE;
        /* Timestamps are kept in their canonical UTC form. */
        if (canonical != NULL && strcmp (canonical, text) != 0)
          {
            if (message)
              *message = g_strdup (_("must be an RFC 3339 timestamp in UTC, like 2026-12-05T01:00:00Z"));
            return FALSE;
          }
        return TRUE;
      }
    }
}

/* upg-fields.h — the plan's data model as data: one table of fields per entity.
 *
 * The same descriptors drive the model objects' properties, the store's
 * statements, JSON import validation and JSON export, so a field is defined
 * once.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  UPG_FIELD_STRING,            /* string, never null, may be "" */
  UPG_FIELD_STRING_OR_NULL,
  UPG_FIELD_ENUM,              /* one of field->values */
  UPG_FIELD_ENUM_OR_NULL,
  UPG_FIELD_INT,               /* min..max */
  UPG_FIELD_INT_OR_NULL,       /* min..max or null (-1 in the model) */
  UPG_FIELD_BOOL,
  UPG_FIELD_TIMESTAMP,         /* RFC 3339, stored in UTC as YYYY-MM-DDTHH:MM:SSZ */
  UPG_FIELD_TIMESTAMP_OR_NULL,
  UPG_FIELD_DATE_OR_NULL,      /* YYYY-MM-DD */
  UPG_FIELD_EMAIL_OR_NULL,
  UPG_FIELD_EMAIL_LIST,        /* array of addresses (a GStrv in the model) */
  UPG_FIELD_ENUM_LIST,         /* array of enumeration words, no repeats (a GStrv);
                                  every word of field->values by default */
  UPG_FIELD_UUID,              /* lowercase RFC 4122 UUID; a new record gets a random one */
  UPG_FIELD_UUID_OR_NULL,
  UPG_FIELD_TIME_ZONE,         /* an IANA zone name the system knows ("Asia/Shanghai") */
  UPG_FIELD_TIME_ZONE_OR_NULL,
  UPG_FIELD_THRESHOLDS,        /* 3 strictly increasing integers min..max: a JSON array,
                                  "5,10,20" in the model and the file */
} UpgFieldType;

/* The value an absent integer takes in the model (null in JSON and SQL). */
#define UPG_INT_NULL (-1)

/* The longest a text field may be, in characters (issue 17, case 8): a
 * name, a title or another one-line value, and a long text (a goal, a
 * step's details, a note, a template's body). docs/plan-format.md lists
 * which is which; import, the store and the window's entries hold to it. */
#define UPG_TEXT_MAX_LINE 500
#define UPG_TEXT_MAX_LONG 100000

typedef struct {
  const char          *name;       /* JSON key, SQL column and property name */
  UpgFieldType         type;
  gboolean             required;   /* must be present and, for strings, non-empty */
  const char * const  *values;     /* enumeration words */
  int                  min;
  int                  max;        /* integers; for strings the most characters */
  int                  default_int;
  const char          *default_str;
} UpgField;

typedef struct _UpgEntity UpgEntity;

struct _UpgEntity {
  const char              *name;         /* "risk" — used in messages */
  const char              *table;        /* SQL table */
  const char              *json_key;     /* key in the parent object ("risks") */
  const char              *parent_column;/* "project_id", "retro_id"; NULL for projects */
  gboolean                 single;       /* an object or null, not an array */
  const UpgField          *fields;
  guint                    n_fields;
  const UpgEntity * const *children;     /* NULL-terminated */
  GType                  (*get_type) (void);
};

/* Enumerations (the plan format's words, in display order). */
extern const char * const upg_project_kinds[];
extern const char * const upg_project_statuses[];
extern const char * const upg_impact_levels[];
extern const char * const upg_milestone_kinds[];
extern const char * const upg_risk_categories[];
extern const char * const upg_risk_statuses[];
extern const char * const upg_roles[];
extern const char * const upg_phases[];
extern const char * const upg_retro_item_kinds[];
extern const char * const upg_moments[];
extern const char * const upg_languages[];
extern const char * const upg_notice_hows[];
extern const char * const upg_event_actions[];

/* Field indices, in the order of the plan format (and of export). */
typedef enum {
  UPG_PROJECT_UID, UPG_PROJECT_NAME, UPG_PROJECT_KIND, UPG_PROJECT_STATUS, UPG_PROJECT_GOAL,
  UPG_PROJECT_SCOPE, UPG_PROJECT_IMPACT, UPG_PROJECT_VERSION_FROM,
  UPG_PROJECT_VERSION_TO, UPG_PROJECT_BUILD_ID, UPG_PROJECT_WINDOW_START,
  UPG_PROJECT_WINDOW_END, UPG_PROJECT_TIME_ZONE, UPG_PROJECT_CALENDAR_SEQUENCE,
  UPG_PROJECT_ROLLBACK_TARGET_MINUTES, UPG_PROJECT_ROLLBACK_STARTED_AT,
  UPG_PROJECT_ROLLBACK_ENDED_AT, UPG_PROJECT_RISK_THRESHOLDS,
  UPG_PROJECT_CREATED_AT, UPG_PROJECT_UPDATED_AT,
  UPG_PROJECT_N_FIELDS
} UpgProjectField;

typedef enum {
  UPG_SCOPE_ITEM_MODULE, UPG_SCOPE_ITEM_CHANGE, UPG_SCOPE_ITEM_IMPACT,
  UPG_SCOPE_ITEM_NEEDS_DATA_MIGRATION,
  UPG_SCOPE_ITEM_N_FIELDS
} UpgScopeItemField;

typedef enum {
  UPG_MILESTONE_UID, UPG_MILESTONE_TITLE, UPG_MILESTONE_KIND, UPG_MILESTONE_DUE, UPG_MILESTONE_DONE,
  UPG_MILESTONE_ROLLOUT_PERCENT,
  UPG_MILESTONE_N_FIELDS
} UpgMilestoneField;

typedef enum {
  UPG_RISK_UID, UPG_RISK_TITLE, UPG_RISK_CATEGORY, UPG_RISK_LIKELIHOOD, UPG_RISK_IMPACT,
  UPG_RISK_RESIDUAL_LIKELIHOOD, UPG_RISK_RESIDUAL_IMPACT, UPG_RISK_MITIGATION,
  UPG_RISK_CONTINGENCY, UPG_RISK_OWNER, UPG_RISK_STATUS,
  UPG_RISK_N_FIELDS
} UpgRiskField;

typedef enum {
  UPG_MEMBER_UID, UPG_MEMBER_NAME, UPG_MEMBER_EMAIL, UPG_MEMBER_PHONE, UPG_MEMBER_ROLE,
  UPG_MEMBER_RESPONSIBILITIES,
  UPG_MEMBER_N_FIELDS
} UpgMemberField;

typedef enum {
  UPG_GROUP_UID, UPG_GROUP_NAME, UPG_GROUP_AUDIENCE, UPG_GROUP_INTERNAL,
  UPG_GROUP_ADDRESSES, UPG_GROUP_BCC,
  UPG_GROUP_LANGUAGE, UPG_GROUP_TIME_ZONE, UPG_GROUP_MOMENTS,
  UPG_GROUP_N_FIELDS
} UpgGroupField;

typedef enum {
  UPG_SOP_STEP_UID, UPG_SOP_STEP_PHASE, UPG_SOP_STEP_TITLE, UPG_SOP_STEP_DETAILS,
  UPG_SOP_STEP_OWNER_ROLE, UPG_SOP_STEP_REQUIRED, UPG_SOP_STEP_CHECKED_AT,
  UPG_SOP_STEP_CHECKED_BY, UPG_SOP_STEP_NOTE,
  UPG_SOP_STEP_N_FIELDS
} UpgSopStepField;

typedef enum {
  UPG_RETRO_HELD_ON, UPG_RETRO_FACILITATOR, UPG_RETRO_ACTUAL_START,
  UPG_RETRO_ACTUAL_END, UPG_RETRO_DOWNTIME_MINUTES, UPG_RETRO_ROLLBACK_USED,
  UPG_RETRO_INCIDENTS, UPG_RETRO_ROLLBACK_MINUTES, UPG_RETRO_ROOT_CAUSE,
  UPG_RETRO_DETECTION, UPG_RETRO_SUMMARY,
  UPG_RETRO_N_FIELDS
} UpgRetroField;

typedef enum {
  UPG_RETRO_ITEM_UID, UPG_RETRO_ITEM_KIND, UPG_RETRO_ITEM_TEXT, UPG_RETRO_ITEM_OWNER,
  UPG_RETRO_ITEM_DUE, UPG_RETRO_ITEM_DONE, UPG_RETRO_ITEM_TICKET,
  UPG_RETRO_ITEM_CARRIED_TO,
  UPG_RETRO_ITEM_N_FIELDS
} UpgRetroItemField;

typedef enum {
  UPG_EMAIL_TEMPLATE_MOMENT, UPG_EMAIL_TEMPLATE_LANGUAGE, UPG_EMAIL_TEMPLATE_SUBJECT,
  UPG_EMAIL_TEMPLATE_BODY,
  UPG_EMAIL_TEMPLATE_N_FIELDS
} UpgEmailTemplateField;

typedef enum {
  UPG_NOTICE_MOMENT, UPG_NOTICE_GROUP, UPG_NOTICE_AT, UPG_NOTICE_HOW,
  UPG_NOTICE_N_FIELDS
} UpgNoticeField;

/* A milestone that was deleted, or dropped by import --replace, after its
 * calendar entry may have been published: the next calendar export
 * cancels that entry (STATUS:CANCELLED under its old UID). */
typedef enum {
  UPG_CANCELLED_MILESTONE_CALENDAR_UID, UPG_CANCELLED_MILESTONE_TITLE,
  UPG_CANCELLED_MILESTONE_KIND, UPG_CANCELLED_MILESTONE_DUE,
  UPG_CANCELLED_MILESTONE_CANCELLED_AT,
  UPG_CANCELLED_MILESTONE_N_FIELDS
} UpgCancelledMilestoneField;

/* An entry of a SOP step's history (the audit trail of the day). */
typedef enum {
  UPG_SOP_EVENT_ACTION, UPG_SOP_EVENT_BY, UPG_SOP_EVENT_AT, UPG_SOP_EVENT_NOTE,
  UPG_SOP_EVENT_N_FIELDS
} UpgSopEventField;

/* The risk levels' default thresholds: the lowest score of medium, high and
 * critical (a project's own are its risk_thresholds). */
#define UPG_DEFAULT_RISK_THRESHOLDS "5,10,20"

extern const UpgEntity upg_entity_project;
extern const UpgEntity upg_entity_email_template;
extern const UpgEntity upg_entity_notice;
extern const UpgEntity upg_entity_sop_event;
extern const UpgEntity upg_entity_scope_item;
extern const UpgEntity upg_entity_milestone;
extern const UpgEntity upg_entity_cancelled_milestone;
extern const UpgEntity upg_entity_risk;
extern const UpgEntity upg_entity_member;
extern const UpgEntity upg_entity_group;
extern const UpgEntity upg_entity_sop_step;
extern const UpgEntity upg_entity_retro;
extern const UpgEntity upg_entity_retro_item;

int       upg_enum_index      (const char * const *values,
                               const char         *word);
guint     upg_enum_count      (const char * const *values);

/* Value checks shared by import and the editors. Each returns FALSE and sets
 * a message ("must be …") that names what is wrong, without the path. */
gboolean  upg_check_timestamp (const char  *text,
                               char       **canonical,
                               char       **message);
gboolean  upg_check_date      (const char  *text,
                               char       **message);
gboolean  upg_check_email     (const char  *text,
                               char       **message);
gboolean  upg_check_uuid      (const char  *text,
                               char       **message);
gboolean  upg_check_time_zone (const char  *text,
                               char       **message);
/* "5,10,20" → {5, 10, 20}; FALSE (with a message) unless 3 strictly
 * increasing integers from 2 to 25. */
gboolean  upg_parse_thresholds (const char  *text,
                                int          values[3],
                                char       **message);
/* A list field's words: each a word of @field->values (or an address for
 * an address list), none twice. */
gboolean  upg_field_check_list (const UpgField     *field,
                                const char * const *list,
                                guint              *bad_index,
                                char              **message);
/* Whether @field's JSON value and model value may be null. */
gboolean  upg_field_is_nullable (const UpgField *field);
/* Checks @value (of the field's model type) as import checks the JSON
 * value: the one per-field check for import and every write. */
gboolean  upg_field_check_value (const UpgField  *field,
                                 const GValue    *value,
                                 char           **message);
/* The most characters a text field takes (0: not a text field). */
int       upg_field_max_chars   (const UpgField *field);
gboolean  upg_field_check_string (const UpgField  *field,
                                  const char      *text,
                                  char           **canonical,
                                  char           **message);

/* NULL, "" or only white space (any Unicode space). */
gboolean  upg_text_is_blank   (const char *text);

/* A name-based UUID (the version 5 layout, SHA-1) of @name: the same name
 * always gives the same uid. */
char     *upg_uuid_from_name  (const char *name);
/* The uid an item gets when its document (or a file of an older version)
 * has none: from its project's uid and its place in the plan document
 * (@path: "milestones[2]", "retrospective.items[0]"), so the same document
 * always gives the same uids. */
char     *upg_derive_item_uid (const char *project_uid,
                               const char *path);

char     *upg_timestamp_now   (void);
GDateTime *upg_timestamp_to_datetime (const char *timestamp);
char     *upg_timestamp_from_datetime (GDateTime *dt);

G_END_DECLS

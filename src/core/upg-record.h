/* upg-record.h — model objects: one GObject class per entity of the plan.
 *
 * Every field of an entity is a property of the same name (see upg-fields.c),
 * so views can bind to them; the store saves a property the moment it
 * changes. Child lists (a project's risks, a retrospective's items) are
 * GListModels of records, filled by the store.
 */
#pragma once

#include <gio/gio.h>

#include "upg-fields.h"

G_BEGIN_DECLS

/* A handle on @object that many holders share, emptied (upg_shared_get()
 * returns NULL) when the object goes; one weak reference serves them all. */
typedef struct _UpgShared UpgShared;
UpgShared          *upg_shared_ref          (GObject         *object);
gpointer            upg_shared_get          (UpgShared       *shared);
void                upg_shared_unref        (UpgShared       *shared);

#define UPG_TYPE_RECORD (upg_record_get_type ())
G_DECLARE_DERIVABLE_TYPE (UpgRecord, upg_record, UPG, RECORD, GObject)

struct _UpgRecordClass
{
  GObjectClass parent_class;
  const UpgEntity *entity;
};

#define UPG_TYPE_PROJECT (upg_project_get_type ())
G_DECLARE_FINAL_TYPE (UpgProject, upg_project, UPG, PROJECT, UpgRecord)
#define UPG_TYPE_SCOPE_ITEM (upg_scope_item_get_type ())
G_DECLARE_FINAL_TYPE (UpgScopeItem, upg_scope_item, UPG, SCOPE_ITEM, UpgRecord)
#define UPG_TYPE_MILESTONE (upg_milestone_get_type ())
G_DECLARE_FINAL_TYPE (UpgMilestone, upg_milestone, UPG, MILESTONE, UpgRecord)
#define UPG_TYPE_CANCELLED_MILESTONE (upg_cancelled_milestone_get_type ())
G_DECLARE_FINAL_TYPE (UpgCancelledMilestone, upg_cancelled_milestone, UPG, CANCELLED_MILESTONE, UpgRecord)
#define UPG_TYPE_RISK (upg_risk_get_type ())
G_DECLARE_FINAL_TYPE (UpgRisk, upg_risk, UPG, RISK, UpgRecord)
#define UPG_TYPE_MEMBER (upg_member_get_type ())
G_DECLARE_FINAL_TYPE (UpgMember, upg_member, UPG, MEMBER, UpgRecord)
#define UPG_TYPE_GROUP (upg_group_get_type ())
G_DECLARE_FINAL_TYPE (UpgGroup, upg_group, UPG, GROUP, UpgRecord)
#define UPG_TYPE_SOP_STEP (upg_sop_step_get_type ())
G_DECLARE_FINAL_TYPE (UpgSopStep, upg_sop_step, UPG, SOP_STEP, UpgRecord)
#define UPG_TYPE_RETRO (upg_retro_get_type ())
G_DECLARE_FINAL_TYPE (UpgRetro, upg_retro, UPG, RETRO, UpgRecord)
#define UPG_TYPE_RETRO_ITEM (upg_retro_item_get_type ())
G_DECLARE_FINAL_TYPE (UpgRetroItem, upg_retro_item, UPG, RETRO_ITEM, UpgRecord)
#define UPG_TYPE_EMAIL_TEMPLATE (upg_email_template_get_type ())
G_DECLARE_FINAL_TYPE (UpgEmailTemplate, upg_email_template, UPG, EMAIL_TEMPLATE, UpgRecord)
#define UPG_TYPE_NOTICE (upg_notice_get_type ())
G_DECLARE_FINAL_TYPE (UpgNotice, upg_notice, UPG, NOTICE, UpgRecord)
#define UPG_TYPE_SOP_EVENT (upg_sop_event_get_type ())
G_DECLARE_FINAL_TYPE (UpgSopEvent, upg_sop_event, UPG, SOP_EVENT, UpgRecord)

const UpgEntity    *upg_record_get_entity   (UpgRecord  *self);
gint64              upg_record_get_id       (UpgRecord  *self);
void                upg_record_set_id       (UpgRecord  *self,
                                             gint64      id);
gint64              upg_record_get_parent_id (UpgRecord *self);
void                upg_record_set_parent_id (UpgRecord *self,
                                              gint64     parent_id);

const char         *upg_record_get_string   (UpgRecord  *self,
                                             guint       field);
int                 upg_record_get_int      (UpgRecord  *self,
                                             guint       field);
gboolean            upg_record_get_bool     (UpgRecord  *self,
                                             guint       field);
const char * const *upg_record_get_strv     (UpgRecord  *self,
                                             guint       field);

/* Setters notify (and so save) only on a real change. */
void                upg_record_set_string   (UpgRecord  *self,
                                             guint       field,
                                             const char *value);
void                upg_record_set_int      (UpgRecord  *self,
                                             guint       field,
                                             int         value);
void                upg_record_set_bool     (UpgRecord  *self,
                                             guint       field,
                                             gboolean    value);
void                upg_record_set_strv     (UpgRecord  *self,
                                             guint       field,
                                             const char * const *value);
/* For loaders filling a record nobody watches yet: stores @value (of the
 * field's type) without comparing or notifying. */
void                upg_record_load_value   (UpgRecord    *self,
                                             guint         field,
                                             const GValue *value);
GParamSpec         *upg_record_field_pspec  (UpgRecord  *self,
                                             guint       field);
int                 upg_record_field_from_pspec (UpgRecord  *self,
                                                 GParamSpec *pspec);

/* The record of @list (may be NULL) whose id is @id, a new reference, or NULL. */
UpgRecord          *upg_record_list_find    (GListModel      *list,
                                             gint64           id);
/* The child records of @entity (one of this record's entity's children), in
 * position order; NULL until the store has loaded them. A single child (the
 * retrospective) is a list of zero or one. */
GListModel         *upg_record_get_children (UpgRecord       *self,
                                             const UpgEntity *entity);
/* Changes whenever a record in a list takes another id, or a record gets
 * a list of children it had not or loses its lists: what an index of a
 * loaded tree must notice besides its lists' items-changed. */
guint               upg_record_get_tree_serial (void);
GListStore         *upg_record_ensure_children (UpgRecord       *self,
                                                const UpgEntity *entity);
gboolean            upg_record_children_loaded (UpgRecord *self);
void                upg_record_unload_children (UpgRecord *self);

/* The plan format's "extensions" object, kept verbatim as JSON text (or NULL). */
const char         *upg_record_get_extensions (UpgRecord  *self);
void                upg_record_set_extensions (UpgRecord  *self,
                                               const char *json);

/* Book-keeping the store maintains. */
gint64              upg_record_get_project_id (UpgRecord *self);
void                upg_record_set_project_id (UpgRecord *self,
                                               gint64     project_id);
int                 upg_record_get_position   (UpgRecord *self);
void                upg_record_set_position   (UpgRecord *self,
                                               int        position);
/* A server's book-keeping of the stored row: its version when read (an
 * edit made on an older one is refused) and the database role that last
 * changed it (for a SOP event, who recorded it). 0 and NULL for a file. */
gint64              upg_record_get_row_version (UpgRecord *self);
void                upg_record_set_row_version (UpgRecord *self,
                                                gint64     row_version);
/* The fields the store set itself (putting a stored value back): their
 * next notification is not an edit to save. */
guint64             upg_record_get_quiet_fields (UpgRecord *self);
void                upg_record_set_quiet_fields (UpgRecord *self,
                                                 guint64    fields);
const char         *upg_record_get_changed_by  (UpgRecord  *self);
void                upg_record_set_changed_by  (UpgRecord  *self,
                                                const char *role);
GListStore         *upg_record_get_container  (UpgRecord  *self);
void                upg_record_set_container  (UpgRecord  *self,
                                               GListStore *container);

UpgRecord          *upg_record_new          (const UpgEntity *entity);
UpgRecord          *upg_record_copy         (UpgRecord  *self);

/* The UID of @milestone's calendar entry: "PROJECT_UID-milestone-UID". */
char               *upg_milestone_calendar_uid (const char *project_uid,
                                                UpgRecord  *milestone);
/* A cancelled milestone (upg_entity_cancelled_milestone) for @milestone
 * of the project whose uid is @project_uid, cancelled @at (a timestamp). */
UpgRecord          *upg_cancelled_milestone_new (const char *project_uid,
                                                 UpgRecord  *milestone,
                                                 const char *at);

/* Convenience for the project, which every view uses. */
#define upg_project_get_name(p) upg_record_get_string (UPG_RECORD (p), UPG_PROJECT_NAME)
UpgRecord          *upg_project_get_retro   (UpgProject *self);
/* The project's risk level thresholds (lowest score of medium, high and
 * critical); the defaults when its field does not parse. */
void                upg_project_get_risk_thresholds (UpgProject *self,
                                                     int         values[3]);

G_END_DECLS

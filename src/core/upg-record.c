/* upg-record.c — generic model objects whose properties come from upg-fields. */
#include "config.h"

#include <string.h>

#include "upg-record.h"

typedef struct
{
  gint64      id;
  gint64      parent_id;
  GValue     *values;        /* one per field of the entity */
  GListStore **children;     /* one per child entity, NULL until loaded */
  char       *extensions;    /* the plan format's "extensions" object, as JSON */
  gint64      project_id;    /* the project this record belongs to (itself for one) */
  int         position;      /* the order among its siblings, as stored */
  gint64      row_version;   /* the stored row's version when read (a server's; 0 for a file) */
  char       *changed_by;    /* who last changed the stored row (a server's role), or NULL */
  guint64     quiet_fields;  /* fields the store set itself, whose notification is not an edit */
  UpgShared  *container;     /* the list that holds it (shared with its other members) */
} UpgRecordPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (UpgRecord, upg_record, G_TYPE_OBJECT)

/* A handle on an object that many share, emptied when the object goes: one
 * weak reference for them all. (A weak pointer or a watched closure each
 * made freeing a long list quadratic: GLib looks each one up among all.) */
struct _UpgShared
{
  GObject *object;   /* NULL once it is gone */
};

static void
shared_gone (gpointer  data,
             GObject  *where_the_object_was)
{
  UpgShared *shared = data;

  shared->object = NULL;
  g_atomic_rc_box_release (shared);
}

UpgShared *
upg_shared_ref (GObject *object)
{
  static GQuark quark;
  UpgShared *shared;

  g_return_val_if_fail (G_IS_OBJECT (object), NULL);
  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("upg-shared");
  shared = g_object_get_qdata (object, quark);
  if (shared == NULL)
    {
      shared = g_atomic_rc_box_new0 (UpgShared);
      shared->object = object;
      /* The object's own reference, given back when it goes. */
      g_object_set_qdata (object, quark, shared);
      g_object_weak_ref (object, shared_gone, shared);
    }
  return g_atomic_rc_box_acquire (shared);
}

gpointer
upg_shared_get (UpgShared *shared)
{
  return shared->object;
}

void
upg_shared_unref (UpgShared *shared)
{
  g_atomic_rc_box_release (shared);
}

enum {
  PROP_0,
  PROP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Grows when a tree of records may have changed shape without a list
 * saying so: a record in a list took another id, or a record was given or
 * lost lists of children. */
static gint tree_serial;

guint
upg_record_get_tree_serial (void)
{
  return (guint) g_atomic_int_get (&tree_serial);
}

/* Field properties are installed on each subclass with ids field + 1, and
 * keep their pspecs here, per class, for notify-by-pspec. */
typedef struct
{
  GParamSpec **pspecs;
} FieldClassData;

static GQuark field_pspecs_quark;

static GParamSpec **
class_field_pspecs (UpgRecordClass *klass)
{
  return g_type_get_qdata (G_TYPE_FROM_CLASS (klass), field_pspecs_quark);
}

static guint
n_children_of (const UpgEntity *entity)
{
  guint n = 0;
  while (entity->children[n] != NULL)
    n++;
  return n;
}

static void
upg_record_finalize (GObject *object)
{
  UpgRecord *self = UPG_RECORD (object);
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  const UpgEntity *entity = UPG_RECORD_GET_CLASS (self)->entity;

  if (priv->values != NULL)
    {
      for (guint i = 0; i < entity->n_fields; i++)
        g_value_unset (&priv->values[i]);
      g_free (priv->values);
    }
  if (priv->children != NULL)
    {
      for (guint i = 0; entity->children[i] != NULL; i++)
        g_clear_object (&priv->children[i]);
      g_free (priv->children);
    }
  g_free (priv->extensions);
  g_free (priv->changed_by);
  g_clear_pointer (&priv->container, upg_shared_unref);

  G_OBJECT_CLASS (upg_record_parent_class)->finalize (object);
}

static void
upg_record_get_base_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  UpgRecord *self = UPG_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, upg_record_get_id (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
upg_record_set_base_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  UpgRecord *self = UPG_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      upg_record_set_id (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
upg_record_class_init (UpgRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = upg_record_finalize;
  object_class->get_property = upg_record_get_base_property;
  object_class->set_property = upg_record_set_base_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  field_pspecs_quark = g_quark_from_static_string ("upg-record-field-pspecs");
}

static void
upg_record_init (UpgRecord *self)
{
}

static gboolean
values_equal (const GValue *a, const GValue *b)
{
  switch (G_VALUE_TYPE (a))
    {
    case G_TYPE_INT:
      return g_value_get_int (a) == g_value_get_int (b);
    case G_TYPE_BOOLEAN:
      return g_value_get_boolean (a) == g_value_get_boolean (b);
    case G_TYPE_STRING:
      return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    default:
      {
        const char * const *x = g_value_get_boxed (a);
        const char * const *y = g_value_get_boxed (b);
        if (x == NULL || y == NULL)
          return x == y;
        return g_strv_equal (x, y);
      }
    }
}

static void
field_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (UPG_RECORD (object));
  g_value_copy (&priv->values[prop_id - 1], value);
}

static void
field_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (UPG_RECORD (object));
  GValue *slot = &priv->values[prop_id - 1];

  if (values_equal (slot, value))
    return;
  g_value_copy (value, slot);
  g_object_notify_by_pspec (object, pspec);
}

static GParamSpec *
field_pspec_new (const UpgField *field)
{
  /* Not G_PARAM_STATIC_NAME: GObject spells "version_from" as "version-from". */
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_NICK | G_PARAM_STATIC_BLURB;

  switch (field->type)
    {
    case UPG_FIELD_INT:
      return g_param_spec_int (field->name, NULL, NULL, field->min, field->max,
                               field->default_int, flags);
    case UPG_FIELD_INT_OR_NULL:
      return g_param_spec_int (field->name, NULL, NULL, UPG_INT_NULL, field->max,
                               UPG_INT_NULL, flags);
    case UPG_FIELD_BOOL:
      return g_param_spec_boolean (field->name, NULL, NULL, field->default_int, flags);
    case UPG_FIELD_EMAIL_LIST:
    case UPG_FIELD_ENUM_LIST:
      return g_param_spec_boxed (field->name, NULL, NULL, G_TYPE_STRV, flags);
    case UPG_FIELD_STRING:
    case UPG_FIELD_ENUM:
      return g_param_spec_string (field->name, NULL, NULL, field->default_str, flags);
    default:
      return g_param_spec_string (field->name, NULL, NULL, NULL, flags);
    }
}

static void
record_class_set_entity (UpgRecordClass  *klass,
                         const UpgEntity *entity)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamSpec **pspecs = g_new0 (GParamSpec *, entity->n_fields);

  klass->entity = entity;
  object_class->get_property = field_get_property;
  object_class->set_property = field_set_property;

  for (guint i = 0; i < entity->n_fields; i++)
    {
      pspecs[i] = field_pspec_new (&entity->fields[i]);
      g_object_class_install_property (object_class, i + 1, pspecs[i]);
    }
  g_type_set_qdata (G_TYPE_FROM_CLASS (klass), field_pspecs_quark, pspecs);
}

/* A random (version 4) UUID, as g_uuid_string_random() makes it but
 * without its printf: every record read from the file starts with one
 * before its stored uid replaces it, so this runs once per record. */
static char *
uuid_string_random (void)
{
  static const char hex[] = "0123456789abcdef";
  guint8 bytes[16];
  char *text = g_malloc (37);
  char *out = text;

  for (guint i = 0; i < 16; i += 4)
    {
      guint32 r = g_random_int ();
      bytes[i] = r;
      bytes[i + 1] = r >> 8;
      bytes[i + 2] = r >> 16;
      bytes[i + 3] = r >> 24;
    }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  /* version 4 */
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  /* RFC 4122 variant */
  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *out++ = '-';
      *out++ = hex[bytes[i] >> 4];
      *out++ = hex[bytes[i] & 0x0f];
    }
  *out = '\0';
  return text;
}

static void
record_init_values (UpgRecord       *self,
                    const UpgEntity *entity)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);

  priv->values = g_new0 (GValue, entity->n_fields);
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const UpgField *field = &entity->fields[i];

      switch (field->type)
        {
        case UPG_FIELD_INT:
        case UPG_FIELD_INT_OR_NULL:
          g_value_init (&priv->values[i], G_TYPE_INT);
          g_value_set_int (&priv->values[i], field->default_int);
          break;
        case UPG_FIELD_BOOL:
          g_value_init (&priv->values[i], G_TYPE_BOOLEAN);
          g_value_set_boolean (&priv->values[i], field->default_int);
          break;
        case UPG_FIELD_EMAIL_LIST:
          g_value_init (&priv->values[i], G_TYPE_STRV);
          {
            static const char * const empty[] = { NULL };
            g_value_set_boxed (&priv->values[i], empty);
          }
          break;
        case UPG_FIELD_ENUM_LIST:
          g_value_init (&priv->values[i], G_TYPE_STRV);
          g_value_set_boxed (&priv->values[i], field->values);
          break;
        case UPG_FIELD_UUID:
          g_value_init (&priv->values[i], G_TYPE_STRING);
          g_value_take_string (&priv->values[i], uuid_string_random ());
          break;
        default:
          g_value_init (&priv->values[i], G_TYPE_STRING);
          g_value_set_static_string (&priv->values[i], field->default_str);
          break;
        }
    }
  priv->children = g_new0 (GListStore *, n_children_of (entity) + 1);
}

#define UPG_DEFINE_RECORD(TypeName, type_name, entity)                         \
  struct _##TypeName { UpgRecord parent_instance; };                           \
  G_DEFINE_FINAL_TYPE (TypeName, type_name, UPG_TYPE_RECORD)                   \
  static void type_name##_class_init (TypeName##Class *klass)                  \
  { record_class_set_entity (UPG_RECORD_CLASS (klass), &entity); }             \
  static void type_name##_init (TypeName *self)                                \
  { record_init_values (UPG_RECORD (self), &entity); }

UPG_DEFINE_RECORD (UpgProject, upg_project, upg_entity_project)
UPG_DEFINE_RECORD (UpgScopeItem, upg_scope_item, upg_entity_scope_item)
UPG_DEFINE_RECORD (UpgMilestone, upg_milestone, upg_entity_milestone)
UPG_DEFINE_RECORD (UpgCancelledMilestone, upg_cancelled_milestone, upg_entity_cancelled_milestone)
UPG_DEFINE_RECORD (UpgRisk, upg_risk, upg_entity_risk)
UPG_DEFINE_RECORD (UpgMember, upg_member, upg_entity_member)
UPG_DEFINE_RECORD (UpgGroup, upg_group, upg_entity_group)
UPG_DEFINE_RECORD (UpgSopStep, upg_sop_step, upg_entity_sop_step)
UPG_DEFINE_RECORD (UpgRetro, upg_retro, upg_entity_retro)
UPG_DEFINE_RECORD (UpgRetroItem, upg_retro_item, upg_entity_retro_item)
UPG_DEFINE_RECORD (UpgEmailTemplate, upg_email_template, upg_entity_email_template)
UPG_DEFINE_RECORD (UpgNotice, upg_notice, upg_entity_notice)
UPG_DEFINE_RECORD (UpgSopEvent, upg_sop_event, upg_entity_sop_event)

const UpgEntity *
upg_record_get_entity (UpgRecord *self)
{
  g_return_val_if_fail (UPG_IS_RECORD (self), NULL);
  return UPG_RECORD_GET_CLASS (self)->entity;
}

gint64
upg_record_get_id (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_val_if_fail (UPG_IS_RECORD (self), 0);
  return priv->id;
}

void
upg_record_set_id (UpgRecord *self,
                   gint64     id)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_if_fail (UPG_IS_RECORD (self));
  if (priv->id == id)
    return;
  if (priv->container != NULL)
    g_atomic_int_inc (&tree_serial);
  priv->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gint64
upg_record_get_parent_id (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_val_if_fail (UPG_IS_RECORD (self), 0);
  return priv->parent_id;
}

void
upg_record_set_parent_id (UpgRecord *self,
                          gint64     parent_id)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_if_fail (UPG_IS_RECORD (self));
  priv->parent_id = parent_id;
}

static const GValue *
field_value (UpgRecord *self, guint field, GType type)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);

  g_assert (field < UPG_RECORD_GET_CLASS (self)->entity->n_fields);
  g_assert (G_VALUE_HOLDS (&priv->values[field], type));
  return &priv->values[field];
}

const char *
upg_record_get_string (UpgRecord *self,
                       guint      field)
{
  g_return_val_if_fail (UPG_IS_RECORD (self), NULL);
  return g_value_get_string (field_value (self, field, G_TYPE_STRING));
}

int
upg_record_get_int (UpgRecord *self,
                    guint      field)
{
  g_return_val_if_fail (UPG_IS_RECORD (self), 0);
  return g_value_get_int (field_value (self, field, G_TYPE_INT));
}

gboolean
upg_record_get_bool (UpgRecord *self,
                     guint      field)
{
  g_return_val_if_fail (UPG_IS_RECORD (self), FALSE);
  return g_value_get_boolean (field_value (self, field, G_TYPE_BOOLEAN));
}

const char * const *
upg_record_get_strv (UpgRecord *self,
                     guint      field)
{
  g_return_val_if_fail (UPG_IS_RECORD (self), NULL);
  return g_value_get_boxed (field_value (self, field, G_TYPE_STRV));
}

GParamSpec *
upg_record_field_pspec (UpgRecord *self,
                        guint      field)
{
  g_return_val_if_fail (UPG_IS_RECORD (self), NULL);
  g_return_val_if_fail (field < UPG_RECORD_GET_CLASS (self)->entity->n_fields, NULL);
  return class_field_pspecs (UPG_RECORD_GET_CLASS (self))[field];
}

int
upg_record_field_from_pspec (UpgRecord  *self,
                             GParamSpec *pspec)
{
  GParamSpec **pspecs = class_field_pspecs (UPG_RECORD_GET_CLASS (self));
  const UpgEntity *entity = UPG_RECORD_GET_CLASS (self)->entity;

  for (guint i = 0; i < entity->n_fields; i++)
    if (pspecs[i] == pspec)
      return i;
  return -1;
}

static void
set_field_value (UpgRecord *self, guint field, const GValue *value)
{
  GParamSpec *pspec = upg_record_field_pspec (self, field);
  field_set_property (G_OBJECT (self), field + 1, value, pspec);
}

void
upg_record_load_value (UpgRecord    *self,
                       guint         field,
                       const GValue *value)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);

  g_return_if_fail (UPG_IS_RECORD (self));
  g_return_if_fail (field < upg_record_get_entity (self)->n_fields);
  g_value_copy (value, &priv->values[field]);
}

void
upg_record_set_string (UpgRecord  *self,
                       guint       field,
                       const char *value)
{
  g_auto(GValue) v = G_VALUE_INIT;
  g_return_if_fail (UPG_IS_RECORD (self));
  g_value_init (&v, G_TYPE_STRING);
  g_value_set_static_string (&v, value);
  set_field_value (self, field, &v);
}

void
upg_record_set_int (UpgRecord *self,
                    guint      field,
                    int        value)
{
  g_auto(GValue) v = G_VALUE_INIT;
  g_return_if_fail (UPG_IS_RECORD (self));
  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, value);
  set_field_value (self, field, &v);
}

void
upg_record_set_bool (UpgRecord *self,
                     guint      field,
                     gboolean   value)
{
  g_auto(GValue) v = G_VALUE_INIT;
  g_return_if_fail (UPG_IS_RECORD (self));
  g_value_init (&v, G_TYPE_BOOLEAN);
  g_value_set_boolean (&v, !!value);
  set_field_value (self, field, &v);
}

void
upg_record_set_strv (UpgRecord          *self,
                     guint               field,
                     const char * const *value)
{
  g_auto(GValue) v = G_VALUE_INIT;
  static const char * const empty[] = { NULL };
  g_return_if_fail (UPG_IS_RECORD (self));
  g_value_init (&v, G_TYPE_STRV);
  g_value_set_static_boxed (&v, value ? value : empty);
  set_field_value (self, field, &v);
}

static int
child_index (UpgRecord *self, const UpgEntity *entity)
{
  const UpgEntity *own = UPG_RECORD_GET_CLASS (self)->entity;

  for (int i = 0; own->children[i] != NULL; i++)
    if (own->children[i] == entity)
      return i;
  g_return_val_if_reached (-1);
}

GListModel *
upg_record_get_children (UpgRecord       *self,
                         const UpgEntity *entity)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  int i;

  g_return_val_if_fail (UPG_IS_RECORD (self), NULL);
  i = child_index (self, entity);
  return i < 0 ? NULL : G_LIST_MODEL (priv->children[i]);
}

GListStore *
upg_record_ensure_children (UpgRecord       *self,
                            const UpgEntity *entity)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  int i;

  g_return_val_if_fail (UPG_IS_RECORD (self), NULL);
  i = child_index (self, entity);
  g_return_val_if_fail (i >= 0, NULL);
  if (priv->children[i] == NULL)
    {
      priv->children[i] = g_list_store_new (entity->get_type ());
      g_atomic_int_inc (&tree_serial);
    }
  return priv->children[i];
}

gboolean
upg_record_children_loaded (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  const UpgEntity *entity = UPG_RECORD_GET_CLASS (self)->entity;

  for (guint i = 0; entity->children[i] != NULL; i++)
    if (priv->children[i] == NULL)
      return FALSE;
  return TRUE;
}

UpgRecord *
upg_record_list_find (GListModel *list,
                      gint64      id)
{
  g_return_val_if_fail (list == NULL || G_IS_LIST_MODEL (list), NULL);

  for (guint i = 0, n = list ? g_list_model_get_n_items (list) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) record = g_list_model_get_item (list, i);
      if (upg_record_get_id (record) == id)
        return g_steal_pointer (&record);
    }
  return NULL;
}

UpgRecord *
upg_record_new (const UpgEntity *entity)
{
  g_return_val_if_fail (entity != NULL, NULL);
  return g_object_new (entity->get_type (), NULL);
}

UpgRecord *
upg_record_copy (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  const UpgEntity *entity = upg_record_get_entity (self);
  UpgRecord *copy = upg_record_new (entity);
  UpgRecordPrivate *cpriv = upg_record_get_instance_private (copy);

  cpriv->id = priv->id;
  cpriv->parent_id = priv->parent_id;
  for (guint i = 0; i < entity->n_fields; i++)
    g_value_copy (&priv->values[i], &cpriv->values[i]);
  cpriv->extensions = g_strdup (priv->extensions);
  return copy;
}

char *
upg_milestone_calendar_uid (const char *project_uid,
                            UpgRecord  *milestone)
{
  g_return_val_if_fail (UPG_IS_MILESTONE (milestone), NULL);
  return g_strdup_printf ("%s-milestone-%s", project_uid,
                          upg_record_get_string (milestone, UPG_MILESTONE_UID));
}

UpgRecord *
upg_cancelled_milestone_new (const char *project_uid,
                             UpgRecord  *milestone,
                             const char *at)
{
  UpgRecord *cancelled = upg_record_new (&upg_entity_cancelled_milestone);
  g_autofree char *calendar_uid = upg_milestone_calendar_uid (project_uid, milestone);

  upg_record_set_string (cancelled, UPG_CANCELLED_MILESTONE_CALENDAR_UID, calendar_uid);
  upg_record_set_string (cancelled, UPG_CANCELLED_MILESTONE_TITLE,
                         upg_record_get_string (milestone, UPG_MILESTONE_TITLE));
  upg_record_set_string (cancelled, UPG_CANCELLED_MILESTONE_KIND,
                         upg_record_get_string (milestone, UPG_MILESTONE_KIND));
  upg_record_set_string (cancelled, UPG_CANCELLED_MILESTONE_DUE,
                         upg_record_get_string (milestone, UPG_MILESTONE_DUE));
  upg_record_set_string (cancelled, UPG_CANCELLED_MILESTONE_CANCELLED_AT, at);
  return cancelled;
}

UpgRecord *
upg_project_get_retro (UpgProject *self)
{
  GListModel *list = upg_record_get_children (UPG_RECORD (self), &upg_entity_retro);

  g_autoptr(UpgRecord) retro = NULL;

  if (list == NULL || g_list_model_get_n_items (list) == 0)
    return NULL;
  /* The list keeps the retrospective alive; return it without a reference. */
  retro = g_list_model_get_item (list, 0);
  return retro;
}

const char *
upg_record_get_extensions (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_val_if_fail (UPG_IS_RECORD (self), NULL);
  return priv->extensions;
}

void
upg_record_set_extensions (UpgRecord  *self,
                           const char *json)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_if_fail (UPG_IS_RECORD (self));
  g_free (priv->extensions);
  priv->extensions = g_strdup (json);
}

gint64
upg_record_get_project_id (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_val_if_fail (UPG_IS_RECORD (self), 0);
  return priv->project_id;
}

void
upg_record_set_project_id (UpgRecord *self,
                           gint64     project_id)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_if_fail (UPG_IS_RECORD (self));
  priv->project_id = project_id;
}

int
upg_record_get_position (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_val_if_fail (UPG_IS_RECORD (self), 0);
  return priv->position;
}

void
upg_record_set_position (UpgRecord *self,
                         int        position)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_if_fail (UPG_IS_RECORD (self));
  priv->position = position;
}

gint64
upg_record_get_row_version (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_val_if_fail (UPG_IS_RECORD (self), 0);
  return priv->row_version;
}

void
upg_record_set_row_version (UpgRecord *self,
                            gint64     row_version)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_if_fail (UPG_IS_RECORD (self));
  priv->row_version = row_version;
}

guint64
upg_record_get_quiet_fields (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_val_if_fail (UPG_IS_RECORD (self), 0);
  return priv->quiet_fields;
}

void
upg_record_set_quiet_fields (UpgRecord *self,
                             guint64    fields)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_if_fail (UPG_IS_RECORD (self));
  priv->quiet_fields = fields;
}

const char *
upg_record_get_changed_by (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_val_if_fail (UPG_IS_RECORD (self), NULL);
  return priv->changed_by;
}

void
upg_record_set_changed_by (UpgRecord  *self,
                           const char *role)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_if_fail (UPG_IS_RECORD (self));
  g_free (priv->changed_by);
  priv->changed_by = g_strdup (role);
}

GListStore *
upg_record_get_container (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_val_if_fail (UPG_IS_RECORD (self), NULL);
  return priv->container != NULL ? upg_shared_get (priv->container) : NULL;
}

void
upg_record_set_container (UpgRecord  *self,
                          GListStore *container)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  g_return_if_fail (UPG_IS_RECORD (self));
  if (upg_record_get_container (self) == container)
    return;
  g_clear_pointer (&priv->container, upg_shared_unref);
  if (container != NULL)
    priv->container = upg_shared_ref (G_OBJECT (container));
}

void
upg_record_unload_children (UpgRecord *self)
{
  UpgRecordPrivate *priv = upg_record_get_instance_private (self);
  const UpgEntity *entity = UPG_RECORD_GET_CLASS (self)->entity;

  g_return_if_fail (UPG_IS_RECORD (self));
  for (guint i = 0; entity->children[i] != NULL; i++)
    g_clear_object (&priv->children[i]);
  g_atomic_int_inc (&tree_serial);
}

void
upg_project_get_risk_thresholds (UpgProject *self,
                                 int         values[3])
{
  g_return_if_fail (UPG_IS_PROJECT (self));

  if (!upg_parse_thresholds (upg_record_get_string (UPG_RECORD (self), UPG_PROJECT_RISK_THRESHOLDS),
                             values, NULL))
    upg_parse_thresholds (UPG_DEFAULT_RISK_THRESHOLDS, values, NULL);
}

/* upg-plan.c — the JSON plan format: validation, import and deterministic export. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "upg-clock.h"
#include "upg-json-check.h"
#include "upg-labels.h"
#include "upg-plan.h"
#include "upg-plan-private.h"
#include "upg-rules.h"
#include "upg-template.h"

G_DEFINE_QUARK (upg-plan-error-quark, upg_plan_error)

/* ------------------------------------------------------------------ */
/* Reading                                                             */

typedef struct {
  GString *path;   /* "projects[0].risks[3]" while walking */
  GError **error;
  int      version; /* of the document being read */
} Walk;

/* Keys that later versions of the format added: a document of an earlier
 * version that has one is refused like any unknown key. */
static const struct {
  const UpgEntity *entity;
  const char      *key;
  int              since;
} keys_since[] = {
  { &upg_entity_project, "uid", 2 },
  { &upg_entity_project, "time_zone", 2 },
  { &upg_entity_project, "calendar_sequence", 2 },
  { &upg_entity_project, "risk_thresholds", 2 },
  { &upg_entity_project, "email_templates", 2 },
  { &upg_entity_project, "notices", 2 },
  { &upg_entity_group, "bcc", 2 },
  { &upg_entity_group, "language", 2 },
  { &upg_entity_group, "time_zone", 2 },
  { &upg_entity_group, "moments", 2 },
  { &upg_entity_sop_step, "history", 2 },
  { &upg_entity_retro, "rollback_minutes", 2 },
  { &upg_entity_retro, "root_cause", 2 },
  { &upg_entity_retro, "detection", 2 },
  { &upg_entity_retro_item, "ticket", 2 },
  { &upg_entity_retro_item, "carried_to", 2 },
  { &upg_entity_project, "rollback_started_at", 3 },
  { &upg_entity_project, "rollback_ended_at", 3 },
  { &upg_entity_project, "cancelled_milestones", 3 },
  { &upg_entity_milestone, "uid", 3 },
  { &upg_entity_risk, "uid", 3 },
  { &upg_entity_member, "uid", 3 },
  { &upg_entity_member, "phone", 3 },
  { &upg_entity_group, "uid", 3 },
  { &upg_entity_group, "internal", 3 },
  { &upg_entity_sop_step, "uid", 3 },
  { &upg_entity_retro_item, "uid", 3 },
};

static gboolean
key_in_version (const UpgEntity *entity, const char *key, int version)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys_since); i++)
    if (keys_since[i].entity == entity && strcmp (keys_since[i].key, key) == 0)
      return version >= keys_since[i].since;
  return TRUE;
}

/* Whether records of @entity carry a uid of their own as their first field
 * (the items of a project; the project's own uid is not derived). */
static gboolean
has_item_uid (const UpgEntity *entity)
{
  return entity != &upg_entity_project && entity->n_fields > 0 &&
         entity->fields[0].type == UPG_FIELD_UUID && strcmp (entity->fields[0].name, "uid") == 0;
}

G_GNUC_PRINTF (2, 3)
static gboolean
fail (Walk *w, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (w->error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID, "%s: %s", w->path->str, message);
  return FALSE;
}

/* Pushes ".key" or "[i]" onto the path; returns the old length to pop to. */
static gsize
push_key (Walk *w, const char *key)
{
  gsize len = w->path->len;
  if (len > 0)
    g_string_append_c (w->path, '.');
  g_string_append (w->path, key);
  return len;
}

/* Appends "[@i]" to @path (without a printf: one for every item read). */
static void
append_index (GString *path, guint i)
{
  char digits[16];
  guint n = 0;

  do
    digits[n++] = '0' + i % 10;
  while ((i /= 10) > 0);
  g_string_append_c (path, '[');
  while (n > 0)
    g_string_append_c (path, digits[--n]);
  g_string_append_c (path, ']');
}

static gsize
push_index (Walk *w, guint i)
{
  gsize len = w->path->len;
  append_index (w->path, i);
  return len;
}

static void
pop (Walk *w, gsize len)
{
  g_string_truncate (w->path, len);
}

static gboolean
node_is (JsonNode *node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static const char *
field_expectation (const UpgField *field, gboolean nullable)
{
  switch (field->type)
    {
    case UPG_FIELD_BOOL:
      return _("must be true or false");
    case UPG_FIELD_EMAIL_LIST:
      return _("must be an array of email addresses");
    case UPG_FIELD_ENUM_LIST:
      return _("must be an array of words");
    case UPG_FIELD_THRESHOLDS:
      return _("must be an array of 3 integers");
    default:
      return nullable ? _("must be a string or null") : _("must be a string");
    }
}

static gboolean
read_field (Walk *w, UpgRecord *record, guint index, JsonNode *node)
{
  const UpgField *field = &upg_record_get_entity (record)->fields[index];
  gboolean nullable = upg_field_is_nullable (field);
  gsize mark = push_key (w, field->name);
  gboolean ok = TRUE;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (!nullable)
        {
          if (field->type == UPG_FIELD_INT)
            ok = field->max == G_MAXINT
                   ? fail (w, _("must be an integer of at least %d"), field->min)
                   : fail (w, _("must be an integer from %d to %d"), field->min, field->max);
          else
            ok = fail (w, "%s", field_expectation (field, FALSE));
        }
      else if (field->type == UPG_FIELD_INT_OR_NULL)
        upg_record_set_int (record, index, UPG_INT_NULL);
      else
        upg_record_set_string (record, index, NULL);
      pop (w, mark);
      return ok;
    }

  switch (field->type)
    {
    case UPG_FIELD_INT:
    case UPG_FIELD_INT_OR_NULL:
      {
        gint64 v;
        if (!node_is (node, G_TYPE_INT64) ||
            (v = json_node_get_int (node)) < field->min || v > field->max)
          {
            if (field->max == G_MAXINT)
              ok = field->type == UPG_FIELD_INT
                     ? fail (w, _("must be an integer of at least %d"), field->min)
                     : fail (w, _("must be an integer of at least %d, or null"), field->min);
            else
              ok = field->type == UPG_FIELD_INT
                     ? fail (w, _("must be an integer from %d to %d"), field->min, field->max)
                     : fail (w, _("must be an integer from %d to %d, or null"), field->min, field->max);
          }
        else
          upg_record_set_int (record, index, (int) v);
      }
      break;

    case UPG_FIELD_BOOL:
      if (!node_is (node, G_TYPE_BOOLEAN))
        ok = fail (w, "%s", field_expectation (field, FALSE));
      else
        upg_record_set_bool (record, index, json_node_get_boolean (node));
      break;

    case UPG_FIELD_EMAIL_LIST:
    case UPG_FIELD_ENUM_LIST:
      {
        JsonArray *array;
        g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

        if (!JSON_NODE_HOLDS_ARRAY (node))
          {
            ok = fail (w, "%s", field_expectation (field, FALSE));
            break;
          }
        array = json_node_get_array (node);
        for (guint i = 0; ok && i < json_array_get_length (array); i++)
          {
            JsonNode *item = json_array_get_element (array, i);
            gsize m = push_index (w, i);

            if (!node_is (item, G_TYPE_STRING))
              ok = fail (w, "%s", field->type == UPG_FIELD_EMAIL_LIST ? _("must be an email address")
                                                                       : _("must be a string"));
            else
              g_ptr_array_add (list, g_strdup (json_node_get_string (item)));
            pop (w, m);
          }
        g_ptr_array_add (list, NULL);
        if (ok)
          {
            guint bad = 0;
            g_autofree char *message = NULL;

            if (!upg_field_check_list (field, (const char * const *) list->pdata, &bad, &message))
              {
                gsize m = push_index (w, bad);
                ok = fail (w, "%s", message);
                pop (w, m);
              }
            else
              upg_record_set_strv (record, index, (const char * const *) list->pdata);
          }
      }
      break;

    case UPG_FIELD_THRESHOLDS:
      {
        JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
        g_autoptr(GString) text = g_string_new (NULL);
        g_autofree char *message = NULL;
        int values[3];

        for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
          {
            JsonNode *item = json_array_get_element (array, i);
            if (!node_is (item, G_TYPE_INT64) || json_node_get_int (item) < -99 ||
                json_node_get_int (item) > 99)
              {
                array = NULL;
                break;
              }
            g_string_append_printf (text, i ? ",%d" : "%d", (int) json_node_get_int (item));
          }
        if (array == NULL || !upg_parse_thresholds (text->str, values, &message))
          ok = fail (w, "%s", message ? message : field_expectation (field, FALSE));
        else
          upg_record_set_string (record, index, text->str);
      }
      break;

    default:
      {
        g_autofree char *canonical = NULL;
        g_autofree char *message = NULL;

        if (!node_is (node, G_TYPE_STRING))
          ok = fail (w, "%s", field_expectation (field, nullable));
        else if (!upg_field_check_string (field, json_node_get_string (node), &canonical, &message))
          ok = fail (w, "%s", message);
        else
          upg_record_set_string (record, index, canonical ? canonical : json_node_get_string (node));
      }
      break;
    }
  pop (w, mark);
  return ok;
}

/* How many bytes upg_json_append_string() writes for @text. */
static gsize
quoted_size (const char *text)
{
  gsize size = 2;

  for (const guchar *p = (const guchar *) text; *p; p++)
    size += strchr ("\"\\\n\r\t\b\f", *p) != NULL ? 2 : *p < 0x20 ? 6 : 1;
  return size;
}

/* How many bytes export writes for @node at @level (at most: numbers are
 * counted as 32). */
static gsize
written_size (JsonNode *node, int level)
{
  gsize size = 0;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        size = 2 + (n ? 1 + 2 * level : 0);
        for (guint i = 0; i < n; i++)
          size += 2 * (level + 1) + 2 + written_size (json_array_get_element (array, i), level + 1);
      }
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        size = 2 + (members ? 1 + 2 * level : 0);
        for (GList *l = members; l != NULL; l = l->next)
          size += 2 * (level + 1) + 4 + quoted_size (l->data) +
                  written_size (json_object_get_member (object, l->data), level + 1);
      }
      break;
    case JSON_NODE_VALUE:
      size = json_node_get_value_type (node) == G_TYPE_STRING
               ? quoted_size (json_node_get_string (node))
               : 32;
      break;
    case JSON_NODE_NULL:
      size = 4;
      break;
    }
  return size;
}

static gboolean
read_extensions (Walk *w, UpgRecord *record, JsonNode *node, char **out)
{
  gsize mark = push_key (w, "extensions");

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (w, _("must be an object"));
  /* Export indents every line by its depth: bound what one object can
   * become, so a small document cannot make a huge export. */
  if (written_size (node, 4) > UPG_PLAN_MAX_EXTENSIONS_SIZE)
    return fail (w, _("is too large: extensions may take up to %d MiB when exported"),
                 UPG_PLAN_MAX_EXTENSIONS_SIZE / (1024 * 1024));
  pop (w, mark);
  if (record != NULL)
    {
      g_autofree char *json = json_to_string (node, FALSE);
      upg_record_set_extensions (record, json);
    }
  else
    *out = json_to_string (node, FALSE);
  return TRUE;
}

static UpgRecord *read_record (Walk *w, const UpgEntity *entity, JsonNode *node);

static gboolean
read_children (Walk *w, UpgRecord *record, const UpgEntity *child, JsonNode *node)
{
  GListStore *list = upg_record_ensure_children (record, child);
  gsize mark = push_key (w, child->json_key);
  JsonArray *array;

  if (child->single)
    {
      if (!JSON_NODE_HOLDS_NULL (node))
        {
          g_autoptr(UpgRecord) item = read_record (w, child, node);
          if (item == NULL)
            return FALSE;
          g_list_store_append (list, item);
        }
      pop (w, mark);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (w, _("must be an array"));
  array = json_node_get_array (node);
  for (guint i = 0, n = json_array_get_length (array); i < n; i++)
    {
      gsize m = push_index (w, i);
      g_autoptr(UpgRecord) item = read_record (w, child, json_array_get_element (array, i));
      if (item == NULL)
        return FALSE;
      g_list_store_append (list, item);
      pop (w, m);
    }
  pop (w, mark);
  return TRUE;
}

/* Rules that tie one field to another (upg-rules.c, as the store checks them). */
static gboolean
check_record (Walk *w, UpgRecord *record)
{
  g_autofree char *where = NULL;
  g_autofree char *message = NULL;

  if (upg_rules_check_record (record, &where, &message))
    return TRUE;
  if (w->path->len > 0 && where[0] != '[')
    g_string_append_c (w->path, '.');
  g_string_append (w->path, where);
  return fail (w, "%s", message);
}

/* A version-1 step that is checked gets the history version 2 keeps: one
 * check made of its checked_at and checked_by. */
static void
add_v1_history (UpgRecord *step)
{
  GListStore *history = upg_record_ensure_children (step, &upg_entity_sop_event);
  const char *at = upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT);
  g_autoptr(UpgRecord) event = NULL;

  if (at == NULL)
    return;
  event = upg_record_new (&upg_entity_sop_event);
  upg_record_set_string (event, UPG_SOP_EVENT_ACTION, "check");
  upg_record_set_string (event, UPG_SOP_EVENT_BY, upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY));
  upg_record_set_string (event, UPG_SOP_EVENT_AT, at);
  g_list_store_append (history, event);
}

static UpgRecord *
read_record (Walk *w, const UpgEntity *entity, JsonNode *node)
{
  g_autoptr(UpgRecord) record = NULL;
  g_autoptr(GList) members = NULL;
  guint next_field = 0;
  JsonObject *object;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (w, _("must be an object"));
      return NULL;
    }
  object = json_node_get_object (node);
  record = upg_record_new (entity);

  /* Unknown keys first, in document order: a typo must not pass as a
   * missing field. */
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      gboolean known = strcmp (key, "extensions") == 0;

      /* Documents list the fields in order (export does): look from the
       * one after the last found, round to it. */
      for (guint k = 0; !known && k < entity->n_fields; k++)
        {
          guint i = (next_field + k) % entity->n_fields;
          known = strcmp (key, entity->fields[i].name) == 0;
          if (known)
            next_field = i + 1;
        }
      for (guint c = 0; !known && entity->children[c] != NULL; c++)
        known = strcmp (key, entity->children[c]->json_key) == 0;
      if (!known || !key_in_version (entity, key, w->version))
        {
          push_key (w, key);
          fail (w, _("unknown key"));
          return NULL;
        }
    }

  for (guint i = 0; i < entity->n_fields; i++)
    {
      const UpgField *field = &entity->fields[i];
      JsonNode *member = json_object_get_member (object, field->name);

      if (member == NULL)
        {
          /* Derived from the project's uid and the item's place once the
           * whole project is read (complete_uids ()). */
          if (i == 0 && has_item_uid (entity))
            upg_record_set_string (record, 0, NULL);
          if (field->required)
            {
              push_key (w, field->name);
              fail (w, _("is required"));
              return NULL;
            }
          continue;
        }
      if (!read_field (w, record, i, member))
        return NULL;
    }

  /* Timestamps a project must have default to now. */
  if (entity == &upg_entity_project)
    {
      g_autofree char *now = upg_timestamp_now ();
      if (upg_record_get_string (record, UPG_PROJECT_CREATED_AT) == NULL)
        upg_record_set_string (record, UPG_PROJECT_CREATED_AT, now);
      if (upg_record_get_string (record, UPG_PROJECT_UPDATED_AT) == NULL)
        upg_record_set_string (record, UPG_PROJECT_UPDATED_AT, now);
    }

  for (guint c = 0; entity->children[c] != NULL; c++)
    {
      const UpgEntity *child = entity->children[c];
      JsonNode *member = json_object_get_member (object, child->json_key);

      if (member == NULL)
        upg_record_ensure_children (record, child);
      else if (!read_children (w, record, child, member))
        return NULL;
    }

  value = json_object_get_member (object, "extensions");
  if (value != NULL && !read_extensions (w, record, value, NULL))
    return NULL;

  if (entity == &upg_entity_sop_step && w->version < 2)
    add_v1_history (record);

  if (!check_record (w, record))
    return NULL;
  return g_steal_pointer (&record);
}

/* Gives the items of @list (under @project, at @key in the document) that
 * had no uid their derived one, and refuses a uid given twice. */
static gboolean
complete_list_uids (Walk *w, UpgRecord *project, GListModel *list, const char *key)
{
  const char *project_uid = upg_record_get_string (project, UPG_PROJECT_UID);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) path = g_string_new (key);

  for (guint i = 0, n = list ? g_list_model_get_n_items (list) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) item = g_list_model_get_item (list, i);

      g_string_truncate (path, strlen (key));
      append_index (path, i);
      if (upg_record_get_string (item, 0) == NULL)
        {
          g_autofree char *uid = upg_derive_item_uid (project_uid, path->str);
          upg_record_set_string (item, 0, uid);
        }
      if (!g_hash_table_add (seen, (char *) upg_record_get_string (item, 0)))
        {
          g_string_append (path, ".uid");
          push_key (w, path->str);
          return fail (w, _("must be unique: an earlier item of the same list has the same uid"));
        }
    }
  return TRUE;
}

static gboolean
complete_uids (Walk *w, UpgRecord *project)
{
  const UpgEntity *entity = &upg_entity_project;
  GListModel *retros = upg_record_get_children (project, &upg_entity_retro);
  g_autoptr(UpgRecord) retro = retros && g_list_model_get_n_items (retros) ? g_list_model_get_item (retros, 0) : NULL;

  for (guint c = 0; entity->children[c] != NULL; c++)
    if (has_item_uid (entity->children[c]) &&
        !complete_list_uids (w, project, upg_record_get_children (project, entity->children[c]),
                             entity->children[c]->json_key))
      return FALSE;
  return retro == NULL ||
         complete_list_uids (w, project, upg_record_get_children (retro, &upg_entity_retro_item),
                             "retrospective.items");
}

static gpointer
free_tree_thread (gpointer tree)
{
  json_node_unref (tree);
  return NULL;
}

/* Reading the document's projects, one after another. */
typedef struct {
  Walk        w;
  GPtrArray  *projects;   /* UpgProject, read so far */
  GHashTable *uids;       /* their uids */
} Reading;

/* Makes the project at projects[@i] a record with its children (checked,
 * the uids of its items completed) and adds it to @r->projects. */
static gboolean
read_project (Reading *r, guint i, JsonNode *node)
{
  Walk *w = &r->w;
  gsize m = push_index (w, i);
  UpgRecord *project = read_record (w, &upg_entity_project, node);

  if (project == NULL)
    return FALSE;
  g_ptr_array_add (r->projects, project);
  if (!complete_uids (w, project))
    return FALSE;
  if (!g_hash_table_add (r->uids, (char *) upg_record_get_string (project, UPG_PROJECT_UID)))
    {
      push_key (w, "uid");
      return fail (w, _("must be unique: an earlier project has the same uid"));
    }
  pop (w, m);
  return TRUE;
}

/* The document's format and version, as upg_plan_parse () checks them
 * before it reads a project: FALSE when they are not (yet) there or not
 * ones it reads. */
static gboolean
plan_version (JsonObject *root, int *version)
{
  JsonNode *format = json_object_get_member (root, "format");
  JsonNode *number = json_object_get_member (root, "version");

  if (format == NULL || !node_is (format, G_TYPE_STRING) ||
      strcmp (json_node_get_string (format), "upgrade-planner") != 0 ||
      number == NULL || !node_is (number, G_TYPE_INT64) ||
      json_node_get_int (number) < 1 || json_node_get_int (number) > UPG_PLAN_FORMAT_VERSION)
    return FALSE;
  *version = (int) json_node_get_int (number);
  return TRUE;
}

/* Streaming (upg_json_parse_stream ()): the projects are read as the
 * scanner finishes each, when the document's format and version come
 * before them (as export writes them); otherwise the whole tree is built
 * and read afterwards. Either way the errors are the same, in the same
 * order: the document's syntax, its format and version, its other keys,
 * then the projects in order. */
static gboolean
stream_ready_cb (JsonObject *root, gpointer data)
{
  Reading *r = data;

  return plan_version (root, &r->w.version);
}

static gboolean
stream_project_cb (JsonNode *node, guint index, gpointer data, GError **error)
{
  Reading *r = data;
  GError **document_error = r->w.error;
  gboolean ok;

  r->w.error = error;
  g_string_assign (r->w.path, "projects");
  ok = read_project (r, index, node);
  g_string_truncate (r->w.path, 0);
  r->w.error = document_error;
  return ok;
}

static GPtrArray *
plan_parse (const char  *data,
            gssize       length,
            gboolean     stream,
            char       **extensions,
            GError     **error)
{
  g_autoptr(JsonNode) tree = NULL;
  g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GString) path = g_string_new (NULL);
  g_autoptr(GHashTable) uids = g_hash_table_new (g_str_hash, g_str_equal);
  Reading r = { { path, error, UPG_PLAN_FORMAT_VERSION }, projects, uids };
  UpgJsonStream reader = { "projects", stream_ready_cb, stream_project_cb, &r };
  g_autoptr(GError) project_error = NULL;
  gboolean streamed = FALSE;
  Walk *w = &r.w;
  JsonObject *root;
  g_autoptr(GList) members = NULL;
  JsonNode *node, *format, *version;
  JsonArray *array;

  g_return_val_if_fail (data != NULL, NULL);

  if (length < 0)
    length = strlen (data);
  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID_JSON,
                   _("The file is not valid JSON: it is not UTF-8 text"));
      return NULL;
    }
  /* Our own parser, not json-glib's: that one recurses (a deep document
   * would overflow the stack) and silently changes some values. */
  if (stream)
    tree = upg_json_parse_stream (data, length, &reader, &streamed, &project_error, error);
  else
    tree = upg_json_parse (data, length, error);
  if (tree == NULL)
    return NULL;

  node = tree;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto not_a_plan;
  root = json_node_get_object (node);
  format = json_object_get_member (root, "format");
  if (format == NULL || !node_is (format, G_TYPE_STRING) ||
      strcmp (json_node_get_string (format), "upgrade-planner") != 0)
    goto not_a_plan;

  version = json_object_get_member (root, "version");
  if (version == NULL || !node_is (version, G_TYPE_INT64) || json_node_get_int (version) < 1)
    {
      g_set_error (error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID,
                   _("version: must be a positive integer"));
      return NULL;
    }
  if (json_node_get_int (version) > UPG_PLAN_FORMAT_VERSION)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (version));
      g_set_error (error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_TOO_NEW,
                   _("The plan uses format version %s, newer than this version of Upgrade Planner reads (%d); update Upgrade Planner"),
                   number, UPG_PLAN_FORMAT_VERSION);
      return NULL;
    }

  w->version = (int) json_node_get_int (version);

  members = json_object_get_members (root);
  for (GList *l = members; l != NULL; l = l->next)
    if (strcmp (l->data, "format") != 0 && strcmp (l->data, "version") != 0 &&
        strcmp (l->data, "projects") != 0 && strcmp (l->data, "extensions") != 0)
      {
        push_key (w, l->data);
        fail (w, _("unknown key"));
        return NULL;
      }

  if (streamed)
    {
      /* The projects were read as they came (the array is empty here). */
      if (project_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&project_error));
          return NULL;
        }
    }
  else
    {
      node = json_object_get_member (root, "projects");
      push_key (w, "projects");
      if (node == NULL)
        {
          fail (w, _("is required"));
          return NULL;
        }
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          fail (w, _("must be an array"));
          return NULL;
        }
      array = json_node_get_array (node);
      for (guint i = 0, n = json_array_get_length (array); i < n; i++)
        if (!read_project (&r, i, json_array_get_element (array, i)))
          return NULL;
      pop (w, 0);
    }

  node = json_object_get_member (root, "extensions");
  if (extensions != NULL)
    *extensions = NULL;
  if (node != NULL)
    {
      g_autofree char *json = NULL;
      if (!read_extensions (w, NULL, node, &json))
        return NULL;
      if (extensions != NULL)
        *extensions = g_steal_pointer (&json);
    }

  /* A whole document tree takes a while to free: let another thread do it
   * while the caller writes the projects. */
  if (!streamed)
    g_thread_unref (g_thread_new ("upg-free-json", free_tree_thread, g_steal_pointer (&tree)));
  return g_steal_pointer (&projects);

not_a_plan:
  g_set_error (error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_NOT_A_PLAN,
               _("The file is not an Upgrade Planner plan (it has no \"format\": \"upgrade-planner\")"));
  return NULL;
}

GPtrArray *
upg_plan_parse (const char  *data,
                gssize       length,
                char       **extensions,
                GError     **error)
{
  return plan_parse (data, length, TRUE, extensions, error);
}

GPtrArray *
upg_plan_parse_whole (const char  *data,
                      gssize       length,
                      char       **extensions,
                      GError     **error)
{
  return plan_parse (data, length, FALSE, extensions, error);
}

/* The calendar entries @incoming (replacing @stored) must cancel: those
 * its document lists, then those @stored listed, then those of @stored's
 * dated milestones that are gone; none of a milestone @incoming has. */
static void
merge_cancelled (UpgRecord *stored, UpgRecord *incoming)
{
  const char *project_uid = upg_record_get_string (incoming, UPG_PROJECT_UID);
  GListModel *milestones = upg_record_get_children (incoming, &upg_entity_milestone);
  GListModel *old_milestones = upg_record_get_children (stored, &upg_entity_milestone);
  GListModel *old_cancelled = upg_record_get_children (stored, &upg_entity_cancelled_milestone);
  GListStore *cancelled = upg_record_ensure_children (incoming, &upg_entity_cancelled_milestone);
  g_autoptr(GHashTable) live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *now = upg_clock_now_iso ();

  for (guint i = 0, n = milestones ? g_list_model_get_n_items (milestones) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (milestones, i);
      g_hash_table_add (live, upg_milestone_calendar_uid (project_uid, m));
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (cancelled));)
    {
      g_autoptr(UpgRecord) c = g_list_model_get_item (G_LIST_MODEL (cancelled), i);
      const char *uid = upg_record_get_string (c, UPG_CANCELLED_MILESTONE_CALENDAR_UID);

      if (g_hash_table_contains (live, uid) || !g_hash_table_add (listed, (char *) uid))
        g_list_store_remove (cancelled, i);
      else
        i++;
    }
  for (guint i = 0, n = old_cancelled ? g_list_model_get_n_items (old_cancelled) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) c = g_list_model_get_item (old_cancelled, i);
      const char *uid = upg_record_get_string (c, UPG_CANCELLED_MILESTONE_CALENDAR_UID);
      g_autoptr(UpgRecord) copy = NULL;

      if (g_hash_table_contains (live, uid) || g_hash_table_contains (listed, uid))
        continue;
      copy = upg_record_copy (c);
      upg_record_set_id (copy, 0);
      g_list_store_append (cancelled, copy);
      g_hash_table_add (listed, (char *) upg_record_get_string (copy, UPG_CANCELLED_MILESTONE_CALENDAR_UID));
    }
  for (guint i = 0, n = old_milestones ? g_list_model_get_n_items (old_milestones) : 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (old_milestones, i);
      g_autofree char *uid = upg_milestone_calendar_uid (project_uid, m);
      g_autoptr(UpgRecord) gone = NULL;

      /* Only a dated milestone had an entry in the calendar. */
      if (upg_record_get_string (m, UPG_MILESTONE_DUE) == NULL ||
          g_hash_table_contains (live, uid) || g_hash_table_contains (listed, uid))
        continue;
      gone = upg_cancelled_milestone_new (project_uid, m, now);
      g_list_store_append (cancelled, gone);
      g_hash_table_add (listed, (char *) upg_record_get_string (gone, UPG_CANCELLED_MILESTONE_CALENDAR_UID));
    }
}

static gboolean
window_moved (UpgRecord *stored, UpgRecord *incoming)
{
  static const guint fields[] = { UPG_PROJECT_WINDOW_START, UPG_PROJECT_WINDOW_END, UPG_PROJECT_TIME_ZONE };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (upg_record_get_string (stored, fields[i]), upg_record_get_string (incoming, fields[i])) != 0)
      return TRUE;
  return g_strcmp0 (upg_record_get_string (incoming, UPG_PROJECT_STATUS), "cancelled") == 0 &&
         g_strcmp0 (upg_record_get_string (stored, UPG_PROJECT_STATUS), "cancelled") != 0;
}

/* The file's projects by uid (as upg_store_find_project_by_uid () finds
 * them, the first of a uid given twice), to look up each of a document's
 * projects once instead of going through the list for each. */
static GHashTable *
projects_by_uid (UpgStore *store)
{
  GListModel *list = upg_store_get_projects (store);
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);

  for (guint i = 0, n = g_list_model_get_n_items (list); i < n; i++)
    {
      UpgRecord *project = g_list_model_get_item (list, i);
      const char *uid = upg_record_get_string (project, UPG_PROJECT_UID);

      if (uid == NULL || g_hash_table_contains (table, uid))
        g_object_unref (project);
      else
        g_hash_table_insert (table, (char *) uid, project);
    }
  return table;
}

gboolean
upg_plan_insert (UpgStore            *store,
                 GPtrArray           *projects,
                 const char          *extensions,
                 UpgPlanImportFlags   flags,
                 GArray             **new_ids,
                 GError             **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) stored_by_uid = NULL;
  gboolean replaced = FALSE;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);

  stored_by_uid = projects_by_uid (store);

  /* Refuse before writing anything. */
  if (!(flags & UPG_PLAN_IMPORT_REPLACE))
    for (guint i = 0; i < projects->len; i++)
      {
        UpgProject *stored =
          g_hash_table_lookup (stored_by_uid, upg_record_get_string (projects->pdata[i], UPG_PROJECT_UID));
        if (stored != NULL)
          {
            g_set_error (error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_EXISTS,
                         _("projects[%u]: the project “%s” (uid %s) is already in this file; import with --replace to replace it"),
                         i, upg_project_get_name (stored), upg_record_get_string (projects->pdata[i], UPG_PROJECT_UID));
            return FALSE;
          }
      }

  if (!upg_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < projects->len; i++)
    {
      UpgRecord *project = projects->pdata[i];
      /* The document's uids are unique: each is looked up once, among the
       * projects the file had before. */
      UpgProject *stored = g_hash_table_lookup (stored_by_uid, upg_record_get_string (project, UPG_PROJECT_UID));
      gint64 id;

      if (stored != NULL)
        {
          int sequence = upg_record_get_int (project, UPG_PROJECT_CALENDAR_SEQUENCE);
          int old = upg_record_get_int (UPG_RECORD (stored), UPG_PROJECT_CALENDAR_SEQUENCE);

          /* Calendars must see a moved window as a newer version. */
          if (window_moved (UPG_RECORD (stored), project) && sequence <= old && old < G_MAXINT)
            upg_record_set_int (project, UPG_PROJECT_CALENDAR_SEQUENCE, old + 1);
          else if (sequence < old)
            upg_record_set_int (project, UPG_PROJECT_CALENDAR_SEQUENCE, old);
          replaced = TRUE;
          /* Calendars cancel the entries of milestones that are gone. */
          if (!upg_store_load_children (store, UPG_RECORD (stored), error))
            goto failed;
          merge_cancelled (UPG_RECORD (stored), project);
          /* The same id: scripts (sop check --project ID) and open windows
           * keep finding the project. */
          if (!upg_store_replace_project_rows (store, stored, UPG_PROJECT (project), error))
            goto failed;
        }
      else if (!upg_store_insert_project_rows_at (store, UPG_PROJECT (project), -1, error))
        goto failed;
      id = upg_record_get_id (project);
      g_array_append_val (ids, id);
    }
  if ((extensions != NULL && !upg_store_set_meta (store, "extensions", extensions, error)) ||
      !upg_store_commit (store, error))
    goto failed;
  if (new_ids != NULL)
    *new_ids = g_steal_pointer (&ids);
  return TRUE;

failed:
  upg_store_rollback (store);
  /* The list the views show changed as the rows went; read it again. */
  if (replaced || ids->len > 0)
    upg_store_reload_projects (store, NULL);
  return FALSE;
}

gboolean
upg_plan_import_with_flags (UpgStore           *store,
                            const char         *data,
                            gssize              length,
                            UpgPlanImportFlags  flags,
                            GArray            **new_ids,
                            GError            **error)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autofree char *extensions = NULL;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);

  projects = upg_plan_parse (data, length, &extensions, error);
  if (projects == NULL)
    return FALSE;
  return upg_plan_insert (store, projects, extensions, flags, new_ids, error);
}

gboolean
upg_plan_import (UpgStore    *store,
                 const char  *data,
                 gssize       length,
                 GArray     **new_ids,
                 GError     **error)
{
  return upg_plan_import_with_flags (store, data, length, UPG_PLAN_IMPORT_DEFAULT, new_ids, error);
}

gboolean
upg_plan_import_file (UpgStore  *store,
                      GFile     *file,
                      GArray   **new_ids,
                      GError   **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return FALSE;
  return upg_plan_import (store, contents, length, new_ids, error);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

void
upg_json_append_string (GString    *out,
                        const char *text)
{
  const char *p;

  g_string_append_c (out, '"');
  for (p = text; *p; p++)
    {
      guchar c = *p;
      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

static void
indent (GString *out, int level)
{
  for (int i = 0; i < level; i++)
    g_string_append (out, "  ");
}

static void
append_double (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    {
      g_string_append (out, "null");
      return;
    }
  /* The shortest text that reads back as the same number. */
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
append_node (GString *out, JsonNode *node, int level)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        default:
          upg_json_append_string (out, json_node_get_string (node));
          break;
        }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        if (n == 0)
          {
            g_string_append (out, "[]");
            break;
          }
        g_string_append (out, "[\n");
        for (guint i = 0; i < n; i++)
          {
            indent (out, level + 1);
            append_node (out, json_array_get_element (array, i), level + 1);
            g_string_append (out, i + 1 < n ? ",\n" : "\n");
          }
        indent (out, level);
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);  /* in document order */
        gboolean first = TRUE;

        for (GList *l = members; l != NULL; l = l->next)
          {
            g_string_append (out, first ? "{\n" : ",\n");
            first = FALSE;
            indent (out, level + 1);
            upg_json_append_string (out, l->data);
            g_string_append (out, ": ");
            append_node (out, json_object_get_member (object, l->data), level + 1);
          }
        if (first)
          g_string_append (out, "{}");
        else
          {
            g_string_append_c (out, '\n');
            indent (out, level);
            g_string_append_c (out, '}');
          }
      }
      break;
    }
}

/* Starts the next member of an object: the separator, the indent and the key. */
static void
begin_member (GString *out, gboolean *first, int level, const char *key)
{
  g_string_append (out, *first ? "{\n" : ",\n");
  *first = FALSE;
  indent (out, level + 1);
  upg_json_append_string (out, key);
  g_string_append (out, ": ");
}

static void
end_object (GString *out, gboolean first, int level)
{
  if (first)
    {
      g_string_append (out, "{}");
      return;
    }
  g_string_append_c (out, '\n');
  indent (out, level);
  g_string_append_c (out, '}');
}

/* Extensions as the plan file holds them: an object import would take, or
 * an error that names where (@path, "projects[0].risks[1]"; NULL for the
 * document's own). What import stored passed this check; a file changed by
 * other means is checked again (json-glib's parser recurses), and a value
 * that cannot be read stops the export rather than vanish from it. */
static guint
node_depth (JsonNode *node)
{
  guint deepest = 0;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        {
          guint depth = node_depth (member);   /* once: MAX () evaluates twice */
          deepest = MAX (deepest, depth);
        }
      return deepest + 1;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          guint depth = node_depth (json_array_get_element (array, i));
          deepest = MAX (deepest, depth);
        }
      return deepest + 1;
    }
  return 0;
}

/* @level is the record's indent in an export: its extensions object sits
 * at depth @level + 2 of the document, which import reads to
 * UPG_JSON_MAX_DEPTH. */
static JsonNode *
read_stored_extensions (const char  *json,
                        const char  *path,
                        int          level,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = upg_json_parse (json, strlen (json), &local_error);
  g_autofree char *where = path ? g_strconcat (path, ".extensions", NULL) : g_strdup ("extensions");

  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node))
    local_error = g_error_new (UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID, _("not a JSON object"));
  else if (node != NULL && node_depth (node) + level + 1 > UPG_JSON_MAX_DEPTH)
    local_error = g_error_new (UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID,
                               _("nested deeper than a plan document may be: %d levels of arrays and objects"),
                               UPG_JSON_MAX_DEPTH);
  if (local_error != NULL)
    {
      g_set_error (error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID,
                   /* TRANSLATORS: %s is a path in the plan ("projects[0].risks[1].extensions"), then why */
                   _("%s: the value in the plan file cannot be read (%s); it is not left out of an export without a word, so nothing was exported"),
                   where, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&node);
}

static gboolean
append_extensions (GString *out, gboolean *first, const char *json, const char *path, int level, GError **error)
{
  g_autoptr(JsonNode) node = read_stored_extensions (json, path, level, error);

  if (node == NULL)
    return FALSE;
  begin_member (out, first, level, "extensions");
  append_node (out, node, level + 1);
  return TRUE;
}

/* The JSON path of item @i of @child's list in @parent. */
static char *
child_path (const char *parent, const UpgEntity *child, guint i)
{
  if (child->single)
    return g_strdup_printf ("%s.%s", parent, child->json_key);
  return g_strdup_printf ("%s.%s[%u]", parent, child->json_key, i);
}

static void
append_field (GString *out, UpgRecord *record, guint i, int level)
{
  const UpgField *field = &upg_record_get_entity (record)->fields[i];

  switch (field->type)
    {
    case UPG_FIELD_INT:
      g_string_append_printf (out, "%d", upg_record_get_int (record, i));
      break;
    case UPG_FIELD_INT_OR_NULL:
      if (upg_record_get_int (record, i) == UPG_INT_NULL)
        g_string_append (out, "null");
      else
        g_string_append_printf (out, "%d", upg_record_get_int (record, i));
      break;
    case UPG_FIELD_BOOL:
      g_string_append (out, upg_record_get_bool (record, i) ? "true" : "false");
      break;
    case UPG_FIELD_THRESHOLDS:
      {
        int values[3];
        upg_project_get_risk_thresholds (UPG_PROJECT (record), values);
        g_string_append (out, "[\n");
        for (guint k = 0; k < 3; k++)
          {
            indent (out, level + 1);
            g_string_append_printf (out, k < 2 ? "%d,\n" : "%d\n", values[k]);
          }
        indent (out, level);
        g_string_append_c (out, ']');
      }
      break;
    case UPG_FIELD_EMAIL_LIST:
    case UPG_FIELD_ENUM_LIST:
      {
        const char * const *list = upg_record_get_strv (record, i);
        guint n = list ? g_strv_length ((char **) list) : 0;

        if (n == 0)
          {
            g_string_append (out, "[]");
            break;
          }
        g_string_append (out, "[\n");
        for (guint k = 0; k < n; k++)
          {
            indent (out, level + 1);
            upg_json_append_string (out, list[k]);
            g_string_append (out, k + 1 < n ? ",\n" : "\n");
          }
        indent (out, level);
        g_string_append_c (out, ']');
      }
      break;
    default:
      {
        const char *s = upg_record_get_string (record, i);
        if (s == NULL)
          g_string_append (out, field->type == UPG_FIELD_STRING || field->type == UPG_FIELD_ENUM ? "\"\"" : "null");
        else
          upg_json_append_string (out, s);
      }
      break;
    }
}

/* A project's own email template as import takes it: the one validator
 * (upg-template.h). One that got into the file by other means (or was
 * stored before templates were data) is not written: the document would
 * be one import refuses. check reports it by project, moment and
 * language. */
static gboolean
check_stored_template (UpgRecord *record, const char *path, GError **error)
{
  static const guint fields[] = { UPG_EMAIL_TEMPLATE_SUBJECT, UPG_EMAIL_TEMPLATE_BODY };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *message = NULL;

      if (upg_template_validate (upg_record_get_string (record, fields[i]), &message))
        continue;
      g_set_error (error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID,
                   /* TRANSLATORS: a path in the plan ("projects[0].email_templates[0].body"), where and
                    * why ("line 1, column 4: …"), a moment ("Advance notice") and a language ("English") */
                   _("%s.%s: %s (the project’s own “%s” template in %s, as the plan file holds it; an export would write what import refuses, so none is made)"),
                   path, upg_record_get_entity (record)->fields[fields[i]].name, message,
                   upg_enum_label (upg_moments, upg_record_get_string (record, UPG_EMAIL_TEMPLATE_MOMENT)),
                   upg_enum_label (upg_languages, upg_record_get_string (record, UPG_EMAIL_TEMPLATE_LANGUAGE)));
      return FALSE;
    }
  return TRUE;
}

static gboolean
append_record (GString *out, UpgRecord *record, const char *path, int level, GError **error)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  gboolean first = TRUE;

  if (entity == &upg_entity_email_template && !check_stored_template (record, path, error))
    return FALSE;

  for (guint i = 0; i < entity->n_fields; i++)
    {
      begin_member (out, &first, level, entity->fields[i].name);
      append_field (out, record, i, level + 1);
    }

  for (guint c = 0; entity->children[c] != NULL; c++)
    {
      const UpgEntity *child = entity->children[c];
      GListModel *list = upg_record_get_children (record, child);
      guint n = list ? g_list_model_get_n_items (list) : 0;

      begin_member (out, &first, level, child->json_key);
      if (child->single)
        {
          if (n == 0)
            g_string_append (out, "null");
          else
            {
              g_autoptr(UpgRecord) item = g_list_model_get_item (list, 0);
              g_autofree char *item_path = child_path (path, child, 0);
              if (!append_record (out, item, item_path, level + 1, error))
                return FALSE;
            }
        }
      else if (n == 0)
        g_string_append (out, "[]");
      else
        {
          g_string_append (out, "[\n");
          for (guint i = 0; i < n; i++)
            {
              g_autoptr(UpgRecord) item = g_list_model_get_item (list, i);
              g_autofree char *item_path = child_path (path, child, i);
              indent (out, level + 2);
              if (!append_record (out, item, item_path, level + 2, error))
                return FALSE;
              g_string_append (out, i + 1 < n ? ",\n" : "\n");
            }
          indent (out, level + 1);
          g_string_append_c (out, ']');
        }
    }

  if (upg_record_get_extensions (record) &&
      !append_extensions (out, &first, upg_record_get_extensions (record), path, level, error))
    return FALSE;
  end_object (out, first, level);
  return TRUE;
}

/* A field of @record as import checks it; the error names its path. */
static gboolean
check_stored_field (UpgRecord *record, guint i, const char *path, GError **error)
{
  const UpgField *field = &upg_record_get_entity (record)->fields[i];
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *message = NULL;
  g_autofree char *where = NULL;
  guint bad = 0;

  if (field->type == UPG_FIELD_EMAIL_LIST || field->type == UPG_FIELD_ENUM_LIST)
    {
      if (upg_field_check_list (field, upg_record_get_strv (record, i), &bad, &message))
        return TRUE;
      where = g_strdup_printf ("%s.%s[%u]", path, field->name, bad);
    }
  else
    {
      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (upg_record_field_pspec (record, i)));
      g_object_get_property (G_OBJECT (record), upg_record_field_pspec (record, i)->name, &value);
      if (upg_field_check_value (field, &value, &message))
        return TRUE;
      where = g_strdup_printf ("%s.%s", path, field->name);
    }
  g_set_error (error, UPG_PLAN_ERROR, UPG_PLAN_ERROR_INVALID,
               /* TRANSLATORS: a path in the plan ("projects[0].team[1].email"), then what import
                * requires ("must be a valid email address, like name@example.org") */
               _("%s: %s (the value in the plan file; an export would write what import refuses, so none is made)"),
               where, message);
  return FALSE;
}

/* Every field and the extensions of @record and of every record in it, as
 * import checks them. What an email template says is the template
 * validator's (upg-template.h): it is checked again before every render,
 * reported by check with its project, moment and language, and export plan
 * refuses to write it (check_stored_template ()); its length is checked
 * here as every field's. */
static gboolean
check_stored_record (UpgRecord *record, const char *path, int level, GError **error)
{
  const UpgEntity *entity = upg_record_get_entity (record);

  for (guint i = 0; i < entity->n_fields; i++)
    if (!check_stored_field (record, i, path, error))
      return FALSE;
  if (upg_record_get_extensions (record))
    {
      g_autoptr(JsonNode) node = read_stored_extensions (upg_record_get_extensions (record), path, level, error);
      if (node == NULL)
        return FALSE;
    }
  for (guint c = 0; entity->children[c] != NULL; c++)
    {
      const UpgEntity *child = entity->children[c];
      GListModel *list = upg_record_get_children (record, child);
      guint n = list ? g_list_model_get_n_items (list) : 0;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(UpgRecord) item = g_list_model_get_item (list, i);
          g_autofree char *item_path = child_path (path, child, i);
          /* As append_record () indents it. */
          if (!check_stored_record (item, item_path, level + (child->single ? 1 : 2), error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
upg_plan_check_stored (UpgStore  *store,
                       gint64     project_id,
                       GError   **error)
{
  g_autofree char *extensions = NULL;
  GListModel *projects;
  guint n;

  g_return_val_if_fail (UPG_IS_STORE (store), FALSE);

  if (!upg_store_load (store, error))
    return FALSE;
  projects = upg_store_get_projects (store);
  n = g_list_model_get_n_items (projects);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      g_autofree char *path = NULL;
      gboolean loaded, ok;

      if (project_id != 0 && upg_record_get_id (project) != project_id)
        continue;
      path = g_strdup_printf ("projects[%u]", i);
      loaded = upg_record_children_loaded (project);
      if (!loaded && !upg_store_load_children (store, project, error))
        return FALSE;
      ok = check_stored_record (project, path, 2, error);
      /* Keep memory flat for big files, as export does. */
      if (!loaded)
        upg_record_unload_children (project);
      if (!ok)
        return FALSE;
    }
  if (project_id != 0)
    return TRUE;
  if (!upg_store_read_meta (store, "extensions", &extensions, error))
    return FALSE;
  if (extensions != NULL)
    {
      g_autoptr(JsonNode) node = read_stored_extensions (extensions, NULL, 0, error);
      if (node == NULL)
        return FALSE;
    }
  return TRUE;
}

char *
upg_plan_export (UpgStore  *store,
                 gint64     project_id,
                 GError   **error)
{
  g_autoptr(GString) out = g_string_sized_new (4096);
  g_autofree char *extensions = NULL;
  g_autofree char *path = NULL;
  GListModel *projects;
  guint n, written = 0;
  gboolean ok;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);

  if (project_id != 0)
    {
      g_autoptr(UpgProject) project = upg_store_lookup_project (store, project_id, error);
      if (project == NULL)
        return NULL;
    }

  if (!upg_store_load (store, error))
    return NULL;
  projects = upg_store_get_projects (store);
  n = g_list_model_get_n_items (projects);
  g_string_append (out, "{\n  \"format\": \"upgrade-planner\",\n  \"version\": " G_STRINGIFY (UPG_PLAN_FORMAT_VERSION) ",\n  \"projects\": [");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      gboolean loaded;

      if (project_id != 0 && upg_record_get_id (project) != project_id)
        continue;
      loaded = upg_record_children_loaded (project);
      if (!loaded && !upg_store_load_children (store, project, error))
        return NULL;
      g_string_append (out, written++ ? ",\n    " : "\n    ");
      path = g_strdup_printf ("projects[%u]", i);
      ok = append_record (out, project, path, 2, error);
      g_clear_pointer (&path, g_free);
      /* Keep memory flat for big files: drop what only the export needed. */
      if (!loaded)
        upg_record_unload_children (project);
      if (!ok)
        return NULL;
    }
  g_string_append (out, written ? "\n  ]" : "]");

  if (!upg_store_read_meta (store, "extensions", &extensions, error))
    return NULL;
  if (extensions != NULL)
    {
      gboolean first = FALSE;
      if (!append_extensions (out, &first, extensions, NULL, 0, error))
        return NULL;
    }
  g_string_append (out, "\n}\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

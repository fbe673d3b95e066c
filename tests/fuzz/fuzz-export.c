/* fuzz-export.c — libFuzzer target: every export of a valid plan built from
 * the fuzzer's bytes.
 *
 * The bytes choose how many records of each kind a project has and every
 * field's value (free text is any UTF-8 the bytes spell; enumerations,
 * numbers, dates and addresses are always valid ones), so the plan is one
 * the window could have made. Each kind and format of upg-export.h must
 * then succeed, text formats must be UTF-8, a PDF must be a PDF, and the
 * plan export must import again to the same bytes.
 */
#define G_LOG_DOMAIN "upgrade-planner-fuzz"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fuzz-util.h"
#include "core/upg-export.h"
#include "core/upg-plan.h"
#include "core/upg-rules.h"
#include "core/upg-notify.h"
#include "core/upg-retro.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct {
  const guint8 *p;
  gsize         n;
} Input;

static guint
take (Input *in)
{
  if (in->n == 0)
    return 0;
  in->n--;
  return *in->p++;
}

static guint
take_below (Input *in, guint limit)
{
  guint v = take (in) | take (in) << 8;
  return limit ? v % limit : 0;
}

/* Free text: up to 64 bytes (rarely up to 1024), NULs made spaces, invalid
 * UTF-8 made valid. */
static char *
take_text (Input *in)
{
  guint len = take (in);
  g_autofree char *raw = NULL;

  len = len == 255 ? take_below (in, 1024) : len % 64;
  len = MIN (len, in->n);
  raw = g_malloc (len + 1);
  for (guint i = 0; i < len; i++)
    {
      guint c = take (in);
      raw[i] = c ? (char) c : ' ';
    }
  raw[len] = '\0';
  return g_utf8_make_valid (raw, len);
}

/* Mostly recent years; with FUZZ_WIDE_YEARS=1 one time in eight any year
 * from 1 to 9999. Not by default: a plan whose dates span thousands of years
 * makes the report's timeline draw a tick for every day, which takes
 * minutes (an open finding, tests/data/fuzz-open/), and a short run would
 * stop on it. */
static guint
take_year (Input *in)
{
  static int wide = -1;

  if (wide < 0)
    wide = g_strcmp0 (g_getenv ("FUZZ_WIDE_YEARS"), "1") == 0;
  if (take (in) % 8 == 0 && wide)
    return 1 + take_below (in, 9999);
  return 1990 + take_below (in, 80);
}

static char *
take_timestamp (Input *in)
{
  return g_strdup_printf ("%04u-%02u-%02uT%02u:%02u:%02uZ",
                          take_year (in), 1 + take_below (in, 12), 1 + take_below (in, 28),
                          take_below (in, 24), take_below (in, 60), take_below (in, 60));
}

static char *
take_date (Input *in)
{
  return g_strdup_printf ("%04u-%02u-%02u", take_year (in),
                          1 + take_below (in, 12), 1 + take_below (in, 28));
}

static char *
take_email (Input *in)
{
  static const char chars[] = "abcxyz019._+-";
  g_autoptr(GString) local = g_string_new ("u");
  guint len = take_below (in, 12);

  for (guint i = 0; i < len; i++)
    g_string_append_c (local, chars[take_below (in, sizeof chars - 1)]);
  g_string_append (local, "@example.org");
  if (!upg_check_email (local->str, NULL))
    return g_strdup ("someone@example.org");
  return g_string_free (g_steal_pointer (&local), FALSE);
}

static void
fill_field (Input *in, UpgRecord *record, guint index)
{
  const UpgField *field = &upg_record_get_entity (record)->fields[index];
  gboolean null = FALSE;
  g_autofree char *text = NULL;

  if (field->type == UPG_FIELD_INT_OR_NULL)
    {
      if (take (in) % 3 == 0)
        {
          upg_record_set_int (record, index, UPG_INT_NULL);
          return;
        }
    }
  else if (upg_field_is_nullable (field))
    null = take (in) % 3 == 0;
  if (null)
    {
      upg_record_set_string (record, index, NULL);
      return;
    }

  switch (field->type)
    {
    case UPG_FIELD_STRING:
    case UPG_FIELD_STRING_OR_NULL:
      text = take_text (in);
      if (!upg_field_check_string (field, text, NULL, NULL))
        {
          g_free (text);
          text = g_strdup ("x");
        }
      break;
    case UPG_FIELD_ENUM:
    case UPG_FIELD_ENUM_OR_NULL:
      upg_record_set_string (record, index, field->values[take_below (in, upg_enum_count (field->values))]);
      return;
    case UPG_FIELD_INT:
    case UPG_FIELD_INT_OR_NULL:
      {
        guint32 v = take (in) | take (in) << 8 | take (in) << 16 | (guint32) take (in) << 24;
        guint64 span = (guint64) field->max - field->min + 1;
        upg_record_set_int (record, index, (int) (field->min + (gint64) (v % span)));
      }
      return;
    case UPG_FIELD_BOOL:
      upg_record_set_bool (record, index, take (in) & 1);
      return;
    case UPG_FIELD_TIMESTAMP:
    case UPG_FIELD_TIMESTAMP_OR_NULL:
      text = take_timestamp (in);
      break;
    case UPG_FIELD_DATE_OR_NULL:
      text = take_date (in);
      break;
    case UPG_FIELD_EMAIL_OR_NULL:
      text = take_email (in);
      break;
    case UPG_FIELD_EMAIL_LIST:
      {
        g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
        for (guint n = take_below (in, 4); n > 0; n--)
          {
            char *email = take_email (in);
            if (g_ptr_array_find_with_equal_func (list, email, g_str_equal, NULL))
              g_free (email);
            else
              g_ptr_array_add (list, email);
          }
        g_ptr_array_add (list, NULL);
        upg_record_set_strv (record, index, (const char * const *) list->pdata);
      }
      return;
    case UPG_FIELD_ENUM_LIST:
      {
        g_autoptr(GPtrArray) list = g_ptr_array_new ();
        guint bits = take (in) | take (in) << 8;
        for (guint i = 0; field->values[i] != NULL; i++)
          if (bits & (1u << i))
            g_ptr_array_add (list, (char *) field->values[i]);
        g_ptr_array_add (list, NULL);
        upg_record_set_strv (record, index, (const char * const *) list->pdata);
      }
      return;
    case UPG_FIELD_UUID:
    case UPG_FIELD_UUID_OR_NULL:
      {
        static const char hex[] = "0123456789abcdef";
        char uuid[37];
        for (guint i = 0; i < 36; i++)
          uuid[i] = (i == 8 || i == 13 || i == 18 || i == 23) ? '-' : hex[take (in) % 16];
        uuid[14] = '4';
        uuid[19] = '8';
        uuid[36] = '\0';
        text = g_strdup (uuid);
      }
      break;
    case UPG_FIELD_TIME_ZONE:
    case UPG_FIELD_TIME_ZONE_OR_NULL:
      {
        static const char * const zones[] = {
          "UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
          "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns",
        };
        text = g_strdup (zones[take_below (in, G_N_ELEMENTS (zones))]);
      }
      break;
    case UPG_FIELD_THRESHOLDS:
      {
        guint a = 2 + take_below (in, 22);
        guint b = a + 1 + take_below (in, 24 - a);
        guint c = b + 1 + take_below (in, 25 - b);
        text = g_strdup_printf ("%u,%u,%u", a, b, c);
      }
      break;
    }
  upg_record_set_string (record, index, text);
}

/* Orders two optional timestamps so that end is not before start. */
static void
order_pair (UpgRecord *record, guint start, guint end)
{
  g_autofree char *a = g_strdup (upg_record_get_string (record, start));
  g_autofree char *b = g_strdup (upg_record_get_string (record, end));

  if (a != NULL && b != NULL && strcmp (b, a) < 0)
    {
      upg_record_set_string (record, start, b);
      upg_record_set_string (record, end, a);
    }
}

static char *
take_extensions (Input *in)
{
  g_autoptr(GString) json = g_string_new ("{\"x-fuzz\": ");
  g_autofree char *text = take_text (in);

  upg_json_append_string (json, text);
  g_string_append_printf (json, ", \"n\": [%u, true, null, {\"k\": 1.5}]}", take (in));
  return g_string_free (g_steal_pointer (&json), FALSE);
}

static int
compare_at (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return strcmp (upg_record_get_string ((UpgRecord *) a, UPG_SOP_EVENT_AT),
                 upg_record_get_string ((UpgRecord *) b, UPG_SOP_EVENT_AT));
}

/* A step's history oldest first, and checked_at/checked_by those of its last
 * check (null when its last mark is an uncheck or there is none). */
static void
fix_step (UpgRecord *step)
{
  GListStore *history = upg_record_ensure_children (step, &upg_entity_sop_event);
  UpgRecord *last;

  g_list_store_sort (history, compare_at, NULL);
  last = upg_rules_last_mark (step);
  if (last != NULL && g_strcmp0 (upg_record_get_string (last, UPG_SOP_EVENT_ACTION), "check") == 0)
    {
      upg_record_set_string (step, UPG_SOP_STEP_CHECKED_AT, upg_record_get_string (last, UPG_SOP_EVENT_AT));
      upg_record_set_string (step, UPG_SOP_STEP_CHECKED_BY, upg_record_get_string (last, UPG_SOP_EVENT_BY));
    }
  else
    {
      upg_record_set_string (step, UPG_SOP_STEP_CHECKED_AT, NULL);
      upg_record_set_string (step, UPG_SOP_STEP_CHECKED_BY, NULL);
    }
}

/* At most one email template for each moment and language. */
static void
fix_project (UpgRecord *project)
{
  GListStore *templates = upg_record_ensure_children (project, &upg_entity_email_template);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (templates));)
    {
      g_autoptr(UpgRecord) t = g_list_model_get_item (G_LIST_MODEL (templates), i);
      char *key = g_strconcat (upg_record_get_string (t, UPG_EMAIL_TEMPLATE_MOMENT), "/",
                               upg_record_get_string (t, UPG_EMAIL_TEMPLATE_LANGUAGE), NULL);
      if (g_hash_table_add (seen, key))
        i++;
      else
        g_list_store_remove (templates, i);
    }
}

/* The generator must make valid records only: a record it got wrong is a
 * bug of this file, not of the app. */
static void
check_built (UpgRecord *record)
{
  const UpgEntity *entity = upg_record_get_entity (record);
  g_autofree char *where = NULL;
  g_autofree char *message = NULL;

  for (guint i = 0; i < entity->n_fields; i++)
    {
      GParamSpec *pspec = upg_record_field_pspec (record, i);
      g_auto(GValue) value = G_VALUE_INIT;
      g_autofree char *problem = NULL;

      g_value_init (&value, pspec->value_type);
      g_object_get_property (G_OBJECT (record), pspec->name, &value);
      if (!upg_field_check_value (&entity->fields[i], &value, &problem))
        fuzz_fail ("fuzz-export built an invalid %s: %s %s", entity->name, entity->fields[i].name, problem);
    }
  if (!upg_rules_check_record (record, &where, &message))
    fuzz_fail ("fuzz-export built an invalid %s: %s %s", entity->name, where, message);
}

static UpgRecord *
build_record (Input *in, const UpgEntity *entity, GPtrArray *team_names)
{
  g_autoptr(UpgRecord) record = upg_record_new (entity);

  for (guint i = 0; i < entity->n_fields; i++)
    fill_field (in, record, i);
  if (take (in) % 8 == 0)
    {
      g_autofree char *ext = take_extensions (in);
      upg_record_set_extensions (record, ext);
    }

  /* An item's uid is unique among its siblings: a counter's, not the
   * bytes' (which run out as zeros). */
  if (entity != &upg_entity_project && entity->fields[0].type == UPG_FIELD_UUID)
    {
      static guint serial;
      g_autofree char *name = g_strdup_printf ("fuzz-%u", serial++);
      g_autofree char *uid = upg_uuid_from_name (name);
      upg_record_set_string (record, 0, uid);
    }

  /* The rules that tie one field to another (upg-plan.c, check_record). */
  if (entity == &upg_entity_project)
    {
      order_pair (record, UPG_PROJECT_WINDOW_START, UPG_PROJECT_WINDOW_END);
      if (upg_record_get_string (record, UPG_PROJECT_ROLLBACK_STARTED_AT) == NULL)
        upg_record_set_string (record, UPG_PROJECT_ROLLBACK_ENDED_AT, NULL);
      order_pair (record, UPG_PROJECT_ROLLBACK_STARTED_AT, UPG_PROJECT_ROLLBACK_ENDED_AT);
    }
  else if (entity == &upg_entity_retro)
    order_pair (record, UPG_RETRO_ACTUAL_START, UPG_RETRO_ACTUAL_END);
  else if (entity == &upg_entity_milestone)
    {
      if (g_strcmp0 (upg_record_get_string (record, UPG_MILESTONE_KIND), "gray_release") != 0)
        upg_record_set_int (record, UPG_MILESTONE_ROLLOUT_PERCENT, UPG_INT_NULL);
    }
  else if (entity == &upg_entity_risk)
    {
      if (upg_record_get_int (record, UPG_RISK_RESIDUAL_LIKELIHOOD) == UPG_INT_NULL)
        upg_record_set_int (record, UPG_RISK_RESIDUAL_IMPACT, UPG_INT_NULL);
      else if (upg_record_get_int (record, UPG_RISK_RESIDUAL_IMPACT) == UPG_INT_NULL)
        upg_record_set_int (record, UPG_RISK_RESIDUAL_IMPACT, 1);
      if (team_names->len == 0)
        upg_record_set_string (record, UPG_RISK_OWNER, NULL);
      else if (upg_record_get_string (record, UPG_RISK_OWNER) != NULL)
        upg_record_set_string (record, UPG_RISK_OWNER, team_names->pdata[take_below (in, team_names->len)]);
    }
  else if (entity == &upg_entity_sop_event)
    {
      if (g_strcmp0 (upg_record_get_string (record, UPG_SOP_EVENT_ACTION), "check") == 0 &&
          upg_text_is_blank (upg_record_get_string (record, UPG_SOP_EVENT_BY)))
        upg_record_set_string (record, UPG_SOP_EVENT_BY, "x");
    }

  /* Children: the team before the risks that name its members. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint c = 0; entity->children[c] != NULL; c++)
      {
        const UpgEntity *child = entity->children[c];
        GListStore *list;
        guint n;

        if ((pass == 0) != (child == &upg_entity_member))
          continue;
        list = upg_record_ensure_children (record, child);
        n = child->single ? take (in) % 2 : take_below (in, 9);
        for (guint k = 0; k < n; k++)
          {
            g_autoptr(UpgRecord) item = build_record (in, child, team_names);
            if (child == &upg_entity_member)
              g_ptr_array_add (team_names, g_strdup (upg_record_get_string (item, UPG_MEMBER_NAME)));
            g_list_store_append (list, item);
          }
      }
  if (entity == &upg_entity_sop_step)
    fix_step (record);
  else if (entity == &upg_entity_project)
    fix_project (record);
  check_built (record);
  return g_steal_pointer (&record);
}

/* Errors that are the plan's, not the exporter's: a retrospective export of
 * a project without one, an email nobody would receive, a template of the
 * user's that does not render. */
static gboolean
expected_error (const GError *error)
{
  return g_error_matches (error, UPG_RETRO_ERROR, UPG_RETRO_ERROR_NONE) ||
         g_error_matches (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_NO_RECIPIENTS) ||
         g_error_matches (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_TEMPLATE);
}

static void
check_export (UpgStore *store, const UpgExportKind *kind, const char *format, const char *paper, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  UpgExportOptions options = { format, NULL, paper, NULL, TRUE };
  gsize size;
  const char *data;

  if (strcmp (kind->kind, "email") == 0)
    options.template_name = upg_moments[id % upg_enum_count (upg_moments)];
  bytes = upg_export_run (store, kind->kind, id, &options, &error);
  if (bytes == NULL && expected_error (error))
    return;
  if (bytes == NULL)
    fuzz_fail ("export %s --format %s failed: %s", kind->kind, format, error->message);
  data = g_bytes_get_data (bytes, &size);
  if (strcmp (format, "pdf") == 0)
    g_assert (size > 5 && memcmp (data, "%PDF-", 5) == 0);
  else if (!g_utf8_validate (data, size, NULL) || memchr (data, '\0', size) != NULL)
    fuzz_fail ("export %s --format %s is not UTF-8 text", kind->kind, format);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) team_names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *exported = NULL;
  Input in = { data, size };
  UpgStore *store;
  guint n_projects, n_kinds;
  const UpgExportKind *kinds;
  GListModel *projects;

  fuzz_init ();
  store = fuzz_store_new ();
  n_projects = 1 + take (&in) % 2;
  for (guint i = 0; i < n_projects; i++)
    {
      g_autoptr(UpgRecord) project = NULL;

      g_ptr_array_set_size (team_names, 0);
      project = build_record (&in, &upg_entity_project, team_names);
      /* Two projects of one file never share a uid. */
      if (i > 0)
        {
          g_autofree char *uid = g_strdup (upg_record_get_string (project, UPG_PROJECT_UID));
          uid[35] = uid[35] == '0' ? '1' : '0';
          upg_record_set_string (project, UPG_PROJECT_UID, uid);
        }
      if (!upg_store_insert_project_rows (store, UPG_PROJECT (project), &error))
        fuzz_fail ("a valid project does not insert: %s", error->message);
    }
  if (take (&in) % 4 == 0)
    {
      g_autofree char *ext = take_extensions (&in);
      if (!upg_store_set_meta (store, "extensions", ext, &error))
        fuzz_fail ("%s", error->message);
    }

  /* Every kind, each in a format the bytes choose (all of them in turn over
   * the run: one input exporting every format would be slow), for every
   * project. */
  kinds = upg_export_kinds (&n_kinds);
  projects = upg_store_get_projects (store);
  for (guint p = 0; p < g_list_model_get_n_items (projects); p++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, p);
      gint64 id = upg_record_get_id (project);

      for (guint k = 0; k < n_kinds; k++)
        {
          guint n_formats = g_strv_length ((char **) kinds[k].formats);
          const char *format = kinds[k].formats[take_below (&in, n_formats)];
          check_export (store, &kinds[k], format, p == 0 ? "a4" : "letter", id);
        }
    }

  exported = fuzz_check_round_trip (store);
  fuzz_store_free (store);
  return 0;
}

/* upg-rules.c — the plan's cross-field rules, for import and the store. */
#define G_LOG_DOMAIN "upg-rules"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-rules.h"
#include "upg-template.h"

static gboolean
broken (char **where, char **message, char *path, const char *text)
{
  *where = path;
  *message = g_strdup (text);
  return FALSE;
}

UpgRecord *
upg_rules_last_mark (UpgRecord *step)
{
  GListModel *history = upg_record_get_children (step, &upg_entity_sop_event);

  for (guint i = history ? g_list_model_get_n_items (history) : 0; i > 0; i--)
    {
      g_autoptr(UpgRecord) event = g_list_model_get_item (history, i - 1);
      if (g_strcmp0 (upg_record_get_string (event, UPG_SOP_EVENT_ACTION), "skip") != 0)
        return event;   /* the list holds it */
    }
  return NULL;
}

static gboolean
check_project (UpgRecord *record, char **where, char **message)
{
  const char *start = upg_record_get_string (record, UPG_PROJECT_WINDOW_START);
  const char *end = upg_record_get_string (record, UPG_PROJECT_WINDOW_END);
  GListModel *team = upg_record_get_children (record, &upg_entity_member);
  GListModel *risks = upg_record_get_children (record, &upg_entity_risk);
  GListModel *templates = upg_record_get_children (record, &upg_entity_email_template);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (start && end && strcmp (end, start) < 0)
    return broken (where, message, g_strdup ("window_end"), _("must not be before window_start"));
  {
    const char *rb_start = upg_record_get_string (record, UPG_PROJECT_ROLLBACK_STARTED_AT);
    const char *rb_end = upg_record_get_string (record, UPG_PROJECT_ROLLBACK_ENDED_AT);

    if (rb_end != NULL && rb_start == NULL)
      return broken (where, message, g_strdup ("rollback_ended_at"),
                     _("must be null while rollback_started_at is null"));
    if (rb_start && rb_end && strcmp (rb_end, rb_start) < 0)
      return broken (where, message, g_strdup ("rollback_ended_at"),
                     _("must not be before rollback_started_at"));
  }

  if (team != NULL && risks != NULL)
    {
      for (guint i = 0; i < g_list_model_get_n_items (team); i++)
        {
          g_autoptr(UpgRecord) member = g_list_model_get_item (team, i);
          g_hash_table_add (names, (char *) upg_record_get_string (member, UPG_MEMBER_NAME));
        }
      for (guint i = 0; i < g_list_model_get_n_items (risks); i++)
        {
          g_autoptr(UpgRecord) risk = g_list_model_get_item (risks, i);
          const char *owner = upg_record_get_string (risk, UPG_RISK_OWNER);

          if (owner != NULL && !g_hash_table_contains (names, owner))
            return broken (where, message, g_strdup_printf ("risks[%u].owner", i),
                           _("must be the name of a member of the team, or null"));
        }
    }

  for (guint i = 0; templates != NULL && i < g_list_model_get_n_items (templates); i++)
    {
      g_autoptr(UpgRecord) template = g_list_model_get_item (templates, i);
      char *key = g_strconcat (upg_record_get_string (template, UPG_EMAIL_TEMPLATE_MOMENT), "/",
                               upg_record_get_string (template, UPG_EMAIL_TEMPLATE_LANGUAGE), NULL);
      if (!g_hash_table_add (seen, key))
        return broken (where, message, g_strdup_printf ("email_templates[%u]", i),
                       _("repeats the moment and language of an earlier template (at most one each)"));
    }
  return TRUE;
}

static gboolean
check_step (UpgRecord *record, char **where, char **message)
{
  const char *at = upg_record_get_string (record, UPG_SOP_STEP_CHECKED_AT);
  const char *by = upg_record_get_string (record, UPG_SOP_STEP_CHECKED_BY);
  GListModel *history = upg_record_get_children (record, &upg_entity_sop_event);
  UpgRecord *last;

  if ((at == NULL) != (by == NULL))
    return broken (where, message, g_strdup ("checked_by"),
                   _("must be given together with checked_at (both or neither)"));
  if (history == NULL)
    return TRUE;

  last = upg_rules_last_mark (record);
  if (at != NULL)
    {
      if (last == NULL || g_strcmp0 (upg_record_get_string (last, UPG_SOP_EVENT_ACTION), "check") != 0 ||
          g_strcmp0 (upg_record_get_string (last, UPG_SOP_EVENT_AT), at) != 0 ||
          g_strcmp0 (upg_record_get_string (last, UPG_SOP_EVENT_BY), by) != 0)
        return broken (where, message, g_strdup ("checked_at"),
                       _("must be the time of the last check in the history, with checked_by its name"));
    }
  else if (last != NULL && g_strcmp0 (upg_record_get_string (last, UPG_SOP_EVENT_ACTION), "check") == 0)
    return broken (where, message, g_strdup ("checked_at"),
                   _("must be set: the last check or uncheck in the history is a check"));
  return TRUE;
}

gboolean
upg_rules_check_record (UpgRecord  *record,
                        char      **where,
                        char      **message)
{
  const UpgEntity *entity;

  g_return_val_if_fail (UPG_IS_RECORD (record), FALSE);
  g_return_val_if_fail (where != NULL && message != NULL, FALSE);

  entity = upg_record_get_entity (record);
  if (entity == &upg_entity_project)
    return check_project (record, where, message);
  if (entity == &upg_entity_milestone)
    {
      if (upg_record_get_int (record, UPG_MILESTONE_ROLLOUT_PERCENT) != UPG_INT_NULL &&
          g_strcmp0 (upg_record_get_string (record, UPG_MILESTONE_KIND), "gray_release") != 0)
        return broken (where, message, g_strdup ("rollout_percent"),
                       _("must be null unless the kind is gray_release"));
    }
  else if (entity == &upg_entity_risk)
    {
      if ((upg_record_get_int (record, UPG_RISK_RESIDUAL_LIKELIHOOD) == UPG_INT_NULL) !=
          (upg_record_get_int (record, UPG_RISK_RESIDUAL_IMPACT) == UPG_INT_NULL))
        return broken (where, message, g_strdup ("residual_impact"),
                       _("must be given together with residual_likelihood (both or neither)"));
    }
  else if (entity == &upg_entity_sop_step)
    return check_step (record, where, message);
  else if (entity == &upg_entity_retro)
    {
      const char *start = upg_record_get_string (record, UPG_RETRO_ACTUAL_START);
      const char *end = upg_record_get_string (record, UPG_RETRO_ACTUAL_END);

      if (start && end && strcmp (end, start) < 0)
        return broken (where, message, g_strdup ("actual_end"), _("must not be before actual_start"));
    }
  else if (entity == &upg_entity_email_template)
    {
      /* A template is data in the template language, or refused
       * (upg-template.h): checked on import and on every store write. */
      static const int fields[] = { UPG_EMAIL_TEMPLATE_SUBJECT, UPG_EMAIL_TEMPLATE_BODY };

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          const char *text = upg_record_get_string (record, fields[i]);

          if (text != NULL && !upg_template_validate (text, message))
            {
              *where = g_strdup (upg_entity_email_template.fields[fields[i]].name);
              return FALSE;
            }
        }
    }
  else if (entity == &upg_entity_sop_event)
    {
      /* A check names who checked (the step's checked_by is never null). */
      if (g_strcmp0 (upg_record_get_string (record, UPG_SOP_EVENT_ACTION), "check") == 0 &&
          upg_text_is_blank (upg_record_get_string (record, UPG_SOP_EVENT_BY)))
        return broken (where, message, g_strdup ("by"), _("must name who checked the step"));
    }
  return TRUE;
}

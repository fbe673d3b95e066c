/* fuzz-import.c — libFuzzer target: any bytes as a plan document.
 *
 * The importer must refuse them with a plan error, or take them; what it
 * takes must go into a new plan file, and its export must import again and
 * export to the same bytes. Reading the projects as the document is read
 * (upg_plan_parse ()) must give what reading them from the whole tree gives
 * (upg_plan_parse_whole ()): the same error, or the same projects.
 */
#define G_LOG_DOMAIN "upgrade-planner-fuzz"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fuzz-util.h"
#include "core/upg-plan.h"
#include "core/upg-plan-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) whole_error = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GPtrArray) whole = NULL;
  g_autofree char *extensions = NULL;
  g_autofree char *whole_extensions = NULL;
  g_autofree char *exported = NULL;
  UpgStore *store;
  guint n;

  fuzz_init ();
  if (size > G_MAXSSIZE)
    return 0;

  projects = upg_plan_parse ((const char *) data, (gssize) size, &extensions, &error);
  whole = upg_plan_parse_whole ((const char *) data, (gssize) size, &whole_extensions, &whole_error);
  if ((projects == NULL) != (whole == NULL))
    fuzz_fail ("streamed and whole reading differ: %s / %s",
               error ? error->message : "taken", whole_error ? whole_error->message : "taken");
  if (projects == NULL &&
      (error->code != whole_error->code || g_strcmp0 (error->message, whole_error->message) != 0))
    fuzz_fail ("streamed and whole reading refuse differently: %s / %s", error->message, whole_error->message);
  if (projects != NULL &&
      (projects->len != whole->len || g_strcmp0 (extensions, whole_extensions) != 0))
    fuzz_fail ("streamed and whole reading take different projects");
  /* A project without a uid gets a random one: compare the rest. */
  for (guint i = 0; projects != NULL && i < projects->len; i++)
    {
      if (g_strcmp0 (upg_record_get_string (projects->pdata[i], UPG_PROJECT_NAME),
                     upg_record_get_string (whole->pdata[i], UPG_PROJECT_NAME)) != 0)
        fuzz_fail ("streamed and whole reading differ in projects[%u].name", i);
      for (guint c = 0; upg_entity_project.children[c] != NULL; c++)
        {
          GListModel *a = upg_record_get_children (projects->pdata[i], upg_entity_project.children[c]);
          GListModel *b = upg_record_get_children (whole->pdata[i], upg_entity_project.children[c]);

          if (g_list_model_get_n_items (a) != g_list_model_get_n_items (b))
            fuzz_fail ("streamed and whole reading differ in projects[%u].%s", i,
                       upg_entity_project.children[c]->json_key);
        }
    }
  g_clear_pointer (&whole, g_ptr_array_unref);
  if (projects == NULL)
    {
      g_assert (error != NULL);
      g_assert (error->domain == UPG_PLAN_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  n = projects->len;
  store = fuzz_store_new ();
  if (!upg_plan_insert (store, projects, extensions, UPG_PLAN_IMPORT_DEFAULT, NULL, &error))
    fuzz_fail ("a plan that parsed does not insert: %s", error->message);
  g_clear_pointer (&projects, g_ptr_array_unref);
  if (upg_store_count_projects (store) != (int) n)
    fuzz_fail ("%u projects parsed, %d in the file", n, upg_store_count_projects (store));

  exported = fuzz_check_round_trip (store);
  fuzz_store_free (store);
  return 0;
}

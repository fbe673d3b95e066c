/* fuzz-import.c — libFuzzer target: any bytes as a plan document.
 *
 * The importer must refuse them with a plan error, or take them; what it
 * takes must go into a new plan file, and its export must import again and
 * export to the same bytes.
 */
#define G_LOG_DOMAIN "upgrade-planner-fuzz"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "fuzz-util.h"
#include "core/upg-plan.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autofree char *extensions = NULL;
  g_autofree char *exported = NULL;
  UpgStore *store;
  guint n;

  fuzz_init ();
  if (size > G_MAXSSIZE)
    return 0;

  projects = upg_plan_parse ((const char *) data, (gssize) size, &extensions, &error);
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

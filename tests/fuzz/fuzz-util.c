/* fuzz-util.c — scratch plan files and the round-trip oracle for the fuzzers. */
#define G_LOG_DOMAIN "upgrade-planner-fuzz"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "fuzz-util.h"
#include "core/upg-plan.h"

static char *scratch;
static guint serial;

static void
remove_scratch (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (scratch == NULL)
    return;
  dir = g_dir_open (scratch, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (scratch, name, NULL);
      g_unlink (path);
    }
  g_rmdir (scratch);
  g_clear_pointer (&scratch, g_free);
}

void
fuzz_fail (const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  abort ();
}

/* GLib stops on a fatal message with a breakpoint, which libFuzzer does not
 * catch; make it an abort, which it does. */
static void
trap_cb (int signum)
{
  abort ();
}

void
fuzz_init (void)
{
  if (scratch != NULL)
    return;
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  signal (SIGTRAP, trap_cb);
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  scratch = g_dir_make_tmp ("upg-fuzz-XXXXXX", NULL);
  g_assert (scratch != NULL);
  atexit (remove_scratch);
}

UpgStore *
fuzz_store_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("f%u.upgplan", serial++);
  g_autofree char *path = g_build_filename (scratch, name, NULL);
  UpgStore *store = upg_store_open (path, UPG_STORE_OPEN_CREATE, &error);

  if (store == NULL)
    fuzz_fail ("cannot create %s: %s", path, error->message);
  return store;
}

void
fuzz_store_free (UpgStore *store)
{
  g_autofree char *path = g_strdup (upg_store_get_path (store));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_assert_finalize_object (store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

char *
fuzz_check_round_trip (UpgStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = upg_plan_export (store, 0, &error);
  g_autofree char *second = NULL;
  g_autofree char *extensions = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  UpgStore *copy;

  if (first == NULL)
    fuzz_fail ("export plan failed: %s", error->message);
  projects = upg_plan_parse (first, -1, &extensions, &error);
  if (projects == NULL)
    fuzz_fail ("the exported plan does not import again: %s\n%s", error->message, first);

  copy = fuzz_store_new ();
  if (!upg_plan_insert (copy, projects, extensions, UPG_PLAN_IMPORT_DEFAULT, NULL, &error))
    fuzz_fail ("the exported plan does not insert again: %s", error->message);
  second = upg_plan_export (copy, 0, &error);
  if (second == NULL)
    fuzz_fail ("export plan of the copy failed: %s", error->message);
  if (strcmp (first, second) != 0)
    fuzz_fail ("export → import → export changed the plan:\n--- first\n%s\n--- second\n%s", first, second);
  g_clear_pointer (&projects, g_ptr_array_unref);
  fuzz_store_free (copy);
  return g_steal_pointer (&first);
}

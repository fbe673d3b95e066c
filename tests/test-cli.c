/* test-cli.c — the command line: output, exit codes and messages. */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include "upg-test-util.h"
#include "core/store/upg-store.h"

#define CLI(out, err, ...) upg_test_run_cli (out, err, __VA_ARGS__, NULL)
/* Runs the command line, then checks it failed on bad input with @message. */
#define ASSERT_BAD_INPUT(message, ...) G_STMT_START {                          \
    g_autofree char *bad_out = NULL;                                           \
    g_autofree char *bad_err = NULL;                                           \
    int bad_status = CLI (&bad_out, &bad_err, __VA_ARGS__);                    \
    assert_bad_input (bad_status, bad_out, bad_err, message);                  \
  } G_STMT_END

static char *
sample (void)
{
  return upg_test_data_path ("sample-plan.json");
}

/* A plan file with the sample imported once. */
static char *
sample_db (void)
{
  char *db = upg_test_tmpfile ("plans.upgplan");
  g_autofree char *in = sample ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, in), ==, 0);
  g_assert_cmpstr (out, ==, "1\n");
  g_assert_cmpstr (err, ==, "");
  return db;
}

static int
count_lines (const char *text)
{
  int n = 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_test_message ("in %s: %s", dir, name);
      n++;
    }
  return n;
}

static void
test_version (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (CLI (&out, &err, "--version"), ==, 0);
  g_assert_cmpstr (out, ==, "upgrade-planner 0.1.0\n");
  g_assert_cmpstr (err, ==, "");
}

static void
test_help (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (CLI (&out, &err, "--help"), ==, 0);
  g_assert_nonnull (strstr (out, "upgrade-planner import --db FILE [--replace] IN.json"));
}

static void
test_import_list_export (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *in = sample ();
  g_autofree char *expected = upg_test_read (in, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.json", NULL);
  g_autofree char *written = NULL;

  g_assert_cmpint (CLI (&out, &err, "list", "--db", db), ==, 0);
  g_assert_cmpstr (out, ==, "1\tBilling service 4.2 upgrade\tsecurity_fix\tpreparing\t4.1.7 → 4.2.0\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "list", "--db", db, "--json"), ==, 0);
  g_assert_cmpstr (out, ==,
                   "[\n  {\"id\": 1, \"name\": \"Billing service 4.2 upgrade\", \"kind\": \"security_fix\", "
                   "\"status\": \"preparing\", \"version_from\": \"4.1.7\", \"version_to\": \"4.2.0\", "
                   "\"build_id\": \"v4.2.0+build.1187\"}\n]\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "export", "plan", "--db", db), ==, 0);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "export", "plan", "--db", db, "--project", "1", "--format", "json", "-o", path), ==, 0);
  g_assert_cmpstr (out, ==, "");
  written = upg_test_read (path, NULL);
  g_assert_cmpstr (written, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Importing the same plan again is refused: it names the project and
   * says how to replace it; nothing changes. */
  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, in), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "upgrade-planner: projects[0]: the project “Billing service 4.2 upgrade” (uid 6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f) is already in this file; import with --replace to replace it\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* With --replace it takes the old one's place: still one project. */
  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, "--replace", in), ==, 0);
  g_assert_cmpstr (out, ==, "1\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "list", "--db", db), ==, 0);
  g_assert_cmpint (count_lines (out), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "export", "plan", "--db", db), ==, 0);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The sample plans no rollback yet. */
  g_assert_cmpint (CLI (&out, &err, "check", "--db", db), ==, 0);
  g_assert_cmpstr (out, ==, "ok: schema version 3, 1 project\n"
                            "warning: project 1 (Billing service 4.2 upgrade): The checklist has no rollback steps: "
                            "write down how to roll back before the day.\n");
}

/* Bad input: exit 1, one line on stderr, nothing on stdout. */
static void
assert_bad_input (int status, const char *out, const char *err, const char *message)
{
  g_autofree char *line = g_strdup_printf ("upgrade-planner: %s\n", message);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, line);
}

static void
test_missing_file_not_created (void)
{
  g_autofree char *db = upg_test_tmpfile ("nope.upgplan");
  const char *commands[][3] = { { "list", NULL }, { "check", NULL }, { "export", "plan" } };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = commands[i][1]
        ? CLI (&out, &err, commands[i][0], commands[i][1], "--db", db)
        : CLI (&out, &err, commands[i][0], "--db", db);

      assert_bad_input (status, out, err, "“nope.upgplan” does not exist; check its name and folder");
      g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
    }
}

static void
test_import_broken_json (void)
{
  g_autofree char *db = upg_test_tmpfile ("new.upgplan");
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *in = g_build_filename (dir, "broken.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  upg_test_write (in, "{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": [\n");
  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, in), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "upgrade-planner: broken.json: The file is not valid JSON: "));
  g_assert_cmpint (count_lines (err), ==, 1);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
}

static void
test_import_invalid_plan (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *in = g_build_filename (dir, "bad.json", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  CLI (&before, &err, "export", "plan", "--db", db);
  g_clear_pointer (&err, g_free);
  upg_test_write (in, "{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": ["
                      "{\"name\": \"A\"}, {\"name\": \"B\", \"team\": [{\"name\": \"Li\", \"email\": \"li@\"}]}]}");
  ASSERT_BAD_INPUT ("bad.json: projects[1].team[0].email: must be a valid email address, like name@example.org", "import", "--db", db, in);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  CLI (&after, &err, "export", "plan", "--db", db);
  g_assert_cmpstr (before, ==, after);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  upg_test_write (in, "{\"format\": \"upgrade-planner\", \"version\": 4, \"projects\": []}");
  ASSERT_BAD_INPUT ("bad.json: The plan uses format version 4, newer than this version of Upgrade Planner reads (3); update Upgrade Planner", "import", "--db", db, in);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  upg_test_write (in, "{\"name\": \"not a plan\"}");
  ASSERT_BAD_INPUT ("bad.json: The file is not an Upgrade Planner plan (it has no \"format\": \"upgrade-planner\")", "import", "--db", db, in);
}

static void
test_import_into_foreign_file (void)
{
  g_autofree char *db = upg_test_tmpfile ("notes.txt");
  g_autofree char *in = sample ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *after = NULL;

  upg_test_write (db, "release notes\n");
  ASSERT_BAD_INPUT ("“notes.txt” is not an Upgrade Planner plan file; open a plan file (.upgplan) instead", "import", "--db", db, in);
  after = upg_test_read (db, NULL);
  g_assert_cmpstr (after, ==, "release notes\n");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ASSERT_BAD_INPUT ("“notes.txt” is not an Upgrade Planner plan file; open a plan file (.upgplan) instead", "check", "--db", db);
}

static void
test_import_missing_input (void)
{
  g_autofree char *db = upg_test_tmpfile ("new.upgplan");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, "/nonexistent/plan.json"), ==, 1);
  g_assert_cmpint (count_lines (err), ==, 1);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
}

static void
test_export_unknown_project (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.json", NULL);

  ASSERT_BAD_INPUT ("There is no project with id 9; “upgrade-planner list” shows the ids", "export", "plan", "--db", db, "--project", "9", "-o", path);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Usage errors: exit 2 and a hint, nothing written. */
static void
test_usage_errors (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *in = sample ();
  const char *cases[][8] = {
    { "list", NULL },
    { "list", "--db", db, "--frob", NULL },
    { "list", "--db", db, "extra", NULL },
    { "import", "--db", db, NULL },
    { "import", "--db", db, in, in, NULL },
    { "import", in, NULL },
    { "export", "--db", db, NULL },
    { "export", "gantt", "--db", db, NULL },
    { "export", "plan", "--db", db, "--format", "csv", NULL },
    { "export", "plan", "--db", db, "--project", "abc", NULL },
    { "check", "--db", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = upg_test_run_cli (&out, &err, cases[i][0], cases[i][1], cases[i][2], cases[i][3],
                                     cases[i][4], cases[i][5], cases[i][6], cases[i][7], NULL);

      g_test_message ("case %u: %s", i, cases[i][0]);
      g_assert_cmpint (status, ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_str_has_prefix (err, "upgrade-planner: "));
      g_assert_true (g_str_has_suffix (err, "Try “upgrade-planner --help” for more information.\n"));
    }
}

/* Issue 12, case 1: -o naming the plan file (or its journal, its backups,
 * a hard or symbolic link to it) is refused and the file left as it was. */
static void
test_export_onto_plan_file (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *before = NULL;
  g_autofree char *hard = g_build_filename (dir, "hard.json", NULL);
  g_autofree char *soft = g_build_filename (dir, "soft.json", NULL);
  g_autofree char *backup = g_build_filename (dir, "plans.upgplan.v1-20260101T000000Z.bak", NULL);
  g_autofree char *backup_sum = g_strconcat (backup, ".sha256", NULL);
  g_autofree char *other_dir = upg_test_tmpdir ();
  g_autofree char *far_link = g_build_filename (other_dir, "far.json", NULL);
  g_autofree char *dotted = g_build_filename (dir, ".", "plans.upgplan", NULL);
  gsize before_len, after_len;

  before = upg_test_read (db, &before_len);
  g_assert_cmpint (link (db, hard), ==, 0);
  g_assert_cmpint (symlink (db, soft), ==, 0);
  g_assert_cmpint (link (db, far_link), ==, 0);
  upg_test_write (backup, "backup");
  upg_test_write (backup_sum, "sum");

  {
    struct { const char *target; const char *name; } cases[] = {
      { db, "plans.upgplan" },
      { dotted, "plans.upgplan" },
      { hard, "hard.json" },
      { soft, "soft.json" },
      { far_link, "far.json" },
      { NULL, "plans.upgplan-wal" },
      { NULL, "plans.upgplan-shm" },
      { NULL, "plans.upgplan-journal" },
      { backup, "plans.upgplan.v1-20260101T000000Z.bak" },
      { backup_sum, "plans.upgplan.v1-20260101T000000Z.bak.sha256" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *target = cases[i].target ? g_strdup (cases[i].target)
                                                  : g_build_filename (dir, cases[i].name, NULL);
        g_autofree char *message = g_strdup_printf ("“%s” is the plan file or one of its own files (journal or backup); choose another output file",
                                                    cases[i].name);
        g_autofree char *after = NULL;

        g_test_message ("case %u: %s", i, cases[i].name);
        ASSERT_BAD_INPUT (message, "export", "plan", "--db", db, "-o", target);
        after = upg_test_read (db, &after_len);
        g_assert_cmpmem (after, after_len, before, before_len);
      }
  }
  {
    g_autofree char *backup_text = upg_test_read (backup, NULL);
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_assert_cmpstr (backup_text, ==, "backup");
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
}

/* Issue 12, case 2: -o replaces the file by renaming a finished temporary
 * file over it: a hard link to the old file keeps the old bytes. */
static void
test_export_replaces_hard_link (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.json", NULL);
  g_autofree char *other = g_build_filename (dir, "other.json", NULL);
  g_autofree char *in = sample ();
  g_autofree char *expected = upg_test_read (in, NULL);
  g_autofree char *written = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GDir) listing = NULL;
  guint n = 0;

  upg_test_write (path, "old\n");
  g_assert_cmpint (link (path, other), ==, 0);
  g_assert_cmpint (CLI (&out, &err, "export", "plan", "--db", db, "-o", path), ==, 0);
  g_assert_cmpstr (err, ==, "");
  written = upg_test_read (path, NULL);
  kept = upg_test_read (other, NULL);
  g_assert_cmpstr (written, ==, expected);
  g_assert_cmpstr (kept, ==, "old\n");

  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 2);
}

/* Runs "upgrade-planner ARGS > REDIRECT" through the shell. */
static int
run_redirected (char **err, const char *args, const char *redirect)
{
  g_autofree char *command = g_strdup_printf ("exec '%s' %s > %s", UPG_BIN, args, redirect);
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* Issue 12, case 2: standard output on a full disk is an error. */
static void
test_export_stdout_full (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *args = g_strdup_printf ("export plan --db '%s'", db);
  g_autofree char *list_args = g_strdup_printf ("list --db '%s'", db);
  g_autofree char *err = NULL;

  /* Linux has it; a test that cannot run fails, it does not skip. */
  g_assert_true (g_file_test ("/dev/full", G_FILE_TEST_EXISTS));
  g_assert_cmpint (run_redirected (&err, args, "/dev/full"), ==, 1);
  g_assert_cmpstr (err, ==, "upgrade-planner: Could not write to standard output: No space left on device\n");
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_redirected (&err, list_args, "/dev/full"), ==, 1);
  g_assert_cmpstr (err, ==, "upgrade-planner: Could not write to standard output: No space left on device\n");
}

/* A small tmpfs of its own (in the test's own namespaces: see
 * upg_test_in_namespace()). */
static char *
mount_small_tmpfs (const char *size)
{
  g_autofree char *dir = upg_test_tmpdir ();

  upg_test_mount_tmpfs (dir, size);
  return g_steal_pointer (&dir);
}

/* Fills @dir's file system up to the last few bytes. */
static void
fill_disk (const char *dir)
{
  g_autofree char *filler = g_build_filename (dir, "filler", NULL);
  g_autofree char *command = g_strdup_printf ("dd if=/dev/zero of='%s' bs=4096 2>/dev/null", filler);
  (void) !system (command);
}

/* Issue 12, case 2: -o on a full disk leaves the old file and no
 * temporary file. */
static void
test_export_full_disk (void)
{
  g_autofree char *db = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  guint n = 0;

  if (!upg_test_in_namespace (UPG_TEST_NS_MOUNTS))
    return;
  db = sample_db ();
  dir = mount_small_tmpfs ("64k");
  path = g_build_filename (dir, "out.json", NULL);
  upg_test_write (path, "old\n");
  fill_disk (dir);
  ASSERT_BAD_INPUT ("Could not write “out.json”: No space left on device; it was left as it was",
                    "export", "plan", "--db", db, "-o", path);
  kept = upg_test_read (path, NULL);
  g_assert_cmpstr (kept, ==, "old\n");
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_test_message ("left: %s", name);
      n++;
    }
  g_assert_cmpuint (n, ==, 2);   /* out.json and the filler */
  g_clear_pointer (&listing, g_dir_close);
  upg_test_unmount (dir);
}

/* Issue 12, case 3: random bytes over the project table's root page: list,
 * export and check all fail naming the file as damaged, never print an
 * empty plan. */
/* Overwrites the root page of @name (a table or index) in @db with random
 * bytes. */
static void
damage_root_page (const char *db, const char *name)
{
  g_autofree char *contents = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT rootpage FROM sqlite_schema WHERE name = '%s'", name);
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  int root = 0, page_size = 0;
  gsize length;
  GRand *rand = g_rand_new_with_seed (12);

  g_assert_cmpint (sqlite3_open_v2 (db, &handle, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  root = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "PRAGMA page_size", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page_size = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  g_assert_cmpint (root, >, 1);

  contents = upg_test_read (db, &length);
  g_assert_cmpuint (length, >=, (gsize) root * page_size);
  for (int i = 0; i < page_size; i++)
    contents[(gsize) (root - 1) * page_size + i] = (char) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  g_assert_true (g_file_set_contents (db, contents, length, NULL));
}

/* Issue 12, case 3: random bytes over the project table's root page: list,
 * export and check all fail naming the file as damaged, never print an
 * empty plan. */
static void
test_damaged_project_table (void)
{
  g_autofree char *db = sample_db ();
  const char *message = "“plans.upgplan” is truncated or damaged; open a copy or a backup of it instead";

  damage_root_page (db, "project");
  ASSERT_BAD_INPUT (message, "list", "--db", db);
  ASSERT_BAD_INPUT (message, "list", "--db", db, "--json");
  ASSERT_BAD_INPUT (message, "export", "plan", "--db", db);
  ASSERT_BAD_INPUT (message, "export", "sop", "--db", db, "--project", "1");
  ASSERT_BAD_INPUT (message, "check", "--db", db);
}

/* The same for the tables read later: the SOP steps, the plan's own
 * extensions (meta): an export fails rather than leave them out. */
static void
test_damaged_other_tables (void)
{
  const char *names[] = { "sop_step", "sqlite_autoindex_meta_1" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *db = sample_db ();

      g_test_message ("damaged: %s", names[i]);
      damage_root_page (db, names[i]);
      ASSERT_BAD_INPUT ("“plans.upgplan” is truncated or damaged; open a copy or a backup of it instead", "export", "plan", "--db", db);
      ASSERT_BAD_INPUT ("“plans.upgplan” is truncated or damaged; open a copy or a backup of it instead", "check", "--db", db);
    }
}

/* Issue 12, case 8: an empty file is not a plan to list, check or export
 * (it stays empty); import initialises it, as mktemp users expect. */
static void
test_empty_file (void)
{
  g_autofree char *db = upg_test_tmpfile ("empty.upgplan");
  g_autofree char *in = sample ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  const char *message = "“empty.upgplan” is empty, not an Upgrade Planner plan file; open a plan file (.upgplan) instead";
  gsize length;

  upg_test_write (db, "");
  ASSERT_BAD_INPUT (message, "list", "--db", db);
  ASSERT_BAD_INPUT (message, "list", "--db", db, "--json");
  ASSERT_BAD_INPUT (message, "check", "--db", db);
  ASSERT_BAD_INPUT (message, "export", "plan", "--db", db);
  contents = upg_test_read (db, &length);
  g_assert_cmpuint (length, ==, 0);

  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, in), ==, 0);
  g_assert_cmpstr (out, ==, "1\n");
  g_assert_cmpstr (err, ==, "");
}

/* Issue 12, case 8: a pipe as the plan file is refused at once, never
 * opened (which would wait for a writer for ever). */
static void
test_fifo_refused (void)
{
  g_autofree char *db = upg_test_tmpfile ("pipe.upgplan");
  g_autofree char *in = sample ();
  const char *message = "“pipe.upgplan” is not a regular file (a pipe or a device, say), so it is not a plan file";

  g_assert_cmpint (mkfifo (db, 0600), ==, 0);
  ASSERT_BAD_INPUT (message, "list", "--db", db);
  ASSERT_BAD_INPUT (message, "check", "--db", db);
  ASSERT_BAD_INPUT (message, "export", "plan", "--db", db);
  ASSERT_BAD_INPUT (message, "import", "--db", db, in);
}

/* Issue 9: import makes the file, not the folders it would live in. */
static void
test_import_no_folders (void)
{
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "no", NULL);
  g_autofree char *db = g_build_filename (missing, "such", "plans.upgplan", NULL);
  g_autofree char *in = sample ();

  ASSERT_BAD_INPUT ("Cannot create “plans.upgplan”: its folder does not exist", "import", "--db", db, in);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* Issue 12, case 10: an import into a new file that fails on a full disk
 * leaves no file, no -wal, no -shm. */
static void
test_import_full_disk (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *in = upg_test_tmpfile ("big.json");
  g_autofree char *filler = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GString) json = g_string_new ("{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": [");
  g_autofree char *goal = NULL;
  int status;

  if (!upg_test_in_namespace (UPG_TEST_NS_MOUNTS))
    return;
  dir = mount_small_tmpfs ("1m");
  /* Room for the empty plan, not for 4 MB of goals. */
  goal = g_strnfill (100000, 'g');
  for (int i = 0; i < 40; i++)
    g_string_append_printf (json, "%s{\"name\": \"P%d\", \"kind\": \"feature\", \"status\": \"planning\", \"goal\": \"%s\"}",
                            i ? ", " : "", i, goal);
  g_string_append (json, "]}");
  upg_test_write (in, json->str);

  db = g_build_filename (dir, "new.upgplan", NULL);
  status = CLI (&out, &err, "import", "--db", db, in);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (count_lines (err), ==, 1);
  g_assert_cmpuint (count_entries (dir), ==, 0);
  (void) filler;
  upg_test_unmount (dir);
}

/* Issue 12, case 9: an error is one line, control characters from the
 * input shown escaped. */
static void
test_errors_one_line (void)
{
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "two\nlines\x1b[2J.upgplan", NULL);
  g_autofree char *plan = g_build_filename (dir, "plan.upgplan", NULL);
  g_autofree char *in = g_build_filename (dir, "in.json", NULL);

  ASSERT_BAD_INPUT ("“two\\nlines\\x1b[2J.upgplan” does not exist; check its name and folder", "list", "--db", db);

  upg_test_write (in, "{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": "
                      "[{\"name\": \"A\", \"kind\": \"feature\", \"status\": \"planning\", \"evil\\u001b]0;pwned\\u0007\\nkey\": 1}]}");
  ASSERT_BAD_INPUT ("in.json: projects[0].evil\\x1b]0;pwned\\x07\\nkey: unknown key", "import", "--db", plan, in);
}

/* Issue 9: a word that is neither a command nor a plan file is a usage
 * error (exit 2) that names it and lists the commands; nothing is created
 * and no window opens. */
static void
test_unknown_command (void)
{
  static const struct { const char *arg, *line; } cases[] = {
    { "lsit", "upgrade-planner: unknown command \"lsit\"\n" },
    { "notes.txt", "upgrade-planner: unknown command \"notes.txt\"\n" },
    { "--frob", "upgrade-planner: unknown option “--frob”\n" },
    { "-x", "upgrade-planner: unknown option “-x”\n" },
  };
  const char *rest = "Commands: list, import, export, check, sop. To open a plan file in the window, give one that exists or ends in .upgplan.\n"
                     "Try “upgrade-planner --help” for more information.\n";
  g_autofree char *dir = upg_test_tmpdir ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *expected = g_strconcat (cases[i].line, rest, NULL);
      const char *argv[] = { UPG_BIN, cases[i].arg, NULL };
      g_autoptr(GError) error = NULL;
      int status = 0;

      g_test_message ("case %u: %s", i, cases[i].arg);
      g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
      g_assert_no_error (error);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, ==, expected);
      g_assert_cmpuint (count_entries (dir), ==, 0);
    }
  {
    /* A later word is named too: "a.upgplan --frob". */
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_assert_cmpint (CLI (&out, &err, "a.upgplan", "--frob"), ==, 2);
    g_assert_true (g_str_has_prefix (err, "upgrade-planner: unknown option “--frob”\n"));
  }
}

/* Imports @json (a plan document) into a new file; returns the file. */
static char *
db_with (const char *json)
{
  char *db = upg_test_tmpfile ("plan.upgplan");
  g_autofree char *in = upg_test_tmpfile ("in.json");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  upg_test_write (in, json);
  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, in), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return db;
}

/* Issue 9: list keeps one project a line whatever its name holds. */
static void
test_list_escapes (void)
{
  g_autofree char *db = db_with ("{\"format\": \"upgrade-planner\", \"version\": 2, \"projects\": ["
                                 "{\"name\": \"Tab\\there\\nand \\u001b[1mbold\", \"kind\": \"feature\", \"status\": \"planning\", "
                                 "\"version_from\": \"1\\n2\", \"version_to\": \"3\"}]}");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (CLI (&out, &err, "list", "--db", db), ==, 0);
  g_assert_cmpstr (out, ==, "1\tTab\\there\\nand \\x1b[1mbold\tfeature\tplanning\t1\\n2 → 3\n");
}

/* Issue 9: check prints the plan's warnings (the Overview's words), and
 * --strict makes them an error. */
static void
test_check_warnings (void)
{
  g_autofree char *db = db_with ("{\"format\": \"upgrade-planner\", \"version\": 2, \"projects\": ["
                                 "{\"name\": \"No team\", \"kind\": \"feature\", \"status\": \"planning\", "
                                 "\"sop\": [{\"phase\": \"rollback\", \"title\": \"Roll back\", \"required\": false}]}]}");
  g_autofree char *clean = db_with ("{\"format\": \"upgrade-planner\", \"version\": 3, \"projects\": ["
                                    "{\"name\": \"Clean\", \"status\": \"preparing\", "
                                    "\"window_start\": \"2026-12-05T01:00:00Z\", \"window_end\": \"2026-12-05T03:00:00Z\", "
                                    "\"team\": [{\"name\": \"Ana\", \"role\": \"project_manager\"}], "
                                    "\"sop\": [{\"phase\": \"rollback\", \"title\": \"Roll back\", \"required\": false}]}]}");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *expected = "ok: schema version 3, 1 project\n"
                         "warning: project 1 (No team): No one on the team is the project manager.\n";

  g_assert_cmpint (CLI (&out, &err, "check", "--db", db), ==, 0);
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "check", "--db", db, "--strict"), ==, 1);
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpstr (err, ==, "upgrade-planner: The plan has 1 warning (--strict); fix it or run check without --strict\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "check", "--db", clean, "--strict"), ==, 0);
  g_assert_cmpstr (out, ==, "ok: schema version 3, 1 project\n");
}

static GPtrArray *
step_events (const char *db, guint n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = upg_store_open (db, UPG_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(UpgProject) project = NULL;
  g_autoptr(UpgRecord) step = NULL;
  GPtrArray *events;

  g_assert_no_error (error);
  project = upg_store_lookup_project (store, 1, &error);
  g_assert_no_error (error);
  g_assert_true (upg_store_load_children (store, UPG_RECORD (project), &error));
  step = g_list_model_get_item (upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step), n - 1);
  events = upg_store_list_check_events (store, step, &error);
  g_assert_no_error (error);
  return events;
}

/* Issue 18: on and after the day, check says what the record lacks: a
 * window that passed while the status still says it is to come, required
 * steps still open, people not on the team who worked the checklist; and
 * nothing is overdue in a cancelled or completed project. */
static void
test_check_day_warnings (void)
{
  static const char plan[] =
    "{\"format\": \"upgrade-planner\", \"version\": 3, \"projects\": ["
    "{\"name\": \"Day\", \"status\": \"%s\", \"time_zone\": \"Asia/Shanghai\", "
    "\"window_start\": \"2026-11-20T01:00:00Z\", \"window_end\": \"2026-11-20T03:00:00Z\", "
    "\"milestones\": [{\"title\": \"Launch\", \"kind\": \"full_launch\", \"due\": \"2026-11-21\"}], "
    "\"team\": [{\"name\": \"Ana\", \"role\": \"project_manager\"}], "
    "\"sop\": [{\"phase\": \"%s\", \"title\": \"Back\", \"required\": false}, "
    "{\"phase\": \"build\", \"title\": \"Build\", \"checked_at\": \"2026-11-20T01:10:00Z\", \"checked_by\": \"Tester\", "
    "\"history\": [{\"action\": \"check\", \"by\": \"Tester\", \"at\": \"2026-11-20T01:10:00Z\", \"note\": \"\"}]}, "
    "{\"phase\": \"go_live\", \"title\": \"Switch\"}, "
    "{\"phase\": \"retrospective\", \"title\": \"Hold the retrospective\"}]}]}";
  static const struct {
    const char *status;
    const char *phase;   /* of the first step */
    const char *warnings;
  } cases[] = {
    { "preparing", "rollback",
      "warning: project 1 (Day): Milestone “Launch” is overdue: it was due on 2026-11-21.\n"
      "warning: project 1 (Day): The maintenance window ended at 2026-11-20 11:00 (Asia/Shanghai), but the status is still “Preparing”.\n"
      "warning: project 1 (Day): 1 required checklist step is still open after the window.\n"
      "warning: project 1 (Day): Not on the team, but worked the checklist: Tester.\n" },
    { "live", "go_live",
      "warning: project 1 (Day): Milestone “Launch” is overdue: it was due on 2026-11-21.\n"
      "warning: project 1 (Day): The checklist has no rollback steps: write down how to roll back before the day.\n"
      "warning: project 1 (Day): 1 required checklist step is still open after the window.\n"
      "warning: project 1 (Day): Not on the team, but worked the checklist: Tester.\n" },
    { "done", "rollback",
      "warning: project 1 (Day): 1 required checklist step is still open after the window.\n"
      "warning: project 1 (Day): Not on the team, but worked the checklist: Tester.\n" },
    { "cancelled", "go_live",
      "warning: project 1 (Day): Not on the team, but worked the checklist: Tester.\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (plan, cases[i].status, cases[i].phase);
      g_autofree char *db = db_with (json);
      g_autofree char *expected = g_strconcat ("ok: schema version 3, 1 project\n", cases[i].warnings, NULL);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (CLI (&out, &err, "check", "--db", db), ==, 0);
      g_assert_cmpstr (out, ==, expected);
      g_assert_cmpstr (err, ==, "");
    }
}

/* Issue 18: a --by name that is not on the team is recorded as given, with
 * a warning; the rollback's start and end from the command line. */
static void
test_sop_by_and_rollback (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", db, "--project", "1", "--step", "2", "--by", "Jonas"), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "upgrade-planner: warning: “Jonas” is not on the team of project 1; recorded as given\n");
  events = step_events (db, 2);
  g_assert_cmpstr (((UpgCheckEvent *) g_ptr_array_index (events, 0))->actor, ==, "Jonas");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "check", "--db", db), ==, 0);
  g_assert_nonnull (strstr (out, "warning: project 1 (Billing service 4.2 upgrade): Not on the team, but worked the checklist: Jonas.\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  ASSERT_BAD_INPUT ("No rollback was started", "sop", "end-rollback", "--db", db, "--project", "1");
  g_assert_cmpint (CLI (&out, &err, "sop", "start-rollback", "--db", db, "--project", "1"), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ASSERT_BAD_INPUT ("A rollback is under way: it began at 20:00 (Asia/Shanghai)",
                    "sop", "start-rollback", "--db", db, "--project", "1");
  g_assert_cmpint (CLI (&out, &err, "sop", "end-rollback", "--db", db, "--project", "1"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ASSERT_BAD_INPUT ("The rollback began at 20:00 (Asia/Shanghai) and ended at 20:00 (Asia/Shanghai)",
                    "sop", "end-rollback", "--db", db, "--project", "1");
  g_assert_cmpint (CLI (&out, &err, "export", "plan", "--db", db), ==, 0);
  g_assert_nonnull (strstr (out, "\"rollback_started_at\": \"2026-11-25T12:00:00Z\",\n"
                                 "      \"rollback_ended_at\": \"2026-11-25T12:00:00Z\",\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  ASSERT_BAD_INPUT ("There is no project with id 4; “upgrade-planner list” shows the ids",
                    "sop", "start-rollback", "--db", db, "--project", "4");
  g_assert_cmpint (CLI (&out, &err, "sop", "start-rollback", "--db", db), ==, 2);
  g_assert_true (g_str_has_prefix (err, "upgrade-planner: sop start-rollback needs --project ID\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "sop", "end-rollback", "--db", db, "--project", "1", "--step", "2"), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "sop", "rollback", "--db", db), ==, 2);
  g_assert_true (g_str_has_prefix (err, "upgrade-planner: unknown sop action “rollback”; choose check, uncheck, skip, "
                                        "start-rollback or end-rollback\n"));
}

/* Issue 9: sop check|uncheck|skip write the window's events. */
static void
test_sop_command (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) events = NULL;
  UpgCheckEvent *event;

  /* Step 2, "Rollback rehearsed", is not done. */
  g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", db, "--project", "1", "--step", "2", "--by", "Jonas Berg"), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "");
  events = step_events (db, 2);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (event->action, ==, "check");
  g_assert_cmpstr (event->actor, ==, "Jonas Berg");
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Unchecking and skipping need a reason: a usage error without one. */
  g_assert_cmpint (CLI (&out, &err, "sop", "uncheck", "--db", db, "--project", "1", "--step", "2", "--by", "Ana"), ==, 2);
  g_assert_true (g_str_has_prefix (err, "upgrade-planner: sop uncheck needs --note TEXT (the reason)\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "sop", "uncheck", "--db", db, "--project", "1", "--step", "2", "--by", "Ana Souza", "--note", "rehearse again"), ==, 0);
  events = step_events (db, 2);
  g_assert_cmpuint (events->len, ==, 2);
  event = g_ptr_array_index (events, 1);
  g_assert_cmpstr (event->action, ==, "uncheck");
  g_assert_cmpstr (event->reason, ==, "rehearse again");
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The readiness gate: the canary (step 5) waits for steps 2–4. */
  ASSERT_BAD_INPUT ("3 required steps of earlier phases are not checked; check them first, or give --note TEXT to skip them",
                    "sop", "check", "--db", db, "--project", "1", "--step", "5", "--by", "Ana Souza");
  g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", db, "--project", "1", "--step", "5", "--by", "Ana Souza",
                        "--note", "approved by the change board"), ==, 0);
  events = step_events (db, 3);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (event->action, ==, "skip");
  g_assert_cmpstr (event->reason, ==, "approved by the change board");
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "sop", "skip", "--db", db, "--project", "1", "--step", "6", "--by", "Priya Raman", "--note", "sent by sales"), ==, 0);
  events = step_events (db, 6);
  g_assert_cmpuint (events->len, ==, 1);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpstr (event->action, ==, "skip");
  g_assert_cmpstr (event->actor, ==, "Priya Raman");
  g_clear_pointer (&events, g_ptr_array_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  ASSERT_BAD_INPUT ("Project 1 has no step 9: its SOP has 6 steps",
                    "sop", "check", "--db", db, "--project", "1", "--step", "9", "--by", "Ana Souza");
  ASSERT_BAD_INPUT ("There is no project with id 4; “upgrade-planner list” shows the ids",
                    "sop", "check", "--db", db, "--project", "4", "--step", "1", "--by", "Ana Souza");
  g_assert_cmpint (CLI (&out, &err, "sop", "frob", "--db", db), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", db, "--project", "1", "--by", "Ana"), ==, 2);
  g_assert_true (g_str_has_prefix (err, "upgrade-planner: sop check needs --step N (1 for the first step)\n"));
}

/* Starts the command line with @args (NULL-terminated, without the
 * program name), without waiting for it. */
static GSubprocess *
start_cli (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (char *) UPG_BIN);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  return process;
}

/* Issue 18: two `sop check` of the same step at once, beside a third
 * writer that unchecks it, 30 rounds, the three processes in parallel.
 * Each is a compare-and-set in its write transaction: every reported
 * success is in the history exactly once, every refusal (exit 1) names
 * the newer state, and the history never has a check on a check. */
static void
test_sop_race (void)
{
  g_autofree char *db = sample_db ();
  struct {
    const char *action;
    const char *by;
  } writers[] = {
    { "check", "Ana Souza" },     /* A */
    { "check", "Mei Lin" },       /* C */
    { "uncheck", "Jonas Berg" },  /* the third writer */
  };
  guint before = 0, both_checks = 0, refusals = 0;
  g_autoptr(GRegex) refused = g_regex_new ("^upgrade-planner: (Step 2 was (checked|unchecked) by "
                                           "(Ana Souza|Mei Lin|Jonas Berg|Reset) at 20:00 \\(Asia/Shanghai\\)"
                                           "|Step 2 is not checked)\n$", 0, 0, NULL);

  for (guint round = 0; round < 30; round++)
    {
      GSubprocess *processes[G_N_ELEMENTS (writers)];
      int status[G_N_ELEMENTS (writers)];
      g_autofree char *note = g_strdup_printf ("round %u", round);
      g_autoptr(GPtrArray) events = NULL;
      guint n_ok = 0;

      for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
        {
          const char *args[] = { "sop", writers[w].action, "--db", db, "--project", "1", "--step", "2",
                                 "--by", writers[w].by, "--note", note, NULL };
          processes[w] = start_cli (args);
        }
      for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *out = NULL;
          g_autofree char *err = NULL;

          g_subprocess_communicate_utf8 (processes[w], NULL, NULL, &out, &err, &error);
          g_assert_no_error (error);
          g_assert_true (g_subprocess_get_if_exited (processes[w]));
          status[w] = g_subprocess_get_exit_status (processes[w]);
          g_clear_object (&processes[w]);
          g_assert_cmpstr (out, ==, "");
          if (status[w] == 0)
            {
              g_assert_cmpstr (err, ==, "");
              n_ok++;
            }
          else
            {
              g_assert_cmpint (status[w], ==, 1);
              if (!g_regex_match (refused, err, 0, NULL))
                g_error ("round %u: %s %s refused with: %s", round, writers[w].action, writers[w].by, err);
              refusals++;
            }
        }

      /* This round's entries: exactly the successes, each once. */
      events = step_events (db, 2);
      g_assert_cmpuint (events->len, ==, before + n_ok);
      for (guint w = 0; w < G_N_ELEMENTS (writers); w++)
        {
          guint found = 0;
          for (guint i = before; i < events->len; i++)
            {
              UpgCheckEvent *e = g_ptr_array_index (events, i);
              found += g_str_equal (e->action, writers[w].action) && g_str_equal (e->actor, writers[w].by);
            }
          g_assert_cmpuint (found, ==, status[w] == 0 ? 1 : 0);
        }
      /* The history alternates: never a check on a check or an uncheck of
       * an unchecked step. */
      for (guint i = 1; i < events->len; i++)
        {
          UpgCheckEvent *a = g_ptr_array_index (events, i - 1);
          UpgCheckEvent *b = g_ptr_array_index (events, i);
          g_assert_cmpstr (a->action, !=, b->action);
        }
      if (status[0] == 0 && status[1] == 0)
        {
          /* Both checks only with the uncheck between them. */
          g_assert_cmpint (status[2], ==, 0);
          both_checks++;
        }

      /* The next round starts from an unchecked step. */
      before = events->len;
      if (before > 0 && g_str_equal (((UpgCheckEvent *) g_ptr_array_index (events, before - 1))->action, "check"))
        {
          g_autofree char *out = NULL;
          g_autofree char *err = NULL;
          g_assert_cmpint (CLI (&out, &err, "sop", "uncheck", "--db", db, "--project", "1", "--step", "2",
                                "--by", "Reset", "--note", "next round"), ==, 0);
          before++;
        }
    }
  g_test_message ("30 rounds: %u refusals, %u rounds where both checks went through", refusals, both_checks);
  g_assert_cmpuint (refusals, >, 0);
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/import-list-export", test_import_list_export);
  g_test_add_func ("/cli/missing-file-not-created", test_missing_file_not_created);
  g_test_add_func ("/cli/import-broken-json", test_import_broken_json);
  g_test_add_func ("/cli/import-invalid-plan", test_import_invalid_plan);
  g_test_add_func ("/cli/import-into-foreign-file", test_import_into_foreign_file);
  g_test_add_func ("/cli/import-missing-input", test_import_missing_input);
  g_test_add_func ("/cli/export-unknown-project", test_export_unknown_project);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/export-onto-plan-file", test_export_onto_plan_file);
  g_test_add_func ("/cli/export-replaces-hard-link", test_export_replaces_hard_link);
  g_test_add_func ("/cli/export-stdout-full", test_export_stdout_full);
  g_test_add_func ("/cli/export-full-disk", test_export_full_disk);
  g_test_add_func ("/cli/damaged-project-table", test_damaged_project_table);
  g_test_add_func ("/cli/damaged-other-tables", test_damaged_other_tables);
  g_test_add_func ("/cli/empty-file", test_empty_file);
  g_test_add_func ("/cli/fifo-refused", test_fifo_refused);
  g_test_add_func ("/cli/import-no-folders", test_import_no_folders);
  g_test_add_func ("/cli/import-full-disk", test_import_full_disk);
  g_test_add_func ("/cli/errors-one-line", test_errors_one_line);
  g_test_add_func ("/cli/unknown-command", test_unknown_command);
  g_test_add_func ("/cli/list-escapes", test_list_escapes);
  g_test_add_func ("/cli/check-warnings", test_check_warnings);
  g_test_add_func ("/cli/check-day-warnings", test_check_day_warnings);
  g_test_add_func ("/cli/sop-by-and-rollback", test_sop_by_and_rollback);
  g_test_add_func ("/cli/sop-command", test_sop_command);
  g_test_add_func ("/cli/sop-race", test_sop_race);

  return g_test_run ();
}

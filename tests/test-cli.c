/* test-cli.c — the command line: output, exit codes and messages. */
#include "config.h"

#include <string.h>

#include "upg-test-util.h"

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
  g_assert_cmpint (CLI (&out, &err, "list", "--db", db), ==, 0);
  g_assert_cmpint (count_lines (out), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "export", "plan", "--db", db), ==, 0);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "check", "--db", db), ==, 0);
  g_assert_cmpstr (out, ==, "ok: schema version 2, 1 project\n");
}

static void
test_list_empty_json (void)
{
  g_autofree char *db = upg_test_tmpfile ("empty.upgplan");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  upg_test_write (db, "");
  g_assert_cmpint (CLI (&out, &err, "list", "--db", db, "--json"), ==, 0);
  g_assert_cmpstr (out, ==, "[]\n");
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

      assert_bad_input (status, out, err, "“nope.upgplan” does not exist");
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
  upg_test_write (in, "{\"format\": \"upgrade-planner\", \"version\": 3, \"projects\": []}");
  ASSERT_BAD_INPUT ("bad.json: The plan uses format version 3, newer than this version of Upgrade Planner reads (2); update Upgrade Planner", "import", "--db", db, in);

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
  ASSERT_BAD_INPUT ("“notes.txt” is not an Upgrade Planner plan file", "import", "--db", db, in);
  after = upg_test_read (db, NULL);
  g_assert_cmpstr (after, ==, "release notes\n");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  ASSERT_BAD_INPUT ("“notes.txt” is not an Upgrade Planner plan file", "check", "--db", db);
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
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  ASSERT_BAD_INPUT ("There is no project with id 9", "export", "plan", "--db", db, "--project", "9", "-o", path);
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

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/import-list-export", test_import_list_export);
  g_test_add_func ("/cli/list-empty-json", test_list_empty_json);
  g_test_add_func ("/cli/missing-file-not-created", test_missing_file_not_created);
  g_test_add_func ("/cli/import-broken-json", test_import_broken_json);
  g_test_add_func ("/cli/import-invalid-plan", test_import_invalid_plan);
  g_test_add_func ("/cli/import-into-foreign-file", test_import_into_foreign_file);
  g_test_add_func ("/cli/import-missing-input", test_import_missing_input);
  g_test_add_func ("/cli/export-unknown-project", test_export_unknown_project);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);

  return g_test_run ();
}

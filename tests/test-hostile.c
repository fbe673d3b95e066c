/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-hostile.c — plan files from others (issue 17, "Plan files are
 * input"): a corpus of files changed with the sqlite3 library as an
 * attacker would, each opened by every command. Every one is refused with
 * one line naming what differs, exit 1, and the file (and its -wal) stays
 * byte for byte as it was. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "upg-test-util.h"
#include "core/upg-notify.h"
#include "core/upg-plan.h"
#include "core/store/upg-store.h"

#define CLI(out, err, ...) upg_test_run_cli (out, err, __VA_ARGS__, NULL)

/* A plan file with the sample plan, made by the command line and closed
 * (so everything is in the file itself, no -wal). */
static char *
sample_db (const char *name)
{
  char *db = upg_test_tmpfile (name);
  g_autofree char *in = upg_test_data_path ("sample-plan.json");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, in), ==, 0);
  g_assert_cmpstr (out, ==, "1\n");
  return db;
}

/* What another program does to the file: plain sqlite3, no defensive mode,
 * foreign keys off, closed so nothing stays in a -wal. */
static void
tamper (const char *path,
        const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static char *
sha256_or_none (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_strdup ("none");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* The file, its -wal and whether a -shm or -journal is there. */
static char *
fingerprint (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  g_autofree char *file_sum = sha256_or_none (path);
  g_autofree char *wal_sum = sha256_or_none (wal);

  return g_strdup_printf ("%s %s shm:%d journal:%d", file_sum, wal_sum,
                          g_file_test (shm, G_FILE_TEST_EXISTS), g_file_test (journal, G_FILE_TEST_EXISTS));
}

/* Every command on @db: each one exits 1 with @message on one line and
 * nothing on standard output, and the file does not change. */
/* With @every, all the commands; else one of each kind (the machine runs
 * several engineers' tests at once: each command is a process). */
static void
assert_refused_by_commands (const char *db,
                            const char *message,
                            gboolean    every)
{
  g_autofree char *in = upg_test_data_path ("sample-plan.json");
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *target = g_build_filename (dir, "out.txt", NULL);
  g_autofree char *line = g_strdup_printf ("upgrade-planner: %s\n", message);
  g_autofree char *before = fingerprint (db);
  const char *commands[][14] = {
    { "list", "--db", db, NULL },
    { "list", "--db", db, "--json", NULL },
    { "check", "--db", db, NULL },
    { "check", "--db", db, "--strict", NULL },
    { "export", "plan", "--db", db, NULL },
    { "export", "plan", "--db", db, "-o", target, NULL },
    { "export", "sop", "--db", db, "--project", "1", "--format", "md", NULL },
    { "export", "risks", "--db", db, "--project", "1", NULL },
    { "export", "report", "--db", db, "--project", "1", "--format", "pdf", NULL },
    { "export", "email", "--db", db, "--project", "1", "--template", "advance_notice", NULL },
    { "export", "milestones", "--db", db, "--project", "1", NULL },
    { "export", "insights", "--db", db, NULL },
    { "sop", "check", "--db", db, "--project", "1", "--step", "1", "--by", "Mallory", NULL },
    { "sop", "skip", "--db", db, "--project", "1", "--step", "2", "--by", "Mallory", "--note", "x", NULL },
    { "import", "--db", db, in, NULL },
    { "import", "--db", db, "--replace", in, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *after = NULL;
      const char **c = commands[i];
      int status;

      if (!every && i != 0 && i != 2 && i != 4 && i != 12 && i != 14)
        continue;
      status = upg_test_run_cli (&out, &err, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10],
                                     c[11], c[12], NULL);

      g_test_message ("%s %s: %s", c[0], c[1], err);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, ==, line);
      after = fingerprint (db);
      g_assert_cmpstr (after, ==, before);
      g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
    }

  /* The store as the window opens it, to edit and to read. */
  for (guint mode = 0; mode < 2; mode++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(UpgStore) store = upg_store_open (db, mode ? UPG_STORE_OPEN_READ_ONLY : UPG_STORE_OPEN_EXISTING, &error);
      g_autofree char *after = NULL;

      g_assert_null (store);
      g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN);
      g_assert_cmpstr (error->message, ==, message);
      after = fingerprint (db);
      g_assert_cmpstr (after, ==, before);
    }
}

typedef struct {
  const char *name;
  const char *sql;
  const char *differences;
} Tampering;

static const Tampering tamperings[] = {
  /* The issue's trigger: a check would send the next email to the attacker. */
  { "trigger",
    "CREATE TRIGGER zz AFTER UPDATE ON sop_step BEGIN"
    "  UPDATE stakeholder_group SET addresses = 'evil@attacker.example';"
    "  UPDATE project SET name = 'pwned'; END;",
    "extra trigger “zz”" },
  /* A table replaced by a view that never ends. */
  { "view",
    "PRAGMA foreign_keys = OFF; DROP TABLE notice;"
    "CREATE VIEW notice AS WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)"
    "  SELECT n AS id, 1 AS project_id, n AS position, 'started' AS moment, 'g' AS \"group\","
    "  '' AS at, '' AS how, NULL AS extensions FROM r;",
    "missing table “notice”, missing index “notice_project”, extra view “notice”" },
  { "extra-view",
    "CREATE VIEW names AS SELECT name FROM project;",
    "extra view “names”" },
  { "extra-table",
    "CREATE TABLE zz (x);",
    "extra table “zz”" },
  { "extra-column",
    "ALTER TABLE project ADD COLUMN zz TEXT;",
    "extra column “project.zz”" },
  { "missing-column",
    "ALTER TABLE risk DROP COLUMN owner;",
    "missing column “risk.owner”" },
  { "missing-index",
    "DROP INDEX project_uid;",
    "missing index “project_uid”" },
  /* Case 2: the unique index on project.uid dropped and two projects with
   * one uid (check said ok, import --replace replaced one, export plan
   * wrote a document import refuses). */
  { "duplicate-uid",
    "DROP INDEX project_uid; CREATE TEMP TABLE twin AS SELECT * FROM project;"
    "UPDATE twin SET id = id + 100, position = position + 1; INSERT INTO project SELECT * FROM twin;",
    "missing index “project_uid”" },
  { "extra-index",
    "CREATE INDEX zz ON project (name);",
    "extra index “zz”" },
  /* The same names, a different definition: the unique index no longer
   * unique, a CHECK constraint gone. */
  { "index-not-unique",
    "DROP INDEX project_uid; CREATE INDEX project_uid ON project (uid);",
    "index “project_uid” is defined differently" },
  { "check-dropped",
    "PRAGMA writable_schema = ON;"
    "UPDATE sqlite_schema SET sql = replace (sql, ' CHECK (likelihood BETWEEN 1 AND 5)', '') WHERE name = 'risk';",
    "table “risk” is defined differently" },
  /* Version 1 says the file is older than its tables are. */
  { "version-1",
    "PRAGMA user_version = 1;",
    NULL },
};

static void
test_tampered (gconstpointer data)
{
  const Tampering *t = data;
  g_autofree char *name = g_strdup_printf ("%s.upgplan", t->name);
  g_autofree char *db = sample_db (name);
  g_autofree char *message = NULL;

  tamper (db, t->sql);
  if (t->differences != NULL)
    message = g_strdup_printf ("“%s” is not a plan file as Upgrade Planner makes it for schema version %d (%s); "
                               "it was refused and nothing was written to it", name, UPG_STORE_SCHEMA_VERSION, t->differences);
  else
    message = g_strdup_printf ("“%s” is not a plan file as Upgrade Planner makes it for schema version 1 "
                               "(missing table “sop_check”, missing index “sop_check_step”, extra table “cancelled_milestone”, "
                               "extra index “cancelled_milestone_project”, extra table “notice”, and 34 more); "
                               "it was refused and nothing was written to it", name);
  assert_refused_by_commands (db, message, t == &tamperings[0]);
}

/* Issue 17, case 3: a user_version no Upgrade Planner writes. */
static void
test_odd_versions (void)
{
  static const struct { const char *version; const char *message; } cases[] = {
    { "-1", "“odd.upgplan” says it has schema version -1, which no Upgrade Planner writes; it is not a plan file it can open" },
    { "-2147483648", "“odd.upgplan” says it has schema version -2147483648, which no Upgrade Planner writes; it is not a plan file it can open" },
    { "0", "“odd.upgplan” is not a plan file as Upgrade Planner makes it for schema version 0 (extra table “cancelled_milestone”, "
           "extra index “cancelled_milestone_project”, extra table “email_template”, extra table “member”, "
           "extra index “member_project”, and 24 more); it was refused and nothing was written to it" },
    { "4", "“odd.upgplan” was saved by a newer version of Upgrade Planner (file version 4; this version reads up to 3); update Upgrade Planner to open it" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *db = sample_db ("odd.upgplan");
      g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %s;", cases[i].version);
      g_autofree char *before = NULL;

      g_test_message ("user_version %s", cases[i].version);
      tamper (db, sql);
      if (strcmp (cases[i].version, "4") == 0)
        {
          /* Too new is its own error; it changes nothing either. */
          g_autofree char *out = NULL;
          g_autofree char *err = NULL;
          g_autofree char *line = g_strdup_printf ("upgrade-planner: %s\n", cases[i].message);

          before = fingerprint (db);
          g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", db, "--project", "1", "--step", "1", "--by", "M"), ==, 1);
          g_assert_cmpstr (err, ==, line);
          g_clear_pointer (&err, g_free);
          g_assert_cmpint (CLI (&out, &err, "check", "--db", db), ==, 1);
          g_assert_cmpstr (err, ==, line);
          {
            g_autofree char *after = fingerprint (db);
            g_assert_cmpstr (after, ==, before);
          }
          continue;
        }
      assert_refused_by_commands (db, cases[i].message, FALSE);
    }
}

/* Issue 17, case 1: an empty file is not made a plan by "sop check". */
static void
test_empty_file_sop (void)
{
  g_autofree char *db = upg_test_tmpfile ("empty.upgplan");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  gsize length = 1;

  upg_test_write (db, "");
  g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", db, "--project", "1", "--step", "1", "--by", "Mallory"), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "upgrade-planner: “empty.upgplan” is empty, not an Upgrade Planner plan file; open a plan file (.upgplan) instead\n");
  contents = upg_test_read (db, &length);
  g_assert_cmpuint (length, ==, 0);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  }
}

/* The trigger of the issue never runs: not on "sop check", not through the
 * store; the names and addresses stay. */
static void
test_trigger_never_runs (void)
{
  g_autofree char *db = sample_db ("trigger.upgplan");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  tamper (db, tamperings[0].sql);
  g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", db, "--project", "1", "--step", "1", "--by", "Mallory"), ==, 1);
  tamper (db, "DROP TRIGGER zz;");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "list", "--db", db), ==, 0);
  g_assert_cmpstr (out, ==, "1\tBilling service 4.2 upgrade\tsecurity_fix\tpreparing\t4.1.7 → 4.2.0\n");
}


/* {"a": [[…]], "sibling": 1} with @arrays arrays inside one another. */
static char *
nested_extensions (int arrays)
{
  GString *nested = g_string_new ("{\"a\": ");

  for (int i = 0; i < arrays; i++)
    g_string_append (nested, "[");
  for (int i = 0; i < arrays; i++)
    g_string_append (nested, "]");
  g_string_append (nested, ", \"sibling\": 1}");
  return g_string_free (nested, FALSE);
}

/* Issue 17, case 4: an extensions value the file holds that cannot be read
 * (not JSON, nested deeper than import allows, not an object) is never
 * dropped from "export plan" without a word: the export is refused naming
 * its path, and check says the same. */
static void
test_unreadable_extensions (void)
{
  g_autofree char *deep = nested_extensions (61);
  g_autofree char *deepest_allowed = nested_extensions (60);

  /* As deep as a document import reads allows: exported, and imported again. */
  {
    g_autofree char *db = sample_db ("deep.upgplan");
    g_autofree char *sql = g_strdup_printf ("UPDATE project SET extensions = '%s'", deepest_allowed);
    g_autofree char *dir = upg_test_tmpdir ();
    g_autofree char *json = g_build_filename (dir, "deep.json", NULL);
    g_autofree char *again = g_build_filename (dir, "again.upgplan", NULL);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    tamper (db, sql);
    g_assert_cmpint (CLI (&out, &err, "export", "plan", "--db", db, "-o", json), ==, 0);
    g_assert_cmpint (CLI (&out, &err, "import", "--db", again, json), ==, 0);
    g_assert_cmpint (CLI (&out, &err, "check", "--db", db), ==, 0);
  }
  {
    struct { const char *sql; const char *path; const char *why; } cases[] = {
      { "UPDATE risk SET extensions = '{\"x\": 1' WHERE position = 1", "projects[0].risks[1].extensions",
        "The file is not valid JSON: line 1, column 8: the document ends too soon" },
      { NULL, "projects[0].extensions", "nested deeper than a plan document may be: 64 levels of arrays and objects" },
      { "UPDATE sop_step SET extensions = '[1, 2]' WHERE position = 0", "projects[0].sop[0].extensions", "not a JSON object" },
      { "UPDATE meta SET value = 'nope' WHERE key = 'extensions'", "extensions", NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *db = sample_db ("extensions.upgplan");
        g_autofree char *sql = cases[i].sql ? g_strdup (cases[i].sql)
                                            : g_strdup_printf ("UPDATE project SET extensions = '%s'", deep);
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        g_autofree char *line = NULL;
        g_autofree char *before = NULL;

        g_test_message ("%s", cases[i].path);
        if (i == 3)
          tamper (db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('extensions', 'nope')");
        else
          tamper (db, sql);
        before = fingerprint (db);
        g_assert_cmpint (CLI (&out, &err, "export", "plan", "--db", db), ==, 1);
        g_assert_cmpstr (out, ==, "");
        if (cases[i].why != NULL)
          {
            line = g_strdup_printf ("upgrade-planner: %s: the value in the plan file cannot be read (%s); it is not left out "
                                    "of an export without a word, so nothing was exported\n", cases[i].path, cases[i].why);
            g_assert_cmpstr (err, ==, line);
          }
        else
          g_assert_true (g_str_has_prefix (err, "upgrade-planner: extensions: the value in the plan file cannot be read (The file is not valid JSON: "));
        g_clear_pointer (&line, g_free);
        line = g_strdup (err);
        g_clear_pointer (&out, g_free);
        g_clear_pointer (&err, g_free);
        g_assert_cmpint (CLI (&out, &err, "check", "--db", db), ==, 1);
        g_assert_cmpstr (out, ==, "");
        g_assert_cmpstr (err, ==, line);
        {
          g_autofree char *after = fingerprint (db);
          g_assert_cmpstr (after, ==, before);
        }
      }
  }
}

/* Issue 17, case 5: number options are decimal digits only: "010" was step
 * 8, "0x2" step 2 and " 2" step 2 (GOption reads with strtoll, base 0).
 * Each is a usage error (exit 2) that says which option, and nothing
 * is written. */
static void
test_number_options (void)
{
  g_autofree char *db = sample_db ("numbers.upgplan");
  g_autofree char *before = fingerprint (db);
  const char *values[] = { "010", "0x2", " 2", "2 ", "+2", "-1", "", "1e1", "２", "9223372036854775808" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *expected = NULL;

      g_test_message ("“%s”", values[i]);
      g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", db, "--project", "1", "--step", values[i], "--by", "M"), ==, 2);
      g_assert_cmpstr (out, ==, "");
      expected = g_strdup_printf ("upgrade-planner: --step takes a number in decimal digits without a leading zero, such as 3; "
                                  "“%s” is not one\nTry “upgrade-planner --help” for more information.\n", values[i]);
      g_assert_cmpstr (err, ==, expected);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_clear_pointer (&expected, g_free);

      g_assert_cmpint (CLI (&out, &err, "export", "sop", "--db", db, "--project", values[i]), ==, 2);
      expected = g_strdup_printf ("upgrade-planner: --project takes a number in decimal digits without a leading zero, such as 3; "
                                  "“%s” is not one\nTry “upgrade-planner --help” for more information.\n", values[i]);
      g_assert_cmpstr (err, ==, expected);
    }
  {
    g_autofree char *after = fingerprint (db);
    g_assert_cmpstr (after, ==, before);
  }

  /* Decimal digits still work, the largest id too. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", db, "--project", "1", "--step", "10", "--by", "M"), ==, 1);
    g_assert_cmpstr (err, ==, "upgrade-planner: Project 1 has no step 10: its SOP has 6 steps\n");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (CLI (&out, &err, "export", "sop", "--db", db, "--project", "9223372036854775807"), ==, 1);
    g_assert_cmpstr (err, ==, "upgrade-planner: There is no project with id 9223372036854775807; “upgrade-planner list” shows the ids\n");
  }
}

/* Issue 17, case 6: an address stored by other means is checked again on
 * every export, as import checks it: "a@b.example\r\nBcc: spy@…" in a
 * group or as the project manager's email never becomes a header. */
static void
test_addresses_rechecked (void)
{
  static const struct { const char *sql; const char *path; } cases[] = {
    { "UPDATE stakeholder_group SET addresses = 'merchants@example.com' || char (13, 10) || 'Bcc: spy@evil.example'"
      " WHERE position = 0", "projects[0].stakeholder_groups[0].addresses[0]" },
    { "UPDATE member SET email = 'ana@example.org' || char (13, 10) || 'Bcc: spy@evil.example'"
      " WHERE role = 'project_manager'", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *db = sample_db ("addresses.upgplan");
      g_autofree char *before = NULL;
      g_autofree char *line = NULL;
      const char *kinds[][8] = {
        { "export", "email", "--db", db, "--project", "1", "--template", "advance_notice" },
        { "export", "email", "--db", db, "--project", "1", "--template", "advance_notice" },
        { "export", "plan", "--db", db, NULL },
        { "export", "sop", "--db", db, "--project", "1", NULL },
        { "export", "report", "--db", db, "--project", "1", NULL },
        { "check", "--db", db, NULL },
      };

      tamper (db, cases[i].sql);
      before = fingerprint (db);
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          g_autofree char *out = NULL;
          g_autofree char *err = NULL;
          const char **c = kinds[k];

          g_assert_cmpint (upg_test_run_cli (&out, &err, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
                                             k == 1 ? "--force" : NULL, NULL), ==, 1);
          g_assert_cmpstr (out, ==, "");
          g_assert_null (strstr (err, "spy@"));
          if (line == NULL)
            line = g_strdup (err);
          g_assert_cmpstr (err, ==, line);
        }
      if (cases[i].path != NULL)
        g_assert_cmpstr (line, ==, "upgrade-planner: projects[0].stakeholder_groups[0].addresses[0]: must be a valid "
                                   "email address, like name@example.org (the value in the plan file; an export would "
                                   "write what import refuses, so none is made)\n");
      else
        g_assert_true (g_str_has_prefix (line, "upgrade-planner: projects[0].team["));
      {
        g_autofree char *after = fingerprint (db);
        g_assert_cmpstr (after, ==, before);
      }

      /* The window's "Save as .eml": the message itself refuses them. */
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(UpgStore) store = upg_store_open (db, UPG_STORE_OPEN_READ_ONLY, &error);
        g_autoptr(UpgProject) project = NULL;
        g_autoptr(UpgDraft) draft = NULL;
        g_autoptr(GBytes) bytes = NULL;

        g_assert_no_error (error);
        project = upg_store_lookup_project (store, 1, &error);
        g_assert_true (upg_store_load_children (store, UPG_RECORD (project), &error));
        draft = upg_draft_new (project, "advance_notice", NULL, NULL, &error);
        g_assert_no_error (error);
        bytes = upg_draft_to_bytes (draft, "eml", TRUE, NULL, NULL, &error);
        g_assert_null (bytes);
        g_assert_error (error, UPG_NOTIFY_ERROR, UPG_NOTIFY_ERROR_BAD_ADDRESS);
        if (cases[i].path != NULL)
          g_assert_cmpstr (error->message, ==, "Address 1 of the group “Customers” in the plan file is not an address "
                                               "(it must be a valid email address, like name@example.org); no message was made");
        else
          g_assert_cmpstr (error->message, ==, "The email of Ana Souza in the plan file is not an address "
                                               "(it must be a valid email address, like name@example.org); no message was made");
      }
    }
}

/* ---- the write-ahead log beside a file ---- */

/* A connection of another program that keeps the file open (so the
 * command line's connection, not being the last, leaves its log behind). */
static sqlite3 *
hold_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (from, &contents, &length, &error));
  g_assert_true (g_file_set_contents (to, contents, length, &error));
  g_assert_no_error (error);
}

/* The readers' output on @db, one string. */
static char *
read_all (const char *db)
{
  const char *commands[][8] = {
    { "list", "--db", db, NULL },
    { "check", "--db", db, NULL },
    { "export", "sop", "--db", db, "--project", "1", "--format", "txt" },
  };
  GString *all = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char **c = commands[i];

      g_assert_cmpint (upg_test_run_cli (&out, &err, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], NULL), ==, 0);
      g_assert_cmpstr (err, ==, "");
      g_string_append (all, out);
    }
  return g_string_free (all, FALSE);
}

/* Readers leave the file and its log byte for byte as they were, while
 * another connection has them open (the log shared through its -shm) and
 * when the log was left alone (a killed writer, a copied folder), and read
 * what the log holds. */
static void
test_readers_leave_wal (void)
{
  g_autofree char *db = sample_db ("live.upgplan");
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  g_autofree char *dir = upg_test_tmpdir ();
  g_autofree char *left = g_build_filename (dir, "left.upgplan", NULL);
  g_autofree char *left_wal = g_strconcat (left, "-wal", NULL);
  g_autofree char *left_shm = g_strconcat (left, "-shm", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *before = NULL;
  g_autofree char *seen = NULL;
  sqlite3 *other = hold_open (db);

  g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", db, "--project", "1", "--step", "2", "--by", "Jonas Berg"), ==, 0);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));

  /* Shared: the log is read through the index the other connection keeps. */
  before = fingerprint (db);
  g_assert_nonnull (strstr (before, "shm:1"));
  seen = read_all (db);
  g_assert_nonnull (strstr (seen, "[x] Rollback rehearsed"));
  {
    g_autofree char *after = fingerprint (db);
    g_assert_cmpstr (after, ==, before);
  }

  /* Left alone: the same, and no -shm is made beside the copy. */
  copy_file (db, left);
  copy_file (wal, left_wal);
  g_clear_pointer (&before, g_free);
  before = fingerprint (left);
  g_assert_nonnull (strstr (before, "shm:0"));
  {
    g_autofree char *again = read_all (left);
    g_autofree char *after = fingerprint (left);
    g_assert_cmpstr (after, ==, before);
    g_assert_false (g_file_test (left_shm, G_FILE_TEST_EXISTS));
    g_assert_nonnull (strstr (again, "[x] Rollback rehearsed"));
  }
  sqlite3_close (other);

  /* A writer takes the log in as SQLite does: it belongs to the file. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", left, "--project", "1", "--step", "3", "--by", "Mei Lin"), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_false (g_file_test (left_wal, G_FILE_TEST_EXISTS));
}

/* Issue 17: a -wal from another plan left beside a file is refused, by
 * readers and writers, and nothing is merged; with its -shm too. */
static void
test_foreign_wal (void)
{
  g_autofree char *mine = sample_db ("mine.upgplan");
  g_autofree char *theirs = sample_db ("theirs.upgplan");
  g_autofree char *their_wal = g_strconcat (theirs, "-wal", NULL);
  g_autofree char *their_shm = g_strconcat (theirs, "-shm", NULL);
  g_autofree char *my_wal = g_strconcat (mine, "-wal", NULL);
  g_autofree char *my_shm = g_strconcat (mine, "-shm", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *message = "“mine.upgplan-wal” beside “mine.upgplan” is the write-ahead log of another plan file; "
                        "it was not read and nothing was written. Move it away (or put back the plan file it "
                        "belongs to) and open the plan again";
  sqlite3 *other = hold_open (theirs);

  g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", theirs, "--project", "1", "--step", "2", "--by", "Mallory"), ==, 0);
  copy_file (their_wal, my_wal);
  assert_refused_by_commands (mine, message, TRUE);

  copy_file (their_shm, my_shm);
  assert_refused_by_commands (mine, message, FALSE);
  sqlite3_close (other);

  /* Away again, the file is its own. */
  g_unlink (my_wal);
  g_unlink (my_shm);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI (&out, &err, "export", "sop", "--db", mine, "--project", "1", "--format", "txt"), ==, 0);
  g_assert_null (strstr (out, "Mallory"));
}

/* A log beside an empty file: SQLite would delete it; it is refused. */
static void
test_wal_beside_empty_file (void)
{
  g_autofree char *theirs = sample_db ("theirs.upgplan");
  g_autofree char *their_wal = g_strconcat (theirs, "-wal", NULL);
  g_autofree char *empty = upg_test_tmpfile ("empty.upgplan");
  g_autofree char *empty_wal = g_strconcat (empty, "-wal", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  sqlite3 *other = hold_open (theirs);

  g_assert_cmpint (CLI (&out, &err, "sop", "check", "--db", theirs, "--project", "1", "--step", "2", "--by", "Mallory"), ==, 0);
  upg_test_write (empty, "");
  copy_file (their_wal, empty_wal);
  sqlite3_close (other);
  assert_refused_by_commands (empty, "“empty.upgplan-wal” beside “empty.upgplan” is the write-ahead log of another plan file; "
                              "it was not read and nothing was written. Move it away (or put back the plan file it "
                              "belongs to) and open the plan again", FALSE);
}


/* Issue 17, case 7: bidirectional controls in names. Text formats show
 * them ("<U+202E>"), HTML isolates them, CSV and the plan's JSON keep them
 * exact; a CR/LF in a project name does not split a Markdown heading. */
#define RLO "\xe2\x80\xae"
#define PDI "\xe2\x81\xa9"
#define FSI "\xe2\x81\xa8"
#define PDF "\xe2\x80\xac"

static char *
export_text (const char *db, const char *kind, const char *format)
{
  char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (CLI (&out, &err, "export", kind, "--db", db, "--project", "1", "--format", format), ==, 0);
  g_assert_cmpstr (err, ==, "");
  return out;
}

static void
test_bidi_names (void)
{
  g_autofree char *sample_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *sample = upg_test_read (sample_path, NULL);
  g_autoptr(GString) plan = g_string_new (sample);
  g_autofree char *in = upg_test_tmpfile ("bidi.json");
  g_autofree char *db = upg_test_tmpfile ("bidi.upgplan");
  g_autofree char *again = upg_test_tmpfile ("again.upgplan");
  g_autofree char *json = upg_test_tmpfile ("bidi-out.json");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* An override (U+202E) in the name, then a line that would be a heading
   * of its own; in a step's title a closing isolate without its opener. */
  g_assert_cmpuint (g_string_replace (plan, "\"Billing service 4.2 upgrade\"",
                                      "\"Billing \\u202egnp.exe\\r\\n# Injected\"", 1), ==, 1);
  g_assert_cmpuint (g_string_replace (plan, "\"Staging mirrors production\"",
                                      "\"Staging \\u202emirrors\\u2069 production\"", 1), ==, 1);
  upg_test_write (in, plan->str);
  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, in), ==, 0);

  {
    g_autofree char *md = export_text (db, "sop", "md");
    g_assert_true (g_str_has_prefix (md, "# SOP checklist: Billing \\<U+202E\\>gnp.exe # Injected\n\n"));
    g_assert_nonnull (strstr (md, "Staging \\<U+202E\\>mirrors\\<U+2069\\> production"));
    g_assert_null (strstr (md, RLO));
    g_assert_null (strstr (md, "\n# Injected"));
  }
  {
    g_autofree char *txt = export_text (db, "sop", "txt");
    g_assert_true (g_str_has_prefix (txt, "SOP checklist: Billing <U+202E>gnp.exe # Injected\n"
                                          "=================================================\n"));
    g_assert_nonnull (strstr (txt, "Staging <U+202E>mirrors<U+2069> production"));
    g_assert_null (strstr (txt, RLO));
  }
  {
    g_autofree char *html = export_text (db, "sop", "html");
    g_assert_nonnull (strstr (html, "<h1>" FSI "SOP checklist: Billing " RLO "gnp.exe" PDF PDI "\n" FSI "# Injected" PDI "</h1>"));
    /* The stray U+2069 would close the isolate: it is left out there. */
    g_assert_nonnull (strstr (html, FSI "Staging " RLO "mirrors production" PDF PDI));
  }
  {
    g_autofree char *md = export_text (db, "risks", "md");
    g_autofree char *html = export_text (db, "risks", "html");
    g_assert_true (g_str_has_prefix (md, "# Risks: Billing \\<U+202E\\>gnp.exe  # Injected\n\n"));
    g_assert_nonnull (strstr (html, "<h1>" FSI "Risks: Billing " RLO "gnp.exe" PDF PDI "\r\n" FSI "# Injected" PDI "</h1>"));
  }
  {
    g_autofree char *md = export_text (db, "report", "md");
    g_assert_true (g_str_has_prefix (md, "# Upgrade report: Billing \\<U+202E\\>gnp.exe # Injected\n\n"));
  }
  {
    g_autofree char *pdf_path = upg_test_tmpfile ("bidi.pdf");
    g_autofree char *pdf_out = NULL;
    g_autofree char *pdf_err = NULL;
    g_autofree char *text = NULL;
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf_path, "-", NULL };
    int status;

    g_assert_cmpint (CLI (&pdf_out, &pdf_err, "export", "sop", "--db", db, "--project", "1", "--format", "pdf",
                          "-o", pdf_path), ==, 0);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text, NULL,
                                 &status, NULL));
    g_assert_nonnull (strstr (text, "Staging <U+202E>mirrors<U+2069> production"));
    g_assert_null (strstr (text, RLO));
  }
  {
    g_autofree char *email = NULL;
    g_autofree char *email_err = NULL;

    g_assert_cmpint (CLI (&email, &email_err, "export", "email", "--db", db, "--project", "1", "--format", "txt",
                          "--template", "advance_notice", "--force"), ==, 0);
    g_assert_true (g_str_has_prefix (email, "Planned maintenance: Billing <U+202E>gnp.exe  # Injected on "));
    g_assert_null (strstr (email, RLO));
  }
  {
    /* Machine formats keep the value as it is. */
    g_autofree char *csv = export_text (db, "sop", "csv");
    g_assert_nonnull (strstr (csv, ",Staging " RLO "mirrors" PDI " production,"));
  }
  {
    /* The plan's JSON round-trips: exported, imported and exported again,
     * the same bytes, the name as it was. */
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (CLI (&first, &err, "export", "plan", "--db", db), ==, 0);
    g_assert_nonnull (strstr (first, "\"name\": \"Billing " RLO "gnp.exe\\r\\n# Injected\""));
    upg_test_write (json, first);
    g_assert_cmpint (CLI (&out, &err, "import", "--db", again, json), ==, 0);
    g_assert_cmpint (CLI (&second, &err, "export", "plan", "--db", again), ==, 0);
    g_assert_cmpstr (second, ==, first);
  }
}

/* Issue 17, case 8: every text field has a maximum (500 characters for a
 * name or title, 100,000 for a long text), counted in characters; import
 * names the path, the store refuses the write, a file changed by other
 * means is refused by check and by every export. */
static char *
repeat (const char *unit, guint n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (out, unit);
  return g_string_free (out, FALSE);
}

static void
test_text_limits (void)
{
  g_autofree char *sample_path = upg_test_data_path ("sample-plan.json");
  g_autofree char *sample = upg_test_read (sample_path, NULL);
  g_autofree char *longest_goal = repeat ("g", UPG_TEXT_MAX_LONG);
  g_autofree char *too_long_goal = repeat ("g", UPG_TEXT_MAX_LONG + 1);
  g_autofree char *longest_title = repeat ("升", UPG_TEXT_MAX_LINE);
  g_autofree char *too_long_title = repeat ("升", UPG_TEXT_MAX_LINE + 1);
  g_autofree char *in = upg_test_tmpfile ("long.json");
  g_autofree char *db = upg_test_tmpfile ("long.upgplan");
  static const struct { gboolean goal_over, title_over; const char *message; } cases[] = {
    { TRUE, FALSE, "upgrade-planner: long.json: projects[0].goal: must not be longer than 100000 characters\n" },
    { FALSE, TRUE, "upgrade-planner: long.json: projects[0].sop[0].title: must not be longer than 500 characters\n" },
    { FALSE, FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) plan = g_string_new (sample);
      g_autofree char *goal = g_strdup_printf ("\"goal\": \"%s\"", cases[i].goal_over ? too_long_goal : longest_goal);
      g_autofree char *title = g_strdup_printf ("\"title\": \"%s\"", cases[i].title_over ? too_long_title : longest_title);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpuint (g_string_replace (plan, "\"goal\": \"Patch the payment gateway vulnerability and move to the supported 4.2 line.\"", goal, 1), ==, 1);
      g_assert_cmpuint (g_string_replace (plan, "\"title\": \"Staging mirrors production\"", title, 1), ==, 1);
      upg_test_write (in, plan->str);
      g_test_message ("case %u", i);
      if (cases[i].message != NULL)
        {
          g_assert_cmpint (CLI (&out, &err, "import", "--db", db, in), ==, 1);
          g_assert_cmpstr (out, ==, "");
          g_assert_cmpstr (err, ==, cases[i].message);
          g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
        }
      else
        {
          /* The longest allowed, counted in characters (a CJK title is
           * 1,500 bytes). */
          g_assert_cmpint (CLI (&out, &err, "import", "--db", db, in), ==, 0);
          g_assert_cmpstr (err, ==, "");
        }
    }

  /* The store refuses a write one character over; the record and the file
   * keep their values. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(UpgStore) store = upg_store_open (db, UPG_STORE_OPEN_EXISTING, &error);
    g_autoptr(UpgProject) project = NULL;
    g_autofree char *name = repeat ("n", UPG_TEXT_MAX_LINE + 1);
    g_autofree char *goal_line = g_strdup_printf ("\"goal\": \"%s\"", longest_goal);
    g_autofree char *after = NULL;
    g_auto(GValue) value = G_VALUE_INIT;

    g_assert_no_error (error);
    project = upg_store_lookup_project (store, 1, &error);
    g_assert_no_error (error);
    g_assert_nonnull (project);
    g_value_init (&value, G_TYPE_STRING);
    g_value_set_string (&value, name);
    g_assert_false (upg_store_set_value (store, UPG_RECORD (project), UPG_PROJECT_NAME, &value, &error));
    g_assert_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "name: must not be longer than 500 characters");
    g_assert_cmpstr (upg_project_get_name (project), ==, "Billing service 4.2 upgrade");
    g_clear_error (&error);
    g_value_set_string (&value, too_long_goal);
    g_assert_false (upg_store_set_value (store, UPG_RECORD (project), UPG_PROJECT_GOAL, &value, &error));
    g_assert_cmpstr (error->message, ==, "goal: must not be longer than 100000 characters");
    g_clear_error (&error);
    /* The file keeps both values. (Its updated_at does move: a refused
     * write of any field stamps it, as before these limits.) */
    after = upg_plan_export (store, 0, NULL);
    g_assert_nonnull (strstr (after, "\"name\": \"Billing service 4.2 upgrade\""));
    g_assert_nonnull (strstr (after, goal_line));
    /* The longest is taken. */
    name[UPG_TEXT_MAX_LINE] = '\0';
    g_value_set_string (&value, name);
    g_assert_true (upg_store_set_value (store, UPG_RECORD (project), UPG_PROJECT_NAME, &value, &error));
    g_assert_no_error (error);
    /* A step's details at the maximum: every format has them whole but
     * the PDF, which prints 2,000 characters and says how many more. */
    g_assert_true (upg_store_load_children (store, UPG_RECORD (project), &error));
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (upg_record_get_children (UPG_RECORD (project),
                                                                                &upg_entity_sop_step), 1);
      g_value_set_string (&value, longest_goal);
      g_assert_true (upg_store_set_value (store, step, UPG_SOP_STEP_DETAILS, &value, &error));
      g_assert_no_error (error);
    }
  }
  {
    g_autofree char *pdf = upg_test_tmpfile ("long.pdf");
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *text = NULL;
    g_autofree char *md = NULL;
    const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
    int status;

    g_assert_cmpint (CLI (&out, &err, "export", "sop", "--db", db, "--project", "1", "--format", "pdf", "-o", pdf), ==, 0);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text, NULL, &status, NULL));
    g_strdelimit (text, "\n", ' ');
    g_assert_nonnull (strstr (text, "(98000 more characters are not printed; the Markdown, HTML and text exports have the whole text)"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (CLI (&md, &err, "export", "sop", "--db", db, "--project", "1", "--format", "md"), ==, 0);
    g_assert_nonnull (strstr (md, longest_goal));
  }

  /* A goal made longer by other means: check and every export refuse it,
   * naming its path; the file is read no further than the limit. */
  tamper (db, "UPDATE project SET goal = substr (replace (hex (zeroblob (50001)), '0', 'g'), 1, 100001);");
  {
    const char *line = "upgrade-planner: projects[0].goal: must not be longer than 100000 characters (the value in the "
                       "plan file; an export would write what import refuses, so none is made)\n";
    const char *commands[][8] = {
      { "check", "--db", db, NULL },
      { "export", "plan", "--db", db, NULL },
      { "export", "sop", "--db", db, "--project", "1", NULL },
      { "export", "report", "--db", db, "--project", "1", NULL },
    };
    g_autofree char *before = fingerprint (db);

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      {
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        g_autofree char *after = NULL;
        const char **c = commands[i];

        g_assert_cmpint (upg_test_run_cli (&out, &err, c[0], c[1], c[2], c[3], c[4], c[5], NULL), ==, 1);
        g_assert_cmpstr (out, ==, "");
        g_assert_cmpstr (err, ==, line);
        after = fingerprint (db);
        g_assert_cmpstr (after, ==, before);
      }
  }
}

/* Issue 17, step 6: a project's own template that the validator refuses
 * (stored before templates were data, or put there by other means): export
 * plan does not write a document its import refuses, and says which
 * template; check reports it with its project, moment and language; the
 * exports that do not carry templates go on. */
static void
test_stored_template_refused (void)
{
  g_autofree char *db = sample_db ("template.upgplan");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *why = "line 1, column 4: “require” is not allowed: a template shows names ({{ project.name }}), "
                    "tests them ({{ if … }}) and repeats lists ({{ for x in changes }}); it runs no code";
  g_autofree char *refused = g_strdup_printf ("upgrade-planner: projects[0].email_templates[0].body: %s (the project’s "
                                              "own “Advance notice” template in English, as the plan file holds it; an "
                                              "export would write what import refuses, so none is made)\n", why);
  g_autofree char *warning = g_strdup_printf ("warning: project 1 (Billing service 4.2 upgrade): The project’s own "
                                              "“Advance notice” template in English is not allowed, so that notice "
                                              "cannot be made: Body, %s\n", why);

  tamper (db, "UPDATE email_template SET body = '{{ require GLib }}{{ GLib.get_user_name() }}';");
  before = fingerprint (db);

  g_assert_cmpint (CLI (&out, &err, "export", "plan", "--db", db), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, refused);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "check", "--db", db), ==, 0);
  g_assert_true (g_str_has_prefix (out, "ok: schema version 3, 1 project\n"));
  g_assert_nonnull (strstr (out, warning));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (CLI (&out, &err, "export", "sop", "--db", db, "--project", "1"), ==, 0);
  g_assert_cmpstr (err, ==, "");
  after = fingerprint (db);
  g_assert_cmpstr (after, ==, before);
}

/* export plan checks each project as it writes it (one read of its rows),
 * and the first project the check refuses still comes before one the
 * export refuses, even an earlier one: the same message as checking the
 * whole file first. */
static void
test_checked_before_written (void)
{
  g_autofree char *db = sample_db ("checked.upgplan");
  g_autofree char *in = upg_test_tmpfile ("second.json");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *second = "{\"format\": \"upgrade-planner\", \"version\": 1, \"projects\": "
                       "[{\"name\": \"Second\", \"team\": [{\"name\": \"Zoe\", \"email\": \"zoe@example.org\"}]}]}";

  g_assert_true (g_file_set_contents (in, second, -1, &error));
  g_assert_cmpint (CLI (&out, &err, "import", "--db", db, in), ==, 0);
  g_assert_cmpstr (out, ==, "2\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The first project's template: the export refuses it; the second's
   * member: the check refuses it. */
  tamper (db, "UPDATE email_template SET body = '{{ require GLib }}';"
              "UPDATE member SET email = 'zoe@' WHERE name = 'Zoe';");
  g_assert_cmpint (CLI (&out, &err, "export", "plan", "--db", db), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "upgrade-planner: projects[1].team[0].email: must be a valid email address, like "
                            "name@example.org (the value in the plan file; an export would write what import "
                            "refuses, so none is made)\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The member put right, the template's refusal is the message. */
  tamper (db, "UPDATE member SET email = 'zoe@example.org' WHERE name = 'Zoe';");
  g_assert_cmpint (CLI (&out, &err, "export", "plan", "--db", db), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "upgrade-planner: projects[0].email_templates[0].body: line 1, column 4: "
                                        "“require” is not allowed: "));
}

int
main (int argc, char **argv)
{
  upg_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (tamperings); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hostile/schema/%s", tamperings[i].name);
      g_test_add_data_func (path, &tamperings[i], test_tampered);
    }
  g_test_add_func ("/hostile/odd-versions", test_odd_versions);
  g_test_add_func ("/hostile/empty-file-sop", test_empty_file_sop);
  g_test_add_func ("/hostile/trigger-never-runs", test_trigger_never_runs);
  g_test_add_func ("/hostile/number-options", test_number_options);
  g_test_add_func ("/hostile/addresses-rechecked", test_addresses_rechecked);
  g_test_add_func ("/hostile/unreadable-extensions", test_unreadable_extensions);
  g_test_add_func ("/hostile/bidi-names", test_bidi_names);
  g_test_add_func ("/hostile/text-limits", test_text_limits);
  g_test_add_func ("/hostile/stored-template-refused", test_stored_template_refused);
  g_test_add_func ("/hostile/checked-before-written", test_checked_before_written);
  g_test_add_func ("/hostile/wal/readers-leave-it", test_readers_leave_wal);
  g_test_add_func ("/hostile/wal/foreign", test_foreign_wal);
  g_test_add_func ("/hostile/wal/beside-empty-file", test_wal_beside_empty_file);

  return g_test_run ();
}

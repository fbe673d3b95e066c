/* upg-cli.c — list, import, export, check and sop, without a display.
 *
 * Exit status: 0 on success, 1 on bad input (one line on stderr, nothing
 * written), 2 on a usage error.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "upg-cli.h"
#include "core/upg-checks.h"
#include "core/upg-clock.h"
#include "core/upg-escape.h"
#include "core/upg-export.h"
#include "core/upg-output.h"
#include "core/upg-pdf.h"
#include "core/upg-plan.h"
#include "core/upg-sop.h"
#include "core/store/upg-store.h"

#define EXIT_BAD_INPUT 1
#define EXIT_USAGE     2

static const char * const commands[] = { "list", "import", "export", "check", "sop", NULL };

/* Whether @arg would open in the window: a file that exists, a new one
 * whose name says it is a plan, or a team server's URI. */
static gboolean
opens_in_window (const char *arg)
{
  return arg[0] != '-' &&
         (g_file_test (arg, G_FILE_TEST_EXISTS) || g_str_has_suffix (arg, ".upgplan") ||
          upg_store_is_server_uri (arg));
}

gboolean
upg_cli_handles (int    argc,
                 char **argv)
{
  if (argc < 2)
    return FALSE;
  if (g_strv_contains (commands, argv[1]))
    return TRUE;
  /* Anything that is not a plan file to open is the command line's: an
   * unknown command or option is a usage error, never a window (nor a new
   * file named after a typo). */
  for (int i = 1; i < argc; i++)
    if (!opens_in_window (argv[i]))
      return TRUE;
  return FALSE;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "%s",
           _("Usage:\n"
             "  upgrade-planner [FILE]                      open the window (default file if none)\n"
             "  upgrade-planner --version\n"
             "  upgrade-planner list   --db FILE [--json]\n"
             "  upgrade-planner import --db FILE [--replace] IN.json\n"
             "                                              prints the new project ids; --replace\n"
             "                                              replaces projects whose uid is in the file\n"
             "  upgrade-planner export KIND --db FILE [--project ID] [--format FMT] [-o OUT]\n"
             "  upgrade-planner check  --db FILE [--strict] integrity, schema version, the plan’s\n"
             "                                              warnings; --strict: exit 1 on warnings\n"
             "  upgrade-planner sop check|uncheck|skip --db FILE --project ID --step N --by NAME [--note TEXT]\n"
             "                                              check, uncheck or skip SOP step N (1 is the\n"
             "                                              first); uncheck and skip need --note\n"
             "  upgrade-planner sop start-rollback|end-rollback --db FILE --project ID\n"
             "                                              record when the rollback began, and when\n"
             "                                              service was restored\n"));
  fprintf (out, "%s",
           _("  --db also takes a team server: a libpq URI, postgresql://[USER@]HOST[:PORT]/DATABASE;\n"
             "  its password comes from ~/.pgpass, PGPASSWORD or a service file, never the command line\n"));
  fprintf (out, "%s", _("Export kinds and formats:\n"));
  {
    guint n;
    const UpgExportKind *kinds = upg_export_kinds (&n);
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *formats = g_strjoinv (" ", (char **) kinds[i].formats);
        fprintf (out, "  %-10s %s\n", kinds[i].kind, formats);
      }
  }
}

G_GNUC_PRINTF (1, 2)
static int
usage_error (const char *format, ...)
{
  g_autofree char *message = NULL;
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  line = upg_escape_line (message);
  fprintf (stderr, "upgrade-planner: %s\n", line);
  fprintf (stderr, _("Try “upgrade-planner --help” for more information.\n"));
  return EXIT_USAGE;
}

/* One line on standard error, whatever the message holds (a file name or
 * a JSON key with a newline or an escape sequence in it). */
static int
bad_input (const GError *error)
{
  g_autofree char *line = upg_escape_line (error->message);
  fprintf (stderr, "upgrade-planner: %s\n", line);
  return EXIT_BAD_INPUT;
}

typedef struct {
  char    *db;
  gboolean json;
  gint64   project;
  char    *format;
  char    *output;
  char    *template_name;
  char    *paper;
  char    *group;
  gboolean force;
  gboolean machine_csv;
  gboolean replace;
  gboolean strict;
  gint64   step;
  char    *by;
  char    *note;
  char   **rest;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->db);
  g_free (o->format);
  g_free (o->output);
  g_free (o->template_name);
  g_free (o->paper);
  g_free (o->by);
  g_free (o->note);
  g_free (o->group);
  g_strfreev (o->rest);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* A number option's value: decimal digits only, no sign, blank or leading
 * zero (GOption's G_OPTION_ARG_INT64 reads with g_ascii_strtoll (…, 0):
 * "010" was 8 and "0x2" was 2, and strtoll skips leading blanks). */
static gboolean
parse_number (const char  *option,
              const char  *text,
              gint64      *value,
              char       **message)
{
  gboolean digits = text != NULL && text[0] != '\0' && (text[0] != '0' || text[1] == '\0');
  guint64 number = 0;

  if (text == NULL)
    return TRUE;
  for (const char *p = text; digits && *p; p++)
    digits = g_ascii_isdigit (*p);
  if (!digits || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &number, NULL))
    {
      g_autofree char *shown = upg_escape_line (text);
      /* TRANSLATORS: "--step takes a number in decimal digits without a leading zero, such as 3; “0x2” is not one" */
      *message = g_strdup_printf (_("%s takes a number in decimal digits without a leading zero, such as 3; “%s” is not one"), option, shown);
      return FALSE;
    }
  *value = (gint64) number;
  return TRUE;
}

/* Parses argv[1…] for @command with the options it takes; NULL entries are
 * options it does not take. Returns FALSE with a usage message. */
static gboolean
parse_options (const char  *command,
               int          argc,
               char       **argv,
               Options     *o,
               const char  *want,
               char       **message)
{
  g_autoptr(GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  g_autofree char *project = NULL;
  g_autofree char *step = NULL;
  GOptionEntry all[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &o->db, N_("The plan file"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &o->json, N_("Print JSON"), NULL },
    { "project", 0, 0, G_OPTION_ARG_STRING, &project, N_("The project’s id"), N_("ID") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &o->format, N_("The file format"), N_("FMT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output, N_("Write to OUT instead of standard output"), N_("OUT") },
    { "template", 0, 0, G_OPTION_ARG_STRING, &o->template_name, N_("The email template"), N_("NAME") },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &o->paper, N_("Paper size for PDF: a4 or letter"), N_("SIZE") },
    { "group", 0, 0, G_OPTION_ARG_STRING, &o->group, N_("The stakeholder group an email goes to (all that hear about the moment if absent)"), N_("NAME") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &o->force, N_("Export the email although its checks fail"), NULL },
    { "machine-csv", 0, 0, G_OPTION_ARG_NONE, &o->machine_csv, N_("CSV for other programs: no byte order mark, the plan format’s words and English column names"), NULL },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &o->replace, N_("Replace the projects whose uid is already in the file"), NULL },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &o->strict, N_("Exit with status 1 when the plan has warnings"), NULL },
    { "step", 0, 0, G_OPTION_ARG_STRING, &step, N_("The SOP step’s number, 1 for the first"), N_("N") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &o->by, N_("Who checks, unchecks or skips the step"), N_("NAME") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &o->note, N_("Why (needed to uncheck or skip)"), N_("TEXT") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->rest, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (all[i].long_name[0] == '\0' || strstr (want, all[i].long_name) != NULL)
      g_array_append_val (entries, all[i]);

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, (GOptionEntry *) entries->data, GETTEXT_PACKAGE);
  g_option_context_set_strict_posix (context, FALSE);

  /* argv without the command word, so "upgrade-planner list …" parses as "list …". */
  args = g_new0 (char *, argc);
  args[0] = g_strdup_printf ("upgrade-planner %s", command);
  for (int i = 2; i < argc; i++)
    args[i - 1] = g_strdup (argv[i]);
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      *message = g_strdup (error->message);
      return FALSE;
    }
  if (o->db == NULL)
    {
      *message = g_strdup (_("--db FILE is required"));
      return FALSE;
    }
  if (!parse_number ("--project", project, &o->project, message) ||
      !parse_number ("--step", step, &o->step, message))
    return FALSE;
  return TRUE;
}

static int
cmd_list (int argc, char **argv)
{
  g_auto(Options) o = { 0 };
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  GListModel *projects;
  guint n;

  if (!parse_options ("list", argc, argv, &o, "db json", &message))
    return usage_error ("%s", message);
  if (o.rest != NULL)
    return usage_error (_("list takes no arguments"));

  store = upg_store_open (o.db, UPG_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !upg_store_load (store, &error))
    return bad_input (error);

  projects = upg_store_get_projects (store);
  n = g_list_model_get_n_items (projects);
  if (o.json)
    g_string_append (out, n ? "[\n" : "[]\n");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) p = g_list_model_get_item (projects, i);
      const char *from = upg_record_get_string (p, UPG_PROJECT_VERSION_FROM);
      const char *to = upg_record_get_string (p, UPG_PROJECT_VERSION_TO);

      if (o.json)
        {
          const UpgField *fields = upg_entity_project.fields;
          g_string_append_printf (out, "  {\"id\": %" G_GINT64_FORMAT, upg_record_get_id (p));
          for (guint f = 0; f <= UPG_PROJECT_BUILD_ID; f++)
            if (f == UPG_PROJECT_NAME || f == UPG_PROJECT_KIND || f == UPG_PROJECT_STATUS ||
                f >= UPG_PROJECT_VERSION_FROM)
              {
                const char *v = upg_record_get_string (p, f);
                g_string_append_printf (out, ", \"%s\": ", fields[f].name);
                if (v == NULL)
                  g_string_append (out, "null");
                else
                  upg_json_append_string (out, v);
              }
          g_string_append (out, i + 1 < n ? "},\n" : "}\n");
        }
      else
        {
          /* One project a line, whatever its text holds: tabs, newlines
           * and other control characters escaped. */
          g_autofree char *name = upg_escape_line (upg_project_get_name (p));
          g_autofree char *kind = upg_escape_line (upg_record_get_string (p, UPG_PROJECT_KIND));
          g_autofree char *status = upg_escape_line (upg_record_get_string (p, UPG_PROJECT_STATUS));
          g_autofree char *from_line = upg_escape_line (from ? from : "?");
          g_autofree char *to_line = upg_escape_line (to ? to : "?");

          g_string_append_printf (out, "%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s → %s\n",
                                  upg_record_get_id (p), name, kind, status, from_line, to_line);
        }
    }
  if (o.json && n)
    g_string_append (out, "]\n");
  fwrite (out->str, 1, out->len, stdout);
  return 0;
}

static void
remove_plan_files (const char *path)
{
  static const char * const suffixes[] = { "-wal", "-shm", "-journal", "" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

static int
cmd_import (int argc, char **argv)
{
  g_auto(Options) o = { 0 };
  g_autofree char *message = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *extensions = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GArray) ids = NULL;
  gboolean existed;
  gsize length;

  if (!parse_options ("import", argc, argv, &o, "db replace", &message))
    return usage_error ("%s", message);
  if (o.rest == NULL || g_strv_length (o.rest) != 1)
    return usage_error (_("import takes one plan file (IN.json)"));

  if (!g_file_get_contents (o.rest[0], &contents, &length, &error))
    return bad_input (error);

  /* Check the whole document before the plan file is even opened. */
  projects = upg_plan_parse (contents, length, &extensions, &error);
  if (projects == NULL)
    {
      g_autofree char *name = g_filename_display_basename (o.rest[0]);
      g_prefix_error (&error, "%s: ", name);
      return bad_input (error);
    }

  existed = g_file_test (o.db, G_FILE_TEST_EXISTS);
  store = upg_store_open (o.db, UPG_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    return bad_input (error);
  if (!upg_plan_insert (store, projects, extensions,
                        o.replace ? UPG_PLAN_IMPORT_REPLACE : UPG_PLAN_IMPORT_DEFAULT, &ids, &error))
    {
      /* A plan file this import made leaves nothing behind (a full disk
       * must not leave an empty plan and its journal). */
      if (!existed && !upg_store_is_server (store))
        {
          g_autofree char *path = g_strdup (upg_store_get_path (store));
          g_clear_object (&store);
          remove_plan_files (path);
        }
      return bad_input (error);
    }

  for (guint i = 0; i < ids->len; i++)
    printf ("%" G_GINT64_FORMAT "\n", g_array_index (ids, gint64, i));
  return 0;
}

static char *
export_kind_list (void)
{
  g_autoptr(GString) list = g_string_new (NULL);
  guint n;
  const UpgExportKind *kinds = upg_export_kinds (&n);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", kinds[i].kind);
  return g_string_free (g_steal_pointer (&list), FALSE);
}

static int
cmd_export (int argc, char **argv)
{
  g_auto(Options) o = { 0 };
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const UpgExportKind *kind;
  UpgExportOptions options = { 0 };

  if (!parse_options ("export", argc, argv, &o, "db project format output template paper group force machine-csv", &message))
    return usage_error ("%s", message);
  if (o.rest == NULL || g_strv_length (o.rest) != 1)
    {
      g_autofree char *list = export_kind_list ();
      return usage_error (_("export takes one kind: %s"), list);
    }

  kind = upg_export_lookup (o.rest[0]);
  if (kind == NULL)
    return usage_error (_("unknown export kind “%s”"), o.rest[0]);
  if (o.format != NULL && !g_strv_contains (kind->formats, o.format))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) kind->formats);
      return usage_error (_("“%s” cannot be exported as “%s”; choose one of %s"), kind->kind, o.format, list);
    }
  if (kind->needs_project && o.project == 0)
    return usage_error (_("export %s needs --project ID"), kind->kind);
  if (o.template_name != NULL && strcmp (kind->kind, "email") != 0)
    return usage_error (_("--template is only for export email"));
  if ((o.group != NULL || o.force) && strcmp (kind->kind, "email") != 0)
    return usage_error (_("--group and --force are only for export email"));
  if (o.paper != NULL && g_strcmp0 (o.paper, "a4") != 0 && g_strcmp0 (o.paper, "letter") != 0)
    return usage_error (_("--paper must be a4 or letter"));
  if (o.machine_csv && g_strcmp0 (o.format ? o.format : kind->formats[0], "csv") != 0)
    return usage_error (_("--machine-csv is only for CSV"));

  store = upg_store_open (o.db, UPG_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !upg_store_load (store, &error))
    return bad_input (error);

  options.format = o.format;
  options.template_name = o.template_name;
  options.paper = o.paper;
  options.group = o.group;
  options.force = o.force;
  options.csv_form = o.machine_csv ? UPG_CSV_MACHINE : UPG_CSV_SPREADSHEET;
  bytes = upg_export_run (store, kind->kind, o.project, &options, &error);
  if (bytes == NULL)
    return bad_input (error);

  if (o.output != NULL && strcmp (o.output, "-") != 0)
    {
      if (!upg_output_write_file (o.output, bytes, upg_store_get_path (store), &error))
        return bad_input (error);
    }
  else if (!upg_output_write_stdout (bytes, &error))
    return bad_input (error);
  return 0;
}

static int
cmd_check (int argc, char **argv)
{
  g_auto(Options) o = { 0 };
  g_autofree char *message = NULL;
  g_autofree char *report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  GListModel *projects;
  guint n, n_warnings = 0;

  if (!parse_options ("check", argc, argv, &o, "db strict", &message))
    return usage_error ("%s", message);
  if (o.rest != NULL)
    return usage_error (_("check takes no arguments"));

  store = upg_store_open (o.db, UPG_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !upg_store_check (store, &report, &error) || !upg_store_load (store, &error) ||
      !upg_plan_check_stored (store, 0, &error))
    return bad_input (error);

  /* The plan's warnings, in the Overview's words, one a line. */
  projects = upg_store_get_projects (store);
  n = g_list_model_get_n_items (projects);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) project = g_list_model_get_item (projects, i);
      g_autoptr(GPtrArray) warnings = NULL;
      g_autofree char *name = NULL;

      if (!upg_store_load_children (store, project, &error))
        return bad_input (error);
      warnings = upg_project_warnings (store, UPG_PROJECT (project));
      name = upg_escape_line (upg_project_get_name (UPG_PROJECT (project)));
      for (guint k = 0; k < warnings->len; k++)
        {
          UpgWarning *warning = g_ptr_array_index (warnings, k);
          g_autofree char *text = upg_escape_line (warning->message);
          g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, upg_record_get_id (project));
          /* TRANSLATORS: check's output: a project's id and name, then a warning */
          g_string_append_printf (lines, _("warning: project %s (%s): %s\n"), id, name, text);
          n_warnings++;
        }
    }

  printf (ngettext ("ok: schema version %d, %d project\n", "ok: schema version %d, %d projects\n", n),
          upg_store_get_file_version (store), (int) n);
  if (upg_store_get_file_version (store) < UPG_STORE_SCHEMA_VERSION)
    printf (_("note: the file is updated to schema version %d (after a verified backup) when it is next opened for writing\n"),
            UPG_STORE_SCHEMA_VERSION);
  fputs (lines->str, stdout);
  if (o.strict && n_warnings > 0)
    {
      g_autoptr(GError) strict = g_error_new (UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                                              g_dngettext (GETTEXT_PACKAGE,
                                                           "The plan has %u warning (--strict); fix it or run check without --strict",
                                                           "The plan has %u warnings (--strict); fix them or run check without --strict",
                                                           n_warnings),
                                              n_warnings);
      return bad_input (strict);
    }
  return 0;
}

/* sop start-rollback|end-rollback: what the checklist's Start Rollback and
 * Service Restored record. */
static int
cmd_sop_rollback (int argc, char **argv, const char *action)
{
  g_auto(Options) o = { 0 };
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(UpgProject) project = NULL;
  gboolean ok;

  if (!parse_options ("sop", argc - 1, argv + 1, &o, "db project", &message))
    return usage_error ("%s", message);
  if (o.rest != NULL)
    return usage_error (_("sop %s takes no other arguments"), action);
  if (o.project == 0)
    return usage_error (_("sop %s needs --project ID"), action);

  store = upg_store_open (o.db, UPG_STORE_OPEN_EXISTING, &error);
  if (store == NULL || !upg_store_load (store, &error))
    return bad_input (error);
  project = upg_store_lookup_project (store, o.project, &error);
  if (project == NULL)
    return bad_input (error);
  if (strcmp (action, "start-rollback") == 0)
    ok = upg_sop_start_rollback (store, project, NULL, &error);
  else
    ok = upg_sop_end_rollback (store, project, NULL, &error);
  return ok ? 0 : bad_input (error);
}

/* sop check|uncheck|skip: the same core operations as the window's
 * checklist, so the file gets the same event. */
static int
cmd_sop (int argc, char **argv)
{
  g_auto(Options) o = { 0 };
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(UpgStore) store = NULL;
  g_autoptr(UpgProject) project = NULL;
  g_autoptr(UpgRecord) step = NULL;
  const char *action;
  GListModel *steps;
  guint n;
  gboolean ok;

  if (argc < 3 || argv[2][0] == '-')
    return usage_error (_("sop takes an action: check, uncheck, skip, start-rollback or end-rollback"));
  action = argv[2];
  if (strcmp (action, "start-rollback") == 0 || strcmp (action, "end-rollback") == 0)
    return cmd_sop_rollback (argc, argv, action);
  if (strcmp (action, "check") != 0 && strcmp (action, "uncheck") != 0 && strcmp (action, "skip") != 0)
    return usage_error (_("unknown sop action “%s”; choose check, uncheck, skip, start-rollback or end-rollback"), action);
  if (!parse_options ("sop", argc - 1, argv + 1, &o, "db project step by note", &message))
    return usage_error ("%s", message);
  if (o.rest != NULL)
    return usage_error (_("sop %s takes no other arguments"), action);
  if (o.project == 0)
    return usage_error (_("sop %s needs --project ID"), action);
  if (o.step < 1)
    return usage_error (_("sop %s needs --step N (1 for the first step)"), action);
  if (o.by == NULL)
    return usage_error (_("sop %s needs --by NAME (who does it)"), action);
  if (strcmp (action, "check") != 0 && o.note == NULL)
    return usage_error (_("sop %s needs --note TEXT (the reason)"), action);

  store = upg_store_open (o.db, UPG_STORE_OPEN_EXISTING, &error);
  if (store == NULL || !upg_store_load (store, &error))
    return bad_input (error);
  project = upg_store_lookup_project (store, o.project, &error);
  if (project == NULL || !upg_store_load_children (store, UPG_RECORD (project), &error))
    return bad_input (error);

  steps = upg_record_get_children (UPG_RECORD (project), &upg_entity_sop_step);
  n = steps ? g_list_model_get_n_items (steps) : 0;
  if ((guint64) o.step > n)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, o.project);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, o.step);
      error = g_error_new (UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "Project %s has no step %s: its SOP has %u step",
                                        "Project %s has no step %s: its SOP has %u steps", n),
                           id, number, n);
      return bad_input (error);
    }
  step = g_list_model_get_item (steps, o.step - 1);

  if (strcmp (action, "check") == 0)
    ok = upg_sop_check (store, steps, step, o.by, NULL, o.note, &error);
  else if (strcmp (action, "uncheck") == 0)
    ok = upg_sop_uncheck (store, step, o.by, NULL, o.note, &error);
  else
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      g_ptr_array_add (one, step);
      ok = upg_sop_skip (store, one, o.by, NULL, o.note, &error);
    }
  if (!ok)
    {
      if (g_error_matches (error, UPG_SOP_ERROR, UPG_SOP_ERROR_NOT_READY))
        {
          /* TRANSLATORS: %s is "N required steps of earlier phases are not checked" */
          g_autofree char *hint = g_strdup_printf (_("%s; check them first, or give --note TEXT to skip them"), error->message);
          g_free (error->message);
          error->message = g_steal_pointer (&hint);
        }
      return bad_input (error);
    }
  /* Recorded as given, but a name that is not on the team is likely a typo
   * or a stand-in: say so. */
  if (!upg_project_has_member (project, o.by))
    {
      g_autofree char *name = upg_escape_line (o.by);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, o.project);
      /* TRANSLATORS: a name given with --by, then a project's id */
      g_autofree char *warning = g_strdup_printf (_("warning: “%s” is not on the team of project %s; recorded as given"),
                                                  name, id);
      fprintf (stderr, "upgrade-planner: %s\n", warning);
    }
  return 0;
}

/* Not a command, not a plan file to open: say which word is wrong. */
static int
unknown_command (int    argc,
                 char **argv)
{
  g_autofree char *list = g_strjoinv (", ", (char **) commands);
  const char *word = argv[1];
  g_autofree char *line = NULL;

  for (int i = 1; i < argc; i++)
    if (!opens_in_window (argv[i]))
      {
        word = argv[i];
        break;
      }
  line = upg_escape_line (word);
  if (word[0] == '-')
    fprintf (stderr, _("upgrade-planner: unknown option “%s”\n"), line);
  else
    fprintf (stderr, _("upgrade-planner: unknown command \"%s\"\n"), line);
  /* TRANSLATORS: %s is the list of commands, "list, import, …" */
  fprintf (stderr, _("Commands: %s. To open a plan file in the window, give one that exists or ends in .upgplan.\n"), list);
  fprintf (stderr, _("Try “upgrade-planner --help” for more information.\n"));
  return EXIT_USAGE;
}

static int
run_command (int    argc,
             char **argv)
{

  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("upgrade-planner %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      print_usage (stdout);
      return 0;
    }
  if (strcmp (argv[1], "list") == 0)
    return cmd_list (argc, argv);
  if (strcmp (argv[1], "import") == 0)
    return cmd_import (argc, argv);
  if (strcmp (argv[1], "export") == 0)
    return cmd_export (argc, argv);
  if (strcmp (argv[1], "check") == 0)
    return cmd_check (argc, argv);
  if (strcmp (argv[1], "sop") == 0)
    return cmd_sop (argc, argv);
  return unknown_command (argc, argv);
}

int
upg_cli_run (int    argc,
             char **argv)
{
  int status;

  g_return_val_if_fail (argc >= 2, EXIT_USAGE);

  {
    g_autoptr(GError) error = NULL;

    /* A clock pinned to something that is not an instant would date every
     * export and check wrongly: refuse before anything runs. */
    if (!upg_clock_check_env (&error))
      return bad_input (error);
  }
  status = run_command (argc, argv);
#ifdef __SANITIZE_ADDRESS__
  /* Under LeakSanitizer, what is left at exit must be a leak of ours. */
  upg_pdf_release_caches ();
#endif
  /* What is still buffered must reach its file too: a full disk is an
   * error, not a silent truncation. */
  errno = 0;
  if (fflush (stdout) != 0 || ferror (stdout) || fclose (stdout) != 0)
    {
      int saved = errno ? errno : EIO;
      if (status == 0)
        {
          g_autoptr(GError) error = g_error_new (UPG_OUTPUT_ERROR, UPG_OUTPUT_ERROR_FAILED,
                                                 _("Could not write to standard output: %s"),
                                                 g_strerror (saved));
          status = bad_input (error);
        }
    }
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * upg-store-pg.c — the PostgreSQL backend: a plan shared by a team in one
 * database, through libpq.
 *
 * The schema is the app's own (created and migrated here: the PostgreSQL
 * dialect of each migration of upg-store-sqlite.c, with the same version
 * numbers, kept in the table upgrade_planner). Each table of the plan is a
 * table <name>_all with four columns of book-keeping — deleted (the
 * deletion that took the row, NULL while it lives), row_version (raised by
 * a trigger when a column of the plan changes), changed_by and changed_at
 * (the database role that made that change, and when) — and a view <name>
 * of its live rows, so the store's SQL is the same as for a file. A delete
 * marks the rows; Undo clears the mark (the rows keep their ids, nobody
 * else can have taken them). Every change is announced on the channel
 * "upgrade_planner" (NOTIFY): "<table> <i|u|d> <id> <parent id>".
 *
 * Passwords come only from libpq's own means (~/.pgpass, PGPASSWORD, a
 * service file) or the URI the caller gives; nothing here keeps one.
 */
#define G_LOG_DOMAIN "upg-store"
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <libpq-fe.h>

#include "upg-store.h"
#include "upg-store-private.h"

#define CHANNEL "upgrade_planner"
/* pg_advisory_xact_lock key while migrating: "UpgP", as a file's application_id. */
#define MIGRATION_LOCK "1433429840"
/* Deleted rows older than this are removed for good when a writer connects. */
#define PURGE_AFTER "interval '30 days'"

typedef struct
{
  UpgBackend     parent;

  PGconn        *conn;
  char          *display_name;  /* "plans on db.example.com" */
  char          *role;          /* session_user */
  gboolean       read_only;
  int            version;       /* the schema version stored */
  guint          n_steps;       /* the migrations to run (all but in tests) */
  GHashTable    *statements;    /* SQL text → the name it was prepared under */
  guint          n_statements;
  GPtrArray     *scratch;       /* what a statement's parameters allocated */

  gboolean       in_transaction; /* since BEGIN (also when the connection broke in it) */
  gboolean       broken;        /* the connection failed: made again before its next use */
  gboolean       listening;
  guint          socket_id;     /* watching for notifications */
  guint          idle_id;
  /* What the connection was made with (libpq's PQconninfo(), the password
   * too), fixed once open: connect_again() reads them in a thread. */
  char         **conn_keys;
  char         **conn_values;
} UpgPg;

/* One step of the schema (the PostgreSQL dialect of migration @i). */
typedef gboolean (*PgMigration) (UpgPg *self, GError **error);

/* ------------------------------------------------------------------ */
/* Errors                                                              */

/* The first line of libpq's message, without its "FATAL:  " and the
 * like: one line for the user. */
static char *
first_line (const char *message)
{
  const char *start = message ? message : "";
  const char *end;

  for (const char *p = start; *p != '\0' && *p != '\n'; p++)
    if (g_str_has_prefix (p, "FATAL:  ") || g_str_has_prefix (p, "ERROR:  "))
      start = p + 8;
  end = strchr (start, '\n');
  return g_strstrip (end ? g_strndup (start, end - start) : g_strdup (start));
}

static gboolean
set_lost (UpgPg *self, GError **error)
{
  g_autofree char *why = first_line (PQerrorMessage (self->conn));

  self->broken = TRUE;
  g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION,
               _("Lost the connection to the team server “%s”; the change was not saved (%s)"),
               self->display_name, why);
  return FALSE;
}

static gboolean
set_read_only (UpgPg *self, GError **error)
{
  g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_READ_ONLY,
               _("The role “%s” may only read the plan on “%s”; changes cannot be saved (ask for write access to edit it)"),
               self->role, self->display_name);
  return FALSE;
}

/* Sets @error from a failed @result (or the connection). */
static gboolean
set_pg_error (UpgPg *self, PGresult *result, GError **error)
{
  const char *state = result ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = result ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  g_autofree char *message = primary ? g_strdup (primary) : first_line (PQerrorMessage (self->conn));

  /* An error of libpq's own (no SQLSTATE) is the connection's: a server
   * that went away can leave the status "ok" until the next read. */
  if (PQstatus (self->conn) != CONNECTION_OK || (result != NULL && state == NULL))
    return set_lost (self, error);
  /* insufficient_privilege: a write (always in a transaction) the role
   * may not make, or a read it may not either. */
  if (g_strcmp0 (state, "42501") == 0 && self->in_transaction)
    return set_read_only (self, error);
  if (g_strcmp0 (state, "42501") == 0)
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                 _("The role “%s” may not read the plan on “%s”; ask for access to it"),
                 self->role ? self->role : PQuser (self->conn), self->display_name);
  else if (g_strcmp0 (state, "40001") == 0 || g_strcmp0 (state, "40P01") == 0 ||
           g_strcmp0 (state, "55P03") == 0)     /* serialization, deadlock, lock not available */
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                 _("“%s” is busy with another person’s change; try again"), self->display_name);
  else
    g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_FAILED,
                 _("Could not use “%s”: %s"), self->display_name, message);
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Statements                                                          */

/* The store's SQL with PostgreSQL's parameters: ?N becomes $N outside
 * quotes. */
static char *
dialect (const char *sql)
{
  GString *out = g_string_sized_new (strlen (sql) + 8);
  gboolean single = FALSE, dbl = FALSE;

  for (const char *p = sql; *p != '\0'; p++)
    {
      if (*p == '\'' && !dbl)
        single = !single;
      else if (*p == '"' && !single)
        dbl = !dbl;
      if (*p == '?' && !single && !dbl && g_ascii_isdigit (p[1]))
        g_string_append_c (out, '$');
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void dispatch_notifications (UpgPg *self);
static void watch_socket (UpgPg *self);

static gboolean
dispatch_idle_cb (gpointer data)
{
  UpgPg *self = data;

  self->idle_id = 0;
  if (PQtransactionStatus (self->conn) == PQTRANS_IDLE)
    dispatch_notifications (self);
  return G_SOURCE_REMOVE;
}

/* A statement may have read other people's notifications off the socket
 * (libpq keeps them): they are told from the main loop once the store's
 * work is done, never in the middle of it. */
static void
schedule_dispatch (UpgPg *self)
{
  if (self->parent.changed != NULL && self->idle_id == 0)
    self->idle_id = g_idle_add (dispatch_idle_cb, self);
}

static void
ignore_notice (void *data, const char *message)
{
}

/* What a connection is set to, when made and when made again. */
/* A new session's settings, and LISTEN with @listen: it touches nothing
 * of the backend's, so a thread sets up the connection it made. */
static gboolean
set_up_connection (PGconn *conn, gboolean listen)
{
  PGresult *result;
  gboolean ok;

  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  if (PQsetClientEncoding (conn, "UTF8") != 0)
    return FALSE;
  result = PQexec (conn, listen ? "SET TIME ZONE 'UTC'; LISTEN " CHANNEL : "SET TIME ZONE 'UTC'");
  ok = PQresultStatus (result) == PGRES_COMMAND_OK;
  PQclear (result);
  return ok;
}

static gboolean
set_up_session (UpgPg *self, GError **error)
{
  return set_up_connection (self->conn, self->listening) || set_lost (self, error);
}

/* The work goes on in a new session of the connection (made again by
 * PQreset ()): its settings, and the watch when listening. */
static gboolean
resume_session (UpgPg *self, GError **error)
{
  self->broken = FALSE;
  /* Prepared statements lived in the old session. */
  g_hash_table_remove_all (self->statements);
  if (!set_up_session (self, error))
    return FALSE;
  if (self->listening)
    watch_socket (self);
  return TRUE;
}

/* A connection that broke outside a transaction is made again (the
 * server was restarted, say): nothing was lost, so the work goes on. One
 * that broke inside a transaction stays broken until it ends: what the
 * transaction did is gone, and its caller must hear so. A window does not
 * wait here on the network (reconnect_on_use FALSE): the call fails at
 * once, and the window connects again in a thread. */
static gboolean
ensure_connected (UpgPg *self, GError **error)
{
  if (PQstatus (self->conn) == CONNECTION_OK && !self->broken)
    return TRUE;
  if (self->in_transaction)
    return set_lost (self, error);
  if (!self->parent.reconnect_on_use)
    {
      g_autofree char *why = first_line (PQerrorMessage (self->conn));

      if (*why != '\0')
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION,
                     _("The connection to the team server “%s” is lost (%s); nothing was changed"),
                     self->display_name, why);
      else
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION,
                     _("The connection to the team server “%s” is lost; nothing was changed"),
                     self->display_name);
      return FALSE;
    }
  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *why = first_line (PQerrorMessage (self->conn));
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION,
                   _("Could not connect to the team server “%s”: %s"), self->display_name, why);
      return FALSE;
    }
  return resume_session (self, error);
}

/* Runs @sql with @params (prepared once a connection); NULL and @error
 * when it fails. */
/* A window's store works in a thread (upg_store_set_work_in_thread()):
 * its own connection asked from the window's thread is a window that
 * waits on the network. Said under UPG_DEBUG_WINDOW_QUERIES (the team
 * server's window tests), where it fails the test. */
static void
note_asked (UpgPg *self, const char *sql)
{
  if (G_UNLIKELY (self->parent.watched_thread != NULL) && self->parent.watched_thread == g_thread_self ())
    g_critical ("The window asked the team server on its own thread: %s", sql);
}

static PGresult *
run (UpgPg           *self,
     const char      *sql,
     const UpgParam  *params,
     guint            n_params,
     GError         **error)
{
  const char *name = g_hash_table_lookup (self->statements, sql);
  g_autofree const char **values = g_new0 (const char *, n_params + 1);
  g_autofree char *numbers = g_malloc0 (24 * (n_params + 1));
  PGresult *result;
  ExecStatusType status;

  if (!ensure_connected (self, error))
    return NULL;
  note_asked (self, sql);
  name = g_hash_table_lookup (self->statements, sql);
  if (name == NULL)
    {
      g_autofree char *text = dialect (sql);
      char *fresh = g_strdup_printf ("upg%u", ++self->n_statements);

      result = PQprepare (self->conn, fresh, text, n_params, NULL);
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        {
          set_pg_error (self, result, error);
          PQclear (result);
          g_free (fresh);
          return NULL;
        }
      PQclear (result);
      g_hash_table_insert (self->statements, g_strdup (sql), fresh);
      name = fresh;
    }

  for (guint i = 0; i < n_params; i++)
    switch (params[i].type)
      {
      case UPG_PARAM_INT:
        g_snprintf (numbers + 24 * i, 24, "%" G_GINT64_FORMAT, params[i].number);
        values[i] = numbers + 24 * i;
        break;
      case UPG_PARAM_TEXT:
        values[i] = params[i].text;
        break;
      case UPG_PARAM_NULL:
      default:
        values[i] = NULL;
        break;
      }

  result = PQexecPrepared (self->conn, name, n_params, values, NULL, NULL, 0);
  g_ptr_array_set_size (self->scratch, 0);
  status = PQresultStatus (result);
  schedule_dispatch (self);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_pg_error (self, result, error);
      PQclear (result);
      return NULL;
    }
  return result;
}

/* Runs @sql, which returns nothing of interest (no parameters: DDL,
 * transactions). */
static gboolean
exec (UpgPg *self, const char *sql, GError **error)
{
  PGresult *result;
  ExecStatusType status;

  if (!ensure_connected (self, error))
    return FALSE;
  note_asked (self, sql);
  result = PQexec (self->conn, sql);
  status = PQresultStatus (result);
  schedule_dispatch (self);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_pg_error (self, result, error);
      PQclear (result);
      return FALSE;
    }
  PQclear (result);
  return TRUE;
}

static gboolean
row_is_null (UpgRow *row, int column)
{
  return PQgetisnull (row->handle, row->index, column);
}

static gint64
row_get_int (UpgRow *row, int column)
{
  if (PQgetisnull (row->handle, row->index, column))
    return 0;
  return g_ascii_strtoll (PQgetvalue (row->handle, row->index, column), NULL, 10);
}

static const char *
row_get_text (UpgRow *row, int column)
{
  if (PQgetisnull (row->handle, row->index, column))
    return NULL;
  return PQgetvalue (row->handle, row->index, column);
}

static gboolean
pg_query (UpgBackend      *backend,
          const char      *sql,
          const UpgParam  *params,
          guint            n_params,
          UpgRowFunc       func,
          gpointer         data,
          GError         **error)
{
  UpgPg *self = (UpgPg *) backend;
  PGresult *result = run (self, sql, params, n_params, error);
  UpgRow row = { row_is_null, row_get_int, row_get_text, result, 0 };

  if (result == NULL)
    return FALSE;
  for (int n = PQntuples (result); func != NULL && row.index < n; row.index++)
    if (!func (&row, data))
      break;
  PQclear (result);
  return TRUE;
}

/* The first column of @sql's first row, or NULL. */
static char *
query_text (UpgPg *self, const char *sql, const UpgParam *params, guint n_params, GError **error)
{
  PGresult *result = run (self, sql, params, n_params, error);
  char *text = NULL;

  if (result == NULL)
    return NULL;
  if (PQntuples (result) > 0 && !PQgetisnull (result, 0, 0))
    text = g_strdup (PQgetvalue (result, 0, 0));
  PQclear (result);
  return text;
}

/* ------------------------------------------------------------------ */
/* Schema                                                              */

/* Every table of the plan, the column naming its parent ("" for none),
 * and the version that made it (and, for sop_check, the last that had it). */
static const struct {
  const char *table;
  const char *parent;
  int         since;
  int         until;
} tables[] = {
  { "project", "", 1, G_MAXINT },
  { "scope_item", "project_id", 1, G_MAXINT },
  { "milestone", "project_id", 1, G_MAXINT },
  { "risk", "project_id", 1, G_MAXINT },
  { "member", "project_id", 1, G_MAXINT },
  { "stakeholder_group", "project_id", 1, G_MAXINT },
  { "sop_step", "project_id", 1, G_MAXINT },
  { "sop_check", "step_id", 1, 1 },
  { "retrospective", "project_id", 1, G_MAXINT },
  { "retro_item", "retro_id", 1, G_MAXINT },
  { "email_template", "project_id", 1, G_MAXINT },
  { "notice", "project_id", 2, G_MAXINT },
  { "sop_event", "step_id", 2, G_MAXINT },
  { "cancelled_milestone", "project_id", 3, G_MAXINT },
};

/* The book-keeping columns of every table. */
#define BOOK \
  "  deleted bigint," \
  "  row_version integer NOT NULL DEFAULT 1," \
  "  changed_by text NOT NULL DEFAULT session_user," \
  "  changed_at timestamptz NOT NULL DEFAULT now ()"

static const char schema_v1[] =
  "CREATE TABLE upgrade_planner (version integer NOT NULL);"
  "INSERT INTO upgrade_planner VALUES (0);"
  "CREATE TABLE deletion ("
  "  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
  "  at timestamptz NOT NULL DEFAULT now (),"
  "  \"by\" text NOT NULL DEFAULT session_user);"
  /* A change to a column of the plan raises the row's version. */
  "CREATE FUNCTION upg_row_changed () RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF (to_jsonb (NEW) - ARRAY['position', 'updated_at', 'deleted', 'row_version', 'changed_by', 'changed_at'])"
  "     IS DISTINCT FROM"
  "     (to_jsonb (OLD) - ARRAY['position', 'updated_at', 'deleted', 'row_version', 'changed_by', 'changed_at']) THEN"
  "    NEW.row_version := OLD.row_version + 1;"
  "    NEW.changed_by := session_user;"
  "    NEW.changed_at := now ();"
  "  END IF;"
  "  RETURN NEW;"
  "END $$;"
  /* Every change, announced: table, i(nsert)/u(pdate)/d(elete), id, parent. */
  "CREATE FUNCTION upg_row_notify () RETURNS trigger LANGUAGE plpgsql AS $$"
  "DECLARE op text;"
  "BEGIN"
  "  IF TG_OP = 'DELETE' THEN"
  "    IF OLD.deleted IS NOT NULL THEN RETURN NULL; END IF;"
  "    PERFORM pg_notify ('" CHANNEL "', TG_ARGV[0] || ' d ' || OLD.id || ' ' ||"
  "      CASE WHEN TG_ARGV[1] = '' THEN '0' ELSE to_jsonb (OLD) ->> TG_ARGV[1] END);"
  "    RETURN NULL;"
  "  ELSIF TG_OP = 'INSERT' THEN"
  "    IF NEW.deleted IS NOT NULL THEN RETURN NULL; END IF;"
  "    op := 'i';"
  "  ELSIF OLD.deleted IS NULL AND NEW.deleted IS NOT NULL THEN op := 'd';"
  "  ELSIF OLD.deleted IS NOT NULL AND NEW.deleted IS NULL THEN op := 'i';"
  "  ELSIF NEW.deleted IS NOT NULL THEN RETURN NULL;"
  "  ELSE op := 'u';"
  "  END IF;"
  "  PERFORM pg_notify ('" CHANNEL "', TG_ARGV[0] || ' ' || op || ' ' || NEW.id || ' ' ||"
  "    CASE WHEN TG_ARGV[1] = '' THEN '0' ELSE to_jsonb (NEW) ->> TG_ARGV[1] END);"
  "  RETURN NULL;"
  "END $$;"
  "CREATE FUNCTION upg_track (tbl text, parent text) RETURNS void LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  EXECUTE format ('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION upg_row_changed ()',"
  "                  tbl || '_changed', tbl || '_all');"
  "  EXECUTE format ('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION upg_row_notify (%L, %L)',"
  "                  tbl || '_notify', tbl || '_all', tbl, parent);"
  "END $$;"
  "CREATE TABLE meta ("
  "  key text PRIMARY KEY,"
  "  value text NOT NULL);"
  "CREATE TABLE project_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  position integer NOT NULL DEFAULT 0,"
  "  name text NOT NULL,"
  "  kind text NOT NULL,"
  "  status text NOT NULL,"
  "  goal text NOT NULL DEFAULT '',"
  "  scope text NOT NULL DEFAULT '',"
  "  impact text NOT NULL DEFAULT '',"
  "  version_from text,"
  "  version_to text,"
  "  build_id text,"
  "  window_start text,"
  "  window_end text,"
  "  rollback_target_minutes integer NOT NULL DEFAULT 10 CHECK (rollback_target_minutes >= 1),"
  "  created_at text NOT NULL,"
  "  updated_at text NOT NULL,"
  "  extensions text," BOOK ");"
  "CREATE INDEX project_build_id ON project_all (build_id);"
  "CREATE TABLE scope_item_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  project_id bigint NOT NULL REFERENCES project_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  module text NOT NULL,"
  "  change text NOT NULL DEFAULT '',"
  "  impact text NOT NULL,"
  "  needs_data_migration integer NOT NULL DEFAULT 0,"
  "  extensions text," BOOK ");"
  "CREATE INDEX scope_item_project ON scope_item_all (project_id, position);"
  "CREATE TABLE milestone_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  project_id bigint NOT NULL REFERENCES project_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  title text NOT NULL,"
  "  kind text NOT NULL,"
  "  due text,"
  "  done text,"
  "  rollout_percent integer CHECK (rollout_percent BETWEEN 1 AND 100),"
  "  extensions text," BOOK ");"
  "CREATE INDEX milestone_project ON milestone_all (project_id, position);"
  "CREATE TABLE risk_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  project_id bigint NOT NULL REFERENCES project_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  title text NOT NULL,"
  "  category text NOT NULL,"
  "  likelihood integer NOT NULL CHECK (likelihood BETWEEN 1 AND 5),"
  "  impact integer NOT NULL CHECK (impact BETWEEN 1 AND 5),"
  "  residual_likelihood integer CHECK (residual_likelihood BETWEEN 1 AND 5),"
  "  residual_impact integer CHECK (residual_impact BETWEEN 1 AND 5),"
  "  mitigation text NOT NULL DEFAULT '',"
  "  contingency text NOT NULL DEFAULT '',"
  "  owner text,"
  "  status text NOT NULL,"
  "  extensions text," BOOK ");"
  "CREATE INDEX risk_project ON risk_all (project_id, position);"
  "CREATE TABLE member_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  project_id bigint NOT NULL REFERENCES project_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  name text NOT NULL,"
  "  email text,"
  "  role text NOT NULL,"
  "  responsibilities text NOT NULL DEFAULT '',"
  "  extensions text," BOOK ");"
  "CREATE INDEX member_project ON member_all (project_id, position);"
  "CREATE TABLE stakeholder_group_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  project_id bigint NOT NULL REFERENCES project_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  name text NOT NULL,"
  "  audience text NOT NULL DEFAULT '',"
  "  addresses text NOT NULL DEFAULT '',"
  "  extensions text," BOOK ");"
  "CREATE INDEX stakeholder_group_project ON stakeholder_group_all (project_id, position);"
  "CREATE TABLE sop_step_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  project_id bigint NOT NULL REFERENCES project_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  phase text NOT NULL,"
  "  title text NOT NULL,"
  "  details text NOT NULL DEFAULT '',"
  "  owner_role text,"
  "  required integer NOT NULL DEFAULT 1,"
  "  checked_at text,"
  "  checked_by text,"
  "  note text NOT NULL DEFAULT '',"
  "  extensions text," BOOK ");"
  "CREATE INDEX sop_step_project ON sop_step_all (project_id, position);"
  "CREATE TABLE sop_check_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  step_id bigint NOT NULL REFERENCES sop_step_all (id) ON DELETE CASCADE,"
  "  action text NOT NULL CHECK (action IN ('check', 'uncheck', 'skip')),"
  "  actor text,"
  "  at text NOT NULL,"
  "  reason text NOT NULL DEFAULT ''," BOOK ");"
  "CREATE INDEX sop_check_step ON sop_check_all (step_id, id);"
  "CREATE TABLE retrospective_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  project_id bigint NOT NULL REFERENCES project_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL DEFAULT 0,"
  "  held_on text,"
  "  facilitator text,"
  "  actual_start text,"
  "  actual_end text,"
  "  downtime_minutes integer CHECK (downtime_minutes >= 0),"
  "  rollback_used integer NOT NULL DEFAULT 0,"
  "  incidents integer NOT NULL DEFAULT 0 CHECK (incidents >= 0),"
  "  summary text NOT NULL DEFAULT '',"
  "  extensions text," BOOK ");"
  "CREATE UNIQUE INDEX retrospective_project ON retrospective_all (project_id) WHERE deleted IS NULL;"
  "CREATE TABLE retro_item_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  retro_id bigint NOT NULL REFERENCES retrospective_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  kind text NOT NULL,"
  "  text text NOT NULL,"
  "  owner text,"
  "  due text,"
  "  done integer NOT NULL DEFAULT 0,"
  "  extensions text," BOOK ");"
  "CREATE INDEX retro_item_retro ON retro_item_all (retro_id, position);"
  "CREATE TABLE email_template_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  project_id bigint REFERENCES project_all (id) ON DELETE CASCADE,"
  "  name text NOT NULL,"
  "  subject text NOT NULL,"
  "  body text NOT NULL,"
  "  updated_at text NOT NULL," BOOK ");"
  "CREATE UNIQUE INDEX email_template_name ON email_template_all (project_id, name) WHERE deleted IS NULL;"
  "SELECT upg_track ('project', ''), upg_track ('scope_item', 'project_id'),"
  "  upg_track ('milestone', 'project_id'), upg_track ('risk', 'project_id'),"
  "  upg_track ('member', 'project_id'), upg_track ('stakeholder_group', 'project_id'),"
  "  upg_track ('sop_step', 'project_id'), upg_track ('sop_check', 'step_id'),"
  "  upg_track ('retrospective', 'project_id'), upg_track ('retro_item', 'retro_id'),"
  "  upg_track ('email_template', 'project_id');";

static gboolean
migrate_to_1 (UpgPg *self, GError **error)
{
  return exec (self, schema_v1, error);
}

/* Version 2, as upg-store-sqlite.c's schema_v2. */
static const char schema_v2[] =
  "ALTER TABLE project_all ADD COLUMN uid text;"
  "ALTER TABLE project_all ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';"
  "ALTER TABLE project_all ADD COLUMN calendar_sequence integer NOT NULL DEFAULT 0 CHECK (calendar_sequence >= 0);"
  "ALTER TABLE project_all ADD COLUMN risk_thresholds text NOT NULL DEFAULT '5,10,20';"
  "ALTER TABLE stakeholder_group_all ADD COLUMN bcc integer NOT NULL DEFAULT 0;"
  "ALTER TABLE stakeholder_group_all ADD COLUMN language text NOT NULL DEFAULT 'en';"
  "ALTER TABLE stakeholder_group_all ADD COLUMN time_zone text;"
  "ALTER TABLE stakeholder_group_all ADD COLUMN moments text NOT NULL DEFAULT '';"
  "UPDATE stakeholder_group_all SET moments = 'advance_notice' || chr (10) || 'reminder' || chr (10) ||"
  "  'started' || chr (10) || 'completed' || chr (10) || 'delayed' || chr (10) ||"
  "  'rolled_back' || chr (10) || 'retrospective';"
  "ALTER TABLE retrospective_all ADD COLUMN rollback_minutes integer CHECK (rollback_minutes >= 0);"
  "ALTER TABLE retrospective_all ADD COLUMN root_cause text NOT NULL DEFAULT '';"
  "ALTER TABLE retrospective_all ADD COLUMN detection text NOT NULL DEFAULT '';"
  "ALTER TABLE retro_item_all ADD COLUMN ticket text;"
  "ALTER TABLE retro_item_all ADD COLUMN carried_to text;"
  "DROP TABLE email_template_all;"
  "CREATE TABLE email_template_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  project_id bigint NOT NULL REFERENCES project_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  moment text NOT NULL,"
  "  language text NOT NULL,"
  "  subject text NOT NULL,"
  "  body text NOT NULL,"
  "  extensions text," BOOK ");"
  "CREATE UNIQUE INDEX email_template_moment ON email_template_all (project_id, moment, language) WHERE deleted IS NULL;"
  "CREATE TABLE notice_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  project_id bigint NOT NULL REFERENCES project_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  moment text NOT NULL,"
  "  \"group\" text NOT NULL,"
  "  at text NOT NULL,"
  "  how text NOT NULL,"
  "  extensions text," BOOK ");"
  "CREATE INDEX notice_project ON notice_all (project_id, position);"
  "CREATE TABLE sop_event_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  step_id bigint NOT NULL REFERENCES sop_step_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  action text NOT NULL CHECK (action IN ('check', 'uncheck', 'skip')),"
  "  \"by\" text,"
  "  at text NOT NULL,"
  "  note text NOT NULL DEFAULT '',"
  "  extensions text," BOOK ");"
  "CREATE INDEX sop_event_step ON sop_event_all (step_id, position);"
  "INSERT INTO sop_event_all (id, step_id, position, action, \"by\", at, note, deleted, changed_by, changed_at)"
  "  SELECT id, step_id, row_number () OVER (PARTITION BY step_id ORDER BY id) - 1,"
  "         action, actor, at, reason, deleted, changed_by, changed_at FROM sop_check_all;"
  "SELECT setval (pg_get_serial_sequence ('sop_event_all', 'id'), coalesce ((SELECT max (id) FROM sop_event_all), 0) + 1, false);"
  "DROP TABLE sop_check_all;"
  "INSERT INTO sop_event_all (step_id, position, action, \"by\", at, note)"
  "  SELECT s.id, (SELECT count(*) FROM sop_event_all e WHERE e.step_id = s.id),"
  "         'check', s.checked_by, s.checked_at, '' FROM sop_step_all s"
  "  WHERE s.checked_at IS NOT NULL AND NOT EXISTS ("
  "    SELECT 1 FROM sop_event_all e WHERE e.step_id = s.id AND e.action = 'check'"
  "      AND e.at = s.checked_at AND e.\"by\" IS NOT DISTINCT FROM s.checked_by"
  "      AND e.id = (SELECT max (id) FROM sop_event_all f WHERE f.step_id = s.id AND f.action != 'skip'));"
  "INSERT INTO sop_event_all (step_id, position, action, \"by\", at, note)"
  "  SELECT s.id, (SELECT count(*) FROM sop_event_all e WHERE e.step_id = s.id),"
  "         'uncheck', e.\"by\", e.at, '' FROM sop_step_all s JOIN sop_event_all e ON e.step_id = s.id"
  "  WHERE s.checked_at IS NULL AND e.action = 'check'"
  "    AND e.id = (SELECT max (id) FROM sop_event_all f WHERE f.step_id = s.id AND f.action != 'skip');"
  "SELECT upg_track ('email_template', 'project_id'), upg_track ('notice', 'project_id'),"
  "  upg_track ('sop_event', 'step_id');";

static gboolean
migrate_to_2 (UpgPg *self, GError **error)
{
  PGresult *rows;
  gboolean ok = TRUE;

  if (!exec (self, schema_v2, error))
    return FALSE;
  /* Each project's uid as a file's migration gives it. */
  rows = run (self, "SELECT id, created_at, name FROM project_all", NULL, 0, error);
  if (rows == NULL)
    return FALSE;
  for (int i = 0; ok && i < PQntuples (rows); i++)
    {
      gint64 id = g_ascii_strtoll (PQgetvalue (rows, i, 0), NULL, 10);
      g_autofree char *uid = upg_store_derive_project_uid (id, PQgetvalue (rows, i, 1), PQgetvalue (rows, i, 2));
      UpgParam params[2] = { UPG_PARAM_TEXT (uid), UPG_PARAM_INT (id) };
      PGresult *done = run (self, "UPDATE project_all SET uid = ?1 WHERE id = ?2", params, 2, error);

      ok = done != NULL;
      PQclear (done);
    }
  PQclear (rows);
  return ok && exec (self, "CREATE UNIQUE INDEX project_uid ON project_all (uid) WHERE deleted IS NULL;", error);
}

/* Version 3, as upg-store-sqlite.c's schema_v3. */
static const char schema_v3[] =
  "ALTER TABLE project_all ADD COLUMN rollback_started_at text;"
  "ALTER TABLE project_all ADD COLUMN rollback_ended_at text;"
  "ALTER TABLE milestone_all ADD COLUMN uid text NOT NULL DEFAULT '';"
  "ALTER TABLE risk_all ADD COLUMN uid text NOT NULL DEFAULT '';"
  "ALTER TABLE member_all ADD COLUMN uid text NOT NULL DEFAULT '';"
  "ALTER TABLE member_all ADD COLUMN phone text NOT NULL DEFAULT '';"
  "ALTER TABLE stakeholder_group_all ADD COLUMN uid text NOT NULL DEFAULT '';"
  "ALTER TABLE stakeholder_group_all ADD COLUMN internal integer NOT NULL DEFAULT 0;"
  "ALTER TABLE sop_step_all ADD COLUMN uid text NOT NULL DEFAULT '';"
  "ALTER TABLE retro_item_all ADD COLUMN uid text NOT NULL DEFAULT '';"
  "CREATE TABLE cancelled_milestone_all ("
  "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  project_id bigint NOT NULL REFERENCES project_all (id) ON DELETE CASCADE,"
  "  position integer NOT NULL,"
  "  calendar_uid text NOT NULL,"
  "  title text NOT NULL,"
  "  kind text NOT NULL,"
  "  due text,"
  "  cancelled_at text NOT NULL,"
  "  extensions text," BOOK ");"
  "CREATE INDEX cancelled_milestone_project ON cancelled_milestone_all (project_id, position);"
  "SELECT upg_track ('cancelled_milestone', 'project_id');";

/* As the file's derive_uids (): @select gives id, project uid and index. */
static gboolean
derive_uids (UpgPg *self, const char *table, const char *select, const char *key, GError **error)
{
  g_autofree char *update = g_strdup_printf ("UPDATE \"%s_all\" SET uid = ?1 WHERE id = ?2", table);
  PGresult *rows = run (self, select, NULL, 0, error);
  gboolean ok = rows != NULL;

  for (int i = 0; ok && i < PQntuples (rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s[%s]", key, PQgetvalue (rows, i, 2));
      g_autofree char *uid = upg_derive_item_uid (PQgetvalue (rows, i, 1), path);
      UpgParam params[2] = { UPG_PARAM_TEXT (uid), UPG_PARAM_INT (g_ascii_strtoll (PQgetvalue (rows, i, 0), NULL, 10)) };
      PGresult *done = run (self, update, params, 2, error);

      ok = done != NULL;
      PQclear (done);
    }
  PQclear (rows);
  return ok;
}

/* As the file's cancel_v2_calendar_entries (). */
static gboolean
cancel_v2_calendar_entries (UpgPg *self, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  PGresult *rows = run (self, "SELECT m.project_id, p.uid, p.updated_at, m.kind, m.title, m.due"
                              " FROM milestone_all m JOIN project_all p ON p.id = m.project_id"
                              " ORDER BY m.project_id, m.position, m.id", NULL, 0, error);
  gboolean ok = rows != NULL;
  const char *project = NULL;
  int position = 0;

  for (int i = 0; ok && i < PQntuples (rows); i++)
    {
      const char *kind = PQgetvalue (rows, i, 3);
      const char *title = PQgetvalue (rows, i, 4);
      char *key = g_strconcat (kind, "\n", title, NULL);
      g_autofree char *text = NULL;
      g_autofree char *sum = NULL;
      g_autofree char *calendar_uid = NULL;
      PGresult *done;
      guint n;

      if (g_strcmp0 (PQgetvalue (rows, i, 0), project) != 0)
        {
          project = PQgetvalue (rows, i, 0);
          position = 0;
          g_hash_table_remove_all (seen);
        }
      n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key));
      g_hash_table_replace (seen, key, GUINT_TO_POINTER (n + 1));
      if (PQgetisnull (rows, i, 5))
        continue;
      text = g_strdup_printf ("%s\n%s\n%u", kind, title, n);
      sum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
      calendar_uid = g_strdup_printf ("%s-milestone-%.12s", PQgetvalue (rows, i, 1), sum);
      {
        UpgParam params[7] = {
          UPG_PARAM_INT (g_ascii_strtoll (project, NULL, 10)), UPG_PARAM_INT (position++),
          UPG_PARAM_TEXT (calendar_uid), UPG_PARAM_TEXT (title), UPG_PARAM_TEXT (kind),
          UPG_PARAM_TEXT (PQgetvalue (rows, i, 5)), UPG_PARAM_TEXT (PQgetvalue (rows, i, 2)),
        };
        done = run (self, "INSERT INTO cancelled_milestone_all (project_id, position, calendar_uid, title, kind, due, cancelled_at)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", params, 7, error);
      }
      ok = done != NULL;
      PQclear (done);
    }
  PQclear (rows);
  return ok;
}

static gboolean
migrate_to_3 (UpgPg *self, GError **error)
{
#define SIBLINGS(table) \
  "SELECT t.id, p.uid, row_number () OVER (PARTITION BY t.project_id ORDER BY t.position, t.id) - 1" \
  " FROM " table "_all t JOIN project_all p ON p.id = t.project_id"

  return exec (self, schema_v3, error) &&
         derive_uids (self, "milestone", SIBLINGS ("milestone"), "milestones", error) &&
         derive_uids (self, "risk", SIBLINGS ("risk"), "risks", error) &&
         derive_uids (self, "member", SIBLINGS ("member"), "team", error) &&
         derive_uids (self, "stakeholder_group", SIBLINGS ("stakeholder_group"), "stakeholder_groups", error) &&
         derive_uids (self, "sop_step", SIBLINGS ("sop_step"), "sop", error) &&
         derive_uids (self, "retro_item",
                      "SELECT t.id, p.uid, row_number () OVER (PARTITION BY t.retro_id ORDER BY t.position, t.id) - 1"
                      " FROM retro_item_all t JOIN retrospective_all r ON r.id = t.retro_id"
                      " JOIN project_all p ON p.id = r.project_id",
                      "retrospective.items", error) &&
         cancel_v2_calendar_entries (self, error);
#undef SIBLINGS
}

static const PgMigration migrations[] = {
  migrate_to_1,
  migrate_to_2,
  migrate_to_3,
};
G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == UPG_STORE_SCHEMA_VERSION);

static void pg_rollback (UpgBackend *backend);

/* The views of the live rows, for the tables of @version. */
static gboolean
create_views (UpgPg *self, int version, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = NULL;

      if (version < tables[i].since || version > tables[i].until)
        continue;
      sql = g_strdup_printf ("CREATE VIEW \"%s\" AS SELECT * FROM \"%s_all\" WHERE deleted IS NULL",
                             tables[i].table, tables[i].table);
      if (!exec (self, sql, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
drop_views (UpgPg *self, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP VIEW IF EXISTS \"%s\"", tables[i].table);
      if (!exec (self, sql, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
set_too_new (UpgPg *self, int version, GError **error)
{
  g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_TOO_NEW,
               _("The plan on “%s” was saved by a newer version of Upgrade Planner (schema version %d; this version reads up to %d); update Upgrade Planner to use it"),
               self->display_name, version, UPG_STORE_SCHEMA_VERSION);
  return FALSE;
}

/* The schema version stored (0: the database has no plan; -1: it holds
 * tables of another program). */
static gboolean
read_version (UpgPg *self, int *version, GError **error)
{
  g_autofree char *ours = query_text (self, "SELECT to_regclass ('upgrade_planner') IS NOT NULL", NULL, 0, error);
  g_autofree char *text = NULL;
  g_autofree char *others = NULL;

  if (ours == NULL)
    return FALSE;
  if (strcmp (ours, "t") != 0)
    {
      others = query_text (self, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                                 " WHERE n.nspname = current_schema () AND c.relkind IN ('r', 'v', 'p')",
                           NULL, 0, error);
      if (others == NULL)
        return FALSE;
      *version = strcmp (others, "0") == 0 ? 0 : -1;
      return TRUE;
    }
  text = query_text (self, "SELECT max (version) FROM upgrade_planner", NULL, 0, error);
  if (text == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                     _("“%s” is not an Upgrade Planner plan: its version table is empty"), self->display_name);
      return FALSE;
    }
  *version = (int) g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

/* Brings the schema up to @n_steps, one writer at a time. */
static gboolean
migrate (UpgPg *self, const PgMigration *steps, guint n_steps, GError **error)
{
  g_autofree char *set_version = g_strdup_printf ("UPDATE upgrade_planner SET version = %u", n_steps);
  int version = 0;

  if (!exec (self, "BEGIN", error))
    return FALSE;
  self->in_transaction = TRUE;
  /* Another program may be migrating it now: wait for it, then look again. */
  if (!exec (self, "SELECT pg_advisory_xact_lock (" MIGRATION_LOCK ")", error) ||
      !read_version (self, &version, error))
    goto failed;
  if (version > (int) n_steps)
    {
      set_too_new (self, version, error);
      goto failed;
    }
  if (version == (int) n_steps)
    {
      self->in_transaction = FALSE;
      return exec (self, "COMMIT", error);
    }
  if (version < 0)
    goto failed;
  if (!drop_views (self, error))
    goto failed;
  for (guint i = version; i < n_steps; i++)
    if (!steps[i] (self, error))
      goto failed;
  if (!create_views (self, n_steps, error) || !exec (self, set_version, error) ||
      !exec (self, "COMMIT", error))
    goto failed;
  self->in_transaction = FALSE;
  self->version = n_steps;
  return TRUE;

failed:
  pg_rollback (&self->parent);
  g_prefix_error (error, _("Could not update the plan on the server to version %u: "), n_steps);
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */

/* "SELECT id, position, <parent>, f1, …, extensions, row_version,
 * changed_by FROM <view> <where>" */
static char *
select_sql (const UpgEntity *entity, const char *where)
{
  GString *sql = g_string_new ("SELECT id, position, ");

  g_string_append (sql, entity->parent_column ? entity->parent_column : "id");
  for (guint i = 0; i < entity->n_fields; i++)
    g_string_append_printf (sql, ", \"%s\"", entity->fields[i].name);
  g_string_append_printf (sql, ", extensions, row_version, changed_by FROM \"%s\" %s", entity->table, where);
  return g_string_free (sql, FALSE);
}

typedef struct {
  const UpgEntity *entity;
  gint64           project_id;
  GPtrArray       *records;
} Select;

static gboolean
select_row_cb (UpgRow *row, gpointer data)
{
  Select *select = data;
  UpgRecord *record = upg_store_record_from_row (select->entity, row, select->project_id);
  int n = select->entity->n_fields + 4;

  upg_record_set_row_version (record, upg_row_get_int (row, n));
  upg_record_set_changed_by (record, upg_row_get_text (row, n + 1));
  g_ptr_array_add (select->records, record);
  return TRUE;
}

/* "{1,2,3}": a bigint[] parameter (many rows in one round trip). */
static char *
id_array (const gint64 *ids, guint n_ids)
{
  GString *text = g_string_new ("{");

  for (guint i = 0; i < n_ids; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", ids[i]);
  g_string_append_c (text, '}');
  return g_string_free (text, FALSE);
}

static gboolean
pg_select (UpgBackend       *backend,
           const UpgEntity  *entity,
           gint64            parent_id,
           const gint64     *ids,
           guint             n_ids,
           gint64            project_id,
           GPtrArray        *records,
           GError          **error)
{
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *array = NULL;
  Select select = { entity, project_id, records };
  UpgParam param = UPG_PARAM_INT (parent_id);

  if (n_ids == 1)
    {
      where = g_strdup ("WHERE id = ?1");
      param = UPG_PARAM_INT (ids[0]);
    }
  else if (n_ids > 1)
    {
      array = id_array (ids, n_ids);
      where = g_strdup ("WHERE id = ANY (?1::bigint[])");
      param = UPG_PARAM_TEXT (array);
    }
  else if (entity->parent_column != NULL)
    where = g_strdup_printf ("WHERE %s = ?1 ORDER BY position, id", entity->parent_column);
  else
    where = g_strdup ("ORDER BY position, id");
  sql = select_sql (entity, where);
  return pg_query (backend, sql, &param, (n_ids > 0 || entity->parent_column) ? 1 : 0,
                   select_row_cb, &select, error);
}

static gboolean
pg_select_under (UpgBackend       *backend,
                 const UpgEntity  *entity,
                 const gint64     *parent_ids,
                 guint             n_parents,
                 gint64            project_id,
                 GPtrArray        *records,
                 GError          **error)
{
  g_autofree char *array = NULL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  Select select = { entity, project_id, records };
  UpgParam param;

  g_return_val_if_fail (entity->parent_column != NULL, FALSE);
  if (n_parents == 0)
    return TRUE;
  array = id_array (parent_ids, n_parents);
  param = UPG_PARAM_TEXT (array);
  where = g_strdup_printf ("WHERE %s = ANY (?1::bigint[]) ORDER BY %s, position, id",
                           entity->parent_column, entity->parent_column);
  sql = select_sql (entity, where);
  return pg_query (backend, sql, &param, 1, select_row_cb, &select, error);
}

static gboolean
pg_insert (UpgBackend  *backend,
           UpgRecord   *record,
           gint64       id,
           gint64       parent_id,
           int          position,
           GError     **error)
{
  UpgPg *self = (UpgPg *) backend;
  const UpgEntity *entity = upg_record_get_entity (record);
  /* An identity column takes no NULL: name the id only when there is one. */
  g_autofree char *insert = upg_store_insert_sql (entity, id != 0);
  g_autofree char *sql = g_strconcat (insert, " RETURNING id, row_version", NULL);
  UpgParam params[64 + 4];
  PGresult *result;
  guint n;

  g_assert (entity->n_fields <= 64);
  n = upg_store_insert_params (record, id != 0, id, parent_id, position, params, self->scratch);
  result = run (self, sql, params, n, error);
  if (result == NULL)
    return FALSE;
  upg_record_set_id (record, g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10));
  upg_record_set_row_version (record, g_ascii_strtoll (PQgetvalue (result, 0, 1), NULL, 10));
  upg_record_set_changed_by (record, self->role);
  PQclear (result);
  return TRUE;
}

static gboolean
pg_update (UpgBackend  *backend,
           UpgRecord   *record,
           guint64      fields,
           gboolean     versioned,
           GError     **error)
{
  UpgPg *self = (UpgPg *) backend;
  const UpgEntity *entity = upg_record_get_entity (record);
  g_autofree char *update = upg_store_update_sql (entity, fields);
  g_autofree char *sql = NULL;
  UpgParam params[64 + 2];
  PGresult *result;
  guint n;

  n = upg_store_update_params (record, fields, params, self->scratch);
  if (versioned)
    {
      sql = g_strdup_printf ("%s AND row_version = ?%u RETURNING row_version, changed_by", update, n + 1);
      params[n++] = UPG_PARAM_INT (upg_record_get_row_version (record));
    }
  else
    sql = g_strconcat (update, " RETURNING row_version, changed_by", NULL);
  result = run (self, sql, params, n, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      PQclear (result);
      g_set_error_literal (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT,
                           _("Someone else changed it meanwhile"));
      return FALSE;
    }
  upg_record_set_row_version (record, g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10));
  upg_record_set_changed_by (record, PQgetvalue (result, 0, 1));
  PQclear (result);
  return TRUE;
}

static gboolean
pg_lock (UpgBackend  *backend,
         UpgRecord   *record,
         GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM \"%s_all\" WHERE id = ?1 FOR UPDATE",
                                          upg_record_get_entity (record)->table);
  UpgParam id = UPG_PARAM_INT (upg_record_get_id (record));

  return pg_query (backend, sql, &id, 1, NULL, NULL, error);
}

/* A deletion: its number in the table deletion, and the tables it
 * marked rows in, parents first. */
struct _UpgTombstone {
  gint64     deletion;
  GPtrArray *tables;
};

static void
pg_tombstone_free (UpgTombstone *tombstone)
{
  if (tombstone == NULL)
    return;
  g_ptr_array_unref (tombstone->tables);
  g_free (tombstone);
}

/* Marks the live rows of @table whose @column is one of @ids, and
 * everything under them. */
static gboolean
mark_rows (UpgPg *self, UpgTombstone *tombstone, const char *table, const char *column,
           GArray *ids, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE \"%s_all\" SET deleted = ?1"
                                          " WHERE \"%s\" = ANY (?2::bigint[]) AND deleted IS NULL RETURNING id",
                                          table, column);
  g_autofree char *array = id_array ((gint64 *) ids->data, ids->len);
  UpgParam params[2] = { UPG_PARAM_INT (tombstone->deletion), UPG_PARAM_TEXT (array) };
  g_autoptr(GArray) marked = g_array_new (FALSE, FALSE, sizeof (gint64));
  const UpgDependent *dependents;
  guint n_dependents;
  PGresult *result;

  result = run (self, sql, params, 2, error);
  if (result == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 id = g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10);
      g_array_append_val (marked, id);
    }
  PQclear (result);
  if (marked->len == 0)
    return TRUE;
  if (!g_ptr_array_find_with_equal_func (tombstone->tables, table, g_str_equal, NULL))
    g_ptr_array_add (tombstone->tables, g_strdup (table));

  dependents = upg_store_dependents (&n_dependents);
  for (guint d = 0; d < n_dependents; d++)
    if (strcmp (dependents[d].parent, table) == 0 &&
        !mark_rows (self, tombstone, dependents[d].child, dependents[d].column, marked, error))
      return FALSE;
  return TRUE;
}

/* Marks the rows (nobody sees them any more); restore () clears the mark. */
static gboolean
pg_remove (UpgBackend    *backend,
           UpgRecord     *record,
           UpgTombstone **tombstone,
           GError       **error)
{
  UpgPg *self = (UpgPg *) backend;
  const UpgEntity *entity = upg_record_get_entity (record);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  UpgTombstone *stone;
  g_autofree char *number = NULL;
  gint64 id = upg_record_get_id (record);

  /* Nothing to undo: the rows go for good (their ids may be taken again,
   * as import --replace does with a project's). */
  if (tombstone == NULL)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM \"%s_all\" WHERE id = ?1", entity->table);
      UpgParam param = UPG_PARAM_INT (id);
      return pg_query (backend, sql, &param, 1, NULL, NULL, error);
    }
  stone = g_new0 (UpgTombstone, 1);
  stone->tables = g_ptr_array_new_with_free_func (g_free);
  number = query_text (self, "INSERT INTO deletion DEFAULT VALUES RETURNING id", NULL, 0, error);
  if (number == NULL)
    {
      pg_tombstone_free (stone);
      return FALSE;
    }
  stone->deletion = g_ascii_strtoll (number, NULL, 10);
  g_array_append_val (ids, id);
  if (!mark_rows (self, stone, entity->table, "id", ids, error))
    {
      pg_tombstone_free (stone);
      return FALSE;
    }
  if (stone->tables->len == 0)
    {
      pg_tombstone_free (stone);
      g_set_error_literal (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT,
                           _("Someone else deleted it meanwhile"));
      return FALSE;
    }
  *tombstone = stone;
  return TRUE;
}

static gboolean
pg_restore (UpgBackend    *backend,
            UpgTombstone  *tombstone,
            GError       **error)
{
  UpgPg *self = (UpgPg *) backend;
  UpgParam deletion = UPG_PARAM_INT (tombstone->deletion);

  for (guint i = 0; i < tombstone->tables->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("UPDATE \"%s_all\" SET deleted = NULL WHERE deleted = ?1",
                                              (char *) tombstone->tables->pdata[i]);
      PGresult *result = run (self, sql, &deletion, 1, error);

      if (result == NULL)
        return FALSE;
      if (i == 0 && strcmp (PQcmdTuples (result), "0") == 0)
        {
          PQclear (result);
          g_set_error_literal (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONFLICT,
                               _("It can no longer be put back: it was removed from the server for good"));
          return FALSE;
        }
      PQclear (result);
    }
  return pg_query (backend, "DELETE FROM deletion WHERE id = ?1", &deletion, 1, NULL, NULL, error);
}

/* The siblings are locked (FOR UPDATE) while they are numbered again: a
 * second person's move waits, then reads the order this one left. */
static gboolean
pg_move (UpgBackend  *backend,
         UpgRecord   *record,
         gint64       after_id,
         GArray      *order,
         GError     **error)
{
  UpgPg *self = (UpgPg *) backend;
  const UpgEntity *entity = upg_record_get_entity (record);
  gint64 id = upg_record_get_id (record);
  g_autofree char *select = NULL;
  g_autofree char *update = g_strdup_printf ("UPDATE \"%s_all\" SET position = ?1 WHERE id = ?2", entity->table);
  UpgParam parent = UPG_PARAM_INT (upg_record_get_parent_id (record));
  PGresult *rows;
  guint at = 0;

  if (entity->parent_column != NULL)
    select = g_strdup_printf ("SELECT id, position FROM \"%s_all\" WHERE %s = ?1 AND deleted IS NULL"
                              " ORDER BY position, id FOR UPDATE", entity->table, entity->parent_column);
  else
    select = g_strdup_printf ("SELECT id, position FROM \"%s_all\" WHERE deleted IS NULL"
                              " ORDER BY position, id FOR UPDATE", entity->table);
  rows = run (self, select, &parent, entity->parent_column ? 1 : 0, error);
  if (rows == NULL)
    return FALSE;

  g_array_set_size (order, 0);
  for (int i = 0; i < PQntuples (rows); i++)
    {
      gint64 other = g_ascii_strtoll (PQgetvalue (rows, i, 0), NULL, 10);
      if (other == id)
        continue;
      g_array_append_val (order, other);
      if (other == after_id)
        at = order->len;
    }
  if (after_id != 0 && at == 0)
    at = order->len;
  g_array_insert_val (order, at, id);

  for (guint i = 0; i < order->len; i++)
    {
      gint64 row = g_array_index (order, gint64, i);
      UpgParam params[2] = { UPG_PARAM_INT (i), UPG_PARAM_INT (row) };
      gboolean same = FALSE;

      for (int r = 0; r < PQntuples (rows); r++)
        if (g_ascii_strtoll (PQgetvalue (rows, r, 0), NULL, 10) == row)
          same = g_ascii_strtoll (PQgetvalue (rows, r, 1), NULL, 10) == (gint64) i;
      if (!same && !pg_query (backend, update, params, 2, NULL, NULL, error))
        {
          PQclear (rows);
          return FALSE;
        }
    }
  PQclear (rows);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Watching, checking                                                  */

/* Reads the notifications libpq holds and reports those of other
 * connections. */
static void
dispatch_notifications (UpgPg *self)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, TRUE, sizeof (UpgChange));
  int own = PQbackendPID (self->conn);
  PGnotify *notify;

  while ((notify = PQnotifies (self->conn)) != NULL)
    {
      g_auto(GStrv) words = g_strsplit (notify->extra, " ", 4);
      UpgChange change = { 0 };

      if (notify->be_pid != own && g_strv_length (words) == 4 &&
          (change.entity = upg_store_entity_for_table (words[0])) != NULL)
        {
          change.kind = words[1][0] == 'i' ? UPG_CHANGE_INSERT
                      : words[1][0] == 'd' ? UPG_CHANGE_DELETE : UPG_CHANGE_UPDATE;
          change.id = g_ascii_strtoll (words[2], NULL, 10);
          change.parent_id = g_ascii_strtoll (words[3], NULL, 10);
          g_array_append_val (changes, change);
        }
      PQfreemem (notify);
    }
  if (changes->len > 0)
    upg_backend_report_changes (&self->parent, (UpgChange *) changes->data, changes->len);
}

static gboolean
socket_cb (int fd, GIOCondition condition, gpointer data)
{
  UpgPg *self = data;

  if (!PQconsumeInput (self->conn) || PQstatus (self->conn) != CONNECTION_OK)
    {
      /* The server went away: say so once (a change of everything); the
       * next use of the store connects again. */
      self->socket_id = 0;
      upg_backend_report_changes (&self->parent, NULL, 0);
      return G_SOURCE_REMOVE;
    }
  /* Not in the middle of a transaction of ours (its own queries read them). */
  if (PQtransactionStatus (self->conn) == PQTRANS_IDLE)
    dispatch_notifications (self);
  return G_SOURCE_CONTINUE;
}

static void
watch_socket (UpgPg *self)
{
  g_clear_handle_id (&self->socket_id, g_source_remove);
  if (PQsocket (self->conn) >= 0)
    self->socket_id = g_unix_fd_add (PQsocket (self->conn), G_IO_IN, socket_cb, self);
}

/* LISTEN: the server says at once what others changed (@interval_ms only
 * says whether to watch). */
static void
pg_watch (UpgBackend *backend,
          guint       interval_ms)
{
  UpgPg *self = (UpgPg *) backend;

  g_clear_handle_id (&self->socket_id, g_source_remove);
  if (interval_ms == 0)
    {
      if (self->listening)
        exec (self, "UNLISTEN " CHANNEL, NULL);
      self->listening = FALSE;
      return;
    }
  if (!self->listening && !exec (self, "LISTEN " CHANNEL, NULL))
    return;
  self->listening = TRUE;
  watch_socket (self);
}

static gboolean
pg_check (UpgBackend  *backend,
          char       **report,
          GError     **error)
{
  UpgPg *self = (UpgPg *) backend;
  int version = 0;

  /* The server keeps the keys and constraints; what it can be asked is
   * whether the plan's tables are there, at the version it says. */
  if (!read_version (self, &version, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *found = NULL;
      UpgParam name;

      if (version < tables[i].since || version > tables[i].until)
        continue;
      sql = g_strdup_printf ("%s_all", tables[i].table);
      name = UPG_PARAM_TEXT (sql);
      found = query_text (self, "SELECT to_regclass (?1) IS NOT NULL AND to_regclass (replace (?1, '_all', '')) IS NOT NULL",
                          &name, 1, error);
      if (found == NULL)
        return FALSE;
      if (strcmp (found, "t") != 0)
        {
          if (report)
            *report = g_strdup_printf ("table %s is missing", tables[i].table);
          g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CORRUPT,
                       _("The plan on “%s” is damaged: its table %s is missing"), self->display_name, tables[i].table);
          return FALSE;
        }
    }
  if (report)
    *report = g_strdup ("ok");
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Transactions and the rest                                           */

static gboolean
pg_begin (UpgBackend  *backend,
          GError     **error)
{
  UpgPg *self = (UpgPg *) backend;

  if (self->read_only)
    return set_read_only (self, error);
  if (!exec (self, "BEGIN", error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

static void
pg_rollback (UpgBackend *backend)
{
  UpgPg *self = (UpgPg *) backend;

  if (PQstatus (self->conn) == CONNECTION_OK && !self->broken &&
      PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    {
      PGresult *result = PQexec (self->conn, "ROLLBACK");
      PQclear (result);
    }
  self->in_transaction = FALSE;
}

static gboolean
pg_commit (UpgBackend  *backend,
           GError     **error)
{
  UpgPg *self = (UpgPg *) backend;

  /* A transaction an error ended only rolls back, whatever COMMIT says. */
  if (PQtransactionStatus (self->conn) == PQTRANS_INERROR)
    return set_pg_error (self, NULL, error);
  if (!exec (self, "COMMIT", error))
    return FALSE;
  self->in_transaction = FALSE;
  return TRUE;
}

static gboolean
pg_in_transaction (UpgBackend *backend)
{
  return ((UpgPg *) backend)->in_transaction;
}

static const char *
pg_get_path (UpgBackend *backend)
{
  return NULL;
}

static const char *
pg_get_display_name (UpgBackend *backend)
{
  return ((UpgPg *) backend)->display_name;
}

static gboolean
pg_is_read_only (UpgBackend *backend)
{
  return ((UpgPg *) backend)->read_only;
}

static int
pg_get_file_version (UpgBackend *backend)
{
  return ((UpgPg *) backend)->version;
}

static const char *
pg_get_role (UpgBackend *backend)
{
  return ((UpgPg *) backend)->role;
}

static void
pg_free (UpgBackend *backend)
{
  UpgPg *self = (UpgPg *) backend;

  g_clear_handle_id (&self->socket_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->scratch, g_ptr_array_unref);
  if (self->conn != NULL)
    PQfinish (self->conn);
  g_free (self->display_name);
  g_free (self->role);
  g_strfreev (self->conn_keys);
  g_strfreev (self->conn_values);
  g_free (self);
}

/* Keeps what the connection was made with, to make it again. */
static void
keep_conninfo (UpgPg *self)
{
  PQconninfoOption *options = PQconninfo (self->conn);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();

  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (o->val != NULL)
      {
        g_ptr_array_add (keys, g_strdup (o->keyword));
        g_ptr_array_add (values, g_strdup (o->val));
      }
  g_ptr_array_add (keys, NULL);
  g_ptr_array_add (values, NULL);
  self->conn_keys = (char **) g_ptr_array_free (g_steal_pointer (&keys), FALSE);
  self->conn_values = (char **) g_ptr_array_free (g_steal_pointer (&values), FALSE);
  PQconninfoFree (options);
}

char *
upg_pg_backend_dup_password (UpgBackend *backend)
{
  UpgPg *self = (UpgPg *) backend;

  for (guint i = 0; self->conn_keys != NULL && self->conn_keys[i] != NULL; i++)
    if (strcmp (self->conn_keys[i], "password") == 0)
      return g_strdup (self->conn_values[i]);
  return NULL;
}

static gpointer
pg_connect_again (UpgBackend  *backend,
                  GError     **error)
{
  UpgPg *self = (UpgPg *) backend;
  PGconn *conn = PQconnectdbParams ((const char * const *) self->conn_keys,
                                    (const char * const *) self->conn_values, 0);

  /* Set up here too, in the caller's thread: adopting it asks nothing of
   * the server. */
  if (PQstatus (conn) != CONNECTION_OK || !set_up_connection (conn, g_atomic_int_get (&self->listening)))
    {
      g_autofree char *why = first_line (PQerrorMessage (conn));
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION,
                   _("Could not connect to the team server “%s”: %s"), self->display_name, why);
      PQfinish (conn);
      return NULL;
    }
  return conn;
}

static void
pg_connection_free (gpointer connection)
{
  PQfinish (connection);
}

static gboolean
pg_adopt (UpgBackend  *backend,
          gpointer     connection,
          GError     **error)
{
  UpgPg *self = (UpgPg *) backend;

  g_clear_handle_id (&self->socket_id, g_source_remove);
  PQfinish (self->conn);
  self->conn = connection;
  self->in_transaction = FALSE;
  self->broken = FALSE;
  /* Prepared statements lived in the old session; the new one was set up
   * where it was made (pg_connect_again ()). */
  g_hash_table_remove_all (self->statements);
  if (self->listening)
    watch_socket (self);
  return TRUE;
}

static gboolean
pg_is_connected (UpgBackend  *backend,
                 GError     **error)
{
  UpgPg *self = (UpgPg *) backend;

  /* One that connects again on use is as good as up; without, this asks
   * the server nothing. */
  return self->parent.reconnect_on_use || ensure_connected (self, error);
}

static const UpgBackendVTable pg_vtable = {
  .name = "postgresql",
  .free = pg_free,
  .get_path = pg_get_path,
  .get_display_name = pg_get_display_name,
  .is_read_only = pg_is_read_only,
  .get_file_version = pg_get_file_version,
  .get_role = pg_get_role,
  .begin = pg_begin,
  .commit = pg_commit,
  .rollback = pg_rollback,
  .in_transaction = pg_in_transaction,
  .lock = pg_lock,
  .query = pg_query,
  .select = pg_select,
  .select_under = pg_select_under,
  .insert = pg_insert,
  .update = pg_update,
  .remove = pg_remove,
  .restore = pg_restore,
  .tombstone_free = pg_tombstone_free,
  .move = pg_move,
  .watch = pg_watch,
  .check = pg_check,
  .connect_again = pg_connect_again,
  .adopt = pg_adopt,
  .connection_free = pg_connection_free,
  .is_connected = pg_is_connected,
};

/* ------------------------------------------------------------------ */
/* Opening                                                             */

gboolean
upg_store_is_server_uri (const char *location)
{
  return location != NULL &&
         (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://"));
}

/* "database on host" from what libpq makes of @uri (never its password). */
static char *
display_name_of (PGconn *conn, const char *uri)
{
  PQconninfoOption *options;
  const char *db = NULL, *host = NULL;
  char *name;

  if (conn != NULL && PQdb (conn) != NULL)
    {
      db = PQdb (conn);
      host = PQhost (conn);
      return g_strdup_printf (_("%s on %s"), db, host && *host ? host : "localhost");
    }
  options = PQconninfoParse (uri, NULL);
  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    {
      if (strcmp (o->keyword, "dbname") == 0)
        db = o->val;
      else if (strcmp (o->keyword, "host") == 0)
        host = o->val;
    }
  if (db == NULL)
    db = g_getenv ("PGDATABASE");
  if (host == NULL)
    host = g_getenv ("PGHOST");
  name = g_strdup_printf (_("%s on %s"), db ? db : g_get_user_name (), host && *host ? host : "localhost");
  PQconninfoFree (options);
  return name;
}

/* Whether @uri carries a password (or cannot be read at all: then libpq
 * says why when connecting). */
static gboolean
has_password (const char *uri)
{
  PQconninfoOption *options = PQconninfoParse (uri, NULL);
  gboolean found = FALSE;

  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (strcmp (o->keyword, "password") == 0 && o->val != NULL && *o->val != '\0')
      found = TRUE;
  PQconninfoFree (options);
  return found;
}

gboolean
upg_store_uri_has_password (const char *uri)
{
  g_return_val_if_fail (uri != NULL, FALSE);
  return has_password (uri);
}

static gboolean
open_pg (UpgPg              *self,
         const char         *uri,
         const char         *password,
         UpgStoreOpenFlags   flags,
         GError            **error)
{
  /* The URI's own settings win over the defaults before it: libpq expands
   * the dbname given as a URI in place, and takes the last value of a key.
   * A password the caller has (the window's keyring) comes after it. */
  /* A server that stops answering is noticed within about 10 s, not the
   * kernel's 2 hours (a window waits on it): TCP keepalives and the
   * tcp_user_timeout bound a read or write on a dead connection. */
  const char *keys[] = { "connect_timeout", "fallback_application_name",
                         "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
                         "tcp_user_timeout", "dbname", "password", NULL };
  const char *values[] = { "10", "upgrade-planner", "1", "5", "2", "3", "10000", uri, password, NULL };
  g_autofree char *writable = NULL;
  int version = 0;

  if (has_password (uri))
    {
      self->display_name = display_name_of (NULL, uri);
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_CONNECTION,
                   _("The address of “%s” holds a password; give it through ~/.pgpass, PGPASSWORD or a service file instead (others can read a command line)"),
                   self->display_name);
      return FALSE;
    }
  if (password == NULL)
    keys[G_N_ELEMENTS (keys) - 2] = NULL;
  self->conn = PQconnectdbParams (keys, values, 1);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *why = first_line (PQerrorMessage (self->conn));
      /* The server asked for a password: none was at hand, or the one
       * given was used and refused. */
      gboolean password_asked = PQconnectionNeedsPassword (self->conn) || PQconnectionUsedPassword (self->conn);

      self->display_name = display_name_of (NULL, uri);
      if (PQconnectionNeedsPassword (self->conn))
        g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NEEDS_PASSWORD,
                     _("The team server “%s” asks for the password of the role “%s”; give it through ~/.pgpass, PGPASSWORD or a service file"),
                     self->display_name, PQuser (self->conn));
      else
        g_set_error (error, UPG_STORE_ERROR,
                     password_asked ? UPG_STORE_ERROR_NEEDS_PASSWORD : UPG_STORE_ERROR_CONNECTION,
                     _("Could not connect to the team server “%s”: %s"), self->display_name, why);
      return FALSE;
    }
  self->display_name = display_name_of (self->conn, uri);
  keep_conninfo (self);
  /* A window's store listens from the start: set up here (in the thread
   * that opens it), watching later asks the server nothing. */
  self->listening = (flags & UPG_STORE_OPEN_LISTEN) != 0;
  if (!set_up_session (self, error))
    return FALSE;
  self->role = query_text (self, "SELECT session_user", NULL, 0, error);
  if (self->role == NULL || !read_version (self, &version, error))
    return FALSE;

  if (version < 0)
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                   _("“%s” holds tables of another program, not an Upgrade Planner plan; give an empty database or one with a plan"),
                   self->display_name);
      return FALSE;
    }
  if (version > UPG_STORE_SCHEMA_VERSION)
    return set_too_new (self, version, error);
  if (version == 0 && !(flags & UPG_STORE_OPEN_CREATE))
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_NOT_A_PLAN,
                   _("“%s” has no plan yet; import one first (upgrade-planner import --db URI PLAN.json)"),
                   self->display_name);
      return FALSE;
    }
  if (version < UPG_STORE_SCHEMA_VERSION && (flags & UPG_STORE_OPEN_READ_ONLY))
    {
      g_set_error (error, UPG_STORE_ERROR, UPG_STORE_ERROR_READ_ONLY,
                   _("The plan on “%s” has schema version %d and this version of Upgrade Planner needs %d; open it once for editing (in the window, or import) to update it"),
                   self->display_name, version, UPG_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  self->version = version;
  if (version < (int) self->n_steps && !migrate (self, migrations, self->n_steps, error))
    return FALSE;

  writable = query_text (self, "SELECT has_table_privilege ('project', 'INSERT, UPDATE')"
                               " AND has_table_privilege ('project_all', 'UPDATE')", NULL, 0, error);
  if (writable == NULL)
    return FALSE;
  self->read_only = strcmp (writable, "t") != 0 || (flags & UPG_STORE_OPEN_READ_ONLY) != 0;

  /* What was deleted long ago can no longer be undone: remove it (once
   * a store opens, not again for each of its other connections, which a
   * lock on a table would hold up). */
  if (!self->read_only && !(flags & UPG_STORE_OPEN_TWIN))
    {
      for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
        {
          g_autofree char *sql = NULL;

          if (self->version < tables[i].since || self->version > tables[i].until)
            continue;
          sql = g_strdup_printf ("DELETE FROM \"%s_all\" WHERE deleted IN"
                                 " (SELECT id FROM deletion WHERE at < now () - " PURGE_AFTER ")",
                                 tables[i].table);
          if (!exec (self, sql, error))
            return FALSE;
        }
      if (!exec (self, "DELETE FROM deletion WHERE at < now () - " PURGE_AFTER, error))
        return FALSE;
    }
  return TRUE;
}

UpgBackend *
upg_pg_backend_open (const char          *uri,
                     const char          *password,
                     UpgStoreOpenFlags    flags,
                     GError             **error)
{
  return upg_pg_backend_open_at (uri, password, flags, G_N_ELEMENTS (migrations), error);
}

UpgBackend *
upg_pg_backend_open_at (const char          *uri,
                        const char          *password,
                        UpgStoreOpenFlags    flags,
                        guint                n_steps,
                        GError             **error)
{
  UpgPg *self;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (n_steps >= 1 && n_steps <= G_N_ELEMENTS (migrations), NULL);

  self = g_new0 (UpgPg, 1);
  self->n_steps = n_steps;
  self->parent.vt = &pg_vtable;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->scratch = g_ptr_array_new_with_free_func (g_free);
  if (!open_pg (self, uri, password, flags, error))
    {
      pg_free (&self->parent);
      return NULL;
    }
  return &self->parent;
}

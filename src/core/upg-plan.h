/* upg-plan.h — the JSON plan format (PLAN-FORMAT.md): import and export. */
#pragma once

#include "upg-store.h"

G_BEGIN_DECLS

#define UPG_PLAN_ERROR (upg_plan_error_quark ())

typedef enum {
  UPG_PLAN_ERROR_INVALID_JSON,   /* not JSON at all */
  UPG_PLAN_ERROR_NOT_A_PLAN,     /* JSON, but not a plan document */
  UPG_PLAN_ERROR_TOO_NEW,        /* a plan format version this build does not know */
  UPG_PLAN_ERROR_INVALID,        /* a plan with an invalid value; the message names its path */
  UPG_PLAN_ERROR_EXISTS,         /* a project with the same uid is in the file (see REPLACE) */
} UpgPlanError;

typedef enum {
  UPG_PLAN_IMPORT_DEFAULT = 0,
  /* A project whose uid is already in the file replaces it (at its place,
   * in the same transaction) instead of refusing the document. */
  UPG_PLAN_IMPORT_REPLACE = 1 << 0,
} UpgPlanImportFlags;

#define UPG_PLAN_FORMAT_VERSION 3
/* The most one "extensions" object may take when exported. */
#define UPG_PLAN_MAX_EXTENSIONS_SIZE (4 * 1024 * 1024)

GQuark     upg_plan_error_quark  (void);

/* Checks the whole document, then adds its projects to @store in one
 * transaction. @new_ids (optional) receives the new projects' ids (gint64).
 * On error nothing is written. */
gboolean   upg_plan_import       (UpgStore    *store,
                                  const char  *data,
                                  gssize       length,
                                  GArray     **new_ids,
                                  GError     **error);
gboolean   upg_plan_import_file  (UpgStore    *store,
                                  GFile       *file,
                                  GArray     **new_ids,
                                  GError     **error);

/* Parses and checks a document without writing it: the projects it holds,
 * as UpgProject records with their children, not yet in any file. */
GPtrArray *upg_plan_parse        (const char  *data,
                                  gssize       length,
                                  char       **extensions,
                                  GError     **error);

/* Adds projects from upg_plan_parse() to @store in one transaction. */
gboolean   upg_plan_insert       (UpgStore    *store,
                                  GPtrArray   *projects,
                                  const char  *extensions,
                                  UpgPlanImportFlags flags,
                                  GArray     **new_ids,
                                  GError     **error);
/* upg_plan_import() with @flags. */
gboolean   upg_plan_import_with_flags (UpgStore           *store,
                                       const char         *data,
                                       gssize              length,
                                       UpgPlanImportFlags  flags,
                                       GArray            **new_ids,
                                       GError            **error);

/* The plan document for one project (@project_id) or, with 0, all of them. */
/* Whether every value an export reads from the store is one import would
 * take (each field of each record as upg_field_check_value () checks it,
 * the addresses among them, and the extensions of every record and of the
 * document): a file changed by other means is checked again before any
 * export (upg_export_run ()) and by check. The error names the path of the
 * first that is not. @project_id 0: all projects and the document. */
gboolean   upg_plan_check_stored (UpgStore    *store,
                                  gint64       project_id,
                                  GError     **error);
char      *upg_plan_export       (UpgStore    *store,
                                  gint64       project_id,
                                  GError     **error);
/* upg_plan_check_stored () and then upg_plan_export (), in one pass over
 * the file (each project's rows are read once): the same document, or the
 * same error. */
char      *upg_plan_export_checked (UpgStore  *store,
                                    gint64     project_id,
                                    GError   **error);

/* JSON string literal for @text, as the plan format writes it. */
void       upg_json_append_string (GString    *out,
                                   const char *text);

G_END_DECLS

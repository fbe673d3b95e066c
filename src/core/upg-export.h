/* upg-export.h — every file the app writes, by kind and format.
 *
 * One table serves the command line (`export KIND --format FMT`) and the
 * window's Export actions, so a file is made by the same code either way.
 */
#pragma once

#include "upg-csv.h"
#include "upg-store.h"

G_BEGIN_DECLS

#define UPG_EXPORT_ERROR (upg_export_error_quark ())

typedef enum {
  UPG_EXPORT_ERROR_UNKNOWN_KIND,
  UPG_EXPORT_ERROR_UNKNOWN_FORMAT,
  UPG_EXPORT_ERROR_NEEDS_PROJECT,
  UPG_EXPORT_ERROR_FAILED,
} UpgExportError;

typedef struct {
  const char *format;         /* one of the kind's formats */
  const char *template_name;  /* email: which template */
  const char *paper;          /* pdf: "a4" or "letter" */
  const char *group;          /* email: one stakeholder group (NULL: all that hear) */
  gboolean    force;          /* email: send although the draft's checks fail */
  UpgCsvForm  csv_form;       /* csv: for spreadsheets (the default) or programs */
} UpgExportOptions;

typedef GBytes *(*UpgExportFunc) (UpgStore                *store,
                                  gint64                   project_id,
                                  const UpgExportOptions  *options,
                                  GError                 **error);

typedef struct {
  const char          *kind;          /* "plan", "sop", … */
  const char * const  *formats;       /* the first is the default */
  gboolean             needs_project; /* --project is required */
  UpgExportFunc        func;
} UpgExportKind;

GQuark               upg_export_error_quark (void);
const UpgExportKind *upg_export_lookup      (const char *kind);
const UpgExportKind *upg_export_kinds       (guint      *n_kinds);

GBytes              *upg_export_run         (UpgStore                *store,
                                             const char              *kind,
                                             gint64                   project_id,
                                             const UpgExportOptions  *options,
                                             GError                 **error);

/* The file name extension for a format ("md" → ".md", "txt" → ".txt"). */
const char          *upg_export_suffix      (const char *format);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-csv.h — CSV files (RFC 4180, CRLF) in one of two forms.
 *
 * - The spreadsheet form (the default): UTF-8 with a byte order mark, so
 *   LibreOffice Calc and Excel open it right when it is double-clicked,
 *   with column names and values in the user's language ("Data migration",
 *   "Yes").
 * - The machine form (`--machine-csv`, the export dialog's "For other
 *   programs"): no byte order mark, the plan format's words ("data_migration",
 *   "true") and English column names, the same in every language.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  UPG_CSV_SPREADSHEET,
  UPG_CSV_MACHINE,
} UpgCsvForm;

typedef struct {
  GString    *out;
  UpgCsvForm  form;
  guint       column;   /* cells in the current row so far */
} UpgCsv;

#define UPG_CSV_BOM "\xef\xbb\xbf"

/* Starts a file (the spreadsheet form writes the byte order mark). */
void    upg_csv_init      (UpgCsv             *csv,
                           UpgCsvForm          form);
/* A column name: @word in the machine form, _(@label) in the spreadsheet
 * form (@label is marked with N_()). */
void    upg_csv_column    (UpgCsv             *csv,
                           const char         *word,
                           const char         *label);
/* A cell of user text (NULL: empty), escaped. */
void    upg_csv_text      (UpgCsv             *csv,
                           const char         *text);
/* An enumeration word of @values (an upg_* table of upg-fields.h): the word,
 * or its label in the spreadsheet form. */
void    upg_csv_word      (UpgCsv             *csv,
                           const char * const *values,
                           const char         *word);
/* A word and its label given apart (words of no table: risk levels). */
void    upg_csv_labelled  (UpgCsv             *csv,
                           const char         *word,
                           const char         *label);
/* "true"/"false", or "Yes"/"No" in the user's language. */
void    upg_csv_bool      (UpgCsv             *csv,
                           gboolean            value);
/* A number as it is (no quotes, so a spreadsheet reads a number). */
void    upg_csv_int       (UpgCsv             *csv,
                           int                 value);
/* An empty cell. */
void    upg_csv_empty     (UpgCsv             *csv);
void    upg_csv_end_row   (UpgCsv             *csv);
/* The file; @csv is empty afterwards. */
GBytes *upg_csv_finish    (UpgCsv             *csv);
char   *upg_csv_finish_string (UpgCsv         *csv);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-csv.c — CSV files in the spreadsheet or the machine form. */
#define G_LOG_DOMAIN "upg-csv"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "upg-csv.h"
#include "upg-escape.h"
#include "upg-labels.h"

void
upg_csv_init (UpgCsv     *csv,
              UpgCsvForm  form)
{
  g_return_if_fail (csv != NULL);

  csv->out = g_string_new (form == UPG_CSV_SPREADSHEET ? UPG_CSV_BOM : "");
  csv->form = form;
  csv->column = 0;
}

static void
separate (UpgCsv *csv)
{
  if (csv->column++ > 0)
    g_string_append_c (csv->out, ',');
}

void
upg_csv_column (UpgCsv     *csv,
                const char *word,
                const char *label)
{
  upg_csv_text (csv, csv->form == UPG_CSV_MACHINE ? word : _(label));
}

void
upg_csv_text (UpgCsv     *csv,
              const char *text)
{
  separate (csv);
  upg_append_csv (csv->out, text);
}

void
upg_csv_word (UpgCsv             *csv,
              const char * const *values,
              const char         *word)
{
  if (word == NULL || csv->form == UPG_CSV_MACHINE)
    upg_csv_text (csv, word);
  else
    upg_csv_text (csv, upg_enum_label (values, word));
}

void
upg_csv_labelled (UpgCsv     *csv,
                  const char *word,
                  const char *label)
{
  upg_csv_text (csv, csv->form == UPG_CSV_MACHINE ? word : label);
}

void
upg_csv_bool (UpgCsv   *csv,
              gboolean  value)
{
  if (csv->form == UPG_CSV_MACHINE)
    upg_csv_text (csv, value ? "true" : "false");
  else
    upg_csv_text (csv, value ? _("Yes") : _("No"));
}

void
upg_csv_int (UpgCsv *csv,
             int     value)
{
  separate (csv);
  g_string_append_printf (csv->out, "%d", value);
}

void
upg_csv_empty (UpgCsv *csv)
{
  separate (csv);
}

void
upg_csv_end_row (UpgCsv *csv)
{
  g_string_append (csv->out, "\r\n");
  csv->column = 0;
}

GBytes *
upg_csv_finish (UpgCsv *csv)
{
  return g_string_free_to_bytes (g_steal_pointer (&csv->out));
}

char *
upg_csv_finish_string (UpgCsv *csv)
{
  return g_string_free (g_steal_pointer (&csv->out), FALSE);
}

/* upg-export-retro.c — the retrospective held against the plan, in every
 * format it leaves the app in. */
#define G_LOG_DOMAIN "upg-export"
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-escape.h"
#include "upg-export-retro.h"
#include "upg-labels.h"
#include "upg-retro.h"

/* ---- The document every format shows (plain text; escaped when written) -- */

typedef UpgRetroRow Row;
#define row_free upg_retro_row_free
#define row_new(a, b, c, d) upg_retro_row_new (a, b, c, d)

typedef struct {
  UpgStore  *store;
  UpgRecord *project;
  UpgRecord *retro;
  char      *title;
  GPtrArray *facts;        /* Row: label, value */
  GPtrArray *compare;      /* Row: what, planned, actual, difference */
  GPtrArray *milestones;   /* Row: title, due, done, slip */
  GPtrArray *gray;         /* Row: stage, planned, as it happened */
  GPtrArray *items[4];     /* UpgRecord refs, by kind (went_well … action) */
} Retro;

static void
retro_clear (Retro *r)
{
  g_clear_object (&r->project);
  g_clear_object (&r->retro);
  g_clear_pointer (&r->title, g_free);
  g_clear_pointer (&r->facts, g_ptr_array_unref);
  g_clear_pointer (&r->compare, g_ptr_array_unref);
  g_clear_pointer (&r->milestones, g_ptr_array_unref);
  g_clear_pointer (&r->gray, g_ptr_array_unref);
  for (guint i = 0; i < 4; i++)
    g_clear_pointer (&r->items[i], g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Retro, retro_clear)

static const char *
str (UpgRecord *record, guint field)
{
  const char *s = upg_record_get_string (record, field);
  return s ? s : "";
}

static const char *
or_dash (const char *s)
{
  return s && *s ? s : "—";
}


static gboolean
retro_init (Retro      *r,
            UpgStore   *store,
            UpgProject *project,
            GError    **error)
{
  GListModel *items;

  memset (r, 0, sizeof *r);
  r->store = store;
  r->project = g_object_ref (UPG_RECORD (project));
  if (!upg_record_children_loaded (r->project) && !upg_store_load_children (store, r->project, error))
    return FALSE;
  if (upg_project_get_retro (project) == NULL)
    {
      g_set_error (error, UPG_RETRO_ERROR, UPG_RETRO_ERROR_NONE,
                   _("“%s” has no retrospective yet"), upg_project_get_name (project));
      return FALSE;
    }
  r->retro = g_object_ref (upg_project_get_retro (project));
  if (upg_record_get_children (r->retro, &upg_entity_retro_item) == NULL &&
      !upg_store_load_children (store, r->retro, error))
    return FALSE;

  /* Translators: the title of an exported retrospective; %s is the project */
  r->title = g_strdup_printf (_("Retrospective: %s"), upg_project_get_name (project));
  r->facts = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  r->compare = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  r->milestones = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  r->gray = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);

  {
    g_autofree char *incidents = g_strdup_printf ("%d", upg_record_get_int (r->retro, UPG_RETRO_INCIDENTS));
    g_ptr_array_add (r->facts, row_new (_("Held on"), or_dash (upg_record_get_string (r->retro, UPG_RETRO_HELD_ON)), NULL, NULL));
    g_ptr_array_add (r->facts, row_new (_("Facilitator"), or_dash (upg_record_get_string (r->retro, UPG_RETRO_FACILITATOR)), NULL, NULL));
    g_ptr_array_add (r->facts, row_new (_("Incidents"), incidents, NULL, NULL));
    g_ptr_array_add (r->facts, row_new (_("Root cause"), or_dash (upg_record_get_string (r->retro, UPG_RETRO_ROOT_CAUSE)), NULL, NULL));
    g_ptr_array_add (r->facts, row_new (_("Detection"), or_dash (upg_record_get_string (r->retro, UPG_RETRO_DETECTION)), NULL, NULL));
  }
  g_ptr_array_extend_and_steal (r->compare, upg_retro_compare (r->project, r->retro));
  g_ptr_array_extend_and_steal (r->milestones, upg_retro_milestone_rows (r->project));
  g_ptr_array_extend_and_steal (r->gray, upg_retro_gray_rows (r->project, r->retro));

  for (guint k = 0; k < 4; k++)
    r->items[k] = g_ptr_array_new_with_free_func (g_object_unref);
  items = upg_record_get_children (r->retro, &upg_entity_retro_item);
  for (guint i = 0, n = g_list_model_get_n_items (items); i < n; i++)
    {
      UpgRecord *item = g_list_model_get_item (items, i);
      int k = upg_enum_index (upg_retro_item_kinds, upg_record_get_string (item, UPG_RETRO_ITEM_KIND));
      if (k < 0 || k > 3)
        {
          g_object_unref (item);
          continue;
        }
      g_ptr_array_add (r->items[k], item);
    }
  return TRUE;
}

static const char *
kind_heading (guint k)
{
  switch (k)
    {
    case 0: return _("Went well");
    case 1: return _("Went wrong");
    case 2: return _("Lessons");
    default: return _("Actions");
    }
}

/* "Carried to “Shop 3.0”" or NULL. */
static char *
carried_text (Retro *r, UpgRecord *item)
{
  const char *uid = upg_record_get_string (item, UPG_RETRO_ITEM_CARRIED_TO);
  g_autoptr(UpgProject) target = NULL;

  if (uid == NULL || *uid == '\0')
    return NULL;
  target = upg_store_find_project_by_uid (r->store, uid);
  /* Translators: an action carried into another project's checklist */
  return g_strdup_printf (_("carried to “%s”"), target ? upg_project_get_name (target) : uid);
}

/* ---- Markdown ------------------------------------------------------------ */

static void
md (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_md (out, clean);
}

/* A table cell: its line breaks become spaces (a row is one line). */
static void
md_cell (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_md_cell (out, clean);
}

static void
md_heading (GString *out, guint level, const char *text)
{
  for (guint i = 0; i < level; i++)
    g_string_append_c (out, '#');
  g_string_append_c (out, ' ');
  {
    /* One line: a CR or LF in a name does not end the heading. */
    g_autofree char *clean = upg_text_sanitize (text);
    upg_append_md_heading (out, clean);
  }
  g_string_append (out, "\n\n");
}

static void
md_table (GString *out, const char * const *head, guint n, GPtrArray *rows)
{
  g_string_append (out, "|");
  for (guint i = 0; i < n; i++)
    {
      g_string_append_c (out, ' ');
      md_cell (out, head[i]);
      g_string_append (out, " |");
    }
  g_string_append (out, "\n|");
  for (guint i = 0; i < n; i++)
    g_string_append (out, "---|");
  g_string_append_c (out, '\n');
  for (guint r = 0; r < rows->len; r++)
    {
      Row *row = rows->pdata[r];
      const char *cells[4] = { row->what, row->planned, row->actual, row->difference };
      g_string_append (out, "|");
      for (guint i = 0; i < n; i++)
        {
          g_string_append_c (out, ' ');
          md_cell (out, cells[i]);
          g_string_append (out, " |");
        }
      g_string_append_c (out, '\n');
    }
  g_string_append_c (out, '\n');
}

static void
retro_md (Retro *r, guint level, GString *out, gboolean with_title)
{
  const char *summary = upg_record_get_string (r->retro, UPG_RETRO_SUMMARY);

  if (with_title)
    md_heading (out, level, r->title);
  else
    level--;
  for (guint i = 0; i < r->facts->len; i++)
    {
      Row *row = r->facts->pdata[i];
      g_string_append (out, "- **");
      md (out, row->what);
      g_string_append (out, ":** ");
      md (out, row->planned);
      g_string_append_c (out, '\n');
    }
  g_string_append_c (out, '\n');

  md_heading (out, level + 1, _("Planned and actual"));
  {
    const char *head[] = { "", _("Planned"), _("Actual"), _("Difference") };
    md_table (out, head, 4, r->compare);
  }
  if (r->milestones->len > 0)
    {
      const char *head[] = { _("Milestone"), _("Due"), _("Done"), _("Slip") };
      md_heading (out, level + 1, _("Milestones"));
      md_table (out, head, 4, r->milestones);
    }
  if (r->gray->len > 0)
    {
      const char *head[] = { _("Stage"), _("Planned"), _("As it happened") };
      md_heading (out, level + 1, _("Gray release"));
      md_table (out, head, 3, r->gray);
    }

  md_heading (out, level + 1, _("Summary"));
  if (summary && *summary)
    {
      md (out, summary);
      g_string_append (out, "\n\n");
    }
  else
    {
      g_string_append (out, "_");
      md (out, _("No summary yet."));
      g_string_append (out, "_\n\n");
    }

  for (guint k = 0; k < 4; k++)
    {
      GPtrArray *items = r->items[k];

      md_heading (out, level + 1, kind_heading (k));
      if (items->len == 0)
        {
          g_string_append (out, "_");
          md (out, _("None."));
          g_string_append (out, "_\n\n");
          continue;
        }
      for (guint i = 0; i < items->len; i++)
        {
          UpgRecord *item = items->pdata[i];
          const char *owner = upg_record_get_string (item, UPG_RETRO_ITEM_OWNER);
          const char *due = upg_record_get_string (item, UPG_RETRO_ITEM_DUE);
          const char *ticket = upg_record_get_string (item, UPG_RETRO_ITEM_TICKET);
          g_autofree char *carried = carried_text (r, item);
          g_autoptr(GString) meta = g_string_new (NULL);

          if (k == 3)
            g_string_append (out, upg_record_get_bool (item, UPG_RETRO_ITEM_DONE) ? "- [x] " : "- [ ] ");
          else
            g_string_append (out, "- ");
          md (out, upg_record_get_string (item, UPG_RETRO_ITEM_TEXT));
          if (owner && *owner)
            g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", owner);
          if (due && *due)
            {
              g_autofree char *d = g_strdup_printf (_("due %s"), due);
              g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", d);
            }
          if (ticket && *ticket)
            g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", ticket);
          if (carried)
            g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", carried);
          if (meta->len)
            {
              g_string_append (out, " — _");
              md (out, meta->str);
              g_string_append (out, "_");
            }
          g_string_append_c (out, '\n');
        }
      g_string_append_c (out, '\n');
    }
}

gboolean
upg_retro_append_md (UpgStore   *store,
                     UpgProject *project,
                     guint       level,
                     GString    *out,
                     GError    **error)
{
  g_auto(Retro) r = { 0 };

  if (!retro_init (&r, store, project, error))
    return FALSE;
  g_free (r.title);
  r.title = g_strdup (_("Retrospective"));
  retro_md (&r, level, out, TRUE);
  return TRUE;
}

/* ---- HTML ---------------------------------------------------------------- */

static const char report_style[] =
  ":root{color-scheme:light;--fg:#241f31;--dim:#5e5c64;--line:#deddda;--accent:#1c71d8;"
  "--good:#26a269;--bad:#c01c28;--warn:#cd9309;}\n"
  "*{box-sizing:border-box;}\n"
  "body{font-family:Cantarell,'Noto Sans','DejaVu Sans','Noto Sans CJK SC',sans-serif;"
  "color:var(--fg);background:#fff;max-width:56rem;margin:2rem auto;padding:0 1.5rem;"
  "line-height:1.45;font-size:11pt;}\n"
  "h1{font-size:1.6rem;margin:0 0 .8rem;overflow-wrap:anywhere;}\n"
  "h2{font-size:1.2rem;margin:1.8rem 0 .5rem;padding-bottom:.25rem;border-bottom:1px solid var(--line);break-after:avoid;}\n"
  "h3{font-size:1.02rem;margin:1.3rem 0 .4rem;break-after:avoid;}\n"
  "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1.2rem;margin:0;}\n"
  "dl.facts dt{font-weight:bold;}\n"
  "dl.facts dd{margin:0;overflow-wrap:anywhere;white-space:pre-wrap;}\n"
  "table{border-collapse:collapse;width:100%;margin:.3rem 0 .6rem;font-variant-numeric:tabular-nums;}\n"
  "th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top;"
  "overflow-wrap:break-word;white-space:pre-wrap;}\n"
  "th{font-weight:bold;color:var(--dim);font-size:.9rem;}\n"
  "p.summary{white-space:pre-wrap;overflow-wrap:anywhere;}\n"
  "p.empty{color:var(--dim);font-style:italic;margin:.3rem 0;}\n"
  "ul.items{padding-left:1.2rem;margin:.2rem 0;}\n"
  "ul.items li{margin:.2rem 0;overflow-wrap:anywhere;white-space:pre-wrap;}\n"
  "ul.actions{list-style:none;padding-left:0;}\n"
  ".meta{color:var(--dim);font-size:.9rem;}\n"
  ".done{color:var(--good);font-weight:bold;}\n"
  ".late{color:var(--bad);font-weight:bold;}\n"
  "figure{margin:.6rem 0;}\n"
  "figure svg{max-width:100%;height:auto;}\n"
  "figcaption{color:var(--dim);font-size:.85rem;}\n"
  "@media print{body{margin:0;max-width:none;padding:0;font-size:10pt;}"
  "*{-webkit-print-color-adjust:exact;print-color-adjust:exact;}}\n";

const char *
upg_report_html_style (void)
{
  return report_style;
}

static void
html (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_html (out, clean);
}

/* A table cell's text: words whole, long tokens breakable. */
static void
html_cell (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_html_cell (out, clean);
}

static void
html_heading (GString *out, guint level, const char *text)
{
  g_string_append_printf (out, "<h%u>", MIN (level, 6));
  html (out, text);
  g_string_append_printf (out, "</h%u>\n", MIN (level, 6));
}

static void
html_table (GString *out, const char * const *head, guint n, GPtrArray *rows)
{
  g_string_append (out, "<table>\n<thead><tr>");
  for (guint i = 0; i < n; i++)
    {
      g_string_append (out, "<th scope=\"col\">");
      html_cell (out, head[i]);
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr></thead>\n<tbody>\n");
  for (guint r = 0; r < rows->len; r++)
    {
      Row *row = rows->pdata[r];
      const char *cells[4] = { row->what, row->planned, row->actual, row->difference };
      g_string_append (out, "<tr>");
      for (guint i = 0; i < n; i++)
        {
          g_string_append (out, i == 0 ? "<th scope=\"row\">" : "<td>");
          html_cell (out, cells[i]);
          g_string_append (out, i == 0 ? "</th>" : "</td>");
        }
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody>\n</table>\n");
}

static void
retro_html (Retro *r, guint level, GString *out, const char *title)
{
  const char *summary = upg_record_get_string (r->retro, UPG_RETRO_SUMMARY);

  html_heading (out, level, title);
  g_string_append (out, "<dl class=\"facts\">\n");
  for (guint i = 0; i < r->facts->len; i++)
    {
      Row *row = r->facts->pdata[i];
      g_string_append (out, "<dt>");
      html (out, row->what);
      g_string_append (out, "</dt><dd>");
      html (out, row->planned);
      g_string_append (out, "</dd>\n");
    }
  g_string_append (out, "</dl>\n");

  html_heading (out, level + 1, _("Planned and actual"));
  {
    const char *head[] = { "", _("Planned"), _("Actual"), _("Difference") };
    html_table (out, head, 4, r->compare);
  }
  if (r->milestones->len > 0)
    {
      const char *head[] = { _("Milestone"), _("Due"), _("Done"), _("Slip") };
      html_heading (out, level + 1, _("Milestones"));
      html_table (out, head, 4, r->milestones);
    }
  if (r->gray->len > 0)
    {
      const char *head[] = { _("Stage"), _("Planned"), _("As it happened") };
      html_heading (out, level + 1, _("Gray release"));
      html_table (out, head, 3, r->gray);
    }
  html_heading (out, level + 1, _("Summary"));
  if (summary && *summary)
    {
      g_string_append (out, "<p class=\"summary\">");
      html (out, summary);
      g_string_append (out, "</p>\n");
    }
  else
    {
      g_string_append (out, "<p class=\"empty\">");
      html (out, _("No summary yet."));
      g_string_append (out, "</p>\n");
    }

  for (guint k = 0; k < 4; k++)
    {
      GPtrArray *items = r->items[k];

      html_heading (out, level + 1, kind_heading (k));
      if (items->len == 0)
        {
          g_string_append (out, "<p class=\"empty\">");
          html (out, _("None."));
          g_string_append (out, "</p>\n");
          continue;
        }
      g_string_append_printf (out, "<ul class=\"items%s\">\n", k == 3 ? " actions" : "");
      for (guint i = 0; i < items->len; i++)
        {
          UpgRecord *item = items->pdata[i];
          const char *owner = upg_record_get_string (item, UPG_RETRO_ITEM_OWNER);
          const char *due = upg_record_get_string (item, UPG_RETRO_ITEM_DUE);
          const char *ticket = upg_record_get_string (item, UPG_RETRO_ITEM_TICKET);
          g_autofree char *carried = carried_text (r, item);
          g_autoptr(GString) meta = g_string_new (NULL);

          g_string_append (out, "<li>");
          if (k == 3)
            {
              gboolean done = upg_record_get_bool (item, UPG_RETRO_ITEM_DONE);
              g_string_append (out, done ? "<span class=\"done\">☑ " : "<span>☐ ");
              html (out, done ? _("Done") : _("Open"));
              g_string_append (out, "</span> ");
            }
          html (out, upg_record_get_string (item, UPG_RETRO_ITEM_TEXT));
          if (owner && *owner)
            g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", owner);
          if (due && *due)
            {
              g_autofree char *d = g_strdup_printf (_("due %s"), due);
              g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", d);
            }
          if (ticket && *ticket)
            g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", ticket);
          if (carried)
            g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", carried);
          if (meta->len)
            {
              g_string_append (out, " <span class=\"meta\">— ");
              html (out, meta->str);
              g_string_append (out, "</span>");
            }
          g_string_append (out, "</li>\n");
        }
      g_string_append (out, "</ul>\n");
    }
}

gboolean
upg_retro_append_html (UpgStore   *store,
                       UpgProject *project,
                       guint       level,
                       GString    *out,
                       GError    **error)
{
  g_auto(Retro) r = { 0 };

  if (!retro_init (&r, store, project, error))
    return FALSE;
  g_string_append (out, "<section class=\"retro\">\n");
  retro_html (&r, level, out, _("Retrospective"));
  g_string_append (out, "</section>\n");
  return TRUE;
}

static GBytes *
to_html (Retro *r)
{
  GString *out = g_string_new (NULL);

  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"");
  html (out, C_("HTML lang", "en"));
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\" />\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
                        "<meta name=\"generator\" content=\"Upgrade Planner\" />\n<title>");
  html (out, r->title);
  g_string_append_printf (out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", report_style);
  retro_html (r, 1, out, r->title);
  g_string_append (out, "</body>\n</html>\n");
  return g_string_free_to_bytes (out);
}

/* ---- CSV: the action items ------------------------------------------------ */

static GBytes *
to_csv (Retro *r, UpgCsvForm form)
{
  GPtrArray *actions = r->items[3];
  UpgCsv csv;

  upg_csv_init (&csv, form);
  upg_csv_column (&csv, "text", N_("Action"));
  upg_csv_column (&csv, "owner", N_("Owner"));
  upg_csv_column (&csv, "due", N_("Due"));
  upg_csv_column (&csv, "ticket", N_("Ticket"));
  upg_csv_column (&csv, "done", N_("Done"));
  upg_csv_column (&csv, "carried_to", N_("Carried To"));
  upg_csv_end_row (&csv);
  for (guint i = 0; i < actions->len; i++)
    {
      UpgRecord *item = actions->pdata[i];
      const guint fields[] = { UPG_RETRO_ITEM_TEXT, UPG_RETRO_ITEM_OWNER, UPG_RETRO_ITEM_DUE, UPG_RETRO_ITEM_TICKET };

      for (guint c = 0; c < G_N_ELEMENTS (fields); c++)
        {
          g_autofree char *clean = upg_text_sanitize (str (item, fields[c]));
          upg_csv_text (&csv, clean);
        }
      upg_csv_bool (&csv, upg_record_get_bool (item, UPG_RETRO_ITEM_DONE));
      {
        g_autofree char *clean = upg_text_sanitize (str (item, UPG_RETRO_ITEM_CARRIED_TO));
        upg_csv_text (&csv, clean);
      }
      upg_csv_end_row (&csv);
    }
  return upg_csv_finish (&csv);
}

/* ---- PDF ----------------------------------------------------------------- */

static void
retro_pdf (Retro *r, UpgPdfDoc *doc, gboolean with_title)
{
  const char *summary = upg_record_get_string (r->retro, UPG_RETRO_SUMMARY);

  if (with_title)
    upg_pdf_doc_add_title (doc, r->title);
  else
    upg_pdf_doc_add_heading (doc, _("Retrospective"), NULL);
  for (guint i = 0; i < r->facts->len; i++)
    {
      Row *row = r->facts->pdata[i];
      upg_pdf_doc_add_field (doc, row->what, row->planned);
    }

  upg_pdf_doc_add_heading (doc, _("Planned and actual"), NULL);
  for (guint i = 0; i < r->compare->len; i++)
    {
      Row *row = r->compare->pdata[i];
      g_autofree char *body = g_strdup_printf ("%s: %s\n%s: %s", _("Planned"), row->planned, _("Actual"), row->actual);
      upg_pdf_doc_add_item (doc, UPG_PDF_BOX_NONE, row->what, g_strcmp0 (row->difference, "—") ? row->difference : NULL, body);
    }
  if (r->milestones->len > 0)
    {
      upg_pdf_doc_add_heading (doc, _("Milestones"), NULL);
      for (guint i = 0; i < r->milestones->len; i++)
        {
          Row *row = r->milestones->pdata[i];
          g_autofree char *meta = g_strdup_printf ("%s %s · %s %s · %s %s", _("Due"), row->planned, _("Done"), row->actual,
                                                   _("Slip"), row->difference);
          upg_pdf_doc_add_item (doc, UPG_PDF_BOX_NONE, row->what, meta, NULL);
        }
    }
  if (r->gray->len > 0)
    {
      upg_pdf_doc_add_heading (doc, _("Gray release"), NULL);
      for (guint i = 0; i < r->gray->len; i++)
        {
          Row *row = r->gray->pdata[i];
          g_autofree char *body = g_strdup_printf ("%s: %s\n%s: %s", _("Planned"), row->planned, _("As it happened"), row->actual);
          upg_pdf_doc_add_item (doc, UPG_PDF_BOX_NONE, row->what, NULL, body);
        }
    }
  upg_pdf_doc_add_heading (doc, _("Summary"), NULL);
  if (summary && *summary)
    upg_pdf_doc_add_text (doc, summary, FALSE);
  else
    upg_pdf_doc_add_text (doc, _("No summary yet."), TRUE);

  for (guint k = 0; k < 4; k++)
    {
      GPtrArray *items = r->items[k];

      upg_pdf_doc_add_heading (doc, kind_heading (k), NULL);
      if (items->len == 0)
        upg_pdf_doc_add_text (doc, _("None."), TRUE);
      for (guint i = 0; i < items->len; i++)
        {
          UpgRecord *item = items->pdata[i];
          const char *owner = upg_record_get_string (item, UPG_RETRO_ITEM_OWNER);
          const char *due = upg_record_get_string (item, UPG_RETRO_ITEM_DUE);
          const char *ticket = upg_record_get_string (item, UPG_RETRO_ITEM_TICKET);
          g_autofree char *carried = carried_text (r, item);
          g_autoptr(GString) meta = g_string_new (NULL);
          UpgPdfBox box = k != 3 ? UPG_PDF_BOX_NONE
                          : upg_record_get_bool (item, UPG_RETRO_ITEM_DONE) ? UPG_PDF_BOX_CHECKED : UPG_PDF_BOX_EMPTY;

          if (owner && *owner)
            g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", owner);
          if (due && *due)
            {
              g_autofree char *d = g_strdup_printf (_("due %s"), due);
              g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", d);
            }
          if (ticket && *ticket)
            g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", ticket);
          if (carried)
            g_string_append_printf (meta, "%s%s", meta->len ? " · " : "", carried);
          upg_pdf_doc_add_item (doc, box, upg_record_get_string (item, UPG_RETRO_ITEM_TEXT), meta->str, NULL);
        }
    }
}

gboolean
upg_retro_append_pdf (UpgStore    *store,
                      UpgProject  *project,
                      UpgPdfDoc   *doc,
                      gboolean     with_title,
                      GError     **error)
{
  g_auto(Retro) r = { 0 };

  if (!retro_init (&r, store, project, error))
    return FALSE;
  retro_pdf (&r, doc, with_title);
  return TRUE;
}

UpgPdfDoc *
upg_export_retro_pdf_doc (UpgStore    *store,
                          UpgProject  *project,
                          GError     **error)
{
  g_auto(Retro) r = { 0 };
  UpgPdfDoc *doc;

  if (!retro_init (&r, store, project, error))
    return NULL;
  doc = upg_pdf_doc_new (r.title);
  retro_pdf (&r, doc, TRUE);
  return doc;
}

/* ---- Entry points -------------------------------------------------------- */

GBytes *
upg_export_retro_project (UpgStore                *store,
                          UpgProject              *project,
                          const UpgExportOptions  *options,
                          GError                 **error)
{
  const char *format = options && options->format ? options->format : "md";
  g_auto(Retro) r = { 0 };

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  if (!retro_init (&r, store, project, error))
    return NULL;
  if (strcmp (format, "md") == 0)
    {
      GString *out = g_string_new (NULL);
      retro_md (&r, 1, out, TRUE);
      /* One final newline. */
      while (out->len > 1 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n')
        g_string_truncate (out, out->len - 1);
      return g_string_free_to_bytes (out);
    }
  if (strcmp (format, "html") == 0)
    return to_html (&r);
  if (strcmp (format, "csv") == 0)
    return to_csv (&r, options ? options->csv_form : UPG_CSV_SPREADSHEET);
  if (strcmp (format, "pdf") == 0)
    {
      g_autoptr(UpgPdfDoc) doc = upg_pdf_doc_new (r.title);
      retro_pdf (&r, doc, TRUE);
      return upg_pdf_doc_to_pdf (doc, options && options->paper ? options->paper : "a4", r.title, error);
    }
  g_set_error (error, UPG_EXPORT_ERROR, UPG_EXPORT_ERROR_UNKNOWN_FORMAT,
               _("The retrospective cannot be exported as %s"), format);
  return NULL;
}

GBytes *
upg_export_retro (UpgStore                *store,
                  gint64                   project_id,
                  const UpgExportOptions  *options,
                  GError                 **error)
{
  g_autoptr(UpgProject) project = upg_store_lookup_project (store, project_id, error);

  if (project == NULL)
    return NULL;
  return upg_export_retro_project (store, project, options, error);
}

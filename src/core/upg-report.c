/* upg-report.c — the whole upgrade in one document, with its pictures. */
#define G_LOG_DOMAIN "upg-export"
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-checks.h"
#include "upg-draw.h"
#include "upg-escape.h"
#include "upg-export-retro.h"
#include "upg-labels.h"
#include "upg-report.h"
#include "upg-retro.h"
#include "upg-risk.h"
#include "upg-sop.h"
#include "upg-clock.h"

#define TIMELINE_WIDTH 680.0
#define TIMELINE_MAX_WIDTH (4 * TIMELINE_WIDTH)
#define DASH "—"

/* ---- The document, as parts every format writes ---------------------------- */

typedef enum {
  PART_HEADING,
  PART_FACTS,       /* rows of 2: label, value */
  PART_TABLE,       /* head + rows */
  PART_TEXT,
  PART_EMPTY,       /* "nothing here" text */
  PART_TIMELINE,
  PART_HEAT_MAP,
  PART_STEP,        /* a SOP step: done?, title, meta, trail lines */
} PartKind;

typedef struct {
  PartKind   kind;
  char      *text;
  GStrv      head;
  GPtrArray *rows;   /* GStrv */
  gboolean   done;
} Part;

static void
part_free (Part *part)
{
  g_free (part->text);
  g_strfreev (part->head);
  g_clear_pointer (&part->rows, g_ptr_array_unref);
  g_free (part);
}

static Part *
add_part (GPtrArray *parts, PartKind kind, const char *text)
{
  Part *part = g_new0 (Part, 1);
  part->kind = kind;
  part->text = g_strdup (text ? text : "");
  part->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (parts, part);
  return part;
}

static void
add_row (Part *part, ...)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  va_list ap;
  const char *cell;

  va_start (ap, part);
  while ((cell = va_arg (ap, const char *)) != NULL)
    g_strv_builder_add (builder, cell);
  va_end (ap);
  g_ptr_array_add (part->rows, g_strv_builder_end (builder));
  g_strv_builder_unref (builder);
}

static const char *
or_dash (const char *s)
{
  return s && *s ? s : DASH;
}

typedef struct {
  UpgStore   *store;
  UpgRecord  *project;
  char       *title;
  char       *today;
  GPtrArray  *parts;
  gboolean    has_retro;
} Report;

static void
report_clear (Report *r)
{
  g_clear_object (&r->project);
  g_clear_pointer (&r->title, g_free);
  g_clear_pointer (&r->today, g_free);
  g_clear_pointer (&r->parts, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Report, report_clear)

static const char *
pstr (Report *r, guint field)
{
  const char *s = upg_record_get_string (r->project, field);
  return s ? s : "";
}

static void
build_overview (Report *r)
{
  Part *facts = add_part (r->parts, PART_FACTS, NULL);
  const char *zone = pstr (r, UPG_PROJECT_TIME_ZONE);
  g_autofree char *versions = g_strdup_printf ("%s → %s", *pstr (r, UPG_PROJECT_VERSION_FROM) ? pstr (r, UPG_PROJECT_VERSION_FROM) : "?",
                                               *pstr (r, UPG_PROJECT_VERSION_TO) ? pstr (r, UPG_PROJECT_VERSION_TO) : "?");
  g_autofree char *window = upg_retro_format_window (upg_record_get_string (r->project, UPG_PROJECT_WINDOW_START),
                                                     upg_record_get_string (r->project, UPG_PROJECT_WINDOW_END), zone);
  g_autofree char *target = upg_retro_format_minutes (upg_record_get_int (r->project, UPG_PROJECT_ROLLBACK_TARGET_MINUTES));
  g_autofree char *rollback = g_strdup_printf (_("restore within %s"), target);
  GListModel *scope = upg_record_get_children (r->project, &upg_entity_scope_item);

  add_row (facts, _("Kind"), upg_enum_label (upg_project_kinds, pstr (r, UPG_PROJECT_KIND)), NULL);
  add_row (facts, _("Status"), upg_enum_label (upg_project_statuses, pstr (r, UPG_PROJECT_STATUS)), NULL);
  add_row (facts, _("Goal"), or_dash (pstr (r, UPG_PROJECT_GOAL)), NULL);
  add_row (facts, _("Scope"), or_dash (pstr (r, UPG_PROJECT_SCOPE)), NULL);
  add_row (facts, _("Impact"), or_dash (pstr (r, UPG_PROJECT_IMPACT)), NULL);
  add_row (facts, _("Versions"), versions, NULL);
  add_row (facts, C_("build id", "Build"), *pstr (r, UPG_PROJECT_BUILD_ID) ? pstr (r, UPG_PROJECT_BUILD_ID) : _("None"), NULL);
  add_row (facts, _("Maintenance window"), window, NULL);
  add_row (facts, _("Rollback target"), rollback, NULL);

  if (scope != NULL && g_list_model_get_n_items (scope) > 0)
    {
      Part *table;
      add_part (r->parts, PART_HEADING, _("Modules in scope"));
      table = add_part (r->parts, PART_TABLE, NULL);
      table->head = g_strdupv ((char *[]) { _("Module"), _("Change"), _("Impact"), _("Data migration"), NULL });
      for (guint i = 0, n = g_list_model_get_n_items (scope); i < n; i++)
        {
          g_autoptr(UpgRecord) s = g_list_model_get_item (scope, i);
          add_row (table, upg_record_get_string (s, UPG_SCOPE_ITEM_MODULE),
                   or_dash (upg_record_get_string (s, UPG_SCOPE_ITEM_CHANGE)),
                   upg_enum_label (upg_impact_levels, upg_record_get_string (s, UPG_SCOPE_ITEM_IMPACT)),
                   upg_record_get_bool (s, UPG_SCOPE_ITEM_NEEDS_DATA_MIGRATION) ? _("Yes") : _("No"), NULL);
        }
    }
}

static void
build_milestones (Report *r)
{
  GListModel *milestones = upg_record_get_children (r->project, &upg_entity_milestone);
  guint n = milestones ? g_list_model_get_n_items (milestones) : 0;
  Part *table;

  add_part (r->parts, PART_HEADING, _("Milestones"));
  if (n == 0)
    {
      add_part (r->parts, PART_EMPTY, _("No milestones yet."));
      return;
    }
  add_part (r->parts, PART_TIMELINE, _("The milestones on a timeline"));
  table = add_part (r->parts, PART_TABLE, NULL);
  table->head = g_strdupv ((char *[]) { _("Milestone"), _("Kind"), _("Due"), _("Done"), _("State"), NULL });
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (milestones, i);
      int percent = upg_record_get_int (m, UPG_MILESTONE_ROLLOUT_PERCENT);
      g_autofree char *kind = percent != UPG_INT_NULL
        ? g_strdup_printf ("%s · %d %%", upg_enum_label (upg_milestone_kinds, upg_record_get_string (m, UPG_MILESTONE_KIND)), percent)
        : g_strdup (upg_enum_label (upg_milestone_kinds, upg_record_get_string (m, UPG_MILESTONE_KIND)));
      const char *state;

      switch (upg_milestone_state (m, r->today))
        {
        case UPG_MILESTONE_STATE_DONE: state = _("Done"); break;
        case UPG_MILESTONE_STATE_OVERDUE: state = _("Overdue"); break;
        case UPG_MILESTONE_STATE_DUE_TODAY: state = _("Due today"); break;
        case UPG_MILESTONE_STATE_UNSCHEDULED: state = _("No due date"); break;
        case UPG_MILESTONE_STATE_PLANNED:
        default: state = _("Planned"); break;
        }
      add_row (table, upg_record_get_string (m, UPG_MILESTONE_TITLE), kind,
               or_dash (upg_record_get_string (m, UPG_MILESTONE_DUE)),
               or_dash (upg_record_get_string (m, UPG_MILESTONE_DONE)), state, NULL);
    }
}

static void
build_risks (Report *r)
{
  GListModel *risks = upg_record_get_children (r->project, &upg_entity_risk);
  guint n = risks ? g_list_model_get_n_items (risks) : 0;
  UpgRiskThresholds thresholds;
  int t[3];
  Part *table;

  upg_project_get_risk_thresholds (UPG_PROJECT (r->project), t);
  thresholds.medium_from = t[0];
  thresholds.high_from = t[1];
  thresholds.critical_from = t[2];

  add_part (r->parts, PART_HEADING, _("Risks"));
  if (n == 0)
    {
      add_part (r->parts, PART_EMPTY, _("No risks yet."));
      return;
    }
  add_part (r->parts, PART_HEAT_MAP, _("The risk heat map: how many risks in each cell"));
  table = add_part (r->parts, PART_TABLE, NULL);
  table->head = g_strdupv ((char *[]) { _("Risk"), _("Category"), _("Score"), _("After mitigation"),
                                        _("Owner"), _("Status"), _("Mitigation"), _("Contingency"), NULL });
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) risk = g_list_model_get_item (risks, i);
      int score = upg_risk_get_score (UPG_RISK (risk));
      int residual = upg_risk_get_residual_score (UPG_RISK (risk));
      g_autofree char *s = g_strdup_printf ("%d × %d = %d, %s", upg_record_get_int (risk, UPG_RISK_LIKELIHOOD),
                                            upg_record_get_int (risk, UPG_RISK_IMPACT), score,
                                            upg_risk_level_label (upg_risk_level_for_score (score, &thresholds)));
      g_autofree char *res = residual > 0
        ? g_strdup_printf ("%d, %s", residual, upg_risk_level_label (upg_risk_level_for_score (residual, &thresholds)))
        : g_strdup (DASH);

      add_row (table, upg_record_get_string (risk, UPG_RISK_TITLE),
               upg_enum_label (upg_risk_categories, upg_record_get_string (risk, UPG_RISK_CATEGORY)),
               s, res, or_dash (upg_record_get_string (risk, UPG_RISK_OWNER)),
               upg_enum_label (upg_risk_statuses, upg_record_get_string (risk, UPG_RISK_STATUS)),
               or_dash (upg_record_get_string (risk, UPG_RISK_MITIGATION)),
               or_dash (upg_record_get_string (risk, UPG_RISK_CONTINGENCY)), NULL);
    }
}

static void
build_team (Report *r)
{
  GListModel *team = upg_record_get_children (r->project, &upg_entity_member);
  guint n = team ? g_list_model_get_n_items (team) : 0;
  Part *table;

  add_part (r->parts, PART_HEADING, _("Team"));
  if (n == 0)
    {
      add_part (r->parts, PART_EMPTY, _("No team members yet."));
      return;
    }
  table = add_part (r->parts, PART_TABLE, NULL);
  table->head = g_strdupv ((char *[]) { _("Name"), _("Role"), _("Email"), _("Responsibilities"), NULL });
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (team, i);
      add_row (table, upg_record_get_string (m, UPG_MEMBER_NAME),
               upg_enum_label (upg_roles, upg_record_get_string (m, UPG_MEMBER_ROLE)),
               or_dash (upg_record_get_string (m, UPG_MEMBER_EMAIL)),
               or_dash (upg_record_get_string (m, UPG_MEMBER_RESPONSIBILITIES)), NULL);
    }
}

static gboolean
build_sop (Report *r, GError **error)
{
  GListModel *steps = upg_record_get_children (r->project, &upg_entity_sop_step);
  const char * const *phases = upg_sop_display_phases ();
  const char *zone = pstr (r, UPG_PROJECT_TIME_ZONE);
  UpgSopProgress progress;

  add_part (r->parts, PART_HEADING, _("Standard operating procedure"));
  upg_sop_progress (steps, NULL, &progress);
  if (progress.total == 0)
    {
      add_part (r->parts, PART_EMPTY, _("No checklist steps yet."));
      return TRUE;
    }
  {
    g_autofree char *offset = upg_retro_format_offset (zone, upg_record_get_string (r->project, UPG_PROJECT_WINDOW_START));
    g_autofree char *p = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%u of %u step done (required: %u of %u). Times in %s (%s).",
                                                       "%u of %u steps done (required: %u of %u). Times in %s (%s).",
                                                       progress.total),
                                          progress.done, progress.total, progress.required_done,
                                          progress.required_total, *zone ? zone : "UTC", offset);
    add_part (r->parts, PART_TEXT, p);
  }
  for (guint i = 0; phases[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) in_phase = upg_sop_steps_in_phase (steps, phases[i]);

      if (in_phase->len == 0)
        continue;
      add_part (r->parts, PART_HEADING, upg_enum_label (upg_phases, phases[i]))->done = TRUE; /* a sub-heading */
      for (guint s = 0; s < in_phase->len; s++)
        {
          UpgRecord *step = in_phase->pdata[s];
          g_autoptr(GPtrArray) history = upg_store_list_check_events (r->store, step, error);
          const char *role = upg_record_get_string (step, UPG_SOP_STEP_OWNER_ROLE);
          Part *part;
          g_autofree char *meta = NULL;

          if (history == NULL)
            return FALSE;
          meta = g_strdup_printf ("%s · %s", role ? upg_enum_label (upg_roles, role) : _("No owner"),
                                  upg_record_get_bool (step, UPG_SOP_STEP_REQUIRED) ? _("Required") : _("Optional"));
          part = add_part (r->parts, PART_STEP, upg_record_get_string (step, UPG_SOP_STEP_TITLE));
          part->done = upg_sop_step_is_done (step);
          part->head = g_strdupv ((char *[]) { meta, NULL });
          for (guint h = 0; h < history->len; h++)
            {
              UpgCheckEvent *e = history->pdata[h];
              g_autofree char *when = upg_retro_format_time (e->at, zone);
              g_autofree char *what = upg_sop_event_describe (e);
              g_autofree char *line = g_strdup_printf ("%s %s", when, what);
              add_row (part, line, NULL);
            }
        }
    }
  return TRUE;
}

static gboolean
report_init (Report *r, UpgStore *store, UpgProject *project, GError **error)
{
  memset (r, 0, sizeof *r);
  r->store = store;
  r->project = g_object_ref (UPG_RECORD (project));
  r->today = upg_clock_today ();
  r->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  if (!upg_record_children_loaded (r->project) && !upg_store_load_children (store, r->project, error))
    return FALSE;
  /* Translators: the title of the project report; %s is the project */
  r->title = g_strdup_printf (_("Upgrade report: %s"), upg_project_get_name (project));
  r->has_retro = upg_project_get_retro (project) != NULL;
  build_overview (r);
  build_milestones (r);
  build_risks (r);
  build_team (r);
  return build_sop (r, error);
}

/* ---- Pictures ---------------------------------------------------------------- */

typedef struct {
  UpgRecord  *project;
  char       *today;
} Picture;

static void
picture_free (Picture *p)
{
  g_clear_object (&p->project);
  g_free (p->today);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Picture, picture_free)

static Picture *
picture_new (Report *r)
{
  Picture *p = g_new0 (Picture, 1);
  p->project = g_object_ref (r->project);
  p->today = g_strdup (r->today);
  return p;
}

static void
draw_timeline_cb (cairo_t *cr, double width, double height, gpointer data)
{
  Picture *p = data;
  UpgPalette palette;
  /* Fitted to the picture's width (timeline_width () caps it). */
  UpgTimelineOptions options = { p->today, upg_record_get_string (p->project, UPG_PROJECT_TIME_ZONE), -1 };

  upg_palette_init_light (&palette);
  upg_draw_timeline (cr, p->project, width, height, &options, &palette);
}

static double
timeline_width (Report *r)
{
  UpgTimelineOptions options = { r->today, upg_record_get_string (r->project, UPG_PROJECT_TIME_ZONE), UPG_TIMELINE_MIN_ZOOM };
  /* A plan over years (or a typo in a year) is fitted into a page's few
   * widths rather than drawn a day at a time over millions of pixels. */
  return CLAMP (upg_draw_timeline_width (r->project, &options), TIMELINE_WIDTH, TIMELINE_MAX_WIDTH);
}

/* The timeline's height at the report's width: as many lines as its
 * titles need. */
static double
timeline_height (Report *r)
{
  UpgTimelineOptions options = { r->today, upg_record_get_string (r->project, UPG_PROJECT_TIME_ZONE), -1 };
  UpgPalette palette;

  upg_palette_init_light (&palette);
  return upg_draw_timeline_height (r->project, timeline_width (r), &options, &palette);
}

static void
draw_heat_map_cb (cairo_t *cr, double width, double height, gpointer data)
{
  Picture *p = data;
  UpgPalette palette;

  upg_palette_init_light (&palette);
  upg_draw_heat_map (cr, p->project, FALSE, width, height, &palette);
}

/* ---- Markdown ---------------------------------------------------------------- */

static void
md (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_md (out, clean);
}

/* A heading is one line: a CR or LF in a name does not end it. */
static void
md_heading (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_md_heading (out, clean);
}

/* A table cell: its line breaks become spaces (a row is one line). */
static void
md_cell (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_md_cell (out, clean);
}

static GBytes *
to_md (Report *r, GError **error)
{
  GString *out = g_string_new ("# ");

  md_heading (out, r->title);
  g_string_append (out, "\n\n");
  for (guint i = 0; i < r->parts->len; i++)
    {
      Part *part = r->parts->pdata[i];

      switch (part->kind)
        {
        case PART_HEADING:
          g_string_append (out, part->done ? "### " : "## ");
          md_heading (out, part->text);
          g_string_append (out, "\n\n");
          break;
        case PART_FACTS:
          for (guint k = 0; k < part->rows->len; k++)
            {
              char **row = part->rows->pdata[k];
              g_string_append (out, "- **");
              md (out, row[0]);
              g_string_append (out, ":** ");
              md (out, row[1]);
              g_string_append_c (out, '\n');
            }
          g_string_append_c (out, '\n');
          break;
        case PART_TABLE:
          g_string_append (out, "|");
          for (guint c = 0; part->head[c]; c++)
            {
              g_string_append_c (out, ' ');
              md_cell (out, part->head[c]);
              g_string_append (out, " |");
            }
          g_string_append (out, "\n|");
          for (guint c = 0; part->head[c]; c++)
            g_string_append (out, "---|");
          g_string_append_c (out, '\n');
          for (guint k = 0; k < part->rows->len; k++)
            {
              char **row = part->rows->pdata[k];
              g_string_append (out, "|");
              for (guint c = 0; row[c]; c++)
                {
                  g_string_append_c (out, ' ');
                  md_cell (out, row[c]);
                  g_string_append (out, " |");
                }
              g_string_append_c (out, '\n');
            }
          g_string_append_c (out, '\n');
          break;
        case PART_TEXT:
          md (out, part->text);
          g_string_append (out, "\n\n");
          break;
        case PART_EMPTY:
          g_string_append_c (out, '_');
          md (out, part->text);
          g_string_append (out, "_\n\n");
          break;
        case PART_TIMELINE:
        case PART_HEAT_MAP:
          /* The pictures are in the HTML and PDF reports. */
          break;
        case PART_STEP:
          g_string_append (out, part->done ? "- [x] **" : "- [ ] **");
          md (out, part->text);
          g_string_append (out, "** — ");
          md (out, part->head[0]);
          for (guint k = 0; k < part->rows->len; k++)
            {
              char **row = part->rows->pdata[k];
              g_string_append (out, "\\\n  ");
              md (out, row[0]);
            }
          g_string_append_c (out, '\n');
          if (i + 1 == r->parts->len || ((Part *) r->parts->pdata[i + 1])->kind != PART_STEP)
            g_string_append_c (out, '\n');
          break;
        }
    }
  if (r->has_retro && !upg_retro_append_md (r->store, UPG_PROJECT (r->project), 2, out, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  while (out->len > 1 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n')
    g_string_truncate (out, out->len - 1);
  return g_string_free_to_bytes (out);
}

/* ---- HTML ------------------------------------------------------------------- */

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
html_picture (GString *out, const char *caption, double width, double height, UpgDrawFunc func, Picture *p)
{
  g_autoptr(GBytes) svg = upg_draw_to_svg (width, height, func, p);
  gsize size;
  const guchar *data = g_bytes_get_data (svg, &size);
  g_autofree char *b64 = g_base64_encode (data, size);

  g_string_append (out, "<figure><img src=\"data:image/svg+xml;base64,");
  g_string_append (out, b64);
  g_string_append_printf (out, "\" width=\"%d\" height=\"%d\" alt=\"", (int) width, (int) height);
  html (out, caption);
  g_string_append (out, "\" /><figcaption>");
  html (out, caption);
  g_string_append (out, "</figcaption></figure>\n");
}

static GBytes *
to_html (Report *r, GError **error)
{
  GString *out = g_string_new (NULL);
  gboolean in_steps = FALSE;

  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"");
  html (out, C_("HTML lang", "en"));
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\" />\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
                        "<meta name=\"generator\" content=\"Upgrade Planner\" />\n<title>");
  html (out, r->title);
  g_string_append_printf (out, "</title>\n<style>\n%s"
                          "ul.steps{list-style:none;padding-left:0;}\n"
                          "ul.steps li{padding:.35rem 0;border-bottom:1px solid var(--line);break-inside:avoid;}\n"
                          "ul.steps .trail{color:var(--dim);font-size:.88rem;margin:.15rem 0 0 1.6rem;}\n"
                          "</style>\n</head>\n<body>\n<h1>", upg_report_html_style ());
  html (out, r->title);
  g_string_append (out, "</h1>\n");
  for (guint i = 0; i < r->parts->len; i++)
    {
      Part *part = r->parts->pdata[i];

      if (in_steps && part->kind != PART_STEP)
        {
          g_string_append (out, "</ul>\n");
          in_steps = FALSE;
        }
      switch (part->kind)
        {
        case PART_HEADING:
          g_string_append (out, part->done ? "<h3>" : "<h2>");
          html (out, part->text);
          g_string_append (out, part->done ? "</h3>\n" : "</h2>\n");
          break;
        case PART_FACTS:
          g_string_append (out, "<dl class=\"facts\">\n");
          for (guint k = 0; k < part->rows->len; k++)
            {
              char **row = part->rows->pdata[k];
              g_string_append (out, "<dt>");
              html (out, row[0]);
              g_string_append (out, "</dt><dd>");
              html (out, row[1]);
              g_string_append (out, "</dd>\n");
            }
          g_string_append (out, "</dl>\n");
          break;
        case PART_TABLE:
          g_string_append (out, "<table>\n<thead><tr>");
          for (guint c = 0; part->head[c]; c++)
            {
              g_string_append (out, "<th scope=\"col\">");
              html_cell (out, part->head[c]);
              g_string_append (out, "</th>");
            }
          g_string_append (out, "</tr></thead>\n<tbody>\n");
          for (guint k = 0; k < part->rows->len; k++)
            {
              char **row = part->rows->pdata[k];
              g_string_append (out, "<tr>");
              for (guint c = 0; row[c]; c++)
                {
                  g_string_append (out, c == 0 ? "<th scope=\"row\">" : "<td>");
                  html_cell (out, row[c]);
                  g_string_append (out, c == 0 ? "</th>" : "</td>");
                }
              g_string_append (out, "</tr>\n");
            }
          g_string_append (out, "</tbody>\n</table>\n");
          break;
        case PART_TEXT:
          g_string_append (out, "<p>");
          html (out, part->text);
          g_string_append (out, "</p>\n");
          break;
        case PART_EMPTY:
          g_string_append (out, "<p class=\"empty\">");
          html (out, part->text);
          g_string_append (out, "</p>\n");
          break;
        case PART_TIMELINE:
          {
            g_autoptr(Picture) p = picture_new (r);
            html_picture (out, part->text, timeline_width (r), timeline_height (r), draw_timeline_cb, p);
          }
          break;
        case PART_HEAT_MAP:
          {
            g_autoptr(Picture) p = picture_new (r);
            html_picture (out, part->text, UPG_HEAT_MAP_WIDTH, UPG_HEAT_MAP_HEIGHT, draw_heat_map_cb, p);
          }
          break;
        case PART_STEP:
          if (!in_steps)
            {
              g_string_append (out, "<ul class=\"steps\">\n");
              in_steps = TRUE;
            }
          g_string_append (out, part->done ? "<li><span class=\"done\">☑</span> <b>" : "<li>☐ <b>");
          html (out, part->text);
          g_string_append (out, "</b> <span class=\"meta\">— ");
          html (out, part->head[0]);
          g_string_append (out, "</span>");
          for (guint k = 0; k < part->rows->len; k++)
            {
              char **row = part->rows->pdata[k];
              g_string_append (out, "<div class=\"trail\">");
              html (out, row[0]);
              g_string_append (out, "</div>");
            }
          g_string_append (out, "</li>\n");
          break;
        }
    }
  if (in_steps)
    g_string_append (out, "</ul>\n");
  if (r->has_retro && !upg_retro_append_html (r->store, UPG_PROJECT (r->project), 2, out, error))
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  g_string_append (out, "</body>\n</html>\n");
  return g_string_free_to_bytes (out);
}

/* ---- PDF ----------------------------------------------------------------------- */

static UpgPdfDoc *
to_pdf_doc (Report *r, GError **error)
{
  g_autoptr(UpgPdfDoc) doc = upg_pdf_doc_new (r->title);

  upg_pdf_doc_add_title (doc, r->title);
  for (guint i = 0; i < r->parts->len; i++)
    {
      Part *part = r->parts->pdata[i];

      switch (part->kind)
        {
        case PART_HEADING:
          upg_pdf_doc_add_heading (doc, part->text, NULL);
          break;
        case PART_FACTS:
          for (guint k = 0; k < part->rows->len; k++)
            {
              char **row = part->rows->pdata[k];
              g_autofree char *value = upg_pdf_clip (row[1]);
              upg_pdf_doc_add_field (doc, row[0], value);
            }
          break;
        case PART_TABLE:
          for (guint k = 0; k < part->rows->len; k++)
            {
              char **row = part->rows->pdata[k];
              g_autoptr(GString) meta = g_string_new (NULL);
              /* Each cell cut on its own (upg_pdf_clip ()). */
              for (guint c = 1; row[c] && part->head[c]; c++)
                {
                  g_autofree char *cell = upg_pdf_clip (row[c]);
                  g_string_append_printf (meta, "%s%s: %s", c > 1 ? " · " : "", part->head[c], cell);
                }
              upg_pdf_doc_add_item (doc, UPG_PDF_BOX_NONE, row[0], meta->str, NULL);
            }
          break;
        case PART_TEXT:
          {
            g_autofree char *clipped = upg_pdf_clip (part->text);
            upg_pdf_doc_add_text (doc, clipped, FALSE);
          }
          break;
        case PART_EMPTY:
          upg_pdf_doc_add_text (doc, part->text, TRUE);
          break;
        case PART_TIMELINE:
          upg_pdf_doc_add_picture (doc, timeline_width (r), timeline_height (r), draw_timeline_cb,
                                   picture_new (r), (GDestroyNotify) picture_free);
          break;
        case PART_HEAT_MAP:
          upg_pdf_doc_add_picture (doc, UPG_HEAT_MAP_WIDTH, UPG_HEAT_MAP_HEIGHT, draw_heat_map_cb,
                                   picture_new (r), (GDestroyNotify) picture_free);
          break;
        case PART_STEP:
          {
            g_autoptr(GString) body = g_string_new (NULL);
            for (guint k = 0; k < part->rows->len; k++)
              {
                g_autofree char *line = upg_pdf_clip (((char **) part->rows->pdata[k])[0]);
                g_string_append_printf (body, "%s%s", k ? "\n" : "", line);
              }
            upg_pdf_doc_add_item (doc, part->done ? UPG_PDF_BOX_CHECKED : UPG_PDF_BOX_EMPTY,
                                  part->text, part->head[0], body->str);
          }
          break;
        }
    }
  if (r->has_retro && !upg_retro_append_pdf (r->store, UPG_PROJECT (r->project), doc, FALSE, error))
    return NULL;
  return g_steal_pointer (&doc);
}

UpgPdfDoc *
upg_report_pdf_doc (UpgStore    *store,
                    UpgProject  *project,
                    GError     **error)
{
  g_auto(Report) r = { 0 };

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);
  if (!report_init (&r, store, project, error))
    return NULL;
  return to_pdf_doc (&r, error);
}

/* ---- Entry points ---------------------------------------------------------------- */

GBytes *
upg_export_report_project (UpgStore                *store,
                           UpgProject              *project,
                           const UpgExportOptions  *options,
                           GError                 **error)
{
  const char *format = options && options->format ? options->format : "html";
  g_auto(Report) r = { 0 };

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  if (!report_init (&r, store, project, error))
    return NULL;
  if (strcmp (format, "md") == 0)
    return to_md (&r, error);
  if (strcmp (format, "html") == 0)
    return to_html (&r, error);
  if (strcmp (format, "pdf") == 0)
    {
      g_autoptr(UpgPdfDoc) doc = to_pdf_doc (&r, error);
      if (doc == NULL)
        return NULL;
      return upg_pdf_doc_to_pdf (doc, options && options->paper ? options->paper : "a4", r.title, error);
    }
  g_set_error (error, UPG_EXPORT_ERROR, UPG_EXPORT_ERROR_UNKNOWN_FORMAT,
               _("The report cannot be exported as %s"), format);
  return NULL;
}

GBytes *
upg_export_report (UpgStore                *store,
                   gint64                   project_id,
                   const UpgExportOptions  *options,
                   GError                 **error)
{
  g_autoptr(UpgProject) project = upg_store_lookup_project (store, project_id, error);

  if (project == NULL)
    return NULL;
  return upg_export_report_project (store, project, options, error);
}

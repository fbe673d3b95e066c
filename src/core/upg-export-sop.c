/* upg-export-sop.c — the SOP checklist in every format it leaves the app in. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "upg-csv.h"
#include "upg-escape.h"
#include "upg-export-sop.h"
#include "upg-labels.h"
#include "upg-retro.h"
#include "upg-sop.h"
#include "upg-zone.h"

/* How user text goes into the output: escaped for Markdown or HTML, or
 * plain (control characters replaced) for text and PDF. */
typedef void (*Escaper) (GString *out, const char *text);

static void
append_plain (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  g_autofree char *shown = upg_text_show_bidi (clean);
  g_string_append (out, shown);
}

static void
append_md (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_md (out, clean);
}

/* A heading is one line: a CR or LF in a name does not end it. */
static void
append_md_heading (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_md_heading (out, clean);
}

static void
append_html (GString *out, const char *text)
{
  g_autofree char *clean = upg_text_sanitize (text);
  upg_append_html (out, clean);
}

/* ---- The document every format shows ------------------------------------ */

typedef struct {
  const char *phase;
  GPtrArray  *steps;        /* borrowed UpgRecord */
  UpgSopProgress progress;
} Section;

typedef struct {
  UpgStore   *store;
  UpgRecord  *project;
  const char *zone;         /* the project's: every time is shown in it */
  GListModel *steps;
  GListModel *team;
  GArray     *sections;     /* Section */
  GHashTable *histories;    /* step → GPtrArray of UpgCheckEvent, oldest first */
  UpgSopProgress progress;
} Sop;

/* What a step's box shows. */
typedef enum {
  STEP_OPEN,
  STEP_DONE,
  STEP_SKIPPED,     /* not done, and the last entry of its history is a skip */
} StepState;

static void
section_clear (Section *section)
{
  g_clear_pointer (&section->steps, g_ptr_array_unref);
}

static void
sop_clear (Sop *sop)
{
  g_clear_pointer (&sop->sections, g_array_unref);
  g_clear_pointer (&sop->histories, g_hash_table_unref);
  g_clear_object (&sop->project);
}

static gboolean
sop_init (Sop        *sop,
          UpgStore   *store,
          UpgProject *project,
          GError    **error)
{
  const char * const *phases = upg_sop_display_phases ();

  memset (sop, 0, sizeof *sop);
  sop->store = store;
  sop->project = g_object_ref (UPG_RECORD (project));
  if (upg_record_get_children (sop->project, &upg_entity_sop_step) == NULL &&
      !upg_store_load_children (store, sop->project, error))
    return FALSE;
  sop->steps = upg_record_get_children (sop->project, &upg_entity_sop_step);
  sop->team = upg_record_get_children (sop->project, &upg_entity_member);
  sop->zone = upg_zone_name (upg_record_get_string (sop->project, UPG_PROJECT_TIME_ZONE));
  upg_sop_progress (sop->steps, NULL, &sop->progress);

  /* The audit trail: every check, uncheck and skip of every step. */
  sop->histories = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0, n = g_list_model_get_n_items (sop->steps); i < n; i++)
    {
      g_autoptr(UpgRecord) step = g_list_model_get_item (sop->steps, i);
      GPtrArray *history = upg_store_list_check_events (store, step, error);

      if (history == NULL)
        return FALSE;
      g_hash_table_insert (sop->histories, step, history);   /* the list holds the step */
    }

  sop->sections = g_array_new (FALSE, TRUE, sizeof (Section));
  g_array_set_clear_func (sop->sections, (GDestroyNotify) section_clear);
  for (guint i = 0; phases[i] != NULL; i++)
    {
      Section section = { phases[i], upg_sop_steps_in_phase (sop->steps, phases[i]) };

      /* The rollback plan is always shown, even before it has steps. */
      if (section.steps->len == 0 && strcmp (phases[i], "rollback") != 0)
        {
          section_clear (&section);
          continue;
        }
      upg_sop_progress (sop->steps, phases[i], &section.progress);
      g_array_append_val (sop->sections, section);
    }
  return TRUE;
}

static GPtrArray *
step_history (Sop *sop, UpgRecord *step)
{
  return g_hash_table_lookup (sop->histories, step);
}

static const UpgCheckEvent *
last_event (Sop *sop, UpgRecord *step)
{
  GPtrArray *history = step_history (sop, step);

  return history && history->len > 0 ? history->pdata[history->len - 1] : NULL;
}

static StepState
step_state (Sop *sop, UpgRecord *step)
{
  const UpgCheckEvent *last;

  if (upg_sop_step_is_done (step))
    return STEP_DONE;
  last = last_event (sop, step);
  return last && g_strcmp0 (last->action, "skip") == 0 ? STEP_SKIPPED : STEP_OPEN;
}

/* "2026-11-25 17:55 (Asia/Shanghai) — Unchecked by Jonas Berg: reason" */
static char *
format_event (Sop *sop, const UpgCheckEvent *event)
{
  g_autofree char *when = upg_zone_format_time (event->at, sop->zone);
  g_autofree char *what = upg_sop_event_describe (event);

  /* Translators: an entry of a step's history: when, then what happened */
  return g_strdup_printf (_("%s — %s"), when, what);
}

static const char *
project_string (Sop *sop, guint field)
{
  const char *s = upg_record_get_string (sop->project, field);
  return s ? s : "";
}

static char *
document_title (Sop *sop)
{
  /* Translators: the title of an exported or printed checklist; %s is the project */
  return g_strdup_printf (_("SOP checklist: %s"), project_string (sop, UPG_PROJECT_NAME));
}

/* "2026-12-05 09:00 – 11:00 (Asia/Shanghai, UTC+8)", as the report says it. */
static char *
format_window (Sop *sop)
{
  const char *start = upg_record_get_string (sop->project, UPG_PROJECT_WINDOW_START);
  const char *end = upg_record_get_string (sop->project, UPG_PROJECT_WINDOW_END);
  g_autoptr(GDateTime) s = start ? upg_timestamp_to_datetime (start) : NULL;

  if (s == NULL)
    return g_strdup (_("Not scheduled"));
  return upg_retro_format_window (start, end, sop->zone);
}

static char *
format_rollback (Sop *sop)
{
  int minutes = upg_record_get_int (sop->project, UPG_PROJECT_ROLLBACK_TARGET_MINUTES);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Restore service within %d minute",
                                       "Restore service within %d minutes", minutes),
                          minutes);
}

static char *
format_progress (const UpgSopProgress *p)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u of %u step done (required: %u of %u)",
                                       "%u of %u steps done (required: %u of %u)", p->total),
                          p->done, p->total, p->required_done, p->required_total);
}

static char *
format_section_aside (const Section *section)
{
  if (section->progress.total == 0)
    return NULL;
  /* Translators: progress of one phase of the checklist */
  return g_strdup_printf (_("%u of %u done"), section->progress.done, section->progress.total);
}

/* The facts of the header, as (label, value) with the value built by @esc. */
typedef struct {
  char *label;
  char *value;
} Fact;

static void
fact_clear (Fact *fact)
{
  g_free (fact->label);
  g_free (fact->value);
}

static GArray *
build_facts (Sop *sop, Escaper esc)
{
  GArray *facts = g_array_new (FALSE, TRUE, sizeof (Fact));
  const char *from = upg_record_get_string (sop->project, UPG_PROJECT_VERSION_FROM);
  const char *to = upg_record_get_string (sop->project, UPG_PROJECT_VERSION_TO);
  const char *build = upg_record_get_string (sop->project, UPG_PROJECT_BUILD_ID);
  GString *v;
  Fact fact;

  g_array_set_clear_func (facts, (GDestroyNotify) fact_clear);

#define ADD_FACT(l, val) G_STMT_START { \
    fact.label = g_strdup (l); fact.value = (val); g_array_append_val (facts, fact); \
  } G_STMT_END

  v = g_string_new (NULL);
  esc (v, upg_enum_label (upg_project_statuses, project_string (sop, UPG_PROJECT_STATUS)));
  ADD_FACT (_("Status"), g_string_free (v, FALSE));

  v = g_string_new (NULL);
  esc (v, from && *from ? from : "?");
  g_string_append (v, " → ");
  esc (v, to && *to ? to : "?");
  ADD_FACT (_("Versions"), g_string_free (v, FALSE));

  v = g_string_new (NULL);
  if (build && *build)
    esc (v, build);
  else
    esc (v, _("None"));
  ADD_FACT (C_("build id", "Build"), g_string_free (v, FALSE));

  v = g_string_new (NULL);
  {
    g_autofree char *w = format_window (sop);
    esc (v, w);
  }
  ADD_FACT (_("Maintenance window"), g_string_free (v, FALSE));

  v = g_string_new (NULL);
  {
    g_autofree char *r = format_rollback (sop);
    esc (v, r);
  }
  ADD_FACT (_("Rollback target"), g_string_free (v, FALSE));

  v = g_string_new (NULL);
  {
    g_autofree char *p = format_progress (&sop->progress);
    esc (v, p);
  }
  ADD_FACT (_("Progress"), g_string_free (v, FALSE));
#undef ADD_FACT

  return facts;
}

/* "Owner: DevOps · Required · Checked by Mei Lin at 2026-12-05 10:14 (Asia/Shanghai)" */
static void
append_step_meta (GString *out, Sop *sop, UpgRecord *step, Escaper esc)
{
  const char *role = upg_record_get_string (step, UPG_SOP_STEP_OWNER_ROLE);
  const char *by = upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY);
  g_autofree char *owner = NULL;

  if (role && *role)
    owner = g_strdup_printf (_("Owner: %s"), upg_enum_label (upg_roles, role));
  else
    owner = g_strdup (_("No owner"));
  esc (out, owner);
  g_string_append (out, " · ");
  esc (out, upg_record_get_bool (step, UPG_SOP_STEP_REQUIRED) ? _("Required") : _("Optional"));
  switch (step_state (sop, step))
    {
    case STEP_DONE:
      {
        g_autofree char *when = upg_zone_format_time (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT), sop->zone);
        g_autofree char *text = NULL;

        if (by && *by)
          /* Translators: "Checked by Mei Lin at 2026-12-05 10:14 (Asia/Shanghai)" */
          text = g_strdup_printf (_("Checked by %s at %s"), by, when);
        else
          text = g_strdup_printf (_("Checked at %s"), when);
        g_string_append (out, " · ");
        esc (out, text);
      }
      break;
    case STEP_SKIPPED:
      {
        const UpgCheckEvent *skip = last_event (sop, step);
        g_autofree char *when = upg_zone_format_time (skip->at, sop->zone);
        /* Translators: "Skipped by Mei Lin at 2026-12-05 10:14 (Asia/Shanghai)" */
        g_autofree char *text = g_strdup_printf (_("Skipped by %s at %s"), skip->actor ? skip->actor : "", when);

        g_string_append (out, " · ");
        esc (out, text);
      }
      break;
    case STEP_OPEN:
    default:
      break;
    }
}

static const char *
nonempty (const char *s)
{
  return s && *s ? s : NULL;
}

/* ---- Markdown ------------------------------------------------------------ */

/* The box of a step in Markdown and text: done, open, or skipped (which a
 * task list has no box for: it reads "[-]"). */
static const char * const box_text[] = { "- [ ]", "- [x]", "- [-]" };

/* Whether @member has a phone or on-call contact to print beside the role. */
static gboolean
has_phone (UpgRecord *member)
{
  return !upg_text_is_blank (upg_record_get_string (member, UPG_MEMBER_PHONE));
}

static GBytes *
to_markdown (Sop *sop)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GArray) facts = build_facts (sop, append_md);
  g_autofree char *title = document_title (sop);
  guint n_team = sop->team ? g_list_model_get_n_items (sop->team) : 0;

  g_string_append (out, "# ");
  append_md_heading (out, title);
  g_string_append (out, "\n\n");
  for (guint i = 0; i < facts->len; i++)
    {
      Fact *f = &g_array_index (facts, Fact, i);
      g_string_append (out, "- **");
      append_md (out, f->label);
      g_string_append (out, ":** ");
      g_string_append (out, f->value);
      g_string_append_c (out, '\n');
    }

  g_string_append (out, "\n## ");
  append_md (out, _("Team"));
  g_string_append (out, "\n\n");
  if (n_team == 0)
    {
      g_string_append (out, "_");
      append_md (out, _("No team members yet."));
      g_string_append (out, "_\n");
    }
  for (guint i = 0; i < n_team; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (sop->team, i);
      g_string_append (out, "- ");
      append_md (out, upg_record_get_string (m, UPG_MEMBER_NAME));
      g_string_append (out, " — ");
      append_md (out, upg_enum_label (upg_roles, upg_record_get_string (m, UPG_MEMBER_ROLE)));
      if (has_phone (m))
        {
          g_string_append (out, " · ");
          append_md (out, upg_record_get_string (m, UPG_MEMBER_PHONE));
        }
      g_string_append_c (out, '\n');
    }

  for (guint s = 0; s < sop->sections->len; s++)
    {
      Section *section = &g_array_index (sop->sections, Section, s);
      g_autofree char *aside = format_section_aside (section);

      g_string_append (out, "\n## ");
      append_md (out, upg_enum_label (upg_phases, section->phase));
      if (aside)
        {
          g_string_append (out, " — ");
          append_md (out, aside);
        }
      g_string_append (out, "\n\n");
      if (strcmp (section->phase, "rollback") == 0)
        {
          g_autofree char *target = format_rollback (sop);
          g_string_append (out, "**");
          append_md (out, target);
          g_string_append (out, "**\n\n");
          if (section->steps->len == 0)
            {
              g_string_append (out, "_");
              append_md (out, _("No rollback steps yet."));
              g_string_append (out, "_\n");
            }
        }
      for (guint i = 0; i < section->steps->len; i++)
        {
          UpgRecord *step = g_ptr_array_index (section->steps, i);
          const char *details = nonempty (upg_record_get_string (step, UPG_SOP_STEP_DETAILS));
          const char *note = nonempty (upg_record_get_string (step, UPG_SOP_STEP_NOTE));

          GPtrArray *history = step_history (sop, step);

          g_string_append (out, box_text[step_state (sop, step)]);
          g_string_append (out, " **");
          append_md (out, upg_record_get_string (step, UPG_SOP_STEP_TITLE));
          g_string_append (out, "**\\\n  ");
          append_step_meta (out, sop, step, append_md);
          if (details)
            {
              g_string_append (out, "\\\n  ");
              append_md (out, details);
            }
          if (note)
            {
              g_string_append (out, "\\\n  _");
              append_md (out, _("Note:"));
              g_string_append (out, "_ ");
              append_md (out, note);
            }
          if (history->len > 0)
            {
              /* The paragraph ends here; the entries are a list inside the item. */
              g_string_append (out, "\\\n  _");
              append_md (out, _("History:"));
              g_string_append (out, "_");
            }
          for (guint h = 0; h < history->len; h++)
            {
              g_autofree char *entry = format_event (sop, history->pdata[h]);
              g_string_append (out, "\n  - ");
              append_md (out, entry);
            }
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free_to_bytes (out);
}

/* ---- Plain text ---------------------------------------------------------- */

/* @text with every line after the first indented by @indent spaces. */
static void
append_indented (GString *out, const char *text, guint indent)
{
  g_autofree char *sane = upg_text_sanitize (text);
  g_autofree char *clean = upg_text_show_bidi (sane);

  for (const char *p = clean; *p; p++)
    {
      g_string_append_c (out, *p);
      if (*p == '\n')
        for (guint i = 0; i < indent; i++)
          g_string_append_c (out, ' ');
    }
}

static guint
display_width (const char *text)
{
  guint width = 0;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

static void
append_text_heading (GString *out, const char *heading, char underline)
{
  guint width = display_width (heading);

  g_string_append (out, heading);
  g_string_append_c (out, '\n');
  for (guint i = 0; i < width; i++)
    g_string_append_c (out, underline);
  g_string_append_c (out, '\n');
}

static GBytes *
to_text (Sop *sop)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GArray) facts = build_facts (sop, append_plain);
  g_autofree char *title = document_title (sop);
  g_autofree char *sane_title = upg_text_sanitize (title);
  g_autofree char *clean_title = upg_text_show_bidi (sane_title);
  guint n_team = sop->team ? g_list_model_get_n_items (sop->team) : 0;
  g_autofree char *one_line = g_strdelimit (g_strdup (clean_title), "\n\t", ' ');

  append_text_heading (out, one_line, '=');
  g_string_append_c (out, '\n');
  for (guint i = 0; i < facts->len; i++)
    {
      Fact *f = &g_array_index (facts, Fact, i);
      g_string_append_printf (out, "%s: ", f->label);
      append_indented (out, f->value, 2);
      g_string_append_c (out, '\n');
    }

  g_string_append_c (out, '\n');
  append_text_heading (out, _("Team"), '-');
  if (n_team == 0)
    g_string_append_printf (out, "  %s\n", _("No team members yet."));
  for (guint i = 0; i < n_team; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (sop->team, i);
      g_string_append (out, "  ");
      append_indented (out, upg_record_get_string (m, UPG_MEMBER_NAME), 4);
      g_string_append_printf (out, " — %s",
                              upg_enum_label (upg_roles, upg_record_get_string (m, UPG_MEMBER_ROLE)));
      if (has_phone (m))
        {
          g_string_append (out, " · ");
          append_indented (out, upg_record_get_string (m, UPG_MEMBER_PHONE), 4);
        }
      g_string_append_c (out, '\n');
    }

  for (guint s = 0; s < sop->sections->len; s++)
    {
      Section *section = &g_array_index (sop->sections, Section, s);
      g_autofree char *aside = format_section_aside (section);
      g_autofree char *heading = aside ? g_strdup_printf ("%s — %s",
                                                          upg_enum_label (upg_phases, section->phase), aside)
                                       : g_strdup (upg_enum_label (upg_phases, section->phase));

      g_string_append_c (out, '\n');
      append_text_heading (out, heading, '-');
      if (strcmp (section->phase, "rollback") == 0)
        {
          g_autofree char *target = format_rollback (sop);
          g_string_append_printf (out, "  %s\n", target);
          if (section->steps->len == 0)
            g_string_append_printf (out, "  %s\n", _("No rollback steps yet."));
        }
      for (guint i = 0; i < section->steps->len; i++)
        {
          UpgRecord *step = g_ptr_array_index (section->steps, i);
          const char *details = nonempty (upg_record_get_string (step, UPG_SOP_STEP_DETAILS));
          const char *note = nonempty (upg_record_get_string (step, UPG_SOP_STEP_NOTE));
          GString *meta = g_string_new (NULL);

          GPtrArray *history = step_history (sop, step);

          g_string_append_printf (out, "  %s ", box_text[step_state (sop, step)] + 2);
          append_indented (out, upg_record_get_string (step, UPG_SOP_STEP_TITLE), 6);
          g_string_append (out, "\n      ");
          append_step_meta (meta, sop, step, append_plain);
          append_indented (out, meta->str, 6);
          g_string_free (meta, TRUE);
          if (details)
            {
              g_string_append (out, "\n      ");
              append_indented (out, details, 6);
            }
          if (note)
            {
              g_string_append_printf (out, "\n      %s ", _("Note:"));
              append_indented (out, note, 6);
            }
          if (history->len > 0)
            g_string_append_printf (out, "\n      %s", _("History:"));
          for (guint h = 0; h < history->len; h++)
            {
              g_autofree char *entry = format_event (sop, history->pdata[h]);
              g_string_append (out, "\n        ");
              append_indented (out, entry, 8);
            }
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free_to_bytes (out);
}

/* ---- CSV ----------------------------------------------------------------- */

/* The history in one cell, an entry a line, in the plan format's words:
 * "2026-11-25T17:55:00+08:00 uncheck Jonas Berg: reason". */
static char *
csv_history (Sop *sop, UpgRecord *step)
{
  GPtrArray *history = step_history (sop, step);
  GString *cell = g_string_new (NULL);

  for (guint h = 0; h < history->len; h++)
    {
      const UpgCheckEvent *event = history->pdata[h];
      g_autofree char *at = upg_zone_format_iso (event->at, sop->zone);

      if (h > 0)
        g_string_append_c (cell, '\n');
      g_string_append_printf (cell, "%s %s %s", at, event->action ? event->action : "",
                              event->actor ? event->actor : "");
      if (event->reason != NULL && *event->reason != '\0')
        g_string_append_printf (cell, ": %s", event->reason);
    }
  return g_string_free (cell, FALSE);
}

static GBytes *
to_csv (Sop *sop, UpgCsvForm form)
{
  static const char * const states[] = { "open", "done", "skipped" };
  const char *state_labels[] = { C_("step state", "Open"), C_("step state", "Done"), C_("step state", "Skipped") };
  UpgCsv csv;

  upg_csv_init (&csv, form);
  upg_csv_column (&csv, "phase", N_("Phase"));
  upg_csv_column (&csv, "title", N_("Title"));
  upg_csv_column (&csv, "details", N_("Details"));
  upg_csv_column (&csv, "owner_role", N_("Owner Role"));
  upg_csv_column (&csv, "required", N_("Required"));
  upg_csv_column (&csv, "done", N_("Done"));
  upg_csv_column (&csv, "checked_at", N_("Checked At"));
  upg_csv_column (&csv, "checked_by", N_("Checked By"));
  upg_csv_column (&csv, "note", N_("Note"));
  upg_csv_column (&csv, "state", N_("State"));
  upg_csv_column (&csv, "history", N_("History"));
  upg_csv_end_row (&csv);
  for (guint s = 0; s < sop->sections->len; s++)
    {
      Section *section = &g_array_index (sop->sections, Section, s);
      for (guint i = 0; i < section->steps->len; i++)
        {
          UpgRecord *step = g_ptr_array_index (section->steps, i);
          g_autofree char *checked_at = upg_zone_format_iso (upg_record_get_string (step, UPG_SOP_STEP_CHECKED_AT),
                                                             sop->zone);
          g_autofree char *history = csv_history (sop, step);
          guint state = step_state (sop, step);

          upg_csv_word (&csv, upg_phases, upg_record_get_string (step, UPG_SOP_STEP_PHASE));
          upg_csv_text (&csv, upg_record_get_string (step, UPG_SOP_STEP_TITLE));
          upg_csv_text (&csv, upg_record_get_string (step, UPG_SOP_STEP_DETAILS));
          upg_csv_word (&csv, upg_roles, upg_record_get_string (step, UPG_SOP_STEP_OWNER_ROLE));
          upg_csv_bool (&csv, upg_record_get_bool (step, UPG_SOP_STEP_REQUIRED));
          upg_csv_bool (&csv, upg_sop_step_is_done (step));
          upg_csv_text (&csv, checked_at);
          upg_csv_text (&csv, upg_record_get_string (step, UPG_SOP_STEP_CHECKED_BY));
          upg_csv_text (&csv, upg_record_get_string (step, UPG_SOP_STEP_NOTE));
          upg_csv_labelled (&csv, states[state], state_labels[state]);
          upg_csv_text (&csv, history);
          upg_csv_end_row (&csv);
        }
    }
  return upg_csv_finish (&csv);
}

/* ---- HTML ---------------------------------------------------------------- */

static const char html_style[] =
  ":root{color-scheme:light;--fg:#241f31;--dim:#5e5c64;--line:#deddda;--accent:#1c71d8;}\n"
  "*{box-sizing:border-box;}\n"
  "body{font-family:Cantarell,'Noto Sans','DejaVu Sans','Noto Sans CJK SC',sans-serif;"
  "color:var(--fg);background:#fff;max-width:52rem;margin:2rem auto;padding:0 1.5rem;"
  "line-height:1.45;font-size:11pt;}\n"
  "h1{font-size:1.6rem;margin:0 0 .8rem;overflow-wrap:anywhere;}\n"
  "h2{font-size:1.15rem;margin:1.6rem 0 .5rem;padding-bottom:.25rem;"
  "border-bottom:1px solid var(--line);break-after:avoid;}\n"
  "h2 .aside{font-weight:normal;font-size:.85rem;color:var(--dim);margin-left:.6rem;}\n"
  "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1.2rem;margin:0;}\n"
  "dl.facts dt{font-weight:bold;}\n"
  "dl.facts dd{margin:0;overflow-wrap:anywhere;white-space:pre-wrap;}\n"
  "ul{padding:0;margin:0;list-style:none;}\n"
  "ul.team li{padding:.1rem 0;}\n"
  "ul.team .role{color:var(--dim);}\n"
  "section.rollback{border:2px solid #e01b24;border-radius:8px;padding:.2rem 1rem .8rem;margin-top:1.4rem;}\n"
  "section.rollback h2{margin-top:.6rem;}\n"
  "p.target{font-weight:bold;margin:.3rem 0 .4rem;}\n"
  "p.empty{color:var(--dim);font-style:italic;margin:.3rem 0;}\n"
  "li.step{display:grid;grid-template-columns:1.4rem 1fr;padding:.45rem 0;"
  "border-bottom:1px solid var(--line);break-inside:avoid;}\n"
  "li.step:last-child{border-bottom:none;}\n"
  ".box{display:inline-block;width:.95rem;height:.95rem;margin-top:.2rem;border:1.5px solid #77767b;"
  "border-radius:3px;font-size:.75rem;line-height:.8rem;text-align:center;color:#fff;}\n"
  "li.done .box{background:var(--accent);border-color:var(--accent);}\n"
  "li.skipped .box{color:#77767b;}\n"
  ".step p{margin:0;overflow-wrap:anywhere;white-space:pre-wrap;}\n"
  ".step .title{font-weight:bold;}\n"
  ".step .meta{font-size:.85rem;color:var(--dim);}\n"
  ".step .note{font-style:italic;}\n"
  ".step .history-label{font-size:.85rem;color:var(--dim);margin-top:.2rem;}\n"
  ".step ul.history{font-size:.85rem;color:var(--dim);}\n"
  ".step ul.history li{overflow-wrap:anywhere;white-space:pre-wrap;}\n"
  "@media print{body{margin:0;max-width:none;padding:0;font-size:10pt;}"
  "*{-webkit-print-color-adjust:exact;print-color-adjust:exact;}}\n";

static void
append_html_text (GString *out, const char *tag, const char *klass, const char *text)
{
  g_string_append_printf (out, "<%s class=\"%s\">", tag, klass);
  append_html (out, text);
  g_string_append_printf (out, "</%s>", tag);
}

static GBytes *
to_html (Sop *sop)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GArray) facts = build_facts (sop, append_html);
  g_autofree char *title = document_title (sop);
  guint n_team = sop->team ? g_list_model_get_n_items (sop->team) : 0;

  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"");
  /* Translators: the language code of exported HTML files (e.g. zh-CN) */
  append_html (out, C_("HTML lang", "en"));
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\" />\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
                        "<meta name=\"generator\" content=\"Upgrade Planner\" />\n<title>");
  append_html (out, title);
  g_string_append_printf (out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", html_style);
  append_html (out, title);
  g_string_append (out, "</h1>\n<dl class=\"facts\">\n");
  for (guint i = 0; i < facts->len; i++)
    {
      Fact *f = &g_array_index (facts, Fact, i);
      g_string_append (out, "<dt>");
      append_html (out, f->label);
      g_string_append_printf (out, "</dt><dd>%s</dd>\n", f->value);
    }
  g_string_append (out, "</dl>\n</header>\n");

  g_string_append (out, "<section class=\"team\">\n<h2>");
  append_html (out, _("Team"));
  g_string_append (out, "</h2>\n");
  if (n_team == 0)
    {
      append_html_text (out, "p", "empty", _("No team members yet."));
      g_string_append_c (out, '\n');
    }
  else
    {
      g_string_append (out, "<ul class=\"team\">\n");
      for (guint i = 0; i < n_team; i++)
        {
          g_autoptr(UpgRecord) m = g_list_model_get_item (sop->team, i);
          g_string_append (out, "<li>");
          append_html_text (out, "span", "name", upg_record_get_string (m, UPG_MEMBER_NAME));
          g_string_append (out, " — ");
          append_html_text (out, "span", "role",
                            upg_enum_label (upg_roles, upg_record_get_string (m, UPG_MEMBER_ROLE)));
          if (has_phone (m))
            {
              g_string_append (out, " · ");
              append_html_text (out, "span", "phone", upg_record_get_string (m, UPG_MEMBER_PHONE));
            }
          g_string_append (out, "</li>\n");
        }
      g_string_append (out, "</ul>\n");
    }
  g_string_append (out, "</section>\n");

  for (guint s = 0; s < sop->sections->len; s++)
    {
      Section *section = &g_array_index (sop->sections, Section, s);
      g_autofree char *aside = format_section_aside (section);

      g_string_append_printf (out, "<section class=\"phase %s\" id=\"phase-%s\">\n<h2>",
                              strcmp (section->phase, "rollback") == 0 ? "rollback" : "",
                              section->phase);
      append_html (out, upg_enum_label (upg_phases, section->phase));
      if (aside)
        {
          g_string_append (out, " ");
          append_html_text (out, "span", "aside", aside);
        }
      g_string_append (out, "</h2>\n");
      if (strcmp (section->phase, "rollback") == 0)
        {
          g_autofree char *target = format_rollback (sop);
          append_html_text (out, "p", "target", target);
          g_string_append_c (out, '\n');
          if (section->steps->len == 0)
            {
              append_html_text (out, "p", "empty", _("No rollback steps yet."));
              g_string_append_c (out, '\n');
            }
        }
      if (section->steps->len > 0)
        g_string_append (out, "<ul class=\"steps\">\n");
      for (guint i = 0; i < section->steps->len; i++)
        {
          UpgRecord *step = g_ptr_array_index (section->steps, i);
          const char *details = nonempty (upg_record_get_string (step, UPG_SOP_STEP_DETAILS));
          const char *note = nonempty (upg_record_get_string (step, UPG_SOP_STEP_NOTE));
          StepState state = step_state (sop, step);
          GPtrArray *history = step_history (sop, step);
          static const char * const klass[] = { "", " done", " skipped" };
          static const char * const mark[] = { "", "✓", "–" };
          const char *label = state == STEP_DONE ? _("Done") : state == STEP_SKIPPED ? _("Skipped") : _("Not done");

          g_string_append_printf (out, "<li class=\"step%s\"><span class=\"box\" role=\"img\" aria-label=\"",
                                  klass[state]);
          append_html (out, label);
          g_string_append_printf (out, "\">%s</span><div>", mark[state]);
          append_html_text (out, "p", "title", upg_record_get_string (step, UPG_SOP_STEP_TITLE));
          g_string_append (out, "<p class=\"meta\">");
          append_step_meta (out, sop, step, append_html);
          g_string_append (out, "</p>");
          if (details)
            append_html_text (out, "p", "details", details);
          if (note)
            {
              g_autofree char *text = g_strdup_printf ("%s %s", _("Note:"), note);
              append_html_text (out, "p", "note", text);
            }
          if (history->len > 0)
            {
              append_html_text (out, "p", "history-label", _("History:"));
              g_string_append (out, "<ul class=\"history\">");
              for (guint h = 0; h < history->len; h++)
                {
                  g_autofree char *entry = format_event (sop, history->pdata[h]);
                  append_html_text (out, "li", "entry", entry);
                }
              g_string_append (out, "</ul>");
            }
          g_string_append (out, "</div></li>\n");
        }
      if (section->steps->len > 0)
        g_string_append (out, "</ul>\n");
      g_string_append (out, "</section>\n");
    }
  g_string_append (out, "</body>\n</html>\n");
  return g_string_free_to_bytes (out);
}

/* ---- PDF ----------------------------------------------------------------- */

static UpgPdfDoc *
build_pdf_doc (Sop *sop)
{
  g_autofree char *title = document_title (sop);
  g_autoptr(GArray) facts = build_facts (sop, append_plain);
  UpgPdfDoc *doc = upg_pdf_doc_new (title);
  guint n_team = sop->team ? g_list_model_get_n_items (sop->team) : 0;

  upg_pdf_doc_add_title (doc, title);
  for (guint i = 0; i < facts->len; i++)
    {
      Fact *f = &g_array_index (facts, Fact, i);
      upg_pdf_doc_add_field (doc, f->label, f->value);
    }

  upg_pdf_doc_add_heading (doc, _("Team"), NULL);
  if (n_team == 0)
    upg_pdf_doc_add_text (doc, _("No team members yet."), TRUE);
  for (guint i = 0; i < n_team; i++)
    {
      g_autoptr(UpgRecord) m = g_list_model_get_item (sop->team, i);
      const char *role = upg_enum_label (upg_roles, upg_record_get_string (m, UPG_MEMBER_ROLE));
      g_autofree char *value = has_phone (m) ? g_strdup_printf ("%s · %s", role, upg_record_get_string (m, UPG_MEMBER_PHONE))
                                             : g_strdup (role);
      upg_pdf_doc_add_field (doc, upg_record_get_string (m, UPG_MEMBER_NAME), value);
    }

  for (guint s = 0; s < sop->sections->len; s++)
    {
      Section *section = &g_array_index (sop->sections, Section, s);
      g_autofree char *aside = format_section_aside (section);

      upg_pdf_doc_add_heading (doc, upg_enum_label (upg_phases, section->phase), aside);
      if (strcmp (section->phase, "rollback") == 0)
        {
          g_autofree char *target = format_rollback (sop);
          upg_pdf_doc_add_text (doc, target, FALSE);
          if (section->steps->len == 0)
            upg_pdf_doc_add_text (doc, _("No rollback steps yet."), TRUE);
        }
      for (guint i = 0; i < section->steps->len; i++)
        {
          UpgRecord *step = g_ptr_array_index (section->steps, i);
          const char *details = nonempty (upg_record_get_string (step, UPG_SOP_STEP_DETAILS));
          const char *note = nonempty (upg_record_get_string (step, UPG_SOP_STEP_NOTE));
          GPtrArray *history = step_history (sop, step);
          static const UpgPdfBox boxes[] = { UPG_PDF_BOX_EMPTY, UPG_PDF_BOX_CHECKED, UPG_PDF_BOX_SKIPPED };
          g_autoptr(GString) meta = g_string_new (NULL);
          g_autoptr(GString) body = g_string_new (NULL);

          append_step_meta (meta, sop, step, append_plain);
          /* Each text cut on its own (upg_pdf_clip ()), so that long
           * details leave the note and the history in. */
          if (details)
            {
              g_autofree char *clipped = upg_pdf_clip (details);
              g_string_append (body, clipped);
            }
          if (note)
            {
              g_autofree char *clipped = upg_pdf_clip (note);
              g_string_append_printf (body, "%s%s %s", body->len ? "\n" : "", _("Note:"), clipped);
            }
          if (history->len > 0)
            g_string_append_printf (body, "%s%s", body->len ? "\n" : "", _("History:"));
          for (guint h = 0; h < history->len; h++)
            {
              g_autofree char *entry = format_event (sop, history->pdata[h]);
              g_autofree char *clipped = upg_pdf_clip (entry);
              g_string_append_printf (body, "\n  %s", clipped);
            }
          upg_pdf_doc_add_item (doc, boxes[step_state (sop, step)],
                                upg_record_get_string (step, UPG_SOP_STEP_TITLE),
                                meta->str, body->str);
        }
    }
  return doc;
}

UpgPdfDoc *
upg_export_sop_pdf_doc (UpgStore    *store,
                        UpgProject  *project,
                        GError     **error)
{
  Sop sop;
  UpgPdfDoc *doc = NULL;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  if (sop_init (&sop, store, project, error))
    doc = build_pdf_doc (&sop);
  sop_clear (&sop);
  return doc;
}

/* ---- Entry points -------------------------------------------------------- */

GBytes *
upg_export_sop_project (UpgStore                *store,
                        UpgProject              *project,
                        const UpgExportOptions  *options,
                        GError                 **error)
{
  const char *format = options && options->format ? options->format : "md";
  GBytes *bytes = NULL;
  Sop sop;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);
  g_return_val_if_fail (UPG_IS_PROJECT (project), NULL);

  if (!sop_init (&sop, store, project, error))
    {
      sop_clear (&sop);
      return NULL;
    }

  if (strcmp (format, "md") == 0)
    bytes = to_markdown (&sop);
  else if (strcmp (format, "txt") == 0)
    bytes = to_text (&sop);
  else if (strcmp (format, "csv") == 0)
    bytes = to_csv (&sop, options ? options->csv_form : UPG_CSV_SPREADSHEET);
  else if (strcmp (format, "html") == 0)
    bytes = to_html (&sop);
  else if (strcmp (format, "pdf") == 0)
    {
      g_autoptr(UpgPdfDoc) doc = build_pdf_doc (&sop);
      g_autofree char *title = document_title (&sop);
      const char *paper = options && options->paper ? options->paper : "a4";
      bytes = upg_pdf_doc_to_pdf (doc, paper, title, error);
    }
  else
    g_set_error (error, UPG_EXPORT_ERROR, UPG_EXPORT_ERROR_UNKNOWN_FORMAT,
                 _("The checklist cannot be exported as %s"), format);

  sop_clear (&sop);
  return bytes;
}

GBytes *
upg_export_sop (UpgStore                *store,
                gint64                   project_id,
                const UpgExportOptions  *options,
                GError                 **error)
{
  g_autoptr(UpgProject) project = NULL;

  g_return_val_if_fail (UPG_IS_STORE (store), NULL);

  project = upg_store_lookup_project (store, project_id, error);
  if (project == NULL)
    return NULL;
  return upg_export_sop_project (store, project, options, error);
}

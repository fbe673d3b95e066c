/* SPDX-License-Identifier: GPL-3.0-or-later */
/* upg-template.h — the email template language: its grammar, its validator
 * and its renderer. A template is data, never code.
 *
 * A template is text with tags:
 *   {{ project.name }}                 a name from the fixed list below
 *   {{ if NAME }} … {{ else if NAME == "text" }} … {{ else }} … {{ end }}
 *                                      a test: a name alone (not empty, not 0,
 *                                      true), or compared (== != < <= > >=)
 *                                      with a quoted text or a whole number
 *   {{ for x in changes }} {{ x }} {{ end }}
 *                                      one round a line of a list
 * \{ writes a “{”; a newline right after an if, else, end or for tag is
 * dropped. Nothing else is a tag: no calls, no assignment, no loops but
 * for, no require. docs/templates.md has the grammar and the reasons.
 *
 * upg_template_parse() is the one validator: every template is parsed by
 * it before it is stored (import, the store) and again before it is
 * rendered, and a parsed template is the only thing the renderer runs.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define UPG_TEMPLATE_ERROR (upg_template_error_quark ())

typedef enum {
  UPG_TEMPLATE_ERROR_SYNTAX,   /* not the language: the error has a line and column */
  UPG_TEMPLATE_ERROR_BUDGET,   /* the output or the time is over the budget */
} UpgTemplateError;

GQuark upg_template_error_quark (void);

/* The render budget: no more output, no longer (in milliseconds). */
#define UPG_TEMPLATE_MAX_OUTPUT   (1024 * 1024)
#define UPG_TEMPLATE_MAX_MSEC     100
/* How deep if and for blocks may nest. */
#define UPG_TEMPLATE_MAX_DEPTH    16

typedef enum {
  UPG_TEMPLATE_TEXT,      /* shown as it is; "" when the plan has none */
  UPG_TEMPLATE_NUMBER,    /* a whole number, "" when the plan has none */
  UPG_TEMPLATE_FLAG,      /* "true" or "false" */
  UPG_TEMPLATE_LIST,      /* lines of text, for {{ for }} and {{ if }} only */
} UpgTemplateKind;

typedef struct {
  const char      *name;  /* "project.name", "moment", "changes" */
  UpgTemplateKind  kind;
} UpgTemplateName;

/* Every name a template may use, in a fixed order; @n_names gets how many. */
const UpgTemplateName *upg_template_names (guint *n_names);

typedef struct _UpgTemplate UpgTemplate;

/* Parses @text. On failure NULL and @error (UPG_TEMPLATE_ERROR_SYNTAX) says
 * why, translated; *line and *column (1-based, the column in characters)
 * say where, when given. */
UpgTemplate *upg_template_parse     (const char   *text,
                                     int          *line,
                                     int          *column,
                                     GError      **error);
void         upg_template_free      (UpgTemplate  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpgTemplate, upg_template_free)

/* Whether @text is a template the app accepts; else FALSE with the message
 * "line L, column C: why" (what import and the store say after the path). */
gboolean     upg_template_validate  (const char   *text,
                                     char        **message);

/* The values a template is rendered with: every name of
 * upg_template_names() is "" (0 items, false) until it is set. */
typedef struct _UpgTemplateData UpgTemplateData;

UpgTemplateData *upg_template_data_new        (void);
void             upg_template_data_free       (UpgTemplateData    *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpgTemplateData, upg_template_data_free)
/* @name must be a name of the kind the setter is for. */
void             upg_template_data_set_text   (UpgTemplateData    *data,
                                               const char         *name,
                                               const char         *text);
/* @present FALSE: the plan has no number there ("" and false in a test). */
void             upg_template_data_set_number (UpgTemplateData    *data,
                                               const char         *name,
                                               gint64              number,
                                               gboolean            present);
void             upg_template_data_set_flag   (UpgTemplateData    *data,
                                               const char         *name,
                                               gboolean            flag);
void             upg_template_data_set_list   (UpgTemplateData    *data,
                                               const char         *name,
                                               const char * const *items);

/* Renders @self with @data within the budget; NULL with
 * UPG_TEMPLATE_ERROR_BUDGET when the output would pass
 * UPG_TEMPLATE_MAX_OUTPUT bytes or the work UPG_TEMPLATE_MAX_MSEC. */
char            *upg_template_render          (const UpgTemplate     *self,
                                               const UpgTemplateData *data,
                                               GError               **error);

G_END_DECLS

/* upg-store-facts.h — the few columns a view over every project needs, read
 * in one query a table without making records (Insights over 1000
 * projects): a project's risks, gray stages, retrospective and open
 * actions, keyed by the project's id, in the file's order. */
#pragma once

#include "upg-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64  project_id;
  int     category;        /* index in upg_risk_categories, -1 when unknown */
  gboolean occurred;
  int     likelihood;
  int     impact;
} UpgRiskFacts;

typedef struct {
  gint64  project_id;
  gboolean done;           /* a done date */
} UpgGrayFacts;            /* gray_release milestones, in position order */

typedef struct {
  gint64  project_id;
  gboolean rollback_used;
  int     incidents;
  int     rollback_minutes;   /* UPG_INT_NULL when null */
  int     downtime_minutes;
  char   *actual_end;
} UpgRetroFacts;

typedef struct {
  gint64  project_id;
  gint64  item_id;
  char   *text;
  char   *owner;
  char   *due;
  char   *ticket;
  char   *carried_to;
} UpgActionFacts;           /* open actions (kind action, not done), in position order */

typedef struct {
  GArray *risks;           /* UpgRiskFacts */
  GArray *gray;            /* UpgGrayFacts */
  GArray *retros;          /* UpgRetroFacts */
  GArray *actions;         /* UpgActionFacts */
} UpgFacts;

UpgFacts *upg_facts_new              (void);
void      upg_facts_free             (UpgFacts  *facts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpgFacts, upg_facts_free)

/* Reads the facts of every project of @self. */
UpgFacts *upg_store_read_facts       (UpgStore  *self,
                                      GError   **error);

G_END_DECLS

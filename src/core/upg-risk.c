/* upg-risk.c — risk scoring, levels and the risk rules of the plan check. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "upg-risk.h"

UpgWarning *
upg_warning_new (const char *section,
                 const char *message)
{
  UpgWarning *warning = g_new0 (UpgWarning, 1);
  warning->section = g_strdup (section);
  warning->message = g_strdup (message);
  return warning;
}

void
upg_warning_free (UpgWarning *warning)
{
  if (warning == NULL)
    return;
  g_free (warning->section);
  g_free (warning->message);
  g_free (warning);
}

void
upg_risk_append_warnings (UpgProject *project,
                          GPtrArray  *warnings)
{
  /* Filled by the risk matrix work. */
}

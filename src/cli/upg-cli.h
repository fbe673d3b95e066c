/* upg-cli.h — the headless command line. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when argv asks for the command line rather than the window. */
gboolean upg_cli_handles (int    argc,
                          char **argv);
/* Runs it: 0 on success, 1 on bad input, 2 on a usage error. */
int      upg_cli_run     (int    argc,
                          char **argv);

G_END_DECLS

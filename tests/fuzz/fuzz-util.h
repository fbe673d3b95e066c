/* fuzz-util.h — what the fuzz targets share: a scratch folder for plan files
 * and the round-trip check of the plan format. */
#pragma once

#include <glib.h>

#include "core/store/upg-store.h"

G_BEGIN_DECLS

/* Once per process: GLib's warnings and criticals abort (a finding), and a
 * scratch folder under $TMPDIR is made (removed at exit). */
void      fuzz_init             (void);

/* A finding: prints the message and aborts (so libFuzzer saves the input). */
G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
void      fuzz_fail             (const char *format,
                                 ...);

/* A new, empty plan file in the scratch folder; fuzz_store_free() closes it
 * and removes its files. */
UpgStore *fuzz_store_new        (void);
void      fuzz_store_free       (UpgStore *store);

/* Exports every project of @store as a plan, imports that into a new file,
 * exports again and aborts unless both exports are the same bytes.
 * Returns the first export. */
char     *fuzz_check_round_trip (UpgStore *store);

G_END_DECLS

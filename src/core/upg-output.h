/* upg-output.h — writing an export where the user asked: a file replaced
 * atomically, or standard output, every write checked.
 *
 * The one entry point for files that leave the app, for the command line
 * and the window alike.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define UPG_OUTPUT_ERROR (upg_output_error_quark ())

typedef enum {
  UPG_OUTPUT_ERROR_PLAN_FILE,   /* the target is the plan file or one of its companions */
  UPG_OUTPUT_ERROR_NOT_A_FILE,  /* the target is a folder */
  UPG_OUTPUT_ERROR_FAILED,      /* a write, the close or the rename failed */
} UpgOutputError;

GQuark   upg_output_error_quark     (void);

/* Fails when @target is @plan_path, its -wal, -shm or -journal, or one of
 * its backups (FILE.vN-*.bak and .bak.sha256): by name, through symbolic
 * links, and by inode (hard links). @plan_path may be NULL. */
gboolean upg_output_check_target    (const char  *target,
                                     const char  *plan_path,
                                     GError     **error);

/* Writes @bytes to @path: a temporary file beside it, every write, the
 * fsync and the close checked, then renamed over @path. On failure @path is
 * as it was and no temporary file remains. A symbolic link is followed (the
 * file it points to is replaced); a hard link is replaced, never rewritten
 * in place. Refuses @plan_path and its companions (see above). */
gboolean upg_output_write_file      (const char  *path,
                                     GBytes      *bytes,
                                     const char  *plan_path,
                                     GError     **error);

/* Writes @bytes to standard output and flushes it, checking both. */
gboolean upg_output_write_stdout    (GBytes      *bytes,
                                     GError     **error);

G_END_DECLS

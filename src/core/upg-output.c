/* upg-output.c — exports written where the user asked, atomically, every
 * write checked; never over the plan file itself. */
#define _GNU_SOURCE  /* O_TMPFILE */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "upg-output.h"

G_DEFINE_QUARK (upg-output-error-quark, upg_output_error)

static const char * const companions[] = { "", "-wal", "-shm", "-journal", NULL };

/* @path with its folder's symbolic links resolved; the file itself too when
 * it exists. */
static char *
resolve (const char *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  char *real = realpath (absolute, NULL);

  if (real != NULL)
    {
      char *copy = g_strdup (real);
      free (real);
      return copy;
    }
  dir = g_path_get_dirname (absolute);
  base = g_path_get_basename (absolute);
  real = realpath (dir, NULL);
  if (real != NULL)
    {
      char *joined = g_build_filename (real, base, NULL);
      free (real);
      return joined;
    }
  return g_steal_pointer (&absolute);
}

/* Whether @name (a file name in the plan's folder) is @plan_base's backup:
 * PLAN.vN-STAMP.bak or PLAN.vN-STAMP.bak.sha256. */
static gboolean
is_backup_name (const char *name,
                const char *plan_base)
{
  const char *rest;

  if (!g_str_has_prefix (name, plan_base))
    return FALSE;
  rest = name + strlen (plan_base);
  if (rest[0] != '.' || rest[1] != 'v' || !g_ascii_isdigit (rest[2]))
    return FALSE;
  for (rest += 2; g_ascii_isdigit (*rest); rest++)
    ;
  if (*rest != '-')
    return FALSE;
  return g_str_has_suffix (rest, ".bak") || g_str_has_suffix (rest, ".bak.sha256");
}

static gboolean
refuse (const char  *target,
        GError     **error)
{
  g_autofree char *name = g_filename_display_basename (target);
  g_set_error (error, UPG_OUTPUT_ERROR, UPG_OUTPUT_ERROR_PLAN_FILE,
               _("“%s” is the plan file or one of its own files (journal or backup); choose another output file"),
               name);
  return FALSE;
}

gboolean
upg_output_check_target (const char  *target,
                         const char  *plan_path,
                         GError     **error)
{
  g_autofree char *real_target = NULL;
  g_autofree char *real_plan = NULL;
  g_autofree char *plan_dir = NULL;
  g_autofree char *plan_base = NULL;
  g_autofree char *target_dir = NULL;
  g_autofree char *target_base = NULL;
  g_autoptr(GDir) dir = NULL;
  GStatBuf target_st;
  const char *entry;

  g_return_val_if_fail (target != NULL, FALSE);
  if (plan_path == NULL)
    return TRUE;

  real_target = resolve (target);
  real_plan = resolve (plan_path);
  plan_dir = g_path_get_dirname (real_plan);
  plan_base = g_path_get_basename (real_plan);
  target_dir = g_path_get_dirname (real_target);
  target_base = g_path_get_basename (real_target);

  /* By name: also the companions that do not exist yet (a file written as
   * PLAN-wal would be read as the plan's log). */
  if (strcmp (target_dir, plan_dir) == 0)
    {
      for (guint i = 0; companions[i] != NULL; i++)
        {
          g_autofree char *name = g_strconcat (plan_base, companions[i], NULL);
          if (strcmp (target_base, name) == 0)
            return refuse (target, error);
        }
      if (is_backup_name (target_base, plan_base))
        return refuse (target, error);
    }

  /* By inode: a hard link elsewhere is the same file. */
  if (g_stat (real_target, &target_st) != 0)
    return TRUE;
  for (guint i = 0; companions[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (real_plan, companions[i], NULL);
      GStatBuf st;
      if (g_stat (path, &st) == 0 && st.st_dev == target_st.st_dev && st.st_ino == target_st.st_ino)
        return refuse (target, error);
    }
  dir = g_dir_open (plan_dir, 0, NULL);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    if (is_backup_name (entry, plan_base))
      {
        g_autofree char *path = g_build_filename (plan_dir, entry, NULL);
        GStatBuf st;
        if (g_stat (path, &st) == 0 && st.st_dev == target_st.st_dev && st.st_ino == target_st.st_ino)
          return refuse (target, error);
      }
  return TRUE;
}

static gboolean
set_write_error (const char  *path,
                 int          saved_errno,
                 GError     **error)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_set_error (error, UPG_OUTPUT_ERROR, UPG_OUTPUT_ERROR_FAILED,
               _("Could not write “%s”: %s; it was left as it was"), name, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        size)
{
  while (size > 0)
    {
      gssize n = write (fd, data, size);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += n;
      size -= n;
    }
  return TRUE;
}

/* Gives the file open without a name as @fd a temporary name in @dir
 * (".BASE.XXXXXX"), returned in @tmp; FALSE with errno set. linkat() through
 * /proc/self/fd needs no privilege (AT_EMPTY_PATH would). */
static gboolean
link_anonymous (int          fd,
                const char  *dir,
                const char  *base,
                char       **tmp)
{
  g_autofree char *proc = g_strdup_printf ("/proc/self/fd/%d", fd);

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *name = g_strdup_printf ("%s%c.%s.%06x", dir, G_DIR_SEPARATOR, base,
                                               g_random_int_range (0, 0x1000000));

      if (linkat (AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
        {
          *tmp = g_steal_pointer (&name);
          return TRUE;
        }
      if (errno != EEXIST)
        return FALSE;
    }
  errno = EEXIST;
  return FALSE;
}

gboolean
upg_output_write_file (const char  *path,
                       GBytes      *bytes,
                       const char  *plan_path,
                       GError     **error)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  GStatBuf st, lst;
  gboolean exists;
  gsize size;
  const char *data;
  gboolean anonymous;
  int fd, saved;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!upg_output_check_target (path, plan_path, error))
    return FALSE;
  data = g_bytes_get_data (bytes, &size);

  /* A symbolic link stays a link: the file it points to is replaced. */
  target = g_strdup (path);
  if (g_lstat (path, &lst) == 0 && S_ISLNK (lst.st_mode))
    {
      char *real = realpath (path, NULL);
      if (real != NULL)
        {
          g_free (target);
          target = g_strdup (real);
          free (real);
        }
    }

  exists = g_stat (target, &st) == 0;
  if (exists && S_ISDIR (st.st_mode))
    {
      g_autofree char *name = g_filename_display_basename (path);
      g_set_error (error, UPG_OUTPUT_ERROR, UPG_OUTPUT_ERROR_NOT_A_FILE,
                   _("“%s” is a folder; give the name of a file to write"), name);
      return FALSE;
    }
  if (exists && !S_ISREG (st.st_mode))
    {
      /* A device or a pipe (/dev/null, a FIFO): written to, not replaced. */
      fd = g_open (target, O_WRONLY | O_CLOEXEC, 0);
      if (fd < 0)
        return set_write_error (path, errno, error);
      if (!write_all (fd, data, size))
        {
          saved = errno;
          close (fd);
          return set_write_error (path, saved, error);
        }
      if (close (fd) != 0)
        return set_write_error (path, errno, error);
      return TRUE;
    }

  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  /* The new contents go to a file without a name (O_TMPFILE) where the file
   * system has them, so a process killed while writing leaves nothing
   * behind; the name comes only once the bytes are on disk, for the rename.
   * Elsewhere, a named temporary file as before. */
  fd = g_open (dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  anonymous = fd >= 0;
  if (!anonymous)
    {
      tmp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
      fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
      if (fd < 0)
        return set_write_error (path, errno, error);
    }

  if (exists && fchmod (fd, st.st_mode & 07777) != 0)
    goto failed;
  if (!exists)
    {
      /* mkstemp makes 0600; a new export gets what the umask allows. */
      mode_t mask = umask (0);
      umask (mask);
      if (fchmod (fd, 0666 & ~mask) != 0)
        goto failed;
    }
  if (!write_all (fd, data, size) || fsync (fd) != 0)
    goto failed;
  if (anonymous && !link_anonymous (fd, dir, base, &tmp))
    goto failed;
  if (close (fd) != 0)
    {
      fd = -1;
      goto failed;
    }
  fd = -1;
  if (g_rename (tmp, target) != 0)
    goto failed;

  /* The rename itself reaches the disk with the folder. */
  {
    int dir_fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (dir_fd >= 0)
      {
        (void) fsync (dir_fd);
        close (dir_fd);
      }
  }
  return TRUE;

failed:
  saved = errno;
  if (fd >= 0)
    close (fd);
  if (tmp != NULL)
    g_unlink (tmp);
  return set_write_error (path, saved, error);
}

gboolean
upg_output_write_stdout (GBytes  *bytes,
                         GError **error)
{
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  errno = 0;
  if ((size > 0 && fwrite (data, 1, size, stdout) != size) || fflush (stdout) != 0 || ferror (stdout))
    {
      int saved = errno ? errno : EIO;
      g_set_error (error, UPG_OUTPUT_ERROR, UPG_OUTPUT_ERROR_FAILED,
                   _("Could not write to standard output: %s"), g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

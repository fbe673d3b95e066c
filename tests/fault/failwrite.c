/* failwrite.c — an LD_PRELOAD shim that makes the Nth write fail.
 *
 *   UPG_FAIL_AT=N          the Nth counted call fails with UPG_FAIL_ERRNO
 *                          (default ENOSPC); 0 or unset: none fails
 *   UPG_FAIL_ERRNO=EIO     or ENOSPC, EDQUOT, EROFS
 *   UPG_FAIL_REPORT=FILE   at exit, writes how many calls were counted and
 *                          which one failed ("calls 17 failed 3 pwrite64")
 *
 * Counted calls: write, writev, pwrite, pwrite64, pwritev, ftruncate,
 * fallocate on regular files (so the terminal and pipes are left alone),
 * fsync and fdatasync on any descriptor, and rename, renameat and renameat2.
 * A program that retries a failed call counts it again.
 *
 * Not part of the application: tests/fault/fault-inject.py drives it.
 */
#define _GNU_SOURCE
/* Both pwrite and pwrite64 are defined here: no 64-bit renaming. */
#undef _FILE_OFFSET_BITS

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long fail_at = -1;
static int fail_errno = ENOSPC;
static long calls;
static const char *failed_call;
static const char *report_path;

static void
write_report (void)
{
  FILE *f;

  if (report_path == NULL || (f = fopen (report_path, "w")) == NULL)
    return;
  fprintf (f, "calls %ld failed %ld %s\n", calls,
           failed_call ? fail_at : 0, failed_call ? failed_call : "-");
  fclose (f);
}

__attribute__((constructor)) static void
init (void)
{
  const char *at = getenv ("UPG_FAIL_AT");
  const char *err = getenv ("UPG_FAIL_ERRNO");

  fail_at = at ? atol (at) : 0;
  if (err != NULL)
    {
      if (strcmp (err, "EIO") == 0)
        fail_errno = EIO;
      else if (strcmp (err, "EDQUOT") == 0)
        fail_errno = EDQUOT;
      else if (strcmp (err, "EROFS") == 0)
        fail_errno = EROFS;
    }
  report_path = getenv ("UPG_FAIL_REPORT");
  /* Children (a helper the program runs) start counting afresh. */
  unsetenv ("UPG_FAIL_AT");
  atexit (write_report);
}

static int
is_regular (int fd)
{
  struct stat st;
  return fstat (fd, &st) == 0 && S_ISREG (st.st_mode);
}

/* Counts a call; nonzero when this one is to fail (errno is set). */
static int
should_fail (const char *name)
{
  calls++;
  if (fail_at > 0 && calls == fail_at)
    {
      failed_call = name;
      errno = fail_errno;
      return 1;
    }
  return 0;
}

#define REAL(name, ret, ...) \
  static ret (*real) (__VA_ARGS__); \
  if (real == NULL) \
    real = (ret (*) (__VA_ARGS__)) dlsym (RTLD_NEXT, name)

ssize_t
write (int fd, const void *buf, size_t count)
{
  REAL ("write", ssize_t, int, const void *, size_t);
  if (is_regular (fd) && should_fail ("write"))
    return -1;
  return real (fd, buf, count);
}

ssize_t
writev (int fd, const struct iovec *iov, int iovcnt)
{
  REAL ("writev", ssize_t, int, const struct iovec *, int);
  if (is_regular (fd) && should_fail ("writev"))
    return -1;
  return real (fd, iov, iovcnt);
}

ssize_t
pwrite (int fd, const void *buf, size_t count, off_t offset)
{
  REAL ("pwrite", ssize_t, int, const void *, size_t, off_t);
  if (is_regular (fd) && should_fail ("pwrite"))
    return -1;
  return real (fd, buf, count, offset);
}

ssize_t
pwrite64 (int fd, const void *buf, size_t count, off64_t offset)
{
  REAL ("pwrite64", ssize_t, int, const void *, size_t, off64_t);
  if (is_regular (fd) && should_fail ("pwrite64"))
    return -1;
  return real (fd, buf, count, offset);
}

ssize_t
pwritev (int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
  REAL ("pwritev", ssize_t, int, const struct iovec *, int, off_t);
  if (is_regular (fd) && should_fail ("pwritev"))
    return -1;
  return real (fd, iov, iovcnt, offset);
}

int
ftruncate (int fd, off_t length)
{
  REAL ("ftruncate", int, int, off_t);
  if (is_regular (fd) && should_fail ("ftruncate"))
    return -1;
  return real (fd, length);
}

int
ftruncate64 (int fd, off64_t length)
{
  REAL ("ftruncate64", int, int, off64_t);
  if (is_regular (fd) && should_fail ("ftruncate64"))
    return -1;
  return real (fd, length);
}

int
fallocate (int fd, int mode, off_t offset, off_t len)
{
  REAL ("fallocate", int, int, int, off_t, off_t);
  if (is_regular (fd) && should_fail ("fallocate"))
    return -1;
  return real (fd, mode, offset, len);
}

int
fsync (int fd)
{
  REAL ("fsync", int, int);
  if (should_fail ("fsync"))
    return -1;
  return real (fd);
}

int
fdatasync (int fd)
{
  REAL ("fdatasync", int, int);
  if (should_fail ("fdatasync"))
    return -1;
  return real (fd);
}

int
rename (const char *from, const char *to)
{
  REAL ("rename", int, const char *, const char *);
  if (should_fail ("rename"))
    return -1;
  return real (from, to);
}

int
renameat (int fromdir, const char *from, int todir, const char *to)
{
  REAL ("renameat", int, int, const char *, int, const char *);
  if (should_fail ("renameat"))
    return -1;
  return real (fromdir, from, todir, to);
}

int
renameat2 (int fromdir, const char *from, int todir, const char *to, unsigned int flags)
{
  REAL ("renameat2", int, int, const char *, int, const char *, unsigned int);
  if (should_fail ("renameat2"))
    return -1;
  return real (fromdir, from, todir, to, flags);
}

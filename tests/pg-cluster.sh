#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A throwaway PostgreSQL cluster for the tests that need a real server.
#
#   pg-cluster.sh run PROGRAM [ARG…]
#       makes a cluster in a new temporary folder (initdb), starts it on a
#       Unix socket in that folder (no TCP port, so parallel runs never
#       clash), runs PROGRAM with PGHOST, PGPORT, PGUSER and PGDATABASE
#       naming it, then stops the server and removes the folder, whatever
#       PROGRAM did. Exits with PROGRAM's status.
#   pg-cluster.sh stop | start
#       from inside PROGRAM (UPG_TEST_PG_DIR set): stops the server at once
#       (as a crash or a pulled cable would) or starts it again.
#
# PostgreSQL refuses to run as root, and CI runs as root: the server then
# runs as the "postgres" user the Debian package makes (or "nobody"). The
# cluster trusts local connections, except for the role upg_password, which
# must give its password (scram-sha-256), so the tests can try a wrong one.
# UPG_PG_BINDIR picks the server's programs (default: the newest
# /usr/lib/postgresql/N/bin).
set -u

bindir=${UPG_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "Bail out! No PostgreSQL server to test against: install the Debian package postgresql (build-aux/deps.sh)"
  exit 1
fi

# as_owner CMD…: runs CMD as the cluster's owner, in the cluster's folder.
as_owner () {
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$UPG_TEST_PG_DIR" && runuser -u "$owner" -- "$@")
  else
    (cd "$UPG_TEST_PG_DIR" && "$@")
  fi
}

owner=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  if id postgres >/dev/null 2>&1; then owner=postgres; else owner=nobody; fi
fi

# fsync=off keeps the tests fast and survives a stop of the server (the
# kernel still has the writes); synchronous_commit stays on, or a commit
# made just before "stop" (a crash: -m immediate) would be lost.
pg_start () {
  as_owner "$bindir/pg_ctl" -D "$UPG_TEST_PG_DIR/data" -l "$UPG_TEST_PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses= -c unix_socket_directories=$UPG_TEST_PG_DIR -c fsync=off -c full_page_writes=off -c max_connections=60" \
    start >/dev/null
}

pg_stop () {
  as_owner "$bindir/pg_ctl" -D "$UPG_TEST_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
}

case "${1:-}" in
  start)
    pg_start
    exit $? ;;
  stop)
    pg_stop
    exit $? ;;
  run)
    shift ;;
  *)
    echo "usage: pg-cluster.sh run PROGRAM [ARG…] | start | stop" >&2
    exit 2 ;;
esac

# A run that was killed (meson's SIGKILL after a timeout) cannot stop its
# server: stop and remove every cluster whose run is gone, by the pid its
# run left in "run.pid".
for dir in "${TMPDIR:-/tmp}"/upg-pg.*; do
  [ -f "$dir/run.pid" ] || continue
  [ -d "/proc/$(cat "$dir/run.pid")" ] && continue
  UPG_TEST_PG_DIR=$dir
  [ -f "$dir/data/postmaster.pid" ] && pg_stop
  rm -rf "$dir"
done

UPG_TEST_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/upg-pg.XXXXXX") || exit 1
export UPG_TEST_PG_DIR
echo $$ >"$UPG_TEST_PG_DIR/run.pid"
[ "$owner" != "$(id -un)" ] && chown "$owner" "$UPG_TEST_PG_DIR"

cleanup () {
  pg_stop
  rm -rf "$UPG_TEST_PG_DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if ! as_owner "$bindir/initdb" -D "$UPG_TEST_PG_DIR/data" -U postgres -A trust -E UTF8 \
       --locale=C.UTF-8 --no-sync >"$UPG_TEST_PG_DIR/initdb.log" 2>&1; then
  echo "Bail out! initdb failed:"
  sed 's/^/# /' "$UPG_TEST_PG_DIR/initdb.log"
  exit 1
fi
cat >"$UPG_TEST_PG_DIR/data/pg_hba.conf" <<EOF
local all upg_password scram-sha-256
local all all trust
EOF
if ! pg_start; then
  echo "Bail out! the PostgreSQL server did not start:"
  sed 's/^/# /' "$UPG_TEST_PG_DIR/server.log"
  exit 1
fi

# Only this cluster, whatever the calling environment names.
unset PGSERVICE PGPASSWORD PGHOSTADDR PGOPTIONS PGSSLMODE PGREQUIRESSL PGCONNECT_TIMEOUT
export PGHOST="$UPG_TEST_PG_DIR" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
export PGPASSFILE="$UPG_TEST_PG_DIR/no-pgpass" PGSERVICEFILE="$UPG_TEST_PG_DIR/no-pg_service.conf"
export UPG_TEST_PG_CLUSTER="$0"

"$@"
exit $?

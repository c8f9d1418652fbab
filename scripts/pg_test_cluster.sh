#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks (loopback only, fsync off, trust auth).
#   scripts/pg_test_cluster.sh start DIR PORT   -> prints SALON_TEST_POSTGRES_URL=... (database salon_test)
#   scripts/pg_test_cluster.sh stop DIR PORT    -> stops the cluster and removes DIR
# initdb refuses to run as root: as root the cluster runs as the postgres user in a DIR owned by postgres
# (not under /root, which postgres cannot enter).
set -euo pipefail
action=${1:?usage: pg_test_cluster.sh start|stop DIR PORT}
dir=${2:?directory}
port=${3:?port}
pgbin=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$pgbin/initdb" ] || { echo "pg_test_cluster: no PostgreSQL binaries (set PGBIN)" >&2; exit 2; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$pgbin/initdb -D '$dir/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
    fi
    as_owner "$pgbin/pg_ctl -D '$dir/data' -l '$dir/postgres.log' -w -o \"-p $port -k '$dir' \
-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
-c max_connections=300\" start" >/dev/null
    as_owner "$pgbin/psql -h 127.0.0.1 -p $port -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='salon_test'\"" \
      | grep -q 1 || as_owner "$pgbin/createdb -h 127.0.0.1 -p $port -U postgres salon_test"
    echo "SALON_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$port/salon_test"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$pgbin/pg_ctl -D '$dir/data' -m fast -w stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg_test_cluster.sh start|stop DIR PORT" >&2
    exit 2
    ;;
esac

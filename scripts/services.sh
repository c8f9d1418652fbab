#!/usr/bin/env bash
# Start or stop throwaway PostgreSQL and Redis servers for the tests (loopback only, data in a temp dir).
#   eval "$(scripts/services.sh start DIR)"   prints export lines for SALON_TEST_POSTGRES_URL / SALON_TEST_REDIS_URL
#   scripts/services.sh stop DIR
set -euo pipefail
action=${1:?start|stop}
dir=${2:?directory}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_postgres() {
  [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] || { echo "services: no PostgreSQL binaries" >&2; return 0; }
  local port data=$dir/pg
  port=$(free_port)
  mkdir -p "$data"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$dir"
    run=(su postgres -s /bin/sh -c)
  else
    run=(sh -c)
  fi
  "${run[@]}" "$pgbin/initdb -D $data -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
  "${run[@]}" "$pgbin/pg_ctl -D $data -l $dir/pg.log -w -o '-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300' start" >/dev/null
  "${run[@]}" "$pgbin/createdb -h 127.0.0.1 -p $port -U postgres salon_test"
  echo "export SALON_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$port/salon_test"
}

start_redis() {
  command -v redis-server >/dev/null || { echo "services: no redis-server" >&2; return 0; }
  local port
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --pidfile "$dir/redis.pid" \
    --save '' --appendonly no --dir "$dir" >/dev/null
  for _ in $(seq 50); do [ -s "$dir/redis.pid" ] && break; sleep 0.1; done
  echo "export SALON_TEST_REDIS_URL=redis://127.0.0.1:$port/0"
}

case "$action" in
  start)
    mkdir -p "$dir"
    start_postgres
    start_redis
    ;;
  stop)
    if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
    if [ -d "$dir/pg" ] && [ -n "$pgbin" ]; then
      if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/sh -c "$pgbin/pg_ctl -D $dir/pg -m immediate stop" >/dev/null 2>&1 || true
      else
        "$pgbin/pg_ctl" -D "$dir/pg" -m immediate stop >/dev/null 2>&1 || true
      fi
    fi
    rm -rf "$dir"
    ;;
esac

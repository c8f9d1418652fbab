#!/usr/bin/env bash
# The README's second command: install everything, start PostgreSQL and Redis, lint, and run the whole suite
# on SQLite, then the service, model and view tests again on PostgreSQL (the whole suite with
# SALON_TEST_PROFILE=full).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
bash scripts/setup.sh test || exit 1

svc=$(mktemp -d /tmp/salon-services.XXXXXX)
trap 'bash scripts/services.sh stop "$svc"' EXIT
eval "$(bash scripts/services.sh start "$svc")"

status=0
step() {  # run a step, remember a failure, keep going so the report is complete
  echo "== $*"
  "$@" || status=1
}
pytest_step() {  # pytest exits 5 when it collected no test: say so and count it as a failure of the setup
  echo "== pytest $*"
  .venv/bin/python -m pytest "$@"
  local rc=$?
  if [ $rc -eq 5 ]; then echo "pytest collected no test for: $*"; fi
  [ $rc -eq 0 ] || status=1
}

step .venv/bin/ruff check .
step .venv/bin/ruff format --check .
step .venv/bin/mypy
# bandit: medium and high findings fail CI; deploy/ (the production recipe) is scanned once it exists.
bandit_targets=(salon solver config.py build_hooks.py)
[ -d deploy ] && bandit_targets+=(deploy)
step .venv/bin/bandit -q -r "${bandit_targets[@]}" -ll

workers=${SALON_TEST_WORKERS:-2}
export SALON_GIRONA_SECONDS=${SALON_GIRONA_SECONDS:-20}  # headroom: CI runs two solves at once on 2 cores
pytest_step -n "$workers" --dist loadfile -q
if [ -n "${SALON_TEST_POSTGRES_URL:-}" ]; then
  if [ "${SALON_TEST_PROFILE:-standard}" = full ]; then
    pg_targets=(tests)
  else
    pg_targets=(tests/salon)
  fi
  SALON_TEST_DATABASE_URL=$SALON_TEST_POSTGRES_URL pytest_step -n "$workers" --dist loadfile -q \
    -m "not e2e" "${pg_targets[@]}"
elif [ "${SALON_REQUIRE_SERVICES:-0}" = 1 ]; then
  echo "PostgreSQL is required (SALON_REQUIRE_SERVICES=1) but could not be started"; status=1
fi
exit $status

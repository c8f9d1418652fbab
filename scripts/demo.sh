#!/usr/bin/env bash
# The README's first command: install Salon, create the demo fair on SQLite and serve it on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/salon demo "$@"

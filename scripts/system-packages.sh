#!/usr/bin/env bash
# Install the Debian packages the tests use (Chromium, Redis, PostgreSQL, WeasyPrint's extras), when missing.
set -euo pipefail
needed=(chromium redis-server postgresql libharfbuzz-subset0 poppler-utils fonts-dejavu-core)
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  echo "system-packages: missing ${missing[*]} (not root or no apt-get): the tests that need them will skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

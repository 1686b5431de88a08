#!/usr/bin/env bash
# Sets up (if needed) and runs every check: ruff, mypy and the whole test suite,
# browser tests in headless Chromium included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# Browser tests drive Debian's Chromium; install it when missing.
if [ ! -x /usr/bin/chromium ]; then
  echo "test: installing chromium (Debian package)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

# The store tests also run against a throwaway PostgreSQL + PostGIS server (started
# by the tests on 127.0.0.1); install Debian's packages when missing.
if [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  echo "test: installing PostgreSQL 15 + PostGIS 3 (Debian packages)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql-15-postgis-3 >/dev/null
fi

# Two app processes behind a load balancer are tested with Debian's nginx.
if [ ! -x /usr/sbin/nginx ]; then
  echo "test: installing nginx-light (Debian package)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light >/dev/null
  # Only the tests start it, on a loopback port; the package's own service stays off.
  $SUDO service nginx stop >/dev/null 2>&1 || true
fi

# The plan-of-measures PDF is checked by turning its first page into a PNG (poppler).
if ! command -v pdftoppm >/dev/null 2>&1; then
  echo "test: installing poppler-utils (Debian package)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq poppler-utils >/dev/null
fi

# The deployment recipe: its TLS certificate is made with openssl, its systemd units are
# checked with systemd-analyze (systemd itself is not started).
if ! command -v openssl >/dev/null 2>&1 || ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "test: installing openssl and systemd's tools (Debian packages)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openssl systemd >/dev/null
fi

echo "test: ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "test: mypy"
.venv/bin/mypy
# Tests of time and load first, alone; then the rest on two workers (pytest-xdist), the
# browser tests one after another on one of them (tests/conftest.py marks both kinds).
# Exit code 5 means "no tests collected": with a filter given that is not a failure.
pytest_step() {
  set +e
  .venv/bin/python -m pytest "$@"
  local rc=$?
  set -e
  if [ "$rc" = 5 ]; then rc=0; fi
  return "$rc"
}
echo "test: pytest, tests of time and load"
serial_rc=0
pytest_step -m serial "$@" || serial_rc=$?
echo "test: pytest, the rest on two workers"
rest_rc=0
pytest_step -m "not serial" -n 2 --dist loadgroup "$@" || rest_rc=$?
if [ "$serial_rc" != 0 ]; then exit "$serial_rc"; fi
exit "$rest_rc"

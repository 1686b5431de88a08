#!/usr/bin/env bash
# Sets up everything the app needs, idempotently: Python venv and packages,
# the map's JavaScript assets (served by the app itself, so it works offline)
# and the district data pack. Safe to run again; skips what is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

# --- Python -----------------------------------------------------------------
# The store's SQLite reader (store/_sqlite_columns.c) is compiled against the
# system's SQLite, the one Python's sqlite3 module uses: a C compiler and its header.
if ! command -v cc >/dev/null 2>&1 || [ ! -f /usr/include/sqlite3.h ]; then
  echo "setup: installing a C compiler and SQLite's header (Debian packages)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gcc libsqlite3-dev >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.setup-stamp-$(cat pyproject.toml store/_sqlite_columns.c | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  rm -f .venv/.setup-stamp-*
  touch "$stamp"
fi

# --- Map assets (Leaflet, Leaflet.draw, Leaflet.markercluster, jQuery) served from static/vendor
if [ ! -f static/vendor/leaflet/leaflet.js ] || [ ! -f static/vendor/leaflet-draw/leaflet.draw.js ] \
    || [ ! -f static/vendor/leaflet-markercluster/leaflet.markercluster.js ] \
    || [ ! -f node_modules/axe-core/axe.min.js ] \
    || [ package-lock.json -nt static/vendor/leaflet/leaflet.js ]; then
  # axe-core stays in node_modules: the browser tests check every page with it.
  echo "setup: installing map assets and axe-core with npm"
  npm ci --no-audit --no-fund --silent
  mkdir -p static/vendor/leaflet static/vendor/leaflet-draw static/vendor/leaflet-markercluster \
    static/vendor/jquery
  cp -r node_modules/leaflet/dist/. static/vendor/leaflet/
  cp -r node_modules/leaflet-draw/dist/. static/vendor/leaflet-draw/
  cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
    node_modules/leaflet.markercluster/dist/MarkerCluster.css static/vendor/leaflet-markercluster/
  cp node_modules/jquery/dist/jquery.min.js static/vendor/jquery/
fi

# --- District data pack ----------------------------------------------------
.venv/bin/python -m datapack fetch

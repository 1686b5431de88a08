#!/usr/bin/env bash
# Sets up (if needed) and runs the app at http://127.0.0.1:8501.
# SQ_DB chooses the database: a SQLite file (default var/sichere-quartiere.sqlite)
# or postgresql://user@host:port/db for PostGIS.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Brings the schema up to date, or refuses to start (e.g. a database from a newer app).
.venv/bin/python -m store.schema
# serve.py is `streamlit run app.py` with the pages' modules imported before it answers.
exec .venv/bin/python serve.py --server.address "${SQ_ADDRESS:-127.0.0.1}" --server.port "${SQ_PORT:-8501}"

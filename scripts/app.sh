#!/usr/bin/env bash
# Sets up (if needed) and runs the app at http://127.0.0.1:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run app.py --server.address "${SQ_ADDRESS:-127.0.0.1}" --server.port "${SQ_PORT:-8501}"

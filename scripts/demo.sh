#!/usr/bin/env bash
# Installs the front-end packages if needed, builds Løft and serves the demo for
# Kongsbergregionen at http://127.0.0.1:8080 on an embedded SQLite file (data/loft-demo.db).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/@digdir/designsystemet-css ] || npm ci --no-audit --no-fund
exec cargo run --quiet -p loft-cli --bin loft -- demo "$@"

#!/usr/bin/env bash
# Install (scripts/setup.sh), then run the whole campaign end to end on the
# bundled sample data, into out/demo (or the folder given).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/formgen demo "${1:-out/demo}"

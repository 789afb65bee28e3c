#!/usr/bin/env bash
# Installs what kite needs (if missing), builds it, and launches a local cluster in the foreground.
# Extra arguments go to the launcher, e.g. `bash scripts/cluster.sh --nodes 3`. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh
exec npm run cluster -- "$@"

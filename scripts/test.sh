#!/usr/bin/env bash
# Runs the whole test suite: installs prerequisites, checks lint and types, builds, and runs every
# test (unit and integration, against real redis-server processes the tests start themselves).
set -euo pipefail
# The Docker tests talk to the engine's root-owned socket: run as root (through sudo if needed).
if [ "$(id -u)" -ne 0 ]; then exec sudo -E bash "$0" "$@"; fi
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh
npm run lint
npm run typecheck
npm test

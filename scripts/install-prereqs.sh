#!/usr/bin/env bash
# Installs what kite needs on a Debian/Ubuntu machine: redis-server (the store), the Docker engine
# and a static busybox (the Docker runtime and its locally built images, BRIEF §7), Debian's
# python3-kubernetes (the tests drive the cluster with the official Python client), and the npm
# dependencies of the workspace; then makes sure a Docker engine answers, starting dockerd in the
# background when none does. Safe to run again; installs and starts only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v node >/dev/null || need+=(nodejs npm)
command -v dockerd >/dev/null || need+=(docker.io)
# The Debian busybox package is dynamically linked and useless in a scratch image.
if ! dpkg -s busybox-static >/dev/null 2>&1; then need+=(busybox-static); fi
command -v curl >/dev/null || need+=(curl)
# The official Python client, for the client-library tests (Debian's interpreter, not a pyenv one).
/usr/bin/python3 -c 'import kubernetes' >/dev/null 2>&1 || need+=(python3-kubernetes)
if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# --- the Docker engine -----------------------------------------------------------------------
# DOCKER_HOST names an engine someone else runs: it only has to answer. Otherwise the local
# socket, starting dockerd (systemd where it runs, else a background process) if it is silent.
DOCKER_SOCK=/var/run/docker.sock
engine_answers() {
  if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST}" != "unix://${DOCKER_SOCK}" ]; then
    docker version >/dev/null 2>&1
  else
    $SUDO curl -fsS --max-time 2 --unix-socket "$DOCKER_SOCK" http://localhost/_ping >/dev/null 2>&1
  fi
}
# A process that exists and is not a zombie.
alive() {
  [ -r "/proc/$1/stat" ] && [ "$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat")" != "Z" ]
}
if ! engine_answers; then
  if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST}" != "unix://${DOCKER_SOCK}" ]; then
    echo "the Docker engine at DOCKER_HOST=${DOCKER_HOST} does not answer" >&2
    exit 1
  fi
  if [ -d /run/systemd/system ]; then
    $SUDO systemctl start docker >/dev/null 2>&1 || true
  fi
  dockerd_pid=""
  if ! engine_answers; then
    echo "starting dockerd (log: /var/log/kite-dockerd.log)"
    # A pid file left by an engine that was killed (or lingers as a zombie) stops a new one.
    old_pid=$(cat /var/run/docker.pid 2>/dev/null || true)
    if [ -n "$old_pid" ] && ! alive "$old_pid"; then $SUDO rm -f /var/run/docker.pid; fi
    dockerd_pid=$($SUDO sh -c 'setsid nohup dockerd >>/var/log/kite-dockerd.log 2>&1 </dev/null & echo $!')
  fi
  for _ in $(seq 1 120); do
    engine_answers && break
    if [ -n "$dockerd_pid" ] && ! alive "$dockerd_pid"; then break; fi
    sleep 0.5
  done
  if ! engine_answers; then
    echo "dockerd did not come up; last lines of /var/log/kite-dockerd.log:" >&2
    $SUDO tail -n 20 /var/log/kite-dockerd.log >&2 || true
    exit 1
  fi
fi

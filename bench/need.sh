# shellcheck shell=bash
# Sourced by the bench scripts. need COMMAND PACKAGE: when COMMAND (a name on PATH or a path) is
# missing, install the Debian PACKAGE with apt-get (only possible as root), or stop and say so.
need() {
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$2" >/dev/null; }
  else
    echo "bench: please install $2" >&2
    exit 2
  fi
}

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (../shared/SETUP.md): installs Debian's postgresql when missing,
#   scripts/postgres-cluster.sh start <folder>   initdb + start on a free port; prints the connection string
#   scripts/postgres-cluster.sh stop <folder>    stops it and deletes the folder
# initdb refuses to run as root, so the cluster is owned by and run as the postgres user; fsync is off (tests only).
set -euo pipefail
action="${1:?usage: postgres-cluster.sh start|stop <folder>}"
folder="${2:?usage: postgres-cluster.sh start|stop <folder>}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres -- "$@"; fi
}

case "$action" in
  start)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
      echo "Installing Debian's postgresql for the PostgreSQL tests (about a minute)..." >&2
      sudo_cmd=""
      if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
      $sudo_cmd apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
      bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    fi
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
      echo "Could not install PostgreSQL. Install it with: sudo apt-get install -y postgresql" >&2
      exit 1
    fi
    mkdir -p "$folder"
    chown postgres "$folder"
    chmod 700 "$folder"
    if ! as_postgres test -w "$folder"; then
      echo "The postgres user cannot reach $folder: make the folders above it traversable (chmod o+x) or choose another." >&2
      exit 1
    fi
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
    initdb_log="$(mktemp)"
    as_postgres "$bin/initdb" -D "$folder/data" -A trust -U postgres >"$initdb_log" 2>&1 \
      || { cat "$initdb_log" >&2; rm -f "$initdb_log"; exit 1; }
    rm -f "$initdb_log"
    as_postgres "$bin/pg_ctl" -D "$folder/data" -w -l "$folder/server.log" \
      -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" start >/dev/null \
      || { as_postgres cat "$folder/server.log" >&2; exit 1; }
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    if [ -n "$bin" ] && [ -f "$folder/data/postmaster.pid" ]; then
      as_postgres "$bin/pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$folder"
    ;;
  *)
    echo "usage: postgres-cluster.sh start|stop <folder>" >&2
    exit 2
    ;;
esac

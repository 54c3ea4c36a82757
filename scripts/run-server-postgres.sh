#!/usr/bin/env bash
# make run-server-postgres: hero-server on a local PostgreSQL cluster, for trying the
# PostgreSQL store by hand. The cluster lives in data/postgres (created on first use, kept
# across runs), listens on 127.0.0.1 only (port PGPORT_LOCAL, default 5433) with trust
# authentication for the local role `hero`, and stops when hero-server does (Ctrl-C).
# PostgreSQL's server refuses to run as root: as root, its tools run as the `postgres` user.
set -euo pipefail
cd "$(dirname "$0")/.."

bindir=$(pg_config --bindir 2>/dev/null || true)
[ -x "$bindir/initdb" ] || bindir=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
if ! [ -x "$bindir/initdb" ]; then
    echo "PostgreSQL's server is not installed: apt-get install postgresql (make deps does)." >&2
    exit 1
fi
port=${PGPORT_LOCAL:-5433}
data="$PWD/data/postgres"
mkdir -p "$data"
as_server=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$data"
    as_server=(runuser -u postgres --)
fi
pg() { "${as_server[@]}" "$bindir/$1" "${@:2}"; }

if ! [ -f "$data/cluster/PG_VERSION" ]; then
    echo "Creating a PostgreSQL cluster in $data/cluster"
    pg initdb -D "$data/cluster" -U hero --auth=trust -E UTF8 --locale=C >/dev/null
fi
if ! pg pg_ctl -D "$data/cluster" status >/dev/null 2>&1; then
    pg pg_ctl -w -D "$data/cluster" -l "$data/server.log" \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$data'" start >/dev/null
fi
trap 'pg pg_ctl -w -D "$data/cluster" -m fast stop >/dev/null' EXIT
pg psql -h 127.0.0.1 -p "$port" -U hero -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'heroes'" | grep -q 1 ||
    pg createdb -h 127.0.0.1 -p "$port" -U hero heroes

echo "PostgreSQL on 127.0.0.1:$port, database heroes (data/postgres); starting hero-server"
HVALFANGST_DATABASE_URL="postgres://hero@127.0.0.1:$port/heroes?sslmode=disable" swift run hero-server "$@"

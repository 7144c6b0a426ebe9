#!/usr/bin/env bash
# A PostgreSQL server in a directory of its own, on a Unix socket (no TCP port), for the tests and
# checks of the PostgreSQL log (`serve --store`).
#
# Usage: scripts/postgres.sh start DIR   installs Debian's postgresql when its binaries are missing,
#                                        creates the cluster in DIR/data (initdb, as the postgres
#                                        user when run as root), starts it with its socket in DIR,
#                                        creates the database `metrics`, and prints its URL:
#                                        postgres://postgres@/metrics?host=DIR
#        scripts/postgres.sh stop DIR    stops it (fast shutdown); the files stay in DIR
#        scripts/postgres.sh url DIR     prints the URL again
# Starting a running server again only prints its URL. Trust authentication: only the socket's
# directory permissions guard it (DIR is made 0700 and owned by the server's user).
set -euo pipefail

command=${1:-}
dir=${2:-}
if [ -z "$command" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop|url DIR" >&2
    exit 64
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
url="postgres://postgres@/metrics?host=$dir"

bindir() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -n "$found" ] && [ -x "$found/pg_ctl" ]; then
        echo "$found"
        return
    fi
    if command -v pg_ctl > /dev/null; then
        dirname "$(command -v pg_ctl)"
        return
    fi
}

bin=$(bindir)
if [ -z "$bin" ]; then
    if [ "$command" != start ]; then
        echo "postgres.sh: no PostgreSQL installed" >&2
        exit 1
    fi
    echo "postgres.sh: installing postgresql from Debian" >&2
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq > /dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql > /dev/null
    bin=$(bindir)
    [ -n "$bin" ] || { echo "postgres.sh: pg_ctl not found after installing postgresql" >&2; exit 1; }
fi

# As root, the server runs as the postgres user (PostgreSQL refuses to run as root).
as_server() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

running() { as_server "$bin/pg_ctl" -D "$dir/data" status > /dev/null 2>&1; }

case "$command" in
start)
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
        if ! runuser -u postgres -- test -x "$dir"; then
            echo "postgres.sh: the postgres user cannot reach $dir (a parent directory is closed to it," \
                "as mktemp -d's are); use a directory whose parents it can enter" >&2
            exit 1
        fi
    fi
    chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_server "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
            > "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! running; then
        as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses='' -c unix_socket_directories='$dir'" start > /dev/null ||
            { tail -20 "$dir/server.log" >&2; exit 1; }
    fi
    if ! as_server "$bin/psql" -h "$dir" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'metrics'" | grep -q 1; then
        as_server "$bin/createdb" -h "$dir" -U postgres metrics
    fi
    echo "$url"
    ;;
stop)
    if [ -f "$dir/data/PG_VERSION" ] && running; then
        as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null
    fi
    ;;
url)
    echo "$url"
    ;;
*)
    echo "usage: $0 start|stop|url DIR" >&2
    exit 64
    ;;
esac

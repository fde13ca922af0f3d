#!/bin/sh
# Start or stop the example's PostgreSQL and Redis in a directory of their own.
#
# usage: stack.sh up DIR     initdb, start PostgreSQL and Redis on free ports of
#                            127.0.0.1 (unix sockets in DIR), seed the database,
#                            write DIR/stack.env (the ports), print the seconds taken
#        stack.sh down DIR   stop both (only the processes whose pid files are
#                            in DIR); safe to call on a half-started DIR
#
# DIR must be empty or absent for `up`; nothing outside it is written.
# run.sh calls both around one run; scripts/web-service-e2e.sh calls `up` once
# and passes DIR to every run.sh (--stack DIR), so the seeding is paid once.
#
# PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the
# `postgres` user (runuser), with DIR/pg owned by it; otherwise directly.
set -eu

# Debian and Ubuntu keep each PostgreSQL version's server programs apart: take
# the newest installed unless PGBIN names one.
if [ -z "${PGBIN:-}" ]; then
    newest=0
    for initdb in /usr/lib/postgresql/*/bin/initdb; do
        [ -x "$initdb" ] || continue
        version=${initdb#/usr/lib/postgresql/}
        major=${version%%[!0-9]*}
        if [ -n "$major" ] && [ "$major" -ge "$newest" ]; then
            newest=$major
            PGBIN=${initdb%/initdb}
        fi
    done
fi
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

die() {
    echo "stack.sh: $*" >&2
    exit 2
}

# as_pg CMD...: run a PostgreSQL server command as a user it accepts.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# A free TCP port on 127.0.0.1 (the kernel's pick; it is released before the
# server binds it, a race no other program here is likely to win).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

up() {
    dir=$1
    # With two CPUs or more, the servers run on CPU 0 with the service, and
    # the load generator has CPU 1 to itself (see run.sh): on a small machine a
    # load test whose parts compete for every CPU measures the scheduler more
    # than the service. Every process started below inherits this.
    if [ "${REDLINE_EXAMPLE_PIN:-1}" = 1 ] && command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
        taskset -p -c 0 $$ >/dev/null
    fi
    [ -x "$PGBIN/initdb" ] || die "no PostgreSQL at $PGBIN (apt-get install postgresql, or set PGBIN)"
    command -v redis-server >/dev/null 2>&1 || die "redis-server is not installed (apt-get install redis-server)"
    command -v psql >/dev/null 2>&1 || die "psql is not installed (apt-get install postgresql-client)"
    mkdir -p "$dir/pg" "$dir/redis"
    started=$(date +%s)
    if [ "$(id -u)" -eq 0 ]; then
        # The postgres user must reach DIR/pg: DIR itself may be a 0700 mktemp.
        chmod 711 "$dir"
        chown postgres: "$dir/pg"
        runuser -u postgres -- test -w "$dir/pg" ||
            die "the postgres user cannot reach $dir/pg: every directory above it must be searchable by others (chmod o+x)"
    fi
    chmod 700 "$dir/pg"
    # A start that fails halfway stops what it started (run.sh's trap does the same for its runs).
    trap 'down "$dir"' EXIT
    pg_port=$(free_port)
    redis_port=$(free_port)
    as_pg "$PGBIN/initdb" -D "$dir/pg/data" -U postgres --auth=trust \
        --no-sync -E UTF8 --locale=C >"$dir/pg/initdb.log" 2>&1 ||
        { cat "$dir/pg/initdb.log" >&2; die "initdb failed"; }
    # A throw-away database: durability is off (fsync, full-page writes),
    # which makes the seeding several times faster and changes no query plan.
    as_pg "$PGBIN/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k '$dir/pg' -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300" \
        start >/dev/null || { cat "$dir/pg/server.log" >&2; die "PostgreSQL did not start"; }
    redis-server --bind 127.0.0.1 --port "$redis_port" --unixsocket "$dir/redis/redis.sock" \
        --dir "$dir/redis" --save '' --appendonly no --daemonize yes \
        --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log" ||
        die "redis-server did not start"
    i=0
    until redis-cli -s "$dir/redis/redis.sock" ping >/dev/null 2>&1; do
        i=$((i + 1))
        [ "$i" -lt 100 ] || { cat "$dir/redis/redis.log" >&2; die "Redis did not answer within 10 s"; }
        sleep 0.1
    done
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres \
        -c 'CREATE DATABASE shop' >/dev/null || die "CREATE DATABASE failed"
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d shop \
        -f "$(dirname -- "$0")/seed.sql" >"$dir/pg/seed.log" 2>&1 ||
        { cat "$dir/pg/seed.log" >&2; die "seeding failed"; }
    {
        echo "PGHOST=127.0.0.1"
        echo "PGPORT=$pg_port"
        echo "PGUSER=postgres"
        echo "PGDATABASE=shop"
        echo "REDIS_URL=redis://127.0.0.1:$redis_port"
    } >"$dir/stack.env"
    trap - EXIT
    echo "stack.sh: PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port, seeded in $(($(date +%s) - started)) s" >&2
}

down() {
    dir=$1
    if [ -f "$dir/pg/data/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$dir/pg/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    if [ -f "$dir/redis/redis.pid" ]; then
        pid=$(cat "$dir/redis/redis.pid")
        case $pid in
            '' | *[!0-9]*) ;;
            *)
                kill "$pid" 2>/dev/null || true
                i=0
                while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do
                    sleep 0.1
                    i=$((i + 1))
                done
                kill -KILL "$pid" 2>/dev/null || true
                ;;
        esac
        rm -f "$dir/redis/redis.pid"
    fi
}

[ $# -eq 2 ] || die "usage: stack.sh up|down DIR"
case $1 in
    up) up "$2" ;;
    down) down "$2" ;;
    *) die "usage: stack.sh up|down DIR" ;;
esac

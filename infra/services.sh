#!/usr/bin/env bash
# Throwaway local RabbitMQ + PostgreSQL on 127.0.0.1, for Pipeline's services and tests.
#
#   eval "$(infra/services.sh up)"   install what is missing, start both, print `export NAME=VALUE` lines
#   infra/services.sh env            print the same exports again (services must be up): the operator's identity,
#                                    for `pipeline` commands and the tests
#   infra/services.sh env learner|rollout|verifier
#                                    the exports one service needs and no more: its own broker user (none of them an
#                                    administrator), the database only for the learner (`unset` lines drop it for
#                                    the others), e.g. (eval "$(infra/services.sh env rollout)"; cd src/Rollout; dotnet run)
#   infra/services.sh status         say what runs; exit 0 only if both do
#   infra/services.sh down           stop both and delete their data; fine when nothing runs
#   infra/services.sh restart rabbitmq|postgres [SECONDS]
#                                    stop one server (every connection dropped), wait SECONDS (default 0),
#                                    start it again on the same data; for fault-injection tests and `pipeline chaos`
#   infra/services.sh rabbitmqctl …  run rabbitmqctl against this broker (e.g. list_vhosts, list_queues)
#   infra/services.sh psql …         run psql as the pipeline role on the pipeline database
#
# Only `export` (and, for `env rollout|verifier`, `unset`) lines go to stdout; progress and errors go to stderr.
# `up` is idempotent: while the services run it re-prints the same exports; after a crash or reboot
# it restarts them on their existing data with the same credentials.
#
# Environment (all optional):
#   PIPELINE_SERVICES_DIR      state dir: data, logs, credentials (default ~/.local/state/pipeline-services).
#                              Kept private (0700, owned by the caller; a symlink or someone else's folder is
#                              refused). As root, PostgreSQL's data goes to a folder of its own with a random name
#                              under /tmp (user postgres cannot enter root's home), recorded in the state.
#   PIPELINE_POSTGRES_PORT     PostgreSQL port (default 27432)
#   PIPELINE_RABBITMQ_PORT     AMQP port (default 27672). The broker also takes the 12 ports above it:
#                              +1 Erlang distribution, +2 its own epmd, +3..+12 rabbitmqctl.
#   PIPELINE_SERVICES_TIMEOUT  seconds to wait for each server to be ready (default 120)
# A default port that is taken is replaced by a free one nearby; a port set explicitly must be free.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
state=${PIPELINE_SERVICES_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/pipeline-services}
[[ $state == /* ]] || state=$PWD/$state
timeout=${PIPELINE_SERVICES_TIMEOUT:-120}

pg_dir=$state/postgres
rmq_dir=$state/rabbitmq
rmq_bin=/usr/lib/rabbitmq/bin   # Debian/Ubuntu; /usr/sbin/rabbitmq* are wrappers that su to the rabbitmq user
db_user=pipeline db_name=pipeline test_db=pipeline_test
mq_user=pipeline mq_vhost=pipeline
mq_services=(learner rollout verifier)   # one broker user each; the learner alone also gets the database

log() { printf 'services: %s\n' "$*" >&2; }
die() { printf 'services: error: %s\n' "$*" >&2; exit 1; }
is_root() { [[ $(id -u) == 0 ]]; }

# ---------------------------------------------------------------- packages

pg_bindir() {   # newest installed PostgreSQL major version
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [[ -x $d/initdb && -x $d/pg_ctl && -x $d/psql ]] && { echo "$d"; return; }
    done
    if command -v pg_config >/dev/null && [[ -x $(pg_config --bindir)/initdb ]]; then pg_config --bindir; fi
}

ensure_packages() {
    local missing=() tool
    [[ -x $rmq_bin/rabbitmq-server ]] || missing+=(rabbitmq-server)
    [[ -n $(pg_bindir) ]] || missing+=(postgresql)
    command -v bwrap >/dev/null || missing+=(bubblewrap)
    command -v chromium >/dev/null || missing+=(chromium)          # the dashboard's page test runs a headless browser
    command -v python3 >/dev/null || missing+=(python3)          # the code verifier's language
    command -v readelf >/dev/null || missing+=(binutils)         # tests read ELF version flags independently
    for tool in setpriv runuser flock; do
        command -v "$tool" >/dev/null || { missing+=(util-linux); break; }
    done
    ((${#missing[@]})) || return 0

    is_root || die "missing packages: ${missing[*]} (as root: apt-get install ${missing[*]})"
    command -v apt-get >/dev/null || die "missing packages: ${missing[*]}, and no apt-get to install them"
    log "installing ${missing[*]} ..."
    # Keep the packages' own system services from starting: a policy-rc.d that says no, if none exists.
    local policy=/usr/sbin/policy-rc.d made_policy=
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
    fi
    local rc=0
    {
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq -o DPkg::Lock::Timeout=300 &&
            apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 \
                -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
    } </dev/null >&2 || rc=$?
    [[ -z $made_policy ]] || rm -f "$policy"
    ((rc == 0)) || die "apt-get install ${missing[*]} failed (exit $rc)"
}

# ---------------------------------------------------------------- state and ports

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ports_free() {   # first count
    local p
    for ((p = $1; p < $1 + $2; p++)); do
        ((p < 65536)) && ! port_in_use "$p" || return 1
    done
}

pick_port() {   # env-var default span
    local var=$1 def=$2 span=$3 p
    if [[ -n ${!var:-} ]]; then
        p=${!var}
        [[ $p =~ ^[0-9]+$ ]] || die "$var=$p is not a port number"
        local what="port $p is"; ((span == 1)) || what="one of ports $p..$((p + span - 1)) (the broker takes them all) is"
        ports_free "$p" "$span" || die "$var=$p: 127.0.0.1 $what in use"
        echo "$p"; return
    fi
    for ((p = def; p < def + 2000; p += 20)); do
        ports_free "$p" "$span" && { echo "$p"; return; }
    done
    die "no free ports on 127.0.0.1 near $def; set $var"
}

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

# The config is parsed, never sourced: only known names, only values of safe characters.
load_config() {
    [[ -f $state/config ]] || return 1
    local key value
    while IFS='=' read -r key value; do
        [[ $value =~ ^[A-Za-z0-9/._-]*$ ]] || die "$state/config: unsafe value for $key"
        case $key in
            PG_PORT) PG_PORT=$value ;; AMQP_PORT) AMQP_PORT=$value ;;
            PG_PASSWORD) PG_PASSWORD=$value ;; RMQ_PASSWORD) RMQ_PASSWORD=$value ;;
            PG_DIR) pg_dir=$value ;;
            *) die "$state/config: unknown setting '$key'" ;;
        esac
    done <"$state/config"
}

# The state dir holds credentials: private, and ours.
private_state() {
    [[ -L $state ]] && die "$state is a symbolic link; refusing to keep credentials there"
    (umask 077 && mkdir -p "$state")
    [[ $(stat -c %u "$state") == $(id -u) ]] || die "$state belongs to someone else; refusing to keep credentials there"
    chmod 700 "$state"
}

new_config() {
    # No config means no usable data: start from clean directories.
    rm -rf "$pg_dir" "$rmq_dir"
    # As root, user postgres must reach its data dir, which the private state dir does not allow.
    if is_root; then pg_dir=$(mktemp -d /tmp/pipeline-postgres.XXXXXXXX); fi
    PG_PORT=$(pick_port PIPELINE_POSTGRES_PORT 27432 1)
    AMQP_PORT=$(pick_port PIPELINE_RABBITMQ_PORT 27672 13)
    PG_PASSWORD=$(random_hex 16)
    RMQ_PASSWORD=$(random_hex 16)
    (umask 077 && printf 'PG_PORT=%s\nAMQP_PORT=%s\nPG_PASSWORD=%s\nRMQ_PASSWORD=%s\nPG_DIR=%s\n' \
        "$PG_PORT" "$AMQP_PORT" "$PG_PASSWORD" "$RMQ_PASSWORD" "$pg_dir" >"$state/config")
}

q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }   # single-quote for the shell
export_line() { printf 'export %s=%s\n' "$1" "$(q "$2")"; }

# A service's broker password, derived from the broker secret so that no second secret needs keeping.
service_password() { printf '%s:%s' "$RMQ_PASSWORD" "$1" | sha256sum | cut -c1-32; }

print_service_exports() {
    local service=$1
    [[ " ${mq_services[*]} " == *" $service "* ]] || die "env: say learner, rollout or verifier, not '$service'"
    export_line RabbitMq__Host 127.0.0.1
    export_line RabbitMq__Port "$AMQP_PORT"
    export_line RabbitMq__VirtualHost "$mq_vhost"
    export_line RabbitMq__Username "$service"
    export_line RabbitMq__Password "$(service_password "$service")"
    if [[ $service == learner ]]; then
        local npgsql="Host=127.0.0.1;Port=$PG_PORT;Username=$db_user;Password=$PG_PASSWORD"
        export_line Storage__Provider postgres
        export_line Storage__ConnectionString "$npgsql;Database=$db_name"
        export_line Hangfire__ConnectionString "$npgsql;Database=$db_name"
    else
        echo 'unset Storage__Provider Storage__ConnectionString Hangfire__ConnectionString PIPELINE_TEST_POSTGRES PIPELINE_TEST_RABBITMQ'
    fi
}

print_exports() {
    local npgsql="Host=127.0.0.1;Port=$PG_PORT;Username=$db_user;Password=$PG_PASSWORD"
    export_line PIPELINE_SERVICES_DIR "$state"
    export_line RabbitMq__Host 127.0.0.1
    export_line RabbitMq__Port "$AMQP_PORT"
    export_line RabbitMq__VirtualHost "$mq_vhost"
    export_line RabbitMq__Username "$mq_user"
    export_line RabbitMq__Password "$RMQ_PASSWORD"
    export_line Storage__Provider postgres
    export_line Storage__ConnectionString "$npgsql;Database=$db_name"
    export_line Hangfire__ConnectionString "$npgsql;Database=$db_name"
    export_line PIPELINE_TEST_POSTGRES "$npgsql;Database=$test_db"
    export_line PIPELINE_TEST_RABBITMQ "amqp://$mq_user:$RMQ_PASSWORD@127.0.0.1:$AMQP_PORT/$mq_vhost"
}

# ---------------------------------------------------------------- PostgreSQL

as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_running() { [[ -f $pg_dir/data/PG_VERSION ]] && as_pg "$(pg_bindir)/pg_ctl" -D "$pg_dir/data" status >/dev/null 2>&1; }

start_postgres() {
    local bin; bin=$(pg_bindir)
    if [[ ! -f $pg_dir/data/PG_VERSION ]]; then
        rm -rf "$pg_dir/data" "$pg_dir/run"
        mkdir -p "$pg_dir/data" "$pg_dir/run"
        if is_root; then
            chown -R postgres: "$pg_dir"
            chmod 700 "$pg_dir"
            runuser -u postgres -- test -w "$pg_dir/data" || die "user postgres cannot reach $pg_dir"
        fi
        chmod 700 "$pg_dir/data" "$pg_dir/run"
        log "initialising PostgreSQL $(basename "$(dirname "$bin")") in $pg_dir/data"
        as_pg "$bin/initdb" -D "$pg_dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            --no-locale -E UTF8 --no-sync >"$pg_dir/initdb.log" 2>&1 ||
            die "initdb failed; see $pg_dir/initdb.log"
        {
            cat "$here/postgres/postgresql.conf"
            printf "port = %s\nunix_socket_directories = '%s'\n" "$PG_PORT" "$pg_dir/run"
        } | as_pg tee "$pg_dir/data/pipeline.conf" >/dev/null
        echo "include 'pipeline.conf'" | as_pg tee -a "$pg_dir/data/postgresql.conf" >/dev/null
    fi
    if ! pg_running; then
        log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        as_pg "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t "$timeout" start </dev/null >/dev/null 2>&1 9>&- ||
            die "PostgreSQL failed to start or was not ready within ${timeout}s; see $pg_dir/postgres.log"
    fi
    # Role and databases (idempotent, so an interrupted first start heals itself).
    local psql=("$bin/psql" -h "$pg_dir/run" -p "$PG_PORT" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 -tA)
    as_pg "${psql[@]}" >/dev/null <<SQL || die "creating the PostgreSQL role and databases failed; see $pg_dir/postgres.log"
SELECT format('CREATE ROLE %I LOGIN CREATEDB', '$db_user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$db_user')\gexec
ALTER ROLE $db_user PASSWORD '$PG_PASSWORD';
SELECT format('CREATE DATABASE %I OWNER %I', '$db_name', '$db_user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db_name')\gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$test_db', '$db_user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$test_db')\gexec
SQL
}

stop_postgres() {   # [mode]: immediate (default; the data is thrown away) or fast (a clean restart)
    [[ -f $pg_dir/data/PG_VERSION ]] || return 0
    if pg_running; then
        log "stopping PostgreSQL"
        as_pg "$(pg_bindir)/pg_ctl" -D "$pg_dir/data" -m "${1:-immediate}" -w -t 60 stop >/dev/null 2>&1 || {
            local pid; pid=$(head -n1 "$pg_dir/data/postmaster.pid" 2>/dev/null || true)
            [[ -z $pid ]] || kill -KILL "$pid" 2>/dev/null || true
        }
    fi
}

# ---------------------------------------------------------------- RabbitMQ

rmq() {   # run a RabbitMQ script with this instance's environment; config, data, logs, cookie all in $rmq_dir
    local cmd=$1; shift
    (
        export HOME=$rmq_dir/home   # the Erlang cookie: $HOME/.erlang.cookie, shared by server and CLI
        export RABBITMQ_NODENAME=pipeline$AMQP_PORT@localhost RABBITMQ_USE_LONGNAME=false
        export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$AMQP_PORT
        export RABBITMQ_DIST_PORT=$((AMQP_PORT + 1))
        export ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT=$((AMQP_PORT + 2))
        export RABBITMQ_CTL_DIST_PORT_MIN=$((AMQP_PORT + 3)) RABBITMQ_CTL_DIST_PORT_MAX=$((AMQP_PORT + 12))
        export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
        export RABBITMQ_CTL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
        export RABBITMQ_CONF_ENV_FILE=$rmq_dir/rabbitmq-env.conf
        export RABBITMQ_CONFIG_FILE=$rmq_dir/rabbitmq.conf RABBITMQ_CONFIG_FILES=$rmq_dir/conf.d
        export RABBITMQ_ADVANCED_CONFIG_FILE=$rmq_dir/advanced.config
        export RABBITMQ_ENABLED_PLUGINS_FILE=$rmq_dir/enabled_plugins
        export RABBITMQ_MNESIA_BASE=$rmq_dir/mnesia RABBITMQ_LOG_BASE=$rmq_dir/log
        export RABBITMQ_PID_FILE=$rmq_dir/rabbitmq.pid
        exec "$rmq_bin/$cmd" "$@"
    )
}

rmq_pid() { cat "$rmq_dir/rabbitmq.pid" 2>/dev/null || true; }
rmq_running() { local pid; pid=$(rmq_pid); [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && port_in_use "$AMQP_PORT"; }

start_rabbitmq() {
    if [[ ! -f $rmq_dir/rabbitmq.conf ]]; then
        rm -rf "$rmq_dir"
        mkdir -p "$rmq_dir/home" "$rmq_dir/conf.d" "$rmq_dir/mnesia" "$rmq_dir/log"
        chmod 700 "$rmq_dir"
        (umask 077 && random_hex 20 | tr a-f A-F >"$rmq_dir/home/.erlang.cookie")
        chmod 400 "$rmq_dir/home/.erlang.cookie"
        : >"$rmq_dir/rabbitmq-env.conf"
        echo '[].' >"$rmq_dir/enabled_plugins"
        sed -e "s/@AMQP_PORT@/$AMQP_PORT/g" -e "s/@USER@/$mq_user/g" -e "s/@PASSWORD@/$RMQ_PASSWORD/g" \
            -e "s/@VHOST@/$mq_vhost/g" "$here/rabbitmq/rabbitmq.conf" >"$rmq_dir/rabbitmq.conf"
    fi
    rmq_running && return 0
    local pid; pid=$(rmq_pid)
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        log "RabbitMQ (pid $pid) is still starting"; return 0
    fi
    rm -f "$rmq_dir/rabbitmq.pid"
    log "starting RabbitMQ on 127.0.0.1:$AMQP_PORT"
    rmq rabbitmq-server -detached </dev/null >>"$rmq_dir/startup.log" 2>&1 9>&- ||
        die "rabbitmq-server failed to start; see $rmq_dir/startup.log"
}

await_rabbitmq() {   # it boots in ~10 s, so start_postgres runs meanwhile
    rmq_running && return 0
    rmq rabbitmqctl wait "$rmq_dir/rabbitmq.pid" --timeout "$timeout" </dev/null >>"$rmq_dir/startup.log" 2>&1 ||
        die "RabbitMQ did not become ready within ${timeout}s; see $rmq_dir/log/ and $rmq_dir/startup.log"
    port_in_use "$AMQP_PORT" || die "RabbitMQ started but 127.0.0.1:$AMQP_PORT refuses connections; see $rmq_dir/log/"
}

stop_rabbitmq() {
    local pid; pid=$(rmq_pid)
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        log "stopping RabbitMQ"
        kill -TERM "$pid" 2>/dev/null || true   # the broker shuts down cleanly on SIGTERM
        local i
        for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    # The broker's private epmd (started by the Erlang VM) outlives it; it listens on AMQP_PORT+2.
    if [[ -n ${AMQP_PORT:-} ]] && port_in_use $((AMQP_PORT + 2)); then
        local epmd; epmd=$(command -v epmd || ls /usr/lib/erlang/erts-*/bin/epmd 2>/dev/null | head -n1 || true)
        [[ -z $epmd ]] || ERL_EPMD_PORT=$((AMQP_PORT + 2)) "$epmd" -kill >/dev/null 2>&1 || true
    fi
}

# ---------------------------------------------------------------- commands

lock() {   # serialises commands on one state dir; daemons are started with fd 9 closed so they don't keep it
    private_state
    exec 9>"$state/.lock"
    flock -w "$timeout" 9 || die "another services.sh holds $state/.lock"
}

# One broker user per service, each with rights on the pipeline vhost only (MassTransit declares its own exchanges
# and queues, so configure/write/read there); none is an administrator, the operator's user included: rabbitmqctl
# needs the Erlang cookie in the private state dir, not a user. Idempotent; passwords go by stdin, never argv.
ensure_broker_users() {
    local existing service
    existing=$(rmq rabbitmqctl list_users --silent </dev/null 2>>"$rmq_dir/startup.log" | cut -f1) ||
        die "listing the broker's users failed; see $rmq_dir/startup.log"
    for service in "${mq_services[@]}"; do
        if ! grep -qx "$service" <<<"$existing"; then
            service_password "$service" | rmq rabbitmqctl add_user "$service" >>"$rmq_dir/startup.log" 2>&1 ||
                die "creating broker user $service failed; see $rmq_dir/startup.log"
        fi
        rmq rabbitmqctl set_permissions -p "$mq_vhost" "$service" '.*' '.*' '.*' </dev/null >>"$rmq_dir/startup.log" 2>&1 ||
            die "granting broker user $service its vhost failed; see $rmq_dir/startup.log"
    done
    rmq rabbitmqctl set_user_tags "$mq_user" </dev/null >>"$rmq_dir/startup.log" 2>&1 ||
        die "dropping the administrator tag of $mq_user failed; see $rmq_dir/startup.log"
}

cmd_up() {
    ensure_packages
    lock
    if ! load_config; then new_config; fi   # (not `||`: set -e must stay in force inside new_config)
    start_rabbitmq
    start_postgres
    await_rabbitmq
    ensure_broker_users
    log "ready: PostgreSQL 127.0.0.1:$PG_PORT, RabbitMQ 127.0.0.1:$AMQP_PORT (state in $state)"
    print_exports
}

cmd_env() {
    load_config || die "not up (no $state/config)"
    pg_running && rmq_running || die "not running; run: infra/services.sh up"
    if [[ -n ${1:-} ]]; then print_service_exports "$1"; else print_exports; fi
}

cmd_status() {
    if ! load_config; then
        echo "down (no state in $state)"; return 3
    fi
    local rc=0
    if pg_running; then echo "postgresql: running on 127.0.0.1:$PG_PORT (log $pg_dir/postgres.log)"
    else echo "postgresql: stopped"; rc=3; fi
    if rmq_running; then echo "rabbitmq:   running on 127.0.0.1:$AMQP_PORT, pid $(rmq_pid) (logs $rmq_dir/log/)"
    else echo "rabbitmq:   stopped"; rc=3; fi
    return $rc
}

cmd_down() {
    [[ -d $state ]] || { log "nothing to stop ($state does not exist)"; return 0; }
    lock
    load_config || true
    stop_postgres
    stop_rabbitmq
    rm -rf "$pg_dir" "$rmq_dir" "$state/config" "$state/.lock"
    rmdir "$state" 2>/dev/null || true
    log "down; data removed"
}

cmd_restart() {
    local which=${1:-} down=${2:-0}
    [[ $down =~ ^[0-9]+([.][0-9]+)?$ ]] || die "restart: SECONDS must be a number, not '$down'"
    lock
    load_config || die "not up (no $state/config)"
    case $which in
        rabbitmq) stop_rabbitmq; sleep "$down"; start_rabbitmq; await_rabbitmq ;;
        # Fast, not immediate: the throwaway server runs with synchronous_commit off, so a crash-like stop would lose
        # commits the clients were told had succeeded — a property of that setting, not a restart.
        postgres) stop_postgres fast; sleep "$down"; start_postgres ;;
        *) die "restart: say rabbitmq or postgres, not '$which'" ;;
    esac
    log "$which restarted after ${down}s down"
}

cmd_rabbitmqctl() {
    load_config || die "not up (no $state/config)"
    rmq rabbitmqctl "$@"
}

cmd_psql() {
    load_config || die "not up (no $state/config)"
    PGPASSWORD=$PG_PASSWORD exec "$(pg_bindir)/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$db_user" -d "$db_name" "$@"
}

case ${1:-} in
    up) cmd_up ;;
    env) shift; cmd_env "$@" ;;
    status) cmd_status ;;
    down) cmd_down ;;
    restart) shift; cmd_restart "$@" ;;
    rabbitmqctl) shift; cmd_rabbitmqctl "$@" ;;
    psql) shift; cmd_psql "$@" ;;
    *) sed -n '2,26s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac

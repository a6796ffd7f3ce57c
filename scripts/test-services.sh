#!/usr/bin/env bash
# test-services.sh - real MariaDB and RabbitMQ (Debian's packages) for cloudd's
# Integration and EndToEnd tests, private to this user and bound to 127.0.0.1.
#
# Usage:
#   scripts/test-services.sh up                start both (idempotent), write and print $DIR/env
#   scripts/test-services.sh restart-rabbitmq  stop RabbitMQ and start it again, keeping its data
#   scripts/test-services.sh stop-mariadb      stop MariaDB (gracefully), keeping its data: a database outage
#   scripts/test-services.sh start-mariadb     start it again
#   scripts/test-services.sh down              stop what `up` started
#   scripts/test-services.sh status            show the recorded processes and their ports
#
# Then:  . /tmp/cloudd-test-services/env && dotnet test Cloud.Tests --filter TestCategory=Integration
#
# $DIR/env exports CLOUD_TEST_MYSQL (append /<database>), CLOUD_TEST_AMQP and
# CLOUD_TEST_AMQP_RESTART (the command tests run to bounce the broker) and CLOUD_TEST_SERVICES_CTL (this
# script for this set, for the fault tests that stop and start the services: never point it at a shared set).
#
# Ports are not the defaults so a MariaDB/RabbitMQ already on 3306/5672 (or the
# bench peer's) is never touched: MariaDB 13406, RabbitMQ 15772, Erlang
# distribution 35772, epmd 14369 (our own, so rabbitmqctl never talks to
# another node's port mapper).
#
# Env: CLOUD_TEST_SERVICES_DIR [/tmp/cloudd-test-services]  all data, logs, pids
#      CLOUD_TEST_MYSQL_PORT [13406] CLOUD_TEST_AMQP_PORT [15772] CLOUD_TEST_EPMD_PORT [14369]
#        for a second, independent set (another DIR too), e.g. two people testing on one machine
#      SKIP_INSTALL [0]  1: never run apt-get
set -euo pipefail

DIR="${CLOUD_TEST_SERVICES_DIR:-/tmp/cloudd-test-services}"
IP=127.0.0.1
DB_PORT="${CLOUD_TEST_MYSQL_PORT:-13406}"
AMQP_PORT="${CLOUD_TEST_AMQP_PORT:-15772}"
DIST_PORT=$((AMQP_PORT + 20000))
EPMD_PORT="${CLOUD_TEST_EPMD_PORT:-14369}"
NODE=cloudd-test@localhost
SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
PIDS="$DIR/pids"

log() { echo "[test-services $(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- helpers
port_open() { (exec 3<>"/dev/tcp/$IP/$1") 2>/dev/null; }

pid_of() { # NAME -> the recorded pid, empty if none
  if [ -f "$PIDS" ]; then awk -v n="$1" '$1==n{p=$2} END{if(p)print p}' "$PIDS"; fi
}
running() { local p; p="$(pid_of "$1")"; [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
forget() { # NAME: drop its line so a stale pid is never signalled later
  if [ -f "$PIDS" ]; then grep -v "^$1 " "$PIDS" > "$PIDS.tmp" || true; mv "$PIDS.tmp" "$PIDS"; fi
}

# start NAME CMD...: its own session (setsid) so `down` can signal the whole
# process group and nothing else; output to log/NAME.log
start() {
  local name="$1"; shift
  forget "$name"
  setsid "$@" >>"$DIR/log/$name.log" 2>&1 </dev/null &
  echo "$name $!" >> "$PIDS"
  log "started $name (pid $!)"
}

# wait_until NAME SECONDS CHECK...: poll CHECK, failing early if NAME died
wait_until() {
  local name="$1" secs="$2"; shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    running "$name" || { tail -20 "$DIR/log/$name.log" >&2 || true; die "$name exited (see $DIR/log/$name.log)"; }
    [ $SECONDS -lt $deadline ] || die "$name not ready after ${secs}s (see $DIR/log/$name.log)"
    sleep 0.2
  done
}

# stop NAME [SECONDS]: TERM the recorded process group, KILL what is left after SECONDS
stop() {
  local name="$1" secs="${2:-30}" p
  p="$(pid_of "$name")"
  if [ -n "$p" ] && kill -0 -- "-$p" 2>/dev/null; then
    log "stopping $name (pgid $p)"
    kill -TERM -- "-$p" 2>/dev/null || true
    local deadline=$((SECONDS + secs))
    while kill -0 -- "-$p" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 -- "-$p" 2>/dev/null; then
      log "killing $name (pgid $p)"
      kill -KILL -- "-$p" 2>/dev/null || true
    fi
  fi
  forget "$name"
}

# The AMQP listener opens late in RabbitMQ's boot, but a TCP accept alone is not
# proof the broker answers: send the protocol header and expect a frame back.
amqp_ready() {
  port_open "$AMQP_PORT" || return 1
  local reply
  reply="$({ exec 3<>"/dev/tcp/$IP/$AMQP_PORT" && printf 'AMQP\0\0\11\1' >&3 &&
             timeout 2 head -c 1 <&3 | od -An -tx1 | tr -d ' \n'; } 2>/dev/null)" || return 1
  [ "$reply" = 01 ]  # frame type 1: the broker's connection.start
}

sql() { mariadb --no-defaults -uroot --socket="$DIR/run/mysqld.sock" -e "$1"; }
mariadb_ready() { sql "SELECT 1" >/dev/null 2>&1; }

install_packages() {
  [ "${SKIP_INSTALL:-0}" = 1 ] && return
  local missing
  missing="$("$(dirname "$SELF")/missing-packages.sh" mariadb-server rabbitmq-server)"
  [ -z "$missing" ] && return
  log "installing:$missing"
  # The packages' own services are not what the tests use; policy-rc.d keeps
  # them from starting (and binding 3306/5672) when dpkg configures them.
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e $policy ]; then printf '#!/bin/sh\nexit 101\n' > $policy; chmod +x $policy; created=1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=600 $missing >"$DIR/log/apt.log" 2>&1 ||
    { if [ $created = 1 ]; then rm -f $policy; fi; tail -20 "$DIR/log/apt.log" >&2; die "apt-get failed"; }
  # An if, not `[ ] && rm`: as a function's last command a false test would be its status, and set -e
  # would end the script right after apt-get succeeded.
  if [ $created = 1 ]; then rm -f $policy; fi
}

# ---------------------------------------------------------------- MariaDB
start_mariadb() {
  if running mariadb; then log "mariadb already running (pid $(pid_of mariadb))"; return; fi
  port_open "$DB_PORT" && die "port $DB_PORT is in use by a process this script did not start"
  local user; user="$(id -un)"
  if [ ! -d "$DIR/mysql/mysql" ]; then
    log "mariadb: initialising $DIR/mysql"
    mariadb-install-db --no-defaults --datadir="$DIR/mysql" --user="$user" \
      --auth-root-authentication-method=normal --skip-test-db >"$DIR/log/mariadb-install.log" 2>&1 ||
      { tail -20 "$DIR/log/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
  fi
  # --no-defaults: the machine's /etc/mysql config must not leak in.
  # --skip-name-resolve: 127.0.0.1 always matches the '127.0.0.1' account.
  start mariadb /usr/sbin/mariadbd --no-defaults --datadir="$DIR/mysql" --user="$user" \
    --bind-address=$IP --port="$DB_PORT" --socket="$DIR/run/mysqld.sock" --pid-file="$DIR/run/mysqld.pid" \
    --skip-name-resolve --skip-log-bin --max-connections=500 --innodb-buffer-pool-size=128M \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --log-error="$DIR/log/mariadb-error.log"
  wait_until mariadb 60 mariadb_ready
  # Tests create and drop their own databases, hence ALL on *.*.
  sql "CREATE USER IF NOT EXISTS 'cloudd'@'127.0.0.1' IDENTIFIED BY 'cloudd';
       CREATE USER IF NOT EXISTS 'cloudd'@'localhost' IDENTIFIED BY 'cloudd';
       GRANT ALL PRIVILEGES ON *.* TO 'cloudd'@'127.0.0.1' WITH GRANT OPTION;
       GRANT ALL PRIVILEGES ON *.* TO 'cloudd'@'localhost' WITH GRANT OPTION;
       FLUSH PRIVILEGES;"
  wait_until mariadb 30 port_open "$DB_PORT"
  log "mariadb ready on $IP:$DB_PORT"
}

# ---------------------------------------------------------------- RabbitMQ
# Every rabbitmq-server / rabbitmqctl invocation sees the same environment:
# HOME holds the Erlang cookie, the node name and epmd port find the node.
RENV=(env HOME="$DIR/rabbitmq" RABBITMQ_NODENAME="$NODE"
  RABBITMQ_CONFIG_FILE="$DIR/rabbitmq/rabbitmq.conf"
  RABBITMQ_CONF_ENV_FILE="$DIR/rabbitmq/rabbitmq-env.conf"
  RABBITMQ_ADVANCED_CONFIG_FILE="$DIR/rabbitmq/advanced.config"
  RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/rabbitmq/enabled_plugins"
  RABBITMQ_MNESIA_BASE="$DIR/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$DIR/log/rabbitmq"
  RABBITMQ_PID_FILE="$DIR/run/rabbitmq.pid" ERL_EPMD_ADDRESS="$IP" ERL_EPMD_PORT="$EPMD_PORT")
rabbitmqctl() { "${RENV[@]}" /usr/lib/rabbitmq/bin/rabbitmqctl -n "$NODE" "$@"; }

start_epmd() {
  if running epmd; then return; fi
  port_open "$EPMD_PORT" && die "port $EPMD_PORT is in use by a process this script did not start"
  # Erlang would otherwise auto-start a shared epmd on 0.0.0.0:4369.
  start epmd /usr/bin/epmd -address $IP -port "$EPMD_PORT"
  wait_until epmd 10 port_open "$EPMD_PORT"
}

start_rabbitmq() {
  if running rabbitmq; then log "rabbitmq already running (pid $(pid_of rabbitmq))"; return; fi
  port_open "$AMQP_PORT" && die "port $AMQP_PORT is in use by a process this script did not start"
  start_epmd
  mkdir -p "$DIR/rabbitmq" "$DIR/log/rabbitmq"
  cat > "$DIR/rabbitmq/rabbitmq.conf" <<EOF
listeners.tcp.1 = $IP:$AMQP_PORT
distribution.listener.interface = $IP
distribution.listener.port_range.min = $DIST_PORT
distribution.listener.port_range.max = $DIST_PORT
log.file.level = warning
EOF
  : > "$DIR/rabbitmq/rabbitmq-env.conf"
  echo "[]." > "$DIR/rabbitmq/enabled_plugins"
  start rabbitmq "${RENV[@]}" /usr/lib/rabbitmq/bin/rabbitmq-server
  wait_until rabbitmq 120 amqp_ready
  log "rabbitmq ready on $IP:$AMQP_PORT"
}

# A graceful stop, so durable queues and persistent messages are on disk for
# the next start (the mnesia dir is kept).
stop_rabbitmq() {
  local p; p="$(pid_of rabbitmq)"
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    rabbitmqctl stop >>"$DIR/log/rabbitmqctl.log" 2>&1 || log "rabbitmqctl stop failed; falling back to TERM"
    local deadline=$((SECONDS + 60))
    while kill -0 "$p" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  fi
  stop rabbitmq 30  # whatever is left of its process group
  local deadline=$((SECONDS + 30))
  while port_open "$AMQP_PORT"; do
    [ $SECONDS -lt $deadline ] || die "port $AMQP_PORT still open after stopping rabbitmq"
    sleep 0.2
  done
}

write_env() {
  # The restart command must reach this set even from a shell without our overrides.
  local CTL="$SELF"
  if [ "$DIR" != /tmp/cloudd-test-services ] || [ "$DB_PORT" != 13406 ] || [ "$AMQP_PORT" != 15772 ] || [ "$EPMD_PORT" != 14369 ]; then
    CTL="env CLOUD_TEST_SERVICES_DIR=$DIR CLOUD_TEST_MYSQL_PORT=$DB_PORT CLOUD_TEST_AMQP_PORT=$AMQP_PORT CLOUD_TEST_EPMD_PORT=$EPMD_PORT $CTL"
  fi
  local RESTART="$CTL restart-rabbitmq"
  cat > "$DIR/env" <<EOF
export CLOUD_TEST_MYSQL='mysql://cloudd:cloudd@$IP:$DB_PORT'
export CLOUD_TEST_AMQP='amqp://guest:guest@$IP:$AMQP_PORT/'
export CLOUD_TEST_AMQP_RESTART='$RESTART'
export CLOUD_TEST_SERVICES_CTL='$CTL'
EOF
  cat "$DIR/env"
}

now() { date +%s.%N; }

# ---------------------------------------------------------------- commands
cmd="${1:-}"
case "$cmd" in
  up)
    mkdir -p "$DIR/log" "$DIR/run"
    install_packages
    start_mariadb
    start_rabbitmq
    write_env
    ;;
  restart-rabbitmq)
    running rabbitmq || die "rabbitmq is not running (run: $SELF up)"
    t0="$(now)"
    log "stopping rabbitmq"
    stop_rabbitmq
    t1="$(now)"
    start_rabbitmq
    t2="$(now)"
    log "$(awk -v a="$t0" -v b="$t1" -v c="$t2" \
      'BEGIN{printf "rabbitmq was down for %.1fs (stop %.1fs, start %.1fs)", c-a, b-a, c-b}')"
    ;;
  stop-mariadb)
    running mariadb || die "mariadb is not running (run: $SELF up)"
    stop mariadb 60
    log "mariadb stopped (data kept)"
    ;;
  start-mariadb)
    mkdir -p "$DIR/log" "$DIR/run"
    start_mariadb
    ;;
  down)
    [ -f "$PIDS" ] || { log "nothing recorded in $PIDS"; exit 0; }
    stop_rabbitmq
    stop epmd 10
    stop mariadb 60
    log "stopped (data kept in $DIR; rm -rf it for a fresh start)"
    ;;
  status)
    for n in mariadb epmd rabbitmq; do
      case $n in mariadb) port=$DB_PORT ;; epmd) port=$EPMD_PORT ;; rabbitmq) port=$AMQP_PORT ;; esac
      if running $n; then state="running (pid $(pid_of $n))"; else state="stopped"; fi
      if port_open $port; then listen="open"; else listen="closed"; fi
      printf '%-9s %-22s port %-5s %s\n' "$n" "$state" "$port" "$listen"
    done
    running mariadb && running rabbitmq
    ;;
  *)
    sed -n '2,27p' "$SELF"; exit 2
    ;;
esac

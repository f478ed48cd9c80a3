# Starts a throw-away PostgreSQL server owned by the test run. Sourced by scripts/test.sh.
# Exports TEST_PG_URL; pg_stop stops it. Fails loudly when PostgreSQL cannot start. With PG_KEEP_DIR
# set (benchmarks), the cluster lives there and survives pg_stop, so a large data set is built once.
pg_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || die "PostgreSQL server binaries not found (apt-get install postgresql)."
  if [ -n "${PG_KEEP_DIR:-}" ]; then
    PG_DIR=$PG_KEEP_DIR
    mkdir -p "$PG_DIR"
  else
    PG_DIR=$(mktemp -d /tmp/xiangxi-credit-pg.XXXXXX)
  fi
  local port
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  # postgres refuses to run as root: run it as the postgres user then.
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "user 'postgres' is missing; reinstall the postgresql package."
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
      || { cat "$PG_DIR/initdb.log"; die "initdb failed"; }
  fi
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$PG_DIR/server.log"; die "PostgreSQL did not start"; }
  PG_RUN=("${run[@]}")
  PG_BIN=$bin
  export TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
  info "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PG_DIR)"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  if [ -n "${PG_KEEP_DIR:-}" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  else
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
  PG_DIR=
}

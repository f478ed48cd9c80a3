#!/usr/bin/env bash
# Measures the figures kept in BENCHMARKS.md. Not part of the test command: it takes a while.
#   scripts/bench.sh sizes      portal WASM/JS/CSS sizes (raw, gzip, brotli) of the release build
#   scripts/bench.sh idle-rss   server RSS after start-up with the 2,000-subject demo data, idle
#   scripts/bench.sh seed N     seed-demo time and peak RSS for N subjects into a fresh SQLite file
#   scripts/bench.sh import N [sqlite|postgres]
#                               the collection pipeline on an N-row penalty CSV (both backends unless
#                               one is named) beside the sqlite3 shell's .import of the same file,
#                               bare and indexed
#   scripts/bench.sh portal-load
#                               wrk at 64 connections: the home page against a static file of the same
#                               size from the same server (throughput, p99, ratio, server RSS)
#   scripts/bench.sh lighthouse Lighthouse (npm, mobile preset, Debian Chromium) on the home page, a
#                               column list, an article, a 双公示 list, the statistics page and the help
#                               centre of the demo data: the four category scores
#                               per page; fails if any is below 95. Reports stay in a temp dir.
#   scripts/bench.sh credit-load [sqlite|postgres]
#                               wrk at 64 connections on the public credit search of a 1,000,000-subject
#                               seed-demo database (kept in ~/.cache/xiangxi-credit/bench, built once):
#                               2-character fragments and codes (many different queries) against a
#                               static file of the same size (and the fragments through the JSON
#                               API); then the report PDF for a subject with 200
#                               records (server bench-report); server RSS during the load
#   scripts/bench.sh joint-check [sqlite|postgres]
#                               联合奖惩: on a copy of the credit-load database (1,000,000 subjects), the
#                               lists topped up to 50,000 entries (server bench-joint), a batch check of
#                               10,000 subjects timed, then wrk at 64 connections posting checks
#                               (POST /api/v1/checks, 2,000 codes, a fifth listed) against a static file
#                               of the same size as a check's answer from the same server
#   scripts/bench.sh push [N]    the push to the province: N (1,000,000) penalties imported and confirmed into a
#                               fresh SQLite file (the confirmation's outbox share printed), then
#                               `server province-push` to a local stand-in of the province's interface
#                               (`server province-sink`) timed against curl sending the same request bodies
#                               with the same headers, in the same batches, over one connection
# Build times are measured with `time cargo leptos build --release` (see BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# wrk at 64 connections for DURATION (20 s): dir, label, then wrk's arguments. Keeps the output in
# dir/wrk-label.txt and prints "req/s p50 p99 non-2xx-lines".
wrk_run() {
  local dir=$1 label=$2; shift 2
  wrk -t2 -c64 -d"${DURATION:-20s}" --latency "$@" | tee "$dir/wrk-$label.txt" >&2
  echo "$(awk '/Requests\/sec/ {print $2}' "$dir/wrk-$label.txt") $(awk '$1=="50%" {print $2}' "$dir/wrk-$label.txt") $(awk '$1=="99%" {print $2}' "$dir/wrk-$label.txt") $(grep -c "Non-2xx" "$dir/wrk-$label.txt")"
}

peak_rss_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

case "${1:-}" in
  sizes)
    for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
      node -e '
        const fs=require("fs"),z=require("zlib"),f=process.argv[1],b=fs.readFileSync(f);
        const kb=n=>(n/1024).toFixed(1)+" KiB";
        console.log(`${f.split("/").pop()}: raw ${kb(b.length)}, gzip ${kb(z.gzipSync(b,{level:9}).length)}, brotli ${kb(z.brotliCompressSync(b,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length)}`);
      ' "$f"
    done
    ;;
  idle-rss)
    dir=$(mktemp -d)
    port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    APP_DATA_DIR=$dir LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$port RUST_LOG=warn \
      target/release/server serve >"$dir/log" 2>&1 &
    pid=$!
    until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.5; done
    for _ in 1 2 3 4 5; do curl -sf "http://127.0.0.1:$port/" >/dev/null; done
    sleep 5
    echo "idle RSS after start-up, demo data and 5 home-page requests: $(awk '/VmRSS/ {print $2}' /proc/$pid/status) KiB (peak $(peak_rss_kb $pid) KiB)"
    kill $pid; wait $pid 2>/dev/null || true; rm -rf "$dir"
    ;;
  seed)
    n=${2:-1000000}
    dir=$(mktemp -d)
    start=$(date +%s.%N)
    APP_DATA_DIR=$dir /usr/bin/time -v target/release/server seed-demo --subjects "$n" --seed 2026 2>"$dir/time.log" | tail -n 1
    end=$(date +%s.%N)
    grep -E "Maximum resident set size|Elapsed" "$dir/time.log"
    echo "wall: $(awk "BEGIN{printf \"%.1f\", $end - $start}") s; database file: $(du -h "$dir/credit.db" | cut -f1)"
    rm -rf "$dir"
    ;;
  import)
    n=${2:-1000000}
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
    csv=$dir/penalties.csv
    target/release/server gen-penalty-csv --rows "$n" "$csv"
    echo "file: $(du -h "$csv" | cut -f1)"
    seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); awk "BEGIN{printf \"%.2f\", $e - $s}"; }
    # (a) the sqlite3 shell into a bare table (columns from the header, no index)
    bare=$(seconds sqlite3 "$dir/bare.db" ".import --csv $csv p")
    # (b) the same into a table with the counterparts of our indexes: subject, decision date,
    # source unit, and the record key (decision number, subject code, authority)
    sqlite3 "$dir/indexed.db" "$(head -n 1 "$csv" | awk -F, '{printf "CREATE TABLE p ("; for (i=1;i<=NF;i++) printf "%s\"%s\" TEXT", (i>1?", ":""), $i; print ");"}')
      CREATE INDEX p_subject ON p(\"统一社会信用代码\"); CREATE INDEX p_date ON p(\"处罚决定日期\");
      CREATE INDEX p_unit ON p(\"数据来源单位\");
      CREATE INDEX p_key ON p(\"行政处罚决定书文号\", \"统一社会信用代码\", \"处罚机关\");"
    indexed=$(seconds sqlite3 "$dir/indexed.db" ".import --csv --skip 1 $csv p")
    echo "sqlite3 .import: bare ${bare} s, indexed ${indexed} s"
    # (c) SQLite's own floor for our schema: the file's rows already in a scratch table, then one
    # INSERT ... SELECT into `subjects` and one into `penalties` (all their indexes, WAL, the pipeline's
    # pragmas). No cleaning, no per-row binding: no pipeline on this schema can be faster.
    floor() {
      APP_DATA_DIR="$dir/floor" target/release/server seed-demo --subjects 2000 >/dev/null
      local db=$dir/floor/credit.db
      sqlite3 "$db" ".import --csv $csv t"
      local s e
      s=$(date +%s.%N)
      sqlite3 "$db" >/dev/null <<'SQL'
PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000;
BEGIN;
INSERT INTO subjects (public_id, kind, name, uscc, legal_rep, source, created_at, updated_at)
  SELECT printf('%032x', row_number() OVER ()), 'organisation', min(行政相对人名称), 统一社会信用代码,
         min(法定代表人), 'floor', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'
  FROM t WHERE 统一社会信用代码 NOT IN (SELECT uscc FROM subjects WHERE uscc IS NOT NULL)
  GROUP BY 统一社会信用代码;
INSERT INTO penalties (public_id, subject_id, department_id, dedupe_key, published, filled, withdrawn,
  created_at, updated_at, subject_name, subject_category, subject_uscc, legal_rep, decision_no,
  violation_type, violation_facts, legal_basis, categories, content, fine_fen, decision_date, authority,
  authority_uscc, source_unit, source_unit_uscc, area_code, severity, display_until, repair_eligible_from)
  SELECT printf('%032x', t.rowid), s.id, (SELECT min(id) FROM departments),
    行政处罚决定书文号 || '|U:' || 统一社会信用代码 || '|' || 处罚机关 || '|' || t.rowid, 0, '', 0,
    '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 行政相对人名称, 行政相对人类别, 统一社会信用代码,
    法定代表人, 行政处罚决定书文号, 违法行为类型, 违法事实, 处罚依据, 处罚类别, 处罚内容,
    CAST("罚款金额（万元）" * 1000000 AS INTEGER), 处罚决定日期, 处罚机关, 处罚机关统一社会信用代码,
    数据来源单位, 数据来源单位统一社会信用代码, 地方编码, 'general', '2029-01-01', '2027-01-01'
  FROM t JOIN subjects s ON s.uscc = t.统一社会信用代码;
COMMIT;
SQL
      e=$(date +%s.%N)
      local took
      took=$(awk "BEGIN{printf \"%.2f\", $e - $s}")
      echo "SQLite floor for our schema (subjects + penalties, one INSERT ... SELECT each): ${took} s = $(awk "BEGIN{printf \"%.2f\", $took / $bare}")x bare"
      rm -rf "$dir/floor"
    }
    ours() { # label, then env for the server
      local label=$1; shift
      env "$@" APP_DATA_DIR="$dir/$label" APP_UPLOAD_MAX_MB=4000 target/release/server seed-demo --subjects 2000 >/dev/null
      env "$@" APP_DATA_DIR="$dir/$label" APP_UPLOAD_MAX_MB=4000 RUST_LOG=warn /usr/bin/time -v \
        target/release/server import --department scjg --class penalty --confirm "$csv" 2>"$dir/$label.time" | tee "$dir/$label.out"
      grep -E "Maximum resident set size" "$dir/$label.time"
      local check
      check=$(grep -oP '检查 \K[0-9.]+' "$dir/$label.out" | head -n 1)
      echo "$label: check ${check} s = $(awk "BEGIN{printf \"%.2f\", $check / $bare}")x bare, $(awk "BEGIN{printf \"%.2f\", $check / $indexed}")x indexed"
    }
    backends=${3:-sqlite postgres}
    if [[ " $backends " == *" sqlite "* ]]; then floor; ours sqlite; fi
    if [[ " $backends " == *" postgres "* ]]; then
      source scripts/pg.sh
      pg_start
      ours postgres DATABASE_URL="$TEST_PG_URL"
      pg_stop
    fi
    ;;
  push)
    n=${2:-1000000}
    dir=$(mktemp -d)
    trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir"' EXIT
    export APP_PROVINCE_SECRET=bench-push-secret RUST_LOG=warn
    target/release/server gen-penalty-csv --rows "$n" "$dir/penalties.csv"
    APP_DATA_DIR=$dir/db target/release/server seed-demo --subjects 2000 >/dev/null
    APP_DATA_DIR=$dir/db APP_UPLOAD_MAX_MB=4000 target/release/server import --department scjg --class penalty \
      --confirm "$dir/penalties.csv" | tee "$dir/import.out"
    confirm=$(grep -oP '确认 \K[0-9.]+' "$dir/import.out" | tail -n 1)
    outbox=$(grep -oP '推送队列 \K[0-9.]+' "$dir/import.out" | tail -n 1)
    echo "outbox inside the confirmation: ${outbox} s of ${confirm} s = $(awk "BEGIN{printf \"%.1f\", 100 * $outbox / ($confirm - $outbox)}") % added"
    messages=$(sqlite3 "$dir/db/credit.db" "SELECT COUNT(*) FROM push_outbox WHERE state = 'pending'")
    port=$(free_port)
    sink() { target/release/server province-sink --addr "127.0.0.1:$port" "$@" >/dev/null & }
    wait_port() { until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.2; done; }
    # A first push records the requests (the sink writing them would slow the timed run down); then
    # the queue is reset and both runs go to a sink that only answers.
    sink --dump "$dir/dump"; sink_pid=$!; wait_port
    APP_DATA_DIR=$dir/db APP_PROVINCE_URL="http://127.0.0.1:$port" APP_PROVINCE_BATCH=500 \
      target/release/server province-push --kind penalty >/dev/null
    kill $sink_pid; wait $sink_pid 2>/dev/null || true
    sqlite3 "$dir/db/credit.db" "UPDATE push_outbox SET state = 'pending', attempts = 0, sent_at = NULL; UPDATE push_schedules SET next_push_at = NULL"
    sink; sink_pid=$!; wait_port
    s=$(date +%s.%N)
    APP_DATA_DIR=$dir/db APP_PROVINCE_URL="http://127.0.0.1:$port" APP_PROVINCE_BATCH=500 \
      /usr/bin/time -v target/release/server province-push --kind penalty 2>"$dir/push.time"
    e=$(date +%s.%N)
    ours=$(awk "BEGIN{printf \"%.2f\", $e - $s}")
    kill $sink_pid; wait $sink_pid 2>/dev/null || true
    requests=$(ls "$dir/dump"/*.json | wc -l)
    bytes=$(cat "$dir/dump"/*.json | wc -c)
    # Every request ends with "next"; the last one has nothing after it.
    sed "s#SINK_URL#http://127.0.0.1:$port/push#" "$dir/dump/curl.cfg" | sed '$d' >"$dir/curl.cfg"
    sink; sink_pid=$!; wait_port
    s=$(date +%s.%N)
    curl -s -K "$dir/curl.cfg"
    e=$(date +%s.%N)
    floor=$(awk "BEGIN{printf \"%.2f\", $e - $s}")
    kill $sink_pid; wait $sink_pid 2>/dev/null || true
    echo "messages: $messages in $requests requests, $(awk "BEGIN{printf \"%.0f\", $bytes / 1048576}") MiB of JSON"
    grep -E "Maximum resident set size" "$dir/push.time"
    echo "province-push: ${ours} s; curl with the same bodies: ${floor} s; ratio $(awk "BEGIN{printf \"%.2f\", $ours / $floor}")x"
    ;;
  portal-load)
    # Home page vs a static file of the same size from the same server (its static-asset route, /pkg):
    # wrk, 2 threads, 64 connections, after a 3 s warm-up.
    command -v wrk >/dev/null || die "wrk is missing: apt-get install wrk"
    dir=$(mktemp -d)
    port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    APP_DATA_DIR=$dir LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$port RUST_LOG=warn \
      target/release/server serve >"$dir/log" 2>&1 &
    pid=$!
    trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f target/site/pkg/bench-static.txt; rm -rf "$dir"' EXIT
    until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.5; done
    size=$(curl -s "http://127.0.0.1:$port/" | wc -c)
    head -c "$size" /dev/urandom | base64 -w 100 | head -c "$size" > target/site/pkg/bench-static.txt
    echo "home page: $size bytes; static file: $(wc -c < target/site/pkg/bench-static.txt) bytes"
    run() {
      wrk -t2 -c64 -d"${DURATION:-15s}" --latency "$1" | tee "$dir/wrk.txt" >&2
      local rps p99
      rps=$(awk '/Requests\/sec/ {print $2}' "$dir/wrk.txt")
      p99=$(awk '$1=="99%" {print $2}' "$dir/wrk.txt")
      echo "$rps $p99"
    }
    wrk -t2 -c64 -d3s "http://127.0.0.1:$port/" >/dev/null # warm-up
    read -r home_rps home_p99 < <(run "http://127.0.0.1:$port/")
    read -r static_rps static_p99 < <(run "http://127.0.0.1:$port/pkg/bench-static.txt")
    echo "home: $home_rps req/s, p99 $home_p99; static: $static_rps req/s, p99 $static_p99;" \
      "ratio $(awk "BEGIN{printf \"%.1f\", 100 * $home_rps / $static_rps}") %; server RSS $(awk '/VmRSS/ {print $2}' /proc/$pid/status) KiB"
    ;;
  lighthouse)
    ensure_lighthouse
    chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
    [ -x "$chromium" ] || die "$chromium is missing: run scripts/setup.sh --bench"
    [ -x target/release/server ] || die "target/release/server is missing: run cargo leptos build --release"
    dir=$(mktemp -d)
    reports=$(mktemp -d "${TMPDIR:-/tmp}/lighthouse.XXXXXX")
    port=$(free_port)
    base="http://127.0.0.1:$port"
    APP_DATA_DIR=$dir LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$port RUST_LOG=warn \
      target/release/server serve >"$dir/log" 2>&1 &
    pid=$!
    trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
    for _ in $(seq 240); do curl -sf "$base/readyz" >/dev/null && break; kill -0 $pid 2>/dev/null || { cat "$dir/log"; die "the server exited"; }; sleep 0.5; done
    curl -sf "$base/readyz" >/dev/null || die "the server did not become ready within 120 s"
    article=$(curl -sf "$base/" | grep -o 'href="/article/[^"]*"' | head -n 1 | cut -d'"' -f2)
    [ -n "$article" ] || die "no /article/ link on the home page"
    # Issue 19 adds a list page, the statistics page and the help centre.
    pages=("home $base/" "column $base/column/news" "article $base$article"
      "list $base/credit/lists/penalties" "stats $base/stats" "help $base/help")
    for entry in "${pages[@]}"; do
      name=${entry%% *}; url=${entry#* }
      info "lighthouse $url"
      # Default config = mobile form factor, simulated throttling.
      CHROME_PATH=$chromium lighthouse "$url" --quiet --output=json --output-path="$reports/$name.json" \
        --only-categories=performance,accessibility,best-practices,seo \
        --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
        || die "lighthouse failed on $url"
    done
    echo "reports: $reports (load average $(cut -d' ' -f1-3 /proc/loadavg): performance is CPU-bound, measure on an idle machine)"
    node - "$reports" home column article list stats help <<'JS'
const fs = require("fs"), [dir, ...names] = process.argv.slice(2);
const cats = ["performance", "accessibility", "best-practices", "seo"];
let low = false;
console.log("page      " + cats.map((c) => c.padStart(15)).join(""));
const losses = [], errors = [];
for (const n of names) {
  const r = JSON.parse(fs.readFileSync(`${dir}/${n}.json`, "utf8"));
  if (r.runtimeError) console.log(`${n}: runtime error ${r.runtimeError.code}: ${r.runtimeError.message}`);
  const row = cats.map((c) => {
    const s = r.categories[c]?.score;
    if (s == null || s < 0.95) low = true;
    return (s == null ? "n/a" : String(Math.round(s * 100))).padStart(15);
  });
  console.log(n.padEnd(10) + row.join("") + `   (benchmarkIndex ${Math.round(r.environment.benchmarkIndex)})`);
  const weight = {};
  for (const c of cats) for (const ref of r.categories[c]?.auditRefs ?? []) weight[ref.id] = (weight[ref.id] ?? 0) + ref.weight;
  const errored = Object.values(r.audits).filter((a) => a.scoreDisplayMode === "error").map((a) => `${a.id} (weight ${weight[a.id] ?? 0})`);
  if (errored.length) errors.push(`  ${n}: ${errored.join(", ")}`);
  for (const c of cats) {
    for (const ref of r.categories[c]?.auditRefs ?? []) {
      const a = r.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) {
        losses.push(`  ${n} ${c}: ${ref.id} (score ${a.score}${a.displayValue ? ", " + a.displayValue : ""})`);
      }
    }
  }
}
if (losses.length) console.log("audits losing points (weight > 0, score < 1):\n" + losses.join("\n"));
if (errors.length) console.log("audits that errored (not scored):\n" + errors.join("\n"));
process.exit(low ? 1 : 0);
JS
    ;;
  credit-load)
    command -v wrk >/dev/null || die "wrk is missing: apt-get install wrk"
    backend=${2:-sqlite}
    n=${CREDIT_BENCH_SUBJECTS:-1000000}
    bench=${CREDIT_BENCH_DIR:-$HOME/.cache/xiangxi-credit/bench}/$backend-$n
    mkdir -p "$bench"
    envs=(APP_DATA_DIR="$bench")
    if [ "$backend" = postgres ]; then
      # A cluster of its own under the bench directory, kept between runs like the SQLite file.
      # Outside $HOME: the server runs as the postgres user when we are root.
      export PG_KEEP_DIR=/var/tmp/xiangxi-credit-bench-pg-$n
      source scripts/pg.sh
      pg_start
      envs+=(DATABASE_URL="$TEST_PG_URL")
    fi
    if [ ! -f "$bench/seeded" ]; then
      info "seeding $n subjects into $backend (once; kept in $bench)"
      start=$(date +%s)
      env "${envs[@]}" target/release/server seed-demo --subjects "$n" --seed 2026 | tail -n 1
      echo "seed-demo $n subjects: $(( $(date +%s) - start )) s" | tee "$bench/seeded"
    fi
    port=$(free_port)
    env "${envs[@]}" APP_SEARCH_RATE_PER_MIN=1000000000 LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$port \
      RUST_LOG=warn target/release/server serve --no-demo >"$bench/serve.log" 2>&1 &
    pid=$!
    trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f target/site/pkg/bench-static.txt; if [ "$backend" = postgres ]; then pg_stop; fi' EXIT
    until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.5; done
    # Start-up jobs run first (after a fresh seed the take-down job marks every penalty past its period,
    # hundreds of thousands of rows): let them finish before measuring.
    sleep "${SETTLE:-30}"
    base="http://127.0.0.1:$port"
    enc() { node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1"; }
    # 2-character fragments people type (places, trades), each on pages 1 and 2.
    : >"$bench/fragments.txt"
    # (Two of them, 超市 and 药房, match no demo name: searches that find nothing are common too.)
    for f in 湘西 凤凰 吉首 花垣 保靖 古丈 永顺 龙山 泸溪 商贸 建材 农业 科技 旅游 餐饮 合作 生态 物流 酒店 超市 \
             药房 医药 电子 服装 五金 食品 茶叶 劳务 民宿 文化 传媒 客栈 汽车 装饰 环保 银饰 矿业 运输 腊肉 服饰; do
      q=$(enc "$f"); echo "/credit?q=$q" >>"$bench/fragments.txt"; echo "/credit?q=$q&page=2" >>"$bench/fragments.txt"
    done
    # Codes: full USCCs and their last 6 characters, of subjects drawn from the registry.
    curl -sf "$base/api/v1/credit/search?q=$(enc 公司)" >/dev/null
    : >"$bench/codes.txt"
    for page in $(seq 1 25); do
      curl -sf "$base/api/v1/credit/search?q=$(enc 有限)&page=$page" | node -e '
        let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const h of JSON.parse(s).hits){if(h.uscc){console.log("/credit?q="+h.uscc);console.log("/credit?q="+h.uscc.slice(-6))}}})' >>"$bench/codes.txt"
    done
    echo "queries: $(wc -l <"$bench/fragments.txt") fragment pages, $(wc -l <"$bench/codes.txt") code searches"
    cat >"$bench/paths.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
    size=$(curl -s "$base$(head -n 1 "$bench/fragments.txt")" | wc -c)
    head -c "$size" /dev/urandom | base64 -w 100 | head -c "$size" > target/site/pkg/bench-static.txt
    echo "search page: $size bytes; static file: $(wc -c < target/site/pkg/bench-static.txt) bytes"
    run() { wrk_run "$bench" "$@"; }
    PATHS="$bench/fragments.txt" wrk -t2 -c64 -d5s -s "$bench/paths.lua" "$base" >/dev/null # warm-up
    read -r frag_rps frag_p50 frag_p99 frag_bad < <(PATHS="$bench/fragments.txt" run fragments -s "$bench/paths.lua" "$base")
    read -r code_rps code_p50 code_p99 code_bad < <(PATHS="$bench/codes.txt" run codes -s "$bench/paths.lua" "$base")
    # The same fragments through the JSON API (the search without the page around it).
    sed 's#^/credit?#/api/v1/credit/search?#' "$bench/fragments.txt" >"$bench/api-fragments.txt"
    read -r api_rps api_p50 api_p99 api_bad < <(PATHS="$bench/api-fragments.txt" run api -s "$bench/paths.lua" "$base")
    rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status); peak=$(peak_rss_kb $pid)
    read -r static_rps static_p50 static_p99 _ < <(run static "$base/pkg/bench-static.txt")
    echo "fragments: $frag_rps req/s, p50 $frag_p50, p99 $frag_p99 (non-2xx lines: $frag_bad)"
    echo "codes:     $code_rps req/s, p50 $code_p50, p99 $code_p99 (non-2xx lines: $code_bad)"
    echo "JSON API:  $api_rps req/s, p50 $api_p50, p99 $api_p99 (fragments; non-2xx lines: $api_bad)"
    echo "static:    $static_rps req/s, p50 $static_p50, p99 $static_p99"
    echo "ratio: fragments $(awk "BEGIN{printf \"%.1f\", 100 * $frag_rps / $static_rps}") %, codes $(awk "BEGIN{printf \"%.1f\", 100 * $code_rps / $static_rps}") %"
    echo "server RSS after the search load: $rss KiB (peak $peak KiB)"
    kill $pid; wait $pid 2>/dev/null || true
    # The report: a copy of the database for SQLite, so the bench subject does not stay in the seed.
    if [ "$backend" = sqlite ]; then
      cp "$bench/credit.db" "$bench/report.db"
      APP_REPORT_RATE_PER_HOUR=1000000 APP_DATA_DIR="$bench" DATABASE_URL="sqlite://$bench/report.db" /usr/bin/time -v target/release/server bench-report --records 200 --runs 50 2>"$bench/report.time"
      rm -f "$bench/report.db"*
    else
      env "${envs[@]}" APP_REPORT_RATE_PER_HOUR=1000000 /usr/bin/time -v target/release/server bench-report --records 200 --runs 50 2>"$bench/report.time"
    fi
    grep -E "Maximum resident set size" "$bench/report.time"
    ;;
  joint-check)
    command -v wrk >/dev/null || die "wrk is missing: apt-get install wrk"
    backend=${2:-sqlite}
    n=${CREDIT_BENCH_SUBJECTS:-1000000}
    seeded=${CREDIT_BENCH_DIR:-$HOME/.cache/xiangxi-credit/bench}/$backend-$n
    work=$(mktemp -d "${TMPDIR:-/tmp}/joint-bench.XXXXXX")
    envs=(APP_DATA_DIR="$work")
    if [ "$backend" = postgres ]; then
      export PG_KEEP_DIR=/var/tmp/xiangxi-credit-bench-pg-$n
      source scripts/pg.sh
      pg_start
      envs+=(DATABASE_URL="$TEST_PG_URL")
    fi
    if [ ! -f "$seeded/seeded" ]; then
      info "seeding $n subjects into $backend (once; kept in $seeded, shared with credit-load)"
      mkdir -p "$seeded"
      start=$(date +%s)
      env APP_DATA_DIR="$seeded" ${envs[1]:+"${envs[1]}"} target/release/server seed-demo --subjects "$n" --seed 2026 | tail -n 1
      echo "seed-demo $n subjects: $(( $(date +%s) - start )) s" | tee "$seeded/seeded"
    fi
    # The checks write to a copy of the seeded data directory (its database and master secret), so the seed
    # stays as credit-load measures it. (PostgreSQL's cluster is shared: the checks only add rows there.)
    cp -r "$seeded/." "$work/"
    trap 'kill ${pid:-0} 2>/dev/null || true; wait ${pid:-0} 2>/dev/null || true; rm -f target/site/pkg/bench-static.txt; rm -rf "$work"; if [ "$backend" = postgres ]; then pg_stop; fi' EXIT
    env "${envs[@]}" RUST_LOG=warn target/release/server bench-joint --entries 50000 --codes 2000 --batch 10000 "$work/codes.txt" | tee "$work/prepare.txt"
    key=$(awk '/^key: / {print $2}' "$work/prepare.txt")
    port=$(free_port)
    base="http://127.0.0.1:$port"
    env "${envs[@]}" LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$port RUST_LOG=warn \
      target/release/server serve --no-demo >"$work/serve.log" 2>&1 &
    pid=$!
    until curl -sf "$base/readyz" >/dev/null; do sleep 0.5; done
    sleep "${SETTLE:-30}"
    cat >"$work/checks.lua" <<'LUA'
local codes = {}
for line in io.lines(os.getenv("CODES")) do codes[#codes + 1] = line end
local i = math.random(#codes)
local headers = { ["Authorization"] = "Bearer " .. os.getenv("KEY"), ["Content-Type"] = "application/json" }
request = function()
  i = i % #codes + 1
  return wrk.format("POST", "/api/v1/checks", headers, '{"matter":"XXFGW-001","subject":"' .. codes[i] .. '"}')
end
LUA
    size=$(curl -s -X POST "$base/api/v1/checks" -H "Authorization: Bearer $key" -H 'content-type: application/json' \
      -d "{\"matter\":\"XXFGW-001\",\"subject\":\"$(head -n 1 "$work/codes.txt")\"}" | wc -c)
    head -c "$size" /dev/urandom | base64 -w 100 | head -c "$size" > target/site/pkg/bench-static.txt
    echo "check answer: $size bytes (a listed company); static file: $(wc -c < target/site/pkg/bench-static.txt) bytes"
    run() { wrk_run "$work" "$@"; }
    CODES="$work/codes.txt" KEY="$key" wrk -t2 -c64 -d5s -s "$work/checks.lua" "$base" >/dev/null # warm-up
    read -r check_rps check_p50 check_p99 check_bad < <(CODES="$work/codes.txt" KEY="$key" run checks -s "$work/checks.lua" "$base")
    read -r static_rps static_p50 static_p99 _ < <(run static "$base/pkg/bench-static.txt")
    echo "checks: $check_rps req/s, p50 $check_p50, p99 $check_p99 (non-2xx lines: $check_bad)"
    echo "static: $static_rps req/s, p50 $static_p50, p99 $static_p99"
    echo "ratio: $(awk "BEGIN{printf \"%.1f\", 100 * $check_rps / $static_rps}") %; server RSS $(awk '/VmRSS/ {print $2}' /proc/$pid/status) KiB (peak $(peak_rss_kb $pid) KiB)"
    # Every answered check is a committed row: the log's API rows against the requests wrk completed.
    sent=$(awk '/requests in/ {n += $1} END {print n}' "$work"/wrk-checks.txt)
    if [ "$backend" = sqlite ]; then
      echo "checks logged by the API: $(sqlite3 "$work/credit.db" "SELECT COUNT(*) FROM joint_checks WHERE channel = 'api'") (wrk completed $sent in the measured run, plus the warm-up's)"
      echo "access log lines of the key: $(sqlite3 "$work/credit.db" "SELECT COUNT(*) FROM api_access_log") (every keyed request, the warm-up's and the size probe's included)"
    fi
    ;;
  *) die "usage: scripts/bench.sh sizes | idle-rss | seed [N] | import [N] [sqlite|postgres] | portal-load | lighthouse | credit-load [sqlite|postgres] | joint-check [sqlite|postgres]" ;;
esac

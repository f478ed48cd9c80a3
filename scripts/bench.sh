#!/usr/bin/env bash
# Measures the figures kept in BENCHMARKS.md. Not part of the test command: it takes a while.
#   scripts/bench.sh sizes      portal WASM/JS/CSS sizes (raw, gzip, brotli) of the release build
#   scripts/bench.sh idle-rss   server RSS after start-up with the 2,000-subject demo data, idle
#   scripts/bench.sh seed N     seed-demo time and peak RSS for N subjects into a fresh SQLite file
# Build times are measured with `time cargo leptos build --release` (see BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

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
  *) die "usage: scripts/bench.sh sizes | idle-rss | seed [N]" ;;
esac

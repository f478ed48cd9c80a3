#!/usr/bin/env bash
# Peak memory of the release server while it meets the hostile workbooks of issue 17 (item 1):
# far-apart cells (A1 + XFD1048576), a sheet whose headers lie about its size, 1 GB of shared strings,
# 16 384 columns, one 64 MB text run, and a 1 048 576-row sparse sheet (which must be read, not refused).
# The workbooks come from `server gen-hostile-xlsx DIR`. Not part of the test command.
#   scripts/hostile-xlsx.sh import   one `server import` per workbook: exit code, message, peak RSS
#   scripts/hostile-xlsx.sh serve    per workbook, a server on a copy of a demo database; the demo clerk
#                                    uploads it in the console; the batch's outcome and the server's
#                                    peak RSS (VmHWM) once the job runner has checked it
#   scripts/hostile-xlsx.sh          both
# Needs the release build (cargo leptos build --release); SERVER_BIN names another binary.
# Fails when a process dies, a workbook is not refused with its reason, or a peak passes LIMIT_MB (300).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${SERVER_BIN:-target/release/server}
limit_kb=$(( ${LIMIT_MB:-300} * 1024 ))
[ -x "$bin" ] || { echo "缺少 $bin：请先 cargo leptos build --release（或用 SERVER_BIN 指定）" >&2; exit 1; }
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
export APP_SECRET=hostile-xlsx-measurement-secret-0123456789 RUST_LOG=warn
unset APP_ENV APP_CONFIG_FILE DATABASE_URL

"$bin" gen-hostile-xlsx "$work/books" | tee "$work/books.txt"
# The refusal each workbook must meet (empty: it must be checked, not refused).
expect() {
  case "$1" in
    far-apart.xlsx) echo "第1048576行第16384列（XFD）超出上限" ;;
    lying-sizes.xlsx) echo "解压后超过" ;;
    huge-shared-strings.xlsx) echo "共享字符串" ;;
    many-columns.xlsx) echo "超出上限（最多200列）" ;;
    long-text-run.xlsx) echo "连续内容" ;;
    *) echo "" ;;
  esac
}
echo "demo database (subjects: 50) …"
APP_DATA_DIR="$work/seed" "$bin" seed-demo --subjects 50 >/dev/null
failed=0
verdict() { # name, outcome text, peak KiB
  local want; want=$(expect "$1")
  local ok=yes
  if [ -n "$want" ]; then [[ "$2" == *"$want"* ]] || ok=no; else [[ "$2" == checked* ]] || ok=no; fi
  [ "$3" -le "$limit_kb" ] || ok=no
  [ "$ok" = yes ] || failed=1
  printf '%-26s peak %7d KiB  %s  %s\n' "$1" "$3" "$([ $ok = yes ] && echo OK || echo FAIL)" "$2"
}

run_import() {
  echo; echo "== server import (one process per workbook)"
  for f in "$work"/books/*.xlsx; do
    local name; name=$(basename "$f")
    rm -rf "$work/imp"; cp -a "$work/seed" "$work/imp"
    set +e
    APP_DATA_DIR="$work/imp" /usr/bin/time -v "$bin" import --department scjg --class penalty "$f" \
      >"$work/out" 2>"$work/err"
    local code=$?
    set -e
    local peak; peak=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/err")
    local signal; signal=$(grep -o 'Command terminated by signal [0-9]*' "$work/err" || true)
    local outcome
    if [ -n "$signal" ]; then outcome="进程被终止（$signal）"
    elif [ "$code" = 0 ]; then outcome="checked（exit 0）$(head -c 300 "$work/out" | tr '\n' ' ')"
    else outcome="exit $code：$(grep '^错误' "$work/err" | head -n 1)"
    fi
    verdict "$name" "$outcome" "${peak:-0}"
  done
}

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);console.log(eval(process.argv[1]))})' "$1"; }

run_serve() {
  echo; echo "== console upload, checked by the serve process's job runner (one server per workbook)"
  for f in "$work"/books/*.xlsx; do
    local name; name=$(basename "$f")
    rm -rf "$work/srv"; cp -a "$work/seed" "$work/srv"
    local port; port=$(free_port)
    APP_DATA_DIR="$work/srv" LEPTOS_SITE_ROOT=target/site "$bin" serve --no-demo --addr "127.0.0.1:$port" \
      >"$work/srv.log" 2>&1 &
    pid=$!
    local base="http://127.0.0.1:$port" jar="$work/jar"
    rm -f "$jar"
    local ready=$(( $(date +%s) + 120 ))
    until curl -sf "$base/readyz" >/dev/null; do
      [ "$(date +%s)" -lt "$ready" ] && kill -0 "$pid" 2>/dev/null || { cat "$work/srv.log" >&2; exit 1; }
      sleep 0.3
    done
    local token; token=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
    curl -s -c "$jar" -b "$jar" -o /dev/null -d 'username=clerk&password=Credit%23Demo2026' "$base/api/auth/login"
    local location; location=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' \
      -F "csrf_token=$token" -F class=penalty -F "file=@$f" "$base/console/collect/upload")
    local id=${location##*/batch/}
    local status=checking detail="" deadline=$(( $(date +%s) + 600 ))
    while [ "$status" = checking ] && kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
      sleep 1
      detail=$(curl -s -b "$jar" -d "id=$id" "$base/api/collect/batch" || true)
      status=$(printf '%s' "$detail" | json 'j.batch ? j.batch.status : "?"' 2>/dev/null || echo "?")
    done
    local peak outcome
    if kill -0 "$pid" 2>/dev/null; then
      peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
      outcome="$status：$(printf '%s' "$detail" | json 'j.error' 2>/dev/null || true)"
      kill "$pid"; wait "$pid" 2>/dev/null || true
    else
      wait "$pid" 2>/dev/null && code=0 || code=$?
      peak=0; outcome="服务进程已退出（$code）：$(tail -n 3 "$work/srv.log" | tr '\n' ' ')"
    fi
    pid=
    verdict "$name" "$outcome" "${peak:-0}"
  done
}

case "${1:-all}" in
  import) run_import ;;
  serve) run_serve ;;
  all) run_import; run_serve ;;
  *) echo "用法：$0 [import|serve]" >&2; exit 2 ;;
esac
echo
[ "$failed" = 0 ] && echo "全部通过（峰值内存上限 $((limit_kb / 1024)) MB）。" || { echo "有未通过的项目。" >&2; exit 1; }

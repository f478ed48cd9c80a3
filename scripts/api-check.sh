#!/usr/bin/env bash
# The data API against its own OpenAPI document: the document validates (openapi-spec-validator), and
# schemathesis (property-based requests from the document) finds no server error (5xx).
# Needs the release server binary (cargo leptos build --release) and python3 with venv (setup.sh --test).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

SCHEMATHESIS_VERSION=4.32.5
VALIDATOR_VERSION=0.9.0
PY="$TOOLS_DIR/py"
BIN=target/release/server
[ -x "$BIN" ] || die "$BIN is missing: run cargo leptos build --release first."

step "Python tools: schemathesis $SCHEMATHESIS_VERSION, openapi-spec-validator $VALIDATOR_VERSION"
if "$PY/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION" && "$PY/bin/pip" show openapi-spec-validator 2>/dev/null | grep -q "Version: $VALIDATOR_VERSION"; then
  info "present"
else
  python3 -m venv "$PY"
  "$PY/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" "openapi-spec-validator==$VALIDATOR_VERSION"
fi

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export APP_DATA_DIR="$work" DATABASE_URL="sqlite://$work/api.db?mode=rwc" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

step "演示数据与接口密钥 (demo data and an API key)"
"$BIN" seed-demo --subjects 200 >/dev/null
# Every scope, and a rate limit above what the run sends: the run tests the endpoints, not the limit.
key=$("$BIN" api-key --department scjg --name schemathesis --rate 1000000 \
  --scopes penalty,licence,red_list,check,report,read:penalty,read:licence,read:red_list,read:black_list)
"$BIN" serve --no-demo --addr "127.0.0.1:$port" &
pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || die "the server did not become ready"

step "OpenAPI 文档校验 (openapi-spec-validator)"
curl -sf "http://127.0.0.1:$port/api/v1/openapi.json" -o "$work/openapi.json"
"$PY/bin/openapi-spec-validator" "$work/openapi.json"

# A batch for the operations that take a batch id.
BATCH_ID=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/batches/penalty" -H "Authorization: Bearer $key" \
  -H 'content-type: application/json' -d '{"records":[{"CF_WSH":"湘西市监罚〔2026〕接口测试1号","CF_XDR_MC":"湘西接口测试有限公司"}]}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["batch_id"])')
export BATCH_ID
# A check with a hit (a black-listed showcase company, for the key's unit's matter), for the feedback.
CHECK_ID=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/checks" -H "Authorization: Bearer $key" \
  -H 'content-type: application/json' -d '{"matter":"XXSCJG-001","subject":"吉首一诺建材有限公司"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["check_id"])')
export CHECK_ID
# A subject on public display, for the partner API's subject paths.
USCC=$(curl -sf "http://127.0.0.1:$port/api/v1/subjects/$(curl -sf -G "http://127.0.0.1:$port/api/v1/credit/search" \
  --data-urlencode 'q=吉首一诺建材有限公司' | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["uscc"])')" \
  -H "Authorization: Bearer $key" | python3 -c 'import json,sys; print(json.load(sys.stdin)["subject"]["uscc"])')
export USCC

step "schemathesis: no server error (5xx) for generated requests"
# Schemathesis keeps its cache in the working directory: run it in the throw-away folder.
config="$PWD/scripts/schemathesis.toml"
(cd "$work" && "$PY/bin/st" --config-file "$config" run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $key" \
  --checks not_a_server_error \
  --max-examples 60 --workers 2 --seed 20261129)

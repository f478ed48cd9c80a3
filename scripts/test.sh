#!/usr/bin/env bash
# The README's test command: install what tests need, then run every layer:
#   0. cargo fmt --check and clippy with warnings denied (server and WASM builds)
#   1. unit tests (rules, config, secrets, clock, middleware, generator)
#   2. integration tests on SQLite
#   3. the same integration tests on a PostgreSQL server this script starts
#   4. the Playwright suite in Chromium (desktop and phone, JavaScript on and off) against the release server
#   5. the data API against its OpenAPI document (validator + schemathesis, no 5xx)
# Exits non-zero on any failure. Options: --skip-e2e (developer shortcut; CI never uses it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
source scripts/pg.sh
trap pg_stop EXIT

SKIP_E2E=0
[ "${1:-}" = "--skip-e2e" ] && SKIP_E2E=1

check_disk_space 15
bash scripts/setup.sh --test
# The same compile-time environment cargo-leptos gives the server build, so that tests and the
# release build share compiled dependencies instead of building them twice.
export LEPTOS_OUTPUT_NAME=xiangxi-credit
CARGO_TEST=(cargo test --release --locked)

step "格式检查 (cargo fmt --check)"
cargo fmt --all -- --check
step "静态检查 (clippy with warnings denied: server and WASM builds)"
# Long functions fail the run too (clippy.toml threshold); only test files may allow them.
CLIPPY_ARGS=(-- -D warnings)
# The server build: app with `ssr`, every target (tests included; clippy.toml allows panics in tests).
cargo clippy --locked -p app -p server --features app/ssr --all-targets "${CLIPPY_ARGS[@]}"
# The WASM build as cargo-leptos makes it: the frontend lib with app's `hydrate`, no default features.
cargo clippy --locked -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown "${CLIPPY_ARGS[@]}"

step "单元测试 (unit tests: app rules and server plumbing)"
"${CARGO_TEST[@]}" -p app --features ssr --lib
"${CARGO_TEST[@]}" -p server --lib --bins

step "集成测试 · SQLite (integration tests on SQLite)"
# Each test makes its own database file there; clear what earlier runs left (gigabytes over time).
rm -rf "${TMPDIR:-/tmp}/xiangxi-credit-tests"
TEST_DATABASE=sqlite "${CARGO_TEST[@]}" -p server --test '*'

step "集成测试 · PostgreSQL (integration tests on PostgreSQL)"
pg_start
TEST_DATABASE=postgres "${CARGO_TEST[@]}" -p server --test '*'
pg_stop
rm -rf "${TMPDIR:-/tmp}/xiangxi-credit-tests"

if [ $SKIP_E2E -eq 1 ]; then
  step "跳过浏览器测试 (--skip-e2e)"
  exit 0
fi
step "构建发布版本 (cargo leptos build --release)"
cargo leptos build --release
step "浏览器测试 · Chromium (desktop + phone, JavaScript on and off, release build)"
(cd end2end && npx playwright test)
step "数据接口测试 (OpenAPI validation and schemathesis against the release server)"
bash scripts/api-check.sh
step "全部测试通过 (all tests passed)"

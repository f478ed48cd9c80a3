#!/usr/bin/env bash
# The README's run command: install what is missing, build in release mode, and serve the platform
# with demo data on SQLite (data/credit.db) at http://127.0.0.1:3000 (override with LEPTOS_SITE_ADDR).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bash scripts/setup.sh
step "构建发布版本 (cargo leptos build --release; the first build takes several minutes)"
cargo leptos build --release
step "启动平台 (migrate, demo data on first start, serve)"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
exec target/release/server serve

#!/usr/bin/env bash
# Installs every tool the build needs, idempotently. Usage: scripts/setup.sh [--test] [--bench]
#   --test  also installs what the test suite needs (Chromium, CJK fonts, PostgreSQL, Playwright deps).
#   --bench also installs what scripts/bench.sh needs beyond the build (Lighthouse; Chromium).
# Prerequisites (checked): Rust via rustup, Node.js >= 20 with npm. Everything else comes from here.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

WANT_TEST=0
WANT_BENCH=0
for arg in "$@"; do
  case "$arg" in
    --test) WANT_TEST=1 ;;
    --bench) WANT_BENCH=1 ;;
    *) die "unknown option $arg (usage: scripts/setup.sh [--test] [--bench])" ;;
  esac
done

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0

step "检查前置条件 (checking prerequisites)"
command -v cargo >/dev/null || die "Rust is missing: install it with rustup (https://rustup.rs) and re-run."
command -v rustup >/dev/null || die "rustup is missing: this project needs a rustup-managed toolchain."
command -v node >/dev/null || die "Node.js >= 20 is missing: install Node.js 20 and re-run."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old: Playwright needs Node.js >= 20."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  info "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

step "Rust target wasm32-unknown-unknown"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then info "present"; else rustup target add wasm32-unknown-unknown; fi

step "Rust components clippy + rustfmt (the test command's lint step)"
for component in clippy rustfmt; do
  if rustup component list --installed | grep -q "^$component"; then info "$component present"; else rustup component add "$component"; fi
done

step "cargo-leptos $CARGO_LEPTOS_VERSION"
if cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then info "present"; else
  info "building cargo-leptos from crates.io (about 15 minutes on 2 cores, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
if wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then info "present"; else
  info "building wasm-bindgen-cli (about 2 minutes, once)"
  # Not --locked: its lock file names a webpki-roots version the registry does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

step "binaryen $BINARYEN_VERSION (wasm-opt from npm; Debian's wasm-opt breaks hydration)"
if [ -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ] && "$TOOLS_DIR/node_modules/.bin/wasm-opt" --version | grep -q "${BINARYEN_VERSION%%.*}"; then info "present"; else
  mkdir -p "$TOOLS_DIR"
  npm install --no-audit --no-fund --silent --prefix "$TOOLS_DIR" "binaryen@$BINARYEN_VERSION"
fi

step "CJK font for credit reports (fonts-wqy-microhei; the server embeds it in the PDFs)"
apt_install fonts-wqy-microhei

if [ $WANT_TEST -eq 1 ]; then
  step "Debian packages for tests: Chromium, CJK fonts, PostgreSQL, poppler, Python venv (API checks)"
  apt_install chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils postgresql python3-venv curl
  step "end2end npm packages (playwright-core; no browser download)"
  if [ -d end2end/node_modules/playwright-core ] && [ end2end/node_modules/.package-lock.json -nt end2end/package-lock.json ]; then info "present"; else
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
fi
if [ $WANT_BENCH -eq 1 ]; then
  step "Lighthouse $LIGHTHOUSE_VERSION (npm), Chromium, wrk and sqlite3 for scripts/bench.sh"
  apt_install chromium curl wrk sqlite3
  if ensure_lighthouse; then info "lighthouse $("$TOOLS_DIR/node_modules/.bin/lighthouse" --version)"; fi
fi
step "工具已就绪 (tools ready)"

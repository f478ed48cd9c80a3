# Shared helpers for the project's scripts. Sourced, not run.
TOOLS_DIR="${XX_TOOLS_DIR:-$HOME/.cache/xiangxi-credit/tools}"
export PATH="$TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"
_t0=$(date +%s)
step() { printf '\n\033[1;34m==> [%4ss] %s\033[0m\n' "$(( $(date +%s) - _t0 ))" "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf '\033[1;31m错误: %s\033[0m\n' "$*" >&2; exit 1; }

# Warns early when the disk holding target/ is nearly full: the linker dies with a bus error
# (SIGBUS) half-way through a build instead of saying so. A cold test run needs about 15 GB.
check_disk_space() {
  local need_gb=$1 free_kb
  free_kb=$(df -Pk "${CARGO_TARGET_DIR:-.}" 2>/dev/null | awk 'NR==2 {print $4}')
  [ -n "$free_kb" ] || return 0
  if [ "$free_kb" -lt $(( need_gb * 1024 * 1024 )) ]; then
    printf '\033[1;33m警告: 磁盘只剩 %s GB 可用，构建约需 %s GB；空间不足时链接器会以 "Bus error" 失败。\033[0m\n' \
      "$(( free_kb / 1024 / 1024 ))" "$need_gb" >&2
  fi
}

# Lighthouse for `scripts/bench.sh lighthouse` (and `scripts/setup.sh --bench`): npm, pinned, in TOOLS_DIR.
LIGHTHOUSE_VERSION=12.2.3
ensure_lighthouse() {
  if [ -x "$TOOLS_DIR/node_modules/.bin/lighthouse" ] \
    && [ "$("$TOOLS_DIR/node_modules/.bin/lighthouse" --version 2>/dev/null)" = "$LIGHTHOUSE_VERSION" ]; then
    return 0
  fi
  info "npm install lighthouse@$LIGHTHOUSE_VERSION into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  npm install --no-audit --no-fund --silent --save-exact --prefix "$TOOLS_DIR" "lighthouse@$LIGHTHOUSE_VERSION"
}

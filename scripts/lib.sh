# Shared helpers for the project's scripts. Sourced, not run.
TOOLS_DIR="${XX_TOOLS_DIR:-$HOME/.cache/xiangxi-credit/tools}"
export PATH="$TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"
_t0=$(date +%s)
step() { printf '\n\033[1;34m==> [%4ss] %s\033[0m\n' "$(( $(date +%s) - _t0 ))" "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf '\033[1;31m错误: %s\033[0m\n' "$*" >&2; exit 1; }

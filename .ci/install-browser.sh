#!/usr/bin/env bash
# Installs Debian's headless browser for the end-to-end test of `ratsdoc serve`
# (tests/browser/): chromium and its chromedriver. Idempotent and quiet: does
# nothing when both are already on PATH; prints apt's output only on failure.
# Needs root (CI runs as root) or sudo.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq &&
       $SUDO apt-get install -y -qq --no-install-recommends \
           chromium chromium-driver fonts-dejavu-core; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-browser: could not install chromium and chromium-driver" >&2
    exit 1
fi
echo "install-browser: $(chromium --version 2>/dev/null | head -n1), $(chromedriver --version 2>/dev/null | head -n1)"

#!/usr/bin/env bash
# Installs the few Debian packages the platform needs, when running as root; otherwise
# prints the exact command and stops. Usage: system-deps.sh venv|browser|pdf|r
set -euo pipefail

need=()
case "${1:-}" in
  venv)
    python3 -c "import ensurepip, venv" 2>/dev/null || need+=(python3-venv)
    ;;
  browser)
    command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
    fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk" || need+=(fonts-wqy-microhei)
    ;;
  pdf)
    # WeasyPrint draws text with Pango; Debian's python3 image does not ship it.
    for lib in libpango-1.0-0 libpangoft2-1.0-0; do
      dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q "ok installed" || need+=("$lib")
    done
    fc-list 2>/dev/null | grep -qi "wqy" || need+=(fonts-wqy-microhei)
    ;;
  *)
    echo "usage: $0 venv|browser|pdf" >&2
    exit 2
    ;;
esac

[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "QualityCity needs these Debian packages: ${need[*]}"
  echo "Run:  sudo apt-get install -y ${need[*]}"
  exit 1
fi

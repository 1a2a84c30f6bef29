#!/usr/bin/env bash
# Install the Debian/Ubuntu packages Rasid needs to build and test, when they are missing.
#   scripts/system-deps.sh          build: Python venv and headers, a compiler, ICU (for PyICU),
#                                   the DejaVu fonts (Arabic in the monitoring PDF reports)
#   scripts/system-deps.sh browser  also Chromium, for the browser tests
#   scripts/system-deps.sh postgres also a PostgreSQL server
set -euo pipefail

need=()
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists icu-uc 2>/dev/null || need+=(libicu-dev)
command -v g++ >/dev/null || need+=(g++)
command -v make >/dev/null || need+=(make)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
python3 -c "import ensurepip, venv" 2>/dev/null || need+=(python3-venv)
python3 -c "import sysconfig, os; assert os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h'))" 2>/dev/null || need+=(python3-dev)
for extra in "$@"; do
  case "$extra" in
    browser) [ -x /usr/bin/chromium ] || need+=(chromium) ;;
    postgres) command -v pg_ctlcluster >/dev/null || need+=(postgresql) ;;
    *) echo "unknown extra: $extra" >&2; exit 2 ;;
  esac
done
[ ${#need[@]} -eq 0 ] && exit 0

echo "installing system packages: ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${need[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"

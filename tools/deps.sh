#!/bin/sh
# deps.sh: install the Debian packages isms needs, and nothing when they
# are all present.  Usage: tools/deps.sh build|test
#   build: what `make run` needs to build and serve
#   test:  also what `make test` and `make bench` need
# When not root it prints the exact apt-get line and stops.
set -eu

BUILD="build-essential cmake ninja-build pkg-config libsqlite3-dev
libmicrohttpd-dev libgnutls28-dev libjansson-dev libsodium-dev liboath-dev
libqrencode-dev libexpat1-dev libxlsxwriter-dev libzip-dev libcairo2-dev
libpango1.0-dev fonts-noto-cjk libmagic-dev libcurl4-openssl-dev"
TEST="libcmocka-dev tidy chromium clang-14 libclang-rt-14-dev wrk
clang-format oathtool openssl sqlite3 python3-openpyxl python3-odf
poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui
python3-aiosmtpd python3-icalendar ripgrep"

case "${1:-build}" in
build) want="$BUILD" ;;
test) want="$BUILD $TEST" ;;
*) echo "usage: $0 build|test" >&2; exit 64 ;;
esac
# Node.js and Python come from Debian unless the machine has them already.
command -v node >/dev/null 2>&1 || want="$want nodejs npm"
if [ "${1:-build}" = test ]; then
  command -v python3 >/dev/null 2>&1 || want="$want python3"
fi

missing=""
for p in $want; do
  if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
       grep -q '^install ok installed$'; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  exit 0
fi
line="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
  echo "isms 需要下列套件，請以 root 執行 / isms needs these packages; as root run:" >&2
  echo "  apt-get update && $line" >&2
  exit 1
fi
echo "安裝套件 / installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing

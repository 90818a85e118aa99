#!/usr/bin/env sh
# Make sure the few system libraries salespulse needs are present on Debian/Ubuntu:
# python3-venv (for `python3 -m venv`), Pango, HarfBuzz's subsetter and a font (WeasyPrint draws PDFs with them).
# Installs them with apt-get when run as root; otherwise says exactly what to install. The Noto fonts are wanted,
# not required: installed with the rest as root, otherwise a one-line note.
set -eu
PYTHON=${1:-python3}
missing=""
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || missing="$missing python3-venv"
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
# Optional but wanted: without it WeasyPrint falls back to a slower font subsetter and warns on every PDF.
ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so' || missing="$missing libharfbuzz-subset0"
fc-list 2>/dev/null | grep -qi 'dejavu' || missing="$missing fonts-dejavu-core"
# CRM names in Devanagari, Ethiopic, Thai, Tibetan... which DejaVu lacks: without Noto they are drawn as empty
# boxes (cheaply: a report cuts every name to 60 characters), with it as written.
wanted=""
fc-list 2>/dev/null | grep -qi 'NotoSansDevanagari' || wanted=" fonts-noto-core"
[ -z "$missing$wanted" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages:$missing$wanted" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # python3-venv is per minor version on Debian/Ubuntu (python3.11-venv); install both names when needed.
  case "$missing" in *python3-venv*)
    ver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    missing="$missing python$ver-venv" ;;
  esac
  apt-get install -y -qq --no-install-recommends $missing $wanted >/dev/null
elif [ -z "$missing" ]; then
  echo "note: names in scripts DejaVu lacks (Devanagari, Ethiopic, Thai...) print as boxes;" \
    "for them: sudo apt-get install$wanted" >&2
else
  echo "salespulse needs these system packages:$missing" >&2
  echo "install them with: sudo apt-get install$missing" >&2
  exit 2
fi

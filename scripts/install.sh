#!/usr/bin/env sh
# Install salespulse (editable, with the extras given) into the venv whose python is $1.
# uv first: it fetches and unpacks in parallel, and --compile-bytecode leaves the .pyc files that pip would
# (without them every process compiles the packages it imports). pip when uv cannot be installed or fails.
set -eu
PY=$1
EXTRAS=$2
if "$PY" -m pip install --quiet --disable-pip-version-check uv 2>/dev/null \
  && "$PY" -m uv pip install --quiet --python "$PY" --compile-bytecode -e "$EXTRAS"; then
  exit 0
fi
echo "uv unavailable; installing with pip" >&2
"$PY" -m pip install --quiet --upgrade pip
"$PY" -m pip install --quiet -e "$EXTRAS"

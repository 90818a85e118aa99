#!/usr/bin/env sh
# Install salespulse (editable) with the extras named after $1 into the venv whose python is $1, at exactly the
# versions in uv.lock:  sh scripts/install.sh .venv/bin/python test [bench]
# uv comes from PyPI through the venv's pip, at the version pinned here (raise it by hand; `make upgrade`
# refreshes uv.lock, not uv). `uv sync --locked` fails, rather than resolving anew, when pyproject.toml's
# dependencies no longer match uv.lock (run `make upgrade`, or `.venv/bin/uv lock` to change only what changed);
# it checks each download against the lock's hashes. --inexact keeps what is not in the lock (uv itself, the
# bench extra when only `test` is asked). --compile-bytecode leaves the .pyc files that pip would (without them
# every process compiles the packages it imports).
# No pip fallback: pip cannot read uv.lock, and any index that serves pip the packages also serves uv.
set -eu
UV_VERSION=0.13.9
PY=$1
shift
"$PY" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
extras=""
for extra in "$@"; do extras="$extras --extra $extra"; done
# The venv is the one $PY lives in (.venv/bin/python -> .venv), wherever the Makefile put it.
UV_PROJECT_ENVIRONMENT=$(dirname "$(dirname "$PY")")
export UV_PROJECT_ENVIRONMENT
# shellcheck disable=SC2086  # $extras is a list of words
"$PY" -m uv sync --quiet --locked --inexact --no-python-downloads --compile-bytecode $extras

#!/usr/bin/env bash
# Installs checkov (PyPI, pinned) into a virtualenv cached under ~/.cache/agentic-platform, so
# CI pays the install once per version. The binary is $CACHE/checkov-$CHECKOV_VERSION/bin/checkov;
# a marker written last tells a complete install from one that was interrupted.
set -euo pipefail
CHECKOV_VERSION=3.3.30
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/agentic-platform"
VENV="$CACHE/checkov-$CHECKOV_VERSION"
if [ -f "$VENV/.installed" ]; then
  exit 0
fi
rm -rf "$VENV"
mkdir -p "$CACHE"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
"$VENV/bin/checkov" --version
touch "$VENV/.installed"

#!/usr/bin/env bash
# Installs Debian packages, one apt run at a time on this machine: the CI lanes run side by
# side and more than one of them may find a package missing on a new machine, and two
# concurrent apt-get runs fail on dpkg's lock instead of waiting for it.
# Usage: .ci/apt-install.sh [--no-install-recommends] PACKAGE...
set -euo pipefail
command -v apt-get >/dev/null 2>&1 || { echo "apt-install: apt-get is not available: install $* by hand" >&2; exit 1; }
SUDO=
if [ "$(id -u)" != 0 ]; then SUDO="sudo -E"; fi
export DEBIAN_FRONTEND=noninteractive
exec flock "${TMPDIR:-/tmp}/agentic-platform-apt.lock" \
  $SUDO sh -c 'apt-get update -qq && apt-get install -y -qq "$@"' apt-install "$@"

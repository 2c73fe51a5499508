#!/usr/bin/env bash
# The one line the README gives for running the tests on a fresh Debian machine: install the Debian
# packages the tests need, then `npm ci` and `npm test`.
set -euo pipefail
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends etcd-server >/dev/null
npm ci --no-audit --no-fund
npm test

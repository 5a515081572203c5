#!/usr/bin/env bash
# Debian packages the tests run, installed with apt-get where missing (only as root, where apt-get
# exists): chromium (the browser tests), nginx and postgresql (the provider service's test,
# tests/browser/test_provider_service.py, runs them on loopback with configurations and data
# folders of its own). The packages' own services are not started: a policy-rc.d that refuses
# every start is in place while they are installed (unless one is there already).
# Called by .ci/run and scripts/test.sh.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -eq 0 ] || [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  exit 0
fi
echo "Installing Debian's ${missing[*]} for the tests..."
policy=/usr/sbin/policy-rc.d
ours=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && ours=1
fi
trap 'if [ "$ours" = 1 ]; then rm -f "$policy"; fi' EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

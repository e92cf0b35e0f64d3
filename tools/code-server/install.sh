#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) into this folder's node_modules without any
# download outside the npm registry. Debian prerequisites: chromium libkrb5-dev ripgrep (+ python3 make g++,
# and Node's headers next to node, as Debian/NodeSource/nvm installs have). Idempotent: skips when already built
# (marker node_modules/code-server/lib/vscode/.e2e-installed); a failed run just starts over.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
VS="$HERE/node_modules/code-server/lib/vscode"
if [ -f "$VS/.e2e-installed" ]; then echo "code-server already installed"; exit 0; fi
# Prerequisites (Debian: apt-get install chromium ripgrep libkrb5-dev python3 make g++)
missing=""
for tool in rg python3 make g++; do command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"; done
[ -f /usr/include/krb5.h ] || [ -f /usr/include/gssapi/gssapi.h ] || missing="$missing libkrb5-dev"
if [ -n "$missing" ]; then echo "install.sh: missing prerequisites:$missing" >&2; exit 1; fi
# node-gyp would download Node's headers from nodejs.org: point it at the running Node's own headers.
if [ -z "${npm_config_nodedir:-}" ]; then
  nodedir="$(npm config get nodedir 2>/dev/null || true)"
  prefix="$(node -p "require('path').resolve(process.execPath, '../..')")"
  if { [ -z "$nodedir" ] || [ "$nodedir" = "undefined" ] || [ "$nodedir" = "null" ]; } && [ -f "$prefix/include/node/node.h" ]; then
    export npm_config_nodedir="$prefix"
  fi
fi
# 1) code-server + its own deps, scripts off (its postinstall would fetch ripgrep from GitHub)
if [ -f package-lock.json ]; then npm ci --ignore-scripts --no-audit --no-fund; else npm install --ignore-scripts --no-audit --no-fund; fi
npm rebuild argon2            # native; prebuilt download fails offline -> node-gyp build (falls back by itself)
# 2) what code-server's postinstall.sh does, minus the GitHub download
cd "$VS"
npm install --omit=dev --ignore-scripts --no-audit --no-fund # shrinkwrap is slightly out of sync (npm ci: "Missing: tslib@2.9.1"), as upstream postinstall
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg   # Debian ripgrep; its postinstall then exits 0
npm_config_yes=true npm rebuild   # node-gyp builds: node-pty (its script calls npx node-gyp), spdlog, kerberos, native-watchdog ...
rm -rf node_modules.asar && ln -s node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --no-audit --no-fund)      # built-in extensions' shared dep (typescript)
touch "$VS/.e2e-installed"
node "$HERE/node_modules/code-server/out/node/entry.js" --version

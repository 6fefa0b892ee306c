#!/usr/bin/env sh
# Builds sopkit.vsix: installs the pinned dependencies, compiles, packages.
set -eu
cd "$(dirname "$0")"
npm install --no-audit --no-fund
npm run package

#!/usr/bin/env bash
# Fetches axe-core, the accessibility checker the browser tests load into every page, from the
# npm registry into .cache/axe-core/ (once; the tests never touch the network). The version is
# pinned here and checked against package.json, so a changed pin refetches.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

AXE_VERSION="4.11.0"
target=".cache/axe-core"

if [ -f "$target/axe.min.js" ] && grep -q "\"version\": \"$AXE_VERSION\"" "$target/package.json"; then
    exit 0
fi
command -v npm >/dev/null || { echo "axe.sh: npm is missing (apt-get install npm)" >&2; exit 1; }
echo "==> fetching axe-core $AXE_VERSION from the npm registry"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null)
rm -rf "$target"
mkdir -p "$target"
tar -xzf "$work"/axe-core-"$AXE_VERSION".tgz -C "$target" --strip-components=1 \
    package/axe.min.js package/package.json package/LICENSE
[ -s "$target/axe.min.js" ] || { echo "axe.sh: axe.min.js missing from the package" >&2; exit 1; }

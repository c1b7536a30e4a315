#!/bin/sh
# Run one Node test file of tests/http (node --test), as ctest's http_<name>.
# Exits 77 (ctest SKIP_RETURN_CODE) with the reason when node or the npm dev
# dependencies are missing: `sh scripts/bootstrap.sh` (or `make check`) installs both.
set -eu
test_file=$1
if ! command -v node >/dev/null 2>&1; then
    echo "SKIP: node is not installed; run scripts/bootstrap.sh (installs Debian's nodejs + npm)"
    exit 77
fi
src=${PUHUI_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
for module in ajv ajv-formats; do
    if [ ! -d "$src/node_modules/$module" ]; then
        echo "SKIP: $src/node_modules/$module is missing; run 'npm ci' at the repository root (scripts/bootstrap.sh does)"
        exit 77
    fi
done
exec node --test --test-reporter=spec "$test_file"

#!/bin/bash
# Run a browser test, or skip it (exit 77, ctest's SKIP_RETURN_CODE) with the
# reason when what it needs is missing: Debian's chromium, the npm packages
# (`npm ci` at the top of the tree), ECharts in the build's console.
node=$1
script=$2
if [ ! -x /usr/bin/chromium ]; then
    echo "SKIPPED: /usr/bin/chromium is missing (apt-get install chromium)"
    exit 77
fi
if [ ! -d "${PUHUI_NODE_MODULES:-node_modules}/playwright-core" ]; then
    echo "SKIPPED: ${PUHUI_NODE_MODULES:-node_modules}/playwright-core is missing (run npm ci at the top of the tree)"
    exit 77
fi
if [ "${PUHUI_CONSOLE_CHARTS:-ON}" != "ON" ]; then
    echo "SKIPPED: the console was built without ECharts (node_modules was missing at configure time; npm ci, then reconfigure)"
    exit 77
fi
exec "$node" --test "$script"

#!/usr/bin/env bash
# Installs the machine-level prerequisites of the test suite (idempotent).
# The .NET SDK and Node.js come with the machine; NuGet packages restore during the build.
set -euo pipefail
command -v dotnet >/dev/null || { echo "dotnet SDK is required" >&2; exit 1; }
command -v node >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs >/dev/null; }
# Third-party peers the end-to-end tests start (tests/node/package.json: jspurefix, the FIX acceptor of the feed tests).
command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm >/dev/null; }
(cd "$(dirname "$0")/../tests/node" && npm ci --no-audit --no-fund --loglevel=error)

#!/usr/bin/env bash
# Prerequisites of the end-to-end load test (bench/Dealwire.LoadTest), idempotent:
# redis-server for the Redis pub/sub baseline, and Release builds of the server and the tool.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v redis-server >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq redis-server >/dev/null; fi
fi
# The Debian package starts a system-wide instance on 6379; the benchmark starts its own on a free port.
redis-server --version
dotnet build -c Release src/Dealwire.Host/Dealwire.Host.csproj -v q -nologo
dotnet build -c Release bench/Dealwire.LoadTest/Dealwire.LoadTest.csproj -v q -nologo

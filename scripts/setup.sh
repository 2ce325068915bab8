#!/usr/bin/env bash
# Installs the machine-level prerequisites of the test suite (idempotent).
# The .NET SDK and Node.js come with the machine; NuGet packages restore during the build.
set -euo pipefail
command -v dotnet >/dev/null || { echo "dotnet SDK is required" >&2; exit 1; }
command -v node >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs >/dev/null; }
# Third-party peers the end-to-end tests start (tests/node/package.json: jspurefix, the FIX acceptor of the feed tests).
command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm >/dev/null; }
# The web console's browser tests drive Debian's chromium (Playwright cannot download its own browser here).
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
(cd "$(dirname "$0")/../tests/node" && npm ci --no-audit --no-fund --loglevel=error)

# PostgreSQL 15 (Debian's package; the cluster is installed but stopped on a fresh machine): the history store tests
# run against it as well as SQLite. They connect with DEALWIRE_TEST_POSTGRES, by default
# Host=127.0.0.1;Port=5432;Username=dealwire;Password=dealwire;Database=dealwire_test (the role may create databases:
# each test makes and drops its own).
if command -v pg_ctlcluster >/dev/null; then
  pg_lsclusters -h | grep -q '^15 *main .*online' || pg_ctlcluster 15 main start
  as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
  as_postgres "psql -qtAc \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dealwire') THEN CREATE ROLE dealwire LOGIN PASSWORD 'dealwire' CREATEDB; END IF; END\\\$\\\$\""
  as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'dealwire_test'\"" | grep -q 1 || as_postgres "createdb -O dealwire dealwire_test"
else
  echo "PostgreSQL 15 is required for the history tests (apt-get install postgresql-15)" >&2
  exit 1
fi

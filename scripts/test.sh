#!/usr/bin/env bash
# Runs every test project of the solution and ends with one line "N passed, N failed".
# Usage: scripts/test.sh [--fast] [extra dotnet test args]
#   (none)  the full lane, what CI runs (.ci/run): builds the solution, then every test of every project.
#   --fast  the edit-test loop: leaves out the tests marked [Trait("Category","Slow")] (a server process of their
#           own, kill -9 and restarts, CLI and node processes, real-time waits, browsers) and the PostgreSQL rows of
#           the history tests; skips the build when nothing changed since the last one; runs the test assemblies
#           side by side. docs/testing.md lists what is Slow and why, and what each lane costs.
set -uo pipefail
cd "$(dirname "$0")/.."
fast=0
if [ "${1:-}" = "--fast" ]; then fast=1; shift; fi
results="${TEST_RESULTS_DIR:-$PWD/TestResults}"
rm -rf "$results"; mkdir -p "$results"
# Written after a successful build; a later --fast run builds again only when a file changed after it.
stamp="tests/Dealwire.Testing/obj/fast-lane-build.stamp"

changed_since_build() {
  [ -f "$stamp" ] || return 0
  [ -n "$(find src tests bench samples Directory.Build.props Directory.Packages.props Dealwire.sln \
      \( -name bin -o -name obj -o -name node_modules -o -name TestResults \) -prune -o \
      -type f -newer "$stamp" -print -quit 2>/dev/null)" ]
}

started=$SECONDS
if [ "$fast" = 0 ] || changed_since_build; then
  # Stamped with the time the build started: a file saved while it ran counts as changed next time.
  mkdir -p "$(dirname "$stamp")" && touch "$stamp.next"
  dotnet build Dealwire.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }
  mv "$stamp.next" "$stamp"
  echo "build: $((SECONDS - started)) s"
else
  echo "build: skipped, nothing changed since the last build"
fi

tests_started=$SECONDS
# The test assemblies of the solution, run by one test host process each, side by side (MaxCpuCount=0: one per
# core); straight from their DLLs, which spares the MSBuild evaluation of `dotnet test Dealwire.sln`.
mapfile -t dlls < <(grep -o 'tests[\\/][^"]*\.Tests\.csproj' Dealwire.sln | tr '\\' '/' |
  sed -E 's#^(.*)/([^/]+)\.csproj$#\1/bin/Release/net10.0/\2.dll#')
if [ "$fast" = 1 ]; then
  dotnet test "${dlls[@]}" --filter "Category!=Slow&DisplayName!~PostgreSql" \
    --logger "trx" --results-directory "$results" "$@" -- RunConfiguration.MaxCpuCount=0
  status=$?
else
  # The replica sets run last and alone: each of their tests is three or four server processes replicating a live
  # tape, and beside another assembly (the browsers of the console tests) a 2-core machine at load 25-40 starved
  # them past their waits. Everything else runs side by side first.
  alone='Dealwire.Cluster.Tests.dll'
  mapfile -t together < <(printf '%s\n' "${dlls[@]}" | grep -v "/$alone\$")
  mapfile -t last < <(printf '%s\n' "${dlls[@]}" | grep "/$alone\$")
  dotnet test "${together[@]}" --logger "trx" --results-directory "$results" "$@" -- RunConfiguration.MaxCpuCount=0
  status=$?
  echo "tests side by side: $((SECONDS - tests_started)) s (load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null))"
  if [ "${#last[@]}" -gt 0 ]; then
    dotnet test "${last[@]}" --logger "trx" --results-directory "$results" "$@"
    last_status=$?
    [ "$status" -eq 0 ] && status=$last_status
  fi
fi
echo "tests: $((SECONDS - tests_started)) s (load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null))"

# Sum the counters of every TRX file (one per test run).
read -r passed failed < <(python3 - "$results" <<'PY'
import glob, re, sys
p = f = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    text = open(path, encoding="utf-8", errors="replace").read()
    m = re.search(r'<Counters [^>]*>', text)
    if not m: continue
    attrs = dict(re.findall(r'(\w+)="(\d+)"', m.group(0)))
    p += int(attrs.get("passed", 0))
    f += int(attrs.get("failed", 0)) + int(attrs.get("error", 0)) + int(attrs.get("timeout", 0)) + int(attrs.get("aborted", 0))
print(p, f)
PY
)
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${failed:-0}" -eq 0 ]

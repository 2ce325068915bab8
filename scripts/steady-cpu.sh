#!/usr/bin/env bash
# Server CPU per command in the steady state: starts `dealwire serve` (Durability None), drives it with the load
# tool's round trips (max phase) for 90 s, and prints µs of server CPU per command and commands/s for each 10 s window
# from 30 s to 80 s (/proc/PID/stat against /health's commandsApplied). The tiered JIT is still compiling for the first
# 10-15 s of load, which is why the load tool itself warms up 20 s (docs/performance.md, "Round 2 session 9").
#   scripts/steady-cpu.sh LABEL [SERVER_DLL] [ENV=VALUE ...]     e.g. scripts/steady-cpu.sh spin0 "" DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
# Needs Release builds of src/Dealwire.Host and bench/Dealwire.LoadTest (scripts/bench-setup.sh).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
label=$1; dll=${2:-}; shift $(( $# >= 2 ? 2 : 1 ))
[ -n "$dll" ] || dll=$repo/src/Dealwire.Host/bin/Release/net10.0/dealwire.dll
port=${STEADY_PORT:-18680}; http=$((port + 8))
data=$(mktemp -d /tmp/dw-steady.XXXX)
env DEALWIRE__Durability__Mode=None DEALWIRE__ServerApi__CommandsPerSecond=10000000 Logging__LogLevel__Default=Warning \
  DEALWIRE__Logging__LogLevel__Default=Warning "$@" \
  dotnet "$dll" serve --data-dir "$data" --server-api-port "$port" --manager-api-port $((port + 1)) --http-port "$http" > "$data.log" 2>&1 &
server=$!
trap 'kill $server ${load:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data" "$data.log"' EXIT
for _ in $(seq 1 120); do [ -f "$data/admin-token.txt" ] && break; sleep 0.5; done
sleep 2
dotnet "$repo/bench/Dealwire.LoadTest/bin/Release/net10.0/Dealwire.LoadTest.dll" roundtrip --targets dealwire --reps 1 --duration 90 \
  --warmup 0 --endpoint "127.0.0.1:$port" --token "$(cat "$data/admin-token.txt")" > /dev/null 2>&1 &
load=$!
applied() { curl -s "localhost:$http/health" | python3 -c "import json,sys; print(json.load(sys.stdin)['commandsApplied'])"; }
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
sleep 30
windows=""; t0=$(cpu); c0=$(applied)
for _ in 1 2 3 4 5; do
  sleep 10
  t1=$(cpu); c1=$(applied)
  windows="$windows $(( (t1 - t0) * 10000 / (c1 - c0 + 1) ))/$(( (c1 - c0) / 10 ))"
  t0=$t1; c0=$c1
done
echo "$label load $(cut -d' ' -f1 /proc/loadavg); µs per command/commands per s, 10 s windows from 30 s:$windows"

#!/usr/bin/env bash
# A 3-replica Dealwire cluster and one gateway node on loopback (docs/replication.md): starts replicas a, b and c and
# gateway g with their own data directories, prints each /health, deposits on the leader and through the gateway, kills
# the leader with SIGKILL, shows the new leader taking a command and the gateway forwarding to it, restarts the old
# leader and shows it catching up as a follower.
#   scripts/cluster-demo.sh [workdir]        (default: a fresh temp directory; everything is stopped at the end)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-$(mktemp -d -t dealwire-cluster-XXXX)}"
DLL="$ROOT/src/Dealwire.Host/bin/Release/net10.0/dealwire.dll"
[ -f "$DLL" ] || dotnet build "$ROOT/src/Dealwire.Host" -c Release -nologo -v quiet >/dev/null
NODES=(a b c)
declare -A RAFT=([a]=7301 [b]=7302 [c]=7303 [g]=7304) HTTP=([a]=7311 [b]=7312 [c]=7313 [g]=7314) SAPI=([a]=7321 [b]=7322 [c]=7323 [g]=7324)
declare -A LINK=([a]=7381 [b]=7382 [c]=7383)
declare -A PIDS
MEMBERS="a@127.0.0.1:${RAFT[a]},b@127.0.0.1:${RAFT[b]},c@127.0.0.1:${RAFT[c]}"
UPSTREAMS="a@127.0.0.1:${LINK[a]},b@127.0.0.1:${LINK[b]},c@127.0.0.1:${LINK[c]}"
KEY="demo-gateway-key-not-a-secret"   # Cluster:GatewayKey, shared by replicas and gateways (demo value)

start() { # $1 = node id (g: the gateway)
  local n=$1 i=$(( ${RAFT[$1]} - 7300 )) role=replica
  mkdir -p "$WORK/$n"
  [ "$n" = g ] && role=gateway
  DEALWIRE__Cluster__NodeId=$n DEALWIRE__Cluster__Members=$MEMBERS DEALWIRE__Cluster__Role=$role \
  DEALWIRE__Cluster__GatewayEndpoint=${LINK[$n]:+127.0.0.1:${LINK[$n]}} DEALWIRE__Cluster__Upstreams=$UPSTREAMS \
  DEALWIRE__Cluster__GatewayKey=$KEY DEALWIRE__Feed__Kind=None \
  DEALWIRE__Feeds__Listener__Port=$((7330+i)) DEALWIRE__TraderSocket__PricesPort=$((7340+i)) \
  DEALWIRE__TraderSocket__TradingPort=$((7350+i)) DEALWIRE__Integration__Port=$((7360+i)) \
    dotnet "$DLL" serve --data-dir "$WORK/$n/data" --http-port "${HTTP[$n]}" --server-api-port "${SAPI[$n]}" \
      --manager-api-port $((7370+i)) >"$WORK/$n/out.log" 2>&1 &
  PIDS[$n]=$!
}
health() { curl -s "http://127.0.0.1:${HTTP[$1]}/health" | python3 -c '
import json, sys
h = json.load(sys.stdin); c = h["cluster"]
print("%s: %-8s leader=%s applied=%s status=%s" % (c["nodeId"], c["role"], c["leaderId"], c["appliedSequence"], h["status"]))' 2>/dev/null || echo "$1: down"; }
leader() { for n in "${NODES[@]}"; do curl -s "http://127.0.0.1:${HTTP[$n]}/health" 2>/dev/null | grep -q '"role":"leader"' && { echo "$n"; return 0; }; done; return 0; }
wait_leader() { for _ in $(seq 1 300); do l=$(leader); [ -n "$l" ] && { echo "$l"; return; }; sleep 0.1; done; echo "no leader" >&2; exit 1; }
deposit() { # $1 node, $2 amount: a Server API BalanceInSync to demo account 1000 with that node's admin token; prints the reply
  python3 - "${SAPI[$1]}" "$WORK/$1/data/admin-token.txt" "$2" <<'PY'
import json, socket, sys
port, token_file, amount = int(sys.argv[1]), sys.argv[2], sys.argv[3]
token = open(token_file).read().strip()
request = {"command": "BalanceInSync", "data": {"login": 1000, "amount": float(amount), "comment": "demo"}, "extID": "d1", "__token": token}
with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
    s.sendall((json.dumps(request) + "\r\n").encode())
    buf = b""
    while True:
        chunk = s.recv(65536)
        if not chunk: break
        buf += chunk
        for line in buf.split(b"\r\n"):
            if b'"extID":"d1"' in line.replace(b" ", b""):
                print(line.decode()[:300]); sys.exit(0)
PY
}
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "work directory: $WORK"
for n in "${NODES[@]}"; do start "$n"; done
start g
L=$(wait_leader); sleep 1
for _ in $(seq 1 100); do [ -f "$WORK/g/data/admin-token.txt" ] && break; sleep 0.2; done; sleep 1
echo "--- health"; for n in "${NODES[@]}" g; do health "$n"; done
echo "--- deposit 100 on the leader ($L)"; deposit "$L" 100
echo "--- deposit 10 through the gateway g (forwarded to $L; the reply comes once g has applied it)"; deposit g 10
F=$(for n in "${NODES[@]}"; do [ "$n" != "$L" ] && { echo "$n"; break; }; done)
echo "--- the same on follower $F (refused, names the leader)"; deposit "$F" 100
echo "--- kill -9 the leader $L"; T0=$(date +%s%N); kill -9 "${PIDS[$L]}"; wait "${PIDS[$L]}" 2>/dev/null || true
NL=""; while [ -z "$NL" ] || [ "$NL" = "$L" ]; do NL=$(leader); sleep 0.05; done
deposit "$NL" 50; T1=$(date +%s%N)
echo "new leader $NL; killed -> deposit acknowledged in $(( (T1-T0)/1000000 )) ms"
echo "--- deposit 5 through the gateway g (now forwarded to $NL)"; deposit g 5
echo "--- restart $L"; start "$L"
for _ in $(seq 1 100); do curl -s "http://127.0.0.1:${HTTP[$L]}/health" >/dev/null 2>&1 && break; sleep 0.2; done; sleep 2
for n in "${NODES[@]}" g; do health "$n"; done

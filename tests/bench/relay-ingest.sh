#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 the purple-wagateway authors
# Sustained webhook ingest of wagateway-relay (every webhook a participant
# event, durably committed before its 200) against nginx answering a static
# 204, on the same machine in the same run, both loaded by wrk on loopback.
# The two alternate for ROUNDS rounds (a shared machine drifts); reported
# per number of client connections: the median of the relay's webhooks per
# second (the bar: 5,000 durable webhooks/s) and, for the record, the median
# ratio to nginx.
#   tests/bench/relay-ingest.sh [BUILD_DIR] [SECONDS] ["CONNECTIONS..."] [ROUNDS]
# Needs: wrk, nginx (Debian: apt-get install wrk nginx-light).
set -euo pipefail
build=${1:-build}
secs=${2:-10}
conns_list=${3:-32 64 128}
rounds=${4:-5}
relay="$build/src/relay/wagateway-relay"
for t in wrk nginx; do command -v $t >/dev/null || { echo "needs $t (apt-get install wrk nginx-light)"; exit 2; }; done
[ -x "$relay" ] || { echo "build first: $relay is missing"; exit 2; }

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
np=$(port); rp=$(port)
secret=bench-secret-0123456789abcdef

# nginx as Debian ships it: one worker per core.
mkdir -p "$tmp/nginx"
cat > "$tmp/nginx.conf" <<NGINX
worker_processes auto;
error_log $tmp/nginx/error.log;
pid $tmp/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx;
  server { listen 127.0.0.1:$np; location / { return 204; } }
}
NGINX
nginx -c "$tmp/nginx.conf" -p "$tmp/nginx" -g 'daemon off; user root;' &

printf '[relay]\nwebhook_secret=%s\nclient_token=bench-client-0123456789abcdef\n' "$secret" > "$tmp/relay.conf"
"$relay" --config "$tmp/relay.conf" --listen "127.0.0.1:$rp" --db "$tmp/events.db" 2> "$tmp/relay.log" &
sleep 1

# A Z-API participant webhook: each one becomes a stored event. Every body
# differs (the relay stores a webhook once): wrk thread, round and a counter
# make the participant's number.
cat > "$tmp/post.lua" <<'LUA'
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  run = tonumber(args[1])
  counter = 0
end
function request()
  counter = counter + 1
  local body = string.format('{"type":"ReceivedCallback","isGroup":true,"instanceId":"3C5A",' ..
    '"phone":"120363019502650977-group","participantPhone":"5511999999999","momment":1732300000000,' ..
    '"notification":"GROUP_PARTICIPANT_ADD","notificationParameters":["55%02d%d%08d"]}', run, tid, counter)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
LUA

# $2: a number unique to the round (the bodies of different rounds differ).
run() { wrk -t2 -c"$conns" -d"${secs}s" -s "$tmp/post.lua" "$1" -- "$2" 2>&1; }
rps() { awk '/Requests\/sec/ {print $2}'; }
errors() { awk '/Non-2xx/ {n=$5} END {print n ? n : "none"}'; }

echo "machine: $(nproc) cores, $(uname -r); wrk -t2 -d${secs}s, POST ${#secret}-char-secret webhook, loopback, $rounds rounds"
summary=()
round_no=0
for conns in $conns_list; do
  ratios=(); rates=()
  for i in $(seq "$rounds"); do
    nginx_out=$(run "http://127.0.0.1:$np/webhook" 1)
    round_no=$((round_no + 1))
    relay_out=$(run "http://127.0.0.1:$rp/webhook/zapi/$secret" "$round_no")
    n=$(echo "$nginx_out" | rps); r=$(echo "$relay_out" | rps)
    ratio=$(python3 -c "print(f'{float(\"$r\")/float(\"$n\"):.2f}')")
    ratios+=("$ratio"); rates+=("$r")
    echo "c$conns round $i: nginx (static 204, $(nproc) workers) $n requests/s; wagateway-relay (stored, fsync'd WAL) $r requests/s, non-2xx: $(echo "$relay_out" | errors); ratio $ratio"
  done
  summary+=("$(python3 -c "import statistics, sys; print(f'median at {sys.argv[1]} connections: relay {statistics.median(map(float, sys.argv[2].split())):.0f} stored webhooks/s, ratio relay/nginx {statistics.median(map(float, sys.argv[3].split())):.2f}')" "$conns" "${rates[*]}" "${ratios[*]}")")
done
stored=$(curl -s "http://127.0.0.1:$rp/metrics" | awk '/^wagateway_relay_webhooks_stored_total/ {print $2}')
echo "webhooks committed by the relay: $stored"
printf '%s\n' "${summary[@]}"

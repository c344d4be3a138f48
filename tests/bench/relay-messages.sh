#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 the purple-wagateway authors
# Disk and memory of wagateway-relay per stored group message: N distinct
# Z-API group text webhooks (the docs' text example with the group fields,
# a 60-character text each) posted over keep-alive connections, then the
# database size (after the relay's clean stop, WAL checkpointed) and the
# relay's peak resident memory, per million messages.
#   tests/bench/relay-messages.sh [BUILD_DIR] [N]
set -euo pipefail
build=${1:-build}
n=${2:-50000}
relay="$build/src/relay/wagateway-relay"
[ -x "$relay" ] || { echo "build first: $relay is missing"; exit 2; }
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
secret=bench-secret-0123456789abcdef
printf '[relay]\nwebhook_secret=%s\nclient_token=bench-client-0123456789abcdef\n' "$secret" > "$tmp/relay.conf"
"$relay" --config "$tmp/relay.conf" --listen 127.0.0.1:0 --db "$tmp/ev.db" 2> "$tmp/relay.log" &
pid=$!
for _ in $(seq 100); do grep -q 'addr=127.0.0.1:' "$tmp/relay.log" && break; sleep 0.05; done
port=$(sed -n 's/.*addr=127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/relay.log" | head -1)
python3 - "$port" "$secret" "$n" <<'PY'
import http.client, json, sys, threading
port, secret, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def worker(k, step):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for i in range(k, n, step):
        body = json.dumps({"type": "ReceivedCallback", "isGroup": True, "instanceId": "3C5A9F0E1B2D",
                           "messageId": "3EB0%016X" % i, "phone": "120363019502650977-group",
                           "participantPhone": "55449%08d" % (i % 1000), "senderName": "Member %d" % (i % 1000),
                           "fromMe": False, "momment": 1732300000000 + i, "status": "RECEIVED",
                           "text": {"message": "message %08d of the benchmark, about sixty chars" % i}})
        c.request("POST", "/webhook/zapi/" + secret, body, {"Content-Type": "application/json"})
        r = c.getresponse(); r.read()
        assert r.status == 200, r.status
threads = [threading.Thread(target=worker, args=(k, 16)) for k in range(16)]
[t.start() for t in threads]; [t.join() for t in threads]
PY
rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
kill -TERM $pid; wait $pid || true
bytes=$(stat -c %s "$tmp/ev.db")
rows=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from events where kind='message'\").fetchone()[0])" "$tmp/ev.db")
echo "messages stored: $rows; database: $bytes bytes ($((bytes / rows)) per message, $((bytes / rows)) MB per million)"
echo "relay peak resident memory: ${rss} kB (while taking them in)"

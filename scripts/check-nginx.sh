#!/usr/bin/env bash
# Independent check of conditional GET against a stock nginx (issue 5 acceptance): nginx serves
# the real-world feeds from a temporary prefix on 127.0.0.1 (its own ETag, Last-Modified and 304
# logic), `feedwatch once` runs twice on a config listing them, and nginx's access log must show
# the second round answered 304 for every feed. Installs nginx-light when missing and root.
# Usage: scripts/check-nginx.sh [feedwatch binary, default: the debug build]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "== installing nginx-light"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null; }
    else
        echo "nginx is not installed (and not root to install it): skipped"; exit 0
    fi
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)

feedwatch=${1:-}
if [ -z "$feedwatch" ]; then
    swift build --product feedwatch 2>&1 | tail -n 1
    feedwatch="$(swift build --show-bin-path)/feedwatch"
fi

dir=$(mktemp -d /tmp/feedwatch-nginx.XXXXXX)
nginx_pid=""
cleanup() {
    if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT
mkdir -p "$dir/html/feeds" "$dir/logs" "$dir/tmp" "$dir/fw"
for f in Tests/Fixtures/realworld/*; do
    case "$f" in *.expected.json|*.md) continue ;; esac
    cp "$f" "$dir/html/feeds/"
done
chmod -R a+rX "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cat >"$dir/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 256; }
http {
    log_format check '\$request_uri \$status inm=[\$http_if_none_match] ims=[\$http_if_modified_since]';
    access_log $dir/logs/access.log check;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    types {
        application/rss+xml rss;
        application/atom+xml atom;
        application/xml xml rdf;
        application/json json;
    }
    server {
        listen 127.0.0.1:$port;
        root $dir/html;
    }
}
CONF
"$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" &
nginx_pid=$!
for _ in $(seq 1 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/feeds/" 2>/dev/null || python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.1)" 2>/dev/null; then break; fi
    sleep 0.1
done
echo "== $("$nginx" -v 2>&1) on 127.0.0.1:$port, $(ls "$dir/html/feeds" | wc -l) feeds"

{
    echo "state_dir = \"$dir/fw/state\""
    echo "log_level = \"warning\""
    echo "[archive]"; echo "path = \"$dir/fw/archive/articles.jsonl\""
    echo "[inbox]"; echo "path = \"$dir/fw/inbox\""; echo "processed = \"$dir/fw/processed\""; echo "failed = \"$dir/fw/failed\""
    for f in "$dir"/html/feeds/*; do
        name=$(basename "$f")
        echo "[[source]]"; echo "name = \"$name\""; echo "url = \"http://127.0.0.1:$port/feeds/$name\""; echo "type = \"feed\""
    done
} >"$dir/feedwatch.toml"
"$feedwatch" check-config "$dir/feedwatch.toml"

feeds=$(ls "$dir/html/feeds" | wc -l)
for round in 1 2; do
    before=$(wc -l <"$dir/logs/access.log" 2>/dev/null || echo 0)
    status=0
    "$feedwatch" once --config "$dir/feedwatch.toml" 2>"$dir/once-$round.log" || status=$?
    sleep 0.2 # nginx writes its log line after the response
    tail -n +"$((before + 1))" "$dir/logs/access.log" >"$dir/round-$round.log"
    records=$(wc -l <"$dir/fw/archive/articles.jsonl")
    summary=$(awk '{print $2}' "$dir/round-$round.log" | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
    echo "round $round: feedwatch once exit $status; nginx saw $(wc -l <"$dir/round-$round.log") requests: ${summary}; archive $records records"
    [ "$status" = 0 ] || { cat "$dir/once-$round.log"; exit 1; }
done
echo "-- second round, as nginx logged it (first 3 lines):"
head -n 3 "$dir/round-2.log"
not304=$(awk '$2 != 304' "$dir/round-2.log" | wc -l)
answered=$(wc -l <"$dir/round-2.log")
if [ "$answered" = "$feeds" ] && [ "$not304" = 0 ]; then
    echo "PASS: the second feedwatch once was answered 304 for all $feeds feeds"
else
    echo "FAIL: second round: $answered requests for $feeds feeds, $not304 not answered 304"
    awk '$2 != 304' "$dir/round-2.log" | head
    exit 1
fi

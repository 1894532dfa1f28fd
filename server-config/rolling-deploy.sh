#!/usr/bin/env bash
# Rolling deployment of the microbundle to Payara Micro hosts, one at a time: copy, restart, and wait
# until /health/ready is UP before touching the next host. Stops at the first host that does not
# come back, so that the others keep serving the old version.
#   server-config/rolling-deploy.sh target/media-pipeline-microbundle.jar host1 host2 ...
# Hosts are ssh destinations running server-config/media-pipeline.service on port 8080.
set -euo pipefail
bundle=$1
shift
[ $# -gt 0 ] || { echo "usage: $0 BUNDLE HOST..." >&2; exit 2; }
for host in "$@"; do
  echo "== $host: installing $(sha256sum "$bundle" | cut -c1-16)"
  scp -q "$bundle" "$host:/opt/media-pipeline/media-pipeline.jar.new"
  ssh "$host" 'mv /opt/media-pipeline/media-pipeline.jar.new /opt/media-pipeline/media-pipeline.jar && sudo systemctl restart media-pipeline'
  for attempt in $(seq 1 60); do
    if ssh "$host" 'curl -fsS http://127.0.0.1:8080/health/ready' | grep -q '"status":"UP"'; then
      echo "== $host: ready"
      continue 2
    fi
    sleep 5
  done
  echo "== $host did not become ready: rollout stopped" >&2
  exit 1
done

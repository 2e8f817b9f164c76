#!/usr/bin/env bash
# The entrypoint of eventflow's app image: the same commands as ./eventflow, from the image's jars.
set -euo pipefail
LIB=/opt/eventflow/lib

run() {
  local main="$1"; shift
  # shellcheck disable=SC2086
  exec java ${JAVA_OPTS:-} -cp "$LIB/*" "$main" "$@"
}

command="${1:-help}"
if [[ $# -gt 0 ]]; then shift; fi
case "$command" in
  processor)
    # Replicas share the state volume: each keeps its Kafka Streams state in a directory of its own.
    if [[ -z "${EVENTFLOW_STATE_DIR:-}" ]]; then
      export EVENTFLOW_STATE_DIR="/var/lib/eventflow/state/$(hostname)"
    fi
    if [[ "${1:-}" == "reset" && " $* " != *" --dry-run "* ]]; then
      # A reset (docker compose run --rm stream-processor processor reset) also clears every replica's
      # state directory on the shared volume, not only this container's.
      # shellcheck disable=SC2086
      java ${JAVA_OPTS:-} -cp "$LIB/*" dev.eventflow.processor.app.StreamProcessorMain "$@" || exit $?
      find /var/lib/eventflow/state -mindepth 1 -maxdepth 1 -exec rm -rf {} +
      echo "Removed every replica's state directory under /var/lib/eventflow/state."
      exit 0
    fi
    run dev.eventflow.processor.app.StreamProcessorMain "$@" ;;
  ingest) run dev.eventflow.ingest.cli.IngestMain "$@" ;;
  sink) run dev.eventflow.sink.SinkMain "$@" ;;
  topics) run dev.eventflow.cli.TopicsMain "$@" ;;
  init) run dev.eventflow.cli.InitMain "$@" ;;
  security) run dev.eventflow.cli.SecurityMain "$@" ;;
  monitoring) run dev.eventflow.monitoring.MonitoringMain "$@" ;;
  help|-h|--help)
    cat <<'USAGE'
eventflow image: processor | ingest replay|poll|generate | sink migrate|connectors | topics create|check | init | security provision|acls | monitoring render
Each command's --help lists its options; settings come from EVENTFLOW_* variables (README.md, Configuration).
USAGE
    ;;
  *)
    echo "eventflow: unknown command '$command' (try help)" >&2
    exit 2 ;;
esac

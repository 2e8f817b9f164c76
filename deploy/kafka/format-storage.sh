#!/usr/bin/env bash
# Formats the Kafka broker's log directory once, with the admin's SCRAM-SHA-512 credential in it.
#
# KRaft keeps SCRAM users in its metadata log, so the first super user can only be written when the storage is
# formatted (kafka-storage.sh format --add-scram); every other user is created by that admin afterwards
# ('eventflow security provision', the kafka-users service). docker compose runs this script in the kafka image as
# the one-shot service kafka-format, with the kafka service's own KAFKA_* variables, before the broker starts; the
# image's start script then finds the directory formatted and starts on it. A directory formatted before is left
# as it is (its users, ACLs and data stay).
#
# Reads: CLUSTER_ID, the KAFKA_* variables (turned into server properties by the image's rule), and
# EVENTFLOW_SECURITY_ADMIN_USER / EVENTFLOW_SECURITY_ADMIN_PASSWORD. KAFKA_HOME (default /opt/kafka) and
# EVENTFLOW_KAFKA_FORMAT_CONFIG (where the properties are written, default /tmp/format.properties) are for tests.
set -euo pipefail

kafka_home="${KAFKA_HOME:-/opt/kafka}"
config="${EVENTFLOW_KAFKA_FORMAT_CONFIG:-/tmp/format.properties}"
admin_user="${EVENTFLOW_SECURITY_ADMIN_USER:-eventflow-admin}"
: "${CLUSTER_ID:?CLUSTER_ID is not set}"
: "${EVENTFLOW_SECURITY_ADMIN_PASSWORD:?EVENTFLOW_SECURITY_ADMIN_PASSWORD is not set (.env)}"
password="$EVENTFLOW_SECURITY_ADMIN_PASSWORD"

# The password goes into kafka-storage's --add-scram argument and into the broker's JAAS settings, whose parsers
# stop at these characters.
case "$password" in
  *[,\]\"\\]*)
    echo "kafka-format: EVENTFLOW_SECURITY_ADMIN_PASSWORD must not contain ',', ']', '\"' or '\\' (its length: ${#password})" >&2
    exit 2 ;;
esac

# server.properties from the KAFKA_* variables, by the apache/kafka image's rule (KafkaDockerWrapper): KAFKA_
# dropped, lower case, '_' -> '.', then '...' -> '-' and '..' -> '_'; its launcher variables are not properties.
umask 077
: > "$config"
while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_VERSION|KAFKA_HEAP_OPTS|KAFKA_HEAP_OPT|KAFKA_LOG4J_OPTS|KAFKA_OPTS|KAFKA_JMX_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|\
    KAFKA_GC_LOG_OPTS|KAFKA_LOG4J_ROOT_LOGLEVEL|KAFKA_LOG4J_LOGGERS|KAFKA_TOOLS_LOG4J_LOGLEVEL|KAFKA_JMX_HOSTNAME|KAFKA_HOME)
      continue ;;
  esac
  key=$(printf '%s' "${name#KAFKA_}" | tr '[:upper:]' '[:lower:]' | sed -e 's/_/./g' -e 's/\.\.\./-/g' -e 's/\.\./_/g')
  printf '%s=%s\n' "$key" "$value" >> "$config"
done < <(env | grep '^KAFKA_' | sort)

# Transactions v1, as the embedded broker formats (docs/BENCHMARKS.md: v2 refuses a transaction that starts while
# the previous one's markers are being written). --ignore-formatted: a formatted directory is not an error.
status=0
output=$("$kafka_home/bin/kafka-storage.sh" format --cluster-id "$CLUSTER_ID" --config "$config" \
  --add-scram "SCRAM-SHA-512=[name=$admin_user,password=$password]" \
  --feature transaction.version=1 --ignore-formatted 2>&1) || status=$?
# Nothing of the tool's output may show the password.
printf '%s\n' "${output//"$password"/REDACTED}"
if [[ $status -ne 0 ]]; then
  echo "kafka-format: kafka-storage.sh format failed (exit $status)" >&2
  exit "$status"
fi
echo "kafka-format: storage ready; super user $admin_user (SCRAM-SHA-512)."

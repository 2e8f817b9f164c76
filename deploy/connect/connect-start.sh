#!/usr/bin/env bash
# Entry point of the Connect image: writes the REST API's users file (read by rest-jaas.conf) from the
# environment, readable by this user only, then runs the worker. Without EVENTFLOW_CONNECT_PASSWORD the
# worker does not start: its REST API would otherwise be open to whoever reaches the port.
set -euo pipefail
: "${EVENTFLOW_CONNECT_PASSWORD:?set EVENTFLOW_CONNECT_PASSWORD: the password of the Connect REST API}"
user="${EVENTFLOW_CONNECT_USER:-eventflow}"
if [[ ! "$user" =~ ^[A-Za-z0-9._-]+$ ]]; then
  echo "EVENTFLOW_CONNECT_USER must be letters, digits, '.', '_' or '-'" >&2
  exit 2
fi
umask 077
mkdir -p /tmp/eventflow-connect
# A properties file: a backslash in the password is written escaped (as \\).
backslash='\'
password="${EVENTFLOW_CONNECT_PASSWORD//"$backslash"/"$backslash$backslash"}"
printf '%s=%s\n' "$user" "$password" > /tmp/eventflow-connect/rest-users.properties
unset password
unset EVENTFLOW_CONNECT_PASSWORD
exec /opt/kafka/bin/connect-distributed.sh /etc/eventflow/connect/connect-distributed.properties

#!/usr/bin/env bash
# healthcheck PORT PATH: exit 0 when GET http://127.0.0.1:PORT/PATH answers 200 (no curl in the image).
set -euo pipefail
exec 3<>"/dev/tcp/127.0.0.1/$1"
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3
IFS= read -r status <&3
[[ "$status" == *" 200 "* ]]

#!/bin/sh
# The naive redeploy that RedeployDocument is measured against (benchmarks/run): what a hand-written
# deploy step usually does. Remove the app directory, clone, check out, build a venv, install the
# requirements, restart, wait for health. Arguments come from the environment:
# APP_DIRECTORY REPOSITORY_URL REVISION SERVICE_NAME HEALTH_URL.
set -eu
systemctl stop "$SERVICE_NAME"
rm -rf "$APP_DIRECTORY"
git clone --quiet "$REPOSITORY_URL" "$APP_DIRECTORY"
git -C "$APP_DIRECTORY" checkout --quiet "$REVISION"
python3 -m venv "$APP_DIRECTORY/.venv"
"$APP_DIRECTORY/.venv/bin/pip" install --quiet -r "$APP_DIRECTORY/requirements.txt"
systemctl start "$SERVICE_NAME"
tries=0
until curl -fsS -o /dev/null "$HEALTH_URL"; do
  tries=$((tries + 1))
  [ "$tries" -lt 200 ] || { echo "not healthy after 20 s" >&2; exit 1; }
  sleep 0.1
done

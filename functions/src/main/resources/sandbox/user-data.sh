#!/bin/bash
# UserData of a streamr-app instance, as the app stack renders it. cloud-init runs it once, as root,
# at first boot, and never again: a later stack update does not change what this instance runs.
# The stack substitutes the values above this comment; ROOT is empty on a real instance.
set -euxo pipefail
app="$ROOT/home/ec2-user/app"
git clone --quiet "$REPOSITORY_URL" "$app"
git -C "$app" checkout --quiet "$REVISION"
if grep -Eq '^[[:space:]]*[^#[:space:]]' "$app/requirements.txt"; then
  python3 -m venv "$app/.venv"
  "$app/.venv/bin/pip" install --quiet -r "$app/requirements.txt"
else
  python3 -m venv --without-pip "$app/.venv"
fi
cat >"$ROOT/etc/systemd/system/streamr-app.service" <<UNIT
[Unit]
Description=streamr-app, the stream catalogue
After=network-online.target

[Service]
User=ec2-user
WorkingDirectory=$app
Environment=HOST=$HOST
Environment=PORT=$PORT
ExecStart=$app/.venv/bin/python app.py

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now streamr-app

#!/usr/bin/env bash
# The main job for a developer (`npm start`): builds and packages the extension, then opens
# the folder the command was run from in an editor with the extension loaded. VS Code when
# `code` is on the PATH; otherwise code-server on 127.0.0.1, installed on first use.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
# npm runs scripts from the package root and passes the caller's folder as INIT_CWD.
folder=$(cd "${INIT_CWD:-$PWD}" && pwd)
cd "$repo"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
fi
npm run --silent package
vsix=$repo/agent-containers.vsix

if command -v code >/dev/null; then
    echo "start: opening $folder in VS Code with the extension from $repo"
    exec code --extensionDevelopmentPath="$repo" "$folder"
fi

# No desktop VS Code: code-server with a profile of its own, so nothing of an existing
# code-server setup is changed.
bash test/setup/code-server.sh --no-browser
code_server=$(bash test/setup/code-server.sh --path)
profile=${AGENT_CONTAINERS_DEV_PROFILE:-${XDG_DATA_HOME:-$HOME/.local/share}/agent-containers-dev}
profile_args=(--config "$profile/config.yaml" --user-data-dir "$profile/user-data"
    --extensions-dir "$profile/extensions")

mkdir -p "$profile/user-data" "$profile/extensions"
"$code_server" "${profile_args[@]}" --install-extension "$vsix" --force >/dev/null

port=${PORT:-8080}
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
# Only this machine can connect; on a machine shared with others, set PASSWORD.
auth=none
[ -z "${PASSWORD:-}" ] || auth=password
echo "start: code-server on http://127.0.0.1:$port/ with $folder (Ctrl+C stops it)"
exec "$code_server" "${profile_args[@]}" --auth "$auth" --bind-addr "127.0.0.1:$port" \
    --disable-telemetry --disable-update-check "$folder"

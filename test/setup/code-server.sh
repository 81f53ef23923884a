#!/usr/bin/env bash
# Prepares the real editor for the end-to-end suite: code-server (VS Code 1.100 in a browser,
# from npm) in a cache directory, and Debian's Chromium to drive it. Skipped when present.
# --no-browser leaves Chromium out (scripts/start.sh only needs the editor); --path prints
# where the code-server binary is (or will be) and does nothing else.
set -euo pipefail

version=${AGENT_TEST_CODE_SERVER_VERSION:-4.100.3}
if [ "$(id -u)" = 0 ]; then default_dir=/opt/agent-containers-test/code-server
else default_dir=${XDG_CACHE_HOME:-$HOME/.cache}/agent-containers/code-server; fi
prefix=${AGENT_TEST_CODE_SERVER_DIR:-$default_dir}
bin=$prefix/bin/code-server
if [ "${1:-}" = --path ]; then
    echo "$bin"
    exit 0
fi

missing=()
[ "${1:-}" = --no-browser ] || command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
# code-server's kerberos dependency compiles against these headers.
[ -e /usr/include/krb5.h ] || [ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "code-server: needs Debian packages ${missing[*]}; install them as root" >&2
        exit 1
    fi
    echo "code-server: installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null | head -n 1 | awk '{ print $1 }')" = "$version" ]; then
    echo "code-server: $version already installed in $prefix"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# @vscode/ripgrep would download its binary from GitHub, which these machines cannot reach;
# it takes an archive from this cache first, and one holding Debian's rg serves.
export TMPDIR=$work
rg_cache=$work/vscode-ripgrep-cache-1.15.11
mkdir -p "$rg_cache"
tar -czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$(command -v rg)")" rg

echo "code-server: installing code-server@$version into $prefix (about 2 minutes)"
started=$(date +%s)
rm -rf "$prefix"
mkdir -p "$prefix/bin"
# A plain local install: with --global or --prefix, npm hands its prefix down to the nested
# install that code-server's postinstall runs in lib/vscode, which then unpacks into the
# wrong tree and fails.
echo '{ "private": true }' >"$prefix/package.json"
(cd "$prefix" && npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error "code-server@$version") \
    >"$work/npm.log" 2>&1 || { tail -n 40 "$work/npm.log" >&2; exit 1; }
ln -sf ../node_modules/.bin/code-server "$bin"

"$bin" --version >/dev/null
echo "code-server: $version ready in $(($(date +%s) - started)) s"

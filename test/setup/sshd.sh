#!/usr/bin/env bash
# Installs Debian's OpenSSH server when it is missing, for the test that reaches the engine
# through an ssh:// Docker host. Nothing is started here: the test runs its own sshd on
# 127.0.0.1 with its own keys and configuration, and stops it when done.
set -euo pipefail

if [ -x /usr/sbin/sshd ]; then
    echo "sshd: already installed"
    exit 0
fi

echo "sshd: installing openssh-server from Debian"
export DEBIAN_FRONTEND=noninteractive
# The package would start the system's sshd on port 22 of every interface; a policy that
# refuses service starts keeps it stopped (an existing policy is left as it is).
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends openssh-server >/dev/null
echo "sshd: $(/usr/sbin/sshd -V 2>&1 | head -n 1)"

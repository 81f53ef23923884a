#!/bin/bash
# Runs as root under tini: remaps hagicode to PUID/PGID, makes the home directory and every
# tool volume hagicode's, applies runtime version overrides, merges credentials and defaults
# into the tools' config files, then runs the command as hagicode.
set -euo pipefail

readonly user=hagicode
readonly home=/home/hagicode
readonly prefix=${NPM_CONFIG_PREFIX:-/opt/agent-tools}
readonly config_dir=/opt/agent-containers

say() { echo "agent-containers: $*" >&2; }
fail() {
    say "$*"
    exit 64
}

# Prints the wanted ID, or fails with a message naming the variable.
checked_id() {
    local name=$1 value=$2
    if ! [[ $value =~ ^[0-9]{1,10}$ ]] || ((10#$value > 4294967294)); then
        fail "$name must be a numeric ID, got '$value'"
    fi
    if ((10#$value == 0)); then
        fail "$name=0 would run the tools as root; give the host user's ID instead"
    fi
    echo $((10#$value))
}

uid=$(checked_id PUID "${PUID:-$(id -u "$user")}")
gid=$(checked_id PGID "${PGID:-$(id -g "$user")}")

# -o lets hagicode share an ID the image already uses (GID 20 and 100 in Debian, UID 1000
# in Node images). usermod would re-own everything under the home directory, volumes
# included; a home outside it for that one call skips that walk, done below only if needed.
if [ "$(id -g "$user")" != "$gid" ]; then
    groupmod -o -g "$gid" "$user"
fi
if [ "$(id -u "$user")" != "$uid" ]; then
    usermod -o -u "$uid" -d /nonexistent "$user"
    usermod -d "$home" "$user"
fi

# Mount points below a root: -xdev keeps find out of them but would still re-own the
# mount point itself, which may be the user's bind-mounted folder on the host.
mounts_below() {
    local root=$1 point
    while read -r _ _ _ _ point _; do
        point=$(printf '%b' "$point") # mountinfo writes a space as \040
        if [[ $point == "$root"/* ]]; then
            printf '%s\0' "$point"
        fi
    done </proc/self/mountinfo
}

# Re-owns a tree only when its root has the wrong owner, so a start with unchanged IDs
# costs the same however much the volumes hold.
own_tree() {
    local root=$1 point prune=()
    [ "$(stat -c %u:%g "$root")" = "$uid:$gid" ] && return 0
    while IFS= read -r -d '' point; do
        prune+=(-path "$point" -prune -o)
    done < <(mounts_below "$root")
    find "$root" -xdev "${prune[@]}" \( \! -uid "$uid" -o \! -gid "$gid" \) \
        -exec chown -h "$uid:$gid" {} +
}

# Volume roots first, each re-owned on its own; the home directory's walk skips them.
while read -r dir; do
    [ -n "$dir" ] || continue
    mkdir -p "$home/$dir"
    own_tree "$home/$dir"
done <"$config_dir/tool-dirs"
own_tree "$home"

as_user() { gosu "$user" "$@"; }

installed_version() {
    as_user node -e 'try { console.log(require(process.argv[1]).version) } catch {}' \
        "$prefix/lib/node_modules/$1/package.json"
}

# Overrides are for people who run the image by hand; the extension rebuilds the image
# instead. Only a version or a dist-tag is accepted: the value reaches npm as an argument,
# never through a shell, but anything else is refused before anything is installed.
readonly semver_re='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$'
readonly dist_tag_re='^[A-Za-z][A-Za-z0-9._-]{0,63}$'

override_version() {
    local variable=$1 package=$2 wanted=$3 version=$3
    if ! [[ $wanted =~ $semver_re ]]; then
        version=$(as_user npm view "$package@$wanted" version) ||
            fail "$variable: cannot resolve '$wanted' for $package on the npm registry"
    fi
    if [ "$(installed_version "$package")" = "$version" ]; then
        say "$variable: $package@$version already installed"
        return 0
    fi
    own_tree "$prefix"
    say "$variable: installing $package@$version"
    as_user npm install --global --no-audit --no-fund "$package@$version" >&2 ||
        fail "$variable: installing $package@$version failed"
}

overrides=()
while IFS='=' read -r variable package; do
    [[ $variable =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] && [ -n "${!variable:-}" ] || continue
    value=${!variable}
    if ! [[ $value =~ $semver_re || $value =~ $dist_tag_re ]]; then
        fail "$variable must be a version like 1.2.3 or a dist-tag like latest; refused '$value'"
    fi
    overrides+=("$variable" "$package")
done <"$config_dir/version-env"
for ((i = 0; i < ${#overrides[@]}; i += 2)); do
    variable=${overrides[i]}
    override_version "$variable" "${overrides[i + 1]}" "${!variable}"
done

# Config merges are the user's files: a broken one is reported and left as it is.
as_user agent-config claude-credentials --from-env </dev/null || say "Claude credentials not merged"
as_user agent-config codex-defaults || say "Codex defaults not merged"
as_user agent-config opencode-defaults || say "OpenCode defaults not merged"

# The core waits for this exact line (stdout) instead of polling; the image declares it
# with the label agent-containers.ready-signal.
echo "agent-containers: ready uid=$uid gid=$gid"
exec gosu "$user" "$@"

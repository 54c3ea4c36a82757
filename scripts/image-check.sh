#!/usr/bin/env bash
# make image-check: the container image's proof, without Docker. Builds hero-server exactly as
# the Dockerfile's build stage does (its `swift build` line, scratch path .build-image/swift),
# makes a root filesystem of the runtime stage's distribution with debootstrap
# --variant=minbase (as Docker's Debian images are made) and the runtime stage's own RUN
# instructions (its apt-get install, its user), copies the binary to the COPY destination,
# and runs the ENTRYPOINT in it as the USER with the ENV of the image (HVALFANGST_COMMIT from
# the commit), in network, mount and PID namespaces of its own. local-entra runs beside it,
# outside the root filesystem; then /healthz, /readyz, /version, the HEALTHCHECK command and a
# CRUD round on /api/heroes/ with local-entra's tokens. A shared library the runtime stage
# does not install fails here (ldd, then the start), not in Azure.
#
# The root filesystem is cached in .build-image/rootfs-<key>, keyed by the runtime base and
# its RUN instructions (the package list), so a second run only rebuilds what changed.
# Root only (debootstrap, chroot, namespaces). See README, "Container".
set -euo pipefail
self="$(realpath "$0")"
cd "$(dirname "$self")/.."

fail() {
    echo "image-check: $*" >&2
    exit 1
}

# What the Dockerfile says, read from the Dockerfile itself so the check cannot drift from it.
# One line per instruction: comment lines dropped, continuation lines joined.
read_dockerfile() {
    mapfile -t instructions < <(sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' Dockerfile |
        sed -e ':a' -e '/\\$/N; s/\\\n[[:space:]]*/ /; ta')
    local index last_from=-1 count=0
    for index in "${!instructions[@]}"; do
        if [[ "${instructions[$index]}" =~ ^FROM[[:space:]] ]]; then
            last_from=$index
            count=$((count + 1))
        fi
    done
    [ "$count" -eq 2 ] || fail "the Dockerfile should have two stages (build and runtime), it has $count"
    build_stage=("${instructions[@]:0:last_from}")
    runtime_stage=("${instructions[@]:last_from}")

    # The build stage's `swift build …` (up to the first &&).
    local line
    build_command=()
    for line in "${build_stage[@]}"; do
        if [[ "$line" =~ ^RUN[[:space:]]+(swift[[:space:]]+build[^&]*) ]]; then
            read -ra build_command <<<"${BASH_REMATCH[1]}"
        fi
    done
    [ "${#build_command[@]}" -gt 0 ] || fail "no 'RUN swift build' in the Dockerfile's build stage"

    # The runtime stage: its base, RUN instructions, COPY destination, USER, ENV, ENTRYPOINT
    # and HEALTHCHECK command.
    [[ "${runtime_stage[0]}" =~ ^FROM[[:space:]]+debian:([a-z]+)(-slim)?[[:space:]]*$ ]] ||
        fail "the runtime stage is '${runtime_stage[0]}': this check makes Debian root filesystems only (FROM debian:<suite>-slim)"
    suite="${BASH_REMATCH[1]}"
    runtime_runs=()
    image_env=()
    binary_path="" user="" entrypoint_json="" healthcheck_json=""
    for line in "${runtime_stage[@]}"; do
        case "$line" in
            RUN\ *) runtime_runs+=("${line#RUN }") ;;
            COPY\ --from=build\ *) binary_path="${line##* }" ;;
            USER\ *) user="${line#USER }" ;;
            ENV\ *) read -ra fields <<<"${line#ENV }" && image_env+=("${fields[@]}") ;;
            ENTRYPOINT\ *) entrypoint_json="${line#ENTRYPOINT }" ;;
            HEALTHCHECK\ *) healthcheck_json="${line#*CMD }" ;;
        esac
    done
    [ "${#runtime_runs[@]}" -gt 0 ] || fail "the runtime stage has no RUN instruction"
    [ -n "$binary_path" ] || fail "the runtime stage copies nothing from the build stage"
    [[ "$user" =~ ^([0-9]+):([0-9]+)$ ]] || fail "the runtime stage's USER is '$user', not numeric uid:gid"
    uid="${BASH_REMATCH[1]}" gid="${BASH_REMATCH[2]}"
    local pair plain='^[A-Z_][A-Z0-9_]*=[^"'"'"'[:space:]]*$'
    for pair in "${image_env[@]}"; do
        [[ "$pair" =~ $plain ]] || fail "ENV '$pair' is not of the plain KEY=value form this check reads"
    done
    mapfile -t entrypoint < <(jq -r '.[]' <<<"$entrypoint_json") || fail "ENTRYPOINT is not an exec-form JSON array"
    mapfile -t healthcheck < <(jq -r '.[]' <<<"$healthcheck_json") || fail "HEALTHCHECK CMD is not an exec-form JSON array"
    [ "${#entrypoint[@]}" -gt 0 ] && [ "${#healthcheck[@]}" -gt 0 ] || fail "no ENTRYPOINT or HEALTHCHECK in the runtime stage"
}

# The image's environment for commit $1: the ENV lines with ${COMMIT} put in, and what Docker
# adds (PATH as Debian's image sets it, HOME from the root filesystem's passwd).
container_env() {
    local pair home
    home="$(awk -F: -v uid="$uid" '$3 == uid { print $6 }' "$rootfs/etc/passwd")"
    echo "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    echo "HOME=${home:-/}"
    for pair in "${image_env[@]}"; do
        pair="${pair//\$\{COMMIT\}/$1}"
        echo "${pair//\$COMMIT/$1}"
    done
}

# No mount of a namespace of ours may be left under a folder that is about to be deleted.
remove_tree() {
    local folder
    folder="$(realpath -m "$1")"
    if grep -qF " $folder/" /proc/mounts; then
        fail "$folder still has something mounted under it; unmount it before running again"
    fi
    rm -rf "$folder"
}

# debootstrap, then the runtime stage's RUN instructions as root inside it (as `docker build`
# runs them), into $rootfs. Its mounts (/proc, /dev) live in a mount namespace of their own
# and vanish with it, however this ends.
make_rootfs() {
    local partial="$rootfs.partial" log="$image_root/debootstrap.log" mirror run
    remove_tree "$partial"
    echo "debootstrap --variant=minbase $suite into $partial (log: $log)"
    if ! unshare --mount --fork -- debootstrap --variant=minbase "$suite" "$partial" >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        fail "debootstrap of $suite failed (see $log)"
    fi
    # Debian's image also takes the suite's updates and security updates: the same sources,
    # next to the archive debootstrap used.
    mirror="$(awk '$1 == "deb" { print $2; exit }' "$partial/etc/apt/sources.list")"
    [ -n "$mirror" ] || fail "debootstrap wrote no archive into $partial/etc/apt/sources.list"
    printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s-security %s-security main\n' \
        "$mirror" "$suite" "$mirror" "$suite" "$mirror" "$suite" >"$partial/etc/apt/sources.list"
    cp /etc/resolv.conf "$partial/etc/resolv.conf"
    for run in "${runtime_runs[@]}"; do
        echo "in the root filesystem: RUN ${run:0:100}…"
        if ! unshare --mount --pid --fork -- bash "$self" --run-in-rootfs "$partial" "$run" >>"$log" 2>&1; then
            tail -n 20 "$log" >&2
            fail "the runtime stage's RUN failed in the $suite root filesystem (see $log)"
        fi
    done
    mv "$partial" "$rootfs"
}

prepare() {
    [ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, chroot and namespaces); run it as root or in CI"
    local missing=() tool
    for tool in debootstrap jq curl; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "Installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    read_dockerfile
    image_root=.build-image
    mkdir -p "$image_root"

    # The key: the base and every RUN of the runtime stage (its packages), and the way this
    # script makes the root filesystem (bump the format when that changes).
    local key
    key="$(printf 'format 1\nminbase %s\n%s\n' "$suite" "${runtime_runs[*]}" | sha256sum | cut -c1-16)"
    rootfs="$(realpath -m "$image_root/rootfs-$suite-$key")"
    if [ -d "$rootfs" ]; then
        echo "root filesystem: $rootfs (cached: same base and packages)"
    else
        local old
        for old in "$image_root"/rootfs-*; do
            [ -e "$old" ] && [ "$(realpath -m "$old")" != "$rootfs" ] && remove_tree "$old"
        done
        make_rootfs
    fi
    # Docker runs a numeric USER whether or not it names anyone; a uid or gid that the image's
    # passwd and group do not know is a mistake in the runtime stage (no name, no group).
    awk -F: -v uid="$uid" -v gid="$gid" '$3 == uid && $4 == gid { found = 1 } END { exit !found }' "$rootfs/etc/passwd" ||
        fail "USER $uid:$gid: the runtime stage creates no user with uid $uid and primary group $gid"
    awk -F: -v gid="$gid" '$3 == gid { found = 1 } END { exit !found }' "$rootfs/etc/group" ||
        fail "USER $uid:$gid: the runtime stage creates no group $gid"

    echo "hero-server as the build stage builds it: ${build_command[*]} --scratch-path $image_root/swift"
    "${build_command[@]}" --scratch-path "$image_root/swift"
    local bin_path
    bin_path="$("${build_command[@]}" --scratch-path "$image_root/swift" --show-bin-path)"
    built="$bin_path/$(basename "$binary_path")"
    [ -x "$built" ] || fail "the build produced no $built"

    echo "local-entra (debug build, outside the root filesystem): swift build --product local-entra"
    swift build --product local-entra
    local_entra="$(swift build --show-bin-path)/local-entra"

    # As in the image: the binary at the COPY destination (root's, 0755), an empty database
    # folder (the image's is fresh; earlier runs leave their file).
    install -D -m 0755 "$built" "$rootfs$binary_path"
    find "$rootfs/home/data" -mindepth 1 -delete 2>/dev/null || true
    [ -f "$rootfs/etc/hosts" ] || : >"$rootfs/etc/hosts"
}

# --- Inside the namespaces -------------------------------------------------------------------

# A run of curl against the server: the status code on stdout, the body in $work/body.
request() { # method, path, header file or "", body or ""
    local arguments=(-sS -o "$work/body" -w '%{http_code}' --max-time 10 -X "$1")
    [ -z "$3" ] || arguments+=(-H "@$3")
    [ -z "$4" ] || arguments+=(-H 'Content-Type: application/json' --data "$4")
    curl "${arguments[@]}" "http://127.0.0.1:$port$2"
}

expect_status() { # what, expected, actual
    [ "$3" = "$2" ] || {
        echo "image-check: $1: expected HTTP $2, got $3" >&2
        exit 1
    }
    echo "  ok: $1 ($3)"
}

server_alive() {
    kill -0 "$server_pid" 2>/dev/null || {
        wait "$server_pid" && status=0 || status=$?
        echo "--- hero-server's output ---" >&2
        tail -n 30 "$work/hero-server.log" >&2
        fail "hero-server exited (status $status) in the $suite root filesystem: see its output above"
    }
}

# Polls a path until it answers 200, while the server lives, for at most $2 seconds.
wait_for() {
    local deadline=$((SECONDS + $2))
    while [ "$SECONDS" -lt "$deadline" ]; do
        server_alive
        [ "$(request GET "$1" "" "" 2>/dev/null || true)" = 200 ] && return 0
        sleep 0.2
    done
    fail "$1 did not answer 200 within $2 seconds"
}

inside() {
    read_dockerfile
    rootfs="$1" local_entra="$2" commit="$3" work="$4"
    ip link set lo up
    # This PID namespace's own /proc, for the processes outside the root filesystem too
    # (local-entra reads /proc/<its pid>, which the old /proc would show as another process).
    mount -t proc proc /proc
    # What Docker gives a container: /proc of its own PID namespace, devices, sysfs (read-only),
    # and /etc/hosts. All in this mount namespace only.
    mount -t proc proc "$rootfs/proc"
    mount --rbind /dev "$rootfs/dev"
    mount -t sysfs -o ro sysfs "$rootfs/sys" 2>/dev/null || mount --rbind -o ro /sys "$rootfs/sys"
    printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$work/hosts"
    mount --bind "$work/hosts" "$rootfs/etc/hosts"

    echo "shared libraries of $binary_path in the root filesystem (ldd)"
    local missing
    missing="$(chroot "$rootfs" /usr/bin/ldd "$binary_path" 2>&1 | grep 'not found' || true)"
    [ -z "$missing" ] || fail "$binary_path needs shared libraries that the runtime stage does not install:
$missing"

    # local-entra's development tenant and API, as the web app's settings name the real ones;
    # the authority is local-entra on this namespace's loopback.
    local authority=http://127.0.0.1:9000
    "$local_entra" serve --port 9000 --state "$work/local-entra" >"$work/local-entra.log" 2>&1 &
    local tenant=7c3e1f6a-4d2b-4b8e-9a51-2f0c8d6e9b10 api=5b1a9c3e-8f2d-4e6a-b7c4-1d9e0f2a3b4c
    mapfile -t environment < <(container_env "$commit")
    port="$(printf '%s\n' "${environment[@]}" | sed -n 's/^PORT=//p')"
    [ -n "$port" ] || fail "the image's ENV sets no PORT"

    echo "hero-server as uid $uid:$gid: ${entrypoint[*]} (${environment[*]:2})"
    env -i "${environment[@]}" HVALFANGST_TENANT_ID="$tenant" HVALFANGST_API_SERVER_CLIENT_ID="$api" \
        HVALFANGST_AUTHORITY_HOST="$authority" \
        "$(command -v unshare)" --root="$rootfs" --wd=/ --setgid="$gid" --setuid="$uid" -- "${entrypoint[@]}" \
        >"$work/hero-server.log" 2>&1 &
    server_pid=$!

    wait_for /healthz 60
    expect_status "GET /healthz" 200 "$(request GET /healthz "" "")"
    local running_uid
    running_uid="$(awk '/^Uid:/ { print $2 }' "/proc/$server_pid/status")"
    [ "$running_uid" = "$uid" ] || fail "hero-server runs as uid $running_uid, not $uid"
    echo "  ok: hero-server runs as uid $running_uid"
    wait_for /readyz 60
    expect_status "GET /readyz" 200 "$(request GET /readyz "" "")"
    [ "$(jq -r .status "$work/body")" = ready ] || fail "/readyz does not say ready"
    expect_status "GET /version" 200 "$(request GET /version "" "")"
    [ "$(jq -r .commit "$work/body")" = "$commit" ] || fail "/version does not report the commit $commit"
    echo "  ok: /version reports $(jq -r .version "$work/body") at $commit"
    # The HEALTHCHECK command, with the root filesystem's own curl, as the USER.
    unshare --root="$rootfs" --wd=/ --setgid="$gid" --setuid="$uid" -- "${healthcheck[@]}" ||
        fail "the HEALTHCHECK command failed in the root filesystem"
    echo "  ok: HEALTHCHECK ${healthcheck[*]}"

    # Tokens from local-entra, outside the root filesystem; headers in files, not arguments.
    local token
    token="$("$local_entra" token --state "$work/local-entra" --authority "$authority")"
    printf 'Authorization: Bearer %s\n' "$token" >"$work/all.header"
    token="$("$local_entra" token --state "$work/local-entra" --authority "$authority" --scopes Heroes.Read)"
    printf 'Authorization: Bearer %s\n' "$token" >"$work/read.header"
    unset token

    local hero='{"name":"Gimli","race":"Dwarf","class_":"Fighter","level":5,"hit_points":50,"armor_class":18,"speed":25}'
    expect_status "GET /api/heroes/ without a token" 401 "$(request GET /api/heroes/ "" "")"
    expect_status "POST /api/heroes/ with Heroes.Read only" 403 "$(request POST /api/heroes/ "$work/read.header" "$hero")"
    expect_status "POST /api/heroes/" 201 "$(request POST /api/heroes/ "$work/all.header" "$hero")"
    local id
    id="$(jq -r .id "$work/body")"
    expect_status "GET /api/heroes/$id" 200 "$(request GET "/api/heroes/$id" "$work/read.header" "")"
    [ "$(jq -r .name "$work/body")" = Gimli ] || fail "GET /api/heroes/$id does not return the hero created"
    expect_status "PUT /api/heroes/$id" 200 "$(request PUT "/api/heroes/$id" "$work/all.header" "${hero/\"level\":5/\"level\":6}")"
    expect_status "GET /api/heroes/" 200 "$(request GET /api/heroes/ "$work/read.header" "")"
    [ "$(jq -r --arg id "$id" '[.[] | select(.id == $id and .level == 6)] | length' "$work/body")" = 1 ] ||
        fail "the list does not hold the replaced hero"
    expect_status "DELETE /api/heroes/$id" 200 "$(request DELETE "/api/heroes/$id" "$work/all.header" "")"
    expect_status "GET /api/heroes/$id after DELETE" 404 "$(request GET "/api/heroes/$id" "$work/read.header" "")"
    local database
    database="$(printf '%s\n' "${environment[@]}" | sed -n 's/^HVALFANGST_DB_PATH=//p')"
    [ -z "$database" ] || [ "$(stat -c %u "$rootfs$database")" = "$uid" ] ||
        fail "the database $database is not written by uid $uid"
    server_alive
    kill "$server_pid"
    echo "image-check: the image's hero-server served /healthz, /readyz, /version and a CRUD round in a $suite minbase root filesystem"
}

# One RUN of the runtime stage, as root in the root filesystem $1, in the mount and PID
# namespaces make_rootfs made: /proc and /dev as `docker build` gives them.
run_in_rootfs() {
    mount -t proc proc "$1/proc"
    mount --rbind /dev "$1/dev"
    # DEBIAN_FRONTEND: `docker build` has no terminal either; this says so to debconf.
    exec chroot "$1" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        DEBIAN_FRONTEND=noninteractive COMMIT= /bin/sh -c "$2"
}

if [ "${1:-}" = --run-in-rootfs ]; then
    run_in_rootfs "$2" "$3"
fi
if [ "${1:-}" = --inside ]; then
    shift
    inside "$@"
    exit 0
fi

started=$SECONDS
prepare
commit="$(git rev-parse HEAD 2>/dev/null || echo image-check)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# New network (own loopback: the image's HOST=0.0.0.0 and PORT bind nothing outside), mount
# and PID namespaces; everything started inside ends with them.
unshare --net --mount --pid --fork --kill-child -- bash "$self" --inside "$rootfs" "$local_entra" "$commit" "$work"
echo "image-check took $((SECONDS - started)) s"

# tests/setup-debian.sh: what the README's two commands need on a fresh Debian 12 machine,
# installed with apt-get only when missing (sourced by tests/run.sh and examples/run.sh).

readonly PACKAGES=(meson ninja-build pkg-config gcc g++ uuid-dev libjansson-dev libssl-dev
    libsqlite3-dev sqlite3
    doxygen python3 python3-dev liblua5.4-dev lua5.4 hledger abigail-tools valgrind
    clang libclang-rt-14-dev postgresql libpq-dev)
# Tool packages also count as present when their command is on PATH (meson from pip, say).
declare -A COMMAND_OF=([meson]=meson [ninja-build]=ninja [pkg-config]=pkg-config [gcc]=gcc
    [g++]=g++ [doxygen]=doxygen [python3]=python3 [lua5.4]=lua5.4 [hledger]=hledger
    [abigail-tools]=abidiff [valgrind]=valgrind [sqlite3]=sqlite3)

log() { printf '\n=== %s\n' "$*"; }

is_installed() {
    local status cmd=${COMMAND_OF[$1]:-}
    if [[ -n $cmd ]] && command -v "$cmd" >/dev/null; then
        return 0
    fi
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
    [[ $status == "install ok installed" ]]
}

# Only touches the network when something is missing, so a ready machine runs offline.
install_missing() {
    local pkg missing=()
    for pkg in "${PACKAGES[@]}"; do
        is_installed "$pkg" || missing+=("$pkg")
    done
    (( ${#missing[@]} )) || return 0

    log "installing missing packages: ${missing[*]}"
    local sudo=()
    if (( EUID != 0 )); then
        command -v sudo >/dev/null || { echo "not root and no sudo: install ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    command -v apt-get >/dev/null || { echo "no apt-get: install ${missing[*]} by hand" >&2; exit 1; }
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
}


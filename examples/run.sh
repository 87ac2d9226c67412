#!/usr/bin/env bash
# examples/run.sh: the README's first command. Installs what is missing (as root on Debian 12),
# builds the library and the examples in build/, and runs the café shift on the SQLite file
# shift.db in the current directory (or the path given). Run it again: the next session
# expects the cash this one counted.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tests/setup-debian.sh
source "$repo/tests/setup-debian.sh"

install_missing
if [[ -f $repo/build/meson-private/coredata.dat ]]; then
    meson setup --reconfigure "$repo/build" -Dsqlite=enabled >/dev/null
else
    meson setup "$repo/build" "$repo" -Dsqlite=enabled >/dev/null
fi
ninja -C "$repo/build" examples/shift >/dev/null
exec "$repo/build/examples/shift" "${1:-shift.db}"

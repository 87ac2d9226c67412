#!/usr/bin/env bash
# tests/abi/install-test.sh: the 'install' test. Proves that `meson install --destdir` plus
# `pkg-config` is all a separate program needs: installs the build into a scratch destdir,
# builds a small C program against the installed copy only (headers, .pc files, .so), runs it
# against the installed library and checks what it prints.
#
# usage: install-test.sh MESON BUILDDIR CC VERSION [sqlite|no-sqlite] [pg]
set -euo pipefail

meson_cmd=$1 builddir=$2 cc=$3 version=$4 with_sqlite=${5:-} with_pg=${6:-}

work=$(mktemp -d "${TMPDIR:-/tmp}/possession-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
dest=$work/dest

install_into_destdir() {
    # --no-rebuild: meson test has already built everything; never race ninja from a test.
    "$meson_cmd" install -C "$builddir" --destdir "$dest" --no-rebuild --quiet
}

# The .pc files land in <prefix>/<libdir>/pkgconfig, wherever the build was configured to put
# them; find them rather than guessing the prefix.
pc_dir_of() {
    local pc
    pc=$(find "$dest" -name "$1.pc" -print -quit)
    [[ -n $pc ]] || { echo "FAIL: $1.pc was not installed under $dest" >&2; exit 1; }
    dirname "$pc"
}

write_program() {
    cat >"$work/prog.c" <<'EOF'
#include <possession.h>
#ifdef WITH_SQLITE
#include <possession/sqlite.h>
#endif
#ifdef WITH_PG
#include <possession/pg.h>
#endif
#include <stdio.h>

int main(int argc, char **argv)
{
    char buf[PSS_MONEY_BUFSIZE];
    if (pss_money_format(123456, 2, buf, sizeof buf) < 0)
        return 1;
    printf("version %s\n", pss_version());
    printf("amount %s\n", buf);
#ifdef WITH_SQLITE
    pss_ctx *ctx = NULL;
    pss_storage *store = NULL;
    if (argc < 2 || pss_ctx_new(&ctx, NULL) != 0)
        return 1;
    int rc = pss_sqlite_open(ctx, argv[1], NULL, &store);
    printf("sqlite %s schema %d\n", rc == 0 ? "opened" : pss_ctx_errmsg(ctx),
           pss_sqlite_schema_version());
    pss_ctx_free(ctx);
    pss_storage_free(store);
#else
    (void)argc;
    (void)argv;
#endif
#ifdef WITH_PG
    printf("pg schema %d\n", pss_pg_schema_version()); /* links; no server needed */
#endif
    return 0;
}
EOF
}

# pkg-config sees only the destdir's .pc files (plus the system ones for uuid, jansson, sqlite3);
# the sysroot makes the .pc files' /usr/local/... paths point into the destdir. Nothing is
# filtered as a "system" path, so every -I/-L provably comes from the .pc files.
pkgconf() {
    PKG_CONFIG_PATH=$pc_path PKG_CONFIG_SYSROOT_DIR=$dest \
        PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1 \
        pkg-config "$@"
}

main() {
    install_into_destdir
    pc_path=$(pc_dir_of possession)
    local modules=(possession) defines=()
    if [[ $with_sqlite == sqlite ]]; then
        pc_path=$pc_path:$(pc_dir_of possession-sqlite)
        modules+=(possession-sqlite)
        defines+=(-DWITH_SQLITE)
    fi
    if [[ $with_pg == pg ]]; then
        pc_path=$pc_path:$(pc_dir_of possession-pg)
        modules+=(possession-pg)
        defines+=(-DWITH_PG)
    fi

    local flags
    flags=$(pkgconf --cflags --libs "${modules[@]}")
    echo "pkg-config --cflags --libs ${modules[*]}: $flags"
    write_program
    # shellcheck disable=SC2086 # flags is a word list by design
    "$cc" -std=c11 -Wall -Wextra -Werror -pedantic "${defines[@]}" "$work/prog.c" \
        -o "$work/prog" $flags

    local libdir resolved
    libdir=$(dirname "$(find "$dest" -name 'libpossession.so.1' -print -quit)")
    # The program must load the installed copy, not the build tree's or a system one.
    resolved=$(LD_LIBRARY_PATH=$libdir ldd "$work/prog")
    if [[ $resolved != *"libpossession.so.1 => $dest/"* ]]; then
        printf 'FAIL: the program does not resolve libpossession.so.1 from %s:\n%s\n' \
            "$dest" "$resolved" >&2
        exit 1
    fi

    local output expected
    output=$(LD_LIBRARY_PATH=$libdir "$work/prog" "$work/store.sqlite")
    echo "$output"
    # A glob: the SQLite schema version grows with later releases.
    expected="version $version"$'\n'"amount 1234.56"
    [[ $with_sqlite == sqlite ]] && expected+=$'\n''sqlite opened schema [1-9]*'
    [[ $with_pg == pg ]] && expected+=$'\n''pg schema [1-9]*'
    # shellcheck disable=SC2053 # expected is a pattern on purpose
    if [[ $output != $expected ]]; then
        printf 'FAIL: expected output matching\n%s\n' "$expected" >&2
        exit 1
    fi
    echo "ok: built and ran against the installed ${modules[*]}"
}

main

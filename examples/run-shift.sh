#!/usr/bin/env bash
# run-shift.sh: runs the shift example twice on a fresh database and checks that the second
# session expects exactly the cash the first one counted at its close.
set -euo pipefail
shift_bin=$1
db=$2
rm -f "$db" "$db-wal" "$db-shm"
first=$("$shift_bin" "$db")
second=$("$shift_bin" "$db")
# here-strings, not pipes: a reader that stops early must not kill the writer (pipefail)
head -n 40 <<<"$first"
counted=$(awk '/^  Counted /{print $2; exit}' <<<"$first")
expected=$(sed -n 's/^Opening .*: the drawer should hold \([0-9.]*\) .*/\1/p' <<<"$second")
echo "first close counted $counted; second opening expected $expected"
[ -n "$counted" ] && [ "$counted" = "$expected" ]
grep -q 'Assets:Cash:Till 1  EUR' <<<"$first"
grep -q '; Cash rounding' <<<"$first"
grep -q 'LEPEL-1/00002' <<<"$second"
rm -f "$db" "$db-wal" "$db-shm"

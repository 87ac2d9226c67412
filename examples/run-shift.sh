#!/usr/bin/env bash
# run-shift.sh: runs the shift example twice on a fresh database and checks that the second
# session expects exactly the cash the first one counted at its close.
set -euo pipefail
shift_bin=$1
db=$2
rm -f "$db" "$db-wal" "$db-shm"
first=$("$shift_bin" "$db")
second=$("$shift_bin" "$db")
printf '%s\n' "$first" | head -40
counted=$(printf '%s\n' "$first" | awk '/^  Counted /{print $2; exit}')
expected=$(printf '%s\n' "$second" | sed -n 's/^Opening .*: the drawer should hold \([0-9.]*\) .*/\1/p')
echo "first close counted $counted; second opening expected $expected"
[ -n "$counted" ] && [ "$counted" = "$expected" ]
printf '%s\n' "$first" | grep -q 'Assets:Cash:Till 1  EUR'
printf '%s\n' "$first" | grep -q '; Cash rounding\|Cash rounding  *-\?[0-9]'
printf '%s\n' "$second" | grep -q 'LEPEL-1/00002'
rm -f "$db" "$db-wal" "$db-shm"

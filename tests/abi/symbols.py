#!/usr/bin/env python3
"""tests/abi/symbols.py: the 'symbols' test. The dynamic symbols a shared library exports must
be exactly the global names of its linker version script, each start with pss_, and carry the
version node the script puts it in. Catches a function missing from the map (not exported), a
stale map entry, and anything leaking past -fvisibility=hidden.

usage: symbols.py NM LIBRARY MAPFILE [LIBRARY MAPFILE ...]
"""

import re
import subprocess
import sys

PREFIX = "pss_"


def parse_map(path):
    """Returns {symbol: node} for every global name of a GNU ld version script."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    # Version scripts allow /* */ and # comments.
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"#[^\n]*", " ", text)
    names = {}
    for node, body in re.findall(r"([A-Za-z_][\w.]*)\s*\{(.*?)\}[^;]*;", text, flags=re.S):
        scope = None
        for item in body.split(";"):
            item = item.strip()
            m = re.match(r"(global|local)\s*:\s*(.*)", item, flags=re.S)
            if m:
                scope, item = m.group(1), m.group(2).strip()
            if item and scope == "global":
                names[item] = node
    if not names:
        sys.exit(f"{path}: no global symbols found; is it a version script?")
    return names


def exported(nm, library):
    """Returns ({symbol: version}, [version node names]) of the library's defined dynamic symbols."""
    out = subprocess.run([nm, "-D", "--defined-only", library], check=True,
                         capture_output=True, text=True).stdout
    symbols, nodes = {}, []
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        kind, name = fields[1], fields[2]
        base, _, version = name.partition("@")
        version = version.lstrip("@")
        if kind == "A" and not version:
            nodes.append(base)  # the version node itself, e.g. POSSESSION_1.0
            continue
        symbols[base] = version
    return symbols, nodes


def check(nm, library, mapfile):
    """Prints the differences; returns the number of problems."""
    wanted = parse_map(mapfile)
    have, nodes = exported(nm, library)
    problems = []
    for name in sorted(set(wanted) - set(have)):
        problems.append(f"- {name}: listed in {mapfile} ({wanted[name]}) but not exported "
                        "(missing PSS_API, or not defined)")
    for name in sorted(set(have) - set(wanted)):
        problems.append(f"+ {name}: exported but not listed in {mapfile}")
    for name in sorted(have):
        if not name.startswith(PREFIX):
            problems.append(f"! {name}: exported name does not start with {PREFIX}")
        if name in wanted and have[name] and have[name] != wanted[name]:
            problems.append(f"! {name}: version {have[name]}, the map says {wanted[name]}")
    for node in sorted(set(wanted.values()) - set(nodes)):
        problems.append(f"! version node {node} is missing from the library")
    print(f"{library}: {len(have)} exported, {len(wanted)} in {mapfile}")
    if problems:
        print("  " + "\n  ".join(problems))
    return len(problems)


def main(argv):
    if len(argv) < 4 or len(argv) % 2 != 0:
        sys.exit(__doc__)
    nm, pairs = argv[1], argv[2:]
    failures = sum(check(nm, pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2))
    print("ok" if failures == 0 else f"{failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""check-layers.py: lib/ is built in layers, a folder each, each using only those below it
(doc/architecture.md).

Checks, and fails on: a file in no layer's folder; an #include "..." of a library header not
written as its path under lib/; an include or a call that goes up a layer; a circle of
includes or of calls between files (within a layer too). The calls are read with nm from the
built archive of every library object (libpossession-core.a).

usage: check-layers.py LIB_SOURCE_DIR LIBPOSSESSION_CORE_A
"""
import os
import re
import subprocess
import sys

# The layers, bottom first: a folder of lib/ each (store/memory belongs to store). A file may
# use files of its own layer and of the layers before it in this list, nothing after.
LAYERS = ["util", "base", "json", "store", "audit", "config", "session", "order", "close",
          "fiscal"]
OWN_LIBRARY = {"store-sqlite", "store-pg"}  # plug-ins on the public contract, own libraries
PUBLIC_OR_BUILT = {"possession", "version"}  # include/possession.h; version.h from meson


def layer_of(unit):
    top = unit.split("/")[0]
    return LAYERS.index(top) if top in LAYERS else None


def units(lib):
    """Every library file, as its path under lib/ without the extension (x.c and x.h are one
    concept)."""
    found = set()
    for d, dirs, files in os.walk(lib):
        dirs[:] = [x for x in dirs if os.path.relpath(os.path.join(d, x), lib) not in OWN_LIBRARY]
        for f in files:
            if f.endswith((".c", ".h")):
                found.add(os.path.splitext(os.path.relpath(os.path.join(d, f), lib))[0])
    return found


def include_edges(lib, known):
    edges = []
    for unit in sorted(known):
        for ext in (".c", ".h"):
            path = os.path.join(lib, unit + ext)
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    target = m and os.path.splitext(m.group(1))[0]
                    if target and target != unit and target in known:
                        edges.append((unit, target, f"lib/{unit}{ext}:{n}"))
                    elif target and "/" not in target and target not in PUBLIC_OR_BUILT:
                        edges.append((unit, "?" + target, f"lib/{unit}{ext}:{n}"))
    return edges


def call_edges(archive, known):
    # meson names an object after its source path with / turned to _: base/ctx.c -> base_ctx.c.o
    by_object = {u.replace("/", "_"): u for u in known}
    out = subprocess.run(["nm", archive], capture_output=True, text=True, check=True).stdout
    defined, used, member = {}, [], None
    for line in out.splitlines():
        if line.endswith(".o:"):  # an archive member, "<dir>/base_ctx.c.o:"
            member = by_object.get(os.path.basename(re.sub(r"\.c\.o:$", "", line)), "?")
            continue
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBR":
            defined[parts[2]] = member
        elif len(parts) == 2 and parts[0] == "U":
            used.append((member, parts[1]))
    return [(f, defined[s], s) for f, s in used if s in defined and defined[s] != f]


def circles(edges):
    graph = {}
    for a, b, _ in edges:
        graph.setdefault(a, set()).add(b)
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main():
    lib, archive = sys.argv[1], sys.argv[2]
    failures = 0
    known = units(lib)
    for u in sorted(known):
        if layer_of(u) is None:
            print(f"not ok - lib/{u}: in no layer's folder ({', '.join(LAYERS)})")
            failures += 1
    for kind, edges in (("includes", include_edges(lib, known)),
                        ("calls", call_edges(archive, known))):
        for a, b, where in edges:
            if b.startswith("?"):
                print(f"not ok - {where}: includes \"{b[1:]}.h\", not a path under lib/")
                failures += 1
            elif layer_of(a) is not None and layer_of(b) is not None and layer_of(b) > layer_of(a):
                print(f"not ok - {where}: {a} includes {b}, a layer above it"
                      if kind == "includes" else
                      f"not ok - {a} calls {where} of {b}, a layer above it")
                failures += 1
        for comp in circles([e for e in edges if not e[1].startswith("?")]):
            print(f"not ok - a circle of {kind}: {' '.join(comp)}")
            failures += 1
        print(f"ok - {len(edges)} {kind} between library files checked")
    counts = ", ".join(f"{name} {sum(1 for u in known if u.split('/')[0] == name)}"
                       for name in LAYERS)
    print(f"# files (x.c with x.h counted once) per layer: {counts}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

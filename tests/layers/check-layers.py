#!/usr/bin/env python3
"""check-layers.py: lib/ is built in layers, each using only those below it (doc/architecture.md).

Checks, and fails on, any #include "..." between library files that goes up a layer, any call
from one file's object to a function another file defines in a higher layer, and any circle of
includes or calls between files (within a layer too). The calls are read with nm from the
built archive of every library object (libpossession-core.a).

usage: check-layers.py LIB_SOURCE_DIR LIBPOSSESSION_CORE_A
"""
import os
import re
import subprocess
import sys

# Bottom first. A file is named without its extension: x.c and x.h are one concept.
LAYERS = [
    ("util", "mem pool map strbuf hash"),
    ("base", "internal version log ctx error text names id money money_internal bounds "
             "strlist actor"),
    ("json", "codec jsonc jsonw"),
    ("store", "store storage records memstore"),
    ("audit", "audit"),
    ("config", "config config_internal"),
    ("session", "session_internal access mutate totals session_store chain session cash"),
    ("order", "order_internal input_stride input_hash order order_data order_codec refund "
              "tax contrib payment submit"),
    ("close", "journal_internal journal close export report verify"),
]
LAYER_OF = {f: i for i, (_, files) in enumerate(LAYERS) for f in files.split()}
NAME = [name for name, _ in LAYERS]


def concept(path):
    return os.path.splitext(os.path.basename(path))[0]


def include_edges(lib):
    edges = []
    for name in sorted(os.listdir(lib)):
        if not name.endswith((".c", ".h")):
            continue
        with open(os.path.join(lib, name), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = re.match(r'\s*#\s*include\s+"([^"/]+)"', line)
                if m and concept(m.group(1)) != concept(name):
                    edges.append((concept(name), concept(m.group(1)), f"{name}:{n}"))
    return edges


def call_edges(archive):
    out = subprocess.run(["nm", archive], capture_output=True, text=True, check=True).stdout
    defined, used, member = {}, [], None
    for line in out.splitlines():
        if line.endswith(".o:"):  # an archive member, "<dir>/mem.c.o:"
            member = concept(re.sub(r"\.c\.o:$", "", line))
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
    sources = {concept(n) for n in os.listdir(lib) if n.endswith((".c", ".h"))}
    for f in sorted(sources - set(LAYER_OF)):
        print(f"not ok - lib/{f}: in no layer; add it to LAYERS in {sys.argv[0]}")
        failures += 1
    for kind, edges in (("includes", include_edges(lib)), ("calls", call_edges(archive))):
        for a, b, where in edges:
            if a in LAYER_OF and b in LAYER_OF and LAYER_OF[b] > LAYER_OF[a]:
                print(f"not ok - {where}: {a} ({NAME[LAYER_OF[a]]}) {kind} {b} "
                      f"({NAME[LAYER_OF[b]]}), a layer above it")
                failures += 1
        for comp in circles(edges):
            print(f"not ok - a circle of {kind}: {' '.join(comp)}")
            failures += 1
        print(f"ok - {len(edges)} {kind} between library files checked")
    per_layer = ", ".join(f"{name} {len(files.split())}" for name, files in LAYERS)
    print(f"# concepts per layer: {per_layer}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

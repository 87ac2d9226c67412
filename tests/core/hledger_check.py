#!/usr/bin/env python3
"""hledger_check.py: runs the multi-session scenario, then makes Debian's hledger read the
ledger journal it wrote: `hledger check` must accept it and `hledger balance` must give, for
every account, exactly the balance the library computed from its own entries."""
import csv
import decimal
import io
import os
import shutil
import subprocess
import sys
import tempfile


def hledger(*args):
    out = subprocess.run(["hledger", *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("hledger %s failed:\n%s%s" % (" ".join(args), out.stdout, out.stderr))
    return out.stdout


def hledger_balances(journal):
    text = hledger("-f", journal, "balance", "--flat", "--empty", "-O", "csv")
    balances = {}
    for row in csv.reader(io.StringIO(text)):
        if row[0] in ("account", "total"):
            continue
        commodity, _, amount = row[1].partition(" ")
        if commodity != "EUR" and row[1] != "0":
            sys.exit("unexpected amount %r for %s" % (row[1], row[0]))
        balances[row[0]] = decimal.Decimal(amount or "0")
    return balances


def library_balances(path):
    balances = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            account, amount = line.rstrip("\n").split("\t")
            balances[account] = decimal.Decimal(amount)
    return balances


def main():
    scenario = sys.argv[1]
    if shutil.which("hledger") is None:
        sys.exit("hledger is not installed (the README's test command installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        journal = os.path.join(tmp, "scenario.journal")
        table = os.path.join(tmp, "balances.tsv")
        run = subprocess.run([scenario, journal, table], capture_output=True, text=True)
        print(run.stdout, end="")
        if run.returncode != 0:
            sys.exit("the scenario failed:\n" + run.stderr)
        hledger("-f", journal, "check")
        ours = library_balances(table)
        theirs = hledger_balances(journal)
        failed = 0
        for account in sorted(set(ours) | set(theirs)):
            mine, hl = ours.get(account, decimal.Decimal(0)), theirs.get(account, decimal.Decimal(0))
            ok = mine == hl
            failed += not ok
            print("%s hledger balance of %s: library %s, hledger %s" %
                  ("ok" if ok else "not ok", account, mine, hl))
        transactions = hledger("-f", journal, "register", "-O", "csv").count("\n") - 1
        print("# %d accounts, %d postings checked" % (len(ours), transactions))
        if failed or not ours:
            sys.exit("%d account balances differ" % failed)


if __name__ == "__main__":
    main()

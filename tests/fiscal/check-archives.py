#!/usr/bin/env python3
"""tests/fiscal/check-archives.py: archives written by the library (archive-writer) verified by
tools/fiscal-verify.py, a verifier written from doc/fiscal.md alone, so that the library and
the spec's reader cannot share a mistake: whole ones pass, altered ones break where altered.

usage: check-archives.py WRITER VERIFIER DIRECTORY
"""

import json
import os
import subprocess
import sys
import unittest

WRITER, VERIFIER, DIRECTORY = sys.argv[1:4]


def verify(path):
    run = subprocess.run([sys.executable, VERIFIER, path], capture_output=True, text=True)
    return run.returncode, run.stdout + run.stderr


def lines_of(name):
    with open(os.path.join(DIRECTORY, name), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def write(name, objects):
    path = os.path.join(DIRECTORY, name)
    with open(path, "w", encoding="utf-8") as f:
        for obj in objects:
            f.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    return path


class Archives(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(DIRECTORY, exist_ok=True)
        run = subprocess.run([WRITER, DIRECTORY], capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError("archive-writer failed:\n" + run.stdout + run.stderr)

    def test_whole_chain_verifies(self):
        code, out = verify(os.path.join(DIRECTORY, "whole.jsonl"))
        self.assertEqual(code, 0, out)
        self.assertIn("8 events", out)  # two shifts: open, cash out, count, close
        manifest = lines_of("whole.jsonl")[0]
        self.assertEqual((manifest["first_seq"], manifest["last_seq"], manifest["events"]),
                         (1, 8, 8))

    def test_period_verifies(self):
        code, out = verify(os.path.join(DIRECTORY, "period.jsonl"))
        self.assertEqual(code, 0, out)
        self.assertIn("4 events", out)
        whole = lines_of("whole.jsonl")
        period = lines_of("period.jsonl")
        self.assertEqual(period[0]["prev"], whole[2]["hash"])  # event 2's hash
        self.assertEqual(period[1:], whole[3:7])

    def test_escapes_are_in_the_forms(self):
        forms = [event["form"] for event in lines_of("whole.jsonl")[1:]]
        self.assertIn("\nreason=a\\\\b=c \u00e9\n", forms[0])
        self.assertIn("\nreason=caf\u00e9 = \"tips\" \\\\ ok\n", forms[1])

    def test_a_changed_amount_breaks_there(self):
        objects = lines_of("whole.jsonl")
        objects[2]["form"] = objects[2]["form"].replace("amount=250", "amount=25")
        code, out = verify(write("changed.jsonl", objects))
        self.assertEqual(code, 1, out)
        self.assertIn("break at event 2: changed", out)

    def test_a_deleted_event_breaks_there(self):
        objects = lines_of("whole.jsonl")
        del objects[3]
        code, out = verify(write("deleted.jsonl", objects))
        self.assertEqual(code, 1, out)
        self.assertIn("break at event 3: missing", out)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)

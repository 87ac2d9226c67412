# test_fiscal_verify.py: tests of tools/fiscal-verify.py on archives built here, in Python,
# from doc/fiscal.md alone (canonical forms with its escaping, the genesis, SHA-256 links),
# whole and altered one way per problem. Run from the project root:
#   python3 -m unittest tools/test_fiscal_verify.py    or    python3 tools/test_fiscal_verify.py

import copy
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
VERIFIER = os.path.join(HERE, "fiscal-verify.py")
CONFIG = "0c0f0000-0000-4000-8000-000000000001"
OTHER_CONFIG = "0c0f0000-0000-4000-8000-000000000002"


def load_verifier():
    spec = importlib.util.spec_from_file_location("fiscal_verify", VERIFIER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- building archives from the spec -------------------------------------------------------

def spec_genesis(config_id):
    return hashlib.sha256(("pss-fiscal=1 genesis=" + config_id).encode("utf-8")).digest()


def spec_escape(text):
    out = bytearray()
    for byte in text.encode("utf-8"):
        if byte == 0x5c:
            out += b"\\\\"
        elif byte == 0x0a:
            out += b"\\n"
        elif byte == 0x0d:
            out += b"\\r"
        elif byte < 0x20 or byte == 0x7f:
            out += b"\\x%02x" % byte
        else:
            out.append(byte)
    return bytes(out)


def spec_form(pairs):
    """Canonical form bytes of (key, value) pairs: ints in decimal, texts escaped."""
    out = bytearray()
    for key, value in pairs:
        text = str(value).encode() if isinstance(value, int) else spec_escape(value)
        out += key.encode() + b"=" + text + b"\n"
    return bytes(out)


def event_pairs(config, seq):
    head = [("pss-fiscal", 1), ("kind", "cash.move" if seq % 2 else "session.count"),
            ("config", config), ("seq", seq), ("at", 1764633600000 + 1000 * seq),
            ("user", "u-%d" % seq), ("device", ""), ("session", "s-1")]
    if seq % 2:
        return head + [("reason", "float\\top-up\n\"é\" \r\x01\x7f=x"), ("movement", "m-%d" % seq),
                       ("kind", "in"), ("amount", -1250 * seq), ("account", "till")]
    return head + [("expected", 5000), ("counted", 4990), ("difference", -10),
                   ("reason", "")]


def link_hex(prev_hex, form_bytes):
    return hashlib.sha256(bytes.fromhex(prev_hex) + form_bytes).hexdigest()


def build_chain(config, count):
    """Events 1..count of a config: dicts with seq, prev, hash, form (str)."""
    prev, events = spec_genesis(config).hex(), []
    for seq in range(1, count + 1):
        form = spec_form(event_pairs(config, seq))
        digest = link_hex(prev, form)
        events.append({"seq": seq, "prev": prev, "hash": digest, "form": form.decode("utf-8")})
        prev = digest
    return events


def build_manifest(config, events):
    return {"pss_fiscal_archive": 1, "config": config, "genesis": spec_genesis(config).hex(),
            "first_seq": events[0]["seq"], "last_seq": events[-1]["seq"],
            "events": len(events), "prev": events[0]["prev"], "head": events[-1]["hash"]}


def archive_bytes(manifest, events):
    lines = [json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
             for obj in [manifest] + events]
    return ("\n".join(lines) + "\n").encode("utf-8")


def alter(event, old, new):
    """Replace text in an event's form, failing if the form does not hold it."""
    assert old in event["form"], (old, event["form"])
    event["form"] = event["form"].replace(old, new, 1)


def rehash(event):
    event["hash"] = link_hex(event["prev"], event["form"].encode("utf-8"))


# --- running the verifier ------------------------------------------------------------------

class ArchiveCase(unittest.TestCase):
    def setUp(self):
        self.events = build_chain(CONFIG, 5)
        self.manifest = build_manifest(CONFIG, self.events)
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def run_verifier(self, data, *args):
        path = os.path.join(self.tmp.name, "archive.jsonl")
        with open(path, "wb") as handle:
            handle.write(data)
        return subprocess.run([sys.executable, VERIFIER, path] + list(args),
                              capture_output=True, text=True)

    def verdict(self, data):
        proc = self.run_verifier(data, "--json")
        return proc.returncode, json.loads(proc.stdout)

    def assert_break(self, data, seq, problem):
        code, verdict = self.verdict(data)
        self.assertEqual((code, verdict["first_bad_seq"], verdict["problem"]),
                         (1, seq, problem), verdict["detail"])
        self.assertFalse(verdict["whole"])
        proc = self.run_verifier(data)
        self.assertEqual(proc.returncode, 1)
        self.assertTrue(proc.stdout.startswith("break at event %d: %s: " % (seq, problem)),
                        proc.stdout)
        return verdict

    def archive(self):
        return archive_bytes(self.manifest, self.events)


class SpecExample(unittest.TestCase):
    """The worked example of "Canonical form" and "The chain"."""

    FORM = (b"pss-fiscal=1\nkind=order\nconfig=0c0f0000-0000-4000-8000-000000000001\nseq=1\n"
            b"total=-1250\nnote=a\\\\b\\nc\\rd\\x01e\\x7f=f\xc3\xa9\ntax.0.code=VAT20\n"
            b"tax.0.base=1000\ntax.1.code=\n")
    GENESIS = "1da5afc608c900a24cc9140014c29601ebde3e64463ec0c9dc2c2f73eea15f40"
    HASH1 = "c5975b8defd1c0b7ee7aaf04fcde085064dc606e8865e521c0b6cd31f87fe2f6"

    def test_bytes_genesis_and_hash(self):
        self.assertEqual(len(self.FORM), 160)
        genesis = spec_genesis(CONFIG)
        self.assertEqual(genesis.hex(), self.GENESIS)
        self.assertEqual(hashlib.sha256(genesis + self.FORM).hexdigest(), self.HASH1)

    def test_escaping_builds_the_example(self):
        pairs = [("pss-fiscal", 1), ("kind", "order"), ("config", CONFIG), ("seq", 1),
                 ("total", -1250), ("note", "a\\b\nc\rd\x01e\x7f=fé"),
                 ("tax.0.code", "VAT20"), ("tax.0.base", 1000), ("tax.1.code", "")]
        self.assertEqual(spec_form(pairs), self.FORM)

    def test_verifier_primitives_agree(self):
        verifier = load_verifier()
        self.assertEqual(verifier.genesis(CONFIG), self.GENESIS)
        self.assertEqual(verifier.link(self.GENESIS, self.FORM), self.HASH1)
        self.assertEqual(verifier.escape_text("a\\b\nc\rd\x01e\x7f=fé"),
                         "a\\\\b\\nc\\rd\\x01e\\x7f=fé")

    def test_example_as_an_archive_is_whole(self):
        event = {"seq": 1, "prev": self.GENESIS, "hash": self.HASH1,
                 "form": self.FORM.decode("utf-8")}
        verdict = load_verifier().verify_bytes(archive_bytes(build_manifest(CONFIG, [event]),
                                                             [event]))
        self.assertTrue(verdict["whole"], verdict["detail"])


class Whole(ArchiveCase):
    def test_whole_from_seq_1(self):
        proc = self.run_verifier(self.archive())
        self.assertEqual(proc.returncode, 0, proc.stdout)
        self.assertEqual(proc.stdout.strip(), "whole: 5 events, seq 1 to 5, head %s"
                         % self.events[-1]["hash"])
        code, verdict = self.verdict(self.archive())
        self.assertEqual((code, verdict["whole"], verdict["events"], verdict["first_bad_seq"],
                          verdict["problem"]), (0, True, 5, 0, "whole"))

    def test_whole_period_from_seq_3(self):
        period = self.events[2:]
        manifest = build_manifest(CONFIG, period)
        self.assertEqual(manifest["prev"], self.events[1]["hash"])
        code, verdict = self.verdict(archive_bytes(manifest, period))
        self.assertEqual((code, verdict["events"]), (0, 3), verdict["detail"])
        self.assertIn("seq 3 to 5", verdict["detail"])

    def test_importable_verdict(self):
        self.assertTrue(load_verifier().verify_bytes(self.archive())["whole"])


class Changed(ArchiveCase):
    def test_changed_form(self):
        alter(self.events[2], "amount=-3750", "amount=-375")
        self.assert_break(self.archive(), 3, "changed")

    def test_changed_hash(self):
        self.events[2]["hash"] = "0" * 64
        self.assert_break(self.archive(), 3, "changed")

    def test_form_names_another_config(self):
        alter(self.events[2], CONFIG, OTHER_CONFIG)
        rehash(self.events[2])
        self.events[3]["prev"] = self.events[2]["hash"]
        self.assert_break(self.archive(), 3, "changed")

    def test_form_names_another_seq(self):
        alter(self.events[2], "\nseq=3\n", "\nseq=4\n")
        rehash(self.events[2])
        self.assert_break(self.archive(), 3, "changed")

    def test_form_of_another_version(self):
        alter(self.events[0], "pss-fiscal=1", "pss-fiscal=2")
        rehash(self.events[0])
        self.assert_break(self.archive(), 1, "changed")

    def test_last_event_rehashed_does_not_give_head(self):
        alter(self.events[4], "amount=", "amount=1")
        rehash(self.events[4])
        self.assert_break(self.archive(), 5, "changed")

    def test_manifest_head_does_not_match(self):
        self.manifest["head"] = self.events[3]["hash"]
        verdict = self.assert_break(self.archive(), 5, "changed")
        self.assertEqual(verdict["events"], 4)

    def test_bad_genesis_in_manifest(self):
        self.manifest["genesis"] = spec_genesis(OTHER_CONFIG).hex()
        self.assert_break(self.archive(), 1, "changed")

    def test_bad_genesis_in_period_manifest(self):
        period = self.events[2:]
        manifest = build_manifest(CONFIG, period)
        manifest["genesis"] = "ab" * 32
        self.assert_break(archive_bytes(manifest, period), 3, "changed")

    def test_whole_chain_moved_to_another_config(self):
        self.manifest["config"] = OTHER_CONFIG
        self.assert_break(self.archive(), 1, "changed")


class MissingMisplaced(ArchiveCase):
    def test_deleted_event(self):
        del self.events[2]
        self.assert_break(self.archive(), 3, "missing")

    def test_deleted_first_event(self):
        del self.events[0]
        self.assert_break(self.archive(), 1, "missing")

    def test_deleted_last_event(self):
        del self.events[4]
        self.assert_break(self.archive(), 5, "missing")

    def test_swapped_events(self):
        self.events[2], self.events[3] = self.events[3], self.events[2]
        self.assert_break(self.archive(), 3, "misplaced")

    def test_duplicated_event(self):
        self.events.insert(2, copy.deepcopy(self.events[1]))
        self.assert_break(self.archive(), 3, "misplaced")

    def test_duplicated_seq(self):
        self.events[2]["seq"] = 2
        self.assert_break(self.archive(), 3, "misplaced")

    def test_event_appended_beyond_last_seq(self):
        extra = build_chain(CONFIG, 6)[5]
        self.events.append(extra)
        self.assert_break(self.archive(), 6, "misplaced")

    def test_manifest_counts_more_events(self):
        self.manifest["events"] = 6
        verdict = self.assert_break(self.archive(), 6, "missing")
        self.assertEqual(verdict["events"], 5)

    def test_manifest_counts_fewer_events(self):
        self.manifest["events"] = 4
        self.assert_break(self.archive(), 6, "misplaced")

    def test_manifest_period_longer_than_archive(self):
        self.manifest["last_seq"], self.manifest["events"] = 6, 6
        self.assert_break(self.archive(), 6, "missing")


class BrokenLink(ArchiveCase):
    def test_wrong_prev_rehashed(self):
        self.events[2]["prev"] = self.events[0]["hash"]
        rehash(self.events[2])
        self.events[3]["prev"] = self.events[2]["hash"]
        rehash(self.events[3])
        self.events[4]["prev"] = self.events[3]["hash"]
        rehash(self.events[4])
        self.manifest["head"] = self.events[4]["hash"]
        self.assert_break(self.archive(), 3, "broken link")

    def test_wrong_prev(self):
        self.events[2]["prev"] = "f" * 64
        self.assert_break(self.archive(), 3, "broken link")

    def test_manifest_prev_not_genesis(self):
        self.manifest["prev"] = "1" * 64
        self.assert_break(self.archive(), 1, "broken link")

    def test_period_manifest_prev_wrong(self):
        period = self.events[2:]
        manifest = build_manifest(CONFIG, period)
        manifest["prev"] = self.events[0]["hash"]
        self.assert_break(archive_bytes(manifest, period), 3, "broken link")


class Unreadable(ArchiveCase):
    def replace_line(self, index, text):
        lines = self.archive().split(b"\n")
        lines[index] = text
        return b"\n".join(lines)

    def test_non_json_line(self):
        self.assert_break(self.replace_line(3, b'{"seq":3,"prev":'), 3, "unreadable")

    def test_missing_member(self):
        del self.events[2]["hash"]
        self.assert_break(self.archive(), 3, "unreadable")

    def test_unknown_member(self):
        self.events[2]["v"] = 1
        self.assert_break(self.archive(), 3, "unreadable")

    def test_seq_of_wrong_type(self):
        self.events[2]["seq"] = "3"
        self.assert_break(self.archive(), 3, "unreadable")

    def test_upper_case_hex(self):
        self.events[2]["hash"] = self.events[2]["hash"].upper()
        self.assert_break(self.archive(), 3, "unreadable")

    def test_short_hex(self):
        self.events[2]["prev"] = self.events[2]["prev"][:63]
        self.assert_break(self.archive(), 3, "unreadable")

    def test_not_utf8(self):
        self.assert_break(self.replace_line(2, b'{"seq":2,\xff}'), 2, "unreadable")

    def test_file_cut_mid_line(self):
        self.assert_break(self.archive()[:-20], 5, "unreadable")

    def test_form_not_canonical(self):
        alter(self.events[2], "\\n", "\n")
        rehash(self.events[2])
        self.events[3]["prev"] = self.events[2]["hash"]
        rehash(self.events[3])
        self.events[4]["prev"] = self.events[3]["hash"]
        rehash(self.events[4])
        self.manifest["head"] = self.events[4]["hash"]
        self.assert_break(self.archive(), 3, "unreadable")

    def test_manifest_not_json(self):
        self.assert_break(self.replace_line(0, b"pss_fiscal_archive=1"), 0, "unreadable")

    def test_manifest_missing_member(self):
        del self.manifest["head"]
        self.assert_break(self.archive(), 1, "unreadable")

    def test_manifest_other_version(self):
        self.manifest["pss_fiscal_archive"] = 2
        self.assert_break(self.archive(), 1, "unreadable")

    def test_empty_file(self):
        self.assert_break(b"", 0, "unreadable")


class Usage(ArchiveCase):
    def test_no_argument(self):
        proc = subprocess.run([sys.executable, VERIFIER], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 2)

    def test_unreadable_file(self):
        proc = subprocess.run([sys.executable, VERIFIER, os.path.join(self.tmp.name, "none")],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("cannot read", proc.stderr)


if __name__ == "__main__":
    unittest.main()

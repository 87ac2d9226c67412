#!/usr/bin/env python3
# fiscal-verify.py: a standalone verifier of libpossession's fiscal archives, written from
# doc/fiscal.md alone ("Canonical form", "The chain", "Verification", "Archive"), with no
# store and no libpossession. It reads an archive (JSON lines: a manifest, then one line
# per event), recomputes the genesis and every link, and names the first break.
#
#   tools/fiscal-verify.py ARCHIVE [--json]
#
# Exit 0: the archive is whole. Exit 1: it breaks (the first break is printed).
# Exit 2: usage error or a file that cannot be read.

import argparse
import hashlib
import json
import sys

HEX_DIGITS = frozenset("0123456789abcdef")
KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.")
MANIFEST_MEMBERS = (("pss_fiscal_archive", "int"), ("config", "str"), ("genesis", "hex"),
                    ("first_seq", "int"), ("last_seq", "int"), ("events", "int"),
                    ("prev", "hex"), ("head", "hex"))
EVENT_MEMBERS = (("seq", "int"), ("prev", "hex"), ("hash", "hex"), ("form", "str"))


class Break(Exception):
    """The first break of an archive: the seq where it shows, a problem word, why."""

    def __init__(self, seq, problem, why):
        super().__init__(why)
        self.seq, self.problem, self.why = seq, problem, why


class Unreadable(Exception):
    """A line that is no manifest or no event (the caller knows its seq)."""


# --- the spec's primitives ------------------------------------------------------------

def genesis(config_id):
    """SHA-256 of `pss-fiscal=1 genesis=` followed by the config id, as hex."""
    return hashlib.sha256(b"pss-fiscal=1 genesis=" + config_id.encode("utf-8")).hexdigest()


def link(prev_hex, form_bytes):
    """hash(n) = SHA-256(32 bytes of hash(n-1) || bytes of the form), as hex."""
    return hashlib.sha256(bytes.fromhex(prev_hex) + form_bytes).hexdigest()


def escape_text(text):
    """A text value in the canonical form: \\\\, \\n, \\r, \\xHH for other controls and 0x7f."""
    out = []
    for byte in text.encode("utf-8"):
        if byte == 0x5c:
            out.append(b"\\\\")
        elif byte == 0x0a:
            out.append(b"\\n")
        elif byte == 0x0d:
            out.append(b"\\r")
        elif byte < 0x20 or byte == 0x7f:
            out.append(b"\\x%02x" % byte)
        else:
            out.append(bytes([byte]))
    return b"".join(out).decode("utf-8")


# --- reading lines ----------------------------------------------------------------------

def split_lines(data):
    """The file's lines as (bytes, ends_with_line_feed) pairs."""
    parts = data.split(b"\n")
    if parts[-1] == b"":
        return [(part, True) for part in parts[:-1]]
    return [(part, True) for part in parts[:-1]] + [(parts[-1], False)]


def strict_json(text):
    """json.loads refusing NaN/Infinity and a member given twice."""
    def refuse_constant(name):
        raise ValueError("%s is not JSON" % name)

    def unique_members(pairs):
        obj = {}
        for key, value in pairs:
            if key in obj:
                raise ValueError("member %r given twice" % key)
            obj[key] = value
        return obj
    return json.loads(text, object_pairs_hook=unique_members, parse_constant=refuse_constant)


def is_hex64(value):
    return isinstance(value, str) and len(value) == 64 and set(value) <= HEX_DIGITS


def check_member(obj, name, kind):
    if name not in obj:
        raise Unreadable("member %r is missing" % name)
    value = obj[name]
    if kind == "int" and (not isinstance(value, int) or isinstance(value, bool)):
        raise Unreadable("member %r is not an integer: %s" % (name, json.dumps(value)))
    if kind == "str" and not isinstance(value, str):
        raise Unreadable("member %r is not a string: %s" % (name, json.dumps(value)))
    if kind == "hex" and not is_hex64(value):
        raise Unreadable("member %r is not 64 lower-case hex digits: %s"
                         % (name, json.dumps(value)))


def parse_object(line, members):
    """One line as a JSON object with exactly the given members, of the given types."""
    raw, has_line_feed = line
    if not has_line_feed:
        raise Unreadable("the line does not end with a line feed")
    try:
        obj = strict_json(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise Unreadable("the line is not UTF-8 (%s)" % err)
    except ValueError as err:
        raise Unreadable("the line is not JSON (%s)" % err)
    if not isinstance(obj, dict):
        raise Unreadable("the line is not a JSON object")
    for name, kind in members:
        check_member(obj, name, kind)
    extra = sorted(set(obj) - {name for name, _ in members})
    if extra:
        raise Unreadable("unknown member(s) %s" % ", ".join(map(repr, extra)))
    return obj


def lenient_seq(line):
    """The seq member of a line if it has one, for telling misplaced from missing."""
    try:
        obj = strict_json(line[0].decode("utf-8"))
    except ValueError:
        return None
    seq = obj.get("seq") if isinstance(obj, dict) else None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


# --- the manifest -------------------------------------------------------------------------

def manifest_seq(obj):
    """Where a manifest's problem shows: its first_seq if that is readable, else 0."""
    seq = obj.get("first_seq") if isinstance(obj, dict) else None
    ok = isinstance(seq, int) and not isinstance(seq, bool) and seq >= 1
    return seq if ok else 0


def read_manifest(lines):
    if not lines:
        raise Break(0, "unreadable", "the file is empty: there is no manifest")
    try:
        manifest = parse_object(lines[0], MANIFEST_MEMBERS)
    except Unreadable as err:
        raise Break(manifest_seq(lenient_manifest(lines[0])), "unreadable",
                    "the manifest (line 1): %s" % err)
    check_manifest(manifest)
    return manifest


def lenient_manifest(line):
    try:
        return strict_json(line[0].decode("utf-8"))
    except ValueError:
        return None


def check_manifest(manifest):
    first, last = manifest["first_seq"], manifest["last_seq"]
    seq = manifest_seq(manifest)
    if manifest["pss_fiscal_archive"] != 1:
        raise Break(seq, "unreadable", "the manifest's format version is %d, not 1"
                    % manifest["pss_fiscal_archive"])
    if first < 1 or last < first:
        raise Break(seq, "unreadable", "the manifest's period %d to %d is not a period of "
                    "seqs 1, 2, 3 ..." % (first, last))
    if manifest["config"] == "":
        raise Break(seq, "unreadable", "the manifest's config is empty")
    check_manifest_genesis(manifest)


def check_manifest_genesis(manifest):
    first, expected = manifest["first_seq"], genesis(manifest["config"])
    if manifest["genesis"] != expected:
        raise Break(first, "changed", "the manifest's genesis %s is not the genesis of "
                    "config %s (%s)" % (manifest["genesis"], manifest["config"], expected))
    if first == 1 and manifest["prev"] != expected:
        raise Break(1, "broken link", "the manifest's prev %s is not the genesis %s (the "
                    "period starts at seq 1)" % (manifest["prev"], expected))


# --- each event -------------------------------------------------------------------------

def read_event(line, seq):
    try:
        event = parse_object(line, EVENT_MEMBERS)
    except Unreadable as err:
        raise Break(seq, "unreadable", "the line of event %d: %s" % (seq, err))
    if event["seq"] < 1:
        raise Break(seq, "unreadable", "the line of event %d has seq %d" % (seq, event["seq"]))
    try:
        event["form_bytes"] = event["form"].encode("utf-8")
    except UnicodeEncodeError as err:
        raise Break(seq, "unreadable", "the form of event %d is not UTF-8 (%s)" % (seq, err))
    return event


def check_in_period(seq, last):
    if seq > last:
        raise Break(seq, "misplaced", "the archive holds a line after event %d, the "
                    "manifest's last_seq: an event inserted, or the manifest cut short"
                    % last)


def check_seq(event, seq, later_lines):
    found = event["seq"]
    if found == seq:
        return
    if found < seq:
        raise Break(seq, "misplaced", "where event %d belongs the archive holds seq %d, "
                    "which comes before it (a duplicate, or an event moved)" % (seq, found))
    if any(lenient_seq(line) == seq for line in later_lines):
        raise Break(seq, "misplaced", "where event %d belongs the archive holds seq %d; "
                    "seq %d comes later (events out of order)" % (seq, found, seq))
    gone = "event %d is" % seq if found == seq + 1 else "events %d to %d are" % (seq, found - 1)
    raise Break(seq, "missing", "where event %d belongs the archive holds seq %d: %s not in "
                "it (deleted)" % (seq, found, gone))


def check_link(event, seq, prev):
    if event["prev"] != prev:
        raise Break(seq, "broken link", "event %d's prev %s is not the hash before it %s"
                    % (seq, event["prev"], prev))


def check_hash(event, seq):
    computed = link(event["prev"], event["form_bytes"])
    if computed != event["hash"]:
        raise Break(seq, "changed", "SHA-256 of event %d's prev and form is %s, not its "
                    "hash %s" % (seq, computed, event["hash"]))


def check_form_head(form, seq, config):
    """The first four lines: pss-fiscal=1, kind=..., config=<the config>, seq=<its seq>."""
    lines = form.split("\n")
    wanted = ["pss-fiscal=1", None, "config=" + escape_text(config), "seq=%d" % seq]
    if len(lines) < 5:
        raise Break(seq, "changed", "event %d's form has fewer than four lines" % seq)
    if not lines[1].startswith("kind=") or lines[1] == "kind=":
        raise Break(seq, "changed", "line 2 of event %d's form is %r, not kind=<its kind>"
                    % (seq, lines[1]))
    for number, (line, want) in enumerate(zip(lines, wanted), 1):
        if want is not None and line != want:
            raise Break(seq, "changed", "line %d of event %d's form is %r, not %r"
                        % (number, seq, line, want))


def canonical_line_fault(line):
    """Why a form line is not `key=value` in the canonical form, or None."""
    key, equals, value = line.partition("=")
    if not equals or not key or not set(key) <= KEY_CHARS:
        return "is not key=value with a key of a-z, 0-9, _ and ."
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in value):
        return "holds a control byte unescaped"
    return escape_fault(value)


def escape_fault(value):
    """Why a value's backslashes are not the one escaped form of a text, or None."""
    i = 0
    while i < len(value):
        if value[i] != "\\":
            i += 1
            continue
        nxt = value[i + 1:i + 2]
        if nxt in ("\\", "n", "r"):
            i += 2
            continue
        digits = value[i + 2:i + 4]
        if nxt != "x" or len(digits) != 2 or not set(digits) <= HEX_DIGITS:
            return "holds a backslash that is no escape"
        byte = int(digits, 16)
        if not (byte < 0x20 and byte not in (0x0a, 0x0d)) and byte != 0x7f:
            return "escapes as \\x%s a byte that has another form" % digits
        i += 4
    return None


def check_form_syntax(form, seq):
    if not form.endswith("\n"):
        raise Break(seq, "unreadable", "event %d's form does not end with a line feed" % seq)
    # Line 1, `pss-fiscal=1`, is checked whole by check_form_head: its key has a `-`,
    # which the spec's key rule (a-z, 0-9, _ and .) leaves out.
    for number, line in enumerate(form[:-1].split("\n")[1:], 2):
        fault = canonical_line_fault(line)
        if fault:
            raise Break(seq, "unreadable", "line %d of event %d's form %s: it is not in the "
                        "canonical form (%r)" % (number, seq, fault, line))


# --- the walk ------------------------------------------------------------------------------

def check_end(manifest, count, last_hash):
    first, last = manifest["first_seq"], manifest["last_seq"]
    end = first + count - 1
    if end < last:
        raise Break(end + 1, "missing", "the archive ends at event %d; the manifest's period "
                    "ends at %d (events deleted or the file cut short)" % (end, last))
    if manifest["events"] != count:
        word = "missing" if manifest["events"] > count else "misplaced"
        raise Break(last + 1, word, "the manifest counts %d events; the archive holds %d "
                    "(seq %d to %d)" % (manifest["events"], count, first, last))
    if manifest["head"] != last_hash:
        raise Break(last, "changed", "the hash of the last event %d is %s, not the "
                    "manifest's head %s: the event (its hash recomputed) or the head was "
                    "changed" % (last, last_hash, manifest["head"]))


def verify_lines(lines):
    """Walk an archive's lines; return (count, first, last, head) or raise Break."""
    manifest = read_manifest(lines)
    first, prev = manifest["first_seq"], manifest["prev"]
    event_lines = lines[1:]
    for index, line in enumerate(event_lines):
        seq = first + index
        check_in_period(seq, manifest["last_seq"])
        event = read_event(line, seq)
        check_seq(event, seq, event_lines[index + 1:])
        check_link(event, seq, prev)
        check_hash(event, seq)
        check_form_head(event["form"], seq, manifest["config"])
        check_form_syntax(event["form"], seq)
        prev = event["hash"]
    check_end(manifest, len(event_lines), prev)
    return len(event_lines), first, manifest["last_seq"], prev


def verify_bytes(data):
    """The verdict on an archive's bytes, as the dict --json prints."""
    try:
        count, first, last, head = verify_lines(split_lines(data))
    except Break as brk:
        detail = "break at event %d: %s: %s" % (brk.seq, brk.problem, brk.why)
        verified = brk.seq - first_seq_of(data) if brk.seq else 0
        return {"whole": False, "events": max(verified, 0), "first_bad_seq": brk.seq,
                "problem": brk.problem, "detail": detail}
    detail = "whole: %d events, seq %d to %d, head %s" % (count, first, last, head)
    return {"whole": True, "events": count, "first_bad_seq": 0, "problem": "whole",
            "detail": detail}


def first_seq_of(data):
    """The manifest's first_seq for counting the events before a break (0 if unreadable)."""
    lines = split_lines(data)
    return manifest_seq(lenient_manifest(lines[0])) if lines else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description="Verify a libpossession fiscal archive "
                                     "(doc/fiscal.md, \"Archive\").")
    parser.add_argument("archive", help="the archive file (JSON lines)")
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    args = parser.parse_args(argv)
    try:
        with open(args.archive, "rb") as handle:
            data = handle.read()
    except OSError as err:
        print("fiscal-verify: cannot read %s: %s" % (args.archive, err.strerror or err),
              file=sys.stderr)
        return 2
    verdict = verify_bytes(data)
    print(json.dumps(verdict) if args.json else verdict["detail"])
    return 0 if verdict["whole"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""The fiscal chain from Python (doc/fiscal.md): a shift's events verify, an archive of them
proves the same, and an event altered in the store is found at its seq, answered rather
than raised."""

import hashlib
import hmac
import json
import sys
import unittest

import possession
from helpers import ALICE, CONFIG_ID, Clock, DictStore, open_session, saved_config


class FiscalChain(unittest.TestCase):
    def setUp(self):
        self.store = DictStore()
        self.ctx = possession.Context(self.store, clock=Clock())
        saved_config(self.ctx)
        session = open_session(self.ctx, "10.00")
        session.cash_in(ALICE, "2.50", "float")
        session.start_closing(ALICE)
        session.count(ALICE, "12.50")
        session.close(ALICE)

    def fiscal_keys(self):
        return sorted(k for k in self.store.records if k[0] == "fiscal")

    def test_a_shift_is_four_events_that_verify(self):
        verdict = self.ctx.fiscal_verify(CONFIG_ID)
        self.assertTrue(verdict.whole)
        self.assertEqual((verdict.events, verdict.first_bad_seq, verdict.problem, verdict.detail,
                          verdict.unsigned_events), (4, 0, "whole", "", 4))  # no signer
        self.assertEqual(len(verdict.head_hash), 64)
        self.assertEqual(len(self.fiscal_keys()), 4)

    def test_the_archive_has_a_manifest_and_the_events(self):
        lines = [json.loads(line) for line in self.ctx.fiscal_archive(CONFIG_ID).splitlines()]
        manifest = lines[0]
        self.assertEqual((manifest["pss_fiscal_archive"], manifest["config"],
                          manifest["first_seq"], manifest["last_seq"], manifest["events"]),
                         (1, CONFIG_ID, 1, 4, 4))
        self.assertEqual(manifest["head"], self.ctx.fiscal_verify(CONFIG_ID).head_hash)
        self.assertEqual([e["seq"] for e in lines[1:]], [1, 2, 3, 4])
        self.assertTrue(lines[2]["form"].startswith("pss-fiscal=1\nkind=cash.move\n"))
        self.assertIn("\nextra.amount=250\n", lines[2]["form"])
        period = self.ctx.fiscal_archive(CONFIG_ID, 2, 3).splitlines()
        self.assertEqual(len(period), 3)
        with self.assertRaises(possession.InvalidError):
            self.ctx.fiscal_archive(CONFIG_ID, 3, 9)

    def test_an_altered_event_is_found_at_its_seq(self):
        key = self.fiscal_keys()[1]  # event 2, the cash in
        record = self.store.records[key]
        self.store.records[key] = record._replace(
            payload=record.payload.replace("amount=250", "amount=2500"))
        verdict = self.ctx.fiscal_verify(CONFIG_ID)
        self.assertFalse(verdict.whole)
        self.assertEqual((verdict.events, verdict.first_bad_seq, verdict.problem),
                         (1, 2, "changed"))
        self.assertIn("breaks at event 2 (changed", verdict.detail)
        with self.assertRaises(possession.CorruptError):
            self.ctx.fiscal_archive(CONFIG_ID)


class HmacSigner:
    """A signer for the test: HMAC-SHA256 under a key it holds (a real one is a TSE, an HSM
    or an Ed25519 key); it declines while offline, and gives garbage when told to."""

    def __init__(self):
        self.key = b"test key"
        self.offline = False
        self.garbage = False

    def sign(self, digest):
        if self.offline:
            return None
        if self.garbage:
            return (b"", "k1")
        return (hmac.new(self.key, digest, hashlib.sha256).digest(), "hmac-k1")

    def check(self, digest, signature, key_id):
        return key_id == "hmac-k1" and hmac.compare_digest(
            signature, hmac.new(self.key, digest, hashlib.sha256).digest())


class Signatures(unittest.TestCase):
    def test_signed_declined_resigned(self):
        store = DictStore()
        ctx = possession.Context(store, clock=Clock())
        signer = HmacSigner()
        ctx.set_signer(signer)
        saved_config(ctx)
        session = open_session(ctx, "10.00")                   # 1, signed
        signer.offline = True
        session.cash_in(ALICE, "1.00", "float")                # 2, unsigned: the call succeeds
        signer.offline, signer.garbage = False, True
        session.cash_in(ALICE, "2.00", "float")                # 3, unsigned: garbage
        signer.garbage = False
        verdict = ctx.fiscal_verify(CONFIG_ID)
        self.assertEqual((verdict.events, verdict.unsigned_events, verdict.whole), (3, 2, True))
        third = store.records[("fiscal", CONFIG_ID + ":00000000000000000003")]
        self.assertIn('"sign_error":"the signer returned no usable signature (0 bytes', third.payload)
        self.assertEqual(ctx.fiscal_resign(CONFIG_ID), 2)
        self.assertEqual(ctx.fiscal_verify(CONFIG_ID).unsigned_events, 0)
        signed = store.records[("fiscal", CONFIG_ID + ":00000000000000000002")]
        self.assertIn('"key":"hmac-k1"', signed.payload)
        # a signature altered in the store
        bad = json.loads(signed.payload)
        bad["sig"] = ("0" if bad["sig"][0] != "0" else "1") + bad["sig"][1:]
        store.records[signed[:2]] = signed._replace(payload=json.dumps(bad, separators=(",", ":")))
        verdict = ctx.fiscal_verify(CONFIG_ID)
        self.assertEqual((verdict.first_bad_seq, verdict.problem), (2, "bad signature"))

    def test_a_signer_that_raises_declines(self):
        class Broken:
            def sign(self, digest):
                raise RuntimeError("device unplugged")
        ctx = possession.Context(DictStore(), clock=Clock())
        ctx.set_signer(Broken())
        saved_config(ctx)
        seen = []
        old_hook, sys.unraisablehook = sys.unraisablehook, seen.append
        try:
            open_session(ctx, "10.00")  # succeeds, unsigned
        finally:
            sys.unraisablehook = old_hook
        self.assertEqual(ctx.fiscal_verify(CONFIG_ID).unsigned_events, 1)
        self.assertEqual(str(seen[0].exc_value), "device unplugged")
        with self.assertRaises(TypeError):
            ctx.set_signer(object())
        ctx.set_signer(None)
        with self.assertRaises(possession.StateError):
            ctx.fiscal_resign(CONFIG_ID)


if __name__ == "__main__":
    unittest.main()

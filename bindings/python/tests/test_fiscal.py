"""The fiscal chain from Python (doc/fiscal.md): a shift's events verify, an archive of them
proves the same, and an event altered in the store is found at its seq, answered rather
than raised."""

import json
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


if __name__ == "__main__":
    unittest.main()

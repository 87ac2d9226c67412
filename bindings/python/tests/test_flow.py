"""The whole day from Python: open, sell in cash and by card, refund, take cash out, count
short, the close refused for the cashier with the figures, closed by the manager, the
report, the journal entry and its ledger text."""

import io
import unittest
from decimal import Decimal

import possession
from possession import Line, SessionState, OrderState
from helpers import ALICE, MIA, CONFIG_ID, DATE, Clock, croissants, saved_config


class WholeDay(unittest.TestCase):
    def setUp(self):
        self.store = possession.MemoryStore()
        self.ctx = possession.Context(self.store, clock=Clock())
        self.config = saved_config(self.ctx)

    def tearDown(self):
        self.ctx.close()
        self.store.close()

    def test_the_day(self):
        s = self.ctx.create_session(self.config, ALICE, operating_date=DATE)
        self.assertEqual(s.state, SessionState.NEW)
        self.assertEqual(repr(s), "<Session POS-0001/00001 new alice>")
        s.open(ALICE, "0.00", note="float from yesterday")
        s.cash_in(ALICE, Decimal("100.00"), "float from the safe")

        # A cash sale: 2 croissants (1.50, VAT10 included) and a book (20.00); 30.00 given.
        sale = s.create_order(ALICE, [croissants(2), Line("book-1", "20.00", category="books")])
        self.assertEqual(sale.total, Decimal("23.00"))
        sale.add_payment(ALICE, "Cash", "30.00")
        self.assertEqual(sale.state, OrderState.PAID)
        self.assertEqual(sale.totals.change, Decimal("7.00"))
        self.assertEqual(sale.payments[0].change, Decimal("7.00"))
        self.assertEqual(sale.lines[0].tax, Decimal("0.27"))

        # A card sale: the terminal's payment starts pending until confirmed.
        card = s.create_order(ALICE, [Line("coffee", "2.50", 4, taxes=["VAT10"])])
        i = card.add_payment(ALICE, "Card", "10.00", reference="T-1")
        self.assertEqual(card.payments[i].state, possession.PaymentState.PENDING)
        card.confirm_payment(ALICE, i)
        self.assertEqual(card.state, OrderState.PAID)

        # A refund of one croissant, paid back in cash.
        refund = s.create_order(ALICE, [Line.refund(0, -1)], refund_of=sale)
        self.assertEqual(refund.total, Decimal("-1.50"))
        refund.add_payment(ALICE, "Cash", "-1.50")
        self.assertEqual(refund.state, OrderState.PAID)

        s.cash_out(ALICE, "50.00", "to the safe")
        # 0 + 100 in + 30 - 7 change - 1.50 refund - 50 out
        self.assertEqual(s.expected_cash, Decimal("71.50"))
        self.assertEqual(s.posted_balance, Decimal("31.50"))

        s.start_closing(ALICE)
        s.count(ALICE, denominations={"20": 2, "10": 2, "5": 1, "0.50": 1},
                methods={"Card": "10.00"})
        # 65.50 counted against 71.50 expected: -6.00 is within the 10.00 a cashier may
        # close with, so alice closes and the difference is posted.
        s.close(ALICE)
        self.assertEqual(s.state, SessionState.CLOSED)
        report = s.report()
        self.assertEqual(report.counted_cash, Decimal("65.50"))
        self.assertEqual(report.difference, Decimal("-6.00"))
        self.assertEqual((report.orders, report.refunds), (2, 1))
        card_totals = [m for m in report.methods if m.name == "Card"][0]
        self.assertEqual((card_totals.net, card_totals.counted), (Decimal("10.00"), Decimal("10.00")))
        entry = s.entry()
        lines = {(l.kind, l.account): (l.debit, l.credit) for l in entry}
        self.assertEqual(lines[("payment", "Assets:Card")], (Decimal("10.00"), Decimal("0.00")))
        self.assertEqual(lines[("closing_difference", "Expenses:Cash Short")],
                         (Decimal("6.00"), Decimal("0.00")))
        self.assertIn(("refund", "Income:Sales"), lines)
        self.assertEqual(lines[("sales", "Income:Books")], (Decimal("0.00"), Decimal("20.00")))
        self.assertEqual(sum(l.debit for l in entry), sum(l.credit for l in entry))
        self.assertIn("Expenses:Cash Short  EUR 6.00", entry.ledger())
        with self.assertRaises(possession.ClosedError):
            s.create_order(ALICE, [croissants(1)])

    def test_count_short_refused_then_manager(self):
        s = self.ctx.create_session(CONFIG_ID, ALICE, operating_date=DATE)
        s.open(ALICE, "0")
        s.cash_in(ALICE, "100.00", "float")
        sale = s.create_order(ALICE, [croissants(2)])
        sale.add_payment(ALICE, "Cash", "3.00")
        s.cash_out(ALICE, "20.00", "to the safe")
        s.start_closing(ALICE)
        s.count(ALICE, "68.00")
        with self.assertRaises(possession.CashDifferenceError) as refused:
            s.close(ALICE)
        e = refused.exception
        self.assertEqual(e.expected, Decimal("83.00"))
        self.assertEqual(e.counted, Decimal("68.00"))
        self.assertEqual(e.difference, Decimal("-15.00"))
        self.assertEqual(e.allowed, Decimal("10.00"))
        self.assertEqual(str(e.difference), "-15.00")
        self.assertEqual(s.state, SessionState.CLOSING_CONTROL)

        s.close(MIA, note="short, counted twice")
        self.assertEqual(s.state, SessionState.CLOSED)

        # Every close attempt is in the audit trail with its figures and outcome.
        closes = [a for a in s.audit() if a.action == "session.close"]
        self.assertEqual([(a.user, a.outcome) for a in closes], [("alice", -13), ("mia", 0)])
        self.assertEqual(closes[0].difference, Decimal("-15.00"))
        self.assertFalse(closes[0].ok)

        report = s.report()
        self.assertEqual(report.expected_cash, Decimal("83.00"))
        self.assertEqual(report.counted_cash, Decimal("68.00"))
        self.assertEqual(report.difference, Decimal("-15.00"))
        self.assertEqual(report.orders, 1)
        self.assertEqual(report.closed_by, "mia")
        self.assertEqual(report.closing_note, "short, counted twice")
        self.assertIn("Difference", report.text)
        self.assertEqual(str(report), report.text)
        cash = [m for m in report.methods if m.is_cash][0]
        self.assertEqual((cash.expected, cash.counted), (Decimal("83.00"), Decimal("68.00")))
        self.assertEqual(report.products[0].sold, Decimal("2.000"))

        entry = s.entry()
        self.assertEqual(entry.reference, "POS-0001/00001")
        debits = sum((line.debit for line in entry), Decimal("0.00"))
        credits = sum((line.credit for line in entry), Decimal("0.00"))
        self.assertEqual(debits, credits)
        self.assertEqual(debits, entry.total)
        kinds = {line.kind for line in entry}
        self.assertTrue({"payment", "sales", "tax", "cash_in", "cash_out",
                         "closing_difference"} <= kinds)
        short = [l for l in entry if l.kind == "closing_difference" and l.debit]
        self.assertEqual(short[0].account, "Expenses:Cash Short")
        self.assertEqual(short[0].debit, Decimal("15.00"))
        ledger = entry.ledger()
        self.assertIn("2026-11-21 POS-0001/00001", ledger)
        self.assertIn("Expenses:Cash Short  EUR 15.00", ledger)
        buffer = io.StringIO()
        self.assertIsNone(entry.ledger(buffer))
        self.assertEqual(buffer.getvalue(), ledger)
        csv = entry.csv()
        self.assertTrue(csv.startswith("entry_id,date,reference,account"))
        self.assertEqual(len(entry.csv(header=False).splitlines()), len(entry))
        self.assertEqual(self.ctx.ledger(self.config), ledger)
        self.assertEqual(self.ctx.load_entry(entry.id).total, entry.total)
        self.assertEqual(report.entry_id, entry.id)

        # The next session expects the cash counted at this close.
        nxt = self.ctx.create_session(self.config, ALICE, operating_date="2026-11-22")
        self.assertEqual(nxt.opening_expected, Decimal("68.00"))

    def test_force_close_and_lookups(self):
        s = self.ctx.create_session(self.config, ALICE, operating_date=DATE)
        s.open(ALICE, "0")
        s.create_order(ALICE, [croissants(1)])  # left as a draft
        self.assertEqual(s.drafts, 1)
        found = self.ctx.find_open_session(self.config)
        self.assertEqual(found.id, s.id)
        self.assertEqual(self.ctx.session_ids(self.config, states=["in_progress"]), [s.id])
        s.force_close(possession.Actor("ada", "admin", "office"), "till died",
                      counted_cash="0.00")
        s.refresh()
        self.assertEqual(s.state, SessionState.CLOSED)
        self.assertIsNone(self.ctx.find_open_session(self.config))
        self.assertEqual(self.ctx.session_ids(self.config, states=[SessionState.CLOSED]), [s.id])
        self.assertEqual(self.ctx.load_session(s.id).state, SessionState.CLOSED)
        self.assertEqual(s.report().cancelled, 1)


if __name__ == "__main__":
    unittest.main()

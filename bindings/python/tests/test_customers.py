"""Customers and split receivables through the binding (doc/concepts.md, "Customers"): an
order's customer (the host's partner id) given on create_order, submit and in a batch, read
back as Order.customer; with the config's split_receivables the entry credits each
customer's invoiced orders on a receivable line of its own, EntryLine.partner naming the
customer, the rest on the combined line. The figures are those of tests/core/customers.c."""

import json
import unittest
from decimal import Decimal

import possession
from possession import Line, Payment
from helpers import ALICE, CONFIG_ID, Clock, DictStore, open_session, saved_config

D = Decimal


def order_id(n):
    return "000000c5-0000-4000-8000-%012d" % n


class Base(unittest.TestCase):
    split = True

    def setUp(self):
        self.store = DictStore()
        self.ctx = possession.Context(self.store, clock=Clock())
        self.config = saved_config(self.ctx, split_receivables=self.split)
        self.s = open_session(self.ctx)
        self.n = 0

    def sell_to(self, customer, invoiced, price, id=None):
        if id is None:
            self.n += 1
            id = order_id(self.n)
        return self.s.submit(ALICE, id, [Line("desk", price)], [Payment("Voucher", price)],
                             customer=customer, invoiced=invoiced)

    def day(self):
        """C-1 buys twice on invoice (12.00 and 8.00), C-2 once (5.00), someone without a
        customer once (3.00), and C-1 once more without an invoice (4.00)."""
        self.sell_to("C-1", True, "12.00")
        self.sell_to("C-2", True, "5.00")
        self.sell_to("C-1", True, "8.00")
        self.sell_to(None, True, "3.00")
        self.sell_to("C-1", False, "4.00")

    def receivables(self):
        self.s.start_closing(ALICE)
        self.s.count(ALICE, "0.00")
        self.s.close(ALICE)
        entry = self.s.entry()
        self.assertEqual(entry.total, D("32.00"))
        return [(line.account, line.credit, line.label, line.partner)
                for line in entry if line.kind == "receivable"]

    def refused(self, cls, fn, *args, **kwargs):
        before = self.store.content()
        with self.assertRaises(cls) as caught:
            fn(*args, **kwargs)
        self.assertIs(type(caught.exception), cls)
        self.assertEqual(self.store.content(), before)
        return caught.exception


class Split(Base):
    def test_each_customers_invoiced_orders_on_a_line_of_their_own(self):
        self.day()
        self.s.verify()
        self.assertEqual(self.receivables(), [
            ("Assets:POS Receivable", D("20.00"), "Invoiced orders of C-1", "C-1"),
            ("Assets:POS Receivable", D("5.00"), "Invoiced orders of C-2", "C-2"),
            ("Assets:POS Receivable", D("3.00"), "Invoiced orders", None),
        ])
        self.assertIn("    Assets:POS Receivable  EUR -20.00  ; Invoiced orders of C-1\n",
                      self.ctx.ledger(CONFIG_ID))
        # The other lines have no partner; the entry read again says the same.
        entry = self.ctx.load_entry(self.s.entry().id)
        self.assertEqual([line.partner for line in entry if line.kind != "receivable"],
                         [None] * (len(entry) - 3))
        self.assertEqual([line.partner for line in entry if line.kind == "receivable"],
                         ["C-1", "C-2", None])

    def test_the_option_travels_in_the_configs_json(self):
        doc = json.loads(self.config.to_json())
        self.assertIs(doc["split_receivables"], True)
        again = self.ctx.config_from_json(self.config.to_json())
        self.assertIs(json.loads(again.to_json())["split_receivables"], True)


class Combined(Base):
    split = False

    def test_one_line_for_all_without_the_option(self):
        self.day()
        self.assertEqual(self.receivables(), [
            ("Assets:POS Receivable", D("28.00"), "Invoiced orders", None),
        ])
        self.assertIs(json.loads(self.config.to_json())["split_receivables"], False)


class Customer(Base):
    def test_read_back_from_a_draft_a_submit_and_a_batch(self):
        self.sell_to("C-é", True, "12.00", id=order_id(1))
        self.assertEqual(self.s.load_order(order_id(1)).customer, "C-é")
        draft = self.s.create_order(ALICE, [Line("desk", "1.00")], customer="C-2")
        self.assertEqual(draft.customer, "C-2")
        self.assertIsNone(self.s.create_order(ALICE, [Line("desk", "1.00")]).customer)
        accepted, results = self.s.submit_batch(ALICE, [
            dict(id=order_id(2), lines=[Line("desk", "2.00")],
                 payments=[Payment("Voucher", "2.00")], customer="C-3", invoiced=True),
            dict(id=order_id(3), lines=[Line("desk", "2.00")],
                 payments=[Payment("Voucher", "2.00")], customer="C-\t3")])
        self.assertEqual(accepted, 1)
        self.assertEqual([r.status for r in results], [0, possession.InvalidError.code])
        self.assertEqual(self.s.load_order(order_id(2)).customer, "C-3")

    def test_the_customer_is_content_and_bad_ids_change_nothing(self):
        self.sell_to("C-1", True, "12.00", id=order_id(1))
        self.assertTrue(self.sell_to("C-1", True, "12.00", id=order_id(1)).duplicate)
        self.refused(possession.ConflictError, self.sell_to, "C-2", True, "12.00",
                     id=order_id(1))
        e = self.refused(possession.InvalidError, self.sell_to, "C-\t1", True, "12.00")
        self.assertIn("customer id", e.detail)
        self.refused(possession.InvalidError, self.sell_to, "x" * 201, True, "12.00")
        with self.assertRaises(TypeError):
            self.sell_to(7, True, "12.00")


if __name__ == "__main__":
    unittest.main()

"""Exchanges and returns without a receipt through the binding (doc/concepts.md, "Returns
and exchanges"): a refund order (refund_of) holding new sale lines beside its refund lines,
the customer paying or getting back the difference; a line with a negative quantity and no
refund_line taking a product back without a receipt, where the config allows it
(allow_receiptless_returns), for the role it names (receiptless_return_role), with the
order's return_reason, audited as order.return. The figures are those of
tests/core/returns.c."""

import json
import unittest
from decimal import Decimal

import possession
from possession import Line, OrderState, Payment, Role, TaxRounding
from helpers import ADA, ALICE, MIA, Clock, DictStore, open_session, saved_config

D = Decimal


def order_id(n):
    return "000000e1-0000-4000-8000-%012d" % n


def kettle():
    """A kettle of 20.00 + 20% coming back without its ticket."""
    return Line("kettle", "20.00", -1, taxes=["VAT20"])


class Base(unittest.TestCase):
    rounding = TaxRounding.PER_LINE
    options = {}
    opening = "0.00"

    def setUp(self):
        self.store = DictStore()
        self.ctx = possession.Context(self.store, clock=Clock())
        self.config = saved_config(self.ctx, tax_rounding=self.rounding, **self.options)
        self.s = open_session(self.ctx, self.opening)

    def refused(self, cls, message, fn, *args, **kwargs):
        """fn raises exactly cls with the message, and the store is as it was."""
        before = self.store.content()
        with self.assertRaises(cls) as caught:
            fn(*args, **kwargs)
        e = caught.exception
        self.assertIs(type(e), cls)
        self.assertEqual(e.detail, message)
        self.assertEqual(self.store.content(), before)
        return e

    def close_lines(self):
        """Closes with the expected cash counted; the entry's lines."""
        expected = self.s.expected_cash
        self.s.start_closing(ALICE)
        self.s.count(ALICE, expected)
        self.s.close(MIA)
        return [(line.account, line.debit, line.credit, line.label) for line in self.s.entry()]


class Exchanges(Base):
    def test_a_mug_for_a_cup_then_for_a_spoon(self):
        # Two mugs at 12.00 + 20%: 28.80 in cash.
        self.s.submit(ALICE, order_id(1), [Line("mug", "12.00", 2, taxes=["VAT20"])],
                      [Payment("Cash", "28.80")])
        # One comes back for a cup of 15.00 + 20%: -14.40 + 18.00, the customer pays 3.60.
        r = self.s.submit(ALICE, order_id(2), [Line.refund(0),
                                               Line("cup", "15.00", taxes=["VAT20"])],
                          [Payment("Cash", "3.60")], refund_of=order_id(1))
        self.assertEqual(r.state, OrderState.PAID)
        cup = self.s.load_order(order_id(2))
        self.assertEqual(cup.refund_of, order_id(1))
        self.assertEqual(cup.total, D("3.60"))
        self.assertEqual([(line.product_id, line.quantity, line.refund_line, line.total)
                          for line in cup.lines],
                         [("mug", D("-1.000"), 0, D("-14.40")),
                          ("cup", D("1.000"), None, D("18.00"))])
        # The other comes back for a spoon of 5.00 + 20%: -14.40 + 6.00, 8.40 back.
        self.s.submit(ALICE, order_id(3), [Line.refund(0), Line("spoon", "5.00",
                                                                taxes=["VAT20"])],
                      [Payment("Cash", "-8.40")], refund_of=order_id(1))
        self.assertEqual(self.s.load_order(order_id(3)).total, D("-8.40"))
        # A third mug cannot come back: two were sold.
        e = self.refused(possession.RefundError,
                         "line 0 ('mug') of order %s sold 2.000 and 2.000 are already "
                         "refunded; refunding 1.000 more is refused" % order_id(1),
                         self.s.submit, ALICE, order_id(4),
                         [Line.refund(0), Line("cup", "15.00", taxes=["VAT20"])],
                         [Payment("Cash", "3.60")], refund_of=order_id(1))
        self.assertEqual(e.available, D("0.000"))
        self.s.verify()
        self.assertEqual(self.s.expected_cash, D("24.00"))  # 28.80 + 3.60 - 8.40
        # Sales 24.00 + 15.00 + 5.00, refunds 24.00.
        self.assertEqual(self.close_lines(), [
            ("Assets:Cash", D("24.00"), D("0.00"), "Payments Cash"),
            ("Income:Sales", D("0.00"), D("44.00"), "Sales VAT20"),
            ("Income:Sales", D("24.00"), D("0.00"), "Refunds VAT20"),
            ("Liabilities:VAT20", D("0.00"), D("8.80"), "Tax VAT20"),
            ("Liabilities:VAT20", D("4.80"), D("0.00"), "Refunded tax VAT20"),
        ])


class EvenExchange(Base):
    rounding = TaxRounding.PER_ORDER

    def test_a_mug_for_a_mug_of_another_colour_is_paid_at_once(self):
        self.s.submit(ALICE, order_id(1), [Line("mug", "12.00", taxes=["VAT20"])],
                      [Payment("Cash", "14.40")])
        r = self.s.submit(ALICE, order_id(2), [Line.refund(0),
                                               Line("mug-blue", "12.00", taxes=["VAT20"])],
                          [], refund_of=order_id(1))
        self.assertEqual(r.state, OrderState.PAID)
        swap = self.s.load_order(order_id(2))
        self.assertEqual((swap.total, swap.totals.due, swap.payments), (D("0.00"), D("0.00"), ()))
        lines = self.close_lines()
        self.assertIn(("Income:Sales", D("0.00"), D("24.00"), "Sales VAT20"), lines)
        self.assertIn(("Income:Sales", D("12.00"), D("0.00"), "Refunds VAT20"), lines)

    def test_a_draft_even_exchange_is_validated(self):
        self.s.submit(ALICE, order_id(1), [Line("mug", "12.00", taxes=["VAT20"])],
                      [Payment("Cash", "14.40")])
        swap = self.s.create_order(ALICE, [Line.refund(0),
                                           Line("mug-blue", "12.00", taxes=["VAT20"])],
                                   refund_of=order_id(1))
        self.assertEqual((swap.state, swap.total), (OrderState.DRAFT, D("0.00")))
        swap.validate(ALICE)
        self.assertEqual(swap.state, OrderState.PAID)


class WithoutReceipt(Base):
    options = dict(allow_receiptless_returns=True)
    opening = "50.00"

    def test_a_kettle_taken_back_by_a_manager_with_a_reason(self):
        self.refused(possession.AccessDeniedError,
                     "alice (cashier) may not take back 'kettle' without a receipt: it takes "
                     "a manager", self.s.submit, ALICE, order_id(1), [kettle()],
                     [Payment("Cash", "-24.00")], return_reason="no ticket")
        self.refused(possession.InvalidError,
                     "order %s takes back 'kettle' without a receipt and gives no "
                     "return_reason" % order_id(1), self.s.submit, MIA, order_id(1),
                     [kettle()], [Payment("Cash", "-24.00")])
        self.refused(possession.InvalidError,
                     "order %s takes back 'kettle' without a receipt and gives no "
                     "return_reason" % order_id(1), self.s.submit, MIA, order_id(1),
                     [kettle()], [Payment("Cash", "-24.00")], return_reason="")
        r = self.s.submit(MIA, order_id(1), [kettle()], [Payment("Cash", "-24.00")],
                          return_reason="no ticket, regular customer")
        self.assertEqual(r.state, OrderState.PAID)
        o = self.s.load_order(order_id(1))
        self.assertEqual(o.total, D("-24.00"))
        self.assertIsNone(o.refund_of)
        self.assertEqual([(line.quantity, line.refund_line, line.untaxed, line.tax)
                          for line in o.lines], [(D("-1.000"), None, D("-20.00"), D("-4.00"))])
        returns = [a for a in self.s.audit() if a.action == "order.return"]
        self.assertEqual(len(returns), 1)
        a = returns[0]
        self.assertTrue(a.ok)
        self.assertEqual((a.user, a.role, a.reason), ("mia", Role.MANAGER,
                                                      "no ticket, regular customer"))
        self.assertEqual(json.loads(a.json)["extra"],
                         {"order": order_id(1), "product": "kettle", "quantity": -1000,
                          "total": -2400})
        # The reason is part of the order: the same order with another reason conflicts.
        before = self.store.content()
        with self.assertRaises(possession.ConflictError):
            self.s.submit(MIA, order_id(1), [kettle()], [Payment("Cash", "-24.00")],
                          return_reason="another")
        self.assertEqual(self.store.content(), before)
        self.s.verify()
        self.assertEqual(self.close_lines(), [
            ("Assets:Cash", D("0.00"), D("24.00"), "Payments Cash"),
            ("Income:Sales", D("20.00"), D("0.00"), "Refunds VAT20"),
            ("Liabilities:VAT20", D("4.00"), D("0.00"), "Refunded tax VAT20"),
            ("Assets:Cash", D("50.00"), D("0.00"), "Opening cash difference"),
            ("Income:Cash Over", D("0.00"), D("50.00"), "Opening cash difference"),
        ])

    def test_beside_a_sale_on_a_draft(self):
        self.s.take_over(MIA)
        o = self.s.create_order(MIA, [Line("tea", "5.00"), kettle()], return_reason="broken")
        self.assertEqual(o.total, D("-19.00"))
        o.add_payment(MIA, "Cash", "-19.00")
        self.assertEqual(o.state, OrderState.PAID)
        self.assertEqual([a.reason for a in self.s.audit() if a.action == "order.return"],
                         ["broken"])

    def test_the_options_travel_in_the_configs_json(self):
        doc = json.loads(self.config.to_json())
        self.assertEqual((doc["receiptless_returns"], doc["receiptless_return_role"]),
                         (True, "manager"))


class WithoutReceiptPerOrder(WithoutReceipt):
    rounding = TaxRounding.PER_ORDER


class ByACashier(Base):
    options = dict(allow_receiptless_returns=True, receiptless_return_role="cashier")

    def test_a_cashier_may_when_the_config_says_so(self):
        self.s.submit(ALICE, order_id(1), [kettle()], [Payment("Voucher", "-24.00")],
                      return_reason="no ticket")
        self.assertEqual(self.s.load_order(order_id(1)).total, D("-24.00"))
        self.assertEqual(json.loads(self.config.to_json())["receiptless_return_role"],
                         "cashier")


class ByAnAdmin(Base):
    options = dict(allow_receiptless_returns=True, receiptless_return_role=Role.ADMIN)

    def test_a_manager_may_not_when_it_takes_an_admin(self):
        self.refused(possession.AccessDeniedError,
                     "mia (manager) may not take back 'kettle' without a receipt: it takes an "
                     "admin", self.s.submit, MIA, order_id(1), [kettle()],
                     [Payment("Voucher", "-24.00")], return_reason="no ticket")
        self.s.submit(ADA, order_id(1), [kettle()], [Payment("Voucher", "-24.00")],
                      return_reason="no ticket")

    def test_a_bad_role_is_refused_with_the_values_it_takes(self):
        with self.assertRaises(possession.InvalidError) as caught:
            self.ctx.new_config(receiptless_return_role="boss")
        self.assertEqual(str(caught.exception),
                         "receiptless_return_role must be one of 'none', 'cashier', "
                         "'manager', 'admin' (or possession.Role), not 'boss'")


class NotAllowed(Base):
    opening = "50.00"

    def test_without_the_option_no_one_may(self):
        self.refused(possession.InvalidError,
                     "line of 'kettle' takes it back without a receipt, and config 'Main "
                     "register' does not allow returns without a receipt (give refund_of and "
                     "refund_line)", self.s.submit, ADA, order_id(1), [kettle()],
                     [Payment("Cash", "-24.00")], return_reason="no ticket")
        doc = json.loads(self.config.to_json())
        self.assertEqual((doc["receiptless_returns"], doc["receiptless_return_role"]),
                         (False, "manager"))

    def test_in_a_batch_the_refusal_is_that_orders_alone(self):
        accepted, results = self.s.submit_batch(ADA, [
            dict(id=order_id(1), lines=[kettle()], payments=[Payment("Cash", "-24.00")],
                 return_reason="no ticket"),
            dict(id=order_id(2), lines=[Line("tea", "5.00")],
                 payments=[Payment("Cash", "5.00")])])
        self.assertEqual(accepted, 1)
        self.assertEqual([r.status for r in results], [possession.InvalidError.code, 0])


class ReturnReason(Base):
    """The order's return reason read back (pss_order_return_reason)."""
    options = dict(allow_receiptless_returns=True)
    opening = "50.00"

    def test_read_back(self):
        self.s.submit(MIA, order_id(1), [kettle()], [Payment("Cash", "-24.00")],
                      return_reason="no ticket, régulier")
        self.assertEqual(self.s.load_order(order_id(1)).return_reason, "no ticket, régulier")
        self.s.take_over(MIA)
        draft = self.s.create_order(MIA, [Line("tea", "5.00"), kettle()],
                                    return_reason="broken")
        self.assertEqual(draft.return_reason, "broken")
        self.assertEqual(self.s.load_order(draft.id).return_reason, "broken")
        sale = self.s.create_order(MIA, [Line("tea", "5.00")])
        self.assertIsNone(sale.return_reason)


if __name__ == "__main__":
    unittest.main()

"""Order-level discounts through the binding (doc/concepts.md, "Order discounts"): an amount
in the currency (discount_amount) or a percent of the order (discount_percent), shared over
the lines by largest remainder, the earlier line first on a tie, and read back as
Order.discount and each line's OrderLine.order_discount, as Decimal. The figures are those
of tests/core/discount.c, ERPNext's own cases among them."""

import unittest
from decimal import Decimal

import possession
from possession import Line, OrderDiscount, OrderState, Payment, TaxRounding
from helpers import ALICE, Clock, DictStore, open_session, saved_config

D = Decimal
SALE_ID = "000000d1-0000-4000-8000-000000000001"
OTHER_ID = "000000d1-0000-4000-8000-000000000002"
REFUND_ID = "000000d1-0000-4000-8000-000000000003"


def items(*prices, qty=1, taxes=()):
    return [Line("item", price, qty, taxes=taxes) for price in prices]


class Base(unittest.TestCase):
    rounding = TaxRounding.PER_LINE

    def setUp(self):
        self.store = DictStore()
        self.ctx = possession.Context(self.store, clock=Clock())
        saved_config(self.ctx, tax_rounding=self.rounding)
        self.s = open_session(self.ctx)

    def refused(self, cls, fn, *args, **kwargs):
        """fn raises exactly cls and the store is as it was; returns the exception."""
        before = self.store.content()
        with self.assertRaises(cls) as caught:
            fn(*args, **kwargs)
        e = caught.exception
        self.assertIs(type(e), cls)
        self.assertEqual(str(e), e.detail)
        self.assertEqual(self.store.content(), before)
        return e

    def shares(self, order):
        return [line.order_discount for line in order.lines]


class ERPNext(Base):
    def test_distributed_discount_amount(self):
        # 5 x 100.00 and 5 x 200.00, 100.00 off: 33.33 and 66.67, net 466.67 and 933.33.
        o = self.s.create_order(ALICE, [Line("item", "100.00", 5), Line("item", "200.00", 5)],
                                discount_amount="100.00")
        self.assertEqual(self.shares(o), [D("33.33"), D("66.67")])
        self.assertEqual([line.total for line in o.lines], [D("466.67"), D("933.33")])
        self.assertEqual(o.total, D("1400.00"))
        self.assertEqual(o.discount, OrderDiscount(D("100.00"), None, D("100.00")))
        self.assertEqual(str(o.discount.amount), "100.00")
        self.assertEqual(str(o.lines[0].order_discount), "33.33")

    def test_rounding_adjustment_lands_on_the_first_line(self):
        # Three lines of 100.00, 10.00 off: the spare unit goes to the earliest line (ERPNext
        # puts it on the second).
        o = self.s.create_order(ALICE, items("100.00", "100.00", "100.00"),
                                discount_amount=D("10.00"))
        self.assertEqual(self.shares(o), [D("3.34"), D("3.33"), D("3.33")])
        self.assertEqual([line.total for line in o.lines], [D("96.66"), D("96.67"), D("96.67")])
        self.assertEqual(o.total, D("290.00"))
        self.assertEqual(o.discount.applied, sum(self.shares(o)))
        # 10% of it: 30.00, exactly 10.00 a line.
        o = self.s.create_order(ALICE, items("100.00", "100.00", "100.00"),
                                discount_percent="10")
        self.assertEqual(self.shares(o), [D("10.00")] * 3)
        self.assertEqual(o.total, D("270.00"))
        self.assertEqual(o.discount, OrderDiscount(None, D("10"), D("30.00")))
        self.assertEqual(str(o.discount.percent), "10.0000")

    def test_no_discount(self):
        o = self.s.create_order(ALICE, items("100.00"))
        self.assertIsNone(o.discount)
        self.assertEqual(self.shares(o), [D("0.00")])
        o = self.s.create_order(ALICE, items("100.00"), discount_amount=0, discount_percent=0)
        self.assertIsNone(o.discount)


class IncludedTaxPerLine(Base):
    def test_distributed_discount_amount_with_taxes(self):
        # A 10% tax included in the prices: the shares come off the tax-included amounts;
        # net 424.25 and 848.48, net total 1272.73, total 1400.00.
        o = self.s.create_order(ALICE, [Line("item", "100.00", 5, taxes=["VAT10"]),
                                        Line("item", "200.00", 5, taxes=["VAT10"])],
                                discount_amount="100.00")
        t = o.totals
        self.assertEqual((t.total, t.untaxed, t.tax), (D("1400.00"), D("1272.73"), D("127.27")))
        self.assertEqual([line.total for line in o.lines], [D("466.67"), D("933.33")])
        self.assertEqual([line.untaxed for line in o.lines], [D("424.25"), D("848.48")])
        self.assertEqual(self.shares(o), [D("33.33"), D("66.67")])


class IncludedTaxPerOrder(IncludedTaxPerLine):
    rounding = TaxRounding.PER_ORDER


class PercentAndExcludedTax(Base):
    def test_a_percent_is_rounded_once_then_shared(self):
        # A third of 0.15 is 0.05 (half up); 0.0333.. and 0.0166..: the spare unit goes to
        # the larger remainder, the second line.
        o = self.s.create_order(ALICE, [Line("a", "0.10"), Line("b", "0.05")],
                                discount_percent="33.3333")
        self.assertEqual(self.shares(o), [D("0.03"), D("0.02")])
        self.assertEqual(o.total, D("0.10"))
        self.assertEqual(o.discount, OrderDiscount(None, D("33.3333"), D("0.05")))

    def test_an_excluded_tax_on_the_discounted_amount(self):
        # 10.00 off 50.00 net: 8.00 and 2.00; the lamp's 20% on 32.00 is 6.40.
        o = self.s.create_order(ALICE, [Line("lamp", "40.00", taxes=["VAT20"]),
                                        Line("bulb", "5.00", 2, taxes=["VAT20"])],
                                discount_amount="10.00")
        self.assertEqual(self.shares(o), [D("8.00"), D("2.00")])
        self.assertEqual((o.lines[0].untaxed, o.lines[0].tax), (D("32.00"), D("6.40")))
        self.assertEqual(o.lines[1].tax, D("1.60"))
        self.assertEqual(o.total, D("48.00"))


class Refused(Base):
    def test_the_librarys_refusals(self):
        tea = [Line("tea", "10.00")]
        e = self.refused(possession.InvalidError, self.s.create_order, ALICE, tea,
                         id=SALE_ID, discount_amount="10.01")
        self.assertEqual(e.detail, "order discount of 10.01 is larger than order %s (10.00)"
                         % SALE_ID)
        e = self.refused(possession.InvalidError, self.s.create_order, ALICE, tea,
                         discount_amount="1.00", discount_percent="10")
        self.assertEqual(e.detail, "an order discount is an amount or a percent, not both")
        # The library counts in ppm and minor units in these two.
        e = self.refused(possession.InvalidError, self.s.create_order, ALICE, tea,
                         discount_percent="100.0001")
        self.assertEqual(e.detail, "order discount of 1000001 ppm is outside 0 to 1000000")
        e = self.refused(possession.InvalidError, self.s.create_order, ALICE, tea,
                         discount_amount="-0.01")
        self.assertEqual(e.detail, "order discount -1 is outside 0 to the bound of an amount")
        e = self.refused(possession.InvalidError, self.s.create_order, ALICE, [], id=SALE_ID,
                         discount_amount="1.00")
        self.assertEqual(e.detail, "order discount of 1.00 is larger than order %s (0.00)"
                         % SALE_ID)
        # The whole order off is allowed.
        self.assertEqual(self.s.create_order(ALICE, tea, discount_percent=100).total, D("0.00"))

    def test_the_bindings_conversions(self):
        tea = [Line("tea", "10.00")]
        e = self.refused(possession.InvalidError, self.s.create_order, ALICE, tea,
                         discount_amount="1.001")
        self.assertEqual(e.detail, "order discount '1.001' is not a decimal number with at "
                                   "most 2 decimals")
        e = self.refused(possession.InvalidError, self.s.create_order, ALICE, tea,
                         discount_percent="10.00001")
        self.assertIn("order discount (percent)", e.detail)
        with self.assertRaises(TypeError):
            self.s.create_order(ALICE, tea, discount_amount=1.5)

    def test_a_refund_takes_its_discounts_from_the_sale(self):
        self.s.submit(ALICE, SALE_ID, [Line("tea", "10.00")], [Payment("Cash", "10.00")])
        e = self.refused(possession.InvalidError, self.s.create_order, ALICE,
                         [Line.refund(0)], refund_of=SALE_ID, discount_amount="1.00")
        self.assertEqual(e.detail, "a refund takes its discounts from the sale; it has no "
                                   "order discount of its own")


class DraftsAndSubmits(Base):
    def test_a_draft_re_shares_its_discount(self):
        o = self.s.create_order(ALICE, [Line("book", "30.00")], id=SALE_ID,
                                discount_amount="20.00")
        self.assertEqual(self.shares(o), [D("20.00")])
        o.add_line(ALICE, Line("pen", "10.00"))
        self.assertEqual(self.shares(o), [D("15.00"), D("5.00")])
        self.assertEqual(o.total, D("20.00"))
        e = self.refused(possession.InvalidError, o.remove_line, ALICE, 0)
        self.assertEqual(e.detail, "order discount of 20.00 is larger than order %s (10.00)"
                         % SALE_ID)
        self.assertEqual(len(o.lines), 2)
        o.add_payment(ALICE, "Cash", "20.00")
        self.assertEqual(o.state, OrderState.PAID)
        # Read back from the store, the same figures.
        again = self.s.load_order(SALE_ID)
        self.assertEqual(again.discount, OrderDiscount(D("20.00"), None, D("20.00")))
        self.assertEqual(self.shares(again), [D("15.00"), D("5.00")])
        # The pen's refund gives back 5.00, what it was sold for; a refund has no discount.
        self.s.submit(ALICE, REFUND_ID, [Line.refund(1)], [Payment("Cash", "-5.00")],
                      refund_of=SALE_ID)
        refund = self.s.load_order(REFUND_ID)
        self.assertEqual(refund.total, D("-5.00"))
        self.assertIsNone(refund.discount)
        self.s.verify()

    def test_the_discount_is_part_of_a_submitted_order(self):
        lines = items("100.00", "100.00", "100.00")
        r = self.s.submit(ALICE, SALE_ID, lines, [Payment("Cash", "290.00")],
                          discount_amount="10.00")
        self.assertEqual((r.state, r.duplicate), (OrderState.PAID, False))
        self.assertEqual(self.shares(self.s.load_order(SALE_ID)), [D("3.34"), D("3.33"),
                                                                   D("3.33")])
        r = self.s.submit(ALICE, SALE_ID, lines, [Payment("Cash", "290.00")],
                          discount_amount="10.00")
        self.assertTrue(r.duplicate)
        self.refused(possession.ConflictError, self.s.submit, ALICE, SALE_ID, lines,
                     [Payment("Cash", "290.00")], discount_amount="10.01")

    def test_a_batch_refuses_a_bad_discount_alone(self):
        accepted, results = self.s.submit_batch(ALICE, [
            dict(id=SALE_ID, lines=items("100.00", "200.00", qty=5),
                 payments=[Payment("Cash", "1400.00")], discount_amount="100.00"),
            dict(id=OTHER_ID, lines=items("10.00"), payments=[Payment("Cash", "9.99")],
                 discount_amount="0.001"),
            dict(id=REFUND_ID, lines=items("10.00"), payments=[Payment("Cash", "9.00")],
                 discount_percent="10"),
        ])
        self.assertEqual(accepted, 2)
        self.assertEqual([r.status for r in results], [0, possession.InvalidError.code, 0])
        self.assertEqual(results[1].detail, "order discount '0.001' is not a decimal number "
                                            "with at most 2 decimals")
        self.assertEqual(self.shares(self.s.load_order(SALE_ID)), [D("33.33"), D("66.67")])
        self.assertEqual(self.s.load_order(REFUND_ID).discount,
                         OrderDiscount(None, D("10"), D("1.00")))


if __name__ == "__main__":
    unittest.main()

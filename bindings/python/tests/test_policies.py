"""Issue 16 through the binding: the drawer pays out no more cash than it holds unless the
config allows a negative drawer (doc/concepts.md, "The drawer"), and the config's
late_orders policy decides where an order submitted to a session being counted or closed
goes (doc/close-flow.md, "Late orders"); both options survive the config's JSON
(doc/storage.md, "config"). Figures to the minor unit, refusals by class and exact detail."""

import json
import unittest
from decimal import Decimal

import possession
from possession import LateOrders, Line, OrderState, Payment, SessionState
from helpers import (ALICE, BOB, MIA, CONFIG_ID, DATE, Clock, DictStore, config_fields,
                     open_session, saved_config)

D = Decimal
REFUSED_50 = ("the drawer holds 45.00, cash out 50.00: session POS-0001/00001 cannot pay out "
              "more cash than it holds (config 'Main register' does not allow a negative "
              "drawer)")


class Base(unittest.TestCase):
    def setUp(self):
        self.store = DictStore()
        self.ctx = possession.Context(self.store, clock=Clock())

    def refused(self, cls, fn, *args, **kwargs):
        """fn raises exactly cls, and the store is as it was."""
        before = self.store.content()
        with self.assertRaises(cls) as caught:
            fn(*args, **kwargs)
        e = caught.exception
        self.assertIs(type(e), cls)
        self.assertEqual(e.code, cls.code)
        self.assertEqual(str(e), e.detail)
        self.assertEqual(self.store.content(), before)
        return e


class Drawer(Base):
    def test_a_cash_out_beyond_the_drawer_is_refused_with_its_figures(self):
        saved_config(self.ctx)
        s = open_session(self.ctx, "45.00")
        self.assertEqual(s.expected_cash, D("45.00"))
        e = self.refused(possession.DrawerError, s.cash_out, ALICE, "50.00", "to the bank")
        self.assertEqual(e.code, -24)
        self.assertEqual(e.detail, REFUSED_50)
        self.assertEqual((e.holds, e.amount), (D("45.00"), D("50.00")))
        self.assertEqual(e.figures, {"holds": D("45.00"), "amount": D("50.00")})
        self.assertEqual(str(e.holds), "45.00")
        self.assertEqual(s.expected_cash, D("45.00"))
        self.assertEqual(s.cash_movements(), [])
        # An expense one cent beyond, then one that empties it; cash in is no payout.
        e = self.refused(possession.DrawerError, s.expense, ALICE, "45.01", "stamps")
        self.assertTrue(e.detail.startswith("the drawer holds 45.00, expense 45.01: "), e.detail)
        self.assertEqual((e.holds, e.amount), (D("45.00"), D("45.01")))
        s.expense(ALICE, "45.00", "stamps")
        self.assertEqual(s.expected_cash, D("0.00"))
        e = self.refused(possession.DrawerError, s.cash_out, ALICE, "0.01", "to the bank")
        self.assertEqual((e.holds, e.amount), (D("0.00"), D("0.01")))
        s.cash_in(ALICE, "10.00", "float")
        s.cash_out(ALICE, "10.00", "to the bank")
        self.assertEqual(s.expected_cash, D("0.00"))
        self.assertEqual(possession.error_class(-24), possession.DrawerError)

    def test_a_negative_drawer_allowed_pays_out_and_closes(self):
        saved_config(self.ctx, allow_negative_drawer=True)
        s = open_session(self.ctx, "45.00")
        s.cash_out(ALICE, "50.00", "to the bank")
        self.assertEqual(s.expected_cash, D("-5.00"))
        s.start_closing(ALICE)
        s.count(ALICE, "0.00")
        s.close(ALICE)  # a difference of +5.00, within the 10.00 the cashier may close with
        self.assertEqual(s.state, SessionState.CLOSED)
        report = s.report()
        self.assertEqual((report.cash_out, report.expected_cash, report.counted_cash,
                          report.difference), (D("50.00"), D("-5.00"), D("0.00"), D("5.00")))

    def test_a_refund_in_cash_beyond_the_drawer(self):
        # A sale of 20.00 in cash, 15.00 to the bank: the drawer holds 5.00.
        saved_config(self.ctx)
        s = open_session(self.ctx)
        sale = dict(id="0000000d-0000-4000-8000-000000000001",
                    lines=[Line("kettle", "20.00")], payments=[Payment("Cash", "20.00")])
        s.submit(ALICE, **sale)
        s.cash_out(ALICE, "15.00", "to the bank")
        refund = dict(id="0000000d-0000-4000-8000-000000000002", refund_of=sale["id"],
                      lines=[Line.refund(0)], payments=[Payment("Cash", "-20.00")])
        e = self.refused(possession.DrawerError, s.submit, ALICE, **refund)
        self.assertEqual(e.detail, "the drawer holds 5.00, cash refund 20.00: session "
                                   "POS-0001/00001 cannot pay out more cash than it holds "
                                   "(config 'Main register' does not allow a negative drawer)")
        self.assertEqual((e.holds, e.amount), (D("5.00"), D("20.00")))
        # In a batch it is refused on its own; the sale beside it is recorded.
        more = dict(sale, id="0000000d-0000-4000-8000-000000000003")
        accepted, results = s.submit_batch(ALICE, [refund, more])
        self.assertEqual(accepted, 1)
        self.assertEqual([r.status for r in results], [-24, 0])
        self.assertIsInstance(results[0].error, possession.DrawerError)
        self.assertEqual(s.expected_cash, D("25.00"))
        # It holds 25.00 now: the same refund goes and leaves 5.00.
        self.assertEqual(s.submit(ALICE, **refund).state, OrderState.PAID)
        self.assertEqual(s.expected_cash, D("5.00"))
        # On a draft refund of the second sale: refused in cash, taken by card.
        draft = s.create_order(ALICE, [Line.refund(0)], refund_of=more["id"])
        e = self.refused(possession.DrawerError, draft.add_payment, ALICE, "Cash", "-20.00")
        self.assertEqual((e.holds, e.amount), (D("5.00"), D("20.00")))
        draft.add_payment(ALICE, "Card", "-20.00")
        self.assertEqual([(p.method, p.amount) for p in draft.payments], [("Card", D("-20.00"))])
        self.assertEqual(s.expected_cash, D("5.00"))


TEA = dict(lines=[Line("tea", "12.50")], payments=[Payment("Voucher", "12.50")])


def late(n):
    return dict(TEA, id="0000000a-0000-4000-8000-%012d" % n)


class LateOrdersPolicy(Base):
    def counted_session(self, **config):
        saved_config(self.ctx, **config)
        s = open_session(self.ctx)
        s.start_closing(ALICE)
        return s

    def test_route_by_default_sends_a_late_order_to_a_rescue_session(self):
        s = self.counted_session()
        res = s.submit(BOB, **late(1))  # a sync service: any cashier, once it is counted
        self.assertEqual((res.routed, res.rescue, res.duplicate, res.state),
                         (True, True, False, OrderState.PAID))
        self.assertNotEqual(res.session_id, s.id)
        rescue = self.ctx.load_session(res.session_id)
        self.assertEqual((rescue.name, rescue.is_rescue, rescue.posted_balance),
                         ("POS-0001/RESCUE-00001", True, D("12.50")))
        s.refresh()
        self.assertEqual((s.state, s.posted_balance), (SessionState.CLOSING_CONTROL, D("0.00")))
        again = s.submit(BOB, **late(1))
        self.assertEqual((again.duplicate, again.routed, again.rescue, again.session_id),
                         (True, True, True, res.session_id))

    def test_a_late_cash_refund_is_recorded_whatever_the_drawer_holds(self):
        # Two teas sold by voucher; one comes back for 12.50 in cash after the session
        # stopped trading. The rescue session's drawer holds 0.00: the refund is recorded.
        saved_config(self.ctx)
        s = open_session(self.ctx)
        sale = dict(id="0000000a-0000-4000-8000-000000000101",
                    lines=[Line("tea", "12.50", quantity=2)],
                    payments=[Payment("Voucher", "25.00")])
        s.submit(ALICE, **sale)
        s.start_closing(ALICE)
        res = s.submit(BOB, id="0000000a-0000-4000-8000-000000000102", refund_of=sale["id"],
                       lines=[Line.refund(0)], payments=[Payment("Cash", "-12.50")])
        self.assertEqual((res.routed, res.rescue, res.state), (True, True, OrderState.PAID))
        rescue = self.ctx.load_session(res.session_id)
        self.assertEqual(rescue.expected_cash, D("-12.50"))

    def test_route_sends_it_to_the_session_that_trades(self):
        saved_config(self.ctx, late_orders="route")
        first = open_session(self.ctx)
        first.start_closing(ALICE)
        first.count(ALICE, "0.00")
        first.close(ALICE)
        trading = open_session(self.ctx)
        res = first.submit(ALICE, **late(2))
        self.assertEqual((res.routed, res.rescue, res.session_id), (True, False, trading.id))
        trading.refresh()  # the handle is a view of the session as it read it
        self.assertEqual(trading.posted_balance, D("12.50"))

    def test_rescue_keeps_late_orders_apart_while_another_session_trades(self):
        saved_config(self.ctx, late_orders=LateOrders.RESCUE)
        first = open_session(self.ctx)
        first.start_closing(ALICE)
        first.count(ALICE, "0.00")
        first.close(ALICE)
        trading = open_session(self.ctx)
        res = first.submit(ALICE, **late(3))
        self.assertEqual((res.routed, res.rescue), (True, True))
        self.assertNotIn(res.session_id, (first.id, trading.id))
        self.assertEqual(self.ctx.load_session(res.session_id).name, "POS-0001/RESCUE-00001")
        trading.refresh()
        self.assertEqual(trading.posted_balance, D("0.00"))

    def test_refuse_while_counted_is_a_state_error_and_once_closed_a_closed_error(self):
        s = self.counted_session(late_orders="refuse")
        e = self.refused(possession.StateError, s.submit, BOB, **late(4))
        self.assertEqual(e.detail, "session POS-0001/00001 is being counted and config 'Main "
                                   "register' refuses late orders (late_orders: refuse); "
                                   "record the order in a session that trades")
        # A batch of new orders only, recorded nowhere, is refused whole.
        self.refused(possession.StateError, s.submit_batch, BOB, [late(4), late(5)])
        self.assertEqual(self.ctx.session_ids(CONFIG_ID), [s.id])
        s.count(ALICE, "0.00")
        s.close(ALICE)
        e = self.refused(possession.ClosedError, s.submit, BOB, **late(4))
        self.assertIn("session POS-0001/00001 is closed and config 'Main register' refuses "
                      "late orders (late_orders: refuse)", e.detail)
        self.assertEqual(self.ctx.session_ids(CONFIG_ID), [s.id])


class ConfigJson(Base):
    def test_the_options_are_in_the_json_and_survive_it(self):
        config = self.ctx.new_config(config_fields(late_orders="refuse",
                                                   allow_negative_drawer=True))
        text = config.to_json()
        doc = json.loads(text)
        self.assertEqual((doc["v"], doc["late_orders"], doc["allow_negative_drawer"]),
                         (2, "refuse", True))
        copy = self.ctx.config_from_json(text)
        self.assertEqual(copy.to_json(), text)
        # Every way of naming the policy gives the same config.
        for given in ("refuse", "REFUSE", LateOrders.REFUSE, 3):
            with self.subTest(late_orders=given):
                self.assertEqual(self.ctx.new_config(config_fields(
                    late_orders=given, allow_negative_drawer=True)).to_json(), text)
        # The defaults; None is the default too.
        plain = json.loads(self.ctx.new_config(config_fields()).to_json())
        self.assertEqual((plain["late_orders"], plain["allow_negative_drawer"]),
                         ("route", False))
        self.assertEqual(self.ctx.new_config(config_fields(late_orders=None)).to_json(),
                         self.ctx.new_config(config_fields()).to_json())

    def test_the_policy_read_from_json_is_the_one_applied(self):
        text = self.ctx.new_config(config_fields(late_orders="refuse")).to_json()
        other = DictStore()
        ctx = possession.Context(other, clock=Clock())
        ctx.config_from_json(text).save(MIA)
        s = ctx.create_session(CONFIG_ID, ALICE, operating_date=DATE)
        s.open(ALICE, "45.00")
        with self.assertRaises(possession.DrawerError):
            s.cash_out(ALICE, "50.00", "to the bank")
        s.start_closing(ALICE)
        with self.assertRaises(possession.StateError) as caught:
            s.submit(BOB, **late(6))
        self.assertIn("(late_orders: refuse)", caught.exception.detail)

    def test_a_version_1_record_reads_as_route_and_no_negative_drawer(self):
        doc = json.loads(self.ctx.new_config(config_fields(late_orders="rescue",
                                                           allow_negative_drawer=True)).to_json())
        doc["v"] = 1
        del doc["late_orders"], doc["allow_negative_drawer"]
        back = json.loads(self.ctx.config_from_json(json.dumps(doc)).to_json())
        self.assertEqual((back["v"], back["late_orders"], back["allow_negative_drawer"]),
                         (2, "route", False))


if __name__ == "__main__":
    unittest.main()

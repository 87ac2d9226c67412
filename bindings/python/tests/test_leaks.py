"""No leaked references or memory: a whole day (success paths and the usual exceptions,
a Python store with a failing callback) run many times leaves the total reference count
(debug builds: sys.gettotalrefcount) and traced memory where they were."""

import gc
import io
import sys
import tracemalloc
import unittest
from decimal import Decimal

import possession
from possession import Line, Payment
from helpers import ALICE, BOB, MIA, CONFIG_ID, DATE, Clock, DictStore, config_fields, \
    croissants, saved_config


def day(store):
    ctx = possession.Context(store, clock=Clock())
    saved_config(ctx, meta={"erp": 7}, split_receivables=True, allow_receiptless_returns=True,
                 receiptless_return_role="manager")
    with ctx.create_session(CONFIG_ID, ALICE, operating_date=DATE, meta='{"shift":1}') as s:
        s.open(ALICE, "0.00")
        o = s.create_order(ALICE, [croissants(2), Line("tea", Decimal("2.00"), taxes=["VAT20"])])
        o.add_payment(ALICE, "Cash", "10")
        _ = (o.totals, o.lines, o.taxes, o.payments, repr(o))
        s.submit(ALICE, "00000000-0000-4000-8000-000000000001", [croissants(1)],
                 [Payment("Cash", "1.50")], meta={"été": [1, 2]})
        s.submit(ALICE, "00000000-0000-4000-8000-000000000005", [croissants(2)],
                 [Payment("Voucher", "2.70")], discount_amount="0.30", customer="C-é",
                 invoiced=True)
        d = s.load_order("00000000-0000-4000-8000-000000000005")
        _ = (d.discount, d.lines, d.customer)
        d.release()
        s.submit(MIA, "00000000-0000-4000-8000-000000000006", [Line("mug", "2.00", -1)],
                 [Payment("Voucher", "-2.00")], return_reason="no ticket")
        o.set_meta(ALICE, {"batch": "B-1"})
        _ = (o.get_meta(), s.get_meta(parse=True), ctx.get_meta("config", CONFIG_ID),
             ctx.session_page(CONFIG_ID, limit=1), s.order_ids(["paid", "draft"]),
             list(ctx.iter_session_ids(CONFIG_ID, page_size=1)))
        for call in (lambda: s.create_order(BOB, [croissants()]),
                     lambda: o.add_payment(ALICE, "Cash", 1.5),
                     lambda: o.add_payment(ALICE, "Cash", "1.555"),
                     lambda: s.create_order(ALICE, [croissants()], discount_amount="0.001"),
                     lambda: s.create_order(ALICE, [croissants()], discount_amount="9.00"),
                     lambda: s.create_order(ALICE, [Line("mug", "2.00", -1)],
                                            return_reason="no ticket"),
                     lambda: s.cash_out(ALICE, "1000.00", "safe"),  # DrawerError, figures
                     lambda: s.create_order("alice", [croissants()]),
                     lambda: ctx.new_config(config_fields(id=None, currency="eur")),
                     lambda: ctx.new_config(config_fields(id=None, categories=[["books"]])),
                     lambda: o.set_meta(ALICE, "[1]"),
                     lambda: o.set_meta(ALICE, {"x": float("nan")}),
                     lambda: s.order_ids([]),
                     lambda: ctx.session_page(CONFIG_ID, after=CONFIG_ID),
                     lambda: ctx.session_page(CONFIG_ID, limit=-1)):
            try:
                call()
            except (possession.Error, TypeError):
                pass
        s.submit_batch(ALICE, [  # refused by the binding (twice), and by the library
            {"id": "00000000-0000-4000-8000-000000000002", "lines": [Line("tea", "2.005")]},
            {"id": "00000000-0000-4000-8000-000000000004", "lines": [croissants()],
             "meta": {"x": float("inf")}},
            {"id": "00000000-0000-4000-8000-000000000003",
             "lines": [Line("tea", "2.00", taxes=["VAT20"] * 9)]}])
        s.cash_out(ALICE, "1.00", "safe")
        s.cash_movements()
        s.start_closing(ALICE)
        s.count(ALICE, "30.00", methods={"Card": "0"})
        try:
            s.close(ALICE)
        except possession.CashDifferenceError as e:
            _ = (e.expected, e.difference)
        s.close(MIA)
        r = s.report()
        _ = (r.text, r.methods, r.products)
        e = s.entry()
        _ = (list(e), e.ledger(), e.csv(), e.ledger(io.StringIO()))
        e.release()
        ctx.audit(s)
    ctx.close()


def failing_store_day():
    store = DictStore()
    ctx = possession.Context(store, clock=Clock())
    saved_config(ctx)

    def put(record, expected_rev):
        raise RuntimeError("injected")
    store.put = put
    try:
        ctx.create_session(CONFIG_ID, ALICE, operating_date=DATE)
    except possession.StorageError:
        pass


def scenario():
    store = possession.MemoryStore()
    day(store)
    store.close()
    day(DictStore())
    failing_store_day()


class Leaks(unittest.TestCase):
    ROUNDS = 60

    def settle(self):
        for _ in range(3):
            gc.collect()

    @unittest.skipUnless(hasattr(sys, "gettotalrefcount"), "needs a debug build of Python")
    def test_total_refcount(self):
        for _ in range(5):
            scenario()
        self.settle()
        before = sys.gettotalrefcount()
        for _ in range(self.ROUNDS):
            scenario()
        self.settle()
        growth = sys.gettotalrefcount() - before
        self.assertLess(growth, self.ROUNDS, "references leak: %d per round" % (growth // self.ROUNDS))

    def test_traced_memory_is_bounded(self):
        for _ in range(5):
            scenario()
        self.settle()
        tracemalloc.start()
        try:
            scenario()
            self.settle()
            start, _ = tracemalloc.get_traced_memory()
            for _ in range(self.ROUNDS):
                scenario()
            self.settle()
            end, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        per_round = (end - start) / self.ROUNDS
        # A leaked Decimal, dict or str per call would cost well over 100 bytes per round.
        self.assertLess(per_round, 100, "traced memory grows by %.0f bytes per round" % per_round)

    def test_objects_are_freed(self):
        scenario()
        self.settle()
        before = len(gc.get_objects())
        for _ in range(self.ROUNDS):
            scenario()
        self.settle()
        self.assertLess(len(gc.get_objects()) - before, 50)


if __name__ == "__main__":
    unittest.main()

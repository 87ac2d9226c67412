"""Stores written in Python: a dict-based store carries a whole session; a store that raises
on its Nth call (for every N of a small scenario) makes that call fail cleanly with the
exception chained, leaves the store's content unchanged, and the same steps succeed when
repeated without the fault."""

import json
import unittest
from decimal import Decimal

import possession
from helpers import (ALICE, MIA, DATE, CONFIG_ID, T0, Clock, DictStore, FaultyStore,
                     InjectedFault, croissants, open_session, saved_config)


def scenario():
    """A small day as a list of (name, step); each step is one library call."""
    state = {}

    def create(ctx):
        state["s"] = ctx.create_session(CONFIG_ID, ALICE, operating_date=DATE)

    def order(ctx):
        state["o"] = state["s"].create_order(ALICE, [croissants(2)])

    return [
        ("create", create),
        ("open", lambda ctx: state["s"].open(ALICE, "0.00")),
        ("order", order),
        ("pay", lambda ctx: state["o"].add_payment(ALICE, "Cash", "5.00")),
        ("cash out", lambda ctx: state["s"].cash_out(ALICE, "1.00", "to the safe")),
        ("start closing", lambda ctx: state["s"].start_closing(ALICE)),
        ("count", lambda ctx: state["s"].count(ALICE, "2.00")),
        ("close", lambda ctx: state["s"].close(MIA)),
        ("report", lambda ctx: state["s"].report()),
    ], state


def fresh():
    store = FaultyStore()
    ctx = possession.Context(store, clock=Clock())
    saved_config(ctx)
    store.calls = 0
    return store, ctx


class PythonStore(unittest.TestCase):
    def test_whole_session_on_a_dict_store(self):
        store = DictStore()
        with possession.Context(store, clock=Clock()) as ctx:
            saved_config(ctx)
            steps, state = scenario()
            for _, step in steps:
                step(ctx)
            s = state["s"]
            self.assertEqual(s.state, possession.SessionState.CLOSED)
            self.assertEqual(s.report().difference, Decimal("0.00"))
            resumed = ctx.load_session(s.id)
            self.assertEqual(resumed.name, "POS-0001/00001")
            self.assertEqual(len(resumed.entry()), len(s.entry()))
            actions = [a.action for a in ctx.audit(s)]
            self.assertIn("session.close", actions)
        self.assertTrue(any(k == "session" for k, _ in store.records))
        self.assertEqual(store.claims, {})  # the open-session slot is released at close

    def test_every_call_failing_in_turn(self):
        store, ctx = fresh()
        steps, _ = scenario()
        for _, step in steps:
            step(ctx)
        total = store.calls
        self.assertGreater(total, 20)
        for n in range(1, total + 1):
            with self.subTest(fail_at=n):
                self.fail_at(n)

    def fail_at(self, n):
        store, ctx = fresh()
        store.fail_at = n
        steps, state = scenario()
        failed = None
        for name, step in steps:
            before = store.content()
            try:
                step(ctx)
            except possession.StorageError as e:
                self.assertIs(e.__cause__, store.raised)
                self.assertIsInstance(e.__cause__, InjectedFault)
                self.assertIn("injected failure at call %d" % n, e.detail)
                self.assertEqual(store.content(), before, "step %s changed the store" % name)
                failed = name
                store.fail_at = None
                step(ctx)  # the handle is as before: the same call now succeeds
                continue
        self.assertIsNotNone(failed, "no step failed although call %d raised" % n)
        s = state["s"]
        s.refresh()
        self.assertEqual(s.state, possession.SessionState.CLOSED)
        report = s.report()
        self.assertEqual((report.expected_cash, report.counted_cash, report.orders),
                         (Decimal("2.00"), Decimal("2.00"), 1))
        s.verify()

    def test_failing_rollback_is_chained_after_the_first_failure(self):
        store, ctx = fresh()
        s = ctx.create_session(CONFIG_ID, ALICE, operating_date=DATE)
        first = RuntimeError("put failed")
        second = RuntimeError("rollback failed")

        def put(record, expected_rev):
            raise first
        real_rollback = store.rollback

        def rollback():
            real_rollback()
            raise second
        store.put = put
        store.rollback = rollback
        with self.assertRaises(possession.StorageError) as caught:
            s.open(ALICE, "0.00")
        self.assertIs(caught.exception.__cause__, second)
        self.assertIs(second.__context__, first)

    def test_a_callback_calling_back_into_its_context_is_refused(self):
        store, ctx = fresh()
        s = ctx.create_session(CONFIG_ID, ALICE, operating_date=DATE)
        real_get = store.get

        def get(kind, id):
            ctx.load_session(s.id)
            return real_get(kind, id)
        store.get = get
        with self.assertRaises(possession.StorageError) as caught:
            s.open(ALICE, "0.00")
        self.assertIsInstance(caught.exception.__cause__, RuntimeError)
        self.assertIn("already running a call", str(caught.exception.__cause__))

    def test_an_object_lacking_methods_is_a_type_error(self):
        class Half:
            def begin(self, write):
                pass
        with self.assertRaises(TypeError) as caught:
            possession.Context(Half())
        self.assertIn("commit", str(caught.exception))
        self.assertIn("audit_scan", str(caught.exception))

    def test_wrong_return_types_are_storage_errors(self):
        store, ctx = fresh()
        store.lookup = lambda key: 42
        with self.assertRaises(possession.StorageError) as caught:
            ctx.find_open_session(CONFIG_ID)
        self.assertIsInstance(caught.exception.__cause__, TypeError)


class DamagedRecords(unittest.TestCase):
    """A stored value the library hands back that Python cannot represent (a time beyond the
    years 1..9999, a day that does not exist) is a damaged record: CorruptError (issue 14,
    item 9), never a bare OverflowError or ValueError. Whether the library's decoder or the
    binding's conversion refuses it, the caller sees the same class with the value named."""

    OUT_OF_RANGE = (10**18, -10**18, 253402300800000, -62135596800001)

    def setUp(self):
        self.store = DictStore()
        self.ctx = possession.Context(self.store, clock=Clock())
        saved_config(self.ctx)
        self.session = open_session(self.ctx)
        # a cash in: a cash out of an empty drawer is refused (DrawerError)
        self.session.cash_in(ALICE, "1.00", "float from the safe")

    def tamper(self, kind, **changes):
        (key,) = [k for k in self.store.records if k[0] == kind]
        rec = self.store.records[key]
        self.store.records[key] = rec._replace(payload=json.dumps(
            dict(json.loads(rec.payload), **changes)))

    def tamper_audit(self, **changes):
        item = self.store.trail[-1]
        self.store.trail[-1] = item._replace(payload=json.dumps(
            dict(json.loads(item.payload), **changes)))

    def corrupt(self, value, fn, *args):
        with self.assertRaises(possession.CorruptError) as caught:
            fn(*args)
        e = caught.exception
        self.assertNotIsInstance(e, (OverflowError, ValueError))
        self.assertEqual(e.code, -15)
        self.assertIn(str(value), e.detail)
        return e

    def test_a_cash_movement_time_out_of_range(self):
        for ms in self.OUT_OF_RANGE:
            with self.subTest(time=ms):
                self.tamper("movement", time=ms)
                self.corrupt(ms, self.session.cash_movements)
        self.tamper("movement", time=T0)
        (movement,) = self.session.cash_movements()
        self.assertEqual((movement.time.year, movement.amount), (2026, Decimal("1.00")))

    def test_an_audit_time_out_of_range(self):
        for ms in self.OUT_OF_RANGE:
            with self.subTest(time=ms):
                self.tamper_audit(time=ms)
                self.corrupt(ms, self.ctx.audit, self.session)

    def test_session_times_out_of_range(self):
        for ms in self.OUT_OF_RANGE:
            with self.subTest(time=ms):
                self.tamper("session", lease_expires=ms)
                self.corrupt(ms, lambda: self.ctx.load_session(self.session.id).lease_expires)
                self.tamper("session", lease_expires=T0, opened_at=ms)
                self.corrupt(ms, lambda: self.ctx.load_session(self.session.id).report())
                self.tamper("session", opened_at=T0)

    def test_an_operating_date_that_does_not_exist(self):
        self.tamper("session", date="2026-02-31")
        self.corrupt("2026-02-31", lambda: self.ctx.load_session(self.session.id).operating_date)


if __name__ == "__main__":
    unittest.main()

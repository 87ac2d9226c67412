"""Every exception class, each raised by a real library call, with its code, detail and
figures; and the builtin classes the ones a Python caller expects inherit from."""

import io
import json
import os
import tempfile
import unittest
import uuid
from decimal import Decimal

import possession
from possession import Line
from helpers import (ALICE, BOB, MIA, CONFIG_ID, DATE, Clock, DictStore, croissants,
                     open_session, saved_config, config_fields)

MAX_MINOR = 2**63 - 1
AMOUNT_MAX = 10**15  # PSS_AMOUNT_MAX


class Errors(unittest.TestCase):
    def setUp(self):
        self.store = DictStore()
        self.ctx = possession.Context(self.store, clock=Clock())
        self.config = saved_config(self.ctx)

    def session(self):
        return open_session(self.ctx)

    def raises(self, cls, code, fn, *args, **kwargs):
        with self.assertRaises(cls) as caught:
            fn(*args, **kwargs)
        e = caught.exception
        self.assertIs(type(e), cls)
        self.assertIsInstance(e, possession.Error)
        self.assertEqual(e.code, code)
        self.assertEqual(e.code, cls.code)
        self.assertTrue(e.detail)
        self.assertEqual(str(e), e.detail)
        return e

    def test_invalid(self):
        e = self.raises(possession.InvalidError, -1, self.ctx.create_session, self.config,
                        ALICE, operating_date="2026-13-45")
        self.assertIsInstance(e, ValueError)

    def test_no_memory(self):
        s = self.session()

        def no_memory(kind, id):
            raise MemoryError("store out of memory")
        self.store.get = no_memory
        e = self.raises(possession.NoMemoryError, -2, self.ctx.load_session, s.id)
        self.assertIsInstance(e, MemoryError)
        self.assertIsInstance(e.__cause__, MemoryError)

    def test_not_found(self):
        e = self.raises(possession.NotFoundError, -3, self.ctx.load_session, str(uuid.uuid4()))
        self.assertIsInstance(e, LookupError)

    def test_exists(self):
        first = self.session()
        e = self.raises(possession.ExistsError, -4, self.ctx.create_session, self.config, BOB)
        self.assertIn(first.name, e.detail)

    def test_state(self):
        s = self.ctx.create_session(self.config, ALICE, operating_date=DATE)
        self.raises(possession.StateError, -5, s.start_closing, ALICE)

    def test_access_denied(self):
        e = self.raises(possession.AccessDeniedError, -6, self.config.save, ALICE)
        self.assertIsInstance(e, PermissionError)
        s = self.session()
        e = self.raises(possession.AccessDeniedError, -6, s.create_order, BOB, [croissants()])
        self.assertIn("alice", e.detail)

    def test_locked(self):
        s = self.session()
        elsewhere = possession.Actor("alice", "cashier", "till-9")
        self.raises(possession.LockedError, -7, s.create_order, elsewhere, [croissants()])

    def test_amount_overflow(self):
        # doc/concepts.md, Bounds: a figure the library computes beyond PSS_AMOUNT_MAX (10^15
        # minor units) is PSS_EOVERFLOW; an amount given beyond it is PSS_EINVAL.
        s = self.session()
        biggest = possession.to_decimal(AMOUNT_MAX, 2)
        e = self.raises(possession.AmountOverflowError, -8, s.create_order, ALICE,
                        [Line("gold", biggest, 2)])
        self.assertIsInstance(e, OverflowError)
        self.assertIn("20000000000000.00", e.detail)
        self.raises(possession.InvalidError, -1, s.create_order, ALICE,
                    [Line("gold", possession.to_decimal(MAX_MINOR, 2))])

    def test_conflict(self):
        s = self.session()
        oid = str(uuid.uuid4())
        s.submit(ALICE, oid, [croissants(1)], [possession.Payment("Cash", "1.50")])
        again = s.submit(ALICE, oid, [croissants(1)], [possession.Payment("Cash", "1.50")])
        self.assertTrue(again.duplicate)
        self.raises(possession.ConflictError, -9, s.submit, ALICE, oid, [croissants(2)],
                    [possession.Payment("Cash", "3.00")])

    def test_closed(self):
        s = self.session()
        s.start_closing(ALICE)
        s.count(ALICE, "0")
        s.close(ALICE)
        self.raises(possession.ClosedError, -10, s.cash_in, ALICE, "1.00", "late")

    def test_pending_orders(self):
        s = self.session()
        s.create_order(ALICE, [croissants()])
        s.start_closing(ALICE)
        s.count(ALICE, "0")
        e = self.raises(possession.PendingOrdersError, -11, s.close, ALICE)
        self.assertEqual(e.count, 1)

    def test_pending_payments(self):
        s = self.session()
        o = s.create_order(ALICE, [croissants()])
        o.add_payment(ALICE, "Card", "3.00")
        s.start_closing(ALICE)
        s.count(ALICE, "0")
        e = self.raises(possession.PendingPaymentsError, -12, s.close, ALICE)
        self.assertEqual(e.count, 1)

    def test_cash_difference(self):
        s = self.session()
        s.start_closing(ALICE)
        s.count(ALICE, "25.00")
        e = self.raises(possession.CashDifferenceError, -13, s.close, ALICE)
        self.assertEqual((e.expected, e.counted, e.difference, e.allowed),
                         (Decimal("0.00"), Decimal("25.00"), Decimal("25.00"), Decimal("10.00")))
        self.assertEqual(e.figures["difference"], Decimal("25.00"))

    def tamper(self, kind, match, **changes):
        """Changes a stored record's payload behind the library's back."""
        for key, rec in list(self.store.records.items()):
            doc = json.loads(rec.payload)
            if key[0] == kind and all(doc.get(k) == v for k, v in match.items()):
                doc.update(changes)
                self.store.records[key] = rec._replace(payload=json.dumps(doc))
                return
        raise AssertionError("no %s record matches %r" % (kind, match))

    def test_unbalanced(self):
        s = self.session()
        o = s.create_order(ALICE, [croissants(2)])
        o.add_payment(ALICE, "Cash", "3.00")
        self.tamper("total", {"type": "sales"}, untaxed=280)
        s = self.ctx.load_session(s.id)  # a handle that reads the tampered totals
        s.start_closing(ALICE)
        s.count(ALICE, "3.00")
        e = self.raises(possession.UnbalancedError, -14, s.close, ALICE)
        self.assertEqual(e.imbalance, Decimal("-0.07"))

    def test_mismatch(self):
        s = self.session()
        o = s.create_order(ALICE, [croissants(2)])
        o.add_payment(ALICE, "Cash", "3.00")
        self.tamper("total", {"type": "sales"}, untaxed=280)
        self.raises(possession.MismatchError, -22, s.verify)

    def test_corrupt(self):
        s = self.session()
        key = ("session", s.id)
        self.store.records[key] = self.store.records[key]._replace(payload="{not json")
        self.raises(possession.CorruptError, -15, self.ctx.load_session, s.id)

    def test_storage(self):
        s = self.session()
        boom = RuntimeError("disk on fire")

        def put(record, expected_rev):
            raise boom
        self.store.put = put
        e = self.raises(possession.StorageError, -16, s.cash_in, ALICE, "5.00", "float")
        self.assertIs(e.__cause__, boom)
        self.assertIn("RuntimeError: disk on fire", e.detail)

    @unittest.skipUnless(possession.HAVE_SQLITE, "built without libpossession-sqlite")
    def test_version(self):
        import sqlite3
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "future.db")
            db = sqlite3.connect(path)
            db.execute("PRAGMA user_version = 999")
            db.commit()
            db.close()
            self.raises(possession.VersionError, -17, possession.SqliteStore, path)

    def test_busy(self):
        s = self.session()

        def begin(write):
            raise possession.BusyError("database is locked")
        self.store.begin = begin
        e = self.raises(possession.BusyError, -18, s.refresh)
        self.assertIsInstance(e.__cause__, possession.BusyError)

    def test_config(self):
        bad = self.ctx.new_config(config_fields(id=str(uuid.uuid4()), code="POS-0002",
                                                accounts=dict(receivable="R")))
        self.raises(possession.ConfigError, -19, bad.save, MIA)

    def test_refund(self):
        s = self.session()
        sale = s.create_order(ALICE, [croissants(2)])
        sale.add_payment(ALICE, "Cash", "3.00")
        e = self.raises(possession.RefundError, -20, s.create_order, ALICE,
                        [Line.refund(0, -3)], refund_of=sale)
        self.assertEqual(e.available, Decimal("2.000"))

    def test_overpay(self):
        s = self.session()
        o = s.create_order(ALICE, [croissants(2)])
        e = self.raises(possession.OverpayError, -21, o.add_payment, ALICE, "Voucher", "5.00")
        self.assertEqual(e.remaining, Decimal("3.00"))

    def test_drawer(self):
        s = open_session(self.ctx, "45.00")
        e = self.raises(possession.DrawerError, -24, s.cash_out, ALICE, "50.00", "to the bank")
        self.assertEqual(e.detail, "the drawer holds 45.00, cash out 50.00: session "
                                   "POS-0001/00001 cannot pay out more cash than it holds "
                                   "(config 'Main register' does not allow a negative drawer)")
        self.assertEqual((e.holds, e.amount), (Decimal("45.00"), Decimal("50.00")))

    def test_write(self):
        s = self.session()
        # a sale: the export leaves out an entry without lines, and would write nothing
        s.create_order(ALICE, [croissants(2)]).add_payment(ALICE, "Cash", "3.00")
        s.start_closing(ALICE)
        s.count(ALICE, "3.00")
        s.close(ALICE)
        entry = s.entry()

        class Full(io.StringIO):
            def write(self, text):
                raise OSError(28, "No space left on device")
        e = self.raises(possession.WriteError, -23, entry.ledger, Full())
        self.assertIsInstance(e, OSError)
        self.assertEqual(e.__cause__.errno, 28)

    def test_every_code_has_a_class(self):
        for code in range(-1, -25, -1):
            cls = possession.error_class(code)
            self.assertIsNot(cls, possession.Error, code)
            self.assertEqual(cls.code, code)
        self.assertIs(possession.error_class(-999), possession.Error)

    def test_pickles(self):
        import pickle
        e = possession.CashDifferenceError("x", code=-13, figures={"expected": Decimal("1.00")})
        back = pickle.loads(pickle.dumps(e))
        self.assertEqual((type(back), back.detail, back.expected),
                         (possession.CashDifferenceError, "x", Decimal("1.00")))


if __name__ == "__main__":
    unittest.main()

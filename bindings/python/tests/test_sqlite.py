"""The SQLite store from Python: a session survives closing and reopening the file, and a
closed store refuses further calls. Skipped when the binding was built without it."""

import json
import os
import sqlite3
import tempfile
import unittest
from decimal import Decimal

import possession
from helpers import ALICE, MIA, CONFIG_ID, DATE, Clock, croissants, saved_config


@unittest.skipUnless(possession.HAVE_SQLITE, "built without libpossession-sqlite")
class Sqlite(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "till.db")

    def tearDown(self):
        self.tmp.cleanup()

    def test_across_reopen(self):
        with possession.SqliteStore(self.path) as store:
            self.assertIn("till.db", repr(store))
            with possession.Context(store, clock=Clock()) as ctx:
                saved_config(ctx)
                s = ctx.create_session(CONFIG_ID, ALICE, operating_date=DATE)
                s.open(ALICE, "0.00")
                o = s.create_order(ALICE, [croissants(2)])
                o.add_payment(ALICE, "Cash", "5.00")
                session_id, order_id = s.id, o.id
        self.assertTrue(store.closed)

        with possession.SqliteStore(self.path, sync="normal") as store:
            ctx = possession.Context(store, clock=Clock())
            s = ctx.find_open_session(CONFIG_ID)
            self.assertEqual(s.id, session_id)
            self.assertEqual(s.expected_cash, Decimal("3.00"))
            self.assertEqual(s.load_order(order_id).state, possession.OrderState.PAID)
            s.start_closing(ALICE)
            s.count(ALICE, "3.00")
            s.close(ALICE)
            entry_id = s.report().entry_id

        with possession.SqliteStore(self.path) as store:
            ctx = possession.Context(store)
            entry = ctx.load_entry(entry_id)
            self.assertEqual(entry.total, Decimal("3.00"))
            self.assertEqual(ctx.load_session(session_id).state, possession.SessionState.CLOSED)
            self.assertEqual([a.action for a in ctx.audit(session_id)][-1], "session.close")

    def test_closed_store_refuses_calls(self):
        store = possession.SqliteStore(self.path)
        ctx = possession.Context(store)
        saved_config(ctx)
        store.close()
        with self.assertRaises(ValueError):
            ctx.load_config(CONFIG_ID)
        with self.assertRaises(ValueError):
            possession.Context(store)

    def test_not_a_database(self):
        with open(self.path, "wb") as f:
            f.write(b"this is not a SQLite file, not at all" * 100)
        with self.assertRaises(possession.CorruptError):
            possession.SqliteStore(self.path)

    def test_bad_options(self):
        with self.assertRaises(ValueError):
            possession.SqliteStore(self.path, sync="sometimes")
        with self.assertRaises(possession.InvalidError):
            possession.SqliteStore(self.path, busy_timeout_ms=-1)
        with self.assertRaises(possession.InvalidError) as caught:
            possession.SqliteStore(self.path, page_size=1000)
        self.assertIn("page size 1000 is not a power of two", str(caught.exception))
        self.assertFalse(os.path.exists(self.path))

    def test_a_damaged_movement_time_is_corrupt(self):
        """Issue 14, item 9: a movement whose stored time no datetime holds is CorruptError
        (the library's decoder or the binding's conversion), never OverflowError."""
        with possession.SqliteStore(self.path) as store, \
                possession.Context(store, clock=Clock()) as ctx:
            saved_config(ctx)
            s = ctx.create_session(CONFIG_ID, ALICE, operating_date=DATE)
            s.open(ALICE, "0.00")
            # a cash in: a cash out of an empty drawer is refused (DrawerError)
            s.cash_in(ALICE, "1.00", "float from the safe")
            session_id = s.id
        for ms in (10**18, -10**18):
            with self.subTest(time=ms):
                db = sqlite3.connect(self.path)
                try:
                    (payload,) = db.execute(
                        "SELECT payload FROM records WHERE kind = 'movement'").fetchone()
                    # `records` is a view of the store's own tables (doc/sqlite-store.md)
                    db.execute("UPDATE record SET payload = ? WHERE kind ="
                               " (SELECT code FROM kinds WHERE name = 'movement')",
                               (json.dumps(dict(json.loads(payload), time=ms)),))
                    db.commit()
                finally:
                    db.close()
                with possession.SqliteStore(self.path) as store, \
                        possession.Context(store) as ctx:
                    with self.assertRaises(possession.CorruptError) as caught:
                        ctx.load_session(session_id).cash_movements()
                    self.assertNotIsInstance(caught.exception, OverflowError)
                    self.assertIn(str(ms), caught.exception.detail)

    def test_page_size(self):
        with possession.SqliteStore(self.path, page_size=16384):
            pass
        db = sqlite3.connect(self.path)
        try:
            self.assertEqual(db.execute("PRAGMA page_size").fetchone()[0], 16384)
        finally:
            db.close()


if __name__ == "__main__":
    unittest.main()

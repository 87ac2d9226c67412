"""The PostgreSQL store from Python: two tills' contexts on one database see each other's
sessions, wait() wakes on a commit that appended and times out otherwise, failures raise
the mapped exceptions without the password, and a closed store refuses calls. Needs
PSS_PG_CONNINFO (the test runs through tests/support/pg-server.sh); skipped when the binding
was built without libpossession-pg."""

import os
import subprocess
import threading
import time
import unittest
from decimal import Decimal

import possession
from helpers import ALICE, CONFIG_ID, DATE, Clock, croissants, saved_config

SERVER = os.environ.get("PSS_PG_CONNINFO", "")


def fresh_database(name):
    """Creates database `name` afresh and returns its conninfo (psql: the binding has no SQL
    of its own)."""
    for sql in ("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name, "CREATE DATABASE %s" % name):
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", SERVER,
                        "-c", "SET client_min_messages = warning", "-c", sql], check=True)
    return "%s dbname=%s" % (SERVER, name)


@unittest.skipUnless(possession.HAVE_PG, "built without libpossession-pg")
@unittest.skipUnless(SERVER, "PSS_PG_CONNINFO is not set: run through tests/support/pg-server.sh")
class Pg(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.conninfo = fresh_database("pss_python")

    def test_two_tills_one_database(self):
        with possession.PgStore(self.conninfo) as a, possession.PgStore(self.conninfo) as b:
            self.assertEqual(repr(a), "<PgStore>")
            self.assertEqual(possession.PgStore.schema_version(), 2)
            ca, cb = possession.Context(a, clock=Clock()), possession.Context(b, clock=Clock())
            saved_config(ca)
            s = ca.create_session(CONFIG_ID, ALICE, operating_date=DATE)
            s.open(ALICE, "0.00")
            o = s.create_order(ALICE, [croissants(2)])
            o.add_payment(ALICE, "Cash", "5.00")
            with self.assertRaises(possession.ExistsError):
                cb.create_session(CONFIG_ID, ALICE, operating_date=DATE)
            seen = cb.find_open_session(CONFIG_ID)
            self.assertEqual(seen.id, s.id)
            self.assertEqual(seen.expected_cash, Decimal("3.00"))
            seen.start_closing(ALICE)
            seen.count(ALICE, "3.00")
            seen.close(ALICE)
            self.assertEqual(cb.load_entry(seen.report().entry_id).total, Decimal("3.00"))
            self.assertEqual([x.action for x in ca.audit(s.id)][-1], "session.close")
            ca.close()
            cb.close()
        self.assertTrue(a.closed)

    def test_wait(self):
        with possession.PgStore(self.conninfo) as follower, \
                possession.PgStore(self.conninfo) as till:
            self.assertTrue(follower.wait(1000))  # starts listening
            t0 = time.monotonic()
            self.assertFalse(follower.wait(100))
            self.assertGreaterEqual(time.monotonic() - t0, 0.09)
            ctx = possession.Context(till, clock=Clock())
            woke = []
            waiter = threading.Thread(target=lambda: woke.append(follower.wait(5000)))
            waiter.start()  # the GIL is released while it waits
            time.sleep(0.2)
            saved_config(ctx, id="0c0f1a00-0000-4000-8000-0000000000e1", code="POS-E1")
            waiter.join()
            self.assertEqual(woke, [True])
            ctx.close()

    def test_errors(self):
        with self.assertRaises(possession.StorageError) as caught:
            possession.PgStore(SERVER + " password=secret dbname=no_such_database")
        self.assertIn("no_such_database", str(caught.exception))
        self.assertNotIn("secret", str(caught.exception))
        with self.assertRaises(possession.InvalidError):
            possession.PgStore(self.conninfo, lock_timeout_ms=-1)
        with self.assertRaises(TypeError):
            possession.PgStore(self.conninfo, 5000)  # the options are keywords

    def test_closed_store_refuses_calls(self):
        store = possession.PgStore(self.conninfo)
        ctx = possession.Context(store)
        store.close()
        with self.assertRaises(ValueError):
            ctx.load_config(CONFIG_ID)
        with self.assertRaises(ValueError):
            store.wait(10)


if __name__ == "__main__":
    unittest.main()

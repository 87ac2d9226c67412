"""Listing through the binding (doc/concepts.md, "Listing"): a config's sessions a page at a
time, newest first, filtered by state and operating date, with the cursor and the more flag;
a generator over every page; and a session's orders by state before and after its close.
Sessions are named by their numbers so that an order is checked name by name."""

import datetime
import unittest

import possession
from possession import OrderState, Payment, SessionPage, SessionState
from helpers import (ALICE, CONFIG_ID, MIA, Clock, DictStore, croissants, saved_config)

OTHER_CONFIG = "0c0f1a00-0000-4000-8000-000000000002"
NOBODY = "5e5510e0-0000-4000-8000-000000000099"


class ScanCounter(DictStore):
    """Counts the scans of session records: one per page read."""

    def __init__(self):
        super().__init__()
        self.session_scans = 0

    def scan(self, kind, parent):
        if kind == "session":
            self.session_scans += 1
        return super().scan(kind, parent)


def close_empty(s):
    s.start_closing(ALICE)
    s.count(ALICE, "0.00")
    s.close(ALICE)


class Pages(unittest.TestCase):
    """Ten sessions, 00001..00010 dated 2026-11-01..10, each closed before the next but the
    last, which trades."""

    def setUp(self):
        self.store = ScanCounter()
        self.clock = Clock()
        self.ctx = possession.Context(self.store, clock=self.clock)
        saved_config(self.ctx)
        self.ids = {}
        for day in range(1, 11):
            self.clock.now += 1000
            s = self.ctx.create_session(CONFIG_ID, ALICE, operating_date="2026-11-%02d" % day)
            s.open(ALICE, "0.00")
            if day < 10:
                close_empty(s)
            self.ids[s.id] = s.name
            s.release()

    def names(self, ids):
        return [self.ids[i].split("/")[1] for i in ids]

    def page(self, **query):
        page = self.ctx.session_page(CONFIG_ID, **query)
        self.assertIsInstance(page, SessionPage)
        return self.names(page.ids), page.more

    def test_pages_of_four_newest_first(self):
        first = self.ctx.session_page(CONFIG_ID, limit=4)
        self.assertEqual(self.names(first.ids), ["00010", "00009", "00008", "00007"])
        self.assertIs(first.more, True)
        self.assertEqual(first.after, first.ids[-1])
        second = self.ctx.session_page(CONFIG_ID, limit=4, after=first.after)
        self.assertEqual((self.names(second.ids), second.more),
                         (["00006", "00005", "00004", "00003"], True))
        ids, more = self.ctx.session_page(CONFIG_ID, limit=4, after=second.after)
        self.assertEqual((self.names(ids), more), (["00002", "00001"], False))
        # after the oldest: an empty page, nothing follows, no cursor
        last = self.ctx.session_page(CONFIG_ID, limit=4, after=ids[-1])
        self.assertEqual(last, SessionPage([], False))
        self.assertIsNone(last.after)
        # a page that ends exactly at the oldest says nothing follows
        self.assertEqual(self.page(limit=5, after=first.ids[0]),
                         (["00009", "00008", "00007", "00006", "00005"], True))
        self.assertEqual(self.page(limit=5, after=self.ctx.session_page(
            CONFIG_ID, limit=5).after), (["00005", "00004", "00003", "00002", "00001"], False))
        # the default page is 100: all ten, and one scan of the config's sessions per page
        scans = self.store.session_scans
        self.assertEqual(self.page(), (["000%02d" % n for n in range(10, 0, -1)], False))
        self.assertEqual(self.store.session_scans, scans + 1)
        # the same order session_ids gives in reverse (each session is newer than the last)
        self.assertEqual(self.ctx.session_page(CONFIG_ID).ids,
                         list(reversed(self.ctx.session_ids(CONFIG_ID))))

    def test_a_session_or_a_config_handle_serves_as_argument(self):
        config = self.ctx.load_config(CONFIG_ID)
        first = self.ctx.session_page(config, limit=2)
        cursor = self.ctx.load_session(first.after)
        self.assertEqual(self.names(self.ctx.session_page(config, limit=2, after=cursor).ids),
                         ["00008", "00007"])

    def test_dates_and_states(self):
        self.assertEqual(self.page(states=[SessionState.CLOSED], from_date="2026-11-03",
                                   to_date="2026-11-06"),
                         (["00006", "00005", "00004", "00003"], False))
        # the same as dates, a page of 3 of them, then the rest
        ids, more = self.ctx.session_page(CONFIG_ID, states="closed", limit=3,
                                          from_date=datetime.date(2026, 11, 3),
                                          to_date=datetime.date(2026, 11, 6))
        self.assertEqual((self.names(ids), more), (["00006", "00005", "00004"], True))
        self.assertEqual(self.page(states="closed", limit=3, after=ids[-1],
                                   from_date="2026-11-03", to_date="2026-11-06"),
                         (["00003"], False))
        # one state, by member, value or name; several
        self.assertEqual(self.page(states=SessionState.IN_PROGRESS), (["00010"], False))
        self.assertEqual(self.page(states=["in_progress"]), (["00010"], False))
        self.assertEqual(self.page(states=["IN_PROGRESS", "new"]), (["00010"], False))
        self.assertEqual(self.page(states="in_progress", to_date="2026-11-09"), ([], False))
        self.assertEqual(self.page(states=["closed", "in_progress"], from_date="2026-11-09"),
                         (["00010", "00009"], False))
        # a single day; from the last day on; up to the first
        self.assertEqual(self.page(from_date="2026-11-05", to_date="2026-11-05"),
                         (["00005"], False))
        self.assertEqual(self.page(from_date="2026-11-10"), (["00010"], False))
        self.assertEqual(self.page(to_date="2026-11-01"), (["00001"], False))
        # the cursor need not match the filter: it is a place among all the sessions
        s10 = self.ctx.session_page(CONFIG_ID, limit=1).ids[0]
        self.assertEqual(self.page(states="closed", after=s10, limit=1), (["00009"], True))
        with self.assertRaises(ValueError):
            self.ctx.session_page(CONFIG_ID, states=["trading"])

    def test_refusals(self):
        with self.assertRaises(possession.NotFoundError) as caught:
            self.ctx.session_page(CONFIG_ID, after=NOBODY)
        self.assertEqual(caught.exception.detail, "page cursor %s is not a session of config "
                         "%s" % (NOBODY, CONFIG_ID))
        # a session of another config is no place in this one's list
        saved_config(self.ctx, id=OTHER_CONFIG, code="POS-0002", name="Second register")
        other = self.ctx.create_session(OTHER_CONFIG, ALICE, operating_date="2026-11-21")
        with self.assertRaises(possession.NotFoundError) as caught:
            self.ctx.session_page(CONFIG_ID, after=other)
        self.assertEqual(caught.exception.detail, "page cursor %s is not a session of config "
                         "%s" % (other.id, CONFIG_ID))
        self.assertEqual(self.ctx.session_page(OTHER_CONFIG).ids, [other.id])
        for limit, cls in ((0, possession.InvalidError), (1001, possession.InvalidError),
                           (-1, possession.InvalidError)):
            with self.assertRaises(cls) as caught:
                self.ctx.session_page(CONFIG_ID, limit=limit)
            self.assertEqual(str(caught.exception),
                             "a page holds 1 to 1000 sessions, not %d" % limit)
            self.assertEqual(caught.exception.code, -1)
        self.assertEqual(len(self.ctx.session_page(CONFIG_ID, limit=1000).ids), 10)
        refusals = [
            (dict(after="nope"), "page cursor (after) 'nope' is not a UUID"),
            (dict(states=[]), "the state mask selects no state"),
            (dict(from_date="2026-11-09", to_date="2026-11-02"),
             "from date 2026-11-09 is after to date 2026-11-02"),
        ]
        for query, message in refusals:
            with self.assertRaises(possession.InvalidError) as caught:
                self.ctx.session_page(CONFIG_ID, **query)
            self.assertEqual(caught.exception.detail, message, query)
        with self.assertRaises(possession.InvalidError):
            self.ctx.session_page(CONFIG_ID, from_date="2026-13-01")
        with self.assertRaisesRegex(TypeError, "limit must be an int"):
            self.ctx.session_page(CONFIG_ID, limit="4")

    def test_paging_neither_repeats_nor_skips_a_session_created_meanwhile(self):
        first = self.ctx.session_page(CONFIG_ID, limit=4)
        s10 = self.ctx.load_session(first.ids[0])
        close_empty(s10)
        self.clock.now += 1000
        s11 = self.ctx.create_session(CONFIG_ID, ALICE, operating_date="2026-11-11")
        self.ids[s11.id] = s11.name
        second = self.ctx.session_page(CONFIG_ID, limit=4, after=first.after)
        third = self.ctx.session_page(CONFIG_ID, limit=4, after=second.after)
        self.assertEqual(self.names(first.ids + second.ids + third.ids),
                         ["000%02d" % n for n in range(10, 0, -1)])
        self.assertEqual(self.page(limit=1), (["00011"], True))

    def test_iter_session_ids_reads_a_page_at_a_time(self):
        scans = self.store.session_scans
        it = self.ctx.iter_session_ids(CONFIG_ID, page_size=3)
        self.assertEqual(self.store.session_scans, scans)  # nothing read before asked
        self.assertEqual(self.names([next(it)]), ["00010"])
        self.assertEqual(self.store.session_scans, scans + 1)
        self.assertEqual(self.names(it), ["000%02d" % n for n in range(9, 0, -1)])
        self.assertEqual(self.store.session_scans, scans + 4)  # 3, 3, 3 and 1
        self.assertEqual(self.names(self.ctx.iter_session_ids(
            CONFIG_ID, states="closed", from_date="2026-11-02", to_date="2026-11-08",
            page_size=2)), ["00008", "00007", "00006", "00005", "00004", "00003", "00002"])
        self.assertEqual(list(self.ctx.iter_session_ids(CONFIG_ID, to_date="2026-10-31")), [])
        with self.assertRaises(possession.InvalidError) as caught:
            next(self.ctx.iter_session_ids(CONFIG_ID, page_size=0))
        self.assertEqual(str(caught.exception), "a page holds 1 to 1000 sessions, not 0")


class OrdersByState(unittest.TestCase):
    def test_before_and_after_close(self):
        ctx = possession.Context(DictStore(), clock=Clock())
        saved_config(ctx)
        s = ctx.create_session(CONFIG_ID, ALICE, operating_date="2026-11-21")
        s.open(ALICE, "0.00")
        ids = ["0000000e-0000-4000-8000-00000000000%d" % n for n in range(1, 7)]
        s.submit(ALICE, ids[0], [croissants()], [Payment("Cash", "3.00")])      # 1 paid
        draft = s.create_order(ALICE, [croissants()], id=ids[1])                 # 2 draft
        s.submit(ALICE, ids[2], [croissants(4)], [Payment("Voucher", "6.00")])  # 3 paid
        gone = s.create_order(ALICE, [croissants()], id=ids[3])                  # 4 cancelled
        gone.cancel(ALICE, "left")
        card = s.create_order(ALICE, [croissants()], id=ids[4])                  # 5 draft, pending
        card.add_payment(ALICE, "Card", "3.00")
        s.submit(ALICE, ids[5], [croissants(1)], [Payment("Cash", "1.50")])     # 6 paid
        self.assertEqual([ctx.load_session(s.id).load_order(i).number for i in ids],
                         [1, 2, 3, 4, 5, 6])

        self.assertEqual(s.order_ids(), ids)
        self.assertEqual(s.order_ids(OrderState.PAID), [ids[0], ids[2], ids[5]])
        self.assertEqual(s.order_ids("draft"), [ids[1], ids[4]])
        self.assertEqual(s.order_ids([OrderState.DRAFT, "cancelled"]), [ids[1], ids[3], ids[4]])
        self.assertEqual(s.order_ids(["DONE"]), [])
        self.assertEqual(s.order_ids([OrderState.PAID, OrderState.DONE]),
                         [ids[0], ids[2], ids[5]])

        card.confirm_payment(ALICE, 0)  # 5 becomes paid: the list reads the store
        draft.cancel(ALICE, "changed their mind")
        self.assertEqual(s.order_ids(OrderState.PAID), [ids[0], ids[2], ids[4], ids[5]])
        self.assertEqual(s.order_ids(OrderState.DRAFT), [])

        s.start_closing(ALICE)
        s.count(ALICE, "4.50", methods={"Card": "3.00", "Voucher": "6.00"})
        s.close(ALICE)
        # once closed the paid orders read as done, as Order.state reads them
        self.assertEqual(s.order_ids(OrderState.PAID), [])
        self.assertEqual(s.order_ids(OrderState.DONE), [ids[0], ids[2], ids[4], ids[5]])
        self.assertEqual(s.order_ids("cancelled"), [ids[1], ids[3]])
        self.assertEqual(s.order_ids(), ids)
        self.assertEqual(s.load_order(ids[0]).state, OrderState.DONE)
        # a handle loaded before the close is brought up to date first
        stale = ctx.load_session(s.id)
        self.assertEqual(stale.order_ids("done"), [ids[0], ids[2], ids[4], ids[5]])

        with self.assertRaises(possession.InvalidError) as caught:
            s.order_ids([])
        self.assertEqual(caught.exception.detail, "the state mask selects no order state")
        with self.assertRaises(ValueError):
            s.order_ids(["open"])
        self.assertEqual([OrderState(x).number for x in ("draft", "paid", "done", "cancelled")],
                         [1, 2, 3, 4])

    def test_a_session_without_orders(self):
        ctx = possession.Context(DictStore(), clock=Clock())
        saved_config(ctx)
        s = ctx.create_session(CONFIG_ID, MIA)
        self.assertEqual(s.order_ids(), [])
        s.release()
        with self.assertRaises(ValueError):
            s.order_ids()


if __name__ == "__main__":
    unittest.main()

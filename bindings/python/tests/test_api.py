"""The shape of the API: reprs that say what a handle is, context managers, iteration,
keyword or dict configs, the clock and logger hooks, handles that refuse use after release,
and type stubs naming every public name."""

import ast
import datetime
import logging
import os
import unittest
from decimal import Decimal

import possession
from possession import Line
from helpers import ALICE, MIA, CONFIG_ID, DATE, T0, Clock, croissants, config_fields, \
    open_session, saved_config


class Api(unittest.TestCase):
    def setUp(self):
        self.store = possession.MemoryStore()
        self.clock = Clock()
        self.ctx = possession.Context(self.store, clock=self.clock)
        self.config = saved_config(self.ctx)

    def test_reprs(self):
        s = open_session(self.ctx)
        self.assertEqual(repr(s), "<Session POS-0001/00001 in_progress alice>")
        o = s.create_order(ALICE, [croissants(2)])
        self.assertEqual(repr(o), "<Order #1 draft total 3.00>")
        self.assertEqual(repr(self.store), "<MemoryStore>")
        self.assertEqual(repr(self.ctx), "<Context on MemoryStore>")
        self.assertIn("'Main register' EUR", repr(self.config))
        o.add_payment(ALICE, "Cash", "3")
        s.start_closing(ALICE)
        s.count(ALICE, "3")
        s.close(ALICE)
        self.assertRegex(repr(s.entry()), r"<Entry POS-0001/00001 2026-11-21 EUR 3\.00, \d+ lines>")
        self.assertIn("POS-0001/00001 closed", repr(s.report()))
        s.release()
        self.assertEqual(repr(s), "<Session released>")
        with self.assertRaises(ValueError):
            s.report()

    def test_iteration(self):
        s = open_session(self.ctx)
        o = s.create_order(ALICE, [croissants(2)])
        o.add_payment(ALICE, "Cash", "3")
        s.start_closing(ALICE)
        s.count(ALICE, "3")
        s.close(ALICE)
        entry = s.entry()
        self.assertEqual(list(entry), list(entry.lines))
        self.assertTrue(all(isinstance(l, possession.EntryLine) for l in entry))
        self.assertEqual(entry.products[0].quantity, Decimal("2.000"))
        records = s.audit()
        self.assertTrue(all(isinstance(r, possession.AuditRecord) for r in records))
        self.assertEqual(records[0].action, "session.create")
        self.assertEqual(records[0].time, datetime.datetime(2026, 11, 21, 8, tzinfo=datetime.timezone.utc))
        self.assertEqual(records[0].role, possession.Role.CASHIER)
        everything = self.ctx.audit()
        self.assertEqual(everything[0].action, "config.save")

    def test_context_managers(self):
        with possession.MemoryStore() as store:
            with possession.Context(store) as ctx:
                saved_config(ctx)
                with ctx.create_session(CONFIG_ID, ALICE) as s:
                    self.assertEqual(s.state, possession.SessionState.NEW)
                with self.assertRaises(ValueError):
                    s.state
            self.assertTrue(ctx.closed)
            with self.assertRaises(ValueError):
                ctx.load_config(CONFIG_ID)
        self.assertTrue(store.closed)

    def test_session_outliving_its_context_object(self):
        s = open_session(possession.Context(self.store, clock=self.clock))
        self.assertEqual(s.state, possession.SessionState.IN_PROGRESS)
        self.assertEqual(s.context.store, self.store)

    def test_config_from_keywords_dict_and_json(self):
        fields = config_fields(id="0c0f1a00-0000-4000-8000-000000000002", code="POS-0002")
        by_dict = self.ctx.new_config(fields)
        by_kwargs = self.ctx.new_config(**fields)
        self.assertEqual(by_dict.to_json(), by_kwargs.to_json())
        copy = self.ctx.config_from_json(by_dict.to_json())
        self.assertEqual(copy.to_json(), by_dict.to_json())
        self.assertEqual(by_dict.methods, ("Cash", "Card", "Voucher"))
        self.assertEqual(by_dict.max_difference, Decimal("10.00"))
        flat = dict(fields)
        accounts = flat.pop("accounts")
        flat.update({k + "_account": v for k, v in accounts.items()})
        self.assertEqual(self.ctx.new_config(flat).to_json(), by_dict.to_json())
        with self.assertRaises(TypeError):
            self.ctx.new_config(fields, colour="blue")
        loaded = self.ctx.load_config(CONFIG_ID)
        self.assertEqual(loaded.name, "Main register")
        self.assertEqual(open_session(self.ctx).config.to_json(), loaded.to_json())

    def test_clock_and_logger(self):
        messages = []
        when = datetime.datetime(2026, 11, 21, 9, 30, tzinfo=datetime.timezone.utc)
        ctx = possession.Context(self.store, clock=lambda: when,
                                 log=lambda level, msg: messages.append((level, msg)),
                                 log_level=possession.LogLevel.DEBUG)
        self.assertEqual(ctx.now(), when)
        s = ctx.create_session(CONFIG_ID, ALICE, operating_date=DATE)
        s.open(ALICE, "0")
        self.assertIsInstance(messages[0][0], possession.LogLevel)
        self.assertIn((possession.LogLevel.DEBUG, "committed"), messages)
        self.assertEqual(s.lease_expires, when + datetime.timedelta(seconds=900))
        with self.assertLogs("possession.test", level="WARNING") as logs:
            other = possession.Context(self.store, log=logging.getLogger("possession.test"))
            with self.assertRaises(possession.ExistsError):  # one open session per config
                other.create_session(CONFIG_ID, ALICE)
        self.assertIn("ERROR", logs.output[0])

    def test_handles_are_not_made_directly(self):
        with self.assertRaises(TypeError):
            possession._possession.Session()

    def test_actor_roles(self):
        self.assertEqual(possession.Actor("x", "manager").role, possession.Role.MANAGER)
        self.assertEqual(possession.Actor("x", 3).role, possession.Role.ADMIN)
        with self.assertRaises(TypeError):
            open_session(self.ctx).create_order(None, [croissants()])

    def test_order_operations(self):
        s = open_session(self.ctx)
        o = s.create_order(ALICE)
        i = o.add_line(ALICE, croissants(1))
        o.add_line(ALICE, {"product_id": "tea", "price": "2.00"})
        o.remove_line(ALICE, i)
        self.assertEqual([l.product_id for l in o.lines], ["tea"])
        p = o.add_payment(ALICE, "Card", "2.00")
        o.fail_payment(ALICE, p, "declined")
        self.assertEqual(o.payments[p].state, possession.PaymentState.FAILED)
        o.set_invoiced(ALICE)
        self.assertTrue(o.invoiced)
        o.cancel(ALICE, "customer left")
        self.assertEqual(o.state, possession.OrderState.CANCELLED)
        zero = s.create_order(ALICE, [Line("gift", "5.00", discount="100")])
        zero.validate(ALICE)
        self.assertEqual(zero.state, possession.OrderState.PAID)
        self.assertEqual(s.load_order(o.id).state, possession.OrderState.CANCELLED)
        s.cash_in(ALICE, "5.00", "float")  # the drawer pays no expense it does not hold
        mid = s.expense(ALICE, "4.20", "stamps")
        s.void_cash(ALICE, mid, "wrong drawer")
        self.assertEqual([m.voided for m in s.cash_movements()], [False, True])
        accepted, results = s.submit_batch(ALICE, [
            {"id": "00000000-0000-4000-8000-0000000000a1", "lines": [croissants(1)],
             "payments": [possession.Payment("Cash", "1.50")]},
            {"id": "00000000-0000-4000-8000-0000000000a2", "lines": [croissants(1)],
             "payments": [{"method": "Voucher", "amount": "9.00"}]},
        ])
        self.assertEqual(accepted, 1)
        self.assertEqual(results[0].state, possession.OrderState.PAID)
        self.assertEqual(results[1].status, possession.OverpayError.code)
        s.heartbeat(ALICE)
        s.take_over(MIA)
        self.assertEqual(s.user, "mia")
        s.start_closing(MIA)
        s.reopen(MIA, "forgot a sale")
        self.assertEqual(s.state, possession.SessionState.IN_PROGRESS)

    def test_stubs_name_every_public_name(self):
        stub = os.path.join(os.path.dirname(possession.__file__), "__init__.pyi")
        with open(stub) as f:
            tree = ast.parse(f.read())
        names = set()
        for node in tree.body:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
                names.add(node.name)
            elif isinstance(node, ast.AnnAssign):
                names.add(node.target.id)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets)
        missing = sorted(set(possession.__all__) - names)
        self.assertEqual(missing, [])
        self.assertTrue(os.path.exists(os.path.join(os.path.dirname(stub), "py.typed")))

    def test_abi3_build(self):
        self.assertTrue(possession._possession.__file__.endswith(".abi3.so"))
        self.assertEqual(possession._possession.LIMITED_API, 0x03080000)
        self.assertEqual(possession.LIBRARY_VERSION, "1.1.0")
        self.assertEqual(possession.__version__, "1.1.0")


if __name__ == "__main__":
    unittest.main()

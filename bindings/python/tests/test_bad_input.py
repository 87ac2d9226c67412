"""Bad input from Python (issue 14, item 8): every invalid config value raises the exception
class of the library's code with the library's detail, never SystemError; arguments of the
wrong type are TypeErrors that say what was expected; and a batch in which one order cannot
be taken gives that order its own status and records the others, as the C batch does."""

import unittest
import uuid
from decimal import Decimal

import possession
from possession import Line, Method, Payment, Tax
from helpers import (ALICE, MIA, CONFIG_ID, Clock, DictStore, config_fields, croissants,
                     open_session, saved_config)

CASH = Method("Cash", "cash", "Assets:Cash")


class InvalidConfigs(unittest.TestCase):
    """Each case: the override of a valid config, the class raised and fragments of the
    library's detail (pss_ctx_errmsg) that the exception must carry."""

    CASES = [
        ("lower-case currency", dict(currency="eur"), possession.InvalidError,
         ["currency 'eur' is not a three-letter ISO 4217 code"]),
        ("negative max_difference", dict(max_difference="-1.00"), possession.InvalidError,
         ["allowed cash difference", "negative"]),
        ("zero denomination", dict(denominations=["0", "1"]), possession.InvalidError,
         ["denomination 0 is not positive"]),
        ("same denomination twice", dict(denominations=["1", "1"]), possession.InvalidError,
         ["denomination 100 is already in config 'Main register'"]),
        ("two cash methods", dict(methods=[CASH, Method("Till 2", "cash", "Assets:Till2")]),
         possession.InvalidError,
         ["config 'Main register' already has the cash method 'Cash'"]),
        ("electronic cash", dict(methods=[Method("Cash", "cash", "Assets:Cash", True)]),
         possession.InvalidError, ["cash method 'Cash' cannot be electronic"]),
        ("same method twice", dict(methods=[CASH, CASH]), possession.InvalidError,
         ["payment method 'Cash' is already in config 'Main register'"]),
        ("same tax twice", dict(taxes=[Tax("VAT10", "10", "L:V"), Tax("VAT10", "10", "L:V")]),
         possession.InvalidError, ["tax 'VAT10' is already in config 'Main register'"]),
        ("negative tax rate", dict(taxes=[Tax("VAT10", "-1", "L:V")]), possession.InvalidError,
         ["tax 'VAT10' has rate -10000 ppm"]),
        ("empty name", dict(name=""), possession.InvalidError, ["config name is required"]),
        ("empty code", dict(code=""), possession.InvalidError, ["config code is required"]),
        ("negative lease", dict(lease_seconds=-5), possession.InvalidError,
         ["lease of -5 seconds"]),
        # enum fields the binding reads (doc/python.md): the values they take are named
        ("unknown late-order policy", dict(late_orders="sometimes"), possession.InvalidError,
         ["late_orders must be one of 'route', 'rescue', 'refuse' (or "
          "possession.LateOrders), not 'sometimes'"]),
        ("late-order policy 0", dict(late_orders=0), possession.InvalidError,
         ["late_orders must be one of 'route', 'rescue', 'refuse'", "not 0"]),
        ("late-order policy True", dict(late_orders=True), possession.InvalidError,
         ["late_orders must be one of", "not True"]),
        ("unknown tax rounding", dict(tax_rounding="per_invoice"), possession.InvalidError,
         ["tax_rounding must be one of 'per_line', 'per_order' (or possession.TaxRounding), "
          "not 'per_invoice'"]),
    ]

    def setUp(self):
        self.ctx = possession.Context(DictStore(), clock=Clock())

    def build(self, **overrides):
        return self.ctx.new_config(config_fields(id=str(uuid.uuid4()), **overrides))

    def test_every_invalid_value_raises_the_libraries_error(self):
        for name, overrides, cls, fragments in self.CASES:
            with self.subTest(name):
                with self.assertRaises(possession.Error) as caught:
                    self.build(**overrides)
                e = caught.exception
                self.assertIs(type(e), cls)
                self.assertIs(type(e), possession.error_class(e.code))
                self.assertEqual(e.code, cls.code)
                self.assertEqual(str(e), e.detail)
                for fragment in fragments:
                    self.assertIn(fragment, e.detail)
                self.build()  # the context is not left busy

    def test_account_names_hledger_reads_otherwise_are_refused(self):
        """doc/concepts.md#accounts: refused with PSS_EINVAL when added to a config, with the
        rule named (the library's rule, issue 14 item 7); the binding carries it as
        InvalidError with that detail, wherever the account is given."""
        for bad in ("(Assets:Cash)", "[Assets:Cash]", "* Assets:Cash", "! Assets:Cash"):
            places = [
                ("income", dict(accounts=dict(config_fields()["accounts"], income=bad))),
                ("method", dict(methods=[Method("Cash", "cash", bad)])),
                ("tax", dict(taxes=[Tax("VAT10", "10", bad)])),
                ("category", dict(categories={"books": bad})),
            ]
            for where, overrides in places:
                with self.subTest(account=bad, where=where):
                    with self.assertRaises(possession.InvalidError) as caught:
                        self.build(**overrides)
                    self.assertIs(type(caught.exception), possession.InvalidError)
                    self.assertIn("'%s' may not begin with" % bad, caught.exception.detail)
                    self.assertIn("hledger", caught.exception.detail)

    def test_a_python_error_while_building_stays_itself(self):
        with self.assertRaises(TypeError) as caught:
            self.build(max_difference=1.5)
        self.assertIn("not a float", str(caught.exception))
        with self.assertRaises(possession.InvalidError) as caught:
            self.build(max_difference="1.005")
        self.assertEqual(caught.exception.detail,
                         "max_difference '1.005' is not a decimal number with at most 2 "
                         "decimals")
        self.build()

    def test_validate_and_save_carry_the_detail_too(self):
        bad = self.build(accounts=dict(receivable="Assets:Recv"))
        with self.assertRaises(possession.ConfigError) as caught:
            bad.validate()
        self.assertIn("has no", caught.exception.detail)


class WrongTypes(unittest.TestCase):
    """A TypeError whose message names what was expected and what was given."""

    def setUp(self):
        self.ctx = possession.Context(DictStore(), clock=Clock())
        self.config = saved_config(self.ctx)
        self.session = open_session(self.ctx)

    def type_error(self, message, fn, *args, **kwargs):
        with self.assertRaises(TypeError) as caught:
            fn(*args, **kwargs)
        self.assertNotIsInstance(caught.exception, possession.Error)
        self.assertEqual(str(caught.exception), message)

    def test_an_actor_given_as_a_str(self):
        message = "actor must be a possession.Actor, not str"
        s = self.session
        self.type_error(message, s.create_order, "alice", [croissants()])
        self.type_error(message, s.cash_in, "alice", "1.00", "float")
        self.type_error(message, s.submit_batch, "alice", [])
        self.type_error(message, self.config.save, "mia")
        self.type_error(message, self.ctx.create_session, self.config, "alice")
        self.type_error("actor must be a possession.Actor, not NoneType", s.start_closing, None)

    def test_a_batch_item_that_is_not_an_order(self):
        s = self.session
        self.type_error("order 0 of the batch must be a mapping (id, lines, payments, ...), "
                        "not NoneType", s.submit_batch, ALICE, [None])
        self.type_error("order 1 of the batch must be a mapping (id, lines, payments, ...), "
                        "not str", s.submit_batch, ALICE, [{"id": str(uuid.uuid4())}, "x"])
        self.assertEqual(s.drafts, 0)

    def test_counts_that_are_not_pairs(self):
        s = self.session
        s.start_closing(ALICE)
        self.type_error("denominations must be a mapping {value: count} or (value, count) "
                        "pairs, not str", s.count, ALICE, denominations="1")
        self.type_error("denomination 0 must be a (value, count) pair, not str",
                        s.count, ALICE, denominations=["1"])
        self.type_error("denomination 0 must be a (value, count) pair, not a tuple of 1",
                        s.count, ALICE, denominations=[("1",)])
        self.type_error("methods must be a mapping {method: amount} or (method, amount) "
                        "pairs, not str", s.count, ALICE, methods="Card")
        self.type_error("method count 0 must be a (method, amount) pair, not int",
                        s.count, ALICE, methods=[5])
        s.count(ALICE, denominations=[["1", 2]], methods=[["Card", "0"]])  # lists are pairs
        self.assertEqual(s.report().counted_cash, Decimal("2.00"))

    def test_config_parts_that_are_not_pairs_or_lists(self):
        def build(**overrides):
            self.ctx.new_config(config_fields(id=str(uuid.uuid4()), **overrides))
        self.type_error("categories must be a mapping {category: account} or (category, "
                        "account) pairs, not str", build, categories="books")
        self.type_error("category 0 must be a (category, account) pair, not str", build,
                        categories=["books"])
        self.type_error("denominations must be a sequence of amounts, not str", build,
                        denominations="125")

    def test_lines_and_taxes(self):
        s = self.session
        self.type_error("taxes must be a sequence of tax codes, not str",
                        s.create_order, ALICE, [Line("x", "1.00", taxes="VAT10")])
        self.type_error("line must be a possession.Line, a dict of its fields or a tuple, "
                        "not NoneType", s.create_order, ALICE, [None])
        self.type_error("payment must be a possession.Payment, a dict of its fields or a "
                        "tuple, not int", s.submit, ALICE, str(uuid.uuid4()), [croissants()],
                        [3])
        self.assertEqual(s.drafts, 0)


def nine_taxes():
    return [Tax("T%d" % i, "1", "Liabilities:T%d" % i) for i in range(1, 10)]


class BatchWithABadOrder(unittest.TestCase):
    """pss_session_submit_batch gives each order its own status and records the others; the
    binding must too, whether the library or the binding's conversion refuses the order."""

    def setUp(self):
        self.ctx = possession.Context(DictStore(), clock=Clock())
        saved_config(self.ctx, taxes=nine_taxes())
        self.session = open_session(self.ctx)

    def order(self, n, lines, payments):
        return {"id": "00000000-0000-4000-8000-0000000000%02d" % n, "lines": lines,
                "payments": payments}

    def good(self, n):
        return self.order(n, [Line("tea", "2.00", taxes=["T1"])], [Payment("Cash", "2.02")])

    def check(self, bad, cls, fragments=()):
        s = self.session
        accepted, results = s.submit_batch(ALICE, [self.good(1), bad, self.good(3)])
        self.assertEqual(accepted, 2)
        self.assertEqual([r.status for r in results], [0, cls.code, 0])
        self.assertEqual([r.state for r in results],
                         [possession.OrderState.PAID, None, possession.OrderState.PAID])
        self.assertIsNone(results[0].error)
        e = results[1].error
        self.assertIs(type(e), cls)
        self.assertEqual((e.code, e.detail), (cls.code, results[1].detail))
        for fragment in fragments:
            self.assertIn(fragment, results[1].detail)
        self.assertEqual(s.load_order(results[2].order_id).total, Decimal("2.02"))
        with self.assertRaises(possession.NotFoundError):
            s.load_order(bad["id"])
        self.assertEqual(s.posted_balance, Decimal("4.04"))
        s.verify()

    def test_a_line_with_nine_taxes(self):
        nine = ["T%d" % i for i in range(1, 10)]
        bad = self.order(2, [Line("tea", "2.00", taxes=nine)], [Payment("Cash", "2.18")])
        # The library's batch keeps only each order's code (it clears the detail before
        # the next order), so the detail is the code's name.
        self.check(bad, possession.InvalidError, ["invalid argument"])

    def test_an_amount_with_too_many_decimals(self):
        bad = self.order(2, [Line("tea", "2.005")], [Payment("Cash", "2.00")])
        self.check(bad, possession.InvalidError,
                   ["price '2.005' is not a decimal number with at most 2 decimals"])

    def test_an_amount_beyond_64_bits(self):
        bad = self.order(2, [croissants()], [Payment("Cash", 10**30)])
        self.check(bad, possession.AmountOverflowError, ["payment amount", "out of range"])

    def test_an_empty_batch(self):
        self.assertEqual(self.session.submit_batch(ALICE, []), (0, []))

    def test_every_order_refused(self):
        bad = self.order(2, [Line("tea", "2.005")], [])
        accepted, results = self.session.submit_batch(ALICE, [bad, bad])
        self.assertEqual((accepted, [r.status for r in results]),
                         (0, [possession.InvalidError.code] * 2))

    def test_single_submit_and_create_raise_the_libraries_error(self):
        nine = ["T%d" % i for i in range(1, 10)]
        for call in (lambda: self.session.create_order(ALICE, [Line("tea", "2", taxes=nine)]),
                     lambda: self.session.submit(ALICE, str(uuid.uuid4()),
                                                 [Line("tea", "2", taxes=nine)])):
            with self.assertRaises(possession.InvalidError) as caught:
                call()
            self.assertIn("9 taxes", caught.exception.detail)
            self.assertIn("at most 8", caught.exception.detail)


if __name__ == "__main__":
    unittest.main()

"""Money crosses the boundary exactly: Decimal (or int, or a decimal str) in, Decimal at the
currency's exponent out; floats are refused; the edges of int64 minor units round-trip."""

import unittest
import uuid
from decimal import Decimal, localcontext

import possession
from possession import Line, to_decimal, to_minor
from helpers import ALICE, MIA, DATE, Clock, config_fields

INT64_MAX = 2**63 - 1
INT64_MIN = -2**63


class Conversions(unittest.TestCase):
    def test_zero_and_signs(self):
        self.assertEqual(to_minor(Decimal("0"), 2), 0)
        self.assertEqual(to_minor(Decimal("-0.00"), 2), 0)
        self.assertEqual(to_minor("-150.00", 2), -15000)
        self.assertEqual(to_minor(Decimal("-150"), 2), -15000)
        self.assertEqual(to_minor(7, 2), 700)
        self.assertEqual(to_decimal(0, 2), Decimal("0.00"))
        self.assertEqual(str(to_decimal(0, 2)), "0.00")
        self.assertEqual(str(to_decimal(-15000, 2)), "-150.00")

    def test_exponents(self):
        for exponent, minor, text in [(0, 1234, "1234"), (2, 1234, "12.34"),
                                      (3, 1234, "1.234"), (4, 1234, "0.1234")]:
            d = to_decimal(minor, exponent)
            self.assertEqual(str(d), text)
            self.assertEqual(d.as_tuple().exponent, -exponent)
            self.assertEqual(to_minor(d, exponent), minor)
            self.assertEqual(to_minor(text, exponent), minor)

    def test_int64_edges_round_trip(self):
        for exponent in range(0, 5):
            for minor in (INT64_MAX, INT64_MIN, INT64_MIN + 1, INT64_MAX - 1, 1, -1):
                with self.subTest(exponent=exponent, minor=minor):
                    self.assertEqual(to_minor(to_decimal(minor, exponent), exponent), minor)
        self.assertEqual(str(to_decimal(INT64_MAX, 2)), "92233720368547758.07")
        self.assertEqual(str(to_decimal(INT64_MIN, 2)), "-92233720368547758.08")
        self.assertEqual(to_minor(Decimal("-92233720368547758.07"), 2), INT64_MIN + 1)
        with self.assertRaises(possession.AmountOverflowError):
            to_minor("-92233720368547758.09", 2)

    def test_beyond_int64_overflows(self):
        for value in ("92233720368547758.08", Decimal("1E+30"), 2**63):
            with self.subTest(value=value):
                with self.assertRaises(possession.AmountOverflowError) as caught:
                    to_minor(value, 2)
                self.assertIsInstance(caught.exception, OverflowError)

    def test_float_is_a_type_error(self):
        for exponent in (0, 2):
            with self.assertRaises(TypeError) as caught:
                to_minor(12.34, exponent)
            self.assertIn("Decimal", str(caught.exception))
            self.assertIn("str", str(caught.exception))
        with self.assertRaises(TypeError):
            to_minor(True, 2)
        with self.assertRaises(TypeError):
            to_minor(None, 2)

    def test_too_many_decimals(self):
        for value, exponent in ((Decimal("12.345"), 2), ("1.5", 0), (Decimal("0.00001"), 4),
                                (Decimal("1E-30"), 2)):
            with self.subTest(value=value):
                with self.assertRaises(possession.InvalidError) as caught:
                    to_minor(value, exponent)
                self.assertIsInstance(caught.exception, ValueError)
        self.assertEqual(to_minor(Decimal("12.3400"), 2), 1234)  # zeros are fine

    def test_malformed(self):
        for value in ("12,34", " 1", "1e3", "", "abc", Decimal("NaN"), Decimal("-Infinity")):
            with self.subTest(value=value):
                with self.assertRaises(possession.InvalidError):
                    to_minor(value, 2)

    def test_context_precision_does_not_matter(self):
        with localcontext() as ctx:
            ctx.prec = 3
            self.assertEqual(str(to_decimal(INT64_MAX, 2)), "92233720368547758.07")
            self.assertEqual(to_minor(Decimal("123456.78"), 2), 12345678)


class InTheLibrary(unittest.TestCase):
    """Amounts in real calls for currencies with exponent 0 (JPY) and 3 (KWD)."""

    def day(self, currency, exponent, price, paid):
        store = possession.MemoryStore()
        ctx = possession.Context(store, clock=Clock())
        fields = config_fields(id=str(uuid.uuid4()), currency=currency, exponent=exponent,
                               max_difference="0", denominations=["1"])
        config = ctx.new_config(fields)
        config.save(MIA)
        self.assertEqual((config.currency, config.exponent), (currency, exponent))
        s = ctx.create_session(config, ALICE, operating_date=DATE)
        s.open(ALICE, "0")
        o = s.create_order(ALICE, [Line("tea", price, 3)])
        o.add_payment(ALICE, "Cash", paid)
        return s, o

    def test_exponent_0(self):
        s, o = self.day("JPY", 0, "150", 500)
        self.assertEqual(str(o.total), "450")
        self.assertEqual(str(o.totals.change), "50")
        self.assertEqual(str(s.expected_cash), "450")
        with self.assertRaises(possession.InvalidError):
            o.add_payment(ALICE, "Cash", "1.5")

    def test_exponent_3(self):
        s, o = self.day("KWD", 3, Decimal("1.250"), Decimal("4"))
        self.assertEqual(str(o.total), "3.750")
        self.assertEqual(str(o.totals.change), "0.250")
        self.assertEqual(str(s.expected_cash), "3.750")
        self.assertEqual(o.lines[0].quantity, Decimal("3.000"))
        s.start_closing(ALICE)
        s.count(ALICE, Decimal("3.749"))
        with self.assertRaises(possession.CashDifferenceError) as caught:
            s.close(ALICE)
        self.assertEqual(str(caught.exception.difference), "-0.001")
        self.assertEqual(str(caught.exception.allowed), "0.000")

    def test_quantities_and_discounts(self):
        s, o = self.day("EUR", 2, "10.00", "100")
        d = s.create_order(ALICE, [Line("cheese", "20.00", Decimal("0.250"), discount="10")])
        self.assertEqual(d.total, Decimal("4.50"))
        self.assertEqual(d.lines[0].discount, Decimal("10.0000"))
        with self.assertRaises(TypeError):
            s.create_order(ALICE, [Line("cheese", "20.00", 0.25)])
        with self.assertRaises(possession.InvalidError):
            s.create_order(ALICE, [Line("cheese", "20.00", Decimal("0.0001"))])

    def test_int64_min_is_not_a_count(self):
        # The C API reads INT64_MIN minor units as "not counted": the binding refuses it.
        s, o = self.day("EUR", 2, "10.00", "30")
        s.start_closing(ALICE)
        with self.assertRaises(possession.AmountOverflowError):
            s.count(ALICE, to_decimal(INT64_MIN, 2))

    def test_negative_amounts_come_back_negative(self):
        s, o = self.day("EUR", 2, "10.00", "30")
        s.correction(ALICE, "-0.50", "coin lost", account="Expenses:Petty")
        moves = s.cash_movements()
        self.assertEqual(moves[0].amount, Decimal("-0.50"))
        self.assertEqual(moves[0].kind, possession.CashKind.CORRECTION)


if __name__ == "__main__":
    unittest.main()

"""Fixed taxes and taxes on taxes through the binding (doc/concepts.md, "Fixed taxes and
taxes on taxes"): a Tax with per_unit (an amount in the currency per unit of quantity, no
rate), included in the price or added on top, and affects_base (the tax joins the base of the
taxes listed after it on a line, so the order of a line's taxes counts and is kept as
given). The figures are those of tests/core/fixed_taxes.c, Odoo's among them."""

import unittest
from decimal import Decimal

import possession
from possession import Line, Payment, Tax, TaxRounding
from helpers import ALICE, MIA, Clock, DictStore, config_fields, open_session, saved_config

D = Decimal

# DEPOSIT 0.25 a unit on top, ECO 0.50 a unit on top in the base of what follows, DEPINC 0.10
# a unit included; Odoo's fixed 10 on top, the same in the base, fixed 10 included, 10% on
# top and 21% included.
FIXED = [
    Tax("DEPOSIT", per_unit="0.25", account="Liabilities:Deposits"),
    Tax("ECO", per_unit=D("0.50"), affects_base=True, account="Liabilities:Eco"),
    Tax("DEPINC", per_unit="0.10", included=True, account="Liabilities:Dep"),
    Tax("FIX10", per_unit=10, account="Liabilities:Odoo"),
    Tax("FIX10B", per_unit="10.00", affects_base=True, account="Liabilities:Odoo"),
    dict(code="FIX10I", per_unit="10", included=True, account="Liabilities:Odoo"),
    Tax("P10", "10", "Liabilities:Odoo"),
    ("P21I", "21", "Liabilities:Odoo", True),
]


def order_id(n):
    return "0000000f-0000-4000-8000-%012d" % n


def taxes(rounding=TaxRounding.PER_LINE):
    return config_fields(tax_rounding=rounding)["taxes"] + FIXED


class Base(unittest.TestCase):
    rounding = TaxRounding.PER_LINE

    def setUp(self):
        self.store = DictStore()
        self.ctx = possession.Context(self.store, clock=Clock())
        self.config = saved_config(self.ctx, tax_rounding=self.rounding, taxes=taxes())
        self.s = open_session(self.ctx)

    def line(self, o, i):
        line = o.lines[i]
        return (line.untaxed, line.tax, line.total)


class PerLine(Base):
    def test_deposit_beside_vat(self):
        # Six bottles at 0.80 with a 0.25 deposit and 20% VAT: the deposit is 1.50, VAT 0.96
        # on 4.80 (the deposit is not in its base), 7.26. 1.5 kg at 0.25 is 0.375: 0.38.
        o = self.s.create_order(ALICE, [
            Line("water", "0.80", 6, taxes=["DEPOSIT", "VAT20"]),
            Line("nuts", "4.00", D("1.500"), taxes=["DEPOSIT"])])
        self.assertEqual(self.line(o, 0), (D("4.80"), D("2.46"), D("7.26")))
        self.assertEqual(o.lines[1].tax, D("0.38"))
        self.assertEqual(o.total, D("7.26") + D("6.00") + D("0.38"))
        by_code = {t.code: t for t in o.taxes}
        self.assertEqual((by_code["DEPOSIT"].amount, by_code["DEPOSIT"].rate),
                         (D("1.88"), D("0")))
        self.assertEqual((by_code["VAT20"].base, by_code["VAT20"].amount),
                         (D("4.80"), D("0.96")))

    def test_eco_tax_in_the_base_of_vat_and_the_order_kept(self):
        # A fridge of 300.00 with 0.50 eco-tax before VAT: VAT 20% of 300.50 = 60.10, 360.60;
        # listed after VAT it is not in its base: 60.00, 360.50.
        o = self.s.create_order(ALICE, [Line("fridge", "300.00", taxes=["ECO", "VAT20"]),
                                        Line("fridge", "300.00", taxes=("VAT20", "ECO"))])
        self.assertEqual(self.line(o, 0), (D("300.00"), D("60.60"), D("360.60")))
        self.assertEqual(self.line(o, 1), (D("300.00"), D("60.50"), D("360.50")))
        self.assertEqual([line.taxes for line in o.lines],
                         [("ECO", "VAT20"), ("VAT20", "ECO")])
        o.add_payment(ALICE, "Voucher", "721.10")
        # stored in the given order, read back so from the store
        again = self.s.load_order(o.id)
        self.assertEqual([line.taxes for line in again.lines],
                         [("ECO", "VAT20"), ("VAT20", "ECO")])
        self.assertEqual([line.total for line in again.lines], [D("360.60"), D("360.50")])
        payload = self.store.records[("order", o.id)].payload
        # the tax table entry: rate, included, account, per unit, affects the base
        self.assertIn('"ECO":[0,false,"Liabilities:Eco",50,true]', payload)
        self.assertIn('["fridge",1000,30000,[["ECO",50],["VAT20",6010]]]', payload)
        self.assertIn('["fridge",1000,30000,[["VAT20",6000],["ECO",50]]]', payload)
        # the refund of the first fridge gives back exactly what it took
        r = self.s.submit(ALICE, order_id(90), [Line.refund(0)],
                          [Payment("Voucher", "-360.60")], refund_of=o.id)
        self.assertEqual(self.s.load_order(r.order_id).total, D("-360.60"))
        self.s.verify()
        expected = self.s.expected_cash
        self.s.start_closing(ALICE)
        self.s.count(ALICE, expected)
        self.s.close(MIA)
        net = {}
        for line in self.s.entry():
            net[line.account] = net.get(line.account, 0) + line.credit - line.debit
        self.assertEqual(net["Liabilities:Eco"], D("0.50"))
        self.assertEqual(net["Liabilities:VAT20"], D("60.00"))  # the first came back

    def test_included_deposit(self):
        # Two juices at 1.10, the price including a 0.10 deposit and 10% VAT: 0.20 out first,
        # VAT 2.00 / 11 = 0.18; untaxed 1.82, tax 0.38, total 2.20.
        o = self.s.create_order(ALICE, [Line("juice", "1.10", 2, taxes=["DEPINC", "VAT10"])])
        self.assertEqual(self.line(o, 0), (D("1.82"), D("0.38"), D("2.20")))
        before = self.store.content()
        with self.assertRaises(possession.InvalidError) as caught:
            self.s.create_order(ALICE, [Line("sip", "0.05", taxes=["DEPINC", "VAT10"])])
        self.assertEqual(caught.exception.detail, "line of 'sip': the fixed taxes included "
                                                  "in its price 0.05 exceed it (0.10)")
        self.assertEqual(self.store.content(), before)

    def test_odoo(self):
        # A fixed 10 and 10% on 200: 10 + 20 (230); the fixed 10 in the base: 10 + 21 (231);
        # a fixed 10 included in 100.00 taken twice leaves 180 (200); 21% included in 7.00
        # is 1.21 on 5.79.
        o = self.s.create_order(ALICE, [Line("a", "200", taxes=["FIX10", "P10"]),
                                        Line("b", "200", taxes=["FIX10B", "P10"]),
                                        Line("c", "100", 2, taxes=["FIX10I"]),
                                        Line("d", "7.00", taxes=["P21I"])])
        self.assertEqual(self.line(o, 0), (D("200.00"), D("30.00"), D("230.00")))
        self.assertEqual(self.line(o, 1), (D("200.00"), D("31.00"), D("231.00")))
        self.assertEqual(self.line(o, 2), (D("180.00"), D("20.00"), D("200.00")))
        self.assertEqual(self.line(o, 3), (D("5.79"), D("1.21"), D("7.00")))


class PerOrder(Base):
    rounding = TaxRounding.PER_ORDER

    def test_fixed_taxes_stay_each_lines_own(self):
        # Three bulbs of 0.33 with ECO and VAT20: eco-taxes 1.50, VAT once on 0.99 + 1.50 =
        # 2.49: 0.50 (per line it would be 0.51).
        bulb = Line("bulb", "0.33", taxes=["ECO", "VAT20"])
        o = self.s.create_order(ALICE, [bulb, bulb, bulb])
        t = o.totals
        self.assertEqual((t.untaxed, t.tax, t.total), (D("0.99"), D("2.00"), D("2.99")))


class Config(unittest.TestCase):
    def setUp(self):
        self.store = DictStore()
        self.ctx = possession.Context(self.store, clock=Clock())

    def refused(self, cls, message, *extra):
        fields = config_fields()
        fields["taxes"] = list(fields["taxes"]) + list(extra)
        with self.assertRaises(cls) as caught:
            self.ctx.new_config(fields)
        self.assertIs(type(caught.exception), cls)
        self.assertEqual(caught.exception.detail, message)

    def test_refusals(self):
        self.refused(possession.InvalidError, "tax 'BOTH' has a rate and an amount per unit; "
                     "a fixed tax has no rate",
                     Tax("BOTH", "5", "Tax", per_unit="0.10"))
        self.refused(possession.InvalidError, "tax 'BOTH' is included in the price; only a "
                     "tax added on top may affect the base of the taxes after it",
                     Tax("BOTH", "10", "Tax", included=True, affects_base=True))
        self.refused(possession.InvalidError, "tax 'BOTH' has -0.01 per unit; a fixed tax is "
                     "0 or more", Tax("BOTH", per_unit="-0.01", account="Tax"))
        self.refused(possession.InvalidError, "tax per_unit '0.001' is not a decimal number "
                     "with at most 2 decimals", Tax("BOTH", per_unit="0.001", account="Tax"))
        with self.assertRaises(TypeError):
            self.ctx.new_config(config_fields(taxes=[Tax("F", per_unit=0.25, account="T")]))
        self.assertEqual(self.store.content(), DictStore().content())

    def test_through_json(self):
        config = saved_config(self.ctx, taxes=taxes())
        text = config.to_json()
        self.assertIn('{"code":"ECO","name":"ECO","rate_ppm":0,"included":false,'
                      '"account":"Liabilities:Eco","per_unit":50,"affects_base":true}', text)
        self.assertEqual(self.ctx.config_from_json(text).to_json(), text)
        loaded = self.ctx.load_config(config.id)
        self.assertEqual(loaded.to_json(), text)


if __name__ == "__main__":
    unittest.main()

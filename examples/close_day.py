"""close_day.py: one trading day at a bakery till, told from Python. Alice opens the drawer,
sells in cash and by card, takes cash to the safe and counts short at night; the library
refuses her close because the difference is beyond what a cashier may close with, and says by
how much; Mia, the manager, closes it. Then the closing report and the journal entry as
ledger text.

From the source tree, after building into build/ (bash tests/run.sh, or meson setup build &&
meson compile -C build):
    PYTHONPATH=build/bindings/python python3 examples/close_day.py
After meson install (see doc/python.md): python3 examples/close_day.py
"""

import sys
from decimal import Decimal

import possession
from possession import Actor, Line, Method, Role, Tax

alice = Actor("alice", Role.CASHIER, device="till-1")
mia = Actor("mia", Role.MANAGER, device="office")


def main() -> int:
    with possession.MemoryStore() as store, possession.Context(store) as ctx:
        # The register: cash and an electronic card terminal, VAT included in prices, and a
        # cashier may close with at most 5.00 of difference.
        config = ctx.new_config(
            name="Bakery till", code="BAK-01", currency="EUR", exponent=2,
            max_difference=Decimal("5.00"),
            accounts=dict(income="Income:Sales", receivable="Assets:POS Receivable",
                          difference_gain="Income:Cash Over",
                          difference_loss="Expenses:Cash Short",
                          cash_in="Assets:Safe", cash_out="Assets:Safe"),
            methods=[Method("Cash", "cash", "Assets:Cash"),
                     Method("Card", "card", "Assets:Card Clearing", electronic=True)],
            taxes=[Tax("VAT7", Decimal("7"), "Liabilities:VAT", included=True, name="VAT 7%")],
            denominations=["0.01", "0.02", "0.05", "0.10", "0.20", "0.50", "1", "2", "5",
                           "10", "20", "50"])
        config.save(mia)

        # Morning: alice opens the empty drawer and puts the float from the safe in.
        session = ctx.create_session(config, alice, operating_date="2026-11-21")
        session.open(alice, counted_cash=Decimal("0.00"), note="drawer emptied last night")
        session.cash_in(alice, Decimal("150.00"), "float from the safe")
        print("opened", session)

        # Sales: bread and croissants in cash (change given), a cake by card.
        breakfast = session.create_order(alice, [
            Line("bread", Decimal("3.20"), 2, name="Sourdough loaf", taxes=["VAT7"]),
            Line("croissant", Decimal("1.40"), 6, name="Croissant", taxes=["VAT7"]),
        ])
        breakfast.add_payment(alice, "Cash", Decimal("20.00"))
        print("sold", breakfast, "change", breakfast.totals.change)

        cake = session.create_order(alice, [Line("cake", Decimal("24.50"), name="Apple cake",
                                                  taxes=["VAT7"])])
        payment = cake.add_payment(alice, "Card", Decimal("24.50"), reference="TRM-0042")
        cake.confirm_payment(alice, payment)  # the terminal approved
        print("sold", cake)

        session.cash_out(alice, Decimal("100.00"), "to the safe at noon")
        print("expected in the drawer now:", session.expected_cash, session.currency)

        # Night: the drawer holds 58.50 where 64.80 are expected.
        session.start_closing(alice)
        session.count(alice, denominations={"20": 2, "10": 1, "5": 1, "2": 1, "1": 1,
                                            "0.50": 1},
                      methods={"Card": Decimal("24.50")})
        try:
            session.close(alice)
        except possession.CashDifferenceError as refused:
            print("\nclose refused for alice:", refused.detail)
            print("  expected   %10s" % refused.expected)
            print("  counted    %10s" % refused.counted)
            print("  difference %10s" % refused.difference)
            print("  allowed    %10s" % refused.allowed)
        else:
            print("unexpected: the cashier closed with the drawer short", file=sys.stderr)
            return 1

        session.close(mia, note="6.30 short, counted twice")
        print("closed by mia:", session, "\n")

        print(session.report().text)
        entry = session.entry()
        print(entry.ledger(), end="")
        assert sum(line.debit for line in entry) == sum(line.credit for line in entry)
    return 0


if __name__ == "__main__":
    sys.exit(main())

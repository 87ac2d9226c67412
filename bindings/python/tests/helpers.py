"""What the Python tests share: the actors, a realistic config (the C tests' register), a
deterministic clock, a dict-based store implementing the store protocol, and a variant of it
that raises on its Nth call."""

from decimal import Decimal

import possession
from possession import Actor, Line, Method, Role, Tax

ALICE = Actor("alice", Role.CASHIER, "till-1")
BOB = Actor("bob", Role.CASHIER, "till-2")
MIA = Actor("mia", Role.MANAGER, "office")
ADA = Actor("ada", Role.ADMIN, "office")

CONFIG_ID = "0c0f1a00-0000-4000-8000-000000000001"
DATE = "2026-11-21"
T0 = 1795248000000  # 2026-11-21 08:00:00 UTC


class Clock:
    """A clock the test moves."""

    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now


def config_fields(**overrides):
    """Cash, Card (electronic), Voucher; VAT10 included, VAT20 excluded; category books."""
    fields = dict(
        id=CONFIG_ID, name="Main register", code="POS-0001", currency="EUR", exponent=2,
        max_difference="10.00",
        accounts=dict(income="Income:Sales", receivable="Assets:POS Receivable",
                      difference_gain="Income:Cash Over", difference_loss="Expenses:Cash Short",
                      cash_in="Assets:Safe", cash_out="Assets:Bank Transit",
                      expense="Expenses:Petty", rounding_gain="Income:Rounding",
                      rounding_loss="Expenses:Rounding"),
        methods=[Method("Cash", "cash", "Assets:Cash"),
                 Method("Card", "card", "Assets:Card", electronic=True),
                 Method("Voucher", "other", "Liabilities:Vouchers")],
        taxes=[Tax("VAT10", "10", "Liabilities:VAT10", included=True, name="VAT 10%"),
               Tax("VAT20", "20", "Liabilities:VAT20", name="VAT 20%")],
        categories={"books": "Income:Books"},
        denominations=["0.01", "0.02", "0.05", "0.10", "0.20", "0.50", "1", "2", "5", "10",
                       "20", "50"],
    )
    fields.update(overrides)
    return fields


def saved_config(ctx, **overrides):
    config = ctx.new_config(config_fields(**overrides))
    config.save(MIA)
    return config


def open_session(ctx, counted="0.00"):
    session = ctx.create_session(CONFIG_ID, ALICE, operating_date=DATE)
    session.open(ALICE, counted)
    return session


def croissants(n=2):
    return Line("croissant", "1.50", n, name="Croissant", taxes=["VAT10"])


class DictStore:
    """A store written in Python: records, claims and the audit trail in dicts and a list,
    with transactions as snapshots taken at begin and restored at rollback."""

    def __init__(self):
        self.records = {}
        self.claims = {}
        self.trail = []
        self._saved = None

    def content(self):
        """Everything stored, comparable with ==."""
        return (sorted(self.records.items()), sorted(self.claims.items()), list(self.trail))

    def begin(self, write):
        assert self._saved is None, "nested transaction"
        self._saved = (dict(self.records), dict(self.claims), len(self.trail))

    def commit(self):
        self._saved = None

    def rollback(self):
        records, claims, n = self._saved
        self.records, self.claims = records, claims
        del self.trail[n:]
        self._saved = None

    def get(self, kind, id):
        return self.records.get((kind, id))

    def put(self, record, expected_rev):
        current = self.records.get((record.kind, record.id))
        if (current.rev if current else 0) != expected_rev:
            return False
        self.records[(record.kind, record.id)] = record
        return True

    def scan(self, kind, parent):
        return [r for (k, _), r in self.records.items() if k == kind and r.parent == parent]

    def claim(self, key, owner):
        return self.claims.setdefault(key, owner)

    def release(self, key, owner):
        holder = self.claims.get(key)
        if holder == owner:
            del self.claims[key]
        return holder

    def lookup(self, key):
        return self.claims.get(key)

    def append(self, subject, payload):
        seq = (self.trail[-1].seq if self.trail else 0) + 1
        self.trail.append(possession.AuditItem(seq, subject, payload))
        return seq

    def audit_scan(self, subject, after_seq):
        return [a for a in self.trail
                if a.seq > after_seq and (subject is None or a.subject == subject)]


class InjectedFault(Exception):
    """What FaultyStore raises."""


class FaultyStore(DictStore):
    """A DictStore whose Nth callback raises (fail_at; None: never). A failing rollback still
    undoes the transaction first, as the contract demands, and then raises."""

    METHODS = ("begin", "commit", "rollback", "get", "put", "scan", "claim", "release",
               "lookup", "append", "audit_scan")

    def __init__(self):
        super().__init__()
        self.calls = 0
        self.fail_at = None
        self.raised = None
        self.exception = InjectedFault

    def _tick(self, name):
        self.calls += 1
        if self.calls == self.fail_at:
            self.raised = self.exception("injected failure at call %d (%s)" % (self.calls, name))
            return True
        return False

    def __getattribute__(self, name):
        if name not in FaultyStore.METHODS:
            return object.__getattribute__(self, name)
        method = object.__getattribute__(self, name)

        def call(*args):
            if name == "rollback":
                method(*args)
                if self._tick(name):
                    raise self.raised
                return None
            if self._tick(name):
                raise self.raised
            return method(*args)
        return call


def amount(text):
    return Decimal(text)

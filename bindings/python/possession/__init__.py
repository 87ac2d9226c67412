"""possession: point-of-sale sessions and their close, from Python.

A thin binding of libpossession: every rule (cash difference limits, roles, balances, the
journal entry) is the C library's; this package names the calls and turns amounts into
decimal.Decimal and failures into exceptions. Start with a Context on a store:

    import possession
    ctx = possession.Context(possession.MemoryStore())

See doc/python.md for the whole API on one page."""

from ._errors import (AccessDeniedError, AmountOverflowError, BusyError, CashDifferenceError,
                      ClosedError, ConfigError, ConflictError, CorruptError, DrawerError, Error,
                      ExistsError, InvalidError, LockedError, MismatchError, NoMemoryError,
                      NotFoundError, OverpayError, PendingOrdersError, PendingPaymentsError,
                      RefundError, StateError, StorageError, UnbalancedError, VersionError,
                      WriteError, error_class)
from ._model import (Actor, Amount, AuditRecord, CashKind, CashMovement, CashRounding,
                     EntryLine, EntryProduct, LateOrders, Line, MetaOwner, Method, MethodKind,
                     OrderDiscount, OrderLine, OrderPayment, OrderState, OrderTax,
                     OrderTotals, Payment, PaymentState, ReportMethod, ReportProduct,
                     ReportTax, Role, Rounding, SessionPage, SessionState, SubmitResult, Tax,
                     TaxRounding)
from ._store import AuditItem, Record, Store
from ._api import (HAVE_PG, HAVE_SQLITE, LIBRARY_VERSION, Config, Context, Entry,
                   FiscalVerdict, LogLevel, MemoryStore, Order, PgStore, Report, Session,
                   SqliteStore)
from . import _possession


def to_minor(amount: Amount, exponent: int) -> int:
    """An exact amount as an integer of minor units at exponent (0..4): to_minor('12.34', 2)
    is 1234. A float is a TypeError; more decimals than the exponent an InvalidError."""
    return _possession.to_minor(amount, exponent)


def to_decimal(minor: int, exponent: int):
    """Minor units as a Decimal with exactly exponent decimals: to_decimal(-15000, 2) is
    Decimal('-150.00')."""
    return _possession.to_decimal(minor, exponent)


__version__ = _possession.BINDING_VERSION  # the binding's meson project version

__all__ = [
    # handles
    "Context", "MemoryStore", "SqliteStore", "PgStore", "Config", "Session", "Order", "Entry", "Report",
    # values
    "Actor", "Role", "Method", "MethodKind", "Tax", "Line", "Payment", "Amount",
    "Rounding", "TaxRounding", "CashRounding", "LateOrders", "CashKind", "SessionState",
    "OrderState", "PaymentState", "MetaOwner", "LogLevel", "OrderTotals", "OrderLine",
    "OrderTax", "OrderPayment", "OrderDiscount", "SessionPage",
    "SubmitResult", "CashMovement", "AuditRecord", "EntryLine", "EntryProduct",
    "ReportMethod", "ReportTax", "ReportProduct", "FiscalVerdict",
    # the store protocol
    "Store", "Record", "AuditItem",
    # errors
    "Error", "InvalidError", "NoMemoryError", "NotFoundError", "ExistsError", "StateError",
    "AccessDeniedError", "LockedError", "AmountOverflowError", "ConflictError", "ClosedError",
    "PendingOrdersError", "PendingPaymentsError", "CashDifferenceError", "UnbalancedError",
    "CorruptError", "StorageError", "VersionError", "BusyError", "ConfigError", "RefundError",
    "OverpayError", "MismatchError", "WriteError", "DrawerError", "error_class",
    # helpers
    "to_minor", "to_decimal", "HAVE_SQLITE", "HAVE_PG", "LIBRARY_VERSION", "__version__",
]

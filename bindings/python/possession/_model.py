"""The plain values of possession: enums, the actor, the inputs a caller builds (methods,
taxes, lines, payments) and the read-only records calls return. Amounts are Decimal in the
config's currency; quantities are Decimal pieces (0.250 kg is Decimal('0.250')); rates and
discounts are Decimal percent. None of this holds a rule: the library decides everything."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any, List, NamedTuple, Optional, Sequence, Tuple, Union

from ._errors import CorruptError, Error, InvalidError, error_class

Amount = Union[Decimal, int, str]
"""What an amount argument accepts: Decimal, int or a decimal str ('12.34'); never float."""


class Role(IntEnum):
    """Roles, ordered: a higher role may do everything a lower one may."""
    NONE = 0
    CASHIER = 1
    MANAGER = 2
    ADMIN = 3


class MethodKind(IntEnum):
    CASH = 1
    CARD = 2
    OTHER = 3


class Rounding(IntEnum):
    HALF_UP = 1
    HALF_EVEN = 2
    UP = 3
    DOWN = 4


class TaxRounding(IntEnum):
    PER_LINE = 1
    PER_ORDER = 2


class CashRounding(IntEnum):
    OFF = 0
    CASH = 1
    ALL = 2


class LateOrders(IntEnum):
    """Where a config sends an order submitted to a session that no longer trades (being
    counted or closed): to its open session while it trades, else a rescue session (ROUTE,
    the default); always to a rescue session (RESCUE); nowhere (REFUSE: StateError while
    the session is counted, ClosedError once it closed). doc/close-flow.md, "Late orders"."""
    ROUTE = 1
    RESCUE = 2
    REFUSE = 3


class CashKind(IntEnum):
    IN = 1
    OUT = 2
    EXPENSE = 3
    CORRECTION = 4


class SessionState(str, Enum):
    NEW = "new"
    OPENING_CONTROL = "opening_control"
    IN_PROGRESS = "in_progress"
    CLOSING_CONTROL = "closing_control"
    CLOSED = "closed"

    def __str__(self) -> str:
        return self.value


class OrderState(str, Enum):
    DRAFT = "draft"
    PAID = "paid"
    DONE = "done"
    CANCELLED = "cancelled"

    def __str__(self) -> str:
        return self.value

    @property
    def number(self) -> int:
        """The library's value of the state."""
        return list(OrderState).index(self) + 1


class MetaOwner(IntEnum):
    """What host metadata belongs to (possession/meta.h)."""
    CONFIG = 1
    SESSION = 2
    ORDER = 3
    MOVEMENT = 4


class PaymentState(str, Enum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    VOIDED = "voided"

    def __str__(self) -> str:
        return self.value

    @property
    def number(self) -> int:
        """The library's value of the state."""
        return list(PaymentState).index(self) + 1


def _enum(cls: Any, value: Any, what: Optional[str] = None) -> Any:
    """An enum member from a member, its value or its (case-insensitive) name. With ``what``
    (a config field), anything else is an InvalidError naming the field and the values it
    takes, the way the library refuses a value; a bool is refused there too, since True
    would silently read as the member numbered 1."""
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        try:
            return cls[value.upper()]
        except KeyError:
            pass
    if what is None:
        return cls(value)
    if not isinstance(value, bool):
        try:
            return cls(value)
        except (ValueError, TypeError):
            pass
    raise InvalidError("%s must be one of %s (or possession.%s), not %r"
                       % (what, ", ".join(repr(m.name.lower()) for m in cls), cls.__name__,
                          value))


@dataclass(frozen=True)
class Actor:
    """Who performs a mutating call: a user id, a role and the device (till) it works on."""
    user: str
    role: Role = Role.CASHIER
    device: Optional[str] = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", _enum(Role, self.role))


@dataclass(frozen=True)
class Method:
    """A payment method of a config; electronic methods' payments start pending."""
    name: str
    kind: Union[MethodKind, str] = MethodKind.CASH
    account: Optional[str] = None
    electronic: bool = False

    def _c(self) -> tuple:
        return (self.name, int(_enum(MethodKind, self.kind)), self.account, self.electronic)


@dataclass(frozen=True)
class Tax:
    """A tax lines can carry; rate in percent (Decimal('7.7')). A fixed tax (a deposit, an
    eco-tax) gives per_unit instead, an amount in the currency per unit of quantity
    (Decimal('0.25')), and no rate. affects_base: the tax, added on top of the price, joins
    the base of the taxes listed after it on a line (a line's taxes keep their order)."""
    code: str
    rate: Amount = 0
    account: Optional[str] = None
    included: bool = False
    name: Optional[str] = None
    per_unit: Amount = 0
    affects_base: bool = False

    def _c(self) -> tuple:
        return (self.code, self.name, self.rate, self.included, self.account, self.per_unit,
                self.affects_base)


@dataclass(frozen=True)
class Line:
    """An order line: quantity in pieces (Decimal('0.250') for 250 g), unit price in the
    currency, discount in percent, tax codes from the config. A refund line names the
    refunded order's line index and a negative quantity; a negative quantity without
    refund_line takes the product back without a receipt, at the price and taxes given."""
    product_id: Optional[str] = None
    price: Amount = 0
    quantity: Amount = 1
    name: Optional[str] = None
    category: Optional[str] = None
    discount: Amount = 0
    taxes: Sequence[str] = ()
    refund_line: Optional[int] = None

    @classmethod
    def refund(cls, line: int, quantity: Amount = -1) -> "Line":
        """A refund line of the original order's line index (quantity negative)."""
        return cls(quantity=quantity, refund_line=line)

    def _c(self) -> tuple:
        # taxes go as given: the extension refuses a str (a tuple of its letters is no list
        # of codes) and leaves how many a line may carry to the library.
        return (self.product_id, self.name, self.category, self.quantity, self.price,
                self.discount, self.taxes, self.refund_line)


@dataclass(frozen=True)
class Payment:
    """A payment for Session.submit(); state None: pending for electronic methods."""
    method: str
    amount: Amount
    state: Optional[Union[PaymentState, str]] = None
    reference: Optional[str] = None

    def _c(self) -> tuple:
        state = None if self.state is None else _enum(PaymentState, self.state).number
        return (self.method, self.amount, state, self.reference)


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _time(ms: int) -> Optional[_dt.datetime]:
    """Milliseconds since the epoch, as the library returns them, as an aware UTC datetime
    (0: None). A time datetime cannot hold (outside the years 1 to 9999) can only come from
    a damaged record: CorruptError, as the library's own decoders answer one."""
    if not ms:
        return None
    try:
        return _EPOCH + _dt.timedelta(milliseconds=ms)
    except OverflowError:
        raise CorruptError("time %d ms since the epoch is outside the years 1 to 9999 a "
                           "datetime holds: the record it comes from is damaged" % ms) from None


def _date_of(text: str) -> _dt.date:
    """A date the library returns ('2026-11-21'); one that does not exist comes from a
    damaged record (CorruptError)."""
    try:
        return _dt.date.fromisoformat(text)
    except ValueError as e:
        raise CorruptError("date %r is not a date (%s): the record it comes from is damaged"
                           % (text, e)) from None


@dataclass(frozen=True)
class OrderTotals:
    untaxed: Decimal
    tax: Decimal
    total: Decimal
    rounding: Decimal
    due: Decimal
    paid: Decimal
    pending: Decimal
    change: Decimal
    remaining: Decimal
    cash_due: Decimal


@dataclass(frozen=True)
class OrderLine:
    product_id: str
    name: str
    category: Optional[str]
    income_account: str
    quantity: Decimal
    price: Decimal
    discount: Decimal
    untaxed: Decimal
    tax: Decimal
    total: Decimal
    taxes: Tuple[str, ...]
    refund_line: Optional[int]
    order_discount: Decimal
    """The line's share of the order discount (0 without one), already taken off untaxed
    and total: the shares add up to OrderDiscount.applied."""


@dataclass(frozen=True)
class OrderDiscount:
    """An order's discount as it was given, an amount in the currency or a percent of what
    its lines come to (the other None), and ``applied``, what it took off the lines in all
    (the sum of their OrderLine.order_discount)."""
    amount: Optional[Decimal]
    percent: Optional[Decimal]
    applied: Decimal


@dataclass(frozen=True)
class OrderTax:
    code: str
    account: str
    rate: Decimal
    included: bool
    base: Decimal
    amount: Decimal


@dataclass(frozen=True)
class OrderPayment:
    method: str
    amount: Decimal
    state: PaymentState
    change: Decimal
    reference: Optional[str]


@dataclass(frozen=True)
class SubmitResult:
    """What happened to a submitted order: where it went, and whether it was a duplicate.
    In a batch an order refused on its own has its code in ``status`` (0: taken) and the
    reason in ``detail``; ``error`` is then the exception a single submit would raise."""
    order_id: str
    session_id: str
    state: Optional[OrderState]
    duplicate: bool
    routed: bool
    rescue: bool
    status: int = 0
    detail: Optional[str] = None

    @property
    def error(self) -> Optional[Error]:
        """The possession.Error for ``status``, or None when the order was taken."""
        if not self.status:
            return None
        return error_class(self.status)(self.detail or "", code=self.status)


class SessionPage(NamedTuple):
    """One page of a config's sessions, newest first (Context.session_page): their ids, and
    whether older sessions that match follow. ``ids, more = page`` unpacks it."""
    ids: List[str]
    more: bool

    @property
    def after(self) -> Optional[str]:
        """The cursor for the next page: the last id of this one (None when it is empty)."""
        return self.ids[-1] if self.ids else None


@dataclass(frozen=True)
class CashMovement:
    id: str
    kind: CashKind
    amount: Decimal
    reason: str
    account: str
    user: str
    time: Optional[_dt.datetime]
    voided: bool
    void_reason: Optional[str]


@dataclass(frozen=True)
class AuditRecord:
    """One audit entry: who did what when, the outcome (0 or the refusal's code) and, for
    cash counts and closes, the figures as Decimal."""
    seq: int
    time: Optional[_dt.datetime]
    user: str
    role: Role
    device: str
    action: str
    session_id: str
    config_id: str
    outcome: int
    detail: str
    reason: str
    expected: Optional[Decimal]
    counted: Optional[Decimal]
    difference: Optional[Decimal]
    allowed: Optional[Decimal]
    json: str = field(repr=False)

    @property
    def ok(self) -> bool:
        """True when the action happened (was not refused)."""
        return self.outcome == 0


@dataclass(frozen=True)
class EntryLine:
    """One journal line: a debit or a credit, never both. ``partner`` is the customer of a
    split receivable line (config split_receivables), else None."""
    account: str
    debit: Decimal
    credit: Decimal
    label: str
    kind: str
    method: Optional[str]
    tax: Optional[str]
    partner: Optional[str]


@dataclass(frozen=True)
class EntryProduct:
    product_id: str
    name: str
    quantity: Decimal


@dataclass(frozen=True)
class ReportMethod:
    name: str
    account: str
    is_cash: bool
    payments: int
    amount: Decimal
    change: Decimal
    net: Decimal
    expected: Decimal
    counted: Optional[Decimal]
    difference: Decimal


@dataclass(frozen=True)
class ReportTax:
    code: str
    account: str
    base: Decimal
    amount: Decimal
    refund_base: Decimal
    refund_amount: Decimal


@dataclass(frozen=True)
class ReportProduct:
    product_id: str
    name: str
    sold: Decimal
    refunded: Decimal
    net: Decimal

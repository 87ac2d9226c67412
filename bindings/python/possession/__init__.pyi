# Type stubs for possession: every public name of the package.
import os
import datetime
import logging
from decimal import Decimal
from enum import Enum, IntEnum
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Mapping, NamedTuple,
                    Optional, Protocol, Sequence, TextIO, Tuple, Type, Union)

__version__: str
HAVE_SQLITE: bool
LIBRARY_VERSION: str

Amount = Union[Decimal, int, str]

def to_minor(amount: Amount, exponent: int) -> int: ...
def to_decimal(minor: int, exponent: int) -> Decimal: ...

# ---- values ----

class Role(IntEnum):
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
    ROUTE = 1
    RESCUE = 2
    REFUSE = 3

class CashKind(IntEnum):
    IN = 1
    OUT = 2
    EXPENSE = 3
    CORRECTION = 4

class LogLevel(IntEnum):
    ERROR = 1
    WARN = 2
    INFO = 3
    DEBUG = 4

class SessionState(str, Enum):
    NEW = "new"
    OPENING_CONTROL = "opening_control"
    IN_PROGRESS = "in_progress"
    CLOSING_CONTROL = "closing_control"
    CLOSED = "closed"

class OrderState(str, Enum):
    DRAFT = "draft"
    PAID = "paid"
    DONE = "done"
    CANCELLED = "cancelled"

class PaymentState(str, Enum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    VOIDED = "voided"
    @property
    def number(self) -> int: ...

class Actor:
    user: str
    role: Role
    device: Optional[str]
    def __init__(self, user: str, role: Union[Role, str, int] = ..., device: Optional[str] = ...) -> None: ...

class Method:
    name: str
    kind: Union[MethodKind, str]
    account: Optional[str]
    electronic: bool
    def __init__(self, name: str, kind: Union[MethodKind, str] = ..., account: Optional[str] = ..., electronic: bool = ...) -> None: ...

class Tax:
    code: str
    rate: Amount
    account: Optional[str]
    included: bool
    name: Optional[str]
    def __init__(self, code: str, rate: Amount, account: Optional[str] = ..., included: bool = ..., name: Optional[str] = ...) -> None: ...

class Line:
    product_id: Optional[str]
    price: Amount
    quantity: Amount
    name: Optional[str]
    category: Optional[str]
    discount: Amount
    taxes: Sequence[str]
    refund_line: Optional[int]
    def __init__(self, product_id: Optional[str] = ..., price: Amount = ..., quantity: Amount = ..., name: Optional[str] = ..., category: Optional[str] = ..., discount: Amount = ..., taxes: Sequence[str] = ..., refund_line: Optional[int] = ...) -> None: ...
    @classmethod
    def refund(cls, line: int, quantity: Amount = ...) -> Line: ...

class Payment:
    method: str
    amount: Amount
    state: Optional[Union[PaymentState, str]]
    reference: Optional[str]
    def __init__(self, method: str, amount: Amount, state: Optional[Union[PaymentState, str]] = ..., reference: Optional[str] = ...) -> None: ...

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

class OrderTax:
    code: str
    account: str
    rate: Decimal
    included: bool
    base: Decimal
    amount: Decimal

class OrderPayment:
    method: str
    amount: Decimal
    state: PaymentState
    change: Decimal
    reference: Optional[str]

class SubmitResult:
    order_id: str
    session_id: str
    state: Optional[OrderState]
    duplicate: bool
    routed: bool
    rescue: bool
    status: int
    detail: Optional[str]
    @property
    def error(self) -> Optional[Error]: ...

class CashMovement:
    id: str
    kind: CashKind
    amount: Decimal
    reason: str
    account: str
    user: str
    time: Optional[datetime.datetime]
    voided: bool
    void_reason: Optional[str]

class AuditRecord:
    seq: int
    time: Optional[datetime.datetime]
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
    json: str
    @property
    def ok(self) -> bool: ...

class EntryLine:
    account: str
    debit: Decimal
    credit: Decimal
    label: str
    kind: str
    method: Optional[str]
    tax: Optional[str]

class EntryProduct:
    product_id: str
    name: str
    quantity: Decimal

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

class ReportTax:
    code: str
    account: str
    base: Decimal
    amount: Decimal
    refund_base: Decimal
    refund_amount: Decimal

class ReportProduct:
    product_id: str
    name: str
    sold: Decimal
    refunded: Decimal
    net: Decimal

# ---- the store protocol ----

class Record(NamedTuple):
    kind: str
    id: str
    parent: str
    rev: int
    payload: str

class AuditItem(NamedTuple):
    seq: int
    subject: str
    payload: str

class Store(Protocol):
    def begin(self, write: bool) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def get(self, kind: str, id: str) -> Optional[Record]: ...
    def put(self, record: Record, expected_rev: int) -> bool: ...
    def scan(self, kind: str, parent: str) -> Iterable[Record]: ...
    def claim(self, key: str, owner: str) -> str: ...
    def release(self, key: str, owner: str) -> Optional[str]: ...
    def lookup(self, key: str) -> Optional[str]: ...
    def append(self, subject: str, payload: str) -> int: ...
    def audit_scan(self, subject: Optional[str], after_seq: int) -> Iterable[AuditItem]: ...

# ---- handles ----

class MemoryStore:
    def __init__(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def dump(self) -> str: ...
    def __enter__(self) -> MemoryStore: ...
    def __exit__(self, *exc: Any) -> None: ...

class SqliteStore:
    path: str
    def __init__(self, path: Union[str, "os.PathLike[str]"], *, sync: str = ..., busy_timeout_ms: int = ..., page_size: int = ...) -> None: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def __enter__(self) -> SqliteStore: ...
    def __exit__(self, *exc: Any) -> None: ...

StoreLike = Union[MemoryStore, SqliteStore, Store]
DateLike = Union[datetime.date, str, None]

class Context:
    def __init__(self, store: StoreLike, *, clock: Optional[Callable[[], Union[int, datetime.datetime]]] = ..., log: Union[logging.Logger, Callable[[LogLevel, str], None], None] = ..., log_level: Union[LogLevel, int] = ...) -> None: ...
    @property
    def store(self) -> StoreLike: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def __enter__(self) -> Context: ...
    def __exit__(self, *exc: Any) -> None: ...
    def now(self) -> datetime.datetime: ...
    def new_config(self, fields: Optional[Mapping[str, Any]] = ..., /, **kwargs: Any) -> Config: ...
    def config_from_json(self, text: str) -> Config: ...
    def load_config(self, config_id: str) -> Config: ...
    def create_session(self, config: Union[Config, str], actor: Actor, *, id: Optional[str] = ..., operating_date: DateLike = ...) -> Session: ...
    def load_session(self, session_id: str) -> Session: ...
    def find_open_session(self, config: Union[Config, str]) -> Optional[Session]: ...
    def session_ids(self, config: Union[Config, str], states: Optional[Iterable[Union[SessionState, str]]] = ...) -> List[str]: ...
    def load_entry(self, entry_id: str) -> Entry: ...
    def audit(self, subject: Union[Session, Config, str, None] = ...) -> List[AuditRecord]: ...
    def ledger(self, config: Union[Config, str], start: DateLike = ..., end: DateLike = ..., file: Optional[TextIO] = ...) -> Optional[str]: ...
    def csv(self, config: Union[Config, str], start: DateLike = ..., end: DateLike = ..., file: Optional[TextIO] = ...) -> Optional[str]: ...

class Config:
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def exponent(self) -> int: ...
    @property
    def max_difference(self) -> Decimal: ...
    @property
    def methods(self) -> Tuple[str, ...]: ...
    def validate(self) -> None: ...
    def save(self, actor: Actor) -> None: ...
    def to_json(self) -> str: ...

class Session:
    @property
    def context(self) -> Context: ...
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def config_id(self) -> str: ...
    @property
    def config(self) -> Config: ...
    @property
    def state(self) -> SessionState: ...
    @property
    def user(self) -> str: ...
    @property
    def lease_device(self) -> str: ...
    @property
    def lease_expires(self) -> Optional[datetime.datetime]: ...
    @property
    def operating_date(self) -> datetime.date: ...
    @property
    def is_rescue(self) -> bool: ...
    @property
    def currency(self) -> str: ...
    @property
    def opening_expected(self) -> Optional[Decimal]: ...
    @property
    def opening_counted(self) -> Optional[Decimal]: ...
    @property
    def current_balance(self) -> Decimal: ...
    @property
    def posted_balance(self) -> Decimal: ...
    @property
    def expected_cash(self) -> Optional[Decimal]: ...
    @property
    def drafts(self) -> int: ...
    @property
    def pending_payments(self) -> int: ...
    def start_opening(self, actor: Actor) -> None: ...
    def open(self, actor: Actor, counted_cash: Optional[Amount] = ..., *, note: Optional[str] = ...) -> None: ...
    def take_over(self, actor: Actor) -> None: ...
    def heartbeat(self, actor: Actor) -> None: ...
    def refresh(self) -> None: ...
    def verify(self) -> None: ...
    def create_order(self, actor: Actor, lines: Iterable[Union[Line, Mapping[str, Any]]] = ..., *, id: Optional[str] = ..., refund_of: Union[Order, str, None] = ..., invoiced: bool = ..., note: Optional[str] = ...) -> Order: ...
    def submit(self, actor: Actor, id: str, lines: Iterable[Union[Line, Mapping[str, Any]]], payments: Iterable[Union[Payment, Mapping[str, Any]]] = ..., *, refund_of: Union[Order, str, None] = ..., invoiced: bool = ..., note: Optional[str] = ...) -> SubmitResult: ...
    def submit_batch(self, actor: Actor, orders: Iterable[Mapping[str, Any]]) -> Tuple[int, List[SubmitResult]]: ...
    def load_order(self, order_id: str) -> Order: ...
    def move_cash(self, actor: Actor, kind: Union[CashKind, str], amount: Amount, reason: str, *, account: Optional[str] = ..., id: Optional[str] = ...) -> str: ...
    def cash_in(self, actor: Actor, amount: Amount, reason: str, *, account: Optional[str] = ..., id: Optional[str] = ...) -> str: ...
    def cash_out(self, actor: Actor, amount: Amount, reason: str, *, account: Optional[str] = ..., id: Optional[str] = ...) -> str: ...
    def expense(self, actor: Actor, amount: Amount, reason: str, *, account: Optional[str] = ..., id: Optional[str] = ...) -> str: ...
    def correction(self, actor: Actor, amount: Amount, reason: str, *, account: Optional[str] = ..., id: Optional[str] = ...) -> str: ...
    def void_cash(self, actor: Actor, movement_id: str, reason: str) -> None: ...
    def cash_movements(self) -> List[CashMovement]: ...
    def start_closing(self, actor: Actor) -> None: ...
    def count(self, actor: Actor, cash: Optional[Amount] = ..., *, denominations: Union[Mapping[Amount, int], Iterable[Tuple[Amount, int]], None] = ..., methods: Union[Mapping[str, Amount], Iterable[Tuple[str, Amount]], None] = ..., note: Optional[str] = ...) -> None: ...
    def close(self, actor: Actor, *, note: Optional[str] = ...) -> None: ...
    def reopen(self, actor: Actor, reason: str) -> None: ...
    def force_close(self, actor: Actor, reason: str, *, void_pending: bool = ..., counted_cash: Optional[Amount] = ...) -> None: ...
    def report(self) -> Report: ...
    def entry(self) -> Entry: ...
    def audit(self) -> List[AuditRecord]: ...
    def release(self) -> None: ...
    def __enter__(self) -> Session: ...
    def __exit__(self, *exc: Any) -> None: ...

class Order:
    @property
    def id(self) -> str: ...
    @property
    def session_id(self) -> str: ...
    @property
    def number(self) -> int: ...
    @property
    def state(self) -> OrderState: ...
    @property
    def refund_of(self) -> Optional[str]: ...
    @property
    def invoiced(self) -> bool: ...
    @property
    def totals(self) -> OrderTotals: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def lines(self) -> Tuple[OrderLine, ...]: ...
    @property
    def taxes(self) -> Tuple[OrderTax, ...]: ...
    @property
    def payments(self) -> Tuple[OrderPayment, ...]: ...
    def add_line(self, actor: Actor, line: Union[Line, Mapping[str, Any]]) -> int: ...
    def remove_line(self, actor: Actor, index: int) -> None: ...
    def add_payment(self, actor: Actor, method: str, amount: Amount, *, state: Union[PaymentState, str, None] = ..., reference: Optional[str] = ...) -> int: ...
    def pay(self, actor: Actor, method: str, amount: Amount, *, state: Union[PaymentState, str, None] = ..., reference: Optional[str] = ...) -> int: ...
    def confirm_payment(self, actor: Actor, index: int) -> None: ...
    def fail_payment(self, actor: Actor, index: int, reason: Optional[str] = ...) -> None: ...
    def void_payment(self, actor: Actor, index: int, reason: str) -> None: ...
    def cancel(self, actor: Actor, reason: str) -> None: ...
    def validate(self, actor: Actor) -> None: ...
    def set_invoiced(self, actor: Actor, invoiced: bool = ...) -> None: ...
    def release(self) -> None: ...
    def __enter__(self) -> Order: ...
    def __exit__(self, *exc: Any) -> None: ...

class Entry:
    id: str
    session_id: str
    reference: str
    date: datetime.date
    currency: str
    total: Decimal
    lines: Tuple[EntryLine, ...]
    products: Tuple[EntryProduct, ...]
    def __iter__(self) -> Iterator[EntryLine]: ...
    def __len__(self) -> int: ...
    def ledger(self, file: Optional[TextIO] = ...) -> Optional[str]: ...
    def csv(self, file: Optional[TextIO] = ..., *, header: bool = ...) -> Optional[str]: ...
    def release(self) -> None: ...
    def __enter__(self) -> Entry: ...
    def __exit__(self, *exc: Any) -> None: ...

class Report:
    text: str
    figures: Dict[str, Any]
    methods: Tuple[ReportMethod, ...]
    taxes: Tuple[ReportTax, ...]
    products: Tuple[ReportProduct, ...]
    opening_expected: Decimal
    opening_counted: Optional[Decimal]
    opening_difference: Decimal
    cash_payments: Decimal
    change: Decimal
    cash_in: Decimal
    cash_out: Decimal
    expenses: Decimal
    corrections: Decimal
    expected_cash: Decimal
    counted_cash: Optional[Decimal]
    difference: Decimal
    allowed: Decimal
    orders: int
    refunds: int
    cancelled: int
    drafts: int
    pending_payments: int
    posted_total: Decimal
    current_total: Decimal
    rounding: Decimal
    invoiced: Decimal
    untaxed: Decimal
    tax: Decimal
    opened_at: Optional[datetime.datetime]
    closed_at: Optional[datetime.datetime]
    created_at: Optional[datetime.datetime]
    session_name: str
    session_id: str
    config_name: str
    currency: str
    operating_date: str
    state: str
    opened_by: str
    closed_by: str
    responsible: str
    entry_id: str
    opening_note: str
    closing_note: str

# ---- errors ----

class Error(Exception):
    code: int
    detail: str
    figures: Dict[str, Any]
    def __init__(self, detail: str = ..., *, code: Optional[int] = ..., figures: Optional[Dict[str, Any]] = ...) -> None: ...

class InvalidError(Error, ValueError): ...
class NoMemoryError(Error, MemoryError): ...
class NotFoundError(Error, LookupError): ...
class ExistsError(Error): ...
class StateError(Error): ...
class AccessDeniedError(Error, PermissionError): ...
class LockedError(Error): ...
class AmountOverflowError(Error, OverflowError): ...
class ConflictError(Error): ...
class ClosedError(Error): ...
class PendingOrdersError(Error):
    @property
    def count(self) -> Optional[int]: ...
class PendingPaymentsError(Error):
    @property
    def count(self) -> Optional[int]: ...
class CashDifferenceError(Error):
    @property
    def expected(self) -> Optional[Decimal]: ...
    @property
    def counted(self) -> Optional[Decimal]: ...
    @property
    def difference(self) -> Optional[Decimal]: ...
    @property
    def allowed(self) -> Optional[Decimal]: ...
class UnbalancedError(Error):
    @property
    def imbalance(self) -> Optional[Decimal]: ...
class CorruptError(Error): ...
class StorageError(Error): ...
class VersionError(Error): ...
class BusyError(Error): ...
class ConfigError(Error): ...
class RefundError(Error):
    @property
    def available(self) -> Optional[Decimal]: ...
class OverpayError(Error):
    @property
    def remaining(self) -> Optional[Decimal]: ...
class MismatchError(Error): ...
class WriteError(Error, OSError): ...
class DrawerError(Error):
    @property
    def holds(self) -> Optional[Decimal]: ...
    @property
    def amount(self) -> Optional[Decimal]: ...

def error_class(code: int) -> Type[Error]: ...

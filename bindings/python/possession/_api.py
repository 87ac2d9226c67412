"""The idiomatic layer over the C extension: Context, stores, Config, Session, Order, Entry
and Report. Every method is one library call (or a read of a snapshot the call returned);
this module only names arguments, picks defaults and wraps results in plain values."""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
from decimal import Decimal
from enum import IntEnum
from typing import (Any, Callable, Dict, Iterable, Iterator, List, Mapping, NamedTuple,
                    Optional, Sequence, Tuple, TypeVar, Union)

from . import _possession as _c
from ._errors import InvalidError, NotFoundError
from ._model import (Actor, Amount, AuditRecord, CashKind, CashMovement, CashRounding,
                     LateOrders, Line, MetaOwner, Method, MethodKind, OrderDiscount, OrderLine,
                     OrderPayment, OrderState, OrderTax, OrderTotals, Payment, PaymentState,
                     ReportMethod, ReportProduct, ReportTax, Role, Rounding, SessionPage,
                     SessionState, SubmitResult, Tax, TaxRounding, EntryLine, EntryProduct,
                     _date_of, _enum, _time)

HAVE_SQLITE = bool(_c.HAVE_SQLITE)
HAVE_PG = bool(_c.HAVE_PG)
LIBRARY_VERSION: str = _c.LIBRARY_VERSION

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


class LogLevel(IntEnum):
    ERROR = 1
    WARN = 2
    INFO = 3
    DEBUG = 4


_LOGGING_LEVELS = {LogLevel.ERROR: logging.ERROR, LogLevel.WARN: logging.WARNING,
                   LogLevel.INFO: logging.INFO, LogLevel.DEBUG: logging.DEBUG}


def _id(obj: Any) -> str:
    """An id from a handle (Config, Session, Order, Entry) or the id itself."""
    return obj if isinstance(obj, str) else obj.id


def _date(value: Any) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _states_mask(states: Any, enum: Any) -> int:
    """The library's mask of states from members, values or names of enum (one, or any
    number of them); None: every state. An empty collection selects none, and the library
    says what it makes of that."""
    if states is None:
        return 0xFFFF
    if isinstance(states, (str, enum)):  # a str is iterable: one state, not its letters
        states = (states,)
    mask = 0
    for state in states:
        mask |= 1 << (list(enum).index(_enum(enum, state)) + 1)
    return mask


def _meta(value: Any, owner: str) -> Optional[str]:
    """Host metadata as the library takes it: a str is the JSON text itself, passed as given
    (byte for byte); a dict becomes compact JSON text with its keys in their order and
    non-ASCII kept as UTF-8 (the 4096-byte limit counts UTF-8 bytes). Whether the text is
    one JSON object within the limit is the library's to say. JSON has no NaN or infinity:
    a dict holding one is refused here, as the library refuses such text."""
    if value is None or isinstance(value, str):
        return value
    if not isinstance(value, Mapping):
        raise TypeError("%s meta must be a dict, a str of JSON text or None, not %s"
                        % (owner, type(value).__name__))
    try:
        return json.dumps(dict(value), ensure_ascii=False, allow_nan=False,
                          separators=(",", ":"))
    except ValueError as e:
        raise InvalidError("%s meta is not valid JSON: %s" % (owner, e)) from None
    except TypeError as e:
        raise TypeError("%s meta must be JSON-serializable: %s" % (owner, e)) from None


def _parsed(text: Optional[str]) -> Optional[Dict[str, Any]]:
    return None if text is None else json.loads(text)


# ---- stores ----

class MemoryStore(_c.MemoryStore):
    """The library's in-memory store (tests, examples, hosts that persist nothing).

    ``dump()`` returns the whole content as text: two stores with the same content give the
    same text."""

    def __enter__(self) -> "MemoryStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<MemoryStore%s>" % (" closed" if self.closed else "")


_SYNC = {"full": 0, "normal": 1}

if HAVE_SQLITE:
    class SqliteStore(_c.SqliteStore):
        """The SQLite store on one file (WAL mode). ``sync`` is 'full' (survives power loss,
        the default) or 'normal'; ``busy_timeout_ms`` how long to wait for another
        connection's lock before BusyError; ``page_size`` SQLite's page size for a file this
        creates (0: SQLite's 4096; bigger pages record batches faster, single orders slower).
        Give each Context its own SqliteStore."""

        def __new__(cls, path: Union[str, "os.PathLike[str]"], *, sync: str = "full",
                    busy_timeout_ms: int = 5000, page_size: int = 0) -> "SqliteStore":
            if sync not in _SYNC:
                raise ValueError("sync must be 'full' or 'normal'")
            return super().__new__(cls, path, sync=_SYNC[sync], busy_timeout_ms=busy_timeout_ms,
                                   page_size=page_size)

        def __init__(self, path: Union[str, "os.PathLike[str]"], *, sync: str = "full",
                     busy_timeout_ms: int = 5000, page_size: int = 0) -> None:
            self.path = os.fspath(path)

        def __enter__(self) -> "SqliteStore":
            return self

        def __exit__(self, *exc: Any) -> None:
            self.close()

        def __repr__(self) -> str:
            return "<SqliteStore %r%s>" % (self.path, " closed" if self.closed else "")
else:
    class SqliteStore:  # type: ignore[no-redef]
        """Stands in when the binding was built without libpossession-sqlite."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise NotImplementedError("possession was built without libpossession-sqlite "
                                      "(possession.HAVE_SQLITE is False)")

if HAVE_PG:
    class PgStore(_c.PgStore):
        """The PostgreSQL store on one connection (doc/postgres-store.md). ``conninfo`` is a
        libpq connection string or URI, passed as it is (multi-host lists work as libpq
        defines them); ``lock_timeout_ms`` how long to wait for another till's row lock
        before BusyError; ``statement_timeout_ms`` the longest statement (0: none);
        ``reconnect_attempts`` how often a lost connection is reset before StorageError.
        ``wait(timeout_ms)`` sleeps until tills commit audit entries (True) or the timeout
        passes (False), without holding the GIL. Give each Context its own PgStore, and use
        one from one thread at a time."""

        def __new__(cls, conninfo: str, *, lock_timeout_ms: int = 5000,
                    statement_timeout_ms: int = 0, reconnect_attempts: int = 3) -> "PgStore":
            return super().__new__(cls, conninfo, lock_timeout_ms=lock_timeout_ms,
                                   statement_timeout_ms=statement_timeout_ms,
                                   reconnect_attempts=reconnect_attempts)

        def __init__(self, conninfo: str, *, lock_timeout_ms: int = 5000,
                     statement_timeout_ms: int = 0, reconnect_attempts: int = 3) -> None:
            pass  # the conninfo is not kept: it may hold a password

        def __enter__(self) -> "PgStore":
            return self

        def __exit__(self, *exc: Any) -> None:
            self.close()

        def __repr__(self) -> str:
            return "<PgStore%s>" % (" closed" if self.closed else "")
else:
    class PgStore:  # type: ignore[no-redef]
        """Stands in when the binding was built without libpossession-pg."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise NotImplementedError("possession was built without libpossession-pg "
                                      "(possession.HAVE_PG is False)")


# ---- context ----

def _clock_fn(clock: Optional[Callable[[], Any]]) -> Optional[Callable[[], int]]:
    if clock is None:
        return None

    def read() -> int:
        now = clock()
        if isinstance(now, _dt.datetime):
            return (now - _EPOCH) // _dt.timedelta(milliseconds=1)
        return now
    return read


def _log_fn(log: Any) -> Optional[Callable[[int, str], None]]:
    if log is None:
        return None
    if isinstance(log, logging.Logger):
        return lambda level, message: log.log(_LOGGING_LEVELS[LogLevel(level)], message)
    return lambda level, message: log(LogLevel(level), message)


_CONFIG_TEXT = ("id", "name", "code", "currency")
_CONFIG_SCALARS = ("exponent", "cash_control", "max_difference", "one_session_per_day",
                   "cash_rounding_increment", "lease_seconds", "allow_zero_price",
                   "allow_negative_drawer", "split_receivables",
                   "allow_receiptless_returns")
_CONFIG_ENUMS = {"override_role": Role, "tax_rounding": TaxRounding, "rounding": Rounding,
                 "cash_rounding": CashRounding, "cash_rounding_mode": Rounding,
                 "late_orders": LateOrders, "receiptless_return_role": Role}
_ACCOUNTS = ("income", "receivable", "difference_gain", "difference_loss", "cash_in",
             "cash_out", "expense", "rounding_gain", "rounding_loss")


def _config_args(fields: Dict[str, Any]) -> tuple:
    """The extension's arguments for a config from keyword arguments (or a dict)."""
    fields = dict(fields)
    scalars: Dict[str, Any] = {}
    for key in _CONFIG_TEXT + _CONFIG_SCALARS:
        if key in fields:
            scalars[key] = fields.pop(key)
    for key, enum in _CONFIG_ENUMS.items():
        value = fields.pop(key, None)
        if value is not None:  # None: the library's default, as for the other fields
            scalars[key] = int(_enum(enum, value, key))
    for name, account in dict(fields.pop("accounts", None) or {}).items():
        if name not in _ACCOUNTS:
            raise TypeError("unknown account %r (known: %s)" % (name, ", ".join(_ACCOUNTS)))
        scalars[name + "_account"] = account
    for name in _ACCOUNTS:
        if name + "_account" in fields:
            scalars[name + "_account"] = fields.pop(name + "_account")
    methods = [_as(Method, m)._c() for m in fields.pop("methods", ())]
    taxes = [_as(Tax, t)._c() for t in fields.pop("taxes", ())]
    categories = _pairs(fields.pop("categories", None), "categories", "{category: account}",
                        "(category, account)")
    denominations = fields.pop("denominations", ())
    if isinstance(denominations, (str, bytes)) or not isinstance(denominations, Iterable):
        raise TypeError("denominations must be a sequence of amounts, not %s"
                        % type(denominations).__name__)
    denominations = list(denominations)
    if "meta" in fields:
        scalars["meta"] = _meta(fields.pop("meta"), "config")
    if fields:
        raise TypeError("unknown config field(s): " + ", ".join(sorted(fields)))
    return (scalars, methods, taxes, categories, denominations)


def _as(cls: Any, value: Any) -> Any:
    """A Method/Tax/Line/Payment from itself, a dict of its fields or a tuple."""
    if isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        return cls(**value)
    if isinstance(value, (tuple, list)):
        return cls(*value)
    raise TypeError("%s must be a possession.%s, a dict of its fields or a tuple, not %s"
                    % (cls.__name__.lower(), cls.__name__, type(value).__name__))


class Context:
    """A library context on one store: every other handle is made through it.

    ``store`` is a MemoryStore, a SqliteStore or any object implementing the store protocol
    (possession.Store). ``clock`` (optional) returns the time as ms since the epoch or an
    aware datetime; ``log`` is a logging.Logger or a callable(level, message). A context is
    used by one thread at a time."""

    def __init__(self, store: Any, *, clock: Optional[Callable[[], Any]] = None,
                 log: Any = None, log_level: Union[LogLevel, int] = LogLevel.WARN) -> None:
        self._h = _c.Context(store, _clock_fn(clock), _log_fn(log), int(log_level))
        self._store = store

    @property
    def store(self) -> Any:
        return self._store

    @property
    def closed(self) -> bool:
        return bool(self._h.closed)

    def close(self) -> None:
        """Lets go of the store; handles made with this context refuse further calls."""
        self._h.close()

    def __enter__(self) -> "Context":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<Context on %s%s>" % (type(self._store).__name__,
                                      " closed" if self.closed else "")

    def now(self) -> _dt.datetime:
        """The context's clock."""
        return _time(self._h.now()) or _EPOCH

    # configs

    def new_config(self, fields: Optional[Mapping[str, Any]] = None, /,
                   **kwargs: Any) -> "Config":
        """Builds a config (not yet saved) from keyword arguments or a dict: name, code,
        currency, exponent, cash_control, max_difference, override_role,
        one_session_per_day, tax_rounding, rounding, cash_rounding,
        cash_rounding_increment, cash_rounding_mode, lease_seconds, allow_zero_price,
        late_orders ('route', 'rescue', 'refuse' or a LateOrders), allow_negative_drawer,
        split_receivables (invoiced orders post their receivable per customer),
        allow_receiptless_returns and receiptless_return_role (who may take a product back
        without a receipt; a manager by default), accounts={'income': ..., ...} (or
        income_account=... etc.), methods, taxes, categories, denominations and meta (host
        metadata, written with the first save).
        An enum field takes its member, value or name; any other value is an InvalidError
        naming the values it takes."""
        merged = dict(fields or {})
        merged.update(kwargs)
        return Config(self, self._h.config_new(*_config_args(merged)))

    def config_from_json(self, text: str) -> "Config":
        """A config from the JSON document Config.to_json() writes."""
        return Config(self, self._h.config_from_json(text))

    def load_config(self, config_id: str) -> "Config":
        return Config(self, self._h.config_load(config_id))

    # sessions

    def create_session(self, config: Union["Config", str], actor: Actor, *,
                       id: Optional[str] = None,
                       operating_date: Union[_dt.date, str, None] = None,
                       meta: Union[Mapping[str, Any], str, None] = None) -> "Session":
        """Creates a session (state new) for a saved config, with actor responsible and the
        host's metadata (a dict or JSON object text)."""
        return Session(self, self._h.session_create(_id(config), actor, id,
                                                    _date(operating_date),
                                                    _meta(meta, "session")))

    def load_session(self, session_id: str) -> "Session":
        """Resumes a session from storage."""
        return Session(self, self._h.session_load(session_id))

    def find_open_session(self, config: Union["Config", str]) -> Optional["Session"]:
        """The config's session that is not closed, or None."""
        try:
            return Session(self, self._h.session_find_open(_id(config)))
        except NotFoundError:
            return None

    def session_ids(self, config: Union["Config", str],
                    states: Optional[Iterable[Union[SessionState, str]]] = None) -> List[str]:
        """Ids of the config's sessions (in the given states), in creation order."""
        return self._h.session_list(_id(config), _states_mask(states, SessionState))

    def session_page(self, config: Union["Config", str], *,
                     states: Union[Iterable[Union[SessionState, str]], SessionState, str,
                                   None] = None,
                     from_date: Union[_dt.date, str, None] = None,
                     to_date: Union[_dt.date, str, None] = None,
                     after: Union["Session", str, None] = None,
                     limit: int = 100) -> SessionPage:
        """One page of the config's sessions newest first (operating date, then creation
        time, then id): those in ``states`` dated from_date..to_date (inclusive; None: no
        bound), at most ``limit`` (1 to 1000). The next page starts after the last id of
        this one (``page.after``); ``page.more`` says whether one follows. Sessions created
        meanwhile are newer than any page read, so paging neither repeats nor skips one."""
        ids, more = self._h.session_list_page(
            _id(config), _states_mask(states, SessionState), _date(from_date), _date(to_date),
            None if after is None else _id(after), limit)
        return SessionPage(ids, more)

    def iter_session_ids(self, config: Union["Config", str], *,
                         states: Union[Iterable[Union[SessionState, str]], SessionState, str,
                                       None] = None,
                         from_date: Union[_dt.date, str, None] = None,
                         to_date: Union[_dt.date, str, None] = None,
                         page_size: int = 100) -> Iterator[str]:
        """Every matching session's id, newest first, as session_page() gives them: one
        library call per page of ``page_size``, made when the previous page is used up."""
        after: Optional[str] = None
        while True:
            page = self.session_page(config, states=states, from_date=from_date,
                                     to_date=to_date, after=after, limit=page_size)
            yield from page.ids
            if not page.more:
                return
            after = page.after

    # host metadata

    def get_meta(self, owner: Union[MetaOwner, str, int], id: Any, *,
                 parse: bool = False) -> Any:
        """The host metadata of a config, session, order or cash movement (``owner``; ``id``
        its id or the object) as it was given, byte for byte; None when it has none (an id
        the store does not hold has none). parse=True: the text parsed by json.loads."""
        text = self._h.meta_get(int(_enum(MetaOwner, owner)), _id(id))
        return _parsed(text) if parse else text

    def set_meta(self, actor: Actor, owner: Union[MetaOwner, str, int], id: Any,
                 meta: Union[Mapping[str, Any], str, None]) -> None:
        """Sets (None: clears) the metadata of a config (a manager or admin, at any time), a
        session, an order or a cash movement (a cashier or above, while the session is not
        closed: ClosedError after); audited as meta.set."""
        kind = _enum(MetaOwner, owner)
        self._h.meta_set(actor, int(kind), _id(id), _meta(meta, kind.name.lower()))

    # entries, audit, exports

    def load_entry(self, entry_id: str) -> "Entry":
        return Entry(self, self._h.entry_load(entry_id))

    def audit(self, subject: Union["Session", "Config", str, None] = None) -> List[AuditRecord]:
        """The audit trail about a session or a config (None: everything), oldest first."""
        return [_audit_record(r) for r in self._h.audit(None if subject is None else _id(subject))]

    def ledger(self, config: Union["Config", str], start: Union[_dt.date, str, None] = None,
               end: Union[_dt.date, str, None] = None, file: Any = None) -> Optional[str]:
        """Every entry of the config dated start..end as ledger text (written to file if
        given, else returned)."""
        return self._h.ledger_range(_id(config), _date(start), _date(end), file)

    def csv(self, config: Union["Config", str], start: Union[_dt.date, str, None] = None,
            end: Union[_dt.date, str, None] = None, file: Any = None) -> Optional[str]:
        """Every entry of the config dated start..end as CSV with one header row."""
        return self._h.csv_range(_id(config), _date(start), _date(end), file)

    # fiscal integrity (doc/fiscal.md)

    def fiscal_verify(self, config: Union["Config", str]) -> FiscalVerdict:
        """Walks the config's chain of fiscal events from its first; a broken chain is
        answered (first_bad_seq, problem, detail), not raised."""
        return FiscalVerdict(*self._h.fiscal_verify(_id(config)))

    def fiscal_archive(self, config: Union["Config", str], first_seq: int = 0,
                       last_seq: int = 0, file: Any = None) -> Optional[str]:
        """Events first_seq..last_seq (0, 0: all) as an archive of JSON lines that proves
        its integrity with no store (written to file if given, else returned)."""
        return self._h.fiscal_archive(_id(config), first_seq, last_seq, file)

    def set_signer(self, signer: Any) -> None:
        """Signs each fiscal event's hash from now on: signer.sign(hash: bytes) returns
        (signature: bytes, key_id: str), or None to decline (the event is recorded unsigned
        and the call succeeds; so when it raises, reported to sys.unraisablehook); an
        optional signer.check(hash, signature, key_id) -> bool makes fiscal_verify check every
        signature. None: no signer."""
        self._h.set_signer(signer)

    def fiscal_resign(self, config: Union["Config", str]) -> int:
        """Signs the config's unsigned events in order, until the signer declines; how many
        it signed."""
        return self._h.fiscal_resign(_id(config))


class FiscalVerdict(NamedTuple):
    """What Context.fiscal_verify found (doc/fiscal.md, "Verification")."""
    events: int          # events that verified, in order from seq 1
    first_bad_seq: int   # where the chain breaks; 0 when whole
    problem: str         # "whole", "changed", "missing", "misplaced", "broken link", "unreadable"
    head_hash: str       # hash of the last event that verified ("" for none)
    detail: str          # the library's detail for a break ("" when whole)
    unsigned_events: int  # of the events that verified, those without a signature

    @property
    def whole(self) -> bool:
        return self.first_bad_seq == 0


def _audit_record(d: Dict[str, Any]) -> AuditRecord:
    d = dict(d)
    d["time"] = _time(d["time"])
    d["role"] = Role(d["role"])
    return AuditRecord(**d)


# ---- config ----

class Config:
    """A register's config: currency, methods, taxes, accounts and closing rules."""

    def __init__(self, ctx: Context, handle: Any) -> None:
        self._ctx = ctx
        self._h = handle
        self._info = handle.info()

    id = property(lambda self: self._info["id"])
    name = property(lambda self: self._info["name"])
    currency = property(lambda self: self._info["currency"])
    exponent = property(lambda self: self._info["exponent"])
    max_difference = property(lambda self: self._info["max_difference"])
    methods = property(lambda self: tuple(self._info["methods"]),
                       doc="The payment methods' names.")

    def validate(self) -> None:
        """Checks the whole config; ConfigError names the first thing missing or wrong."""
        self._h.validate()

    def save(self, actor: Actor) -> None:
        """Validates and stores the config (a manager or admin)."""
        self._h.save(actor)
        self._info = self._h.info()

    def to_json(self) -> str:
        return self._h.to_json()

    def get_meta(self, *, parse: bool = False) -> Any:
        """The host metadata stored for the config (None before its first save)."""
        return self._ctx.get_meta(MetaOwner.CONFIG, self.id, parse=parse)

    def set_meta(self, actor: Actor, meta: Union[Mapping[str, Any], str, None]) -> None:
        """Sets the config's metadata in the store (a manager or admin, at any time)."""
        self._ctx.set_meta(actor, MetaOwner.CONFIG, self.id, meta)

    def __repr__(self) -> str:
        return "<Config %s %r %s>" % (self.id, self.name, self.currency)


# ---- handles ----

_H = TypeVar("_H", bound="_Handle")


class _Handle:
    """What the library's handles share: release() frees the handle (never the stored
    thing), and ``with`` releases it at the end of the block."""

    _h: Any

    def release(self) -> None:
        self._h.release()

    def __enter__(self: _H) -> _H:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()


# ---- session ----

class Session(_Handle):
    """A session handle: state, balances, orders, cash, and the close. The handle is a view
    of the stored session; ``with`` (or release()) frees the handle, never the session."""

    def __init__(self, ctx: Context, handle: Any) -> None:
        self._ctx = ctx
        self._h = handle

    @property
    def context(self) -> Context:
        return self._ctx

    def _get(self, key: str) -> Any:
        return self._h.info()[key]

    id = property(lambda self: self._get("id"))
    name = property(lambda self: self._get("name"))
    config_id = property(lambda self: self._get("config_id"))
    state = property(lambda self: SessionState(self._get("state")))
    user = property(lambda self: self._get("user"), doc="The responsible user.")
    lease_device = property(lambda self: self._get("lease_device"))
    lease_expires = property(lambda self: _time(self._get("lease_expires")))
    operating_date = property(lambda self: _date_of(self._get("operating_date")))
    is_rescue = property(lambda self: self._get("is_rescue"))
    currency = property(lambda self: self._get("currency"))
    opening_expected = property(lambda self: self._get("opening_expected"))
    opening_counted = property(lambda self: self._get("opening_counted"))
    current_balance = property(lambda self: self._get("current_balance"),
                               doc="Total of paid and draft orders.")
    posted_balance = property(lambda self: self._get("posted_balance"),
                              doc="Total of paid orders.")
    expected_cash = property(lambda self: self._get("expected_cash"),
                             doc="The cash expected in the drawer now.")
    drafts = property(lambda self: self._get("drafts"), doc="Draft orders (block a close).")
    pending_payments = property(lambda self: self._get("pending_payments"),
                                doc="Pending payments (block a close).")

    @property
    def config(self) -> Config:
        """A copy of the config the session runs on."""
        return Config(self._ctx, self._h.config())

    # lifecycle

    def start_opening(self, actor: Actor) -> None:
        self._h.start_opening(actor)

    def open(self, actor: Actor, counted_cash: Optional[Amount] = None, *,
             note: Optional[str] = None) -> None:
        """Opens for trading with the counted opening cash (required with cash control)."""
        self._h.open(actor, counted_cash, note)

    def take_over(self, actor: Actor) -> None:
        self._h.take_over(actor)

    def heartbeat(self, actor: Actor) -> None:
        self._h.heartbeat(actor)

    def refresh(self) -> None:
        """Reloads the handle from storage."""
        self._h.refresh()

    def verify(self) -> None:
        """Recomputes the running totals from the stored orders; MismatchError if they differ."""
        self._h.verify()

    # orders

    def create_order(self, actor: Actor, lines: Iterable[Union[Line, Mapping[str, Any]]] = (),
                     *, id: Optional[str] = None, refund_of: Union["Order", str, None] = None,
                     invoiced: bool = False, note: Optional[str] = None,
                     meta: Union[Mapping[str, Any], str, None] = None,
                     discount_amount: Optional[Amount] = None,
                     discount_percent: Optional[Amount] = None,
                     customer: Optional[str] = None,
                     return_reason: Optional[str] = None) -> "Order":
        """Creates a draft order with these lines; pay it with Order.add_payment(). An order
        discount is discount_amount (in the currency) or discount_percent (of what the lines
        come to), shared over the lines (Order.discount, OrderLine.order_discount);
        customer is the host's partner id (with split_receivables an invoiced order's
        receivable posts under it). A refund (refund_of) may hold new sale lines beside its
        refund lines: an exchange. A line with a negative quantity and no refund_line takes
        a product back without a receipt, where the config allows it, with return_reason."""
        order = _order_tuple(dict(id=id, lines=lines, refund_of=refund_of, invoiced=invoiced,
                                  note=note, meta=meta, discount_amount=discount_amount,
                                  discount_percent=discount_percent, customer=customer,
                                  return_reason=return_reason))
        return Order(self, self._h.create_order(actor, order))

    def submit(self, actor: Actor, id: str, lines: Iterable[Union[Line, Mapping[str, Any]]],
               payments: Iterable[Union[Payment, Mapping[str, Any]]] = (), *,
               refund_of: Union["Order", str, None] = None, invoiced: bool = False,
               note: Optional[str] = None,
               meta: Union[Mapping[str, Any], str, None] = None,
               discount_amount: Optional[Amount] = None,
               discount_percent: Optional[Amount] = None,
               customer: Optional[str] = None,
               return_reason: Optional[str] = None) -> SubmitResult:
        """Records a complete order made offline (idempotent by id; metadata is not part of
        the order: a duplicate keeps the metadata it was first recorded with; its discount,
        customer and return reason are)."""
        return _submit_result(self._h.submit(actor, _order_tuple(
            dict(id=id, lines=lines, payments=payments, refund_of=refund_of,
                 invoiced=invoiced, note=note, meta=meta, discount_amount=discount_amount,
                 discount_percent=discount_percent, customer=customer,
                 return_reason=return_reason))))

    def submit_batch(self, actor: Actor,
                     orders: Iterable[Mapping[str, Any]]) -> Tuple[int, List[SubmitResult]]:
        """Submits many orders (dicts with id, lines, payments, refund_of, invoiced, note,
        meta, discount_amount, discount_percent, customer, return_reason) in one
        transaction; returns (accepted, one result per order)."""
        tuples = []
        for i, o in enumerate(orders):
            if not isinstance(o, Mapping):
                raise TypeError("order %d of the batch must be a mapping (id, lines, payments, "
                                "...), not %s" % (i, type(o).__name__))
            tuples.append(_order_tuple(o, batch=True))
        accepted, results = self._h.submit_batch(actor, tuples)
        return accepted, [_submit_result(r) for r in results]

    def load_order(self, order_id: str) -> "Order":
        return Order(self, self._h.load_order(order_id))

    def order_ids(self, states: Union[Iterable[Union[OrderState, str]], OrderState, str,
                                      None] = None) -> List[str]:
        """Ids of the session's orders in the given states (one or several; None: all), by
        order number. States are read as Order.state reads them: once the session closed its
        paid orders are DONE."""
        return self._h.order_list(_states_mask(states, OrderState))

    # cash

    def move_cash(self, actor: Actor, kind: Union[CashKind, str], amount: Amount, reason: str,
                  *, account: Optional[str] = None, id: Optional[str] = None,
                  meta: Union[Mapping[str, Any], str, None] = None) -> str:
        """Records a cash movement (with the host's metadata, if given); returns its id. Its
        metadata is Context.get_meta(MetaOwner.MOVEMENT, id)."""
        return self._h.cash_move(actor, int(_enum(CashKind, kind)), amount, reason, account, id,
                                 _meta(meta, "movement"))

    def cash_in(self, actor: Actor, amount: Amount, reason: str, **kw: Any) -> str:
        return self.move_cash(actor, CashKind.IN, amount, reason, **kw)

    def cash_out(self, actor: Actor, amount: Amount, reason: str, **kw: Any) -> str:
        return self.move_cash(actor, CashKind.OUT, amount, reason, **kw)

    def expense(self, actor: Actor, amount: Amount, reason: str, **kw: Any) -> str:
        return self.move_cash(actor, CashKind.EXPENSE, amount, reason, **kw)

    def correction(self, actor: Actor, amount: Amount, reason: str, **kw: Any) -> str:
        return self.move_cash(actor, CashKind.CORRECTION, amount, reason, **kw)

    def void_cash(self, actor: Actor, movement_id: str, reason: str) -> None:
        self._h.cash_void(actor, movement_id, reason)

    def cash_movements(self) -> List[CashMovement]:
        result = []
        for d in self._h.cash_list():
            d = dict(d, kind=_enum(CashKind, d["kind"]), time=_time(d["time"]))
            result.append(CashMovement(**d))
        return result

    # closing

    def start_closing(self, actor: Actor) -> None:
        self._h.start_closing(actor)

    def count(self, actor: Actor, cash: Optional[Amount] = None, *,
              denominations: Union[Mapping[Amount, int], Iterable[Tuple[Amount, int]], None] = None,
              methods: Union[Mapping[str, Amount], Iterable[Tuple[str, Amount]], None] = None,
              note: Optional[str] = None) -> None:
        """Records the closing count: the cash as a total or by denomination ({'0.50': 3}),
        and counted totals of other methods ({'Card': '42.00'})."""
        self._h.count(actor, cash,
                      _pairs(denominations, "denominations", "{value: count}", "(value, count)"),
                      _pairs(methods, "methods", "{method: amount}", "(method, amount)"), note)

    def close(self, actor: Actor, *, note: Optional[str] = None) -> None:
        """Closes and posts the entry; CashDifferenceError when the difference exceeds what
        the actor may close with (every attempt is audited)."""
        self._h.close(actor, note)

    def reopen(self, actor: Actor, reason: str) -> None:
        self._h.reopen(actor, reason)

    def force_close(self, actor: Actor, reason: str, *, void_pending: bool = False,
                    counted_cash: Optional[Amount] = None) -> None:
        """Closes a stuck session as an admin (audited)."""
        self._h.force_close(actor, reason, void_pending, counted_cash)

    def report(self) -> "Report":
        return Report(self._h.report())

    def entry(self) -> "Entry":
        """The journal entry the closed session posted."""
        return Entry(self._ctx, self._h.entry())

    def audit(self) -> List[AuditRecord]:
        return self._ctx.audit(self.id)

    # host metadata

    def get_meta(self, *, parse: bool = False) -> Any:
        """The session's host metadata as given (None: none); parse=True: as a dict."""
        return self._ctx.get_meta(MetaOwner.SESSION, self.id, parse=parse)

    def set_meta(self, actor: Actor, meta: Union[Mapping[str, Any], str, None]) -> None:
        """Sets (None: clears) it while the session is not closed."""
        self._ctx.set_meta(actor, MetaOwner.SESSION, self.id, meta)

    # the handle


    def __repr__(self) -> str:
        try:
            info = self._h.info()
        except ValueError:
            return "<Session released>"
        return "<Session %s %s %s>" % (info["name"], info["state"], info["user"])


def _pairs(value: Any, what: str, mapping: str, pair: str) -> list:
    """A mapping's items, or the pairs as given (the extension checks each is a pair)."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return list(value.items())
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError("%s must be a mapping %s or %s pairs, not %s"
                        % (what, mapping, pair, type(value).__name__))
    return list(value)


def _order_tuple(o: Mapping[str, Any], batch: bool = False) -> tuple:
    refund_of = o.get("refund_of")
    try:
        meta: Any = _meta(o.get("meta"), "order")
    except InvalidError as e:
        if not batch:
            raise
        meta = e  # the extension raises it for this order alone (its status in the results)
    return (o.get("id"), None if refund_of is None else _id(refund_of),
            o.get("invoiced", False), o.get("note"),
            [_as(Line, line)._c() for line in o.get("lines", ())],
            [_as(Payment, p)._c() for p in o.get("payments", ())], meta,
            o.get("discount_amount"), o.get("discount_percent"), o.get("customer"),
            o.get("return_reason"))


def _discount(d: Optional[Dict[str, Any]]) -> Optional[OrderDiscount]:
    return None if d is None else OrderDiscount(**d)


def _submit_result(d: Dict[str, Any]) -> SubmitResult:
    return SubmitResult(**dict(d, state=None if d["state"] is None else OrderState(d["state"])))


# ---- order ----

class Order(_Handle):
    """An order handle: lines, payments and its figures (Decimal)."""

    def __init__(self, session: Session, handle: Any) -> None:
        self._session = session
        self._h = handle

    def _get(self, key: str) -> Any:
        return self._h.info()[key]

    id = property(lambda self: self._get("id"))
    session_id = property(lambda self: self._get("session_id"))
    number = property(lambda self: self._get("number"))
    state = property(lambda self: OrderState(self._get("state")))
    refund_of = property(lambda self: self._get("refund_of"))
    invoiced = property(lambda self: self._get("invoiced"))
    customer = property(lambda self: self._get("customer"),
                        doc="The customer (partner) id as given, or None.")
    return_reason = property(lambda self: self._get("return_reason"),
                             doc="Why products came back without a receipt, as given, or "
                                 "None.")
    totals = property(lambda self: OrderTotals(**self._get("totals")))
    total = property(lambda self: self._get("totals")["total"])
    lines = property(lambda self: tuple(OrderLine(**dict(d, taxes=tuple(d["taxes"])))
                                        for d in self._get("lines")))
    discount = property(lambda self: _discount(self._get("discount")),
                        doc="The order discount (OrderDiscount), or None when it has none.")
    taxes = property(lambda self: tuple(OrderTax(**d) for d in self._get("taxes")))
    payments = property(lambda self: tuple(
        OrderPayment(**dict(d, state=PaymentState(d["state"]))) for d in self._get("payments")))

    def add_line(self, actor: Actor, line: Union[Line, Mapping[str, Any]]) -> int:
        """Adds a line to a draft order; returns its index."""
        return self._h.add_line(actor, _as(Line, line)._c())

    def remove_line(self, actor: Actor, index: int) -> None:
        self._h.remove_line(actor, index)

    def add_payment(self, actor: Actor, method: str, amount: Amount, *,
                    state: Union[PaymentState, str, None] = None,
                    reference: Optional[str] = None) -> int:
        """Adds a payment; returns its index. Cash beyond what is due is change."""
        return self._h.add_payment(actor, Payment(method, amount, state, reference)._c())

    pay = add_payment

    def confirm_payment(self, actor: Actor, index: int) -> None:
        self._h.confirm_payment(actor, index)

    def fail_payment(self, actor: Actor, index: int, reason: Optional[str] = None) -> None:
        self._h.fail_payment(actor, index, reason)

    def void_payment(self, actor: Actor, index: int, reason: str) -> None:
        self._h.void_payment(actor, index, reason)

    def cancel(self, actor: Actor, reason: str) -> None:
        self._h.cancel(actor, reason)

    def validate(self, actor: Actor) -> None:
        """Marks a draft order with nothing due paid."""
        self._h.validate(actor)

    def set_invoiced(self, actor: Actor, invoiced: bool = True) -> None:
        self._h.set_invoiced(actor, invoiced)

    def get_meta(self, *, parse: bool = False) -> Any:
        """The order's host metadata as given (None: none); parse=True: as a dict."""
        return self._session._ctx.get_meta(MetaOwner.ORDER, self.id, parse=parse)

    def set_meta(self, actor: Actor, meta: Union[Mapping[str, Any], str, None]) -> None:
        """Sets (None: clears) it while its session is not closed; it is not part of the
        order's content."""
        self._session._ctx.set_meta(actor, MetaOwner.ORDER, self.id, meta)


    def __repr__(self) -> str:
        try:
            info = self._h.info()
        except ValueError:
            return "<Order released>"
        return "<Order #%d %s total %s>" % (info["number"], info["state"],
                                            info["totals"]["total"])


# ---- entry and report ----

class Entry(_Handle):
    """A posted journal entry: iterate it for its lines; export as ledger text or CSV."""

    def __init__(self, ctx: Context, handle: Any) -> None:
        self._ctx = ctx
        self._h = handle
        info = handle.info()
        self.id: str = info["id"]
        self.session_id: str = info["session_id"]
        self.reference: str = info["reference"]
        self.date = _date_of(info["date"])
        self.currency: str = info["currency"]
        self.total: Decimal = info["total"]
        self.lines: Tuple[EntryLine, ...] = tuple(EntryLine(**d) for d in info["lines"])
        self.products: Tuple[EntryProduct, ...] = tuple(
            EntryProduct(**d) for d in info["products"])

    def __iter__(self) -> Iterator[EntryLine]:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def ledger(self, file: Any = None) -> Optional[str]:
        """The entry as one ledger/hledger transaction (written to file if given)."""
        return self._h.ledger(file)

    def csv(self, file: Any = None, *, header: bool = True) -> Optional[str]:
        """The entry as CSV (RFC 4180), with a header row unless header=False."""
        return self._h.csv(header, file)


    def __repr__(self) -> str:
        return "<Entry %s %s %s %s, %d lines>" % (self.reference, self.date.isoformat(),
                                                  self.currency, self.total, len(self.lines))


class Report:
    """A snapshot of a session's figures (Decimal amounts, int counts, datetime times), its
    per-method, per-tax and per-product totals, and ``text``, the printable report."""

    _TIMES = ("opened_at", "closed_at", "created_at")

    def __init__(self, snapshot: Dict[str, Any]) -> None:
        for name, value in snapshot["figures"].items():
            setattr(self, name, _time(value) if name in self._TIMES else value)
        for name, value in snapshot["texts"].items():
            setattr(self, name, value)
        self.methods = tuple(ReportMethod(**d) for d in snapshot["methods"])
        self.taxes = tuple(ReportTax(**d) for d in snapshot["taxes"])
        self.products = tuple(ReportProduct(**d) for d in snapshot["products"])
        self.text: str = snapshot["text"]
        self.figures: Dict[str, Any] = dict(snapshot["figures"])

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return "<Report %s %s expected %s counted %s>" % (
            self.session_name, self.state, self.expected_cash, self.counted_cash)

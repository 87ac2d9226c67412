"""The exceptions of possession: one base class, possession.Error, with the library's code
(a PSS_E* value) and detail message, and one subclass per kind of failure a caller handles
differently. The C extension raises them through from_code()."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, Optional, Type

# The PSS_E* codes of include/possession/common.h (fixed forever by the C library).
EINVAL = -1
ENOMEM = -2
ENOTFOUND = -3
EEXISTS = -4
ESTATE = -5
EACCESS = -6
ELOCKED = -7
EOVERFLOW = -8
ECONFLICT = -9
ECLOSED = -10
EPENDING = -11
EPAYPENDING = -12
ELIMIT = -13
EUNBALANCED = -14
ECORRUPT = -15
ESTORAGE = -16
EVERSION = -17
EBUSY = -18
ECONFIG = -19
EREFUND = -20
EOVERPAY = -21
EMISMATCH = -22
EIO = -23
EDRAWER = -24


class Error(Exception):
    """A libpossession call failed.

    ``code`` is the library's PSS_E* code, ``detail`` the context's message with the figures a
    person needs, and ``figures`` every figure the library attached (by name)."""

    code: int = 0

    def __init__(self, detail: str = "", *, code: Optional[int] = None,
                 figures: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(detail)
        if code is not None:
            self.code = code
        self.detail = detail
        self.figures: Dict[str, Any] = dict(figures or {})

    def __str__(self) -> str:
        return self.detail

    def __reduce__(self):  # keep pickling (multiprocessing) working with keyword arguments
        return (_rebuild, (type(self), self.detail, self.code, self.figures))


def _rebuild(cls: Type[Error], detail: str, code: int, figures: Dict[str, Any]) -> Error:
    return cls(detail, code=code, figures=figures)


class InvalidError(Error, ValueError):
    """An argument is malformed or out of range (PSS_EINVAL)."""
    code = EINVAL


class NoMemoryError(Error, MemoryError):
    """An allocation failed (PSS_ENOMEM)."""
    code = ENOMEM


class NotFoundError(Error, LookupError):
    """The id, key or record does not exist (PSS_ENOTFOUND)."""
    code = ENOTFOUND


class ExistsError(Error):
    """A unique key is already held: another open session, or one per day (PSS_EEXISTS)."""
    code = EEXISTS


class StateError(Error):
    """The object's state does not allow the operation (PSS_ESTATE)."""
    code = ESTATE


class AccessDeniedError(Error, PermissionError):
    """The actor's role or identity does not allow the operation (PSS_EACCESS)."""
    code = EACCESS


class LockedError(Error):
    """The session is leased to another device until its lease expires (PSS_ELOCKED)."""
    code = ELOCKED


class AmountOverflowError(Error, OverflowError):
    """An amount or quantity does not fit in 64 bits (PSS_EOVERFLOW)."""
    code = EOVERFLOW


class ConflictError(Error):
    """Same id with other content, or a revision changed underneath (PSS_ECONFLICT)."""
    code = ECONFLICT


class ClosedError(Error):
    """The session is closed: it and its orders never change again (PSS_ECLOSED)."""
    code = ECLOSED


class PendingOrdersError(Error):
    """Draft orders keep the session from closing (PSS_EPENDING); ``count`` says how many."""
    code = EPENDING

    @property
    def count(self) -> Optional[int]:
        return self.figures.get("count")


class PendingPaymentsError(Error):
    """Pending electronic payments keep the session from closing (PSS_EPAYPENDING)."""
    code = EPAYPENDING

    @property
    def count(self) -> Optional[int]:
        return self.figures.get("count")


class CashDifferenceError(Error):
    """The cash difference exceeds what the actor may close with (PSS_ELIMIT).

    ``expected``, ``counted``, ``difference`` and ``allowed`` are Decimal in the currency."""
    code = ELIMIT

    @property
    def expected(self) -> Optional[Decimal]:
        return self.figures.get("expected")

    @property
    def counted(self) -> Optional[Decimal]:
        return self.figures.get("counted")

    @property
    def difference(self) -> Optional[Decimal]:
        return self.figures.get("difference")

    @property
    def allowed(self) -> Optional[Decimal]:
        return self.figures.get("allowed")


class UnbalancedError(Error):
    """The journal entry does not balance; nothing was posted (PSS_EUNBALANCED)."""
    code = EUNBALANCED

    @property
    def imbalance(self) -> Optional[Decimal]:
        return self.figures.get("imbalance")


class CorruptError(Error):
    """Storage returned a record that does not parse or lacks a field (PSS_ECORRUPT)."""
    code = ECORRUPT


class StorageError(Error):
    """A storage callback failed (PSS_ESTORAGE); a Python store's exception is __cause__."""
    code = ESTORAGE


class VersionError(Error):
    """A versioned struct, table or file has a version this library does not know."""
    code = EVERSION


class BusyError(Error):
    """The store is busy (locked by another process); try again (PSS_EBUSY).

    A Python store may raise it from a callback to report a busy database."""
    code = EBUSY


class ConfigError(Error):
    """The config is incomplete or inconsistent (PSS_ECONFIG)."""
    code = ECONFIG


class RefundError(Error):
    """A refund exceeds what was sold, or references nothing refundable (PSS_EREFUND).

    ``available`` is the quantity still refundable on the line, when the library knows it."""
    code = EREFUND

    @property
    def available(self) -> Optional[Decimal]:
        return self.figures.get("available")


class OverpayError(Error):
    """A non-cash payment exceeds what is left to pay (PSS_EOVERPAY); see ``remaining``."""
    code = EOVERPAY

    @property
    def remaining(self) -> Optional[Decimal]:
        return self.figures.get("remaining")


class MismatchError(Error):
    """Session.verify() found running totals that disagree with the orders (PSS_EMISMATCH)."""
    code = EMISMATCH


class WriteError(Error, OSError):
    """Writing an export to a file failed (PSS_EIO); the file's exception is __cause__."""
    code = EIO


class DrawerError(Error):
    """A payout (cash out, an expense, a refund paid in cash) would take more cash than the
    drawer holds, and the config does not allow a negative drawer (PSS_EDRAWER); nothing
    changed. ``holds`` (the session's expected cash) and ``amount`` (the payout refused) are
    Decimal in the currency."""
    code = EDRAWER

    @property
    def holds(self) -> Optional[Decimal]:
        return self.figures.get("holds")

    @property
    def amount(self) -> Optional[Decimal]:
        return self.figures.get("amount")


_BY_CODE: Dict[int, Type[Error]] = {
    cls.code: cls
    for cls in (InvalidError, NoMemoryError, NotFoundError, ExistsError, StateError,
                AccessDeniedError, LockedError, AmountOverflowError, ConflictError,
                ClosedError, PendingOrdersError, PendingPaymentsError, CashDifferenceError,
                UnbalancedError, CorruptError, StorageError, VersionError, BusyError,
                ConfigError, RefundError, OverpayError, MismatchError, WriteError,
                DrawerError)
}


def error_class(code: int) -> Type[Error]:
    """The exception class for a PSS_E* code (Error for codes this version does not know)."""
    return _BY_CODE.get(code, Error)


def from_code(code: int, detail: str, figures: Dict[str, Any]) -> Error:
    """Called by the C extension: the exception for a failed call."""
    return error_class(code)(detail, code=code, figures=figures)

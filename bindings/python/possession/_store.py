"""The store protocol: what a store written in Python implements to be passed where a store
goes (possession.Context(store)). The C extension wraps such an object into the library's
storage callback table; doc/python.md describes each method's contract."""

from __future__ import annotations

import sys
from typing import Iterable, NamedTuple, Optional

if sys.version_info >= (3, 8):
    from typing import Protocol
else:  # pragma: no cover
    Protocol = object


class Record(NamedTuple):
    """One stored record. ``payload`` is the library's JSON document (str)."""
    kind: str
    id: str
    parent: str
    rev: int
    payload: str


class AuditItem(NamedTuple):
    """One entry of the append-only audit trail as a store hands it back."""
    seq: int
    subject: str
    payload: str


class Store(Protocol):
    """The methods a Python store implements (all are required)."""

    def begin(self, write: bool) -> None:
        """Opens a transaction; write=True: serialize against every other writer."""

    def commit(self) -> None:
        """Makes every change of the open transaction durable and visible."""

    def rollback(self) -> None:
        """Undoes every change of the open transaction."""

    def get(self, kind: str, id: str) -> Optional[Record]:
        """The record (kind, id), or None."""

    def put(self, record: Record, expected_rev: int) -> bool:
        """Stores record (its rev is already the new revision) if the stored revision is
        expected_rev (0: the record must not exist); False, storing nothing, otherwise."""

    def scan(self, kind: str, parent: str) -> Iterable[Record]:
        """Every record of kind with that parent, in the order they were first created."""

    def claim(self, key: str, owner: str) -> str:
        """Claims key for owner unless another owner holds it; returns the holder afterwards
        (owner when the claim succeeded or owner already held it)."""

    def release(self, key: str, owner: str) -> Optional[str]:
        """Releases key if owner holds it; returns who held it before (None: nobody)."""

    def lookup(self, key: str) -> Optional[str]:
        """Who holds key, or None."""

    def append(self, subject: str, payload: str) -> int:
        """Appends to the audit trail; returns the new, strictly increasing sequence number."""

    def audit_scan(self, subject: Optional[str], after_seq: int) -> Iterable[AuditItem]:
        """Audit entries with seq > after_seq about subject (None: all), in seq order."""

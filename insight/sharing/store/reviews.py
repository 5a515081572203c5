"""Sign-offs of a provider's own barrier and service keys, and reviews of a dataset's free text
(issue 30): who and when, never changed once made (a new label or new text needs a new record)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select

from insight.sharing.access import LOCAL_USER, ROLE_LABELS, NotAllowed, Principal
from insight.sharing.store import db
from insight.sharing.store.schema import flag_signoffs as signoffs_table
from insight.sharing.store.schema import text_reviews as reviews_table

FlagKind = Literal["barrier", "service"]
_WRITES = [0]  # sign-offs and reviews written by this process: a reader's cache compares it


def writes() -> int:
    """How many sign-offs and reviews this process has written (for caches of them)."""
    return _WRITES[0]


@dataclass(frozen=True)
class SignOff:
    kind: FlagKind
    key: str
    label: str
    signed_by: str
    signed_utc: str


@dataclass(frozen=True)
class TextReview:
    text_key: str  # SHA-256 of the dataset's free text (insight.sharing.review.text_key)
    fingerprint: str  # the dataset's content fingerprint when it was reviewed
    source: str
    rows: int  # distinct free-text values reviewed
    reviewed_by: str
    reviewed_utc: str


_SIGNOFF_COLUMNS = [
    signoffs_table.c[c] for c in ("kind", "flag_key", "label", "signed_by", "signed_utc")
]
_REVIEW_COLUMNS = [
    reviews_table.c[c]
    for c in ("text_key", "fingerprint", "source", "text_rows", "reviewed_by", "reviewed_utc")
]


def _data_manager(by: Principal | None, what: str) -> str:
    """Only a data manager (or the local user, by=None) signs off or reviews."""
    if by is None:
        return LOCAL_USER
    if not by.may("data"):
        role = ROLE_LABELS.get(by.role, by.role)
        raise NotAllowed(f"As {role} you cannot {what}: a data manager does.")
    return by.user


def sign_off_flag(kind: FlagKind, key: str, label: str, *, by: Principal | None = None) -> SignOff:
    """Record a data manager's sign-off of a provider key with its label (once: signing the same
    key and label again keeps the first record)."""
    if kind not in ("barrier", "service"):
        raise ValueError("kind must be 'barrier' or 'service'")
    who = _data_manager(by, "sign off a barrier or service key")
    fields = {"kind": kind, "flag_key": key, "label": label}
    with db._write() as conn:
        db.insert_once(
            conn, signoffs_table, {**fields, "signed_by": who, "signed_utc": db.now_utc()}
        )
        row = conn.execute(
            select(*_SIGNOFF_COLUMNS).where(*(signoffs_table.c[k] == v for k, v in fields.items()))
        ).one()
    _WRITES[0] += 1
    return SignOff(*row)


def flag_signoffs() -> list[SignOff]:
    with db.connect() as conn:
        rows = conn.execute(select(*_SIGNOFF_COLUMNS).order_by(signoffs_table.c.id)).all()
    return [SignOff(*row) for row in rows]


def record_text_review(
    text_key: str, *, fingerprint: str, source: str, rows: int, by: Principal | None = None
) -> TextReview:
    """Record a data manager's review of a dataset's free text (once per text: the first
    record is kept)."""
    if len(text_key) != 64:
        raise ValueError("text_key must be a SHA-256 in hex")
    who = _data_manager(by, "review a dataset's text for sharing")
    with db._write() as conn:
        db.insert_once(
            conn,
            reviews_table,
            {
                "text_key": text_key,
                "fingerprint": fingerprint,
                "source": source,
                "text_rows": int(rows),
                "reviewed_by": who,
                "reviewed_utc": db.now_utc(),
            },
        )
    _WRITES[0] += 1
    found = text_review(text_key)
    assert found is not None
    return found


def text_review(text_key: str) -> TextReview | None:
    with db.connect() as conn:
        row = conn.execute(
            select(*_REVIEW_COLUMNS).where(reviews_table.c.text_key == text_key)
        ).first()
    return TextReview(*row) if row else None

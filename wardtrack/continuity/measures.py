"""Continuity measures over a window of a patient's contacts (PRODUCT.md). Pure: no I/O.

Contacts are ordered by time, ties by id. Undefined values are None, never 0.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ContactPoint:
    """What the measures need of one contact."""

    occurred_at: datetime
    id: int
    professional_id: int
    profession: str


@dataclass(frozen=True, slots=True)
class Measures:
    contacts: int
    distinct_professionals: int
    new_professionals: int
    upc: float | None
    coc: float | None
    secon: float | None
    kpc: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def _key(contact: ContactPoint):
    return contact.occurred_at, contact.id


def upc(counts: Counter, total: int) -> float | None:
    """Usual provider continuity: the largest share of contacts with one professional."""
    return max(counts.values()) / total if total else None


def coc(counts: Counter, total: int) -> float | None:
    """Bice–Boxerman continuity of care: (Σ n_j² − N) / (N (N − 1))."""
    if total < 2:
        return None
    return (sum(n * n for n in counts.values()) - total) / (total * (total - 1))


def secon(sequence: list[int]) -> float | None:
    """Sequential continuity: the share of consecutive pairs with the same professional."""
    if len(sequence) < 2:
        return None
    return sum(a == b for a, b in zip(sequence, sequence[1:], strict=False)) / (len(sequence) - 1)


def measure(history: Iterable[ContactPoint], start: datetime, end: datetime,
            profession: str | None = None) -> Measures:
    """All measures for contacts with start ≤ occurred_at ≤ end, optionally of one profession.

    `history` is every contact of the patient (any order); earlier contacts decide who is "known"
    (kpc) and who is new in the window.
    """
    ordered = sorted(history, key=_key)
    seen: set[int] = set()
    window: list[int] = []
    known = new = 0
    for contact in ordered:
        if contact.occurred_at > end:
            break
        if (
            contact.occurred_at >= start
            and (profession is None or contact.profession == profession)
        ):
            window.append(contact.professional_id)
            if contact.professional_id in seen:
                known += 1
            else:
                new += 1
        seen.add(contact.professional_id)
    counts, total = Counter(window), len(window)
    return Measures(contacts=total, distinct_professionals=len(counts), new_professionals=new,
                    upc=upc(counts, total), coc=coc(counts, total), secon=secon(window),
                    kpc=known / total if total else None)

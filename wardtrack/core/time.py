"""Clock access in one place, so that tests can travel in time."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def iso_z(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a `Z`, as every response uses."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")

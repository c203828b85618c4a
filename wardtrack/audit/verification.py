"""`flask audit verify`: the chain's own links, then the chain against the signed checkpoints.

Findings (each makes verify exit 1):
- broken: an event whose link or hash is wrong (an edit, a deletion, an inserted or reordered
  event);
- cut short: the head names a later event than the last one left;
- forged checkpoint: a line of the checkpoint file that is unreadable, signed by another key, or
  whose signature does not match;
- rewrite: the event at a checkpoint's size is not the one it signed (an event was changed and every
  hash after it recomputed), or two checkpoints of one size disagree;
- rollback: the chain is shorter than a checkpoint, its events older than that checkpoint (the
  newest were deleted and the head moved back), or a later checkpoint signed fewer events than an
  earlier one;
- truncation: the chain is shorter than a checkpoint and empty, or holds only events recorded after
  it (its events were removed and it began again).
"""

from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from wardtrack.audit.checkpoints import Checkpoint, key_id
from wardtrack.audit.queries import Walk, head_hash, walk_chain


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    count: int = 0


def read_checkpoints(
    path: Path, public_key: Ed25519PublicKey | None, report: Report
) -> list[Checkpoint]:
    """The checkpoints of the file whose signature holds; a problem for every other non-empty
    line."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except FileNotFoundError:
        report.notes.append(
            f"no checkpoint file at {path}: only the chain's own links were checked"
        )
        return []
    good = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            checkpoint = Checkpoint.parse(line)
        except (ValueError, KeyError, TypeError):
            report.problems.append(
                f"checkpoint line {number} of {path} is not a readable checkpoint"
            )
            continue
        if public_key is None:
            report.problems.append(
                "cannot check the checkpoints' signatures: no audit signing key is configured"
            )
            return []
        if checkpoint.key != key_id(public_key):
            report.problems.append(
                f"checkpoint line {number} of {path} is signed by key {checkpoint.key}, not by "
                f"this instance's key {key_id(public_key)}"
            )
        elif not checkpoint.signed_by(public_key):
            report.problems.append(
                f"checkpoint line {number} of {path} has a signature that does not match: "
                "the checkpoint was forged or altered"
            )
        else:
            good.append(checkpoint)
    return good


def _between_checkpoints(checkpoints: list[Checkpoint], report: Report) -> None:
    """The signed sequence itself: a later checkpoint never signs fewer events, nor another hash for
    a size."""
    by_size, largest = {}, None
    for checkpoint in sorted(checkpoints, key=lambda c: c.time):
        if largest is not None and checkpoint.size < largest.size:
            report.problems.append(
                f"audit chain rolled back between checkpoints: the checkpoint of {checkpoint.at} "
                f"signed {checkpoint.size} events, fewer than the {largest.size} of the checkpoint "
                f"of {largest.at}"
            )
            return
        earlier = by_size.setdefault(checkpoint.size, checkpoint)
        if earlier.head != checkpoint.head:
            report.problems.append(
                f"audit chain rewritten between checkpoints: the checkpoints of {earlier.at} and "
                f"{checkpoint.at} both signed {checkpoint.size} events, with different hashes"
            )
            return
        largest = checkpoint if largest is None or checkpoint.size >= largest.size else largest


def _against_checkpoints(checkpoints: list[Checkpoint], walk: Walk, report: Report) -> None:
    inside = sorted((c for c in checkpoints if 0 < c.size <= walk.count), key=lambda c: c.size)
    mismatched = [c for c in inside if walk.at_positions[c.size][1] != c.head]
    if mismatched:
        first = mismatched[0]
        matching = [c for c in inside if c.size < first.size and c not in mismatched]
        event_id = walk.at_positions[first.size][0]
        bound = (
            (
                f"; the checkpoint of {matching[-1].at} still matches its first "
                f"{matching[-1].size} events"
            )
            if matching
            else "; no earlier checkpoint matches"
        )
        report.problems.append(
            f"audit chain rewritten: event {first.size} of the chain (id {event_id}) is not the "
            f"event the checkpoint of {first.at} signed: an event at or before it was changed and "
            f"the hashes after it recomputed{bound}"
        )
    longest = max(checkpoints, key=lambda c: c.size)
    if longest.size <= walk.count:
        return
    if walk.count == 0:
        report.problems.append(
            f"audit chain truncated: it holds no events, but the checkpoint of {longest.at} signed "
            f"{longest.size}: its events were removed (TRUNCATE or DELETE) and its head reset"
        )
    elif walk.first_at is not None and walk.first_at > longest.time:
        report.problems.append(
            f"audit chain truncated: it holds {walk.count} events, all recorded after the "
            f"checkpoint of {longest.at} that signed {longest.size}: its events were removed and "
            "it began again"
        )
    else:
        report.problems.append(
            f"audit chain rolled back: it ends after {walk.count} events, but the checkpoint of "
            f"{longest.at} signed {longest.size}: the newest {longest.size - walk.count} events "
            "were deleted and the head moved back"
        )


def verify(paths, public_key: Ed25519PublicKey | None) -> Report:
    """Check the chain and compare it with the checkpoints in the files `paths` (e.g. the file of
    each host a scheduler ran on, and a copy of the system log's lines)."""
    report = Report()
    checkpoints = [
        checkpoint
        for path in paths
        for checkpoint in read_checkpoints(Path(path), public_key, report)
    ]
    walk = walk_chain({c.size for c in checkpoints})
    report.count = walk.count
    if walk.broken is not None:
        broken = walk.broken
        report.problems.append(
            f"audit chain broken at event {broken.id} ({broken.action} at "
            f"{broken.at:%Y-%m-%d %H:%M:%S}Z) after {broken.position - 1} intact events"
        )
    elif head_hash() != walk.last_hash:
        report.problems.append(
            f"audit chain cut short: it ends after {walk.count} intact events, but its head "
            "names a later event; the newest events were removed"
        )
    if checkpoints:
        _between_checkpoints(checkpoints, report)
        _against_checkpoints(checkpoints, walk, report)
        newest = max(checkpoints, key=lambda c: c.time)
        report.notes.append(
            f"signed checkpoints checked: {len(checkpoints)}, the newest of {newest.at} "
            f"({newest.size} events)"
        )
    return report

"""Reading HL7 v2 messages with python-hl7: framing (MLLP and saved files), the fields the feed's
events use, and the acknowledgements. No database here."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import hl7
from flask import current_app

START, END = b"\x0b", b"\x1c\x0d"
EVENTS = ("A01", "A02", "A03", "A04", "A08", "A11", "A12", "A13", "A40")
#: The segments each event cannot do without.
REQUIRED = {event: ("EVN", "PID", "PV1") for event in EVENTS}
REQUIRED["A08"] = ("EVN", "PID")
REQUIRED["A40"] = ("EVN", "PID", "MRG")
#: PV1-2 patient class → episode kind (E, emergency: a stay on the ward, so inpatient).
KINDS = {"I": "inpatient", "E": "inpatient", "O": "outpatient"}
DOCTOR_FIELDS = {7: "attending", 8: "referring", 9: "consulting", 17: "admitting"}


class Rejected(Exception):
    """The message cannot be read at all (AR): no usable MSH."""


class Unusable(Exception):
    """The message is read but cannot be applied (AE); `reason` goes into ERR. No patient data."""

    def __init__(self, reason: str, code: str = "207"):
        super().__init__(reason)
        self.reason = reason
        self.code = code  # HL7 table 0357: 100 missing segment, 101 missing field, 207 app error


@dataclass
class Doctor:
    identifier: str
    name: str


@dataclass
class Adt:
    """What one message says, in the terms of the feed's tables."""

    control_id: str
    event: str
    event_at: datetime
    identifier: str | None = None
    display_name: str | None = None
    patient_class: str | None = None
    point_of_care: str | None = None
    location: str | None = None
    visit_number: str | None = None
    doctors: dict = field(default_factory=dict)  # role -> Doctor
    merged_identifier: str | None = None


def normalise(data: bytes | str) -> str:
    """One message as python-hl7 wants it: segments separated by CR, whatever the file used."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    lines = [line for line in re.split(r"\r\n|\r|\n", text.strip(" \t\r\n\x0b\x1c")) if line]
    return "\r".join(lines)


def split_saved(text: str) -> list[str]:
    """The messages of a saved file: MLLP frames when it has any, else groups of segments separated
    by blank lines (a group may also start at each MSH)."""
    if "\x0b" in text:
        return [normalise(part) for part in text.split("\x0b") if normalise(part)]
    found, current = [], []
    for line in re.split(r"\r\n|\r|\n", text):
        if not line.strip() or (line.startswith("MSH") and current):
            if current:
                found.append("\r".join(current))
            current = [line] if line.strip() else []
        else:
            current.append(line)
    if current:
        found.append("\r".join(current))
    return found


def parse(text: str) -> hl7.Message:
    """Parse or reject (AR) a message without a readable MSH."""
    if not text.startswith("MSH") or len(text) < 8:
        raise Rejected("The message does not start with an MSH segment.")
    try:
        message = hl7.parse(text)
        message.segment("MSH")
    except Exception:  # python-hl7 raises several kinds for text it cannot split
        raise Rejected("The message cannot be parsed.") from None
    return message


def value(message: hl7.Message, segment: str, index: int, component: int = 1, rep: int = 1) -> str:
    """A component of a field as text ('' when absent)."""
    try:
        found = message.segment(segment)
    except KeyError:
        return ""
    return _component(found, index, component, rep)


def _component(segment, index: int, component: int = 1, rep: int = 1) -> str:
    try:
        text = segment.extract_field(field_num=index, repeat_num=rep, component_num=component)
    except (IndexError, KeyError, TypeError):
        return ""
    return (str(text) if text is not None else "").strip()


def header(message: hl7.Message) -> tuple[str, str]:
    """(control id, event): MSH-10 and MSH-9.2 (or EVN-1)."""
    control_id = value(message, "MSH", 10)
    if not control_id:
        raise Rejected("MSH-10 (message control id) is missing.")
    if len(control_id) > 64:
        raise Rejected("MSH-10 (message control id) is longer than 64 characters.")
    event = value(message, "MSH", 9, 2) or value(message, "EVN", 1)
    return control_id, event


def timestamp(text: str, zone: str) -> datetime | None:
    """An HL7 DTM (YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ]) as aware UTC; the site's zone when it has
    no offset. None when empty; Unusable when not a time."""
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?([+-]\d{4})?", text)
    if match is None:
        raise Unusable("A time is not an HL7 timestamp.", "102")
    parts = [int(p) if p else d for p, d in zip(match.groups()[:6], (0, 1, 1, 0, 0, 0), strict=True)]
    try:
        moment = datetime(*parts)
    except ValueError:
        raise Unusable("A time is not a valid date.", "102") from None
    if match.group(7):
        sign = 1 if match.group(7)[0] == "+" else -1
        minutes = sign * (int(match.group(7)[1:3]) * 60 + int(match.group(7)[3:5]))
        return (moment.replace(tzinfo=UTC) - timedelta(minutes=minutes)).astimezone(UTC)
    return moment.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def read(message: hl7.Message, zone: str) -> Adt:
    """The feed's view of a parsed message; Unusable for an unknown event or a missing part."""
    control_id, event = header(message)
    if event not in EVENTS:
        raise Unusable(f"Event {event or '(none)'} is not supported.", "200")
    for name in REQUIRED[event]:
        try:
            message.segment(name)
        except KeyError:
            raise Unusable(f"Segment {name} is missing.", "100") from None
    event_at = timestamp(value(message, "EVN", 2), zone) or timestamp(value(message, "MSH", 7), zone)
    if event_at is None:
        raise Unusable("EVN-2 and MSH-7 (the event's time) are both missing.", "101")
    occurred = timestamp(value(message, "EVN", 6), zone)
    adt = Adt(control_id=control_id, event=event, event_at=occurred or event_at)
    _read_patient(message, adt)
    if event == "A40":
        adt.merged_identifier = value(message, "MRG", 1) or None
        if not adt.merged_identifier:
            raise Unusable("MRG-1 (the merged patient's identifier) is missing.", "101")
    if "PV1" in REQUIRED[event] or _has(message, "PV1"):
        _read_visit(message, adt)
    return adt


def _has(message, name: str) -> bool:
    try:
        message.segment(name)
        return True
    except KeyError:
        return False


def _read_patient(message, adt: Adt) -> None:
    pid = message.segment("PID")
    adt.identifier = _identifier(pid)
    if not adt.identifier:
        raise Unusable("PID-3 (the patient's identifier) is missing.", "101")
    family, given = _component(pid, 5, 1), _component(pid, 5, 2)
    adt.display_name = " ".join(part for part in (given, family) if part)[:200] or None


def _identifier(pid, wanted: str | None = None) -> str:
    """PID-3: the repetition whose assigning authority (CX.4) is the site's (ADT_ASSIGNING_AUTHORITY;
    any when empty)."""
    wanted = str(wanted or current_app.config.get("ADT_ASSIGNING_AUTHORITY") or "")
    first = ""
    for rep in range(1, 10):
        number = _component(pid, 3, 1, rep)
        if not number:
            break
        first = first or number
        if wanted and _component(pid, 3, 4, rep) == wanted:
            return number[:64]
    if wanted and first:
        raise Unusable(f"PID-3 has no identifier assigned by {wanted}.", "101")
    return first[:64]


def _read_visit(message, adt: Adt) -> None:
    pv1 = message.segment("PV1")
    adt.patient_class = _component(pv1, 2) or None
    adt.point_of_care = _component(pv1, 3, 1)[:40] or None
    room, bed = _component(pv1, 3, 2), _component(pv1, 3, 3)
    adt.location = "-".join(part for part in (room, bed) if part)[:40] or None
    adt.visit_number = _component(pv1, 19)[:64] or None
    for index, role in DOCTOR_FIELDS.items():
        identifier = _component(pv1, index, 1)
        if identifier:
            family, given = _component(pv1, index, 2), _component(pv1, index, 3)
            name = " ".join(part for part in (given, family) if part) or identifier
            adt.doctors[role] = Doctor(identifier[:64], name[:200])


def ack(text: str | None, code: str, reason: str | None = None, error_code: str = "207") -> str:
    """The ACK for a message: MSA|<code>|<its control id>, with ERR naming the reason when not AA.
    Built by python-hl7 from the message's MSH; a message too broken for that gets a plain MSH."""
    try:
        message = hl7.parse(text)
        reply = str(message.create_ack(ack_code=code))
    except Exception:
        reply = f"MSH|^~\\&|WARDTRACK||||{datetime.now(UTC):%Y%m%d%H%M%S}||ACK|{_stamp()}|P|2.5\rMSA|{code}|"
    if reason:
        clean = re.sub(r"[|^~\\&\r\n]", " ", reason)[:200]
        reply += f"\rERR|||{error_code}^{clean}^HL70357|E||||{clean}"
    return reply


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")


def frame(text: str) -> bytes:
    """A message inside an MLLP frame."""
    return START + text.encode("utf-8") + END

"""Flag rules (PRODUCT.md "Flags and their default thresholds"). Pure: plain data in, findings
out."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from wardtrack.continuity.measures import ContactPoint, measure
from wardtrack.continuity.severity import severity
from wardtrack.continuity.wording import english

DOCTORS = ("doctor", "psychiatrist")
DECISIONS = ("decision", "coercive_measure")


@dataclass(frozen=True)
class Policy:
    """Per-ward thresholds; the defaults are chosen against alarm fatigue."""

    turnover_doctors: int = 4
    turnover_days: int = 30
    turnover_kpc_below: float = 0.5
    turnover_kpc_days: int = 14
    turnover_kpc_min_contacts: int = 6
    turnover_min_episode_days: int = 14
    stranger_grace_hours: int = 24
    stranger_lookback_days: int = 30
    readmission_count: int = 3
    readmission_days: int = 365
    extensive_admissions_over: int = 4
    extensive_stay_days: int = 28
    crisis_plan_max_age_days: int = 180
    crisis_plan_admission_days: int = 14
    # no_crisis_plan only where a plan is due: an inpatient stay this old, or an outpatient admitted
    # within this many days (the joint-crisis-plan trial's eligibility).
    crisis_plan_inpatient_days: int = 3
    crisis_plan_outpatient_admission_days: int = 730
    maintenance_grace_days: int = 14
    transition_escalate_days: int = 7
    # relationship_strain: a relationship's check-in mean (0-4) fell by this much since the previous
    # check-in on that person, or is below strain_below.
    strain_drop: float = 1.0
    strain_below: float = 1.5

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass(frozen=True)
class EpisodeFact:
    id: int
    ward_id: int
    kind: str
    started_at: datetime
    ended_at: datetime | None
    ward_name: str = ""


@dataclass(frozen=True)
class ContactFact(ContactPoint):
    kind: str = "conversation"
    professional_name: str = ""


@dataclass(frozen=True)
class MaintenanceFact:
    plan_id: int
    professional_name: str
    interval_days: int
    since: datetime  # the last qualifying contact, or the plan's start when there was none
    # which contacts with the professional count: "maintenance" or "any"
    counts: str = "maintenance"
    professional_id: int | None = None
    # the last qualifying contact at any time before; None: never
    last_contact_at: datetime | None = None

    def due_at(self) -> datetime:
        """When the next qualifying contact is due: the basis plus the interval."""
        return self.since + timedelta(days=self.interval_days)

    def overdue_at(self, policy: "Policy") -> datetime:
        """From when the plan is overdue: the due date plus the ward's grace."""
        return self.due_at() + timedelta(days=policy.maintenance_grace_days)


@dataclass(frozen=True)
class AttendingFact:
    """A period in which a doctor was the patient's attending doctor (from the hospital's feed)."""

    professional_id: int
    name: str
    started_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class RelationshipCheckInFact:
    """The patient's latest check-in on one professional: its mean (0-4), and the mean of the
    check-in on them before it (None: the first)."""

    check_in_id: int
    professional_id: int
    name: str
    score: float
    previous: float | None = None
    # whether the professional is the patient's designated safety person now
    safety_person: bool = False


@dataclass(frozen=True)
class DialogCheckInFact:
    """The patient's latest life-and-care check-in: the domains they want more help with."""

    check_in_id: int
    more_help: tuple[str, ...] = ()


@dataclass(frozen=True)
class PatientFacts:
    """Everything the rules know about one patient."""

    episodes: Sequence[EpisodeFact]
    contacts: Sequence[ContactFact]
    has_safety_person: bool = False
    crisis_plan_versions: Sequence[datetime] = ()
    maintenance: Sequence[MaintenanceFact] = ()
    relationship_check_ins: Sequence[RelationshipCheckInFact] = ()
    dialog_check_in: DialogCheckInFact | None = None
    attending_doctors: Sequence[AttendingFact] = ()


@dataclass(frozen=True)
class Reason:
    """One language-neutral part of why a finding holds: a key and plain JSON params (ISO dates,
    codes, 0–1)."""

    key: str
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"key": self.key, "params": dict(self.params)}



@dataclass(frozen=True)
class Finding:
    """A condition that holds now; `subject` tells apart several findings of one code (e.g. per
    plan).

    `reasons` say why in a language-neutral form; the rules word nothing themselves."""

    code: str
    severity: str
    reasons: tuple[Reason, ...]
    subject: str = ""

    @property
    def detail(self) -> str:
        """The reasons as one English sentence, worded by continuity.wording as the pages word
        them."""
        return english(self.code, self.reasons)


def _finding(code: str, severity: str, reasons: Sequence[Reason], subject: str = "") -> Finding:
    return Finding(code, severity, tuple(reasons), subject)


@dataclass(frozen=True)
class _Context:
    facts: PatientFacts
    policy: Policy
    now: datetime
    active: list[EpisodeFact] = field(default_factory=list)
    admissions: list[EpisodeFact] = field(default_factory=list)


def _recent_admissions(ctx: _Context) -> list[EpisodeFact]:
    horizon = ctx.now - timedelta(days=ctx.policy.readmission_days)
    return [e for e in ctx.admissions if e.started_at >= horizon]


def _is_extensive(ctx: _Context) -> Reason | None:
    """Why the patient meets the extensive-hospitalisation criterion, or None."""
    recent = _recent_admissions(ctx)
    if len(recent) > ctx.policy.extensive_admissions_over:
        return Reason(
            "extensive_admissions", {"count": len(recent), "days": ctx.policy.readmission_days}
        )
    horizon = ctx.now - timedelta(days=ctx.policy.readmission_days)
    for stay in ctx.admissions:
        end = stay.ended_at or ctx.now
        if end >= horizon and (end - stay.started_at).days > ctx.policy.extensive_stay_days:
            return Reason("extensive_stay", {"days": (end - stay.started_at).days})
    return None


def no_safety_person(ctx: _Context) -> list[Finding]:
    if not ctx.active or ctx.facts.has_safety_person:
        return []
    extensive = _is_extensive(ctx)
    reasons = [Reason("no_safety_person"), *([extensive] if extensive else [])]
    return [
        _finding("no_safety_person",
                 severity("no_safety_person", "extensive" if extensive else "other"), reasons)
    ]


def high_turnover(ctx: _Context) -> list[Finding]:
    p, contacts = ctx.policy, ctx.facts.contacts
    since = ctx.now - timedelta(days=p.turnover_days)
    names = {c.professional_id: c.professional_name or f"professional {c.professional_id}"
             for c in contacts}
    doctors = {
        c.professional_id
        for c in contacts
        if c.profession in DOCTORS and since <= c.occurred_at <= ctx.now
    }
    # every attending doctor of the window counts, met or not: a change of the doctor in charge is
    # turnover the patient lives through
    for attending in ctx.facts.attending_doctors:
        if attending.started_at <= ctx.now and (attending.ended_at is None
                                                or attending.ended_at >= since):
            doctors.add(attending.professional_id)
            names.setdefault(attending.professional_id, attending.name)
    reasons = []
    if len(doctors) >= p.turnover_doctors:
        reasons.append(Reason("turnover_doctors", {"count": len(doctors), "days": p.turnover_days,
                                                   "names": sorted(names[i] for i in doctors)}))
    episode_age = max(((ctx.now - e.started_at).days for e in ctx.active), default=0)
    if episode_age >= p.turnover_min_episode_days:
        window = measure(contacts, ctx.now - timedelta(days=p.turnover_kpc_days), ctx.now)
        if window.contacts >= p.turnover_kpc_min_contacts and window.kpc < p.turnover_kpc_below:
            reasons.append(Reason("turnover_kpc", {"share": window.kpc, "contacts": window.contacts,
                                                   "days": p.turnover_kpc_days}))
    if not reasons:
        return []
    return [
        _finding("high_turnover", severity("high_turnover", "both" if len(reasons) == 2 else "one"),
                 reasons)
    ]


def _episode_start_before(episodes: Sequence[EpisodeFact], at: datetime) -> datetime | None:
    starts = [
        e.started_at
        for e in episodes
        if e.started_at <= at and (e.ended_at is None or e.ended_at >= at)
    ]
    return max(starts, default=None)


def stranger_decision(ctx: _Context) -> list[Finding]:
    p = ctx.policy
    since = ctx.now - timedelta(days=p.stranger_lookback_days)
    met: set[int] = set()
    strangers: list[ContactFact] = []
    for contact in sorted(ctx.facts.contacts, key=lambda c: (c.occurred_at, c.id)):
        if (
            contact.kind in DECISIONS
            and contact.professional_id not in met
            and since <= contact.occurred_at
        ):
            start = _episode_start_before(ctx.facts.episodes, contact.occurred_at)
            if (
                start is None
                or contact.occurred_at - start > timedelta(hours=p.stranger_grace_hours)
            ):
                strangers.append(contact)
        met.add(contact.professional_id)
    if not strangers:
        return []
    coercive = any(c.kind == "coercive_measure" for c in strangers)
    reasons = [
        Reason(
            "stranger_decision",
            {
                "kind": c.kind,
                "name": c.professional_name or str(c.professional_id),
                "date": c.occurred_at.date().isoformat(),
            },
        )
        for c in strangers
    ]
    return [
        _finding("stranger_decision",
                 severity("stranger_decision", "coercive" if coercive else "decision"), reasons)
    ]


def readmission_tipping_point(ctx: _Context) -> list[Finding]:
    recent = _recent_admissions(ctx)
    if len(recent) < ctx.policy.readmission_count:
        return []
    return [
        _finding(
            "readmission_tipping_point",
            severity("readmission_tipping_point", "any"),
            [Reason("readmissions", {"count": len(recent), "days": ctx.policy.readmission_days})],
        )
    ]


def extensive_hospitalisation(ctx: _Context) -> list[Finding]:
    reason = _is_extensive(ctx)
    level = severity("extensive_hospitalisation", "any")
    return [_finding("extensive_hospitalisation", level, [reason])] if reason else []


def _crisis_plan_due(ctx: _Context) -> tuple[str, Reason] | None:
    """Why a crisis plan is due now, or None: an inpatient stay at least crisis_plan_inpatient_days
    old, or an outpatient episode and an admission that started within
    crisis_plan_outpatient_admission_days."""
    p = ctx.policy
    stays = [e for e in ctx.active if e.kind == "inpatient"
             and ctx.now - e.started_at >= timedelta(days=p.crisis_plan_inpatient_days)]
    if stays:
        return "inpatient", Reason(
            "crisis_plan_due_stay", {"days": max((ctx.now - e.started_at).days for e in stays)}
        )
    horizon = ctx.now - timedelta(days=p.crisis_plan_outpatient_admission_days)
    admitted = [e.started_at for e in ctx.admissions if e.started_at >= horizon]
    if admitted and any(e.kind == "outpatient" for e in ctx.active):
        return "outpatient", Reason(
            "crisis_plan_due_admission", {"date": max(admitted).date().isoformat()}
        )
    return None


def no_crisis_plan(ctx: _Context) -> list[Finding]:
    if not ctx.active or ctx.facts.crisis_plan_versions:
        return []
    due = _crisis_plan_due(ctx)
    if due is None:
        return []
    condition, why = due
    return [
        _finding(
            "no_crisis_plan", severity("no_crisis_plan", condition), [Reason("no_crisis_plan"), why]
        )
    ]


def crisis_plan_stale(ctx: _Context) -> list[Finding]:
    versions, p = ctx.facts.crisis_plan_versions, ctx.policy
    if not versions:
        return []
    latest = max(versions)
    for stay in ctx.active:
        if (
            stay.kind == "inpatient"
            and ctx.now - stay.started_at > timedelta(days=p.crisis_plan_admission_days)
            and latest < stay.started_at
        ):
            days = (ctx.now - stay.started_at).days
            return [_finding("crisis_plan_stale", severity("crisis_plan_stale", "admission"),
                             [Reason("crisis_plan_admission", {"days": days})])]
    if ctx.now - latest > timedelta(days=p.crisis_plan_max_age_days):
        return [_finding("crisis_plan_stale", severity("crisis_plan_stale", "age"),
                         [Reason("crisis_plan_age", {"days": (ctx.now - latest).days})])]
    return []


def maintenance_overdue(ctx: _Context) -> list[Finding]:
    """Overdue when the last qualifying contact (at any time before; the plan's start when there was
    none) is older than the interval plus the ward's grace."""
    found = []
    for plan in ctx.facts.maintenance:
        overdue = ctx.now - plan.overdue_at(ctx.policy)
        if overdue > timedelta(0):
            key = "maintenance_overdue_any" if plan.counts == "any" else "maintenance_overdue"
            reason = Reason(
                key,
                {
                    "name": plan.professional_name,
                    "days": (ctx.now - plan.since).days,
                    "interval": plan.interval_days,
                },
            )
            long = overdue >= timedelta(days=plan.interval_days)
            level = severity("maintenance_overdue", "long" if long else "short")
            found.append(
                _finding("maintenance_overdue", level, [reason], subject=f"plan:{plan.plan_id}")
            )
    return found


def transition_without_known_professional(ctx: _Context) -> list[Finding]:
    found = []
    for episode in ctx.active:
        earlier = [e for e in ctx.facts.episodes if e.started_at < episode.started_at]
        if not earlier or max(earlier, key=lambda e: e.started_at).ward_id == episode.ward_id:
            continue
        before = {
            c.professional_id for c in ctx.facts.contacts if c.occurred_at < episode.started_at
        }
        if not before:
            continue  # a patient with no history has nobody to keep
        if any(
            c.professional_id in before
            for c in ctx.facts.contacts
            if c.occurred_at >= episode.started_at
        ):
            continue
        days = (ctx.now - episode.started_at).days
        late = days >= ctx.policy.transition_escalate_days
        ward = episode.ward_name or f"ward {episode.ward_id}"
        reason = Reason("transition", {"ward_id": episode.ward_id, "ward": ward, "days": days})
        level = severity("transition_without_known_professional", "late" if late else "early")
        found.append(_finding("transition_without_known_professional", level, [reason],
                              subject=f"episode:{episode.id}"))
    return found


def check_in_subject(check_in_id: int) -> str:
    """The subject of a flag raised by a check-in: the check-in, never the person rated (the
    subject is shown to readers whom the patient's sharing choice does not let see who it was)."""
    return f"check_in:{check_in_id}"


def relationship_strain(ctx: _Context) -> list[Finding]:
    """The latest check-in on a professional fell by strain_drop or more since the one before it,
    or its mean is below strain_below. Held until the next check-in on them no longer meets it."""
    p, found = ctx.policy, []
    for check_in in ctx.facts.relationship_check_ins:
        reasons = []
        if check_in.previous is not None and check_in.previous - check_in.score >= p.strain_drop:
            reasons.append(Reason("strain_drop", {"name": check_in.name,
                                                  "before": round(check_in.previous, 2),
                                                  "now": round(check_in.score, 2)}))
        elif check_in.score < p.strain_below:
            reasons.append(Reason("strain_low", {"name": check_in.name,
                                                 "now": round(check_in.score, 2)}))
        if reasons:
            condition = "safety_person" if check_in.safety_person else "other"
            found.append(_finding("relationship_strain", severity("relationship_strain", condition),
                                  reasons, subject=check_in_subject(check_in.check_in_id)))
    return found


def help_requested(ctx: _Context) -> list[Finding]:
    """The latest life-and-care check-in asks for more help with a domain; one reason per domain."""
    check_in = ctx.facts.dialog_check_in
    if check_in is None or not check_in.more_help:
        return []
    return [_finding("help_requested", severity("help_requested", "any"),
                     [Reason(f"help_{domain}") for domain in check_in.more_help],
                     subject=check_in_subject(check_in.check_in_id))]


RULES: dict[str, Callable[[_Context], list[Finding]]] = {
    rule.__name__: rule
    for rule in (no_safety_person, high_turnover, stranger_decision, readmission_tipping_point,
                 extensive_hospitalisation, no_crisis_plan, crisis_plan_stale, maintenance_overdue,
                 transition_without_known_professional, relationship_strain, help_requested)
}


def evaluate(facts: PatientFacts, policy: Policy, now: datetime) -> list[Finding]:
    """Every finding that holds for the patient now."""
    active = [
        e
        for e in facts.episodes
        if e.started_at <= now and (e.ended_at is None or e.ended_at > now)
    ]
    admissions = [e for e in facts.episodes if e.kind == "inpatient" and e.started_at <= now]
    ctx = _Context(facts, policy, now, active, admissions)
    return [finding for rule in RULES.values() for finding in rule(ctx)]

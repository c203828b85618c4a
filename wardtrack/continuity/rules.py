"""Flag rules (PRODUCT.md "Flags and their default thresholds"). Pure: plain data in, findings out."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from wardtrack.continuity.measures import ContactPoint, measure

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
    maintenance_grace_days: int = 14
    transition_escalate_days: int = 7

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


@dataclass(frozen=True)
class PatientFacts:
    """Everything the rules know about one patient."""

    episodes: Sequence[EpisodeFact]
    contacts: Sequence[ContactFact]
    has_safety_person: bool = False
    crisis_plan_versions: Sequence[datetime] = ()
    maintenance: Sequence[MaintenanceFact] = ()


@dataclass(frozen=True)
class Finding:
    """A condition that holds now; `subject` tells apart several findings of one code (e.g. per plan)."""

    code: str
    severity: str
    detail: str
    subject: str = ""


@dataclass(frozen=True)
class _Context:
    facts: PatientFacts
    policy: Policy
    now: datetime
    active: list[EpisodeFact] = field(default_factory=list)
    admissions: list[EpisodeFact] = field(default_factory=list)


def _names(contacts: Sequence[ContactFact], ids) -> str:
    names = {c.professional_id: c.professional_name or f"professional {c.professional_id}" for c in contacts}
    return ", ".join(sorted(names[i] for i in ids))


def _recent_admissions(ctx: _Context) -> list[EpisodeFact]:
    horizon = ctx.now - timedelta(days=ctx.policy.readmission_days)
    return [e for e in ctx.admissions if e.started_at >= horizon]


def _is_extensive(ctx: _Context) -> str | None:
    """Why the patient meets the extensive-hospitalisation criterion, or None."""
    recent = _recent_admissions(ctx)
    if len(recent) > ctx.policy.extensive_admissions_over:
        return f"{len(recent)} admissions in {ctx.policy.readmission_days} days"
    horizon = ctx.now - timedelta(days=ctx.policy.readmission_days)
    for stay in ctx.admissions:
        end = stay.ended_at or ctx.now
        if end >= horizon and (end - stay.started_at).days > ctx.policy.extensive_stay_days:
            return f"an inpatient stay of {(end - stay.started_at).days} days"
    return None


def no_safety_person(ctx: _Context) -> list[Finding]:
    if not ctx.active or ctx.facts.has_safety_person:
        return []
    extensive = _is_extensive(ctx)
    detail = "No safety person named for a patient in care"
    return [Finding("no_safety_person", "high" if extensive else "medium",
                    f"{detail} ({extensive})." if extensive else f"{detail}.")]


def high_turnover(ctx: _Context) -> list[Finding]:
    p, contacts = ctx.policy, ctx.facts.contacts
    since = ctx.now - timedelta(days=p.turnover_days)
    doctors = {c.professional_id for c in contacts if c.profession in DOCTORS and since <= c.occurred_at <= ctx.now}
    reasons = []
    if len(doctors) >= p.turnover_doctors:
        reasons.append(f"{len(doctors)} doctors in {p.turnover_days} days: {_names(contacts, doctors)}")
    episode_age = max(((ctx.now - e.started_at).days for e in ctx.active), default=0)
    if episode_age >= p.turnover_min_episode_days:
        window = measure(contacts, ctx.now - timedelta(days=p.turnover_kpc_days), ctx.now)
        if window.contacts >= p.turnover_kpc_min_contacts and window.kpc < p.turnover_kpc_below:
            reasons.append(f"only {window.kpc:.0%} of {window.contacts} contacts in {p.turnover_kpc_days} days "
                           "were with someone the patient knew")
    if not reasons:
        return []
    detail = "; ".join(reasons)
    return [Finding("high_turnover", "high" if len(reasons) == 2 else "medium", detail[0].upper() + detail[1:] + ".")]


def _episode_start_before(episodes: Sequence[EpisodeFact], at: datetime) -> datetime | None:
    starts = [e.started_at for e in episodes if e.started_at <= at and (e.ended_at is None or e.ended_at >= at)]
    return max(starts, default=None)


def stranger_decision(ctx: _Context) -> list[Finding]:
    p = ctx.policy
    since = ctx.now - timedelta(days=p.stranger_lookback_days)
    met: set[int] = set()
    strangers: list[ContactFact] = []
    for contact in sorted(ctx.facts.contacts, key=lambda c: (c.occurred_at, c.id)):
        if contact.kind in DECISIONS and contact.professional_id not in met and since <= contact.occurred_at:
            start = _episode_start_before(ctx.facts.episodes, contact.occurred_at)
            if start is None or contact.occurred_at - start > timedelta(hours=p.stranger_grace_hours):
                strangers.append(contact)
        met.add(contact.professional_id)
    if not strangers:
        return []
    coercive = any(c.kind == "coercive_measure" for c in strangers)
    parts = [f"{c.kind.replace('_', ' ')} by {c.professional_name or c.professional_id} "
             f"on {c.occurred_at:%Y-%m-%d}" for c in strangers]
    return [Finding("stranger_decision", "high" if coercive else "medium",
                    "By someone the patient had never met: " + "; ".join(parts) + ".")]


def readmission_tipping_point(ctx: _Context) -> list[Finding]:
    recent = _recent_admissions(ctx)
    if len(recent) < ctx.policy.readmission_count:
        return []
    return [Finding("readmission_tipping_point", "medium",
                    f"{len(recent)} admissions in {ctx.policy.readmission_days} days.")]


def extensive_hospitalisation(ctx: _Context) -> list[Finding]:
    reason = _is_extensive(ctx)
    return [Finding("extensive_hospitalisation", "high", f"Extensive hospitalisation: {reason}.")] if reason else []


def no_crisis_plan(ctx: _Context) -> list[Finding]:
    if not ctx.active or ctx.facts.crisis_plan_versions:
        return []
    return [Finding("no_crisis_plan", "medium", "No crisis plan for a patient in care.")]


def crisis_plan_stale(ctx: _Context) -> list[Finding]:
    versions, p = ctx.facts.crisis_plan_versions, ctx.policy
    if not versions:
        return []
    latest = max(versions)
    if ctx.now - latest > timedelta(days=p.crisis_plan_max_age_days):
        return [Finding("crisis_plan_stale", "medium",
                        f"The crisis plan was last revised {(ctx.now - latest).days} days ago.")]
    for stay in ctx.active:
        if stay.kind == "inpatient" and ctx.now - stay.started_at > timedelta(days=p.crisis_plan_admission_days) \
                and latest < stay.started_at:
            return [Finding("crisis_plan_stale", "low", f"Admitted {(ctx.now - stay.started_at).days} days ago "
                            "and the crisis plan has not been revised since.")]
    return []


def maintenance_overdue(ctx: _Context) -> list[Finding]:
    found = []
    for plan in ctx.facts.maintenance:
        overdue = ctx.now - plan.since - timedelta(days=plan.interval_days + ctx.policy.maintenance_grace_days)
        if overdue > timedelta(0):
            found.append(Finding("maintenance_overdue", "medium",
                                 f"No maintenance contact with {plan.professional_name} for "
                                 f"{(ctx.now - plan.since).days} days (planned every {plan.interval_days}).",
                                 subject=f"plan:{plan.plan_id}"))
    return found


def transition_without_known_professional(ctx: _Context) -> list[Finding]:
    found = []
    for episode in ctx.active:
        earlier = [e for e in ctx.facts.episodes if e.started_at < episode.started_at]
        if not earlier or max(earlier, key=lambda e: e.started_at).ward_id == episode.ward_id:
            continue
        before = {c.professional_id for c in ctx.facts.contacts if c.occurred_at < episode.started_at}
        if not before:
            continue  # a patient with no history has nobody to keep
        if any(c.professional_id in before for c in ctx.facts.contacts if c.occurred_at >= episode.started_at):
            continue
        days = (ctx.now - episode.started_at).days
        late = days >= ctx.policy.transition_escalate_days
        found.append(Finding("transition_without_known_professional", "medium" if late else "low",
                             f"Moved to ward {episode.ward_id} {days} days ago and has not yet seen anyone "
                             "they knew before.", subject=f"episode:{episode.id}"))
    return found


RULES: dict[str, Callable[[_Context], list[Finding]]] = {
    rule.__name__: rule for rule in (
        no_safety_person, high_turnover, stranger_decision, readmission_tipping_point, extensive_hospitalisation,
        no_crisis_plan, crisis_plan_stale, maintenance_overdue, transition_without_known_professional)
}


def evaluate(facts: PatientFacts, policy: Policy, now: datetime) -> list[Finding]:
    """Every finding that holds for the patient now."""
    active = [e for e in facts.episodes if e.started_at <= now and (e.ended_at is None or e.ended_at > now)]
    admissions = [e for e in facts.episodes if e.kind == "inpatient" and e.started_at <= now]
    ctx = _Context(facts, policy, now, active, admissions)
    return [finding for rule in RULES.values() for finding in rule(ctx)]

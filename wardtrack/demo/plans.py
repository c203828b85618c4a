"""The demo's crisis plans (encrypted like any other, written some days ago) and maintenance
plans."""

from datetime import timedelta

from wardtrack.crisisplans import envelope
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.demo.catalogue import Profile
from wardtrack.demo.contacts import TEAMS, PatientContacts
from wardtrack.demo.timeline import Clock
from wardtrack.reminders.models import MaintenancePlan

# Made-up plan content in the structure of the crisis-plan API.
CONTENT = {
    "warning_signs": ["I stop sleeping", "I stop answering the phone"],
    "coping_strategies": ["A long walk by the river", "Music with headphones"],
    "what_helps_in_crisis": ["Someone I know staying with me", "A quiet room"],
    "what_does_not_help": ["Many new faces at once"],
    "reasons_for_living": ["My sister", "My dog"],
}


def crisis_plan(ring, clock: Clock, profile: Profile, patient_id: int, author: tuple[int, str]):
    """The patient's one crisis-plan version, `profile.crisis_plan` days old; None when the story
    has none."""
    if profile.crisis_plan is None:
        return None
    user_id, name = author
    return CrisisPlanVersion(patient_id=patient_id, version=1, created_by=user_id, author_name=name,
                             author_role="team_leader", reviewed_with_patient=True,
                             created_at=clock.now - timedelta(days=profile.crisis_plan, hours=3),
                             **envelope.seal(ring, patient_id, 1, CONTENT))


def _own_contact(maker: PatientContacts, profile: Profile) -> int | None:
    """Whom the plan keeps them seeing: the maintenance nurse, else their outpatient team's own
    contact."""
    if profile.maintenance:
        return maker.first_primary
    homes = [e.ward for e in maker.episodes if e.ward in TEAMS]
    core = maker.cores.get((homes[-1], TEAMS[homes[-1]].core)) if homes else None
    return core[0] if core else None


def maintenance_plan(clock: Clock, maker: PatientContacts, profile: Profile, patient_id: int,
                     leader_id: int) -> MaintenancePlan | None:
    """The story's maintenance plan, begun `profile.plan[2]` days ago; None when it has none."""
    professional_id = _own_contact(maker, profile) if profile.plan else None
    if professional_id is None:
        return None
    interval, counts, began = profile.plan
    return MaintenancePlan(patient_id=patient_id, professional_id=professional_id,
                           interval_days=interval, any_contact_counts=counts == "any",
                           started_at=clock.now - timedelta(days=began), created_by=leader_id,
                           note="Just so they do not lose each other")

"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from wardtrack.adt.models import AdtDoctor, AdtLocation, AdtMerge, AdtMessage, AdtVisit
from wardtrack.audit.models import AuditEvent
from wardtrack.auth.models import ApiToken, User, UserSession, UserWard
from wardtrack.checkins.models import CheckIn, CheckInItem, CheckInText
from wardtrack.contacts.models import Contact
from wardtrack.continuity.models import (
    ContinuitySnapshot,
    Flag,
    PatientProfessional,
    RecomputeQueue,
    WardPolicy,
)
from wardtrack.crisisplans.models import CrisisPlanVersion
from wardtrack.notifications.models import Delivery, Digest, PushSubscription
from wardtrack.organisation.models import Membership, Professional, Ward
from wardtrack.patients.models import Designation, Episode, Patient
from wardtrack.reminders.models import MaintenancePlan, Reminder

__all__ = [
    "AdtDoctor",
    "AdtLocation",
    "AdtMerge",
    "AdtMessage",
    "AdtVisit",
    "ApiToken",
    "AuditEvent",
    "CheckIn",
    "CheckInItem",
    "CheckInText",
    "Contact",
    "ContinuitySnapshot",
    "CrisisPlanVersion",
    "Delivery",
    "Designation",
    "Digest",
    "Episode",
    "Flag",
    "MaintenancePlan",
    "Membership",
    "Patient",
    "PatientProfessional",
    "Professional",
    "PushSubscription",
    "RecomputeQueue",
    "Reminder",
    "User",
    "UserSession",
    "UserWard",
    "Ward",
    "WardPolicy",
]

"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from wardtrack.audit.models import AuditEvent
from wardtrack.auth.models import ApiToken, User, UserSession, UserWard
from wardtrack.contacts.models import Contact
from wardtrack.organisation.models import Membership, Professional, Ward
from wardtrack.patients.models import Designation, Episode, Patient

__all__ = ["ApiToken", "AuditEvent", "Contact", "Designation", "Episode", "Membership", "Patient",
           "Professional", "User", "UserSession", "UserWard", "Ward"]

"""Account schemas."""

from marshmallow import fields, validate

from wardtrack.auth.models import ROLES
from wardtrack.core.schemas import StrictSchema, UtcDateTime, id_field

USERNAME = validate.Regexp(r"^[a-z0-9][a-z0-9._-]{2,79}$",
                           error="3–80 lower-case letters, digits, dots, dashes or underscores.")
PASSWORD = validate.Length(min=10, max=200, error="Between 10 and 200 characters.")
# users.email is String(254)
EMAIL_LENGTH = validate.Length(max=254, error="At most 254 characters.")


class LoginSchema(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(
        required=True, validate=validate.Length(min=1, max=200), load_only=True
    )


class UserSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    username = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    ward_ids = fields.List(fields.Integer(), dump_only=True)
    professional_id = fields.Integer(dump_only=True, allow_none=True)
    patient_id = fields.Integer(dump_only=True, allow_none=True)


class AdminUserSchema(UserSchema):
    created_at = UtcDateTime(dump_only=True)
    email = fields.String(dump_only=True, allow_none=True)
    disabled = fields.Method("_disabled", dump_only=True)

    def _disabled(self, user) -> bool:
        return user.disabled_at is not None


class UserCreateSchema(StrictSchema):
    username = fields.String(required=True, validate=USERNAME)
    password = fields.String(required=True, validate=PASSWORD, load_only=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    ward_ids = fields.List(id_field(), load_default=list, validate=validate.Length(max=50))
    professional_id = id_field(load_default=None, allow_none=True)
    patient_id = id_field(load_default=None, allow_none=True)
    email = fields.Email(
        load_default=None,
        allow_none=True,
        validate=EMAIL_LENGTH,
        metadata={"description": "Where reminders and digests are e-mailed (staff only)"},
    )


class UserUpdateSchema(StrictSchema):
    role = fields.String(validate=validate.OneOf(ROLES))
    ward_ids = fields.List(id_field(), validate=validate.Length(max=50))
    professional_id = id_field(allow_none=True)
    patient_id = id_field(allow_none=True)
    password = fields.String(validate=PASSWORD, load_only=True)
    disabled = fields.Boolean()
    email = fields.Email(
        allow_none=True,
        validate=EMAIL_LENGTH,
        metadata={"description": "Where reminders and digests are e-mailed; null clears it"},
    )


class SessionSchema(StrictSchema):
    user = fields.Nested(UserSchema)
    csrf_token = fields.String()


class CsrfSchema(StrictSchema):
    csrf_token = fields.String()

"""Wards and professionals."""

from flask.views import MethodView
from flask_smorest import Blueprint

from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import STAFF
from wardtrack.core.pagination import PageArgs, page_schema
from wardtrack.core.schemas import problem_doc
from wardtrack.extensions import db
from wardtrack.organisation import operations, queries
from wardtrack.organisation.schemas import ProfessionalQuery, ProfessionalSchema, WardSchema

blp = Blueprint(
    "organisation", __name__, url_prefix="/api/v1", description="Wards and professionals"
)


@blp.route("/wards")
class Wards(MethodView):
    @require(*STAFF)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(WardSchema, "WardPage"))
    def get(self, args):
        """Every ward."""
        return queries.list_wards(args["limit"], args["cursor"])

    @require("admin")
    @blp.arguments(WardSchema)
    @blp.response(201, WardSchema)
    @blp.alt_response(409, **problem_doc("Name taken"))
    def post(self, body):
        """Create a ward."""
        ward = operations.create_ward(**body)
        db.session.commit()
        return ward


@blp.get("/wards/<int:ward_id>")
@require(*STAFF)
@blp.response(200, WardSchema)
def get_ward(ward_id):
    """One ward."""
    return queries.get_ward(ward_id)


@blp.route("/professionals")
class Professionals(MethodView):
    @require(*STAFF)
    @blp.arguments(ProfessionalQuery, location="query")
    @blp.response(200, page_schema(ProfessionalSchema, "ProfessionalPage"))
    def get(self, args):
        """Professionals by name; `ward_id`, `profession` and `q` narrow the list."""
        return queries.list_professionals(**args)

    @require(*STAFF)
    @blp.arguments(ProfessionalSchema)
    @blp.response(201, ProfessionalSchema)
    def post(self, body):
        """Add a professional, e.g. an on-call doctor, to wards the caller works on."""
        professional = operations.create_professional(current_user(), **body)
        db.session.commit()
        return professional


@blp.get("/professionals/<int:professional_id>")
@require(*STAFF)
@blp.response(200, ProfessionalSchema)
def get_professional(professional_id):
    """One professional."""
    return queries.get_professional(professional_id)

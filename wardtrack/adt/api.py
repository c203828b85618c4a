"""The location mapping for the hospital's feed: which ward each point of care (PV1-3.1) is.
Admins only."""

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from wardtrack.adt import locations, queries
from wardtrack.adt.schemas import LocationSchema
from wardtrack.auth.access import require
from wardtrack.core.schemas import problem_doc
from wardtrack.extensions import db

blp = Blueprint("adt", __name__, url_prefix="/api/v1/adt",
                description="The hospital feed's location mapping")


@blp.get("/locations")
@require("admin")
@blp.response(200, LocationSchema(many=True))
def list_locations():
    """Every point of care the feed may name, with its ward."""
    return queries.list_locations()


@blp.route("/locations/<string:point_of_care>")
class Location(MethodView):
    @require("admin")
    @blp.response(200, LocationSchema)
    @blp.alt_response(404, **problem_doc("Not mapped"))
    def get(self, point_of_care):
        """One point of care and its ward."""
        return queries.get_location(point_of_care)

    @require("admin")
    @blp.arguments(LocationSchema)
    @blp.response(200, LocationSchema)
    @blp.alt_response(201, schema=LocationSchema, description="Created")
    @blp.alt_response(422, **problem_doc("No such ward, or an unusable point of care"))
    def put(self, body, point_of_care):
        """Map the point of care to a ward (201 when new, 200 when changed or unchanged)."""
        location, created = locations.put_location(point_of_care, body["ward_id"])
        db.session.commit()
        return location, 201 if created else 200

    @require("admin")
    @blp.response(204)
    @blp.alt_response(404, **problem_doc("Not mapped"))
    def delete(self, point_of_care):
        """Remove the mapping: later messages naming the point of care are answered AE."""
        locations.delete_location(point_of_care)
        db.session.commit()
        return Response(status=204)

"""Unbound extensions; they are bound to an app only in the factory."""

import http

from flask_babel import Babel
from flask_migrate import Migrate
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from flask_sqlalchemy import SQLAlchemy

from wardtrack.core.db import Base
from wardtrack.core.errors import PROBLEM_JSON
from wardtrack.core.schemas import ProblemSchema


class ProblemApi(Api):
    """flask-smorest's Api, documenting error responses as the problem documents they are."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(
                response, self.spec, PROBLEM_JSON if status >= 400 else "application/json"
            )
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = ProblemApi()
babel = Babel()

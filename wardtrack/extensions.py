"""Unbound extensions; they are bound to an app only in the factory."""

from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy

from wardtrack.core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()

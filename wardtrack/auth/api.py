"""Login, logout, CSRF, me, and account administration."""

import sqlalchemy as sa
from flask import current_app, g, make_response
from flask.views import MethodView
from flask_smorest import Blueprint

from wardtrack.auth import operations, throttle
from wardtrack.auth.access import current_user, require
from wardtrack.auth.models import User
from wardtrack.auth.schemas import (
    AdminUserSchema,
    CsrfSchema,
    LoginSchema,
    SessionSchema,
    UserCreateSchema,
    UserSchema,
    UserUpdateSchema,
)
from wardtrack.core.errors import NotFound, Unauthorized, problem
from wardtrack.core.pagination import PageArgs, decode_cursor, page, page_schema
from wardtrack.core.schemas import problem_doc
from wardtrack.extensions import db

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Login, sessions and accounts")


@blp.post("/auth/login")
@blp.arguments(LoginSchema)
@blp.response(200, SessionSchema)
@blp.alt_response(401, **problem_doc("Wrong username or password"))
@blp.alt_response(429, **problem_doc("Too many failed logins: try again after Retry-After seconds"))
@blp.alt_response(
    503,
    **problem_doc(
        "Too many logins being checked at once, or the throttle's store unreachable: "
        "try again after Retry-After seconds"
    ),
)
def login(body):
    """Open a session: sets the session cookie and returns the CSRF token for unsafe requests.

    Failed attempts slow further ones down (per account and address, per address, per account), for
    known and unknown names alike; a 429 or 503 says in Retry-After when to try again."""
    try:
        session, token = operations.login(
            body["username"], body["password"], throttle.client_address()
        )
    except throttle.RetryLater as error:
        db.session.rollback()
        return problem(error.status, error.detail, headers={"Retry-After": str(error.retry_after)})
    if g.get("user_session") is not None:
        operations.logout(g.user_session)  # the cookie is replaced, so the session it held ends
    db.session.commit()
    config = current_app.config
    response = make_response(
        SessionSchema().dump({"user": session.user, "csrf_token": session.csrf_token})
    )
    response.set_cookie(config["SESSION_COOKIE_NAME"], token,
                        max_age=config["SESSION_MAX_HOURS"] * 3600,
                        secure=config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax")
    return response


@blp.post("/auth/logout")
@blp.response(204)
def logout():
    """End the current session, and tell the browser to empty its HTTP cache of this site (also when
    the session had already ended: what was cached while it lasted goes all the same)."""
    if g.get("user_session") is None:
        response = problem(401, "No session to end.")
    else:
        operations.logout(g.user_session)
        db.session.commit()
        response = make_response("", 204)
    response.delete_cookie(
        current_app.config["SESSION_COOKIE_NAME"], secure=True, httponly=True, samesite="Lax"
    )
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@blp.get("/auth/csrf")
@blp.response(200, CsrfSchema)
def csrf():
    """The CSRF token of the current session."""
    if g.get("user_session") is None:
        raise Unauthorized("Log in first.")
    return {"csrf_token": g.user_session.csrf_token}


@blp.get("/me")
@blp.response(200, UserSchema)
def me():
    """The caller's account."""
    return current_user()


@blp.route("/users")
class Users(MethodView):
    @require("admin")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_schema(AdminUserSchema, "UserPage"))
    def get(self, args):
        """Every account, by id."""
        query = sa.select(User).order_by(User.id).limit(args["limit"] + 1)
        if args["cursor"]:
            query = query.where(User.id > decode_cursor(args["cursor"], 1, (int,))[0])
        return page(db.session.scalars(query).all(), args["limit"], lambda user: [user.id])

    @require("admin")
    @blp.arguments(UserCreateSchema)
    @blp.response(201, AdminUserSchema)
    @blp.alt_response(409, **problem_doc("Username taken"))
    def post(self, body):
        """Create an account."""
        user = operations.create_user(**body)
        db.session.commit()
        return user


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.")
    return user


@blp.route("/users/<int:user_id>")
class UserById(MethodView):
    @require("admin")
    @blp.response(200, AdminUserSchema)
    def get(self, user_id):
        """One account."""
        return _user_or_404(user_id)

    @require("admin")
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, AdminUserSchema)
    def patch(self, body, user_id):
        """Change role, wards, password or disabled state; takes effect on the user's next
        request."""
        user = operations.update_user(_user_or_404(user_id), body)
        db.session.commit()
        return user


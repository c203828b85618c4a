"""Everything out as FHIR R4: the read-only REST endpoint under /fhir/r4 and the bulk export
(docs/fhir.md). Resources are built with fhir.resources' R4B models, so that what is emitted
validates."""


def init_app(app) -> None:
    """Register the endpoint's blueprint and the `flask fhir` commands."""
    from wardtrack.fhir.api import bp
    from wardtrack.fhir.cli import fhir_cli

    app.register_blueprint(bp)
    app.cli.add_command(fhir_cli)

"""Append-only, hash-chained audit events, and signed checkpoints of the chain kept outside the
database."""


def scheduled_jobs(app) -> dict:
    """The audit package's jobs for the scheduler (wardtrack.notifications.scheduler.build): name ->
    (interval setting, function of the app). Loads the signing key first, so that a scheduler
    without one in production refuses to start rather than failing every minute."""
    from wardtrack.audit.checkpoints import scheduled_checkpoint, signing_key

    signing_key(app)
    return {"audit_checkpoint": ("SCHEDULER_CHECKPOINT_SECONDS", scheduled_checkpoint)}

"""Telling people: e-mail, web push, the daily digest, their deliveries, and the scheduler that runs
the jobs."""

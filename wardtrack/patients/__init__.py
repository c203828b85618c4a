"""Patients, their episodes of care and their designated professionals."""

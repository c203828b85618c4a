"""Admissions from the hospital's feed: HL7 v2 ADT over MLLP, the message log, the location and
doctor mappings (docs/adt.md)."""

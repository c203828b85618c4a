"""The ward board: a ward's patients with their flags, key people and measures, a patient's
measures, and the ward's picture over time. Reads only; the flag engine (continuity.operations)
keeps what it reads."""

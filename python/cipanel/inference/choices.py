"""The choices a spec's inference blocks may name, kept apart from the methods so that reading and
checking a spec imports neither NumPy nor SciPy (the methods import them from here)."""

WEIGHTS = ("rademacher", "webb")  # wild bootstrap weight distributions
MODES = ("unit", "unit_year")  # placebo reassignment: whole unit paths, or unit-year values

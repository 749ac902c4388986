"""The two errors a user can cause in a study, both printed as one message without a traceback:
SpecError for a spec that is wrong in itself (file and key named), StudyError for a valid spec the
data cannot support (table, column and what to change named)."""


class SpecError(ValueError):
    """An invalid study spec; the message names the file and the key path."""


class StudyError(SpecError):
    """A spec the panel cannot support (empty sample, one cluster, a treatment the fixed effects
    absorb, ...); the message names the study, table and column. A SpecError subclass so every
    caller that reports spec errors reports these too."""

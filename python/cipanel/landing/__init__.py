"""Landing: read the user's input files (long CSV / Parquet, yearbook-wide Excel) into one long,
all-text table with provenance (file, sheet, row, column). No value is typed or dropped here:
typing, validation and rejection happen in the dbt staging models, where every row is accounted for."""

from cipanel.landing.land import LANDING_COLUMNS, LandingError, land_directory, land_file

__all__ = ["LANDING_COLUMNS", "LandingError", "land_directory", "land_file"]

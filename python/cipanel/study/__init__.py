"""Study specs (YAML), the runner that estimates them on the panel mart, and their results."""

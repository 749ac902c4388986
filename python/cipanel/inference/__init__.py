"""Small-cluster inference: wild cluster bootstrap (WCR, WRE), group-difference tests, placebo."""

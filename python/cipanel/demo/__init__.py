"""SYNTHETIC demo data for the warehouse (see examples/provinces-demo/data/README.md). Not real statistics."""

from __future__ import annotations


def __getattr__(name: str):
    # lazy, so `python -m cipanel.demo.generator` does not import the module twice
    if name in ("DEFAULT_SEED", "generate"):
        from cipanel.demo import generator

        return getattr(generator, name)
    raise AttributeError(name)


__all__ = ["DEFAULT_SEED", "generate"]

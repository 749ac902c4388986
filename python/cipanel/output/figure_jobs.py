"""Figures drawn in worker processes while the main process writes tables.

A figure is a FigureJob: the dotted name of a plotting function and its (picklable) arguments.
`start(jobs)` hands a batch to a process pool and returns at once; `result(handle)` waits for one.
The pool is created on the first batch worth it (MIN_BATCH figures) and kept for the rest of the
process; its workers import matplotlib and look up the CJK font once. Workers are never forked
from the main process (which holds DuckDB connections and threads): on Windows they are spawned
(fresh interpreters, as Windows must), elsewhere forked from a fresh forkserver process that has
imported matplotlib and the plotting modules once for all of them. Either way a figure is drawn by
the same code, fonts and settings as in the main process: the files are byte-identical to a
serial run's.

CIPANEL_WORKERS sets how many processes write the outputs: the main one (tables, report) and
CIPANEL_WORKERS - 1 figure workers. CIPANEL_WORKERS=1 draws every figure in the main process, one
after another. Default: the CPU count (at most 4) from 3 CPUs up, else 1: on the 2-core machine
this was measured on (benchmarks/bench_outputs.py), a worker beside the main process made a cold
study slower, quiet or busy (its imports cost CPU, and it slowed the table files as much as it
saved on the figures). Figures are also drawn in the main process while a test records them
(cipanel.output.figures.RECORD), and when the pool cannot start or breaks (e.g. a script without
an `if __name__ == "__main__":` guard on Windows): then with a warning."""

from __future__ import annotations

import logging
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from importlib import import_module
from typing import Any, NamedTuple

log = logging.getLogger(__name__)
ENV = "CIPANEL_WORKERS"
MAX_DEFAULT = 4
MIN_BATCH = 3  # fewer figures draw faster in-process than a worker starts (~1-2 s of imports)
START_METHOD = "spawn" if sys.platform == "win32" else "forkserver"
PRELOAD = ["cipanel.output.figures", "cipanel.output.threshold_figures", "cipanel.analytics.figures"]
_POOL: ProcessPoolExecutor | None = None
_POOL_SIZE = 0


class FigureJob(NamedTuple):
    func: str  # "module:function", e.g. "cipanel.output.figures:plot_index_heatmap"
    args: tuple
    kwargs: dict


class Handle:
    """A started figure: its future (pool) or its result (drawn in-process), and the job to redraw
    in-process if the pool breaks."""

    def __init__(self, job: FigureJob, future: Future | None = None, value: Any = None) -> None:
        self.job, self.future, self.value = job, future, value


def draw(job: FigureJob) -> Any:
    """Run one job (in a worker or in-process): the plotting function's return value."""
    module, name = job.func.split(":")
    return getattr(import_module(module), name)(*job.args, **job.kwargs)


def workers() -> int:
    """Processes writing the outputs (the main one included): CIPANEL_WORKERS, else the CPU
    count (at most MAX_DEFAULT) on a machine with 3 CPUs or more, else 1 (see above)."""
    raw = os.environ.get(ENV, "").strip()
    if raw:
        try:
            value = int(raw)
            if value >= 1:
                return value
        except ValueError:
            pass
        log.warning("%s=%r is not a whole number >= 1: figures are drawn in the main process", ENV, raw)
        return 1
    cpus = os.cpu_count() or 1
    return min(cpus, MAX_DEFAULT) if cpus >= 3 else 1


def _recording() -> bool:
    figures = sys.modules.get("cipanel.output.figures")  # not imported: nothing can be recording
    return figures is not None and getattr(figures, "RECORD", None) is not None


def _warm() -> None:
    """Worker start-up: matplotlib and the plotting modules (already there when forked from the
    forkserver) and the font lookup."""
    for module in PRELOAD:
        import_module(module)
    import_module("cipanel.output.figures").cjk_font()


def _pool() -> ProcessPoolExecutor | None:
    global _POOL, _POOL_SIZE
    size = workers() - 1  # the main process writes the tables meanwhile
    if _POOL is not None and _POOL_SIZE == size:
        return _POOL
    shutdown()
    import multiprocessing

    try:
        context = multiprocessing.get_context(START_METHOD)
        if START_METHOD == "forkserver":
            context.set_forkserver_preload(PRELOAD)  # imported once, in the server
        _POOL = ProcessPoolExecutor(size, mp_context=context, initializer=_warm)
    except (OSError, ValueError, RuntimeError) as exc:
        log.warning("figure workers could not start (%s): figures are drawn in the main process", exc)
        return None
    _POOL_SIZE = size
    return _POOL


def shutdown() -> None:
    """Stop the workers (they also stop when the process exits)."""
    global _POOL, _POOL_SIZE
    if _POOL is not None:
        _POOL.shutdown(wait=True, cancel_futures=True)
    _POOL, _POOL_SIZE = None, 0


def start(jobs: list[FigureJob]) -> list[Handle]:
    """Start every job: in the pool when it has several workers and the batch is worth it (or the
    pool runs already), else drawn here and now, in order."""
    parallel = jobs and workers() > 1 and not _recording() and (len(jobs) >= MIN_BATCH or _POOL is not None)
    pool = _pool() if parallel else None
    if pool is None:
        return [Handle(job, value=draw(job)) for job in jobs]
    try:
        return [Handle(job, future=pool.submit(draw, job)) for job in jobs]
    except (BrokenProcessPool, RuntimeError) as exc:
        log.warning("figure workers failed (%s): figures are drawn in the main process", exc)
        shutdown()
        return [Handle(job, value=draw(job)) for job in jobs]


def result(handle: Handle) -> Any:
    """The job's return value (waits for its worker); an error in the plotting code is raised here
    as it would be in-process. A broken pool (a worker died) redraws the job in-process."""
    if handle.future is None:
        return handle.value
    try:
        return handle.future.result()
    except BrokenProcessPool as exc:
        log.warning("a figure worker died (%s): %s drawn in the main process", exc, handle.job.func)
        shutdown()
        return draw(handle.job)

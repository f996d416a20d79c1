"""Independent jobs on Dask workers: a local cluster of processes, or a cluster that already runs.

One code path for both: `workers(...)` opens a `dask.distributed` client (a
LocalCluster of N single-threaded worker processes, or the scheduler at
--scheduler / $DASK_SCHEDULER_ADDRESS), and `run_jobs(...)` hands it picklable
jobs (an instance path and what-ifs, never Pyomo objects) and calls back on the
client as each one finishes. The scenario battery (kouiki/batch.py) and the
per-group split (kouiki/parts.py) both use it. Dask is the `batch` extra.
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from kouiki.errors import UsageError
from kouiki.messages import text

SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"


def word(key: str, lang: str = "ja", **values) -> str:
    """The catalogue's sentence cluster.KEY (kouiki/messages.py) in `lang`."""
    return text("cluster." + key, lang, **values)


def available(lang: str = "ja") -> None:
    """Raise a UsageError saying how to install the extra when dask.distributed is missing."""
    try:
        import distributed  # noqa: F401
        import tqdm  # noqa: F401
    except ImportError:
        raise UsageError(word("missing", lang)) from None


def scheduler_address(given: str | None) -> str | None:
    """--scheduler, else $DASK_SCHEDULER_ADDRESS, else None (a local cluster)."""
    return given or os.environ.get(SCHEDULER_VARIABLE) or None


@contextmanager
def workers(count: int | None = None, scheduler: str | None = None, lang: str = "ja",
            wait_for_workers: float = 30.0) -> Iterator:
    """A dask.distributed Client on an existing scheduler, or on a local cluster of `count` processes.

    Local workers are processes with one thread each: HiGHS and Pyomo hold
    the GIL for most of a solve, so threads would not run solves side by side.
    """
    available(lang)
    from distributed import Client, LocalCluster

    address = scheduler_address(scheduler)
    cluster = None
    if address:
        try:
            client = Client(address, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise UsageError(word("unreachable", lang, address=address, reason=type(error).__name__,
                                  cores=os.cpu_count() or 1)) from None
        try:
            client.wait_for_workers(1, timeout=wait_for_workers)
        except TimeoutError:
            client.close()
            raise UsageError(word("no_workers", lang, address=address, seconds=wait_for_workers)) from None
    else:
        # Loopback only, and the scheduler's HTTP port picked free (8787 may be another user's).
        # A Ctrl-C in the terminal reaches the whole process group: the worker processes
        # ignore it (kouiki.worker_setup, preloaded), and this process stops the battery and
        # closes them, without a traceback from each.
        cluster = LocalCluster(n_workers=count or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
                               preload=["kouiki.worker_setup"])
        client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_jobs(client, function: Callable, jobs: list, keys: list[str], on_done: Callable[[int, object], None],
             on_tick: Callable[[dict[int, float]], None] | None = None, tick_seconds: float = 1.0) -> None:
    """Submit `function(job)` for every job; call `on_done(index, result)` on the client as each finishes.

    `on_tick` is told, about once a second, which jobs are running on a worker
    and for how many seconds. On any exception (Ctrl-C included) the jobs not
    yet finished are cancelled and the exception goes on: what `on_done` has
    already received stays whatever happens next.
    """
    from distributed import wait

    futures = [client.submit(function, job, key=key, pure=False) for job, key in zip(jobs, keys)]
    index_of = {future.key: number for number, future in enumerate(futures)}
    pending = set(futures)
    running_since: dict[int, float] = {}
    try:
        while pending:
            try:
                done, pending = wait(pending, timeout=tick_seconds, return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = set()
            for future in sorted(done, key=lambda f: index_of[f.key]):
                number = index_of[future.key]
                running_since.pop(number, None)
                on_done(number, future.result())
            if on_tick is not None and pending:
                now = time.monotonic()
                busy = {index_of[k] for keys_on_worker in client.processing().values() for k in keys_on_worker if k in index_of}
                for number in busy:
                    running_since.setdefault(number, now)
                for number in list(running_since):
                    if number not in busy:
                        del running_since[number]
                on_tick({number: now - since for number, since in running_since.items()})
    except BaseException:
        client.cancel(list(pending))
        raise

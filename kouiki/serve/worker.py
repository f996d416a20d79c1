"""The solving process: the page stays responsive while a plan is computed, and a solve can be stopped.

Solves run in a separate process that loads the instance once and then answers
jobs one at a time. Cancelling terminates that process and starts a fresh one:
the engine has no cancellation hook, and a solve deep inside HiGHS cannot be
interrupted from a thread (docs/decisions.md, issue 12).
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from dataclasses import dataclass, field

log = logging.getLogger("kouiki.serve")


@dataclass(frozen=True)
class Job:
    number: int
    what_ifs: tuple  # kouiki.whatif.WhatIf, in the order the user added them
    n_options: int = 1
    time_limit: float | None = None  # seconds for this request; None: as long as it takes


@dataclass
class Answer:
    number: int
    status: str  # "solved", "infeasible", "no_plan_in_time" or "failed"
    view: dict | None = None  # kouiki.serve.view.plan_view
    files: dict[str, bytes] = field(default_factory=dict)  # the report folder the CLI writes, but report.xlsx
    workbook: object = None  # kouiki.run.WorkbookSource: report.xlsx, built when a report is downloaded
    message: str = ""  # the library's words for a failure
    seconds: float = 0.0


def solve(instance, job: Job) -> Answer:
    """One what-if request through the library's run API, exactly as `allocate PATH` would run it."""
    from kouiki.errors import InputError, NoPlanInTimeError, UsageError
    from kouiki.request import RunRequest
    from kouiki.run import compute
    from kouiki.serve.view import plan_view

    started = time.perf_counter()
    request = RunRequest(path=instance.path, what_ifs=tuple(job.what_ifs), time_limit=job.time_limit,
                         n_options=job.n_options, lang="ja", xlsx=False)  # the workbook waits for a download
    try:
        result = compute(instance, request)  # its Deadline comes from the request's time limit
    except NoPlanInTimeError as error:
        return Answer(job.number, "no_plan_in_time", message=str(error), seconds=time.perf_counter() - started)
    except UsageError as error:
        return Answer(job.number, "failed", message=str(error), seconds=time.perf_counter() - started)
    except InputError as error:
        return Answer(job.number, "failed", message=str(error), seconds=time.perf_counter() - started)
    return Answer(job.number, result.status, plan_view(result), result.files, result.workbook,
                  seconds=time.perf_counter() - started)


def answer_jobs(path: str, connection) -> None:
    """The solving process's whole life: load once, then answer each job until told to stop."""
    from kouiki.load import load

    instance = load(path)
    connection.send(("ready", None))
    while True:
        job = connection.recv()
        if job is None:
            return
        try:
            answer = solve(instance, job)
        except Exception:  # a defect: the server logs it; the page says it in words
            log.exception("solving scenario %s failed", job.number)
            answer = Answer(job.number, "failed")
        connection.send(("answer", answer))


class SolvingProcess:
    """The one process that solves; `run` waits for an answer unless cancelled, which restarts it."""

    def __init__(self, path: str):
        self.path = path
        self.closed = False  # once the server stops, a cancelled solve is not replaced
        self._context = multiprocessing.get_context("spawn")  # never fork a process that holds server threads
        self._start()

    def _start(self) -> None:
        self.connection, theirs = self._context.Pipe()
        self.process = self._context.Process(target=answer_jobs, args=(self.path, theirs), daemon=True,
                                             name="kouiki-solver")
        self.process.start()
        theirs.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def run(self, job: Job, cancelled: threading.Event) -> Answer | None:
        """The job's answer, or None once `cancelled` is set (the solve is then killed)."""
        self.connection.send(job)
        while True:
            if cancelled.is_set():
                self.restart()
                return None
            try:
                if self.connection.poll(0.05):
                    kind, payload = self.connection.recv()
                    if kind == "answer":
                        return payload
                    continue  # "ready": loaded, the job is being solved
            except (EOFError, OSError):
                pass
            if not self.process.is_alive():
                log.error("the solving process ended unexpectedly (exit code %s)", self.process.exitcode)
                self.restart()
                return Answer(job.number, "failed")

    def restart(self) -> None:
        self.stop()
        if not self.closed:
            self._start()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(5)
        self.connection.close()

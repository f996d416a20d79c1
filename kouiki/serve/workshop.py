"""One workshop's session: the instance in memory, every scenario tried, and the queue of solves.

A scenario is a list of what-ifs (and how many options to show); each change on
the page makes a new scenario from the one on screen, so nothing tried is lost.
What-ifs are checked by `kouiki.whatif.apply` before anything is queued: a
refusal comes back at once in the library's words.
"""

from __future__ import annotations

from kouiki.messages import LANGUAGES, Message, render
import queue
import threading
import time
from dataclasses import dataclass, field, replace

from kouiki.instance import Instance
from kouiki.scenario import Scenario
from kouiki.serve.form import SINGLE, RequestRefused
from kouiki.serve.words import word
from kouiki.serve.worker import Answer, Job, SolvingProcess
from kouiki.whatif import WhatIf, apply

HISTORY_LIMIT = 500  # scenarios in one session: a day's workshop tries a few dozen
QUEUE_LIMIT = 5  # scenarios waiting behind the one being solved
DONE = ("solved", "infeasible", "no_plan_in_time", "failed", "cancelled")


@dataclass
class WorkshopScenario:
    id: int
    name: str
    what_ifs: tuple[WhatIf, ...]
    n_options: int = 1
    status: str = "pending"  # pending → running → one of DONE
    answer: Answer | None = None
    requested: float = field(default_factory=time.monotonic)
    finished: float | None = None
    cancelled: threading.Event = field(default_factory=threading.Event)

    @property
    def done(self) -> bool:
        return self.status in DONE

    @property
    def view(self) -> dict | None:
        return self.answer.view if self.answer else None

    def conflicting(self) -> dict[int, tuple[str, str]]:
        """Index of each of this scenario's what-ifs that the conflict names → that reason."""
        found = {}
        reasons = self.view["reasons"] if self.view else []
        for index, what in enumerate(self.what_ifs):
            for rule, text in reasons:
                # the explanation names a what-if by its label and where it came from (kouiki/explain.py)
                named = Message("explain.what_if", label=what.label, source=what.where)
                if rule == "what-if" and str(text) in {render(named, lang) for lang in LANGUAGES}:
                    found[index] = (rule, text)
        return found


def letters(number: int) -> str:
    """0 → A, 25 → Z, 26 → AA: scenario names as a facilitator would write them on a flip chart."""
    text = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def numbered(what_ifs) -> tuple[WhatIf, ...]:
    """The what-ifs with their place on the screen as their source (the conflict names them by it)."""
    return tuple(WhatIf(w.kind, w.argument, word("whatif_source", "ja", n=i)) for i, w in enumerate(what_ifs, start=1))


class Workshop:
    """The session the page shows; every method is safe to call from the server's threads."""

    def __init__(self, path: str, instance: Instance, time_limit: float | None = None, solving=None,
                 first: bool = True):
        self.path = path
        self.instance = instance
        self.time_limit = time_limit
        self.scenarios: list[WorkshopScenario] = []
        self._lock = threading.Lock()
        self._queue: queue.Queue[WorkshopScenario | None] = queue.Queue()
        self.solving = solving or SolvingProcess(path)
        self._dispatcher = threading.Thread(target=self._dispatch, name="kouiki-dispatch", daemon=True)
        self._dispatcher.start()
        if first:
            self.propose((), 1)

    # --- what the page asks for ---------------------------------------------------------

    def get(self, number: int, lang: str = "ja") -> WorkshopScenario:
        with self._lock:
            if 0 <= number < len(self.scenarios):
                return self.scenarios[number]
        raise RequestRefused(word("bad_request", lang, reason=word("no_scenario", lang, id=number)))

    def latest(self) -> WorkshopScenario | None:
        with self._lock:
            return self.scenarios[-1] if self.scenarios else None

    def all(self) -> list[WorkshopScenario]:
        with self._lock:
            return list(self.scenarios)

    def propose(self, what_ifs, n_options: int, lang: str = "ja") -> WorkshopScenario:
        """A new scenario, checked by the CLI's own what-if code, queued for solving."""
        what_ifs = numbered(what_ifs)
        apply(self.instance, Scenario(), list(what_ifs))  # UsageError: the library's words, nothing queued
        with self._lock:
            if len(self.scenarios) >= HISTORY_LIMIT:
                raise RequestRefused(word("history_full", lang, limit=HISTORY_LIMIT))
            if self._queue.qsize() >= QUEUE_LIMIT:
                raise RequestRefused(word("queue_full", lang))
            number = len(self.scenarios)
            scenario = WorkshopScenario(number, f"案{letters(number)}", what_ifs, n_options)
            self.scenarios.append(scenario)
        self._queue.put(scenario)
        return scenario

    def add(self, base: WorkshopScenario, what: WhatIf, lang: str = "ja") -> WorkshopScenario:
        kept = [w for w in base.what_ifs if not (what.kind in SINGLE and w.kind == what.kind)]
        return self.propose(kept + [what], base.n_options, lang)

    def drop(self, base: WorkshopScenario, index: int, lang: str = "ja") -> WorkshopScenario:
        if not 0 <= index < len(base.what_ifs):
            raise RequestRefused(word("bad_request", lang, reason=word("bad_field", lang, field="index")))
        return self.propose([w for i, w in enumerate(base.what_ifs) if i != index], base.n_options, lang)

    def with_options(self, base: WorkshopScenario, n_options: int, lang: str = "ja") -> WorkshopScenario:
        return self.propose(list(base.what_ifs), n_options, lang)

    def rename(self, scenario: WorkshopScenario, name: str) -> None:
        with self._lock:
            scenario.name = name

    def cancel(self, scenario: WorkshopScenario) -> None:
        """Stop a running solve (its process is replaced) or take a waiting one off the queue."""
        with self._lock:
            if scenario.done:
                return
            scenario.cancelled.set()
            if scenario.status == "pending":
                self._finish(scenario, "cancelled", None)

    def close(self) -> None:
        self.solving.closed = True
        for scenario in self.all():
            scenario.cancelled.set()
        self._queue.put(None)
        self._dispatcher.join(10)
        self.solving.stop()

    # --- the solving thread -------------------------------------------------------------

    def _dispatch(self) -> None:
        while True:
            scenario = self._queue.get()
            if scenario is None:
                return
            with self._lock:
                if scenario.done:
                    continue  # cancelled while waiting
                scenario.status = "running"
            answer = self._known_answer(scenario)
            if answer is None:
                job = Job(scenario.id, scenario.what_ifs, scenario.n_options, self.time_limit)
                answer = self.solving.run(job, scenario.cancelled)
            with self._lock:
                if answer is None:
                    self._finish(scenario, "cancelled", None)
                else:
                    self._finish(scenario, answer.status, answer)

    def _known_answer(self, scenario: WorkshopScenario) -> Answer | None:
        """The answer of an earlier scenario with the very same what-ifs, if it is final.

        A room toggles back ("cap 1億 again"): the same job gives the same plan,
        so it is shown at once. Only answers that cannot change are reused — a
        proven plan or a proven conflict, never one cut short by a time limit,
        cancelled or failed.
        """
        with self._lock:
            for earlier in self.scenarios:
                if earlier is scenario or earlier.answer is None:
                    continue
                if (earlier.what_ifs, earlier.n_options) != (scenario.what_ifs, scenario.n_options):
                    continue
                if self._final(earlier.answer, scenario.n_options):
                    return replace(earlier.answer, number=scenario.id, seconds=0.0)
        return None

    def _final(self, answer: Answer, n_options: int) -> bool:
        """Whether solving the same job again could give another answer (no: a proven one)."""
        if answer.status == "infeasible":
            return self.time_limit is None  # a budget may have cut the explanation short
        if answer.status != "solved" or not answer.view:
            return False
        found = [o for o in answer.view["options"] if o["number"] >= 1]
        return len(found) == n_options and all(o["status"] in ("optimal", "alternative") for o in found)

    def _finish(self, scenario: WorkshopScenario, status: str, answer: Answer | None) -> None:
        scenario.status = status
        scenario.answer = answer
        scenario.finished = time.monotonic()


"""build → solve → evaluate: the best plan under exact pooled costs, proven to the gap asked for.

The model (model/matrix.py) prices each arrangement's pooled cost by a
variable η bounded below by polymatroid cuts. The solve is a short loop of
named steps over one search state:

1. tighten the LP relaxation: separate violated pooled-cost cuts until none
   is left (every LP optimum on the way is a valid bound);
2. offer the greedy plan (a plan keeping every rule) as an incumbent;
3. branch and bound in HiGHS from the incumbent;
4. check the plan exactly: where a chosen arrangement's η is below its exact
   pooled cost, add the cut that is tight there and go back to 3;
5. stop when the state is proven (within the gap) or out of time.

A plan is only ever reported after the evaluator (model/evaluate.py) has
re-derived every number from SPEC §5 and found every rule kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kouiki.deadline import Deadline
from kouiki.errors import InfeasibleError, NoPlanInTimeError, PlanCheckError
from kouiki.explain import explain_infeasible, impossible_what_ifs
from kouiki.instance import Instance
from kouiki.messages import Message, Yen
from kouiki.model.evaluate import Evaluation, evaluate
from kouiki.model.heuristic import repair_caps, starting_plan
from kouiki.model.legal import Candidate, Exclusion, legal_choices
from kouiki.model.matrix import MONEY_UNIT, exact_model
from kouiki.scenario import Scenario
from kouiki.solvers.highs import Session, SolverFacts, SolverSettings

ROOT_ROUNDS = 200  # separation rounds on the LP relaxation at most (Kensei needs about 10)
YEN = 1e-6  # one yen in money units: the exactness every pooled cost is checked to
START_SHARE = 1 / 3  # groups solved apart: the time their bounds and greedy plans may take at most
LEFTOVER_SECONDS = 1.0  # groups solved apart: time left over worth handing to an unproven group
REPAIR_SECONDS = 10.0  # mending a cap-breaking plan at most (each trial evaluates the whole plan)


@dataclass
class Outcome:
    evaluation: Evaluation
    facts: SolverFacts
    bound: float | None  # valid upper bound on total savings (yen)
    gap: float | None  # (bound − exact savings) / |bound|
    rounds: int  # MIP solves
    exclusions: list[Exclusion]
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    root_bound: float | None = None  # the LP relaxation's bound after the cut loop (yen)


@dataclass
class Search:
    """The best exactly evaluated plan, the least valid bound, and when to stop."""

    gap_goal: float
    deadline: Deadline
    floor: float | None = None  # option sets: savings an offered plan must reach (yen)
    best: Evaluation | None = None
    found_by: str = ""  # "heuristic" or "solver"
    bound: float | None = None
    root_bound: float | None = None  # the LP bound once no pooled-cost cut is violated (yen)
    started: float = 0.0  # by the deadline's clock

    def offer(self, ev: Evaluation, found_by: str, broken: list) -> bool:
        """Keep the plan if it breaks no rule in force, reaches the floor and beats the best so far."""
        if broken or (self.floor is not None and ev.total_savings < self.floor - 1.0):
            return False
        if self.best is not None and ev.total_savings <= self.best.total_savings + 1e-6 and not (
                self.found_by == "heuristic" and found_by == "solver" and ev.total_savings >= self.best.total_savings - 1.0):
            return False
        self.best, self.found_by = ev, found_by
        return True

    def tighten(self, bound: float | None) -> None:
        if bound is not None:
            self.bound = bound if self.bound is None else min(self.bound, bound)

    def gap(self) -> float | None:
        if self.best is None or self.bound is None:
            return None
        bound = max(self.bound, self.best.total_savings)
        return max(bound - self.best.total_savings, 0.0) / max(abs(bound), 1.0) + 0.0  # never -0

    def proven(self) -> bool:
        """Within the gap asked for (SPEC §9: 1 yen of slack besides)."""
        if self.best is None or self.bound is None:
            return False
        bound = max(self.bound, self.best.total_savings)
        # HiGHS measures its gap against the incumbent, we against the bound: allow either, and 1 yen
        scale = max(abs(bound), abs(self.best.total_savings), 1.0)
        return bound - self.best.total_savings <= (self.gap_goal + 1e-9) * scale + 1.0

    def out_of_time(self) -> bool:
        return self.deadline.expired()


class NoMoreOptions(Exception):
    """No further plan differs enough from the earlier ones (or stays within the slack)."""


class Planner:
    """Finds plans for one instance and scenario, keeping its model (and its cuts) between calls.

    Option sets add rows to the kept model (`differ_from`, `at_least`); each
    `next()` is the best plan the model admits now.
    """

    def __init__(self, instance: Instance, scenario: Scenario, settings: SolverSettings,
                 omit: frozenset = frozenset(), explain: bool = True, progress=None,
                 deadline: Deadline | None = None, only: set | None = None):
        self.deadline = deadline if deadline is not None else Deadline(settings.time_limit)
        self.started = self.deadline.clock()
        self.progress = progress or (lambda text: None)
        self.instance, self.scenario, self.settings = instance, scenario, settings
        self.omit, self.explain = omit, explain
        self.timings = {"legal": 0.0, "build": 0.0, "root": 0.0, "solve": 0.0, "evaluate": 0.0, "heuristic": 0.0}
        candidates, self.exclusions = legal_choices(instance, scenario, omit)
        if only is not None:
            candidates = [c for c in candidates if c.key in only]
        self.candidates = candidates
        self._clock("legal", self.started)
        impossible = impossible_what_ifs(instance, scenario, self.candidates, self.exclusions)
        if impossible:
            raise InfeasibleError(impossible)
        clock = self.deadline.clock()
        self.exact = exact_model(instance, scenario, candidates, omit)
        self._clock("build", clock)
        if self.exact.constant_infeasible:
            raise InfeasibleError(self.exact.constant_infeasible)
        self.session: Session | None = None
        self.constrained = False  # option rows are in the model
        self.floor: float | None = None
        self.floor_row: int | None = None
        self.use_start = True
        self.rounds = 0
        self.pending: list = []  # exact cuts of plans HiGHS underpriced during a solve, added after it
        self.cuts_added: set = set()

    def _clock(self, stage: str, since: float) -> None:
        self.timings[stage] += self.deadline.clock() - since

    def _session(self) -> Session:
        if self.session is None:
            clock = self.deadline.clock()
            self.session = Session(self.exact, self.settings)
            self._clock("build", clock)
        return self.session

    # ------------------------------------------------------------------ option rows
    def differ_from(self, plan, at_least: int) -> None:
        """Later plans differ from this one in at least `at_least` (task, method, hub) choices."""
        name, terms, lower = self.exact.distinct_row(plan, at_least)
        self._session().add_rows([(name, terms, lower, float("inf"))])
        self.constrained = True

    def at_least(self, savings: float) -> None:
        """Later plans save at least this much (yen)."""
        self.floor = savings
        session = self._session()
        name, terms, lower = self.exact.savings_floor_row(savings)
        if self.floor_row is None:
            self.floor_row = len(self.exact.matrix.rows)
            session.add_rows([(name, terms, lower, float("inf"))])
        else:
            session.highs.changeRowBounds(self.floor_row, lower, float("inf"))
        self.constrained = True

    # ------------------------------------------------------------------ the steps
    def starting_plan(self, deadline: Deadline | None = None):
        """The greedy plan (model/heuristic.py), computed once; None when it finds none in time."""
        if not hasattr(self, "_start"):
            clock = self.deadline.clock()
            self._start = None if self.omit or not self.use_start else starting_plan(
                self.instance, self.scenario, self.candidates, deadline=deadline or self.deadline)
            self._clock("heuristic", clock)
        return self._start

    def _offer_starts(self, search: Search, greedy: bool = True) -> None:
        """Step 2: plans that keep every rule, to fall back on should the time run out."""
        if self.constrained:
            return
        for start in ((self.starting_plan(search.deadline) if greedy else None), []):
            if start is not None:
                ev = self._evaluate(start)
                search.offer(ev, "heuristic", self._broken(ev))

    def _evaluate(self, plan) -> Evaluation:
        clock = self.deadline.clock()
        ev = evaluate(self.instance, self.scenario, plan)
        self._clock("evaluate", clock)
        return ev

    def _broken(self, ev: Evaluation) -> list[tuple[str, str]]:
        """The rules in force that a plan breaks (an explanation may leave some out: `omit`)."""
        if not self.omit:
            return ev.violations
        omitted = {item if isinstance(item, str) else item[0] for item in self.omit}
        broken = [v for v in ev.violations if v[0] not in omitted]
        if "L6" in omitted and "L6" not in self.omit:  # caps left out hub by hub: check the others
            for h, burden in ev.net_burden.items():
                if ("L6", h) not in self.omit and burden > self.scenario.cap(self.instance, h) + 1.0:
                    cap = self.scenario.cap(self.instance, h)
                    broken.append(("L6", Message("eval.over_cap", hub=h, burden=f"{burden:,.0f}", cap=f"{cap:,.0f}")))
        return broken

    def _infeasible(self):
        if self.constrained:
            return NoMoreOptions()
        reasons = explain_infeasible(self.instance, self.scenario, self.settings, self.omit) if self.explain else []
        return InfeasibleError(reasons)

    def _tighten_root(self, search: Search) -> None:
        """Step 1: pooled-cost cuts at the LP optimum until none is violated; every LP optimum bounds the savings."""
        session = self._session()
        clock = self.deadline.clock()
        try:
            for _ in range(ROOT_ROUNDS):
                if search.out_of_time():
                    return
                status, values, objective = session.solve_lp(search.deadline)
                if status == "infeasible":
                    raise self._infeasible()
                if status != "optimal":
                    return
                search.tighten(objective * MONEY_UNIT)
                cuts = self.exact.separate(values)
                if not cuts or not self._add_cuts(cuts):  # none violated (or only within the LP's tolerance)
                    search.root_bound = objective * MONEY_UNIT
                    return
        finally:
            self._clock("root", clock)

    def _branch(self, search: Search) -> tuple[SolverFacts, list | None]:
        """Step 3: HiGHS's branch and bound from the best plan so far.

        Each plan HiGHS improves on the way is evaluated exactly at once and
        offered to the search, and the cuts it lacked are kept for the next
        solve. (HiGHS's bound inside that callback can be a sub-MIP's, so it
        proves nothing; only the bound of the finished solve is used.)
        """
        session = self._session()
        if search.best is not None:
            session.give_start(self.exact.start_values(search.best.plan))
        clock = self.deadline.clock()
        facts, values = session.solve_mip(self.deadline, self.settings.gap, on_improving=self._watcher(search))
        self._clock("solve", clock)
        self.rounds += 1
        self._add_cuts(self.pending)
        self.pending = []
        return facts, values

    def _add_cuts(self, cuts) -> int:
        """Pooled-cost cuts into the kept model, each once; how many were new."""
        fresh = []
        for name, terms in cuts:
            signature = (name, tuple(sorted(terms.items())))
            if signature not in self.cuts_added:
                self.cuts_added.add(signature)
                fresh.append((name, terms, 0.0, float("inf")))
        if fresh:
            self._session().add_rows(fresh)
        return len(fresh)

    def _watcher(self, search: Search):
        def on_improving(values) -> None:
            plan = self.exact.plan_of(values)
            ev = evaluate(self.instance, self.scenario, plan)
            search.offer(ev, "solver", self._broken(ev))
            self.pending.extend(self._understated(plan, values))
        return on_improving

    def _check(self, search: Search, facts: SolverFacts, values) -> bool:
        """Step 4: the plan checked exactly; True when its pooled costs were all exact in the model."""
        plan = self.exact.plan_of(values)
        ev = self._evaluate(plan)
        broken = self._broken(ev)
        other = [v for v in broken if v[0] != "L6"]
        if other:
            raise PlanCheckError(Message("engine.breaks_rule", details="; ".join(f"{r}: {t}" for r, t in other)))
        missing = self._understated(plan, values)
        if missing:
            self._add_cuts(missing)
            if not search.offer(ev, "solver", broken) and broken and not self.constrained and not self.omit:
                # a fallback only: a quarter of the time left and 10 s at most (REPAIR_SECONDS)
                mended = repair_caps(self.instance, self.scenario, plan,
                                     deadline=self.deadline.child(share=0.25, seconds=REPAIR_SECONDS))
                if mended is not None:
                    mended_ev = self._evaluate(mended)
                    search.offer(mended_ev, "heuristic", mended_ev.violations)
            return False
        # The model's objective at this plan (η at the exact pooled cost; HiGHS may
        # leave η above it when it stops at a gap) must be the evaluator's savings.
        priced = sum(self.exact.matrix.cost[c] * v for c, v in self.exact.start_values(plan).items()) * MONEY_UNIT
        scale = sum(self.instance.standalone(t, j) for (t, j) in self.instance.rows) + 1.0
        if abs(priced - ev.total_savings) > 1e-9 * scale + 1.0 * (len(plan) + 1):
            raise PlanCheckError(Message("engine.disagree", objective=f"{priced:,.0f}", exact=f"{ev.total_savings:,.0f}"))
        if broken:
            raise PlanCheckError(Message("engine.breaks_cap", details="; ".join(t for r, t in broken if r == "L6")))
        search.offer(ev, "solver", broken)
        return True

    def _understated(self, plan, values) -> list:
        """The exact cuts of the chosen arrangements whose η is below their pooled cost."""
        col = self.exact.matrix.column
        cuts = []
        for name, terms in self.exact.exact_cuts(plan):
            key = name[1:]
            curve = self.exact.curves[key]
            chosen = [c for c in curve.columns if values[c] > 0.5]
            volume = sum(v for c, v in zip(curve.columns, curve.volumes) if values[c] > 0.5)
            if chosen and curve.g(volume) - values[col[("eta", *key)]] > YEN * (1 + 1e-3 * curve.g(volume)):
                cuts.append((name, terms))
        return cuts

    def next(self) -> Outcome:
        """The best plan the model admits now, exactly evaluated and re-checked."""
        return self.finish(self.start())

    def start(self, deadline: Deadline | None = None, greedy: bool = True) -> Search:
        """Steps 1 and 2: a bound and a fallback plan, within `deadline` (default: the planner's).

        `greedy=False` leaves the greedy plan to `finish` (only doing everything alone is offered now).
        """
        search = Search(self.settings.gap, deadline or self.deadline, self.floor)
        search.started = self.deadline.clock()
        if not self.candidates:
            ev = self._evaluate([])
            if self._broken(ev):
                raise self._infeasible()
            search.offer(ev, "solver", [])
            search.tighten(0.0)
            return search
        self._tighten_root(search)  # first: a bound within a second, and infeasibility proven at once
        self._offer_starts(search, greedy)
        return search

    def finish(self, search: Search, deadline: Deadline | None = None) -> Outcome:
        """Steps 3 to 5 from a started search, within `deadline` (default: the planner's)."""
        started = search.started
        if deadline is not None:
            search.deadline = self.deadline = deadline
        facts = SolverFacts("time_limit", False, None, None, None, 0.0)
        if not self.candidates:
            return self._outcome(search, SolverFacts("optimal", True, 0.0, 0.0, 0.0, 0.0), started)
        if not hasattr(self, "_start") and not search.proven():
            self._offer_starts(search)
        while not search.proven() and not search.out_of_time():
            facts, values = self._branch(search)
            self.progress(f"solve {self.rounds}: {facts.status}"
                          + (f", savings {facts.objective / 1e4:,.0f}万円" if facts.objective is not None else ""))
            if facts.status == "infeasible":
                raise self._infeasible()
            if not facts.has_plan:
                if facts.status == "time_limit":
                    break
                raise PlanCheckError(Message("engine.stopped_no_plan", status=facts.status))
            search.tighten(facts.bound)
            if self._check(search, facts, values):
                break  # HiGHS priced its plan exactly: its bound and gap are the exact problem's
        if search.best is None:
            if search.out_of_time() or facts.status == "time_limit":
                limit = self.deadline.seconds
                raise NoPlanInTimeError(Message("engine.no_plan_in_time", seconds=f"{limit:g}") if limit is not None
                                        else Message("engine.stopped_before_plan"))
            raise NoMoreOptions()
        return self._outcome(search, facts, started)

    def _outcome(self, search: Search, facts: SolverFacts, started: float) -> Outcome:
        ev = search.best
        gap = search.gap()
        bound = None if search.bound is None else max(search.bound, ev.total_savings)
        warnings = []
        if bound is None:
            warnings.append(Message("engine.no_bound"))
        elif not search.proven():
            warnings.append(Message("engine.within", gap=f"{gap:.2%}"))
        now = self.deadline.clock()
        timings = dict(self.timings, total=now - self.started, this_plan=now - started)
        status = "optimal" if not warnings else "time_limit"
        facts = SolverFacts(status, True, ev.total_savings, bound, gap, facts.seconds)
        return Outcome(ev, facts, bound, gap, self.rounds, self.exclusions, timings, warnings, search.root_bound)


def optimise(instance: Instance, scenario: Scenario, settings: SolverSettings, omit: frozenset = frozenset(),
             explain: bool = True, progress=None, deadline: Deadline | None = None) -> Outcome:
    """The best plan, exactly evaluated and re-checked; raise if there is none."""
    return Planner(instance, scenario, settings, omit, explain, progress, deadline).next()


def components(instance: Instance, candidates: list[Candidate]) -> list[set[str]]:
    """Groups of municipalities that can never share an arrangement with another group.

    Hubs and the members that could join them are linked; burden caps, body
    costs, grants and staff capacity are all per hub, so without a global
    arrangement count (L10) each group is a problem of its own.
    """
    parent = {j: j for j in instance.municipalities}

    def root(j):
        while parent[j] != j:
            parent[j] = parent[parent[j]]
            j = parent[j]
        return j

    for c in candidates:
        for j in c.members:
            a, b = root(c.hub), root(j)
            if a != b:
                parent[a] = b
    groups: dict[str, set[str]] = {}
    for j in instance.municipalities:
        groups.setdefault(root(j), set()).add(j)
    return sorted(groups.values(), key=lambda g: (-len(g), sorted(g)[0]))


def part_of(instance: Instance, group: set[str]) -> Instance:
    from dataclasses import replace

    rows = {k: r for k, r in instance.rows.items() if k[1] in group}
    reach = None if instance.reach is None else frozenset(p for p in instance.reach if p[0] in group and p[1] in group)
    current = tuple(c for c in instance.current if c.hub in group)
    municipalities = {j: m for j, m in instance.municipalities.items() if j in group}
    tasks = {t: task for t, task in instance.tasks.items() if any(k[0] == t for k in rows)}
    return replace(instance, municipalities=municipalities, rows=rows, reach=reach, current=current, tasks=tasks)


def optimise_by_parts(instance: Instance, scenario: Scenario, settings: SolverSettings,
                      explain: bool = True, progress=None, deadline: Deadline | None = None) -> Outcome:
    """The best plan, solving independent groups of municipalities one by one.

    Falls back to one model when the groups are coupled (an arrangement count
    limit, or a forced method without a hub) or when there is only one group.
    Each group gets a share of the time left, by its size.
    """
    deadline = deadline if deadline is not None else Deadline(settings.time_limit)
    started = deadline.clock()
    candidates, exclusions = legal_choices(instance, scenario)
    groups = [g for g in components(instance, candidates) if len(g) > 1 or any(c.hub in g for c in candidates)]
    coupled = scenario.max_arrangements is not None or any(h is None for _, _, h in scenario.forced)
    if coupled or len(groups) <= 1:
        return optimise(instance, scenario, settings, explain=explain, progress=progress, deadline=deadline)
    plan, bound, root, rounds = [], 0.0, 0.0, 0
    timings = {"legal": 0.0, "build": 0.0, "root": 0.0, "solve": 0.0, "evaluate": 0.0, "heuristic": 0.0}
    unproven = 0
    # Two passes, so that every group has a bound and a plan however the time
    # goes: first each group's LP bound (at most a third of the time), then the
    # greedy plan and branch and bound group by group with what is left.
    total = sum(len(g) for g in groups)
    first_pass = deadline.child(share=START_SHARE) if deadline.limited else deadline
    started_groups = []
    left = total
    for number, group in enumerate(groups, start=1):
        if progress:
            progress(f"group {number}/{len(groups)}: {len(group)} municipalities")
        planner = Planner(part_of(instance, group), scenario, settings, explain=explain, progress=progress, deadline=deadline)
        started_groups.append((planner, planner.start(first_pass.child(share=len(group) / left), greedy=False)))
        left -= len(group)
    left = total
    outcomes = []
    for planner, search in started_groups:
        size = len(planner.instance.municipalities)
        outcomes.append(planner.finish(search, deadline.child(share=size / left)))
        left -= size
    # Third pass: the time that groups proven early left over goes to the unproven
    # ones, the one furthest from its bound (in yen) first.
    while deadline.limited and (deadline.remaining() or 0.0) > LEFTOVER_SECONDS:
        unsettled = [(o.bound - o.evaluation.total_savings, i) for i, o in enumerate(outcomes)
                     if o.warnings and o.bound is not None]
        if not unsettled:
            break
        _, i = max(unsettled)
        planner, search = started_groups[i]
        outcomes[i] = planner.finish(search, deadline)
        if outcomes[i].warnings:
            break  # it had all the time left and still stopped: nothing more to hand out
    for outcome in outcomes:  # each planner's timings and rounds are its totals over every pass
        plan.extend(outcome.evaluation.plan)
        bound = None if bound is None or outcome.bound is None else bound + outcome.bound
        root = None if root is None or outcome.root_bound is None else root + outcome.root_bound
        rounds += outcome.rounds
        for key, value in outcome.timings.items():
            if key in timings:
                timings[key] += value
        unproven += bool(outcome.warnings)
    return joined(instance, scenario, settings, plan, bound, rounds, exclusions, timings, unproven, len(groups),
                  deadline.clock, started, root)


def joined(instance: Instance, scenario: Scenario, settings: SolverSettings, plan: list, bound: float | None,
           rounds: int, exclusions: list, timings: dict, unproven: int, groups: int, clock, started: float,
           root: float | None = None) -> Outcome:
    """The groups' plans as one outcome: evaluated whole, bounded by the sum of their bounds."""
    since = clock()
    ev = evaluate(instance, scenario, plan)
    timings["evaluate"] += clock() - since
    if ev.violations:
        raise PlanCheckError(Message("engine.groups_break", details="; ".join(f"{r}: {t}" for r, t in ev.violations)))
    gap = None
    if bound is not None:
        bound = max(bound, ev.total_savings)
        gap = max(bound - ev.total_savings, 0.0) / max(abs(bound), 1.0) + 0.0  # never -0
    timings["total"] = timings["this_plan"] = clock() - started
    warnings = []
    if unproven and (gap is None or gap > settings.gap + 1e-12):
        warnings = [Message("engine.no_bound_groups", count=groups) if gap is None
                    else Message("engine.within_groups", gap=f"{gap:.2%}", count=groups)]
    facts = SolverFacts("optimal" if not warnings else "time_limit", True, ev.total_savings, bound, gap, timings["solve"])
    return Outcome(ev, facts, bound, gap, rounds, exclusions, timings, warnings, root)


def verify(instance: Instance, scenario: Scenario, settings: SolverSettings, outcome: Outcome,
           deadline: Deadline | None = None) -> str:
    """Re-solve with the plan's (task, method, hub) choices fixed and another seed; the savings must agree.

    Members stay free, so this checks that HiGHS, started afresh, finds no better
    member sets for the same choices and reaches the same savings.
    """
    from dataclasses import replace

    chosen = sorted({(a.task, a.method, a.hub) for a in outcome.evaluation.plan})
    fixed = replace(scenario, forced=tuple(chosen))
    seed = (settings.seed or 0) + 7919
    planner = Planner(instance, fixed, SolverSettings(settings.time_limit, settings.gap, settings.threads, seed),
                      explain=False, deadline=deadline, only=set(chosen))
    planner.use_start = False  # no head start: HiGHS must find the member sets itself
    again = planner.next()
    first, second = outcome.evaluation.total_savings, again.evaluation.total_savings
    allowed = settings.gap * abs(outcome.bound or first) + 1.0 * (len(chosen) + 1)
    if abs(first - second) > allowed:
        raise PlanCheckError(Message("engine.verify_failed", seed=seed, second=f"{second:,.0f}", first=f"{first:,.0f}"))
    return Message("term.verified", count=len(chosen), seed=seed, savings=Yen(second), difference=f"{second - first:+,.0f}")

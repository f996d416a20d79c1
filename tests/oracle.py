"""Independent test oracle for kouiki, written from the product SPEC.md alone.

It never imports kouiki: its job is to catch the MIP's mistakes, so it must not
share the MIP's code or its reading of the input.  It reads an instance folder
with the `csv` module, enumerates every legal plan of a tiny instance
(<= 4 municipalities, <= 3 tasks, <= 4 methods, <= 2 hubs) and returns the one
with the highest total savings (SPEC §5 objective).

Public API
----------
best_plan(folder, *, burden_cap=0.0, min_town_saving=0.0, max_arrangements=None)
    -> OracleResult(savings, plan, plans_checked)
all_plans(folder, *, burden_cap=..., min_town_saving=..., max_arrangements=...)
    generator of every plan that satisfies L1-L10 (plain enumeration, no pruning)
evaluate(folder, plan, burden_cap=0.0, *, min_town_saving=0.0, max_arrangements=None)
    -> dict of total savings, net burdens, member savings, grants, violations
load_instance(folder) -> Instance

A plan is a list of arrangements (task, method, hub, frozenset participants);
participants always include the hub.  Every constraint is compared with 1 yen
of slack (value <= bound + TOL passes), as SPEC §9 allows.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

TOL = 1.0  # yen of slack on every constraint (SPEC §9)
CORE_CITY_POPULATION = 200_000  # core_city auto and L4(A)
DAY_NIGHT_THRESHOLD = 1.0  # L4(B)
METRO_COMMUTE_LIMIT = 0.1  # L4(C)
METRO_METHOD = "metro_agreement"

Arrangement = tuple  # (task, method, hub, frozenset participants)


# --------------------------------------------------------------------------
# Instance model
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Municipality:
    name: str
    role: str  # central / town / prefecture
    can_host: bool
    population: float
    core_city: bool  # has core-city powers (explicit, or auto by population)
    day_night_ratio: float | None
    in_three_metro_areas: bool
    metro_commute_share: float | None
    burden_cap: float | None  # None: the run's burden_cap argument
    staff_capacity: float | None  # None: unlimited


@dataclass(frozen=True)
class Task:
    name: str
    category: str
    fixed_cost: float
    unit_cost: float
    scale_elasticity: float
    core_city_affair: bool
    fee_ratio: float | None  # overrides every method's fee_ratio
    staff_per_unit: float


@dataclass(frozen=True)
class Row:
    """One instance.csv row: municipality j has task t."""

    volume: float
    standalone_cost: float | None  # None: g_t(volume)
    willing: str  # "1", "0" or "must"


@dataclass(frozen=True)
class Method:
    name: str
    scale_share: float
    arrangement_cost: float
    member_cost: float
    body_cost: float
    fee_ratio: float
    member_fee: float
    min_members: int
    prefecture_may_join: bool
    grant_hub: float
    grant_member: float


@dataclass
class Instance:
    municipalities: dict[str, Municipality]
    tasks: dict[str, Task]
    rows: dict[tuple[str, str], Row]  # (task, municipality) -> row
    methods: dict[str, Method]
    allowed: set[tuple[str, str]]  # (category, method) with allowed = 1
    reach: set[tuple[str, str]] | None  # (municipality, hub); None: no reach.csv

    @property
    def hosts(self) -> list[str]:
        """Municipalities that can host; L6 applies to each of them."""
        return [j for j, mu in self.municipalities.items() if mu.can_host]

    def cost_curve(self, t: str, volume: float) -> float:
        """g_t(V) = fixed_cost + unit_cost * V^b for V > 0, and 0 for V = 0."""
        task = self.tasks[t]
        if volume <= 0:
            return 0.0
        return task.fixed_cost + task.unit_cost * volume**task.scale_elasticity

    def volume(self, t: str, j: str) -> float:
        """A hub without a row for t takes part with volume 0."""
        row = self.rows.get((t, j))
        return row.volume if row else 0.0

    def standalone_cost(self, t: str, j: str) -> float:
        """S[t,j]: the row's standalone_cost, else g_t(volume); 0 without a row."""
        row = self.rows.get((t, j))
        if row is None:
            return 0.0
        if row.standalone_cost is not None:
            return row.standalone_cost
        return self.cost_curve(t, row.volume)

    def fee_ratio(self, t: str, m: str) -> float:
        """π[t,m]: the task's fee_ratio overrides the method's."""
        task_ratio = self.tasks[t].fee_ratio
        return task_ratio if task_ratio is not None else self.methods[m].fee_ratio

    def payment(self, t: str, m: str, j: str) -> float:
        """What non-hub member j pays: π·S[t,j] + member_fee."""
        return self.fee_ratio(t, m) * self.standalone_cost(t, j) + self.methods[m].member_fee

    def cap_of(self, h: str, burden_cap: float) -> float:
        """A municipality's own burden_cap column, else the run's argument."""
        own = self.municipalities[h].burden_cap
        return own if own is not None else burden_cap


# --------------------------------------------------------------------------
# Reading the CSV files
# --------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    # utf-8-sig also accepts a BOM, which Excel writes
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return [
            {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


def _number(cell: str | None, default: float | None = None) -> float | None:
    """A numeric cell; blank takes the default."""
    if cell is None or cell == "":
        return default
    return float(cell)


def _flag(cell: str | None, default: bool) -> bool:
    if cell is None or cell == "":
        return default
    return float(cell) != 0


def load_instance(folder: str | Path) -> Instance:
    """Read the instance folder (SPEC §2-§4). Only the columns the rules use."""
    folder = Path(folder)

    municipalities: dict[str, Municipality] = {}
    for r in _read_csv(folder / "municipalities.csv"):
        role = r["role"]
        population = float(r["population"])
        core = r.get("core_city", "").lower()
        if core in ("", "auto"):
            core_city = population >= CORE_CITY_POPULATION
        else:
            core_city = float(core) != 0
        municipalities[r["municipality"]] = Municipality(
            name=r["municipality"],
            role=role,
            can_host=_flag(r.get("can_host"), default=(role == "central")),
            population=population,
            core_city=core_city,
            day_night_ratio=_number(r.get("day_night_ratio")),
            in_three_metro_areas=_flag(r.get("in_three_metro_areas"), default=False),
            metro_commute_share=_number(r.get("metro_commute_share")),
            burden_cap=_number(r.get("burden_cap")),
            staff_capacity=_number(r.get("staff_capacity")),
        )

    tasks: dict[str, Task] = {}
    for r in _read_csv(folder / "tasks.csv"):
        tasks[r["task"]] = Task(
            name=r["task"],
            category=r["category"],
            fixed_cost=float(r["fixed_cost"]),
            unit_cost=float(r["unit_cost"]),
            scale_elasticity=_number(r.get("scale_elasticity"), 1.0),
            core_city_affair=_flag(r.get("core_city_affair"), default=False),
            fee_ratio=_number(r.get("fee_ratio")),
            staff_per_unit=_number(r.get("staff_per_unit"), 0.0),
        )

    rows: dict[tuple[str, str], Row] = {}
    for r in _read_csv(folder / "instance.csv"):
        willing = (r.get("willing") or "1").lower()
        if willing not in ("must", "1", "0"):
            willing = "0" if float(willing) == 0 else "1"
        rows[(r["task"], r["municipality"])] = Row(
            volume=float(r["volume"]),
            standalone_cost=_number(r.get("standalone_cost")),
            willing=willing,
        )

    methods: dict[str, Method] = {}
    for r in _read_csv(folder / "methods.csv"):
        methods[r["method"]] = Method(
            name=r["method"],
            scale_share=float(r["scale_share"]),
            arrangement_cost=_number(r.get("arrangement_cost"), 0.0),
            member_cost=_number(r.get("member_cost"), 0.0),
            body_cost=_number(r.get("body_cost"), 0.0),
            fee_ratio=float(r["fee_ratio"]),
            member_fee=_number(r.get("member_fee"), 0.0),
            min_members=int(_number(r.get("min_members"), 2)),
            prefecture_may_join=_flag(r.get("prefecture_may_join"), default=False),
            grant_hub=_number(r.get("grant_hub"), 0.0),
            grant_member=_number(r.get("grant_member"), 0.0),
        )

    # a pair missing from compatibility.csv is not allowed
    allowed = {
        (r["category"], r["method"])
        for r in _read_csv(folder / "compatibility.csv")
        if _flag(r.get("allowed"), default=False)
    }

    reach = None
    if (folder / "reach.csv").exists():
        reach = {(r["municipality"], r["hub"]) for r in _read_csv(folder / "reach.csv")}

    return Instance(municipalities, tasks, rows, methods, allowed, reach)


def _as_instance(folder_or_instance) -> Instance:
    if isinstance(folder_or_instance, Instance):
        return folder_or_instance
    return load_instance(folder_or_instance)


# --------------------------------------------------------------------------
# Formulas of SPEC §5
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """The numbers of one arrangement a = (t, m, h, P)."""

    pooled_volume: float
    standalone_total: float  # Σ_{j∈P} S[t,j]
    operating_cost: float
    arrangement_cost: float
    payments: dict  # non-hub member -> payment
    savings: float  # Σ S − operating − arrangement cost
    hub_burden: float  # the hub's part of its net burden, before body costs and grants
    staff: float  # staff_per_unit · V, for L7


def figures(inst: Instance, t: str, m: str, h: str, participants: Iterable[str]) -> Figures:
    participants = frozenset(participants) | {h}
    method = inst.methods[m]
    pooled = sum(inst.volume(t, j) for j in participants)
    standalone_total = sum(inst.standalone_cost(t, j) for j in participants)
    operating = (
        method.scale_share * inst.cost_curve(t, pooled)
        + (1 - method.scale_share) * standalone_total
    )
    arrangement_cost = method.arrangement_cost + method.member_cost * len(participants)
    payments = {j: inst.payment(t, m, j) for j in participants if j != h}
    # the hub is the residual payer: it runs the pooled service, collects the
    # fees, and no longer pays its own standalone cost
    hub_burden = (
        operating + arrangement_cost - sum(payments.values()) - inst.standalone_cost(t, h)
    )
    return Figures(
        pooled_volume=pooled,
        standalone_total=standalone_total,
        operating_cost=operating,
        arrangement_cost=arrangement_cost,
        payments=payments,
        savings=standalone_total - operating - arrangement_cost,
        hub_burden=hub_burden,
        staff=inst.tasks[t].staff_per_unit * pooled,
    )


def _body_and_grants(inst: Instance, plan: list[Arrangement]):
    """Body costs per used (method, hub) and grants received per municipality.

    Body cost and grant_hub come once per (m, h) with >= 1 arrangement; every
    other participant of those arrangements (union over tasks) gets
    grant_member once per (m, h).
    """
    members_of: dict[tuple[str, str], set[str]] = {}
    for t, m, h, participants in plan:
        members_of.setdefault((m, h), set()).update(set(participants) - {h})
    body_costs: dict[tuple[str, str], float] = {}
    grants: dict[str, float] = {}
    for (m, h), members in members_of.items():
        method = inst.methods[m]
        body_costs[(m, h)] = method.body_cost
        grants[h] = grants.get(h, 0.0) + method.grant_hub
        for j in members:
            grants[j] = grants.get(j, 0.0) + method.grant_member
    return body_costs, grants


# --------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------


def arrangement_violations(
    inst: Instance,
    t: str,
    m: str,
    h: str,
    participants: frozenset,
    min_town_saving: float = 0.0,
    fig: Figures | None = None,
) -> list[str]:
    """Rules that one arrangement must meet on its own (L2-L5, L8 willing 0, L9, hub)."""
    problems: list[str] = []
    if t not in inst.tasks:
        return [f"unknown task {t}"]
    if m not in inst.methods:
        return [f"L2: method {m} is not in methods.csv"]
    if h not in inst.municipalities:
        return [f"unknown hub {h}"]
    unknown = [j for j in participants if j not in inst.municipalities]
    if unknown:
        return [f"unknown participants {sorted(unknown)}"]
    if h not in participants:
        problems.append(f"{t}: participants of the arrangement at {h} do not include the hub")
    task, method, hub = inst.tasks[t], inst.methods[m], inst.municipalities[h]

    if (task.category, m) not in inst.allowed:
        problems.append(f"L2: {m} not allowed for category {task.category} ({t})")
    if task.core_city_affair and not hub.core_city:
        problems.append(f"L3: {t} is a core-city affair and {h} has no core-city powers")
    if m == METRO_METHOD:
        if not (hub.core_city or hub.population >= CORE_CITY_POPULATION):
            problems.append(f"L4(A): {h} is neither a core city nor >= 200,000 people")
        if hub.day_night_ratio is None or hub.day_night_ratio < DAY_NIGHT_THRESHOLD:
            problems.append(f"L4(B): {h} day_night_ratio missing or < 1.0")
        if hub.in_three_metro_areas and (
            hub.metro_commute_share is None or hub.metro_commute_share >= METRO_COMMUTE_LIMIT
        ):
            problems.append(f"L4(C): {h} metro_commute_share missing or >= 0.1")

    if len(participants) < method.min_members:
        problems.append(f"L5: {t}/{m}@{h} has {len(participants)} < {method.min_members} members")
    for j in participants:
        if inst.municipalities[j].role == "prefecture" and not method.prefecture_may_join:
            problems.append(f"L5: prefecture {j} may not join {m}")
        if j != h and inst.reach is not None and (j, h) not in inst.reach:
            problems.append(f"L5: {j} cannot reach hub {h} (reach.csv)")

    if not hub.can_host:
        problems.append(f"hub: {h} cannot host")
    for j in participants:
        row = inst.rows.get((t, j))
        if row is None and j != h:
            problems.append(f"{t}: member {j} has no row for the task")
        if row is not None and row.willing == "0":
            problems.append(f"L8: {j} is unwilling for {t}")

    fig = fig or figures(inst, t, m, h, participants)
    for j, pay in fig.payments.items():
        bound = (1 - min_town_saving) * inst.standalone_cost(t, j)
        if pay > bound + TOL:
            problems.append(f"L9: {j} pays {pay:.0f} > {bound:.0f} in {t}/{m}@{h}")
    return problems


def task_violations(inst: Instance, t: str, arrangements: list[Arrangement]) -> list[str]:
    """L1 within one task, and L8 must."""
    problems: list[str] = []
    hubs = [h for _, _, h, _ in arrangements]
    if len(hubs) != len(set(hubs)):
        problems.append(f"L1: two arrangements of {t} at the same hub")
    seen: set[str] = set()
    for _, _, _, participants in arrangements:
        if seen & set(participants):
            problems.append(f"L1: {sorted(seen & set(participants))} in two arrangements of {t}")
        seen |= set(participants)
    for (tt, j), row in inst.rows.items():
        if tt == t and row.willing == "must" and j not in seen:
            problems.append(f"L8: {j} must join an arrangement of {t}")
    return problems


def net_burdens(inst: Instance, plan: list[Arrangement]) -> dict[str, float]:
    """Net burden of every municipality that can host or leads (SPEC §5)."""
    burden = {h: 0.0 for h in inst.hosts}
    for t, m, h, participants in plan:
        burden[h] = burden.get(h, 0.0) + figures(inst, t, m, h, participants).hub_burden
    body_costs, grants = _body_and_grants(inst, plan)
    for (m, h), cost in body_costs.items():
        burden[h] += cost
    for j in burden:
        burden[j] -= grants.get(j, 0.0)
    return burden


def plan_violations(
    inst: Instance,
    plan: list[Arrangement],
    burden_cap: float = 0.0,
    min_town_saving: float = 0.0,
    max_arrangements: int | None = None,
) -> list[str]:
    """Every rule L1-L10 checked on a whole plan."""
    problems: list[str] = []
    for t, m, h, participants in plan:
        problems += arrangement_violations(inst, t, m, h, frozenset(participants), min_town_saving)
    if problems:
        return problems  # the money rules need known ids
    for t in inst.tasks:
        problems += task_violations(inst, t, [a for a in plan if a[0] == t])
    unknown_tasks = {a[0] for a in plan} - set(inst.tasks)
    if unknown_tasks:
        problems.append(f"unknown tasks {sorted(unknown_tasks)}")

    for h, value in net_burdens(inst, plan).items():
        cap = inst.cap_of(h, burden_cap)
        if value > cap + TOL:
            problems.append(f"L6: net burden of {h} is {value:.0f} > cap {cap:.0f}")

    staff: dict[str, float] = {}
    for t, m, h, participants in plan:
        staff[h] = staff.get(h, 0.0) + figures(inst, t, m, h, participants).staff
    for h, used in staff.items():
        capacity = inst.municipalities[h].staff_capacity
        if capacity is not None and used > capacity + TOL:
            problems.append(f"L7: {h} needs {used:g} staff > capacity {capacity:g}")

    if max_arrangements is not None and len(plan) > max_arrangements:
        problems.append(f"L10: {len(plan)} arrangements > {max_arrangements}")
    return problems


# --------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------


def _normalise(plan: Iterable) -> list[Arrangement]:
    return [(t, m, h, frozenset(p)) for t, m, h, p in plan]


def evaluate(
    folder,
    plan: Iterable,
    burden_cap: float = 0.0,
    *,
    min_town_saving: float = 0.0,
    max_arrangements: int | None = None,
) -> dict:
    """Exact SPEC §5 figures of a plan, plus the rules it breaks.

    Returns a dict with
      total_savings   Σ_a savings(a) − Σ body costs (the objective)
      savings         {(task, method, hub): savings(a)}
      body_costs      {(method, hub): body_cost}
      grants          {municipality: grants received}
      net_burden      {municipality: net burden} for every hub and every
                      municipality that can host
      member_saving   {municipality: Σ (S[t,j] − payment_j) over arrangements
                      it joins as a non-hub member}  (0 for everyone else)
      payments        {(task, municipality): payment} for non-hub members
      violations      list of broken rules (empty: the plan is feasible)
    """
    inst = _as_instance(folder)
    plan = _normalise(plan)
    violations = plan_violations(inst, plan, burden_cap, min_town_saving, max_arrangements)
    savings: dict = {}
    member_saving = {j: 0.0 for j in inst.municipalities}
    payments: dict = {}
    try:
        for t, m, h, participants in plan:
            fig = figures(inst, t, m, h, participants)
            savings[(t, m, h)] = fig.savings
            for j, pay in fig.payments.items():
                payments[(t, j)] = pay
                member_saving[j] += inst.standalone_cost(t, j) - pay
        body_costs, grants = _body_and_grants(inst, plan)
        burdens = net_burdens(inst, plan)
    except KeyError:  # an unknown id: only the violations make sense
        return {"total_savings": None, "violations": violations}
    return {
        "total_savings": sum(savings.values(), 0.0) - sum(body_costs.values(), 0.0),
        "savings": savings,
        "body_costs": body_costs,
        "grants": {j: grants.get(j, 0.0) for j in inst.municipalities},
        "net_burden": burdens,
        "member_saving": member_saving,
        "payments": payments,
        "violations": violations,
    }


# --------------------------------------------------------------------------
# Enumeration
# --------------------------------------------------------------------------


def legal_arrangements(inst: Instance, t: str, min_town_saving: float = 0.0) -> list[Arrangement]:
    """Every arrangement of task t that meets the single-arrangement rules.

    Hubs are the municipalities that can host; participants are every subset
    of the others (arrangement_violations rejects members without a row, the
    unwilling, the unreachable, ...). Staff is left to the plan-level check.
    """
    result = []
    names = list(inst.municipalities)
    for h in inst.hosts:
        others = [j for j in names if j != h]
        for m in inst.methods:
            for k in range(len(others) + 1):
                for combo in itertools.combinations(others, k):
                    participants = frozenset(combo) | {h}
                    if not arrangement_violations(inst, t, m, h, participants, min_town_saving):
                        result.append((t, m, h, participants))
    return result


def task_choices(inst: Instance, t: str, min_town_saving: float = 0.0) -> list[tuple]:
    """Every legal way to share task t: disjoint arrangements at distinct hubs
    (L1), with every `must` row covered (L8). The empty choice (everyone alone)
    is included when it is legal."""
    by_hub: dict[str, list[Arrangement]] = {}
    for a in legal_arrangements(inst, t, min_town_saving):
        by_hub.setdefault(a[2], []).append(a)
    hubs = list(by_hub)
    choices = []

    def extend(i: int, chosen: list[Arrangement], used: frozenset):
        if i == len(hubs):
            if not task_violations(inst, t, chosen):
                choices.append(tuple(chosen))
            return
        extend(i + 1, chosen, used)  # no arrangement at this hub
        for a in by_hub[hubs[i]]:
            if not (a[3] & used):
                extend(i + 1, chosen + [a], used | a[3])

    extend(0, [], frozenset())
    return choices


def all_plans(
    folder,
    *,
    burden_cap: float = 0.0,
    min_town_saving: float = 0.0,
    max_arrangements: int | None = None,
) -> Iterator[list[Arrangement]]:
    """Every plan that meets all of L1-L10: the product of the task choices,
    filtered by the full plan check. Slow but simple; tests use it to check
    best_plan's pruning and to count plans."""
    inst = _as_instance(folder)
    per_task = [task_choices(inst, t, min_town_saving) for t in inst.tasks]
    for combo in itertools.product(*per_task):
        plan = [a for choice in combo for a in choice]
        if not plan_violations(inst, plan, burden_cap, min_town_saving, max_arrangements):
            yield plan


@dataclass
class OracleResult:
    savings: float | None  # None: no feasible plan
    plan: list = field(default_factory=list)  # [(task, method, hub, frozenset participants)]
    plans_checked: int = 0  # complete plans evaluated against the coupling rules


@dataclass
class _Choice:
    """A task choice, summarised by what couples it to the other tasks."""

    arrangements: tuple
    savings: float  # Σ savings(a), body costs excluded
    hub_burden: dict  # host -> Σ hub_burden of its arrangements
    staff: dict  # hub -> staff used
    key: tuple  # the discrete coupling: body/grant methods used, grant members


def _summarise(inst: Instance, choice: tuple) -> _Choice:
    hub_burden: dict[str, float] = {}
    staff: dict[str, float] = {}
    savings = 0.0
    key = []
    hosts = set(inst.hosts)
    for t, m, h, participants in choice:
        fig = figures(inst, t, m, h, participants)
        savings += fig.savings
        hub_burden[h] = hub_burden.get(h, 0.0) + fig.hub_burden
        staff[h] = staff.get(h, 0.0) + fig.staff
        method = inst.methods[m]
        if method.body_cost or method.grant_hub or method.grant_member:
            # body costs and grants are paid once per (m, h) across tasks, and
            # member grants reach only the members; for L6 only hosts matter
            grant_members = (
                frozenset((participants - {h}) & hosts) if method.grant_member else frozenset()
            )
            key.append((m, h, grant_members))
    return _Choice(choice, savings, hub_burden, staff, tuple(sorted(key)))


def _pareto(inst: Instance, choices: list[_Choice], count_matters: bool) -> list[_Choice]:
    """Drop choices that another choice with the same coupling key beats or
    equals everywhere: savings >=, every host's burden <=, every capped hub's
    staff <=, and (under L10) no more arrangements. Any completion of the
    dropped choice is then also feasible with the better one, so the optimum
    value is unchanged."""
    hosts = inst.hosts
    capped = [h for h in hosts if inst.municipalities[h].staff_capacity is not None]

    def vector(c: _Choice) -> list[float]:
        v = [c.hub_burden.get(h, 0.0) for h in hosts] + [c.staff.get(h, 0.0) for h in capped]
        if count_matters:
            v.append(len(c.arrangements))
        return v

    kept: dict[tuple, list[tuple[_Choice, list[float]]]] = {}
    for c in sorted(choices, key=lambda c: -c.savings):
        v = vector(c)
        group = kept.setdefault(c.key, [])
        # earlier entries have savings >= c.savings (sorted)
        if any(all(a <= b for a, b in zip(w, v)) for _, w in group):
            continue
        group.append((c, v))
    return [c for group in kept.values() for c, _ in group]


def best_plan(
    folder,
    *,
    burden_cap: float = 0.0,
    min_town_saving: float = 0.0,
    max_arrangements: int | None = None,
    prune: bool = True,
) -> OracleResult:
    """The feasible plan with the highest total savings (SPEC §5), or
    savings None when no plan meets L1-L10.

    Task choices are built per task (single-arrangement rules, L1, L8); their
    product is searched depth-first with the coupling rules (L6 body costs,
    grants and burden; L7; L10) checked on each complete plan. With prune=True
    dominated task choices are dropped and branches that cannot beat the best
    plan found are cut; prune=False checks every combination.
    """
    inst = _as_instance(folder)
    hosts = inst.hosts
    per_task = [
        [_summarise(inst, c) for c in task_choices(inst, t, min_town_saving)] for t in inst.tasks
    ]
    if prune:
        per_task = [_pareto(inst, cs, max_arrangements is not None) for cs in per_task]
        for cs in per_task:
            cs.sort(key=lambda c: -c.savings)  # good plans first: tighter bound early
    if any(not cs for cs in per_task):
        return OracleResult(None, [], 0)
    # best savings still obtainable from tasks i.. (body costs only lower it)
    tail_best = [0.0] * (len(per_task) + 1)
    for i in range(len(per_task) - 1, -1, -1):
        tail_best[i] = tail_best[i + 1] + max(c.savings for c in per_task[i])

    best = {"savings": None, "plan": None}
    checked = 0

    def leaf(chosen: list[_Choice]) -> None:
        nonlocal checked
        checked += 1
        plan = [a for c in chosen for a in c.arrangements]
        body_costs, grants = _body_and_grants(inst, plan)
        total = sum(c.savings for c in chosen) - sum(body_costs.values())
        if best["savings"] is not None and prune and total <= best["savings"]:
            return
        for h in hosts:  # L6 on every municipality that can host
            burden = sum(c.hub_burden.get(h, 0.0) for c in chosen)
            burden += sum(cost for (m, hub), cost in body_costs.items() if hub == h)
            burden -= grants.get(h, 0.0)
            if burden > inst.cap_of(h, burden_cap) + TOL:
                return
        if best["savings"] is None or total > best["savings"]:
            best["savings"], best["plan"] = total, plan

    def search(i: int, chosen: list[_Choice], savings: float, staff: dict, count: int) -> None:
        if prune and best["savings"] is not None and savings + tail_best[i] <= best["savings"]:
            return  # cannot beat the best plan found
        if i == len(per_task):
            leaf(chosen)
            return
        for c in per_task[i]:
            new_count = count + len(c.arrangements)
            if max_arrangements is not None and new_count > max_arrangements:
                continue  # L10; counts only grow
            new_staff = dict(staff)
            over = False
            for h, used in c.staff.items():
                new_staff[h] = new_staff.get(h, 0.0) + used
                capacity = inst.municipalities[h].staff_capacity
                if capacity is not None and new_staff[h] > capacity + TOL:
                    over = True  # L7; staff only grows
            if over:
                continue
            search(i + 1, chosen + [c], savings + c.savings, new_staff, new_count)

    search(0, [], 0.0, {}, 0)
    if best["savings"] is None:
        return OracleResult(None, [], checked)
    # report the exact evaluation of the plan found
    plan = sorted(best["plan"], key=lambda a: (a[0], a[2]))
    return OracleResult(evaluate(inst, plan)["total_savings"], plan, checked)

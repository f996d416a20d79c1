"""The exact model of SPEC §5–§6 as HiGHS's arrays: the fast path beside model/build.py.

model/build.py declares the model in Pyomo and is the model of record;
this file writes the same columns and rows straight into arrays (building
through Pyomo cost more than the whole solve on Kensei), and
tests/test_matrix.py proves on random instances that both give the same
rows, columns and coefficients.

Columns (money in units of 1e6 yen, MONEY_UNIT):
  x[t,m,h]     arrangement of task t by method m at hub h exists (binary)
  y[t,m,h,j]   member j ≠ h joins it (binary)
  eta[t,m,h]   its pooled cost g_t(V) where that is not linear in x and y
  body[m,h], grant_hub[m,h], grant_member[m,h,j]   in [0, 1]

Pooled costs are exact. f(S) = g_t(Σ_{j∈S} v_j) over the ground set {hub} ∪
members is submodular (g concave on V ≥ 0 with g(0) = 0, the jump of the
fixed cost included), so its convex closure is its Lovász extension, cut out
by the extended polymatroid inequalities η ≥ Σ_i w_i·z_i (z_hub = x, z_j =
y_j; w the marginal costs along an ordering of the ground set; Edmonds 1970).
The most violated one at a point is found greedily by sorting z, and at an
integer point the ordering "chosen first" gives η ≥ g(V) exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kouiki.instance import MUST, Instance
from kouiki.messages import Message
from kouiki.model.legal import Candidate
from kouiki.scenario import Scenario

MONEY_UNIT = 1e6
INF = float("inf")


@dataclass(frozen=True)
class PooledCost:
    """g_t over one arrangement's ground set: the hub first, then the possible members."""

    key: tuple[str, str, str]
    columns: tuple[int, ...]  # x of the hub, then y of each member
    volumes: tuple[float, ...]
    fixed_cost: float  # money units
    unit_cost: float  # money units per volume^b
    elasticity: float

    def g(self, volume: float) -> float:
        if volume <= 0:
            return 0.0
        return self.fixed_cost + self.unit_cost * volume**self.elasticity

    def marginals(self, order: list[int]) -> list[float]:
        """w along `order` (positions in the ground set): g(V_i) − g(V_{i−1})."""
        weights, volume, before = [0.0] * len(order), 0.0, 0.0
        for position in order:
            volume += self.volumes[position]
            now = self.g(volume)
            weights[position] = now - before
            before = now
        return weights

    def most_violated(self, values: list[float]) -> tuple[float, list[float]]:
        """The Lovász extension at these z values, and the cut's weights that attain it."""
        order = sorted(range(len(values)), key=lambda i: (-values[i], i))
        weights = self.marginals(order)
        return sum(w * z for w, z in zip(weights, values)), weights

    def exact_cut(self, chosen: set[int]) -> list[float]:
        """The cut that is tight at this participant set: chosen positions first."""
        order = sorted(range(len(self.volumes)), key=lambda i: (i not in chosen, i))
        return self.marginals(order)


@dataclass
class Matrix:
    """Columns, rows and the maps back to the SPEC's words."""

    names: list[tuple] = field(default_factory=list)  # ("x", t, m, h), ("y", t, m, h, j), …
    cost: list[float] = field(default_factory=list)  # objective (maximised)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    row_names: list[tuple] = field(default_factory=list)  # ("l6_burden_cap", h), …
    rows: list[tuple[list[int], list[float], float, float]] = field(default_factory=list)
    column: dict[tuple, int] = field(default_factory=dict)

    def add_column(self, name: tuple, cost: float, lower: float, upper: float, integer: bool) -> int:
        self.column[name] = len(self.names)
        self.names.append(name)
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return self.column[name]

    def add_row(self, name: tuple, terms: dict[int, float], lower: float = -INF, upper: float = INF) -> None:
        index = [c for c, v in terms.items() if v != 0.0]
        self.row_names.append(name)
        self.rows.append((index, [terms[c] for c in index], lower, upper))


def _add(terms: dict[int, float], column: int, value: float) -> None:
    terms[column] = terms.get(column, 0.0) + value


@dataclass
class Exact:
    """The exact model of one instance and scenario, with what completes it (cuts, floors, options)."""

    instance: Instance
    scenario: Scenario
    candidates: dict[tuple[str, str, str], Candidate]
    matrix: Matrix
    curves: dict[tuple[str, str, str], PooledCost]  # candidates whose pooled cost is η
    savings: dict[int, float]  # the objective's coefficients (total savings in money units)
    constant_infeasible: list[tuple[str, str]] = field(default_factory=list)

    # ------------------------------------------------------------------ cuts
    def cut_row(self, key, weights: list[float]) -> tuple[tuple, dict[int, float]]:
        curve = self.curves[key]
        terms = {self.matrix.column[("eta", *key)]: 1.0}
        for column, w in zip(curve.columns, weights):
            if w:
                _add(terms, column, -w)
        return ("pooled_cost", *key), terms

    def separate(self, values, tolerance: float = 1e-7) -> list[tuple[tuple, dict[int, float]]]:
        """Pooled-cost cuts violated at this point (one per arrangement at most)."""
        cuts = []
        for key, curve in self.curves.items():
            z = [min(max(values[c], 0.0), 1.0) for c in curve.columns]
            if z[0] <= 1e-9:
                continue
            lovasz, weights = curve.most_violated(z)
            eta = values[self.matrix.column[("eta", *key)]]
            if lovasz - eta > tolerance * max(1.0, lovasz):
                cuts.append(self.cut_row(key, weights))
        return cuts

    def exact_cuts(self, plan) -> list[tuple[tuple, dict[int, float]]]:
        """The cuts tight at a plan's participant sets: at that plan η = g(V) exactly."""
        cuts = []
        for a in plan:
            key = (a.task, a.method, a.hub)
            if key not in self.curves:
                continue
            curve = self.curves[key]
            members = self.candidates[key].members
            chosen = {0} | {1 + members.index(j) for j in a.members}
            cuts.append(self.cut_row(key, curve.exact_cut(chosen)))
        return cuts

    def initial_cuts(self) -> list[tuple[tuple, dict[int, float]]]:
        """The cuts the model starts from (initial_weights), as rows."""
        return [self.cut_row(key, weights) for key, curve in self.curves.items() for weights in initial_weights(curve)]

    # ------------------------------------------------------------------ options
    def distinct_row(self, plan, at_least: int) -> tuple[tuple, dict[int, float], float]:
        """Later plans differ from this one in at least `at_least` (task, method, hub) choices."""
        chosen = {(a.task, a.method, a.hub) for a in plan}
        terms: dict[int, float] = {}
        constant = 0.0
        for key in self.candidates:
            column = self.matrix.column[("x", *key)]
            if key in chosen:
                terms[column] = -1.0
                constant += 1.0
            else:
                terms[column] = 1.0
        return ("distinct",), terms, at_least - constant

    def savings_floor_row(self, savings_yen: float) -> tuple[tuple, dict[int, float], float]:
        return ("savings_floor",), dict(self.savings), savings_yen / MONEY_UNIT

    # ------------------------------------------------------------------ plans
    def start_values(self, plan) -> dict[int, float]:
        """Every column's value for a plan (η exact), to hand HiGHS as a starting solution."""
        values = {c: 0.0 for c in range(len(self.matrix.names))}
        chosen = {(a.task, a.method, a.hub): a for a in plan}
        col = self.matrix.column
        for key, a in chosen.items():
            if ("x", *key) not in col:
                continue
            values[col[("x", *key)]] = 1.0
            for j in a.members:
                if ("y", *key, j) in col:
                    values[col[("y", *key, j)]] = 1.0
            if key in self.curves:
                volume = sum(self.instance.volume(key[0], j) for j in a.participants)
                values[col[("eta", *key)]] = self.curves[key].g(volume)
            for kind in ("body", "grant_hub"):
                if (kind, key[1], key[2]) in col:
                    values[col[(kind, key[1], key[2])]] = 1.0
            for j in a.members:
                if ("grant_member", key[1], key[2], j) in col:
                    values[col[("grant_member", key[1], key[2], j)]] = 1.0
        return values

    def plan_of(self, values) -> list:
        """The arrangements a solution chooses."""
        from kouiki.model.evaluate import Arrangement

        col = self.matrix.column
        plan = []
        for key, c in self.candidates.items():
            if values[col[("x", *key)]] > 0.5:
                members = [j for j in c.members if values[col[("y", *key, j)]] > 0.5]
                plan.append(Arrangement.of(*key, members))
        return plan


def exact_model(instance: Instance, scenario: Scenario, candidates: list[Candidate],
                omit: frozenset = frozenset()) -> Exact:
    """Columns, then rows rule by rule (the same families as model/build.py), then the objective."""
    mx = Matrix()
    by_key = {c.key: c for c in sorted(candidates, key=lambda c: c.key)}
    tasks, methods, munis = instance.tasks, instance.methods, instance.municipalities
    money = 1.0 / MONEY_UNIT
    regional = scenario.objective == "regional"

    def S(t, j):
        return instance.standalone(t, j) * money

    def vol(t, j):
        return instance.volume(t, j)

    # ------------------------------------------------------------------ columns
    for key in by_key:
        mx.add_column(("x", *key), 0.0, 0.0, 1.0, True)
    for key, c in by_key.items():
        for j in c.members:
            mx.add_column(("y", *key, j), 0.0, 0.0, 1.0, True)
    curves: dict[tuple, PooledCost] = {}
    for key, c in by_key.items():
        if not linear_cost(instance, c):
            mx.add_column(("eta", *key), 0.0, 0.0, INF, False)
    bodies = sorted({(c.method, c.hub) for c in by_key.values() if methods[c.method].body_cost > 0})
    for mh in bodies:
        mx.add_column(("body", *mh), 0.0, 0.0, 1.0, False)
    hub_grants = sorted({(c.method, c.hub) for c in by_key.values() if methods[c.method].grant_hub > 0})
    for mh in hub_grants:
        mx.add_column(("grant_hub", *mh), 0.0, 0.0, 1.0, False)
    member_grants = sorted({(c.method, c.hub, j) for c in by_key.values() for j in c.members
                            if methods[c.method].grant_member > 0 and (munis[j].can_host or regional)})
    for mhj in member_grants:
        mx.add_column(("grant_member", *mhj), 0.0, 0.0, 1.0, False)
    col = mx.column
    for key, c in by_key.items():
        if ("eta", *key) in col:
            task = tasks[key[0]]
            curves[key] = PooledCost(
                key, (col[("x", *key)], *(col[("y", *key, j)] for j in c.members)),
                (vol(key[0], key[2]), *(vol(key[0], j) for j in c.members)),
                task.fixed_cost * money, task.unit_cost * money, task.scale_elasticity)

    def pooled_cost(key) -> dict[int, float]:
        """g_t(V) in money units: η, or F·x + c·V when that is exact."""
        if key in curves:
            return {col[("eta", *key)]: 1.0}
        t, _, h = key
        task = tasks[t]
        terms = {col[("x", *key)]: (task.fixed_cost if vol(t, h) > 0 else 0.0) * money + task.unit_cost * money * vol(t, h)}
        for j in by_key[key].members:
            _add(terms, col[("y", *key, j)], task.unit_cost * money * vol(t, j))
        return terms

    def pooled_volume(key) -> dict[int, float]:
        t, _, h = key
        terms = {col[("x", *key)]: vol(t, h)}
        for j in by_key[key].members:
            _add(terms, col[("y", *key, j)], vol(t, j))
        return terms

    # ------------------------------------------------------------------ objective
    savings: dict[int, float] = {}
    burden: dict[str, dict[int, float]] = {}
    for key, c in by_key.items():
        t, m, h = key
        method = methods[m]
        s = method.scale_share
        ratio = scenario.payment_ratio(instance, t, m)
        fixed = (method.arrangement_cost + method.member_cost) * money
        x = col[("x", *key)]
        hub_burden = burden.setdefault(h, {})
        _add(savings, x, s * S(t, h) - fixed)
        _add(hub_burden, x, fixed - s * S(t, h))
        for j in c.members:
            y = col[("y", *key, j)]
            _add(savings, y, s * S(t, j) - method.member_cost * money)
            _add(hub_burden, y, (1 - s - ratio) * S(t, j) + (method.member_cost - method.member_fee) * money)
        for column, value in pooled_cost(key).items():
            _add(savings, column, -s * value)
            _add(hub_burden, column, s * value)
    for (m, h) in bodies:
        _add(savings, col[("body", m, h)], -methods[m].body_cost * money)
        _add(burden.setdefault(h, {}), col[("body", m, h)], methods[m].body_cost * money)
    grants_to: dict[str, dict[int, float]] = {}
    for (m, h) in hub_grants:
        _add(grants_to.setdefault(h, {}), col[("grant_hub", m, h)], methods[m].grant_hub * money)
    for (m, h, j) in member_grants:
        _add(grants_to.setdefault(j, {}), col[("grant_member", m, h, j)], methods[m].grant_member * money)
    for j, terms in grants_to.items():
        for column, value in terms.items():
            _add(burden.setdefault(j, {}), column, -value)
            if regional:
                _add(savings, column, value)
    for column, value in savings.items():
        mx.cost[column] = value

    # ------------------------------------------------------------------ rows
    constant_infeasible: list[tuple[str, str]] = []
    for key, c in by_key.items():
        for j in c.members:
            mx.add_row(("link_member", *key, j), {col[("y", *key, j)]: 1.0, col[("x", *key)]: -1.0}, upper=0.0)

    joins: dict[tuple[str, str], dict[int, float]] = {}
    for key in by_key:
        joins.setdefault((key[0], key[2]), {})[col[("x", *key)]] = 1.0
    for key, c in by_key.items():
        for j in c.members:
            joins.setdefault((key[0], j), {})[col[("y", *key, j)]] = 1.0
    if "L1" not in omit:
        for tj in sorted(joins):
            if len(joins[tj]) > 1:
                mx.add_row(("l1_one_method_per_task_and_hub", *tj), joins[tj], upper=1.0)
    if "L5" not in omit:
        for key, c in by_key.items():
            need = methods[key[1]].min_members - 1
            if need > 0:
                terms = {col[("y", *key, j)]: 1.0 for j in c.members}
                terms[col[("x", *key)]] = -float(need)
                mx.add_row(("l5_members", *key), terms, lower=0.0)
    for key in by_key:
        if ("body", key[1], key[2]) in col:
            mx.add_row(("body_paid", *key), {col[("body", key[1], key[2])]: 1.0, col[("x", *key)]: -1.0}, lower=0.0)
    for (m, h) in hub_grants:
        terms = {col[("grant_hub", m, h)]: 1.0}
        for key in by_key:
            if key[1] == m and key[2] == h:
                terms[col[("x", *key)]] = -1.0
        mx.add_row(("grant_hub_earned", m, h), terms, upper=0.0)
    for (m, h, j) in member_grants:
        terms = {col[("grant_member", m, h, j)]: 1.0}
        for key, c in by_key.items():
            if key[1] == m and key[2] == h and j in c.members:
                terms[col[("y", *key, j)]] = -1.0
        mx.add_row(("grant_member_earned", m, h, j), terms, upper=0.0)

    if "L6" not in omit:
        for h in sorted(instance.hubs()):
            if ("L6", h) in omit:
                continue
            cap = scenario.cap(instance, h) * money
            terms = {c: v for c, v in burden.get(h, {}).items() if v != 0.0}
            if not terms:
                if cap < 0:
                    constant_infeasible.append(("L6", Message("engine.cap_below_zero", hub=h, cap=f"{cap * MONEY_UNIT:,.0f}")))
                continue
            mx.add_row(("l6_burden_cap", h), terms, upper=cap)
    if "L7" not in omit:
        for h in sorted(instance.hubs()):
            capacity = munis[h].staff_capacity
            if capacity is None or ("L7", h) in omit:
                continue
            terms: dict[int, float] = {}
            for key in by_key:
                if key[2] == h and tasks[key[0]].staff_per_unit > 0:
                    for column, v in pooled_volume(key).items():
                        _add(terms, column, tasks[key[0]].staff_per_unit * v)
            if terms:
                mx.add_row(("l7_capacity", h), terms, upper=capacity)
    if "L8" not in omit:
        for (t, j) in sorted(k for k, row in instance.rows.items() if row.willing == MUST):
            if ("L8", t, j) in omit:
                continue
            if (t, j) not in joins:
                constant_infeasible.append(("L8", Message("engine.must_no_arrangement", municipality=j, task=t)))
                continue
            mx.add_row(("l8_must_join", t, j), joins[(t, j)], lower=1.0)
    for i, (t, m, h) in enumerate(scenario.forced):
        keys = [k for k in by_key if k[0] == t and k[1] == m and (h is None or k[2] == h)]
        if not keys:
            constant_infeasible.append(("what-if", Message("engine.force_no_arrangement", label=f"--force {t}={m}" + (f"@{h}" if h else ""))))
            continue
        mx.add_row(("whatif_force", i), {col[("x", *k)]: 1.0 for k in keys}, lower=1.0)
    for (t, j) in sorted(scenario.required):
        if (t, j) not in joins:
            constant_infeasible.append(("what-if", Message("engine.require_no_arrangement", task=t, municipality=j)))
            continue
        mx.add_row(("whatif_require", t, j), joins[(t, j)], lower=1.0)
    if scenario.keep_current:
        for i, c in enumerate(instance.current):
            key = (c.task, c.method, c.hub)
            members = [j for j in c.participants if j != c.hub]
            if key not in by_key or any(j not in by_key[key].members for j in members):
                constant_infeasible.append(("what-if", Message("engine.keep_current_illegal", task=c.task, method=c.method, hub=c.hub)))
                continue
            terms = {col[("x", *key)]: 1.0}
            for j in members:
                terms[col[("y", *key, j)]] = 1.0
            mx.add_row(("whatif_keep_current", i), terms, lower=len(members) + 1.0)
    if scenario.max_arrangements is not None and by_key and "L10" not in omit and ("L10",) not in omit:
        mx.add_row(("l10_how_many",), {col[("x", *k)]: 1.0 for k in by_key}, upper=float(scenario.max_arrangements))

    exact = Exact(instance, scenario, by_key, mx, curves, savings, constant_infeasible)
    for name, terms in exact.initial_cuts():
        mx.add_row(name, terms, lower=0.0)
    return exact


def initial_weights(curve: PooledCost) -> list[list[float]]:
    """Cuts to start from: members by volume, largest and smallest first (hub first in both).

    The cut loop at the root adds what else the LP needs; starting with these
    two, it needs a few rounds on Kensei (bench/engine.py).
    """
    members = list(range(1, len(curve.volumes)))
    orders = [[0] + sorted(members, key=lambda i: (-curve.volumes[i], i)),
              [0] + sorted(members, key=lambda i: (curve.volumes[i], i))]
    found: list[list[float]] = []
    for order in orders:
        weights = curve.marginals(order)
        if weights not in found:
            found.append(weights)
    return found


def linear_cost(instance: Instance, c: Candidate) -> bool:
    """g_t(V) is linear in x and y: b = 1 (or no unit cost) and the fixed cost is paid exactly when x is."""
    task = instance.tasks[c.task]
    flat = task.scale_elasticity >= 1 or task.unit_cost == 0
    return flat and (instance.volume(c.task, c.hub) > 0 or task.fixed_cost == 0)

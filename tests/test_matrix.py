"""The model the solver reads (model/matrix.py) is the model of record (model/build.py, Pyomo).

Both are built for random instances and what-ifs, and compared row by row
and column by column after ordering: the same variables with the same bounds
and kinds, the same objective, the same constraints with the same
coefficients and right-hand sides.
"""

from __future__ import annotations

import math
import pyomo.environ as pyo
import pytest
from pyomo.repn.standard_repn import generate_standard_repn
from random_instances import write_random_instance

from kouiki.generate import generate
from kouiki.load import load
from kouiki.model.build import build_model
from kouiki.model.legal import legal_choices
from kouiki.model.matrix import exact_model
from kouiki.scenario import Scenario

DIGITS = 6  # rows are ordered by coefficients to 6 significant digits, then compared to 1e-9


def rounded(value: float) -> float:
    if value == 0 or math.isinf(value):
        return value
    return round(value, DIGITS - 1 - int(math.floor(math.log10(abs(value)))))


def _name(var) -> tuple:
    index = var.index()
    return (var.parent_component().name, *(index if isinstance(index, tuple) else (index,)))


def _terms(pairs) -> tuple:
    return tuple(sorted((name, c) for name, c in pairs if abs(c) > 1e-12))


def _row(key, pairs, lower, upper) -> tuple:
    """One orientation for a row: a ≥ b and −a ≤ −b are the same row."""
    pairs = list(pairs)
    if math.isinf(upper) and not math.isinf(lower):
        pairs, lower, upper = [(name, -c) for name, c in pairs], -upper, -lower
    return key, _terms(pairs), lower, upper


def _order(row) -> tuple:
    key, terms, lower, upper = row
    return key, tuple((name, rounded(c)) for name, c in terms), rounded(lower), rounded(upper)


def close(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-6)


def same_rows(first: list, second: list) -> None:
    assert len(first) == len(second)
    for a, b in zip(sorted(first, key=_order), sorted(second, key=_order)):
        assert a[0] == b[0] and [n for n, _ in a[1]] == [n for n, _ in b[1]], (a, b)
        assert all(close(x, y) for (_, x), (_, y) in zip(a[1], b[1])), (a, b)
        assert close(a[2], b[2]) and close(a[3], b[3]), (a, b)


def pyomo_model(model) -> tuple[dict, list, dict]:
    columns = {}
    for var in model.component_data_objects(pyo.Var):
        lower = -math.inf if var.lb is None else var.lb
        upper = math.inf if var.ub is None else var.ub
        columns[_name(var)] = (lower, upper, var.is_integer() or var.is_binary())
    rows: list = []
    for con in model.component_data_objects(pyo.Constraint, active=True):
        repn = generate_standard_repn(con.body)
        lower = -math.inf if not con.has_lb() else pyo.value(con.lower) - repn.constant
        upper = math.inf if not con.has_ub() else pyo.value(con.upper) - repn.constant
        index = con.index()
        family = con.parent_component().name
        key = (family,) if index is None else (family, *(index if isinstance(index, tuple) else (index,)))
        if family == "pooled_cost":
            key = key[:-1]  # the cut's number: cuts are compared as a set per arrangement
        rows.append(_row(key, ((_name(v), c) for v, c in zip(repn.linear_vars, repn.linear_coefs)), lower, upper))
    objective = next(model.component_data_objects(pyo.Objective, active=True))
    repn = generate_standard_repn(objective.expr)
    return columns, rows, dict(_terms((_name(v), c) for v, c in zip(repn.linear_vars, repn.linear_coefs)))


def matrix_model(exact) -> tuple[dict, list, dict]:
    mx = exact.matrix
    columns = {name: (lower, upper, integer) for name, lower, upper, integer in zip(mx.names, mx.lower, mx.upper, mx.integer)}
    rows: list = []
    for name, (index, values, lower, upper) in zip(mx.row_names, mx.rows):
        rows.append(_row(name, ((mx.names[c], v) for c, v in zip(index, values)), lower, upper))
    objective = dict(_terms((mx.names[c], v) for c, v in enumerate(mx.cost)))
    return columns, rows, objective


def assert_same_model(instance, scenario):
    candidates, _ = legal_choices(instance, scenario)
    pyomo_columns, pyomo_rows, pyomo_objective = pyomo_model(build_model(instance, scenario, candidates))
    exact = exact_model(instance, scenario, candidates)
    matrix_columns, matrix_rows, matrix_objective = matrix_model(exact)
    assert pyomo_columns == matrix_columns
    assert sorted(pyomo_objective) == sorted(matrix_objective)
    assert all(close(pyomo_objective[name], matrix_objective[name]) for name in matrix_objective)
    same_rows(pyomo_rows, matrix_rows)
    return len(matrix_columns), len(matrix_rows)


@pytest.mark.parametrize("seed", range(0, 60, 4))
def test_both_builds_give_the_same_model_on_random_instances(tmp_path, seed):
    options = write_random_instance(tmp_path, seed)
    instance = load(str(tmp_path))
    scenario = Scenario(burden_cap=options["burden_cap"], min_town_saving=options["min_town_saving"],
                        max_arrangements=options["max_arrangements"])
    assert_same_model(instance, scenario)


@pytest.mark.parametrize("seed", [1, 2])
def test_both_builds_give_the_same_model_on_generated_regions_with_what_ifs(tmp_path, seed):
    generate(tmp_path / "i", municipalities=16, tasks=6, hubs=3, seed=seed)
    instance = load(str(tmp_path / "i"))
    towns = [j for j, m in instance.municipalities.items() if m.role == "town"]
    task = next(iter(instance.tasks))
    scenarios = [
        Scenario(),
        Scenario(burden_cap=-5e6, objective="regional", max_arrangements=4, fee_ratio={"delegation": 0.5}),
        Scenario(required=frozenset({(task, towns[0])}), excluded=frozenset({towns[1]}), forced=((task, "delegation", None),)),
    ]
    for scenario in scenarios:
        assert_same_model(instance, scenario)


def test_the_kensei_model_is_the_same_both_ways():
    instance = load("kensei")
    columns, rows = assert_same_model(instance, Scenario())
    assert columns > 1000 and rows > 1000
    assert_same_model(instance, Scenario(keep_current=True, burden_cap=1e8))

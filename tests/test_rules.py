"""Each rule L1–L10 of SPEC §6 binds on a small hand-built instance.

For every rule there is one instance (built below, numbers under our control:
every test writes its own methods.csv and compatibility.csv, scale_elasticity
is 1 so g_t is linear and every figure is exact) and three checks:

1. `test_l<N>_...` solves it and asserts the optimal plan and the total
   savings worked out by hand from SPEC §5 (in the case's comment).
2. `test_each_rule_changes_the_plan_when_removed[...]` solves it again with the
   rule left out of the model (`omit`) and asserts the outcome differs: the
   optimum's savings strictly increase, or the exact evaluator refuses the
   solver's plan (`PlanCheckError`). So the test of point 1 fails without the rule.
3. `test_evaluator_names_the_rule[...]` evaluates the plan the rule forbids
   and finds the rule's id among the evaluator's violations.

Common figures (unless a case says otherwise): task T, fixed_cost F = 10,000,000,
unit_cost c = 1,000, b = 1, so g(V) = 10,000,000 + 1,000·V and
  S[A] (volume 2,000) = 12,000,000, S[B] (volume 1,000) = 11,000,000.
With scale_share 1 and no arrangement costs an arrangement saves
ΣS − g(ΣV) = F per participant beyond the first:
  {A, B}: 23,000,000 − g(3,000) = 23,000,000 − 13,000,000 = 10,000,000.
With scale_share s it saves s·(ΣS − g(V)) − arrangement cost.
Most cases lift the burden cap (Scenario(burden_cap=1e9)) so that L6 stays out
of the way; the L6 case sets its own cap.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from kouiki.errors import InfeasibleError, PlanCheckError
from kouiki.instance import Instance
from kouiki.load import load
from kouiki.model.evaluate import Arrangement, evaluate
from kouiki.pipeline import optimise
from kouiki.scenario import Scenario
from kouiki.solvers.highs import SolverSettings

YEN = 1.0  # tolerance on every money figure (SPEC §9: 1 yen)
SETTINGS = SolverSettings()  # gap 1e-6
NO_CAP = Scenario(burden_cap=1e9)  # L6 out of the way

MUNI_HEADER = (
    "municipality,role,can_host,population,core_city,day_night_ratio,"
    "in_three_metro_areas,metro_commute_share,burden_cap,staff_capacity"
)
TASK_HEADER = "task,category,fixed_cost,unit_cost,scale_elasticity,core_city_affair,fee_ratio,staff_per_unit"
METHOD_HEADER = (
    "method,label_ja,scale_share,arrangement_cost,member_cost,body_cost,fee_ratio,"
    "member_fee,min_members,prefecture_may_join,grant_hub,grant_member"
)
ROW_HEADER = "task,municipality,volume,standalone_cost,willing,payer"

# municipalities.csv rows
A = "A,central,1,150000,,1.1,0,,,"  # central city, no core-city powers (150,000 < 200,000)
B = "B,town,0,10000,,,,,,"
C = "C,town,0,8000,,,,,,"
D = "D,town,0,3000,,,,,,"


def method(
    id_: str,
    scale_share: float,
    fee_ratio: float,
    *,
    arrangement_cost: float = 0,
    member_cost: float = 0,
    member_fee: float = 0,
    min_members: int = 2,
    prefecture_may_join: int = 0,
) -> str:
    """One methods.csv row; body cost and grants are always 0 here."""
    return (
        f"{id_},{id_},{scale_share},{arrangement_cost},{member_cost},0,{fee_ratio},"
        f"{member_fee},{min_members},{prefecture_may_join},0,0"
    )


def task(id_: str = "T", fixed: float = 10_000_000, unit: float = 1_000, *, core: int = 0, staff: str = "") -> str:
    return f"{id_},other,{fixed},{unit},1,{core},,{staff}"


def write_instance(
    folder: Path,
    *,
    municipalities: list[str],
    tasks: list[str],
    rows: list[str],
    methods: list[str],
    compatibility: dict[str, int],
    reach: list[str] | None = None,
) -> Instance:
    """Write the CSVs (category `other` for every task) and load them."""
    folder.mkdir(parents=True, exist_ok=True)

    def put(name: str, header: str, lines: list[str]) -> None:
        text = header + "\n" + "\n".join(textwrap.dedent(line).strip() for line in lines) + "\n"
        (folder / name).write_text(text, encoding="utf-8")

    put("municipalities.csv", MUNI_HEADER, municipalities)
    put("tasks.csv", TASK_HEADER, tasks)
    put("instance.csv", ROW_HEADER, rows)
    put("methods.csv", METHOD_HEADER, methods)
    put("compatibility.csv", "category,method,allowed", [f"other,{m},{ok}" for m, ok in compatibility.items()])
    if reach is not None:
        put("reach.csv", "municipality,hub", reach)
    return load(str(folder / "instance.csv"))


@dataclass(frozen=True)
class Case:
    """An instance where `rule` binds, its hand-computed optimum, and the plan the rule forbids."""

    rule: str  # the id passed to omit and expected among the violations
    instance: Instance
    scenario: Scenario
    plan: frozenset[Arrangement]  # the optimum, by hand
    savings: float  # its total savings, by hand
    forbidden: tuple[Arrangement, ...]  # a better plan that only the rule excludes
    forbidden_savings: float  # its total savings, by hand
    message: str  # what PlanCheckError says when the evaluator catches it ("L1: " is not "L10: ")


def arr(task_: str, method_: str, hub: str, *participants: str) -> Arrangement:
    return Arrangement.of(task_, method_, hub, {hub, *participants})


# ---------------------------------------------------------------- the cases


def case_l1(folder: Path) -> Case:
    """L1: without it, the hub runs T twice (two methods) and B sits in both arrangements.

    delegation (s 1, π 0.5) at A with {A, B}: savings 10,000,000 (see module doc).
    joint_body (s 0.5, π 0.5) at A with {A, B}:
        operating = 0.5·13,000,000 + 0.5·23,000,000 = 18,000,000
        savings   = 23,000,000 − 18,000,000        =  5,000,000
    L1 allows one of them: delegation, 10,000,000.
    Without L1 both are counted: 15,000,000 (A's and B's standalone costs twice).
    """
    instance = write_instance(
        folder,
        municipalities=[A, B],
        tasks=[task()],
        rows=["T,A,2000,,,", "T,B,1000,,,"],
        methods=[method("delegation", 1, 0.5), method("joint_body", 0.5, 0.5)],
        compatibility={"delegation": 1, "joint_body": 1},
    )
    return Case(
        "L1", instance, NO_CAP,
        frozenset({arr("T", "delegation", "A", "B")}), 10_000_000,
        (arr("T", "delegation", "A", "B"), arr("T", "joint_body", "A", "B")), 15_000_000,
        "L1: ",
    )


def case_l2(folder: Path) -> Case:
    """L2: delegation (s 1) is not allowed for the category; agreement (s 0.5) is.

    agreement at A with {A, B}: 0.5·(23,000,000 − 13,000,000) = 5,000,000.
    delegation would save 10,000,000.
    """
    instance = write_instance(
        folder,
        municipalities=[A, B],
        tasks=[task()],
        rows=["T,A,2000,,,", "T,B,1000,,,"],
        methods=[method("delegation", 1, 0.5), method("agreement", 0.5, 0.5)],
        compatibility={"delegation": 0, "agreement": 1},
    )
    return Case(
        "L2", instance, NO_CAP,
        frozenset({arr("T", "agreement", "A", "B")}), 5_000_000,
        (arr("T", "delegation", "A", "B"),), 10_000_000,
        "L2: ",
    )


def case_l3(folder: Path) -> Case:
    """L3: T is a 中核市 affair; A (150,000, auto) has no core-city powers, K (250,000) has.

    K has no row for T (a hub brings volume 0 and S 0). delegation s 1, π 0.5,
    member_cost 1,000,000.
    K leads {K, A, B}: ΣS = 23,000,000, g(3,000) = 13,000,000,
        arrangement cost = 3·1,000,000; savings = 23 − 13 − 3 = 7,000,000.
        ({K, A} or {K, B} would save 12 − 12 − 2 = −2,000,000 / 11 − 11 − 2 = −2,000,000.)
    A leading {A, B} would save 23 − 13 − 2 = 8,000,000: only L3 stops it.
    """
    instance = write_instance(
        folder,
        municipalities=[A, "K,central,1,250000,,1.1,0,,,", B],
        tasks=[task(core=1)],
        rows=["T,A,2000,,,", "T,B,1000,,,"],
        methods=[method("delegation", 1, 0.5, member_cost=1_000_000)],
        compatibility={"delegation": 1},
    )
    return Case(
        "L3", instance, NO_CAP,
        frozenset({arr("T", "delegation", "K", "A", "B")}), 7_000_000,
        (arr("T", "delegation", "A", "B"),), 8_000_000,
        "L3: ",
    )


def case_l4(folder: Path, commute_share: str = "0.15") -> Case:
    """L4: `metro_agreement` at A, which meets (A) 250,000 people and (B) day/night 1.05
    but lies in the three metropolitan areas with 15 % commuting out: (C) fails.

    metro_agreement (s 0.6): 0.6·10,000,000 = 6,000,000;
    council (s 0.2):         0.2·10,000,000 = 2,000,000.
    With L4 only the council is possible: 2,000,000.
    """
    instance = write_instance(
        folder,
        municipalities=[f"A,central,1,250000,,1.05,1,{commute_share},,", B],
        tasks=[task()],
        rows=["T,A,2000,,,", "T,B,1000,,,"],
        methods=[method("metro_agreement", 0.6, 0.5), method("council", 0.2, 0.5)],
        compatibility={"metro_agreement": 1, "council": 1},
    )
    return Case(
        "L4", instance, NO_CAP,
        frozenset({arr("T", "council", "A", "B")}), 2_000_000,
        (arr("T", "metro_agreement", "A", "B"),), 6_000_000,
        "L4: ",
    )


def case_l5(folder: Path) -> Case:
    """L5 (min members): union (s 1, π 0.5) needs 3 participants; council (s 0.5) needs 2.

    C does the task cheaply alone: volume 5,000, standalone_cost 3,000,000, so
    pooling it adds S − c·v = 3,000,000 − 5,000,000 = −2,000,000.
    union {A, B, C}: ΣS = 26,000,000, g(8,000) = 18,000,000 → 8,000,000.
    union {A, B} (2 < 3 participants): 10,000,000, forbidden.
    council {A, B}: 0.5·10,000,000 = 5,000,000; council {A, B, C}: 0.5·8,000,000 = 4,000,000.
    So the model's min-members constraint makes the union take C in: 8,000,000.
    """
    instance = write_instance(
        folder,
        municipalities=[A, B, C],
        tasks=[task()],
        rows=["T,A,2000,,,", "T,B,1000,,,", "T,C,5000,3000000,,"],
        methods=[method("union", 1, 0.5, min_members=3), method("council", 0.5, 0.5)],
        compatibility={"union": 1, "council": 1},
    )
    return Case(
        "L5", instance, NO_CAP,
        frozenset({arr("T", "union", "A", "B", "C")}), 8_000_000,
        (arr("T", "union", "A", "B"),), 10_000_000,
        "L5: ",
    )


def case_l5_reach(folder: Path) -> Case:
    """L5 (reach.csv): B can reach only hub K; A can reach K.

    As in the L3 case (delegation s 1, π 0.5, member_cost 1,000,000, K without a row):
    K leads {K, A, B}: 7,000,000. A leading {A, B} (8,000,000) needs B → A, absent from reach.csv.
    """
    instance = write_instance(
        folder,
        municipalities=[A, "K,central,1,250000,,1.1,0,,,", B],
        tasks=[task()],
        rows=["T,A,2000,,,", "T,B,1000,,,"],
        methods=[method("delegation", 1, 0.5, member_cost=1_000_000)],
        compatibility={"delegation": 1},
        reach=["B,K", "A,K"],
    )
    return Case(
        "L5", instance, NO_CAP,
        frozenset({arr("T", "delegation", "K", "A", "B")}), 7_000_000,
        (arr("T", "delegation", "A", "B"),), 8_000_000,
        "L5: ",
    )


def case_l5_prefecture(folder: Path) -> Case:
    """L5 (prefecture party): P is the prefecture with a row (volume 1,000, S 11,000,000).

    delegation (s 1) has prefecture_may_join 0: {A, P} would save 10,000,000.
    union (s 0.5) has prefecture_may_join 1: {A, P} saves 0.5·10,000,000 = 5,000,000.
    """
    instance = write_instance(
        folder,
        municipalities=[A, "P,prefecture,0,9000000,,,,,,"],
        tasks=[task()],
        rows=["T,A,2000,,,", "T,P,1000,,,"],
        methods=[method("delegation", 1, 0.5), method("union", 0.5, 0.5, prefecture_may_join=1)],
        compatibility={"delegation": 1, "union": 1},
    )
    return Case(
        "L5", instance, NO_CAP,
        frozenset({arr("T", "union", "A", "P")}), 5_000_000,
        (arr("T", "delegation", "A", "P"),), 10_000_000,
        "L5: ",
    )


def case_l6(folder: Path) -> Case:
    """L6: A's burden_cap 2,500,000 blocks the best arrangement.

    Here unit_cost c = 10,000: g(V) = 10,000,000 + 10,000·V.
      S[A] (1,000) = 20,000,000, S[B] (1,000) = 20,000,000, S[C] (1,500) = 25,000,000.
    delegation s 1, π 0.4, no arrangement costs; hub burden = g(V) − Σ 0.4·S[member] − S[A].
      {A, B}:    savings 40 − g(2,000)=30 → 10,000,000; burden 30 − 8 − 20 = 2,000,000 ≤ 2,500,000
      {A, C}:    savings 45 − 35 = 10,000,000; burden 35 − 10 − 20 = 5,000,000 > cap
      {A, B, C}: savings 65 − 45 = 20,000,000; burden 45 − 8 − 10 − 20 = 7,000,000 > cap
    Optimum {A, B}: 10,000,000.
    """
    instance = write_instance(
        folder,
        municipalities=["A,central,1,150000,,1.1,0,,2500000,", B, C],
        tasks=[task(unit=10_000)],
        rows=["T,A,1000,,,", "T,B,1000,,,", "T,C,1500,,,"],
        methods=[method("delegation", 1, 0.4)],
        compatibility={"delegation": 1},
    )
    return Case(
        "L6", instance, Scenario(),
        frozenset({arr("T", "delegation", "A", "B")}), 10_000_000,
        (arr("T", "delegation", "A", "B", "C"),), 20_000_000,
        "burden cap",
    )


def case_l7(folder: Path) -> Case:
    """L7: staff_per_unit 0.01 FTE, A's staff_capacity 22 FTE.

    S[A] (1,000) = 11,000,000, S[B] (1,000) = 11,000,000, S[C] = 30,000,000 given
    (volume 1,500: pooling C adds 30,000,000 − 1,500,000 = 28,500,000). delegation s 1, π 0.5.
      {A, B}:    V 2,000 → 20 FTE ≤ 22; savings 22 − g(2,000)=12 → 10,000,000
      {A, C}:    V 2,500 → 25 FTE > 22; savings 41 − 12.5 = 28,500,000
      {A, B, C}: V 3,500 → 35 FTE > 22; savings 52 − 13.5 = 38,500,000
    Optimum {A, B}: 10,000,000.
    """
    instance = write_instance(
        folder,
        municipalities=["A,central,1,150000,,1.1,0,,,22", B, C],
        tasks=[task(staff="0.01")],
        rows=["T,A,1000,,,", "T,B,1000,,,", "T,C,1500,30000000,,"],
        methods=[method("delegation", 1, 0.5)],
        compatibility={"delegation": 1},
    )
    return Case(
        "L7", instance, NO_CAP,
        frozenset({arr("T", "delegation", "A", "B")}), 10_000_000,
        (arr("T", "delegation", "A", "B", "C"),), 38_500_000,
        "L7: ",
    )


def case_l8_willing(folder: Path) -> Case:
    """L8 (willing = 0): B (volume 1,000) is unwilling; C (volume 1,000, S 11,000,000) is not.

    delegation s 1, π 0.5. {A, C}: 23 − 13 = 10,000,000; {A, B, C}: 34 − 14 = 20,000,000.
    """
    instance = write_instance(
        folder,
        municipalities=[A, B, C],
        tasks=[task()],
        rows=["T,A,2000,,,", "T,B,1000,,0,", "T,C,1000,,,"],
        methods=[method("delegation", 1, 0.5)],
        compatibility={"delegation": 1},
    )
    return Case(
        "L8", instance, NO_CAP,
        frozenset({arr("T", "delegation", "A", "C")}), 10_000_000,
        (arr("T", "delegation", "A", "B", "C"),), 20_000_000,
        "L8: ",
    )


def case_l8_willing_hub(folder: Path) -> Case:
    """L8 (willing = 0 on a hub's own row, SPEC §9: not even as its hub).

    A (volume 2,000) is unwilling; K (central, volume 1,000, S 11,000,000) can host.
    delegation s 1, π 0.5. K leads {K, B}: 22 − g(2,000)=12 → 10,000,000.
    {A, K, B} led by A or K: 34 − 14 = 20,000,000, forbidden.
    """
    instance = write_instance(
        folder,
        municipalities=[A, "K,central,1,120000,,1.1,0,,,", B],
        tasks=[task()],
        rows=["T,A,2000,,0,", "T,K,1000,,,", "T,B,1000,,,"],
        methods=[method("delegation", 1, 0.5)],
        compatibility={"delegation": 1},
    )
    return Case(
        "L8", instance, NO_CAP,
        frozenset({arr("T", "delegation", "K", "B")}), 10_000_000,
        (arr("T", "delegation", "A", "B", "K"),), 20_000_000,
        "L8: ",
    )


def case_l8_must(folder: Path) -> Case:
    """L8 (must): C must join, though pooling it costs (volume 5,000, standalone_cost 3,000,000).

    delegation s 1, π 0.5.
      {A, B}:    10,000,000, leaves C alone (forbidden by must)
      {A, B, C}: 26,000,000 − g(8,000)=18,000,000 → 8,000,000
      {A, C}:    15,000,000 − g(7,000)=17,000,000 → −2,000,000
    Optimum {A, B, C}: 8,000,000.
    """
    instance = write_instance(
        folder,
        municipalities=[A, B, C],
        tasks=[task()],
        rows=["T,A,2000,,,", "T,B,1000,,,", "T,C,5000,3000000,must,"],
        methods=[method("delegation", 1, 0.5)],
        compatibility={"delegation": 1},
    )
    return Case(
        "L8", instance, NO_CAP,
        frozenset({arr("T", "delegation", "A", "B", "C")}), 8_000_000,
        (arr("T", "delegation", "A", "B"),), 10_000_000,
        "L8: ",
    )


def case_l9(folder: Path) -> Case:
    """L9: delegation s 1, π 0.5, member_fee 5,000,000 (均等割).

    B pays 0.5·11,000,000 + 5,000,000 = 10,500,000 ≤ 11,000,000: may join.
    D (volume 500, standalone_cost 8,000,000) would pay 0.5·8,000,000 + 5,000,000
      = 9,000,000 > 8,000,000: worse off, stays out.
      {A, B}:    23 − 13 = 10,000,000
      {A, B, D}: 31 − g(3,500)=13.5 → 17,500,000, forbidden.
    """
    instance = write_instance(
        folder,
        municipalities=[A, B, D],
        tasks=[task()],
        rows=["T,A,2000,,,", "T,B,1000,,,", "T,D,500,8000000,,"],
        methods=[method("delegation", 1, 0.5, member_fee=5_000_000)],
        compatibility={"delegation": 1},
    )
    return Case(
        "L9", instance, NO_CAP,
        frozenset({arr("T", "delegation", "A", "B")}), 10_000_000,
        (arr("T", "delegation", "A", "B", "D"),), 17_500_000,
        "L9: ",
    )


def case_l10(folder: Path) -> Case:
    """L10: max_arrangements = 1 with two tasks worth sharing.

    T1 (F 10,000,000): {A, B} saves 10,000,000.
    T2 (F 20,000,000, c 1,000): S[A] = 22,000,000, S[B] = 21,000,000, g(3,000) = 23,000,000
      → {A, B} saves 20,000,000.
    One arrangement: T2, 20,000,000; both would save 30,000,000.
    """
    instance = write_instance(
        folder,
        municipalities=[A, B],
        tasks=[task("T1"), task("T2", fixed=20_000_000)],
        rows=["T1,A,2000,,,", "T1,B,1000,,,", "T2,A,2000,,,", "T2,B,1000,,,"],
        methods=[method("delegation", 1, 0.5)],
        compatibility={"delegation": 1},
    )
    return Case(
        "L10", instance, Scenario(burden_cap=1e9, max_arrangements=1),
        frozenset({arr("T2", "delegation", "A", "B")}), 20_000_000,
        (arr("T1", "delegation", "A", "B"), arr("T2", "delegation", "A", "B")), 30_000_000,
        "L10: ",
    )


CASES: dict[str, Callable[[Path], Case]] = {
    "L1": case_l1,
    "L2": case_l2,
    "L3": case_l3,
    "L4": case_l4,
    "L5": case_l5,
    "L5-reach": case_l5_reach,
    "L5-prefecture": case_l5_prefecture,
    "L6": case_l6,
    "L7": case_l7,
    "L8": case_l8_willing,
    "L8-willing-hub": case_l8_willing_hub,
    "L8-must": case_l8_must,
    "L9": case_l9,
    "L10": case_l10,
}


def solve(case: Case, omit: frozenset[str] = frozenset()):
    return optimise(case.instance, case.scenario, SETTINGS, omit=omit)


def assert_optimum(case: Case) -> None:
    outcome = solve(case)
    ev = outcome.evaluation
    assert set(ev.plan) == case.plan
    assert ev.total_savings == pytest.approx(case.savings, abs=YEN)
    assert ev.violations == []


# ---------------------------------------------------------------- 1. the optimum, by hand


def test_l1_one_arrangement_per_task_and_member(tmp_path):
    case = case_l1(tmp_path)
    # delegation at A with {A, B}: 23,000,000 − 13,000,000 = 10,000,000 (not + joint_body's 5,000,000)
    assert case.plan == {Arrangement("T", "delegation", "A", ("A", "B"))}
    assert_optimum(case)


def test_l2_incompatible_method_is_not_chosen(tmp_path):
    case = case_l2(tmp_path)
    # agreement at A with {A, B}: 0.5·(23,000,000 − 13,000,000) = 5,000,000
    assert case.plan == {Arrangement("T", "agreement", "A", ("A", "B"))}
    assert_optimum(case)


def test_l3_core_city_affair_led_by_core_city(tmp_path):
    case = case_l3(tmp_path)
    # K leads {K, A, B}: 23,000,000 − 13,000,000 − 3·1,000,000 = 7,000,000
    assert case.plan == {Arrangement("T", "delegation", "K", ("A", "B", "K"))}
    assert_optimum(case)


def test_l4_metro_agreement_needs_conditions_abc(tmp_path):
    case = case_l4(tmp_path)
    # A fails (C): council at A with {A, B}: 0.2·10,000,000 = 2,000,000
    assert case.plan == {Arrangement("T", "council", "A", ("A", "B"))}
    assert_optimum(case)


def test_l4_metro_agreement_allowed_when_commuting_share_is_low(tmp_path):
    # Same instance with 5 % commuting out: (C) holds, so metro_agreement
    # (0.6·10,000,000 = 6,000,000) beats the council (2,000,000).
    case = case_l4(tmp_path, commute_share="0.05")
    outcome = solve(case)
    assert set(outcome.evaluation.plan) == {Arrangement("T", "metro_agreement", "A", ("A", "B"))}
    assert outcome.evaluation.total_savings == pytest.approx(6_000_000, abs=YEN)


def test_l5_min_members(tmp_path):
    case = case_l5(tmp_path)
    # union needs 3: {A, B, C}: 26,000,000 − 18,000,000 = 8,000,000 (> council {A, B}: 5,000,000)
    assert case.plan == {Arrangement("T", "union", "A", ("A", "B", "C"))}
    assert_optimum(case)


def test_l5_reach(tmp_path):
    case = case_l5_reach(tmp_path)
    # B reaches only K: K leads {K, A, B}: 23,000,000 − 13,000,000 − 3,000,000 = 7,000,000
    assert case.plan == {Arrangement("T", "delegation", "K", ("A", "B", "K"))}
    assert_optimum(case)


def test_l5_prefecture_only_where_allowed(tmp_path):
    case = case_l5_prefecture(tmp_path)
    # union at A with {A, P}: 0.5·(23,000,000 − 13,000,000) = 5,000,000
    assert case.plan == {Arrangement("T", "union", "A", ("A", "P"))}
    assert_optimum(case)


def test_l6_burden_cap_blocks_the_best_arrangement(tmp_path):
    case = case_l6(tmp_path)
    # {A, B}: 40,000,000 − 30,000,000 = 10,000,000, A's burden 2,000,000 ≤ 2,500,000
    assert case.plan == {Arrangement("T", "delegation", "A", ("A", "B"))}
    assert_optimum(case)
    burden = solve(case).evaluation.net_burden["A"]
    assert burden == pytest.approx(2_000_000, abs=YEN)


def test_l7_staff_capacity(tmp_path):
    case = case_l7(tmp_path)
    # {A, B}: 20 FTE ≤ 22; 22,000,000 − 12,000,000 = 10,000,000
    assert case.plan == {Arrangement("T", "delegation", "A", ("A", "B"))}
    assert_optimum(case)


def test_l8_unwilling_member_stays_out(tmp_path):
    case = case_l8_willing(tmp_path)
    # {A, C}: 23,000,000 − 13,000,000 = 10,000,000 (B, willing = 0, alone)
    assert case.plan == {Arrangement("T", "delegation", "A", ("A", "C"))}
    assert_optimum(case)


def test_l8_unwilling_row_cannot_lead_either(tmp_path):
    case = case_l8_willing_hub(tmp_path)
    # K leads {K, B}: 22,000,000 − 12,000,000 = 10,000,000 (A, willing = 0, alone)
    assert case.plan == {Arrangement("T", "delegation", "K", ("B", "K"))}
    assert_optimum(case)


def test_l8_must_joins_even_at_a_loss(tmp_path):
    case = case_l8_must(tmp_path)
    # {A, B, C}: 26,000,000 − 18,000,000 = 8,000,000 (rather than {A, B}'s 10,000,000)
    assert case.plan == {Arrangement("T", "delegation", "A", ("A", "B", "C"))}
    assert_optimum(case)


def test_l9_no_member_pays_more_than_alone(tmp_path):
    case = case_l9(tmp_path)
    # {A, B}: 10,000,000; D would pay 9,000,000 > 8,000,000 alone
    assert case.plan == {Arrangement("T", "delegation", "A", ("A", "B"))}
    assert_optimum(case)
    ev = solve(case).evaluation
    paid = {(p.task, p.municipality): p.payment for p in ev.participation}
    assert paid[("T", "B")] == pytest.approx(10_500_000, abs=YEN)


def test_l10_max_arrangements(tmp_path):
    case = case_l10(tmp_path)
    # only T2 at A with {A, B}: 43,000,000 − 23,000,000 = 20,000,000
    assert case.plan == {Arrangement("T2", "delegation", "A", ("A", "B"))}
    assert_optimum(case)


# ---------------------------------------------------------------- 2. each rule matters


@pytest.mark.parametrize("name", list(CASES))
def test_each_rule_changes_the_plan_when_removed(tmp_path, name):
    case = CASES[name](tmp_path)
    rule = case.rule
    # The forbidden plan really is better, so only the rule holds the optimum back.
    better = evaluate(case.instance, case.scenario, case.forbidden)
    assert better.total_savings == pytest.approx(case.forbidden_savings, abs=YEN)
    assert better.total_savings > case.savings + YEN
    try:
        outcome = solve(case, omit=frozenset({rule}))
    except PlanCheckError as error:
        # The evaluator re-checks every rule and refuses the solver's plan.
        assert case.message in str(error)
        return
    except InfeasibleError as error:  # pragma: no cover - would mean the omit made things worse
        pytest.fail(f"omitting {rule} made the instance infeasible: {error}")
    assert outcome.evaluation.total_savings > case.savings + YEN, (
        f"omitting {rule} left the optimum at {outcome.evaluation.total_savings:,.0f} yen"
    )


# ---------------------------------------------------------------- 3. the evaluator names the rule


@pytest.mark.parametrize("name", list(CASES))
def test_evaluator_names_the_rule(tmp_path, name):
    case = CASES[name](tmp_path)
    violations = evaluate(case.instance, case.scenario, case.forbidden).violations
    assert case.rule in {rule for rule, _ in violations}, violations
    assert all(text for _, text in violations)


def test_evaluator_reports_l3_for_a_core_city_affair_at_a_non_core_hub(tmp_path):
    case = case_l3(tmp_path)
    plan = [Arrangement.of("T", "delegation", "A", ["A", "B"])]
    ev = evaluate(case.instance, case.scenario, plan)
    assert [(rule, text.render("en")) for rule, text in ev.violations] == [
        ("L3", "T is a 中核市 affair and A has no core-city powers: 150,000 people, fewer than 200,000")
    ]
    # its savings are still reported exactly: 23,000,000 − 13,000,000 − 2,000,000
    assert ev.total_savings == pytest.approx(8_000_000, abs=YEN)

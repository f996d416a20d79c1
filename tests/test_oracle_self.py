"""Hand-computed checks of the test oracle itself (tests/oracle.py).

The oracle must be right before it can judge the MIP, so these cases are
worked out by hand from SPEC §5/§6. None of them imports kouiki.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from oracle import all_plans, best_plan, evaluate, load_instance  # noqa: E402
from random_instances import write_random_instance  # noqa: E402

MUNI_HEADER = (
    "municipality,role,can_host,population,core_city,day_night_ratio,"
    "in_three_metro_areas,metro_commute_share,burden_cap,staff_capacity"
)
TASK_HEADER = (
    "task,category,fixed_cost,unit_cost,scale_elasticity,core_city_affair,fee_ratio,staff_per_unit"
)
METHOD_HEADER = (
    "method,label_ja,scale_share,arrangement_cost,member_cost,body_cost,fee_ratio,"
    "member_fee,min_members,prefecture_may_join,grant_hub,grant_member"
)
ROW_HEADER = "task,municipality,volume,standalone_cost,willing,payer"


def write(folder: Path, **tables: str) -> Path:
    """Write name=text tables as name.csv (text is dedented)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
    return folder


def compatibility(*methods: str, category: str = "other") -> str:
    return "category,method,allowed\n" + "".join(f"{category},{m},1\n" for m in methods)


# Two municipalities, one task, the base of most cases below.
#   t1: fixed_cost 10,000,000, unit_cost 1,000, b = 1
#   A市 volume 1,000 -> S = 10,000,000 + 1,000,000 = 11,000,000
#   B町 volume   500 -> S = 10,000,000 +   500,000 = 10,500,000
#   pooled V = 1,500 -> g(V) = 11,500,000
TWO_MUNIS = f"""
    {MUNI_HEADER}
    A市,central,,300000,,1.1,0,,,
    B町,town,,20000,,,,,,
"""
ONE_TASK = f"""
    {TASK_HEADER}
    t1,other,10000000,1000,,,,
"""


def rows(willing_b: str = "") -> str:
    return f"""
        {ROW_HEADER}
        t1,A市,1000,,,
        t1,B町,500,,{willing_b},
    """


def methods(delegation_fee: float = 0.8) -> str:
    return f"""
        {METHOD_HEADER}
        delegation,事務の委託,1,1000000,0,,{delegation_fee},,2,,,
        voluntary,任意協議会,0.2,0,0,,0.5,,2,,,
    """


def test_two_municipalities_one_task_by_hand(tmp_path):
    # delegation at A市 with {A市, B町}:
    #   operating   = 1·g(1,500)                  = 11,500,000
    #   arrangement = 1,000,000
    #   savings     = 21,500,000 − 11,500,000 − 1,000,000 = 9,000,000
    #   B町 pays 0.8 · 10,500,000 = 8,400,000 <= 10,500,000 (L9 ok)
    #   A市 net burden = 11,500,000 + 1,000,000 − 8,400,000 − 11,000,000 = −6,900,000 <= 0
    # voluntary at A市: operating = 0.2·11,500,000 + 0.8·21,500,000 = 19,500,000,
    #   savings 2,000,000, burden 19,500,000 − 5,250,000 − 11,000,000 = 3,250,000 > 0: L6 fails.
    # So with cap 0 the feasible plans are "all alone" and the delegation.
    folder = write(
        tmp_path,
        municipalities=TWO_MUNIS,
        tasks=ONE_TASK,
        instance=rows(),
        methods=methods(),
        compatibility=compatibility("delegation", "voluntary"),
    )
    result = best_plan(folder)
    assert result.savings == pytest.approx(9_000_000)
    assert result.plan == [("t1", "delegation", "A市", frozenset({"A市", "B町"}))]

    figures = evaluate(folder, result.plan)
    assert figures["violations"] == []
    assert figures["net_burden"]["A市"] == pytest.approx(-6_900_000)
    assert figures["member_saving"]["B町"] == pytest.approx(10_500_000 - 8_400_000)
    assert evaluate(folder, [("t1", "voluntary", "A市", {"A市", "B町"})])["net_burden"][
        "A市"
    ] == pytest.approx(3_250_000)

    plans = list(all_plans(folder))
    assert len(plans) == 2
    assert max(evaluate(folder, p)["total_savings"] for p in plans) == pytest.approx(9_000_000)
    # with no cap the voluntary council becomes feasible too (but is worse)
    assert len(list(all_plans(folder, burden_cap=1e12))) == 3


def test_burden_cap_makes_sharing_impossible(tmp_path):
    # fee_ratio 0.1: B町 pays 1,050,000, so A市's burden is
    #   11,500,000 + 1,000,000 − 1,050,000 − 11,000,000 = 450,000 > 0.
    folder = write(
        tmp_path,
        municipalities=TWO_MUNIS,
        tasks=ONE_TASK,
        instance=rows(),
        methods=methods(delegation_fee=0.1),
        compatibility=compatibility("delegation", "voluntary"),
    )
    alone = best_plan(folder, burden_cap=0.0)
    assert alone.savings == 0.0
    assert alone.plan == []
    # 450,000 fits under a 500,000 cap, and exactly at the cap (1 yen slack)
    assert best_plan(folder, burden_cap=500_000).savings == pytest.approx(9_000_000)
    assert best_plan(folder, burden_cap=449_999.5).savings == pytest.approx(9_000_000)
    assert best_plan(folder, burden_cap=449_998).savings == 0.0
    # the municipality's own burden_cap column beats the argument
    capped = TWO_MUNIS.replace("A市,central,,300000,,1.1,0,,,", "A市,central,,300000,,1.1,0,,600000,")
    write(tmp_path, municipalities=capped)
    assert best_plan(folder, burden_cap=0.0).savings == pytest.approx(9_000_000)


def test_body_cost_paid_once_for_two_tasks_at_one_hub(tmp_path):
    # association, scale 1, arrangement 1,000,000, fee 0.8, body 5,000,000.
    # t1 as above: savings 9,000,000, A市's part −6,900,000.
    # t2: fixed 20,000,000, unit 2,000: S_A = 22,000,000, S_B = 21,000,000,
    #   g(1,500) = 23,000,000; savings = 43,000,000 − 23,000,000 − 1,000,000 = 19,000,000;
    #   A市's part = 23,000,000 + 1,000,000 − 16,800,000 − 22,000,000 = −14,800,000.
    # Both tasks: 9,000,000 + 19,000,000 − 5,000,000 (once) = 23,000,000
    #   (a body cost per task would give 18,000,000);
    #   A市's burden = −6,900,000 − 14,800,000 + 5,000,000 = −16,700,000.
    folder = write(
        tmp_path,
        municipalities=TWO_MUNIS,
        tasks=f"""
            {TASK_HEADER}
            t1,essential,10000000,1000,,,,
            t2,essential,20000000,2000,,,,
        """,
        instance=f"""
            {ROW_HEADER}
            t1,A市,1000,,,
            t1,B町,500,,,
            t2,A市,1000,,,
            t2,B町,500,,,
        """,
        methods=f"""
            {METHOD_HEADER}
            association,一部事務組合,1,1000000,0,5000000,0.8,,2,,,
        """,
        compatibility=compatibility("association", category="essential"),
    )
    result = best_plan(folder)
    assert result.savings == pytest.approx(23_000_000)
    assert {a[0] for a in result.plan} == {"t1", "t2"}
    figures = evaluate(folder, result.plan)
    assert figures["body_costs"] == {("association", "A市"): 5_000_000}
    assert figures["net_burden"]["A市"] == pytest.approx(-16_700_000)
    # one task alone carries the whole body: 9,000,000 − 5,000,000
    one = [a for a in result.plan if a[0] == "t1"]
    assert evaluate(folder, one)["total_savings"] == pytest.approx(4_000_000)


def test_grants_lower_the_burden_but_not_the_savings(tmp_path):
    # metro_agreement at A市 (300,000 people, day_night_ratio 1.1, outside the
    # three metro areas: L4 holds), fee 0.1 -> A市's part is 450,000 (see
    # above); grant_hub 1,000,000 brings it to −550,000 <= 0.
    # The objective ignores grants: savings stay 9,000,000.
    def metro(grant_hub: int, dnr: str = "1.1") -> Path:
        return write(
            tmp_path / f"g{grant_hub}-{dnr}",
            municipalities=TWO_MUNIS.replace(",1.1,", f",{dnr},"),
            tasks=ONE_TASK,
            instance=rows(),
            methods=f"""
                {METHOD_HEADER}
                metro_agreement,連携協約（連携中枢都市圏）,1,1000000,0,,0.1,,2,,{grant_hub},0
            """,
            compatibility=compatibility("metro_agreement"),
        )

    with_grant = metro(1_000_000)
    result = best_plan(with_grant)
    assert result.savings == pytest.approx(9_000_000)
    figures = evaluate(with_grant, result.plan)
    assert figures["net_burden"]["A市"] == pytest.approx(-550_000)
    assert figures["grants"]["A市"] == 1_000_000
    assert best_plan(metro(0)).savings == 0.0  # no grant: burden 450,000 > 0
    assert best_plan(metro(1_000_000, dnr="0.9")).savings == 0.0  # L4(B) fails
    assert best_plan(metro(1_000_000, dnr="")).savings == 0.0  # missing data fails


def test_member_grant_lowers_a_non_leading_host_burden(tmp_path):
    # B市 can host but cannot lead metro_agreement (100,000 people, L4(A)).
    # Its cap is −500,000: L6 applies to it even when it leads nothing, so
    # "all alone" (burden 0) is infeasible. Joining A市's metro_agreement as a
    # member gives it grant_member 1,000,000: burden −1,000,000 <= −500,000.
    # A市's burden: 11,500,000 + 1,000,000 − 0.8·10,500,000 − 11,000,000 = −6,900,000.
    def folder_with(grant_member: int) -> Path:
        return write(
            tmp_path / str(grant_member),
            municipalities=f"""
                {MUNI_HEADER}
                A市,central,,300000,,1.1,0,,,
                B市,central,,100000,,1.0,0,,-500000,
            """,
            tasks=ONE_TASK,
            instance=f"""
                {ROW_HEADER}
                t1,A市,1000,,,
                t1,B市,500,,,
            """,
            methods=f"""
                {METHOD_HEADER}
                metro_agreement,連携協約（連携中枢都市圏）,1,1000000,0,,0.8,,2,,0,{grant_member}
            """,
            compatibility=compatibility("metro_agreement"),
        )

    granted = folder_with(1_000_000)
    result = best_plan(granted)
    assert result.savings == pytest.approx(9_000_000)
    assert result.plan == [("t1", "metro_agreement", "A市", frozenset({"A市", "B市"}))]
    burdens = evaluate(granted, result.plan)["net_burden"]
    assert burdens == pytest.approx({"A市": -6_900_000, "B市": -1_000_000})
    assert evaluate(granted, [])["violations"]  # all alone breaks L6 for B市
    assert best_plan(folder_with(0)).savings is None


def test_must_can_make_the_instance_infeasible(tmp_path):
    # fee 0.1 and cap 0: the only arrangement breaks L6 (burden 450,000),
    # so B町 = must cannot be met and no plan is feasible.
    folder = write(
        tmp_path,
        municipalities=TWO_MUNIS,
        tasks=ONE_TASK,
        instance=rows(willing_b="must"),
        methods=methods(delegation_fee=0.1),
        compatibility=compatibility("delegation", "voluntary"),
    )
    result = best_plan(folder)
    assert result.savings is None
    assert result.plan == []
    # a looser cap lets B町 join
    assert best_plan(folder, burden_cap=1e6).savings == pytest.approx(9_000_000)
    # willing 0 keeps B町 out whatever the cap
    write(tmp_path, instance=rows(willing_b="0"))
    assert best_plan(folder, burden_cap=1e12).savings == 0.0


def test_random_instances_fast_and_sane(tmp_path):
    """20 random seeds: each solved in < 2 s; savings >= 0 whenever the
    all-alone plan is feasible; the plan found passes every rule; pruning
    agrees with plain enumeration; and the SPEC §5 identity holds."""
    for seed in range(20):
        folder = tmp_path / f"seed{seed}"
        options = write_random_instance(folder, seed)
        assert load_instance(folder).tasks  # a complete, readable instance

        result = best_plan(folder, **options)

        alone = evaluate(folder, [], **options)
        if not alone["violations"]:
            assert result.savings is not None and result.savings >= -1e-6, seed
        plain = best_plan(folder, **options, prune=False)
        assert result.plans_checked <= plain.plans_checked, seed  # pruning only ever saves work
        if result.savings is None:
            assert plain.savings is None, seed
            continue
        assert plain.savings == pytest.approx(result.savings, abs=1e-3), seed

        figures = evaluate(folder, result.plan, **options)
        assert figures["violations"] == [], seed
        assert figures["total_savings"] == pytest.approx(result.savings, abs=1e-3)
        # total savings = Σ member savings − Σ_h (net burden_h + grants received by h)
        hub_side = sum(
            burden + figures["grants"][h] for h, burden in figures["net_burden"].items()
        )
        identity = sum(figures["member_saving"].values()) - hub_side
        assert identity == pytest.approx(figures["total_savings"], abs=1e-2), seed

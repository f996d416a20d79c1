"""SPEC §5's accounting identity, as a property over random instances and random plans.

total savings = Σ_j member j's saving − Σ_h (net burden_h + grants received by h)
The identity must hold for any plan, legal or not, so the plans here are drawn
freely (hubs among the municipalities that can host).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kouiki.instance import Instance, Method, Municipality, Row, Task
from kouiki.model.evaluate import Arrangement, evaluate
from kouiki.scenario import Scenario

METHOD_IDS = ["delegation", "association", "metro_agreement", "council"]
money = st.floats(min_value=0, max_value=1e9, allow_nan=False)
share = st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def instances(draw):
    n = draw(st.integers(2, 5))
    names = [f"M{i}" for i in range(n)]
    munis = {}
    for i, name in enumerate(names):
        munis[name] = Municipality(
            id=name, role="central" if i == 0 else draw(st.sampled_from(["town", "central", "prefecture"])),
            can_host=i == 0 or draw(st.booleans()), population=draw(st.integers(0, 400_000)), core_city=None,
            day_night_ratio=None, in_three_metro_areas=False, metro_commute_share=None,
            burden_cap=draw(st.none() | st.floats(-1e8, 1e8)), staff_capacity=None, label_en=name,
        )
    methods = {}
    for m in METHOD_IDS:
        methods[m] = Method(m, m, m, draw(share), draw(money), draw(money), draw(money) if m == "association" else 0.0,
                            draw(share), draw(money), 2, True, draw(money) if m == "metro_agreement" else 0.0,
                            draw(money) if m == "metro_agreement" else 0.0)
    tasks, rows = {}, {}
    for k in range(draw(st.integers(1, 3))):
        t = f"t{k}"
        tasks[t] = Task(t, "other", draw(money), draw(st.floats(0, 1e5)), draw(st.floats(0.3, 1)), False,
                        draw(st.none() | share), 0.0, t, t)
        for name in names:
            if draw(st.booleans()) or name == names[-1]:
                rows[(t, name)] = Row(t, name, draw(st.floats(0, 1e5)), draw(st.none() | money), "1",
                                      draw(st.none() | st.sampled_from(names)))
    compat = frozenset(("other", m) for m in METHOD_IDS)
    return Instance("random", "-", methods, compat, tasks, munis, rows, None)


@st.composite
def instance_and_plan(draw):
    instance = draw(instances())
    hubs = instance.hubs()
    plan = []
    for t in instance.tasks:
        taken = set()
        for hub in draw(st.lists(st.sampled_from(hubs), unique=True, max_size=len(hubs))):
            if hub in taken:
                continue
            free = [j for (tt, j) in instance.rows if tt == t and j not in taken and j != hub]
            members = draw(st.lists(st.sampled_from(free), unique=True)) if free else []
            taken |= {hub, *members}
            plan.append(Arrangement.of(t, draw(st.sampled_from(METHOD_IDS)), hub, members))
    fee = draw(st.dictionaries(st.sampled_from(METHOD_IDS), share, max_size=2))
    return instance, plan, Scenario(fee_ratio=fee)


@settings(max_examples=300, deadline=None)
@given(instance_and_plan())
def test_total_savings_equal_member_savings_less_hub_burdens_and_grants(case):
    instance, plan, scenario = case
    ev = evaluate(instance, scenario, plan)
    members = sum(row.member_saving for row in ev.ledger)
    hubs = sum(ev.net_burden.get(j, 0.0) + ev.grants.get(j, 0.0) for j in instance.municipalities if j in ev.net_burden)
    # grants are added to and taken from the hubs' burdens, so their size sets the rounding too
    scale = 1 + sum(r.standalone_total + r.operating_cost + r.arrangement_cost + r.payments_in for r in ev.arrangements) \
        + sum(ev.grants.values())
    assert abs(ev.total_savings - (members - hubs)) <= 1e-9 * scale


@settings(max_examples=200, deadline=None)
@given(instance_and_plan())
def test_ledger_savings_add_up_to_total_savings_plus_grants(case):
    """Every yen saved lands in some municipality's ledger row; grants come from outside."""
    instance, plan, scenario = case
    ev = evaluate(instance, scenario, plan)
    scale = 1 + sum(row.standalone_total + abs(row.cost_under_plan) for row in ev.ledger) + sum(ev.grants.values())
    assert abs(sum(row.saving for row in ev.ledger) - (ev.total_savings + sum(ev.grants.values()))) <= 1e-9 * scale


@settings(max_examples=100, deadline=None)
@given(instances())
def test_doing_everything_alone_saves_nothing_and_burdens_nobody(instance):
    ev = evaluate(instance, Scenario(), [])
    assert ev.total_savings == 0
    assert all(value == 0 for value in ev.net_burden.values())
    assert all(row.saving == 0 for row in ev.ledger)

"""Workshop what-ifs, option sets, sweeps and infeasibility explanations (SPEC §5–§7, §9).

Every instance here is hand-built in tmp_path with its own methods.csv and
compatibility.csv, so every figure is under the test's control. Unless a case
says otherwise: fixed_cost F = 10,000,000, unit_cost c = 1,000, scale_elasticity
b = 1, so g(V) = 10,000,000 + 1,000·V and
    volume 2,000 → S = 12,000,000      volume 1,000 → S = 11,000,000
    volume   500 → S = 10,500,000      volume   800 → S = 10,800,000.
With scale_share 1 an arrangement saves ΣS − g(ΣV) − costs = F per participant
beyond the first, minus the arrangement's own costs. A hub's net burden is
(SPEC §5) Σ_{members j}(S_j − payment_j) − savings(a) for each arrangement it leads.

The workshop instance W (see `workshop`) is used by most what-if tests:

    hubs     Odawara (central, 150,000, fire vol 2,000, waste vol 2,000)
             Minami  (central,  60,000, fire vol 1,000, waste: willing 0)
    towns    Kaisei (fire 500, waste 500), Oi (fire 500),
             Hakone (fire 500 but standalone_cost 400,000: it does fire cheaply alone)
    reach    Oi reaches only Odawara (everyone else reaches both hubs)
    methods  delegation  s 1,   π 0.5, arrangement_cost 1,000,000
             joint_body  s 0.5, π 0.9, arrangement_cost 1,000,000
             agreement   s 0.1, π 0.5, arrangement_cost 2,000,000

Its optimum (cap 0): fire by delegation at Odawara with Odawara;Minami;Kaisei;Oi:
    ΣS = 12 + 11 + 10.5 + 10.5 = 44M, g(4,000) = 14M → 44 − 14 − 1 = 29,000,000
    (Hakone stays out: joining adds 500,000 of operating cost against its 400,000)
  waste by delegation at Odawara with Odawara;Kaisei: 22.5 − 12.5 − 1 = 9,000,000.
  Total 38,000,000. Odawara's burden: 0.5·32M − 29M + 0.5·10.5M − 9M < 0.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner


from conftest import english, read_report as read_csv
from kouiki.cli import allocate

PLAN_FILES = ("summary.csv", "arrangements.csv", "participation.csv", "ledger.csv")

MUNI_HEADER = ("municipality,role,can_host,population,core_city,day_night_ratio,"
               "in_three_metro_areas,metro_commute_share,burden_cap,staff_capacity")
TASK_HEADER = "task,category,fixed_cost,unit_cost,scale_elasticity,core_city_affair,fee_ratio,staff_per_unit"
METHOD_HEADER = ("method,label_ja,scale_share,arrangement_cost,member_cost,body_cost,fee_ratio,"
                 "member_fee,min_members,prefecture_may_join,grant_hub,grant_member")
ROW_HEADER = "task,municipality,volume,standalone_cost,willing,payer"


# ---------------------------------------------------------------- building instances


def method(id_: str, s: float, pi: float, *, arrangement_cost: float = 0, member_fee: float = 0) -> str:
    return f"{id_},{id_},{s},{arrangement_cost},0,0,{pi},{member_fee},2,0,0,0"


DELEGATION = method("delegation", 1, 0.5, arrangement_cost=1_000_000)
JOINT_BODY = method("joint_body", 0.5, 0.9, arrangement_cost=1_000_000)
AGREEMENT = method("agreement", 0.1, 0.5, arrangement_cost=2_000_000)

# category `other` allows every method we use; `wide_area` forbids delegation (L2)
COMPATIBILITY = [
    "other,delegation,1", "other,joint_body,1", "other,agreement,1",
    "wide_area,delegation,0", "wide_area,joint_body,1", "wide_area,agreement,1",
]


def task(id_: str, *, category: str = "other", core: int = 0, fee_ratio: str = "") -> str:
    return f"{id_},{category},10000000,1000,1,{core},{fee_ratio},"


def muni(id_: str, role: str, population: int, *, can_host: int | None = None, day_night: str = "") -> str:
    host = (1 if role == "central" else 0) if can_host is None else can_host
    return f"{id_},{role},{host},{population},,{day_night},0,,,"


def write_instance(folder: Path, *, municipalities, tasks, rows, methods, reach=None, current=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)

    def put(name: str, header: str, lines: list[str]) -> None:
        text = header + "\n" + "\n".join(textwrap.dedent(line).strip() for line in lines) + "\n"
        (folder / name).write_text(text, encoding="utf-8")

    put("municipalities.csv", MUNI_HEADER, municipalities)
    put("tasks.csv", TASK_HEADER, tasks)
    put("instance.csv", ROW_HEADER, rows)
    put("methods.csv", METHOD_HEADER, methods)
    put("compatibility.csv", "category,method,allowed", COMPATIBILITY)
    if reach is not None:
        put("reach.csv", "municipality,hub", reach)
    if current is not None:
        put("current.csv", "task,method,hub,participants", current)
    return folder / "instance.csv"


def workshop(tmp_path: Path, *, current: list[str] | None = None, name: str = "W") -> Path:
    """The workshop instance W of the module docstring."""
    return write_instance(
        tmp_path / name,
        municipalities=[
            muni("Odawara", "central", 150_000, day_night="1.1"),
            muni("Minami", "central", 60_000, day_night="1.0"),
            muni("Kaisei", "town", 10_000),
            muni("Oi", "town", 5_000),
            muni("Hakone", "town", 3_000),
        ],
        tasks=[task("fire"), task("waste")],
        rows=[
            "fire,Odawara,2000,,,", "fire,Minami,1000,,,", "fire,Kaisei,500,,,", "fire,Oi,500,,,",
            "fire,Hakone,500,400000,,",
            "waste,Odawara,2000,,,", "waste,Minami,0,,0,", "waste,Kaisei,500,,,",
        ],
        methods=[DELEGATION, JOINT_BODY, AGREEMENT],
        reach=["Minami,Odawara", "Odawara,Minami", "Kaisei,Odawara", "Kaisei,Minami", "Oi,Odawara",
               "Hakone,Odawara", "Hakone,Minami"],
        current=current,
    )


def one_hub(tmp_path: Path, *, towns: list[str], methods: list[str], category: str = "other",
            current: list[str] | None = None, name: str = "H") -> Path:
    """A single hub, Odawara (fire volume 2,000, S 12,000,000), and the given town rows of `fire`."""
    munis = [muni("Odawara", "central", 150_000, day_night="1.1")]
    rows = ["fire,Odawara,2000,,,"]
    for line in towns:  # "Name,volume[,standalone_cost]"
        name_, volume, *standalone = line.split(",")
        munis.append(muni(name_, "town", 10_000))
        rows.append(f"fire,{name_},{volume},{standalone[0] if standalone else ''},,")
    return write_instance(tmp_path / name, municipalities=munis, tasks=[task("fire", category=category)],
                          rows=rows, methods=methods, current=current)


def merger_region(tmp_path: Path, name: str = "M") -> Path:
    """A (120,000) and B (90,000): neither has core-city powers; merged they have 210,000.

    core: a 中核市 affair (core_city_affair = 1), rows A 2,000, B 1,000, C 500.
    T:    an ordinary task, rows A 2,000 with standalone_cost 5,000,000, B 1,000, C 500.
    current.csv: T by delegation at A with A;C.
    """
    return write_instance(
        tmp_path / name,
        municipalities=[
            muni("A", "central", 120_000, day_night="1.2"),
            muni("B", "central", 90_000, day_night="0.8"),
            muni("C", "town", 10_000),
        ],
        tasks=[task("core", core=1), task("T")],
        rows=["core,A,2000,,,", "core,B,1000,,,", "core,C,500,,,",
              "T,A,2000,5000000,,", "T,B,1000,,,", "T,C,500,,,"],
        methods=[method("delegation", 1, 0.5)],
        current=["T,delegation,A,A;C"],
    )


# ---------------------------------------------------------------- running and reading


def invoke(args: list[str]):
    return CliRunner().invoke(allocate, english([str(a) for a in args]), catch_exceptions=False)


def solve(path: Path, out: Path, *args) -> "Run":
    result = invoke([path, "--out", out, *args])
    assert result.exit_code == 0, result.output
    return Run(out, result)


class Run:
    def __init__(self, out: Path, result):
        self.out, self.result = out, result

    @property
    def output(self) -> str:
        return self.result.output

    def summary(self) -> list[dict]:
        return read_csv(self.out / "summary.csv")

    def savings(self, option: int = 1) -> int:
        return int(next(r for r in self.summary() if r["option"] == str(option))["total_savings"])

    def options(self) -> list[int]:
        return [int(r["option"]) for r in self.summary() if r["option"] != "0"]

    def arrangements(self, option: int = 1) -> list[dict]:
        return [r for r in read_csv(self.out / "arrangements.csv") if r["option"] == str(option)]

    def plan(self, option: int = 1) -> set[tuple[str, str, str, str]]:
        """{(task, method, hub, participants)} of an option; participants ;-joined and sorted."""
        return {(r["task"], r["method"], r["hub"], ";".join(sorted(r["participants"].split(";"))))
                for r in self.arrangements(option)}

    def choices(self, option: int = 1) -> set[tuple[str, str, str]]:
        return {(r["task"], r["method"], r["hub"]) for r in self.arrangements(option)}

    def document(self) -> dict:
        return json.loads((self.out / "run.json").read_text(encoding="utf-8"))


def members(*names: str) -> str:
    return ";".join(sorted(names))


W_FIRE = ("fire", "delegation", "Odawara", members("Odawara", "Minami", "Kaisei", "Oi"))
W_WASTE = ("waste", "delegation", "Odawara", members("Odawara", "Kaisei"))


# ---------------------------------------------------------------- 1. each what-if changes the plan


def test_the_workshop_optimum_by_hand(tmp_path):
    run = solve(workshop(tmp_path), tmp_path / "out")
    assert run.plan() == {W_FIRE, W_WASTE}
    assert run.savings() == 38_000_000


def test_burden_cap_decides_who_joins(tmp_path):
    """Members pay nothing (π 0): the hub carries c·V of each member it takes in.

    {Odawara, Kaisei}: burden = 10.5M − 10M = 500,000, savings 10,000,000
    {Odawara, Oi}:     burden = 10.8M − 10M = 800,000, savings 10,000,000
    all three:         burden = 21.3M − 20M = 1,300,000, savings 20,000,000
    """
    path = one_hub(tmp_path, towns=["Kaisei,500", "Oi,800"], methods=[method("delegation", 1, 0)])
    default = solve(path, tmp_path / "cap0")  # cap 0
    assert default.plan() == set() and default.savings() == 0
    some = solve(path, tmp_path / "cap600k", "--burden-cap", "600000")
    assert some.plan() == {("fire", "delegation", "Odawara", members("Odawara", "Kaisei"))}
    assert some.savings() == 10_000_000
    every = solve(path, tmp_path / "cap2m", "--burden-cap", "2000000")
    assert every.plan() == {("fire", "delegation", "Odawara", members("Odawara", "Kaisei", "Oi"))}
    assert every.savings() == 20_000_000
    hub = next(r for r in read_csv(every.out / "ledger.csv") if r["municipality"] == "Odawara")
    assert int(hub["net_burden"]) == 1_300_000 and int(hub["burden_cap"]) == 2_000_000


def test_force_a_method_without_a_hub(tmp_path):
    """--force fire=joint_body: joint_body at Odawara with all four, 0.5·30M − 1M = 14,000,000.

    (joint_body {Minami, Kaisei} 4M + delegation {Odawara, Oi} 9M = 13M is worse.)
    """
    run = solve(workshop(tmp_path), tmp_path / "out", "--force", "fire=joint_body")
    assert run.plan() == {("fire", "joint_body", "Odawara", members("Odawara", "Minami", "Kaisei", "Oi")), W_WASTE}
    assert run.savings() == 14_000_000 + 9_000_000


def test_force_a_method_at_a_hub(tmp_path):
    """--force fire=delegation@Minami: Oi cannot reach Minami and stays alone;
    Odawara joins Minami's arrangement as a member (and still leads waste).

    {Minami, Odawara, Kaisei}: 33.5M − 13.5M − 1M = 19,000,000
    ({Minami, Kaisei} 9M + {Odawara, Oi} 9M = 18M is worse.)
    """
    run = solve(workshop(tmp_path), tmp_path / "out", "--force", "fire=delegation@Minami")
    assert run.plan() == {("fire", "delegation", "Minami", members("Minami", "Odawara", "Kaisei")), W_WASTE}
    assert run.savings() == 19_000_000 + 9_000_000


def test_forbid_one_task_method(tmp_path):
    """--forbid fire=delegation: fire moves to joint_body (14M); waste keeps delegation."""
    run = solve(workshop(tmp_path), tmp_path / "out", "--forbid", "fire=delegation")
    assert run.plan() == {("fire", "joint_body", "Odawara", members("Odawara", "Minami", "Kaisei", "Oi")), W_WASTE}
    assert run.savings() == 23_000_000


def test_forbid_method_everywhere(tmp_path):
    """--forbid-method delegation: both tasks move to joint_body: 14M + (0.5·10M − 1M) = 18,000,000."""
    run = solve(workshop(tmp_path), tmp_path / "out", "--forbid-method", "delegation")
    assert run.plan() == {
        ("fire", "joint_body", "Odawara", members("Odawara", "Minami", "Kaisei", "Oi")),
        ("waste", "joint_body", "Odawara", members("Odawara", "Kaisei")),
    }
    assert run.savings() == 18_000_000


def test_exclude_a_town(tmp_path):
    """--exclude Kaisei: fire without Kaisei (33.5M − 13.5M − 1M = 19M); waste has no partner left."""
    run = solve(workshop(tmp_path), tmp_path / "out", "--exclude", "Kaisei")
    assert run.plan() == {("fire", "delegation", "Odawara", members("Odawara", "Minami", "Oi"))}
    assert run.savings() == 19_000_000
    participation = read_csv(run.out / "participation.csv")
    assert all(r["method"] == "" for r in participation if r["municipality"] == "Kaisei")


def test_require_a_town_that_would_rather_stay_out(tmp_path):
    """--require fire:Hakone: Hakone joins fire although it costs the region 100,000 (0.4M − 0.5M)."""
    base = solve(workshop(tmp_path), tmp_path / "base")
    assert not any("Hakone" in p for *_, p in base.plan())
    run = solve(workshop(tmp_path), tmp_path / "out", "--require", "fire:Hakone")
    assert run.plan() == {("fire", "delegation", "Odawara", members("Odawara", "Minami", "Kaisei", "Oi", "Hakone")), W_WASTE}
    assert run.savings() == 38_000_000 - 100_000


def test_fee_ratio_moves_the_burden_to_the_hub(tmp_path):
    """delegation π 0.5 in methods.csv: all three join (burden 0.5·21.3M − 20M < 0).

    --fee-ratio delegation=0.06: a member keeps 94 % of its standalone cost, the hub carries it:
      all three: 0.94·21.3M − 20M = +22,000 > 0 (cap 0)  ✗
      {Odawara, Kaisei}: 0.94·10.5M − 10M = −130,000      ✓  payments_in 0.06·10.5M = 630,000
      {Odawara, Oi}:     0.94·10.8M − 10M = +152,000      ✗
    --fee-ratio delegation=0: every arrangement burdens the hub; nothing is shared.
    """
    path = one_hub(tmp_path, towns=["Kaisei,500", "Oi,800"], methods=[method("delegation", 1, 0.5)])
    base = solve(path, tmp_path / "base")
    assert base.plan() == {("fire", "delegation", "Odawara", members("Odawara", "Kaisei", "Oi"))}
    assert int(base.arrangements()[0]["payments_in"]) == 10_650_000
    low = solve(path, tmp_path / "low", "--fee-ratio", "delegation=0.06")
    assert low.plan() == {("fire", "delegation", "Odawara", members("Odawara", "Kaisei"))}
    assert int(low.arrangements()[0]["payments_in"]) == 630_000
    assert low.savings() == 10_000_000
    zero = solve(path, tmp_path / "zero", "--fee-ratio", "delegation=0")
    assert zero.plan() == set()


def test_min_town_saving_drops_the_town_that_saves_too_little(tmp_path):
    """delegation π 0.5 with a member_fee of 2,000,000:
    Kaisei (S 10.5M) saves 5.25M − 2M = 3.25M = 30.95 %; Yamakita (vol 10,000, S 20M) saves 8M = 40 %.
    Base: all three (ΣS 42.5M − g(12,500) 22.5M = 20M). --min-town-saving 0.35: Kaisei drops (10M).
    """
    path = one_hub(tmp_path, towns=["Kaisei,500", "Yamakita,10000"],
                   methods=[method("delegation", 1, 0.5, member_fee=2_000_000)])
    base = solve(path, tmp_path / "base")
    assert base.plan() == {("fire", "delegation", "Odawara", members("Odawara", "Kaisei", "Yamakita"))}
    assert base.savings() == 20_000_000
    run = solve(path, tmp_path / "out", "--min-town-saving", "0.35")
    assert run.plan() == {("fire", "delegation", "Odawara", members("Odawara", "Yamakita"))}
    assert run.savings() == 10_000_000


def test_max_arrangements_keeps_the_best_one(tmp_path):
    """--max-arrangements 1: fire (29M) stays, waste (9M) goes."""
    run = solve(workshop(tmp_path), tmp_path / "out", "--max-arrangements", "1")
    assert run.plan() == {W_FIRE}
    assert run.savings() == 29_000_000


def test_keep_current_keeps_the_arrangement_in_force(tmp_path):
    """current.csv: fire by joint_body at Minami with Minami;Kaisei.

    Without --keep-current the optimum dissolves it (38M). With it, joint_body stays at
    Minami with Kaisei (0.5·10M − 1M = 4M) and Odawara takes Oi by delegation (9M):
    4 + 9 + waste 9 = 22,000,000 (Odawara joining Minami's joint_body, 9M, is worse).
    """
    path = workshop(tmp_path, current=["fire,joint_body,Minami,Minami;Kaisei"])
    free = solve(path, tmp_path / "free")
    assert free.plan() == {W_FIRE, W_WASTE}
    assert free.plan(0) == {("fire", "joint_body", "Minami", members("Minami", "Kaisei"))}  # status quo
    kept = solve(path, tmp_path / "kept", "--keep-current")
    assert kept.plan() == {
        ("fire", "joint_body", "Minami", members("Minami", "Kaisei")),
        ("fire", "delegation", "Odawara", members("Odawara", "Oi")),
        W_WASTE,
    }
    assert kept.savings() == 22_000_000


def test_merge_lets_the_merged_city_lead_a_core_city_affair(tmp_path):
    """Neither A (120,000) nor B (90,000) may lead `core` (L3); AB (210,000) may.

    After --merge A+B=AB: core at AB with C: S_AB = g(3,000) = 13M, + 10.5M − g(3,500) 13.5M = 10M.
    """
    path = merger_region(tmp_path)
    before = solve(path, tmp_path / "before")
    assert not any(t == "core" for t, *_ in before.plan())
    after = solve(path, tmp_path / "after", "--merge", "A+B=AB")
    assert ("core", "delegation", "AB", members("AB", "C")) in after.plan()
    assert not any({"A", "B"} & set(p.split(";")) for *_, p in after.plan())
    assert "merge A and B into AB: 210,000 people, with core-city powers" in after.output


def test_a_whatif_file_gives_the_same_plan_as_the_command_line(tmp_path):
    """Three what-ifs: fire at Minami (19M), no delegation for waste (joint_body 4M), at most 2."""
    path = workshop(tmp_path)
    scenario = tmp_path / "scenario.csv"
    scenario.write_text("what_if,argument\nforce,fire=delegation@Minami\nforbid,waste=delegation\n"
                        "max-arrangements,2\n", encoding="utf-8")
    from_file = solve(path, tmp_path / "file", "--whatif", scenario)
    typed = solve(path, tmp_path / "typed", "--force", "fire=delegation@Minami", "--forbid", "waste=delegation",
                  "--max-arrangements", "2")
    expected = {("fire", "delegation", "Minami", members("Minami", "Odawara", "Kaisei")),
                ("waste", "joint_body", "Odawara", members("Odawara", "Kaisei"))}
    assert from_file.plan() == typed.plan() == expected
    assert from_file.savings() == typed.savings() == 23_000_000
    for name in ("arrangements.csv", "participation.csv", "ledger.csv"):
        assert (from_file.out / name).read_bytes() == (typed.out / name).read_bytes(), name
    kinds = lambda run: sorted((w["what_if"], w["argument"]) for w in run.document()["what_ifs"])
    assert kinds(from_file) == kinds(typed)
    assert {w["source"] for w in from_file.document()["what_ifs"]} == {"scenario.csv row 2", "scenario.csv row 3", "scenario.csv row 4"}


def test_every_what_if_is_echoed_in_the_terminal_and_in_run_json(tmp_path):
    path = workshop(tmp_path, current=["fire,joint_body,Minami,Minami;Kaisei"])
    given = [
        ("merge", "Kaisei+Oi=KaiseiOi", "merge Kaisei and Oi into KaiseiOi"),
        ("exclude", "Hakone", "Hakone stays out of every arrangement"),
        ("burden-cap", "50000000", "(50,000,000 yen) for hubs without their own"),
        ("force", "waste=delegation@Odawara", "waste must be shared by delegation led by Odawara"),
        ("forbid", "fire=agreement", "fire may not use agreement"),
        ("forbid-method", "agreement", "no arrangement may use agreement"),
        ("require", "fire:Minami", "Minami must take part in fire"),
        ("fee-ratio", "joint_body=0.8", "members pay 80% of their standalone cost under joint_body"),
        ("min-town-saving", "0.05", "every member saves at least 5%"),
        ("max-arrangements", "3", "at most 3 arrangements"),
        ("keep-current", None, "the arrangements in force stay"),
    ]
    args = []
    for kind, argument, _ in given:
        args += [f"--{kind}"] + ([argument] if argument is not None else [])
    run = solve(path, tmp_path / "out", *args)
    echoed = [line for line in run.output.splitlines() if line.startswith("what-if:")]
    for kind, _, words in given:
        assert any(words in line for line in echoed), (kind, echoed)
    recorded = run.document()["what_ifs"]
    assert sorted(w["what_if"] for w in recorded) == sorted(kind for kind, _, _ in given)
    for kind, argument, _ in given:
        (w,) = [w for w in recorded if w["what_if"] == kind]
        assert w["source"] == "command line"
        if argument is not None and kind not in ("burden-cap", "min-town-saving"):
            assert w["argument"] == argument
        elif argument is not None:
            assert float(w["argument"]) == float(argument)
    # the merged city replaced its parts; the arrangement in force was kept
    assert ("fire", "joint_body", "Minami") in run.choices()
    assert not any({"Kaisei", "Oi", "Hakone"} & set(p.split(";")) for *_, p in run.plan())


@pytest.mark.parametrize("args, typo, suggestion", [
    (["--force", "fier=delegation"], "fier", "fire"),
    (["--forbid", "fire=delegaton"], "delegaton", "delegation"),
    (["--forbid-method", "joint_bdy"], "joint_bdy", "joint_body"),
    (["--exclude", "Kaisie"], "Kaisie", "Kaisei"),
    (["--require", "waste:Odawra"], "Odawra", "Odawara"),
    (["--force", "fire=delegation@Minamii"], "Minamii", "Minami"),
])
def test_a_misspelt_name_is_refused_with_the_closest_valid_one(tmp_path, args, typo, suggestion):
    out = tmp_path / "out"
    result = invoke([workshop(tmp_path), "--out", out, *args])
    assert result.exit_code == 2, result.output
    assert typo in result.output and "did you mean" in result.output and suggestion in result.output
    assert not out.exists()  # bad input: no partial output


def test_a_misspelt_what_if_in_a_file_is_refused(tmp_path):
    scenario = tmp_path / "scenario.csv"
    scenario.write_text("what_if,argument\nexlude,Kaisei\n", encoding="utf-8")
    result = invoke([workshop(tmp_path), "--out", tmp_path / "out", "--whatif", scenario])
    assert result.exit_code == 2
    assert "row 2" in result.output and "did you mean exclude" in result.output


# ---------------------------------------------------------------- 2. merge semantics


def test_merge_semantics_by_hand(tmp_path):
    from kouiki.load import load
    from kouiki.model.legal import legal_choices
    from kouiki.scenario import Scenario
    from kouiki.whatif import WhatIf, apply, merge

    instance = load(str(merger_region(tmp_path)))
    assert not instance.municipalities["A"].core_city_powers and not instance.municipalities["B"].core_city_powers
    before, _ = legal_choices(instance, Scenario())
    assert not any(c.task == "core" for c in before)  # L3: no hub could lead the 中核市 affair

    merged = merge(instance, "A", "B", "AB")
    city = merged.municipalities["AB"]
    assert "A" not in merged.municipalities and "B" not in merged.municipalities
    assert city.population == 210_000
    assert city.core_city is None and city.core_city_powers  # auto: 210,000 ≥ 200,000
    assert city.role == "central" and city.can_host
    # day/night ratio weighted by population: (1.2·120,000 + 0.8·90,000) / 210,000 = 216,000 / 210,000
    assert city.day_night_ratio == pytest.approx(216_000 / 210_000)
    # core: volumes 2,000 + 1,000 = 3,000, no standalone_cost given → recomputed on the curve:
    #   g(3,000) = 10,000,000 + 1,000·3,000 = 13,000,000 (not 12M + 11M = 23M)
    row = merged.rows[("core", "AB")]
    assert row.volume == 3_000 and row.standalone_cost is None
    assert merged.standalone("core", "AB") == pytest.approx(13_000_000)
    # T: A's row gave standalone_cost 5,000,000, B's had none (g(1,000) = 11,000,000): they add up
    assert merged.rows[("T", "AB")].volume == 3_000
    assert merged.standalone("T", "AB") == pytest.approx(16_000_000)
    assert not any(j in ("A", "B") for (_, j) in merged.rows)
    assert merged.rows[("core", "C")] == instance.rows[("core", "C")]
    # current.csv rewritten to the new name
    (current,) = merged.current
    assert (current.task, current.method, current.hub, current.participants) == ("T", "delegation", "AB", ("AB", "C"))
    # the merged city can lead the core-city affair
    after, _ = legal_choices(merged, Scenario())
    assert any(c.key == ("core", "delegation", "AB") and c.members == ("C",) for c in after)

    # apply gives the same instance and says it in words
    applied, scenario, said = apply(instance, Scenario(), [WhatIf("merge", "A+B=AB", "test")])
    assert applied.municipalities == merged.municipalities and applied.rows == merged.rows
    assert applied.current == merged.current
    assert said[0].render("en") == "merge A and B into AB: 210,000 people, with core-city powers"

    from kouiki.pipeline import optimise
    from kouiki.solvers.highs import SolverSettings

    plan = {(a.task, a.method, a.hub, a.participants) for a in optimise(applied, scenario, SolverSettings()).evaluation.plan}
    # core: 13M + 10.5M − g(3,500) = 10M; T: 16M + 10.5M − 13.5M = 13M
    assert {(t, m, h, tuple(sorted(p))) for t, m, h, p in plan} == {
        ("core", "delegation", "AB", ("AB", "C")), ("T", "delegation", "AB", ("AB", "C"))}


def test_merge_without_a_name_and_explicit_core_city(tmp_path):
    """A+B without =NEW gets a name; an explicit core_city = 0 on both sides stays 0."""
    from kouiki.load import load
    from kouiki.scenario import Scenario
    from kouiki.whatif import WhatIf, apply

    path = merger_region(tmp_path)
    text = (path.parent / "municipalities.csv").read_text(encoding="utf-8")
    text = text.replace("A,central,1,120000,,", "A,central,1,120000,0,").replace("B,central,1,90000,,", "B,central,1,90000,0,")
    (path.parent / "municipalities.csv").write_text(text, encoding="utf-8")
    instance = load(str(path))
    applied, _, said = apply(instance, Scenario(), [WhatIf("merge", "A+B", "test")])
    (new,) = set(applied.municipalities) - {"C"}
    assert applied.municipalities[new].population == 210_000
    assert not applied.municipalities[new].core_city_powers
    assert "without core-city powers" in said[0].render("en")


# ---------------------------------------------------------------- 3. options


def option_sets(run: Run) -> dict[int, set]:
    return {k: run.choices(k) for k in run.options()}


def test_ranked_options_differ_by_at_least_d_and_never_improve(tmp_path):
    """--ranked: today's next-best plans in order (issue 14 keeps them available)."""
    path = workshop(tmp_path)
    plain = solve(path, tmp_path / "plain")
    run = solve(path, tmp_path / "options", "--options", "4", "--min-difference", "2", "--ranked")
    summary = [r for r in run.summary() if r["option"] != "0"]
    assert [int(r["option"]) for r in summary] == [1, 2, 3, 4]
    sets = option_sets(run)
    for k in range(2, 5):
        for earlier in range(1, k):
            assert len(sets[k] ^ sets[earlier]) >= 2, (k, earlier, sets[k], sets[earlier])
    savings = [int(r["total_savings"]) for r in summary]
    assert all(a >= b for a, b in zip(savings, savings[1:])), savings
    # option 1 is the plain run's optimum
    strip = lambda rows: [{k: v for k, v in r.items() if k != "option"} for r in rows]
    assert strip(run.arrangements(1)) == strip(plain.arrangements(1))
    assert savings[0] == plain.savings() == 38_000_000
    assert summary[0]["percent_of_best"] == "100.00"
    for r in summary[1:]:
        assert float(r["percent_of_best"]) == pytest.approx(100 * int(r["total_savings"]) / savings[0], abs=0.01)
        assert r["choices_vs_option_1"]  # says what changed


def test_slack_keeps_every_option_near_the_best(tmp_path):
    """Two hubs with rows and full reach, delegation (s 1) and substitution (s 0.98): many near-ties."""
    path = write_instance(
        tmp_path / "O",
        municipalities=[muni("Odawara", "central", 150_000), muni("Minami", "central", 60_000),
                        muni("Kaisei", "town", 10_000), muni("Oi", "town", 5_000)],
        tasks=[task("fire"), task("waste")],
        rows=[f"{t},{j},{v},,," for t in ("fire", "waste") for j, v in
              (("Odawara", 2000), ("Minami", 1000), ("Kaisei", 500), ("Oi", 500))],
        methods=[DELEGATION, method("substitution", 0.98, 0.5, arrangement_cost=1_000_000), JOINT_BODY],
    )
    run = solve(path, tmp_path / "out", "--options", "4", "--slack", "0.05", "--ranked")
    summary = [r for r in run.summary() if r["option"] != "0"]
    assert len(summary) == 4
    best = int(summary[0]["total_savings"])
    for r in summary:
        assert int(r["total_savings"]) >= 0.95 * best - 1
    sets = option_sets(run)
    assert len({frozenset(s) for s in sets.values()}) == 4  # distinct choice sets
    # joint_body (s 0.5) saves far less than 95 % of the best: never offered
    assert not any(m == "joint_body" for s in sets.values() for _, m, _ in s)


def test_asking_for_more_options_than_exist(tmp_path):
    """One task, one hub, one method: the plans differ only in 'shared or not' (two choice sets)."""
    path = one_hub(tmp_path, towns=["Kaisei,500", "Oi,800"], methods=[method("delegation", 1, 0.5)])
    run = solve(path, tmp_path / "out", "--options", "5", "--ranked")
    assert run.options() == [1, 2]
    assert run.choices(1) == {("fire", "delegation", "Odawara")} and run.choices(2) == set()
    assert "note: only 2 option(s)" in run.output
    assert run.document()["options_found"] == 2 and run.document()["notes"]


# ---------------------------------------------------------------- 4. sweep


def test_sweep_writes_the_tradeoff_curve(tmp_path):
    """π 0: the hub's burden is 500,000 with Kaisei, 1,300,000 with both (test_burden_cap_...)."""
    path = one_hub(tmp_path, towns=["Kaisei,500", "Oi,800"], methods=[method("delegation", 1, 0)])
    result = invoke([path, "--out", tmp_path / "wide", "--sweep", "burden-cap=0:200000000:3"])
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "wide" / "tradeoff.csv")
    assert [int(r["burden_cap"]) for r in rows] == [0, 100_000_000, 200_000_000]
    savings = [int(r["total_savings"]) for r in rows]
    assert savings == sorted(savings) and savings == [0, 20_000_000, 20_000_000]
    assert not (tmp_path / "wide" / "summary.csv").exists()

    result = invoke([path, "--out", tmp_path / "fine", "--sweep", "burden-cap=0:1400000:3"])
    assert result.exit_code == 0, result.output
    rows = read_csv(tmp_path / "fine" / "tradeoff.csv")
    assert [int(r["total_savings"]) for r in rows] == [0, 10_000_000, 20_000_000]
    assert [int(r["towns_joining"]) for r in rows] == [0, 1, 2]


# ---------------------------------------------------------------- 5. infeasible what-ifs, explained minimally


def wide_area_task(tmp_path):
    return one_hub(tmp_path, towns=["Kaisei,500", "Oi,500"], methods=[DELEGATION, JOINT_BODY], category="wide_area")


def l9_region(tmp_path):
    """Hakone does fire for 1,500,000 alone; under delegation it would pay 0.5·1.5M + 2M = 2,750,000."""
    return one_hub(tmp_path, towns=["Kaisei,500", "Yamakita,10000", "Hakone,500,1500000"],
                   methods=[method("delegation", 1, 0.5, member_fee=2_000_000)])


def kept_joint_body(tmp_path):
    """Odawara with Kaisei and Oi (500 each); joint_body at Odawara with Kaisei is in force.

    delegation all three: savings 33M − 13M − 1M = 19M, burden 0.5·21M − 19M = −8,500,000
    joint_body all three: savings 0.5·20M − 1M = 9M,   burden 0.1·21M − 9M  = −6,900,000
    So a cap of −8,000,000 needs delegation, which --keep-current rules out (L1: one method per hub).
    """
    return one_hub(tmp_path, towns=["Kaisei,500", "Oi,500"], methods=[DELEGATION, JOINT_BODY],
                   current=["fire,joint_body,Odawara,Odawara;Kaisei"])


def single_hub(tmp_path):
    return one_hub(tmp_path, towns=["Kaisei,500", "Oi,500"], methods=[DELEGATION, JOINT_BODY])


# (instance, the what-ifs passed as (option, value), those that must be named, text the explanation must cite)
# Each case also passes one what-if that plays no part in the conflict: a minimal explanation leaves it out.
# The first three are refused before any solve (the explanation cites the rule id); in the fourth the
# exclusion is cited inside the force's row. The tool prints a number argument with '{:g}' (`-8e+06`),
# which label_forms accepts besides the typed form.
INFEASIBLE = {
    "force at a hub without core-city powers": (
        merger_region, [("--force", "core=delegation@A"), ("--burden-cap", "1000000")], {"--force core=delegation@A"}, "(L3 "),
    "force a method the category forbids": (
        wide_area_task, [("--force", "fire=delegation"), ("--exclude", "Oi")], {"--force fire=delegation"}, "(L2 "),
    "require a town its payment would make worse off": (
        l9_region, [("--require", "fire:Hakone"), ("--max-arrangements", "1")], {"--require fire:Hakone"}, "(L9 "),
    "exclude the only hub and force an arrangement": (
        single_hub, [("--exclude", "Odawara"), ("--force", "fire=delegation")], {"--exclude Odawara", "--force fire=delegation"}, "--exclude Odawara"),
    "no arrangement allowed but one forced": (
        single_hub, [("--max-arrangements", "0"), ("--force", "fire=delegation"), ("--exclude", "Oi")],
        {"--max-arrangements 0", "--force fire=delegation"}, None),
    "negative cap and keeping a weaker arrangement": (
        kept_joint_body, [("--burden-cap=-8000000", None), ("--keep-current", None), ("--max-arrangements", "1")],
        {"--burden-cap=-8000000", "--keep-current"}, None),
    "two methods forced at the same single hub (L1)": (
        single_hub, [("--force", "fire=delegation@Odawara"), ("--force", "fire=joint_body@Odawara"), ("--min-town-saving", "0.05")],
        {"--force fire=delegation@Odawara", "--force fire=joint_body@Odawara"}, None),
}


def label_forms(option: str, value: str | None) -> list[str]:
    """How a what-if may be labelled: `--kind argument` as typed, or with the number as the tool prints it."""
    if value is None and "=" in option:
        option, value = option.split("=", 1)
    forms = [option if value is None else f"{option} {value}"]
    if value is not None:
        try:
            forms.append(f"{option} {float(value):g}")
        except ValueError:
            pass
    return forms


def canonical(what_if: tuple[str, str | None]) -> str:
    """The what-if as passed: `--kind argument`, or the one token `--kind=argument`."""
    option, value = what_if
    return option if value is None else f"{option} {value}"


def named_what_ifs(rows: list[dict], passed: list[tuple[str, str | None]]) -> set[str]:
    """The passed what-ifs that the explanation's `what-if` rows name (each row must name one)."""
    named = set()
    for row in rows:
        if row["rule"] != "what-if":
            continue
        text = row["explanation"].removeprefix("'")  # reports guard cells Excel would run as formulas
        hits = [p for p in passed for form in label_forms(*p)
                if text.startswith(form) and (len(text) == len(form) or text[len(form)] in " :(")]
        assert hits, f"a what-if row names nothing that was passed: {text!r}"
        named |= {canonical(p) for p in hits}
    return named


def argv(passed: list[tuple[str, str | None]]) -> list[str]:
    return [x for option, value in passed for x in ([option] if value is None else [option, value])]


@pytest.mark.parametrize("case", list(INFEASIBLE))
def test_an_infeasible_what_if_set_is_explained_minimally(tmp_path, case):
    build, passed, expected, cites = INFEASIBLE[case]
    path = build(tmp_path)
    out = tmp_path / "out"
    result = invoke([path, "--out", out, *argv(passed)])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == ["infeasibility.csv", "run.json"]
    rows = read_csv(out / "infeasibility.csv")
    named = named_what_ifs(rows, passed)
    assert named <= {canonical(p) for p in passed}
    assert named == expected, rows
    if cites:
        assert any(cites in r["explanation"] for r in rows), rows
    document = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert document["status"] == "infeasible" and len(document["what_ifs"]) == len(passed)
    assert "No plan satisfies every rule" in result.output
    # minimal: dropping any one named what-if (keeping every other) admits a plan
    for i, p in enumerate(passed):
        key = canonical(p)
        if key not in named:
            continue
        rest = passed[:i] + passed[i + 1:]
        again = invoke([path, "--out", tmp_path / f"without-{i}", *argv(rest)])
        assert again.exit_code == 0, (key, again.output)


def test_two_independent_conflicts_name_one_minimal_set_and_say_another_remains(tmp_path):
    """Neither A nor B has core-city powers, so each force is impossible on its own.
    No single what-if can be dropped to reach a plan; the explanation names one
    minimal conflict (one force) and says another conflict remains."""
    path = merger_region(tmp_path)
    passed = [("--force", "core=delegation@A"), ("--force", "core=delegation@B")]
    result = invoke([path, "--out", tmp_path / "out", *argv(passed)])
    assert result.exit_code == 1
    rows = read_csv(tmp_path / "out" / "infeasibility.csv")
    named = named_what_ifs(rows, passed)
    assert len(named) == 1
    assert any("another conflict remains" in row["explanation"] for row in rows)


def test_the_burden_cap_is_applied_as_typed(tmp_path):
    """π 0: the hub's burden with Kaisei is c·V = 1,000·123,456.9 = 123,456,900 yen,
    above a typed cap of 123,456,789 but below the rounded 123,457,000."""
    path = one_hub(tmp_path, towns=["Kaisei,123456.9"], methods=[method("delegation", 1, 0)])
    run = solve(path, tmp_path / "out", "--burden-cap", "123456789")
    assert run.document()["scenario"]["burden_cap"] == 123_456_789
    assert run.plan() == set()


def test_a_raised_cap_stays_applied_while_the_conflict_is_searched(tmp_path):
    """Dropping --burden-cap 1e8 would put the cap back to 0, which only tightens:
    the explanation must keep it applied and name the two what-ifs that conflict."""
    result = invoke(["kensei", "--out", tmp_path / "out", "--max-arrangements", "1",
                     "--burden-cap", "100000000", "--require", "ごみ焼却:箱根町"])
    assert result.exit_code == 1, result.output
    rows = read_csv(tmp_path / "out" / "infeasibility.csv")
    named = {row["explanation"].removeprefix("'").split(" (")[0] for row in rows if row["rule"] == "what-if"}
    assert named == {"--require ごみ焼却:箱根町", "--max-arrangements 1"}
    assert any("--burden-cap 100000000 applied" in row["explanation"] for row in rows)

"""Random small instances for cross-checking the MIP against tests/oracle.py.

write_random_instance(folder, seed) writes a complete, valid instance folder
(municipalities.csv, tasks.csv, instance.csv, methods.csv, compatibility.csv
and sometimes reach.csv) drawn with random.Random(seed), and returns the
CLI-like options to run it with: burden_cap, min_town_saving,
max_arrangements.

The shapes stay inside what the oracle can enumerate quickly: 2-4 parties
(at most 2 of them can host), 1-3 tasks, 2-4 methods.  The draws aim at the
edge cases of SPEC §5, §6 and §9: binding and negative caps, body costs shared
by two tasks, metro_agreement grants with hubs that meet L4 or not, core-city
affairs, willing 0 / must, explicit standalone costs, hubs without a row,
staff limits, reach.csv, the prefecture as a party.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

METHODS = [
    "agreement",
    "metro_agreement",
    "council",
    "joint_body",
    "delegation",
    "substitution",
    "association",
    "union",
    "voluntary",
]
LABELS_JA = {
    "agreement": "連携協約",
    "metro_agreement": "連携協約（連携中枢都市圏）",
    "council": "協議会",
    "joint_body": "機関等の共同設置",
    "delegation": "事務の委託",
    "substitution": "事務の代替執行",
    "association": "一部事務組合",
    "union": "広域連合",
    "voluntary": "任意協議会",
}
# SPEC §3 default compatibility, the starting point before random flips
DEFAULT_ALLOWED = {
    "wide_area": {"agreement", "metro_agreement", "council", "delegation", "voluntary"},
    "vitality": {"agreement", "metro_agreement", "voluntary"},
    "essential": {"joint_body", "delegation", "substitution", "association"},
    "core_service": {"delegation", "substitution"},
    "core_bulk": {"joint_body", "delegation"},
    "other": set(METHODS),
}
CATEGORIES = list(DEFAULT_ALLOWED)
# methods that bring a separate body (SPEC §2: paid once per hub and method)
BODY_METHODS = {"association", "union"}


def _cell(value) -> str:
    """Numbers as Python repr (no thousands separators), None as a blank."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return repr(value) if isinstance(value, float) else str(value)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(row.get(col)) for col in header])


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return low * (high / low) ** rng.random()


def _money(rng: random.Random, low: float, high: float) -> int:
    return int(round(_log_uniform(rng, low, high), -3))  # whole thousands of yen


def write_random_instance(folder: Path, seed: int) -> dict:
    """Write one random instance into folder; return its run options."""
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)

    # ---- parties -------------------------------------------------------
    n_local = rng.randint(2, 4)
    n_hosts = 1 if n_local == 2 or rng.random() < 0.4 else 2
    with_prefecture = n_local <= 3 and rng.random() < 0.35  # at most 4 parties in all
    wants_metro = rng.random() < 0.5

    municipalities = []
    for i in range(n_local):
        letter = "ABCD"[i]
        if i == 0:
            name, role, can_host = f"{letter}市", "central", None  # default: central hosts
        elif i == 1 and n_hosts == 2:
            if rng.random() < 0.6:
                name, role, can_host = f"{letter}市", "central", rng.choice([None, 1])
            else:  # a town that hosts (真鶴町 delegating to 湯河原町)
                name, role, can_host = f"{letter}町", "town", 1
        else:
            name, role, can_host = f"{letter}町", "town", rng.choice([None, None, 0])
        hosting = can_host == 1 or (can_host is None and role == "central")
        if hosting:
            population = rng.choice([rng.randint(40_000, 190_000), rng.randint(200_000, 450_000)])
        else:
            population = rng.randint(3_000, 60_000)
        core_city = rng.choice([None, None, "auto", 0, 1]) if hosting else rng.choice([None, 0])
        row = {
            "municipality": name,
            "role": role,
            "can_host": can_host,
            "population": population,
            "core_city": core_city,
            "day_night_ratio": rng.choice([None, round(rng.uniform(0.85, 1.2), 3)]),
            "in_three_metro_areas": rng.choice([None, 0, 1]),
            "metro_commute_share": rng.choice([None, round(rng.uniform(0.0, 0.2), 3)]),
            "burden_cap": None,
            "staff_capacity": None,
        }
        if hosting and wants_metro and i == 0:
            # make this hub meet L4 so metro_agreement is sometimes possible
            row.update(
                population=rng.randint(200_000, 450_000),
                core_city=rng.choice([None, 1]),
                day_night_ratio=round(rng.uniform(1.0, 1.2), 3),
                in_three_metro_areas=rng.choice([0, 1]),
                metro_commute_share=round(rng.uniform(0.0, 0.09), 3),
            )
        municipalities.append(row)
    if with_prefecture:
        municipalities.append(
            {
                "municipality": "県",
                "role": "prefecture",
                "can_host": 0,
                "population": rng.randint(1_000_000, 9_000_000),
            }
        )
    names = [r["municipality"] for r in municipalities]
    hosts = names[:n_hosts]

    # ---- methods -------------------------------------------------------
    pool = list(METHODS)
    chosen = []
    if wants_metro:
        chosen.append("metro_agreement")
    if rng.random() < 0.5:
        chosen.append(rng.choice(sorted(BODY_METHODS)))
    rng.shuffle(pool)
    target = rng.randint(2, 4)
    for m in pool:
        if len(chosen) >= target:
            break
        if m not in chosen:
            chosen.append(m)
    methods = []
    for m in chosen:
        loose = m in ("voluntary", "council", "agreement")
        methods.append(
            {
                "method": m,
                "label_ja": LABELS_JA[m],
                "scale_share": round(rng.uniform(0.1, 0.5) if loose else rng.uniform(0.6, 1.0), 3),
                "arrangement_cost": _money(rng, 1e5, 2e7),
                "member_cost": rng.choice([0, _money(rng, 1e5, 3e6)]),
                "body_cost": _money(rng, 1e6, 5e7) if m in BODY_METHODS else None,
                "fee_ratio": round(rng.uniform(0.05, 0.95), 3),
                "member_fee": rng.choice([None, 0, 0, _money(rng, 1e5, 3e6), _money(rng, 1e6, 2e7)]),
                "min_members": rng.choice([2, 2, 3] if len(names) >= 3 else [2, 2, 2, 3]),
                "prefecture_may_join": 1 if m == "union" else rng.choice([None, 0, 0, 1]),
                "grant_hub": _money(rng, 1e7, 2e8) if m == "metro_agreement" else None,
                "grant_member": _money(rng, 1e6, 2e7) if m == "metro_agreement" else None,
            }
        )

    # ---- compatibility: every (category, method) pair, mostly SPEC §3 ----
    compatibility = []
    for category in CATEGORIES:
        for m in METHODS:
            allowed = m in DEFAULT_ALLOWED[category]
            if rng.random() < 0.1:
                allowed = not allowed
            compatibility.append({"category": category, "method": m, "allowed": int(allowed)})
    usable = set(chosen)

    # ---- tasks ---------------------------------------------------------
    tasks = []
    n_tasks = rng.randint(1, 3)
    big_hub = any(
        r["municipality"] in hosts
        and (r["core_city"] == 1 or (r["core_city"] in (None, "auto") and r["population"] >= 200_000))
        for r in municipalities
    )
    for k in range(n_tasks):
        # prefer categories where many chosen methods are allowed, so that
        # most instances have real choices; now and then any category
        weights = [
            1 + 3 * sum(
                row["allowed"] and row["method"] in usable
                for row in compatibility
                if row["category"] == c
            )
            for c in CATEGORIES
        ]
        if rng.random() < 0.9:
            category = rng.choices(CATEGORIES, weights=weights)[0]
        else:
            category = rng.choice(CATEGORIES)
        core_affair = (category.startswith("core") and rng.random() < 0.6) or rng.random() < 0.1
        if core_affair and not big_hub and rng.random() < 0.7:
            # give the first hub core-city powers so the affair can be shared
            municipalities[0]["population"] = rng.randint(200_000, 450_000)
            municipalities[0]["core_city"] = rng.choice([None, 1])
            big_hub = True
        tasks.append(
            {
                "task": f"t{k + 1}",
                "category": category,
                "fixed_cost": _money(rng, 1e6, 2e8),
                "unit_cost": round(_log_uniform(rng, 10, 5e3), 1),
                "scale_elasticity": rng.choice([None, 1, round(rng.uniform(0.5, 0.95), 3)])
                if rng.random() < 0.5
                else round(rng.uniform(0.5, 0.95), 3),
                "core_city_affair": int(core_affair) if core_affair or rng.random() < 0.5 else None,
                "fee_ratio": rng.choice([None, None, None, round(rng.uniform(0.3, 1.0), 3)]),
                "staff_per_unit": rng.choice([None, None, round(_log_uniform(rng, 1e-4, 1e-2), 5)]),
            }
        )

    # ---- instance rows -------------------------------------------------
    rows = []
    for task in tasks:
        task_rows = []
        for name in names:
            is_hub = name in hosts
            is_prefecture = name == "県"
            p_row = 0.85 if is_hub else (0.4 if is_prefecture else 0.9)
            if rng.random() >= p_row:
                continue  # a hub without a row still may lead
            volume = round(_log_uniform(rng, 1e2, 1e5), rng.choice([0, 1]))
            if rng.random() < 0.2:  # an explicit standalone cost near g_t(volume)
                b = task["scale_elasticity"] or 1
                g = task["fixed_cost"] + task["unit_cost"] * volume**b
                standalone = int(round(g * rng.uniform(0.7, 1.4)))
            else:
                standalone = None
            draw = rng.random()
            willing = "0" if draw < 0.05 else ("must" if draw < 0.12 else rng.choice([None, 1]))
            # payer only moves money in reports; L9 still judges the member
            prefecture_pays = with_prefecture and task["core_city_affair"] and not is_hub
            payer = "県" if prefecture_pays and rng.random() < 0.5 else None
            task_rows.append(
                {
                    "task": task["task"],
                    "municipality": name,
                    "volume": volume,
                    "standalone_cost": standalone,
                    "willing": willing,
                    "payer": payer,
                }
            )
        if not task_rows:  # a task needs at least one row
            task_rows.append(
                {"task": task["task"], "municipality": names[-1], "volume": 1000, "willing": None}
            )
        rows += task_rows

    # ---- staff capacity and caps ----------------------------------------
    for r in municipalities:
        if r["municipality"] in hosts:
            if rng.random() < 0.3:
                r["staff_capacity"] = round(rng.uniform(1, 200), 1)
            if rng.random() < 0.25:
                r["burden_cap"] = rng.choice([0, -_money(rng, 1e5, 1e7), _money(rng, 1e5, 5e8)])
        elif rng.random() < 0.1:
            r["burden_cap"] = _money(rng, 1e5, 1e8)  # ignored: cannot host

    # ---- reach.csv -----------------------------------------------------
    reach = None
    if rng.random() < 0.25:
        reach = [
            {"municipality": j, "hub": h}
            for h in hosts
            for j in names
            if j != h and rng.random() < 0.7
        ]

    # ---- write ---------------------------------------------------------
    _write(
        folder / "municipalities.csv",
        [
            "municipality",
            "role",
            "can_host",
            "population",
            "core_city",
            "day_night_ratio",
            "in_three_metro_areas",
            "metro_commute_share",
            "burden_cap",
            "staff_capacity",
        ],
        municipalities,
    )
    _write(
        folder / "tasks.csv",
        [
            "task",
            "category",
            "fixed_cost",
            "unit_cost",
            "scale_elasticity",
            "core_city_affair",
            "fee_ratio",
            "staff_per_unit",
        ],
        tasks,
    )
    _write(
        folder / "instance.csv",
        ["task", "municipality", "volume", "standalone_cost", "willing", "payer"],
        rows,
    )
    _write(
        folder / "methods.csv",
        [
            "method",
            "label_ja",
            "scale_share",
            "arrangement_cost",
            "member_cost",
            "body_cost",
            "fee_ratio",
            "member_fee",
            "min_members",
            "prefecture_may_join",
            "grant_hub",
            "grant_member",
        ],
        methods,
    )
    _write(folder / "compatibility.csv", ["category", "method", "allowed"], compatibility)
    if reach is not None:
        _write(folder / "reach.csv", ["municipality", "hub"], reach)

    # ---- run options -----------------------------------------------------
    draw = rng.random()
    if draw < 0.35:
        burden_cap = 0.0
    elif draw < 0.75:
        burden_cap = float(_money(rng, 1e5, 5e7))
    elif draw < 0.9:
        burden_cap = 1e12  # effectively no cap
    else:
        burden_cap = -float(_money(rng, 1e5, 5e6))
    return {
        "burden_cap": burden_cap,
        "min_town_saving": rng.choice([0.0, 0.0, 0.0, round(rng.uniform(0.01, 0.2), 3)]),
        "max_arrangements": rng.choice([None, None, None, 1, 2]),
    }

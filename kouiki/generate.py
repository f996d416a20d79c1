"""Write synthetic instances shaped like Japan's municipalities (SPEC §4).

`generate(outdir, municipalities=…, tasks=…, hubs=…, seed=…)` writes
municipalities.csv, tasks.csv, instance.csv and reach.csv; methods.csv and
compatibility.csv are left out on purpose so the built-in tables apply.

Why synthetic instances: the seed case (10 parties, 24 tasks) is too small to
show how the MIP scales, and real data for 1,741 municipalities is not ours to
ship. The draws follow the shape of the real thing (log-normal populations,
unequal prefectures, a few large hubs, caps that bind for some hubs) so that
solve times and reports on them mean something.

Everything is deterministic for a seed. Each part (populations, tasks, rows,
…) draws from its own `random.Random` stream, so changing the number of tasks
does not reshuffle the municipalities. Only the standard library is used.
"""

from __future__ import annotations

import csv
import math
import random
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

PRESETS: dict[str, dict[str, int]] = {
    "prefecture": dict(municipalities=60, tasks=60, hubs=6, prefectures=1),
    "national": dict(municipalities=1741, tasks=100, hubs=80, prefectures=47),
}

# Populations: Japan's 1,741 municipalities have a median of about 24,000
# people; a log-normal with sigma 1.3 around it gives the observed spread from
# villages of a few hundred to cities of a few million (Yokohama ≈ 3.7 M).
POPULATION_MEDIAN = 24_000
POPULATION_SIGMA = 1.3
POPULATION_MIN = 200
POPULATION_MAX = 3_700_000
# A log-normal draw of 1,741 rarely reaches Yokohama's size; at national scale
# the largest municipality is set to it so the top of the distribution is real.
NATIONAL_SCALE = 1_000

# Prefecture sizes: 15 (Tottori) to 179 (Hokkaido) municipalities, 37 on
# average. A floor of 40 % of the mean plus log-normal shares gives that skew.
PREFECTURE_FLOOR = 0.4
PREFECTURE_SIGMA = 1.0
# Municipalities lie around their prefecture centre; kilometres, for reach only.
MAP_SIZE_KM = 1_500.0
KM_PER_SQRT_MUNICIPALITY = 8.0

# Task categories (SPEC §3) and how often each is drawn after the first six
# tasks, which cover every category once: shared facilities dominate.
CATEGORY_WEIGHTS = {
    "wide_area": 0.15,
    "vitality": 0.15,
    "essential": 0.30,
    "core_service": 0.12,
    "core_bulk": 0.12,
    "other": 0.16,
}
CORE_CATEGORIES = ("core_service", "core_bulk")
CORE_AFFAIR_SHARE = 0.7  # of core_* tasks, the share that are 中核市 affairs (rule L3)
# Yearly standalone cost of the task for a median municipality, yen (log-uniform
# range), and the fixed part's share of it. Facilities cost most and are mostly
# fixed cost; that fixed part is what pooling saves.
TYPICAL_COST = {
    "wide_area": (5e6, 5e7),
    "vitality": (5e6, 8e7),
    "essential": (3e7, 5e8),
    "core_service": (3e6, 5e7),
    "core_bulk": (3e6, 3e7),
    "other": (2e6, 1e8),
}
FIXED_SHARE = {"essential": (0.3, 0.6)}
FIXED_SHARE_DEFAULT = (0.2, 0.5)
# Workload per resident: from 1 (population served) down to rare cases.
VOLUME_SHARE = (0.002, 1.0)
VOLUME_NOISE_SIGMA = 0.25
ELASTIC_SHARE = 1 / 3  # tasks with economies in the variable part too (b < 1)
ELASTICITY = (0.6, 0.9)
# The built-in fee ratios (0.75–0.97 of the member's standalone cost) let a hub
# recover more than its costs, so a cap of 0 or more would never bind. Tasks
# with a low fee_ratio override are those where the central city carries the
# load (SPEC §1): they are what makes the caps below bind for some hubs.
FEE_OVERRIDE_SHARE = 0.3
FEE_RATIO = (0.2, 0.6)

COVERAGE = (0.85, 1.0)  # share of the tasks each municipality performs
UNWILLING_SHARE = 0.02  # rows marked willing = 0

# Hubs and the 連携中枢都市圏 conditions (rule L4): some hubs pass B and C,
# some fail B (day/night ratio < 1), some fail C (metro-area commuters).
METRO_PASS, METRO_FAIL_B = 0.4, 0.3  # the rest fail C
# Burden caps as a share of the hub's own standalone total: zero (the hub may
# not lose money), tight, or generous; so caps bind for some hubs, not all.
CAP_SHARES = ((0.0, 0.0), (0.005, 0.03), (0.2, 0.5))
REACH_HUBS = (1, 3)  # each municipality can join its 1–3 nearest hubs


@dataclass
class _Municipality:
    id: str
    prefecture: int
    population: int
    x: float
    y: float
    hub: bool = False


@dataclass
class _Task:
    id: str
    category: str
    fixed_cost: float
    unit_cost: float
    elasticity: float
    core_city_affair: bool
    fee_ratio: float | None
    volume_share: float

    def cost(self, volume: float) -> float:
        return self.fixed_cost + self.unit_cost * volume**self.elasticity if volume > 0 else 0.0


def _stream(seed: int, part: str) -> random.Random:
    """An independent, seeded stream per part, so parts do not shift each other."""
    return random.Random(f"kouiki.generate:{seed}:{part}")


def _decimal(value: float, significant: int = 4) -> str:
    """A plain decimal with a few significant digits: no exponent, no separators."""
    if value == 0:
        return "0"
    digits = max(0, significant - 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{digits}f}"


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split `total` into whole parts proportional to `weights` (Hamilton's method)."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    parts = [math.floor(e) for e in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _populations(rng: random.Random, n: int) -> list[int]:
    mu = math.log(POPULATION_MEDIAN)
    people = [min(POPULATION_MAX, max(POPULATION_MIN, round(math.exp(rng.gauss(mu, POPULATION_SIGMA))))) for _ in range(n)]
    if n >= NATIONAL_SCALE:
        people[max(range(n), key=people.__getitem__)] = POPULATION_MAX
    return people


def _prefecture_sizes(rng: random.Random, n: int, prefectures: int) -> list[int]:
    """Unequal prefecture sizes, each at least a floor (Japan: 15 to 179 of 1,741)."""
    if prefectures == 1:
        return [n]
    floor = max(1, int(PREFECTURE_FLOOR * n / prefectures))
    weights = [math.exp(rng.gauss(0, PREFECTURE_SIGMA)) for _ in range(prefectures)]
    return [floor + extra for extra in _largest_remainder(n - floor * prefectures, weights)]


def _hub_counts(sizes: list[int], hubs: int) -> list[int]:
    """At least one hub per prefecture, the rest in proportion to size."""
    counts = [1] * len(sizes)
    spare = hubs - len(sizes)
    while spare > 0:  # a small prefecture may be full; hand its share to the others
        room = [size - c for size, c in zip(sizes, counts)]
        extra = _largest_remainder(spare, [float(s) if r > 0 else 0.0 for s, r in zip(sizes, room)])
        for i, e in enumerate(extra):
            e = min(e, room[i])
            counts[i] += e
            spare -= e
    return counts


def _municipalities(seed: int, n: int, hubs: int, prefectures: int) -> list[_Municipality]:
    rng = _stream(seed, "municipalities")
    people = _populations(rng, n)
    sizes = _prefecture_sizes(rng, n, prefectures)
    result: list[_Municipality] = []
    start = 0
    for p, (size, hub_count) in enumerate(zip(sizes, _hub_counts(sizes, hubs))):
        cx, cy = (0.0, 0.0) if prefectures == 1 else (rng.uniform(0, MAP_SIZE_KM), rng.uniform(0, MAP_SIZE_KM))
        spread = KM_PER_SQRT_MUNICIPALITY * math.sqrt(size)
        members = []
        for k, population in enumerate(people[start : start + size], start=1):
            id_ = f"M{k:03d}" if prefectures == 1 else f"P{p + 1:02d}-M{k:03d}"
            members.append(_Municipality(id_, p, population, cx + rng.gauss(0, spread), cy + rng.gauss(0, spread)))
        # Hubs are the largest municipalities of the prefecture: the central cities.
        for m in sorted(members, key=lambda m: (-m.population, m.id))[:hub_count]:
            m.hub = True
        result.extend(members)
        start += size
    return result


def _tasks(seed: int, n: int) -> list[_Task]:
    rng = _stream(seed, "tasks")
    names = list(CATEGORY_WEIGHTS)
    categories = names[:n] + rng.choices(names, weights=list(CATEGORY_WEIGHTS.values()), k=max(0, n - len(names)))
    rng.shuffle(categories)
    elastic = set(rng.sample(range(n), round(n * ELASTIC_SHARE)))
    fee_override = set(rng.sample(range(n), max(1, round(n * FEE_OVERRIDE_SHARE))))
    tasks = []
    for i, category in enumerate(categories):
        low, high = TYPICAL_COST[category]
        typical = math.exp(rng.uniform(math.log(low), math.log(high)))
        fixed_share = rng.uniform(*FIXED_SHARE.get(category, FIXED_SHARE_DEFAULT))
        share = math.exp(rng.uniform(*map(math.log, VOLUME_SHARE)))
        b = round(rng.uniform(*ELASTICITY), 2) if i in elastic else 1.0
        # Calibrate so that g(V) of a median municipality is the typical cost.
        fixed = round(typical * fixed_share, -3)
        unit = float(_decimal(typical * (1 - fixed_share) / (POPULATION_MEDIAN * share) ** b))
        core = category in CORE_CATEGORIES and rng.random() < CORE_AFFAIR_SHARE
        fee = round(rng.uniform(*FEE_RATIO), 2) if i in fee_override else None
        tasks.append(_Task(f"T{i + 1:03d}", category, fixed, unit, b, core, fee, share))
    core_tasks = [t for t in tasks if t.category in CORE_CATEGORIES]
    if core_tasks and not any(t.core_city_affair for t in core_tasks):
        core_tasks[0].core_city_affair = True  # rule L3 should have something to bind on
    return tasks


def _rows(seed: int, munis: list[_Municipality], tasks: list[_Task]) -> list[tuple[str, str, float, str]]:
    """(task, municipality, volume, willing): most tasks everywhere, volume ∝ population."""
    rng = _stream(seed, "rows")
    coverage = [rng.uniform(*COVERAGE) for _ in munis]
    rows = []
    for task in tasks:
        first = len(rows)
        for m, p in zip(munis, coverage):
            if rng.random() >= p:
                continue
            volume = max(0.01, round(m.population * task.volume_share * math.exp(rng.gauss(0, VOLUME_NOISE_SIGMA)), 2))
            rows.append((task.id, m.id, volume, "0" if rng.random() < UNWILLING_SHARE else ""))
        if len(rows) == first:  # the loader refuses a task without rows
            m = max(munis, key=lambda m: (m.population, m.id))
            rows.append((task.id, m.id, max(0.01, round(m.population * task.volume_share, 2)), ""))
    return rows


def _hub_attributes(seed: int, munis: list[_Municipality], standalone: dict[str, float]) -> dict[str, tuple[str, str, str, str]]:
    """(day_night_ratio, in_three_metro_areas, metro_commute_share, burden_cap) per hub."""
    rng = _stream(seed, "hubs")
    hubs = sorted((m for m in munis if m.hub), key=lambda m: (-m.population, m.id))
    result = {}
    for rank, m in enumerate(hubs):
        # The largest hub passes L4 B and C, the second fails: metro_agreement is
        # then legal somewhere (if the largest has 200,000 people) and not everywhere.
        u = 0.0 if rank == 0 else 0.99 if rank == 1 else rng.random()
        if u < METRO_PASS:
            metro = (_decimal(rng.uniform(1.0, 1.25), 3), "0", "")
        elif u < METRO_PASS + METRO_FAIL_B:
            metro = (_decimal(rng.uniform(0.85, 0.99), 3), "0", "")
        else:
            metro = (_decimal(rng.uniform(1.0, 1.2), 3), "1", _decimal(rng.uniform(0.1, 0.3), 2))
        low, high = CAP_SHARES[rng.randrange(len(CAP_SHARES))]
        cap = round(rng.uniform(low, high) * standalone.get(m.id, 0.0), -3)
        result[m.id] = (*metro, f"{cap:.0f}")
    return result


def _reach(seed: int, munis: list[_Municipality]) -> list[tuple[str, str]]:
    """Each municipality may join its 1–3 nearest hubs of its own prefecture."""
    rng = _stream(seed, "reach")
    hubs_of: dict[int, list[_Municipality]] = {}
    for m in munis:
        if m.hub:
            hubs_of.setdefault(m.prefecture, []).append(m)
    pairs = []
    for m in munis:
        candidates = sorted(hubs_of[m.prefecture], key=lambda h: ((h.x - m.x) ** 2 + (h.y - m.y) ** 2, h.id))
        k = rng.randint(*REACH_HUBS)
        # A hub is its own nearest hub and reaches itself implicitly (SPEC §9),
        # so it gets rows only for the other hubs among its nearest.
        pairs.extend((m.id, h.id) for h in candidates[:k] if h is not m)
    return pairs


def _write(path: Path, header: list[str], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(outdir: Path, *, municipalities: int, tasks: int, hubs: int, seed: int, prefectures: int = 1) -> dict:
    """Write a synthetic instance folder at `outdir` and return a summary of it.

    The folder appears whole or not at all (it is written beside and renamed),
    and an existing non-empty folder is refused, never overwritten.
    """
    if municipalities < 1 or tasks < 1 or prefectures < 1:
        raise ValueError("municipalities, tasks and prefectures must each be at least 1")
    if prefectures > municipalities:
        raise ValueError(f"{prefectures} prefectures need at least as many municipalities (got {municipalities})")
    if not prefectures <= hubs <= municipalities:
        raise ValueError(f"hubs must be between {prefectures} (one per prefecture) and {municipalities} (every municipality); got {hubs}")
    outdir = Path(outdir)
    if outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir())):
        raise FileExistsError(f"{outdir} already exists and is not an empty folder; choose a new one")

    munis = _municipalities(seed, municipalities, hubs, prefectures)
    task_list = _tasks(seed, tasks)
    rows = _rows(seed, munis, task_list)
    by_id = {t.id: t for t in task_list}
    hub_ids = {m.id for m in munis if m.hub}
    standalone: dict[str, float] = {}
    for task, muni, volume, _ in rows:
        if muni in hub_ids:
            standalone[muni] = standalone.get(muni, 0.0) + by_id[task].cost(volume)
    hub_data = _hub_attributes(seed, munis, standalone)
    reach = _reach(seed, munis)

    outdir.parent.mkdir(parents=True, exist_ok=True)
    # mkdir (not tempfile.mkdtemp, which makes 0700 folders) so the umask applies.
    staging = outdir.parent / f".{outdir.name}.{uuid.uuid4().hex[:12]}.partial"
    staging.mkdir()
    try:
        _write(
            staging / "municipalities.csv",
            ["municipality", "role", "can_host", "population", "core_city", "day_night_ratio", "in_three_metro_areas", "metro_commute_share", "burden_cap"],
            (
                [m.id, "central", "1", m.population, "auto", *hub_data[m.id]] if m.hub else [m.id, "town", "0", m.population, "auto", "", "", "", ""]
                for m in munis
            ),
        )
        _write(
            staging / "tasks.csv",
            ["task", "category", "fixed_cost", "unit_cost", "scale_elasticity", "core_city_affair", "fee_ratio", "staff_per_unit", "label_en"],
            (
                [t.id, t.category, f"{t.fixed_cost:.0f}", _decimal(t.unit_cost), f"{t.elasticity:g}", int(t.core_city_affair), "" if t.fee_ratio is None else f"{t.fee_ratio:.2f}", "", f"Synthetic {t.category} task {t.id}"]
                for t in task_list
            ),
        )
        _write(staging / "instance.csv", ["task", "municipality", "volume", "standalone_cost", "willing"], ((t, m, f"{v:.2f}", "", w) for t, m, v, w in rows))
        _write(staging / "reach.csv", ["municipality", "hub"], reach)
        if outdir.exists():
            outdir.rmdir()  # empty, checked above
        staging.rename(outdir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    return {
        "outdir": str(outdir),
        "municipalities": len(munis),
        "tasks": len(task_list),
        "prefectures": prefectures,
        "hubs": len(hub_ids),
        "hub_ids": sorted(hub_ids),
        "rows": len(rows),
        "reach_rows": len(reach),
        "seed": seed,
    }

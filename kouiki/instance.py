"""The instance as frozen, typed tables (SPEC §2–§4), and the cost curve of §5."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Mapping

# Local Autonomy Act thresholds (SPEC §6, L3/L4): a 中核市 needs 200,000 people
# (地方自治法 Art. 252-22), and the 連携中枢都市 guideline (総務省, 2014) asks for a
# day/night population ratio of at least 1.0 and, inside the three metropolitan
# areas, less than 10 % commuting to a designated city or the 23 wards.
CORE_CITY_POPULATION = 200_000
DAY_NIGHT_THRESHOLD = 1.0
METRO_COMMUTE_LIMIT = 0.1

WILLING, UNWILLING, MUST = "1", "0", "must"


@dataclass(frozen=True)
class Method:
    id: str
    label_ja: str
    label_en: str
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


@dataclass(frozen=True)
class Task:
    id: str
    category: str
    fixed_cost: float
    unit_cost: float
    scale_elasticity: float
    core_city_affair: bool
    fee_ratio: float | None
    staff_per_unit: float
    label_ja: str
    label_en: str

    def cost(self, volume: float) -> float:
        """g_t(V) = fixed_cost + unit_cost · V^b for V > 0, and g_t(0) = 0."""
        if volume <= 0:
            return 0.0
        return self.fixed_cost + self.unit_cost * volume**self.scale_elasticity


@dataclass(frozen=True)
class Municipality:
    id: str
    role: str  # central / town / prefecture
    can_host: bool
    population: int
    core_city: bool | None  # None: auto, decided by population
    day_night_ratio: float | None
    in_three_metro_areas: bool
    metro_commute_share: float | None
    burden_cap: float | None
    staff_capacity: float | None
    label_en: str

    @property
    def core_city_powers(self) -> bool:
        if self.core_city is not None:
            return self.core_city
        return self.population >= CORE_CITY_POPULATION


@dataclass(frozen=True)
class Row:
    """One (task, municipality) line of instance.csv."""

    task: str
    municipality: str
    volume: float
    standalone_cost: float | None  # as given; None means g_t(volume)
    willing: str  # "1", "0" or "must"
    payer: str | None


@dataclass(frozen=True)
class CurrentArrangement:
    task: str
    method: str
    hub: str
    participants: tuple[str, ...]
    row: int  # row in current.csv, for messages


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Instance:
    name: str
    path: str  # the file or folder the user named
    methods: Mapping[str, Method]
    compatibility: frozenset[tuple[str, str]]  # allowed (category, method)
    tasks: Mapping[str, Task]
    municipalities: Mapping[str, Municipality]
    rows: Mapping[tuple[str, str], Row]
    reach: frozenset[tuple[str, str]] | None  # (municipality, hub); None: all
    current: tuple[CurrentArrangement, ...] = ()
    files: Mapping[str, str] = field(default_factory=dict)  # file → encoding used
    checksum: str = ""
    # S[t,j] once computed (the heuristics ask for it hundreds of thousands of times);
    # not an init field, so dataclasses.replace (a merger) starts a fresh one
    _standalone: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        for name in ("methods", "tasks", "municipalities", "rows", "files"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def standalone(self, task: str, municipality: str) -> float:
        """S[t,j]: the row's standalone_cost if given, else g_t(volume); 0 without a row."""
        known = self._standalone.get((task, municipality))
        if known is not None:
            return known
        row = self.rows.get((task, municipality))
        if row is None:
            value = 0.0
        elif row.standalone_cost is not None:
            value = row.standalone_cost
        else:
            value = self.tasks[task].cost(row.volume)
        self._standalone[(task, municipality)] = value
        return value

    def volume(self, task: str, municipality: str) -> float:
        row = self.rows.get((task, municipality))
        return row.volume if row is not None else 0.0

    def reaches(self, municipality: str, hub: str) -> bool:
        """SPEC §9: a hub always reaches itself; otherwise reach.csv decides."""
        if municipality == hub or self.reach is None:
            return True
        return (municipality, hub) in self.reach

    def hubs(self) -> list[str]:
        return [j for j, mu in self.municipalities.items() if mu.can_host]

    # Reports list municipalities and tasks in the user's own order (municipalities.csv,
    # tasks.csv), never by the code points of their names (STYLE).
    @cached_property
    def _ranks(self) -> tuple[dict, dict]:
        return ({t: i for i, t in enumerate(self.tasks)}, {j: i for i, j in enumerate(self.municipalities)})

    def task_rank(self, task: str) -> tuple[int, str]:
        return (self._ranks[0].get(task, len(self._ranks[0])), task)

    def municipality_rank(self, municipality: str) -> tuple[int, str]:
        return (self._ranks[1].get(municipality, len(self._ranks[1])), municipality)

    def in_order(self, municipalities) -> list[str]:
        """Municipalities in the order of municipalities.csv."""
        return sorted(municipalities, key=self.municipality_rank)

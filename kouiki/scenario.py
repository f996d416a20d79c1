"""The user's what-ifs and settings that shape one run (SPEC §6–§7)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from kouiki.instance import Instance


@dataclass(frozen=True)
class Scenario:
    burden_cap: float = 0.0  # for hubs whose municipalities.csv row has none
    min_town_saving: float = 0.0  # L9: each member saves at least this share
    max_arrangements: int | None = None  # L10
    fee_ratio: Mapping[str, float] = field(default_factory=dict)  # method → π
    objective: str = "savings"  # "regional" adds grants to the objective
    day_night_threshold: float = 1.0  # L4(B)
    # workshop what-ifs (kouiki/whatif.py turns the user's words into these)
    forced: tuple[tuple[str, str, str | None], ...] = ()  # (task, method, hub or None)
    forbidden: frozenset[tuple[str, str]] = frozenset()  # (task, method)
    forbidden_methods: frozenset[str] = frozenset()
    required: frozenset[tuple[str, str]] = frozenset()  # (task, municipality) must take part
    keep_current: bool = False  # the arrangements in force may not be dissolved
    excluded: frozenset[str] = frozenset()  # municipalities that stay out of everything

    def __post_init__(self):
        object.__setattr__(self, "fee_ratio", MappingProxyType(dict(self.fee_ratio)))

    def cap(self, instance: Instance, hub: str) -> float:
        own = instance.municipalities[hub].burden_cap
        return self.burden_cap if own is None else own

    def payment_ratio(self, instance: Instance, task: str, method: str) -> float:
        """π[t,m]: the what-if's ratio, else the task's, else the method's (SPEC §5)."""
        if method in self.fee_ratio:
            return self.fee_ratio[method]
        own = instance.tasks[task].fee_ratio
        return own if own is not None else instance.methods[method].fee_ratio

    def payment(self, instance: Instance, task: str, method: str, member: str) -> float:
        """What member j ≠ hub pays: π·S[t,j] + member_fee_m."""
        ratio = self.payment_ratio(instance, task, method)
        return ratio * instance.standalone(task, member) + instance.methods[method].member_fee

    def as_dict(self) -> dict:
        return {
            "burden_cap": self.burden_cap,
            "min_town_saving": self.min_town_saving,
            "max_arrangements": self.max_arrangements,
            "fee_ratio": dict(sorted(self.fee_ratio.items())),
            "objective": self.objective,
            "day_night_threshold": self.day_night_threshold,
            "forced": [list(f) for f in self.forced],
            "forbidden": sorted(list(f) for f in self.forbidden),
            "forbidden_methods": sorted(self.forbidden_methods),
            "required": sorted(list(r) for r in self.required),
            "keep_current": self.keep_current,
            "excluded": sorted(self.excluded),
        }

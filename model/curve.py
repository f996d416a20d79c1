"""Piecewise-linear chords of the concave cost curve g_t(V) = F + c·V^b (SPEC §5).

Between two breakpoints the chord lies below the concave curve, so the model
underestimates cost: its optimum is an upper bound on the true savings. The
solve loop evaluates the plan exactly and, where a used pooled volume is not
a breakpoint and the chord's error matters, adds it as a breakpoint and solves
again (the chord is exact at its breakpoints). Breakpoints are first spaced so
that the chord's error stays within `tolerance` of g at every volume.
"""

from __future__ import annotations

import math

from kouiki.instance import Task


def chord_error(task: Task, a: float, c: float) -> float:
    """Largest (g − chord)/g on [a, c]; the chord joins g's values at a and c."""
    b = task.scale_elasticity
    if b >= 1 or task.unit_cost == 0 or c <= a:
        return 0.0
    slope = (c**b - a**b) / (c - a)
    if slope <= 0:
        return 0.0  # b so small that V^b is flat to machine precision: the chord is exact
    # g − chord is largest where the curve's slope equals the chord's: b·V^(b−1) = slope.
    try:
        v = (slope / b) ** (1 / (b - 1))
    except OverflowError:
        v = a
    v = min(max(v, a), c)
    curve = v**b
    chord = a**b + slope * (v - a)
    return task.unit_cost * (curve - chord) / (task.fixed_cost + task.unit_cost * curve)


def breakpoints(task: Task, low: float, high: float, tolerance: float) -> list[float]:
    """0, low, …, high: the chord between consecutive points is within `tolerance` of g.

    Pooled volumes strictly between 0 and `low` cannot occur (low is the
    smallest positive volume a participant brings), so the first chord may be long.
    """
    points = [0.0, low]
    if high <= low:
        return points
    if task.scale_elasticity >= 1 or task.unit_cost == 0:
        return [0.0, low, high] if high > low else points
    a = low
    while a < high:
        if chord_error(task, a, high) <= tolerance:
            points.append(high)
            break
        # the error grows with the end point: bisect (in log space) for the farthest one
        lo, hi = math.log(a), math.log(high)
        for _ in range(40):
            mid = (lo + hi) / 2
            if chord_error(task, a, math.exp(mid)) <= tolerance:
                lo = mid
            else:
                hi = mid
        nxt = math.exp(lo)
        if nxt <= a * (1 + 1e-12):
            nxt = min(high, a * (1 + 1e-6))
        points.append(nxt)
        a = nxt
    return points


def chord_value(task: Task, points: list[float], volume: float) -> float:
    """The piecewise-linear V^b through `points`, at `volume` (used to check refinement)."""
    b = task.scale_elasticity
    for left, right in zip(points, points[1:]):
        if left <= volume <= right:
            if right == left:
                return right**b
            share = (volume - left) / (right - left)
            return left**b + share * (right**b - left**b)
    return volume**b

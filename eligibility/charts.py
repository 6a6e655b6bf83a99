"""The dashboard's bar chart as plain geometry for an inline SVG (no script, no CDN): one bar per
month with its share, the 70% national reference line, and text a screen reader can read. The
data table under the chart carries the same figures."""

from __future__ import annotations

from dataclasses import dataclass

from eligibility.selectors import ShareRow

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 36
REFERENCE = 70.0


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    percent: float
    verified: int
    remote: int

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    reference_y: float
    ticks: list[tuple[float, int]]  # (y, percent)
    left: int
    right: int
    baseline: float


def _y(percent: float) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return round(TOP + plot * (1 - percent / 100.0), 1)


def share_chart(rows: list[ShareRow]) -> Chart:
    """Months in order (several regions' rows of one month are summed)."""
    months: dict[str, tuple[int, int]] = {}
    for row in rows:
        key = row.month.strftime("%Y-%m")
        verified, remote = months.get(key, (0, 0))
        months[key] = (verified + row.verified, remote + row.remote)
    count = max(1, len(months))
    slot = (WIDTH - LEFT - RIGHT) / count
    bars = []
    for index, (label, (verified, remote)) in enumerate(sorted(months.items())):
        percent = round(100.0 * remote / verified, 1) if verified else 0.0
        top = _y(percent)
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=top,
                width=round(slot * 0.7, 1),
                height=round(_y(0) - top, 1),
                label=label,
                percent=percent,
                verified=verified,
                remote=remote,
            )
        )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        reference_y=_y(REFERENCE),
        ticks=[(_y(p), p) for p in (0, 25, 50, 75, 100)],
        left=LEFT,
        right=WIDTH - RIGHT,
        baseline=_y(0),
    )

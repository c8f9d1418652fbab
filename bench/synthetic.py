"""Seeded generator of realistic fairs (buyers, suppliers at home tables) as `Instance` objects.

Presets: two-sided one-day fairs of 200, 500, 1100 and 3000 participants; "cocontracting" (suppliers also
wish each other, exhibitors meet away from their tables); "convention" (two days, four sessions, home and
shared tables) and "convention-same-side" (the same with 10 % of wishes within a side).
Usage: python -m bench.synthetic --size 1100 --seed 1 -o FILE.json
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import sys
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path
from zoneinfo import ZoneInfo

from solver.instance import Instance, Participant, Slot, Wish

TIMEZONE = "Europe/Paris"
FAIR_DAY = (2027, 3, 18)  # a Thursday in March: CET, UTC+01:00
SLOT_MINUTES, STEP_MINUTES = 20, 25
PRIORITIES = ((10, 0.20), (3, 0.45), (1, 0.35))  # incontournable, souhaité, si possible (spec section 4)


@dataclass(frozen=True)
class FairShape:
    """The size parameters of a synthetic fair."""

    buyers: int
    suppliers: int
    wishes: int
    slots: int
    one_session_share: float = 0.0  # share of participants present for one session (one day) only
    zipf: float = 0.9  # popularity exponent of the wished side
    mutual_share: float = 0.25  # share of buyer wishes that answer a supplier's wish
    days: int = 1  # each day has a morning and an afternoon session
    exhibitors: int | None = None  # suppliers with a home table (the first ones); None: all
    shared_tables: int = 0  # tables nobody owns, beside the home tables
    same_side: tuple[float, float] = (0.0, 0.0)  # shares of wishes buyer-buyer and supplier-supplier
    away_meetings: str = "none"


SIZES: dict[int, FairShape] = {
    200: FairShape(buyers=180, suppliers=20, wishes=1_400, slots=16),
    500: FairShape(buyers=450, suppliers=50, wishes=3_600, slots=18),
    1100: FairShape(buyers=1_000, suppliers=100, wishes=8_000, slots=20),  # SO EKO
    3000: FairShape(buyers=2_700, suppliers=300, wishes=30_000, slots=24, one_session_share=0.25),
}
CONVENTION = FairShape(
    buyers=2_400, suppliers=600, wishes=24_000, slots=48, one_session_share=0.25, days=2, exhibitors=300,
    shared_tables=200,
)  # fmt: skip
SHAPES: dict[str, FairShape] = {
    # Co-contracting: 30 % of wishes between suppliers, 100 exhibitors at home tables and 60 shared tables.
    "cocontracting": FairShape(
        buyers=300, suppliers=200, wishes=3_000, slots=32, days=2, exhibitors=100, shared_tables=60,
        same_side=(0.0, 0.30), away_meetings="home-or-shared",
    ),
    "convention": CONVENTION,
    "convention-same-side": replace(CONVENTION, same_side=(0.05, 0.05), away_meetings="home-or-shared"),
}  # fmt: skip


def make_slots(n: int, days: int = 1) -> tuple[Slot, ...]:
    """Return n slots over the days, each day a morning ending by 13:00 (from 09:00 at the latest) and an
    afternoon from 14:00; sessions are "am"/"pm" on one day, "d1-am" ... on several."""
    per_day = n // days
    slots: list[Slot] = []
    for day in range(days):
        count = per_day if day < days - 1 else n - per_day * (days - 1)
        prefix = f"d{day + 1}-" if days > 1 else ""
        slots += _day_slots(count, FAIR_DAY[:2] + (FAIR_DAY[2] + day,), prefix)
    return tuple(slots)


def _day_slots(n: int, date: tuple[int, int, int], prefix: str) -> list[Slot]:
    """Return one day's n slots: a morning session and an afternoon session."""
    tz = ZoneInfo(TIMEZONE)
    am = (n + 1) // 2
    morning = min(
        datetime(*date, 9, 0, tzinfo=tz),
        datetime(*date, 13, 0, tzinfo=tz) - timedelta(minutes=am * STEP_MINUTES),
    )
    afternoon = max(datetime(*date, 14, 0, tzinfo=tz), morning + timedelta(minutes=am * STEP_MINUTES + 60))
    slots = []
    for i in range(n):
        session, k, base = ("am", i, morning) if i < am else ("pm", i - am, afternoon)
        start = base + timedelta(minutes=k * STEP_MINUTES)
        end = start + timedelta(minutes=SLOT_MINUTES)
        slots.append(
            Slot(f"{prefix}{session}-{k + 1:02d}", start.isoformat(), end.isoformat(), prefix + session)
        )
    return slots


def zipf_weights(rng: random.Random, n: int, exponent: float) -> list[float]:
    """Return popularity weights 1/rank^s for n items in a random rank order."""
    ranks = list(range(1, n + 1))
    rng.shuffle(ranks)
    return [1.0 / r**exponent for r in ranks]


def unavailable_slots(rng: random.Random, slots: tuple[Slot, ...], one_session: bool) -> tuple[str, ...]:
    """Draw a participant's unavailable slots: about 10 % (5-15 %) on average, sometimes a whole session."""
    n = len(slots)
    ids = [s.id for s in slots]
    gone: set[str] = set()
    if one_session:
        days = sorted({str(s.session).split("-")[0] for s in slots if "-" in str(s.session)})
        away = rng.choice(days or ["am", "pm"])  # one day of several, or one session of a one-day fair
        gone.update(s.id for s in slots if str(s.session).startswith(away) or s.session == away)
    k = rng.choice((0, 0, 1, 1, 2, 2, 3, 4)) * n // 20 + rng.choice((0, 1))
    if rng.random() < 0.5:  # late arrival or early departure: a block at either end
        gone.update(ids[:k] if rng.random() < 0.5 else ids[n - k :])
    else:
        gone.update(rng.sample(ids, k))
    return tuple(i for i in ids if i in gone)


def make_participants(rng: random.Random, shape: FairShape, slots: tuple[Slot, ...]) -> list[Participant]:
    """Return the buyers (no table, a meeting cap) then the suppliers (exhibitors with their home table)."""
    n = len(slots)
    people = []
    for i in range(shape.buyers):
        cap = rng.choice((None, n // 2, n // 2, (2 * n) // 3, (3 * n) // 4))
        away = unavailable_slots(rng, slots, rng.random() < shape.one_session_share)
        people.append(Participant(f"b{i + 1:04d}", "buyer", away, cap))
    for j in range(shape.suppliers):
        away = unavailable_slots(rng, slots, rng.random() < shape.one_session_share)
        cap = rng.choice((None, None, n - 2))
        home = f"T{j + 1:03d}" if shape.exhibitors is None or j < shape.exhibitors else None
        people.append(Participant(f"s{j + 1:03d}", "supplier", away, cap, 0, home))
    return people


def draw_wishes(rng: random.Random, shape: FairShape, buyers: list[str], suppliers: list[str]) -> list[Wish]:
    """Draw distinct wishes: Zipf popularity, mutual answers, priorities 10/3/1; then those within a side."""
    if shape.wishes > 2 * len(buyers) * len(suppliers):
        raise ValueError(
            f"{shape.wishes} wishes do not fit {len(buyers)} buyers x {len(suppliers)} suppliers"
        )
    buyer_pop = list(accumulate(zipf_weights(rng, len(buyers), shape.zipf)))
    supplier_pop = list(accumulate(zipf_weights(rng, len(suppliers), shape.zipf / 2)))
    buyer_activity = list(accumulate(rng.lognormvariate(0, 0.8) for _ in buyers))
    supplier_activity = list(accumulate(rng.lognormvariate(0, 0.5) for _ in suppliers))
    weights, probs = zip(*PRIORITIES, strict=True)
    seen: set[tuple[str, str]] = set()
    wishes: list[Wish] = []

    def pick(names: list[str], cum: list[float]) -> str:
        return names[bisect.bisect_left(cum, rng.random() * cum[-1])]

    def add(source: str, target: str) -> None:
        if (source, target) not in seen and len(wishes) < shape.wishes:
            seen.add((source, target))
            wishes.append(Wish(source, target, rng.choices(weights, probs)[0]))

    within = [round(shape.wishes * share) for share in shape.same_side]
    cross = shape.wishes - sum(within)
    supplier_target = cross * 55 // 100
    attempts = 0
    while len(wishes) < cross:
        attempts += 1
        if attempts > 50 * shape.wishes:
            raise ValueError("cannot draw that many distinct wishes")
        if len(wishes) < supplier_target:
            add(pick(suppliers, supplier_activity), pick(buyers, buyer_pop))
        elif rng.random() < shape.mutual_share:
            answered = wishes[rng.randrange(supplier_target)]
            add(answered.target, answered.source)
        else:
            add(pick(buyers, buyer_activity), pick(suppliers, supplier_pop))
    for count, names, activity, popularity in (
        (within[0], buyers, buyer_activity, buyer_pop),
        (within[1], suppliers, supplier_activity, supplier_pop),
    ):
        goal = len(wishes) + count
        for _ in range(50 * count):
            if len(wishes) >= goal:
                break
            source, target = pick(names, activity), pick(names, popularity)
            if source != target:
                add(source, target)
    return wishes


def with_min_meetings(people: list[Participant], wishes: list[Wish], n_slots: int) -> list[Participant]:
    """Ask two meetings of each supplier with at least eight wished partners and most slots free."""
    partners: dict[str, set[str]] = {}
    for w in wishes:
        partners.setdefault(w.source, set()).add(w.target)
        partners.setdefault(w.target, set()).add(w.source)
    out = []
    for p in people:
        if p.side == "supplier" and len(partners.get(p.id, ())) >= 8 and len(p.unavailable) <= n_slots // 2:
            p = Participant(p.id, p.side, p.unavailable, p.max_meetings, 2, p.table)
        out.append(p)
    return out


def generate(shape: FairShape, seed: int, name: str | None = None) -> Instance:
    """Return a synthetic fair of the given shape; the same seed always gives the same fair."""
    rng = random.Random(f"salon-synthetic/{seed}")
    slots = make_slots(shape.slots, shape.days)
    people = make_participants(rng, shape, slots)
    buyers = [p.id for p in people if p.side == "buyer"]
    suppliers = [p.id for p in people if p.side == "supplier"]
    wishes = draw_wishes(rng, shape, buyers, suppliers)
    people = with_min_meetings(people, wishes, shape.slots)
    shared = tuple(f"S{k + 1:03d}" for k in range(shape.shared_tables))
    return Instance(
        slots=slots,
        tables=tuple(p.table for p in people if p.table is not None) + shared,
        participants=tuple(people),
        wishes=tuple(wishes),
        objective=("coverage", "weight", "breaks"),
        max_break_spread=None,
        breaks_within="session",
        away_meetings=shape.away_meetings,
        name=name or f"synthetic-{shape.buyers + shape.suppliers}-s{seed}",
        timezone=TIMEZONE,
    )


def preset(text: str) -> int | str:
    """Read a preset's name from the command line: a size (an integer) or a shape's name."""
    if text.isdigit() and int(text) in SIZES:
        return int(text)
    if text in SHAPES:
        return text
    raise argparse.ArgumentTypeError(f"expected one of {sorted(SIZES)} or {sorted(SHAPES)}")


def make_fair(size: int | str, seed: int = 1) -> Instance:
    """Return a preset fair: a size (200, 500, 1100 or 3000 participants) or a shape's name (SHAPES)."""
    shape = SIZES.get(size) if isinstance(size, int) else SHAPES.get(size)
    if shape is None:
        raise ValueError(f"size must be one of {sorted(SIZES)} or {sorted(SHAPES)}, got {size!r}")
    return generate(shape, seed, name=f"synthetic-{size}-s{seed}")


def main(argv: list[str] | None = None) -> int:
    """Write one synthetic fair as a salon-instance/1 JSON file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=preset, default=1100, help=f"{sorted(SIZES)} or {sorted(SHAPES)}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    args = parser.parse_args(argv)
    from solver.instance import instance_to_dict

    text = json.dumps(instance_to_dict(make_fair(args.size, args.seed)), indent=1, ensure_ascii=False)
    if args.output is None:
        sys.stdout.write(text + "\n")
    else:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

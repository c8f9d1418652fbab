"""Seeded generator of realistic two-sided fairs (buyers, suppliers at home tables) as `Instance` objects.

Usage: python -m bench.synthetic --size 1100 --seed 1 -o FILE.json
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import sys
from dataclasses import dataclass
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
    one_session_share: float = 0.0  # share of participants present for one session only
    zipf: float = 0.9  # popularity exponent of the wished side
    mutual_share: float = 0.25  # share of buyer wishes that answer a supplier's wish


SIZES: dict[int, FairShape] = {
    200: FairShape(buyers=180, suppliers=20, wishes=1_400, slots=16),
    500: FairShape(buyers=450, suppliers=50, wishes=3_600, slots=18),
    1100: FairShape(buyers=1_000, suppliers=100, wishes=8_000, slots=20),  # SO EKO
    3000: FairShape(buyers=2_700, suppliers=300, wishes=30_000, slots=24, one_session_share=0.25),
}


def make_slots(n: int) -> tuple[Slot, ...]:
    """Return n slots in two sessions: a morning ending by 13:00 (from 09:00 at the latest), pm from 14:00."""
    tz = ZoneInfo(TIMEZONE)
    am = (n + 1) // 2
    morning = min(
        datetime(*FAIR_DAY, 9, 0, tzinfo=tz),
        datetime(*FAIR_DAY, 13, 0, tzinfo=tz) - timedelta(minutes=am * STEP_MINUTES),
    )
    afternoon = max(
        datetime(*FAIR_DAY, 14, 0, tzinfo=tz), morning + timedelta(minutes=am * STEP_MINUTES + 60)
    )
    slots = []
    for i in range(n):
        session, k, base = ("am", i, morning) if i < am else ("pm", i - am, afternoon)
        start = base + timedelta(minutes=k * STEP_MINUTES)
        end = start + timedelta(minutes=SLOT_MINUTES)
        sid = f"{session}-{k + 1:02d}"
        slots.append(Slot(sid, start.isoformat(), end.isoformat(), session))
    return tuple(slots)


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
        session = rng.choice(("am", "pm"))
        gone.update(s.id for s in slots if s.session == session)
    k = rng.choice((0, 0, 1, 1, 2, 2, 3, 4)) * n // 20 + rng.choice((0, 1))
    if rng.random() < 0.5:  # late arrival or early departure: a block at either end
        gone.update(ids[:k] if rng.random() < 0.5 else ids[n - k :])
    else:
        gone.update(rng.sample(ids, k))
    return tuple(i for i in ids if i in gone)


def make_participants(rng: random.Random, shape: FairShape, slots: tuple[Slot, ...]) -> list[Participant]:
    """Return the buyers (no table, a meeting cap) then the suppliers (each with its home table)."""
    n = len(slots)
    people = []
    for i in range(shape.buyers):
        cap = rng.choice((None, n // 2, n // 2, (2 * n) // 3, (3 * n) // 4))
        away = unavailable_slots(rng, slots, rng.random() < shape.one_session_share)
        people.append(Participant(f"b{i + 1:04d}", "buyer", away, cap))
    for j in range(shape.suppliers):
        away = unavailable_slots(rng, slots, rng.random() < shape.one_session_share)
        cap = rng.choice((None, None, n - 2))
        people.append(Participant(f"s{j + 1:03d}", "supplier", away, cap, 0, f"T{j + 1:03d}"))
    return people


def draw_wishes(rng: random.Random, shape: FairShape, buyers: list[str], suppliers: list[str]) -> list[Wish]:
    """Draw distinct wishes between the sides: Zipf popularity, mutual answers, priorities 10/3/1."""
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

    supplier_target = shape.wishes * 55 // 100
    attempts = 0
    while len(wishes) < shape.wishes:
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
    slots = make_slots(shape.slots)
    people = make_participants(rng, shape, slots)
    buyers = [p.id for p in people if p.side == "buyer"]
    suppliers = [p.id for p in people if p.side == "supplier"]
    wishes = draw_wishes(rng, shape, buyers, suppliers)
    people = with_min_meetings(people, wishes, shape.slots)
    return Instance(
        slots=slots,
        tables=tuple(p.table for p in people if p.table is not None),
        participants=tuple(people),
        wishes=tuple(wishes),
        objective=("coverage", "weight", "breaks"),
        max_break_spread=None,
        breaks_within="session",
        name=name or f"synthetic-{shape.buyers + shape.suppliers}-s{seed}",
        timezone=TIMEZONE,
    )


def make_fair(size: int, seed: int = 1) -> Instance:
    """Return the preset fair of a size (200, 500, 1100 or 3000 participants)."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {sorted(SIZES)}, got {size}")
    return generate(SIZES[size], seed, name=f"synthetic-{size}-s{seed}")


def main(argv: list[str] | None = None) -> int:
    """Write one synthetic fair as a salon-instance/1 JSON file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, choices=sorted(SIZES), default=1100)
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

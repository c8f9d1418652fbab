"""Pre-checks on `after` (precedence): cycles, and chains that run out of slots."""

from __future__ import annotations

from typing import TYPE_CHECKING

from solver.instance import Instance
from solver.schedule import Reason

if TYPE_CHECKING:
    from solver.model import Item


def find_cycle(inst: Instance) -> list[int] | None:
    """Return the mandatory meetings of one cycle in `after`, or None when there is none."""
    state = [0] * len(inst.meetings)  # 0 new, 1 on the stack, 2 done
    for root in range(len(inst.meetings)):
        if state[root]:
            continue
        path, stack = [root], [iter(inst.meetings[root].after)]
        state[root] = 1
        while stack:
            j = next(stack[-1], None)
            if j is None:
                state[path.pop()] = 2
                stack.pop()
            elif state[j] == 1:
                return path[path.index(j) :]
            elif state[j] == 0:
                state[j] = 1
                path.append(j)
                stack.append(iter(inst.meetings[j].after))
    return None


def _order(inst: Instance) -> list[int]:
    """Return the mandatory meetings so that each comes after every meeting in its `after`."""
    done: set[int] = set()
    out: list[int] = []
    for root in range(len(inst.meetings)):
        stack = [(root, False)]
        while stack:
            i, expanded = stack.pop()
            if i in done:
                continue
            if expanded:
                done.add(i)
                out.append(i)
                continue
            stack.append((i, True))
            stack.extend((j, False) for j in inst.meetings[i].after if j not in done)
    return out


def precedence_reasons(inst: Instance, items: list[Item]) -> list[Reason]:
    """Find cycles in `after`, and chains whose meetings cannot all fit, strictly ordered, in their slots."""
    cycle = find_cycle(inst)
    if cycle is not None:
        msg = "meetings " + " -> ".join(str(i) for i in cycle) + " must each come before the next, in a cycle"
        return [Reason("precedence", tuple(sorted(cycle)), msg)]
    slots = {it.mandatory: it.slots for it in items if it.mandatory is not None}
    earliest: dict[int, int] = {}
    cause: dict[int, int | None] = {}
    for i in _order(inst):
        floor, why = -1, None
        for j in inst.meetings[i].after:
            if j in earliest and earliest[j] >= floor:
                floor, why = earliest[j], j
        fits = [t for t in slots.get(i, ()) if t > floor]
        if not slots.get(i):
            continue
        if not fits:
            chain = [i]
            while why is not None:
                chain.append(why)
                why = cause[why]
            msg = "meetings " + " -> ".join(str(c) for c in reversed(chain)) + " cannot be held in this order"
            return [Reason("precedence", tuple(sorted(chain)), msg)]
        earliest[i], cause[i] = min(fits), why
    return []

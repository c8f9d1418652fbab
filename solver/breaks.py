"""The breaks stage's main search: questions "at most L breaks?", then an optimising search.

After the probe (solver/probe.py) the lower bound L is proved and a schedule may be hinted. Each question
"is there a schedule with at most L breaks?" is a race (solver/race.py) of searches with one worker each
(see ask): no_lp, the plain search that finds the probe's schedules and refutes forum-13crafb's bound, the
same told that at most L participants have a break, and max_lp, whose linear relaxation refutes bounds
below tic-13crafc's optimum at once. A schedule at L is
optimal, since L is proved; a refutation proves L + 1 and asks again. The answer, and so the stage, does not
depend on the machine's load. When a question stays open, CP-SAT's portfolio (core-guided and max_lp
workers, first-solution search and LNS) optimises from the best hint until the stage's end; that last
resort is not deterministic, and is needed only when the questions fail.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model

from solver.hint import add_greedy_hint
from solver.model import Model
from solver.race import Lane, Race
from solver.search import FOUND, Run, Settings, search

QUESTION_DTIME = 10.0  # deterministic time of each search of a question
QUESTIONS_DTIME = 40.0  # of all the questions of a stage
FIRST_DTIME = 10.0  # a first schedule, when there is no complete hint
MAX_GAP = 3  # questions asked only when the hint is at most this far above the bound (a close gap)
REFUTED = "refuted"
ANSWERERS = (
    Settings(params=(("linearization_level", 0),)),
    Settings(params=(("linearization_level", 2),)),
)


@dataclass
class StageEnd:
    """How a stage ended: CP-SAT status, the solution's values, its value and the proved bound."""

    status: Any
    values: list[int] | None = None
    value: int | None = None
    bound: int | None = None


def breaks_stage(
    m: Model, run: Run, info: dict[str, Any], bounds: tuple[int, int | None], dtime: float
) -> StageEnd:
    """Minimise breaks (m's objective, already set) within dtime, from a proved lower bound and the hint's
    value (None when unknown): questions first when the gap is small, then the portfolio.

    Without a complete hint, a first schedule is searched for first, so that the stage has one to return
    even when the time limit cuts the questions short.
    """
    start, (bound, upper) = run.dtime, bounds
    hinted = _hinted(m)
    if hinted is not None and hinted[m.terms["breaks"].index] <= bound:  # the hint meets the proved bound
        return StageEnd(cp_model.OPTIMAL, hinted, hinted[m.terms["breaks"].index], bound)
    first = _first_schedule(m, run) if upper is None else None
    if first is not None:
        upper = first.value
    questions: list[dict[str, Any]] = []
    limit = bound + MAX_GAP if upper is None else min(upper - 1, bound + MAX_GAP)
    while bound <= limit and run.dtime - start < min(QUESTIONS_DTIME, dtime) and not run.cancelled:
        answer = ask(m, run, bound, min(QUESTION_DTIME, dtime - (run.dtime - start)))
        questions.append({"at_most": bound, "answer": "open" if answer is None else answer[0]})
        if answer is None:
            break
        if answer[0] == "found":
            run.questions = questions
            return StageEnd(cp_model.OPTIMAL, answer[1], bound, bound)
        bound += 1
        m.cp.add(m.terms["breaks"] >= bound)
    run.questions = questions
    end = _optimise(m, run, info, bound, dtime - (run.dtime - start))
    if end.values is None and hinted is not None:  # the time limit cut the portfolio short
        end = StageEnd(cp_model.FEASIBLE, hinted, hinted[m.terms["breaks"].index])
    if end.values is None and first is not None:
        end = first
    if end.values is not None:
        end.bound = bound if end.bound is None else max(bound, end.bound)
    return end


def _hinted(m: Model) -> list[int] | None:
    """Return the values of m's hint when it hints every variable in order (a full solution)."""
    hint = m.cp.proto.solution_hint
    count = len(m.cp.proto.variables)
    if len(hint.vars) != count or list(hint.vars) != list(range(count)):
        return None
    return list(hint.values)


def _first_schedule(m: Model, run: Run) -> StageEnd | None:
    """Find a first schedule (no_lp, one worker) and hint it; None when none is found in FIRST_DTIME."""
    fm = replace(m, cp=m.cp.clone())
    fm.cp.clear_objective()
    status, solver = search(fm, run, ANSWERERS[0].with_dtime(FIRST_DTIME))
    if status not in FOUND:
        return None
    values = list(solver.response_proto.solution)
    m.cp.clear_hints()
    m.cp.proto.solution_hint.vars.extend(range(len(values)))
    m.cp.proto.solution_hint.values.extend(values)
    return StageEnd(cp_model.FEASIBLE, values, values[m.terms["breaks"].index])


def ask(m: Model, run: Run, bound: int, dtime: float) -> tuple[str, Any] | None:
    """Ask whether a schedule has at most `bound` breaks: ("found", values), (REFUTED, None) or None.

    Three searches race, one worker each: no_lp, no_lp told that at most `bound` participants have a break
    (which then each keep a window: ticf-13crafb's optimum in seconds, where plain no_lp finds nothing), and
    max_lp. The first two answer either way, max_lp only refutes (a schedule it finds counts when nobody
    concludes): a refutation rules every other search out, a schedule rules max_lp out.
    """

    def answerer(settings: Settings, finds: bool, few_broken: bool) -> Any:
        def plan(lane: Lane) -> Any:
            qm = replace(m, cp=m.cp.clone())
            qm.cp.clear_objective()
            qm.cp.add(qm.terms["breaks"] <= bound)
            if few_broken:
                qm.cp.add(
                    sum(qm.cp.get_bool_var_from_proto_index(b.index) for b in m.broken.values()) <= bound
                )
            add_greedy_hint(qm)  # a schedule far above the bound, hinted, leads the search astray
            status, solver = lane.search(qm, settings.with_dtime(dtime))
            if status in FOUND:
                found = ("found", list(solver.response_proto.solution))
                if finds:
                    return found
                lane.result = found
            return (REFUTED, None) if status == cp_model.INFEASIBLE else None

        return plan

    no_lp, max_lp = ANSWERERS
    lanes = [Lane(answerer(no_lp, True, False))]
    if run.workers > 1:
        lanes += [Lane(answerer(no_lp, True, True)), Lane(answerer(max_lp, False, False))]
    refuter = lanes[-1]

    def excludes(outcome: tuple[str, Any], lane: Lane) -> bool:
        return outcome[0] == REFUTED or lane is refuter

    winner = Race(run, lanes, excludes=excludes).winner()
    if winner is not None:
        return winner.outcome  # type: ignore[no-any-return]
    return refuter.result if len(lanes) > 1 else None


def _optimise(m: Model, run: Run, info: dict[str, Any], bound: int, dtime: float) -> StageEnd:
    """Optimise from the hint with CP-SAT's portfolio until the stage's end; the last resort."""
    subsolvers = ("core", "max_lp") if run.workers >= 2 else ()
    settings = Settings(
        dtime, max(run.workers, len(subsolvers) + 1), subsolvers, (("core_minimization_level", 0),)
    )
    status, solver = search(m, run, settings, info)
    if status not in FOUND:
        return StageEnd(status)
    value = round(solver.objective_value)
    proved = max(bound, round(solver.best_objective_bound))
    status = cp_model.OPTIMAL if value == proved else status
    return StageEnd(status, list(solver.response_proto.solution), value, proved)

"""Fulfilment planning: which tasks an outgoing parcel needs, and which carrier takes it.

A workflow is an ordered list of steps. Pick steps are split per zone: a zone is the direct
child of the site's stock location that holds the reserved piece, so an order whose pieces sit
in the leather room and in the watch room yields one pick task per room, each with its own
picker. A pick step may be dedicated to one zone (a specialty picker); the pieces it does not
claim go to the general pick steps. Quality control is one task per piece whose category has
a checklist. Every other step is one task for the whole parcel.
"""

from dataclasses import dataclass
from dataclasses import field

PICK = "pick"
QC = "qc"


@dataclass(frozen=True)
class Step:
    id: int
    sequence: int
    step_type: str
    zone_path: str | None = None  # parent_path of the zone a pick step is dedicated to


@dataclass(frozen=True)
class Piece:
    """A reserved move line: where it sits and whether its category has a QC checklist."""

    id: int
    location_path: str
    has_checklist: bool = False


@dataclass
class TaskPlan:
    step_id: int
    sequence: int
    zone_path: str | None = None
    piece_ids: list = field(default_factory=list)


def zone_path_of(location_path, stock_path):
    """The parent_path of the zone holding a location: the direct child of the site's stock
    on the way to it, or the stock location itself when the piece sits right in it."""
    if not location_path.startswith(stock_path) or location_path == stock_path:
        return stock_path
    first_child = location_path[len(stock_path) :].split("/", 1)[0]
    return f"{stock_path}{first_child}/"


def plan_tasks(steps, pieces, stock_path):
    """Return the TaskPlans of a parcel, in step order.

    Pieces claimed by a dedicated pick step are not picked again by a general one; a pick
    step with nothing to pick yields no task.
    """
    ordered = sorted(steps, key=lambda step: (step.sequence, step.id))
    zones = {piece.id: zone_path_of(piece.location_path, stock_path) for piece in pieces}
    dedicated = {step.zone_path for step in ordered if step.step_type == PICK and step.zone_path}
    plans = []
    for step in ordered:
        if step.step_type == PICK:
            plans.extend(_plan_pick(step, pieces, zones, dedicated))
        elif step.step_type == QC:
            plans.extend(
                TaskPlan(step.id, step.sequence, None, [piece.id])
                for piece in pieces
                if piece.has_checklist
            )
        else:
            plans.append(TaskPlan(step.id, step.sequence, None, [piece.id for piece in pieces]))
    return plans


def plan_added_pieces(steps, pieces, stock_path):
    """Tasks for pieces added to a parcel that has its tasks (a replacement piece): the
    steps that handle pieces by zone or one by one (pick, quality control). The steps for
    the whole parcel take the new pieces into the tasks they already have."""
    return plan_tasks([step for step in steps if step.step_type in (PICK, QC)], pieces, stock_path)


def _plan_pick(step, pieces, zones, dedicated):
    if step.zone_path:
        claimed = [piece.id for piece in pieces if zones[piece.id].startswith(step.zone_path)]
        return [TaskPlan(step.id, step.sequence, step.zone_path, claimed)] if claimed else []
    by_zone = {}
    for piece in pieces:
        zone = zones[piece.id]
        if any(zone.startswith(path) for path in dedicated):
            continue
        by_zone.setdefault(zone, []).append(piece.id)
    return [
        TaskPlan(step.id, step.sequence, zone, piece_ids)
        for zone, piece_ids in sorted(by_zone.items())
    ]


def ready_sequences(tasks):
    """Given (sequence, state) of a parcel's tasks, the step sequences whose tasks may start:
    every task of an earlier step is done or cancelled."""
    open_sequences = sorted({seq for seq, state in tasks if state not in ("done", "cancel")})
    if not open_sequences:
        return set()
    return {open_sequences[0]}


@dataclass(frozen=True)
class CarrierRule:
    """Each criterion left empty matches everything; amounts are in the company currency."""

    id: int
    carrier_id: int
    sequence: int = 10
    country_ids: frozenset = frozenset()
    warehouse_ids: frozenset = frozenset()
    service_level: str | None = None
    min_amount: float = 0.0
    max_amount: float = 0.0  # 0 = no ceiling

    def matches(self, country_id, warehouse_id, amount, service_level):
        return (
            (not self.country_ids or country_id in self.country_ids)
            and (not self.warehouse_ids or warehouse_id in self.warehouse_ids)
            and (self.service_level is None or self.service_level == service_level)
            and amount >= self.min_amount
            and (not self.max_amount or amount <= self.max_amount)
        )


def select_carrier(rules, country_id, warehouse_id, amount, service_level):
    """The carrier of the first matching rule by sequence, or None."""
    for rule in sorted(rules, key=lambda rule: (rule.sequence, rule.id)):
        if rule.matches(country_id, warehouse_id, amount, service_level):
            return rule.carrier_id
    return None

"""Fulfilment planning: which tasks an outgoing parcel needs, and which carrier takes it.

A workflow is an ordered list of steps. Pick steps are split per zone: a zone is the direct
child of the site's stock location that holds the reserved piece, so an order whose pieces sit
in the leather room and in the watch room yields one pick task per room, each with its own
picker. A pick step may be dedicated to one zone (a specialty picker); the pieces it does not
claim go to the general pick steps. Quality control is one task per piece whose category has
a checklist. Every other step is one task for the whole parcel.

A site delivering in several steps (Odoo's pick + ship or pick + pack + ship routes) spreads
the workflow over the chained transfers: pick steps on the pick transfer, handover on the
delivery order, every other step on the pack transfer, or on the next transfer of the chain
where the route has no pack step. Each transfer only exists once the previous one is done, so
the pack waits for every pick and the handover for the pack.

Tasks follow the reservation: when it changes they are planned again, and a piece already
picked (or already through quality control) on the reserved line is not picked (or checked)
twice.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import time
from datetime import timedelta

PICK = "pick"
QC = "qc"
HANDOVER = "handover"

# The days couriers collect from the maison's sites: Monday to Saturday.
COURIER_DAYS = (0, 1, 2, 3, 4, 5)

# The operations of a delivery route, in the order a parcel goes through them.
PICK_OPERATION = "pick"
PACK_OPERATION = "pack"
SHIP_OPERATION = "ship"
OPERATIONS = (PICK_OPERATION, PACK_OPERATION, SHIP_OPERATION)
# Odoo's warehouse ``delivery_steps`` and the operations (transfers) each one chains.
ROUTE_OPERATIONS = {
    "ship_only": (SHIP_OPERATION,),
    "pick_ship": (PICK_OPERATION, SHIP_OPERATION),
    "pick_pack_ship": OPERATIONS,
}


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
    picked: bool = False  # already picked on this line: not picked again
    checked: bool = False  # already passed quality control on this line: not checked again


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


def chain_operations(delivery_steps, operation, starts_chain):
    """The operations, in order, of the chain a transfer doing ``operation`` belongs to.

    A transfer taking its pieces from stock starts the chain: nothing comes before it, even
    when the site's route says otherwise (a one-step delivery created before the site
    switched to three steps keeps the whole workflow). A later transfer always follows a
    pick, whatever the site's route became since."""
    route = set(ROUTE_OPERATIONS.get(delivery_steps, (SHIP_OPERATION,)))
    if starts_chain:
        route = {op for op in route if OPERATIONS.index(op) > OPERATIONS.index(operation)}
    else:
        route.add(PICK_OPERATION)  # its pieces left stock through an earlier transfer
    return tuple(op for op in OPERATIONS if op in route or op == operation)


def step_operation(step_type, operations):
    """The operation whose transfer carries the tasks of a step: pick steps on the pick,
    the handover on the delivery order, the others on the pack; a step whose operation the
    chain lacks moves to the next operation of the chain."""
    wanted = {PICK: PICK_OPERATION, HANDOVER: SHIP_OPERATION}.get(step_type, PACK_OPERATION)
    return next(
        (op for op in operations if OPERATIONS.index(op) >= OPERATIONS.index(wanted)),
        operations[-1],
    )


def steps_for_operation(steps, operation, operations):
    """The steps whose tasks go on the transfer doing ``operation`` in a chain of
    ``operations``."""
    return [step for step in steps if step_operation(step.step_type, operations) == operation]


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
                if piece.has_checklist and not piece.checked
            )
        else:
            plans.append(TaskPlan(step.id, step.sequence, None, [piece.id for piece in pieces]))
    return plans


def _plan_pick(step, pieces, zones, dedicated):
    pieces = [piece for piece in pieces if not piece.picked]
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


def handover_deadline(released_at, cutoff_hour, courier_days=COURIER_DAYS):
    """When a parcel released to the floor at ``released_at`` (the site's local time) must
    be handed to the courier: the site's cut-off that day if it was released before it,
    else the next courier day's cut-off. ``cutoff_hour`` is in hours (16.5 is 16:30)."""
    hours, minutes = divmod(round(cutoff_hour * 60), 60)
    deadline = datetime.combine(released_at.date(), time(min(hours, 23), minutes))
    if released_at >= deadline:
        deadline += timedelta(days=1)
    while deadline.weekday() not in courier_days:
        deadline += timedelta(days=1)
    return deadline

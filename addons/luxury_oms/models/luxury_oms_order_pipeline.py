from odoo import models

# The order's stages at confirmation, in the order they run (see the class docstring).
INTAKE_STAGES = ("check", "source", "take", "confirm", "consolidate", "screen", "release", "queue")


class LuxuryOmsOrderPipeline(models.AbstractModel):
    """An order's life, written once, in order. Read this class top-down.

    Channel intake (``luxury.oms.api.place_order``): the payload is validated
    (``engine/api_payload.py``), the client, address and draft order are created
    (``_api_create_order``), then the order is confirmed through :meth:`_run_intake`.
    Every confirmation (channel, back office, boutique) runs the same stages, in one
    transaction, so that the answer to the channel is true when it is given. A channel's
    order is answered before its deliveries exist (``oms_deliveries_pending``): its take
    is kept as a promise (``luxury.oms.stock.promise``) that every availability read
    counts, and the stages marked (after) run right after the commit, in the ``deliver``
    step of its after-commit work (:meth:`_prepare_deliveries`):

    1. check: a rejected order never comes back;
    2. source: which site prepares each line (``engine/sourcing.py``), the plan stored;
       it comes before the take because the take reserves where the plan found the stock;
    3. take: the atomic take of the stock (``luxury.oms.availability._take``), refused with
       every short line named: no oversell, whatever runs at the same time;
    4. confirm: Odoo's own confirmation (procurement, deliveries, reservation: after, for
       a channel's order); the order is ``received``: no floor work exists for it yet;
    5. consolidate (after): transfers of a one-parcel order's items to its consolidation
       site, click & collect opened at the boutique;
    6. screen: fraud scoring (``engine/fraud.py``) before any floor work exists;
    7. release (after): orders the fraud team need not see go to the floor (fulfilment
       tasks); a held order stays ``received`` until a reviewer approves it (which
       releases it) or rejects it (which cancels it);
    8. queue: what the channel need not wait for is recorded on the order and run after
       the commit by the cron ``Luxury OMS: order work after intake`` (a channel order's
       deliveries, then the client's notifications: "received", then "confirmed" once the
       fraud decision is made). Failures are retried; after the last attempt someone is
       told on the order, whose promise keeps its stock meanwhile.

    Later, on the floor: hand over -> invoice (``stock.picking._oms_handover``).

    Each stage is a small method delegating to the order; decisions stay in the engines.
    Extensions add a stage by overriding :meth:`_intake_stages` and defining its
    ``_stage_<name>`` method.
    """

    _name = "luxury.oms.order.pipeline"
    _description = "Order Pipeline"

    def _intake_stages(self):
        return INTAKE_STAGES

    def _run_intake(self, orders):
        """Run every stage on ``orders``; return Odoo's confirmation's answer."""
        result = True
        for stage in self._intake_stages():
            answer = getattr(self, f"_stage_{stage}")(orders)
            if stage == "confirm":
                result = answer
        return result

    def _stage_check(self, orders):
        orders._oms_check_not_fraud_rejected()

    def _stage_source(self, orders):
        orders._oms_source_pickups()
        orders._oms_plan_sourcing()

    def _stage_take(self, orders):
        orders._oms_take_stock()

    def _stage_confirm(self, orders):
        # Before Odoo reserves the deliveries: reserving them must not plan floor work.
        orders.sudo().oms_pipeline_state = "received"
        # A pending order's lines launch no procurement (sale.order.line).
        return orders._oms_confirm_in_odoo()

    def _stage_consolidate(self, orders):
        orders = orders.filtered(lambda order: not order.oms_deliveries_pending)
        orders._oms_create_consolidation_transfers()
        orders.order_line._oms_refresh_availability()
        orders.filtered("oms_pickup_warehouse_id")._oms_open_pickups()

    def _stage_screen(self, orders):
        # The stock is reserved, so a held order keeps its units. As superuser: the facts
        # span orders (and rules) the confirming user may not see.
        orders.sudo()._oms_screen_fraud()

    def _stage_release(self, orders):
        orders.filtered(
            lambda order: order.oms_fraud_state != "held" and not order.oms_deliveries_pending
        )._oms_release_to_floor()

    def _stage_queue(self, orders):
        for order in orders:
            order._oms_queue_work(self._prepare_intake_work(order))

    def _prepare_intake_work(self, order):
        """The after-commit steps of a freshly confirmed order (``sale.order._oms_work_*``):
        its deliveries when they are pending, then the client of a channel's order told
        what is true now: "confirmed" when the fraud decision is already made (not held),
        else "received" (and "confirmed" at approval). One mail, not two at the same
        instant."""
        steps = ["deliver"] if order.oms_deliveries_pending else []
        if order.oms_channel_id:
            held = order.oms_fraud_state == "held"
            steps.append("notify_received" if held else "notify_confirmed")
        return steps

    def _prepare_deliveries(self, orders):
        """The stages a channel's order runs after the commit: its promise becomes Odoo's
        procurement (deliveries, reservation) in one transaction, then consolidate and,
        unless the fraud team holds it, release to the floor."""
        orders = orders.filtered(
            lambda order: order.oms_deliveries_pending and order.state == "sale"
        )
        if not orders:
            return
        orders.sudo().oms_deliveries_pending = False
        orders.sudo().oms_promise_ids._oms_release()
        # The promise was the take: the procurement takes nothing more.
        orders.order_line._oms_mark_taken()
        for order in orders:
            order._oms_launch_procurement()
        self._stage_consolidate(orders)
        self._stage_release(orders)

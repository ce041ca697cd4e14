from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError

# Attempts of an order's after-commit work before someone is told on the order.
MAX_WORK_ATTEMPTS = 3
WORK_CRON = "luxury_oms.ir_cron_oms_order_work"
# Only the pipeline writes these, as superuser: releasing an order to the floor by hand
# would give a held order startable floor work.
PIPELINE_PROTECTED_FIELDS = frozenset(
    {"oms_pipeline_state", "oms_pending_work", "oms_work_state", "oms_work_attempts",
     "oms_work_error", "oms_deliveries_pending"}
)  # fmt: skip
WORK_TEMPLATES = {
    "notify_received": "luxury_oms.mail_template_oms_order_received",
    "notify_confirmed": "luxury_oms.mail_template_oms_order_confirmed",
}


class SaleOrder(models.Model):
    """Where an order stands in the pipeline (luxury_oms_order_pipeline.py), and the work
    that runs after the intake's commit, recorded on the order itself."""

    _inherit = "sale.order"

    oms_pipeline_state = fields.Selection(
        [("received", "Received"), ("released", "On the Floor")],
        string="Pipeline Stage",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Received: confirmed with its stock taken, no floor work yet (a held order "
        "stays here until the fraud team approves it). On the floor: its fulfilment tasks "
        "are planned. Empty for orders confirmed before the pipeline.",
    )
    oms_stage = fields.Selection(
        [
            ("received", "Received"),
            ("floor", "On the Floor"),
            ("pickup_ready", "Ready for Pickup"),
            ("shipped", "Handed Over"),
            ("collected", "Collected"),
            ("cancelled", "Cancelled"),
        ],
        string="Stage",
        compute="_compute_oms_stage",
        help="Where the order stands for its client: received (screened, or held for the "
        "fraud team), on the floor, ready for pickup at the boutique, handed over to the "
        "courier or collected, or cancelled.",
    )
    oms_deliveries_pending = fields.Boolean(
        string="Deliveries Being Prepared",
        copy=False,
        readonly=True,
        help="A channel's order is answered once its stock is taken; its deliveries are "
        "made right after, by the order's after-intake work. Until then the stock it took "
        "is kept for it as a promise, counted by every availability read.",
    )
    oms_promise_ids = fields.One2many(
        "luxury.oms.stock.promise",
        "order_id",
        string="Promised Stock",
        readonly=True,
        groups="luxury_oms.group_oms_user",
    )
    oms_pending_work = fields.Char(
        string="Pending Work",
        copy=False,
        readonly=True,
        help="Steps still to run after the intake (e.g. the client's notifications).",
    )
    oms_work_state = fields.Selection(
        [("pending", "Pending"), ("failed", "Failed")],
        string="After-Intake Work",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    oms_pending_work_label = fields.Char(
        string="Work to Run",
        compute="_compute_oms_pending_work_label",
        help="The steps still to run after the intake, in the reader's language.",
    )
    oms_work_attempts = fields.Integer(string="Work Attempts", copy=False, readonly=True)
    oms_work_error = fields.Text(string="Last Work Error", copy=False, readonly=True)

    @api.depends(
        "state", "oms_pipeline_state", "delivery_status", "oms_pickup_warehouse_id",
        "oms_pickup_state",
    )  # fmt: skip
    def _compute_oms_stage(self):
        for order in self:
            order.oms_stage = order._oms_stage()

    @api.depends("oms_pending_work")
    @api.depends_context("lang")
    def _compute_oms_pending_work_label(self):
        for order in self:
            order.oms_pending_work_label = order._oms_work_labels(
                (order.oms_pending_work or "").split()
            )

    def _oms_work_labels(self, steps):
        """The steps (``_oms_work_<step>``) as the people who see to them read them."""
        labels = {
            "deliver": self.env._("make the deliveries"),
            "notify_received": self.env._("mail the client: order received"),
            "notify_confirmed": self.env._("mail the client: order confirmed"),
        }
        return ", ".join(labels.get(step, step) for step in steps)

    def _oms_stage(self):
        self.ensure_one()
        if self.state == "cancel":
            return "cancelled"
        if self.oms_pickup_state in ("ready", "collected"):
            return "pickup_ready" if self.oms_pickup_state == "ready" else "collected"
        if self.delivery_status == "full":
            return "collected" if self.oms_pickup_warehouse_id else "shipped"
        return {"received": "received", "released": "floor"}.get(self.oms_pipeline_state, False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._oms_check_pipeline_fields(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._oms_check_pipeline_fields(vals)
        return super().write(vals)

    def _oms_check_pipeline_fields(self, vals):
        """Refuse ``vals`` setting the pipeline's fields: only the OMS sets them (as
        superuser), never an order's creator or editor."""
        if PIPELINE_PROTECTED_FIELDS.intersection(vals) and not self.env.su:
            raise AccessError(
                self.env._("An order's pipeline stage and its pending work are set by the OMS.")
            )

    # Release ----------------------------------------------------------------------------

    def _oms_release_to_floor(self):
        """The pipeline's ``release`` stage, and a fraud approval's: plan the floor tasks of
        the orders' reserved deliveries."""
        self.sudo().oms_pipeline_state = "released"
        self.picking_ids._oms_floor()._oms_generate_tasks()

    def _oms_floor_waits(self):
        """True when the order's deliveries may not have floor work yet."""
        self.ensure_one()
        return self.oms_pipeline_state == "received"

    # After-commit work ------------------------------------------------------------------

    def _oms_queue_work(self, steps):
        """Record ``steps`` to run after the commit and wake the cron up for them."""
        self.ensure_one()
        if not steps:
            return
        pending = (self.oms_pending_work or "").split()
        pending += [step for step in steps if step not in pending]
        self.sudo().write(
            {
                "oms_pending_work": " ".join(pending),
                "oms_work_state": "pending",
                "oms_work_attempts": 0,
                "oms_work_error": False,
            }
        )
        # Without its cron (deleted by hand), the work waits for a retry from the form.
        self._oms_wake_work_cron()

    @api.model
    def _oms_run_pending_work(self):
        """Run every order's pending after-commit work now, in this transaction."""
        for order in self._oms_pending_work_orders():
            order._oms_run_work()
        return True

    @api.model
    def _cron_run_pending_work(self):
        """The cron's job: each order's work committed on its own, so that a backlog is
        worked off across runs when the cron's time is up, and one order's failure does not
        undo another's mails."""
        orders = self._oms_pending_work_orders()
        Cron = self.env["ir.cron"]
        Cron._commit_progress(remaining=len(orders))
        for order in orders:
            order._oms_run_work()
            if not Cron._commit_progress(1):
                self._oms_wake_work_cron()
                break

    def _oms_wake_work_cron(self):
        """Have the work cron run at once: for a freshly queued order, and when the cron's
        time is up with orders left (Odoo reschedules it, but a cron worker only sees that
        at its next poll, a minute later, while a channel's orders wait for their
        deliveries; a trigger wakes it)."""
        cron = self.env.ref(WORK_CRON, raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    def _oms_pending_work_orders(self):
        return self.sudo().search([("oms_work_state", "=", "pending")], order="id")

    def _oms_run_work(self):
        """Run this order's pending steps in order, each removed once done. A failure keeps
        the rest for the next attempt; the last failed attempt is told on the order."""
        self.ensure_one()
        pending = (self.oms_pending_work or "").split()
        while pending:
            try:
                with self.env.cr.savepoint():
                    getattr(self, f"_oms_work_{pending[0]}")()
            except Exception as error:  # whatever failed is retried, then told
                self._oms_work_failed(pending, error)
                return
            pending.pop(0)
            self.write({"oms_pending_work": " ".join(pending) or False})
        self.write({"oms_work_state": False, "oms_work_error": False})

    def _oms_work_failed(self, pending, error):
        attempts = self.oms_work_attempts + 1
        failed = attempts >= MAX_WORK_ATTEMPTS
        self.write(
            {
                "oms_work_attempts": attempts,
                "oms_work_error": str(error),
                "oms_work_state": "failed" if failed else "pending",
            }
        )
        if failed:
            self._oms_tell_work_failed(pending, error)

    def _oms_tell_work_failed(self, pending, error):
        """Nothing is lost: the order says what did not run, and someone must see to it."""
        message = self.env._(
            "After %(attempts)s attempts, this work of the order did not run: %(steps)s. "
            "Last error: %(error)s",
            attempts=self.oms_work_attempts,
            steps=self._oms_work_labels(pending),
            error=str(error),
        )
        self.message_post(body=message)
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._(
                "Order work failed: %(steps)s", steps=self._oms_work_labels(pending)
            ),
            note=message,
            user_id=self._oms_work_owner().id,
        )

    def _oms_work_owner(self):
        """Who sees to failed work: the salesperson, the sales team's leader, else an OMS
        manager."""
        return (
            self.user_id
            or self.team_id.user_id
            or self.env["res.users"].search(
                [
                    ("all_group_ids", "in", self.env.ref("luxury_oms.group_oms_manager").ids),
                    ("share", "=", False),
                ],
                order="id",
                limit=1,
            )
            or self.env.user
        )

    def action_oms_retry_work(self):
        """Run failed after-intake work again (from the order's form)."""
        for order in self.filtered(lambda order: order.oms_work_state == "failed"):
            order.sudo().write({"oms_work_state": "pending", "oms_work_attempts": 0})
            order.sudo()._oms_run_work()
        return True

    # Steps ------------------------------------------------------------------------------

    def _oms_work_deliver(self):
        self._oms_prepare_deliveries()

    def _oms_launch_procurement(self):
        """Odoo's procurement of the confirmed order, as its confirmation would have run it;
        an order locked at confirmation (the "lock confirmed sales" setting) is procured
        all the same, as it would have been before the lock."""
        self.ensure_one()
        order = self.with_company(self.company_id)
        locked = order.locked
        if locked:
            order.locked = False
        order.order_line._action_launch_stock_rule()
        if locked:
            order.locked = True

    def _oms_prepare_deliveries(self):
        """Make the deliveries of these orders, whose stock their promise keeps."""
        self.env["luxury.oms.order.pipeline"]._prepare_deliveries(self)

    def _oms_work_notify_received(self):
        self._oms_notify_client(WORK_TEMPLATES["notify_received"])

    def _oms_work_notify_confirmed(self):
        # Cancelled or rejected since it was queued: the client is not told otherwise.
        if self.state == "sale" and self.oms_fraud_state not in ("held", "rejected"):
            self._oms_notify_client(WORK_TEMPLATES["notify_confirmed"])

    def _oms_notify_client(self, template_xmlid):
        """Post the client's mail to the mail queue (sent by the mail cron, not here)."""
        template = self.env.ref(template_xmlid)
        self.with_context(mail_notify_force_send=False).message_post_with_source(
            template, subtype_xmlid="mail.mt_comment"
        )

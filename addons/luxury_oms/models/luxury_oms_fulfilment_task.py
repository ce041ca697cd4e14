from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.fields import Domain

from .audit_trail import audited

TASK_STATES = [
    ("waiting", "Waiting"),
    ("ready", "Ready"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("cancel", "Cancelled"),
]
# Tasks still owed to the parcel: cancelled when its reservation changes.
OPEN_TASK_STATES = ("waiting", "ready", "in_progress", "failed")
# Steps whose pieces must each be scanned before the task is done.
SCANNED_STEPS = ("pick", "pack")
# A task's progress: written only by its own actions (scan, done, QC, handover, cancel) and
# by the parcel's planning, as superuser after their checks. Anyone who may write a task
# (to assign it, say) could otherwise mark it done over RPC and ship an unchecked parcel.
PROGRESS_FIELDS = frozenset({"state", "date_start", "date_done", "scanned_move_line_ids"})


def scan_codes(move_line):
    """What identifies a piece at the scanner: its serial, else its product's barcode or SKU.
    Odoo requires none of them: a piece may have nothing to scan."""
    if move_line.lot_id:
        return {move_line.lot_id.name}
    return {
        code for code in (move_line.product_id.barcode, move_line.product_id.default_code) if code
    }


class LuxuryOmsFulfilmentTask(models.Model):
    """One step of one outgoing parcel on the floor: a pick in a zone, the QC of a piece, the
    gift wrap, the pack, the handover. Generated from the site's workflow when the transfer
    carrying the step (pick, pack or delivery order of the site's route) is reserved; a task is
    ready once every task of the earlier steps is done."""

    _name = "luxury.oms.fulfilment.task"
    _description = "Fulfilment Task"
    _inherit = ["mail.thread", "mail.activity.mixin", "barcodes.barcode_events_mixin"]
    _order = "picking_id, sequence, id"

    name = fields.Char(required=True)
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", required=True, index=True, ondelete="cascade"
    )
    picking_type_id = fields.Many2one(
        related="picking_id.picking_type_id", string="Operation", store=True
    )
    # Not stored: moving a stock move between transfers (every backorder) recomputes the
    # transfers' order, and a stored copy here made Odoo look up their tasks in the middle
    # of the move, computing the transfers' scheduled date before the backorder took its
    # moves (stock's test_scheduled_date_after_backorder).
    sale_id = fields.Many2one(related="picking_id.sale_id", string="Order")
    partner_id = fields.Many2one(related="sale_id.partner_id", string="Client")
    client_tier_id = fields.Many2one(related="sale_id.oms_client_tier_id", string="Client Tier")
    warehouse_id = fields.Many2one(
        related="step_id.workflow_id.warehouse_id", string="Site", store=True, index=True
    )
    company_id = fields.Many2one(related="picking_id.company_id", store=True)
    step_id = fields.Many2one(
        "luxury.oms.fulfilment.step",
        required=True,
        index=True,
        ondelete="restrict",
        # The supervisor's board: columns in flow order, every step of the workflow shown.
        group_expand="_read_group_step_ids",
    )
    step_type = fields.Selection(related="step_id.step_type", store=True)
    sequence = fields.Integer(required=True, help="Copied from the step when generated.")
    zone_location_id = fields.Many2one("stock.location", string="Zone")
    user_id = fields.Many2one("res.users", string="Assignee", tracking=True, index=True)
    state = fields.Selection(
        TASK_STATES, default="waiting", required=True, tracking=True, index=True
    )
    move_line_ids = fields.Many2many(
        "stock.move.line",
        "luxury_oms_fulfilment_task_move_line_rel",
        string="Pieces",
    )
    scanned_move_line_ids = fields.Many2many(
        "stock.move.line",
        "luxury_oms_fulfilment_task_scanned_line_rel",
        string="Scanned Pieces",
        readonly=True,
    )
    product_id = fields.Many2one("product.product", readonly=True, help="QC tasks: the piece.")
    lot_id = fields.Many2one("stock.lot", string="Serial", readonly=True)
    check_ids = fields.One2many("luxury.oms.qc.check", "task_id", string="Checklist")
    date_start = fields.Datetime(string="Started", readonly=True)
    date_done = fields.Datetime(string="Finished", readonly=True)
    # Not stored, for the reason sale_id is not: a stored copy of the transfer's dates made
    # Odoo compute them in the middle of a backorder's move of stock moves.
    date_deadline = fields.Datetime(
        string="Deadline",
        compute="_compute_date_deadline",
        search="_search_date_deadline",
        help="When the parcel must leave: its deadline, else its scheduled date.",
    )
    is_late = fields.Boolean(compute="_compute_is_late")
    is_blocked = fields.Boolean(
        string="Blocked",
        compute="_compute_is_blocked",
        store=True,
        help="Failed quality control: waits for a replacement piece or a manager's decision.",
    )
    duration = fields.Float(
        string="Duration (min)",
        compute="_compute_duration",
        store=True,
        aggregator="avg",
        help="Minutes from start to finish of a finished task.",
    )
    piece_summary = fields.Char(string="Piece", compute="_compute_piece_summary")
    is_order_held = fields.Boolean(
        compute="_compute_is_order_held",
        help="The order waits for the fraud team: its work cannot start.",
    )
    progress = fields.Float(compute="_compute_progress")
    can_start = fields.Boolean(compute="_compute_can")
    can_finish = fields.Boolean(compute="_compute_can")
    can_hand_over = fields.Boolean(compute="_compute_can")
    can_cancel = fields.Boolean(compute="_compute_can")

    @api.depends("picking_id.date_deadline", "picking_id.scheduled_date")
    def _compute_date_deadline(self):
        for task in self:
            task.date_deadline = task.picking_id.date_deadline or task.picking_id.scheduled_date

    def _search_date_deadline(self, operator, value):
        return Domain("picking_id.date_deadline", operator, value) | (
            Domain("picking_id.date_deadline", "=", False)
            & Domain("picking_id.scheduled_date", operator, value)
        )

    @api.depends("date_deadline", "state")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for task in self:
            task.is_late = (
                task.state in OPEN_TASK_STATES
                and bool(task.date_deadline)
                and task.date_deadline < now
            )

    @api.depends("sale_id.oms_fraud_state")
    def _compute_is_order_held(self):
        for task in self:
            task.is_order_held = task.sale_id.oms_fraud_state in ("held", "rejected")

    @api.depends("state")
    def _compute_is_blocked(self):
        for task in self:
            task.is_blocked = task.state == "failed"

    @api.depends("date_start", "date_done")
    def _compute_duration(self):
        for task in self:
            if task.date_start and task.date_done:
                task.duration = (task.date_done - task.date_start).total_seconds() / 60
            else:
                task.duration = 0.0

    @api.depends(
        "product_id",
        "lot_id",
        "move_line_ids.product_id",
        "move_line_ids.lot_id",
        "move_line_ids.location_id",
    )
    def _compute_piece_summary(self):
        for task in self:
            lines = task.move_line_ids
            first = lines[:1]
            # A failed QC's piece has left the parcel: the task still names it.
            summary = " · ".join(
                part
                for part in (
                    (first.product_id or task.product_id).name,
                    (first.lot_id or task.lot_id).name,
                    first.location_id.name,
                )
                if part
            )
            if len(lines) > 1:
                summary = self.env._("%(piece)s (+%(more)s)", piece=summary, more=len(lines) - 1)
            task.piece_summary = summary

    @api.model
    def _read_group_step_ids(self, steps, domain):
        """Every step of the workflows on the board, skipped ones aside, in flow order."""
        workflows = steps.workflow_id
        return (workflows.step_ids.filtered(lambda step: not step.skip) | steps).sorted()

    @api.depends("state", "move_line_ids", "scanned_move_line_ids")
    def _compute_progress(self):
        for task in self:
            total = len(task.move_line_ids)
            if task.state == "done":
                # Done is done, even when the parcel's pieces were since released.
                task.progress = 100.0
            else:
                task.progress = 100.0 * len(task.scanned_move_line_ids) / total if total else 0.0

    @api.depends("state", "step_type")
    def _compute_can(self):
        for task in self:
            task.can_start = task.state == "ready"
            active = task.state in ("ready", "in_progress")
            task.can_finish = active and task.step_type != "handover"
            task.can_hand_over = active and task.step_type == "handover"
            task.can_cancel = task.state in OPEN_TASK_STATES

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        if PROGRESS_FIELDS.intersection(vals) and not self.env.su:
            raise AccessError(
                self.env._(
                    "A fulfilment task moves on through its own steps only: scan, Done, "
                    "quality control and handover."
                )
            )
        return super(LuxuryOmsFulfilmentTask, audited(self)).write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_start(self):
        for task in self:
            task._check_state(("ready",))
            task._oms_check_releasable()
            task.sudo().write(
                {
                    "state": "in_progress",
                    "date_start": fields.Datetime.now(),
                    "user_id": task.user_id.id or self.env.uid,
                }
            )
        return True

    def action_done(self):
        for task in self:
            task._check_state(("ready", "in_progress"))
            task._oms_check_releasable()
            if task.step_type == "handover":
                raise UserError(
                    self.env._("Hand the parcel over to the courier with the Handover button.")
                )
            if task.step_type == "qc":
                task._finish_qc()
            else:
                task._check_all_scanned()
                task._confirm_unscannable_pieces()
                task._set_done()
        return True

    def action_cancel(self):
        """Drop the task (e.g. a failed piece that will not be replaced): later steps may
        go on without it. A manager's decision."""
        if not self.env.su and not self.env.user.has_group("luxury_oms.group_oms_manager"):
            raise AccessError(self.env._("Only an OMS manager can cancel a fulfilment task."))
        for task in self:
            task._check_state(OPEN_TASK_STATES)
        self.sudo().state = "cancel"
        self.picking_id._oms_update_task_readiness()
        self.picking_id._oms_validate_prepared_operation()
        return True

    def action_open_handover(self):
        self.ensure_one()
        self._check_state(("ready", "in_progress"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over to Courier"),
            "res_model": "luxury.oms.handover.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.picking_id.id},
        }

    def action_scan(self, barcode):
        """Confirm the piece whose serial (or, untracked, product barcode) was scanned."""
        self.ensure_one()
        self._check_state(("ready", "in_progress"))
        self._oms_check_releasable()
        line = self._find_scanned_line(barcode)
        if line in self.scanned_move_line_ids:
            raise UserError(
                self.env._("Piece %(barcode)s is already confirmed on this task.", barcode=barcode)
            )
        if self.state == "ready":
            self.action_start()
        self._confirm_pieces(line)
        self.message_post(
            body=self.env._(
                "Scanned %(product)s %(serial)s.",
                product=line.product_id.display_name,
                serial=line.lot_id.name or "",
            )
        )
        return True

    def on_barcode_scanned(self, barcode):
        """Scans in the task form: the scan is recorded on the saved task right away."""
        task = self._origin
        try:
            task.action_scan(barcode)
        except UserError as error:
            return {"warning": {"title": self.env._("Wrong piece"), "message": str(error)}}
        self.scanned_move_line_ids = task.scanned_move_line_ids
        self.state = task.state
        # An onchange result, which RPC must carry: empty, no warning.
        return {}

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _check_state(self, allowed):
        if self.state not in allowed:
            raise UserError(
                self.env._(
                    "Task %(task)s is %(state)s: this action is not possible now.",
                    task=self.name,
                    state=dict(TASK_STATES)[self.state],
                )
            )

    def _find_scanned_line(self, barcode):
        lines = self.move_line_ids
        line = lines.filtered(lambda ml: ml.lot_id and ml.lot_id.name == barcode)[:1]
        if not line:
            line = (
                lines.filtered(lambda ml: not ml.lot_id and barcode in scan_codes(ml))
                - self.scanned_move_line_ids
            )[:1]
        if line:
            return line
        wrong_lot = self.env["stock.lot"].search(
            [("name", "=", barcode), ("product_id", "in", lines.product_id.ids)], limit=1
        )
        if wrong_lot:
            expected = lines.filtered(lambda ml: ml.product_id == wrong_lot.product_id).lot_id
            raise UserError(
                self.env._(
                    "Serial %(serial)s is not the piece reserved for %(order)s "
                    "(expected: %(expected)s).",
                    serial=barcode,
                    order=self.sale_id.name or self.picking_id.name,
                    expected=", ".join(expected.mapped("name")) or "-",
                )
            )
        raise UserError(
            self.env._(
                "Barcode %(barcode)s matches no piece of task %(task)s.",
                barcode=barcode,
                task=self.name,
            )
        )

    def _confirm_pieces(self, lines):
        self.sudo().scanned_move_line_ids = [fields.Command.link(line.id) for line in lines]
        if self.step_type == "pick":
            lines.picked = True

    def _check_all_scanned(self):
        if self.step_type not in SCANNED_STEPS:
            return
        missing = (self.move_line_ids - self.scanned_move_line_ids).filtered(scan_codes)
        if missing:
            raise UserError(
                self.env._(
                    "Scan every piece before finishing %(task)s; still missing: %(pieces)s.",
                    task=self.name,
                    pieces=", ".join(
                        ml.lot_id.name or ml.product_id.display_name for ml in missing
                    ),
                )
            )

    def _confirm_unscannable_pieces(self):
        """Pieces with nothing to scan (no serial, barcode or SKU) are confirmed by whoever
        finishes the task, as they would be by hand."""
        if self.step_type in SCANNED_STEPS:
            self._confirm_pieces(
                (self.move_line_ids - self.scanned_move_line_ids).filtered(
                    lambda ml: not scan_codes(ml)
                )
            )

    def _set_done(self):
        self.sudo().write({"state": "done", "date_done": fields.Datetime.now()})
        self.picking_id._oms_update_task_readiness()
        self.picking_id._oms_validate_prepared_operation()

    def _finish_qc(self):
        pending = self.check_ids.filtered(lambda check: check.result == "pending")
        if pending:
            raise UserError(
                self.env._(
                    "Record a result for every check of %(task)s: %(checks)s.",
                    task=self.name,
                    checks=", ".join(pending.mapped("name")),
                )
            )
        failed = self.check_ids.filtered(lambda check: check.result == "fail")
        if failed:
            self._fail_qc(failed)
        else:
            self._set_done()

    def _fail_qc(self, failed_checks):
        """The piece cannot ship: take it out of the parcel into the site's QC location, alert
        the team and ask for the piece to be sourced again. Packing stays blocked until the
        task is cancelled (shipping without the piece) or a new piece arrives."""
        line = self.move_line_ids[:1]
        sale_line = line.move_id.sale_line_id
        self.picking_id._oms_remove_piece_to_qc(line)
        self.sudo().state = "failed"
        reasons = ", ".join(failed_checks.mapped("name"))
        self.message_post(body=self.env._("Quality control failed: %(reasons)s.", reasons=reasons))
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._("QC failed on %(serial)s", serial=self.lot_id.name or "-"),
            note=self.env._("Failed checks: %(reasons)s.", reasons=reasons),
            user_id=(self.warehouse_id.oms_floor_manager_id or self.user_id or self.env.user).id,
        )
        if sale_line and sale_line.order_id._oms_request_resourcing(sale_line, self.warehouse_id):
            self._close_replaced()

    def _close_replaced(self):
        """The failed piece was sourced again: this parcel no longer waits for it. A parcel
        left without pieces has nothing more to do."""
        self.message_post(body=self.env._("The piece was sourced again: see the order."))
        parcel_tasks = self.picking_id.oms_task_ids
        if self.picking_id.state == "cancel":
            parcel_tasks.filtered(lambda t: t.state in OPEN_TASK_STATES).sudo().state = "cancel"
        else:
            self.sudo().state = "cancel"
            self.picking_id._oms_update_task_readiness()
            self.picking_id._oms_validate_prepared_operation()

    def _oms_alert_top_tier(self):
        """Tell the site's floor manager that a top-tier client's parcel reached a step."""
        for task in self:
            site = task.warehouse_id
            rank = task.partner_id.oms_tier_rank
            if not site.oms_vip_alert_rank or rank < site.oms_vip_alert_rank:
                continue
            task.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._(
                    "%(tier)s client: %(task)s is ready",
                    tier=task.client_tier_id.name or "",
                    task=task.name,
                ),
                user_id=(site.oms_floor_manager_id or task.user_id or self.env.user).id,
            )

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from .luxury_return_check_template import CHECK_TYPES

# Steps whose result comes from evidence the system verifies, not from a click.
SYSTEM_CHECKED_TYPES = ("serial", "hidden_mark")


class LuxuryReturnCheck(models.Model):
    """One authenticity step on one returned item, ticked by staff at reception."""

    _name = "luxury.return.check"
    _description = "Authenticity Step"
    _order = "return_id, line_id, sequence, id"

    line_id = fields.Many2one("luxury.return.line", required=True, ondelete="cascade", index=True)
    return_id = fields.Many2one(related="line_id.return_id", store=True, index=True)
    product_id = fields.Many2one(related="line_id.product_id")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    check_type = fields.Selection(CHECK_TYPES, required=True)
    instructions = fields.Text(readonly=True)
    result = fields.Selection(
        [("pending", "To check"), ("pass", "Passed"), ("fail", "Failed")],
        required=True,
        default="pending",
    )
    note = fields.Char()
    done_by_id = fields.Many2one("res.users", string="Checked By", readonly=True)
    done_date = fields.Datetime(string="Checked On", readonly=True)
    hidden_mark_entry = fields.Char(
        string="Mark Read on the Piece",
        compute="_compute_hidden_mark_entry",
        inverse="_inverse_hidden_mark_entry",
        help="Type the hidden identifier found on the piece. It is compared with the one "
        "recorded for the sold serial and then forgotten: only the result is kept.",
    )
    can_tick = fields.Boolean(compute="_compute_can_tick")
    can_enter_mark = fields.Boolean(
        compute="_compute_can_enter_mark",
        help="The hidden identifier of this piece can be typed: once, while it is checked.",
    )

    def _compute_hidden_mark_entry(self):
        self.hidden_mark_entry = False

    def _inverse_hidden_mark_entry(self):
        for check in self.filtered(lambda c: c.check_type == "hidden_mark"):
            if check.hidden_mark_entry:
                check._check_open()
                check._check_mark_not_tried()
                check._apply_hidden_mark(check.hidden_mark_entry)
        # Forget the typed mark: only the result is kept, even in the cache.
        self.invalidate_recordset(["hidden_mark_entry"])

    @api.depends("check_type", "return_id.state")
    def _compute_can_tick(self):
        for check in self:
            check.can_tick = (
                check.check_type not in SYSTEM_CHECKED_TYPES
                and check.return_id.state in ("received", "checking")
            )

    @api.depends("check_type", "result", "return_id.state")
    def _compute_can_enter_mark(self):
        for check in self:
            check.can_enter_mark = (
                check.check_type == "hidden_mark"
                and check.result == "pending"
                and check.return_id.state in ("received", "checking")
            )

    def action_enter_hidden_mark(self):
        """Open the entry of the mark read on the piece; saving it runs the comparison."""
        self.ensure_one()
        self._check_open()
        self._check_mark_not_tried()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Hidden Identifier of %(product)s", product=self.product_id.display_name
            ),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("luxury_returns.luxury_return_check_view_form_hidden_mark").id,
                    "form",
                )
            ],
            "target": "new",
        }

    def action_pass(self):
        for check in self:
            check._check_can_tick()
            if check.check_type == "photos":
                check._check_photos()
        self._record("pass")
        return True

    def action_fail(self):
        for check in self:
            check._check_can_tick()
        self._record("fail")
        return True

    def action_reset(self):
        for check in self:
            check._check_can_tick()
        self._record("pending")
        return True

    def _check_open(self):
        if self.return_id.state not in ("received", "checking"):
            raise UserError(
                self.env._(
                    "Return %(name)s is not being checked: its steps can no longer change.",
                    name=self.return_id.name,
                )
            )

    def _check_mark_not_tried(self):
        """One attempt per piece: retrying would let anyone guess the secret mark."""
        if self.result != "pending":
            raise UserError(
                self.env._(
                    "The hidden identifier of this piece was already checked on return "
                    "%(name)s; ask the authenticity team.",
                    name=self.return_id.name,
                )
            )

    def _check_can_tick(self):
        """Manual steps only: serial and hidden identifier results come from the evidence."""
        self._check_open()
        if self.check_type in SYSTEM_CHECKED_TYPES:
            raise UserError(
                self.env._(
                    "Step %(step)s is decided by the serial or mark entered, not by hand.",
                    step=self.name,
                )
            )

    def _check_photos(self):
        images = self.env["ir.attachment"].search_count(
            [
                ("res_model", "=", "luxury.return"),
                ("res_id", "=", self.return_id.id),
                ("mimetype", "=like", "image/%"),
            ]
        )
        if not images:
            raise UserError(
                self.env._(
                    "Attach photos of the piece to return %(name)s before passing this step.",
                    name=self.return_id.name,
                )
            )

    def _record(self, result):
        self.write(
            {
                "result": result,
                "done_by_id": self.env.uid if result != "pending" else False,
                "done_date": fields.Datetime.now() if result != "pending" else False,
            }
        )
        self.return_id.filtered(lambda rma: rma.state == "received").state = "checking"

    def _apply_serial(self):
        """Pass when the serial read on the piece is the one sold to this client."""
        for check in self:
            line = check.line_id
            if not line.received_serial:
                continue
            check._record("pass" if line.matched_lot_id else "fail")

    def _apply_hidden_mark(self, entered_mark):
        """Compare in sudo with the sold serial's hidden mark; keep only the outcome."""
        line = self.line_id
        lots = line.matched_lot_id or line.lot_id or line.sold_lot_ids
        self._record("pass" if lots._luxury_hidden_mark_matches(entered_mark) else "fail")

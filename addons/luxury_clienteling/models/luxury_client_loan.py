from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

LOAN_STATES = [
    ("draft", "Draft"),
    ("out", "Out on loan"),
    ("returned", "Returned"),
    ("cancel", "Cancelled"),
]
RETURN_CONDITIONS = [
    ("perfect", "Perfect"),
    ("wear", "Minor wear"),
    ("damaged", "Damaged"),
]


class LuxuryClientLoan(models.Model):
    """Serial pieces lent for a press shoot.

    While out, the pieces sit in the site's "Press Loans" location, which is not
    sellable: the OMS cannot promise them to anybody.
    """

    _name = "luxury.client.loan"
    _description = "Press Loan"
    _inherit = ["luxury.client.service.mixin"]
    _sequence_code = "luxury.client.loan"

    partner_id = fields.Many2one(string="Borrower")
    state = fields.Selection(LOAN_STATES, required=True, default="draft", tracking=True, copy=False)
    purpose = fields.Char(required=True, help="e.g. Vogue Italia cover shoot")
    lot_ids = fields.Many2many(
        "stock.lot",
        "luxury_client_loan_lot_rel",
        "loan_id",
        "lot_id",
        string="Serials",
        required=True,
        domain="[('product_id.tracking', '=', 'serial')]",
    )
    date_out = fields.Date(readonly=True, copy=False)
    date_due = fields.Date(string="Due Back", required=True, tracking=True)
    date_returned = fields.Date(readonly=True, copy=False)
    return_condition = fields.Selection(RETURN_CONDITIONS, tracking=True, copy=False)
    return_note = fields.Text()
    picking_ids = fields.Many2many(
        "stock.picking", "luxury_client_loan_picking_rel", string="Transfers", readonly=True
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    can_send_out = fields.Boolean(compute="_compute_can")
    can_return = fields.Boolean(compute="_compute_can")
    can_cancel = fields.Boolean(compute="_compute_can")

    @api.depends("state", "date_due")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for loan in self:
            loan.is_overdue = loan.state == "out" and loan.date_due < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        overdue = [("state", "=", "out"), ("date_due", "<", fields.Date.context_today(self))]
        return overdue if (True in value) == (operator == "in") else ["!", *overdue]

    @api.depends("state")
    def _compute_can(self):
        for loan in self:
            loan.can_send_out = loan.state == "draft"
            loan.can_return = loan.state == "out"
            loan.can_cancel = loan.state == "draft" and bool(loan.id)  # nothing to cancel unsaved

    def _client_status_text(self):
        return {
            "draft": self.env._("The pieces are being prepared."),
            "out": self.env._("The pieces are with you until %(date)s.", date=self.date_due),
            "returned": self.env._("The pieces are back with us. Thank you."),
            "cancel": self.env._("This loan was cancelled."),
        }[self.state]

    def action_send_out(self):
        self._ensure_state(["draft"], self.env._("send out"))
        for loan in self:
            loan._send_out()
        return True

    def action_return(self):
        self._ensure_state(["out"], self.env._("return"))
        for loan in self:
            if not loan.return_condition:
                raise UserError(
                    self.env._(
                        "Return condition: say in which condition the pieces of %(ref)s came back.",
                        ref=loan.name,
                    )
                )
            loan._take_back()
        return True

    def action_cancel(self):
        self._ensure_state(["draft"], self.env._("cancel"))
        self.state = "cancel"
        return True

    def _send_out(self):
        self.ensure_one()
        quants = self._check_lots_can_be_loaned()
        picking = self._move_lots(quants, self._press_location())
        self.write(
            {
                "state": "out",
                "date_out": fields.Date.context_today(self),
                "picking_ids": [Command.link(picking.id)],
            }
        )

    def _take_back(self):
        self.ensure_one()
        quants = self._lot_quants().filtered(lambda q: q.location_id == self._press_location())
        picking = self._move_lots(quants, self.warehouse_id.lot_stock_id)
        self.write(
            {
                "state": "returned",
                "date_returned": fields.Date.context_today(self),
                "picking_ids": [Command.link(picking.id)],
            }
        )

    def _lot_quants(self):
        return (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self.lot_ids.ids),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                ]
            )
        )

    def _check_lots_can_be_loaned(self):
        """Return the quant of each serial; refuse serials that are not free at the site.

        A serial reserved for an order or a transfer, or out on another loan, cannot
        leave: the client who was promised it comes first.
        """
        self.ensure_one()
        return self.lot_ids._clienteling_free_quants(self.warehouse_id)

    def _press_location(self):
        """The site's not-sellable location where lent pieces are accounted for."""
        self.ensure_one()
        Location = self.env["stock.location"].sudo()
        location = Location.search(
            [
                ("clienteling_press_loan", "=", True),
                ("location_id", "=", self.warehouse_id.view_location_id.id),
            ],
            limit=1,
        )
        return location or Location.create(
            {
                "name": self.env._("Press Loans"),
                "usage": "internal",
                "location_id": self.warehouse_id.view_location_id.id,
                "company_id": self.warehouse_id.company_id.id,
                "clienteling_press_loan": True,
                "oms_unsellable_reason": "display",
            }
        )

    def _move_lots(self, quants, destination):
        """Move each quant's serial to ``destination`` in one validated internal transfer."""
        picking = self.env["stock.picking"]._clienteling_create_serial_transfer(
            quants,
            destination,
            self.warehouse_id.int_type_id,
            partner_id=self.partner_id.id,
            origin=self.name,
        )
        picking._clienteling_validate()
        return picking

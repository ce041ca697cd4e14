from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

REPAIR_STATES = [
    ("reception", "Received"),
    ("quote", "Quote sent"),
    ("approved", "Approved"),
    ("workshop", "In workshop"),
    ("ready", "Ready"),
    ("returned", "Returned"),
    ("cancel", "Cancelled"),
]


class LuxuryClientRepair(models.Model):
    """A client's piece received in a boutique for repair, identified by its serial number."""

    _name = "luxury.client.repair"
    _description = "Client Repair"
    _inherit = ["luxury.client.service.mixin"]
    _sequence_code = "luxury.client.repair"

    state = fields.Selection(
        REPAIR_STATES, required=True, default="reception", tracking=True, copy=False
    )
    serial_number = fields.Char(
        required=True,
        tracking=True,
        help="Serial number engraved on the piece: it must be one the maison produced.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Product",
        help="Only needed when two products share this serial number.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial",
        compute="_compute_lot_id",
        store=True,
        index="btree_not_null",
    )
    lot_product_id = fields.Many2one(related="lot_id.product_id", string="Piece")
    issue = fields.Text(string="Issue Reported", required=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    quote_amount = fields.Monetary(string="Quote", tracking=True)
    quote_note = fields.Text(string="Work Quoted")
    date_received = fields.Date(default=fields.Date.context_today, required=True)
    date_promised = fields.Date(string="Promised For", tracking=True)
    date_returned = fields.Date(readonly=True, copy=False)
    presented_engraving = fields.Char(
        string="Engraving Read",
        compute="_compute_presented_marks",
        inverse="_inverse_presented_marks",
        help="The private laser engraving read on the presented piece: compared with the "
        "one recorded for the serial, then forgotten.",
    )
    presented_tag = fields.Char(
        string="Tag Read",
        compute="_compute_presented_marks",
        inverse="_inverse_presented_marks",
        help="The RFID/NFC tag id read on the presented piece: compared, then forgotten.",
    )
    piece_check_id = fields.Many2one(
        "luxury.oms.piece.check", string="Authenticity Check", readonly=True, copy=False
    )
    piece_check_result = fields.Selection(related="piece_check_id.result")
    piece_quarantined = fields.Boolean(related="lot_id.passport_quarantined")
    can_send_quote = fields.Boolean(compute="_compute_can")
    can_approve = fields.Boolean(compute="_compute_can")
    can_start_workshop = fields.Boolean(compute="_compute_can")
    can_mark_ready = fields.Boolean(compute="_compute_can")
    can_return = fields.Boolean(compute="_compute_can")
    can_cancel = fields.Boolean(compute="_compute_can")

    @api.depends("serial_number", "product_id")
    def _compute_lot_id(self):
        for repair in self:
            repair.lot_id = repair._find_lot()

    def _compute_presented_marks(self):
        # Write-only: what was read is compared by the inverse and never kept.
        self.presented_engraving = False
        self.presented_tag = False

    def _inverse_presented_marks(self):
        """Both fields share this inverse: Odoo calls it once with both values read."""
        for repair in self:
            presented = {"engraving": repair.presented_engraving, "tag": repair.presented_tag}
            if any(presented.values()):
                repair._check_presented_piece(presented)
        self.invalidate_recordset(["presented_engraving", "presented_tag"])

    @api.depends("state")
    def _compute_can(self):
        for repair in self:
            state = repair.state
            repair.can_send_quote = state == "reception"
            repair.can_approve = state == "quote"
            repair.can_start_workshop = state == "approved"
            repair.can_mark_ready = state == "workshop"
            repair.can_return = state in ("ready", "quote")
            repair.can_cancel = state in ("reception", "quote", "approved") and bool(repair.id)

    def _client_status_text(self):
        boutique = self.warehouse_id.name
        return {
            "reception": self.env._("We have received your piece and are assessing it."),
            "quote": self.env._("A quote is waiting for your approval."),
            "approved": self.env._("Thank you for your approval: your piece goes to our workshop."),
            "workshop": self.env._("Your piece is in the hands of our craftsmen."),
            "ready": self.env._("Your piece is ready for you at %(boutique)s.", boutique=boutique),
            "returned": self.env._("Your piece has been returned to you."),
            "cancel": self.env._("This repair request was closed."),
        }[self.state]

    @api.constrains("lot_id", "serial_number")
    def _check_serial_is_known(self):
        for repair in self:
            if not repair.lot_id:
                raise ValidationError(
                    self.env._(
                        "Serial number: %(serial)r matches no serial of the maison (or "
                        "several products: then choose the product). Check the engraving.",
                        serial=repair.serial_number,
                    )
                )

    def action_send_quote(self):
        self._ensure_state(["reception"], self.env._("send a quote for"))
        for repair in self:
            if repair.currency_id.compare_amounts(repair.quote_amount, 0) < 0:
                raise UserError(
                    self.env._("Quote: the amount of %(ref)s cannot be negative.", ref=repair.name)
                )
        self.state = "quote"
        return True

    def action_approve(self):
        self._ensure_state(["quote"], self.env._("approve"))
        self.state = "approved"
        return True

    def action_start_workshop(self):
        self._ensure_state(["approved"], self.env._("send to the workshop"))
        self.lot_id._passport_check_not_quarantined()
        self.state = "workshop"
        return True

    def action_mark_ready(self):
        self._ensure_state(["workshop"], self.env._("mark as ready"))
        self.state = "ready"
        return True

    def action_return(self):
        """Hand the piece back: repaired, or unrepaired when the client declines the quote."""
        self._ensure_state(["ready", "quote"], self.env._("return"))
        self.lot_id._passport_check_not_quarantined()
        self.write({"state": "returned", "date_returned": fields.Date.context_today(self)})
        return True

    def action_cancel(self):
        self._ensure_state(["reception", "quote", "approved"], self.env._("cancel"))
        self.state = "cancel"
        return True

    def _check_presented_piece(self, presented):
        """Compare the marks read on the piece with the serial's; a mismatch quarantines the
        serial and stops the repair until a second person releases it."""
        self.ensure_one()
        self._ensure_state(["reception"], self.env._("check the marks of"))
        if self.piece_check_id:
            # One try per piece: retrying would let anyone guess a mark.
            raise UserError(
                self.env._(
                    "The marks of the piece of %(ref)s were already checked (%(result)s).",
                    ref=self.name,
                    result=self.piece_check_id.result,
                )
            )
        self.piece_check_id = self.lot_id._passport_check_presented(presented, self)

    def _find_lot(self):
        """The maison's serial matching the engraved number, or nothing when ambiguous."""
        self.ensure_one()
        if not self.serial_number:
            return self.env["stock.lot"]
        domain = [("name", "=", self.serial_number.strip())]
        if self.product_id:
            domain.append(("product_id", "=", self.product_id.id))
        lots = self.env["stock.lot"].sudo().search(domain, limit=2)
        return lots if len(lots) == 1 else self.env["stock.lot"]

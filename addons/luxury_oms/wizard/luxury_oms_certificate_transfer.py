from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class LuxuryOmsCertificateTransfer(models.TransientModel):
    """The boutique records a resale between clients: the new owner gets a certificate,
    the previous owner's is revoked."""

    _name = "luxury.oms.certificate.transfer"
    _description = "Transfer of Ownership"

    lot_id = fields.Many2one("stock.lot", string="Serial", required=True, readonly=True)
    current_owner_id = fields.Many2one(
        "res.partner", string="Current Owner", compute="_compute_current_owner_id"
    )
    new_owner_id = fields.Many2one("res.partner", string="New Owner", required=True)

    def _compute_current_owner_id(self):
        for wizard in self:
            wizard.current_owner_id = wizard.lot_id.sudo()._passport_owner()

    def action_transfer(self):
        self.ensure_one()
        certificate = self._transfer()
        return certificate._passport_open_action()

    def _transfer(self):
        previous = (
            self.env["luxury.oms.certificate"]
            .sudo()
            .search([("lot_id", "=", self.lot_id.id), ("state", "=", "valid")])
        )
        if not previous:
            raise UserError(
                self.env._(
                    "Serial %(lot)s has no valid certificate to transfer: issue one to its "
                    "owner first.",
                    lot=self.lot_id.name,
                )
            )
        if previous.partner_id == self.new_owner_id:
            raise UserError(
                self.env._(
                    "New owner: %(name)s already owns this piece.", name=previous.partner_id.name
                )
            )
        return self.env["luxury.oms.certificate"]._issue_for(
            self.lot_id, self.new_owner_id, previous=previous
        )

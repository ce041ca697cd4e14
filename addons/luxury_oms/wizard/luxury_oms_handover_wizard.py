from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class LuxuryOmsHandoverWizard(models.TransientModel):
    """The courier at the dock: scan the parcel, name the courier, sign, hand over."""

    _name = "luxury.oms.handover.wizard"
    _description = "Carrier Handover"
    _inherit = ["barcodes.barcode_events_mixin"]

    picking_id = fields.Many2one("stock.picking", string="Parcel", required=True, readonly=True)
    carrier_id = fields.Many2one(related="picking_id.carrier_id")
    parcel_barcode = fields.Char(
        string="Scanned Parcel", help="Scan the parcel label (the transfer reference)."
    )
    courier_name = fields.Char(string="Courier", required=True)
    tracking_ref = fields.Char(string="Tracking Reference")
    signature = fields.Binary(string="Courier Signature")

    def on_barcode_scanned(self, barcode):
        self.parcel_barcode = barcode
        # An onchange result, which RPC must carry: empty, no warning.
        return {}

    def action_hand_over(self):
        self.ensure_one()
        self._check_parcel_scanned()
        self.picking_id._oms_handover(
            self.courier_name, signature=self.signature, tracking_ref=self.tracking_ref
        )
        return {"type": "ir.actions.act_window_close"}

    def _check_parcel_scanned(self):
        accepted = {self.picking_id.name} | set(
            self.picking_id.move_line_ids.result_package_id.mapped("name")
        )
        if self.parcel_barcode not in accepted:
            raise UserError(
                self.env._(
                    "Scanned parcel %(scanned)s is not %(parcel)s: hand over the right parcel.",
                    scanned=self.parcel_barcode or "-",
                    parcel=self.picking_id.name,
                )
            )

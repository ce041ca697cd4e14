from odoo import api
from odoo import fields
from odoo import models


class LuxuryOmsHoldConsumption(models.Model):
    """Who took held stock, when and for which order: the trace of a VIP hold."""

    _name = "luxury.oms.hold.consumption"
    _description = "VIP Hold Consumption"
    _order = "create_date desc, id desc"

    hold_id = fields.Many2one("luxury.oms.hold", required=True, ondelete="cascade", index=True)
    quantity = fields.Float(required=True, digits="Product Unit")
    partner_id = fields.Many2one("res.partner", string="Client", required=True)
    origin = fields.Reference(
        [("sale.order.line", "Sale Order Line"), ("pos.order.line", "POS Order Line")],
        help="The order line that took the held units.",
    )
    origin_name = fields.Char(
        help="Kept even if the order is deleted, for the audit trail.", required=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        consumptions = super().create(vals_list)
        # What the hold keeps shrinks (a stored computation, not a write of the hold).
        consumptions.hold_id._oms_track_availability()
        return consumptions

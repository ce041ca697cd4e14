from odoo import api
from odoo import fields
from odoo import models


class LuxuryOmsResourceWizard(models.TransientModel):
    """Re-source an order away from a site that cannot fulfil it (QC failure, damage)."""

    _name = "luxury.oms.resource.wizard"
    _description = "Re-source an Order"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    site_ids = fields.Many2many("stock.warehouse", compute="_compute_site_ids")
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Failing Site",
        required=True,
        domain="[('id', 'in', site_ids)]",
        help="Its open preparations for this order are cancelled and sourced elsewhere.",
    )
    reason = fields.Char(required=True, help="e.g. quality check failed, damaged item.")

    @api.depends("order_id")
    def _compute_site_ids(self):
        for wizard in self:
            wizard.site_ids = wizard.order_id.oms_sourcing_plan_id.warehouse_ids

    def action_resource(self):
        self.ensure_one()
        self.order_id._oms_resource(self.warehouse_id, self.reason)
        return {"type": "ir.actions.act_window_close"}

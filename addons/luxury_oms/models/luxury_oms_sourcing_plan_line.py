from odoo import fields
from odoo import models


class LuxuryOmsSourcingPlanLine(models.Model):
    """A quantity of one order line prepared at one site."""

    _name = "luxury.oms.sourcing.plan.line"
    _description = "Sourcing Allocation"
    _order = "plan_id, sale_line_id, id"

    plan_id = fields.Many2one(
        "luxury.oms.sourcing.plan", required=True, ondelete="cascade", index=True
    )
    sale_line_id = fields.Many2one("sale.order.line", required=True, ondelete="cascade")
    product_id = fields.Many2one(related="sale_line_id.product_id")
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Site", help="Empty when no site had stock for this quantity."
    )
    quantity = fields.Float(digits="Product Unit", required=True)
    is_short = fields.Boolean(string="No Stock")
    is_transfer = fields.Boolean(
        string="Transferred",
        help="Sent from this site to the consolidation site before shipping.",
    )

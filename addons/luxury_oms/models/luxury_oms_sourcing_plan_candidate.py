from odoo import fields
from odoo import models


class LuxuryOmsSourcingPlanCandidate(models.Model):
    """One eligible site's score in a sourcing plan, criterion by criterion (in %)."""

    _name = "luxury.oms.sourcing.plan.candidate"
    _description = "Sourcing Candidate Site"
    _order = "plan_id, rank"

    plan_id = fields.Many2one(
        "luxury.oms.sourcing.plan", required=True, ondelete="cascade", index=True
    )
    rank = fields.Integer(required=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Site", required=True)
    site_type = fields.Selection(related="warehouse_id.oms_site_type", string="Type")
    chosen = fields.Boolean()
    total_score = fields.Float(string="Score", digits=(5, 1))
    distance_km = fields.Float(
        string="Distance (km)", digits=(10, 0), help="Empty when the address has no position."
    )
    servable_qty = fields.Float(string="Can Serve", digits="Product Unit")
    serves_all = fields.Boolean(string="Has Everything")
    score_distance = fields.Float(string="Nearness", digits=(5, 1))
    score_fewest_parcels = fields.Float(string="Fewest Parcels", digits=(5, 1))
    score_site_type = fields.Float(string="Site Type", digits=(5, 1))
    score_stock_depth = fields.Float(string="Stock Depth", digits=(5, 1))
    score_capacity = fields.Float(string="Capacity", digits=(5, 1))
    score_cost = fields.Float(string="Cost", digits=(5, 1))

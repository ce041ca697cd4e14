from odoo import fields
from odoo import models

from ..engine.fulfilment import CarrierRule
from ..engine.fulfilment import select_carrier

SERVICE_LEVELS = [
    ("standard", "Standard"),
    ("express", "Express"),
    ("white_glove", "White Glove"),
]


class LuxuryOmsCarrierRule(models.Model):
    """Which carrier takes a parcel: the first rule, by sequence, matching its destination,
    its value and the service level the client chose."""

    _name = "luxury.oms.carrier.rule"
    _description = "Carrier Selection Rule"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    carrier_id = fields.Many2one("delivery.carrier", required=True, ondelete="cascade")
    country_ids = fields.Many2many("res.country", string="Destination Countries")
    warehouse_ids = fields.Many2many("stock.warehouse", string="Shipping Sites")
    service_level = fields.Selection(SERVICE_LEVELS, help="Empty: any service level.")
    min_amount = fields.Monetary(string="Order Value From", currency_field="currency_id")
    max_amount = fields.Monetary(
        string="Order Value Up To", currency_field="currency_id", help="0: no ceiling."
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")

    _amounts_consistent = models.Constraint(
        "CHECK (min_amount >= 0 AND max_amount >= 0 "
        "AND (max_amount = 0 OR max_amount >= min_amount))",
        "A carrier rule's order values cannot be negative, and 'up to' must be above 'from'.",
    )

    def _oms_select_carrier(self, country, warehouse, amount, service_level):
        # The shipping site's company, whatever companies the user has active.
        rules = self.search([("company_id", "in", [False, warehouse.company_id.id])])
        carrier_id = select_carrier(
            [rule._oms_engine_rule() for rule in rules],
            country.id,
            warehouse.id,
            amount,
            service_level or None,
        )
        return self.env["delivery.carrier"].browse(carrier_id)

    def _oms_engine_rule(self):
        return CarrierRule(
            id=self.id,
            carrier_id=self.carrier_id.id,
            sequence=self.sequence,
            country_ids=frozenset(self.country_ids.ids),
            warehouse_ids=frozenset(self.warehouse_ids.ids),
            service_level=self.service_level or None,
            min_amount=self.min_amount,
            max_amount=self.max_amount,
        )

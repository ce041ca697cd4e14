from odoo import fields
from odoo import models

PREFERENCE_KINDS = [
    ("size", "Size"),
    ("colour", "Colour"),
    ("material", "Material"),
    ("collection", "Collection"),
    ("interest", "Interest"),
]


class LuxuryClientPreference(models.Model):
    """What a client likes: sizes, colours, materials, collections, interests."""

    _name = "luxury.client.preference"
    _description = "Client Preference"
    _order = "partner_id, kind, sequence, id"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(PREFERENCE_KINDS, required=True, default="colour")
    category_id = fields.Many2one(
        "product.category", string="Product Category", help="Leave empty when it applies to all."
    )
    value = fields.Char(required=True, help="e.g. 38 EU, burgundy, crocodile leather, Riviera.")
    note = fields.Char()

    _value_unique = models.Constraint(
        "unique (partner_id, kind, category_id, value)",
        "This client already has this preference.",
    )

from odoo import fields
from odoo import models


class LuxuryReturnReason(models.Model):
    """Why a client returns an item; channels send its code in ``request_return``."""

    _name = "luxury.return.reason"
    _description = "Return Reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Identifier channels send in return requests.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _code_unique = models.Constraint(
        "unique (code)", "A return reason with this code already exists."
    )

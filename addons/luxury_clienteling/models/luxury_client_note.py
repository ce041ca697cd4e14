from odoo import fields
from odoo import models


class LuxuryClientNote(models.Model):
    """An advisor's personal note on a client.

    Private by design: record rules show a note only to the client's advisor, the
    team of the client's home boutique, and clienteling managers.
    """

    _name = "luxury.client.note"
    _description = "Client Personal Note"
    _order = "create_date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="cascade"
    )
    body = fields.Text(string="Note", required=True)
    user_id = fields.Many2one(
        "res.users", string="Author", required=True, default=lambda self: self.env.user
    )

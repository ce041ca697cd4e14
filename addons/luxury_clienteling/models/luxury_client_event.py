from odoo import api
from odoo import fields
from odoo import models

EVENT_TYPES = [
    ("private_sale", "Private sale"),
    ("preview", "Collection preview"),
    ("opening", "Boutique opening"),
    ("other", "Other"),
]


class LuxuryClientEvent(models.Model):
    """A maison event clients are invited to: private sale, preview, opening."""

    _name = "luxury.client.event"
    _description = "Clienteling Event"
    _inherit = ["mail.thread"]
    _order = "date_begin desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    event_type = fields.Selection(EVENT_TYPES, required=True, default="preview", tracking=True)
    date_begin = fields.Datetime(string="Date", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Boutique", tracking=True, check_company=True
    )
    attendee_ids = fields.Many2many(
        "res.partner",
        "luxury_client_event_attendee_rel",
        "event_id",
        "partner_id",
        string="Attendees",
    )
    attendee_count = fields.Integer(compute="_compute_attendee_count", string="Attendee Count")
    description = fields.Html(translate=True)

    @api.depends("attendee_ids")
    def _compute_attendee_count(self):
        for event in self:
            event.attendee_count = len(event.attendee_ids)

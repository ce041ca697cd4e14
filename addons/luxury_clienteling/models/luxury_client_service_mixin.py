from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class LuxuryClientServiceMixin(models.AbstractModel):
    """What special orders, repairs and loans share: a reference, a client, an advisor,
    a boutique, a state machine with guarded transitions and a status the client can be told.
    """

    _name = "luxury.client.service.mixin"
    _description = "Client Service"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _sequence_code = None  # ir.sequence code of the references, set by each model

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, tracking=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Advisor",
        tracking=True,
        default=lambda self: self.env.user,
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", string="Boutique", required=True, tracking=True
    )
    # The boutique's company, whichever company the advisor has active: the company rules
    # then show the record to that boutique's company.
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True, index=True)
    client_status = fields.Char(
        compute="_compute_client_status",
        help="What the advisor can tell the client, in the client's language.",
    )

    @api.depends("state", "partner_id.lang")
    def _compute_client_status(self):
        for record in self:
            lang = record.partner_id.lang or self.env.lang
            record.client_status = record.with_context(lang=lang)._client_status_text()

    def _client_status_text(self):
        """Client-facing sentence for the current state (translated in the caller's lang)."""
        raise NotImplementedError

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(self._sequence_code) or "/"
        return super().create(vals_list)

    def _ensure_state(self, states, action):
        """Refuse ``action`` unless every record is in one of ``states``."""
        selection = dict(self._fields["state"]._description_selection(self.env))
        for record in self:
            if record.state not in states:
                raise UserError(
                    self.env._(
                        "%(ref)s is %(state)s: you cannot %(action)s it.",
                        ref=record.name,
                        state=selection[record.state].lower(),
                        action=action,
                    )
                )

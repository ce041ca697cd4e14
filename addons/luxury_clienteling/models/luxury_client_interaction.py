from odoo import api
from odoo import fields
from odoo import models

INTERACTION_TYPES = [
    ("call", "Call"),
    ("visit", "Boutique visit"),
    ("appointment", "Appointment"),
    ("invitation", "Invitation"),
    ("message", "Message"),
]
# interactions that mean the client is, or will be, in a boutique
PRESENCE_TYPES = ("visit", "appointment")


class LuxuryClientInteraction(models.Model):
    """A contact with a client: a call, a visit, an invitation, a message."""

    _name = "luxury.client.interaction"
    _description = "Client Interaction"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="cascade"
    )
    interaction_type = fields.Selection(
        INTERACTION_TYPES, string="Type", required=True, default="call"
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="Advisor", required=True, default=lambda self: self.env.user
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Boutique",
        help="Boutique of the visit or appointment; its manager is alerted for flagged clients.",
    )
    summary = fields.Char(required=True)
    description = fields.Text()
    manager_alerted = fields.Boolean(readonly=True, copy=False)

    @api.depends("interaction_type", "summary")
    @api.depends_context("lang")
    def _compute_display_name(self):
        types = dict(self._fields["interaction_type"]._description_selection(self.env))
        for interaction in self:
            interaction.display_name = self.env._(
                "%(type)s: %(summary)s",
                type=types.get(interaction.interaction_type, ""),
                summary=interaction.summary or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        interactions.filtered(lambda i: i._should_alert_manager())._alert_boutique_manager()
        return interactions

    def _should_alert_manager(self):
        self.ensure_one()
        return (
            self.interaction_type in PRESENCE_TYPES
            and self.partner_id.clienteling_alert
            and bool(self.warehouse_id.oms_manager_id)
        )

    def _alert_boutique_manager(self):
        """Give the boutique manager a to-do on the client: a flagged client is coming."""
        for interaction in self:
            partner = interaction.partner_id
            is_walk_in = interaction.interaction_type == "visit"
            summary = (
                self.env._("%(client)s is in the boutique", client=partner.name)
                if is_walk_in
                else self.env._("%(client)s is expected", client=partner.name)
            )
            partner.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.to_date(
                    fields.Datetime.context_timestamp(interaction, interaction.date)
                ),
                summary=summary,
                note=partner.clienteling_alert_reason or interaction.summary,
                user_id=interaction.warehouse_id.oms_manager_id.id,
            )
        self.manager_alerted = True

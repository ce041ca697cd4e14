from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class LuxuryOmsApiKeyWizard(models.TransientModel):
    """Give a channel an API key: the integration user (created when needed, with no
    access but the channel API) and a new Odoo API key of that user, shown once."""

    _name = "luxury.oms.api.key.wizard"
    _description = "New Channel API Key"

    channel_id = fields.Many2one("luxury.oms.channel", required=True, ondelete="cascade")
    login = fields.Char(
        required=True,
        compute="_compute_login",
        store=True,
        readonly=False,
        precompute=True,
        help="Login of the channel's integration user; created when it does not exist.",
    )
    key_name = fields.Char(
        string="Key Description",
        required=True,
        compute="_compute_key_name",
        store=True,
        readonly=False,
        precompute=True,
    )
    expiration_date = fields.Datetime(help="Leave empty for a key that never expires.")

    @api.depends("channel_id")
    def _compute_login(self):
        for wizard in self:
            wizard.login = f"api-{wizard.channel_id.code}" if wizard.channel_id else False

    @api.depends("channel_id")
    def _compute_key_name(self):
        for wizard in self:
            wizard.key_name = f"{wizard.channel_id.name} API" if wizard.channel_id else False

    def action_generate(self):
        self.ensure_one()
        key = self._generate()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.users.apikeys.show",
            "name": self.env._("API Key Ready"),
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_key": key},
        }

    def _generate(self):
        user = self._integration_user()
        self.channel_id.sudo().user_ids = [(4, user.id)]
        # API keys belong to their user: generated as that user, persistent when asked.
        return (
            self.env["res.users.apikeys"]
            .with_user(user)
            .sudo()
            ._generate(None, self.key_name, self.expiration_date)
        )

    def _integration_user(self):
        """The user ``login``, created when missing; never a user with other rights, so
        that a channel key can never act as a back-office user."""
        group = self.env.ref("luxury_oms.group_oms_integration")
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        user = Users.search([("login", "=", self.login)], limit=1)
        if not user:
            return Users.create(
                {
                    "name": self.env._("%(channel)s API", channel=self.channel_id.name),
                    "login": self.login,
                    "group_ids": [(6, 0, group.ids)],
                    "company_id": self.channel_id.company_id.id,
                    "company_ids": [(6, 0, self.channel_id.company_id.ids)],
                }
            )
        if user.all_group_ids != group or not user.active:
            raise ValidationError(
                self.env._(
                    "login: %(login)s is not an active integration user (a user whose only "
                    "group is Luxury OMS Channel API / Integration User).",
                    login=self.login,
                )
            )
        return user

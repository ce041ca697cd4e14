from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class LuxuryOmsPosOverride(models.Model):
    """A boutique sale of units the OMS did not see as available to sell.

    Two kinds: a manager *override* granted in the POS before payment, with a reason; and
    a sync *exception*, when a paid order reached the server while its units had been taken
    meanwhile (offline POS, race with the web). A paid sale is never dropped: the exception
    is recorded here with an activity for the boutique manager to sort it out.
    """

    _name = "luxury.oms.pos.override"
    _description = "Boutique Stock Override"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    kind = fields.Selection(
        [("override", "Manager override"), ("exception", "Short at sync")],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [("granted", "Granted"), ("to_review", "To Review"), ("reviewed", "Reviewed")],
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users", string="By", required=True, readonly=True, default=lambda self: self.env.user
    )
    approver_id = fields.Many2one(
        "res.users",
        string="Approved By",
        readonly=True,
        help="The boutique manager who approved the override, checked by the server.",
    )
    reason = fields.Text(readonly=True)
    config_id = fields.Many2one("pos.config", string="Point of Sale", readonly=True)
    session_id = fields.Many2one("pos.session", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Site", readonly=True, index=True)
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True)
    pos_order_uuid = fields.Char(string="POS Order Reference", readonly=True, index=True)
    pos_order_id = fields.Many2one("pos.order", string="POS Order", readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    quantity = fields.Float(digits="Product Unit", readonly=True, aggregator="sum")
    available_qty = fields.Float(
        string="Available Then", digits="Product Unit", readonly=True, aggregator="sum"
    )
    shortage_reason = fields.Char(
        string="Why it was short", readonly=True, help="What withheld the units at that moment."
    )
    can_be_reviewed = fields.Boolean(compute="_compute_can_be_reviewed")

    _override_needs_reason = models.Constraint(
        "CHECK (kind != 'override' OR length(trim(coalesce(reason, ''))) > 0)",
        "A manager override needs a reason.",
    )

    @api.depends("state")
    def _compute_can_be_reviewed(self):
        for override in self:
            override.can_be_reviewed = override.state == "to_review"

    @api.depends("product_id", "warehouse_id", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for override in self:
            override.display_name = self.env._(
                "%(kind)s: %(product)s at %(site)s",
                kind=kinds.get(override.kind, ""),
                product=override.product_id.display_name,
                site=override.warehouse_id.name or "-",
            )

    def action_review(self):
        self._review()
        return True

    def _review(self):
        if self.filtered(lambda override: override.state != "to_review"):
            raise UserError(self.env._("Only exceptions to review can be marked as reviewed."))
        self.write({"state": "reviewed"})
        self.activity_feedback(["mail.mail_activity_data_todo"])

    def _schedule_review(self):
        """Ask the boutique manager (or the site's responsible, else the cashier) to act."""
        for override in self:
            manager = override.warehouse_id.oms_manager_id or override.user_id
            override.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._("Boutique sale short of stock"),
                note=self.env._(
                    "%(order)s sold %(qty)s x %(product)s at %(site)s while only %(available)s "
                    "were available to sell (%(why)s). Find the units or call the client.",
                    order=override.pos_order_id.display_name or override.pos_order_uuid,
                    qty=override.quantity,
                    product=override.product_id.display_name,
                    site=override.warehouse_id.name,
                    available=override.available_qty,
                    why=override.shortage_reason or "-",
                ),
            )

from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo import tools


class LuxuryOmsAvailabilityWatch(models.Model):
    """A hero piece a stock controller watches: they get an activity when its available to
    sell at a site (or over all the maison's sites) drops to the threshold.

    Checked by the exact snapshot refresh, in the transaction of the change, once per
    crossing: the watch stays triggered until the figure rises above the threshold again.
    """

    _name = "luxury.oms.availability.watch"
    _description = "Availability Watch"
    # Every snapshot refresh asks which products are watched: kept per worker
    # (_oms_watched_product_ids), cleared when a watch changes.
    _inherit = ["luxury.oms.config.cache"]
    _order = "product_id, warehouse_id, id"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="Notify",
        required=True,
        default=lambda self: self.env.user,
        ondelete="cascade",
    )
    product_id = fields.Many2one(
        "product.product", required=True, domain="[('is_storable', '=', True)]", index=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Site",
        check_company=True,
        domain="[('oms_channel_ids', '!=', False)]",
        help="Empty: the product's available to sell over all the maison's sites.",
    )
    threshold = fields.Float(
        required=True,
        default=1.0,
        digits="Product Unit",
        help="Notify when available to sell drops to this or below.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)
    is_triggered = fields.Boolean(
        string="Triggered",
        readonly=True,
        help="At or under the threshold and notified; re-armed when it rises above.",
    )
    triggered_at = fields.Datetime(readonly=True)
    available_to_sell = fields.Float(
        compute="_compute_available_to_sell", digits="Product Unit", string="ATS Now"
    )

    _threshold_not_negative = models.Constraint(
        "CHECK (threshold >= 0)", "threshold: a watch's threshold cannot be negative."
    )

    @api.depends("product_id", "warehouse_id")
    def _compute_available_to_sell(self):
        figures = self._oms_figures(self.product_id.ids)
        for watch in self:
            watch.available_to_sell = watch._oms_figure(figures)

    @api.model_create_multi
    def create(self, vals_list):
        watches = super().create(vals_list)
        # Already at or under the threshold: said at once, not at the next change.
        self._oms_check(set(watches.product_id.ids))
        return watches

    # Business ---------------------------------------------------------------------------

    @api.model
    def _oms_check(self, product_ids):
        """Notify the watches of ``product_ids`` that crossed their threshold downwards;
        re-arm those back above it. Run by the snapshot refresh, on up-to-date rows."""
        product_ids = self._oms_watched_product_ids().intersection(product_ids)
        if not product_ids:
            return
        watches = self.sudo().search([("product_id", "in", list(product_ids))])
        if not watches:
            return
        figures = watches._oms_figures(watches.product_id.ids)
        for watch in watches:
            short = watch._oms_figure(figures) <= watch.threshold
            if short and not watch.is_triggered:
                watch._oms_notify(watch._oms_figure(figures))
            elif not short and watch.is_triggered:
                watch.is_triggered = False

    @tools.ormcache()
    def _oms_watched_product_ids(self):
        """The products some watch follows: a refresh of others has nothing to check."""
        return frozenset(self.sudo().search([]).product_id.ids)

    def _oms_figures(self, product_ids):
        """``{(product_id, site_id or None): ATS}`` from the stored rows, the None key
        summing the product's sites in each company."""
        figures = defaultdict(float)
        if not product_ids:
            return figures
        groups = (
            self.env["luxury.oms.stock.slot"]
            .sudo()
            ._read_group(
                [("product_id", "in", list(product_ids))],
                ["product_id", "warehouse_id", "company_id"],
                ["available_to_sell:sum"],
            )
        )
        for product, site, company, available in groups:
            figures[product.id, site.id, company.id] = available
            figures[product.id, None, company.id] += available
        return figures

    def _oms_figure(self, figures):
        return figures[self.product_id.id, self.warehouse_id.id or None, self.company_id.id]

    def _oms_notify(self, available):
        self.write({"is_triggered": True, "triggered_at": fields.Datetime.now()})
        where = self.warehouse_id.name or self.env._("all sites")
        self.product_id.product_tmpl_id.activity_schedule(
            "mail.mail_activity_data_warning",
            user_id=self.user_id.id,
            summary=self.env._(
                "%(product)s: %(available)s left to sell at %(where)s",
                product=self.product_id.display_name,
                available=f"{available:g}",
                where=where,
            ),
            note=self.env._(
                "Available to sell dropped to %(available)s at %(where)s (watch threshold "
                "%(threshold)s).",
                available=f"{available:g}",
                where=where,
                threshold=f"{self.threshold:g}",
            ),
        )

from odoo import fields
from odoo import models

from ..models.stock_warehouse import SITE_TYPES


class LuxuryOmsChannelAvailabilityWizard(models.TransientModel):
    """Available to sell as one channel sees it: the channel's sites, its own buffer rules
    applied, computed live (the stored screen holds every channel's figures)."""

    _name = "luxury.oms.channel.availability.wizard"
    _description = "Availability as a Channel Sees It"

    channel_id = fields.Many2one("luxury.oms.channel", required=True)
    categ_id = fields.Many2one(
        "product.category", string="Family", help="Only this family and its sub-families."
    )
    site_type = fields.Selection(SITE_TYPES, string="Site Type")
    line_ids = fields.One2many("luxury.oms.channel.availability.line", "wizard_id")

    def action_open(self):
        self.ensure_one()
        self._compute_lines()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Available to Sell for %(channel)s, %(when)s",
                channel=self.channel_id.display_name,
                when=fields.Datetime.context_timestamp(self, fields.Datetime.now()).strftime(
                    "%H:%M"
                ),
            ),
            "res_model": "luxury.oms.channel.availability.line",
            "view_mode": "pivot,list",
            "views": [(False, "pivot"), (False, "list")],
            "domain": [("wizard_id", "=", self.id)],
            "context": {"create": False},
        }

    def _compute_lines(self):
        """The maison's products at the channel's sites (those the stored screen has rows
        for), read live for the channel: one availability read, one create."""
        sites = self.channel_id.warehouse_ids
        if self.site_type:
            sites = sites.filtered(lambda site: site.oms_site_type == self.site_type)
        domain = [("warehouse_id", "in", sites.ids)]
        if self.categ_id:
            domain.append(("categ_id", "child_of", self.categ_id.id))
        products = self.env["luxury.oms.stock.slot"].search(domain).product_id
        availability = self.env["luxury.oms.availability"]._compute_availability(
            products, sites, channel=self.channel_id
        )
        self.line_ids.unlink()
        self.env["luxury.oms.channel.availability.line"].create(
            [
                {
                    "wizard_id": self.id,
                    "product_id": product.id,
                    "warehouse_id": site.id,
                    "on_hand": figures.on_hand,
                    "reserved": figures.reserved,
                    "buffer": figures.buffer,
                    "held": figures.held,
                    "available_to_sell": figures.available_to_sell,
                    "buffer_rule_id": figures.buffer_rule_id,
                }
                for product in products
                for site in sites
                if (figures := availability.get((product.id, site.id)))
            ]
        )


class LuxuryOmsChannelAvailabilityLine(models.TransientModel):
    _name = "luxury.oms.channel.availability.line"
    _description = "Availability as a Channel Sees It: a Product at a Site"
    _order = "product_id, warehouse_id"

    wizard_id = fields.Many2one(
        "luxury.oms.channel.availability.wizard", required=True, ondelete="cascade", index=True
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Site", required=True, readonly=True)
    categ_id = fields.Many2one(related="product_id.categ_id", string="Family")
    tracking = fields.Selection(related="product_id.tracking")
    site_type = fields.Selection(related="warehouse_id.oms_site_type")
    on_hand = fields.Float(readonly=True, digits="Product Unit", aggregator="sum")
    reserved = fields.Float(readonly=True, digits="Product Unit", aggregator="sum")
    buffer = fields.Float(readonly=True, digits="Product Unit", aggregator="sum")
    held = fields.Float(readonly=True, digits="Product Unit", aggregator="sum")
    available_to_sell = fields.Float(
        string="ATS", readonly=True, digits="Product Unit", aggregator="sum"
    )
    buffer_rule_id = fields.Many2one("luxury.oms.buffer.rule", readonly=True)

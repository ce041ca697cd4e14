from markupsafe import Markup
from markupsafe import escape

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools import format_date


class ProductTemplate(models.Model):
    _inherit = "product.template"

    oms_availability_html = fields.Html(
        string="Availability by Site",
        compute="_compute_oms_availability_html",
        sanitize=False,
        help="Live, at the maison's sites: on hand, reserved, buffer and the rule behind it, "
        "held, available to sell and next incoming.",
    )

    def write(self, vals):
        result = super().write(vals)
        if {"categ_id", "is_storable", "route_ids"} & vals.keys():
            # Availability keeps each product's family and storability per worker
            # (luxury.oms.availability._category_chains), the take whether its lines take
            # stock (sale.order.line._oms_takes_site_stock).
            self.env.registry.clear_cache()
        if "categ_id" in vals:
            # Buffer rules of a family apply by category: the products' rows are made exact
            # at commit, like any other change that moves a figure.
            self.env["luxury.oms.stock.slot"].sudo()._oms_track_scope(
                SQL(
                    """slot.product_id IN (SELECT id FROM product_product
                                            WHERE product_tmpl_id = ANY(%s))""",
                    self.ids,
                )
            )
        return result

    @api.depends_context("uid")
    def _compute_oms_availability_html(self):
        self.oms_availability_html = False
        storable = self.filtered(lambda template: template.is_storable and template.id)
        if not storable:
            return
        warehouses = self.env["stock.warehouse"].search([])._oms_sites()
        products = storable.product_variant_ids
        availability = self.env["luxury.oms.availability"]._compute_availability(
            products, warehouses
        )
        for template in storable:
            rows = [
                (product, warehouse, availability[product.id, warehouse.id])
                for product in template.product_variant_ids
                for warehouse in warehouses
            ]
            template.oms_availability_html = self._oms_availability_table(rows)

    def _oms_availability_table(self, rows):
        headers = [
            self.env._("Site"),
            self.env._("On hand"),
            self.env._("Reserved"),
            self.env._("Buffer"),
            self.env._("Held"),
            self.env._("Available to sell"),
            self.env._("Next incoming"),
            self.env._("Buffer rule"),
        ]
        numeric = {1, 2, 3, 4, 5}
        head = Markup("").join(
            Markup("<th class='%s'>%s</th>") % ("text-end" if index in numeric else "", header)
            for index, header in enumerate(headers)
        )
        body = Markup("").join(self._oms_availability_row(*row) for row in rows)
        note = self.env._(
            "Available to sell = on hand - reserved - held - buffer. At each site the buffer "
            "is the one of the most specific rule for every channel; a channel's own rules "
            "are shown in its availability."
        )
        return Markup(
            '<p class="text-muted">%s</p>'
            '<table class="table table-sm o_oms_availability"><thead><tr>%s</tr></thead>'
            "<tbody>%s</tbody></table>"
        ) % (note, head, body)

    def _oms_availability_row(self, product, warehouse, figures):
        site = warehouse.name
        if len(product.product_tmpl_id.product_variant_ids) > 1:
            site = f"{product.display_name} @ {site}"
        incoming = ""
        if figures.incoming:
            day, qty = figures.incoming[0]
            incoming = self.env._(
                "%(qty)s on %(date)s", qty=f"{qty:g}", date=format_date(self.env, day)
            )
        css = "text-danger fw-bold" if figures.available_to_sell <= 0 else "fw-bold"
        cells = [
            figures.on_hand,
            figures.reserved,
            figures.buffer,
            figures.held,
        ]
        rule = self.env["luxury.oms.buffer.rule"].sudo().browse(figures.buffer_rule_id)
        return Markup(
            "<tr><td>%s</td>%s<td class='text-end %s'>%s</td><td>%s</td><td>%s</td></tr>"
        ) % (
            escape(site),
            Markup("").join(
                Markup("<td class='text-end'>%s</td>") % f"{value:g}" for value in cells
            ),
            css,
            f"{figures.available_to_sell:g}",
            incoming,
            rule.name or self.env._("No buffer"),
        )

    def get_product_info_pos(self, price, quantity, pos_config_id, product_variant_id=False):
        """The POS product popup also shows ATS here, in the other boutiques and the DCs."""
        info = super().get_product_info_pos(price, quantity, pos_config_id, product_variant_id)
        config = self.env["pos.config"].browse(pos_config_id)
        product = (
            self.env["product.product"].browse(product_variant_id)
            if product_variant_id
            else self.product_variant_id
        )
        if config.oms_channel_id and product.is_storable:
            info["oms_product_id"] = product.id
            info["oms_sites"] = config._oms_sites_availability(product, self.env["res.partner"])
        return info

    def action_oms_availability(self):
        return self.product_variant_ids.action_oms_availability()

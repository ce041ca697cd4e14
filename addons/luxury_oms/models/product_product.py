from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def action_oms_availability(self):
        """Open these products' availability at the maison's sites (rows made for the
        sites where they have not been stocked yet)."""
        sites = self.env["stock.warehouse"].search([])._oms_sites()
        self.env["luxury.oms.stock.slot"].sudo()._oms_refresh_pairs(
            {(product.id, site.id) for product in self.filtered("is_storable") for site in sites}
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "luxury_oms.luxury_oms_stock_slot_action"
        )
        action["domain"] = [("product_id", "in", self.ids)]
        action["context"] = {}
        return action

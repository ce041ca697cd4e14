from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def action_oms_availability(self):
        """Open this product's availability per site, refreshed now.

        One product (its variants) for anyone who reads availability; more is a bulk
        refresh in the request, which only stock controllers may run (an RPC caller could
        pass every product)."""
        if len(self.product_tmpl_id) > 1:
            self.env["luxury.oms.stock.slot"]._oms_check_refresh_allowed()
        warehouses = self.env["stock.warehouse"].search([])
        Slot = self.env["luxury.oms.stock.slot"]
        Slot._oms_ensure({(self.id, warehouse.id) for warehouse in warehouses})
        Slot.search([("product_id", "in", self.ids)])._oms_refresh()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "luxury_oms.luxury_oms_stock_slot_action"
        )
        action["domain"] = [("product_id", "in", self.ids)]
        action["context"] = {}
        return action

from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def action_oms_availability(self):
        """Open this product's availability per site, refreshed now."""
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

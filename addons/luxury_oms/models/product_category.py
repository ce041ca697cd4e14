from odoo import models
from odoo.tools import SQL


class ProductCategory(models.Model):
    _inherit = "product.category"

    def write(self, vals):
        result = super().write(vals)
        if "route_ids" in vals:
            # The take keeps whether a product's lines take stock, which follows its
            # family's routes (sale.order.line._oms_takes_site_stock).
            self.env.registry.clear_cache()
        if "parent_id" in vals:
            # Availability keeps each product's family chain per worker, the take whether
            # its lines take stock.
            self.env.registry.clear_cache()
            # A family moved under another: the buffer rules of its new parents apply to its
            # products (and its sub-families'), whose rows are made exact at commit.
            self.flush_recordset(["parent_path"])
            self.env["luxury.oms.stock.slot"].sudo()._oms_track_scope(
                SQL(
                    """slot.categ_id IN (SELECT category.id FROM product_category category
                                          WHERE category.parent_path LIKE ANY(%s))""",
                    [f"{category.parent_path}%" for category in self],
                )
            )
        return result

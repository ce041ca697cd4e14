from odoo import models
from odoo.tools import SQL


class ProductCategory(models.Model):
    _inherit = "product.category"

    def write(self, vals):
        result = super().write(vals)
        if {"route_ids", "parent_id"} & vals.keys():
            # Availability keeps each product's family chain per worker, the take whether
            # its lines take stock, which follows the family's routes and its parents'
            # (sale.order.line._oms_takes_site_stock).
            self.env.registry.clear_cache()
        if "parent_id" in vals:
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

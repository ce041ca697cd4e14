from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def action_oms_availability(self):
        return self.product_variant_ids.action_oms_availability()

from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

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

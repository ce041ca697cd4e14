from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        # Refuse before any pre-validation wizard opens.
        self.move_ids._oms_sale_orders()._oms_check_fraud_released()
        return super().button_validate()

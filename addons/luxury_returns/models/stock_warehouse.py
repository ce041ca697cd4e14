from odoo import models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    def _luxury_unsellable_location(self, reason):
        """The site's location for ``reason`` (quarantine, repair...), created on demand."""
        self.ensure_one()
        location_model = self.env["stock.location"].sudo()
        location = location_model.search(
            [
                ("warehouse_id", "=", self.id),
                ("usage", "=", "internal"),
                ("oms_unsellable_reason", "=", reason),
            ],
            limit=1,
        )
        if location:
            return location
        label = dict(
            location_model._fields["oms_unsellable_reason"]._description_selection(self.env)
        )[reason]
        return location_model.create(
            {
                "name": label,
                "location_id": self.view_location_id.id,
                "usage": "internal",
                "oms_unsellable_reason": reason,
                "company_id": self.company_id.id,
            }
        )

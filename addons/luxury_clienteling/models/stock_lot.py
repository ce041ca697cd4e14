from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    clienteling_owner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        compute="_compute_clienteling_sale",
        help="Client the serial was last delivered to, online or in a boutique.",
    )
    clienteling_sale_date = fields.Datetime(string="Sold On", compute="_compute_clienteling_sale")
    clienteling_sale_warehouse_id = fields.Many2one(
        "stock.warehouse", string="Sold By", compute="_compute_clienteling_sale"
    )

    def _compute_clienteling_sale(self):
        lines = self.env["stock.move.line"].search_fetch(
            [
                ("lot_id", "in", self.ids),
                ("state", "=", "done"),
                ("location_dest_id.usage", "=", "customer"),
            ],
            ["lot_id", "date", "picking_partner_id", "picking_id", "location_id"],
            order="date desc, id desc",
        )
        last_sale = {}
        for line in lines:
            last_sale.setdefault(line.lot_id, line)
        for lot in self:
            line = last_sale.get(lot, self.env["stock.move.line"])
            lot.clienteling_owner_id = line.picking_partner_id.commercial_partner_id
            lot.clienteling_sale_date = line.date
            lot.clienteling_sale_warehouse_id = line.location_id.warehouse_id

    def _get_report_lang(self):
        """Certificates speak the owner's language."""
        return self.clienteling_owner_id.lang or self.env.lang

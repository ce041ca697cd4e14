from odoo import fields
from odoo import models
from odoo.exceptions import UserError


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

    def _clienteling_free_quants(self, warehouse=None):
        """The quants holding these serials, free to leave their site; else a UserError
        saying why.

        Free means: in an internal location (of ``warehouse`` when given), not
        reserved by any order or transfer, not out on a press loan, and not needed
        by the site's VIP holds.
        """
        quants = self.env["stock.quant"]
        for lot in self:
            quants |= lot._clienteling_free_quant(warehouse)
        quants._clienteling_check_not_promised()
        return quants

    def _clienteling_free_quant(self, warehouse):
        self.ensure_one()
        quant = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "=", self.id),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                ],
                limit=1,
            )
        )
        if quant.location_id.clienteling_press_loan:
            raise UserError(self.env._("Serial %(lot)s is already out on loan.", lot=self.name))
        if not quant or (warehouse and quant.location_id.warehouse_id != warehouse):
            raise UserError(
                self.env._(
                    "Serial %(lot)s is not in stock at %(site)s.",
                    lot=self.name,
                    site=warehouse.name if warehouse else self.env._("any site"),
                )
            )
        if quant.reserved_quantity:
            raise UserError(
                self.env._(
                    "Serial %(lot)s is reserved (%(refs)s) and cannot leave its site.",
                    lot=self.name,
                    refs=", ".join(self._clienteling_reservations()),
                )
            )
        return quant

    def _clienteling_reservations(self):
        """References of the open transfers reserving this serial."""
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search([("lot_id", "=", self.id), ("state", "not in", ("done", "cancel"))])
        )
        return [ref for ref in lines.mapped("reference") if ref]

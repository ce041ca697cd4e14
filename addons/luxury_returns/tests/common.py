from odoo import Command
from odoo.addons.luxury_oms.tests.common import LuxuryOmsCase


class LuxuryReturnsCase(LuxuryOmsCase):
    """A client who bought two serial-numbered bags and three scarves, delivered and invoiced."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ensure_chart_of_accounts()
        cls.leather = cls.env["product.category"].create({"name": "Test Leather"})
        cls.bags = cls.env["product.category"].create(
            {"name": "Test Bags", "parent_id": cls.leather.id}
        )
        cls.bag = cls.env["product.product"].create(
            {
                "name": "Test Serial Bag",
                "default_code": "T-SBAG",
                "is_storable": True,
                "tracking": "serial",
                "categ_id": cls.bags.id,
                "list_price": 5000,
                "invoice_policy": "order",
            }
        )
        cls.scarf = cls.env["product.product"].create(
            {
                "name": "Test Scarf",
                "default_code": "T-SCARF",
                "is_storable": True,
                "list_price": 400,
                "invoice_policy": "order",
            }
        )
        cls.lot_1, cls.lot_2 = cls.env["stock.lot"].create(
            [
                {"name": "TSN-001", "product_id": cls.bag.id, "luxury_hidden_mark": "HM-AAA"},
                {"name": "TSN-002", "product_id": cls.bag.id, "luxury_hidden_mark": "HM-BBB"},
            ]
        )
        cls.lot_unsold = cls.env["stock.lot"].create(
            {"name": "TSN-999", "product_id": cls.bag.id, "luxury_hidden_mark": "HM-ZZZ"}
        )
        quant = cls.env["stock.quant"]
        for lot in cls.lot_1 | cls.lot_2 | cls.lot_unsold:
            quant._update_available_quantity(cls.bag, cls.dc.lot_stock_id, 1, lot_id=lot)
        cls._set_stock(cls.scarf, cls.dc, 10)
        cls.client.oms_preferred_warehouse_id = cls.milan
        cls.reason = cls.env.ref("luxury_returns.return_reason_size")
        cls.order = cls._sell({cls.bag: 2, cls.scarf: 3})
        cls.bag_line = cls.order.order_line.filtered(lambda line: line.product_id == cls.bag)
        cls.scarf_line = cls.order.order_line.filtered(lambda line: line.product_id == cls.scarf)

    @classmethod
    def _sell(cls, quantities, pricelist=None, partner=None):
        """Confirm, deliver from the DC and invoice an order of ``{product: qty}``."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.client).id,
                "warehouse_id": cls.dc.id,
                "oms_channel_id": cls.channel.id,
                **({"pricelist_id": pricelist.id} if pricelist else {}),
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in quantities.items()
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        return order

    def _request(self, lines, order=None, reason="size"):
        return self.env["luxury.return"]._create_from_channel(
            self.channel, order or self.order, lines, reason
        )

    def _receive_and_check(self, rma, serials, marks, photos=True):
        """Receive ``rma`` and run its steps; ``serials``/``marks`` map lines to what is read."""
        rma.action_receive()
        if photos:
            self.env["ir.attachment"].create(
                {
                    "name": "piece.png",
                    "res_model": "luxury.return",
                    "res_id": rma.id,
                    "mimetype": "image/png",
                    "raw": b"\x89PNG\r\n\x1a\n",
                }
            )
        for line in rma.line_ids:
            if line in serials:
                line.received_serial = serials[line]
            for check in line.check_ids:
                if check.check_type == "hidden_mark" and line in marks:
                    check.hidden_mark_entry = marks[line]
                elif check.can_tick:
                    check.action_pass()
        return rma

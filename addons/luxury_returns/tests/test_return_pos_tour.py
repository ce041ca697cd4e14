from odoo import Command
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestReturnPosTour(TestPointOfSaleHttpCommon):
    """A client brings a web order back to the boutique: the return opened from the POS."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("luxury_oms.group_oms_manager")
        config = cls.main_pos_config
        site = config.picking_type_id.warehouse_id
        channel = cls.env["luxury.oms.channel"].create(
            {
                "name": "Tour Returns Boutique",
                "code": "tour-returns-pos",
                "channel_type": "pos",
                "company_id": config.company_id.id,
                "currency_id": config.currency_id.id,
                "warehouse_ids": [(6, 0, site.ids)],
            }
        )
        config.oms_channel_id = channel
        cls.pos_user.group_ids += cls.env.ref("luxury_oms.group_oms_boutique")
        bag = cls.env["product.product"].create(
            {"name": "Tour Return Bag", "default_code": "TR-BAG", "is_storable": True,
             "tracking": "serial", "invoice_policy": "order"}
        )  # fmt: skip
        lot = cls.env["stock.lot"].create({"name": "TRS-001", "product_id": bag.id})
        cls.env["stock.quant"]._update_available_quantity(bag, site.lot_stock_id, 1, lot_id=lot)
        cls.client = cls.env["res.partner"].create({"name": "Madame Cadogan"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.client.id,
                "warehouse_id": site.id,
                "order_line": [Command.create({"product_id": bag.id})],
            }
        )
        cls.order.action_confirm()
        picking = cls.order.picking_ids
        picking.move_ids.picked = True
        picking.button_validate()

    def test_return_opened_from_the_pos(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("LuxuryReturnsPosTour", login="pos_user")
        rma = self.env["luxury.return"].sudo().search([("sale_order_id", "=", self.order.id)])
        self.assertEqual((rma.origin, rma.state), ("pos", "requested"))
        self.assertEqual(rma.line_ids.lot_id.name, "TRS-001")
        self.assertEqual(rma.site_id, self.main_pos_config.picking_type_id.warehouse_id)

from odoo import Command
from odoo.addons.luxury_oms.tests.pos_tour_common import OmsBoutiqueTourCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestLuxuryReturnsPosTour(OmsBoutiqueTourCase):
    """A client brings back a scarf bought online: the till opens the RMA at this boutique."""

    BOUTIQUE_CHANNEL = {"name": "Tour Returns Boutique", "code": "tour-returns-pos"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        scarf = cls.env["product.product"].create(
            {"name": "Tour Return Scarf", "default_code": "TR-SCARF", "is_storable": True}
        )
        cls.env["stock.quant"]._update_available_quantity(scarf, cls.site.lot_stock_id, 2)
        cls.client = cls.env["res.partner"].create({"name": "Tour Return Client"})
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.client.id,
                "warehouse_id": cls.site.id,
                "order_line": [Command.create({"product_id": scarf.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()
        order.picking_ids.move_ids.write({"quantity": 2, "picked": True})
        order.picking_ids.button_validate()

    def test_till_opens_a_return(self):
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.start_pos_tour("LuxuryReturnsPosTour", login="pos_user")
        rma = self.env["luxury.return"].sudo().search([("partner_id", "=", self.client.id)])
        self.assertEqual(len(rma), 1, "the refused request created nothing")
        self.assertEqual(rma.origin, "pos")
        self.assertEqual(rma.state, "requested")
        self.assertEqual(rma.site_id, self.site)
        self.assertEqual(rma.line_ids.qty, 1)

from odoo import Command
from odoo.tests import tagged

from .common import LuxuryOmsPosCase


@tagged("post_install", "-at_install")
class TestPosResourcing(LuxuryOmsPosCase):
    """A web order whose reserved piece the till sold is served again at once, or handed to
    customer service; its chatter says what happened either way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel.sourcing_strategy_id = cls.env["luxury.oms.sourcing.strategy"].create(
            {
                "name": "Test nearest",
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Everyone: nearest",
                            "criterion_ids": [
                                Command.create({"criterion_type": "distance", "weight": 100})
                            ],
                        }
                    )
                ],
            }
        )
        cls.watch = cls.env["product.product"].create(
            {
                "name": "Test Watch",
                "default_code": "T-WATCH",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 9000,
                "taxes_id": [Command.clear()],
                "available_in_pos": True,
            }
        )
        cls.service_agent = cls._create_user(
            "oms_service_agent", "luxury_oms.group_oms_customer_service"
        )

    def _piece(self, serial, site):
        lot = self.env["stock.lot"].create({"name": serial, "product_id": self.watch.id})
        self.env["stock.quant"]._update_available_quantity(
            self.watch, site.lot_stock_id, 1, lot_id=lot
        )
        return lot

    def _web_order(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "oms_channel_id": self.channel.id,
                "user_id": self.service_agent.id,
                "order_line": [Command.create({"product_id": self.watch.id})],
            }
        )
        order.action_confirm()
        return order

    def _sell_at_the_till(self, serial):
        session = self._open_session()
        return self._sync(self._ui_order(session, [(self.watch, 1, serial)]))

    def _reserved_serials(self, order):
        moves = order.picking_ids.move_ids.filtered(lambda move: move.state == "assigned")
        return moves.move_line_ids.lot_id.mapped("name")

    def test_another_piece_here_is_reserved_and_the_chatter_says_so(self):
        self._piece("SN-A", self.milan)
        order = self._web_order()
        self.assertEqual(self._reserved_serials(order), ["SN-A"])
        self._piece("SN-B", self.milan)
        self._sell_at_the_till("SN-A")
        self.assertEqual(self._reserved_serials(order), ["SN-B"])
        self.assertIn(
            "another piece at Test Milan is reserved instead (SN-B)", order.message_ids[0].body
        )
        self.assertFalse(order.activity_ids)

    def test_web_order_is_sourced_again_from_another_site(self):
        self._piece("SN-A", self.milan)
        order = self._web_order()
        self.assertEqual(order.order_line.warehouse_id, self.milan)
        self._piece("SN-D", self.dc)
        pos_order = self._sell_at_the_till("SN-A")
        self.assertEqual(pos_order.state, "paid")
        open_moves = order.picking_ids.move_ids.filtered(lambda move: move.state != "cancel")
        self.assertEqual(open_moves.location_id.warehouse_id, self.dc)
        self.assertEqual(self._reserved_serials(order), ["SN-D"])
        chatter = " ".join(order.message_ids.mapped("body"))
        self.assertIn("Re-sourced away from Test Milan", chatter)
        self.assertIn(f"{pos_order.name} at Test Milan sold [T-WATCH] Test Watch (SN-A)", chatter)
        self.assertFalse(order.activity_ids)

    def test_nothing_can_serve_it_customer_service_gets_an_activity(self):
        self._piece("SN-A", self.milan)
        order = self._web_order()
        pos_order = self._sell_at_the_till("SN-A")
        self.assertEqual(pos_order.state, "paid", "a paid sale is never dropped")
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.service_agent)
        self.assertIn("sold at the boutique", activity.summary)
        self.assertIn("SN-A", activity.note)
        self.assertIn("No other piece can serve it", order.message_ids[0].body)
        waiting = order.picking_ids.move_ids.filtered(lambda move: move.state != "cancel")
        self.assertTrue(waiting, "the order still owes the piece")
        self.assertNotEqual(waiting.state, "assigned")

from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LuxuryReturnsCase


@tagged("post_install", "-at_install")
class TestReturnPickup(LuxuryReturnsCase):
    """A white-glove return is an incoming transfer the courier collects at the client's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.courier = cls.env["delivery.carrier"].create(
            {
                "name": "Test White Glove",
                "delivery_type": "fixed",
                "product_id": cls.env["product.product"]
                .create({"name": "White glove service", "type": "service"})
                .id,
            }
        )
        cls.appointment = fields.Datetime.now().replace(microsecond=0) + timedelta(days=2)

    def _pickup_return(self, **extra):
        return self.env["luxury.return"].create(
            {
                "partner_id": self.client.id,
                "sale_order_id": self.order.id,
                "reason_id": self.reason.id,
                "return_mode": "pickup",
                "pickup_date": self.appointment,
                "pickup_carrier_id": self.courier.id,
                "line_ids": [
                    Command.create({"sale_line_id": self.bag_line.id, "lot_id": self.lot_1.id})
                ],
                **extra,
            }
        )

    def test_request_schedules_the_courier_collection(self):
        rma = self._pickup_return()
        self.assertFalse(rma.pickup_picking_id, "nothing is scheduled for a draft")
        rma.action_request()
        picking = rma.pickup_picking_id
        self.assertEqual(picking.picking_type_id, self.milan.in_type_id)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(picking.scheduled_date, self.appointment)
        self.assertEqual(picking.carrier_id, self.courier)
        self.assertEqual(picking.partner_id, rma.pickup_address_id)
        self.assertEqual(picking.location_id, self.env.ref("stock.stock_location_customers"))
        self.assertEqual(picking.location_dest_id.oms_unsellable_reason, "quality")
        self.assertEqual(picking.move_ids.product_id, self.bag)
        self.assertEqual(rma.picking_ids, picking)
        self.assertEqual(rma.action_view_pickup()["res_id"], picking.id)
        picking.carrier_tracking_ref = "WG-123"
        self.assertEqual(rma.pickup_tracking_ref, "WG-123")

    def test_pickup_needs_an_appointment(self):
        rma = self._pickup_return(pickup_date=False)
        with self.assertRaisesRegex(UserError, "appointment date"):
            rma.action_request()
        self.assertEqual(rma.state, "draft")
        self.assertFalse(rma.picking_ids)

    def test_rescheduling_and_cancelling_follow_the_return(self):
        rma = self._pickup_return()
        rma.action_request()
        picking = rma.pickup_picking_id
        later = self.appointment + timedelta(days=1)
        rma.pickup_date = later
        self.assertEqual(picking.scheduled_date, later)
        rma.site_id = self.rome
        self.assertEqual(picking.state, "cancel", "the collection goes to another site")
        self.assertEqual(rma.pickup_picking_id.picking_type_id, self.rome.in_type_id)
        rma.return_mode = "boutique"
        self.assertEqual(rma.pickup_picking_id.state, "cancel")
        rma.return_mode = "pickup"
        rma.action_cancel()
        self.assertEqual(rma.pickup_picking_id.state, "cancel")
        self.assertEqual(set(rma.picking_ids.mapped("state")), {"cancel"})

    def test_authentic_piece_is_restocked_through_the_pickup_transfer(self):
        rma = self._pickup_return()
        rma.action_request()
        picking = rma.pickup_picking_id
        picking.carrier_tracking_ref = "WG-456"
        line = rma.line_ids
        self._receive_and_check(rma, {line: "TSN-001"}, {line: "HM-AAA"})
        rma.action_conclude()
        rma.action_refund()
        self.assertEqual(rma.picking_ids, picking, "one transfer, from the client's to stock")
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_tracking_ref, "WG-456")
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_1)
        self.assertEqual(picking.location_dest_id, self.milan.lot_stock_id)
        self.assertEqual(self.bag_line.qty_delivered, 1)

    def test_suspected_piece_is_quarantined_through_the_pickup_transfer(self):
        rma = self._pickup_return()
        rma.action_request()
        line = rma.line_ids
        self._receive_and_check(rma, {line: "FAKE-1"}, {line: "HM-AAA"})
        rma.action_conclude()
        rma.action_quarantine()
        picking = rma.pickup_picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.location_dest_id.oms_unsellable_reason, "quarantine")
        self.assertNotEqual(picking.move_line_ids.lot_id, self.lot_1)
        self.assertEqual(self.bag_line.qty_delivered, 2)

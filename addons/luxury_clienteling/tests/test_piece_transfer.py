from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.exceptions import UserError

from .test_services import ServicesCase


class TestUniquePieceTransfer(ServicesCase):
    def _transfer(self, lot, site=None):
        return self.env["luxury.client.piece.transfer"].create(
            {
                "partner_id": self.client.id,
                "lot_id": lot.id,
                "warehouse_id": (site or self.rome).id,
                "appointment_date": fields.Datetime.now() + timedelta(days=2),
            }
        )

    def _quant(self, lot):
        return self.env["stock.quant"].search([("lot_id", "=", lot.id), ("quantity", ">", 0)])

    def test_piece_travels_reserved_and_arrives(self):
        self.client.clienteling_alert = True
        self.rome.oms_manager_id = self.manager
        transfer = self._transfer(self.lots[0])
        transfer.action_confirm()
        self.assertEqual(transfer.state, "in_transit")
        self.assertEqual(transfer.source_warehouse_id, self.milan)
        self.assertEqual(self._quant(self.lots[0]).reserved_quantity, 1)
        self.assertEqual(transfer.picking_id.move_line_ids.lot_id, self.lots[0])
        self.assertEqual(transfer.interaction_id.interaction_type, "appointment")
        self.assertTrue(transfer.interaction_id.manager_alerted)
        self.assertIn("on its way to Test Rome", transfer.client_status)
        loan = self.env["luxury.client.loan"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.milan.id,
                "purpose": "Shoot",
                "lot_ids": [Command.set(self.lots[0].ids)],
                "date_due": fields.Date.today(),
            }
        )
        with self.assertRaisesRegex(UserError, "reserved"):
            loan.action_send_out()
        transfer.action_receive()
        self.assertEqual(transfer.state, "arrived")
        self.assertEqual(self._quant(self.lots[0]).location_id, self.rome.lot_stock_id)
        hold = transfer.hold_id
        self.assertEqual(
            (hold.state, hold.partner_id, hold.warehouse_id), ("active", self.client, self.rome)
        )
        Availability = self.env["luxury.oms.availability"]
        key = (self.watch.id, self.rome.id)
        stranger = Availability._compute_availability(self.watch, self.rome)[key]
        client = Availability._compute_availability(self.watch, self.rome, partner=self.client)[key]
        self.assertEqual(stranger.available_to_sell, 0, "the piece is kept for the client")
        self.assertEqual(client.available_to_sell, 1)

    def test_cancel_releases_the_piece(self):
        transfer = self._transfer(self.lots[1])
        transfer.action_confirm()
        transfer.action_cancel()
        quant = self._quant(self.lots[1])
        self.assertEqual(quant.reserved_quantity, 0)
        self.assertEqual(quant.location_id, self.milan.lot_stock_id)

    def test_piece_already_there_or_reserved_is_refused(self):
        with self.assertRaisesRegex(UserError, "already at Test Milan"):
            self._transfer(self.lots[2], site=self.milan).action_confirm()
        self._transfer(self.lots[2]).action_confirm()
        second = self._transfer(self.lots[2], site=self.dc)
        with self.assertRaisesRegex(UserError, "W-003 is reserved"):
            second.action_confirm()
        self.assertEqual(second.state, "draft")

    def test_serial_needed_by_a_vip_hold_cannot_leave(self):
        other = self.env["res.partner"].create({"name": "Other VIP"})
        self.env["luxury.oms.hold"].create(
            {
                "warehouse_id": self.milan.id,
                "product_id": self.watch.id,
                "quantity": 3,
                "beneficiary_type": "client",
                "partner_id": other.id,
                "date_expiry": fields.Datetime.now() + timedelta(days=3),
            }
        )
        transfer = self._transfer(self.lots[0])
        with self.assertRaisesRegex(
            UserError,
            r"^1 piece of .*Test Watch cannot leave Test Milan: .*"
            r"held for clients: \d+, buffer: 0, available to sell: 0\)\.$",
        ):
            transfer.action_confirm()
        self.assertEqual(transfer.state, "draft")
        self.assertFalse(self._quant(self.lots[0]).reserved_quantity)

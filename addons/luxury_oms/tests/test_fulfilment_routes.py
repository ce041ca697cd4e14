from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_fulfilment import FulfilmentCase


class FulfilmentFlowCase(FulfilmentCase):
    def _open_tasks(self, order, step_type):
        return self._tasks(order, step_type).filtered(lambda t: t.state not in ("done", "cancel"))

    def _finish(self, tasks):
        for task in tasks:
            if task.step_type == "qc":
                task.check_ids.result = "pass"
            else:
                self._scan_all(task)
            task.action_done()

    def _picking(self, order, picking_type):
        return order.picking_ids.filtered(lambda p: p.picking_type_id == picking_type)


@tagged("post_install", "-at_install")
class TestFulfilmentMultiStepRoutes(FulfilmentFlowCase):
    """The DC delivers in three steps (pick, pack, ship): Odoo chains a pick transfer to the
    packing zone, a pack transfer to the output and the delivery order to the client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dc.delivery_steps = "pick_pack_ship"
        # A carrier rule of the test's own company (the demo maison's are its own).
        cls.env["luxury.oms.carrier.rule"].create(
            {"carrier_id": cls.env.ref("delivery.free_delivery_carrier").id}
        )

    def test_steps_follow_the_pick_pack_ship_chain_to_handover_and_invoice(self):
        order = self._confirm(self.bag | self.watch)
        pick = order.picking_ids
        self.assertEqual(pick.picking_type_id, self.dc.pick_type_id)
        self.assertEqual(pick.oms_task_ids.mapped("step_type"), ["pick", "pick"])
        self.assertEqual(pick.oms_task_ids.picking_type_id, self.dc.pick_type_id)
        self.assertEqual(pick.oms_task_ids.zone_location_id, self.leather_room | self.watch_room)
        self.assertEqual(pick.oms_task_ids.mapped("state"), ["ready", "ready"])
        self.assertFalse(pick.carrier_id, "the carrier is chosen for the delivery order")
        with self.assertRaisesRegex(UserError, "before its fulfilment tasks are done"):
            pick.button_validate()

        watch_pick, leather_pick = pick.oms_task_ids.sorted(
            lambda t: t.zone_location_id != self.watch_room
        )
        self._finish(watch_pick)
        self.assertEqual(pick.state, "assigned", "the pack waits for every pick")
        self.assertEqual(order.picking_ids, pick)
        self._finish(leather_pick)
        self.assertEqual(pick.state, "done", "the last pick moves the pieces to packing")

        pack = self._picking(order, self.dc.pack_type_id)
        self.assertEqual(pack.state, "assigned")
        self.assertEqual(pack.oms_workflow_id, self.workflow)
        qc = self._tasks(order, "qc")
        self.assertEqual((qc.picking_id, qc.lot_id, qc.state), (pack, self.bag_lots[:1], "ready"))
        pack_task = self._tasks(order, "pack")
        self.assertEqual((pack_task.picking_id, pack_task.state), (pack, "waiting"))
        self.assertFalse(self._tasks(order, "handover"), "the delivery order is not there yet")
        self._finish(qc)
        self.assertEqual(pack_task.state, "ready")
        self._finish(pack_task)
        self.assertEqual(pack.state, "done")

        out = self._picking(order, self.dc.out_type_id)
        handover = self._tasks(order, "handover")
        self.assertEqual((handover.picking_id, handover.state), (out, "ready"))
        self.assertTrue(out.carrier_id, "carrier rules chose the courier of the delivery")
        self._hand_over(out)
        self.assertEqual(out.state, "done")
        self.assertEqual(handover.state, "done")
        self.assertEqual(out.oms_invoice_id.state, "posted")
        self.assertEqual(out.oms_invoice_id.invoice_line_ids.product_id, self.bag | self.watch)
        self.assertEqual(order.order_line.mapped("qty_delivered"), [1, 1])

    def test_two_steps_put_quality_control_and_packing_on_the_delivery_order(self):
        self.dc.delivery_steps = "pick_ship"
        order = self._confirm(self.bag)
        self.assertEqual(self._tasks(order).mapped("step_type"), ["pick"])
        self._finish(self._tasks(order, "pick"))
        out = self._picking(order, self.dc.out_type_id)
        self.assertEqual(
            out.oms_task_ids.sorted("sequence").mapped("step_type"), ["qc", "pack", "handover"]
        )
        self._finish(self._tasks(order, "qc") | self._tasks(order, "pack"))
        self._hand_over(out)
        self.assertEqual(out.oms_invoice_id.state, "posted")

    def test_one_step_delivery_confirmed_before_the_switch_keeps_its_workflow(self):
        self.dc.delivery_steps = "ship_only"
        order = self._confirm(self.bag)
        self.dc.delivery_steps = "pick_pack_ship"
        out = order.picking_ids
        out.do_unreserve()
        out.action_assign()
        self.assertEqual(
            self._open_tasks(order, None).sorted("sequence").mapped("step_type"),
            ["pick", "qc", "pack", "handover"],
        )


@tagged("post_install", "-at_install")
class TestFulfilmentTasksFollowReservation(FulfilmentFlowCase):
    def test_unreserve_cancels_open_tasks_with_a_note(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        order = self._confirm(self.bag)
        picking = order.picking_ids
        tasks = picking.oms_task_ids
        picking.do_unreserve()
        self.assertEqual(set(tasks.mapped("state")), {"cancel"})
        self.assertIn("unreserved", picking.message_ids[0].body)
        for task in tasks:
            self.assertIn("unreserved", task.message_ids[0].body)
        self.assertFalse(picking.move_line_ids)

    def test_re_reserve_plans_tasks_on_the_new_lines(self):
        order = self._confirm(self.bag)
        picking = order.picking_ids
        first_lot = picking.move_line_ids.lot_id
        other_lot = self.bag_lots - first_lot
        picking.do_unreserve()
        # The first piece is gone, the other one was moved to the watch room meanwhile.
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(self.bag, self.shelf, -1, lot_id=first_lot)
        Quant._update_available_quantity(self.bag, self.shelf, -1, lot_id=other_lot)
        Quant._update_available_quantity(self.bag, self.watch_room, 1, lot_id=other_lot)
        picking.action_assign()

        pick = self._open_tasks(order, "pick")
        self.assertEqual(pick.zone_location_id, self.watch_room)
        self.assertEqual(pick.move_line_ids, picking.move_line_ids)
        self.assertEqual(pick.move_line_ids.lot_id, other_lot)
        self.assertEqual(pick.state, "ready")
        self.assertEqual(self._open_tasks(order, "qc").lot_id, other_lot)
        self.assertEqual(self._open_tasks(order, "pack").state, "waiting")
        self.assertEqual(len(self._tasks(order, "handover")), 2, "the old one is cancelled")
        picking.action_assign()
        self.assertEqual(len(picking.oms_task_ids), 8, "an unchanged reservation plans nothing")

    def test_done_pick_is_kept_and_not_picked_again(self):
        order = self._confirm(self.bag | self.watch)
        picking = order.picking_ids
        leather_pick = self._tasks(order, "pick").filtered(
            lambda t: t.zone_location_id == self.leather_room
        )
        self._finish(leather_pick)
        picking.do_unreserve()
        self.assertEqual(leather_pick.state, "done")
        self.assertTrue(leather_pick.move_line_ids, "picked pieces stay reserved")
        self.assertEqual(set((self._tasks(order) - leather_pick).mapped("state")), {"cancel"})

        picking.action_assign()
        pick = self._open_tasks(order, "pick")
        self.assertEqual(pick.move_line_ids.lot_id, self.watch_lots, "the bag is not re-picked")
        self.assertEqual(self._open_tasks(order, "qc").lot_id, leather_pick.move_line_ids.lot_id)
        self._finish(pick)
        self._finish(self._open_tasks(order, "qc") | self._open_tasks(order, "pack"))
        self._hand_over(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.oms_invoice_id.state, "posted")
        self.assertEqual(leather_pick.state, "done")

    def test_partial_reservation_waits_for_the_full_one(self):
        order = self._confirm(self.bag | self.watch)
        picking = order.picking_ids
        picking.do_unreserve()
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(self.watch, self.watch_room, -1, lot_id=self.watch_lots)
        picking.action_assign()
        self.assertTrue(picking.move_line_ids, "the bag is reserved")
        self.assertFalse(self._open_tasks(order, None))
        Quant._update_available_quantity(self.watch, self.watch_room, 1, lot_id=self.watch_lots)
        picking.action_assign()
        self.assertEqual(len(self._open_tasks(order, "pick")), 2)

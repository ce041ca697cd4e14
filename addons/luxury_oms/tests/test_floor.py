from odoo import Command
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase
from odoo.tests import tagged

from .test_fulfilment import FulfilmentCase
from .test_sourcing import SourcingCase


class FloorCase(FulfilmentCase):
    """The DC's workflow run from the floor app's RPC methods by a Floor Staff user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = cls._create_user_in("test_floor_app", "luxury_oms.group_oms_floor")
        cls.shelf.barcode = "LOC-SHELF-A"
        cls.bag.barcode = "3700000000017"
        cls.Floor = cls.env["luxury.oms.fulfilment.task"].with_user(cls.operator)

    def _queue(self, step_code=False):
        return self.Floor.floor_queue(self.dc.id, step_code)


@tagged("post_install", "-at_install")
class TestFloorQueue(FloorCase):
    def test_sites_offer_their_steps_in_flow_order(self):
        self.workflow.step_ids.filtered(lambda s: s.step_type == "handover").sequence = 95
        sites = {site["id"]: site for site in self.Floor.floor_sites()}
        codes = [step["code"] for step in sites[self.dc.id]["steps"]]
        self.assertEqual(codes, ["pick", "qc", "pack", "handover"], "skipped gift wrap is absent")

    def test_queue_shows_the_piece_its_place_and_the_client(self):
        self.client.oms_tier_id = self.tier_gold
        order = self._confirm(self.bag | self.watch)
        queue = self._queue("pick")
        self.assertEqual(len(queue), 2, "one pick per zone")
        bag_pick = next(card for card in queue if card["zone"] == "Leather Room")
        self.assertEqual(bag_pick["order"], order.name)
        self.assertEqual(bag_pick["tier"], "Test Gold")
        self.assertTrue(bag_pick["deadline"])
        piece = bag_pick["first_piece"]
        self.assertEqual(piece["serial"], "BAG-001")
        self.assertEqual(piece["location"], "Shelf A")
        self.assertIn("/web/image/product.product/", piece["image_url"])
        self.assertFalse(self._queue("pack"), "the pack waits for the picks")

    def test_queue_in_flow_order_across_steps(self):
        first = self._confirm(self.watch)
        watch_pick = self._tasks(first, "pick").with_user(self.operator)
        self._scan_all(watch_pick)
        watch_pick.action_done()
        self._confirm(self.bag)
        steps = [card["step_code"] for card in self._queue()]
        self.assertEqual(steps, ["pick", "pack"], "by the step's sequence, not alphabetical")

    def test_held_order_never_appears_and_cannot_be_started(self):
        order = self._confirm(self.bag)
        order.sudo().oms_fraud_state = "held"
        self.assertFalse(self._queue("pick"))
        self.assertTrue(self._tasks(order, "pick").is_order_held, "the board says why")
        pick = self._tasks(order, "pick").with_user(self.operator)
        refused = self.Floor.floor_start(pick.id)
        self.assertFalse(refused["ok"])
        self.assertIn("held", refused["message"])
        self.assertEqual(pick.state, "ready")
        self.assertFalse(self.Floor.floor_scan(pick.id, "BAG-001")["ok"])
        self.assertFalse(pick.scanned_move_line_ids)
        with self.assertRaisesRegex(UserError, "held, cancelled"):
            pick.action_start()
        with self.assertRaisesRegex(UserError, "held, cancelled"):
            pick.action_scan("BAG-001")
        order.sudo().oms_fraud_state = "approved"
        self.assertEqual(len(self._queue("pick")), 1, "approved: back on the floor")

    def test_order_not_released_to_the_floor_is_not_worked(self):
        """Whatever planned its tasks, an order the pipeline has not released yet is not
        floor work."""
        order = self._confirm(self.bag)
        pick = self._tasks(order, "pick").with_user(self.operator)
        order.sudo().oms_pipeline_state = "received"
        self.assertFalse(self._queue("pick"))
        self.assertFalse(self.Floor.floor_start(pick.id)["ok"])
        with self.assertRaisesRegex(UserError, "not released"):
            pick.action_start()
        order.sudo().oms_pipeline_state = "released"
        self.assertEqual(len(self._queue("pick")), 1)

    def test_cancelled_order_leaves_the_queue(self):
        order = self._confirm(self.bag)
        pick = self._tasks(order, "pick")
        order._action_cancel()
        self.assertFalse(self._queue())
        self.assertFalse(self.Floor.floor_start(pick.id)["ok"])

    def test_bad_ids_are_named(self):
        with self.assertRaisesRegex(UserError, "site_id: not an id"):
            self.Floor.floor_queue("Paris", "pick")
        with self.assertRaisesRegex(UserError, "task_id: no such task"):
            self.Floor.floor_task(999999999)

    def test_floor_methods_need_a_floor_role(self):
        order = self._confirm(self.bag)
        clerk = self._create_user_in("test_floor_cs", "luxury_oms.group_oms_customer_service")
        Tasks = self.env["luxury.oms.fulfilment.task"].with_user(clerk)
        with self.assertRaises(AccessError):
            Tasks.floor_queue(self.dc.id, "pick")
        with self.assertRaises(AccessError):
            Tasks.floor_start(self._tasks(order, "pick").id)


@tagged("post_install", "-at_install")
class TestFloorScans(FloorCase):
    def test_pick_by_location_product_and_serial(self):
        order = self._confirm(self.bag)
        pick = self._tasks(order, "pick")
        wrong_place = self.Floor.floor_scan(pick.id, "LOC-ELSEWHERE")
        self.assertFalse(wrong_place["ok"])
        self.assertIn("LOC-ELSEWHERE", wrong_place["message"])
        self.assertTrue(self.Floor.floor_scan(pick.id, "LOC-SHELF-A")["ok"])
        product = self.Floor.floor_scan(pick.id, "3700000000017")
        self.assertTrue(product["ok"])
        self.assertIn("serial", product["message"])
        self.assertFalse(pick.scanned_move_line_ids, "a product barcode does not confirm a serial")
        wrong_serial = self.Floor.floor_scan(pick.id, "BAG-002")
        self.assertFalse(wrong_serial["ok"])
        self.assertIn("expected: BAG-001", wrong_serial["message"])
        self.assertFalse(self.Floor.floor_done(pick.id)["ok"], "a piece is still to scan")
        confirmed = self.Floor.floor_scan(pick.id, "BAG-001")
        self.assertTrue(confirmed["ok"])
        self.assertTrue(confirmed["task"]["pieces"][0]["scanned"])
        self.assertEqual(confirmed["task"]["state"], "in_progress")
        self.assertTrue(self.Floor.floor_done(pick.id)["ok"])
        self.assertEqual(pick.state, "done")
        self.assertEqual(pick.user_id, self.operator)

    def test_qc_fail_with_photo_and_pass(self):
        order = self._confirm(self.bag)
        pick = self._tasks(order, "pick")
        self.Floor.floor_scan(pick.id, "BAG-001")
        self.Floor.floor_done(pick.id)
        qc = self._tasks(order, "qc")
        self.assertFalse(self.Floor.floor_scan(qc.id, "BAG-002")["ok"], "not the piece checked")
        self.assertTrue(self.Floor.floor_scan(qc.id, "BAG-001")["ok"])
        self.assertFalse(self.Floor.floor_done(qc.id)["ok"], "every check needs a result")
        first, *others = qc.check_ids
        self.assertFalse(self.Floor.floor_qc_result(qc.id, first.id, "maybe")["ok"])
        self.Floor.floor_qc_result(qc.id, first.id, "fail", "Loose stitch")
        for check in others:
            self.Floor.floor_qc_result(qc.id, check.id, "pass")
        photo = self.Floor.floor_add_photo(qc.id, "stitch.png", "iVBORw0KGgo=")
        self.assertTrue(photo["ok"])
        self.assertEqual(photo["task"]["photo_count"], 1)
        self.assertFalse(self.Floor.floor_add_photo(qc.id, "x.png", "not base64!")["ok"])
        self.assertTrue(self.Floor.floor_done(qc.id)["ok"])
        self.assertEqual(qc.state, "cancel", "the other bag replaces the failed one")
        self.assertEqual(first.note, "Loose stitch")
        new_pick = self._tasks(order, "pick").filtered(lambda t: t.state == "ready")
        self.Floor.floor_scan(new_pick.id, "BAG-002")
        self.Floor.floor_done(new_pick.id)
        new_qc = self._tasks(order, "qc").filtered(lambda t: t.state == "ready")
        for check in new_qc.check_ids:
            self.Floor.floor_qc_result(new_qc.id, check.id, "pass")
        self.assertTrue(self.Floor.floor_done(new_qc.id)["ok"])
        self.assertEqual(new_qc.state, "done")

    def test_pack_shows_the_packaging_and_handover_posts_the_invoice(self):
        order = self._confirm(self.bag)
        pick = self._tasks(order, "pick")
        self.Floor.floor_scan(pick.id, "BAG-001")
        self.Floor.floor_done(pick.id)
        qc = self._tasks(order, "qc")
        qc.check_ids.result = "pass"
        qc.action_done()
        pack = self._tasks(order, "pack")
        details = self.Floor.floor_task(pack.id)
        self.assertEqual(details["packaging"], "Standard shipping box")
        self.Floor.floor_scan(pack.id, "BAG-001")
        self.assertTrue(self.Floor.floor_done(pack.id)["ok"])
        handover = self._tasks(order, "handover")
        picking = handover.picking_id
        self.assertFalse(self.Floor.floor_scan(handover.id, "WH/OUT/99999")["ok"])
        self.assertTrue(self.Floor.floor_scan(handover.id, picking.name)["ok"])
        wrong = self.Floor.floor_handover(handover.id, "WH/OUT/99999", "Jean")
        self.assertFalse(wrong["ok"])
        self.assertIn("right parcel", wrong["message"])
        no_courier = self.Floor.floor_handover(handover.id, picking.name, " ")
        self.assertFalse(no_courier["ok"])
        bad_signature = self.Floor.floor_handover(handover.id, picking.name, "Jean", "%%%")
        self.assertFalse(bad_signature["ok"])
        self.assertNotEqual(picking.state, "done")
        done = self.Floor.floor_handover(
            handover.id, picking.name, "Jean, Maison Courier", "iVBORw0KGgo=", "TRK-1"
        )
        self.assertTrue(done["ok"], done["message"])
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.oms_invoice_id.state, "posted")
        self.assertIn(picking.oms_invoice_id.name, done["message"])
        self.assertEqual(picking.oms_handover_courier, "Jean, Maison Courier")
        self.assertEqual(picking.oms_handover_user_id, self.operator)


@tagged("post_install", "-at_install")
class TestFloorSupervisor(FloorCase):
    def test_board_columns_follow_the_flow(self):
        self._confirm(self.bag)
        groups = self.env["luxury.oms.fulfilment.task"].web_read_group(
            [("warehouse_id", "=", self.dc.id)], ["step_id"], ["__count"]
        )["groups"]
        self.assertEqual(
            [group["step_id"][1] for group in groups],
            ["Pick", "QC", "Pack", "Handover"],
            "flow order, skipped gift wrap aside, not alphabetical",
        )

    def test_blocked_late_and_throughput(self):
        order = self._confirm(self.bag | self.watch)
        picks = self._tasks(order, "pick")
        picks.picking_id.move_ids.date_deadline = "2020-01-01 08:00:00"
        self.assertEqual(picks.mapped("is_late"), [True, True])
        self.assertEqual(
            self.env["luxury.oms.fulfilment.task"].search(
                [("id", "in", picks.ids), ("date_deadline", "<", "2021-01-01")]
            ),
            picks,
            "the deadline is stored: the board sorts and filters on it",
        )
        for pick in picks:
            self._scan_all(pick)
            pick.action_done()
        self.assertGreaterEqual(picks[0].duration, 0.0)
        self.assertFalse(picks[0].is_late, "finished work is not late")
        qc = self._tasks(order, "qc")
        self.bag_lots[1].quant_ids.sudo().unlink()  # no replacement: the QC stays failed
        qc.check_ids.result = "fail"
        qc.action_done()
        self.assertEqual(qc.state, "failed")
        self.assertTrue(qc.is_blocked)
        self.assertIn("BAG-001", qc.piece_summary)


@tagged("post_install", "-at_install")
class TestInternalLeg(SourcingCase):
    """A single-parcel order consolidated at the DC: Milan sends its piece over first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ensure_chart_of_accounts()
        Workflow = cls.env["luxury.oms.fulfilment.workflow"]
        steps = [
            Command.create({"name": "Pick", "sequence": 10, "step_type": "pick"}),
            Command.create({"name": "Wrap", "sequence": 20, "step_type": "luxury_packaging"}),
            Command.create({"name": "Handover", "sequence": 90, "step_type": "handover"}),
        ]
        for site in (cls.dc, cls.milan):
            Workflow.create({"name": f"{site.name} parcels", "warehouse_id": site.id,
                             "step_ids": steps})  # fmt: skip
        cls.milan_transfers = Workflow.create(
            {
                "name": "Milan transfers",
                "warehouse_id": cls.milan.id,
                "purpose": "transfer",
                "step_ids": [steps[0], steps[2]],
            }
        )
        cls.dc_transfers = Workflow.create(
            {
                "name": "DC transfers",
                "warehouse_id": cls.dc.id,
                "purpose": "transfer",
                "step_ids": [steps[0], steps[2]],
            }
        )
        cls.operator = cls._create_user_in("test_floor_legs", "luxury_oms.group_oms_floor")
        cls.integration_user = cls._create_user_in(
            "test_floor_api", "luxury_oms.group_oms_integration"
        )
        cls.channel.user_ids = cls.integration_user

    def test_leg_follows_the_transfer_workflow_and_tells_the_client_nothing(self):
        self._set_stock(self.product, self.dc, 1)
        self._set_stock(self.wallet, self.milan, 1)
        order = self._order(
            (self.product, 1), (self.wallet, 1), oms_single_parcel=True, oms_external_ref="LEG-1"
        )
        order.action_confirm()
        leg = order.picking_ids.filtered(lambda p: p.picking_type_id.warehouse_id == self.milan)
        self.assertTrue(leg._oms_is_internal_leg())
        self.assertEqual(leg.oms_workflow_id, self.milan_transfers)
        self.assertEqual(leg.oms_task_ids.mapped("step_type"), ["pick", "handover"])
        Floor = self.env["luxury.oms.fulfilment.task"].with_user(self.operator)
        pick, handover = leg.oms_task_ids
        self.assertTrue(Floor.floor_queue(self.milan.id, "pick")[0]["internal"])
        self.assertTrue(Floor.floor_scan(pick.id, "T-WAL")["ok"])
        self.assertTrue(Floor.floor_done(pick.id)["ok"])
        messages_before = leg.message_ids | order.message_ids
        answer = Floor.floor_handover(handover.id, leg.name, "Maison shuttle")
        self.assertTrue(answer["ok"], answer["message"])
        self.assertEqual(leg.state, "done")
        self.assertFalse(leg.oms_invoice_id)
        self.assertFalse(order.invoice_ids, "the client's parcel has not left yet")
        new_messages = (leg.message_ids | order.message_ids) - messages_before
        self.assertFalse(
            new_messages.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_comment")),
            "nothing is sent to the client",
        )
        self.assertFalse(leg.can_mark_delivered)
        status = (
            self.env["luxury.oms.api"]
            .with_user(self.integration_user)
            .get_order_status(self.channel.code, "LEG-1")
        )
        self.assertEqual([s["site"] for s in status["shipments"]], [self.dc.code])
        self.assertEqual([s["site"] for s in status["transfers"]], [self.milan.code])

    def test_pickup_supply_is_a_leg_until_the_boutique_has_the_piece(self):
        self.milan.oms_click_collect = True
        self._set_stock(self.wallet, self.dc, 1)
        order = self._order((self.wallet, 1), oms_pickup_warehouse_id=self.milan.id)
        order.action_confirm()
        leg = order.picking_ids.filtered(lambda p: p.picking_type_id.warehouse_id == self.dc)
        self.assertEqual(leg.oms_workflow_id, self.dc_transfers)
        self.assertNotIn("luxury_packaging", leg.oms_task_ids.mapped("step_type"))
        Floor = self.env["luxury.oms.fulfilment.task"].with_user(self.operator)
        pick, handover = leg.oms_task_ids
        Floor.floor_scan(pick.id, "T-WAL")
        Floor.floor_done(pick.id)
        messages_before = leg.message_ids | order.message_ids
        self.assertTrue(Floor.floor_handover(handover.id, leg.name, "Maison shuttle")["ok"])
        self.assertFalse(order.invoice_ids)
        new_messages = (leg.message_ids | order.message_ids) - messages_before
        self.assertFalse(
            new_messages.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_comment")),
            "the client hears when the pickup is ready, not when the piece travels",
        )
        self.assertEqual(order.oms_pickup_state, "waiting")

    def test_transfer_workflow_has_no_presentation_step(self):
        with self.assertRaises(ValidationError):
            self.env["luxury.oms.fulfilment.step"].create(
                {"workflow_id": self.milan_transfers.id, "name": "Wrap",
                 "step_type": "gift_wrap", "sequence": 30}
            )  # fmt: skip


@tagged("post_install", "-at_install")
class TestFloorTour(HttpCase, FloorCase):
    """A picker's phone: the whole flow of one parcel through the floor app."""

    browser_size = "375x667"
    touch_enabled = True

    def test_floor_app_on_a_phone(self):
        self.operator.password = "test_floor_app"
        order = self._confirm(self.bag)
        held = self._confirm(self.watch)
        held.sudo().oms_fraud_state = "held"
        self.start_tour(
            "/odoo/action-luxury_oms.luxury_oms_floor_action",
            "LuxuryOmsFloorTour",
            login="test_floor_app",
        )
        parcel = self._tasks(order, "handover").filtered(lambda t: t.state == "done").picking_id
        self.assertEqual(parcel.state, "done")
        self.assertEqual(parcel.move_line_ids.lot_id.name, "BAG-002")
        self.assertEqual(parcel.oms_invoice_id.state, "posted")
        self.assertEqual(parcel.oms_handover_courier, "Jean, Maison Courier")
        self.assertTrue(parcel.oms_handover_signature)
        failed_qc = self._tasks(order, "qc").filtered(lambda t: t.lot_id.name == "BAG-001")
        self.assertEqual(failed_qc.check_ids.filtered(lambda c: c.result == "fail").note,
                         "Loose stitch")  # fmt: skip
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", failed_qc._name), ("res_id", "=", failed_qc.id)]
            ),
            1,
        )
        self.assertFalse(
            self._tasks(held).filtered(lambda t: t.state in ("in_progress", "done")),
            "nobody started the held order's work",
        )

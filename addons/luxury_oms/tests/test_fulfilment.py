from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import tagged

from .common import LuxuryOmsCase


@tagged("post_install", "-at_install")
class FulfilmentCase(LuxuryOmsCase):
    """A DC with a leather room and a watch room, serial-numbered pieces, and a workflow
    pick / QC / gift wrap (skipped) / pack / handover."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ensure_chart_of_accounts()
        Location = cls.env["stock.location"]
        stock = cls.dc.lot_stock_id
        cls.leather_room = Location.create({"name": "Leather Room", "location_id": stock.id})
        cls.watch_room = Location.create({"name": "Watch Room", "location_id": stock.id})
        cls.shelf = Location.create({"name": "Shelf A", "location_id": cls.leather_room.id})
        Category = cls.env["product.category"]
        cls.categ_leather = Category.create({"name": "Test Leather"})
        cls.categ_watch = Category.create({"name": "Test Watches"})
        cls.bag = cls._create_serial_product("Test Serial Bag", "T-SBAG", cls.categ_leather)
        cls.watch = cls._create_serial_product("Test Watch", "T-WATCH", cls.categ_watch)
        cls.bag_lots = cls._stock_serials(cls.bag, cls.shelf, ["BAG-001", "BAG-002"])
        cls.watch_lots = cls._stock_serials(cls.watch, cls.watch_room, ["W-001"])
        Checklist = cls.env["luxury.oms.qc.checklist"]
        Checklist.create(
            {
                "name": "Leather",
                "categ_id": cls.categ_leather.id,
                "item_ids": [
                    (0, 0, {"name": "Stitching", "sequence": 1}),
                    (0, 0, {"name": "Hardware", "sequence": 2}),
                    (0, 0, {"name": "Dust bag", "sequence": 3}),
                ],
            }
        )
        cls.manager = cls.env["res.users"].create(
            {"name": "Floor Manager", "login": "test_floor_manager", "email": "fm@example.com"}
        )
        cls.picker = cls.env["res.users"].create(
            {"name": "Watch Picker", "login": "test_watch_picker", "email": "wp@example.com"}
        )
        cls.dc.oms_floor_manager_id = cls.manager
        cls.workflow = cls.env["luxury.oms.fulfilment.workflow"].create(
            {
                "name": "DC parcels",
                "warehouse_id": cls.dc.id,
                "step_ids": [
                    (0, 0, {"name": "Pick", "sequence": 10, "step_type": "pick"}),
                    (0, 0, {"name": "QC", "sequence": 20, "step_type": "qc"}),
                    (
                        0,
                        0,
                        {"name": "Wrap", "sequence": 30, "step_type": "gift_wrap", "skip": True},
                    ),
                    (0, 0, {"name": "Pack", "sequence": 40, "step_type": "pack"}),
                    (0, 0, {"name": "Handover", "sequence": 90, "step_type": "handover"}),
                ],
            }
        )
        cls.step = {step.step_type: step for step in cls.workflow.step_ids}
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Test Courier",
                "delivery_type": "fixed",
                "product_id": cls.env["product.product"]
                .create({"name": "Test Shipping", "type": "service"})
                .id,
            }
        )

    @classmethod
    def _create_serial_product(cls, name, code, categ):
        return cls.env["product.product"].create(
            {
                "name": name,
                "default_code": code,
                "is_storable": True,
                "tracking": "serial",
                "categ_id": categ.id,
                "list_price": 5000,
            }
        )

    @classmethod
    def _stock_serials(cls, product, location, names):
        lots = cls.env["stock.lot"].create(
            [{"name": name, "product_id": product.id} for name in names]
        )
        for lot in lots:
            cls.env["stock.quant"]._update_available_quantity(product, location, 1, lot_id=lot)
        return lots

    def _confirm(self, products, site=None, partner=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.client).id,
                "warehouse_id": (site or self.dc).id,
                "oms_channel_id": self.channel.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 1}) for product in products
                ],
            }
        )
        order.action_confirm()
        # The client's mails are the intake's after-commit work.
        self.env["sale.order"]._oms_run_pending_work()
        return order

    def _tasks(self, order, step_type=None):
        tasks = order.picking_ids.oms_task_ids
        return tasks.filtered(lambda t: t.step_type == step_type) if step_type else tasks

    def _scan_all(self, task):
        for line in task.move_line_ids:
            task.action_scan(line.lot_id.name)

    def _run_to_handover(self, order):
        def still_open(task):
            return task.state not in ("done", "cancel", "failed")

        for task in self._tasks(order, "pick").filtered(still_open):
            self._scan_all(task)
            task.action_done()
        for task in self._tasks(order, "qc").filtered(still_open):
            task.check_ids.result = "pass"
            task.action_done()
        pack = self._tasks(order, "pack").filtered(still_open)
        self._scan_all(pack)
        pack.action_done()
        return self._tasks(order, "handover").filtered(lambda t: t.state != "cancel")

    def _hand_over(self, picking, barcode=None, courier="Jean, Maison Courier"):
        wizard = Form(
            picking.env["luxury.oms.handover.wizard"].with_context(default_picking_id=picking.id)
        )
        wizard.parcel_barcode = barcode or picking.name
        wizard.courier_name = courier
        wizard.tracking_ref = "TRK-42"
        return wizard.save().action_hand_over()


class TestFulfilmentWorkflow(FulfilmentCase):
    def test_one_pick_task_per_zone_and_later_steps_wait(self):
        order = self._confirm(self.bag | self.watch)
        picks = self._tasks(order, "pick")
        self.assertEqual(picks.zone_location_id, self.leather_room | self.watch_room)
        self.assertEqual(picks.mapped("state"), ["ready", "ready"])
        qc = self._tasks(order, "qc")
        self.assertEqual(qc.product_id, self.bag, "only pieces with a checklist get a QC task")
        self.assertEqual(qc.check_ids.mapped("name"), ["Stitching", "Hardware", "Dust bag"])
        self.assertFalse(self._tasks(order, "gift_wrap"), "a skipped step has no task")
        self.assertEqual(self._tasks(order, "pack").state, "waiting")
        self.assertEqual(self._tasks(order, "handover").state, "waiting")

    def test_pack_waits_for_every_pick(self):
        order = self._confirm(self.bag | self.watch)
        watch_pick = self._tasks(order, "pick").filtered(
            lambda t: t.zone_location_id == self.watch_room
        )
        watch_pick.user_id = self.picker
        self._scan_all(watch_pick)
        watch_pick.action_done()
        self.assertEqual(watch_pick.user_id, self.picker)
        self.assertEqual(self._tasks(order, "qc").state, "waiting")
        leather_pick = self._tasks(order, "pick") - watch_pick
        self._scan_all(leather_pick)
        leather_pick.action_done()
        self.assertEqual(self._tasks(order, "qc").state, "ready")
        self.assertEqual(self._tasks(order, "pack").state, "waiting")
        qc = self._tasks(order, "qc")
        qc.check_ids.result = "pass"
        qc.action_done()
        self.assertEqual(self._tasks(order, "pack").state, "ready")

    def test_pick_needs_every_piece_scanned(self):
        order = self._confirm(self.bag)
        pick = self._tasks(order, "pick")
        with self.assertRaisesRegex(UserError, "still missing"):
            pick.action_done()
        self._scan_all(pick)
        self.assertTrue(pick.move_line_ids.picked)
        pick.action_done()
        self.assertEqual(pick.state, "done")
        self.assertTrue(pick.date_done)

    def test_unskipped_and_added_steps_generate_tasks(self):
        self.step["gift_wrap"].skip = False
        self.env["luxury.oms.fulfilment.step"].create(
            {
                "workflow_id": self.workflow.id,
                "name": "Luxury box",
                "sequence": 35,
                "step_type": "luxury_packaging",
            }
        )
        self.step["qc"].skip = True
        order = self._confirm(self.bag)
        types = self._tasks(order).sorted("sequence").mapped("step_type")
        self.assertEqual(types, ["pick", "gift_wrap", "luxury_packaging", "pack", "handover"])

    def test_dedicated_zone_step_gets_its_picker(self):
        self.env["luxury.oms.fulfilment.step"].create(
            {
                "workflow_id": self.workflow.id,
                "name": "Watch pick",
                "sequence": 10,
                "step_type": "pick",
                "zone_location_id": self.watch_room.id,
                "user_id": self.picker.id,
            }
        )
        order = self._confirm(self.bag | self.watch)
        picks = self._tasks(order, "pick")
        self.assertEqual(len(picks), 2)
        watch_pick = picks.filtered(lambda t: t.user_id == self.picker)
        self.assertEqual(watch_pick.move_line_ids.lot_id, self.watch_lots)

    def test_steps_leave_a_chatter_history(self):
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        order = self._confirm(self.bag)
        self.env.cr.flush()  # ends the confirmation's tracking, as its request commits
        pick = self._tasks(order, "pick")
        pick.action_scan(pick.move_line_ids.lot_id.name)
        self.env.cr.flush()
        pick.action_done()
        self.env.cr.flush()
        pick.invalidate_recordset(["message_ids"])
        scanned = pick.message_ids.filtered(lambda message: "Scanned" in message.body)
        self.assertIn(pick.move_line_ids.lot_id.name, scanned.body)
        states = pick.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "state"
        )
        self.assertEqual(sorted(states.mapped("new_value_char")), ["Done", "In Progress"])

    def test_handover_must_be_last(self):
        with self.assertRaises(ValidationError):
            self.step["handover"].sequence = 15

    def test_site_without_workflow_keeps_odoo_flow(self):
        self._set_stock(self.product, self.milan, 1)
        order = self._confirm(self.product, site=self.milan)
        picking = order.picking_ids
        self.assertFalse(picking.oms_task_ids)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_transfer_without_sale_order_keeps_odoo_flow(self):
        customers = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.dc.out_type_id.id,
                "location_id": self.dc.lot_stock_id.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.watch.id,
                            "product_uom_qty": 1,
                            "location_id": self.dc.lot_stock_id.id,
                            "location_dest_id": customers.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(picking.oms_task_ids)

    def test_picking_cannot_be_validated_outside_the_workflow(self):
        order = self._confirm(self.bag)
        with self.assertRaisesRegex(UserError, "handed over"):
            order.picking_ids.button_validate()
        self.assertNotEqual(order.picking_ids.state, "done")

    def test_category_workflow_takes_precedence(self):
        watch_flow = self.env["luxury.oms.fulfilment.workflow"].create(
            {
                "name": "Watches",
                "warehouse_id": self.dc.id,
                "categ_ids": [(6, 0, self.categ_watch.ids)],
                "step_ids": [(0, 0, {"name": "Pick", "step_type": "pick"})],
            }
        )
        watch_order = self._confirm(self.watch)
        self.assertEqual(watch_order.picking_ids.oms_workflow_id, watch_flow)
        mixed_order = self._confirm(self.bag)
        self.assertEqual(mixed_order.picking_ids.oms_workflow_id, self.workflow)

    def test_second_default_workflow_refused(self):
        with self.assertRaises(ValidationError):
            self.env["luxury.oms.fulfilment.workflow"].create(
                {"name": "Another", "warehouse_id": self.dc.id}
            )


class TestFulfilmentScan(FulfilmentCase):
    def test_scanning_the_reserved_serial_confirms_it(self):
        order = self._confirm(self.bag)
        pick = self._tasks(order, "pick")
        reserved = pick.move_line_ids.lot_id
        pick.action_scan(reserved.name)
        self.assertEqual(pick.scanned_move_line_ids.lot_id, reserved)
        self.assertEqual(pick.state, "in_progress")
        with self.assertRaisesRegex(UserError, "already confirmed"):
            pick.action_scan(reserved.name)

    def test_wrong_serial_is_refused(self):
        order = self._confirm(self.bag)
        pick = self._tasks(order, "pick")
        reserved = pick.move_line_ids.lot_id
        other = self.bag_lots - reserved
        with self.assertRaisesRegex(
            UserError,
            f"Serial {other.name} is not the piece reserved for {order.name} "
            rf"\(expected: {reserved.name}\)",
        ):
            pick.action_scan(other.name)
        self.assertFalse(pick.scanned_move_line_ids)
        self.assertFalse(pick.move_line_ids.picked)

    def test_unknown_barcode_is_refused(self):
        order = self._confirm(self.bag)
        with self.assertRaisesRegex(UserError, "matches no piece"):
            self._tasks(order, "pick").action_scan("NOPE-999")

    def test_scan_in_the_form_returns_a_warning(self):
        order = self._confirm(self.bag)
        pick = self._tasks(order, "pick")
        other = self.bag_lots - pick.move_line_ids.lot_id
        result = pick.on_barcode_scanned(other.name)
        self.assertIn("is not the piece reserved", result["warning"]["message"])
        self.assertEqual(pick.on_barcode_scanned(pick.move_line_ids.lot_id.name), {})
        self.assertTrue(pick.scanned_move_line_ids)

    def test_waiting_task_refuses_scans(self):
        order = self._confirm(self.bag)
        with self.assertRaisesRegex(UserError, "not possible now"):
            self._tasks(order, "pack").action_scan(self.bag_lots[0].name)


class TestFulfilmentQualityControl(FulfilmentCase):
    def _fail_qc(self, order):
        for pick in self._tasks(order, "pick"):
            self._scan_all(pick)
            pick.action_done()
        qc = self._tasks(order, "qc").filtered(lambda t: t.state == "ready")[:1]
        with self.assertRaisesRegex(UserError, "Record a result"):
            qc.action_done()
        qc.check_ids.result = "pass"
        qc.check_ids[0].result = "fail"
        qc.action_done()
        return qc

    def _slot(self, product):
        return self.env["luxury.oms.stock.slot"].search(
            [("product_id", "=", product.id), ("warehouse_id", "=", self.dc.id)]
        )

    def test_failed_piece_goes_to_qc_and_another_piece_replaces_it(self):
        order = self._confirm(self.bag | self.watch)
        qc = self._fail_qc(order)
        failed_lot = qc.lot_id
        replacement = self.bag_lots - failed_lot

        qc_location = self.dc._oms_qc_location()
        self.assertEqual(qc_location.oms_unsellable_reason, "quality")
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", failed_lot.id), ("quantity", ">", 0)]
        )
        self.assertEqual(quant.location_id, qc_location)
        self.assertNotIn(qc_location.id, self.dc._oms_sellable_locations_by_site()[self.dc.id])
        self.assertEqual(qc.activity_ids.user_id, self.manager)
        self.assertIn("Stitching", qc.activity_ids.note)
        # Re-sourced at once, without customer service: the other bag of the DC.
        self.assertEqual(qc.state, "cancel")
        self.assertFalse(order.activity_ids)
        self.assertIn("Re-sourced away from Test DC", order.message_ids[0].body)
        picking = order.picking_ids
        self.assertEqual(len(picking), 1, "the replacement joins the parcel")
        self.assertEqual(picking.move_line_ids.lot_id, replacement | self.watch_lots)
        new_pick = self._tasks(order, "pick").filtered(lambda t: t.state == "ready")
        self.assertEqual(new_pick.move_line_ids.lot_id, replacement)
        new_qc = self._tasks(order, "qc").filtered(lambda t: t.state == "waiting")
        self.assertEqual(new_qc.lot_id, replacement)
        pack = self._tasks(order, "pack").filtered(lambda t: t.state != "cancel")
        self.assertEqual(pack.state, "waiting", "packing waits for the replacement")
        self.assertEqual(pack.move_line_ids.lot_id, replacement | self.watch_lots)
        # Every unit counted once: the failed piece is out, the replacement reserved.
        slot = self._slot(self.bag)
        self.assertEqual((slot.on_hand, slot.reserved, slot.available_to_sell), (1, 1, 0))
        # The parcel goes on with the replacement, to handover and invoice.
        handover = self._run_to_handover(order)
        self.assertEqual(handover.state, "ready")
        self._hand_over(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.invoice_ids.state, "posted")

    def test_failed_piece_without_replacement_asks_customer_service(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.dc.id,
                "oms_channel_id": self.channel.id,
                "order_line": [(0, 0, {"product_id": self.bag.id, "product_uom_qty": 2})],
            }
        )
        order.action_confirm()  # both bags of the maison
        qc = self._fail_qc(order)

        self.assertEqual(qc.state, "failed")
        self.assertIn("Re-source", order.activity_ids.summary)
        self.assertIn("not done automatically", order.message_ids[0].body)
        self.assertIn("Not enough stock", order.message_ids[0].body)
        bag_move = order.picking_ids.move_ids.filtered(lambda m: m.state != "cancel")
        self.assertEqual(bag_move.product_uom_qty, 1, "only the failed piece left the parcel")
        self.assertEqual(self._tasks(order, "pack").state, "waiting", "a failed QC blocks packing")
        slot = self._slot(self.bag)
        self.assertEqual((slot.on_hand, slot.reserved, slot.available_to_sell), (1, 1, 0))

        other_qc = self._tasks(order, "qc") - qc
        other_qc.check_ids.result = "pass"
        other_qc.action_done()
        qc.action_cancel()  # a manager ships without the failed piece
        pack = self._tasks(order, "pack")
        self.assertEqual(pack.state, "ready")
        self.assertEqual(pack.move_line_ids.lot_id, other_qc.lot_id)
        # Only the piece that leaves is billed at handover.
        self._scan_all(pack)
        pack.action_done()
        self._hand_over(order.picking_ids.filtered(lambda p: p.state == "assigned"))
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_line_ids.filtered("sale_line_ids").quantity, 1)

    def test_parcel_left_without_pieces_closes_its_tasks(self):
        """The only piece of a parcel was replaced at another site: the parcel's moves are
        cancelled, and so are its open tasks."""
        order = self._confirm(self.bag)
        for pick in self._tasks(order, "pick"):
            self._scan_all(pick)
            pick.action_done()
        qc = self._tasks(order, "qc")
        order.picking_ids.action_cancel()
        qc._close_replaced()
        self.assertEqual(set(self._tasks(order).mapped("state")), {"done", "cancel"})
        self.assertEqual(self._tasks(order, "pick").state, "done", "done work stays")


class TestFulfilmentHandover(FulfilmentCase):
    def test_handover_validates_and_posts_invoice(self):
        order = self._confirm(self.bag)
        handover = self._run_to_handover(order)
        self.assertEqual(handover.state, "ready")
        picking = order.picking_ids
        self._hand_over(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(handover.state, "done")
        self.assertEqual(picking.oms_handover_courier, "Jean, Maison Courier")
        self.assertEqual(picking.oms_handover_user_id, self.env.user)
        self.assertTrue(picking.oms_handover_date)
        self.assertEqual(picking.carrier_tracking_ref, "TRK-42")
        self.assertEqual(picking.oms_invoice_id.state, "posted")
        self.assertEqual(picking.oms_invoice_id.invoice_line_ids.product_id, self.bag)

    def test_posting_failure_cancels_the_handover(self):
        order = self._confirm(self.bag)
        self._run_to_handover(order)
        picking = order.picking_ids
        with (
            patch.object(
                type(self.env["account.move"]),
                "_post",
                side_effect=UserError("Posting refused"),
            ),
            self.assertRaisesRegex(UserError, "Posting refused"),
        ):
            self._hand_over(picking)
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(picking.oms_handover_date)
        self.assertFalse(order.invoice_ids)
        self.assertEqual(self._tasks(order, "handover").state, "ready")

    def test_wrong_parcel_is_refused(self):
        order = self._confirm(self.bag)
        self._run_to_handover(order)
        with self.assertRaisesRegex(UserError, "Scanned parcel"):
            self._hand_over(order.picking_ids, barcode="WH/OUT/99999")
        self.assertNotEqual(order.picking_ids.state, "done")

    def test_handover_before_earlier_steps_is_refused(self):
        order = self._confirm(self.bag)
        with self.assertRaisesRegex(UserError, "not ready for handover"):
            self._hand_over(order.picking_ids)


class TestCarrierAndNotifications(FulfilmentCase):
    def test_carrier_rules_choose_the_carrier(self):
        Rule = self.env["luxury.oms.carrier.rule"]
        Rule.search([]).active = False
        express = self.carrier.copy({"name": "Test Express"})
        Rule.create({"sequence": 1, "carrier_id": express.id, "service_level": "express"})
        Rule.create(
            {"sequence": 2, "carrier_id": self.carrier.id, "country_ids": [(6, 0, self.france.ids)]}
        )
        order = self._confirm(self.bag)
        self.assertEqual(order.picking_ids.carrier_id, self.carrier)
        express_order = self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.dc.id,
                "oms_service_level": "express",
                "order_line": [(0, 0, {"product_id": self.watch.id, "product_uom_qty": 1})],
            }
        )
        express_order.action_confirm()
        self.assertEqual(express_order.picking_ids.carrier_id, express)
        self._set_stock(self.product, self.milan, 1)
        boutique_order = self._confirm(self.product, site=self.milan)
        self.assertFalse(boutique_order.picking_ids.oms_task_ids)
        self.assertEqual(boutique_order.picking_ids.carrier_id, self.carrier)

    def test_client_notified_in_their_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["luxury_oms"], ["fr_FR"])
        self.client.lang = "fr_FR"
        order = self._confirm(self.bag)
        confirmed = self.env.ref("luxury_oms.mail_template_oms_order_confirmed")
        self.assertEqual(confirmed._render_lang(order.ids), {order.id: "fr_FR"})
        self.assertEqual(order.message_ids[0].subject, f"Votre commande {order.name} est confirmée")
        self.assertIn("nos équipes la préparent avec le plus grand soin", order.message_ids[0].body)

        picking = order.picking_ids
        self._run_to_handover(order)
        picking.carrier_id = self.carrier
        self._hand_over(picking)
        shipped = picking.message_ids.filtered(lambda m: m.subject and "est en route" in m.subject)
        self.assertIn("TRK-42", shipped.body)
        self.assertIn("Test Courier", shipped.body)
        self.assertIn("Référence de suivi", shipped.body)
        self.assertEqual(shipped.partner_ids, self.client)

        picking.action_oms_mark_delivered()
        self.assertTrue(picking.oms_delivered_date)
        self.assertTrue(
            picking.message_ids.filtered(lambda m: m.subject and "vous a été livrée" in m.subject)
        )
        with self.assertRaises(UserError):
            picking.action_oms_mark_delivered()

    def test_templates_speak_the_clients_languages(self):
        """Italian, Japanese, Chinese and Arabic clients (the demo maison's Milan, Tokyo and
        Dubai), the Arabic mail written right to left."""
        langs = ["it_IT", "ja_JP", "zh_CN", "ar_001"]
        for lang in langs:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(["luxury_oms"], langs)
        for lang, subject, phrase in (
            ("it_IT", "Il suo ordine %s è confermato", "con la massima cura"),
            ("ja_JP", "ご注文 %s を承りました", "誠にありがとうございます"),
            ("zh_CN", "您的订单 %s 已确认", "我们的团队正在精心为您准备"),
            ("ar_001", "تم تأكيد طلبكم %s", 'dir="rtl"'),
        ):
            self.client.lang = lang
            self._stock_serials(self.bag, self.shelf, [f"BAG-{lang}"])
            order = self._confirm(self.bag)
            self.assertEqual(order.message_ids[0].subject, subject % order.name)
            self.assertIn(phrase, order.message_ids[0].body)

    def test_client_without_a_translation_gets_the_english_mail(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.client.lang = "de_DE"
        order = self._confirm(self.bag)
        self.assertEqual(order.message_ids[0].subject, f"Your order {order.name} is confirmed")

    def test_top_tier_client_alerts_the_floor_manager(self):
        self.dc.oms_vip_alert_rank = 950
        self.client.oms_tier_id = self.tier_gold
        gold_order = self._confirm(self.bag)
        self.assertFalse(self._tasks(gold_order).activity_ids)
        self.client.oms_tier_id = self.tier_icon
        icon_order = self._confirm(self.watch)
        pick = self._tasks(icon_order, "pick")
        self.assertEqual(pick.activity_ids.user_id, self.manager)
        self.assertFalse(self._tasks(icon_order, "pack").activity_ids, "not reached yet")


class TestFulfilmentFloorUser(FulfilmentCase):
    """The floor works with the Floor Staff group only: no inventory adjustment, location or
    invoicing administration rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.floor_user = cls.env["res.users"].create(
            {
                "name": "Floor Operator",
                "login": "test_floor_operator",
                "email": "op@example.com",
                "group_ids": [(6, 0, cls.env.ref("luxury_oms.group_oms_floor").ids)],
            }
        )

    def test_floor_user_runs_qc_failure_and_handover(self):
        order = self._confirm(self.bag | self.watch)
        as_user = order.picking_ids.oms_task_ids.with_user(self.floor_user)
        for pick in as_user.filtered(lambda t: t.step_type == "pick"):
            self._scan_all(pick)
            pick.action_done()
        qc = as_user.filtered(lambda t: t.step_type == "qc")
        qc.check_ids.result = "fail"
        qc.action_done()
        self.assertEqual(qc.state, "cancel", "the other bag of the DC replaces the piece")
        self.assertEqual(
            qc.sudo().lot_id.quant_ids.filtered("quantity").location_id.name, "Quality Control"
        )
        tasks = order.picking_ids.oms_task_ids.with_user(self.floor_user)
        new_pick = tasks.filtered(lambda t: t.step_type == "pick" and t.state == "ready")
        self._scan_all(new_pick)
        new_pick.action_done()
        new_qc = tasks.filtered(lambda t: t.step_type == "qc" and t.state == "ready")
        new_qc.check_ids.result = "pass"
        new_qc.action_done()
        pack = tasks.filtered(lambda t: t.step_type == "pack" and t.state != "cancel")
        self._scan_all(pack)
        pack.action_done()
        self._hand_over(order.picking_ids.with_user(self.floor_user))
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(order.picking_ids.oms_invoice_id.state, "posted")
        self.assertEqual(order.picking_ids.oms_handover_user_id, self.floor_user)

    def test_floor_user_cannot_cancel_tasks(self):
        order = self._confirm(self.bag)
        pick = self._tasks(order, "pick").with_user(self.floor_user)
        with self.assertRaises(AccessError):
            pick.action_cancel()

    def test_no_context_key_lets_a_floor_user_skip_the_steps(self):
        """What an RPC caller sends as context is no switch: the parcel leaves through its
        steps, its handover and its invoice, whatever keys the caller adds."""
        order = self._confirm(self.bag)
        picking = order.picking_ids.with_user(self.floor_user).with_context(
            oms_from_tasks=True,
            skip_backorder=True,
            picking_ids_not_to_backorder=order.picking_ids.ids,
        )
        with self.assertRaisesRegex(UserError, "handed over"):
            picking.button_validate()
        self.assertNotEqual(order.picking_ids.state, "done")
        self.assertFalse(order.invoice_ids)

    def test_a_task_is_not_marked_done_by_hand(self):
        order = self._confirm(self.bag)
        tasks = order.picking_ids.oms_task_ids.with_user(self.floor_user)
        for values in ({"state": "done"}, {"date_done": "2026-01-01 00:00:00"},
                       {"scanned_move_line_ids": [(6, 0, tasks.move_line_ids.ids)]}):  # fmt: skip
            with self.assertRaises(AccessError):
                tasks.write(values)
        self.assertEqual(set(tasks.mapped("state")), {"ready", "waiting"})
        with self.assertRaisesRegex(UserError, "handed over"):
            order.picking_ids.with_user(self.floor_user).button_validate()

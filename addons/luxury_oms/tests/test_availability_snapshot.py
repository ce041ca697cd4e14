from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.service.model import call_kw
from odoo.tests import new_test_user
from odoo.tools import SQL

from ..models import luxury_oms_stock_slot_tracking
from ..models.luxury_oms_stock_slot import SCANNED_AT_PARAM
from .common import LuxuryOmsPosCase
from .test_availability import AvailabilityCase

FIGURES = ("on_hand", "reserved", "buffer", "held", "available_to_sell", "incoming_qty")


class SnapshotCase(AvailabilityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Slot = cls.env["luxury.oms.stock.slot"]

    def slot(self, site, product=None):
        product = product or self.product
        return self.Slot.search([("product_id", "=", product.id), ("warehouse_id", "=", site.id)])

    def assertExact(self, site, product=None):
        """The stored row, read with no refresh asked, equals the live computation."""
        product = product or self.product
        slot = self.slot(site, product)
        self.assertTrue(slot, f"no snapshot row for {product.name} at {site.name}")
        live = self.Availability._compute_availability(product, site)[product.id, site.id]
        stored = {name: slot[name] for name in FIGURES}
        self.assertEqual(stored, {name: getattr(live, name) for name in FIGURES})
        self.assertEqual(slot.buffer_rule_id.id or None, live.buffer_rule_id)
        self.assertFalse(slot.stale_since)
        return slot

    def _run_refresh_cron(self, time_left=float("inf"), products_per_batch=500):
        """The cron's job, with the time it has left after each batch (no commit)."""
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=time_left):
            self.Slot._cron_refresh(products_per_batch)


class TestSnapshotIsExact(SnapshotCase):
    """Each kind of change that moves a figure: the row is right after it, unasked."""

    def test_take(self):
        self._set_stock(self.product, self.milan, 3)
        self.order(1, self.milan).action_confirm()
        slot = self.assertExact(self.milan)
        self.assertEqual((slot.on_hand, slot.reserved, slot.available_to_sell), (3, 1, 2))

    def test_cancellation(self):
        self._set_stock(self.product, self.milan, 3)
        order = self.order(2, self.milan)
        order.action_confirm()
        self.assertEqual(self.slot(self.milan).available_to_sell, 1)
        order._action_cancel()
        slot = self.assertExact(self.milan)
        self.assertEqual(slot.available_to_sell, 3)

    def test_receipt(self):
        receipt = self.receipt(2, self.dc)
        slot = self.assertExact(self.dc)
        self.assertEqual((slot.on_hand, slot.incoming_qty), (0, 2))
        receipt.move_ids.quantity = 2
        receipt.move_ids.picked = True
        receipt.button_validate()
        slot = self.assertExact(self.dc)
        self.assertEqual((slot.on_hand, slot.incoming_qty, slot.available_to_sell), (2, 0, 2))

    def test_inventory_count(self):
        self._set_stock(self.product, self.milan, 3)
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", self.milan.lot_stock_id.id)]
        )
        quant.inventory_quantity = 5
        quant.action_apply_inventory()
        self.assertEqual(self.assertExact(self.milan).on_hand, 5)

    def test_inventory_count_of_a_new_quant(self):
        """A count typed on a quant that did not exist: counted, not applied yet (its
        quantity is empty in the database), then applied."""
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.product.id,
                    "location_id": self.milan.lot_stock_id.id,
                    "inventory_quantity": 3,
                }
            )
        )
        self.assertEqual(self.assertExact(self.milan).on_hand, 0)
        quant.action_apply_inventory()
        self.assertEqual(self.assertExact(self.milan).on_hand, 3)

    def test_transfer_leg(self):
        self._set_stock(self.product, self.dc, 2)
        leg = self.env["stock.picking"].create(
            {
                "picking_type_id": self.dc.int_type_id.id,
                "location_id": self.dc.lot_stock_id.id,
                "location_dest_id": self.milan.lot_stock_id.id,
                "move_ids": [
                    fields.Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "location_id": self.dc.lot_stock_id.id,
                            "location_dest_id": self.milan.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        leg.action_confirm()
        self.assertEqual(self.assertExact(self.dc).reserved, 1)
        self.assertEqual(self.assertExact(self.milan).incoming_qty, 1)
        leg.move_ids.quantity = 1
        leg.move_ids.picked = True
        leg.button_validate()
        self.assertEqual(self.assertExact(self.dc).on_hand, 1)
        self.assertEqual(self.assertExact(self.milan).on_hand, 1)

    def test_hold_created(self):
        self._set_stock(self.product, self.milan, 4)
        self.assertEqual(self.slot(self.milan).available_to_sell, 4)
        self.hold(2, self.milan)
        slot = self.assertExact(self.milan)
        self.assertEqual((slot.held, slot.available_to_sell), (2, 2))

    def test_hold_consumed(self):
        self._set_stock(self.product, self.milan, 4)
        hold = self.hold(2, self.milan)
        self.order(1, self.milan, partner=self.client).action_confirm()
        self.assertEqual(hold.remaining_qty, 1)
        slot = self.assertExact(self.milan)
        self.assertEqual((slot.reserved, slot.held, slot.available_to_sell), (1, 1, 2))

    def test_hold_expired(self):
        self._set_stock(self.product, self.milan, 4)
        hold = self.hold(2, self.milan)
        self.assertEqual(self.slot(self.milan).held, 2)
        hold.sudo().date_expiry = fields.Datetime.now() + timedelta(seconds=1)
        with patch.object(
            fields.Datetime, "now", return_value=fields.Datetime.now() + timedelta(hours=1)
        ):
            self.env["luxury.oms.hold"]._cron_expire()
        self.assertEqual(hold.state, "expired")
        self.assertEqual(self.assertExact(self.milan).held, 0)

    def test_buffer_rule_change(self):
        self._set_stock(self.product, self.milan, 4)
        rule = self.env["luxury.oms.buffer.rule"].create({"categ_id": self.leather.id, "value": 1})
        self.assertEqual(self.assertExact(self.milan).buffer, 1)
        rule.value = 3
        self.assertEqual(self.assertExact(self.milan).available_to_sell, 1)
        rule.unlink()
        self.assertEqual(self.assertExact(self.milan).available_to_sell, 4)

    def test_category_change(self):
        """A product moved to another family, or a family moved under another: the family
        rules that now apply count at once, without the cron."""
        self._set_stock(self.product, self.milan, 4)
        watches = self.env["product.category"].create({"name": "Test Watches"})
        self.env["luxury.oms.buffer.rule"].create({"categ_id": watches.id, "value": 3})
        self.assertEqual(self.assertExact(self.milan).buffer, 0)
        self.product.categ_id = watches
        slot = self.assertExact(self.milan)
        self.assertEqual((slot.buffer, slot.available_to_sell), (3, 1))
        self.product.categ_id = self.bags
        self.assertEqual(self.assertExact(self.milan).buffer, 0)
        self.bags.parent_id = watches
        slot = self.assertExact(self.milan)
        self.assertEqual((slot.buffer, slot.categ_id), (3, self.bags))

    def test_channel_rule_leaves_the_stored_figures(self):
        self._set_stock(self.product, self.milan, 4)
        self.env["luxury.oms.buffer.rule"].create({"channel_id": self.channel.id, "value": 1})
        self.assertEqual(self.assertExact(self.milan).buffer, 0)

    def test_wide_rule_change_is_visibly_left_to_the_cron(self):
        self._set_stock(self.product, self.milan, 4)
        self.assertExact(self.milan)
        with patch.object(luxury_oms_stock_slot_tracking, "IN_TRANSACTION_LIMIT", 0):
            self.env["luxury.oms.buffer.rule"].create({"value": 1})
        slot = self.slot(self.milan)
        self.assertTrue(slot.stale_since, "shown as being recomputed")
        self.assertEqual(slot.buffer, 0)
        self._run_refresh_cron()
        self.assertEqual(self.assertExact(self.milan).buffer, 1)

    def test_sellable_location_change(self):
        shelf = self.env["stock.location"].create(
            {"name": "Shelf", "location_id": self.milan.lot_stock_id.id}
        )
        self._set_stock(self.product, self.milan, 3, location=shelf)
        self.assertEqual(self.slot(self.milan).on_hand, 3)
        shelf.oms_unsellable_reason = "repair"
        self.assertEqual(self.assertExact(self.milan).on_hand, 0)
        shelf.oms_unsellable_reason = False
        self.milan.oms_sellable_location_ids = self.env["stock.location"].create(
            {"name": "Vault", "location_id": self.milan.lot_stock_id.id}
        )
        self.assertEqual(self.assertExact(self.milan).on_hand, 0)

    def test_new_location_under_the_stock_sells_at_once(self):
        """The sites' sellable locations are kept between reads: a new one is not missed."""
        self._set_stock(self.product, self.milan, 1)
        self.assertEqual(self.ats(self.milan).on_hand, 1)
        shelf = self.env["stock.location"].create(
            {"name": "New shelf", "location_id": self.milan.lot_stock_id.id}
        )
        self._set_stock(self.product, self.milan, 2, location=shelf)
        self.assertEqual(self.ats(self.milan).on_hand, 3)
        self.assertEqual(self.assertExact(self.milan).on_hand, 3)

    def test_refreshed_once_per_transaction(self):
        """Many writes, one refresh of their pairs, just before reading (or committing)."""
        self._set_stock(self.product, self.milan, 3)
        with patch.object(
            type(self.Slot), "_oms_refresh", autospec=True, side_effect=type(self.Slot)._oms_refresh
        ) as refresh:
            self._set_stock(self.product, self.milan, 1)
            self._set_stock(self.product, self.dc, 1)
            self.hold(1, self.milan)
            self.env.cr.precommit.run()  # what the commit runs
        self.assertEqual(refresh.call_count, 1)
        self.assertEqual(self.slot(self.milan).available_to_sell, 3)

    def test_a_refresh_that_changes_no_figure_leaves_the_row_alone(self):
        """A new row version would make a taker racing for the pair start again: the
        deliveries replacing a channel order's promise change no figure, nor write."""
        self._set_stock(self.product, self.milan, 3)
        slot = self.slot(self.milan)
        self.env.flush_all()

        def version():
            return self.env.execute_query(
                SQL("SELECT ctid::text FROM luxury_oms_stock_slot WHERE id = %s", slot.id)
            )[0][0]

        before = version()
        slot._oms_refresh()
        self.assertEqual(version(), before, "same figures: not written")
        self.hold(1, self.milan)
        self.env.cr.precommit.run()
        self.assertNotEqual(version(), before, "a figure moved: written")
        self.env.cr.execute(
            "UPDATE luxury_oms_stock_slot SET refreshed_at = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(hours=13), slot.id),
        )
        changed = version()
        slot._oms_refresh()
        self.assertNotEqual(version(), changed, "checked again after half a day: written")
        self.assertExact(self.milan)


class TestSnapshotScope(SnapshotCase):
    def test_rows_only_for_the_maisons_sites_and_products(self):
        """Rome sells on no channel: not a site of the maison; a product never stocked or
        moved at one of its sites is not the maison's; a product has rows where it is
        carried (stocked or moved), not at every site."""
        self._set_stock(self.product, self.rome, 2)
        self._set_stock(self.product, self.milan, 2)
        never_stocked = self.env["product.product"].create(
            {"name": "Catalogue only", "is_storable": True}
        )
        self._run_refresh_cron()
        rows = self.Slot.search([("product_id", "in", (self.product | never_stocked).ids)])
        sites = self.env["stock.warehouse"].search([])._oms_sites()
        self.assertEqual(rows.warehouse_id, self.milan, "not carried at the DC: no row there")
        self.assertNotIn(self.rome, sites)
        self.assertEqual(rows.product_id, self.product)
        self.assertFalse(self.Slot.search([("warehouse_id", "not in", sites.ids)]))

    def test_rows_lost_are_found_by_the_daily_search_or_refresh_now(self):
        """Rows are made as stock moves; pieces that came in around the ORM (an import, a
        restore) get theirs from the catalogue's search: once a day, or at once after
        Refresh now, not at every run of the cron (half a minute at a thousand sites)."""
        self._set_stock(self.product, self.milan, 2)
        self._run_refresh_cron()

        def lose_the_row():
            self.Slot.flush_model()
            self.env.cr.execute(
                "DELETE FROM luxury_oms_stock_slot WHERE product_id = %s", [self.product.id]
            )
            self.env.invalidate_all()

        lose_the_row()
        self._run_refresh_cron()
        self.assertFalse(self.slot(self.milan), "the catalogue was searched less than a day ago")
        yesterday = fields.Datetime.now() - timedelta(days=1, minutes=1)
        self.env["ir.config_parameter"].sudo().set_param(
            SCANNED_AT_PARAM, fields.Datetime.to_string(yesterday)
        )
        self._run_refresh_cron()
        self.assertEqual(self.assertExact(self.milan).on_hand, 2)
        lose_the_row()
        self.Slot._oms_request_refresh()
        self._run_refresh_cron()
        self.assertEqual(self.assertExact(self.milan).on_hand, 2)

    def test_row_of_a_site_leaving_the_channels_is_dropped(self):
        self._set_stock(self.product, self.milan, 2)
        self.assertTrue(self.slot(self.milan))
        self.channel.warehouse_ids = self.dc
        self._run_refresh_cron()
        self.assertFalse(self.slot(self.milan))


class TestRefreshAction(SnapshotCase):
    def test_list_button_refreshes_the_whole_catalogue_in_batches(self):
        """As the list's header button calls it: with the selected ids, here none (the
        'takes 1 positional argument but 2 were given' crash)."""
        products = self.product | self.env["product.product"].create(
            [{"name": f"Refreshed bag {number}", "is_storable": True} for number in range(2)]
        )
        for product in products:
            self._set_stock(product, self.milan, 1)
        cron = self.env.ref("luxury_oms.ir_cron_refresh_availability")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        self.Slot.flush_model()
        self.env.cr.execute(  # rows gone wrong behind the ORM's back
            "UPDATE luxury_oms_stock_slot SET on_hand = 99 WHERE product_id = ANY(%s)",
            [products.ids],
        )
        self.env.invalidate_all()
        action = call_kw(self.Slot, "action_refresh_all", [[]], {})
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1)
        stale = self.Slot.search([("stale_since", "!=", False)])
        self.assertEqual(stale, self.Slot.search([]))
        self._run_refresh_cron(time_left=0, products_per_batch=1)
        self.assertTrue(self.Slot.search([("stale_since", "!=", False)]), "stopped in time")
        self._run_refresh_cron(products_per_batch=1)
        self.assertFalse(self.Slot.search([("stale_since", "!=", False)]))
        for product in products:
            self.assertEqual(self.assertExact(self.milan, product).on_hand, 1)


class TestScreenAgreesWithTheApi(SnapshotCase):
    def test_pivot_totals_equal_the_api(self):
        self.product.default_code = "T-BAG"
        scarf = self.env["product.product"].create(
            {"name": "Scarf", "default_code": "T-SCARF", "is_storable": True}
        )
        self._set_stock(self.product, self.milan, 4)
        self._set_stock(self.product, self.dc, 2)
        self._set_stock(scarf, self.dc, 7)
        self.env["luxury.oms.buffer.rule"].create({"warehouse_id": self.dc.id, "value": 1})
        self.hold(1, self.milan)
        self.order(1, self.milan, partner=self.other_client).action_confirm()
        user = new_test_user(
            self.env, login="api-snapshot", groups="luxury_oms.group_oms_integration"
        )
        self.channel.user_ids = user
        api = self.env["luxury.oms.api"].with_user(user)
        answer = api.get_availability(["T-BAG", "T-SCARF"], None, "test-web")
        by_product = dict(
            self.Slot._read_group(
                [("product_id", "in", (self.product | scarf).ids)],
                ["product_id"],
                ["available_to_sell:sum"],
            )
        )
        self.assertEqual(by_product[self.product], answer["T-BAG"]["available_to_sell"])
        self.assertEqual(by_product[scarf], answer["T-SCARF"]["available_to_sell"])
        by_site = dict(
            self.Slot._read_group(
                [("product_id", "=", self.product.id)], ["warehouse_id"], ["available_to_sell:sum"]
            )
        )
        for site in self.dc | self.milan:
            self.assertEqual(
                by_site[site], answer["T-BAG"]["sites"][site.code]["available_to_sell"]
            )


class TestScreen(SnapshotCase):
    def test_filters(self):
        """Short (at or under the company's threshold), unique pieces, a channel's sites,
        a family with its sub-families."""
        self.product.product_tmpl_id.tracking = "serial"
        scarf = self.env["product.product"].create(
            {"name": "Scarf", "is_storable": True, "categ_id": self.leather.id}
        )
        self._set_stock(self.product, self.milan, 1)
        self._set_stock(scarf, self.milan, 5)
        self._set_stock(scarf, self.dc, 2)
        mine = [
            ("product_id", "in", (self.product | scarf).ids),
            ("warehouse_id", "in", (self.dc | self.milan | self.rome).ids),
        ]

        def rows(domain):
            return {
                (slot.product_id, slot.warehouse_id) for slot in self.Slot.search(mine + domain)
            }

        self.env.company.oms_short_threshold = 2
        self.assertEqual(
            rows([("is_short", "=", True)]), {(self.product, self.milan), (scarf, self.dc)}
        )
        self.assertEqual(rows([("is_short", "=", False)]), {(scarf, self.milan)})
        self.assertEqual(rows([("tracking", "=", "serial")]), {(self.product, self.milan)})
        web_milan_only = self.env["luxury.oms.channel"].create(
            {
                "name": "Milan web",
                "code": "test-milan-web",
                "currency_id": self.eur.id,
                "warehouse_ids": [fields.Command.set(self.milan.ids)],
            }
        )
        self.assertEqual(
            rows([("channel_ids", "in", web_milan_only.ids)]),
            {(self.product, self.milan), (scarf, self.milan)},
        )
        self.assertEqual(
            rows([("categ_id", "child_of", self.leather.id)]),
            rows([]),
            "bags are leather goods",
        )
        self.assertEqual(
            rows([("categ_id", "child_of", self.bags.id)]), {(self.product, self.milan)}
        )

    def test_drill_down(self):
        self._set_stock(self.product, self.milan, 3)
        rule = self.env["luxury.oms.buffer.rule"].create(
            {"product_id": self.product.id, "value": 1}
        )
        hold = self.hold(1, self.milan)
        order = self.order(1, self.milan, partner=self.other_client)
        order.action_confirm()
        slot = self.slot(self.milan)

        def records(action):
            return self.env[action["res_model"]].search(action["domain"])

        quants = records(slot.action_open_quants())
        self.assertEqual(sum(quants.mapped("quantity")), slot.on_hand)
        moves = records(slot.action_open_reservations())
        self.assertEqual(moves, order.picking_ids.move_ids)
        self.assertEqual(records(slot.action_open_holds()), hold)
        self.assertEqual(slot.action_open_buffer_rule()["res_id"], rule.id)


class TestChannelView(SnapshotCase):
    def test_as_a_channel_sees_it(self):
        """The channel's sites only, its own buffer applied: the API's figures."""
        self._set_stock(self.product, self.milan, 4)
        self._set_stock(self.product, self.dc, 2)
        self.env["luxury.oms.buffer.rule"].create(
            {"channel_id": self.channel.id, "warehouse_id": self.milan.id, "value": 1}
        )
        self.env["luxury.oms.channel"].create(  # Rome: a site of the maison, not of this channel
            {
                "name": "Rome only",
                "code": "test-rome-only",
                "currency_id": self.eur.id,
                "warehouse_ids": [fields.Command.set(self.rome.ids)],
            }
        )
        self._set_stock(self.product, self.rome, 3)
        wizard = self.env["luxury.oms.channel.availability.wizard"].create(
            {"channel_id": self.channel.id, "categ_id": self.leather.id}
        )
        action = wizard.action_open()
        lines = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(lines.warehouse_id, self.dc | self.milan)
        milan = lines.filtered(lambda line: line.warehouse_id == self.milan)
        self.assertEqual((milan.buffer, milan.available_to_sell), (1, 3))
        self.assertEqual(self.slot(self.milan).available_to_sell, 4, "every channel's figure")


class TestWatch(SnapshotCase):
    def _activities(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "product.template"),
                ("res_id", "=", self.product.product_tmpl_id.id),
            ]
        )

    def test_alert_fires_once_at_the_crossing(self):
        self._set_stock(self.product, self.milan, 4)
        controller = self._create_user_in("oms-watcher", "luxury_oms.group_oms_stock_controller")
        watch = (
            self.env["luxury.oms.availability.watch"]
            .with_user(controller)
            .create({"product_id": self.product.id, "warehouse_id": self.milan.id, "threshold": 2})
        )
        self.order(1, self.milan, partner=self.other_client).action_confirm()
        self.env.cr.precommit.run()
        self.assertFalse(self._activities(), "3 left: above the threshold")
        self.order(1, self.milan, partner=self.other_client).action_confirm()
        self.env.cr.precommit.run()
        activity = self._activities()
        self.assertEqual(len(activity), 1, "2 left: at the threshold")
        self.assertEqual(activity.user_id, controller)
        self.assertIn("2 left to sell at Test Milan", activity.summary)
        self.assertTrue(watch.is_triggered)
        self.order(1, self.milan, partner=self.other_client).action_confirm()
        self.env.cr.precommit.run()
        self.assertEqual(len(self._activities()), 1, "still under: no second activity")
        self._set_stock(self.product, self.milan, 5)
        self.env.cr.precommit.run()
        self.assertFalse(watch.is_triggered, "back above: re-armed")
        self.assertEqual(watch.available_to_sell, 6)

    def test_watch_already_under_tells_at_once(self):
        self._set_stock(self.product, self.milan, 1)
        watch = self.env["luxury.oms.availability.watch"].create(
            {"product_id": self.product.id, "warehouse_id": self.milan.id, "threshold": 1}
        )
        self.assertTrue(watch.is_triggered)
        self.assertEqual(len(self._activities()), 1)

    def test_network_wide_watch(self):
        self._set_stock(self.product, self.milan, 1)
        self._set_stock(self.product, self.dc, 1)
        self.env["luxury.oms.availability.watch"].create(
            {"product_id": self.product.id, "threshold": 1}
        )
        self.order(1, self.dc, partner=self.other_client).action_confirm()
        self.env.cr.precommit.run()
        self.assertIn("1 left to sell at all sites", self._activities().summary)


class TestSnapshotPos(LuxuryOmsPosCase):
    def test_pos_sale(self):
        self._set_stock(self.product, self.milan, 2)
        session = self._open_session()
        self._sync(self._ui_order(session, [(self.product, 1)]))
        slot = self.env["luxury.oms.stock.slot"].search(
            [("product_id", "=", self.product.id), ("warehouse_id", "=", self.milan.id)]
        )
        live = self.env["luxury.oms.availability"]._compute_availability(self.product, self.milan)[
            self.product.id, self.milan.id
        ]
        self.assertEqual(
            {name: slot[name] for name in FIGURES}, {name: getattr(live, name) for name in FIGURES}
        )
        self.assertEqual(slot.on_hand, 1)

from datetime import timedelta
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import Command
from odoo import fields
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tools import SQL
from odoo.tools import mute_logger

from ..hooks import uninstall_hook
from ..models.luxury_oms_availability import READ_FUNCTIONS
from .common import LuxuryOmsCase


class AvailabilityCase(LuxuryOmsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Availability = cls.env["luxury.oms.availability"]
        cls.leather = cls.env["product.category"].create({"name": "Test Leather"})
        cls.bags = cls.env["product.category"].create(
            {"name": "Test Bags", "parent_id": cls.leather.id}
        )
        cls.product.categ_id = cls.bags
        cls.other_client = cls.env["res.partner"].create({"name": "Other Client"})

    def ats(self, site, partner=None, channel=None, product=None):
        product = product or self.product
        result = self.Availability._compute_availability(product, site, channel, partner)
        return result[product.id, site.id]

    def order(self, qty, site, partner=None, channel=None, product=None):
        return self.env["sale.order"].create(
            {
                "partner_id": (partner or self.client).id,
                "warehouse_id": site.id,
                "oms_channel_id": channel.id if channel else False,
                "order_line": [
                    (0, 0, {"product_id": (product or self.product).id, "product_uom_qty": qty})
                ],
            }
        )

    def receipt(self, qty, site):
        """A confirmed receipt of ``qty`` pieces into ``site``: incoming stock."""
        suppliers = self.env.ref("stock.stock_location_suppliers")
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": site.in_type_id.id,
                "location_id": suppliers.id,
                "location_dest_id": site.lot_stock_id.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": qty,
                            "location_id": suppliers.id,
                            "location_dest_id": site.lot_stock_id.id,
                        },
                    )
                ],
            }
        )
        receipt.action_confirm()
        return receipt

    def hold(self, qty, site, **values):
        return self.env["luxury.oms.hold"].create(
            {
                "product_id": self.product.id,
                "warehouse_id": site.id,
                "quantity": qty,
                "date_expiry": fields.Datetime.now() + timedelta(days=3),
                "beneficiary_type": "client",
                "partner_id": self.client.id,
                **values,
            }
        )


class TestAvailability(AvailabilityCase):
    def test_on_hand_counts_sellable_locations_only(self):
        quarantine = self.env["stock.location"].create(
            {
                "name": "Quarantine",
                "location_id": self.milan.lot_stock_id.id,
                "oms_unsellable_reason": "quarantine",
            }
        )
        self._set_stock(self.product, self.milan, 3)
        self._set_stock(self.product, self.milan, 5, location=quarantine)
        figures = self.ats(self.milan)
        self.assertEqual(figures.on_hand, 3)
        self.assertEqual(figures.available_to_sell, 3)
        self.assertEqual(self.ats(self.rome).on_hand, 0)

    def test_confirmed_order_is_reserved(self):
        self._set_stock(self.product, self.milan, 3)
        self.order(2, self.milan).action_confirm()
        figures = self.ats(self.milan)
        self.assertEqual((figures.on_hand, figures.reserved), (3, 2))
        self.assertEqual(figures.available_to_sell, 1)

    def test_unreserved_demand_still_counts(self):
        """An open delivery that could not reserve (stock arrived later) is still a promise."""
        self._set_stock(self.product, self.milan, 1)
        self.order(1, self.milan).action_confirm()
        self._set_stock(self.product, self.milan, -1)
        self._set_stock(self.product, self.milan, 1)
        self.assertEqual(self.ats(self.milan).available_to_sell, 0)

    def test_incoming_receipt_is_available_to_order(self):
        self.receipt(4, self.milan)
        figures = self.ats(self.milan)
        self.assertEqual(figures.available_to_sell, 0)
        self.assertEqual(figures.incoming_qty, 4)
        self.assertEqual(figures.available_to_order, 4)

    def test_delivery_fed_by_an_open_transfer_nets_out(self):
        """A consolidated parcel's part waiting for a transfer into the hub takes what the
        transfer brings: the hub's own stock stays sellable, and the transfer's units are
        promised, not incoming for sale. Once the transfer is done, the delivery counts."""
        self._set_stock(self.product, self.milan, 2)
        transit = self.env["stock.location"].create({"name": "Transit", "usage": "transit"})
        customers = self.env.ref("stock.stock_location_customers")
        Move = self.env["stock.move"]
        transfer = Move.create(
            {
                "product_id": self.product.id,
                "product_uom_qty": 1,
                "location_id": transit.id,
                "location_dest_id": self.milan.lot_stock_id.id,
            }
        )
        delivery = Move.create(
            {
                "product_id": self.product.id,
                "product_uom_qty": 1,
                "location_id": self.milan.lot_stock_id.id,
                "location_dest_id": customers.id,
                "procure_method": "make_to_order",
                "move_orig_ids": [(6, 0, transfer.ids)],
            }
        )
        (transfer | delivery)._action_confirm(merge=False)
        figures = self.ats(self.milan)
        self.assertEqual((figures.reserved, figures.incoming_qty), (0, 0))
        self.assertEqual(figures.available_to_sell, 2)
        transfer.quantity = 1
        transfer.picked = True
        transfer._action_done()
        figures = self.ats(self.milan)
        self.assertEqual((figures.on_hand, figures.reserved), (3, 1))
        self.assertEqual(figures.available_to_sell, 2)

    def test_read_is_a_few_queries_whatever_the_products_and_sites(self):
        """No query per product or site: the buyer's record, then what each worker keeps
        (the sites' sellable locations until a location or site changes, the buffer rules
        until a rule changes, the products' families), then one statement for the rest."""
        products = self.product | self.env["product.product"].create(
            [{"name": f"Batch bag {number}", "is_storable": True} for number in range(3)]
        )
        sites = self.dc | self.milan | self.rome
        self._set_stock(products[1], self.rome, 2)
        self._set_stock(self.product, self.milan, 2)
        self.hold(1, self.milan)
        self.receipt(4, self.dc)

        def queries(products, sites):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Availability._compute_availability(products, sites, self.channel, self.client)
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(self.product, self.milan), 3, "the channel's rules read once")
        self.assertEqual(queries(products, sites), 4, "new sites and products")
        self.assertEqual(queries(products, sites), 2, "the locations, rules, families are kept")
        self.env["stock.location"].create(
            {"name": "Vault", "location_id": self.milan.lot_stock_id.id}
        )
        self.assertEqual(queries(products, sites), 5, "a new location: read again")
        self.assertEqual(queries(products, sites), 2)
        self.env["luxury.oms.buffer.rule"].create({"categ_id": self.leather.id, "value": 1})
        self.assertEqual(queries(products, sites), 5, "a rule changed: read again")
        self.assertEqual(queries(products, sites), 2)

    def test_read_functions_replaced_on_upgrade_and_dropped_at_uninstall(self):
        """The moves' and holds' parts of the read are functions of ours: an upgrade
        replaces them, uninstalling the addon leaves none behind."""

        def functions():
            return {
                name
                for (name,) in self.env.execute_query(
                    SQL("SELECT proname FROM pg_proc WHERE proname = ANY(%s)", list(READ_FUNCTIONS))
                )
            }

        self.assertEqual(functions(), set(READ_FUNCTIONS))
        self.Availability.init()
        self.assertEqual(functions(), set(READ_FUNCTIONS))
        savepoint = self.env.cr.savepoint(flush=False)
        uninstall_hook(self.env)
        self.assertFalse(functions())
        savepoint.close(rollback=True)
        self.assertEqual(functions(), set(READ_FUNCTIONS))

    def test_buffer_most_specific_rule_wins(self):
        self._set_stock(self.product, self.milan, 10)
        Rule = self.env["luxury.oms.buffer.rule"]
        Rule.create({"categ_id": self.leather.id, "value": 5})
        site_rule = Rule.create(
            {"categ_id": self.bags.id, "warehouse_id": self.milan.id, "value": 2}
        )
        figures = self.ats(self.milan)
        self.assertEqual(figures.buffer, 2)
        self.assertEqual(figures.buffer_rule_id, site_rule.id)
        product_rule = Rule.create({"product_id": self.product.id, "mode": "percent", "value": 25})
        figures = self.ats(self.milan)
        self.assertEqual((figures.buffer, figures.buffer_rule_id), (3, product_rule.id))
        self.assertEqual(figures.available_to_sell, 7)

    def test_channel_buffer_applies_to_that_channel_only(self):
        self._set_stock(self.product, self.dc, 10)
        self.env["luxury.oms.buffer.rule"].create(
            {"warehouse_id": self.dc.id, "channel_id": self.channel.id, "value": 6}
        )
        self.assertEqual(self.ats(self.dc, channel=self.channel).available_to_sell, 4)
        self.assertEqual(self.ats(self.dc).available_to_sell, 10)

    def test_buffer_bad_input(self):
        Rule = self.env["luxury.oms.buffer.rule"]
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Rule.create({"warehouse_id": self.milan.id, "value": -1})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Rule.create({"warehouse_id": self.milan.id, "mode": "percent", "value": 120})
        with self.assertRaisesRegex(ValidationError, "a product or a category, not both"):
            Rule.create({"product_id": self.product.id, "categ_id": self.bags.id, "value": 1})


class TestTakeStock(AvailabilityCase):
    def test_order_beyond_ats_is_refused_and_stays_a_quotation(self):
        self._set_stock(self.product, self.milan, 1)
        order = self.order(2, self.milan)
        with self.assertRaisesRegex(UserError, r"Test Bag.*Test Milan: 2.0 requested, 1.0 avail"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)

    def test_last_unit_sells_once(self):
        self._set_stock(self.product, self.milan, 1)
        first = self.order(1, self.milan)
        first.action_confirm()
        self.assertEqual(first.state, "sale")
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            self.order(1, self.milan, partner=self.other_client).action_confirm()

    def test_take_writes_the_slot_row(self):
        self._set_stock(self.product, self.milan, 2)
        self.order(1, self.milan).action_confirm()
        slot = self.env["luxury.oms.stock.slot"].search(
            [("product_id", "=", self.product.id), ("warehouse_id", "=", self.milan.id)]
        )
        self.assertEqual(slot.take_count, 1)
        self.assertEqual((slot.on_hand, slot.reserved, slot.available_to_sell), (2, 1, 1))

    def test_line_warning_before_confirmation(self):
        self._set_stock(self.product, self.milan, 1)
        order = self.order(2, self.milan)
        line = order.order_line
        self.assertEqual(line.oms_available_to_sell, 1)
        self.assertTrue(line.oms_stock_warning)
        line.product_uom_qty = 1
        self.assertFalse(line.oms_stock_warning)

    def test_fractional_serial_quantity_is_refused(self):
        self.product.tracking = "serial"
        with self.assertRaisesRegex(ValidationError, "serial-tracked: 0.5 is not a whole number"):
            self.Availability._take([(self.product, self.milan, 0.5)])

    def test_non_positive_quantity_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "needs a positive quantity"):
            self.Availability._take([(self.product, self.milan, -1)])


class TestTakeFollowsRoutes(AvailabilityCase):
    """A line takes its site's stock when its rules take from there; each worker keeps that
    answer, and forgets it when a rule or a route changes. A kept "procured" answer is
    never trusted: it is followed again, so no line skips the take on a stale answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customers = cls.env.ref("stock.stock_location_customers")
        cls.made_to_order = cls.env["stock.route"].create(
            {
                "name": "Test Made to Order",
                "sequence": 1,
                "product_selectable": True,
                "product_categ_selectable": True,
                "warehouse_selectable": True,
                "rule_ids": [
                    (0, 0, {
                        "name": "Test Milan: made to order",
                        "action": "pull",
                        "procure_method": "make_to_order",
                        "location_src_id": cls.milan.lot_stock_id.id,
                        "location_dest_id": customers.id,
                        "picking_type_id": cls.milan.out_type_id.id,
                        "warehouse_id": cls.milan.id,
                    }),
                ],
            }
        )  # fmt: skip

    def takes(self):
        """Whether a new line of the product at Milan takes Milan's stock."""
        return self.order(1, self.milan).order_line._oms_takes_site_stock()

    def test_a_product_or_family_route_is_seen_when_set_and_when_removed(self):
        for holder in (self.product.product_tmpl_id, self.bags):
            with self.subTest(routes_of=holder.display_name):
                self.assertTrue(self.takes())
                holder.route_ids = self.made_to_order
                self.assertFalse(self.takes())
                holder.route_ids = False
                self.assertTrue(self.takes())

    def test_a_rule_change_is_seen(self):
        self.assertTrue(self.takes())
        delivery_rule = self.env["stock.rule"].search(
            [("route_id", "=", self.milan.delivery_route_id.id),
             ("location_src_id", "=", self.milan.lot_stock_id.id)]
        )  # fmt: skip
        delivery_rule.procure_method = "make_to_order"
        self.assertFalse(self.takes())

    def test_a_site_route_change_is_seen(self):
        """Only the site's own write says it: linking a route to a warehouse writes no
        route and no rule."""
        self.assertTrue(self.takes())
        self.milan.route_ids = [Command.link(self.made_to_order.id)]
        self.assertFalse(self.takes())

    def test_a_kept_procured_answer_is_followed_again(self):
        """The route is taken off the product behind the ORM's back (no hook clears what
        the worker keeps): the next line takes stock all the same."""
        self.product.route_ids = self.made_to_order
        self.assertFalse(self.takes())
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM stock_route_product WHERE product_id = %s",
            [self.product.product_tmpl_id.id],
        )
        self.env.invalidate_all()
        self.assertTrue(self.takes())

    def rules_followed(self, line):
        """(whether the line takes stock, how many rules were looked up to say it)"""
        Rule = type(self.env["stock.rule"])
        with patch.object(Rule, "_get_rule", autospec=True, side_effect=Rule._get_rule) as rule:
            return line._oms_takes_site_stock(), rule.call_count

    def test_lines_of_the_same_product_and_site_follow_the_rules_once(self):
        self.assertTrue(self.takes())
        line = self.order(1, self.milan).order_line
        self.assertEqual(self.rules_followed(line), (True, 0))
        self.env.registry.clear_cache()
        self.assertEqual(self.rules_followed(line), (True, 1))


class TestBackOfficeEdits(AvailabilityCase):
    """A confirmed order edited in the back office takes what it adds, as a confirmation
    does: raising a line, adding a line. Nothing is taken twice."""

    def _moves(self, order):
        return order.picking_ids.move_ids.filtered(lambda move: move.state != "cancel")

    def test_raising_a_confirmed_line_beyond_the_stock_is_refused(self):
        self._set_stock(self.product, self.milan, 2)
        order = self.order(1, self.milan)
        order.action_confirm()
        # The request is rolled back with its refusal.
        with (
            self.assertRaisesRegex(UserError, r"Test Milan: 2.0 requested, 1.0 available"),
            self.env.cr.savepoint(),
        ):
            order.order_line.product_uom_qty = 3
        self.env.invalidate_all()  # what the database kept
        self.assertEqual(order.order_line.product_uom_qty, 1)
        self.assertEqual(sum(self._moves(order).mapped("product_uom_qty")), 1)

    def test_raising_a_confirmed_line_takes_the_units_it_adds(self):
        self._set_stock(self.product, self.milan, 2)
        order = self.order(1, self.milan)
        order.action_confirm()
        order.order_line.product_uom_qty = 2
        self.assertEqual(sum(self._moves(order).mapped("product_uom_qty")), 2)
        self.assertEqual(self.ats(self.milan).available_to_sell, 0)
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            self.order(1, self.milan, partner=self.other_client).action_confirm()

    def test_a_line_added_to_a_confirmed_order_takes_its_units(self):
        self._set_stock(self.product, self.milan, 1)
        order = self.order(1, self.milan)
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "Not enough stock"), self.env.cr.savepoint():
            order.order_line = [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})]
        self.env.invalidate_all()  # what the database kept
        self.assertEqual(len(order.order_line), 1)

    def test_the_confirmation_takes_once_and_a_raise_takes_what_it_adds(self):
        """The client's VIP hold shows each take: consumed by one unit at confirmation
        (its procurement takes nothing more), by one more when the line is raised."""
        self._set_stock(self.product, self.milan, 2)
        hold = self.hold(2, self.milan)
        order = self.order(1, self.milan)
        order.action_confirm()
        self.assertEqual((hold.remaining_qty, len(hold.consumption_ids)), (1, 1))
        self.assertEqual(self._moves(order).mapped("state"), ["assigned"])
        order.order_line.product_uom_qty = 2
        self.assertEqual((hold.remaining_qty, len(hold.consumption_ids)), (0, 2))


class TestPreorders(AvailabilityCase):
    """A channel that accepts pre-orders takes what is short on incoming stock (ATO), each
    incoming unit once; other channels refuse."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.preorder_channel = cls.channel.copy({"code": "TEST-PRE", "allow_preorder": True})

    def test_preorder_takes_incoming_stock_once(self):
        self._set_stock(self.product, self.milan, 1)
        self.receipt(2, self.milan)
        first = self.order(2, self.milan, channel=self.preorder_channel)
        first.action_confirm()
        self.assertEqual(first.state, "sale")
        notes = " ".join(first.message_ids.mapped("body"))
        self.assertIn("Pre-order", notes)
        self.assertIn("1 of 2 on incoming stock", notes)
        figures = self.ats(self.milan)
        self.assertEqual((figures.available_to_sell, figures.preordered), (0, 1))
        self.assertEqual(figures.available_to_order, 1)
        self.order(1, self.milan, channel=self.preorder_channel).action_confirm()
        self.assertEqual(self.ats(self.milan).available_to_order, 0)
        late = self.order(1, self.milan, channel=self.preorder_channel)
        with self.assertRaisesRegex(UserError, "0.0 available to order"):
            late.action_confirm()
        self.assertEqual(late.state, "draft")

    def test_channel_without_preorders_refuses(self):
        self.receipt(2, self.milan)
        order = self.order(1, self.milan, channel=self.channel)
        with self.assertRaisesRegex(UserError, "0.0 available to sell"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)


class TestHolds(AvailabilityCase):
    def test_held_units_are_only_for_their_beneficiary(self):
        self._set_stock(self.product, self.milan, 2)
        self.hold(1, self.milan)
        self.assertEqual(self.ats(self.milan).available_to_sell, 1)
        self.assertEqual(self.ats(self.milan, partner=self.other_client).held, 1)
        self.assertEqual(self.ats(self.milan, partner=self.client).available_to_sell, 2)
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            self.order(2, self.milan, partner=self.other_client).action_confirm()

    def test_beneficiary_consumes_the_hold_traceably(self):
        self._set_stock(self.product, self.milan, 2)
        hold = self.hold(1, self.milan)
        order = self.order(1, self.milan)
        order.action_confirm()
        self.assertEqual(hold.state, "consumed")
        self.assertEqual(hold.consumption_ids.partner_id, self.client)
        self.assertEqual(hold.consumption_ids.origin, order.order_line)
        # the other unit is still free for anyone
        self.assertEqual(self.ats(self.milan, partner=self.other_client).available_to_sell, 1)

    def test_tier_hold_serves_the_tier_and_above(self):
        self._set_stock(self.product, self.milan, 1)
        self.hold(
            1, self.milan, beneficiary_type="tier", tier_id=self.tier_gold.id, partner_id=False
        )
        self.other_client.oms_tier_id = self.tier_icon
        self.assertEqual(self.ats(self.milan, partner=self.other_client).available_to_sell, 1)
        self.assertEqual(self.ats(self.milan, partner=self.client).available_to_sell, 0)

    def test_private_sale_hold_serves_its_guests(self):
        self._set_stock(self.product, self.milan, 1)
        self.hold(
            1,
            self.milan,
            beneficiary_type="event",
            event_name="Private preview",
            partner_id=False,
            event_partner_ids=[(6, 0, self.other_client.ids)],
        )
        self.assertEqual(self.ats(self.milan, partner=self.other_client).available_to_sell, 1)
        self.assertEqual(self.ats(self.milan, partner=self.client).available_to_sell, 0)

    def test_hold_larger_than_stock_is_refused(self):
        self._set_stock(self.product, self.milan, 1)
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            self.hold(2, self.milan)
        self.assertFalse(self.env["luxury.oms.hold"].search([("product_id", "=", self.product.id)]))

    def test_expired_hold_is_refused(self):
        self._set_stock(self.product, self.milan, 1)
        with self.assertRaisesRegex(ValidationError, "cannot expire in the past"):
            self.hold(1, self.milan, date_expiry=fields.Datetime.now() - timedelta(hours=1))

    def test_hold_on_unsellable_location_is_refused(self):
        quarantine = self.env["stock.location"].create(
            {
                "name": "Quarantine",
                "location_id": self.milan.lot_stock_id.id,
                "oms_unsellable_reason": "quarantine",
            }
        )
        self._set_stock(self.product, self.milan, 1)
        with self.assertRaisesRegex(ValidationError, "is not sellable at Test Milan"):
            self.hold(1, self.milan, location_id=quarantine.id)

    def test_hold_needs_its_beneficiary(self):
        self._set_stock(self.product, self.milan, 1)
        with self.assertRaisesRegex(ValidationError, "needs a tier"):
            self.hold(1, self.milan, beneficiary_type="tier", partner_id=False)

    def test_cron_expires_holds_and_frees_stock(self):
        self._set_stock(self.product, self.milan, 1)
        hold = self.hold(1, self.milan)
        self.assertEqual(self.ats(self.milan).available_to_sell, 0)
        self.env.cr.execute(
            "UPDATE luxury_oms_hold SET date_expiry = now() - interval '1 minute' WHERE id = %s",
            [hold.id],
        )
        hold.invalidate_recordset()
        self.env["luxury.oms.hold"]._cron_expire()
        self.assertEqual(hold.state, "expired")
        self.assertEqual(self.ats(self.milan).available_to_sell, 1)

    def test_release(self):
        self._set_stock(self.product, self.milan, 1)
        hold = self.hold(1, self.milan)
        self.assertTrue(hold.can_be_released)
        hold.action_release()
        self.assertEqual(hold.state, "released")
        self.assertFalse(hold.can_be_released)
        with self.assertRaisesRegex(UserError, "Only active holds"):
            hold.action_release()

    def test_hold_form(self):
        self._set_stock(self.product, self.milan, 1)
        with Form(self.env["luxury.oms.hold"]) as form:
            form.product_id = self.product
            form.warehouse_id = self.milan
            form.partner_id = self.client
            form.date_expiry = fields.Datetime.now() + timedelta(days=1)
        hold = form.save()
        self.assertEqual(hold.location_id, self.milan.lot_stock_id)
        self.assertTrue(hold.name.startswith("HOLD/"))


class TestAvailabilityScreens(AvailabilityCase):
    def test_product_availability_per_site(self):
        self._set_stock(self.product, self.milan, 4)
        self.env["luxury.oms.buffer.rule"].create({"warehouse_id": self.milan.id, "value": 1})
        action = self.product.product_tmpl_id.action_oms_availability()
        slots = self.env["luxury.oms.stock.slot"].search(action["domain"])
        milan = slots.filtered(lambda slot: slot.warehouse_id == self.milan)
        self.assertEqual((milan.on_hand, milan.buffer, milan.available_to_sell), (4, 1, 3))
        self.assertTrue(milan.buffer_rule_id)
        # Rome is no site of the maison: no channel sells from it.
        self.assertLessEqual(self.dc | self.milan, slots.warehouse_id)
        self.assertNotIn(self.rome, slots.warehouse_id)

    def test_pivot_by_site_and_category(self):
        self._set_stock(self.product, self.milan, 4)
        self._set_stock(self.product, self.dc, 1)
        groups = self.env["luxury.oms.stock.slot"]._read_group(
            [("categ_id", "=", self.bags.id)], ["warehouse_id"], ["available_to_sell:sum"]
        )
        totals = dict(groups)
        self.assertEqual(totals[self.milan], 4)
        self.assertEqual(totals[self.dc], 1)

    def test_product_without_category(self):
        uncategorised = self.env["product.product"].create(
            {"name": "Loose piece", "is_storable": True, "categ_id": False}
        )
        self._set_stock(uncategorised, self.milan, 2)
        self.env["luxury.oms.buffer.rule"].create({"warehouse_id": self.milan.id, "value": 1})
        self.assertEqual(self.ats(self.milan, product=uncategorised).available_to_sell, 1)

    def test_product_form_shows_live_availability_by_site(self):
        """With the buffer rule per site; only the maison's sites (Rome sells on no
        channel)."""
        self._set_stock(self.product, self.milan, 4)
        rule = self.env["luxury.oms.buffer.rule"].create(
            {"warehouse_id": self.milan.id, "value": 1}
        )
        self.order(1, self.milan).action_confirm()
        html = str(self.product.product_tmpl_id.oms_availability_html)
        cell = "<td class='text-end'>%s</td>"
        self.assertIn("Test Milan</td>" + "".join(cell % n for n in (4, 1, 1, 0)), html)
        # 4 on hand - 1 reserved - 1 buffer, no incoming, the rule that applied, by name
        self.assertIn(f"'text-end fw-bold'>2</td><td></td><td>{rule.name}</td>", html)
        self.assertIn("Test DC Paris</td>" + cell % 0, html)
        self.assertIn("No buffer", html)
        self.assertNotIn("Test Rome", html)

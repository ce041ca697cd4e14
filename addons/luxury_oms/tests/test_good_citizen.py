from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tests import tagged
from odoo.tools import SQL

from .common import LuxuryOmsCase


@tagged("post_install", "-at_install")
class TestGoodCitizen(LuxuryOmsCase):
    """The OMS governs its sites and leaves the rest of the maison's Odoo alone: a plain
    salesperson and a plain stock user (no OMS group) do their jobs everywhere."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_warehouse = cls.env["stock.warehouse"].create(
            {"name": "Test Plain Warehouse", "code": "TPLN"}
        )
        cls.salesman = cls._create_user_in("test_plain_salesman", "sales_team.group_sale_salesman")
        cls.stock_user = cls._create_user_in("test_plain_stock_user", "stock.group_stock_user")

    def _confirm_as_salesman(self, warehouse, qty=1, product=None):
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.client.id,
                    "warehouse_id": warehouse.id,
                    "order_line": [
                        Command.create(
                            {"product_id": (product or self.product).id, "product_uom_qty": qty}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        return order

    def _validate_as_stock_user(self, picking):
        # A new request: nothing read earlier by another user stays in the cache.
        self.env.invalidate_all()
        picking = picking.with_user(self.stock_user)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def _return_as_stock_user(self, picking):
        wizard = Form(
            self.env["stock.return.picking"]
            .with_user(self.stock_user)
            .with_context(active_id=picking.id, active_model="stock.picking")
        ).save()
        wizard.product_return_moves.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        self._validate_as_stock_user(returned)

    def test_warehouse_needs_no_oms_field(self):
        """Whatever creates a warehouse, an order or a company (a module loaded before the
        OMS, an import) needs none of the columns the OMS adds to Odoo's tables."""
        warehouse = self.env["stock.warehouse"].create({"name": "Test Bare", "code": "TBAR"})
        self.assertFalse(warehouse._oms_sites())
        not_null = self.env.execute_query(
            SQL(
                """SELECT table_name, column_name FROM information_schema.columns
                    WHERE table_schema = current_schema() AND column_name LIKE 'oms\\_%%'
                      AND table_name NOT LIKE 'luxury\\_%%' AND is_nullable = 'NO'"""
            )
        )
        self.assertEqual(not_null, [])

    def test_fields_a_plain_user_cannot_read_are_not_copied(self):
        """Odoo's ``copy()`` reads every copied field as the user: a field the OMS adds to
        Odoo's models for its own groups must not be copied, or a salesperson duplicating a
        contact (account's tests do) gets an access error."""
        ours = {"luxury_oms", "luxury_clienteling", "luxury_returns"}
        copied_restricted = [
            f"{model_name}.{name}"
            for model_name, model in self.env.registry.items()
            if not model_name.startswith("luxury.")
            for name, field in model._fields.items()
            if field._module in ours and field.groups and field.copy
        ]
        self.assertEqual(copied_restricted, [])
        self.salesman.group_ids += self.env.ref("base.group_partner_manager")
        copy = self.client.with_user(self.salesman).copy()
        self.assertTrue(copy.exists())

    def test_plain_users_on_a_plain_warehouse(self):
        """Outside the OMS's sites, Odoo's rules: an order without stock is confirmed and
        procured, its delivery validated and returned."""
        order = self._confirm_as_salesman(self.plain_warehouse, qty=2)
        self.assertEqual(order.state, "sale")
        delivery = order.picking_ids
        self._validate_as_stock_user(delivery)
        self.assertFalse(delivery.can_mark_delivered, "the OMS's delivery tracking is for sites")
        self._return_as_stock_user(delivery)
        self.assertEqual(order.order_line.qty_delivered, 1)

    def test_plain_users_read_and_create_what_they_own(self):
        """A salesperson reads their whole order (every field they may read, as Odoo's
        export and sale's access tests do); a stock user creates a serial in its form
        (the passport of a piece not yet saved is empty, not an error)."""
        order = self._confirm_as_salesman(self.plain_warehouse)
        self.env.invalidate_all()
        self.assertTrue(order.with_user(self.salesman).read())
        lot_form = Form(self.env["stock.lot"].with_user(self.stock_user))
        lot_form.name = "TEST-GOOD-CITIZEN-001"
        lot_form.product_id = self.product
        self.assertTrue(lot_form.save().exists())

    def test_plain_users_on_an_oms_site(self):
        """On a site, the oversell invariant holds for a plain salesperson too, and a plain
        stock user ships and takes back the parcel."""
        self._set_stock(self.product, self.milan, 1)
        order = self._confirm_as_salesman(self.milan)
        with self.assertRaisesRegex(UserError, "Not enough stock"):
            self._confirm_as_salesman(self.milan)
        delivery = order.picking_ids
        self.assertEqual(delivery.state, "assigned")
        # Their forms, as the web client reads them, and every OMS field they may read on
        # the delivery: none drags in a record they may not read.
        self.env.invalidate_all()
        Form(order.with_user(self.salesman))
        Form(self.milan.with_user(self.stock_user))
        delivery_as_user = delivery.with_user(self.stock_user)
        delivery_as_user.read([name for name in delivery_as_user.fields_get() if "oms_" in name])
        self._validate_as_stock_user(delivery)
        self.assertTrue(delivery.can_mark_delivered)
        self._return_as_stock_user(delivery)
        self.assertEqual(order.order_line.qty_delivered, 0)

    def test_plain_stock_user_on_a_site_with_a_floor_workflow(self):
        """Unreserving and reserving a parcel of a site with a workflow cancels and plans
        its floor tasks for a plain stock user, who then meets the workflow's rule, not an
        access error."""
        self._set_stock(self.product, self.milan, 1)
        self.env["luxury.oms.fulfilment.workflow"].create(
            {
                "name": "Test Milan parcels",
                "warehouse_id": self.milan.id,
                "step_ids": [
                    Command.create({"name": "Pick", "sequence": 10, "step_type": "pick"}),
                    Command.create({"name": "Handover", "sequence": 90, "step_type": "handover"}),
                ],
            }
        )
        order = self._confirm_as_salesman(self.milan)
        self.env.invalidate_all()
        delivery = order.picking_ids.with_user(self.stock_user)
        first_tasks = delivery.sudo().oms_task_ids
        self.assertTrue(first_tasks)
        delivery.do_unreserve()
        self.assertEqual(set(first_tasks.mapped("state")), {"cancel"})
        delivery.action_assign()
        self.assertEqual(len(delivery.sudo().oms_task_ids - first_tasks), 2)
        with self.assertRaisesRegex(UserError, "validated when the parcel is handed over"):
            delivery.button_validate()

    def test_made_to_order_line_on_an_oms_site_is_procured(self):
        """A line whose route does not take from the site's stock (made to order, then
        bought from a vendor; or sent straight from the vendor) is procured as Odoo does,
        not refused for want of stock."""
        suppliers = self.env.ref("stock.stock_location_suppliers")
        mto = self.env.ref("stock.route_warehouse0_mto")
        mto.active = True
        to_stock = self.env["stock.route"].create(
            {
                "name": "Test From Vendor To Milan",
                "product_selectable": True,
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Vendor to Milan stock",
                            "action": "pull",
                            "location_src_id": suppliers.id,
                            "location_dest_id": self.milan.lot_stock_id.id,
                            "picking_type_id": self.milan.in_type_id.id,
                        }
                    )
                ],
            }
        )
        to_client = self.env["stock.route"].create(
            {
                "name": "Test From Vendor To Client",
                "product_selectable": True,
                "rule_ids": [
                    Command.create(
                        {
                            "name": "Vendor to client",
                            "action": "pull",
                            "location_src_id": suppliers.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                            "picking_type_id": self.milan.out_type_id.id,
                        }
                    )
                ],
            }
        )
        for name, routes in (("made to order", mto | to_stock), ("from vendor", to_client)):
            with self.subTest(name):
                product = self.env["product.product"].create(
                    {"name": name, "is_storable": True, "route_ids": [Command.set(routes.ids)]}
                )
                order = self._confirm_as_salesman(self.milan, qty=2, product=product)
                self.assertEqual(order.state, "sale")
                self.assertIn(suppliers, order.picking_ids.move_ids.location_id)

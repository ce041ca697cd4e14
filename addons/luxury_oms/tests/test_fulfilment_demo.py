from unittest import SkipTest

from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestFulfilmentDemo(TransactionCase):
    """The demo Paris DC prepares a parcel through its workflow and carrier rules (a
    back-office order placed at the DC, so that sourcing keeps it there)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("luxury_oms.workflow_paris_dc", raise_if_not_found=False):
            raise SkipTest("The demo maison is loaded only with --with-demo.")
        # The maison is a company of its own: work in it, as its staff does.
        maison = cls.env.ref("luxury_oms.company_maison")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=maison.ids))

    def test_demo_dc_order_gets_floor_tasks_and_a_carrier(self):
        site = self.env.ref("luxury_oms.site_paris_dc")
        bag = self.env.ref("luxury_oms.product_bag_celeste_28_noir")
        # A piece of its own: other demo stories (holds, loans) may claim the demo units.
        lot = self.env["stock.lot"].create({"name": "BC28N-TEST", "product_id": bag.id})
        self.env["stock.quant"]._update_available_quantity(bag, site.lot_stock_id, 1, lot_id=lot)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env.ref("luxury_oms.client_camille_laurent").id,
                "warehouse_id": self.env.ref("luxury_oms.site_paris_dc").id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.env.ref("luxury_oms.product_bag_celeste_28_noir").id,
                            "product_uom_qty": 1,
                        },
                    )
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        tasks = picking.oms_task_ids.sorted("sequence")
        self.assertEqual(
            tasks.mapped("step_type"),
            ["pick", "qc", "luxury_packaging", "pack", "handover"],
            "gift wrap is skipped in the demo workflow",
        )
        self.assertEqual(
            tasks.filtered(lambda t: t.step_type == "qc").check_ids.mapped("name"),
            [
                "Stitching even and intact",
                "Hardware free of scratches",
                "Dust bag and care card present",
            ],
        )
        self.assertEqual(picking.carrier_id, self.env.ref("luxury_oms.carrier_dhl_express_luxury"))

    def test_demo_dc_prepares_a_product_without_category_barcode_or_sku(self):
        site = self.env.ref("luxury_oms.site_paris_dc")
        pouch = self.env["product.product"].create({"name": "Test Bare Pouch", "is_storable": True})
        self.env["stock.quant"]._update_available_quantity(pouch, site.lot_stock_id, 1)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env.ref("luxury_oms.client_camille_laurent").id,
                "warehouse_id": site.id,
                "order_line": [(0, 0, {"product_id": pouch.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        self.assertEqual(
            order.picking_ids.oms_task_ids.sorted("sequence").mapped("step_type"),
            ["pick", "luxury_packaging", "pack", "handover"],
            "no category: no QC checklist, so no QC task",
        )

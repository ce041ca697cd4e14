from odoo import Command
from odoo.exceptions import UserError

from .common import ClientelingCase


class TestClientDocuments(ClientelingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["luxury_clienteling"], ["fr_FR"])
        cls.watch = cls.env["product.product"].create(
            {"name": "Test Watch", "is_storable": True, "tracking": "serial", "list_price": 9000}
        )
        cls.lot = cls.env["stock.lot"].create({"name": "W-777", "product_id": cls.watch.id})
        cls.env["stock.quant"]._update_available_quantity(
            cls.watch, cls.milan.lot_stock_id, 1, lot_id=cls.lot
        )

    def _deliver_serial(self, partner):
        customer = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.milan.out_type_id.id,
                "partner_id": partner.id,
                "location_id": self.milan.lot_stock_id.id,
                "location_dest_id": customer.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.watch.id,
                            "product_uom_qty": 1,
                            "location_id": self.milan.lot_stock_id.id,
                            "location_dest_id": customer.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        picking._action_done()

    def test_the_owner_is_known_from_the_last_delivery(self):
        self._deliver_serial(self.client)
        self.assertEqual(self.lot.clienteling_owner_id, self.client)
        self.assertEqual(self.lot.clienteling_sale_warehouse_id, self.milan)

    def test_a_serial_has_one_certificate_of_authenticity(self):
        """The passport's certificate (signed, revocable, in the owner's language) is the
        only one: no second, unsigned certificate printed from the serial."""
        reports = self.env["ir.actions.report"].search(
            [
                ("report_name", "ilike", "certificate"),
                ("model", "in", ("stock.lot", "luxury.oms.certificate")),
            ]
        )
        self.assertEqual(reports.mapped("report_name"), ["luxury_oms.report_certificate"])

    def test_client_status_in_the_clients_language(self):
        self.client.lang = "fr_FR"
        repair = self.env["luxury.client.repair"].create(
            {
                "partner_id": self.client.id,
                "warehouse_id": self.milan.id,
                "serial_number": "W-777",
                "issue": "Glass scratched",
            }
        )
        self.assertEqual(
            repair.client_status, "Nous avons bien reçu votre pièce et procédons à son examen."
        )


class TestDetaxe(ClientelingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["luxury_clienteling"], ["fr_FR"])
        company = cls.env.company
        company.write(
            {
                "country_id": cls.france.id,
                "clienteling_detaxe_minimum": 100.01,
                # a configured layout: printing goes straight to the report
                "external_report_layout_id": cls.env.ref("web.external_layout_standard").id,
            }
        )
        cls.vat = cls.env["account.tax"].create(
            {
                "name": "Test VAT 20",
                "amount": 20.0,
                "type_tax_use": "sale",
                "company_id": company.id,
            }
        )
        cls.product.taxes_id = cls.vat
        cls.visitor = cls.env["res.partner"].create(
            {
                "name": "Yuki Tanaka",
                "country_id": cls.env.ref("base.jp").id,
                "lang": "fr_FR",
                "clienteling_passport_number": "TK1234567",
            }
        )

    def _order(self, partner, price=3000.0):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": price}
                    )
                ],
            }
        )
        self._set_stock(self.product, order.warehouse_id, 1)
        order.action_confirm()
        return order

    def test_visitor_gets_a_tax_free_form_in_their_language(self):
        order = self._order(self.visitor)
        self.assertTrue(order.can_print_detaxe)
        action = order.action_print_detaxe()
        self.assertEqual(action["report_name"], "luxury_clienteling.report_detaxe")
        html = self._render(order)
        self.assertIn("Bordereau de détaxe", html)
        self.assertIn("TK1234567", html)

    def test_eu_resident_gets_no_form(self):
        order = self._order(self.client)
        self.assertFalse(order.can_print_detaxe)
        self.assertIn("customs union", order.clienteling_detaxe_refusal)
        with self.assertRaisesRegex(UserError, "customs union"):
            order.action_print_detaxe()

    def test_small_purchase_gets_no_form(self):
        order = self._order(self.visitor, price=50.0)
        self.assertFalse(order.can_print_detaxe)
        self.assertIn("minimum", order.with_context(lang="en_US").clienteling_detaxe_refusal)

    def _render(self, order):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "luxury_clienteling.report_detaxe", order.ids
        )
        return html.decode()

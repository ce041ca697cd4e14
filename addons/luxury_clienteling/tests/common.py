from odoo import Command
from odoo.addons.luxury_oms.tests.common import LuxuryOmsCase
from odoo.tests import new_test_user


class ClientelingCase(LuxuryOmsCase):
    """LuxuryOmsCase plus advisors: Alice (Milan), Bruno (Rome), a manager, a boutique manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        advisor_groups = "luxury_clienteling.group_clienteling_advisor"
        cls.alice = new_test_user(cls.env, "alice.advisor", groups=advisor_groups)
        cls.bruno = new_test_user(cls.env, "bruno.advisor", groups=advisor_groups)
        cls.carla = new_test_user(cls.env, "carla.milan.team", groups=advisor_groups)
        cls.manager = new_test_user(
            cls.env, "maria.manager", groups="luxury_clienteling.group_clienteling_manager"
        )
        cls.carla.clienteling_warehouse_ids = cls.milan
        cls.milan.oms_manager_id = cls.manager
        cls.client.write(
            {"clienteling_advisor_id": cls.alice.id, "oms_preferred_warehouse_id": cls.milan.id}
        )

    @classmethod
    def _sell_online(cls, partner, product, quantity=1):
        """A confirmed sale order shipped from the DC."""
        cls._set_stock(product, cls.dc, quantity)
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "oms_channel_id": cls.channel.id,
                "warehouse_id": cls.dc.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": quantity})
                ],
            }
        )
        order.action_confirm()
        return order

    @classmethod
    def _sell_in_boutique(cls, partner, product, site, price=1000.0):
        """A paid POS order at ``site``."""
        config = cls.env["pos.config"].create(
            {"name": f"POS {site.code}", "picking_type_id": site.pos_type_id.id}
        )
        session = cls.env["pos.session"].create({"config_id": config.id})
        order = cls.env["pos.order"].create(
            {
                "session_id": session.id,
                "partner_id": partner.id,
                "amount_tax": 0.0,
                "amount_total": price,
                "amount_paid": price,
                "amount_return": 0.0,
                "lines": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "qty": 1,
                            "price_unit": price,
                            "price_subtotal": price,
                            "price_subtotal_incl": price,
                        }
                    )
                ],
            }
        )
        order.state = "paid"
        return order

    @classmethod
    def _create_serials(cls, product, site, names):
        """Serials of ``product`` in stock at ``site``."""
        lots = cls.env["stock.lot"].create(
            [{"name": name, "product_id": product.id} for name in names]
        )
        for lot in lots:
            cls.env["stock.quant"]._update_available_quantity(
                product, site.lot_stock_id, 1, lot_id=lot
            )
        return lots

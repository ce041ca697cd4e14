from odoo import Command
from odoo.addons.point_of_sale.tests.test_frontend import TestPointOfSaleHttpCommon


class OmsBoutiqueTourCase(TestPointOfSaleHttpCommon):
    """The demo till of Odoo's POS tours, made an OMS boutique: a POS channel selling from
    its warehouse (``cls.site``), the tour's cashier boutique staff."""

    BOUTIQUE_CHANNEL = {"name": "Tour Boutique", "code": "tour-pos"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("luxury_oms.group_oms_manager")
        config = cls.main_pos_config
        cls.site = config.picking_type_id.warehouse_id
        config.oms_channel_id = cls.env["luxury.oms.channel"].create(
            {
                **cls.BOUTIQUE_CHANNEL,
                "channel_type": "pos",
                "company_id": config.company_id.id,
                "currency_id": config.currency_id.id,
                "warehouse_ids": [Command.set(cls.site.ids)],
            }
        )
        cls.pos_user.group_ids += cls.env.ref("luxury_oms.group_oms_boutique")

from odoo import Command
from odoo.addons.luxury_oms.tests.common import MultiCompanyMixin
from odoo.tests import tagged

from .common import LuxuryReturnsCase

# The maison's shared list of reason codes (see security/luxury_returns_company_rules.xml).
SHARED_MODELS = {"luxury.return.reason"}


@tagged("post_install", "-at_install")
class TestReturnsMultiCompany(MultiCompanyMixin, LuxuryReturnsCase):
    manager_groups = "luxury_oms.group_oms_manager,luxury_returns.group_returns_authenticity"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        rma = env["luxury.return"]._create_from_channel(
            cls.channel, cls.order, [{"sku": "T-SBAG", "qty": 1, "serial": "TSN-001"}], "size"
        )
        rma.action_receive()
        template = env["luxury.return.check.template"].create(
            {
                "name": "Test bags",
                "categ_ids": [Command.set(cls.bags.ids)],
                "item_ids": [Command.create({"name": "Stitching", "check_type": "other"})],
            }
        )
        cls.records = [
            rma,
            rma.line_ids,
            rma.check_ids,
            env["luxury.return.window"].create({"categ_id": cls.bags.id, "days": 60}),
            template,
            template.item_ids,
        ]

    def test_every_returns_model_is_checked(self):
        self.assertEveryModelCovered("luxury.return", self.records, SHARED_MODELS)

    def test_records_stay_in_their_company(self):
        self.assertOwnCompanyOnly(self.records)

    def test_a_return_belongs_to_its_order_company(self):
        """Whichever company the clerk has active, a return is its order's company's."""
        rma = self._env_of_both_companies("clerk.both")["luxury.return"].create(
            {"partner_id": self.client.id, "sale_order_id": self.order.id,
             "reason_id": self.reason.id, "site_id": self.dc.id}
        )  # fmt: skip
        self.assertEqual(rma.company_id, self.company_a)
        Return = self.env["luxury.return"]
        self.assertEqual(Return.with_user(self.manager_a).search([("id", "=", rma.id)]), rma)

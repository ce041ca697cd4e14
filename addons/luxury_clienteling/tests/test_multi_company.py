from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.addons.luxury_oms.tests.common import MultiCompanyMixin
from odoo.tests import tagged

from .common import ClientelingCase


@tagged("post_install", "-at_install")
class TestClientelingMultiCompany(MultiCompanyMixin, ClientelingCase):
    manager_groups = "luxury_oms.group_oms_manager,luxury_clienteling.group_clienteling_manager"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.watch = env["product.product"].create(
            {"name": "Test Watch", "is_storable": True, "tracking": "serial"}
        )
        lot_loaned, lot_moved = cls._create_serials(cls.watch, cls.milan, ["MC-1", "MC-2"])
        # A client of company A: what is known about them is company A's.
        client = env["res.partner"].create(
            {"name": "Test Client FR", "email": "fr@example.com", "company_id": cls.company_a.id}
        )
        client.oms_tier_id = cls.tier_gold
        cls.client_fr = client
        order = cls._sell_online(client, cls.product)
        service = {"partner_id": client.id, "warehouse_id": cls.milan.id}
        special_order = env["luxury.client.special.order"].create(
            {**service, "request": "A burgundy tote", "step_ids": [Command.create({"name": "Cut"})]}
        )
        cls.records = [
            env["luxury.client.loan"].create(
                {**service, "purpose": "Cover shoot", "lot_ids": [Command.set(lot_loaned.ids)],
                 "date_due": fields.Date.today() + timedelta(days=7)}
            ),
            env["luxury.client.piece.transfer"].create(
                {**service, "lot_id": lot_moved.id, "warehouse_id": cls.rome.id,
                 "appointment_date": fields.Datetime.now() + timedelta(days=2)}
            ),
            env["luxury.client.repair"].create(
                {**service, "serial_number": "MC-1", "issue": "Loose crown"}
            ),
            special_order,
            special_order.step_ids,
            env["luxury.client.event"].create(
                {"name": "Test preview", "date_begin": fields.Datetime.now(),
                 "warehouse_id": cls.milan.id, "attendee_ids": [Command.set(client.ids)]}
            ),
            env["luxury.client.purchase"].search([("sale_order_id", "=", order.id)]),
            env["luxury.client.purchase.line"].search([("partner_id", "=", client.id)]),
            env["luxury.client.note"].create({"partner_id": client.id, "body": "Loves red"}),
            env["luxury.client.interaction"].create(
                {"partner_id": client.id, "summary": "Called about the tote"}
            ),
            env["luxury.client.date"].create(
                {"partner_id": client.id, "date": fields.Date.today() - timedelta(days=9000)}
            ),
            env["luxury.client.preference"].create({"partner_id": client.id, "value": "Red"}),
            env["luxury.client.interest"].create(
                {"partner_id": client.id, "product_id": cls.watch.id}
            ),
            client.clienteling_tier_history_ids,
            cls._merge_proposal_of(client),
        ]  # fmt: skip

    @classmethod
    def _merge_proposal_of(cls, client):
        """A likely twin of ``client`` in the same company, proposed for a merge."""
        twin = cls.env["res.partner"].create(
            {
                "name": "Client FR, Test",
                "email": client.email,
                "customer_rank": 1,
                "company_id": cls.company_a.id,
            }
        )
        proposals = cls.env["luxury.client.merge.proposal"]._find_proposals()
        return proposals.filtered(lambda proposal: proposal.duplicate_id == twin)

    def test_every_clienteling_model_is_checked(self):
        self.assertEveryModelCovered("luxury.client.", self.records, {})

    def test_records_stay_in_their_company(self):
        self.assertOwnCompanyOnly(self.records)

    def test_a_service_belongs_to_its_boutique_company(self):
        """Whichever company the advisor has active, a repair is its boutique's."""
        repair = self._env_of_both_companies("advisor.both")["luxury.client.repair"].create(
            {"partner_id": self.client.id, "warehouse_id": self.milan.id,
             "serial_number": "MC-1", "issue": "Scratch"}
        )  # fmt: skip
        self.assertEqual(repair.company_id, self.company_a)
        Repair = self.env["luxury.client.repair"]
        self.assertEqual(Repair.with_user(self.manager_a).search([("id", "=", repair.id)]), repair)

    def test_a_shared_client_is_known_in_every_company(self):
        """A client without company is the maison's VIP: both companies serve them."""
        interaction = self.env["luxury.client.interaction"].create(
            {"partner_id": self.client.id, "summary": "Visited Milan"}
        )
        for manager in (self.manager_a, self.manager_b):
            self.assertEqual(interaction.with_user(manager).summary, "Visited Milan")

    def test_a_branch_knows_its_parent_company_clients(self):
        """As for the client themselves: a branch serves its parent company's clients."""
        branch = self.env["res.company"].create(
            {"name": "Maison FR Riviera", "parent_id": self.company_a.id}
        )
        advisor = self._create_company_manager("advisor.riviera", branch)
        Note = self.env["luxury.client.note"].with_user(advisor)
        self.assertEqual(Note.search([("partner_id", "=", self.client_fr.id)]).body, "Loves red")

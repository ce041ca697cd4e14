from odoo.fields import Domain
from odoo.service.model import call_kw
from odoo.tests import Form
from odoo.tools.safe_eval import safe_eval

from .common import ClientelingCase


class TestClientBook(ClientelingCase):
    """Clients in the back office: persons who are clients, once each, opening on their
    360; the advisor's own book first; likely duplicates proposed for a merge."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.action = cls.env["ir.actions.act_window"]._for_xml_id(
            "luxury_clienteling.res_partner_action_clients"
        )
        Partner = cls.env["res.partner"]
        cls.company = Partner.create(
            {"name": "Laurent Holding SA", "is_company": True, "customer_rank": 1}
        )
        cls.b2b_buyer = Partner.create(
            {"name": "Pierre Acheteur", "parent_id": cls.company.id, "customer_rank": 1}
        )
        cls.b2b_contact = Partner.create(
            {"name": "Joel Acheteur", "company_name": "Grands Magasins SA", "customer_rank": 1}
        )
        cls.ines = Partner.create(
            {"name": "Ines Delacroix", "email": "ines@example.com", "customer_rank": 1}
        )
        cls.ines_delivery = Partner.create(
            {"name": "Ines Delacroix", "type": "delivery", "parent_id": cls.ines.id}
        )
        cls.prospect = Partner.create({"name": "Just A Contact"})

    def _book(self, user=None, with_default_filter=False):
        domain = Domain(safe_eval(self.action["domain"], {"uid": (user or self.env.user).id}))
        if with_default_filter:
            domain &= Domain("clienteling_advisor_id", "=", (user or self.env.user).id)
        return self.env["res.partner"].with_user(user or self.env.user).search(domain)

    def test_clients_are_persons_who_are_clients_listed_once(self):
        book = self._book()
        self.assertIn(self.ines, book)
        self.assertIn(self.client, book, "a client with an advisor")
        others = (self.company, self.b2b_buyer, self.b2b_contact, self.ines_delivery, self.prospect)
        for not_a_client in others:
            self.assertNotIn(not_a_client, book)
        self.assertEqual(len(book.filtered(lambda partner: partner.name == "Ines Delacroix")), 1)

    def test_the_book_opens_on_the_360_as_cards_with_tier_and_advisor(self):
        views = [view_type for _view_id, view_type in self.action["views"]]
        self.assertEqual(views[0], "kanban")
        form_id = {view_type: view_id for view_id, view_type in self.action["views"]}["form"]
        self.assertEqual(
            form_id, self.env.ref("luxury_clienteling.res_partner_view_form_client").id
        )
        kanban = self.env.ref("luxury_clienteling.res_partner_view_kanban_client").arch
        self.assertIn("oms_tier_id", kanban)
        self.assertIn("clienteling_advisor_id", kanban)
        form = Form(
            self.client.with_user(self.alice),
            view="luxury_clienteling.res_partner_view_form_client",
        )
        self.assertEqual(form.oms_preferred_warehouse_id, self.milan)
        self.assertEqual(form.clienteling_advisor_id, self.alice)
        arch = (
            self.env["res.partner"]
            .with_user(self.alice)
            .get_views([(form_id, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="passport_pieces_html"', arch, "the client's pieces and passports")

    def test_an_advisor_sees_their_own_book_first(self):
        self.assertEqual(safe_eval(self.action["context"])["search_default_my_clients"], 1)
        self.ines.clienteling_advisor_id = self.bruno
        self.assertEqual(self._book(self.alice, with_default_filter=True), self.client)
        self.assertEqual(self._book(self.bruno, with_default_filter=True), self.ines)

    def test_likely_duplicates_across_scripts_are_proposed_then_merged(self):
        Partner = self.env["res.partner"]
        anna = Partner.create(
            {"name": "Anna Smirnova", "phone": "+7 912 345 67 89", "customer_rank": 1}
        )
        anna_cyrillic = Partner.create(
            {"name": "Анна Смирнова", "phone": "8 (912) 345-67-89", "customer_rank": 1}
        )
        Proposal = self.env["luxury.client.merge.proposal"]
        created = Proposal._find_proposals()
        proposal = created.filtered(lambda p: p.duplicate_id == anna_cyrillic)
        self.assertEqual(proposal.partner_id, anna, "the older client is kept")
        self.assertEqual(proposal.score, 0.95)
        self.assertIn("same name (any script or order)", proposal.reasons)
        self.assertFalse(Proposal._find_proposals(), "a pair is proposed once")
        action = proposal.action_merge()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(wizard.partner_ids[:], anna | anna_cyrillic)
        wizard.dst_partner_id = anna
        wizard.save().action_merge()
        self.assertFalse(anna_cyrillic.exists())
        self.assertFalse(proposal.exists(), "the proposal goes with the merged client")

    def test_a_dismissed_proposal_does_not_come_back(self):
        Partner = self.env["res.partner"]
        Partner.create({"name": "Ines Delacroix", "email": "ines@example.com", "customer_rank": 1})
        Proposal = self.env["luxury.client.merge.proposal"]
        proposal = Proposal._find_proposals().filtered(lambda p: p.partner_id == self.ines)
        proposal.action_dismiss()
        self.assertEqual(proposal.state, "dismissed")
        self.assertFalse(Proposal._find_proposals())

    def test_find_likely_duplicates_from_the_list_header_says_how_many(self):
        """The list's header button calls the method as the web client does (with the
        selected ids, here none) and says the count in words."""
        Proposal = self.env["luxury.client.merge.proposal"].with_user(self.manager)
        Proposal._find_proposals()
        action = call_kw(Proposal, "action_find_proposals", [[]], {})
        self.assertEqual(action["params"]["message"], "No new likely duplicate in the client book.")
        self.env["res.partner"].create(
            {"name": "Ines Delacroix", "email": "ines@example.com", "customer_rank": 1}
        )
        action = call_kw(Proposal, "action_find_proposals", [[]], {})
        self.assertEqual(action["params"]["message"], "1 new merge proposal.")
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload", "the list shows it")

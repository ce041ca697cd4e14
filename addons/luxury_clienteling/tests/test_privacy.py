from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import ClientelingCase


class TestPersonalNotesPrivacy(ClientelingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.note = (
            cls.env["luxury.client.note"]
            .with_user(cls.alice)
            .create({"partner_id": cls.client.id, "body": "Prefers to be called Countess."})
        )

    def _visible_notes(self, user):
        return self.env["luxury.client.note"].with_user(user).search([])

    def test_the_clients_advisor_sees_the_note(self):
        self.assertIn(self.note, self._visible_notes(self.alice))

    def test_the_home_boutique_team_sees_the_note(self):
        self.assertIn(self.note, self._visible_notes(self.carla))

    def test_managers_see_every_note(self):
        self.assertIn(self.note, self._visible_notes(self.manager))

    def test_another_advisor_neither_sees_nor_reads_nor_writes_the_note(self):
        self.assertNotIn(self.note, self._visible_notes(self.bruno))
        with self.assertRaises(AccessError):
            self.note.with_user(self.bruno).read(["body"])
        with self.assertRaises(AccessError):
            self.note.with_user(self.bruno).body = "changed"
        with self.assertRaises(AccessError):
            self.env["luxury.client.note"].with_user(self.bruno).create(
                {"partner_id": self.client.id, "body": "Not my client"}
            )

    def test_another_boutique_team_does_not_see_the_note(self):
        self.carla.clienteling_warehouse_ids = self.rome
        self.assertNotIn(self.note, self._visible_notes(self.carla))

    def test_reassigning_the_client_moves_the_note_to_the_new_advisor(self):
        self.client.clienteling_advisor_id = self.bruno
        self.assertIn(self.note, self._visible_notes(self.bruno))
        self.client.oms_preferred_warehouse_id = self.rome
        self.assertNotIn(self.note, self._visible_notes(self.alice), "even its author")

    def test_users_outside_clienteling_have_no_access(self):
        salesman = new_test_user(self.env, "sam.sales", groups="sales_team.group_sale_salesman")
        with self.assertRaises(AccessError):
            self.env["luxury.client.note"].with_user(salesman).search([])
        self.assertNotIn("clienteling_note_ids", self.client.with_user(salesman).fields_get())

from .common import ClientelingCase


class TestDuplicateClients(ClientelingCase):
    def _create(self, **values):
        return self.env["res.partner"].create({"name": "Anna Rossi", **values})

    def test_same_email_is_flagged_not_refused(self):
        twin = self._create(email=" CLIENT@example.com")
        self.assertTrue(twin.exists())
        self.assertEqual(twin.clienteling_duplicate_of_id, self.client)
        self.assertIn(twin, self.client.clienteling_duplicate_ids)

    def test_same_phone_in_another_format_is_flagged(self):
        original = self._create(phone="+39 333 123 4567")
        twin = self._create(phone="333.123.45.67")
        self.assertEqual(twin.clienteling_duplicate_of_id, original)
        self.assertFalse(original.clienteling_duplicate_of_id)

    def test_different_client_is_not_flagged(self):
        self.assertFalse(self._create(email="other@example.com").clienteling_duplicate_of_id)

    def test_addresses_of_the_same_client_are_not_duplicates(self):
        contact = self._create(parent_id=self.client.id, email="client@example.com")
        self.assertFalse(contact.clienteling_duplicate_of_id)

    def test_editing_the_email_flags_and_unflags(self):
        partner = self._create(email="someone@example.com")
        partner.email = "client@example.com"
        self.assertEqual(partner.clienteling_duplicate_of_id, self.client)
        partner.email = "someone@example.com"
        self.assertFalse(partner.clienteling_duplicate_of_id)

    def test_dismiss_and_merge(self):
        twin = self._create(email="client@example.com")
        action = twin.action_clienteling_merge_duplicate()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        wizard = self.env[action["res_model"]].with_context(action["context"]).create({})
        self.assertEqual(wizard.partner_ids, twin | self.client)
        twin.action_clienteling_dismiss_duplicate()
        self.assertFalse(twin.clienteling_duplicate_of_id)
        self.assertNotIn(
            twin,
            self.env["res.partner"].search([("clienteling_duplicate_of_id", "!=", False)]),
        )

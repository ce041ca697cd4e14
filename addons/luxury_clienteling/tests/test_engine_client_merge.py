"""The merge proposal engine, without a database."""

import unittest

from odoo.addons.luxury_clienteling.engine.client_merge import Client
from odoo.addons.luxury_clienteling.engine.client_merge import name_key
from odoo.addons.luxury_clienteling.engine.client_merge import propose_merges
from odoo.addons.luxury_clienteling.engine.client_merge import score_pair
from odoo.addons.luxury_clienteling.engine.client_merge import transliterate


class TestClientMergeEngine(unittest.TestCase):
    def test_transliteration_meets_the_latin_spelling(self):
        self.assertEqual(transliterate("Ferrè"), "ferre")
        self.assertEqual(transliterate("Анна Смирнова"), "anna smirnova")
        self.assertEqual(transliterate("Νίκος Παπαδόπουλος"), "nikos papadopoulos")

    def test_name_key_ignores_order_case_accents_and_punctuation(self):
        self.assertEqual(name_key("LAURENT, Camille"), name_key("camille laurent"))
        self.assertEqual(name_key("Hélène Dupré"), name_key("Helene Dupre"))
        self.assertEqual(name_key("Khalid"), name_key("Халид"))

    def test_names_in_a_script_without_spaces_compare_as_written(self):
        self.assertEqual(name_key("山田 花子"), name_key("山田 花子"))
        self.assertNotEqual(name_key("山田 花子"), name_key("Hanako Yamada"))

    def test_same_email_alone_is_a_proposal(self):
        score, reasons = score_pair(
            Client(1, "Camille Laurent", "Camille@Example.com"),
            Client(2, "C. Laurent", " camille@example.com "),
        )
        self.assertEqual(reasons, ["email"])
        self.assertGreaterEqual(score, 0.6)

    def test_same_name_across_scripts_with_the_same_phone(self):
        score, reasons = score_pair(
            Client(1, "Anna Smirnova", phone="+7 912 345 67 89"),
            Client(2, "Анна Смирнова", phone="8 (912) 345-67-89"),
        )
        self.assertEqual(reasons, ["phone", "same_name"])
        self.assertEqual(score, 0.95)

    def test_a_namesake_is_not_the_same_person(self):
        score, reasons = score_pair(
            Client(1, "Camille Laurent", "camille@example.com", "+33 6 12 34 56 78"),
            Client(2, "Camille Laurent", "c.laurent@other.fr", "+33 7 99 88 77 66"),
        )
        self.assertEqual(reasons, ["same_name"])
        self.assertLess(score, 0.6)

    def test_a_typo_in_the_name_and_the_same_email_name_elsewhere(self):
        score, reasons = score_pair(
            Client(1, "Niccolò Ferrè", "niccolo.ferre@example.it"),
            Client(2, "Nicolo Ferre", "niccolo.ferre@gmail.com"),
        )
        self.assertEqual(reasons, ["email_name", "similar_name"])
        self.assertLess(score, 0.6, "a hint, not a proposal on its own")

    def test_proposals_best_first_older_client_is_the_original(self):
        clients = [
            Client(7, "Анна Смирнова", "anna@example.ru", "+7 912 345 67 89"),
            Client(3, "Anna Smirnova", "ANNA@example.ru", "89123456789"),
            Client(5, "Camille Laurent", "camille@example.com"),
            Client(9, "Laurent Camille", "camille@example.com"),
            Client(11, "Olivia Bennett", "olivia@example.com"),
        ]
        proposals = propose_merges(clients)
        self.assertEqual([(p.original_id, p.duplicate_id) for p in proposals], [(3, 7), (5, 9)])
        self.assertEqual(proposals[0].score, 1.0)
        self.assertEqual(proposals[0].reasons, ("email", "phone", "same_name"))

    def test_addresses_of_one_client_are_never_proposed(self):
        clients = [
            Client(1, "Camille Laurent", "camille@example.com", group=1),
            Client(2, "Camille Laurent", "camille@example.com", group=1),
        ]
        self.assertEqual(propose_merges(clients), [])

    def test_a_key_shared_by_a_crowd_is_not_compared_pairwise(self):
        switchboard = [Client(i, f"Client {i}", phone="+33 1 40 00 00 00") for i in range(60)]
        self.assertEqual(propose_merges(switchboard), [])

    def test_clients_of_two_companies_are_never_proposed(self):
        clients = [
            Client(1, "Camille Laurent", "camille@example.com", company=1),
            Client(2, "Camille Laurent", "camille@example.com", company=2),
            Client(3, "Camille Laurent", "camille@example.com"),
        ]
        pairs = [(p.original_id, p.duplicate_id) for p in propose_merges(clients)]
        self.assertEqual(pairs, [(1, 3), (2, 3)], "a shared client pairs with either")

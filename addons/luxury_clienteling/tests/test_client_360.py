from datetime import date
from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.addons.luxury_clienteling.models.luxury_client_date import LuxuryClientDate

from .common import ClientelingCase


class TestClient360(ClientelingCase):
    def test_tier_changes_are_historised(self):
        self.client.oms_tier_id = self.tier_gold
        self.client.oms_tier_id = self.tier_icon
        self.client.oms_tier_id = self.tier_icon  # no change, no line
        history = self.client.clienteling_tier_history_ids.sorted("id")
        self.assertEqual(len(history), 2)
        self.assertFalse(history[0].old_tier_id)
        self.assertEqual(history[0].new_tier_id, self.tier_gold)
        self.assertEqual(history[1].old_tier_id, self.tier_gold)
        self.assertEqual(history[1].new_tier_id, self.tier_icon)

    def test_client_created_with_a_tier_starts_its_history(self):
        partner = self.env["res.partner"].create({"name": "Icon", "oms_tier_id": self.tier_icon.id})
        self.assertEqual(partner.clienteling_tier_history_ids.new_tier_id, self.tier_icon)

    def test_purchase_timeline_merges_sale_and_pos_orders(self):
        scarf = self.env["product.product"].create({"name": "Silk Scarf", "list_price": 450})
        sale = self._sell_online(self.client, self.product)
        pos = self._sell_in_boutique(self.client, scarf, self.milan, price=450.0)
        timeline = self.client.clienteling_purchase_ids
        self.assertEqual(timeline.sale_order_id, sale)
        self.assertEqual(timeline.pos_order_id, pos)
        pos_entry = timeline.filtered(lambda p: p.source == "pos")
        self.assertEqual(pos_entry.warehouse_id, self.milan)
        self.assertEqual(pos_entry.amount_total, 450.0)
        self.assertEqual(timeline.filtered(lambda p: p.source == "sale").channel_id, self.channel)
        self.assertEqual(self.client.clienteling_purchase_count, 2)
        self.assertEqual(pos_entry.action_open_order()["res_id"], pos.id)

    def test_purchases_in_several_currencies_add_up_in_company_currency(self):
        company_currency = self.env.company.currency_id
        foreign = self.eur if company_currency != self.eur else self.env.ref("base.USD")
        foreign.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": foreign.id, "rate": 2.0, "name": fields.Date.today()}
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "Foreign", "currency_id": foreign.id}
        )
        self._set_stock(self.product, self.dc, 1)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "pricelist_id": pricelist.id,
                "warehouse_id": self.dc.id,
                "order_line": [Command.create({"product_id": self.product.id, "price_unit": 800})],
            }
        )
        order.action_confirm()
        purchase = self.client.clienteling_purchase_ids
        self.assertEqual(purchase.currency_id, foreign)
        self.assertAlmostEqual(purchase.amount_company, order.amount_total / 2.0, places=2)

    def test_draft_orders_are_not_purchases(self):
        self.env["sale.order"].create({"partner_id": self.client.id})
        self.assertFalse(self.client.clienteling_purchase_ids)

    def test_product_of_interest_becomes_bought(self):
        interest = self.env["luxury.client.interest"].create(
            {"partner_id": self.client.id, "product_id": self.product.id}
        )
        Interest = self.env["luxury.client.interest"]
        self.assertFalse(interest.is_purchased)
        self.assertIn(interest, Interest.search([("is_purchased", "=", False)]))
        self._sell_in_boutique(self.client, self.product, self.rome)
        interest.invalidate_recordset(["is_purchased"])
        self.assertTrue(interest.is_purchased)
        self.assertIn(interest, Interest.search([("is_purchased", "=", True)]))
        self.assertNotIn(interest, Interest.search([("is_purchased", "=", False)]))

    def test_suggestions_follow_recent_purchases_and_preferences(self):
        bags = self.env["product.category"].create({"name": "Test Bags"})
        shoes = self.env["product.category"].create({"name": "Test Shoes"})
        self.product.categ_id = bags
        tote = self.env["product.product"].create({"name": "Riviera Tote", "categ_id": bags.id})
        loafer = self.env["product.product"].create(
            {"name": "Burgundy Loafer", "categ_id": shoes.id}
        )
        self.env["product.product"].create({"name": "Plain Loafer", "categ_id": shoes.id})
        self._sell_in_boutique(self.client, self.product, self.milan)
        self.env["luxury.client.preference"].create(
            {"partner_id": self.client.id, "kind": "colour", "value": "Burgundy"}
        )
        suggested = self.client.clienteling_suggested_product_ids
        self.assertEqual(suggested[:2], tote | loafer)
        self.assertNotIn(self.product, suggested, "the client already owns it")
        self.assertNotIn("Plain Loafer", suggested.mapped("name"))

    def test_open_orders_are_those_not_fully_delivered(self):
        order = self._sell_online(self.client, self.product)
        self.assertEqual(self.client.clienteling_open_order_ids, order)

    def test_next_occurrence_of_important_dates(self):
        today = date(2026, 11, 23)
        self.assertEqual(
            LuxuryClientDate._next_occurrence(date(1980, 12, 5), today), date(2026, 12, 5)
        )
        self.assertEqual(
            LuxuryClientDate._next_occurrence(date(1980, 3, 1), today), date(2027, 3, 1)
        )
        self.assertEqual(
            LuxuryClientDate._next_occurrence(date(1980, 2, 29), today),
            date(2027, 2, 28),
            "a leap-day birthday is celebrated on 28 February in common years",
        )
        self.assertEqual(
            LuxuryClientDate._next_occurrence(date(1980, 2, 29), date(2028, 1, 1)),
            date(2028, 2, 29),
        )

    def test_next_important_date_of_the_client(self):
        today = date.today()
        soon = today + timedelta(days=3)
        later = today + timedelta(days=40)
        # leap years in the past, so that any day of the year exists
        Date = self.env["luxury.client.date"]
        Date.create({"partner_id": self.client.id, "date": later.replace(year=1980)})
        Date.create({"partner_id": self.client.id, "date": soon.replace(year=2008)})
        self.assertEqual(self.client.clienteling_next_date, soon)

    def test_my_clients_are_the_advisors_clients(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "luxury_clienteling.res_partner_action_my_clients"
        )
        self.assertIn("clienteling_advisor_id", action["domain"])
        domain = [("clienteling_advisor_id", "=", self.alice.id)]
        partners = self.env["res.partner"].with_user(self.alice).search(domain)
        self.assertEqual(partners, self.client)


class TestBoutiqueManagerAlert(ClientelingCase):
    def _log(self, interaction_type, site, partner=None):
        return self.env["luxury.client.interaction"].create(
            {
                "partner_id": (partner or self.client).id,
                "interaction_type": interaction_type,
                "warehouse_id": site.id,
                "summary": "Fitting of the new collection",
            }
        )

    def _manager_todos(self):
        return self.client.activity_ids.filtered(lambda a: a.user_id == self.manager)

    def test_flagged_client_expected_alerts_the_boutique_manager(self):
        self.client.write({"clienteling_alert": True, "clienteling_alert_reason": "Icon client"})
        interaction = self._log("appointment", self.milan)
        self.assertTrue(interaction.manager_alerted)
        todo = self._manager_todos()
        self.assertEqual(len(todo), 1)
        self.assertIn("expected", todo.summary)
        self.assertIn("Icon client", todo.note)

    def test_flagged_client_walking_in_alerts_the_boutique_manager(self):
        self.client.clienteling_alert = True
        self._log("visit", self.milan)
        self.assertIn("in the boutique", self._manager_todos().summary)

    def test_no_alert_for_unflagged_clients_calls_or_boutiques_without_manager(self):
        self._log("visit", self.milan)
        self.client.clienteling_alert = True
        self._log("call", self.milan)
        self._log("visit", self.rome)
        self.assertFalse(self._manager_todos())


class TestEventsAndDates(ClientelingCase):
    def test_events_attended_show_on_the_client(self):
        preview = self.env["luxury.client.event"].create(
            {
                "name": "Spring preview",
                "event_type": "preview",
                "date_begin": "2026-03-01 18:00:00",
                "warehouse_id": self.milan.id,
                "attendee_ids": [Command.link(self.client.id)],
            }
        )
        self.assertEqual(self.client.clienteling_event_ids, preview)
        self.assertEqual(preview.attendee_count, 1)

    def test_cron_moves_passed_dates_to_next_year(self):
        anniversary = self.env["luxury.client.date"].create(
            {"partner_id": self.client.id, "kind": "wedding", "date": date(2010, 6, 1)}
        )
        anniversary.next_date = date(2020, 6, 1)  # as if the cron had not run for years
        self.env["luxury.client.date"]._cron_refresh_next_date()
        self.assertGreaterEqual(anniversary.next_date, date.today())
        self.assertEqual((anniversary.next_date.month, anniversary.next_date.day), (6, 1))

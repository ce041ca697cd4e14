"""The rules, stock and configuration screens say what they do, in words and in the
user's formats (issue 21): buffer rules and their precedence, holds, tiers by name,
channels, sourcing strategies, whole-number quantities."""

from datetime import date
from datetime import datetime

from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import Form

from ..engine.availability import SiteAvailability
from .test_availability import AvailabilityCase

# The models of the stock and configuration screens whose quantities count pieces, and
# the views of Odoo's models that these screens extend.
PIECE_COUNTING_MODELS = (
    "luxury.oms.buffer.rule",
    "luxury.oms.hold",
    "luxury.oms.hold.consumption",
    "luxury.oms.stock.slot",
    "luxury.oms.availability.watch",
    "luxury.oms.pos.override",
)
EXTENDED_VIEWS = ("base.view_company_form", "stock.view_production_lot_form")


class TestBufferRuleScreens(AvailabilityCase):
    def test_blank_rule_is_refused_with_a_clear_message(self):
        """A New row left as is would withhold nothing from everything: refused."""
        Rule = self.env["luxury.oms.buffer.rule"]
        with self.assertRaisesRegex(ValidationError, "withholds nothing does nothing"):
            Rule.create({})
        with self.assertRaisesRegex(ValidationError, "Choose what it applies to"):
            Rule.create({"mode": "percent", "value": 0})
        # Scoped, a rule of 0 is meaningful: it cancels a broader rule there.
        self.assertTrue(Rule.create({"warehouse_id": self.milan.id, "value": 0}))
        # Everything, with an amount, is a maison-wide buffer.
        self.assertTrue(Rule.create({"value": 1}))

    def test_list_is_not_editable_in_place(self):
        arch = self.env["luxury.oms.buffer.rule"].get_view(view_type="list")["arch"]
        self.assertIsNone(etree.fromstring(arch).get("editable"))

    def test_form_says_what_the_rule_does(self):
        rule = self.env["luxury.oms.buffer.rule"].create(
            {
                "categ_id": self.leather.id,
                "warehouse_id": self.milan.id,
                "channel_id": self.channel.id,
                "mode": "percent",
                "value": 25,
            }
        )
        self.assertEqual(rule.withhold_description, "25% of on hand")
        self.assertIn("Keeps 25% of the stock on hand", rule.effect_description)
        self.assertIn("every product of Test Leather", rule.effect_description)
        self.assertIn("at Test Milan", rule.effect_description)
        self.assertIn("from orders of Test Web only", rule.effect_description)
        units = self.env["luxury.oms.buffer.rule"].create({"value": 1})
        self.assertEqual(units.withhold_description, "1 unit")
        self.assertIn("at every site out of sale, from every channel", units.effect_description)
        blank = self.env["luxury.oms.buffer.rule"].new({})
        self.assertIn("Choose what this rule applies to", blank.effect_description)
        form = self.env["luxury.oms.buffer.rule"].get_view(view_type="form")["arch"]
        self.assertIn("When several rules match", form)
        self.assertIn("effect_description", form)

    def test_form_names_the_rule_that_wins_as_the_engine_does(self):
        """A product rule beats a category rule; a deeper category beats its parent; a
        rule for another site does not compete."""
        Rule = self.env["luxury.oms.buffer.rule"]
        leather = Rule.create({"name": "Leather", "categ_id": self.leather.id, "value": 5})
        bags = Rule.create({"name": "Bags", "categ_id": self.bags.id, "value": 2})
        bag = Rule.create({"name": "This bag", "product_id": self.product.id, "value": 3})
        rome = Rule.create({"name": "Rome", "warehouse_id": self.rome.id, "value": 1})
        self.assertIn("gives way to Bags", leather.precedence_description)
        self.assertIn("gives way to This bag", leather.precedence_description)
        self.assertIn("wins over Leather", bags.precedence_description)
        self.assertIn("wins over Bags", bag.precedence_description)
        self.assertIn("gives way to This bag", rome.precedence_description)
        other = self.env["product.category"].create({"name": "Test Scarves"})
        scarves = Rule.create({"name": "Scarves", "categ_id": other.id, "value": 1})
        self.assertNotIn("Bags", scarves.precedence_description)
        # The engine agrees: the product rule applies.
        self._set_stock(self.product, self.milan, 10)
        self.assertEqual(self.ats(self.milan).buffer_rule_id, bag.id)

    def test_equally_specific_rules_lowest_sequence_then_oldest(self):
        Rule = self.env["luxury.oms.buffer.rule"]
        first = Rule.create({"name": "First", "warehouse_id": self.milan.id, "value": 1})
        second = Rule.create({"name": "Second", "warehouse_id": self.milan.id, "value": 2})
        self.assertIn("wins over Second", first.precedence_description)
        second.sequence = 1
        first.invalidate_recordset(["precedence_description"])
        self.assertIn("gives way to Second", first.precedence_description)


class TestHoldScreens(AvailabilityCase):
    def test_release_is_not_offered_on_an_unsaved_hold(self):
        self._set_stock(self.product, self.milan, 1)
        form = Form(self.env["luxury.oms.hold"])
        self.assertFalse(form.can_be_released)
        form.product_id = self.product
        form.warehouse_id = self.milan
        form.partner_id = self.client
        form.date_expiry = datetime(2099, 1, 1)
        hold = form.save()
        self.assertTrue(hold.can_be_released)
        arch = self.env["luxury.oms.hold"].get_view(view_type="form")["arch"]
        [button] = etree.fromstring(arch).xpath("//button[@name='action_release']")
        self.assertEqual(button.get("invisible"), "not can_be_released")

    def test_list_says_for_whom_in_words(self):
        self._set_stock(self.product, self.milan, 3)
        self.assertEqual(self.hold(1, self.milan).beneficiary_description, "Test Client")
        tier_hold = self.hold(1, self.milan, beneficiary_type="tier", tier_id=self.tier_gold.id)
        self.assertEqual(tier_hold.beneficiary_description, "Test Gold clients and above")
        event = self.hold(
            1,
            self.milan,
            beneficiary_type="event",
            event_name="Private sale",
            event_partner_ids=[(6, 0, self.client.ids)],
        )
        self.assertEqual(event.beneficiary_description, "Private sale (1 guest)")


class TestWholeNumbers(AvailabilityCase):
    def test_piece_quantities_show_without_decimals(self):
        """Every quantity of pieces on these screens hides its trailing zeros: a unique
        piece is 1, not 1.00."""
        missing = []
        views = self.env["ir.ui.view"].search(
            [("model", "in", PIECE_COUNTING_MODELS), ("inherit_id", "=", False)]
        )
        views |= self.env["ir.ui.view"].browse(self.env.ref(xmlid).id for xmlid in EXTENDED_VIEWS)
        lot_quantity = self.env["stock.lot"]._fields["product_qty"]
        for view in views:
            model = self.env[view.model]
            arch = etree.fromstring(model.get_view(view.id)["arch"])
            for node in arch.iter("field"):
                comodel = self._model_of(model, node)
                field = comodel._fields.get(node.get("name")) if comodel is not None else None
                if not field or field.type != "float":
                    continue
                ours = field is lot_quantity or (
                    field._digits == "Product Unit" and (field._module or "").startswith("luxury")
                )
                if ours and "hide_trailing_zeros" not in (node.get("options") or ""):
                    missing.append(f"{view.xml_id or view.name}: {field.model_name}.{field.name}")
        self.assertFalse(missing)

    def _model_of(self, model, node):
        """The model of a field node, through the x2many fields it lies in."""
        names = [
            ancestor.get("name") for ancestor in node.iterancestors() if ancestor.tag == "field"
        ]
        for name in reversed(names):
            field = model._fields.get(name)
            if not field or not field.comodel_name:
                return None
            model = self.env[field.comodel_name]
        return model

    def test_product_availability_tab_in_the_user_formats(self):
        template = self.product.product_tmpl_id
        figures = SiteAvailability(2.0, 0.0, 0.0, 0.0, 2.0, ((date(2031, 1, 5), 3.0),))
        row = str(template._oms_availability_row(self.product, self.milan, figures))
        self.assertNotIn("2031-01-05", row)
        self.assertIn("3 on 01/05/2031", row)
        self.assertIn("No buffer", row)

    def test_passport_dates_in_the_user_format(self):
        lot = self.env["stock.lot"].create({"name": "T-1", "product_id": self.product.id})
        text = lot._passport_format_date(datetime(2031, 1, 5, 9, 30))
        self.assertNotIn("2031-01-05", text)
        self.assertIn("31", text)


class TestConfigurationScreens(AvailabilityCase):
    def test_site_alert_tier_is_shown_and_set_by_name(self):
        self.assertFalse(self.milan.oms_vip_alert_tier_id)
        self.milan.oms_vip_alert_tier_id = self.tier_icon
        self.assertEqual(self.milan.oms_vip_alert_rank, 990)
        self.milan.oms_vip_alert_rank = 950  # between Gold and Icon: Icon alerts
        self.assertEqual(self.milan.oms_vip_alert_tier_id, self.tier_icon)
        self.milan.oms_vip_alert_tier_id = False
        self.assertEqual(self.milan.oms_vip_alert_rank, 0)
        arch = self.env["stock.warehouse"].get_view(view_type="form")["arch"]
        self.assertIn('name="oms_vip_alert_tier_id"', arch)
        self.assertNotIn('name="oms_vip_alert_rank"', arch)

    def test_tier_form_says_which_tiers_a_rule_takes(self):
        self.assertIn("also takes the clients of", self.tier_gold.rank_description)
        self.assertIn("Test Icon", self.tier_gold.rank_description)
        top = self.env["luxury.oms.tier"].search([], order="rank desc", limit=1)
        self.assertIn("The highest tier", top.rank_description)

    def test_channel_counts_its_sites_in_words_and_lists_its_buffers(self):
        self.assertEqual(self.channel.sells_from_description, "2 sites")
        self.channel.warehouse_ids = self.milan
        self.assertEqual(self.channel.sells_from_description, "1 site")
        Rule = self.env["luxury.oms.buffer.rule"]
        own = Rule.create({"channel_id": self.channel.id, "value": 1})
        everywhere = Rule.create({"warehouse_id": self.milan.id, "value": 1})
        elsewhere = Rule.create({"warehouse_id": self.rome.id, "value": 1})
        other_channel = self.channel.copy({"code": "test-other"})
        theirs = Rule.create({"channel_id": other_channel.id, "value": 1})
        self.channel.invalidate_recordset(["buffer_rule_ids"])
        self.assertLessEqual(own | everywhere, self.channel.buffer_rule_ids)
        self.assertFalse((elsewhere | theirs) & self.channel.buffer_rule_ids)
        action = self.channel.action_view_buffer_rules()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), own | everywhere)

    def test_sourcing_strategy_says_what_it_does(self):
        strategy = self.env["luxury.oms.sourcing.strategy"].create(
            {
                "name": "Test strategy",
                "rule_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Icons first",
                            "sequence": 1,
                            "min_tier_id": self.tier_icon.id,
                            "min_amount": 1000,
                            "currency_id": self.eur.id,
                            "criterion_ids": [
                                (0, 0, {"criterion_type": "distance", "weight": 60}),
                                (0, 0, {"criterion_type": "fewest_parcels", "weight": 20}),
                            ],
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Everyone else",
                            "sequence": 2,
                            "criterion_ids": [(0, 0, {"criterion_type": "cost", "weight": 10})],
                        },
                    ),
                ],
            }
        )
        self.channel.sourcing_strategy_id = strategy
        text = strategy.explanation
        self.assertIn("Decides where the orders of Test Web are prepared.", text)
        self.assertIn("1. Icons first (when:", text)
        self.assertIn("Distance to destination (75%), Fewest parcels (25%)", text)
        self.assertIn("2. Everyone else (when: Every order)", text)
        self.assertIn("When no rule matches: Nearest site with stock.", text)
        icons = strategy.rule_ids.filtered(lambda rule: rule.name == "Icons first")
        self.assertIn("€", icons.filter_summary)
        self.assertNotIn("1000.0", icons.filter_summary)
        self.assertIn("the best score prepares the line", icons.explanation)

    def test_certificate_language_by_name(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        certificate = self.env["luxury.oms.certificate"].new({"lang": "fr_FR"})
        self.assertEqual(certificate.lang_name, "French / Français")

    def test_qc_checklist_says_which_pieces_it_controls(self):
        Checklist = self.env["luxury.oms.qc.checklist"]
        leather = Checklist.create(
            {
                "name": "Test leather",
                "categ_id": self.leather.id,
                "item_ids": [(0, 0, {"name": "Stitching"}), (0, 0, {"name": "Hardware"})],
            }
        )
        self.assertIn(
            "every piece of Test Leather and its subcategories", leather.scope_description
        )
        self.assertIn("on these 2 points", leather.scope_description)
        Checklist.create({"name": "Test bags", "categ_id": self.bags.id})
        leather.invalidate_recordset(["scope_description"])
        self.assertIn("Except in Test Leather / Test Bags", leather.scope_description)

    def test_company_short_threshold_in_words(self):
        arch = self.env["res.company"].get_view(self.env.ref("base.view_company_form").id, "form")[
            "arch"
        ]
        self.assertIn("units or fewer available to sell", arch)

    def test_site_cost_per_parcel_in_its_currency(self):
        arch = etree.fromstring(self.env["stock.warehouse"].get_view(view_type="form")["arch"])
        [cost] = arch.xpath("//field[@name='oms_fulfilment_cost']")
        self.assertEqual(cost.get("widget"), "monetary")
        self.assertEqual(self.milan.oms_currency_id, self.milan.company_id.currency_id)

    def test_hold_kanban_creates_through_the_form(self):
        """A hold needs a site, a client and an expiry: no quick create in a site's column."""
        arch = etree.fromstring(self.env["luxury.oms.hold"].get_view(view_type="kanban")["arch"])
        self.assertEqual(arch.get("quick_create"), "false")
        self.assertTrue(arch.xpath("//field[@name='beneficiary_description']"))

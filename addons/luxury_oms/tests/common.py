import itertools

from odoo import Command
from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase
from odoo.tests import new_test_user


class LuxuryOmsCase(TransactionCase):
    """Shared fixtures: a small maison of three sites, a channel and two tiers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.france = cls.env.ref("base.fr")
        cls.italy = cls.env.ref("base.it")
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.dc = cls._create_site("TDC", "Test DC Paris", "dc", cls.france, 48.86, 2.35)
        cls.milan = cls._create_site("TMIL", "Test Milan", "boutique", cls.italy, 45.46, 9.19)
        cls.rome = cls._create_site("TROM", "Test Rome", "boutique", cls.italy, 41.90, 12.50)
        cls.channel = cls.env["luxury.oms.channel"].create(
            {
                "name": "Test Web",
                "code": "test-web",
                "currency_id": cls.eur.id,
                "warehouse_ids": [(6, 0, (cls.dc | cls.milan).ids)],
            }
        )
        cls.tier_gold = cls.env["luxury.oms.tier"].create(
            {"name": "Test Gold", "code": "test-gold", "rank": 910}
        )
        cls.tier_icon = cls.env["luxury.oms.tier"].create(
            {"name": "Test Icon", "code": "test-icon", "rank": 990}
        )
        cls.client = cls.env["res.partner"].create(
            {"name": "Test Client", "email": "client@example.com", "country_id": cls.france.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Test Bag", "default_code": "T-BAG", "is_storable": True, "list_price": 3000}
        )

    @classmethod
    def _create_site(cls, code, name, site_type, country, latitude, longitude, **extra):
        partner = cls.env["res.partner"].create({"name": name, "country_id": country.id})
        return cls.env["stock.warehouse"].create(
            {
                "name": name,
                "code": code,
                "partner_id": partner.id,
                "oms_site_type": site_type,
                "oms_latitude": latitude,
                "oms_longitude": longitude,
                **extra,
            }
        )

    @classmethod
    def _create_user_in(cls, login, group_xmlid):
        """A user with this group only (and what it implies)."""
        return cls.env["res.users"].create(
            {
                "name": login,
                "login": login,
                "email": f"{login}@example.com",
                "group_ids": [fields.Command.set([cls.env.ref(group_xmlid).id])],
            }
        )

    @classmethod
    def _ensure_chart_of_accounts(cls):
        """Invoices and the POS need a chart of accounts: Odoo's generic one when the
        test database has none."""
        if not cls.env.company.chart_template:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.env.company, install_demo=False
            )

    @classmethod
    def _set_stock(cls, product, site, quantity, location=None):
        cls.env["stock.quant"]._update_available_quantity(
            product, location or site.lot_stock_id, quantity
        )


class LuxuryOmsPosCase(LuxuryOmsCase):
    """A Milan boutique POS on its own channel, with a cashier and a boutique manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._ensure_chart_of_accounts()
        cls.milan.oms_click_collect = True
        cls.pos_channel = cls.env["luxury.oms.channel"].create(
            {
                "name": "Test Boutique Milan",
                "code": "test-pos-mil",
                "channel_type": "pos",
                "currency_id": cls.env.company.currency_id.id,
                "warehouse_ids": [(6, 0, cls.milan.ids)],
            }
        )
        cls.product.write({"taxes_id": [(5, 0, 0)], "available_in_pos": True})
        cls.cashier = cls._create_user("oms_cashier", "luxury_oms.group_oms_boutique")
        cls.boutique_manager = cls._create_user(
            "oms_boutique_manager", "luxury_oms.group_oms_boutique_manager"
        )
        cls.milan.oms_manager_id = cls.boutique_manager
        cls.pos_config = cls.env["pos.config"].create(
            {
                "name": "Test Milan Boutique",
                "picking_type_id": cls.milan.pos_type_id.id,
                "oms_channel_id": cls.pos_channel.id,
            }
        )
        cls.cash_method = cls.pos_config.payment_method_ids.filtered(
            lambda method: not method.split_transactions
        )[:1]

    @classmethod
    def _create_user(cls, login, group_xmlid):
        return cls.env["res.users"].create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "email": f"{login}@example.com",
                "group_ids": [
                    (4, cls.env.ref("base.group_user").id),
                    (4, cls.env.ref(group_xmlid).id),
                    (4, cls.env.ref("stock.group_stock_user").id),
                ],
            }
        )

    _order_counter = itertools.count(1)

    def _open_session(self):
        self.pos_config.with_user(self.cashier).open_ui()
        return self.pos_config.current_session_id

    def _ui_order(self, session, lines, partner=None, uuid=None):
        """Order data as the POS sends it to ``pos.order.sync_from_ui``.

        ``lines`` are (product, qty) or (product, qty, serial number).
        """
        uuid = uuid or f"oms-test-{next(self._order_counter)}"
        order_lines = []
        for index, (product, qty, *serial) in enumerate(lines):
            price = product.lst_price
            order_lines.append(
                (
                    0,
                    0,
                    {
                        "id": index + 1,
                        "product_id": product.id,
                        "qty": qty,
                        "price_unit": price,
                        "price_subtotal": price * qty,
                        "price_subtotal_incl": price * qty,
                        "tax_ids": [(6, 0, [])],
                        "pack_lot_ids": [(0, 0, {"lot_name": serial[0]})] if serial else [],
                    },
                )
            )
        total = sum(line[2]["price_subtotal_incl"] for line in order_lines)
        return {
            "amount_paid": total,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": total,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "fiscal_position_id": False,
            "pricelist_id": self.pos_config.pricelist_id.id,
            "name": f"Order {uuid}",
            "last_order_preparation_change": "{}",
            "lines": order_lines,
            "partner_id": partner.id if partner else False,
            "session_id": session.id,
            "payment_ids": [
                (
                    0,
                    0,
                    {
                        "amount": total,
                        "name": fields.Datetime.now(),
                        "payment_method_id": self.cash_method.id,
                    },
                )
            ],
            "uuid": uuid,
            "user_id": self.cashier.id,
            "to_invoice": False,
        }

    def _sync(self, order_data):
        result = self.env["pos.order"].with_user(self.cashier).sync_from_ui([order_data])
        return self.env["pos.order"].browse(result["pos.order"][0]["id"])


class MultiCompanyMixin:
    """A second company, Maison UK, with its London boutique, and a manager in each company
    with the same groups: only the company rules keep them apart. Mix in before a
    LuxuryOmsCase; ``manager_groups`` are the groups of both managers."""

    manager_groups = "luxury_oms.group_oms_manager"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.gbp = cls.env.ref("base.GBP")
        cls.gbp.active = True
        cls.uk = cls.env.ref("base.uk")
        cls.company_b = cls.env["res.company"].create(
            {"name": "Maison UK", "currency_id": cls.gbp.id, "country_id": cls.uk.id}
        )
        cls.london = cls._create_site(
            "TLON", "Test London", "boutique", cls.uk, 51.51, -0.14, company_id=cls.company_b.id
        )
        cls.manager_a = cls._create_company_manager("oms.manager.fr", cls.company_a)
        cls.manager_b = cls._create_company_manager("oms.manager.uk", cls.company_b)

    @classmethod
    def _create_company_manager(cls, login, company, companies=None):
        """A manager working in ``company``, allowed in ``companies`` (only it by default)."""
        return new_test_user(
            cls.env,
            login,
            groups=f"base.group_user,{cls.manager_groups}",
            company_id=company.id,
            company_ids=[Command.set((companies or company).ids)],
        )

    def _env_of_both_companies(self, login):
        """The environment of a manager working in company B, with company A active too."""
        both = self.company_b | self.company_a
        user = self._create_company_manager(login, self.company_b, both)
        return self.env(user=user, context=dict(self.env.context, allowed_company_ids=both.ids))

    def assertOwnCompanyOnly(self, records):
        """Each record of company A is read and found by company A's manager only, and
        changed by nobody of company B (where company A's manager may change it)."""
        for record in records:
            with self.subTest(model=record._name):
                self.assertTrue(record, "a record to check")
                as_a, as_b = record.with_user(self.manager_a), record.with_user(self.manager_b)
                self.assertEqual(as_a.search([("id", "in", record.ids)]), as_a)
                as_a.read(["display_name"])
                self.assertFalse(as_b.search([("id", "in", record.ids)]))
                with self.assertRaises(AccessError):
                    as_b.read(["display_name"])
                if as_a.has_access("write"):
                    with self.assertRaises(AccessError):
                        as_b.write({})

    def assertEveryModelCovered(self, prefix, records, shared):
        """Every stored model named ``prefix``... is checked, or shared on purpose."""
        models = self.env["ir.model"].search([("model", "=like", f"{prefix}%")]).mapped("model")
        stored = {
            name
            for name in models
            if not self.env[name]._abstract and not self.env[name]._transient
        }
        self.assertEqual(stored - set(shared), {record._name for record in records})

from odoo import Command
from odoo import api
from odoo import models

# The maison's selling taxes. Its pieces carry the French VAT on a tax-excluded base; the
# fiscal position of where the piece is sold (the boutique's till, or the country a parcel
# goes to) puts the local tax in its place, included in the shelf price except in the
# United States. The price a pricelist gives is then the price the client pays (the
# local VAT inside it), whatever the VAT rate: no conversion through the French rate.
# (country code, fiscal position, its tax, rate, included in the price)
MAISON_TAXES = (
    ("FR", "France", "TVA 20% TTC", 20.0, True),
    ("GB", "United Kingdom (Maison Aurèle UK)", "UK VAT 20% incl.", 20.0, True),
    ("IT", "Italy (Maison Aurèle Italia)", "IVA 22% incl.", 22.0, True),
    ("JP", "Japan (Maison Aurèle Japan)", "Consumption tax 10% incl.", 10.0, True),
    ("AE", "United Arab Emirates (Maison Aurèle Middle East)", "UAE VAT 5% incl.", 5.0, True),
    ("US", "New York (Maison Aurèle USA)", "NYC sales tax 8.875%", 8.875, False),
)


class LuxuryOmsDemo(models.AbstractModel):
    """Builds the demo maison with the code its users run (demo data only)."""

    _name = "luxury.oms.demo"
    _description = "Luxury OMS demo maison loader"

    @api.model
    def _maison(self):
        return self.env.ref("luxury_oms.company_maison")

    @api.model
    def _load_maison_chart_of_accounts(self):
        """The generic chart of accounts in euros, without Odoo's demo invoices."""
        company = self._maison()
        if not company.chart_template:
            self.env["account.chart.template"]._load("generic_coa", company, install_demo=False)
            # The generic chart is American: the house is French and keeps its books in euros.
            company.write(
                {
                    "account_fiscal_country_id": self.env.ref("base.fr").id,
                    "currency_id": self.env.ref("base.EUR").id,
                }
            )

    @api.model
    def _setup_maison_accounting(self):
        """French VAT on the pieces, a fiscal position and its tax per selling country."""
        company = self._maison()
        taxes = self.env["account.tax"].with_company(company)
        generic_taxes = taxes.search([("company_id", "=", company.id)])
        generic_sale = generic_taxes.filtered(lambda tax: tax.type_tax_use == "sale")[:1]
        generic_purchase = generic_taxes.filtered(lambda tax: tax.type_tax_use == "purchase")[:1]
        # The generic chart's American positions ("Domestic", "Foreign Trade") do not apply.
        self.env["account.fiscal.position"].search([("company_id", "=", company.id)]).unlink()
        french = {
            "amount": 20.0,
            "country_id": company.account_fiscal_country_id.id,
            "price_include_override": "tax_excluded",
            "fiscal_position_ids": [Command.clear()],
            "tax_group_id": self._tax_group(
                company, company.account_fiscal_country_id.code, "TVA 20%"
            ).id,
        }
        french_vat = generic_sale.copy(dict(french, name="TVA 20%"))
        # The house deducts French VAT on what it buys; an archived default would leave
        # every new product without a purchase tax.
        french_deductible_vat = generic_purchase.copy(dict(french, name="TVA déductible 20%"))
        generic_taxes.action_archive()
        company.account_sale_tax_id = french_vat
        company.account_purchase_tax_id = french_deductible_vat
        positions = {}
        for sequence, (code, position_name, tax_name, rate, included) in enumerate(MAISON_TAXES):
            country = self.env["res.country"].search([("code", "=", code)])
            position = self.env["account.fiscal.position"].create(
                {
                    "name": position_name,
                    "company_id": company.id,
                    "country_id": country.id,
                    "auto_apply": True,
                    "sequence": sequence + 1,
                }
            )
            generic_sale.copy(
                {
                    "name": tax_name,
                    "amount": rate,
                    "active": True,
                    "country_id": country.id,
                    "price_include_override": "tax_included" if included else "tax_excluded",
                    "tax_group_id": self._tax_group(company, code, tax_name).id,
                    "fiscal_position_ids": [Command.set(position.ids)],
                    "original_tax_ids": [Command.set(french_vat.ids)],
                }
            )
            positions[code] = position
        maison_products = self.env["product.product"].search(
            [("categ_id", "child_of", self.env.ref("luxury_oms.product_category_luxury").id)]
        )
        maison_products.with_company(company).taxes_id = french_vat
        return positions

    @api.model
    def _tax_group(self, company, country_code, name):
        country = self.env["res.country"].search([("code", "=", country_code)])
        return self.env["account.tax.group"].create(
            {"name": name, "company_id": company.id, "country_id": country.id}
        )

    @api.model
    def _load_languages_terms(self):
        """The demo's languages speak Odoo too: the terms of the modules installed before
        the OMS (sales, inventory, point of sale...), as Settings > Languages loads them.
        The OMS's own are loaded when its install ends, for every active language."""
        langs = self.env["res.lang"].search([("code", "!=", "en_US")]).mapped("code")
        Module = self.env["ir.module.module"]
        modules = Module.search([("state", "=", "installed")]).mapped("name")
        Module._load_module_terms(modules, langs)

    @api.model
    def _staff_demo_sites(self):
        """The manager hears of VIP pickups and QC failures at every site; the floor is
        alerted of parcels of Platinum clients and above."""
        sites = self.env["stock.warehouse"].search([("company_id", "=", self._maison().id)])
        manager = self.env.ref("luxury_oms.user_demo_manager")
        sites.write(
            {
                "oms_manager_id": manager.id,
                "oms_floor_manager_id": manager.id,
                "oms_vip_alert_rank": self.env.ref("luxury_oms.tier_platinum").rank,
            }
        )

    @api.model
    def _setup_tills(self):
        """One till per boutique channel: its site, currency, pricelist, payment methods and
        the maison's categories only; its country's tax through its fiscal position."""
        company = self._maison()
        positions = {
            position.country_id: position
            for position in self.env["account.fiscal.position"].search(
                [("company_id", "=", company.id)]
            )
        }
        categories = self.env["pos.category"].browse(
            self.env.ref(f"luxury_oms.pos_category_{name}").id
            for name in ("bags", "slg", "watches", "jewellery", "fragrances")
        )
        channels = self.env["luxury.oms.channel"].search(
            [("company_id", "=", company.id), ("channel_type", "=", "pos")], order="sequence"
        )
        for channel in channels:
            site = channel.warehouse_ids[:1]
            self.env["pos.config"].with_company(company).create(
                self._prepare_till_vals(channel, site, positions, categories)
            )

    @api.model
    def _prepare_till_vals(self, channel, site, positions, categories):
        company = channel.company_id
        currency = channel.currency_id if channel.currency_id != company.currency_id else False
        journals = self.env["account.journal"].with_company(company)
        code = site.code[:3]
        sales = journals.create(
            {
                "name": f"{site.name} till",
                "code": f"P{code}",
                "type": "general",
                "currency_id": currency and currency.id,
                "company_id": company.id,
            }
        )
        methods = self.env["pos.payment.method"]
        for kind, label, prefix in (("cash", "Cash", "C"), ("bank", "Card", "B")):
            journal = journals.create(
                {
                    "name": f"{label} {site.code}",
                    "code": f"{prefix}{code}",
                    "type": kind,
                    "currency_id": currency and currency.id,
                    "company_id": company.id,
                }
            )
            methods |= methods.create(
                {"name": f"{label} {site.code}", "journal_id": journal.id, "company_id": company.id}
            )
        position = positions.get(site.partner_id.country_id)
        return {
            "name": f"{site.name} till",
            "company_id": company.id,
            "picking_type_id": site.pos_type_id.id,
            "oms_channel_id": channel.id,
            "journal_id": sales.id,
            "invoice_journal_id": journals.search(
                [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
            ).id,
            "payment_method_ids": [Command.set(methods.ids)],
            "use_pricelist": True,
            "pricelist_id": channel.pricelist_id.id,
            "available_pricelist_ids": [Command.set(channel.pricelist_id.ids)],
            # American shelf prices are before sales tax; everywhere else they include VAT.
            "iface_tax_included": "subtotal" if position.country_id.code == "US" else "total",
            "tax_regime_selection": bool(position),
            "default_fiscal_position_id": position.id if position else False,
            "fiscal_position_ids": [Command.set(position.ids)] if position else [],
            "limit_categories": True,
            "iface_available_categ_ids": [Command.set(categories.ids)],
        }

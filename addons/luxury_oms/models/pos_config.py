from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools.translate import code_translations

# The most product ids one call from the till may ask about (badges, receipt texts).
MAX_BADGE_PRODUCTS = 2000
# The modules whose templates print the receipt (the till's own and the boutique's).
RECEIPT_MODULES = ("point_of_sale", "luxury_oms")


class PosConfig(models.Model):
    """A boutique POS is an OMS channel selling from the site of its operation type.

    The methods called from the POS UI (``oms_*``) are small public RPC entry points: they
    check who calls, then delegate to the availability service and the sale order, which
    run under the same lock as every other taker. This file holds the till's link to its
    channel and what every entry point shares; ``pos_config_stock_check.py`` answers what
    the till may sell, ``pos_config_stock_out.py`` what it does when a piece is not here.
    """

    _inherit = "pos.config"

    oms_channel_id = fields.Many2one(
        "luxury.oms.channel",
        string="Sales Channel",
        domain="[('channel_type', '=', 'pos')]",
        check_company=True,
        help="The boutique channel of this POS: its sales take stock under the OMS invariant, "
        "in real time, and its buffer rules apply.",
    )
    oms_warehouse_id = fields.Many2one(
        related="picking_type_id.warehouse_id", string="Sells the Stock of", readonly=True
    )

    @api.constrains("oms_channel_id", "picking_type_id")
    def _check_oms_channel_site(self):
        for config in self.filtered("oms_channel_id"):
            if config.oms_warehouse_id not in config.oms_channel_id.warehouse_ids:
                raise ValidationError(
                    self.env._(
                        "Sales Channel: %(channel)s does not sell from %(site)s, the site of "
                        "the operation type of %(pos)s.",
                        channel=config.oms_channel_id.name,
                        site=config.oms_warehouse_id.name or "-",
                        pos=config.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        configs = super().create(vals_list)
        configs.filtered("oms_channel_id")._oms_require_existing_serials()
        return configs

    def write(self, vals):
        result = super().write(vals)
        if {"oms_channel_id", "picking_type_id"} & vals.keys():
            self.filtered("oms_channel_id")._oms_require_existing_serials()
        return result

    @api.model
    def _load_pos_data_read(self, records, config):
        data = super()._load_pos_data_read(records, config)
        is_manager = self.env.user.has_group("luxury_oms.group_oms_boutique_manager")
        for record in data:
            record["_oms_is_boutique_manager"] = is_manager
            record["_oms_boutique_address"] = self.browse(record["id"])._oms_boutique_address()
        return data

    def _oms_boutique_address(self):
        """The boutique's name and address, as printed on its receipts."""
        site = self.sudo().oms_warehouse_id
        if not self.oms_channel_id or not site.partner_id:
            return False
        address = site.partner_id._display_address(without_company=True).strip()
        return "\n".join(line for line in [site.name, *address.splitlines()] if line.strip())

    def oms_receipt_texts(self, partner_id, product_ids):
        """The receipt of an order for this client in the client's language: ``{"lang",
        "terms": {module: {source: translation}}, "products": {id: name}}`` (the labels of
        the receipt's templates and the products' names), or ``{}`` when the client reads
        the till's language or has none."""
        self.ensure_one()
        self._oms_check_boutique_user()
        if not isinstance(product_ids, list) or len(product_ids) > MAX_BADGE_PRODUCTS:
            raise ValidationError(
                self.env._("product_ids: a list of at most %s ids.", MAX_BADGE_PRODUCTS)
            )
        lang = self._oms_partner(partner_id).lang
        if not lang or lang == self.env.lang or not self.env["res.lang"]._get_data(code=lang):
            return {}
        ids = [pid for pid in product_ids if isinstance(pid, int) and not isinstance(pid, bool)]
        products = (
            self.env["product.product"]
            .sudo()
            .browse(ids)
            .exists()
            .with_context(lang=lang, display_default_code=False)
        )
        return {
            "lang": lang,
            "terms": {
                module: {
                    message["id"]: message["string"]
                    for message in code_translations.get_web_translations(module, lang)["messages"]
                }
                for module in RECEIPT_MODULES
            },
            "products": {str(product.id): product.display_name for product in products},
        }

    def _oms_check_boutique_user(self):
        if not self.env.user.has_group("luxury_oms.group_oms_boutique"):
            raise AccessError(self.env._("Only boutique staff may use the OMS in the POS."))
        if not self.oms_channel_id:
            raise UserError(
                self.env._("%(pos)s is not an OMS boutique (no OMS channel).", pos=self.name)
            )

    def _oms_product(self, product_id):
        product = (
            self.env["product.product"].sudo().browse(product_id).exists()
            if isinstance(product_id, int) and not isinstance(product_id, bool)
            else None
        )
        if not product:
            raise ValidationError(self.env._("product_id: unknown product %s.", product_id))
        return product

    def _oms_partner(self, partner_id):
        if not partner_id:
            return self.env["res.partner"]
        partner = self.env["res.partner"].sudo().browse(partner_id).exists()
        if not partner:
            raise ValidationError(self.env._("partner_id: unknown client %s.", partner_id))
        return partner

    def _oms_require_existing_serials(self):
        """Boutiques sell the serial they hold: the POS asks for an existing lot/serial."""
        self.picking_type_id.sudo().write({"use_existing_lots": True, "use_create_lots": False})

import itertools

from odoo import api
from odoo import fields
from odoo import models

# A morning at the boutiques: small leather goods sold at the till, to clients of every
# tier and to a walk-in, so that sales by channel and tier show the boutiques beside the
# web. The registers stay open: the day goes on.
# (boutique, client's e-mail prefix or None for a walk-in, SKU)
DEMO_TILL_SALES = (
    ("PAR", "camille.laurent", "SLG-WALLET-LONG-NOIR"),
    ("PAR", None, "SLG-CARD-HOLDER-ROUGE"),
    ("PAR", "zoe.lefevre", "SLG-KEY-POUCH-ETOUPE"),
    ("LON", "eleanor.whitfield", "SLG-WALLET-LONG-NOIR"),
    ("LON", "james.harrington", "SLG-CARD-HOLDER-ROUGE"),
    ("MIL", "niccolo.ferre", "SLG-WALLET-LONG-NOIR"),
    ("MIL", "sofia.rossi", "SLG-CARD-HOLDER-ROUGE"),
    ("TYO", "hanako.yamada", "SLG-CARD-HOLDER-ROUGE"),
    ("DXB", "mohammed.alfarsi", "SLG-WALLET-LONG-NOIR"),
    ("NYC", "olivia.bennett", "SLG-CARD-HOLDER-ROUGE"),
)


class LuxuryOmsDemo(models.AbstractModel):
    _inherit = "luxury.oms.demo"

    @api.model
    def _load_demo_boutique_sales(self):
        """Each sale is rung up by the advisor at the boutique's till and paid by card, as
        the POS sends it: the OMS takes the piece from the boutique's stock."""
        demo = self.with_company(self._maison())
        advisor = demo._demo_user("advisor")
        numbers = itertools.count(1)
        for site_code, client_key, sku in DEMO_TILL_SALES:
            till = demo.env["pos.config"].search([("oms_warehouse_id.code", "=", site_code)])
            if not till.current_session_id:
                # The advisor opens the register (an empty cash drawer) before the first sale.
                till.with_user(advisor).open_ui()
                till.current_session_id.with_user(advisor).set_opening_control(0, "")
            client = (
                demo.env["res.partner"].search(
                    [("email", "=ilike", f"{client_key}@%")], order="id", limit=1
                )
                if client_key
                else demo.env["res.partner"]
            )
            product = demo.env["product.product"].search([("default_code", "=", sku)])
            order = demo._prepare_demo_till_order(till, client, product, next(numbers))
            demo.env["pos.order"].with_user(advisor).sync_from_ui([order])
        return True

    @api.model
    def _prepare_demo_till_order(self, till, client, product, number):
        """The order as the till sends it: the shelf price of the boutique's price list,
        with the tax of the boutique's country (included, or added in New York)."""
        price = till.pricelist_id._get_product_price(product, 1.0)
        taxes = till.default_fiscal_position_id.map_tax(product.taxes_id)
        amounts = taxes.compute_all(price, till.currency_id, 1.0, product)
        card = till.payment_method_ids.filtered(lambda method: method.type == "bank")[:1]
        uuid = f"demo-till-{till.oms_warehouse_id.code}-{number}"
        return {
            "uuid": uuid,
            "name": f"Order {uuid}",
            "session_id": till.current_session_id.id,
            "user_id": till.current_session_id.user_id.id,
            "partner_id": client.id,
            "pricelist_id": till.pricelist_id.id,
            "fiscal_position_id": till.default_fiscal_position_id.id,
            "date_order": fields.Datetime.to_string(fields.Datetime.now()),
            "amount_total": amounts["total_included"],
            "amount_tax": till.currency_id.round(
                amounts["total_included"] - amounts["total_excluded"]
            ),
            "amount_paid": amounts["total_included"],
            "amount_return": 0,
            "to_invoice": False,
            "last_order_preparation_change": "{}",
            "lines": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "qty": 1,
                        "price_unit": price,
                        "price_subtotal": amounts["total_excluded"],
                        "price_subtotal_incl": amounts["total_included"],
                        "tax_ids": [fields.Command.set(taxes.ids)],
                    }
                )
            ],
            "payment_ids": [
                fields.Command.create(
                    {
                        "amount": amounts["total_included"],
                        "name": fields.Datetime.now(),
                        "payment_method_id": card.id,
                    }
                )
            ],
        }

from odoo import fields
from odoo import models
from odoo.tools import SQL


class LuxuryClientPurchaseLine(models.Model):
    """The products a client bought, across sale orders and POS orders (SQL view)."""

    _name = "luxury.client.purchase.line"
    _description = "Client Purchased Product"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "product_id"
    # flushed before every read of the view
    _depends = {
        "sale.order": ["partner_id", "date_order", "state", "company_id"],
        "sale.order.line": ["order_id", "product_id", "product_uom_qty", "display_type"],
        "pos.order": ["partner_id", "date_order", "state", "company_id"],
        "pos.order.line": ["order_id", "product_id", "qty"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "res.partner": ["commercial_partner_id"],
    }

    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    date = fields.Datetime(readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit")
    company_id = fields.Many2one("res.company", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT line.id * 2 AS id, partner.commercial_partner_id AS partner_id,
                   line.product_id, template.categ_id, so.date_order AS date,
                   line.product_uom_qty AS quantity, so.company_id
              FROM sale_order_line line
              JOIN sale_order so ON so.id = line.order_id
              JOIN res_partner partner ON partner.id = so.partner_id
              JOIN product_product product ON product.id = line.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
             WHERE so.state = 'sale' AND line.display_type IS NULL
            UNION ALL
            SELECT line.id * 2 + 1, partner.commercial_partner_id, line.product_id,
                   template.categ_id, po.date_order, line.qty, po.company_id
              FROM pos_order_line line
              JOIN pos_order po ON po.id = line.order_id
              JOIN res_partner partner ON partner.id = po.partner_id
              JOIN product_product product ON product.id = line.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
             WHERE po.state IN ('paid', 'done')
            """
        )

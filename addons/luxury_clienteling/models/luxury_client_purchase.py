from odoo import fields
from odoo import models
from odoo.tools import SQL

SOURCES = [("sale", "Sale order"), ("pos", "Boutique (POS)")]


class LuxuryClientPurchase(models.Model):
    """A client's purchases across channels: confirmed sale orders and paid POS orders.

    Read-only SQL view: one timeline per client (its commercial entity), whatever
    the channel, without copying any order.
    """

    _name = "luxury.client.purchase"
    _description = "Client Purchase"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "reference"
    # flushed before every read of the view
    _depends = {
        "sale.order": [
            "partner_id",
            "date_order",
            "name",
            "state",
            "oms_channel_id",
            "warehouse_id",
            "user_id",
            "amount_total",
            "currency_id",
            "company_id",
            "currency_rate",
        ],
        "pos.order": [
            "partner_id",
            "date_order",
            "name",
            "state",
            "config_id",
            "user_id",
            "amount_total",
            "company_id",
            "currency_rate",
        ],
        "pos.config": ["currency_id", "picking_type_id"],
        "res.partner": ["commercial_partner_id"],
    }

    partner_id = fields.Many2one("res.partner", string="Client", readonly=True)
    date = fields.Datetime(readonly=True)
    reference = fields.Char(readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    channel_id = fields.Many2one("luxury.oms.channel", string="Channel", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Site", readonly=True)
    user_id = fields.Many2one("res.users", string="Sold By", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    amount_company = fields.Monetary(
        string="Total (Company Currency)",
        currency_field="company_currency_id",
        readonly=True,
        help="Total at the order's rate, so that purchases in several currencies add up.",
    )
    sale_order_id = fields.Many2one("sale.order", readonly=True)
    pos_order_id = fields.Many2one("pos.order", readonly=True)

    @property
    def _table_query(self):
        # even ids for sale orders, odd ids for POS orders: unique and stable
        return SQL(
            """
            SELECT so.id * 2 AS id, partner.commercial_partner_id AS partner_id,
                   so.date_order AS date, so.name AS reference, 'sale' AS source,
                   so.oms_channel_id AS channel_id, so.warehouse_id, so.user_id,
                   so.amount_total, so.currency_id, so.company_id,
                   so.amount_total / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount_company,
                   so.id AS sale_order_id, NULL::integer AS pos_order_id
              FROM sale_order so
              JOIN res_partner partner ON partner.id = so.partner_id
             WHERE so.state = 'sale'
            UNION ALL
            SELECT po.id * 2 + 1, partner.commercial_partner_id, po.date_order, po.name, 'pos',
                   NULL, picking_type.warehouse_id, po.user_id, po.amount_total,
                   config.currency_id, po.company_id,
                   po.amount_total / COALESCE(NULLIF(po.currency_rate, 0), 1), NULL, po.id
              FROM pos_order po
              JOIN res_partner partner ON partner.id = po.partner_id
              JOIN pos_config config ON config.id = po.config_id
              LEFT JOIN stock_picking_type picking_type ON picking_type.id = config.picking_type_id
             WHERE po.state IN ('paid', 'done')
            """
        )

    def action_open_order(self):
        self.ensure_one()
        order = self.sale_order_id or self.pos_order_id
        return {
            "type": "ir.actions.act_window",
            "res_model": order._name,
            "res_id": order.id,
            "view_mode": "form",
        }

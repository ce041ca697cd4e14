from odoo import fields
from odoo import models

from .sale_order_fraud import FRAUD_STATES

# The OMS's columns of the sales analysis: {field: (an order's SQL, a till sale's SQL)}.
# A till's sale is paid at the counter: never held.
OMS_COLUMNS = {
    "oms_channel_id": ("s.oms_channel_id", "config.oms_channel_id"),
    "oms_client_tier_id": ("s.oms_client_tier_id", "pos.oms_client_tier_id"),
    "oms_fraud_state": ("s.oms_fraud_state", "'none'"),
}


class SaleReport(models.Model):
    """Sales analysis by channel and by the client's tier at the time of the sale, for web
    and channel orders and for the boutiques' till sales alike (pos_sale adds those rows)."""

    _inherit = "sale.report"

    oms_channel_id = fields.Many2one("luxury.oms.channel", string="Channel", readonly=True)
    oms_client_tier_id = fields.Many2one("luxury.oms.tier", string="Client Tier", readonly=True)
    oms_fraud_state = fields.Selection(FRAUD_STATES, string="Fraud Review", readonly=True)

    def _select_additional_fields(self):
        order_columns = {name: sql for name, (sql, _till_sql) in OMS_COLUMNS.items()}
        return {**super()._select_additional_fields(), **order_columns}

    def _group_by_sale(self):
        return ", ".join([super()._group_by_sale(), *(sql for sql, _till in OMS_COLUMNS.values())])

    def _available_additional_pos_fields(self):
        till_columns = {name: till_sql for name, (_sql, till_sql) in OMS_COLUMNS.items()}
        return {**super()._available_additional_pos_fields(), **till_columns}

    def _group_by_pos(self):
        # The literal of a till's fraud state is no column to group by.
        columns = [till_sql for _sql, till_sql in OMS_COLUMNS.values() if "." in till_sql]
        return ", ".join([super()._group_by_pos(), *columns])

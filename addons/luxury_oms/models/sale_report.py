from odoo import fields
from odoo import models


class SaleReport(models.Model):
    """Sales analysis by channel and by the client's tier at the time of the sale, for web
    and channel orders and for the boutiques' till sales alike (pos_sale adds those rows)."""

    _inherit = "sale.report"

    oms_channel_id = fields.Many2one("luxury.oms.channel", string="Channel", readonly=True)
    oms_client_tier_id = fields.Many2one("luxury.oms.tier", string="Client Tier", readonly=True)
    oms_fraud_state = fields.Selection(
        [
            ("none", "Not Held"),
            ("held", "Held"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="Fraud Review",
        readonly=True,
    )

    def _select_additional_fields(self):
        additional = super()._select_additional_fields()
        additional["oms_channel_id"] = "s.oms_channel_id"
        additional["oms_client_tier_id"] = "s.oms_client_tier_id"
        additional["oms_fraud_state"] = "s.oms_fraud_state"
        return additional

    def _group_by_sale(self):
        return (
            f"{super()._group_by_sale()}, s.oms_channel_id, s.oms_client_tier_id, "
            "s.oms_fraud_state"
        )

    def _available_additional_pos_fields(self):
        fields_by_name = super()._available_additional_pos_fields()
        fields_by_name["oms_channel_id"] = "config.oms_channel_id"
        fields_by_name["oms_client_tier_id"] = "pos.oms_client_tier_id"
        # A till's sale is paid at the counter: never held.
        fields_by_name["oms_fraud_state"] = "'none'"
        return fields_by_name

    def _group_by_pos(self):
        return f"{super()._group_by_pos()}, config.oms_channel_id, pos.oms_client_tier_id"

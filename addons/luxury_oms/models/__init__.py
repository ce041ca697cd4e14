# Mixins first: the models below inherit them.
from . import luxury_oms_fraud_policy_mixin

# isort: split
from . import (
    luxury_oms_channel,
    luxury_oms_fraud_rule,
    luxury_oms_fraud_score_line,
    luxury_oms_tier,
    res_company,
    res_partner,
    sale_order,
    stock_location,
    stock_move,
    stock_picking,
    stock_warehouse,
)

# Mixins first: the models below inherit them.
from . import luxury_oms_fraud_policy_mixin

# isort: split
from . import (
    luxury_oms_availability,
    luxury_oms_buffer_rule,
    luxury_oms_channel,
    luxury_oms_fraud_rule,
    luxury_oms_fraud_score_line,
    luxury_oms_hold,
    luxury_oms_hold_consumption,
    luxury_oms_stock_slot,
    luxury_oms_tier,
    product_product,
    product_template,
    res_company,
    res_partner,
    sale_order,
    sale_order_line,
    stock_location,
    stock_move,
    stock_picking,
    stock_warehouse,
)

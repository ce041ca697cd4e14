# Mixins first: the models below inherit them.
from . import luxury_oms_fraud_policy_mixin

# isort: split
from . import luxury_oms_availability
from . import luxury_oms_buffer_rule
from . import luxury_oms_channel
from . import luxury_oms_fraud_rule
from . import luxury_oms_fraud_score_line
from . import luxury_oms_hold
from . import luxury_oms_hold_consumption
from . import luxury_oms_pos_override
from . import luxury_oms_sourcing_criterion
from . import luxury_oms_sourcing_plan
from . import luxury_oms_sourcing_plan_candidate
from . import luxury_oms_sourcing_plan_line
from . import luxury_oms_sourcing_rule
from . import luxury_oms_sourcing_strategy
from . import luxury_oms_stock_slot
from . import luxury_oms_tier
from . import pos_config
from . import pos_order
from . import pos_session
from . import product_product
from . import product_template
from . import res_company
from . import res_partner
from . import sale_order
from . import sale_order_line
from . import stock_location
from . import stock_move
from . import stock_picking
from . import stock_warehouse

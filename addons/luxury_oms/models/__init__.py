from . import luxury_oms_channel, luxury_oms_tier, res_partner, stock_location, stock_warehouse
from . import luxury_oms_sourcing_strategy, luxury_oms_sourcing_rule
from . import luxury_oms_sourcing_criterion, luxury_oms_sourcing_plan
from . import luxury_oms_sourcing_plan_line, luxury_oms_sourcing_plan_candidate
from . import sale_order, sale_order_line, stock_move

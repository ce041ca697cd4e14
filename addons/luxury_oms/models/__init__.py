from . import luxury_oms_channel, luxury_oms_tier, res_partner, stock_location, stock_warehouse
from . import sale_order

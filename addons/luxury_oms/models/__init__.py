from . import (
    luxury_oms_channel,
    luxury_oms_tier,
    res_partner,
    sale_order,
    stock_location,
    stock_warehouse,
)

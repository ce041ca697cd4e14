# the abstract service model first: special orders, repairs and loans inherit it
from . import luxury_client_service_mixin

# isort: split
from . import (
    luxury_client_date,
    luxury_client_event,
    luxury_client_interaction,
    luxury_client_interest,
    luxury_client_loan,
    luxury_client_note,
    luxury_client_piece_transfer,
    luxury_client_preference,
    luxury_client_purchase,
    luxury_client_purchase_line,
    luxury_client_repair,
    luxury_client_special_order,
    luxury_client_special_order_step,
    luxury_client_tier_history,
    res_company,
    res_partner,
    res_users,
    sale_order,
    stock_location,
    stock_lot,
    stock_picking,
    stock_warehouse,
)

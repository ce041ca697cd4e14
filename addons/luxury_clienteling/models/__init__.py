from . import (
    luxury_client_date,
    luxury_client_event,
    luxury_client_interaction,
    luxury_client_interest,
    luxury_client_note,
    luxury_client_preference,
    luxury_client_purchase,
    luxury_client_purchase_line,
    luxury_client_tier_history,
    res_partner,
    res_users,
    stock_warehouse,
)

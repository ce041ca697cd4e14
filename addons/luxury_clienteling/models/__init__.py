# the abstract service model first: special orders, repairs and loans inherit it
from . import luxury_client_service_mixin

# isort: split
from . import base_partner_merge_automatic_wizard
from . import luxury_client_date
from . import luxury_client_event
from . import luxury_client_interaction
from . import luxury_client_interest
from . import luxury_client_loan
from . import luxury_client_merge_proposal
from . import luxury_client_note
from . import luxury_client_piece_transfer
from . import luxury_client_preference
from . import luxury_client_purchase
from . import luxury_client_purchase_line
from . import luxury_client_repair
from . import luxury_client_special_order
from . import luxury_client_special_order_step
from . import luxury_client_tier_history
from . import luxury_oms_demo
from . import res_company
from . import res_partner
from . import res_partner_client_panel
from . import res_partner_passport
from . import res_users
from . import sale_order
from . import stock_location
from . import stock_lot
from . import stock_picking
from . import stock_quant
from . import stock_warehouse

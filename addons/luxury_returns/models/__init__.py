from . import (
    luxury_return,
    luxury_return_check,
    luxury_return_check_template,
    luxury_return_check_template_item,
    luxury_return_line,
    luxury_return_reason,
    luxury_return_window,
    sale_order,
    sale_order_line,
    stock_lot,
    stock_picking,
    stock_warehouse,
)

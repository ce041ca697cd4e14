"""Validation and normalisation of a return request (channel API ``request_return``, the
boutique's till), in the style and with the field readers of the channel API's
``api_payload``: plain Python, refused before anything is read or written, each error
``path: problem`` naming the field as the client sent it (``lines[0].qty``).

What needs the database (unknown SKU or serial, quantity above what was delivered, closed
return window, unknown reason) is checked by the ``luxury.return.request`` service, with the
same ``path: problem`` format.
"""

from odoo.addons.luxury_oms.engine.api_payload import MAX_CODE
from odoo.addons.luxury_oms.engine.api_payload import MAX_LINES
from odoo.addons.luxury_oms.engine.api_payload import QTY_DIGITS
from odoo.addons.luxury_oms.engine.api_payload import PayloadError
from odoo.addons.luxury_oms.engine.api_payload import check_depth
from odoo.addons.luxury_oms.engine.api_payload import check_keys
from odoo.addons.luxury_oms.engine.api_payload import check_list
from odoo.addons.luxury_oms.engine.api_payload import check_mapping
from odoo.addons.luxury_oms.engine.api_payload import check_number
from odoo.addons.luxury_oms.engine.api_payload import check_string
from odoo.addons.luxury_oms.engine.api_payload import smallest_quantity

from .returns import RequestedLine

# The documents a return can come from.
RETURN_SOURCES = ("sale.order", "pos.order")


def validate_return_request(lines, reason, qty_digits=QTY_DIGITS):
    """``{"lines": [RequestedLine], "reason": code}``. A line's ``qty`` defaults to 1;
    ``qty_digits``: the decimals quantities are stored with, a smaller one is refused."""
    check_depth(lines, "lines")
    check_depth(reason, "reason")
    smallest = smallest_quantity(qty_digits)
    requested = []
    for index, raw_line in enumerate(check_list(lines, "lines", MAX_LINES)):
        path = f"lines[{index}]"
        line = check_keys(check_mapping(raw_line, path), path, {"sku", "qty", "serial"})
        requested.append(
            RequestedLine(
                sku=check_string(line.get("sku"), f"{path}.sku", max_length=MAX_CODE),
                qty=check_number(
                    line.get("qty", 1), f"{path}.qty", strictly_positive=True, smallest=smallest
                ),
                serial=check_string(
                    line.get("serial"), f"{path}.serial", required=False, max_length=MAX_CODE
                ),
            )
        )
    return {
        "lines": requested,
        "reason": check_string(reason, "reason", max_length=MAX_CODE),
    }


def check_record_id(value, path, missing="is required"):
    """A database id sent by a front end: a positive integer (``True`` is no id);
    ``missing``: the problem of an absent value."""
    if value is None or value is False:
        raise PayloadError(path, missing)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise PayloadError(path, f"must be a record id, not {value!r}")
    return value


def validate_till_client(partner_id):
    """The client standing at the till, as the boutique's return screen sends it."""
    return check_record_id(partner_id, "partner_id", missing="select the client who returns")


def validate_till_order(order_model, order_id):
    """``(model, id)`` of the order a piece is returned from at the till."""
    check_depth(order_model, "order")
    check_depth(order_id, "order")
    if (
        order_model not in RETURN_SOURCES
        or isinstance(order_id, bool)
        or not (isinstance(order_id, int) and order_id > 0)
    ):
        raise PayloadError("order", f"unknown order {order_model!s:.64} {order_id!s:.64}")
    return order_model, order_id

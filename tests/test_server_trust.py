"""The trust boundary tried as an attacker would, against a real server.

Every context key the three addons ever read as a switch (docs/security.md), with Odoo's own
keys a caller could hope to bend a rule with, is sent over XML-RPC (``execute_kw``'s
``context``), the web client's JSON-RPC and JSON-2 (the body's ``context``). Nothing changes:
held units stay held, the floor's steps stay enforced, archived records stay dead, the audit
trail stays written.
"""

import uuid
import xmlrpc.client
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from harness import Json2Client
from harness import RpcClient
from harness import WebClient
from harness import channel_order

# Keys an RPC caller can send; the values are the ones that would hurt if a rule obeyed them.
HOSTILE_CONTEXT = {
    "oms_from_tasks": True,
    "oms_expiring": True,
    "active_test": False,
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_auto_subscribe_no_notify": True,
    "skip_backorder": True,
    "cancel_backorder": True,
    "skip_sms": True,
    "force_company": 1,
}


def _hostile(**extra):
    return {**HOSTILE_CONTEXT, **extra}


def _xmlid(admin, name, module="luxury_oms"):
    [data] = admin.call(
        "ir.model.data", "search_read", [["module", "=", module], ["name", "=", name]],
        fields=["res_id"],
    )  # fmt: skip
    return data["res_id"]


def _key_client(odoo_server, shop, code=None):
    channel = shop["channels"][code or shop["code"]]
    return RpcClient(odoo_server.url, odoo_server.database, channel["login"], channel["key"])


def _json2(odoo_server, shop, code=None):
    return Json2Client(
        odoo_server.url, odoo_server.database, shop["channels"][code or shop["code"]]["key"]
    )


def _refused(call, *args, **kwargs):
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call(*args, **kwargs)
    assert "Traceback" not in caught.value.faultString
    return caught.value.faultString


def _channel_orders(admin, code):
    return admin.call("sale.order", "search_count", [["oms_channel_id.code", "=", code]])


def _stocked_sku(odoo_server, admin, shop, prefix, units):
    """A new SKU ``<prefix>-<tag>`` with ``units`` at the shop's site: (tag, product id)."""
    tag = uuid.uuid4().hex[:6].upper()
    product_id = admin.call(
        "product.product", "create",
        {"name": f"{prefix} bag {tag}", "default_code": f"{prefix}-{tag}", "is_storable": True},
    )  # fmt: skip
    odoo_server.set_stock(product_id, shop["site"]["lot_stock_id"][0], units)
    return tag, product_id


@pytest.fixture
def held_piece(odoo_server, admin, shop):
    """A new SKU with one unit at the shop's site, held for a VIP client."""
    tag, product_id = _stocked_sku(odoo_server, admin, shop, "HELD", 1)
    vip = admin.call(
        "res.partner", "create", {"name": f"VIP {tag}", "email": f"vip-{tag}@example.com"}
    )
    hold_id = admin.call(
        "luxury.oms.hold", "create",
        {"product_id": product_id, "warehouse_id": shop["site"]["id"], "quantity": 1,
         "beneficiary_type": "client", "partner_id": vip,
         "date_expiry": (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")},
    )  # fmt: skip
    return {"sku": f"HELD-{tag}", "hold_id": hold_id, "tag": tag}


def test_no_context_frees_a_held_piece(odoo_server, admin, shop, held_piece):
    hostile = _hostile(oms_exclude_hold_ids=[held_piece["hold_id"]])
    before = _channel_orders(admin, shop["code"])
    order = channel_order(
        shop, f"HELD-{held_piece['tag']}", "buyer@example.com", sku=held_piece["sku"]
    )
    message = _refused(_key_client(odoo_server, shop).call, "luxury.oms.api", "place_order", order,
                       context=hostile)  # fmt: skip
    assert "Not enough stock" in message
    answer = _json2(odoo_server, shop).call(
        "luxury.oms.api", "place_order", order=order, context=hostile
    )
    assert answer.status_code == 422 and "Not enough stock" in answer.json()["message"]
    availability = _key_client(odoo_server, shop).call(
        "luxury.oms.api", "get_availability", [held_piece["sku"]], None, shop["code"],
        context=hostile,
    )  # fmt: skip
    assert availability[held_piece["sku"]]["available_to_sell"] == 0
    [hold] = admin.call(
        "luxury.oms.hold", "read", [held_piece["hold_id"]], ["state", "remaining_qty"]
    )
    assert (hold["state"], hold["remaining_qty"]) == ("active", 1)
    assert _channel_orders(admin, shop["code"]) == before


def test_no_context_hides_the_audit_trail(odoo_server, admin, shop):
    tag = shop["tag"].lower()
    client = _key_client(odoo_server, shop)
    messages = {}
    for name, context in (("plain", {}), ("hostile", HOSTILE_CONTEXT)):
        ref = f"AUDIT-{tag}-{name}"
        answer = client.call("luxury.oms.api", "place_order",
                             channel_order(shop, ref, f"audit-{name}-{tag}@example.com"),
                             context=context)  # fmt: skip
        [order] = admin.call("sale.order", "search", [["name", "=", answer["order_ref"]]])
        messages[name] = admin.call(
            "mail.message", "search_count", [["model", "=", "sale.order"], ["res_id", "=", order]]
        )
    assert messages["hostile"] == messages["plain"] > 0


def test_archived_means_off_whatever_the_context(odoo_server, admin, shop):
    tag, product_id = _stocked_sku(odoo_server, admin, shop, "OLD", 5)
    admin.call("product.product", "write", [product_id], {"active": False})
    order = channel_order(shop, f"OLD-{tag}", f"old-{tag}@example.com", sku=f"OLD-{tag}")
    message = _refused(_key_client(odoo_server, shop).call, "luxury.oms.api", "place_order", order,
                       context=HOSTILE_CONTEXT)  # fmt: skip
    assert message == f"lines[0].sku: OLD-{tag} is archived."
    answer = _json2(odoo_server, shop).call(
        "luxury.oms.api", "get_availability", skus=[f"OLD-{tag}"], context=HOSTILE_CONTEXT
    )
    assert (
        answer.status_code == 422 and answer.json()["message"] == f"skus[0]: OLD-{tag} is archived."
    )

    # The second channel archived: its key still authenticates, and sells nothing.
    other = shop["other"]
    client = _key_client(odoo_server, shop, other)
    admin.call("luxury.oms.channel", "write", [shop["channels"][other]["id"]], {"active": False})
    try:
        message = _refused(client.call, "luxury.oms.api", "place_order",
                           channel_order(shop, f"ARCH-{tag}", f"arch-{tag}@example.com",
                                         channel=other),
                           context=HOSTILE_CONTEXT)  # fmt: skip
        assert message == f"channel: {other} is archived."
        answer = _json2(odoo_server, shop, other).call(
            "luxury.oms.api", "get_availability", skus=[shop["sku"]], channel=other,
            context=HOSTILE_CONTEXT,
        )  # fmt: skip
        assert (
            answer.status_code == 422
            and answer.json()["message"] == f"channel: {other} is archived."
        )
    finally:
        admin.call("luxury.oms.channel", "write", [shop["channels"][other]["id"]], {"active": True})
    assert _channel_orders(admin, other) == 0


def test_archived_user_and_revoked_key_do_nothing(odoo_server, admin, shop):
    """A channel of its own: its integration user is archived, then its key revoked."""
    tag = uuid.uuid4().hex[:6].upper()
    web = odoo_server.web_client()
    [eur] = admin.call("res.currency", "search", [["name", "=", "EUR"]])
    code = f"gone-{tag}"
    channel_id = admin.call("luxury.oms.channel", "create", {
        "name": code, "code": code, "currency_id": eur,
        "warehouse_ids": [(6, 0, [shop["site"]["id"]])]})  # fmt: skip
    wizard_id = web.call("luxury.oms.api.key.wizard", "create", {"channel_id": channel_id})
    key = web.call("luxury.oms.api.key.wizard", "action_generate", [wizard_id])["context"][
        "default_key"
    ]
    client = RpcClient(odoo_server.url, odoo_server.database, f"api-{code}", key)
    json2 = Json2Client(odoo_server.url, odoo_server.database, key)
    assert client.call("luxury.oms.api", "get_availability", [shop["sku"]], None, code)
    [user_id] = admin.call("res.users", "search", [["login", "=", f"api-{code}"]])

    admin.call("res.users", "write", [user_id], {"active": False})
    _refused(client.call, "luxury.oms.api", "get_availability", [shop["sku"]], None, code,
             context=HOSTILE_CONTEXT)  # fmt: skip
    assert json2.call("luxury.oms.api", "get_availability", skus=[shop["sku"]],
                      channel=code, context=HOSTILE_CONTEXT).status_code == 401  # fmt: skip

    admin.call("res.users", "write", [user_id], {"active": True})
    assert client.call("luxury.oms.api", "get_availability", [shop["sku"]], None, code)
    admin.call("luxury.oms.channel", "action_revoke_api_keys", [channel_id])
    _refused(client.call, "luxury.oms.api", "get_availability", [shop["sku"]], None, code)
    assert json2.call("luxury.oms.api", "get_availability", skus=[shop["sku"]],
                      channel=code).status_code == 401  # fmt: skip


@pytest.fixture
def floor_parcel(odoo_server, admin):
    """A parcel of the demo's Paris DC (pick, QC, gift wrap, pack, handover) and a floor user
    in the floor staff group, with a password for XML-RPC and the web client."""
    tag = uuid.uuid4().hex[:6].upper()
    site_id = _xmlid(admin, "site_paris_dc")
    [site] = admin.call("stock.warehouse", "read", [site_id], ["lot_stock_id"])
    product_id = admin.call(
        "product.product", "create",
        {"name": f"Floor bag {tag}", "default_code": f"FLOOR-{tag}", "is_storable": True,
         "categ_id": _xmlid(admin, "product_category_leather_goods")},
    )  # fmt: skip
    odoo_server.set_stock(product_id, site["lot_stock_id"][0], 1)
    partner_id = admin.call("res.partner", "create", {"name": f"Floor client {tag}"})
    order_id = admin.call("sale.order", "create", {
        "partner_id": partner_id, "warehouse_id": site_id,
        "order_line": [(0, 0, {"product_id": product_id, "product_uom_qty": 1})]})  # fmt: skip
    admin.call("sale.order", "action_confirm", [order_id])
    [order] = admin.call("sale.order", "read", [order_id], ["picking_ids"])
    [picking] = admin.call("stock.picking", "read", order["picking_ids"], ["oms_task_ids", "state"])
    assert picking["oms_task_ids"], "the Paris DC plans floor tasks"
    login = f"floor-{tag.lower()}"
    admin.call("res.users", "create", {
        "name": f"Floor {tag}", "login": login, "password": f"Pw-{tag}-floor",
        "group_ids": [(6, 0, [_xmlid(admin, "group_oms_floor")])]})  # fmt: skip
    return {"picking": picking, "login": login, "password": f"Pw-{tag}-floor"}


def _parcel_state(admin, picking):
    [parcel] = admin.call("stock.picking", "read", [picking["id"]], ["state"])
    tasks = admin.call("luxury.oms.fulfilment.task", "read", picking["oms_task_ids"], ["state"])
    return parcel["state"], sorted(task["state"] for task in tasks)


def test_no_context_skips_the_floor_steps(odoo_server, admin, floor_parcel):
    picking = floor_parcel["picking"]
    before = _parcel_state(admin, picking)
    hostile = _hostile(picking_ids_not_to_backorder=[picking["id"]])
    rpc = RpcClient(odoo_server.url, odoo_server.database, floor_parcel["login"],
                    floor_parcel["password"])  # fmt: skip
    message = _refused(
        rpc.call, "stock.picking", "button_validate", [picking["id"]], context=hostile
    )
    assert "handed over" in message
    _refused(rpc.call, "luxury.oms.fulfilment.task", "write", picking["oms_task_ids"],
             {"state": "done"}, context=hostile)  # fmt: skip
    web = WebClient(odoo_server.url, odoo_server.database, floor_parcel["login"],
                    floor_parcel["password"])  # fmt: skip
    with pytest.raises(RuntimeError, match="handed over"):
        web.call("stock.picking", "button_validate", [picking["id"]], context=hostile)
    with pytest.raises(RuntimeError, match="moves on through its own steps"):
        web.call("luxury.oms.fulfilment.task", "write", picking["oms_task_ids"], {"state": "done"},
                 context=hostile)  # fmt: skip
    assert _parcel_state(admin, picking) == before
    assert before[0] != "done"

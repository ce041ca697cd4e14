import os
import uuid

import pytest
from harness import SCARCE_UNITS
from harness import OdooServer


@pytest.fixture(scope="session")
def odoo_server():
    """One Odoo server with 2 workers over the committed database prepared by `make test`."""
    database = os.environ.get("LUXURY_OMS_SERVER_DB")
    config = os.environ.get("LUXURY_OMS_ODOO_CONF")
    if not (database and config):
        pytest.fail(
            "Real-server tests need LUXURY_OMS_SERVER_DB and LUXURY_OMS_ODOO_CONF: run `make test`"
        )
    server = OdooServer(database, config, workers=2).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def admin(odoo_server):
    return odoo_server.client()


@pytest.fixture
def scarce_product(odoo_server, admin):
    """A storable product with SCARCE_UNITS units at a fresh site of a fresh channel,
    committed by the server."""
    tag = uuid.uuid4().hex[:6].upper()
    product_id = admin.call(
        "product.product",
        "create",
        {"name": f"Race bag {tag}", "default_code": f"RACE-{tag}", "is_storable": True,
         "list_price": 5000},
    )  # fmt: skip
    site_id = admin.call("stock.warehouse", "create", {"name": f"Race {tag}", "code": tag[:5]})
    # A site of a channel: the OMS governs it (a warehouse no channel sells from is plain Odoo).
    [eur] = admin.call("res.currency", "search", [["name", "=", "EUR"]])
    admin.call(
        "luxury.oms.channel", "create",
        {"name": f"Race {tag}", "code": f"race-{tag}", "currency_id": eur,
         "warehouse_ids": [(6, 0, [site_id])]},
    )  # fmt: skip
    [site] = admin.call("stock.warehouse", "read", [site_id], ["lot_stock_id"])
    odoo_server.set_stock(product_id, site["lot_stock_id"][0], SCARCE_UNITS)
    return {"product_id": product_id, "site_id": site_id, "tag": tag, "sku": f"RACE-{tag}"}


@pytest.fixture(scope="module")
def shop(odoo_server, admin):
    """A channel selling from one fresh site, a product in stock there, and the channel's
    integration user and API key, created the way a manager does it (the "New API Key"
    wizard of the channel). A second channel, ``other``, has its own user and key."""
    tag = uuid.uuid4().hex[:6].upper()
    web = odoo_server.web_client()
    [eur] = admin.call("res.currency", "search", [["name", "=", "EUR"]])
    site_id = admin.call(
        "stock.warehouse", "create", {"name": f"API {tag}", "code": tag[:5],
                                      "oms_click_collect": True}
    )  # fmt: skip
    [site] = admin.call("stock.warehouse", "read", [site_id], ["lot_stock_id", "code"])
    product_id = admin.call(
        "product.product",
        "create",
        {"name": f"API bag {tag}", "default_code": f"API-{tag}", "is_storable": True},
    )
    odoo_server.set_stock(product_id, site["lot_stock_id"][0], 100)
    channels = {}
    for code in (f"api-{tag}", f"other-{tag}"):
        channel_id = admin.call(
            "luxury.oms.channel", "create", {"name": code, "code": code, "currency_id": eur,
                                             "warehouse_ids": [(6, 0, [site_id])]}
        )  # fmt: skip
        wizard_id = web.call("luxury.oms.api.key.wizard", "create", {"channel_id": channel_id})
        action = web.call("luxury.oms.api.key.wizard", "action_generate", [wizard_id])
        channels[code] = {"id": channel_id, "key": action["context"]["default_key"],
                          "login": f"api-{code}"}  # fmt: skip
    return {"tag": tag, "site": site, "product_id": product_id, "sku": f"API-{tag}",
            "code": f"api-{tag}", "other": f"other-{tag}", "channels": channels}  # fmt: skip

import os

import pytest
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

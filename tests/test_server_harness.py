"""The harness itself: a real server with workers, reachable concurrently over XML-RPC."""

from harness import race


def test_server_serves_the_installed_addons(admin):
    installed = admin.call(
        "ir.module.module",
        "search_read",
        [["name", "in", ["luxury_oms", "luxury_clienteling", "luxury_returns"]]],
        fields=["name", "state"],
    )
    assert sorted((m["name"], m["state"]) for m in installed) == [
        ("luxury_clienteling", "installed"),
        ("luxury_oms", "installed"),
        ("luxury_returns", "installed"),
    ]


def test_concurrent_clients_are_served_by_several_processes(odoo_server):
    clients = [odoo_server.client() for _ in range(6)]
    results = race([lambda c=c: c.call("res.users", "context_get") for c in clients])
    assert all(isinstance(result, dict) for result in results), results

{
    "name": "Luxury OMS Returns",
    "summary": "Returns with authenticity checks and counterfeit quarantine for luxury maisons",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Luxury OMS contributors",
    "website": "https://github.com/luxury-oms/luxury-oms",
    "depends": ["luxury_oms"],
    "data": [
        "security/luxury_returns_security.xml",
        "security/luxury_returns_company_rules.xml",
        "security/ir.model.access.csv",
        "data/luxury_return_data.xml",
        "views/luxury_return_views.xml",
        "views/luxury_return_config_views.xml",
        "views/luxury_returns_menus.xml",
        "data/luxury_oms_queue_data.xml",
    ],
    "demo": ["demo/luxury_return_demo.xml"],
    "assets": {
        "point_of_sale._assets_pos": [
            "luxury_returns/static/src/pos/**/*",
        ],
        "web.assets_tests": [
            "luxury_returns/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}

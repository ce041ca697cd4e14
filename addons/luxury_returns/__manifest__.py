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
        "views/luxury_returns_menus.xml",
    ],
    "installable": True,
}

{
    "name": "Luxury OMS Clienteling",
    "summary": "Client 360, advisors, special orders, repairs and loans for luxury maisons",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Luxury OMS contributors",
    "website": "https://github.com/luxury-oms/luxury-oms",
    "depends": ["luxury_oms"],
    "data": [
        "security/luxury_clienteling_security.xml",
        "views/luxury_clienteling_menus.xml",
    ],
    "installable": True,
}

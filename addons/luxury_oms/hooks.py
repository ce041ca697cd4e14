from odoo.tools import SQL

from .models.luxury_oms_availability import READ_FUNCTIONS


def uninstall_hook(env):
    """Odoo drops an addon's tables and columns, not its functions: drop the availability
    read's own (``luxury.oms.availability.init``)."""
    for name in READ_FUNCTIONS:
        env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s CASCADE", SQL.identifier(name)))

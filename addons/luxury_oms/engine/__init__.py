"""Decision logic of the OMS as plain Python over plain data (no Odoo imports)."""

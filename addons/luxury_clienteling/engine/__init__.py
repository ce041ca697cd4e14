"""Decision logic of clienteling as plain Python over plain data (no Odoo imports)."""

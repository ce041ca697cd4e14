from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _oms_invoice_handover(self):
        """Create and post the invoice of what was just handed over. Any failure raises, so
        that the handover rolls back with it."""
        self.ensure_one()
        if self.invoice_status != "to invoice":
            return self.env["account.move"]
        # Ownership passes at handover: pieces bill when they leave, whatever the products'
        # invoicing policy (a piece that failed quality control, or ships later from
        # another site, is not billed with this parcel).
        shipped = {
            line: max(line.qty_delivered - line.qty_invoiced, 0.0)
            for line in self.order_line
            if line.product_id.is_storable
        }
        invoice = self._create_invoices()
        for invoice_line in invoice.invoice_line_ids:
            sale_line = invoice_line.sale_line_ids[:1]
            if sale_line in shipped and invoice_line.quantity > shipped[sale_line]:
                invoice_line.quantity = shipped[sale_line]
        invoice.invoice_line_ids.filtered(
            lambda line: line.sale_line_ids and not line.quantity
        ).unlink()
        if not invoice.invoice_line_ids.sale_line_ids:
            invoice.unlink()
            return self.env["account.move"]
        invoice.action_post()
        return invoice

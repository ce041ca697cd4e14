from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models

# Returns whose pieces are back at the maison (being checked, refunded, exchanged...).
RETURN_RECEIVED_STATES = (
    "received", "checking", "authentic", "suspected", "refunded", "exchanged", "quarantined",
    "closed",
)  # fmt: skip


class SaleOrder(models.Model):
    _inherit = "sale.order"

    oms_stage = fields.Selection(
        selection_add=[
            ("return_requested", "Return Requested"),
            ("partly_returned", "Partly Returned"),
            ("returned", "Returned"),
        ],
        help="Where the order stands for its client: received (screened, or held for the "
        "fraud team), on the floor, ready for pickup at the boutique, handed over to the "
        "courier or collected, or cancelled; then, once the client asks to return pieces, "
        "return requested, partly returned or returned.",
    )

    # Returns staff only, as on pos.order: a salesperson reads orders without reading returns.
    luxury_return_ids = fields.One2many(
        "luxury.return",
        "sale_order_id",
        string="Returns",
        groups="luxury_returns.group_returns_user",
    )
    luxury_return_count = fields.Integer(
        compute="_compute_luxury_return_count", groups="luxury_returns.group_returns_user"
    )

    @api.depends("luxury_return_ids")
    def _compute_luxury_return_count(self):
        counts = dict(
            self.env["luxury.return"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.luxury_return_count = counts.get(order, 0)

    @api.depends("luxury_return_ids.state", "luxury_return_ids.line_ids.qty")
    def _compute_oms_stage(self):
        """After the sale, the order's stage follows its returns: requested by the client,
        then some or all of its pieces back at the maison."""
        super()._compute_oms_stage()
        returns = self._luxury_return_progress()
        for order in self:
            requested, received = returns.get(order.id, (False, 0.0))
            sold = sum(order._luxury_returnable_lines().mapped("product_uom_qty"))
            if received and received >= sold:
                order.oms_stage = "returned"
            elif received:
                order.oms_stage = "partly_returned"
            elif requested and order.oms_stage != "cancelled":
                order.oms_stage = "return_requested"

    def _luxury_return_progress(self):
        """``{order id: (a return is requested, quantity received back)}``, read as
        superuser in one statement: the stage is shown to whoever reads the order, returns
        only to returns staff."""
        progress = defaultdict(lambda: (False, 0.0))
        if not self.ids:
            return progress
        rows = (
            self.env["luxury.return.line"]
            .sudo()
            ._read_group(
                [
                    ("return_id.sale_order_id", "in", self.ids),
                    ("return_id.state", "in", ("requested", *RETURN_RECEIVED_STATES)),
                ],
                ["return_id"],
                ["qty:sum"],
            )
        )
        for rma, quantity in rows:
            requested, received = progress[rma.sale_order_id.id]
            if rma.state == "requested":
                progress[rma.sale_order_id.id] = (True, received)
            else:
                progress[rma.sale_order_id.id] = (requested, received + quantity)
        return progress

    def action_luxury_create_return(self):
        """Open a new back-office return for this order, prefilled."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Return"),
            "res_model": "luxury.return",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_sale_order_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        }

    def action_view_luxury_returns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "luxury_returns.luxury_return_action"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {
            "default_sale_order_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def _luxury_returnable_lines(self):
        return self.order_line.filtered(lambda line: line.product_id.is_storable)

    def _luxury_sold_channel(self):
        return self.oms_channel_id

    def _luxury_return_site(self):
        return self.warehouse_id

    def _luxury_exchange_order_vals(self):
        return {
            "partner_id": self.partner_id.id,
            "partner_shipping_id": self.partner_shipping_id.id,
            "pricelist_id": self.pricelist_id.id,
            "oms_channel_id": self.oms_channel_id.id,
            "company_id": self.company_id.id,
        }

    def _luxury_credit_note_vals(self, sold_lines):
        """Header of the credit note of returned ``sold_lines``: it reverses their invoice."""
        invoice = sold_lines._luxury_posted_invoice_lines().move_id[:1]
        return invoice._luxury_credit_note_vals(self.name)

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..engine.boutique import explain_shortage
from .luxury_oms_availability import Demand


class PosOrder(models.Model):
    _inherit = "pos.order"

    oms_override_ids = fields.One2many(
        "luxury.oms.pos.override",
        "pos_order_id",
        string="Stock Overrides",
        readonly=True,
        groups="luxury_oms.group_oms_user,luxury_oms.group_oms_boutique",
    )
    oms_client_tier_id = fields.Many2one(
        "luxury.oms.tier",
        string="Client Tier",
        compute="_compute_oms_client_tier_id",
        store=True,
        ondelete="restrict",
        help="The client's tier at the time of the sale (sales by tier, as for web orders).",
    )

    @api.depends("partner_id")
    def _compute_oms_client_tier_id(self):
        for order in self:
            order.oms_client_tier_id = order.partner_id.oms_tier_id

    def _process_saved_order(self, draft):
        """A paid boutique order takes its stock under the OMS lock before its picking is
        created, in the same transaction (the POS itself never refuses a paid sale)."""
        if not draft and self.state != "cancel" and self.config_id.oms_channel_id:
            self._oms_take_stock()
        result = super()._process_saved_order(draft)
        if not draft and self.config_id.oms_channel_id:
            self.lines._oms_refresh_availability()
        return result

    def _create_order_picking(self):
        """The boutique's picking may take a piece reserved for a web order (a manager
        override, or the serial the advisor had in hand): such orders are served again
        at once, and told so in their chatter. The POS links its picking to the order only
        after validating it: the pieces are certified once the sale (the buyer) is known."""
        if not self.config_id.oms_channel_id:
            result = super()._create_order_picking()
        else:
            reserved_before = self._oms_reserved_web_moves()
            result = super()._create_order_picking()
            self._oms_serve_web_orders_again(reserved_before)
        self.picking_ids.move_ids._passport_update_certificates()
        return result

    def _oms_take_stock(self):
        """Take the order's units at its boutique; never lose a paid sale.

        Policy when the units are not available to sell any more at sync (the POS was
        offline, or a web order won the race after the POS check): the sale stands, its
        picking is created as usual, and each short product is either covered by the
        manager override granted in the POS for this order, or recorded as an exception
        to review, with an activity for the boutique manager.
        """
        self.ensure_one()
        demands = self.lines._oms_stock_demands()
        if not demands:
            return
        channel = self.config_id.oms_channel_id
        partner = self.partner_id or None
        try:
            self.env["luxury.oms.availability"].sudo()._take(demands, channel, partner)
        except UserError:
            # _take locked the slot rows before refusing: the lock stays held until commit,
            # so the figures read below are the ones concurrent takers will see next.
            self._oms_record_shortages(demands)

    def _oms_record_shortages(self, demands):
        config = self.config_id
        needed = {}
        for demand in demands:
            needed[demand.product] = needed.get(demand.product, 0.0) + demand.qty
        shortages, availability = config.sudo()._oms_shortages_at_site(
            needed, self.partner_id or None
        )
        Override = self.env["luxury.oms.pos.override"].sudo()
        granted = Override.search(
            [
                ("pos_order_uuid", "=", self.uuid),
                ("kind", "=", "override"),
                ("pos_order_id", "=", False),
            ]
        )
        exceptions = Override
        for shortage in shortages:
            product = self.env["product.product"].browse(shortage.product_id)
            covered = granted.filtered(lambda override, p=product: override.product_id == p)
            if covered:
                covered.pos_order_id = self
                continue
            figures = availability[shortage.product_id, shortage.warehouse_id]
            reasons = explain_shortage(figures, shortage.requested)
            exceptions |= Override.create(
                {
                    "kind": "exception",
                    "state": "to_review",
                    "config_id": config.id,
                    "session_id": self.session_id.id,
                    "warehouse_id": shortage.warehouse_id,
                    "pos_order_uuid": self.uuid,
                    "pos_order_id": self.id,
                    "partner_id": self.partner_id.id,
                    "product_id": product.id,
                    "quantity": shortage.requested,
                    "available_qty": shortage.available,
                    "shortage_reason": config._oms_format_reasons(product, reasons),
                    "user_id": self.env.uid,
                }
            )
        exceptions._schedule_review()
        if exceptions:
            self.message_post(
                body=self.env._(
                    "Sold while short of available stock: %(products)s. The boutique manager "
                    "has been asked to review it.",
                    products=", ".join(exceptions.product_id.mapped("display_name")),
                )
            )

    # Web orders whose piece the till sold --------------------------------------------------

    def _oms_reserved_web_moves(self):
        """``{move: (reserved qty, reserved lots)}`` of the channel orders' moves reserving,
        at this boutique, a product this order sells."""
        site = self.config_id.oms_warehouse_id
        products = self.lines.filtered(lambda line: line.qty > 0).product_id
        storable = products.filtered("is_storable")
        if not site or not storable:
            return {}
        moves = (
            self.env["stock.move"]
            .sudo()
            .search(
                Domain("product_id", "in", storable.ids)
                & Domain("location_id.warehouse_id", "=", site.id)
                & Domain("state", "in", ("assigned", "partially_available"))
            )
        )
        return {
            move: (move.quantity, move.move_line_ids.lot_id)
            for move in moves
            if move._oms_sale_orders().oms_channel_id
        }

    def _oms_serve_web_orders_again(self, reserved_before):
        """Each web order that lost reserved pieces to this sale: re-reserved here by Odoo
        (another piece), or sourced again (``_oms_resource_lines``), or, when nothing can
        serve it, handed to customer service with the facts."""
        site = self.config_id.oms_warehouse_id
        robbed = {}
        for move, (quantity, lots) in reserved_before.items():
            lost_piece = lots - move.move_line_ids.lot_id
            if lost_piece or move.product_uom.compare(move.quantity, quantity) < 0:
                order = move._oms_sale_orders()[:1]
                robbed.setdefault(order, self.env["stock.move"])
                robbed[order] |= move
        for order, moves in robbed.items():
            unserved = moves.filtered(lambda move: move.state != "assigned")
            if unserved:
                self._oms_resource_web_order(order.sudo(), unserved, site)
            else:
                order.sudo().message_post(
                    body=self.env._(
                        "%(pos)s at %(site)s sold the piece reserved for this order (%(serials)s); "
                        "another piece at %(site)s is reserved instead (%(new)s).",
                        pos=self.name,
                        site=site.name,
                        serials=self._oms_pieces_sold(moves.product_id),
                        new=", ".join(moves.move_line_ids.lot_id.mapped("name")) or "-",
                    )
                )

    def _oms_resource_web_order(self, order, moves, site):
        """Cancel what ``site`` can no longer prepare and source it again; when no site can,
        the order waits and customer service gets an activity with the facts."""
        products = ", ".join(moves.product_id.mapped("display_name"))
        facts = self.env._(
            "%(pos)s at %(site)s sold %(products)s (%(serials)s), reserved for this order.",
            pos=self.name,
            site=site.name,
            products=products,
            serials=self._oms_pieces_sold(moves.product_id),
        )
        try:
            with self.env.cr.savepoint():
                chain = moves | moves.move_dest_ids | moves.move_dest_ids.move_dest_ids
                chain.filtered(lambda move: move.state not in ("done", "cancel"))._action_cancel()
                order._oms_resource_lines(chain.sale_line_id, site, facts, exclude_site=True)
            return True
        except UserError as error:
            failure = error.args[0]
        order.message_post(
            body=self.env._(
                "%(facts)s No other piece can serve it (%(why)s): it waits for customer "
                "service.",
                facts=facts,
                why=failure,
            )
        )
        order.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Re-source %(products)s: sold at the boutique", products=products),
            note=self.env._("%(facts)s %(why)s", facts=facts, why=failure),
            user_id=self._oms_customer_service_user(order).id,
        )
        return False

    def _oms_customer_service_user(self, order):
        """The order's salesperson when in customer service, else the first of the team."""
        group = self.env.ref("luxury_oms.group_oms_customer_service")
        if group in order.user_id.all_group_ids:
            return order.user_id
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [("all_group_ids", "in", group.ids), ("share", "=", False)], order="id", limit=1
            )
            or order.user_id
            or self.env.user
        )

    def _oms_pieces_sold(self, products):
        lots = self.lines.filtered(lambda line: line.product_id in products).pack_lot_ids
        return ", ".join(lots.mapped("lot_name")) or self.env._("no serial")


class PosOrderLine(models.Model):
    _inherit = "pos.order.line"

    @api.model
    def get_existing_lots(self, company_id, config_id, product_id):
        """The serial picker of a boutique says which pieces are promised, and to whom."""
        lots = super().get_existing_lots(company_id, config_id, product_id)
        config = self.env["pos.config"].browse(config_id)
        if not lots or not config.oms_channel_id:
            return lots
        product = self.env["product.product"].browse(product_id)
        promised = {}
        for promise in config.sudo()._oms_promises(product, self.env["res.partner"]):
            for lot_name in promise["lots"]:
                promised[lot_name] = self.env._(
                    "promised: %(reference)s, %(client)s",
                    reference=promise["reference"],
                    client=promise["client"],
                )
        for lot in lots:
            if lot["name"] in promised:
                lot["oms_promise"] = promised[lot["name"]]
        return lots

    def _oms_stock_demands(self):
        """Units sold (refund lines give stock back and take nothing)."""
        site = self.order_id.config_id.oms_warehouse_id
        return [
            Demand(line.product_id, site, line.qty, line)
            for line in self
            if line.product_id.is_storable and line.qty > 0 and site
        ]

    def _oms_refresh_availability(self):
        site = self.order_id.config_id.oms_warehouse_id
        keys = {(line.product_id.id, site.id) for line in self if line.product_id.is_storable}
        self.env["luxury.oms.stock.slot"].sudo()._oms_refresh_keys(keys)

from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models

from .luxury_oms_availability import Demand
from .luxury_oms_carrier_rule import SERVICE_LEVELS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    oms_channel_id = fields.Many2one(
        "luxury.oms.channel",
        string="Channel",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="Where the order came from; its sites and rules apply to the order.",
    )
    oms_client_tier_id = fields.Many2one(
        "luxury.oms.tier",
        string="Client Tier",
        compute="_compute_oms_client_tier_id",
        store=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The client's tier when the order was placed: sales by tier compare what each "
        "tier bought then, whatever the client's tier is today.",
    )
    oms_external_ref = fields.Char(
        string="External Reference",
        copy=False,
        readonly=True,
        help="The order's reference in its channel (web shop, app): unique per channel.",
    )
    oms_service_level = fields.Selection(
        SERVICE_LEVELS,
        string="Service Level",
        default="standard",
        help="The delivery service the client chose; carrier rules use it.",
    )
    oms_single_parcel = fields.Boolean(
        string="One Parcel",
        compute="_compute_oms_single_parcel",
        store=True,
        readonly=False,
        help="Ship the order in one parcel: items at other sites are first transferred to "
        "a consolidation site. Defaults to the channel's preference.",
    )
    oms_task_count = fields.Integer(
        string="Floor Steps",
        compute="_compute_oms_task_counts",
        compute_sudo=True,
        help="The fulfilment steps of the order's parcels (cancelled ones left out).",
    )
    oms_task_done_count = fields.Integer(
        string="Floor Steps Done",
        compute="_compute_oms_task_counts",
        compute_sudo=True,
    )
    _oms_external_ref_unique = models.UniqueIndex(
        "(oms_channel_id, oms_external_ref) WHERE oms_external_ref IS NOT NULL",
        "An order with this external reference already exists for this channel.",
    )

    @api.depends("oms_channel_id")
    def _compute_pricelist_id(self):
        """A channel's quotation is priced from the channel's price list (its currency and
        shelf prices), as the channel's own orders are, not from the client's."""
        super()._compute_pricelist_id()
        for order in self:
            if order.state == "draft" and order.oms_channel_id.pricelist_id:
                order.pricelist_id = order.oms_channel_id.pricelist_id

    @api.depends("partner_id")
    def _compute_oms_client_tier_id(self):
        for order in self:
            order.oms_client_tier_id = order.partner_id.oms_tier_id

    @api.depends("oms_channel_id")
    def _compute_oms_single_parcel(self):
        for order in self:
            order.oms_single_parcel = order.oms_channel_id.single_parcel

    @api.depends("picking_ids.oms_task_ids.state")
    def _compute_oms_task_counts(self):
        for order in self:
            tasks = order.picking_ids.oms_task_ids.filtered(lambda task: task.state != "cancel")
            order.oms_task_count = len(tasks)
            order.oms_task_done_count = len(tasks.filtered(lambda task: task.state == "done"))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_oms_view_floor_tasks(self):
        """The fulfilment progress of the order: its parcels' floor steps, step by step."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "luxury_oms.luxury_oms_fulfilment_task_action"
        )
        name = self.env._("Fulfilment of %(order)s", order=self.name)
        action.update(
            name=name,
            display_name=name,
            domain=[("picking_id", "in", self.picking_ids.ids), ("state", "!=", "cancel")],
            context={},
            view_mode="list,kanban,form",
            views=[(False, "list"), (False, "kanban"), (False, "form")],
        )
        return action

    def action_confirm(self):
        """Confirm through the order pipeline (luxury_oms_order_pipeline.py): source, take
        the stock atomically, confirm, screen for fraud, release to the floor, queue the
        after-commit work."""
        return self.env["luxury.oms.order.pipeline"]._run_intake(self)

    def _oms_confirm_in_odoo(self):
        """The pipeline's ``confirm`` stage: Odoo's own confirmation."""
        return super().action_confirm()

    def _action_cancel(self):
        # A cancelled order's promise is released with it; no deliveries will be made.
        pending = self.sudo().filtered("oms_deliveries_pending")
        pending.oms_deliveries_pending = False
        pending.oms_promise_ids._oms_release()
        result = super()._action_cancel()
        self.order_line._oms_refresh_availability()
        return result

    # ------------------------------------------------------------------
    # Stock
    # ------------------------------------------------------------------

    def _oms_take_stock(self):
        """Refuse the confirmation, with every short line named, unless all lines are
        available to sell where they are sourced, for this client and channel (the
        oversell invariant). An order whose deliveries are made after the commit keeps
        what it took as a promise until then.
        """
        for order in self:
            demands = order._oms_stock_demands()
            if not demands:
                continue
            order._oms_take(demands)
            order.order_line._oms_mark_taken()
            if order.oms_deliveries_pending:
                self.env["luxury.oms.stock.promise"]._oms_promise(order, demands)

    def _oms_take(self, demands):
        """Take ``demands`` for this order, as its client on its channel (pre-orders on
        incoming stock when the channel accepts them, noted on the order)."""
        self.ensure_one()
        preorders = self.env["luxury.oms.availability"]._take(
            demands,
            channel=self.oms_channel_id or None,
            partner=self.partner_id,
            accept_preorder=self.oms_channel_id.allow_preorder,
        )
        if preorders:
            self._oms_note_preorders(preorders)

    def _oms_note_preorders(self, preorders):
        """Tell the team which lines wait for incoming stock (the channel accepts
        pre-orders): their deliveries ship when the stock arrives."""
        lines = [
            self.env._(
                "%(product)s at %(site)s: %(missing)s of %(requested)s on incoming stock",
                product=self.env["product.product"].browse(shortage.product_id).display_name,
                site=self.env["stock.warehouse"].browse(shortage.warehouse_id).name,
                missing=f"{shortage.requested - shortage.available:g}",
                requested=f"{shortage.requested:g}",
            )
            for shortage in preorders
        ]
        items = Markup().join(Markup("<li>%s</li>") % line for line in lines)
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>") % (self.env._("Pre-order:"), items),
        )

    def _oms_stock_demands(self):
        """What to take: each line at its site, or, for a sourced order, each allocation
        of the current plan where its stock sits (for a consolidated order, not the site
        shipping the parcel). Quantities no site could serve are asked of the line's
        warehouse, so that taking them fails with the line named.
        """
        self.ensure_one()
        plan = self.oms_sourcing_plan_id
        if not plan:
            return self.order_line._oms_stock_demands()
        return [
            Demand(
                allocation.product_id,
                allocation.warehouse_id or line.warehouse_id,
                line.product_uom_id._compute_quantity(allocation.quantity, line.product_id.uom_id),
                line,
            )
            for allocation in plan.line_ids
            for line in allocation.sale_line_id
        ]

    def _oms_outgoing_pickings(self):
        """Deliveries to the client (not transfers between sites)."""
        return self.picking_ids.filtered(lambda picking: picking.picking_type_code == "outgoing")

    # POS -------------------------------------------------------------------------------------

    @api.model
    def _oms_create_from_pos(self, config, product, site, partner, qty):
        """An order placed by a boutique advisor, shipped from ``site`` to the client."""
        # One savepoint: a refused confirmation leaves no draft order behind.
        with self.env.cr.savepoint():
            order = self.create(
                {
                    "partner_id": partner.id,
                    "oms_channel_id": config.oms_channel_id.id,
                    "company_id": config.company_id.id,
                    "warehouse_id": site.id,
                    "user_id": self.env.uid,
                    "origin": config.name,
                    "order_line": [
                        fields.Command.create({"product_id": product.id, "product_uom_qty": qty})
                    ],
                }
            )
            order.action_confirm()
        return order

from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    can_oms_resource = fields.Boolean(compute="_compute_can_oms_resource")

    @api.depends("state", "oms_sourcing_plan_id", "oms_deliveries_pending")
    def _compute_can_oms_resource(self):
        for order in self:
            order.can_oms_resource = (
                order.state == "sale"
                and bool(order.oms_sourcing_plan_id)
                and not order.oms_deliveries_pending
            )

    def action_oms_resource(self):
        """Open the wizard that re-sources the order away from a failing site."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Re-source %(order)s", order=self.name),
            "res_model": "luxury.oms.resource.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _oms_request_resourcing(self, order_lines, site):
        """A piece reserved at ``site`` cannot ship (failed quality control): source the
        lines again, another piece of the same site included. Return whether it worked;
        when no site can, nothing changes and customer service gets an activity."""
        self.ensure_one()
        reason = self.env._("a piece failed quality control.")
        try:
            with self.env.cr.savepoint():
                self._oms_resource_lines(order_lines, site, reason, exclude_site=False)
            return True
        except UserError as error:
            failure = error.args[0]
        products = ", ".join(order_lines.product_id.mapped("display_name"))
        self.message_post(
            body=self.env._(
                "%(products)s from %(site)s cannot ship and must be sourced again "
                "(not done automatically: %(why)s).",
                products=products,
                site=site.name,
                why=failure,
            )
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Re-source %(products)s", products=products),
            note=self.env._(
                "The piece reserved at %(site)s failed quality control.", site=site.name
            ),
            user_id=(self.user_id or self.env.user).id,
        )
        return False

    # ------------------------------------------------------------------
    # Re-sourcing
    # ------------------------------------------------------------------

    def _oms_resource(self, failing_site, reason):
        """Re-plan what ``failing_site`` has not prepared yet, excluding that site.

        Done work stays: only the site's open moves from its own stock (and what
        waits on them) are cancelled; the missing quantities are sourced again
        among the other sites and procured. A failing consolidation site stays the
        meeting point of the parcel: only its own items are sourced elsewhere.
        """
        self.ensure_one()
        if self.oms_deliveries_pending:
            # Its promise is Odoo's procurement to come: re-source what exists.
            raise UserError(
                self.env._(
                    "The deliveries of %(order)s are being prepared: re-source it once "
                    "they exist (in a few seconds).",
                    order=self.name,
                )
            )
        lines = self._oms_cancel_open_work_at(failing_site)
        return self._oms_resource_lines(lines, failing_site, reason)

    def _oms_resource_lines(self, lines, from_site, reason, exclude_site=True):
        """Source again what ``lines`` miss (ordered, no longer procured), take it and
        procure it. With ``exclude_site``, ``from_site`` is left out (the site failed);
        without, it may serve another piece (one piece failed). An order that was never
        sourced can only take another piece where its lines ship. Raises a UserError when
        nothing can, before anything is written."""
        missing = {line: line.product_uom_qty - line._get_qty_procurement() for line in lines}
        missing = {line: qty for line, qty in missing.items() if qty > 0}
        if self.oms_sourcing_plan_id or self.oms_channel_id.sudo().sourcing_strategy_id:
            why = self._oms_resource_missing(missing, lines, from_site, exclude_site)
        elif exclude_site:
            raise UserError(
                self.env._(
                    "Order %(order)s follows no sourcing strategy: it ships from %(site)s.",
                    order=self.name,
                    site=from_site.name,
                )
            )
        else:
            self.env["luxury.oms.availability"]._take(
                [(line.product_id, line.warehouse_id, qty, line) for line, qty in missing.items()],
                channel=self.oms_channel_id or None,
                partner=self.partner_id,
            )
            why = self.env._("another piece is taken at %(site)s.", site=from_site.name)
        header = self.env._(
            "Re-sourced away from %(site)s: %(reason)s", site=from_site.name, reason=reason
        )
        self.message_post(
            body=Markup().join(Markup("<p>%s</p>") % line for line in [header, *why.splitlines()])
        )
        lines._oms_mark_taken()
        lines._action_launch_stock_rule()
        plan = self.oms_sourcing_plan_id
        if plan.consolidation_warehouse_id:
            self._oms_transfer_to_hub(plan.line_ids.filtered("is_transfer"))
        self._oms_open_moves_of(lines)._action_assign()
        lines._oms_refresh_availability()
        return plan

    def _oms_resource_missing(self, missing, lines, from_site, exclude_site):
        """Plan ``missing`` quantities again and take them; return the plan's reasons."""
        previous = self.oms_sourcing_plan_id
        excluded = previous.excluded_warehouse_ids
        if exclude_site:
            excluded |= from_site
        plan = self._oms_source_lines(missing, excluded, previous.consolidation_warehouse_id)
        if not plan or plan.is_short:
            raise UserError(
                self.env._(
                    "No other site can prepare %(products)s of order %(order)s: it stays "
                    "at %(site)s.",
                    products=", ".join(lines.product_id.mapped("display_name")),
                    order=self.name,
                    site=from_site.name,
                )
            )
        # The new plan covers only what is missing: take exactly that, where it now sits.
        self._oms_take_stock()
        return plan.sudo().explanation

    def _oms_open_moves_of(self, lines):
        return lines.move_ids.filtered(
            lambda move: move.state in ("confirmed", "waiting", "partially_available")
        )

    def _oms_cancel_open_work_at(self, site):
        """Cancel what ``site`` still has to prepare from its own stock for this order,
        with the moves waiting on it; return the order lines concerned."""
        own_work = self._oms_open_moves_at(site).filtered(
            lambda move: all(orig.location_id.warehouse_id == site for orig in move.move_orig_ids)
        )
        if not own_work:
            raise UserError(
                self.env._(
                    "Order %(order)s has nothing left to prepare at %(site)s.",
                    order=self.name,
                    site=site.name,
                )
            )
        chain = own_work | own_work.move_dest_ids | own_work.move_dest_ids.move_dest_ids
        chain.filtered(lambda move: move.state not in ("done", "cancel"))._action_cancel()
        return chain.sale_line_id

    def _oms_open_moves_at(self, site):
        """Moves of this order leaving ``site`` that are neither done nor cancelled."""
        return self.env["stock.move"].search(
            [
                ("reference_ids", "in", self.stock_reference_ids.ids),
                ("location_id.warehouse_id", "=", site.id),
                ("state", "not in", ("done", "cancel")),
            ]
        )

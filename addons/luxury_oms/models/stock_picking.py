from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..engine.fulfilment import PACK_OPERATION
from ..engine.fulfilment import PICK_OPERATION
from ..engine.fulfilment import SHIP_OPERATION
from ..engine.fulfilment import Piece
from ..engine.fulfilment import Step
from ..engine.fulfilment import chain_operations
from ..engine.fulfilment import plan_tasks
from ..engine.fulfilment import ready_sequences
from ..engine.fulfilment import steps_for_operation
from .luxury_oms_fulfilment_task import OPEN_TASK_STATES


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # Sites count the parcels they started today against their daily capacity for every
    # sourced order (stock.warehouse._oms_parcels_started_sql): today's, not their history.
    _oms_create_date_idx = models.Index("(create_date)")

    # The floor's fields: a stock user without OMS groups reads transfers without them (the
    # OMS reads them for that user through ``_oms_floor``).
    oms_task_ids = fields.One2many(
        "luxury.oms.fulfilment.task",
        "picking_id",
        string="Fulfilment Tasks",
        groups="luxury_oms.group_oms_user,luxury_oms.group_oms_boutique",
    )
    oms_task_count = fields.Integer(
        compute="_compute_oms_task_count",
        groups="luxury_oms.group_oms_user,luxury_oms.group_oms_boutique",
    )
    oms_workflow_id = fields.Many2one(
        "luxury.oms.fulfilment.workflow", string="Fulfilment Workflow", readonly=True, copy=False
    )
    oms_planned_move_line_ids = fields.Many2many(
        "stock.move.line",
        "luxury_oms_picking_planned_line_rel",
        string="Planned Pieces",
        readonly=True,
        copy=False,
        help="The reserved lines the floor tasks were planned for: when the reservation no "
        "longer matches them, the tasks are planned again.",
    )
    oms_handover_courier = fields.Char(string="Courier", readonly=True, copy=False)
    oms_handover_date = fields.Datetime(string="Handed Over On", readonly=True, copy=False)
    oms_handover_user_id = fields.Many2one(
        "res.users", string="Handed Over By", readonly=True, copy=False
    )
    oms_handover_signature = fields.Binary(
        string="Courier Signature", readonly=True, copy=False, attachment=True
    )
    oms_invoice_id = fields.Many2one(
        "account.move", string="Handover Invoice", readonly=True, copy=False
    )
    oms_delivered_date = fields.Datetime(string="Delivered On", readonly=True, copy=False)
    can_mark_delivered = fields.Boolean(compute="_compute_can_mark_delivered")

    @api.depends("oms_task_ids")
    def _compute_oms_task_count(self):
        for picking in self:
            picking.oms_task_count = len(picking.oms_task_ids)

    @api.depends("state", "picking_type_code", "oms_delivered_date")
    def _compute_can_mark_delivered(self):
        # Deliveries of the OMS's sites only: elsewhere the form stays Odoo's own.
        sites = self.picking_type_id.warehouse_id._oms_sites()
        for picking in self:
            picking.can_mark_delivered = (
                picking.state == "done"
                and picking.picking_type_code == "outgoing"
                and picking.picking_type_id.warehouse_id in sites
                and not picking.oms_delivered_date
                and not picking._oms_is_internal_leg()
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def button_validate(self):
        """Held orders never ship (fraud), and parcels driven by a fulfilment workflow
        leave through their steps only. Refused before any pre-validation wizard opens."""
        self.move_ids._oms_sale_orders()._oms_check_fraud_released()
        self._oms_floor()._oms_check_validation_allowed()
        return super().button_validate()

    def action_oms_view_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "luxury_oms.luxury_oms_fulfilment_task_action"
        )
        action["domain"] = [("picking_id", "=", self.id)]
        return action

    def action_oms_mark_delivered(self):
        """Called when the carrier confirms delivery (by hand or by its integration)."""
        for picking in self:
            if not picking.can_mark_delivered:
                raise UserError(
                    self.env._(
                        "%(picking)s is not a shipped parcel awaiting delivery.",
                        picking=picking.name,
                    )
                )
        self.oms_delivered_date = fields.Datetime.now()
        for picking in self:
            picking._oms_notify_client("luxury_oms.mail_template_oms_delivered")
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _oms_floor(self):
        """The transfers of ``self`` that the OMS's floor workflow governs, those of its
        sites (every other transfer works as in plain Odoo), as superuser. Reserving,
        validating or unreserving a parcel plans, checks or cancels its floor tasks, and
        reserving it chooses its carrier, whoever does it: a stock user without OMS rights
        included. This is the one place where the OMS reads and writes its fulfilment
        records (tasks, workflows, carrier rules) on their behalf; it keeps the user as
        author and grants them no right on those records."""
        sites = self.picking_type_id.warehouse_id._oms_sites()
        return self.filtered(lambda picking: picking.picking_type_id.warehouse_id in sites).sudo()

    def _oms_check_validation_allowed(self):
        """A parcel of a fulfilment workflow is validated once each of its tasks is done,
        which its own steps see to; the handover task is done as the courier takes it."""
        for picking in self:
            tasks = picking.oms_task_ids.filtered(lambda t: t.state != "cancel")
            if not tasks:
                continue
            if tasks.filtered(lambda t: t.step_type == "handover" and t.state != "done"):
                raise UserError(
                    self.env._(
                        "%(picking)s follows the fulfilment workflow of its site: it is "
                        "validated when the parcel is handed over to the courier.",
                        picking=picking.name,
                    )
                )
            open_tasks = tasks.filtered(lambda t: t.state != "done")
            if open_tasks:
                raise UserError(
                    self.env._(
                        "%(picking)s cannot be validated before its fulfilment tasks are "
                        "done: %(tasks)s.",
                        picking=picking.name,
                        tasks=", ".join(open_tasks.mapped("name")),
                    )
                )

    def _oms_delivery_operation(self):
        """Which operation of its site's delivery route this transfer is, or None."""
        self.ensure_one()
        warehouse = self.picking_type_id.warehouse_id
        if not warehouse:
            return None
        if self.picking_type_id == warehouse.pick_type_id:
            return PICK_OPERATION
        if self.picking_type_id == warehouse.pack_type_id:
            return PACK_OPERATION
        if self.picking_type_code == "outgoing":
            return SHIP_OPERATION
        return None

    def _oms_starts_chain(self):
        """True when the transfer takes its pieces from the site's stock."""
        stock = self.picking_type_id.warehouse_id.lot_stock_id
        return self.location_id.parent_path.startswith(stock.parent_path)

    def _oms_is_fully_reserved(self):
        # A "direct" transfer is already `assigned` when partly reserved: look at its moves.
        moves = self.move_ids.filtered(lambda m: m.state not in ("done", "cancel"))
        return bool(moves) and all(move.state == "assigned" for move in moves)

    def _oms_needs_tasks(self):
        """A sale order's transfer of a delivery route, inside its site, fully reserved, whose
        floor tasks were not planned for its current reservation."""
        self.ensure_one()
        warehouse = self.picking_type_id.warehouse_id
        # Only sale orders' parcels (boutique POS sales leave over the counter), once the
        # order pipeline released them to the floor (not while screened or held for fraud).
        return (
            self.sale_id
            and not self.sale_id._oms_floor_waits()
            and self._oms_delivery_operation()
            and self.location_id.parent_path.startswith(warehouse.view_location_id.parent_path)
            and self._oms_is_fully_reserved()
            and self.oms_planned_move_line_ids != self.move_line_ids
        )

    def _oms_generate_tasks(self):
        """Choose the carrier of each reserved parcel and plan the floor tasks of each fully
        reserved transfer of a delivery route from its site's workflow. A transfer whose
        reservation changed since gets its open tasks replaced. Sites without a workflow keep
        Odoo's own flow."""
        for picking in self.filtered(lambda p: p._oms_needs_tasks()):
            if picking._oms_delivery_operation() == SHIP_OPERATION:
                picking._oms_assign_carrier()
            workflow = picking._oms_find_workflow()
            if not workflow:
                continue
            picking._oms_cancel_open_tasks(
                picking.env._("the reservation changed, the tasks are planned again.")
            )
            picking.oms_workflow_id = workflow
            picking._oms_create_tasks(workflow, picking.move_line_ids)

    def _oms_find_workflow(self):
        """The workflow of the chain: inherited from the previous transfer, so that a
        parcel keeps its workflow when a piece leaves it on the way. An internal leg takes
        the site's transfer workflow, a client's parcel its client workflow."""
        previous = self.move_ids.move_orig_ids.picking_id.oms_workflow_id
        return previous[:1] or self.env["luxury.oms.fulfilment.workflow"]._oms_for_products(
            self.picking_type_id.warehouse_id,
            self.move_line_ids.product_id,
            purpose="transfer" if self._oms_is_internal_leg() else "client",
        )

    def _oms_is_internal_leg(self):
        """True for a sale's transfer whose chain at its site ends in transit to another site
        rather than at the client: a consolidation leg, a pickup boutique's supply."""
        self.ensure_one()
        site = self.picking_type_id.warehouse_id
        moves = self.move_ids.filtered(lambda m: m.state != "cancel")
        # Follow the chain while it stays at this site (pick -> pack -> ship).
        for _step in range(5):
            onward = moves.move_dest_ids.filtered(
                lambda m: m.state != "cancel" and m.picking_type_id.warehouse_id == site
            )
            if not onward:
                break
            moves = onward
        # Odoo pushes multi-step deliveries: a pick knows the parcel's end as its final
        # location before the next move exists.
        ends = moves.mapped(lambda m: m.location_final_id or m.location_dest_id)
        return bool(self.sale_id) and bool(ends) and set(ends.mapped("usage")) == {"transit"}

    def _oms_cancel_open_tasks(self, reason):
        """Cancel the tasks not done yet, with a note; done tasks stay as history."""
        for picking in self:
            open_tasks = picking.oms_task_ids.filtered(lambda t: t.state in OPEN_TASK_STATES)
            if not open_tasks:
                continue
            open_tasks.sudo().state = "cancel"
            body = picking.env._("Task cancelled: %(reason)s", reason=reason)
            for task in open_tasks:
                task.message_post(body=body)
            picking.message_post(
                body=picking.env._(
                    "Floor tasks %(tasks)s cancelled: %(reason)s",
                    tasks=", ".join(open_tasks.mapped("name")),
                    reason=reason,
                )
            )

    def _oms_create_tasks(self, workflow, lines):
        warehouse = self.picking_type_id.warehouse_id
        steps = workflow.step_ids.filtered(lambda s: not s.skip)
        checklists = self.env["luxury.oms.qc.checklist"]._oms_for_categories(
            lines.product_id.categ_id
        )
        operation = self._oms_delivery_operation()
        checked = self.oms_task_ids.filtered(
            lambda t: t.step_type == "qc" and t.state == "done"
        ).move_line_ids
        plans = plan_tasks(
            steps_for_operation(
                [
                    Step(s.id, s.sequence, s.step_type, s.zone_location_id.parent_path or None)
                    for s in steps
                ],
                operation,
                chain_operations(warehouse.delivery_steps, operation, self._oms_starts_chain()),
            ),
            [
                Piece(
                    ml.id,
                    ml.location_id.parent_path,
                    # Odoo 19 products may have no category, hence no checklist.
                    bool(checklists.get(ml.product_id.categ_id.id)),
                    picked=ml.picked,
                    checked=ml in checked,
                )
                for ml in lines
            ],
            warehouse.lot_stock_id.parent_path,
        )
        zones = self.env["stock.location"].search(
            [("parent_path", "in", [p.zone_path for p in plans if p.zone_path])]
        )
        zone_by_path = {zone.parent_path: zone for zone in zones}
        vals_list = [
            self._oms_prepare_task_vals(
                steps.browse(plan.step_id),
                lines.browse(plan.piece_ids),
                zone_by_path.get(plan.zone_path),
                checklists,
            )
            for plan in plans
        ]
        self.env["luxury.oms.fulfilment.task"].create(vals_list)
        self.oms_planned_move_line_ids = lines
        self._oms_update_task_readiness()

    def _oms_prepare_task_vals(self, step, lines, zone, checklists):
        name = f"{self.name} / {step.name}"
        if zone and step.step_type == "pick":
            name = f"{name} / {zone.name}"
        vals = {
            "name": name,
            "picking_id": self.id,
            "step_id": step.id,
            "sequence": step.sequence,
            "zone_location_id": zone.id if zone else False,
            "user_id": step.user_id.id,
            "move_line_ids": [fields.Command.set(lines.ids)],
        }
        if step.step_type == "qc":
            checklist = checklists[lines.product_id.categ_id.id]
            vals.update(
                name=f"{name} / {lines.lot_id.name or lines.product_id.display_name}",
                product_id=lines.product_id.id,
                lot_id=lines.lot_id.id,
                check_ids=[
                    fields.Command.create(
                        {
                            "name": item.name,
                            "description": item.description,
                            "sequence": item.sequence,
                        }
                    )
                    for item in checklist.item_ids
                ],
            )
        return vals

    def _oms_update_task_readiness(self):
        """Open the next step once every task of the earlier ones is done or cancelled."""
        for picking in self:
            tasks = picking.oms_task_ids
            sequences = ready_sequences([(task.sequence, task.state) for task in tasks])
            ready = tasks.filtered(
                lambda t, sequences=sequences: t.state == "waiting" and t.sequence in sequences
            )
            if ready:
                ready.sudo().state = "ready"
                ready._oms_alert_top_tier()

    def _oms_assign_carrier(self):
        sale = self.sale_id
        if self.carrier_id or not sale:
            return
        amount = sale.currency_id._convert(
            sale.amount_untaxed, self.company_id.currency_id, self.company_id, fields.Date.today()
        )
        self.carrier_id = self.env["luxury.oms.carrier.rule"]._oms_select_carrier(
            self.partner_id.country_id,
            self.picking_type_id.warehouse_id,
            amount,
            sale.oms_service_level,
        )

    def _oms_remove_piece_to_qc(self, move_line):
        """Take a failed piece out of this parcel: release it, move it to the site's QC
        location (never sellable) and cancel what this parcel still owed for it."""
        self.ensure_one()
        move = move_line.move_id
        product, lot, quantity = move_line.product_id, move_line.lot_id, move_line.quantity
        source = move_line.location_id
        warehouse = self.picking_type_id.warehouse_id
        qc_location = warehouse._oms_qc_location()
        move_line.unlink()
        qc_move = self.env["stock.move"].create(
            {
                "product_id": product.id,
                "product_uom_qty": quantity,
                "product_uom": product.uom_id.id,
                "location_id": source.id,
                "location_dest_id": qc_location.id,
                "company_id": self.company_id.id,
                "origin": self.name,
            }
        )
        qc_move._action_confirm()
        qc_move.move_line_ids = [
            fields.Command.create(
                {
                    "product_id": product.id,
                    "lot_id": lot.id,
                    "quantity": quantity,
                    "location_id": source.id,
                    "location_dest_id": qc_location.id,
                }
            )
        ]
        qc_move.picked = True
        qc_move._action_done()
        remaining = move.product_uom_qty - quantity
        if move.product_uom.is_zero(remaining):
            move._action_cancel()
        else:
            move.product_uom_qty = remaining
        self.env["luxury.oms.stock.slot"].sudo()._oms_refresh_keys({(product.id, warehouse.id)})

    def _oms_handover(self, courier, signature=False, tracking_ref=False):
        """Hand the parcel to the courier and post the client's invoice, all or nothing:
        ownership passes at handover, so a parcel never leaves without its posted invoice
        and an invoice is never posted for a parcel still in the building. The savepoint
        keeps it atomic even for a caller that catches the error."""
        self.ensure_one()
        handover_task = self._oms_check_handover_allowed()
        with self.env.cr.savepoint():
            self.write(
                {
                    "oms_handover_courier": courier,
                    "oms_handover_date": fields.Datetime.now(),
                    "oms_handover_user_id": self.env.uid,
                    "oms_handover_signature": signature,
                    "carrier_tracking_ref": tracking_ref or self.carrier_tracking_ref,
                }
            )
            # Done first: the validation below checks that every task of the parcel is.
            handover_task._set_done()
            self._oms_validate_from_tasks()
            if self._oms_is_internal_leg():
                # The piece only travels to another site: the client's own parcel is
                # invoiced and announced when it leaves.
                return True
            # Warehouse staff rarely hold invoicing rights; the invoice follows the parcel.
            self.oms_invoice_id = self.sale_id.sudo()._oms_invoice_handover()
        self._oms_notify_client("luxury_oms.mail_template_oms_shipped")
        return True

    def _oms_validate_prepared_operation(self):
        """A pick or pack transfer whose floor tasks are all closed moves its pieces on in
        Odoo by itself: the next transfer of the chain appears with its own tasks. Nobody
        validates it by hand (see ``_oms_check_validation_allowed``)."""
        for picking in self:
            tasks = picking.oms_task_ids
            if (
                picking._oms_is_fully_reserved()
                and picking._oms_delivery_operation() in (PICK_OPERATION, PACK_OPERATION)
                and "done" in tasks.mapped("state")
                and not tasks.filtered(lambda t: t.state in OPEN_TASK_STATES)
            ):
                picking._oms_validate_from_tasks()

    def _oms_validate_from_tasks(self):
        self.move_ids.filtered(lambda m: m.state not in ("done", "cancel")).picked = True
        self.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=self.ids
        ).button_validate()
        if self.state != "done":
            raise UserError(self.env._("%(picking)s could not be validated.", picking=self.name))

    def _oms_check_handover_allowed(self):
        tasks = self.oms_task_ids.filtered(lambda t: t.state != "cancel")
        handover_task = tasks.filtered(lambda t: t.step_type == "handover")
        if not handover_task or handover_task.state not in ("ready", "in_progress"):
            raise UserError(
                self.env._(
                    "%(picking)s is not ready for handover: finish its earlier steps first.",
                    picking=self.name,
                )
            )
        return handover_task

    def _oms_notify_client(self, template_xmlid):
        """Tell the client about their own parcel; an internal leg is nothing to them."""
        template = self.env.ref(template_xmlid)
        for picking in self.filtered(lambda p: p.partner_id and not p._oms_is_internal_leg()):
            picking.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

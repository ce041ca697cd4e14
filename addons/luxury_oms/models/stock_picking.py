from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..engine.fulfilment import Piece
from ..engine.fulfilment import Step
from ..engine.fulfilment import plan_added_pieces
from ..engine.fulfilment import plan_tasks
from ..engine.fulfilment import ready_sequences


class StockPicking(models.Model):
    _inherit = "stock.picking"

    oms_task_ids = fields.One2many(
        "luxury.oms.fulfilment.task", "picking_id", string="Fulfilment Tasks"
    )
    oms_task_count = fields.Integer(compute="_compute_oms_task_count")
    oms_workflow_id = fields.Many2one(
        "luxury.oms.fulfilment.workflow", string="Fulfilment Workflow", readonly=True, copy=False
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
        for picking in self:
            picking.can_mark_delivered = (
                picking.state == "done"
                and picking.picking_type_code == "outgoing"
                and not picking.oms_delivered_date
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def button_validate(self):
        """Held orders never ship (fraud), and parcels driven by a fulfilment workflow
        leave through their steps only. Refused before any pre-validation wizard opens."""
        self.move_ids._oms_sale_orders()._oms_check_fraud_released()
        if not self.env.context.get("oms_handover"):
            self._oms_check_validation_allowed()
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

    def _oms_check_validation_allowed(self):
        for picking in self:
            tasks = picking.oms_task_ids.filtered(lambda t: t.state != "cancel")
            if not tasks:
                continue
            if tasks.filtered(lambda t: t.step_type == "handover"):
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

    def _oms_is_unprepared_parcel(self):
        self.ensure_one()
        warehouse = self.picking_type_id.warehouse_id
        # Only sale orders' parcels: boutique POS sales leave over the counter.
        return (
            self.picking_type_code == "outgoing"
            and self.sale_id
            and self.state == "assigned"
            and warehouse
            and not self.oms_task_ids
            and self.location_id.parent_path.startswith(warehouse.lot_stock_id.parent_path)
        )

    def _oms_generate_tasks(self):
        """Choose the carrier of each reserved outgoing parcel and create its floor tasks
        from its site's workflow. Sites without a workflow keep Odoo's own flow."""
        Workflow = self.env["luxury.oms.fulfilment.workflow"]
        for picking in self.filtered(lambda p: p._oms_is_unprepared_parcel()):
            picking._oms_assign_carrier()
            lines = picking.move_line_ids
            workflow = Workflow._oms_for_products(
                picking.picking_type_id.warehouse_id, lines.product_id
            )
            if not workflow:
                continue
            picking.oms_workflow_id = workflow
            picking._oms_create_tasks(workflow, lines)
        for picking in self.filtered(lambda p: p._oms_uncovered_pieces()):
            picking._oms_add_pieces(picking._oms_uncovered_pieces())

    def _oms_uncovered_pieces(self):
        """Reserved pieces of a parcel under way that no task handles yet (a replacement
        for a piece that failed quality control), once the parcel is fully reserved."""
        self.ensure_one()
        tasks = self.oms_task_ids.filtered(lambda t: t.state != "cancel")
        if self.state != "assigned" or not self.oms_workflow_id or not tasks:
            return self.env["stock.move.line"]
        return self.move_line_ids - tasks.move_line_ids

    def _oms_drop_emptied_tasks(self):
        for picking in self:
            emptied = picking.oms_task_ids.filtered(
                lambda t: t.step_type in ("pick", "qc")
                and t.state in ("waiting", "ready", "in_progress")
                and not t.move_line_ids
            )
            if not emptied:
                continue
            emptied.state = "cancel"
            picking.message_post(
                body=self.env._(
                    "Pieces unreserved: %(tasks)s cancelled; new tasks follow the next "
                    "reservation.",
                    tasks=", ".join(emptied.mapped("name")),
                )
            )

    def _oms_add_pieces(self, lines):
        """Give new pieces their own pick and quality control tasks; the parcel's tasks
        for the whole parcel (packing, handover...) that have not started take them in,
        and wait for them."""
        whole_parcel = self.oms_task_ids.filtered(
            lambda t: t.state in ("waiting", "ready") and t.step_type not in ("pick", "qc")
        )
        whole_parcel.write(
            {"state": "waiting", "move_line_ids": [fields.Command.link(line.id) for line in lines]}
        )
        self._oms_create_tasks(self.oms_workflow_id, lines, planner=plan_added_pieces)
        self.message_post(
            body=self.env._(
                "Added to the parcel: %(pieces)s.",
                pieces=", ".join(ml.lot_id.name or ml.product_id.display_name for ml in lines),
            )
        )

    def _oms_create_tasks(self, workflow, lines, planner=plan_tasks):
        steps = workflow.step_ids.filtered(lambda s: not s.skip)
        checklists = self.env["luxury.oms.qc.checklist"]._oms_for_categories(
            lines.product_id.categ_id
        )
        plans = planner(
            [
                Step(s.id, s.sequence, s.step_type, s.zone_location_id.parent_path or None)
                for s in steps
            ],
            [
                Piece(
                    ml.id, ml.location_id.parent_path, bool(checklists[ml.product_id.categ_id.id])
                )
                for ml in lines
            ],
            self.picking_type_id.warehouse_id.lot_stock_id.parent_path,
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
                ready.state = "ready"
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
            self._oms_validate_at_handover()
            # Warehouse staff rarely hold invoicing rights; the invoice follows the parcel.
            self.oms_invoice_id = self.sale_id.sudo()._oms_invoice_handover()
            handover_task._set_done()
        self._oms_notify_client("luxury_oms.mail_template_oms_shipped")
        return True

    def _oms_validate_at_handover(self):
        self.move_ids.filtered(lambda m: m.state not in ("done", "cancel")).picked = True
        self.with_context(
            oms_handover=True, skip_backorder=True, picking_ids_not_to_backorder=self.ids
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
        template = self.env.ref(template_xmlid)
        for picking in self.filtered("partner_id"):
            picking.message_post_with_source(template, subtype_xmlid="mail.mt_comment")

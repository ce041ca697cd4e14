"""The floor app's server side: small RPC methods the scanner screen calls.

Every method checks the caller's role, re-reads the task under the caller's rights, runs the
rules of the task's own actions (scan, QC gate, serial checks, handover) and answers a plain
dict. A refused scan or action answers ``{"ok": False, "message": ...}`` with nothing written:
the screen turns red and beeps, the picker reads why.
"""

import base64
import binascii

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.fields import Domain

from .luxury_oms_fulfilment_step import STEP_TYPES

FLOOR_GROUPS = ("luxury_oms.group_oms_floor", "luxury_oms.group_oms_boutique")
# What the floor works on: started or startable tasks.
QUEUE_STATES = ("ready", "in_progress")
PHOTO_MAX_BYTES = 8 * 1024 * 1024
# An order's fraud states that let its parcels be worked on (empty: an order from code that
# knows nothing of the OMS).
RELEASED_FRAUD_STATES = (False, "none", "approved")


def _is_base64(data):
    try:
        base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return False
    return True


class LuxuryOmsFulfilmentTask(models.Model):
    _inherit = "luxury.oms.fulfilment.task"

    # ------------------------------------------------------------------
    # Floor app RPC
    # ------------------------------------------------------------------

    @api.model
    def floor_sites(self):
        """The sites with a fulfilment workflow the caller may work at, each with its steps
        in flow order (the workflows' step sequence)."""
        self._floor_check_role()
        steps = self.env["luxury.oms.fulfilment.step"].search(
            [("skip", "=", False), ("workflow_id.active", "=", True)]
        )
        by_site = {}
        for step in steps.sorted(lambda s: (s.sequence, s.id)):
            site = step.workflow_id.warehouse_id
            codes = by_site.setdefault(site, {})
            codes.setdefault(step.step_type, dict(STEP_TYPES)[step.step_type])
        return [
            {
                "id": site.id,
                "name": site.name,
                "steps": [{"code": code, "name": name} for code, name in codes.items()],
            }
            for site, codes in sorted(by_site.items(), key=lambda item: item[0].name)
        ]

    @api.model
    def floor_queue(self, site_id, step_code=False):
        """The caller's queue at a site: open, releasable tasks of one step (every step when
        none is given), assigned to the caller or to nobody, in flow order, then by deadline
        and client tier."""
        self._floor_check_role()
        site_id = self._floor_id(site_id, "site_id")
        domain = Domain("warehouse_id", "=", site_id) & Domain("state", "in", QUEUE_STATES)
        domain &= Domain("user_id", "in", [False, self.env.uid])
        if step_code:
            domain &= Domain("step_type", "=", step_code)
        tasks = self.search(domain & self._floor_releasable_domain())
        return [task._floor_card() for task in tasks._floor_sorted()]

    @api.model
    def floor_task(self, task_id):
        """One task as the floor screen shows it."""
        return self._floor_browse(task_id)._floor_details()

    @api.model
    def floor_start(self, task_id):
        task = self._floor_browse(task_id)
        return task._floor_run(task.action_start)

    @api.model
    def floor_scan(self, task_id, code):
        """A scan at the task: a location, a product, a serial or (handover) the parcel.
        Only a serial or an untracked product's barcode confirms a piece; a location or a
        tracked product's barcode is checked against the pieces still to scan."""
        task = self._floor_browse(task_id)
        code = (code or "").strip()
        if not code:
            return task._floor_refusal(self.env._("Nothing was scanned."))
        return task._floor_run(lambda: task._floor_scan(code))

    @api.model
    def floor_qc_result(self, task_id, check_id, result, note=False):
        """Record pass or fail on one check of a QC task."""
        task = self._floor_browse(task_id)
        if result not in ("pass", "fail", "pending"):
            return task._floor_refusal(self.env._("result: must be pass, fail or pending."))
        check_id = self._floor_id(check_id, "check_id")
        check = task.check_ids.filtered(lambda c: c.id == check_id)
        if not check:
            return task._floor_refusal(self.env._("check_id: not a check of this task."))

        def record():
            task._check_state(QUEUE_STATES)
            task._oms_check_releasable()
            if task.state == "ready":
                task.action_start()
            check.write({"result": result, "note": note or check.note})
            label = dict(check._fields["result"]._description_selection(self.env))[result]
            return self.env._("%(check)s: %(result)s.", check=check.name, result=label)

        return task._floor_run(record)

    @api.model
    def floor_add_photo(self, task_id, filename, data_base64):
        """Attach a photo (a QC finding, the packed parcel) to the task."""
        task = self._floor_browse(task_id)
        if not _is_base64(data_base64 or ""):
            return task._floor_refusal(self.env._("data_base64: not base64 data."))
        raw = base64.b64decode(data_base64)
        if not raw or len(raw) > PHOTO_MAX_BYTES:
            return task._floor_refusal(self.env._("data_base64: empty or larger than 8 MB."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename or f"{task.name}.jpg",
                "raw": raw,
                "res_model": self._name,
                "res_id": task.id,
            }
        )
        task.message_post(
            body=self.env._("Photo added from the floor."), attachment_ids=attachment.ids
        )
        return {"ok": True, "message": self.env._("Photo saved."), "task": task._floor_details()}

    @api.model
    def floor_done(self, task_id):
        task = self._floor_browse(task_id)

        def finish():
            task.action_done()
            if task.state == "done":
                return self.env._("Task finished.")
            return self.env._(
                "Quality control failed: set the piece aside in the QC location; "
                "the order is sourced again."
            )

        return task._floor_run(finish)

    @api.model
    def floor_handover(self, task_id, parcel_code, courier, signature_base64=False, tracking=False):
        """The courier desk: the scanned parcel, the courier's name and signature; hands the
        parcel over (validation and invoice, all or nothing) through the handover path."""
        task = self._floor_browse(task_id)

        def hand_over():
            if task.step_type != "handover":
                raise UserError(self.env._("Task %(task)s is not a handover.", task=task.name))
            task._oms_check_releasable()
            task._floor_check_parcel(parcel_code)
            if not (courier or "").strip():
                raise UserError(self.env._("courier: name the courier taking the parcel."))
            if signature_base64 and not _is_base64(signature_base64):
                raise UserError(self.env._("signature_base64: not base64 data."))
            task.picking_id._oms_handover(
                courier.strip(), signature=signature_base64 or False, tracking_ref=tracking
            )
            invoice = task.picking_id.sudo().oms_invoice_id
            if invoice:
                return self.env._("Handed over; invoice %(invoice)s posted.", invoice=invoice.name)
            return self.env._("Handed over.")

        return task._floor_run(hand_over)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _floor_check_role(self):
        if not any(self.env.user.has_group(group) for group in FLOOR_GROUPS):
            raise AccessError(self.env._("The floor app is for floor and boutique staff."))

    def _floor_id(self, value, name):
        """An id sent by the screen, or a clear error naming the argument."""
        try:
            return int(value)
        except (TypeError, ValueError):
            raise UserError(self.env._("%(name)s: not an id.", name=name)) from None

    def _floor_browse(self, task_id):
        self._floor_check_role()
        task = self.browse(self._floor_id(task_id, "task_id")).exists()
        if not task:
            raise UserError(self.env._("task_id: no such task."))
        task.check_access("read")
        return task

    @api.model
    def _floor_releasable_domain(self):
        """Work the floor may see: a live transfer of a confirmed order that the pipeline
        released to the floor and no fraud hold blocks."""
        return (
            Domain("picking_id.state", "not in", ("done", "cancel"))
            & Domain("picking_id.sale_id.state", "=", "sale")
            & Domain("picking_id.sale_id.oms_pipeline_state", "!=", "received")
            & Domain("picking_id.sale_id.oms_fraud_state", "in", RELEASED_FRAUD_STATES)
        )

    def _floor_run(self, action):
        """Run an action of the task; a refused one writes nothing and answers why."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                message = action()
        except UserError as error:
            self.invalidate_recordset()
            return self._floor_refusal(str(error))
        return {
            "ok": True,
            "message": message if isinstance(message, str) else "",
            "task": self._floor_details(),
        }

    def _floor_refusal(self, message):
        return {"ok": False, "message": message, "task": self._floor_details()}

    def _floor_scan(self, code):
        """Check one scan; return what the picker should read."""
        self._check_state(QUEUE_STATES)
        self._oms_check_releasable()
        if self.step_type == "handover":
            self._floor_check_parcel(code)
            return self.env._("Parcel %(parcel)s: right parcel.", parcel=self.picking_id.name)
        to_scan = self.move_line_ids - self.scanned_move_line_ids
        location = to_scan.location_id.filtered(lambda loc: code in (loc.barcode, loc.name))
        if location:
            return self.env._("Location %(location)s: right place.", location=location[0].name)
        tracked = to_scan.filtered("lot_id")
        product = tracked.product_id.filtered(lambda p: code in (p.barcode, p.default_code))
        if product:
            return self.env._("%(product)s: now scan its serial.", product=product[0].display_name)
        if self.step_type == "qc":
            if code != self.lot_id.name:
                raise UserError(
                    self.env._(
                        "Serial %(code)s is not the piece of this check (expected %(serial)s).",
                        code=code,
                        serial=self.lot_id.name or "-",
                    )
                )
            return self.env._("Serial %(serial)s: right piece.", serial=code)
        self.action_scan(code)
        return self.env._("Piece %(code)s confirmed.", code=code)

    def _floor_check_parcel(self, code):
        picking = self.picking_id
        accepted = {picking.name} | set(picking.move_line_ids.result_package_id.mapped("name"))
        if code not in accepted:
            raise UserError(
                self.env._(
                    "Scanned parcel %(scanned)s is not %(parcel)s: hand over the right parcel.",
                    scanned=code or "-",
                    parcel=picking.name,
                )
            )

    def _oms_check_releasable(self):
        """Refuse work on a held, rejected or cancelled order, whatever the task's state."""
        for task in self:
            if not task.filtered_domain(self._floor_releasable_domain()):
                raise UserError(
                    self.env._(
                        "%(task)s cannot be worked on: its order is held, cancelled or not "
                        "released to the floor.",
                        task=task.name,
                    )
                )

    def _floor_sorted(self):
        now = fields.Datetime.now()

        def key(task):
            deadline = task._floor_deadline() or now.replace(year=9999)
            return (
                task.sequence,
                task.state != "in_progress",
                deadline,
                -(task.partner_id.oms_tier_rank or 0),
                task.id,
            )

        return self.sorted(key)

    def _floor_deadline(self):
        picking = self.picking_id
        return picking.date_deadline or picking.scheduled_date

    def _floor_packaging(self):
        """The packaging the packer must use."""
        if self.picking_id._oms_is_internal_leg():
            return self.env._("Transit case (internal transfer)")
        steps = self.picking_id.oms_workflow_id.step_ids.filtered(lambda s: not s.skip)
        luxury = "luxury_packaging" in steps.mapped("step_type")
        if luxury or self.warehouse_id.oms_luxury_packaging:
            return self.env._("Maison luxury box")
        return self.env._("Standard shipping box")

    def _floor_card(self):
        """A queue line: enough to choose the next task at a glance."""
        self.ensure_one()
        deadline = self._floor_deadline()
        pieces = self.move_line_ids
        return {
            "id": self.id,
            "name": self.name,
            "state": self.state,
            "state_label": dict(self._fields["state"]._description_selection(self.env))[self.state],
            "step_code": self.step_type,
            "step_name": self.step_id.name,
            "order": self.sale_id.name or "",
            "parcel": self.picking_id.name,
            "client": self.partner_id.name or "",
            "tier": self.client_tier_id.name or "",
            "deadline": fields.Datetime.to_string(deadline) if deadline else False,
            "late": bool(deadline and deadline < fields.Datetime.now()),
            "zone": self.zone_location_id.name or "",
            "internal": self.picking_id._oms_is_internal_leg(),
            "piece_count": len(pieces),
            "first_piece": self._floor_piece(pieces[:1]) if pieces else False,
        }

    def _floor_piece(self, line):
        product = line.product_id
        return {
            "id": line.id,
            # The name alone: the code is the barcode line, and a phone has no room for both.
            "product": product.with_context(display_default_code=False).display_name,
            "product_id": product.id,
            "image_url": f"/web/image/product.product/{product.id}/image_128",
            "serial": line.lot_id.name or "",
            "barcode": product.barcode or product.default_code or "",
            "location": line.location_id.name or "",
            "location_path": line.location_id.complete_name or "",
            "scanned": line in self.scanned_move_line_ids,
        }

    def _floor_details(self):
        """The whole task for its screen: pieces, checklist, packaging, parcel."""
        self.ensure_one()
        details = self._floor_card()
        details.update(
            # What is left to scan first, in walking order (by location).
            pieces=[
                self._floor_piece(line)
                for line in self.move_line_ids.sorted(
                    lambda ml: (ml in self.scanned_move_line_ids, ml.location_id.complete_name)
                )
            ],
            checks=[
                {
                    "id": check.id,
                    "name": check.name,
                    "description": check.description or "",
                    "result": check.result,
                    "note": check.note or "",
                }
                for check in self.check_ids
            ],
            photo_count=self.env["ir.attachment"].search_count(
                [("res_model", "=", self._name), ("res_id", "=", self.id)]
            ),
            packaging=self._floor_packaging() if self.step_type == "pack" else "",
            carrier=self.picking_id.carrier_id.name or "",
            can_start=self.can_start,
            can_finish=self.can_finish,
            can_hand_over=self.can_hand_over,
        )
        return details

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

STEP_TYPES = [
    ("pick", "Pick"),
    ("qc", "Quality Control"),
    ("gift_wrap", "Gift Wrap"),
    ("luxury_packaging", "Luxury Packaging"),
    ("pack", "Pack"),
    ("handover", "Carrier Handover"),
]


class LuxuryOmsFulfilmentStep(models.Model):
    """One step of a workflow. Steps run in sequence; steps sharing a sequence run in
    parallel. Skipping a step keeps its configuration but generates no task for it."""

    _name = "luxury.oms.fulfilment.step"
    _description = "Fulfilment Step"
    _order = "workflow_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    workflow_id = fields.Many2one(
        "luxury.oms.fulfilment.workflow", required=True, index=True, ondelete="cascade"
    )
    warehouse_id = fields.Many2one(related="workflow_id.warehouse_id", store=True)
    step_type = fields.Selection(STEP_TYPES, required=True, default="pick")
    skip = fields.Boolean(
        help="Keep the step configured but do not generate tasks for it (e.g. no gift wrap "
        "during the sale season)."
    )
    zone_location_id = fields.Many2one(
        "stock.location",
        string="Zone",
        domain="[('usage', '=', 'internal'), ('warehouse_id', '=', warehouse_id)]",
        help="Pick steps only: pick just the pieces stored in this zone (a specialty picker). "
        "Without a zone, the step picks every other piece, one task per zone.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Default Assignee",
        help="Tasks of this step are assigned to this person; the floor can reassign them.",
    )

    @api.constrains("step_type", "zone_location_id", "workflow_id")
    def _check_zone(self):
        for step in self.filtered("zone_location_id"):
            stock = step.workflow_id.warehouse_id.lot_stock_id
            if step.step_type != "pick":
                raise ValidationError(
                    self.env._("Only a pick step can have a zone (step %s).", step.name)
                )
            if not step.zone_location_id.parent_path.startswith(stock.parent_path):
                raise ValidationError(
                    self.env._(
                        "Zone %(zone)s of step %(step)s is not inside %(stock)s.",
                        zone=step.zone_location_id.display_name,
                        step=step.name,
                        stock=stock.display_name,
                    )
                )

    @api.constrains("step_type", "sequence", "skip", "workflow_id")
    def _check_handover_last(self):
        for workflow in self.workflow_id:
            steps = workflow.step_ids.filtered(lambda s: not s.skip)
            handovers = steps.filtered(lambda s: s.step_type == "handover")
            if len(handovers) > 1:
                raise ValidationError(
                    self.env._("Workflow %s has more than one handover step.", workflow.name)
                )
            if handovers and any(s.sequence >= handovers.sequence for s in steps - handovers):
                raise ValidationError(
                    self.env._(
                        "The handover step of workflow %s must come after every other step.",
                        workflow.name,
                    )
                )

    @api.constrains("step_type", "workflow_id")
    def _check_transfer_workflow(self):
        self.workflow_id._check_transfer_steps()

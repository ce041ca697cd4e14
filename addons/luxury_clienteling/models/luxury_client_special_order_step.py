from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class LuxuryClientSpecialOrderStep(models.Model):
    """One production step of a special order (e.g. cutting, stitching, setting, polishing)."""

    _name = "luxury.client.special.order.step"
    _description = "Special Order Production Step"
    _order = "special_order_id, sequence, id"

    special_order_id = fields.Many2one(
        "luxury.client.special.order", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    workshop = fields.Char()
    is_done = fields.Boolean(string="Done", readonly=True, copy=False)
    date_done = fields.Date(readonly=True, copy=False)

    def action_mark_done(self):
        for step in self:
            if step.special_order_id.state != "in_production":
                raise UserError(
                    self.env._(
                        "Step %(step)s: %(ref)s is not in production.",
                        step=step.name,
                        ref=step.special_order_id.name,
                    )
                )
        self.write({"is_done": True, "date_done": fields.Date.context_today(self)})
        for order in self.special_order_id:
            steps = self.filtered(lambda step, order=order: step.special_order_id == order)
            names = ", ".join(steps.mapped("name"))
            order.message_post(body=self.env._("Production step done: %(steps)s", steps=names))
        return True

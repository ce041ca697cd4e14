from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

WORKFLOW_PURPOSES = [("client", "Client Parcels"), ("transfer", "Transfers Between Sites")]
# Presentation steps belong to the client's parcel, never to a piece in transit.
CLIENT_ONLY_STEP_TYPES = ("gift_wrap", "luxury_packaging")


class LuxuryOmsFulfilmentWorkflow(models.Model):
    """The ordered steps a parcel goes through at one site, optionally per product category."""

    _name = "luxury.oms.fulfilment.workflow"
    _description = "Fulfilment Workflow"
    _inherit = ["mail.thread"]
    _order = "warehouse_id, sequence, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Site",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    company_id = fields.Many2one(related="warehouse_id.company_id", store=True)
    purpose = fields.Selection(
        WORKFLOW_PURPOSES,
        default="client",
        required=True,
        tracking=True,
        help="Client parcels leave for the client; transfers carry a piece to another site "
        "of the maison (a consolidation leg, a pickup boutique's supply): no luxury "
        "packaging, no invoice and no client notification at their handover.",
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The workflow applies to parcels whose pieces all belong to these categories or "
        "their children. Leave empty for the site's default workflow.",
    )
    step_ids = fields.One2many(
        "luxury.oms.fulfilment.step", "workflow_id", string="Steps", copy=True
    )
    step_count = fields.Integer(compute="_compute_step_count")

    @api.depends("step_ids")
    def _compute_step_count(self):
        for workflow in self:
            workflow.step_count = len(workflow.step_ids)

    @api.constrains("active", "warehouse_id", "categ_ids", "purpose")
    def _check_single_default(self):
        for workflow in self.filtered(lambda w: w.active and not w.categ_ids):
            others = self.search_count(
                [
                    ("id", "!=", workflow.id),
                    ("warehouse_id", "=", workflow.warehouse_id.id),
                    ("purpose", "=", workflow.purpose),
                    ("categ_ids", "=", False),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s already has a default workflow (one without product "
                        "categories); give workflow %(workflow)s some categories.",
                        site=workflow.warehouse_id.name,
                        workflow=workflow.name,
                    )
                )

    @api.constrains("purpose", "step_ids")
    def _check_transfer_steps(self):
        for workflow in self.filtered(lambda w: w.purpose == "transfer"):
            client_steps = workflow.step_ids.filtered(
                lambda s: s.step_type in CLIENT_ONLY_STEP_TYPES
            )
            if client_steps:
                raise ValidationError(
                    self.env._(
                        "Workflow %(workflow)s carries pieces between sites: it has no gift "
                        "wrap or luxury packaging step (%(steps)s).",
                        workflow=workflow.name,
                        steps=", ".join(client_steps.mapped("name")),
                    )
                )

    def _oms_for_products(self, warehouse, products, purpose="client"):
        """The workflow of ``warehouse`` for a parcel of ``products`` going to a client or,
        ``purpose`` "transfer", to another site: the first one whose categories cover every
        product, else the site's default one, else none."""
        workflows = self.search([("warehouse_id", "=", warehouse.id), ("purpose", "=", purpose)])
        for workflow in workflows.filtered("categ_ids"):
            if all(workflow._oms_covers(product.categ_id) for product in products):
                return workflow
        return workflows.filtered(lambda w: not w.categ_ids)[:1]

    def _oms_covers(self, category):
        self.ensure_one()
        # A product without a category is in none of them: the site's default workflow serves it.
        return bool(category) and any(
            category.parent_path.startswith(categ.parent_path) for categ in self.categ_ids
        )

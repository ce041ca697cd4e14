from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..engine.client_merge import Client
from ..engine.client_merge import propose_merges

# Persons who are clients: no company, no address of another contact, no B2B contact
# (a person under a company); someone who bought, has a tier or an advisor. The Clients
# action lists the same.
CLIENT_BOOK_DOMAIN = [
    ("is_company", "=", False),
    ("parent_id", "=", False),
    ("company_name", "=", False),
    ("type", "=", "contact"),
    "|",
    "|",
    "|",
    ("customer_rank", ">", 0),
    ("oms_tier_id", "!=", False),
    ("clienteling_advisor_id", "!=", False),
    ("clienteling_purchase_ids", "!=", False),
]


class LuxuryClientMergeProposal(models.Model):
    """Two clients of the book that are probably one person (a name in two scripts, one
    email at two domains...): a manager merges them with Odoo's merge wizard, or
    dismisses the proposal, which then never comes back."""

    _name = "luxury.client.merge.proposal"
    _description = "Client Merge Proposal"
    _order = "state, score desc, id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, ondelete="cascade", index=True
    )
    duplicate_id = fields.Many2one(
        "res.partner", string="Probably Also", required=True, ondelete="cascade", index=True
    )
    score = fields.Float(digits=(3, 2), help="1 means certainly the same person.")
    reasons = fields.Char(help="What the two clients share.")
    state = fields.Selection(
        [("open", "To Decide"), ("dismissed", "Not the Same Person")],
        required=True,
        default="open",
        index=True,
    )
    partner_email = fields.Char(related="partner_id.email", string="Email")
    duplicate_email = fields.Char(related="duplicate_id.email", string="Other Email")
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    duplicate_phone = fields.Char(related="duplicate_id.phone", string="Other Phone")

    _pair_unique = models.Constraint(
        "UNIQUE (partner_id, duplicate_id)", "These two clients are already proposed."
    )

    def action_merge(self):
        """Open Odoo's merge wizard on the pair (it keeps the older client by default)."""
        self.ensure_one()
        if self.state != "open":
            raise UserError(self.env._("Only a proposal to decide can be merged."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "base.partner.merge.automatic.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "res.partner",
                "active_ids": (self.partner_id | self.duplicate_id).ids,
            },
        }

    def action_dismiss(self):
        self.write({"state": "dismissed"})
        return True

    def action_find_proposals(self):
        """Score the whole client book again and propose the new likely pairs (the list's
        header button: called on the selected proposals, or none, which it ignores)."""
        created = self.browse()._find_proposals()
        if not created:
            message = self.env._("No new likely duplicate in the client book.")
        elif len(created) == 1:
            message = self.env._("1 new merge proposal.")
        else:
            message = self.env._("%s new merge proposals.", len(created))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "info",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.model
    def _cron_find_proposals(self):
        self._find_proposals()

    def _find_proposals(self):
        labels = {
            "email": self.env._("same email"),
            "phone": self.env._("same phone"),
            "same_name": self.env._("same name (any script or order)"),
            "similar_name": self.env._("similar name"),
            "email_name": self.env._("same email name at another domain"),
        }
        partners = (
            self.env["res.partner"]
            .sudo()
            .search_fetch(
                Domain(CLIENT_BOOK_DOMAIN),
                ["name", "email", "phone", "commercial_partner_id", "company_id"],
            )
        )
        clients = [
            Client(p.id, p.name, p.email, p.phone, p.commercial_partner_id.id, p.company_id.id)
            for p in partners
        ]
        known = {
            (proposal.partner_id.id, proposal.duplicate_id.id)
            for proposal in self.sudo().search([])
        }
        return self.sudo().create(
            [
                {
                    "partner_id": proposal.original_id,
                    "duplicate_id": proposal.duplicate_id,
                    "score": proposal.score,
                    "reasons": ", ".join(labels[reason] for reason in proposal.reasons),
                }
                for proposal in propose_merges(clients)
                if (proposal.original_id, proposal.duplicate_id) not in known
            ]
        )

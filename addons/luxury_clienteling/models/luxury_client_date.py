import calendar
from datetime import date

from odoo import api
from odoo import fields
from odoo import models

DATE_KINDS = [
    ("birthday", "Birthday"),
    ("wedding", "Wedding anniversary"),
    ("partner_birthday", "Partner's birthday"),
    ("child_birthday", "Child's birthday"),
    ("other", "Other"),
]


class LuxuryClientDate(models.Model):
    """A date that matters to the client, remembered every year."""

    _name = "luxury.client.date"
    _description = "Client Important Date"
    _order = "next_date, id"

    partner_id = fields.Many2one(
        "res.partner", string="Client", required=True, index=True, ondelete="cascade"
    )
    kind = fields.Selection(DATE_KINDS, required=True, default="birthday")
    name = fields.Char(string="Description")
    date = fields.Date(required=True)
    next_date = fields.Date(
        string="Next Occurrence",
        compute="_compute_next_date",
        store=True,
        help="Anniversary of the date this year, or next year once passed. Refreshed daily.",
    )

    @api.depends("date")
    def _compute_next_date(self):
        today = fields.Date.context_today(self)
        for record in self:
            record.next_date = record._next_occurrence(record.date, today)

    @staticmethod
    def _next_occurrence(day, today):
        if not day:
            return False
        for year in (today.year, today.year + 1):
            # 29 February is celebrated on 28 February in common years
            leap_day = day.month == 2 and day.day == 29 and not calendar.isleap(year)
            occurrence = date(year, day.month, 28 if leap_day else day.day)
            if occurrence >= today:
                return occurrence
        return False

    @api.model
    def _cron_refresh_next_date(self):
        """Move passed occurrences to next year (daily cron)."""
        today = fields.Date.context_today(self)
        self.search([("next_date", "<", today)])._compute_next_date()

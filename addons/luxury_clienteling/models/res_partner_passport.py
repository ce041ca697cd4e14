from markupsafe import Markup

from odoo import fields
from odoo import models


class ResPartner(models.Model):
    """The client's pieces and their passports, on the client 360.

    Kept apart from res_partner.py (the 360's own fields) so the passport can be read, and
    removed, as one piece."""

    _inherit = "res.partner"

    passport_pieces_html = fields.Html(
        string="Pieces",
        compute="_compute_passport_pieces_html",
        sanitize=False,
        help="The serial-numbered pieces this client bought, owns, lent or brought for "
        "repair, each with its passport.",
    )

    def _compute_passport_pieces_html(self):
        for partner in self:
            lots = partner._passport_lots()
            partner.passport_pieces_html = Markup("").join(
                Markup("<h5 class='mt-3'>%s · %s</h5>%s")
                % (lot.product_id.display_name, lot.name, lot.passport_timeline_html)
                for lot in lots
            ) or Markup("<p class='text-muted'>%s</p>") % self.env._("No piece yet.")

    def _passport_lots(self):
        """Serials delivered to the client, certified for them, lent to them or repaired
        for them: one query. A client being created (a form's onchange) has none yet."""
        self.ensure_one()
        client_id = self.commercial_partner_id._origin.id
        if not client_id:
            return self.env["stock.lot"]
        self.env.cr.execute(
            """
            SELECT ml.lot_id FROM stock_move_line ml
              JOIN stock_location dst ON dst.id = ml.location_dest_id AND dst.usage = 'customer'
              JOIN stock_picking pick ON pick.id = ml.picking_id
              JOIN res_partner buyer ON buyer.id = pick.partner_id
             WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL
               AND buyer.commercial_partner_id = %(partner)s
            UNION SELECT lot_id FROM luxury_oms_certificate WHERE partner_id = %(partner)s
            UNION SELECT lot_id FROM luxury_client_repair
                   WHERE partner_id = %(partner)s AND lot_id IS NOT NULL
            UNION SELECT rel.lot_id FROM luxury_client_loan_lot_rel rel
                   JOIN luxury_client_loan loan ON loan.id = rel.loan_id
                  WHERE loan.partner_id = %(partner)s
            """,
            {"partner": client_id},
        )
        lot_ids = [row[0] for row in self.env.cr.fetchall()]
        return self.env["stock.lot"].browse(lot_ids)._filtered_access("read").sorted("id")

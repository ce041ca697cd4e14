from markupsafe import Markup
from markupsafe import escape

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools import format_datetime

from ..engine import passport as passport_engine
from ..engine.passport import PassportEvent


class StockLot(models.Model):
    """The piece passport of a serial: its timeline, private marks and certificates."""

    _inherit = "stock.lot"

    passport_timeline_html = fields.Html(
        string="Passport",
        compute="_compute_passport_timeline_html",
        sanitize=False,
        help="Every event of the piece's life, from its receipt to today, as you may see it.",
    )
    passport_mark_hint = fields.Char(
        string="Private Marks",
        compute="_compute_passport_mark_hint",
        help="The piece's private authenticity marks are stored hashed; only their last "
        "characters are shown.",
    )
    passport_engraving_entry = fields.Char(
        string="Laser Engraving",
        compute="_compute_passport_entries",
        inverse="_inverse_passport_engraving_entry",
        groups="luxury_oms.group_oms_stock_controller",
        help="Type the number engraved on the piece: it is stored hashed, never in plain.",
    )
    passport_tag_entry = fields.Char(
        string="RFID/NFC Tag",
        compute="_compute_passport_entries",
        inverse="_inverse_passport_tag_entry",
        groups="luxury_oms.group_oms_stock_controller",
        help="Scan the piece's tag: its id is stored hashed, never in plain.",
    )
    # For those who may read checks: a plain stock user still opens and creates serials.
    passport_check_ids = fields.One2many(
        "luxury.oms.piece.check",
        "lot_id",
        string="Authenticity Checks",
        readonly=True,
        groups="luxury_oms.group_oms_user,luxury_oms.group_oms_boutique,"
        "luxury_oms.group_oms_stock_controller",
    )
    passport_quarantined = fields.Boolean(
        string="Quarantined",
        compute="_compute_passport_quarantined",
        help="A presented piece did not match its private marks: it waits for a second "
        "person to release it.",
    )
    # Certificates name their owners: not for floor staff.
    passport_certificate_ids = fields.One2many(
        "luxury.oms.certificate",
        "lot_id",
        string="Certificates",
        readonly=True,
        groups="luxury_oms.group_oms_customer_service,luxury_oms.group_oms_boutique,"
        "luxury_oms.group_oms_stock_controller",
    )

    def _compute_passport_timeline_html(self):
        audience = self._passport_audience()
        for lot in self:
            # A serial being created (a form's new record) has no life yet.
            events = lot._origin._passport_timeline(audience) if lot._origin else []
            lot.passport_timeline_html = lot._passport_render(events)

    def _compute_passport_mark_hint(self):
        marks = self.env["luxury.oms.piece.mark"].sudo().search([("lot_id", "in", self.ids)])
        labels = dict(marks._fields["kind"]._description_selection(self.env))
        for lot in self:
            lot.passport_mark_hint = ", ".join(
                f"{labels[mark.kind]} {mark.hint}"
                for mark in marks.filtered(lambda mark, lot=lot: mark.lot_id == lot)
            )

    def _compute_passport_entries(self):
        # Write-only: a mark typed in is hashed by the inverse and never read back.
        self.passport_engraving_entry = False
        self.passport_tag_entry = False

    @api.depends("passport_check_ids.state")
    def _compute_passport_quarantined(self):
        for lot in self:
            lot.passport_quarantined = "quarantined" in lot.sudo().passport_check_ids.mapped(
                "state"
            )

    def _inverse_passport_engraving_entry(self):
        self._passport_store_marks("engraving", "passport_engraving_entry")

    def _inverse_passport_tag_entry(self):
        self._passport_store_marks("tag", "passport_tag_entry")

    def _passport_store_marks(self, kind, field_name):
        for lot in self:
            if lot[field_name]:
                lot._passport_set_mark(kind, lot[field_name])
        # Forget the typed value, even in the cache.
        self.invalidate_recordset([field_name])

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_passport_issue_certificate(self):
        """Certify the piece for its current owner (boutique, customer service)."""
        certificates = self._passport_issue_certificate()
        return certificates._passport_open_action()

    def action_passport_transfer_ownership(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfer Ownership"),
            "res_model": "luxury.oms.certificate.transfer",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lot_id": self.id},
        }

    # ------------------------------------------------------------------
    # The timeline
    # ------------------------------------------------------------------

    def _passport_audience(self):
        """What the current user may see of a passport. Floor staff see where the piece
        went, not who bought it nor for how much; boutique advisors see clients, not
        amounts; the back-office roles see everything."""
        user = self.env.user
        if self.env.su or user.has_group("luxury_oms.group_oms_customer_service"):
            return passport_engine.FULL
        if user.has_group("luxury_oms.group_oms_stock_controller"):
            return passport_engine.FULL
        if user.has_group("luxury_oms.group_oms_boutique"):
            return passport_engine.NO_AMOUNTS
        return passport_engine.ANONYMOUS

    def _passport_timeline(self, audience):
        """The piece's events, ordered and shaped for ``audience``: one query."""
        self.ensure_one()
        # The fragments read many models in SQL: pending writes must be there.
        self.env.flush_all()
        query = SQL(" UNION ALL ").join(
            SQL("(%s)", fragment) for fragment in self._passport_sql_fragments()
        )
        self.env.cr.execute(SQL("SELECT * FROM (%s) AS passport", query))
        events = [PassportEvent.from_row(row) for row in self.env.cr.fetchall()]
        return passport_engine.build_timeline(events, audience)

    def _passport_sql_fragments(self):
        """SQL selecting this serial's events in ``PASSPORT_COLUMNS`` order, one fragment
        per kind of record; each addon adds the fragments of its own records."""
        self.ensure_one()
        return [
            self._passport_sql_moves(),
            self._passport_sql_sales(),
            self._passport_sql_pos_sales(),
            self._passport_sql_deliveries(),
            self._passport_sql_holds(),
            *self.env["luxury.oms.piece.check"]._passport_sql_fragments(self),
            *self.env["luxury.oms.certificate"]._passport_sql_fragments(self),
        ]

    def _passport_sql_moves(self):
        """Every done move of the piece: received, moved between sites or locations,
        handed to a courier, returned by a client, written off."""
        return SQL(
            """
            SELECT ml.date, CASE
                       WHEN dst.usage = 'customer' THEN 'shipped'
                       WHEN src.usage = 'customer' THEN 'returned'
                       WHEN src.usage IN ('supplier', 'production', 'inventory')
                            AND dst.usage = 'internal' THEN 'received'
                       WHEN dst.usage IN ('inventory', 'production') THEN 'written_off'
                       ELSE 'moved' END,
                   'stock.move.line', ml.id, COALESCE(pick.name, mv.reference),
                   COALESCE(dst_wh.name, src_wh.name),
                   CASE
                       WHEN dst.usage = 'customer'
                       THEN COALESCE(pick.oms_handover_courier, carrier.name->>'en_US')
                       WHEN src.usage = 'supplier' THEN supplier.name
                   END,
                   NULL::int, NULL::varchar, NULL::numeric, NULL::varchar,
                   CONCAT_WS(' → ', src.complete_name, dst.complete_name)
              FROM stock_move_line ml
              JOIN stock_location src ON src.id = ml.location_id
              JOIN stock_location dst ON dst.id = ml.location_dest_id
              LEFT JOIN stock_warehouse src_wh ON src_wh.id = src.warehouse_id
              LEFT JOIN stock_warehouse dst_wh ON dst_wh.id = dst.warehouse_id
              LEFT JOIN stock_move mv ON mv.id = ml.move_id
              LEFT JOIN stock_picking pick ON pick.id = ml.picking_id
              LEFT JOIN delivery_carrier carrier ON carrier.id = pick.carrier_id
              LEFT JOIN res_partner supplier ON supplier.id = pick.partner_id
             WHERE ml.lot_id = %(lot)s AND ml.state = 'done'
            """,
            lot=self.id,
        )

    def _passport_sql_sales(self):
        """The sale orders that delivered the piece: channel, client and price."""
        return SQL(
            """
            SELECT so.date_order, 'sold', 'sale.order', so.id, so.name, wh.name,
                   channel.name->>'en_US', client.id, client.name,
                   sol.price_unit * (1 - COALESCE(sol.discount, 0) / 100), currency.name, NULL
              FROM stock_move_line ml
              JOIN stock_location dst ON dst.id = ml.location_dest_id AND dst.usage = 'customer'
              JOIN stock_location src ON src.id = ml.location_id
              LEFT JOIN stock_warehouse wh ON wh.id = src.warehouse_id
              JOIN stock_move mv ON mv.id = ml.move_id
              JOIN sale_order_line sol ON sol.id = mv.sale_line_id
              JOIN sale_order so ON so.id = sol.order_id
              JOIN res_partner buyer ON buyer.id = so.partner_id
              JOIN res_partner client ON client.id = buyer.commercial_partner_id
              LEFT JOIN luxury_oms_channel channel ON channel.id = so.oms_channel_id
              LEFT JOIN res_currency currency ON currency.id = so.currency_id
             WHERE ml.lot_id = %(lot)s AND ml.state = 'done'
            """,
            lot=self.id,
        )

    def _passport_sql_pos_sales(self):
        """Boutique (POS) sales of the piece: the boutique's channel, client and price."""
        return SQL(
            """
            SELECT po.date_order, 'sold', 'pos.order', po.id, po.name, wh.name,
                   channel.name->>'en_US', client.id, client.name,
                   line.price_unit * (1 - COALESCE(line.discount, 0) / 100), currency.name, NULL
              FROM stock_move_line ml
              JOIN stock_location dst ON dst.id = ml.location_dest_id AND dst.usage = 'customer'
              JOIN stock_location src ON src.id = ml.location_id
              LEFT JOIN stock_warehouse wh ON wh.id = src.warehouse_id
              JOIN stock_picking pick ON pick.id = ml.picking_id
              JOIN pos_order po ON po.id = pick.pos_order_id
              LEFT JOIN res_partner buyer ON buyer.id = po.partner_id
              LEFT JOIN res_partner client ON client.id = buyer.commercial_partner_id
              LEFT JOIN pos_config config ON config.id = po.config_id
              LEFT JOIN luxury_oms_channel channel ON channel.id = config.oms_channel_id
              LEFT JOIN res_currency currency ON currency.id = channel.currency_id
              LEFT JOIN LATERAL (
                    SELECT pol.price_unit, pol.discount FROM pos_order_line pol
                     WHERE pol.order_id = po.id AND pol.product_id = ml.product_id
                     ORDER BY pol.id LIMIT 1) line ON TRUE
             WHERE ml.lot_id = %(lot)s AND ml.state = 'done'
            """,
            lot=self.id,
        )

    def _passport_sql_deliveries(self):
        """Parcels of the piece the courier delivered."""
        return SQL(
            """
            SELECT pick.oms_delivered_date, 'delivered', 'stock.picking', pick.id, pick.name,
                   wh.name, COALESCE(pick.oms_handover_courier, carrier.name->>'en_US'),
                   NULL, NULL, NULL, NULL, pick.carrier_tracking_ref
              FROM stock_move_line ml
              JOIN stock_picking pick ON pick.id = ml.picking_id
              JOIN stock_location src ON src.id = ml.location_id
              LEFT JOIN stock_warehouse wh ON wh.id = src.warehouse_id
              LEFT JOIN delivery_carrier carrier ON carrier.id = pick.carrier_id
             WHERE ml.lot_id = %(lot)s AND ml.state = 'done'
               AND pick.oms_delivered_date IS NOT NULL
            """,
            lot=self.id,
        )

    def _passport_sql_holds(self):
        """VIP holds of the piece's product at a site while the piece was there.

        A hold keeps units of a product at a site, not a serial: every piece of that product
        at the site during the hold's life was kept by it."""
        return SQL(
            """
            WITH stays AS (
                SELECT dst.warehouse_id, ml.date AS arrived,
                       LEAD(ml.date) OVER (ORDER BY ml.date, ml.id) AS left_at
                  FROM stock_move_line ml
                  JOIN stock_location dst ON dst.id = ml.location_dest_id
                 WHERE ml.lot_id = %(lot)s AND ml.state = 'done'
            )
            SELECT date_trunc('second', hold.create_date), 'held', 'luxury.oms.hold', hold.id,
                   hold.name, wh.name,
                   COALESCE(tier.name->>'en_US', hold.event_name), client.id, client.name,
                   NULL, NULL, hold.state
              FROM luxury_oms_hold hold
              JOIN stock_lot lot ON lot.id = %(lot)s AND lot.product_id = hold.product_id
              JOIN stock_warehouse wh ON wh.id = hold.warehouse_id
              LEFT JOIN res_partner client ON client.id = hold.partner_id
              LEFT JOIN luxury_oms_tier tier ON tier.id = hold.tier_id
             WHERE EXISTS (
                   SELECT 1 FROM stays
                    WHERE stays.warehouse_id = hold.warehouse_id
                      AND stays.arrived <= CASE WHEN hold.state = 'active'
                                                THEN clock_timestamp() ELSE hold.write_date END
                      AND (stays.left_at IS NULL OR stays.left_at >= hold.create_date))
            """,
            lot=self.id,
        )

    def _passport_render(self, timeline):
        """The timeline as the serial's form shows it: one line per event."""
        if not timeline:
            return Markup("<p class='text-muted'>%s</p>") % self.env._("No event recorded yet.")
        labels = self._passport_kind_labels()
        rows = Markup("").join(
            Markup(
                "<tr class='o_passport_event' data-kind='%s'><td>%s</td><td><strong>%s</strong>"
                "</td><td>%s</td><td>%s</td></tr>"
            )
            % (
                event.kind,
                self._passport_format_date(event.event_date),
                labels.get(event.kind, event.kind),
                event.site,
                self._passport_event_text(event),
            )
            for event in timeline
        )
        header = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("When"),
            self.env._("Event"),
            self.env._("Where"),
            self.env._("Details"),
        )
        return Markup("<table class='table table-sm o_passport_timeline'>%s%s</table>") % (
            header,
            rows,
        )

    def _passport_format_date(self, moment):
        """In the reader's time zone and language, to the minute."""
        if not moment:
            return ""
        return format_datetime(self.env, moment, dt_format="short")

    def _passport_event_text(self, event):
        detail = self._passport_detail_labels().get(event.detail, event.detail)
        parts = [event.reference, event.counterpart, event.client, detail]
        if event.amount:
            parts.append(f"{event.amount:,.2f} {event.currency}")
        return escape(" · ".join(str(part) for part in parts if part))

    def _passport_detail_labels(self):
        """Readable words for the codes some events carry as their detail (a hold's state,
        a check's result, why a certificate was revoked, a certificate's language)."""
        labels = {}
        for model, field in (
            ("luxury.oms.hold", "state"),
            ("luxury.oms.piece.check", "result"),
            ("luxury.oms.certificate", "revoke_reason"),
        ):
            labels.update(self.env[model]._fields[field]._description_selection(self.env))
        labels.update(self.env["res.lang"].get_installed())
        return labels

    def _passport_kind_labels(self):
        _ = self.env._
        return {
            "received": _("Piece received"),
            "moved": _("Piece moved"),
            "held": _("Held for a client"),
            "loaned": _("Lent"),
            "loan_returned": _("Back from loan"),
            "transferred": _("Transferred for a client"),
            "sold": _("Sold"),
            "resold": _("Resold"),
            "shipped": _("Handed to the courier"),
            "delivered": _("Delivered to the client"),
            "certified": _("Certificate issued"),
            "ownership_transferred": _("Ownership transferred"),
            "return_requested": _("Return requested"),
            "returned": _("Returned by the client"),
            "checked": _("Authenticity checked"),
            "quarantined": _("Quarantined"),
            "released": _("Released from quarantine"),
            "repair": _("Repair"),
            "revoked": _("Certificate revoked"),
            "written_off": _("Written off"),
        }

    def _passport_owner(self):
        """The client who owns the piece today (sold or transferred to, not returned)."""
        self.ensure_one()
        owner_id = passport_engine.current_owner(self._passport_timeline(passport_engine.FULL))
        return self.env["res.partner"].browse(owner_id)

    # ------------------------------------------------------------------
    # Private marks
    # ------------------------------------------------------------------

    def _passport_mark_keeper_groups(self):
        """Who may record a piece's private marks (and so replace them)."""
        return ("luxury_oms.group_oms_stock_controller", "luxury_oms.group_oms_manager")

    def _passport_check_mark_keeper(self):
        groups = self._passport_mark_keeper_groups()
        if not self.env.su and not any(self.env.user.has_group(g) for g in groups):
            raise AccessError(
                self.env._("Only stock controllers and managers record a piece's private marks.")
            )

    def _passport_set_mark(self, kind, value):
        """Store the hash of a private mark of this piece, replacing the previous one."""
        self.ensure_one()
        self._passport_check_mark_keeper()
        if not passport_engine.normalize_mark(value):
            raise UserError(self.env._("%(kind)s: a mark needs letters or digits.", kind=kind))
        return self.env["luxury.oms.piece.mark"].sudo()._store(self, kind, value)

    def _passport_check_presented(self, presented, origin):
        """Compare the marks read on a presented piece with the recorded ones.

        ``presented`` maps a mark kind ("engraving", "tag") to what was read; ``origin`` is
        the record checking (a return, a repair). A mismatch quarantines the piece. Answers
        the check record; only its result leaves, never a recorded mark.
        """
        self.ensure_one()
        # One try per release: a quarantined piece is not checked again, so nobody can
        # guess a mark by trying.
        self._passport_check_not_quarantined()
        Mark = self.env["luxury.oms.piece.mark"].sudo()
        matches = Mark._compare(self, presented)
        if Mark._kinds_of(self) and not matches:
            raise UserError(
                self.env._(
                    "Serial %(lot)s has private marks: read at least one of them on the piece.",
                    lot=self.name,
                )
            )
        return self.env["luxury.oms.piece.check"].sudo()._record(self, matches, origin)

    # ------------------------------------------------------------------
    # Certificates
    # ------------------------------------------------------------------

    def _passport_issue_certificate(self):
        """A valid certificate for each piece's owner: the existing one, or a new one that
        revokes a certificate of a previous owner (the piece was resold)."""
        Certificate = self.env["luxury.oms.certificate"]
        certificates = Certificate
        for lot in self:
            certificates |= Certificate._issue_for(lot, lot._passport_owner())
        return certificates

    def _passport_check_not_quarantined(self):
        quarantined = self.filtered("passport_quarantined")
        if quarantined:
            raise UserError(
                self.env._(
                    "Serial %(lot)s is quarantined: its marks did not match. A second person "
                    "must release it first.",
                    lot=quarantined[0].name,
                )
            )

    def _passport_for_channel(self, channel):
        """The passport a channel may read: its own client's piece only, without names nor
        amounts; None for a serial unknown or not the channel's (one answer for both)."""
        self.ensure_one()
        timeline = self._passport_timeline(passport_engine.FULL)
        sales = [e for e in timeline if e.kind in ("sold", "resold")]
        owner_id = passport_engine.current_owner(timeline)
        last_sale = sales[-1] if sales else None
        if not owner_id or not last_sale or last_sale.source_model != "sale.order":
            return None
        if last_sale.partner_id != owner_id:
            return None
        order = self.env["sale.order"].sudo().browse(last_sale.source_id)
        if order.oms_channel_id != channel:
            return None
        certificate = self.passport_certificate_ids.filtered(lambda c: c.state == "valid")[:1]
        return {
            "serial": self.name,
            "sku": self.product_id.default_code or False,
            "order_ref": order.name,
            "certificate": certificate.state or False,
            "events": [
                {
                    "date": fields.Datetime.to_string(event.event_date),
                    "event": event.kind,
                    "site": event.site or False,
                }
                for event in passport_engine.build_timeline(timeline, passport_engine.ANONYMOUS)
            ],
        }

from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL


class StockLot(models.Model):
    _inherit = "stock.lot"

    clienteling_owner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        compute="_compute_clienteling_sale",
        help="Client the serial was last delivered to, online or in a boutique.",
    )
    clienteling_sale_date = fields.Datetime(string="Sold On", compute="_compute_clienteling_sale")
    clienteling_sale_warehouse_id = fields.Many2one(
        "stock.warehouse", string="Sold By", compute="_compute_clienteling_sale"
    )

    def _compute_clienteling_sale(self):
        lines = self.env["stock.move.line"].search_fetch(
            [
                ("lot_id", "in", self.ids),
                ("state", "=", "done"),
                ("location_dest_id.usage", "=", "customer"),
            ],
            ["lot_id", "date", "picking_partner_id", "picking_id", "location_id"],
            order="date desc, id desc",
        )
        last_sale = {}
        for line in lines:
            last_sale.setdefault(line.lot_id, line)
        for lot in self:
            line = last_sale.get(lot, self.env["stock.move.line"])
            lot.clienteling_owner_id = line.picking_partner_id.commercial_partner_id
            lot.clienteling_sale_date = line.date
            lot.clienteling_sale_warehouse_id = line.location_id.warehouse_id

    def _clienteling_free_quants(self, warehouse=None):
        """The quants holding these serials, free to leave their site; else a UserError
        saying why.

        Free means: in an internal location (of ``warehouse`` when given), not
        reserved by any order or transfer, not out on a press loan, and not needed
        by the site's VIP holds.
        """
        quants = self.env["stock.quant"]
        for lot in self:
            quants |= lot._clienteling_free_quant(warehouse)
        quants._clienteling_check_not_promised()
        return quants

    def _clienteling_free_quant(self, warehouse):
        self.ensure_one()
        quant = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "=", self.id),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                ],
                limit=1,
            )
        )
        if quant.location_id.clienteling_press_loan:
            raise UserError(self.env._("Serial %(lot)s is already out on loan.", lot=self.name))
        if not quant or (warehouse and quant.location_id.warehouse_id != warehouse):
            raise UserError(
                self.env._(
                    "Serial %(lot)s is not in stock at %(site)s.",
                    lot=self.name,
                    site=warehouse.name if warehouse else self.env._("any site"),
                )
            )
        if quant.reserved_quantity:
            raise UserError(
                self.env._(
                    "Serial %(lot)s is reserved (%(refs)s) and cannot leave its site.",
                    lot=self.name,
                    refs=", ".join(self._clienteling_reservations()),
                )
            )
        return quant

    def _clienteling_reservations(self):
        """References of the open transfers reserving this serial."""
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search([("lot_id", "=", self.id), ("state", "not in", ("done", "cancel"))])
        )
        return [ref for ref in lines.mapped("reference") if ref]

    # ------------------------------------------------------------------
    # Piece passport: the clienteling records of the serial
    # ------------------------------------------------------------------

    def _passport_sql_fragments(self):
        return [
            *super()._passport_sql_fragments(),
            self._passport_sql_loans(),
            self._passport_sql_repairs(),
            self._passport_sql_repair_steps(),
            self._passport_sql_piece_transfers(),
        ]

    def _passport_detail_labels(self):
        labels = super()._passport_detail_labels()
        for model, field in (
            ("luxury.client.loan", "return_condition"),
            ("luxury.client.piece.transfer", "state"),
        ):
            labels.update(self.env[model]._fields[field]._description_selection(self.env))
        return labels

    def _passport_sql_loans(self):
        """Press loans of the piece: out to whom and for what, back in which condition, at
        the time their transfers were validated."""
        return SQL(
            """
            SELECT moment.event_date, moment.kind, 'luxury.client.loan', loan.id, loan.name,
                   wh.name, loan.purpose, borrower.id, borrower.name, NULL, NULL, moment.detail
              FROM luxury_client_loan loan
              JOIN luxury_client_loan_lot_rel rel ON rel.loan_id = loan.id
              JOIN stock_warehouse wh ON wh.id = loan.warehouse_id
              JOIN res_partner borrower ON borrower.id = loan.partner_id
              CROSS JOIN LATERAL (
                    SELECT MIN(pick.date_done) AS sent, MAX(pick.date_done) AS back
                      FROM luxury_client_loan_picking_rel loan_pick
                      JOIN stock_picking pick ON pick.id = loan_pick.stock_picking_id
                     WHERE loan_pick.luxury_client_loan_id = loan.id) AS transfers
              CROSS JOIN LATERAL (
                    VALUES (COALESCE(transfers.sent, loan.date_out::timestamp), 'loaned',
                            NULL::varchar),
                           (CASE WHEN loan.date_returned IS NOT NULL
                                 THEN COALESCE(transfers.back, loan.date_returned::timestamp)
                            END, 'loan_returned', loan.return_condition)
                    ) AS moment(event_date, kind, detail)
             WHERE rel.lot_id = %(lot)s AND moment.event_date IS NOT NULL
            """,
            lot=self.id,
        )

    def _passport_sql_repairs(self):
        """A repair's reception: when it was recorded, at which boutique, for whom."""
        return SQL(
            """
            SELECT date_trunc('second', repair.create_date), 'repair', 'luxury.client.repair',
                   repair.id, repair.name,
                   wh.name, NULL, client.id, client.name, NULL, NULL, %(received)s
              FROM luxury_client_repair repair
              JOIN stock_warehouse wh ON wh.id = repair.warehouse_id
              JOIN res_partner client ON client.id = repair.partner_id
             WHERE repair.lot_id = %(lot)s
            """,
            lot=self.id,
            received=self.env._("Received for repair"),
        )

    def _passport_sql_repair_steps(self):
        """Each step of a repair (quote sent, approved, workshop, ready, returned) and its
        quote, as the repair's chatter tracked them, in the order they were tracked."""
        return SQL(
            """
            SELECT msg.date, 'repair', 'mail.tracking.value', tracking.id, repair.name, wh.name,
                   NULL, client.id, client.name,
                   CASE WHEN field.name = 'quote_amount' THEN tracking.new_value_float END,
                   currency.name,
                   CASE WHEN field.name = 'state' THEN tracking.new_value_char
                        ELSE %(quote)s END
              FROM luxury_client_repair repair
              JOIN stock_warehouse wh ON wh.id = repair.warehouse_id
              JOIN res_partner client ON client.id = repair.partner_id
              LEFT JOIN res_currency currency ON currency.id = repair.currency_id
              JOIN mail_message msg
                ON msg.model = 'luxury.client.repair' AND msg.res_id = repair.id
              JOIN mail_tracking_value tracking ON tracking.mail_message_id = msg.id
              JOIN ir_model_fields field
                ON field.id = tracking.field_id AND field.model = 'luxury.client.repair'
               AND field.name IN ('state', 'quote_amount')
             WHERE repair.lot_id = %(lot)s
            """,
            lot=self.id,
            quote=self.env._("Quote"),
        )

    def _passport_sql_piece_transfers(self):
        """The piece brought to another boutique for a client's appointment."""
        return SQL(
            """
            SELECT COALESCE(pick.date_done, transfer.create_date), 'transferred',
                   'luxury.client.piece.transfer', transfer.id, transfer.name, wh.name,
                   source.name, client.id, client.name, NULL, NULL, transfer.state
              FROM luxury_client_piece_transfer transfer
              JOIN stock_warehouse wh ON wh.id = transfer.warehouse_id
              LEFT JOIN stock_warehouse source ON source.id = transfer.source_warehouse_id
              JOIN res_partner client ON client.id = transfer.partner_id
              LEFT JOIN stock_picking pick ON pick.id = transfer.picking_id
             WHERE transfer.lot_id = %(lot)s AND transfer.state != 'draft'
            """,
            lot=self.id,
        )

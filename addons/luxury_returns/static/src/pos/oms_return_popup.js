import { _t } from "@web/core/l10n/translation";
import { Component, onWillStart, useState } from "@odoo/owl";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { Dialog } from "@web/core/dialog/dialog";
import { useService } from "@web/core/utils/hooks";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/**
 * A client returns a piece at the boutique: pick it among the client's web and boutique
 * purchases still returnable, with its serial and the reason, and open the RMA here. The
 * server checks everything (quantities, serials sold to this client, return window) and
 * creates nothing when the request is wrong; the authenticity desk then receives and
 * checks the piece in the back office.
 */
export class OmsReturnPopup extends Component {
    static template = "luxury_returns.OmsReturnPopup";
    static components = { Dialog };
    static props = { partner: Object, close: Function };

    setup() {
        this.pos = usePos();
        this.dialog = useService("dialog");
        this.state = useState({ orders: [], reasons: [], reason: "", picks: {}, loaded: false });
        onWillStart(() => this.load());
    }

    async load() {
        const result = await this.pos.data.call("pos.config", "oms_returnable_purchases", [
            [this.pos.config.id],
            this.props.partner.id,
        ]);
        this.state.orders = result.orders;
        this.state.reasons = result.reasons;
        this.state.reason = result.reasons[0]?.code || "";
        for (const order of result.orders) {
            for (const line of order.lines) {
                this.state.picks[this.pickKey(order, line)] = { qty: 0, serial: "" };
            }
        }
        this.state.loaded = true;
    }

    pickKey(order, line) {
        return `${order.model}-${line.line_id}`;
    }

    requestedLines(order) {
        const lines = [];
        for (const line of order.lines) {
            const pick = this.state.picks[this.pickKey(order, line)];
            if (line.tracked && pick.serial.trim()) {
                lines.push({ sku: line.sku, qty: 1, serial: pick.serial.trim() });
            } else if (!line.tracked && Number(pick.qty) > 0) {
                lines.push({ sku: line.sku, qty: Number(pick.qty) });
            }
        }
        return lines;
    }

    async createReturn(order) {
        const lines = this.requestedLines(order);
        if (!lines.length) {
            this.dialog.add(AlertDialog, {
                title: _t("Nothing to return"),
                body: _t("Enter the quantity or the serial of the pieces the client returns."),
            });
            return;
        }
        let result;
        try {
            result = await this.pos.data.call("pos.config", "oms_request_return", [
                [this.pos.config.id],
                this.props.partner.id,
                order.model,
                order.id,
                lines,
                this.state.reason,
            ]);
        } catch (error) {
            const message = error.data?.message;
            if (!message) {
                throw error;
            }
            this.dialog.add(AlertDialog, { title: _t("Return refused"), body: message });
            return;
        }
        this.dialog.add(AlertDialog, { title: _t("Return requested"), body: result.message });
        this.props.close();
    }
}

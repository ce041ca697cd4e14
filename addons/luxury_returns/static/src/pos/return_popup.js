import { _t } from "@web/core/l10n/translation";
import { Component, onWillStart, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { useService } from "@web/core/utils/hooks";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/**
 * A client brings a piece back to the boutique: list what they can return (their orders,
 * quantities and serials), let staff choose the pieces and the reason, and open the return
 * here. The server validates everything; its refusal is shown as it is, nothing created.
 */
export class OmsReturnPopup extends Component {
    static template = "luxury_returns.OmsReturnPopup";
    static components = { Dialog };
    static props = { close: Function };

    setup() {
        this.pos = usePos();
        this.notification = useService("notification");
        this.state = useState({
            orders: [],
            reasons: [],
            reason: "",
            chosen: {},
            error: "",
            message: "",
        });
        onWillStart(() => this.load());
    }

    get partner() {
        return this.pos.getOrder()?.getPartner();
    }

    key(order, line) {
        return `${order.id}:${line.sku}`;
    }

    async load() {
        if (!this.partner) {
            this.state.error = _t("Select the client first: returns are per client.");
            return;
        }
        try {
            const answer = await this.pos.data.call("pos.config", "oms_returnable_orders", [
                [this.pos.config.id],
                this.partner.id,
            ]);
            this.state.orders = answer.orders;
            this.state.reasons = answer.reasons;
            this.state.reason = answer.reasons[0]?.code || "";
        } catch (error) {
            this.state.error = error.data?.message || error.message;
        }
        if (!this.state.error && !this.state.orders.length) {
            this.state.error = _t("%s has nothing left to return.", this.partner.name);
        }
    }

    choice(order, line) {
        const key = this.key(order, line);
        if (!this.state.chosen[key]) {
            this.state.chosen[key] = { qty: 0, serials: {} };
        }
        return this.state.chosen[key];
    }

    requestedLines(order) {
        const lines = [];
        for (const line of order.lines) {
            const choice = this.choice(order, line);
            if (line.serials.length) {
                // One line per piece: each serial is checked on its own.
                for (const serial of line.serials.filter((name) => choice.serials[name])) {
                    lines.push({ sku: line.sku, qty: 1, serial });
                }
            } else if (Number(choice.qty) > 0) {
                lines.push({ sku: line.sku, qty: Number(choice.qty) });
            }
        }
        return lines;
    }

    async request(order) {
        this.state.error = "";
        this.state.message = "";
        const lines = this.requestedLines(order);
        if (!lines.length) {
            this.state.error = _t("Choose the quantity of at least one piece.");
            return;
        }
        try {
            const result = await this.pos.data.call("pos.config", "oms_request_return", [
                [this.pos.config.id],
                order.id,
                lines,
                this.state.reason,
            ]);
            this.state.message = result.message;
            this.notification.add(result.message, { type: "success" });
        } catch (error) {
            this.state.error = error.data?.message || error.message;
        }
    }
}

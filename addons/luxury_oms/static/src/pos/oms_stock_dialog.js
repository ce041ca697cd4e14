import { Component } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";

/**
 * A piece the advisor just added is not free to sell here: say to whom it is promised
 * (a web order and its client, a hold) and offer what serves the client instead, first:
 * another piece here, reserving or ordering it from a site that has it. Overriding the
 * promise is the last, secondary choice (a manager approves it, with a reason).
 *
 * The payload is ``{action: "remove" | "keep" | "other_piece" | "reserve" | "ship" |
 * "override", lot?, site?}``.
 */
export class OmsStockDialog extends Component {
    static template = "luxury_oms.OmsStockDialog";
    static components = { Dialog };
    static props = {
        line: Object,
        client: { type: [String, Boolean], optional: true },
        // The quantity checked before the advisor raised it: "remove" goes back to it.
        keptQty: { type: Number, optional: true },
        getPayload: Function,
        close: Function,
    };

    /** What refusing does: the line goes back to the quantity checked, or leaves. */
    get removeLabel() {
        if (this.props.keptQty) {
            return _t("Sell %s only", this.props.keptQty);
        }
        return _t("Remove from the order");
    }

    choose(action, extra = {}) {
        this.props.getPayload({ action, ...extra });
        this.props.close();
    }
}

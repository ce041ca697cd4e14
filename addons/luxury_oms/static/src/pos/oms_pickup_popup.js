import { _t } from "@web/core/l10n/translation";
import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { useService } from "@web/core/utils/hooks";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/**
 * Click & collect at the counter: find the client's pickup by code, name, email, phone or
 * order reference, check the code the client received, and hand the order over (the
 * server delivers and invoices). A wrong code is refused and logged on the order.
 */
export class OmsPickupPopup extends Component {
    static template = "luxury_oms.OmsPickupPopup";
    static components = { Dialog };
    static props = { close: Function };

    setup() {
        this.pos = usePos();
        this.notification = useService("notification");
        this.state = useState({ query: "", pickups: [], codes: {}, message: "", error: "" });
    }

    async search() {
        this.state.message = "";
        this.state.error = "";
        try {
            this.state.pickups = await this.pos.data.call("pos.config", "oms_find_pickups", [
                [this.pos.config.id],
                this.state.query,
            ]);
        } catch (error) {
            this.state.error = error.data?.message || error.message;
            return;
        }
        if (!this.state.pickups.length) {
            this.state.error = _t("No pickup waiting here for “%s”.", this.state.query);
        }
    }

    async collect(pickup) {
        this.state.message = "";
        this.state.error = "";
        let result;
        try {
            result = await this.pos.data.call("pos.config", "oms_collect_pickup", [
                [this.pos.config.id],
                pickup.id,
                this.state.codes[pickup.id] || "",
            ]);
        } catch (error) {
            this.state.error = error.data?.message || error.message;
            return;
        }
        if (result.collected) {
            this.state.message = result.message;
            this.state.pickups = this.state.pickups.filter((row) => row.id !== pickup.id);
            this.notification.add(result.message, { type: "success" });
        } else {
            this.state.error = result.message;
        }
    }
}

import { Component, useEffect, useState } from "@odoo/owl";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/**
 * Who the selected client is, at a glance: tier, advisor, preferences, recent
 * purchases and open services. Loaded from the server each time the order's
 * client changes (which logs the walk-in of a flagged client, alerting the
 * boutique manager); personal notes never reach the till.
 */
export class ClientPanel extends Component {
    static template = "luxury_clienteling.ClientPanel";
    static props = { partner: { type: Object, optional: true } };

    setup() {
        this.pos = usePos();
        this.state = useState({ panel: null, partnerId: null });
        useEffect(
            (partnerId) => {
                this.load(partnerId);
            },
            () => [this.props.partner?.id]
        );
    }

    async load(partnerId) {
        this.state.partnerId = partnerId;
        if (!partnerId) {
            this.state.panel = null;
            return;
        }
        const panel = await this.pos.data.call(
            "res.partner",
            "clienteling_pos_panel",
            [[partnerId]],
            { config_id: this.pos.config.id }
        );
        // the cashier may have picked another client meanwhile
        if (this.state.partnerId === partnerId) {
            this.state.panel = panel;
        }
    }
}

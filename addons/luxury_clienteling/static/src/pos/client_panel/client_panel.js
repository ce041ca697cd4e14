import { Component, useEffect, useState } from "@odoo/owl";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/**
 * The client at the counter: selecting a client opens their 360 as a panel over the
 * products (tier, advisor, preferences, recent pieces with their pictures, services in
 * progress, upcoming events, notes, what they spent in the till's currency); a bar above
 * the order keeps it one tap away once closed. Loaded from the server each time the
 * order's client changes (which logs the walk-in of a flagged client, alerting the
 * boutique manager).
 */
export class ClientPanel extends Component {
    static template = "luxury_clienteling.ClientPanel";
    static props = { partner: { type: Object, optional: true } };

    setup() {
        this.pos = usePos();
        this.state = useState({ panel: null, partnerId: null, open: false, top: 0 });
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
            this.state.open = false;
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
            this.open();
        }
    }

    open() {
        // below the till's header, whatever its height on this screen
        this.state.top = document.querySelector(".pos-topheader")?.offsetHeight || 0;
        this.state.open = true;
    }

    toggle() {
        if (this.state.open) {
            this.state.open = false;
        } else {
            this.open();
        }
    }
}

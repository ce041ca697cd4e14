import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";

/**
 * Sell a promised piece anyway: the reason is required, and a boutique manager approves
 * (the manager at the till, or one who types their login and password here). The server
 * checks the approver's rights and password; this dialog only collects them.
 */
export class OmsOverrideDialog extends Component {
    static template = "luxury_oms.OmsOverrideDialog";
    static components = { Dialog };
    static props = {
        product: String,
        needsApprover: Boolean,
        getPayload: Function,
        close: Function,
    };

    setup() {
        this.state = useState({ reason: "", login: "", password: "", error: "" });
    }

    confirm() {
        if (!this.state.reason.trim()) {
            this.state.error = "reason";
            return;
        }
        if (this.props.needsApprover && !(this.state.login && this.state.password)) {
            this.state.error = "approver";
            return;
        }
        this.props.getPayload({
            reason: this.state.reason.trim(),
            login: this.props.needsApprover ? this.state.login : false,
            password: this.props.needsApprover ? this.state.password : false,
        });
        this.props.close();
    }
}

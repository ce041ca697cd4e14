import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { ConnectionLostError } from "@web/core/network/rpc";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";
import { TextInputPopup } from "@point_of_sale/app/components/popups/text_input_popup/text_input_popup";
import { ask, makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";

/**
 * Before a boutique order is paid, the OMS checks that its units are available to sell
 * here for this client (a unit reserved for a web order or held for a VIP is not sold by
 * mistake). When short, the advisor sees why; a boutique manager may override with a
 * reason, which the server logs. The synced order takes the stock again under the lock.
 */
patch(PaymentScreen.prototype, {
    async validateOrder(isForceValidate = false) {
        if (this.pos.config.oms_channel_id && !(await this.omsCheckStock())) {
            return;
        }
        return super.validateOrder(...arguments);
    },

    omsSoldLines() {
        return this.currentOrder.lines
            .filter((line) => line.product_id && line.qty > 0)
            .map((line) => ({ product_id: line.product_id.id, qty: line.qty }));
    },

    async omsCheckStock() {
        const lines = this.omsSoldLines();
        if (!lines.length) {
            return true;
        }
        const partnerId = this.currentOrder.getPartner()?.id || false;
        let result;
        try {
            result = await this.pos.data.call("pos.config", "oms_check_lines", [
                [this.pos.config.id],
                lines,
                partnerId,
            ]);
        } catch (error) {
            if (!(error instanceof ConnectionLostError)) {
                throw error;
            }
            // Offline: the sale goes on; the server takes the stock when the order syncs and
            // records a "short at sync" exception for the manager if it was not available.
            this.notification.add(
                _t("Offline: stock not checked. The server will verify it at synchronisation."),
                { type: "warning" }
            );
            return true;
        }
        if (result.ok) {
            return true;
        }
        const shortText = result.lines
            .filter((line) => line.short)
            .map((line) =>
                _t("%(product)s: %(qty)s asked, %(available)s available here (%(reason)s)", {
                    product: line.product,
                    qty: line.qty,
                    available: line.available,
                    reason: line.reason,
                })
            )
            .join("\n");
        if (!this.pos.config._oms_is_boutique_manager) {
            this.dialog.add(AlertDialog, {
                title: _t("Not available to sell"),
                body: shortText + "\n" + _t("A boutique manager may override this sale."),
            });
            return false;
        }
        const override = await ask(this.dialog, {
            title: _t("Not available to sell"),
            body: shortText + "\n" + _t("Override and sell anyway? The reason will be logged."),
            confirmLabel: _t("Override"),
            cancelLabel: _t("Cancel"),
        });
        if (!override) {
            return false;
        }
        const reason = await makeAwaitable(this.dialog, TextInputPopup, {
            title: _t("Reason for the override"),
            placeholder: _t("Why sell these units anyway?"),
            rows: 3,
        });
        if (!reason || !reason.trim()) {
            this.dialog.add(AlertDialog, {
                title: _t("Override refused"),
                body: _t("An override needs a reason."),
            });
            return false;
        }
        await this.pos.data.call("pos.config", "oms_manager_override", [
            [this.pos.config.id],
            this.currentOrder.uuid,
            lines,
            reason,
            partnerId,
        ]);
        return true;
    },
});

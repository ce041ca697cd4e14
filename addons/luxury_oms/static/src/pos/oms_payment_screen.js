import { patch } from "@web/core/utils/patch";
import { PaymentScreen } from "@point_of_sale/app/screens/payment_screen/payment_screen";

/**
 * The last guard before a boutique order is paid: each piece was checked when added, but
 * a web order may have taken one since. A short line shows who it is promised to and the
 * alternatives (an approved override keeps it). The synced order takes the stock again
 * under the lock.
 */
patch(PaymentScreen.prototype, {
    async validateOrder(isForceValidate = false) {
        if (this.pos.config.oms_channel_id && !(await this.omsCheckStock())) {
            return;
        }
        return super.validateOrder(...arguments);
    },

    async omsCheckStock() {
        const order = this.currentOrder;
        const products = [
            ...new Set(
                order.lines
                    .filter((line) => line.product_id?.product_tmpl_id?.is_storable && line.qty > 0)
                    .map((line) => line.product_id)
            ),
        ];
        if (!products.length) {
            return true;
        }
        const checked = await this.pos.omsCheckLines(
            order,
            products.map((product) => this.pos.omsOrderLinesOf(order, product))
        );
        for (const line of checked || []) {
            if (line.ok || !line.short) {
                continue;
            }
            const orderLine = order.lines.find((l) => l.product_id?.id === line.product_id);
            if (!(await this.pos.omsResolve(order, orderLine, line))) {
                return false;
            }
        }
        return true;
    },
});

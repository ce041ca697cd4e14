import { patch } from "@web/core/utils/patch";
import { OrderSummary } from "@point_of_sale/app/screens/product_screen/order_summary/order_summary";

/**
 * A quantity raised on the keypad is checked as adding a piece is, not only at Validate:
 * the check runs once the advisor stops typing, and a refusal brings the line back to the
 * quantity checked before.
 */
patch(OrderSummary.prototype, {
    _setValue(val) {
        const order = this.currentOrder;
        const line = order.getSelectedOrderline();
        const before = line?.getQuantity();
        const result = super._setValue(...arguments);
        if (
            line &&
            this.pos.config.oms_channel_id &&
            this.pos.numpadMode === "quantity" &&
            order.lines.includes(line) &&
            line.getQuantity() > before
        ) {
            this.pos.omsQueueQuantityCheck(order, line, before);
        }
        return result;
    },
});

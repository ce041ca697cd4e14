import { patch } from "@web/core/utils/patch";
import { ProductCard } from "@point_of_sale/app/components/product_card/product_card";
import { usePos } from "@point_of_sale/app/hooks/pos_hook";

/** The card of a storable product shows its ATS here and in the rest of the network. */
patch(ProductCard.prototype, {
    setup() {
        super.setup(...arguments);
        this.pos = usePos();
    },

    get omsBadge() {
        if (!this.pos.config.oms_channel_id || this.props.isComboPopup) {
            return null;
        }
        return this.pos.omsBadgeOf(this.props.product);
    },
});

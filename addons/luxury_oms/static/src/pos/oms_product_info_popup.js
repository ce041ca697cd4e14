import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ProductInfoPopup } from "@point_of_sale/app/components/popups/product_info_popup/product_info_popup";
import { ask } from "@point_of_sale/app/utils/make_awaitable_dialog";

/** Turn a stock-out into a sale: order the piece from another site, shipped to the client. */
patch(ProductInfoPopup.prototype, {
    get omsPartner() {
        return this.pos.getOrder()?.getPartner();
    },

    async omsOrderFrom(site) {
        const partner = this.omsPartner;
        const productId = this.props.info.productInfo.oms_product_id;
        if (!partner) {
            this.env.services.dialog.add(AlertDialog, {
                title: _t("Choose the client"),
                body: _t("Select the client to ship to before ordering from %s.", site.name),
            });
            return;
        }
        const confirmed = await ask(this.env.services.dialog, {
            title: _t("Order from %s", site.name),
            body: _t("Ship %(product)s from %(site)s to %(client)s?", {
                product: this.props.productTemplate.display_name,
                site: site.name,
                client: partner.name,
            }),
        });
        if (!confirmed) {
            return;
        }
        const order = await this.pos.data.call("pos.config", "oms_order_elsewhere", [
            [this.pos.config.id],
            productId,
            site.warehouse_id,
            partner.id,
            1,
        ]);
        this.env.services.notification.add(
            _t("Order %(order)s confirmed: shipped from %(site)s.", {
                order: order.name,
                site: site.name,
            }),
            { type: "success" }
        );
        this.props.close();
    },
});

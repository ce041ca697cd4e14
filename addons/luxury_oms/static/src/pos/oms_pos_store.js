import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ConnectionLostError } from "@web/core/network/rpc";
import { PosStore } from "@point_of_sale/app/services/pos_store";
import { makeAwaitable } from "@point_of_sale/app/utils/make_awaitable_dialog";
import { OmsStockDialog } from "./oms_stock_dialog";
import { OmsOverrideDialog } from "./oms_override_dialog";

const BADGE_REFRESH_MS = 60000;
// The server says which products' figures moved (one notification per transaction that
// moved stock in the till's network); close ones are refreshed together.
const AVAILABILITY_NOTIFICATION = "OMS_AVAILABILITY";
const AVAILABILITY_BATCH_MS = 300;
// A quantity typed on the keypad is checked once the advisor stops typing ("1" then "2").
const QUANTITY_CHECK_MS = 400;

/**
 * The boutique till and the OMS: ATS badges on the product cards (one batched call at
 * load, after each synced sale, when the server says stock moved for some products
 * anywhere in the network, and every minute), and the check of a piece the moment it is
 * added to the order or its quantity raised, with the alternatives to offer when it is
 * promised elsewhere.
 */
patch(PosStore.prototype, {
    async afterProcessServerData() {
        const result = await super.afterProcessServerData(...arguments);
        if (this.config.oms_channel_id) {
            this.omsBadges = {};
            this.omsChangedProductIds = new Set();
            this.omsRefreshBadges();
            setInterval(() => this.omsRefreshBadges(), BADGE_REFRESH_MS);
            this.data.connectWebSocket(AVAILABILITY_NOTIFICATION, (payload) =>
                this.omsOnAvailabilityChanged(payload.product_ids)
            );
        }
        return result;
    },

    async syncAllOrders(options = {}) {
        const result = await super.syncAllOrders(...arguments);
        if (this.config.oms_channel_id && Array.isArray(result) && result.length) {
            this.omsRefreshBadges();
        }
        return result;
    },

    omsStorableProductIds() {
        return this.models["product.product"]
            .filter((product) => product.product_tmpl_id?.is_storable)
            .map((product) => product.id);
    },

    /** Refresh the badges of the products whose stock moved elsewhere (those of this till). */
    omsOnAvailabilityChanged(productIds) {
        const storable = new Set(this.omsStorableProductIds());
        for (const productId of productIds || []) {
            if (storable.has(productId)) {
                this.omsChangedProductIds.add(productId);
            }
        }
        if (!this.omsChangedProductIds.size || this.omsChangedTimeout) {
            return;
        }
        this.omsChangedTimeout = setTimeout(() => {
            const changed = [...this.omsChangedProductIds];
            this.omsChangedProductIds.clear();
            this.omsChangedTimeout = null;
            this.omsRefreshBadges(changed);
        }, AVAILABILITY_BATCH_MS);
    },

    /** Refresh the badges of ``productIds`` (every storable product of the till if none). */
    async omsRefreshBadges(productIds = null) {
        try {
            const badges = await this.data.call("pos.config", "oms_stock_badges", [
                [this.config.id],
                productIds || this.omsStorableProductIds(),
                this.getOrder()?.getPartner()?.id || false,
            ]);
            this.omsBadges = productIds ? { ...this.omsBadges, ...badges } : badges;
        } catch (error) {
            if (!(error instanceof ConnectionLostError)) {
                throw error;
            }
            // Offline: the badges keep their last figures until the next refresh.
        }
    },

    /** The texts of ``order``'s receipt in its client's language (see
     * ``pos.config.oms_receipt_texts``), asked once per client and products; null when
     * there is no client, they read the till's language, or the till is offline. */
    async omsReceiptTexts(order) {
        const partner = order.getPartner();
        if (!partner) {
            return null;
        }
        const productIds = [...new Set(order.lines.map((line) => line.product_id.id))].sort();
        const key = `${partner.id}:${productIds.join(",")}`;
        this.omsReceiptTextsCache ||= {};
        if (!(key in this.omsReceiptTextsCache)) {
            try {
                this.omsReceiptTextsCache[key] = await this.data.call(
                    "pos.config",
                    "oms_receipt_texts",
                    [[this.config.id], partner.id, productIds]
                );
            } catch (error) {
                if (!(error instanceof ConnectionLostError)) {
                    throw error;
                }
                return null;
            }
        }
        return this.omsReceiptTextsCache[key];
    },

    /** ``{here, network}`` of a product template (its variants summed), or null. */
    omsBadgeOf(productTemplate) {
        const badges = this.omsBadges;
        if (!badges || !productTemplate.is_storable) {
            return null;
        }
        const figures = productTemplate.product_variant_ids
            .map((variant) => badges[variant.id])
            .filter(Boolean);
        if (!figures.length) {
            return null;
        }
        return {
            here: figures.reduce((total, figure) => total + figure.here, 0),
            network: figures.reduce((total, figure) => total + figure.network, 0),
        };
    },

    async addLineToOrder(vals, order, opts = {}, configure = true) {
        // A piece added again merges into its line: refused, the line keeps what it had.
        const qtyBefore = new Map((order?.lines || []).map((line) => [line, line.qty]));
        const line = await super.addLineToOrder(...arguments);
        if (line && this.config.oms_channel_id && !opts.omsChecked) {
            await this.omsCheckAddedLine(order, line, qtyBefore.get(line) || 0);
        }
        return line;
    },

    omsOrderLinesOf(order, product) {
        const lines = order.lines.filter((line) => line.product_id?.id === product.id);
        return {
            product_id: product.id,
            qty: lines.reduce((total, line) => total + line.qty, 0),
            lot_names: lines.flatMap((line) => line.pack_lot_ids.map((lot) => lot.lot_name)),
        };
    },

    /** The server's check of ``lines`` for this order, or null when offline. */
    async omsCheckLines(order, lines) {
        try {
            const result = await this.data.call("pos.config", "oms_check_lines", [
                [this.config.id],
                lines,
                order.getPartner()?.id || false,
                order.uuid,
            ]);
            return result.lines;
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
            return null;
        }
    },

    /** Check the product of ``line`` now, before payment; apply what the advisor chose
     * (refused, the line goes back to ``keptQty``, or leaves the order). */
    async omsCheckAddedLine(order, line, keptQty = 0) {
        const product = line.product_id;
        if (!product?.product_tmpl_id?.is_storable || line.qty <= 0) {
            return;
        }
        const checked = (await this.omsCheckLines(order, [this.omsOrderLinesOf(order, product)]))?.[0];
        if (!checked) {
            return;
        }
        if (checked.ok) {
            const theirs = checked.promised.find((promise) => promise.for_this_client);
            if (theirs) {
                this.notification.add(
                    _t("%(product)s is held for %(client)s: theirs to buy.", {
                        product: checked.product,
                        client: order.getPartner().name,
                    }),
                    { type: "success" }
                );
            }
            return;
        }
        await this.omsResolve(order, line, checked, keptQty);
    },

    /** The advisor raised the quantity of ``line`` from ``checkedQty`` on the keypad: check
     * it once typing stops, as adding a piece is. */
    omsQueueQuantityCheck(order, line, checkedQty) {
        const pending = this.omsPendingQuantity;
        if (pending && pending.line !== line) {
            clearTimeout(pending.timeout);
            this.omsCheckRaisedQuantity(pending.order, pending.line, pending.checkedQty);
        }
        const keptQty = pending?.line === line ? pending.checkedQty : checkedQty;
        clearTimeout(pending?.timeout);
        this.omsPendingQuantity = {
            order,
            line,
            checkedQty: keptQty,
            timeout: setTimeout(() => {
                this.omsPendingQuantity = null;
                this.omsCheckRaisedQuantity(order, line, keptQty);
            }, QUANTITY_CHECK_MS),
        };
    },

    async omsCheckRaisedQuantity(order, line, checkedQty) {
        const product = line.product_id;
        if (
            !order.lines.includes(line) ||
            !product?.product_tmpl_id?.is_storable ||
            line.qty <= checkedQty
        ) {
            return;
        }
        const checked = (await this.omsCheckLines(order, [this.omsOrderLinesOf(order, product)]))?.[0];
        if (checked && !checked.ok) {
            await this.omsResolve(order, line, checked, checkedQty);
        }
    },

    /** Show who the piece is promised to and apply the advisor's choice; resolve whether
     * the line may be sold as it is. Refused, the line goes back to ``keptQty`` (a raised
     * quantity) or leaves the order. */
    async omsResolve(order, line, checked, keptQty = 0) {
        const choice = await makeAwaitable(this.dialog, OmsStockDialog, {
            line: checked,
            client: order.getPartner()?.name || false,
            keptQty,
        });
        return await this.omsApplyChoice(
            order,
            line,
            checked,
            choice || { action: "remove" },
            keptQty
        );
    },

    async omsApplyChoice(order, line, checked, choice, keptQty = 0) {
        const partner = order.getPartner();
        const product = line.product_id;
        if (choice.action === "keep") {
            return true;
        }
        if (choice.action === "override") {
            if (await this.omsOverride(order, checked)) {
                return true;
            }
            this.omsRemoveLine(order, line, keptQty);
            return false;
        }
        this.omsRemoveLine(order, line, keptQty);
        if (choice.action === "other_piece") {
            await this.addLineToOrder(
                { product_tmpl_id: product.product_tmpl_id, product_id: product },
                order,
                { code: { type: "lot", code: choice.lot }, omsChecked: true },
                false
            );
        } else if (choice.action === "reserve") {
            const hold = await this.data.call("pos.config", "oms_reserve_elsewhere", [
                [this.config.id],
                product.id,
                choice.site.warehouse_id,
                partner.id,
                1,
            ]);
            this.notification.add(
                _t("%(product)s reserved at %(site)s for %(client)s (%(hold)s).", {
                    product: checked.product,
                    site: choice.site.name,
                    client: partner.name,
                    hold: hold.name,
                }),
                { type: "success" }
            );
        } else if (choice.action === "ship") {
            const saleOrder = await this.data.call("pos.config", "oms_order_elsewhere", [
                [this.config.id],
                product.id,
                choice.site.warehouse_id,
                partner.id,
                1,
            ]);
            this.notification.add(
                _t("Order %(order)s confirmed: shipped from %(site)s to %(client)s.", {
                    order: saleOrder.name,
                    site: choice.site.name,
                    client: partner.name,
                }),
                { type: "success" }
            );
        }
        this.omsRefreshBadges();
        return false;
    },

    omsRemoveLine(order, line, keptQty = 0) {
        if (!order.lines.includes(line)) {
            return;
        }
        if (keptQty > 0) {
            line.setQuantity(keptQty);
        } else {
            order.removeOrderline(line);
        }
    },

    /** Ask a reason and a manager's approval; the server records the override. */
    async omsOverride(order, checked) {
        const approval = await makeAwaitable(this.dialog, OmsOverrideDialog, {
            product: checked.product,
            needsApprover: !this.config._oms_is_boutique_manager,
        });
        if (!approval) {
            return false;
        }
        try {
            await this.data.call("pos.config", "oms_manager_override", [
                [this.config.id],
                order.uuid,
                [{ product_id: checked.product_id, qty: checked.qty }],
                approval.reason,
                order.getPartner()?.id || false,
                approval.login,
                approval.password,
            ]);
        } catch (error) {
            if (error instanceof ConnectionLostError) {
                throw error;
            }
            this.dialog.add(AlertDialog, {
                title: _t("Override refused"),
                body: error.data?.message || error.message,
            });
            return false;
        }
        return true;
    },
});

import { patch } from "@web/core/utils/patch";
import { SelectLotPopup } from "@point_of_sale/app/components/popups/select_lot_popup/select_lot_popup";

/** A boutique's serial picker says which pieces are promised, and to whom. */
patch(SelectLotPopup.prototype, {
    getSources() {
        const promises = Object.fromEntries(
            (this.props.options || [])
                .filter((option) => option.oms_promise)
                .map((option) => [option.name, option.oms_promise])
        );
        return super.getSources(...arguments).map((source) => ({
            ...source,
            options: (currentInput) =>
                source.options(currentInput).map((option) =>
                    promises[option.label]
                        ? { ...option, label: `${option.label} — ${promises[option.label]}` }
                        : option
                ),
        }));
    },
});

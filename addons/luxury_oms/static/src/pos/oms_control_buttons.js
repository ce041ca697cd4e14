import { patch } from "@web/core/utils/patch";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { OmsPickupPopup } from "./oms_pickup_popup";

patch(ControlButtons.prototype, {
    clickOmsPickups() {
        this.dialog.add(OmsPickupPopup, {});
    },
});

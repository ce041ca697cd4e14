import { patch } from "@web/core/utils/patch";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { OmsReturnPopup } from "./return_popup";

patch(ControlButtons.prototype, {
    clickOmsReturn() {
        this.dialog.add(OmsReturnPopup, {});
    },
});

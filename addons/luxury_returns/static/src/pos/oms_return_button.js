import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { OmsReturnPopup } from "./oms_return_popup";

patch(ControlButtons.prototype, {
    clickOmsReturn() {
        const partner = this.pos.getOrder()?.getPartner();
        if (!partner) {
            this.dialog.add(AlertDialog, {
                title: _t("Choose the client"),
                body: _t("Select the client who returns a piece before opening a return."),
            });
            return;
        }
        this.dialog.add(OmsReturnPopup, { partner });
    },
});

import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("LuxuryReturnsPosTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Tour Return Client"),
            ProductScreen.clickControlButtonMore(),
            { content: "open the returns", trigger: ".o_oms_return_button", run: "click" },
            {
                content: "the client's web order is listed with its returnable scarves",
                trigger: ".o_oms_return_order:contains('Tour Return Scarf'):contains('2 returnable')",
            },
            { trigger: ".o_oms_return_reason", run: "select size" },
            // More than was sold: refused with the reason, nothing created.
            { trigger: ".o_oms_return_qty", run: "edit 5" },
            { trigger: ".o_oms_return_create", run: "click" },
            {
                content: "the refusal says how many may come back",
                trigger: ".modal-body:contains('only 2')",
            },
            Dialog.confirm(),
            { trigger: ".o_oms_return_qty", run: "edit 1" },
            { trigger: ".o_oms_return_create", run: "click" },
            {
                content: "the RMA is confirmed and goes to the authenticity desk",
                trigger: ".modal-body:contains('hand the piece to the authenticity desk')",
            },
            Dialog.confirm(),
        ].flat(),
});

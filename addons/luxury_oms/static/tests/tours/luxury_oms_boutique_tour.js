import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("LuxuryOmsBoutiqueTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            // The only unit here is reserved for a web order: the POS refuses and says why.
            ProductScreen.addOrderline("OMS Tour Bag", "1"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Bank"),
            PaymentScreen.clickValidate(),
            {
                content: "the refusal names the web reservation",
                trigger: ".modal-body:contains('reserved for orders already placed')",
            },
            Dialog.confirm(),
            PaymentScreen.isShown(),
            PaymentScreen.clickBack(),
            // The product popup shows ATS here and elsewhere, and offers to order from there.
            ProductScreen.clickOrderline("OMS Tour Bag", "1"),
            ProductScreen.clickControlButton("Info"),
            {
                content: "no unit available to sell here",
                trigger:
                    ".section-oms-availability .o_oms_site_row:contains('here') .o_oms_site_available:contains('0')",
            },
            {
                content: "order from the DC, which has one",
                trigger: ".section-oms-availability .o_oms_order_from:contains('TDC')",
                run: "click",
            },
            {
                content: "the client must be chosen first",
                trigger: ".modal-body:contains('Select the client')",
            },
            Dialog.confirm(),
            {
                content: "close the product popup",
                trigger: ".modal:not(.o_inactive_modal) .btn-close",
                run: "click",
            },
            // A wrong code is refused; the right one hands the pickup over.
            ProductScreen.clickControlButton("Pickups"),
            {
                content: "search the pickup by client",
                trigger: ".o_oms_pickup_query",
                run: "edit Tour Pickup Client",
            },
            { trigger: ".o_oms_pickup_search", run: "click" },
            { trigger: ".o_oms_pickup_code", run: "edit WRONG9" },
            { trigger: ".o_oms_pickup_collect", run: "click" },
            { trigger: ".o_oms_pickup_error:contains('Wrong pickup code')" },
            { trigger: ".o_oms_pickup_code", run: "edit TOUR23" },
            { trigger: ".o_oms_pickup_collect", run: "click" },
            { trigger: ".o_oms_pickup_message:contains('handed over')" },
        ].flat(),
});

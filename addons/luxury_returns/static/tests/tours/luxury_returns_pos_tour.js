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
            ProductScreen.clickCustomer("Madame Cadogan"),
            ProductScreen.clickControlButton("Return"),
            {
                content: "the client's delivered web order is listed with its serial",
                trigger: ".o_oms_return_order:contains('TRS-001')",
            },
            { trigger: ".o_oms_return_request", run: "click" },
            { trigger: ".o_oms_return_error:contains('Choose the quantity')" },
            { trigger: ".o_oms_return_serial input[data-serial='TRS-001']", run: "click" },
            { trigger: ".o_oms_return_request", run: "click" },
            { trigger: ".o_oms_return_message:contains('authenticity desk')" },
        ].flat(),
});

import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import { registry } from "@web/core/registry";

function panelShows(selector, text) {
    return {
        content: `client panel shows ${text}`,
        trigger: `.o_luxury_client_panel ${selector}:contains("${text}")`,
    };
}

registry.category("web_tour.tours").add("LuxuryClientelingPosPanel", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                content: "no client, no panel",
                trigger: ".product-screen:not(:has(.o_luxury_client_panel))",
            },
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Countess Panel"),
            panelShows(".o_client_panel_tier", "Panel Icon"),
            panelShows(".o_client_panel_advisor", "Panel Advisor"),
            panelShows(".o_client_panel_preferences", "Burgundy"),
            panelShows(".o_client_panel_purchases", "Sale order"),
            panelShows(".o_client_panel_services", "We have received your piece"),
            {
                content: "personal notes never reach the till",
                trigger: ".o_luxury_client_panel:not(:contains('Secret note'))",
            },
        ].flat(),
});

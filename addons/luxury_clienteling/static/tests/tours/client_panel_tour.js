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
            panelShows(".o_client_panel_piece", "Panel Scarf"),
            {
                content: "a piece shows its picture",
                trigger: ".o_luxury_client_panel .o_client_panel_piece img[src*='/web/image/product.product/']",
            },
            panelShows(".o_client_panel_services", "Repair"),
            panelShows(".o_client_panel_services", "Received"),
            panelShows(".o_client_panel_services", "Pickup here"),
            panelShows(".o_client_panel_events", "Haute Joaillerie Preview"),
            {
                content: "no order number among the pieces",
                trigger: ".o_luxury_client_panel .o_client_panel_pieces:not(:contains('S0'))",
            },
            {
                content: "personal notes never reach a seller who may not read them",
                trigger: ".o_luxury_client_panel:not(:contains('Secret note'))",
            },
            {
                content: "close the panel",
                trigger: ".o_luxury_client_panel .o_client_panel_close",
                run: "click",
            },
            {
                content: "the bar reopens it",
                trigger: ".product-screen:not(:has(.o_luxury_client_panel)) .o_luxury_client_bar:contains('Countess Panel')",
                run: "click",
            },
            panelShows(".o_client_panel_tier", "Panel Icon"),
        ].flat(),
});

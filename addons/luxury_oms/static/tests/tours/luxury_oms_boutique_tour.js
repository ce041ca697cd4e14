import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import { registry } from "@web/core/registry";

const BAG_CARD = ".product:has(.product-name:contains('OMS Tour Bag'))";
const STOCK_DIALOG = ".modal .o_oms_stock_dialog";

function tourBag() {
    return posmodel.models["product.product"].find((product) => product.name === "OMS Tour Bag");
}

registry.category("web_tour.tours").add("LuxuryOmsBoutiqueTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            // The card says it at once: nothing free here, one piece in the network.
            {
                content: "the bag's card shows its ATS here and in the network",
                trigger: `${BAG_CARD} .o_oms_ats_badge:has(.o_oms_ats_here:contains('0')):has(.o_oms_ats_network:contains('1'))`,
            },
            {
                content: "the scarf's card: none free here (it waits for its pickup)",
                trigger: ".product:has(.product-name:contains('OMS Tour Scarf')) .o_oms_ats_here:contains('0')",
            },
            // Adding the bag checks it now, before any payment.
            ProductScreen.clickDisplayedProduct("OMS Tour Bag"),
            {
                content: "the check names the web order and its client",
                trigger: `${STOCK_DIALOG} .o_oms_promise:contains('Reserved for order'):contains('Tour Web Client')`,
            },
            {
                content: "the alternatives come first: the DC has one",
                trigger: `${STOCK_DIALOG} .o_oms_elsewhere:contains('Tour DC') .o_oms_reserve.btn-primary`,
            },
            {
                content: "the override is a secondary action",
                trigger: ".modal-footer .o_oms_override.btn-link:not(.btn-primary)",
                run: "click",
            },
            {
                content: "no reason, no override",
                trigger: ".modal .o_oms_override_confirm",
                run: "click",
            },
            { trigger: ".modal .o_oms_override_error:contains('needs a reason')" },
            {
                trigger: ".modal .o_oms_override_reason",
                run: "edit Client leaves for Tokyo tonight",
            },
            { trigger: ".modal .o_oms_approver_login", run: "edit tour_manager" },
            { trigger: ".modal .o_oms_approver_password", run: "edit wrong-password" },
            { trigger: ".modal .o_oms_override_confirm", run: "click" },
            {
                content: "the server refuses a wrong approval",
                trigger: ".modal-body:contains('wrong login or password')",
            },
            Dialog.confirm(),
            ProductScreen.orderIsEmpty(),
            // Again, approved by the manager this time: the bag stays and is paid.
            ProductScreen.clickDisplayedProduct("OMS Tour Bag"),
            { trigger: `${STOCK_DIALOG} .o_oms_override`, run: "click" },
            {
                trigger: ".modal .o_oms_override_reason",
                run: "edit Client leaves for Tokyo tonight",
            },
            { trigger: ".modal .o_oms_approver_login", run: "edit tour_manager" },
            { trigger: ".modal .o_oms_approver_password", run: "edit tour-manager-pw" },
            { trigger: ".modal .o_oms_override_confirm", run: "click" },
            ProductScreen.selectedOrderlineHas("OMS Tour Bag", "1"),
            // The client reads French: the receipt will speak it.
            ProductScreen.clickPartnerButton(),
            ProductScreen.clickCustomer("Tour Client FR"),
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Bank"),
            PaymentScreen.clickValidate(),
            {
                content: "the sale is synced (the server takes the stock): the receipt shows",
                trigger: ".pos .receipt-screen",
                timeout: 30000,
            },
            {
                content: "the receipt names the boutique and its address",
                trigger: ".pos-receipt .o_oms_receipt_boutique",
            },
            {
                content: "the receipt's labels are in the client's language",
                trigger: ".pos-receipt.o_oms_client_language[lang=fr-FR]:contains('Servi par')",
            },
            {
                content: "so is the piece's name",
                trigger: ".pos-receipt.o_oms_client_language:contains('Sac de tournée'):not(:contains('OMS Tour Bag'))",
            },
            ReceiptScreen.clickNextOrder(),
            // Stock moved elsewhere: the server names the products, their badges are read again.
            {
                content: "the bag's card shows a figure gone stale",
                trigger: BAG_CARD,
                run() {
                    posmodel.omsBadges = { ...posmodel.omsBadges, [tourBag().id]: { here: 7, network: 7 } };
                },
            },
            { trigger: `${BAG_CARD} .o_oms_ats_here:contains('7')` },
            {
                content: "the bus says the bag's stock moved",
                trigger: BAG_CARD,
                run() {
                    const listener = posmodel.data.channels.find(
                        (channel) => channel.channel === "OMS_AVAILABILITY"
                    );
                    listener.method({ product_ids: [tourBag().id] });
                },
            },
            {
                content: "the bag's badge is read again from the server",
                trigger: `${BAG_CARD} .o_oms_ats_badge:not(:contains('7'))`,
            },
            // The serial picker says which piece is promised; taking it offers the free one.
            ProductScreen.clickDisplayedProduct("OMS Tour Watch"),
            { trigger: ".o-autocomplete input", run: "edit TW" },
            {
                content: "the promised serial says to whom",
                trigger: ".o-autocomplete--dropdown-item a:contains('TW-1'):contains('promised'):contains('Tour Web Client')",
            },
            ...ProductScreen.enterExistingLotNumber("TW-1"),
            {
                content: "the piece in hand is promised: another piece here is offered first",
                trigger: `${STOCK_DIALOG} .o_oms_other_piece:contains('TW-2')`,
                run: "click",
            },
            {
                content: "the line now sells the free piece",
                trigger: ".order-container .orderline:contains('OMS Tour Watch'):contains('TW-2')",
            },
            // A quantity raised on the keypad is checked at once, not at Validate.
            ProductScreen.clickDisplayedProduct("OMS Tour Belt"),
            ProductScreen.selectedOrderlineHas("OMS Tour Belt", "1"),
            ProductScreen.clickNumpad("2"),
            {
                content: "two belts asked, one free here: the check says so at once",
                trigger: `${STOCK_DIALOG}:contains('1 available to sell here for 2 asked')`,
            },
            {
                content: "refused, the line goes back to the quantity checked",
                trigger: ".modal-footer .o_oms_remove:contains('Sell 1 only')",
                run: "click",
            },
            ProductScreen.selectedOrderlineHas("OMS Tour Belt", "1"),
            // Added again, it merges into its line: refused, the line keeps its one belt.
            ProductScreen.clickDisplayedProduct("OMS Tour Belt"),
            {
                content: "a second belt is checked as the first was",
                trigger: ".modal-footer .o_oms_remove:contains('Sell 1 only')",
                run: "click",
            },
            ProductScreen.selectedOrderlineHas("OMS Tour Belt", "1"),
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

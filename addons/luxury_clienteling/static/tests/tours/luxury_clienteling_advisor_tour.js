import { registry } from "@web/core/registry";

// A number with a currency symbol or code beside it, as Odoo's monetary fields show it.
const HAS_CURRENCY = /[^\d\s.,\u00a0\u202f-]/;

function checkCurrency(what) {
    return ({ anchor }) => {
        if (!HAS_CURRENCY.test(anchor.textContent)) {
            throw new Error(`${what} has no currency: ${anchor.textContent}`);
        }
    };
}

function openMenu(xmlid) {
    return [
        {
            content: "open the Clienteling menu",
            trigger: "button[data-menu-xmlid='luxury_clienteling.luxury_clienteling_menu_root']",
            run: "click",
        },
        {
            content: `open ${xmlid}`,
            trigger: `.o-dropdown-item[data-menu-xmlid='luxury_clienteling.${xmlid}']`,
            run: "click",
        },
    ];
}

/**
 * The client advisor of the demo maison (login advisor): the client book, a client's 360,
 * a repair and a press loan, as the screens show them: amounts with their currency, days
 * without a clock time, products by their name, nothing offered that makes no sense yet.
 */
registry.category("web_tour.tours").add("LuxuryClientelingAdvisorTour", {
    steps: () => [
        {
            content: "the client book opens on the advisor's own clients",
            trigger: ".o_searchview_facet:contains('My Clients')",
        },
        {
            content: "the whole book",
            trigger: ".o_searchview_facet:contains('My Clients') .o_facet_remove",
            run: "click",
        },
        {
            content: "open a client",
            trigger: ".o_kanban_record:contains('Camille Laurent')",
            run: "click",
        },
        {
            content: "the 360 opens at a glance",
            trigger: ".o_luxury_client_form .o_form_label:contains('Last purchase')",
        },
        {
            content: "the last purchase is a day, not a clock time",
            trigger: ".o_field_widget[name=clienteling_last_purchase_date]",
            run({ anchor }) {
                if (/\d:\d\d/.test(anchor.textContent)) {
                    throw new Error(`the last purchase shows a time: ${anchor.textContent}`);
                }
            },
        },
        {
            content: "her purchases, in their currency",
            trigger: ".o_field_widget[name=clienteling_purchase_ids] td[name=amount_total]",
            run: checkCurrency("a purchase"),
        },
        ...openMenu("luxury_client_repair_menu"),
        {
            content: "the open repairs",
            trigger: ".o_list_renderer .o_data_row:contains('Zoé Lefèvre') td[name=name]",
            run: "click",
        },
        {
            content: "what to tell the client",
            trigger: ".alert-info:contains('Tell the client')",
        },
        {
            content: "the piece by its name, its serial once",
            trigger: ".o_form_sheet:has(.o_field_widget[name=lot_id]):not(:has(.o_field_widget[name=serial_number])) .o_field_widget[name=lot_product_id]:not(:contains('['))",
        },
        {
            content: "the quote in its currency",
            trigger: ".o_field_widget[name=quote_amount]",
            run: checkCurrency("the quote"),
        },
        {
            content: "a new repair: nothing to cancel, nothing to tell the client yet",
            trigger: ".o_control_panel_main_buttons .o_form_button_create",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_editable:not(:has(button[name=action_cancel])):not(:has(.alert-info))",
        },
        {
            content: "it is called New until it has its reference, not '/'",
            trigger: ".o_form_editable h1:contains('New'):not(:contains('/'))",
        },
        { content: "leave it", trigger: ".o_form_button_cancel", run: "click" },
        ...openMenu("luxury_client_loan_menu"),
        {
            content: "the press loans",
            trigger: ".o_list_renderer .o_data_row:contains('Vogue Paris') td[name=name]",
            run: "click",
        },
        {
            content: "the lent serial and its product by name",
            trigger: ".o_field_widget[name=lot_ids] .o_data_row td[name=product_id]:not(:contains('['))",
        },
        {
            content: "out on loan: the return is what comes next",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Out on loan')",
        },
        { trigger: "button[name=action_return]" },
    ],
});

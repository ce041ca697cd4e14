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

/**
 * The returns clerk of the demo maison (login service) checks a bracelet sent back through
 * the web: the piece counted as one, amounts in the order's currency, the serial read on
 * the piece, the hidden mark typed in its own entry, each step passed, then the refund,
 * whose credit note says how much and in which currency.
 */
let serialSold = "";

registry.category("web_tour.tours").add("LuxuryReturnsClerkDemoTour", {
    steps: () => [
        {
            content: "the form explains what to do while checking",
            trigger: ".alert-info:contains('Enter Mark')",
        },
        {
            content: "the piece is one, not 1.00",
            trigger: ".o_field_widget[name=line_ids] td[name=qty]:contains('1'):not(:contains('1.00'))",
        },
        {
            content: "the product's whole name shows, wrapped rather than cut",
            trigger: ".o_field_widget[name=line_ids] td[name=product_id].text-wrap:not(:contains('…'))",
        },
        {
            content: "the item's amount carries its currency",
            trigger: ".o_field_widget[name=line_ids] td[name=price_subtotal]",
            run: checkCurrency("the item's amount"),
        },
        {
            content: "the total carries its currency",
            trigger: ".oe_subtotal_footer .o_field_widget[name=amount_total]",
            run: checkCurrency("the total"),
        },
        {
            content: "the serial sold is named",
            trigger: ".o_field_widget[name=line_ids] td[name=lot_id]",
            run({ anchor }) {
                serialSold = anchor.textContent.trim();
                if (!serialSold) {
                    throw new Error(`no serial sold on the line: ${anchor.outerHTML}`);
                }
            },
        },
        {
            content: "type the serial read on the piece",
            trigger: ".o_field_widget[name=line_ids] td[name=received_serial]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=line_ids] .o_selected_row td[name=received_serial] input",
            run({ anchor }) {
                anchor.value = serialSold;
                anchor.dispatchEvent(new Event("input", { bubbles: true }));
                anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        { content: "save the serial read", trigger: ".o_form_button_save", run: "click" },
        { trigger: ".o_form_saved" },
        { content: "open the steps", trigger: "a.nav-link:contains('Authenticity Steps')", run: "click" },
        {
            content: "the serial read matches the one sold: its step passed",
            trigger: ".o_data_row:contains('Serial number'):contains('Passed')",
        },
        {
            content: "the hidden identifier step offers its own entry",
            trigger: ".o_data_row:contains('Hidden identifier') button[name=action_enter_hidden_mark]",
            run: "click",
        },
        {
            content: "the entry says what happens to the mark",
            trigger: ".modal:contains('One attempt per piece')",
        },
        {
            trigger: ".modal .o_field_widget[name=hidden_mark_entry] input",
            run: "edit MARK-TOUR-001",
        },
        { trigger: ".modal button:contains('Check the Mark')", run: "click" },
        {
            content: "the mark matched; no second attempt is offered",
            trigger: ".o_data_row:contains('Hidden identifier'):contains('Passed'):not(:has(button[name=action_enter_hidden_mark]))",
        },
        ...["Packaging", "Accessories", "Photos"].flatMap((step) => [
            {
                content: `pass the ${step} step`,
                trigger: `.o_data_row:contains('${step}') button[name=action_pass]`,
                run: "click",
            },
            { trigger: `.o_data_row:contains('${step}'):contains('Passed')` },
        ]),
        {
            content: "every step passed: the verdict says so",
            trigger: ".o_field_widget[name=verdict]:contains('Authentic')",
        },
        { trigger: "button[name=action_conclude]", run: "click" },
        {
            content: "authentic: restock and refund",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Authentic')",
        },
        { trigger: "button[name=action_refund]", run: "click" },
        { content: "confirm", trigger: ".modal-footer .btn-primary", run: "click" },
        {
            content: "refunded",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Refunded')",
        },
        {
            content: "the credit note says how much, in the order's currency",
            trigger: "button[name=action_view_credit_note] .o_stat_value",
            run: checkCurrency("the credit note"),
        },
        { content: "the refund on the outcome too", trigger: "a.nav-link:contains('Outcome')", run: "click" },
        {
            trigger: ".o_field_widget[name=refund_amount]",
            run: checkCurrency("the refund"),
        },
    ],
});

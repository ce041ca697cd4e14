import { registry } from "@web/core/registry";

/**
 * The returns clerk checks a received bag on its return: the hidden mark has its own entry
 * on its step, the piece's quantity reads as a whole number and the total carries its
 * currency.
 */
registry.category("web_tour.tours").add("LuxuryReturnsClerkTour", {
    steps: () => [
        {
            content: "the bag is counted as one piece, not 1.00",
            trigger: ".o_field_widget[name=line_ids] td[name=qty]:contains('1'):not(:contains('1.00'))",
        },
        {
            content: "the total carries the order's currency",
            trigger: ".oe_subtotal_footer .o_field_widget[name=amount_total]",
            run({ anchor }) {
                const text = anchor.textContent;
                if (!/[^\d\s.,\u00a0\u202f]/.test(text)) {
                    throw new Error(`the total has no currency: ${text}`);
                }
            },
        },
        { content: "open the steps", trigger: "a.nav-link:contains('Authenticity Steps')", run: "click" },
        {
            content: "the hidden identifier step offers its entry",
            trigger: ".o_data_row:contains('Hidden identifier') button[name=action_enter_hidden_mark]",
            run: "click",
        },
        {
            content: "type the mark read on the piece",
            trigger: ".modal .o_field_widget[name=hidden_mark_entry] input",
            run: "edit HM-AAA",
        },
        { content: "check it", trigger: ".modal button:contains('Check the Mark')", run: "click" },
        {
            content: "the step passed and offers no second attempt",
            trigger: ".o_data_row:contains('Hidden identifier'):contains('Passed'):not(:has(button[name=action_enter_hidden_mark]))",
        },
    ],
});

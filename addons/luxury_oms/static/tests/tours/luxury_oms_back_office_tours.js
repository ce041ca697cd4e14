import { registry } from "@web/core/registry";

// The order-side back office as the demo colleagues use it (README "Demo logins"): each
// step checks the text a person reads, and a console error fails the tour.

function menu(top, item) {
    return [
        {
            content: `open the ${top} menu`,
            trigger: `.o_main_navbar .o_menu_sections button:text('${top}')`,
            run: "click",
        },
        {
            content: `choose ${item}`,
            trigger: `.o-dropdown--menu .o-dropdown-item:text('${item}')`,
            run: "click",
        },
    ];
}

// Customer service: the order list with its OMS columns, an order with the reason of its
// site, its sourcing plan, its floor progress, then the API requests.
registry.category("web_tour.tours").add("LuxuryOmsBackOffice_service", {
    steps: () => [
        ...menu("Orders", "Orders"),
        { content: "the channel column", trigger: "th[data-name=oms_channel_id]:contains('Channel')" },
        { content: "the client tier column", trigger: "th[data-name=oms_client_tier_id]" },
        { content: "the service level column", trigger: "th[data-name=oms_service_level]" },
        { content: "the fraud column", trigger: "th[data-name=oms_fraud_state]" },
        {
            content: "a pound order shows its pounds",
            trigger: ".o_data_row:contains('Eleanor Whitfield') td[name=amount_total]:contains('£')",
        },
        {
            content: "open the order of the quality control re-sourcing",
            trigger: ".o_data_row:contains('Eleanor Whitfield') td[name=name]",
            run: "click",
        },
        {
            content: "the order says where it ships from",
            trigger: ".o_field_widget[name=oms_ships_from_ids] .o_tag",
        },
        {
            content: "and why that site",
            trigger: ".o_field_widget[name=oms_sourcing_explanation]:contains('matched the order')",
        },
        {
            content: "its floor progress: steps done out of all",
            trigger: "button[name=action_oms_view_floor_tasks]:contains('Floor Steps Done')",
            run: "click",
        },
        {
            content: "the order's floor steps, parcel by parcel",
            trigger: ".o_breadcrumb:contains('Fulfilment of S000')",
        },
        { trigger: ".o_list_view .o_data_row td[name=state]:contains('Done')" },
        {
            content: "back to the order",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('S000'):not(:contains('Fulfilment'))",
            run: "click",
        },
        {
            content: "open its sourcing plans",
            trigger: "button[name=action_oms_view_sourcing_plans]",
            run: "click",
        },
        {
            content: "open the current plan",
            trigger: ".o_data_row:not(.text-muted) td[name=order_id]",
            run: "click",
        },
        {
            content: "the plan has a name a person would give",
            trigger: ".o_form_view h1:contains('Plan of S000')",
        },
        { content: "and says why these sites", trigger: ".o_form_view .alert:contains('Why these sites')" },
        ...menu("Orders", "API Orders Received"),
        {
            content: "the API requests show the client and the amount",
            trigger: ".o_data_row:contains('DEMO-QC-RESOURCED'):contains('Eleanor Whitfield'):contains('£')",
        },
        {
            content: "open it",
            trigger: ".o_data_row td[name=external_ref]:contains('DEMO-QC-RESOURCED')",
            run: "click",
        },
        { content: "its form", trigger: ".o_form_view h1:contains('DEMO-QC-RESOURCED')" },
        {
            content: "the request, readable",
            trigger: ".o_field_widget[name=payload_pretty]:contains('BAG-VOYAGE-45-NOIR')",
        },
    ],
});

// The fraud reviewer: the held orders, one order's reasons with their currencies and the
// rule that held it, then the approval with a reason.
registry.category("web_tour.tours").add("LuxuryOmsBackOffice_fraud", {
    steps: () => [
        {
            content: "the held orders, their score as a whole number",
            trigger: ".o_kanban_group:contains('Held') .o_kanban_record:contains('Alex Martin') .badge:contains('110')",
        },
        {
            content: "their amount in its currency",
            trigger: ".o_kanban_record:contains('Alex Martin'):contains('€')",
            run: "click",
        },
        { content: "open the fraud page", trigger: "a.nav-link[name=oms_fraud]", run: "click" },
        {
            content: "why held, which rule",
            trigger: ".o_field_widget[name=oms_fraud_explanation]:contains('reaches the hold score 100')",
        },
        {
            content: "the reasons carry their currency",
            trigger: ".o_field_widget[name=oms_fraud_line_ids] td:contains('EUR')",
        },
        { content: "approve", trigger: "button[name=action_oms_fraud_approve]", run: "click" },
        {
            content: "the wizard lists the order with its amount",
            trigger: ".modal .o_field_widget[name=order_ids] td:contains('€')",
        },
        {
            content: "say why",
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: "edit Client called back, card holder verified",
        },
        { content: "confirm", trigger: ".modal button[name=action_confirm]", run: "click" },
        {
            content: "the order is approved",
            trigger: ".o_form_view .o_field_widget[name=oms_fraud_state]:contains('Approved')",
        },
    ],
});

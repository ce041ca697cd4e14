import { registry } from "@web/core/registry";

// The stock controller's and the manager's screens on the demo maison (issue 21): each rule
// says in words what it does, figures read as a person reads them.

function openMenu(sectionXmlid, menuXmlid, breadcrumb) {
    return [
        {
            content: `open the menu ${sectionXmlid}`,
            trigger: `.o_menu_sections button[data-menu-xmlid='${sectionXmlid}']`,
            run: "click",
        },
        {
            content: `choose ${menuXmlid}`,
            trigger: `.o-dropdown-item[data-menu-xmlid='${menuXmlid}']`,
            run: "click",
        },
        { content: `${breadcrumb} is open`, trigger: `.o_breadcrumb:contains('${breadcrumb}')` },
    ];
}

function openRow(text, title) {
    return openRecord(".o_data_row .o_data_cell", text, title);
}

function openRecord(selector, text, title) {
    return [
        { content: `open ${text}`, trigger: `${selector}:contains('${text}')`, run: "click" },
        { content: `the form of ${title}`, trigger: `.o_breadcrumb:contains('${title}')` },
    ];
}

function openTab(name) {
    return {
        content: `open the tab ${name}`,
        trigger: `.o_notebook .nav-link:contains('${name}')`,
        run: "click",
    };
}

const STOCK = "luxury_oms.luxury_oms_menu_stock";
const CONFIG = "luxury_oms.luxury_oms_menu_config";

registry.category("web_tour.tours").add("LuxuryOmsConfigScreens_stock", {
    steps: () => [
        // Home: the Available to Sell matrix, whole numbers.
        { trigger: ".o_breadcrumb:contains('Available to Sell')" },
        { trigger: ".o_pivot .o_pivot_cell_value" },
        {
            content: "no quantity of pieces with decimals",
            trigger: ".o_pivot:not(:has(.o_pivot_cell_value:contains('.00')))",
        },
        // A buffer rule, in words, with the rule that wins when several match.
        ...openMenu(STOCK, "luxury_oms.luxury_oms_buffer_rule_menu", "Buffer Stock Rules"),
        { trigger: ".o_data_row td:contains('1 unit')" },
        // A New rule left blank is refused, in words.
        {
            content: "a new rule",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        { trigger: ".o_buffer_rule_effect:contains('Choose what this rule applies to')" },
        { content: "save it blank", trigger: ".o_form_button_save", run: "click" },
        { trigger: ".modal:contains('withholds nothing does nothing')" },
        { content: "close the message", trigger: ".modal .btn-primary", run: "click" },
        { content: "discard the blank rule", trigger: ".o_form_button_cancel", run: "click" },
        { trigger: ".o_breadcrumb:contains('Buffer Stock Rules'):not(:contains('Everything'))" },
        ...openRow("One watch of each reference", "One watch of each reference"),
        { trigger: ".o_buffer_rule_effect:contains('Keeps 1 unit of every product of')" },
        { trigger: ".o_buffer_rule_effect:contains('at Paris Distribution Centre')" },
        { trigger: ".o_form_sheet:contains('When several rules match')" },
        { trigger: ".o_form_sheet:contains('the lowest sequence wins, then the oldest rule')" },
        // VIP holds: who, until when; Release only on a saved hold.
        ...openMenu(STOCK, "luxury_oms.luxury_oms_hold_menu", "VIP Holds"),
        { trigger: ".o_data_row td:contains('Platinum clients and above')" },
        ...openRow("Camille Laurent", "HOLD/"),
        { trigger: ".o_form_view .o_statusbar_buttons button[name='action_release']" },
        { trigger: ".o_field_widget[name='remaining_qty']:contains('1'):not(:contains('1.00'))" },
        {
            content: "create a hold",
            trigger: ".o_control_panel_main_buttons .o_form_button_create",
            run: "click",
        },
        { trigger: ".o_breadcrumb:contains('New')" },
        {
            content: "no Release on a hold that keeps nothing yet",
            trigger:
                ".o_form_view:not(:has(button[name='action_release'])) [name='product_id'] input",
        },
        { content: "discard", trigger: ".o_form_button_cancel", run: "click" },
        // A product's availability tab: the rule per site, by name.
        ...openMenu(STOCK, "luxury_oms.luxury_oms_stock_slot_menu", "Available to Sell"),
        { content: "the list", trigger: ".o_switch_view.o_list", run: "click" },
        {
            content: "open a piece's figures at the DC",
            trigger: ".o_data_row .o_data_cell:contains('Paris Distribution Centre')",
            run: "click",
        },
        {
            content: "open the product",
            trigger: ".o_form_view .oe_title .o_field_widget[name='product_id'] a",
            run: "click",
        },
        openTab("Availability"),
        { trigger: ".o_oms_availability th:contains('Buffer rule')" },
        { trigger: ".o_oms_availability td:contains('Paris Faubourg Flagship')" },
    ],
});

registry.category("web_tour.tours").add("LuxuryOmsConfigScreens_manager", {
    steps: () => [
        { trigger: ".o_luxury_oms_overview" },
        // Channels: what they sell from, in words, and their buffers.
        ...openMenu(CONFIG, "luxury_oms.luxury_oms_channel_menu", "Channels"),
        { trigger: ".o_kanban_record:contains('Web France'):contains('2 sites')" },
        {
            content: "no plural for one",
            trigger: ".o_kanban_view:not(:has(.o_kanban_record:contains('1 sites')))",
        },
        ...openRecord(".o_kanban_record", "Web France", "Web France"),
        { trigger: ".oe_stat_button[name='action_view_buffer_rules']:contains('Buffers')" },
        openTab("Buffers"),
        { trigger: ".o_field_widget[name='buffer_rule_ids'] td:contains('25% of on hand')" },
        // A sourcing strategy says what it does.
        ...openMenu(CONFIG, "luxury_oms.luxury_oms_sourcing_strategy_menu", "Sourcing Strategies"),
        ...openRow("Maison network", "Maison network"),
        { trigger: ".o_sourcing_strategy_explanation:contains('Decides where the orders of')" },
        { trigger: ".o_sourcing_strategy_explanation:contains('When no rule matches')" },
        { trigger: ".o_sourcing_strategy_explanation:contains('%)')" },
        // Tiers: what a rank means.
        ...openMenu(CONFIG, "luxury_oms.luxury_oms_tier_menu", "Client Tiers"),
        ...openRow("Gold", "Gold"),
        { trigger: ".o_tier_rank_description:contains('also takes the clients of Platinum')" },
        // Sites: the floor alert names a tier, not a rank.
        ...openMenu(CONFIG, "luxury_oms.luxury_oms_menu_site", "Sites"),
        ...openRow("Paris Faubourg Flagship", "Paris Faubourg Flagship"),
        openTab("OMS Site"),
        { trigger: ".o_field_widget[name='oms_vip_alert_tier_id'] input:value('Platinum')" },
        {
            content: "no rank number for the alert",
            trigger: ".o_form_view:not(:has(.o_field_widget[name='oms_vip_alert_rank']))",
        },
    ],
});

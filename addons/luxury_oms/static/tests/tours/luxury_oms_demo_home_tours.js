import { registry } from "@web/core/registry";

// Each demo role logs in and lands on the screen its work starts from (README "Demo logins").
const HOMES = {
    service: [".o_luxury_oms_overview .o_kanban_record:contains('Orders to confirm')"],
    manager: [".o_luxury_oms_overview .o_kanban_record:contains('Late parcels')"],
    floor: [".o_breadcrumb:contains('Floor')", ".o_kanban_record:not(.o_kanban_ghost)"],
    stock: [".o_breadcrumb:contains('Available to Sell')", ".o_pivot .o_pivot_cell_value"],
    fraud: [".o_breadcrumb:contains('Fraud Review')", ".o_kanban_record:contains('Alex Martin')"],
    advisor: [".o_kanban_record:contains('Paris Faubourg Flagship till')"],
};

for (const [login, triggers] of Object.entries(HOMES)) {
    registry.category("web_tour.tours").add(`LuxuryOmsDemoHome_${login}`, {
        steps: () =>
            triggers.map((trigger) => ({
                content: `${login} lands on their home: ${trigger}`,
                trigger,
            })),
    });
}

import { registry } from "@web/core/registry";

// A floor user opens a sold piece: its passport says where it went, not to whom nor for how
// much; its marks show as hints only.
registry.category("web_tour.tours").add("LuxuryOmsPassportTour", {
    steps: () => [
        {
            content: "the piece's passport is the first tab",
            trigger: ".o_notebook .nav-link:contains('Passport')",
            run: "click",
        },
        {
            content: "received from the workshop",
            trigger: ".o_passport_timeline tr[data-kind='received']:contains('Atelier Pantin')",
        },
        {
            content: "sold, without the client's name",
            trigger: ".o_passport_timeline tr[data-kind='sold']:not(:contains('Test Client'))",
        },
        {
            content: "handed to the courier",
            trigger: ".o_passport_timeline tr[data-kind='shipped']:contains('Jean, Maison Courier')",
        },
        {
            content: "the certificate was issued",
            trigger: ".o_passport_timeline tr[data-kind='certified']",
        },
        {
            content: "the authenticity tab",
            trigger: ".o_notebook .nav-link:contains('Authenticity')",
            run: "click",
        },
        {
            content: "the engraving shows as a hint only",
            trigger: ".o_field_widget[name='passport_mark_hint']:contains('••••7F')",
        },
        {
            content: "a floor user cannot type a mark",
            trigger: ".o_form_view:not(:has(.o_field_widget[name='passport_engraving_entry']))",
        },
    ],
});

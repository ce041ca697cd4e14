import { App, markup, onWillStart } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { getTemplate } from "@web/core/templates";
import { customDirectives, globalValues } from "@web/env";
import { OrderReceipt } from "@point_of_sale/app/screens/receipt_screen/receipt/order_receipt";
import { Orderline } from "@point_of_sale/app/components/orderline/orderline";

/**
 * A boutique's receipt speaks the client's language: when the client set on the order
 * reads another language than the till's, the receipt is rendered once more, in a small
 * OWL app of its own whose templates are translated with the terms of the client's
 * language (its labels) and whose lines carry the products' names in that language. The
 * screen and the printer show that rendering. Offline, the receipt stays in the till's
 * language.
 */
patch(OrderReceipt.prototype, {
    setup() {
        super.setup(...arguments);
        this.omsClientReceipt = null;
        const pos = this.env.services.pos;
        if (this.env.omsReceiptTexts || !pos?.config.oms_channel_id) {
            return;
        }
        onWillStart(async () => {
            const texts = await pos.omsReceiptTexts(this.props.order);
            if (texts?.lang) {
                this.omsClientReceipt = {
                    lang: texts.lang.replace("_", "-"),
                    html: markup(await omsRenderReceipt(this.env, this.props, texts)),
                };
            }
        });
    },
});

/** The product names of the client's language on the lines of the receipt rendered for them. */
patch(Orderline.prototype, {
    get lineScreenValues() {
        const values = super.lineScreenValues;
        const names = this.env.omsReceiptTexts?.products;
        const name = names?.[this.line.product_id?.id];
        if (name && values.isReceipt) {
            return { ...values, name };
        }
        return values;
    },
});

/** The inner HTML of the receipt of ``props`` rendered with the client's ``texts``. */
async function omsRenderReceipt(env, props, texts) {
    const terms = texts.terms;
    const translateFn = (source, context) => {
        const text = terms[context]?.[source];
        if (text !== undefined) {
            return text;
        }
        return Object.values(terms).find((moduleTerms) => source in moduleTerms)?.[source] ?? source;
    };
    const app = new App(OrderReceipt, {
        env: Object.assign(Object.create(env), { omsReceiptTexts: texts }),
        getTemplate,
        props,
        translateFn,
        translatableAttributes: ["data-tooltip"],
        customDirectives,
        globalValues,
        warnIfNoStaticProps: false,
        name: "Receipt in the client's language",
    });
    const target = document.createElement("div");
    target.classList.add("d-none");
    document.body.appendChild(target);
    try {
        await app.mount(target);
        return target.querySelector(".pos-receipt")?.innerHTML || "";
    } finally {
        app.destroy();
        target.remove();
    }
}

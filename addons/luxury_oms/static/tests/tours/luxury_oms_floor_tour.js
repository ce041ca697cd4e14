import { registry } from "@web/core/registry";

// A 1x1 transparent PNG: the QC photo the tour "takes".
const PIXEL_PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

function scan(code, content) {
    return {
        content: content || `scan ${code}`,
        trigger: ".o_oms_floor_scan",
        run: `edit ${code} && press Enter`,
    };
}

function refused(text) {
    return {
        content: `refused in red: ${text}`,
        trigger: `.o_oms_floor_feedback.o_oms_floor_error:contains('${text}')`,
    };
}

function accepted(text) {
    return {
        content: `accepted in green: ${text}`,
        trigger: `.o_oms_floor_feedback.o_oms_floor_ok:contains('${text}')`,
    };
}

function openStep(stepName) {
    return {
        content: `choose the step ${stepName}`,
        trigger: `.o_oms_floor_steps button:contains('${stepName}')`,
        run: "click",
    };
}

function openCard(text) {
    return [
        {
            content: `open the task of ${text}`,
            trigger: `.o_oms_floor_card:contains('${text}')`,
            run: "click",
        },
        { trigger: `.o_oms_floor_task .o_oms_floor_piece:contains('${text}')` },
    ];
}

function checkResult(checkName, button) {
    return {
        content: `${button} ${checkName}`,
        trigger: `.o_oms_floor_check:contains('${checkName}') .o_oms_floor_${button}`,
        run: "click",
    };
}

function passAllChecks() {
    return ["Stitching", "Hardware", "Dust bag"].flatMap((name) => [
        checkResult(name, "pass"),
        { trigger: `.o_oms_floor_check_pass:contains('${name}')` },
    ]);
}

function pickSerial(serial) {
    return [
        openStep("Pick"),
        ...openCard(serial),
        scan(serial),
        accepted("confirmed"),
        { trigger: `.o_oms_floor_piece.o_oms_floor_scanned:contains('${serial}')` },
        { trigger: ".o_oms_floor_done", run: "click" },
        accepted("Task finished"),
    ];
}

registry.category("web_tour.tours").add("LuxuryOmsFloorTour", {
    steps: () => [
        {
            content: "choose my site",
            trigger: ".o_oms_floor_site",
            run: "selectByLabel Test DC Paris",
        },
        {
            content: "the queue is open at the DC; the held order's watch is not in it",
            trigger: ".o_oms_floor_card:contains('BAG-001')",
        },
        { trigger: "body:not(:has(.o_oms_floor_card:contains('W-001')))" },
        {
            content: "deadlines read as a time or a weekday and time, never with seconds",
            trigger: ".o_oms_floor_card:contains('BAG-001') .fa-clock-o",
            run() {
                const text = this.anchor.parentElement.textContent.trim();
                if (!text || /\d:\d\d:\d\d/.test(text)) {
                    throw new Error(`deadline shown as "${text}"`);
                }
            },
        },
        scan("NOPE-123", "a code matching no task of the queue"),
        refused("NOPE-123"),
        // Pick: wrong place, right place, product, wrong serial, right serial.
        openStep("Pick"),
        ...openCard("BAG-001"),
        { trigger: ".o_oms_floor_piece:contains('Shelf A')" },
        scan("LOC-ELSEWHERE"),
        refused("LOC-ELSEWHERE"),
        scan("LOC-SHELF-A"),
        accepted("right place"),
        scan("3700000000017"),
        accepted("now scan its serial"),
        scan("BAG-002", "the other bag: not the reserved piece"),
        refused("expected: BAG-001"),
        { trigger: ".o_oms_floor_done", run: "click" },
        refused("still missing"),
        scan("BAG-001"),
        accepted("confirmed"),
        { trigger: ".o_oms_floor_done", run: "click" },
        accepted("Task finished"),
        // QC fails on the stitching, with a photo: the other bag replaces the piece.
        openStep("Quality Control"),
        ...openCard("BAG-001"),
        scan("BAG-002", "the QC scans the wrong piece"),
        refused("not the piece of this check"),
        scan("BAG-001"),
        accepted("right piece"),
        checkResult("Stitching", "fail"),
        {
            content: "say what is wrong",
            trigger: ".o_oms_floor_check:contains('Stitching') .o_oms_floor_note",
            run: "edit Loose stitch && click .o_oms_floor_task_head",
        },
        { trigger: ".o_oms_floor_check_fail:contains('Stitching')" },
        checkResult("Hardware", "pass"),
        { trigger: ".o_oms_floor_check_pass:contains('Hardware')" },
        checkResult("Dust bag", "pass"),
        { trigger: ".o_oms_floor_check_pass:contains('Dust bag')" },
        {
            content: "take a photo of the stitching",
            trigger: ".o_oms_floor_checks input[type=file]:not(:visible)",
            run() {
                const bytes = Uint8Array.from(atob(PIXEL_PNG), (c) => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], "stitching.png", { type: "image/png" }));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        accepted("Photo saved"),
        { trigger: ".o_oms_floor_photo .badge:contains('1')" },
        { trigger: ".o_oms_floor_done", run: "click" },
        accepted("Quality control failed"),
        // The replacement: pick, QC passed.
        ...pickSerial("BAG-002"),
        openStep("Quality Control"),
        ...openCard("BAG-002"),
        ...passAllChecks(),
        { trigger: ".o_oms_floor_done", run: "click" },
        accepted("Task finished"),
        // Pack with the packaging the parcel needs.
        openStep("Pack"),
        ...openCard("BAG-002"),
        { trigger: ".o_oms_floor_packaging:contains('Standard shipping box')" },
        scan("BAG-001", "the failed bag is no longer in the parcel"),
        refused("BAG-001"),
        scan("BAG-002"),
        accepted("confirmed"),
        { trigger: ".o_oms_floor_done", run: "click" },
        accepted("Task finished"),
        // The courier desk: wrong parcel, right parcel, courier, signature, hand over.
        openStep("Carrier Handover"),
        ...openCard("BAG-002"),
        scan("WH/OUT/00000", "a parcel that is not this one"),
        refused("hand over the right parcel"),
        {
            content: "scan the parcel's label",
            trigger: ".o_oms_floor_parcel strong",
            async run(helpers) {
                await helpers.edit(this.anchor.textContent.trim(), ".o_oms_floor_scan");
                await helpers.press("Enter");
            },
        },
        accepted("right parcel"),
        { trigger: ".o_oms_floor_parcel.o_oms_floor_scanned" },
        { trigger: ".o_oms_floor_courier", run: "edit Jean, Maison Courier" },
        {
            content: "the courier signs",
            trigger: ".o_oms_floor_signature_pad",
            run() {
                const canvas = this.anchor;
                const rect = canvas.getBoundingClientRect();
                const at = (x, y) => ({
                    clientX: rect.left + x,
                    clientY: rect.top + y,
                    pointerId: 1,
                    bubbles: true,
                });
                canvas.dispatchEvent(new PointerEvent("pointerdown", at(10, 10)));
                canvas.dispatchEvent(new PointerEvent("pointermove", at(60, 40)));
                canvas.dispatchEvent(new PointerEvent("pointermove", at(120, 20)));
                canvas.dispatchEvent(new PointerEvent("pointerup", at(120, 20)));
            },
        },
        { trigger: ".o_oms_floor_hand_over", run: "click" },
        accepted("invoice"),
        { trigger: ".o_oms_floor_empty" },
    ],
});

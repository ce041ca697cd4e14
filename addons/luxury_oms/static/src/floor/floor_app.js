import { Component, onMounted, onWillStart, useRef, useState } from "@odoo/owl";
import { scanBarcode } from "@web/core/barcode/barcode_dialog";
import { isBarcodeScannerSupported } from "@web/core/barcode/barcode_video_scanner";
import { browser } from "@web/core/browser/browser";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { FloorSignature } from "./floor_signature";
import { beep } from "./floor_sound";

const MODEL = "luxury.oms.fulfilment.task";
const SITE_KEY = "luxury_oms.floor.site";
const STEP_KEY = "luxury_oms.floor.step";

/**
 * The floor app: one screen for pickers, QC, packers and the courier desk, on a phone, a
 * handheld scanner or a desktop. Every rule is the server's: the screen shows the queue,
 * sends each scan and action to the task's floor_* methods and shows their answer.
 */
export class FloorApp extends Component {
    static template = "luxury_oms.FloorApp";
    static components = { FloorSignature };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.env.services.title?.setParts?.({ action: _t("Floor") });
        this.scanInput = useRef("scanInput");
        this.photoInput = useRef("photoInput");
        this.signature = useRef("signature");
        this.cameraSupported = isBarcodeScannerSupported();
        this.pending = Promise.resolve();
        this.state = useState({
            sites: [],
            siteId: false,
            stepCode: "",
            queue: [],
            task: null,
            feedback: null,
            busy: false,
            parcelCode: "",
            courier: "",
            tracking: "",
            // The scan field keeps the focus for keyboard-wedge scanners without opening a
            // phone's on-screen keyboard at every scan; the keyboard button opens it.
            typing: false,
        });
        onWillStart(() => this.loadSites());
        onMounted(() => this.focusScan());
    }

    // ------------------------------------------------------------------
    // Getters
    // ------------------------------------------------------------------

    get site() {
        return this.state.sites.find((site) => site.id === this.state.siteId);
    }

    get steps() {
        return this.site ? this.site.steps : [];
    }

    get scanPlaceholder() {
        const task = this.state.task;
        if (!task) {
            return _t("Scan or type a code");
        }
        if (task.step_code === "handover") {
            return _t("Scan the parcel label");
        }
        if (task.step_code === "qc") {
            return _t("Scan its serial");
        }
        return _t("Scan a location or a piece");
    }

    get piecesLeft() {
        return this.state.task ? this.state.task.pieces.filter((p) => !p.scanned).length : 0;
    }

    /** A deadline as the floor reads it: the time today, else the weekday and time. */
    formatDeadline(value) {
        if (!value) {
            return "";
        }
        const deadline = deserializeDateTime(value);
        if (deadline.hasSame(luxon.DateTime.local(), "day")) {
            return deadline.toLocaleString(luxon.DateTime.TIME_SIMPLE);
        }
        return deadline.toLocaleString({ weekday: "short", hour: "numeric", minute: "2-digit" });
    }

    // ------------------------------------------------------------------
    // Loading
    // ------------------------------------------------------------------

    async loadSites() {
        this.state.sites = await this.orm.call(MODEL, "floor_sites", []);
        const savedSite = Number(browser.localStorage.getItem(SITE_KEY));
        const site = this.state.sites.find((s) => s.id === savedSite) || this.state.sites[0];
        this.state.siteId = site ? site.id : false;
        const savedStep = browser.localStorage.getItem(STEP_KEY) || "";
        this.state.stepCode = this.steps.some((s) => s.code === savedStep) ? savedStep : "";
        await this.loadQueue();
    }

    async loadQueue() {
        if (!this.state.siteId) {
            this.state.queue = [];
            return;
        }
        this.state.queue = await this.orm.call(MODEL, "floor_queue", [
            this.state.siteId,
            this.state.stepCode || false,
        ]);
    }

    async onSiteChange(ev) {
        this.state.siteId = Number(ev.target.value);
        browser.localStorage.setItem(SITE_KEY, String(this.state.siteId));
        this.state.stepCode = "";
        await this.loadQueue();
    }

    async selectStep(code) {
        this.state.stepCode = code;
        browser.localStorage.setItem(STEP_KEY, code);
        await this.loadQueue();
        this.focusScan();
    }

    async openTask(taskId) {
        this.state.task = await this.orm.call(MODEL, "floor_task", [taskId]);
        this.state.feedback = null;
        this.state.parcelCode = "";
        this.state.courier = "";
        this.state.tracking = "";
        this.focusScan();
    }

    async backToQueue() {
        this.state.task = null;
        this.state.feedback = null;
        await this.loadQueue();
        this.focusScan();
    }

    // ------------------------------------------------------------------
    // Scanning
    // ------------------------------------------------------------------

    focusScan() {
        // Keyboard-wedge scanners type into the focused field and press Enter.
        browser.setTimeout(() => this.scanInput.el?.focus(), 0);
    }

    toggleTyping() {
        this.state.typing = !this.state.typing;
        this.focusScan();
    }

    async onScanKeydown(ev) {
        if (ev.key !== "Enter") {
            return;
        }
        ev.preventDefault();
        const code = ev.target.value.trim();
        ev.target.value = "";
        if (code) {
            await this.onScan(code);
        }
    }

    async onCameraScan() {
        let code;
        try {
            code = await scanBarcode(this.env);
        } catch {
            this.showFeedback(false, _t("The camera could not scan: type or scan the code."));
            return;
        }
        if (code) {
            await this.onScan(code);
        }
    }

    async onScan(code) {
        const task = this.state.task;
        if (!task) {
            // In the queue, a scan opens the task of that parcel, serial or order.
            const match = this.state.queue.find(
                (card) =>
                    card.parcel === code ||
                    card.order === code ||
                    (card.first_piece && card.first_piece.serial === code)
            );
            if (match) {
                beep(true);
                await this.openTask(match.id);
            } else {
                this.showFeedback(false, _t("%s is in none of the tasks of this queue.", code));
            }
            return;
        }
        const answer = await this.call("floor_scan", [task.id, code]);
        if (answer && answer.ok && task.step_code === "handover") {
            this.state.parcelCode = code;
        }
    }

    // ------------------------------------------------------------------
    // Actions
    // ------------------------------------------------------------------

    call(method, args) {
        // One call at a time, in the order of the scans and taps: a fast scanner or a
        // double tap never sends two actions of the same task at once.
        const next = this.pending.then(() => this.callNow(method, args));
        this.pending = next.catch(() => {});
        return next;
    }

    async callNow(method, args) {
        this.state.busy = true;
        let answer;
        try {
            answer = await this.orm.call(MODEL, method, args);
        } finally {
            this.state.busy = false;
        }
        this.state.task = answer.task;
        this.showFeedback(answer.ok, answer.message || (answer.ok ? _t("Done.") : ""));
        this.focusScan();
        return answer;
    }

    showFeedback(ok, message) {
        this.state.feedback = { ok, message };
        beep(ok);
    }

    async onStart() {
        await this.call("floor_start", [this.state.task.id]);
    }

    async onDone() {
        const answer = await this.call("floor_done", [this.state.task.id]);
        if (answer && answer.ok && ["done", "failed", "cancel"].includes(answer.task.state)) {
            await this.finish(answer.message || _t("Task finished."));
        }
    }

    async onCheck(check, result) {
        await this.call("floor_qc_result", [this.state.task.id, check.id, result, check.note]);
    }

    async onCheckNote(check, ev) {
        check.note = ev.target.value;
        await this.onCheck(check, "fail");
    }

    onPhotoClick() {
        this.photoInput.el.click();
    }

    async onPhotoChange(ev) {
        const file = ev.target.files[0];
        if (!file) {
            return;
        }
        const data = await new Promise((resolve) => {
            const reader = new FileReader();
            reader.onload = () => resolve(reader.result.split(",")[1]);
            reader.readAsDataURL(file);
        });
        ev.target.value = "";
        await this.call("floor_add_photo", [this.state.task.id, file.name, data]);
    }

    async onHandOver() {
        const signature = this.signature.el ? this.signatureData() : false;
        const answer = await this.call("floor_handover", [
            this.state.task.id,
            this.state.parcelCode,
            this.state.courier,
            signature,
            this.state.tracking,
        ]);
        if (answer && answer.ok) {
            await this.finish(answer.message);
        }
    }

    signatureData() {
        const canvas = this.signature.el.querySelector("canvas");
        if (!canvas || canvas.dataset.signed !== "1") {
            return false;
        }
        return canvas.toDataURL("image/png").split(",")[1];
    }

    async finish(message) {
        this.state.task = null;
        await this.loadQueue();
        this.state.feedback = { ok: true, message };
        this.focusScan();
    }
}

registry.category("actions").add("luxury_oms.floor", FloorApp);

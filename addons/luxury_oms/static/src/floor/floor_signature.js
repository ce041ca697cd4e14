import { Component, onMounted, useRef } from "@odoo/owl";

/**
 * The courier signs on the screen with a finger, a stylus or the mouse. The canvas marks
 * itself signed (data-signed) once drawn on; the floor app reads it as a PNG.
 */
export class FloorSignature extends Component {
    static template = "luxury_oms.FloorSignature";
    static props = {};

    setup() {
        this.canvas = useRef("canvas");
        this.drawing = false;
        onMounted(() => this.resize());
    }

    resize() {
        const canvas = this.canvas.el;
        const ratio = window.devicePixelRatio || 1;
        canvas.width = canvas.clientWidth * ratio;
        canvas.height = canvas.clientHeight * ratio;
        const context = canvas.getContext("2d");
        context.scale(ratio, ratio);
        context.lineWidth = 2.5;
        context.lineCap = "round";
        context.strokeStyle = "#111";
    }

    point(ev) {
        const rect = this.canvas.el.getBoundingClientRect();
        return [ev.clientX - rect.left, ev.clientY - rect.top];
    }

    onPointerDown(ev) {
        ev.preventDefault();
        this.canvas.el.setPointerCapture?.(ev.pointerId);
        this.drawing = true;
        const context = this.canvas.el.getContext("2d");
        context.beginPath();
        context.moveTo(...this.point(ev));
    }

    onPointerMove(ev) {
        if (!this.drawing) {
            return;
        }
        ev.preventDefault();
        const context = this.canvas.el.getContext("2d");
        context.lineTo(...this.point(ev));
        context.stroke();
        this.canvas.el.dataset.signed = "1";
    }

    onPointerUp() {
        this.drawing = false;
    }

    clear() {
        const canvas = this.canvas.el;
        canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
        delete canvas.dataset.signed;
    }
}

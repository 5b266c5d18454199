// @ts-check
// Shared by the sandbox's gateway stand-ins (Adyen Web, braintree-web,
// Checkout.com Web Components, Klarna Payments, Axerve's lightbox). The
// sandbox serves each stand-in with this file in front, both inside one
// function scope, so every script keeps its own copy as the real libraries
// do. Card fields live in an iframe on the sandbox's origin
// (`/gateways/card-frame.html`); the page and the frame talk only through
// origin-checked postMessage.

const KIT_ORIGIN = new URL(/** @type {HTMLScriptElement | null} */ (document.currentScript)?.src ?? location.href).origin;
let kitRequests = 0;

/** @param {string | Element} target @param {string} library */
function kitElement(target, library) {
  const el = typeof target === "string" ? document.querySelector(target) : target;
  if (!(el instanceof HTMLElement)) throw new Error(`${library}: no element matches ${String(target)}`);
  return el;
}

/**
 * @typedef {{ type: "change", field: string, empty: boolean, valid: boolean, error: {field: string, message: string} | null }
 *   | { type: "focus" | "blur", field: string }} CardFrameEvent
 */

/** The card fields of one gateway: an iframe on the sandbox's origin. */
class CardFrame {
  /**
   * @param {"adyen" | "braintree" | "checkout_com"} gateway
   * @param {{ key?: string, holder?: boolean }} options
   * @param {(event: CardFrameEvent) => void} onEvent
   */
  constructor(gateway, options, onEvent) {
    this.config = { origin: location.origin, gateway, key: options.key ?? "", holder: !!options.holder };
    this.onEvent = onEvent;
    /** @type {HTMLIFrameElement | null} */
    this.frame = null;
    /** @type {Map<number, (value: any) => void>} */
    this.pending = new Map();
    this.valid = false;
    /** @type {Promise<void>} */
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.listener = this.receive.bind(this);
  }

  /** @param {HTMLElement} el @param {string} title */
  mount(el, title) {
    const frame = document.createElement("iframe");
    frame.title = title;
    frame.style.cssText = "border:0;width:100%;min-height:150px;display:block";
    frame.src = `${KIT_ORIGIN}/gateways/card-frame.html#${encodeURIComponent(JSON.stringify(this.config))}`;
    el.appendChild(frame);
    this.frame = frame;
    window.addEventListener("message", this.listener);
  }

  /** @param {MessageEvent} ev */
  receive(ev) {
    if (ev.origin !== KIT_ORIGIN || !this.frame || ev.source !== this.frame.contentWindow) return;
    const msg = ev.data || {};
    if (msg.type === "ready") this.markReady?.();
    else if (msg.type === "height") this.frame.style.height = `${msg.px}px`;
    else if (msg.type === "result") {
      this.pending.get(msg.requestId)?.(msg.result);
      this.pending.delete(msg.requestId);
    } else {
      if (msg.type === "change") this.valid = msg.valid;
      this.onEvent(msg);
    }
  }

  /**
   * What the frame gives for the entered card: `{ ok }` or `{ error: { message } }`.
   * @returns {Promise<{ ok?: any, error?: { message: string, field?: string, code?: string } }>}
   */
  async collect() {
    await this.ready;
    const target = this.frame?.contentWindow;
    if (!target) return { error: { message: "The card fields are not mounted." } };
    const requestId = ++kitRequests;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      target.postMessage({ type: "collect", requestId }, KIT_ORIGIN);
    });
  }

  focus() {
    this.frame?.contentWindow?.postMessage({ type: "focus" }, KIT_ORIGIN);
  }

  clear() {
    this.frame?.contentWindow?.postMessage({ type: "clear" }, KIT_ORIGIN);
  }

  unmount() {
    window.removeEventListener("message", this.listener);
    this.frame?.remove();
    this.frame = null;
  }
}

/**
 * A sandbox page in a modal frame (3-D Secure challenges, Axerve's lightbox),
 * resolved with the first message it posts back.
 * @param {string} path @param {string} label @returns {Promise<any>}
 */
function kitModal(path, label) {
  return new Promise((resolve) => {
    const overlay = document.createElement("div");
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-label", label);
    overlay.style.cssText = "position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;z-index:2147483647";
    const frame = document.createElement("iframe");
    frame.title = label;
    frame.style.cssText = "border:0;border-radius:8px;background:#fff;width:min(420px,92vw);height:380px";
    const sep = path.includes("?") ? "&" : "?";
    frame.src = `${KIT_ORIGIN}${path}${sep}origin=${encodeURIComponent(location.origin)}`;
    overlay.appendChild(frame);
    document.body.appendChild(overlay);
    /** @param {MessageEvent} ev */
    const onMessage = (ev) => {
      if (ev.origin !== KIT_ORIGIN || ev.source !== frame.contentWindow) return;
      window.removeEventListener("message", onMessage);
      overlay.remove();
      resolve(ev.data);
    };
    window.addEventListener("message", onMessage);
  });
}

/** Calls the sandbox's gateway API from the page (Klarna's authorize). @param {string} path @param {object} body */
async function kitPost(path, body) {
  const res = await fetch(`${KIT_ORIGIN}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return res.json();
}

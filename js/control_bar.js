// @ts-check
// A row of controls described as data (dlwidgets/widgets/control_bar.py): buttons, toggle groups, number
// boxes, checkboxes, sliders, text readouts, spacers and row breaks, in one anywidget. The controls are
// drawn once from the `controls` list of the specs model the bar names in `_controls` (one per kernel for
// every bar with the same specs, which the page's loader hands over through `shared`); their values and which are disabled, hidden or toned come as small
// traits and are applied in place, so a readout that changes never rebuilds (nor moves) the row. A click
// or a choice goes to the kernel as one small message. Texts are only ever set with textContent.
// Only anywidget's narrow model API is used (get, on, off, send).
// Its look is control_bar.css; colours are JupyterLab's theme variables. The traits and messages below are
// the protocol; the Python module has the same TypedDicts.

/**
 * One control (Python: `Control`); `kind` says which of the optional fields it uses.
 * @typedef {object} Control
 * @property {string} id
 * @property {"button" | "toggle" | "toggles" | "number" | "checkbox" | "slider" | "field" | "text" | "spacer"
 *   | "break"} kind
 * @property {string} [text]
 * @property {string} [icon]          a Font Awesome 4 name ("save"), drawn as Jupyter draws its buttons' icons
 * @property {string} [tooltip]
 * @property {string} [style]         a button's: "primary", "warning"...
 * @property {string[][]} [options]   a toggle group's [value, text, tooltip]
 * @property {number} [min]
 * @property {number} [max]
 * @property {number} [step]
 * @property {string} [width]         a CSS width, kept whatever the control shows
 * @property {string} [css_class]
 * @property {boolean} [keep_space]   hidden, it keeps its room (the controls after it do not move)
 * @property {boolean} [readout]      a slider's value shown beside it, where it can be typed too
 * @property {string} [placeholder]    a field's hint while it is empty
 * @property {any} [value]            its first value, until the kernel sends another
 * @property {boolean} [hidden]       hidden at first
 * @property {boolean} [disabled]     disabled at first
 */

/**
 * The synced traits (Python: `ControlBar`'s traitlets).
 * @typedef {object} BarTraits
 * @property {string} _controls      the specs model ("IPY_MODEL_" and its id), whose `controls` are Control[]
 * @property {Record<string, any>} values   those that differ from their control's first `value`
 * @property {string[]} disabled   the ids disabled or not, against their control's first state
 * @property {string[]} hidden     the ids hidden or not, against their control's first state
 * @property {Record<string, string>} tones   a readout's "error" or "muted" colour
 */

/**
 * Browser -> kernel (Python: `BarMessage`).
 * @typedef {{type: "press", id: string}} Press
 * @typedef {{type: "set", id: string, value: any}} SetValue
 * @typedef {Press | SetValue} BarMessage
 */

/**
 * Kernel -> browser: the widget base's status (shown at the end of the bar when the bar reports itself).
 * @typedef {{type: "notice", kind: "error" | "notice", error?: string, notice?: string}} Notice
 */

/** @typedef {import("@anywidget/types").AnyModel<BarTraits>} Model */

/**
 * The traits the kernel leaves out of the model's first state while they hold their defaults, which are
 * these (Python: `ControlBar._own_defaults`).
 * @type {Pick<BarTraits, "values" | "disabled" | "hidden" | "tones">}
 */
const DEFAULTS = { values: {}, disabled: [], hidden: [], tones: {} };

/**
 * The trait `name` of `model`, or its default while the kernel has not sent it.
 * @template {keyof typeof DEFAULTS} K
 * @param {Model} model
 * @param {K} name
 * @returns {BarTraits[K]}
 */
const read = (model, name) => model.get(name) ?? DEFAULTS[name];

const SLIDER_SEND_MS = 80; // a dragged slider's value goes to the kernel at most this often
const NOTICE_MS = 6000;

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A button with an optional icon before its text; without text, its tooltip names it.
 * @param {string} text
 * @param {string | undefined} icon
 * @param {string | undefined} tooltip
 */
function makeButton(text, icon, tooltip) {
  const node = element("button", "dlw-cb-button");
  node.type = "button";
  if (icon) {
    const glyph = element("i", `fa fa-${icon}`);
    glyph.setAttribute("aria-hidden", "true");
    node.appendChild(glyph);
  }
  if (text) node.appendChild(element("span", "dlw-cb-caption", text));
  if (tooltip) node.title = tooltip;
  if (!text && tooltip) node.setAttribute("aria-label", tooltip);
  return node;
}

/** @param {number} step */
function decimals(step) {
  const text = String(step);
  return text.includes(".") ? text.split(".")[1].length : 0;
}

/**
 * One drawn control: its element, and how a value (from the kernel) shows in it.
 * @typedef {{node: HTMLElement, show: (value: any) => void, inputs: (HTMLInputElement | HTMLButtonElement)[]}} Drawn
 */

/**
 * The bar's view. A bar like one the page has shown (the same specs model) keeps that one's height and is
 * built once the page's stages have drawn (the page's loader says when: `afterStages`), so that making it
 * never delays an annotator's image and nothing below it moves; a first one is built at once.
 * @param {{model: Model, el: HTMLElement, shared: (trait: string) => Promise<any>,
 *   afterStages?: () => Promise<void> | null, listen: import("./shared_module.js").Listen}} context
 */
async function render({ model, el, shared, afterStages, listen }) {
  const specs = await shared("_controls");
  el.classList.add("dlw-control-bar");
  // Its height, for the next bar like it.
  const sized = new ResizeObserver(() => (specs.dlwHeight = el.offsetHeight || specs.dlwHeight));
  sized.observe(el);
  const waiting = specs.dlwHeight ? afterStages?.() : null;
  /** @type {(() => void) | null} */
  let dispose = waiting ? null : build(model, el, shared, specs, listen);
  let isGone = false;
  if (waiting) {
    el.style.minHeight = `${specs.dlwHeight}px`;
    waiting.then(() => {
      if (isGone) return;
      el.style.minHeight = "";
      dispose = build(model, el, shared, specs, listen);
    });
  }
  return () => {
    isGone = true;
    sized.disconnect();
    dispose?.();
  };
}

/**
 * Build the bar's controls in `el` from `first`, its specs model, and follow the model; the cleanup.
 * @param {Model} model
 * @param {HTMLElement} el
 * @param {(trait: string) => Promise<any>} shared
 * @param {any} first
 * @param {import("./shared_module.js").Listen} listen
 * @returns {() => void}
 */
function build(model, el, shared, first, listen) {
  let specs = first;
  /** @returns {Control[]} */
  const controls = () => specs.get("controls");
  /** @returns {Record<string, any>} the controls' values: their first ones, and those the kernel sent */
  const values = () => {
    const firsts = controls().filter((spec) => "value" in spec).map((spec) => [spec.id, spec.value]);
    return { ...Object.fromEntries(firsts), ...read(model, "values") };
  };
  /**
   * The ids disabled or hidden (`name`): those so at first, or not, as the kernel sent.
   * @param {"disabled" | "hidden"} name
   */
  const marked = (name) => {
    const changed = new Set(read(model, name));
    return new Set(controls().filter((spec) => Boolean(spec[name]) !== changed.has(spec.id)).map((spec) => spec.id));
  };
  const row = element("div", "dlw-cb-row");
  const status = element("span", "dlw-cb-status");
  el.append(row, status);
  /** @type {Map<string, Drawn>} */
  let drawn = new Map();
  /** @param {BarMessage} message */
  const send = (message) => model.send(message);

  /**
   * A labelled input whose keys stay out of the notebook's shortcuts and the annotator's.
   * @param {Control} spec
   * @param {string} type
   */
  const labelled = (spec, type) => {
    const node = element("label", "dlw-cb-field");
    const input = element("input");
    input.type = type;
    input.setAttribute("data-lm-suppress-shortcuts", "true");
    if (spec.min !== undefined) input.min = String(spec.min);
    if (spec.max !== undefined) input.max = String(spec.max);
    if (spec.step !== undefined) input.step = String(spec.step);
    const caption = spec.text ? element("span", "dlw-cb-label", spec.text) : null;
    if (type === "checkbox") node.append(input, ...(caption ? [caption] : []));
    else node.append(...(caption ? [caption] : []), input);
    if (spec.tooltip) node.title = spec.tooltip;
    return { node, input };
  };

  /**
   * @param {Control} spec
   * @returns {Drawn}
   */
  const draw = (spec) => {
    const id = spec.id;
    if (spec.kind === "button") {
      const node = makeButton(spec.text || "", spec.icon, spec.tooltip);
      if (spec.style) node.classList.add(`dlw-cb-${spec.style}`);
      node.addEventListener("click", () => send({ type: "press", id }));
      return { node, show: () => {}, inputs: [node] };
    }
    if (spec.kind === "toggle") {
      const node = makeButton(spec.text || "", spec.icon, spec.tooltip);
      node.addEventListener("click", () => send({ type: "set", id, value: !values()[id] }));
      /** @param {any} value */
      const show = (value) => {
        node.classList.toggle("mod-active", Boolean(value));
        node.setAttribute("aria-pressed", String(Boolean(value)));
      };
      return { node, show, inputs: [node] };
    }
    if (spec.kind === "toggles") {
      const node = element("div", "dlw-cb-toggles");
      node.setAttribute("role", "group");
      /** @type {HTMLButtonElement[]} */
      const buttons = [];
      for (const [value, text, tooltip] of spec.options || []) {
        const choice = makeButton(text, "", tooltip);
        choice.dataset.value = value;
        choice.addEventListener("click", () => send({ type: "set", id, value }));
        buttons.push(choice);
      }
      node.append(...buttons);
      /** @param {any} value */
      const show = (value) => {
        for (const choice of buttons) {
          const on = choice.dataset.value === value;
          choice.classList.toggle("mod-active", on); // as ipywidgets marks the chosen toggle
          choice.setAttribute("aria-pressed", String(on));
        }
      };
      return { node, show, inputs: buttons };
    }
    if (spec.kind === "number") {
      const { node, input } = labelled(spec, "number");
      input.addEventListener("change", () => {
        const low = spec.min ?? -Infinity;
        const high = spec.max ?? Infinity;
        const typed = Number(input.value);
        if (input.value === "" || Number.isNaN(typed)) {
          input.value = String(values()[id] ?? "");
          return;
        }
        const value = Math.min(high, Math.max(low, typed)); // as a bounded box clamps
        input.value = String(value);
        send({ type: "set", id, value });
      });
      /** @param {any} value */
      const show = (value) => {
        if (value !== undefined && document.activeElement !== input) input.value = String(value);
      };
      return { node, show, inputs: [input] };
    }
    if (spec.kind === "checkbox") {
      const { node, input } = labelled(spec, "checkbox");
      input.addEventListener("change", () => send({ type: "set", id, value: input.checked }));
      /** @param {any} value */
      const show = (value) => {
        input.checked = Boolean(value);
      };
      return { node, show, inputs: [input] };
    }
    if (spec.kind === "slider") {
      const { node, input } = labelled(spec, "range");
      // The readout is a number box too: a value can be typed as well as dragged to.
      const readout = element("input", "dlw-cb-readout");
      readout.type = "number";
      readout.setAttribute("data-lm-suppress-shortcuts", "true");
      readout.min = input.min;
      readout.max = input.max;
      readout.step = input.step;
      readout.setAttribute("aria-label", spec.text || id);
      const places = decimals(spec.step ?? 1);
      if (spec.readout) node.appendChild(readout);
      readout.addEventListener("change", () => {
        const typed = Number(readout.value);
        if (readout.value === "" || Number.isNaN(typed)) return;
        const value = Math.min(spec.max ?? typed, Math.max(spec.min ?? typed, typed));
        input.value = String(value);
        send({ type: "set", id, value });
      });
      let timer = 0;
      let last = 0;
      const flush = () => {
        timer = 0;
        last = Date.now();
        send({ type: "set", id, value: Number(input.value) });
      };
      input.addEventListener("input", () => {
        readout.value = Number(input.value).toFixed(places);
        if (timer) return;
        timer = window.setTimeout(flush, Math.max(0, SLIDER_SEND_MS - (Date.now() - last)));
      });
      /** @param {any} value */
      const show = (value) => {
        if (value === undefined) return;
        if (!timer) input.value = String(value);
        if (document.activeElement !== readout) readout.value = Number(value).toFixed(places);
      };
      return { node, show, inputs: [input, readout] };
    }
    if (spec.kind === "field") {
      const { node, input } = labelled(spec, "text");
      if (spec.placeholder) input.placeholder = spec.placeholder;
      // As typed: a click after typing arrives after the text.
      input.addEventListener("input", () => send({ type: "set", id, value: input.value }));
      /** @param {any} value */
      const show = (value) => {
        const text = value === undefined || value === null ? "" : String(value);
        if (input.value !== text) input.value = text;
      };
      return { node, show, inputs: [input] };
    }
    if (spec.kind === "text") {
      const node = element("span", "dlw-cb-text");
      /** @param {any} value */
      const show = (value) => {
        node.textContent = value === undefined || value === null ? "" : String(value);
      };
      return { node, show, inputs: [] };
    }
    return { node: element("span", spec.kind === "break" ? "dlw-cb-break" : "dlw-cb-spacer"), show: () => {}, inputs: [] };
  };

  const drawAll = () => {
    drawn = new Map();
    const nodes = [];
    for (const spec of controls()) {
      const made = draw(spec);
      made.node.dataset.id = spec.id;
      if (spec.css_class) made.node.classList.add(...spec.css_class.split(" "));
      if (spec.tooltip && !made.node.title && spec.kind !== "toggles") made.node.title = spec.tooltip;
      if (spec.width) {
        made.node.style.width = spec.width;
        made.node.style.flex = `0 0 ${spec.width}`;
      }
      drawn.set(spec.id, made);
      nodes.push(made.node);
    }
    row.replaceChildren(...nodes);
    showValues();
    showStates();
  };
  const showValues = () => {
    const shown = values();
    for (const [id, made] of drawn) made.show(shown[id]);
  };
  const showStates = () => {
    const disabled = marked("disabled");
    const hidden = marked("hidden");
    const tones = read(model, "tones");
    const keeping = new Set(controls().filter((c) => c.keep_space).map((c) => c.id));
    for (const [id, made] of drawn) {
      for (const input of made.inputs) input.disabled = disabled.has(id);
      made.node.classList.toggle("dlw-cb-disabled", disabled.has(id));
      const gone = hidden.has(id);
      made.node.classList.toggle("dlw-cb-hidden", gone && !keeping.has(id));
      made.node.classList.toggle("dlw-cb-invisible", gone && keeping.has(id));
      made.node.classList.remove("dlw-cb-tone-error", "dlw-cb-tone-muted");
      if (tones[id]) made.node.classList.add(`dlw-cb-tone-${tones[id]}`);
    }
  };

  // Keys typed into a field are the field's, never a shortcut of the notebook's or of the annotator's.
  /** @param {KeyboardEvent} event */
  const keepKeys = (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.tagName !== "INPUT") return;
    const type = /** @type {HTMLInputElement} */ (target).type;
    if (type === "number" || type === "text") event.stopPropagation();
    if (type === "number" && event.key === "Enter") target.dispatchEvent(new Event("change"));
  };
  let statusTimer = 0;
  /** @param {{type: string}} message */
  const onMessage = (message) => {
    if (!isNotice(message)) return;
    status.textContent = message.kind === "error" ? message.error || "" : message.notice || "";
    status.classList.toggle("dlw-cb-tone-error", message.kind === "error");
    clearTimeout(statusTimer);
    statusTimer = window.setTimeout(() => (status.textContent = ""), NOTICE_MS);
  };
  row.addEventListener("keydown", keepKeys);
  const unlisten = listen(model, {
    "change:_controls": () => void shared("_controls").then((now) => ((specs = now), drawAll())),
    "change:values": showValues,
    "change:disabled": showStates,
    "change:hidden": showStates,
    "change:tones": showStates,
    "msg:custom": onMessage,
  });
  drawAll();
  return () => {
    unlisten();
    clearTimeout(statusTimer);
  };
}

/**
 * @param {{type: string}} msg
 * @returns {msg is Notice}
 */
function isNotice(msg) {
  return msg.type === "notice";
}

export default { render };

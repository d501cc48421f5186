// @ts-check
// The PromptComposer's prompts and their elements (dlwidgets/widgets/prompt_elements.py): one anywidget,
// the prompts arriving as data in one synced list. Each edit goes to the kernel as one small custom
// message; texts and keys are sent as typed and are not sent back, so typing is never redrawn under the
// cursor. Texts are only ever set as values or text, never as HTML. Only anywidget's narrow model API is
// used (get, set, save_changes, on, off, send).

/**
 * One element (Python: `ElementRow`).
 * @typedef {object} ElementRow
 * @property {string} mimetype
 * @property {string} value  the text; for media, the stream URL
 * @property {string} label  for media: "image/*: /images/dog.jpg"; "" for text
 */

/**
 * One prompt, a turn (Python: `PromptRow`).
 * @typedef {object} PromptRow
 * @property {string} key
 * @property {string} role
 * @property {ElementRow[]} elements
 */

/**
 * The synced traits (Python: `PromptElements`' traitlets).
 * @typedef {object} ElementsTraits
 * @property {PromptRow[]} prompts
 * @property {string[]} roles  the roles a prompt may have
 */

/**
 * Browser -> kernel (Python: `ElementsMessage`): one edit each.
 * @typedef {{type: "prompt", prompt: number, field: "key" | "role", value: string}} PromptEdit
 * @typedef {{type: "text", prompt: number, element: number, value: string}} TextEdit
 * @typedef {{type: "move", prompt: number, element: number, offset: number}} ElementMove
 * @typedef {{type: "delete", prompt: number, element: number}} ElementDelete
 * @typedef {{type: "delete-prompt", prompt: number}} PromptDelete
 * @typedef {{type: "add", prompt: number, kind: "text" | "image" | "audio" | "video"}} ElementAdd
 * @typedef {PromptEdit | TextEdit | ElementMove | ElementDelete | PromptDelete | ElementAdd} ElementsMessage
 */

/** @typedef {import("@anywidget/types").AnyModel<ElementsTraits>} Model */

const KINDS = /** @type {const} */ (["text", "image", "audio", "video"]);

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A control whose keys stay out of the notebook's shortcuts, and what it does.
 * @param {string} tag
 * @param {string} className
 * @param {Record<string, string>} data  the prompt and element it acts on, and the action
 * @param {string} [text]
 */
function control(tag, className, data, text) {
  const node = element(tag, className, text);
  node.setAttribute("data-lm-suppress-shortcuts", "true");
  Object.assign(node.dataset, data);
  return node;
}

/** @param {{model: Model, el: HTMLElement, listen: import("./shared_module.js").Listen}} context */
function render({ model, el, listen }) {
  el.classList.add("dlw-prompt-elements");
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  /** @param {ElementsMessage} message */
  const send = (message) => model.send(message);

  /** @param {PromptRow} prompt @param {number} p */
  const promptBox = (prompt, p) => {
    const box = element("div", "dlw-prompt");
    const head = element("div", "dlw-prompt-head");
    const at = { prompt: `${p}` };
    const key = /** @type {HTMLInputElement} */ (control("input", "dlw-prompt-key", at));
    key.value = prompt.key;
    key.setAttribute("aria-label", "key");
    const role = /** @type {HTMLSelectElement} */ (control("select", "dlw-prompt-role", at));
    role.setAttribute("aria-label", "role");
    for (const name of model.get("roles")) role.appendChild(new Option(name, name));
    role.value = prompt.role;
    const drop = control("button", "dlw-delete-prompt", { ...at, action: "delete-prompt" }, "✕ prompt");
    head.append(element("span", "", "key"), key, element("span", "", "role"), role, drop);
    box.appendChild(head);
    prompt.elements.forEach((item, e) => {
      const row = element("div", "dlw-element-row");
      const here = { ...at, element: `${e}` };
      if (item.label) {
        row.appendChild(element("span", "dlw-element", item.label));
      } else {
        const text = /** @type {HTMLTextAreaElement} */ (control("textarea", "dlw-element-text", here));
        text.value = item.value;
        row.appendChild(text);
      }
      row.append(
        control("button", "", { ...here, action: "up" }, "↑"),
        control("button", "", { ...here, action: "down" }, "↓"),
        control("button", "", { ...here, action: "delete" }, "✕"),
      );
      box.appendChild(row);
    });
    const adds = element("div", "dlw-element-adds");
    for (const kind of KINDS) adds.appendChild(control("button", "", { ...at, action: kind }, `+ ${kind}`));
    box.appendChild(adds);
    return box;
  };

  const draw = () => {
    el.replaceChildren(...model.get("prompts").map(promptBox));
  };

  /** @param {Event} event */
  const onClick = (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const { action, prompt, element: at } = target.dataset;
    if (!action || prompt === undefined) return;
    const p = Number(prompt);
    const e = Number(at);
    if (action === "delete-prompt") send({ type: "delete-prompt", prompt: p });
    else if (action === "delete") send({ type: "delete", prompt: p, element: e });
    else if (action === "up" || action === "down") {
      send({ type: "move", prompt: p, element: e, offset: action === "up" ? -1 : 1 });
    } else {
      const kind = KINDS.find((k) => k === action);
      if (kind) send({ type: "add", prompt: p, kind });
    }
  };

  /** @param {Event} event */
  const onInput = (event) => {
    const target = /** @type {HTMLInputElement} */ (event.target);
    const p = Number(target.dataset.prompt);
    if (target.classList.contains("dlw-element-text")) {
      send({ type: "text", prompt: p, element: Number(target.dataset.element), value: target.value });
    } else if (target.classList.contains("dlw-prompt-key")) {
      send({ type: "prompt", prompt: p, field: "key", value: target.value });
    } else if (target.classList.contains("dlw-prompt-role")) {
      send({ type: "prompt", prompt: p, field: "role", value: target.value });
    }
  };

  // Keys typed into a field are the field's: as ipywidgets' own text fields do, they stop here, before
  // the notebook's shortcuts (Enter, arrows, letters in command mode) can take them.
  /** @param {KeyboardEvent} event */
  const keepKeys = (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) event.stopPropagation();
  };
  el.addEventListener("keydown", keepKeys);
  el.addEventListener("click", onClick);
  el.addEventListener("input", onInput);
  const unlisten = listen(model, { "change:prompts": draw });
  draw();
  return unlisten;
}

export default { render };

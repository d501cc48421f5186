// The Browser's item grid: one card per item with its thumbnail, name, size, type and annotation count.
// Selection happens here (click, Ctrl/Cmd-click, Shift-click, Ctrl/Cmd+A, the arrow keys) and is synced to the
// kernel as `selected_ids`; a double-click (or Enter) asks the kernel to open the card's item; the pager asks the kernel for another page with a custom message; thumbnails arrive as
// binary buffers in custom messages, one JPEG per buffer (never base64, never in a synced trait).
// Names are only ever set with textContent: an item named "<img onerror=...>" shows as that text.
// Only anywidget's narrow model API is used (get, set, save_changes, on, off, send).
// Its look is item_grid.css, the widget's `_css`: anywidget adds it to the page once for all views.
// The traits and messages below are the protocol; dlwidgets/widgets/item_grid.py has the same TypedDicts.
// @ts-check

/**
 * One item as the grid shows it (Python: `Card`, made by `card(item)`).
 * @typedef {object} Card
 * @property {string} id
 * @property {string} name
 * @property {string} size          already readable: "1.2 MB"
 * @property {string} mimetype
 * @property {number} annotations
 * @property {keyof typeof ICONS} icon  what an item without a thumbnail shows
 * @property {boolean} thumbnail    whether the browser asks the kernel for one
 */

/**
 * The synced traits (Python: `ItemGrid`'s traitlets).
 * @typedef {object} GridTraits
 * @property {Card[]} cards          the page shown
 * @property {string[]} selected_ids set here by clicks and keys
 * @property {string} active_id      the last card clicked
 * @property {string} page_label
 * @property {boolean} has_previous
 * @property {boolean} has_next
 * @property {string} empty_text     shown when there are no cards
 */

/**
 * Browser -> kernel (Python: `GridRequest`): another page, the thumbnails of cards just shown, or open an
 * item (a double-click or Enter on its card).
 * @typedef {{type: "page", to: "next" | "previous"}} PageRequest
 * @typedef {{type: "thumbnails", ids: string[]}} ThumbnailsRequest
 * @typedef {{type: "open", id: string}} OpenRequest
 * @typedef {PageRequest | ThumbnailsRequest | OpenRequest} GridRequest
 */

/**
 * Kernel -> browser (Python: `Thumbnails`): one JPEG buffer per id of `ids`, in order; `failed` says why
 * an id has none. Other messages (the widget base's notices) are not shown by the grid.
 * @typedef {{type: "thumbnails", ids: string[], failed: Record<string, string>}} Thumbnails
 */

/** @typedef {import("@anywidget/types").AnyModel<GridTraits>} Model */

// Arrow keys move the active card by one card (left, right) or one row (up, down: times the columns).
const STEPS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -1, ArrowDown: 1 };

const ICONS = {
  image: "▣", video: "▶", audio: "♫", text: "¶", json: "{ }", prompt: "❝", pdf: "PDF", file: "■",
  broken: "✕",
};

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
 * @param {keyof typeof ICONS} kind
 * @param {string} label
 */
function icon(kind, label) {
  const node = element("div", "dlw-icon", ICONS[kind] || ICONS.file);
  node.appendChild(element("small", "", label));
  return node;
}

/** @param {import("@anywidget/types").RenderProps<GridTraits> & {listen: import("./shared_module.js").Listen}} props */
function render({ model, el, listen }) {
  el.classList.add("dlw-item-grid");
  const previous = element("button", "dlw-previous", "◀ Previous");
  const label = element("span", "dlw-page-label");
  const next = element("button", "dlw-next", "Next ▶");
  const bar = element("div", "dlw-grid-bar");
  bar.append(previous, label, next);
  const grid = element("div", "dlw-grid-cards");
  grid.tabIndex = 0;
  // JupyterLab and Notebook 7 skip their keyboard shortcuts for keys from inside an element with this
  // attribute, but Lumino stops looking at the first element a shortcut's selector matches, and the
  // focused grid itself matches the command-mode selector: so the grid carries it, not only `el`.
  grid.setAttribute("data-lm-suppress-shortcuts", "true");
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  const empty = element("div", "dlw-grid-empty");
  el.append(bar, grid, empty);

  /** @type {Map<string, HTMLElement>} */
  const cardNodes = new Map(); // id -> the card's element
  /** @type {Map<string, string>} */
  const urls = new Map(); // id -> object URL of its thumbnail, revoked when the card goes
  /** @type {string | null} */
  let anchor = null; // where a Shift-click range starts

  /** @param {GridRequest} message */
  const send = (message) => model.send(message);

  const ids = () => model.get("cards").map((card) => card.id);

  const revokeAll = () => {
    for (const url of urls.values()) URL.revokeObjectURL(url);
    urls.clear();
  };

  const paintSelection = () => {
    const selected = new Set(model.get("selected_ids"));
    const active = model.get("active_id");
    for (const [id, node] of cardNodes) {
      node.classList.toggle("dlw-selected", selected.has(id));
      node.classList.toggle("dlw-active", id === active);
      node.setAttribute("aria-selected", selected.has(id) ? "true" : "false");
    }
  };

  const paintBar = () => {
    label.textContent = model.get("page_label");
    previous.disabled = !model.get("has_previous");
    next.disabled = !model.get("has_next");
    bar.classList.remove("dlw-busy");
  };

  /** @type {(node: HTMLElement) => HTMLElement} */
  const thumbOf = (node) => /** @type {HTMLElement} */ (node.querySelector(".dlw-thumb"));

  /**
   * @param {string} id
   * @param {string} [reason]
   */
  const showBroken = (id, reason) => {
    const node = cardNodes.get(id);
    if (!node) return;
    const thumb = thumbOf(node);
    thumb.className = "dlw-thumb dlw-broken";
    thumb.title = reason || "this image cannot be decoded";
    thumb.replaceChildren(icon("broken", "unreadable image"));
  };

  const renderCards = () => {
    revokeAll();
    cardNodes.clear();
    const cards = model.get("cards");
    const nodes = cards.map((card) => {
      const node = element("div", "dlw-card");
      node.dataset.id = card.id;
      node.setAttribute("role", "option");
      const thumb = element("div", card.thumbnail ? "dlw-thumb dlw-loading" : "dlw-thumb dlw-icon-only");
      if (!card.thumbnail) thumb.appendChild(icon(card.icon, card.mimetype));
      const name = element("div", "dlw-name", card.name);
      name.title = card.name;
      const meta = element("div", "dlw-meta", `${card.size} · ${card.mimetype}`);
      const count = card.annotations === 1 ? "1 annotation" : `${card.annotations} annotations`;
      node.append(thumb, name, meta, element("div", "dlw-annotations", count));
      cardNodes.set(card.id, node);
      return node;
    });
    grid.replaceChildren(...nodes);
    grid.scrollTop = 0;
    empty.textContent = cards.length ? "" : model.get("empty_text");
    paintSelection();
    const wanted = cards.filter((card) => card.thumbnail).map((card) => card.id);
    if (wanted.length) send({ type: "thumbnails", ids: wanted });
  };

  /**
   * @param {Thumbnails | {type: string}} msg
   * @param {DataView<ArrayBuffer>[]} buffers
   */
  const onMessage = (msg, buffers) => {
    if (!isThumbnails(msg)) return;
    msg.ids.forEach((id, index) => {
      const node = cardNodes.get(id);
      if (!node || urls.has(id)) return;
      const url = URL.createObjectURL(new Blob([buffers[index]], { type: "image/jpeg" }));
      urls.set(id, url);
      const img = element("img");
      img.alt = "";
      img.draggable = false;
      img.addEventListener("error", () => showBroken(id, "the thumbnail could not be decoded"));
      img.src = url;
      const thumb = thumbOf(node);
      thumb.className = "dlw-thumb";
      thumb.replaceChildren(img);
    });
    for (const [id, reason] of Object.entries(msg.failed || {})) showBroken(id, reason);
  };

  /**
   * @param {string[]} selected
   * @param {string} active
   */
  const select = (selected, active) => {
    model.set("selected_ids", selected);
    model.set("active_id", active);
    model.save_changes();
  };

  /** @param {MouseEvent} event */
  const onClick = (event) => {
    const node = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest(".dlw-card"));
    if (!node) return;
    const id = node.dataset.id || "";
    const order = ids();
    const additive = event.ctrlKey || event.metaKey;
    let selected = model.get("selected_ids").slice();
    if (event.shiftKey && anchor !== null && order.includes(anchor)) {
      const [from, to] = [order.indexOf(anchor), order.indexOf(id)].sort((a, b) => a - b);
      const range = order.slice(from, to + 1);
      selected = additive ? [...selected, ...range.filter((x) => !selected.includes(x))] : range;
    } else if (additive) {
      selected = selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id];
      anchor = id;
    } else {
      selected = [id];
      anchor = id;
    }
    select(selected, id);
  };

  /** @param {MouseEvent} event */
  const onDoubleClick = (event) => {
    const node = /** @type {HTMLElement | null} */ (/** @type {Element} */ (event.target).closest(".dlw-card"));
    if (node && node.dataset.id) send({ type: "open", id: node.dataset.id });
  };

  // How many cards one row holds: the grid's computed columns.
  const columns = () => Math.max(1, getComputedStyle(grid).gridTemplateColumns.split(" ").filter(Boolean).length);

  /** @param {number} step */
  const move = (step) => {
    const order = ids();
    if (!order.length) return;
    const at = order.indexOf(model.get("active_id"));
    const to = at < 0 ? 0 : Math.min(order.length - 1, Math.max(0, at + step));
    const id = order[to];
    anchor = id;
    select([id], id);
    const node = cardNodes.get(id);
    if (node) node.scrollIntoView({ block: "nearest" });
  };

  // Shift-click would otherwise select the text between the two cards.
  /** @param {MouseEvent} event */
  const onMouseDown = (event) => {
    if (event.shiftKey && /** @type {Element} */ (event.target).closest(".dlw-card")) event.preventDefault();
  };

  /** @param {PageRequest["to"]} to */
  const ask = (to) => {
    bar.classList.add("dlw-busy");
    send({ type: "page", to });
  };

  /** @param {KeyboardEvent} event */
  const onKey = (event) => {
    const ctrl = event.ctrlKey || event.metaKey;
    if (event.key === "Escape") {
      grid.blur();
      // Give the keyboard back to the notebook (command mode), as JupyterLab users expect.
      const notebook = /** @type {HTMLElement | null} */ (el.closest(".jp-Notebook"));
      if (notebook) notebook.focus();
      return;
    }
    if (ctrl && event.key.toLowerCase() === "a") {
      const order = ids();
      select(order, model.get("active_id") || order[0] || "");
    } else if (!ctrl && event.key in STEPS) {
      const vertical = event.key === "ArrowUp" || event.key === "ArrowDown";
      move(STEPS[/** @type {keyof typeof STEPS} */ (event.key)] * (vertical ? columns() : 1));
    } else if (event.key === "Enter" && model.get("active_id")) {
      send({ type: "open", id: model.get("active_id") });
    } else if (event.key === "PageDown" && !next.disabled) {
      ask("next");
    } else if (event.key === "PageUp" && !previous.disabled) {
      ask("previous");
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const onPrevious = () => ask("previous");
  const onNext = () => ask("next");
  const onEmptyText = () => {
    empty.textContent = model.get("cards").length ? "" : model.get("empty_text");
  };

  previous.addEventListener("click", onPrevious);
  next.addEventListener("click", onNext);
  grid.addEventListener("click", onClick);
  grid.addEventListener("dblclick", onDoubleClick);
  grid.addEventListener("mousedown", onMouseDown);
  grid.addEventListener("keydown", onKey);
  const unlisten = listen(model, {
    "change:cards": renderCards,
    "change:selected_ids": paintSelection,
    "change:active_id": paintSelection,
    "change:page_label": paintBar,
    "change:has_previous": paintBar,
    "change:has_next": paintBar,
    "change:empty_text": onEmptyText,
    "msg:custom": onMessage,
  });
  paintBar();
  renderCards();
  return () => {
    unlisten();
    revokeAll();
  };
}

/**
 * @param {{type: string}} msg
 * @returns {msg is Thumbnails}
 */
function isThumbnails(msg) {
  return msg.type === "thumbnails";
}

export default { render };

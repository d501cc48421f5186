// The annotator's side panel: a header (the item, its folder, size, place and annotation count), one label
// list, the item's classifications, the objects list and the selected shape's form, in one widget.
// The lists are virtual: whatever their length, only the rows in view are in the page, placed by a
// transform and refilled as the list scrolls (no row is made while scrolling). The label search filters
// here, in the browser, on every keystroke, over names lowercased once. The objects list comes with the
// model's state (`listed`), then as messages: what each edit changed, all of it for a new item or when a
// change was missed (each with the panel's traits that changed with it, set on the model in one go); the
// model keeps it (`initialize`), whether a view shows it yet or not, and writes it back into its `listed`
// (in the page only) for a notebook saved with its widgets' state. Choices go to the kernel as small
// messages.
// Names are only ever set with textContent: a label named "<img onerror=...>" shows as that text.
// Only anywidget's narrow model API is used (get, set, on, off, send).
// Its look is annotator_panel.css, the widget's `_css`; colours are JupyterLab's theme variables.
// The traits and messages below are the protocol; dlwidgets/widgets/annotator/panels.py has the same
// TypedDicts.
// @ts-check

/**
 * What is open (Python: `Header`).
 * @typedef {object} Header
 * @property {string} name
 * @property {string} folder
 * @property {string} size
 * @property {string} position     "k of N"
 * @property {number} annotations
 */

/**
 * One label of the ontology (Python: `LabelRow`); `hotkey` 1-9 for the first nine, 0 for the others.
 * @typedef {object} LabelRow
 * @property {string} name
 * @property {string} color
 * @property {number} hotkey
 */

/**
 * One annotation of the item as the list holds it (its place in the list is its number, from 1).
 * @typedef {object} ListedObject
 * @property {string} shape       "box", "point", "class", ...
 * @property {string} label
 * @property {string} summary
 */

/**
 * Every object, in list order, as columns (Python: `ObjectsList`): `keys` as runs (the first key and how
 * many follow it one by one: [0, 50] is 0 to 49), `shapes` and `labels` index `names` (a base-36 digit a
 * row while there are at most 36 names: "0a1"), and a column whose rows all hold one value is that value;
 * `revision` numbers this state of the list.
 * @typedef {{revision: number, keys: number[], names: string[], shapes: number[] | number | string,
 *   labels: number[] | number | string, summaries: string[] | string}} ObjectsList
 */

/**
 * Kernel -> browser: every object (an `ObjectsList`), for a page that missed a change or a new item
 * (Python: `ObjectsShown`); a new item's carries the panel's traits that changed with it (`state`), set
 * on the model before the list is shown.
 * @typedef {{type: "objects", revision: number, keys: number[], names: string[],
 *   shapes: number[] | number | string, labels: number[] | number | string, summaries: string[] | string,
 *   state?: Partial<PanelTraits>}} ObjectsShown
 */

/**
 * Kernel -> browser: what one change did to the list at revision `base`: rows added or changed as
 * [key, shape, label, summary] and keys removed (Python: `ObjectsChanged`); with the panel's traits that
 * changed with it (`state`), as a new item's list.
 * @typedef {{type: "objects-changed", base: number, revision: number,
 *   rows: [number, string, string, string][], removed: number[], state?: Partial<PanelTraits>}} ObjectsChanged
 */

/**
 * One input of the selected shape's form (Python: `AttributeField`); `value` null when not set.
 * @typedef {object} AttributeField
 * @property {string} key
 * @property {string} title
 * @property {string} kind        the attribute's type: "boolean", "options", "range" or "freeText"
 * @property {string[]} values
 * @property {boolean} multi
 * @property {number} min
 * @property {number} max
 * @property {number} step
 * @property {any} value
 */

/**
 * The selected shape's form (Python: `Selection`); `known` is false for a label outside the ontology.
 * @typedef {object} Selection
 * @property {number} key
 * @property {number} number
 * @property {string} shape
 * @property {string} label
 * @property {boolean} known
 * @property {string} object_id
 * @property {AttributeField[]} fields
 */

/**
 * The synced traits (Python: `SidePanel`'s traitlets), `header` and `labels` in a shorter form than
 * Python's (`SidePanel._sent_header`, `_sent_labels`): the header's values in its order, and the labels'
 * names and colours (the first nine have the hotkeys 1-9).
 * @typedef {object} PanelTraits
 * @property {[string, string, string, string, number]} header   name, folder, size, position, annotations
 * @property {[string[], string[]]} labels
 * @property {string} label                    the label for new shapes
 * @property {string[]} recent                 the most recently used labels, latest first
 * @property {string[]} classifications        the item's classification labels
 * @property {number} selected                 the selected object's key, -1 for none
 * @property {number[]} hidden
 * @property {number[]} locked
 * @property {Selection | {}} selection
 * @property {ObjectsList | null} listed      the objects list of a whole state (null: too long, asked for)
 * @property {string} key                      names the model in the page (its objects list's keeper)
 */

/**
 * Browser -> kernel (Python: `PanelRequest`).
 * @typedef {{type: "label", label: string}} PickLabel
 * @typedef {{type: "classify", label: string, on: boolean}} Classify
 * @typedef {{type: "select", key: number}} SelectObject
 * @typedef {{type: "hover", key: number}} HoverObject
 * @typedef {{type: "object", key: number, action: "hide" | "show" | "lock" | "unlock" | "delete"}} ObjectAction
 * @typedef {{type: "attribute", key: string, value: any}} SetAttribute
 * @typedef {{type: "object_id", value: string}} SetObjectId
 * @typedef {{type: "objects"}} ObjectsRequest   every object, please (a new view, or a change missed)
 * @typedef {PickLabel | Classify | SelectObject | HoverObject | ObjectAction | SetAttribute | SetObjectId
 *   | ObjectsRequest} PanelRequest
 */

/**
 * Kernel -> browser: the widget base's status, shown briefly ("box 3 relabelled cat → dog").
 * @typedef {{type: "notice", kind: "error" | "notice", error?: string, notice?: string}} Notice
 */

/** @typedef {import("@anywidget/types").AnyModel<PanelTraits>} Model */

/**
 * The traits the kernel leaves out of the model's first state while they hold their defaults, which are
 * these (Python: `SidePanel._own_defaults`; and `listed`, whose default, null, is its absence too).
 * @type {Pick<PanelTraits, "label" | "recent" | "classifications" | "selected" | "hidden" | "locked" | "selection">}
 */
const DEFAULTS = { label: "", recent: [], classifications: [], selected: -1, hidden: [], locked: [], selection: {} };

/**
 * The trait `name` of `model`, or its default while the kernel has not sent it.
 * @template {keyof typeof DEFAULTS} K
 * @param {Model} model
 * @param {K} name
 * @returns {PanelTraits[K]}
 */
const read = (model, name) => model.get(name) ?? DEFAULTS[name];

/**
 * What is open, as the header shows it.
 * @param {Model} model
 * @returns {Header}
 */
function header(model) {
  const [name, folder, size, position, annotations] = model.get("header") ?? [];
  return { name, folder, size, position, annotations };
}

/** @type {WeakMap<object, LabelRow[]>} */
const LABEL_ROWS = new WeakMap();

/**
 * The ontology's labels, one row each (made once per value the kernel sends).
 * @param {Model} model
 * @returns {LabelRow[]}
 */
function labelRows(model) {
  const sent = model.get("labels") ?? [[], []];
  let rows = LABEL_ROWS.get(sent);
  if (!rows) {
    const [names, colors] = sent;
    rows = names.map((name, n) => ({ name, color: colors[n], hotkey: n < 9 ? n + 1 : 0 }));
    LABEL_ROWS.set(sent, rows);
  }
  return rows;
}

const ROW_HEIGHT = 24; // px, both lists: a row's place is its index times this
const OVERSCAN = 6; // rows drawn above and below the view, so a fast scroll shows no gap
const NOTICE_MS = 4000;
let fieldIds = 0; // ids that tie the form's labels to their inputs, unique in the page

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

/** @param {string} color */
function swatch(color) {
  const node = element("span", "dlw-swatch");
  node.style.background = color || "var(--jp-layout-color3, GrayText)";
  return node;
}

/**
 * A scrolling list that holds only the rows in view (and a few around them) in the page. Rows have one
 * height and are placed by a transform; a row scrolled out is kept and filled again for one coming in, so
 * scrolling makes no elements and never lays out the rows that stay.
 * @param {string} className
 * @param {() => HTMLElement} makeRow an empty row
 * @param {(row: HTMLElement, index: number) => void} fillRow shows the list's row `index` in `row`
 */
function virtualList(className, makeRow, fillRow) {
  const box = element("div", `dlw-virtual ${className}`);
  const spacer = element("div", "dlw-virtual-spacer");
  box.appendChild(spacer);
  let count = 0;
  let drawnFrom = -1;
  let drawnTo = -1;
  let frame = 0;
  /** @type {Map<number, HTMLElement>} */
  const drawn = new Map(); // index -> its row in the page
  /** @type {HTMLElement[]} */
  const spare = []; // rows out of the page, to be filled again
  // Until the page has laid the list out, it is taken as at its top and 240 px high: reading its scroll
  // or size before would make the browser lay out the whole page at once.
  let isLaidOut = false;
  // Scrolling refills only the rows coming in; `force` (new data) refills the rows in view too.
  const draw = (force = false) => {
    frame = 0;
    const top = isLaidOut ? box.scrollTop : 0;
    const height = (isLaidOut ? box.clientHeight : 0) || 240;
    const from = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const to = Math.min(count, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    if (!force && from === drawnFrom && to === drawnTo) return;
    drawnFrom = from;
    drawnTo = to;
    for (const [index, row] of drawn) {
      if (index < from || index >= to) {
        drawn.delete(index);
        spare.push(row);
      } else if (force) {
        fillRow(row, index);
      }
    }
    const kept = drawn.size ? Math.min(...drawn.keys()) : to;
    /** @type {HTMLElement[]} */
    const above = []; // rows before those kept go before them: the page's order is the list's
    /** @type {HTMLElement[]} */
    const below = [];
    for (let index = from; index < to; index++) {
      if (drawn.has(index)) continue;
      const row = spare.pop() || makeRow();
      row.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
      row.dataset.index = String(index);
      fillRow(row, index);
      drawn.set(index, row);
      (index < kept ? above : below).push(row);
    }
    for (const row of spare) row.remove();
    if (above.length) spacer.prepend(...above);
    if (below.length) spacer.append(...below);
  };
  const onScroll = () => {
    if (!frame) frame = requestAnimationFrame(() => draw());
  };
  box.addEventListener("scroll", onScroll, { passive: true });
  frame = requestAnimationFrame(() => {
    isLaidOut = true;
    draw(true);
  });
  return {
    box,
    toTop() {
      if (isLaidOut) box.scrollTop = 0;
    },
    /** @param {number} rows how many rows there are now; those in view are filled again */
    setCount(rows) {
      if (rows !== count) spacer.style.height = `${rows * ROW_HEIGHT}px`;
      count = rows;
      draw(true);
    },
    /** @param {number} index a row brought into view */
    reveal(index) {
      const top = index * ROW_HEIGHT;
      if (top < box.scrollTop) box.scrollTop = top;
      else if (top + ROW_HEIGHT > box.scrollTop + box.clientHeight) box.scrollTop = top + ROW_HEIGHT - box.clientHeight;
      draw(true);
    },
    dispose() {
      box.removeEventListener("scroll", onScroll);
      if (frame) cancelAnimationFrame(frame);
    },
  };
}

/**
 * Set the traits the objects list (or its change) carries (as a kernel update would); the same again is
 * no change.
 * @param {Model} model
 * @param {ObjectsShown | ObjectsChanged} message
 */
function setCarriedState(model, message) {
  const state = message.state ?? {};
  for (const key of /** @type {(keyof PanelTraits)[]} */ (Object.keys(state))) {
    const value = state[key];
    if (value !== undefined) model.set(key, value);
  }
}

/**
 * A model's objects list as the page holds it, kept by the model's own listener from its state and each
 * change the kernel sends, so that a view built later (or a second view) shows it as it is now: the keys
 * in list order (ascending: a new object has a higher key), each object, the shapes per label.
 * @typedef {object} ObjectsStore
 * @property {number[]} keys
 * @property {Map<number, ListedObject>} objects
 * @property {Map<string, number>} counts
 * @property {number} revision          the kernel's revision of the list held; -1: none yet
 * @property {boolean} asked            the whole list is asked for and not come yet
 * @property {Set<() => void>} views    each view's repaint, called once the list changed
 */

/** @type {Map<string, ObjectsStore>} */
const STORES = new Map(); // by the model's `key`

/**
 * The objects list of the model named `key`, empty until its state or the kernel fills it.
 * @param {string} key
 * @returns {ObjectsStore}
 */
function storeFor(key) {
  let store = STORES.get(key);
  if (!store) {
    store = { keys: [], objects: new Map(), counts: new Map(), revision: -1, asked: false, views: new Set() };
    STORES.set(key, store);
  }
  return store;
}

/**
 * Hold `list` (in its short form) as the whole objects list.
 * @param {ObjectsStore} store
 * @param {ObjectsList} list
 */
function takeList(store, list) {
  /** @type {(column: number[] | number | string, row: number) => string} a row's name */
  const name = (column, row) =>
    list.names[typeof column === "string" ? parseInt(column[row], 36) : Array.isArray(column) ? column[row] : column];
  const summaries = list.summaries;
  store.keys = [];
  store.objects.clear();
  for (let run = 0; run < list.keys.length; run += 2) {
    for (let key = list.keys[run]; key < list.keys[run] + list.keys[run + 1]; key++) {
      const row = store.keys.push(key) - 1;
      const summary = Array.isArray(summaries) ? summaries[row] : summaries;
      store.objects.set(key, { shape: name(list.shapes, row), label: name(list.labels, row), summary });
    }
  }
  store.revision = list.revision;
  store.asked = false;
}

/**
 * The list as held, in its short form, as the kernel writes it (Python: `ObjectRows.listed`): the names
 * in the order the rows first use them (a row's shape, then its label), the keys as runs, a column whose
 * rows all hold one value as that value, an index column as a base-36 digit a row while there are at
 * most 36 names.
 * @param {ObjectsStore} store
 * @returns {ObjectsList}
 */
function listedForm(store) {
  /** @type {Map<string, number>} */
  const names = new Map();
  /** @param {string} name */
  const index = (name) => names.get(name) ?? (names.set(name, names.size), names.size - 1);
  /** @type {number[]} */
  const shapes = [];
  /** @type {number[]} */
  const labels = [];
  /** @type {string[]} */
  const summaries = [];
  /** @type {number[]} */
  const keys = [];
  for (const key of store.keys) {
    const object = /** @type {ListedObject} */ (store.objects.get(key));
    shapes.push(index(object.shape));
    labels.push(index(object.label));
    summaries.push(object.summary);
    const last = keys.length - 2;
    if (last >= 0 && keys[last] + keys[last + 1] === key) keys[last + 1] += 1;
    else keys.push(key, 1);
  }
  /** @type {<T>(values: T[]) => T[] | T} */
  const column = (values) => (values.length && values.every((value) => value === values[0]) ? values[0] : values);
  /** @param {number[]} values */
  const indexes = (values) => {
    const alike = column(values);
    if (typeof alike === "number" || names.size > 36) return alike;
    return values.map((value) => value.toString(36)).join("");
  };
  return {
    revision: store.revision,
    keys,
    names: [...names.keys()],
    shapes: indexes(shapes),
    labels: indexes(labels),
    summaries: column(summaries),
  };
}

/**
 * Apply `change` to the list; false when it is not the list's next revision (a change missed).
 * @param {ObjectsStore} store
 * @param {ObjectsChanged} change
 */
function takeChange(store, change) {
  if (change.base !== store.revision) return false;
  let isReordered = change.removed.length > 0;
  for (const key of change.removed) store.objects.delete(key);
  for (const [key, shape, label, summary] of change.rows) {
    isReordered ||= !store.objects.has(key);
    store.objects.set(key, { shape, label, summary });
  }
  if (isReordered) store.keys = [...store.objects.keys()].sort((a, b) => a - b);
  store.revision = change.revision;
  return true;
}

/**
 * Ask the kernel for the whole list, once until it comes.
 * @param {Model} model
 * @param {ObjectsStore} store
 */
function askObjects(model, store) {
  if (store.asked) return;
  store.asked = true;
  /** @type {ObjectsRequest} */
  const request = { type: "objects" };
  model.send(request);
}

/** @typedef {import("./shared_module.js").Listen} Listen */

/**
 * The model's own listeners: the traits a new item's list carries are set and the objects list kept up
 * to date while no view shows the panel too; a change missed (one the list is not at the base of) asks
 * for the whole list again.
 * @param {import("@anywidget/types").InitializeProps<PanelTraits> & {listen: Listen}} props
 */
function initialize({ model, listen }) {
  const store = storeFor(model.get("key"));
  const changed = () => {
    store.counts = new Map(); // shapes per label (classifications are not shapes)
    for (const object of store.objects.values()) {
      if (object.shape !== "class") store.counts.set(object.label, (store.counts.get(object.label) ?? 0) + 1);
    }
    store.views.forEach((repaint) => repaint());
  };
  /** @type {ObjectsList | null} */
  let written = null;
  const onListed = () => {
    const list = model.get("listed"); // left out of the state (null): asked for
    if (list && list !== written) (takeList(store, list), changed());
  };
  // The list as the page shows it goes back into the model's `listed`, here only (never sent to the
  // kernel, which writes its own whenever a page asks for the whole state): a notebook saved with its
  // widgets' state shows the list as it was, not as the model opened with it.
  const keep = () => {
    written = listedForm(store);
    model.set("listed", written);
  };
  /** @param {{type: string}} message */
  const onMessage = (message) => {
    if (isObjectsShown(message)) {
      setCarriedState(model, message); // before the list: its labels' counts are painted with it
      takeList(store, message);
      changed();
      keep();
    } else if (isObjectsChanged(message)) {
      setCarriedState(model, message);
      if (takeChange(store, message)) (changed(), keep());
      else askObjects(model, store);
    }
  };
  onListed();
  const unlisten = listen(model, { "msg:custom": onMessage, "change:listed": onListed });
  return () => {
    unlisten();
    STORES.delete(model.get("key"));
  };
}

// The height of the last panel built in the page: a panel made after it keeps that room until built.
let keptHeight = 0;

/**
 * The panel's view. Once the page has shown a panel, the next keeps its height (its width is the
 * stylesheet's) and is built once the stage beside it has drawn (the page's loader says when:
 * `afterStages`), so that making it never delays the image and nothing around it moves; a first one is
 * built at once.
 * @param {import("@anywidget/types").RenderProps<PanelTraits>
 *   & {afterStages?: () => Promise<void> | null, listen: Listen}} props
 */
function render({ model, el, afterStages, listen }) {
  el.classList.add("dlw-annotator-panel");
  // JupyterLab and Notebook 7 skip their shortcuts for keys typed inside an element with this attribute.
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  const sized = new ResizeObserver(() => (keptHeight = el.offsetHeight || keptHeight));
  sized.observe(el);
  const waiting = keptHeight ? afterStages?.() : null;
  /** @type {(() => void) | null} */
  let dispose = waiting ? null : build(model, el, afterStages, listen);
  let isGone = false;
  if (waiting) {
    el.style.minHeight = `${keptHeight}px`;
    waiting.then(() => {
      if (isGone) return;
      el.style.minHeight = "";
      dispose = build(model, el, afterStages, listen);
    });
  }
  return () => {
    isGone = true;
    sized.disconnect();
    dispose?.();
  };
}

/**
 * Build the panel's DOM in `el` and follow the model; the cleanup. A list too long for the model's state
 * is asked for once the page's stages have drawn (`afterStages`), so that its round trip (the kernel's
 * busy and idle status, the list) comes after the image, on a page's first panel too.
 * @param {Model} model
 * @param {HTMLElement} el
 * @param {(() => Promise<void> | null) | undefined} afterStages
 * @param {Listen} listen
 * @returns {() => void}
 */
function build(model, el, afterStages, listen) {
  /** @param {PanelRequest} message */
  const send = (message) => model.send(message);

  // -- header ---------------------------------------------------------------------------------------
  const top = element("div", "dlw-panel-header");
  const name = element("div", "dlw-item-name");
  const meta = element("div", "dlw-item-meta");
  top.append(name, meta);
  const flash = element("div", "dlw-panel-flash");
  flash.setAttribute("role", "status");
  const paintHeader = () => {
    const h = header(model);
    name.textContent = h.name || "";
    name.title = h.name || "";
    const count = h.annotations === 1 ? "1 annotation" : `${h.annotations ?? 0} annotations`;
    meta.textContent = [h.folder, h.size, h.position, count]
      .filter(Boolean)
      .join(" · ");
  };

  // -- labels ---------------------------------------------------------------------------------------
  const search = element("input", "dlw-label-search");
  search.type = "search";
  search.placeholder = "search labels";
  search.setAttribute("aria-label", "search labels");
  search.setAttribute("data-lm-suppress-shortcuts", "true");
  const recentBox = element("div", "dlw-recent");
  /** @type {LabelRow[]} */
  let shownLabels = [];
  /** @type {string[]} */
  let searchKeys = []; // each label's name lowercased, made once per ontology, for the search
  let activeIndex = 0; // the match Enter picks
  /** @type {Set<string>} */
  let classified = new Set();
  const store = storeFor(model.get("key")); // the objects list, kept by the model (`initialize`)
  const makeLabelRow = () => {
    const row = element("div", "dlw-label-row");
    const classify = element("input", "dlw-classify");
    classify.type = "checkbox";
    row.append(swatch(""), element("span", "dlw-hotkey"), element("span", "dlw-label-name"), element("span", "dlw-count"), classify);
    return row;
  };
  /** @param {HTMLElement} row @param {number} index */
  const fillLabelRow = (row, index) => {
    const label = shownLabels[index];
    const [color, hotkey, name, count, classify] = /** @type {HTMLElement[]} */ ([...row.children]);
    row.dataset.label = label.name;
    row.title = label.name;
    row.classList.toggle("dlw-current", label.name === read(model, "label"));
    row.classList.toggle("dlw-active", index === activeIndex && search.value !== "");
    color.style.background = label.color || "var(--jp-layout-color3, GrayText)";
    hotkey.textContent = label.hotkey ? String(label.hotkey) : "";
    name.textContent = label.name;
    count.textContent = String(store.counts.get(label.name) || "");
    const box = /** @type {HTMLInputElement} */ (classify);
    box.checked = classified.has(label.name);
    box.title = `classify the item as ${label.name}`;
    box.setAttribute("aria-label", `classify as ${label.name}`);
  };
  const labelList = virtualList("dlw-label-list", makeLabelRow, fillLabelRow);
  const filterLabels = () => {
    const query = search.value.trim().toLowerCase();
    const all = labelRows(model);
    shownLabels = query ? all.filter((_, index) => searchKeys[index].includes(query)) : all;
    activeIndex = 0;
    labelList.toTop();
    labelList.setCount(shownLabels.length);
  };
  const paintLabels = () => labelList.setCount(shownLabels.length);
  const paintRecent = () => {
    const colors = new Map(labelRows(model).map((label) => [label.name, label.color]));
    const current = read(model, "label");
    recentBox.replaceChildren(
      ...read(model, "recent").map((recent) => {
        const chip = element("button", "dlw-recent-label");
        chip.append(swatch(colors.get(recent) || ""), document.createTextNode(recent));
        chip.dataset.label = recent;
        chip.classList.toggle("dlw-current", recent === current);
        return chip;
      }),
    );
  };
  /** @param {MouseEvent} event */
  const onLabelClick = (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const row = /** @type {HTMLElement | null} */ (target.closest("[data-label]"));
    if (!row || row.dataset.label === undefined) return;
    if (target instanceof HTMLInputElement && target.classList.contains("dlw-classify")) {
      send({ type: "classify", label: row.dataset.label, on: target.checked });
    } else {
      send({ type: "label", label: row.dataset.label });
    }
  };
  /** @param {KeyboardEvent} event */
  const onSearchKey = (event) => {
    event.stopPropagation(); // typing here is never a shortcut of the notebook or the canvas
    if (event.key === "Enter" && shownLabels[activeIndex]) {
      send({ type: "label", label: shownLabels[activeIndex].name });
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      activeIndex = Math.min(Math.max(activeIndex + step, 0), Math.max(shownLabels.length - 1, 0));
      labelList.reveal(activeIndex);
    } else if (event.key === "Escape") {
      if (search.value) {
        search.value = "";
        filterLabels();
      } else {
        search.blur();
      }
    } else {
      return;
    }
    event.preventDefault();
  };

  // -- classifications --------------------------------------------------------------------------------
  const classBox = element("div", "dlw-classifications");
  const paintClassifications = () => {
    const active = read(model, "classifications");
    classBox.replaceChildren(
      ...(active.length
        ? active.map((label) => {
            const chip = element("button", "dlw-classification", `${label} ×`);
            chip.dataset.label = label;
            chip.title = `remove the classification ${label}`;
            return chip;
          })
        : [element("span", "dlw-empty", "none: tick a label's box to classify the item")]),
    );
  };
  /** @param {MouseEvent} event */
  const onClassClick = (event) => {
    const chip = /** @type {HTMLElement} */ (event.target).closest("button");
    if (chip && chip.dataset.label) send({ type: "classify", label: chip.dataset.label, on: false });
  };

  // -- objects --------------------------------------------------------------------------------------
  /** @type {Map<string, string>} */
  let colors = new Map();
  let hovered = -1;
  /** @type {Set<number>} */
  let hiddenKeys = new Set();
  /** @type {Set<number>} */
  let lockedKeys = new Set();
  const makeObjectRow = () => {
    const row = element("div", "dlw-object-row");
    const hide = element("button", "dlw-hide");
    const lock = element("button", "dlw-lock");
    const remove = element("button", "dlw-delete", "✕");
    remove.dataset.action = "delete";
    row.append(
      swatch(""),
      element("span", "dlw-object-number"),
      element("span", "dlw-object-label"),
      element("span", "dlw-object-summary"),
      hide,
      lock,
      remove,
    );
    return row;
  };
  /** @param {HTMLElement} row @param {number} index */
  const fillObjectRow = (row, index) => {
    const key = store.keys[index];
    const object = /** @type {ListedObject} */ (store.objects.get(key));
    const hidden = hiddenKeys.has(key);
    const locked = lockedKeys.has(key);
    const name = `${object.shape} ${index + 1}`;
    const [color, number, label, summary, hide, lock, remove] = /** @type {HTMLButtonElement[]} */ ([...row.children]);
    row.dataset.key = String(key);
    row.classList.toggle("dlw-selected", key === read(model, "selected"));
    row.classList.toggle("dlw-hidden", hidden);
    row.classList.toggle("dlw-locked", locked);
    color.style.background = colors.get(object.label) || "var(--jp-layout-color3, GrayText)";
    number.textContent = name;
    label.textContent = object.label;
    summary.textContent = object.summary;
    hide.textContent = hidden ? "show" : "hide";
    hide.dataset.action = hidden ? "show" : "hide";
    hide.title = `${hidden ? "show" : "hide"} ${name}`;
    lock.textContent = locked ? "unlock" : "lock";
    lock.dataset.action = locked ? "unlock" : "lock";
    lock.title = `${locked ? "unlock" : "lock"} ${name}`;
    remove.title = `delete ${name}`;
    remove.disabled = locked;
    row.title = `${name}: ${object.label} ${object.summary}`.trim();
  };
  const objectList = virtualList("dlw-objects-list", makeObjectRow, fillObjectRow);
  const objectsTitle = element("div", "dlw-section-title", "Objects");
  const paintObjects = () => {
    colors = new Map(labelRows(model).map((label) => [label.name, label.color]));
    hiddenKeys = new Set(read(model, "hidden"));
    lockedKeys = new Set(read(model, "locked"));
    objectsTitle.textContent = `Objects (${store.keys.length})`;
    objectList.setCount(store.keys.length);
  };
  const revealSelected = () => {
    const index = store.keys.indexOf(read(model, "selected"));
    if (index >= 0) objectList.reveal(index);
    else paintObjects();
  };
  const onObjects = () => {
    paintObjects();
    paintLabels();
  };
  /** @param {MouseEvent} event */
  const onObjectClick = (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const row = /** @type {HTMLElement | null} */ (target.closest(".dlw-object-row"));
    if (!row) return;
    const key = Number(row.dataset.key);
    const action = target.closest("button")?.dataset.action;
    if (action === "hide" || action === "show" || action === "lock" || action === "unlock" || action === "delete") {
      send({ type: "object", key, action });
    } else {
      send({ type: "select", key });
    }
  };
  /** @param {MouseEvent} event */
  const onObjectHover = (event) => {
    const row = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (event.target).closest(".dlw-object-row"));
    const key = row ? Number(row.dataset.key) : -1;
    if (key !== hovered) {
      hovered = key;
      send({ type: "hover", key });
    }
  };
  const onObjectLeave = () => {
    if (hovered !== -1) {
      hovered = -1;
      send({ type: "hover", key: -1 });
    }
  };

  // -- the selected shape's form ----------------------------------------------------------------------
  const form = element("div", "dlw-selection");
  let formShape = "";
  const paintSelection = () => {
    const selection = /** @type {Selection | {}} */ (read(model, "selection"));
    if (!("key" in selection)) {
      formShape = "";
      form.replaceChildren(element("i", "dlw-empty", "nothing selected"));
      return;
    }
    const shape = JSON.stringify([selection.key, selection.label, selection.fields.map((f) => f.key)]);
    if (shape === formShape && form.contains(document.activeElement)) {
      updateValues(selection);
      return;
    }
    formShape = shape;
    const title = element("div", "dlw-selection-title");
    title.append(
      element("span", "", `${selection.shape} ${selection.number} `),
      element("b", "", selection.label),
    );
    /** @type {HTMLElement[]} */
    const rows = [title];
    if (!selection.known) {
      rows.push(element("div", "dlw-unknown-label", `label '${selection.label}' is not in the ontology`));
    }
    const objectId = element("input", "dlw-object-id");
    objectId.dataset.field = "object_id";
    rows.push(labelled("object id", objectId));
    for (const field of selection.fields) rows.push(fieldEditor(field));
    form.replaceChildren(...rows);
    updateValues(selection);
  };
  /** @param {string} text @param {HTMLElement} input */
  const labelled = (text, input) => {
    const row = element("div", "dlw-field");
    const title = element("label", "dlw-field-title", text);
    input.id = `dlw-field-${++fieldIds}`;
    title.htmlFor = input.id;
    row.append(title, input);
    return row;
  };
  /** @param {AttributeField} field */
  const fieldEditor = (field) => {
    if (field.kind === "options" && field.multi) {
      const group = element("fieldset", "dlw-field dlw-multi");
      group.dataset.field = field.key;
      group.append(element("legend", "dlw-field-title", field.title));
      for (const value of field.values) {
        const box = element("input");
        box.type = "checkbox";
        box.value = value;
        group.append(labelled(value, box));
      }
      return group;
    }
    /** @type {HTMLInputElement | HTMLSelectElement} */
    let input;
    if (field.kind === "boolean") {
      input = element("input");
      input.type = "checkbox";
    } else if (field.kind === "options") {
      input = element("select");
      for (const value of ["", ...field.values]) input.append(new Option(value, value));
    } else if (field.kind === "range") {
      input = element("input");
      input.type = "range";
      input.min = String(field.min);
      input.max = String(field.max);
      input.step = String(field.step);
    } else {
      input = element("input");
    }
    input.dataset.field = field.key;
    const row = labelled(field.title, input);
    if (field.kind === "range") row.append(element("span", "dlw-readout"));
    return row;
  };
  /** @param {Selection} selection */
  const updateValues = (selection) => {
    const objectId = /** @type {HTMLInputElement | null} */ (form.querySelector(".dlw-object-id"));
    if (objectId && objectId !== document.activeElement) objectId.value = selection.object_id;
    for (const field of selection.fields) {
      const node = /** @type {HTMLElement | null} */ (form.querySelector(`[data-field="${CSS.escape(field.key)}"]`));
      if (!node || node === document.activeElement) continue;
      if (node instanceof HTMLFieldSetElement) {
        const chosen = new Set(field.value || []);
        for (const box of node.querySelectorAll("input")) box.checked = chosen.has(box.value);
      } else if (node instanceof HTMLSelectElement) {
        node.value = field.value ?? "";
      } else if (node instanceof HTMLInputElement && node.type === "checkbox") {
        node.checked = Boolean(field.value);
      } else if (node instanceof HTMLInputElement) {
        node.value = field.value === null || field.value === undefined ? (field.kind === "range" ? String(field.min) : "") : String(field.value);
        const readout = node.parentElement?.querySelector(".dlw-readout");
        if (readout) readout.textContent = field.value === null ? "–" : String(field.value);
      }
    }
  };
  /** @param {Event} event */
  const onFormChange = (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const holder = /** @type {HTMLElement | null} */ (target.closest("[data-field]"));
    if (!holder || holder.dataset.field === undefined) return;
    const key = holder.dataset.field;
    if (key === "object_id" && target instanceof HTMLInputElement) {
      send({ type: "object_id", value: target.value });
    } else if (holder instanceof HTMLFieldSetElement) {
      const chosen = [...holder.querySelectorAll("input")].filter((box) => box.checked).map((box) => box.value);
      send({ type: "attribute", key, value: chosen.length ? chosen : null });
    } else if (target instanceof HTMLSelectElement) {
      send({ type: "attribute", key, value: target.value || null });
    } else if (target instanceof HTMLInputElement && target.type === "checkbox") {
      send({ type: "attribute", key, value: target.checked });
    } else if (target instanceof HTMLInputElement && target.type === "range") {
      send({ type: "attribute", key, value: Number(target.value) });
    } else if (target instanceof HTMLInputElement) {
      send({ type: "attribute", key, value: target.value || null });
    }
  };
  /** @param {KeyboardEvent} event */
  const onFormKey = (event) => event.stopPropagation();

  // -- notices --------------------------------------------------------------------------------------
  let flashTimer = 0;
  /** @param {{type: string}} message */
  const onMessage = (message) => {
    if (!isNotice(message)) return;
    flash.textContent = message.kind === "error" ? message.error || "" : message.notice || "";
    flash.classList.toggle("dlw-error", message.kind === "error");
    flash.classList.add("dlw-shown");
    clearTimeout(flashTimer);
    flashTimer = window.setTimeout(() => flash.classList.remove("dlw-shown"), NOTICE_MS);
  };

  const labelsTitle = element("div", "dlw-section-title", "Labels");
  const classTitle = element("div", "dlw-section-title", "Classification");
  const formTitle = element("div", "dlw-section-title", "Selected");
  el.append(
    top, flash, labelsTitle, search, recentBox, labelList.box, classTitle, classBox, objectsTitle,
    objectList.box, formTitle, form,
  );

  const onLabels = () => {
    searchKeys = labelRows(model).map((label) => label.name.toLowerCase());
    filterLabels();
    paintRecent();
    paintObjects();
  };
  const onCurrent = () => {
    paintLabels();
    paintRecent();
  };
  const onClassifications = () => {
    classified = new Set(read(model, "classifications"));
    paintLabels();
    paintClassifications();
  };
  search.addEventListener("input", filterLabels);
  search.addEventListener("keydown", onSearchKey);
  labelList.box.addEventListener("click", onLabelClick);
  recentBox.addEventListener("click", onLabelClick);
  classBox.addEventListener("click", onClassClick);
  objectList.box.addEventListener("click", onObjectClick);
  objectList.box.addEventListener("mouseover", onObjectHover);
  objectList.box.addEventListener("mouseleave", onObjectLeave);
  form.addEventListener("change", onFormChange);
  form.addEventListener("keydown", onFormKey);
  const unlisten = listen(model, {
    "change:header": paintHeader,
    "change:labels": onLabels,
    "change:label": onCurrent,
    "change:recent": paintRecent,
    "change:classifications": onClassifications,
    "change:selected": revealSelected,
    "change:hidden": paintObjects,
    "change:locked": paintObjects,
    "change:selection": paintSelection,
    "msg:custom": onMessage,
  });
  paintHeader();
  onLabels();
  onClassifications();
  paintSelection();
  store.views.add(onObjects);
  let isBuilt = true;
  // A list too long for the model's state is asked for once the page's stages have drawn.
  const drawn = afterStages?.();
  if (drawn) drawn.then(() => isBuilt && store.revision < 0 && askObjects(model, store));
  else if (store.revision < 0) askObjects(model, store);
  return () => {
    isBuilt = false;
    store.views.delete(onObjects);
    unlisten();
    labelList.dispose();
    objectList.dispose();
    clearTimeout(flashTimer);
  };
}

/**
 * @param {{type: string}} msg
 * @returns {msg is Notice}
 */
function isNotice(msg) {
  return msg.type === "notice";
}

/**
 * @param {{type: string}} msg
 * @returns {msg is ObjectsShown}
 */
function isObjectsShown(msg) {
  return msg.type === "objects";
}

/**
 * @param {{type: string}} msg
 * @returns {msg is ObjectsChanged}
 */
function isObjectsChanged(msg) {
  return msg.type === "objects-changed";
}

export { listedForm, storeFor, takeList };
export default { initialize, render };

// @ts-check
// The OntologyEditor's label and attribute lists (dlwidgets/widgets/ontology_lists.py). The attribute
// rows arrive in a synced list; the label rows as messages: all of them when the view asks, then the rows
// each edit changed. The label list draws only the rows in view (a virtual scroller of fixed-height rows),
// so a 1,000-label ontology costs some thirty rows of DOM. The search box filters in the browser, with no
// kernel round trip. Each edit goes to the kernel as one small custom message (ListMessage); the kernel
// applies it to its draft and answers with the rows it changed. Names are only ever set as text or as input
// values, never as HTML. Only anywidget's narrow model API is used (get, set, save_changes, on, off, send).

/**
 * One label as the list shows it (Python: `LabelRow`, made by `label_rows(draft, problems)`).
 * @typedef {object} LabelRow
 * @property {number} uid       the draft's id of the label, which messages name it by
 * @property {string} name      its own part of the tag
 * @property {string} tag       its whole path: "car.wheel"
 * @property {number} depth
 * @property {number} parent    the parent's uid; 0 for a top label
 * @property {number} index     its place among its siblings
 * @property {string} color
 * @property {string} display
 * @property {number} hotkey    the annotator's number key; 0 for none
 * @property {string} origin    its tag as stored, which annotations carry; "" for a new label
 * @property {string[]} problems
 */

/**
 * One attribute as the list shows it (Python: `AttributeRow`).
 * @typedef {object} AttributeRow
 * @property {number} uid
 * @property {string} title
 * @property {string} key
 * @property {string} description
 * @property {string[]} problems
 */

/**
 * The delete being asked about (Python: `Confirm`); empty for none.
 * @typedef {{uid?: number, text?: string}} Confirm
 */

/**
 * The synced traits (Python: `OntologyLists`'s traitlets).
 * @typedef {object} ListsTraits
 * @property {AttributeRow[]} attributes
 * @property {Record<string, number> | null} counts  annotations per stored tag; null until counted
 * @property {Confirm} confirm
 * @property {string} new_label  the "new label" fields, synced as typed
 * @property {string} new_color
 */

/**
 * Browser -> kernel (Python: `ListMessage`): one edit each.
 * @typedef {{type: "edit", uid: number, field: "name" | "color" | "display", value: string}} LabelEdit
 * @typedef {{type: "move", uid: number, offset: number}} LabelMove
 * @typedef {{type: "nest", uid: number, parent: number, index: number}} LabelNest
 * @typedef {{type: "add", tag: string, color: string}} LabelAdd
 * @typedef {{type: "delete", uid: number}} LabelDelete
 * @typedef {{type: "confirm", uid: number}} DeleteConfirm
 * @typedef {{type: "cancel", uid: number}} DeleteCancel
 * @typedef {{type: "edit-attribute", uid: number}} AttributeEdit
 * @typedef {{type: "delete-attribute", uid: number}} AttributeDelete
 * @typedef {{type: "new-attribute"}} AttributeNew
 * @typedef {{type: "count"}} CountRequest
 * @typedef {{type: "labels"}} LabelsRequest   every label row, please (a new view, or a change missed)
 * @typedef {LabelEdit | LabelMove | LabelNest | LabelAdd | LabelDelete | DeleteConfirm | DeleteCancel | AttributeEdit
 *   | AttributeDelete | AttributeNew | CountRequest | LabelsRequest} ListMessage
 */

/**
 * Kernel -> browser: every label row, in list order (Python: `LabelsShown`).
 * @typedef {{type: "labels", revision: number, rows: LabelRow[]}} LabelsShown
 */

/**
 * Kernel -> browser: what one edit did to the list at revision `base`: rows added or changed, uids removed,
 * and every uid in order when the order changed otherwise than by rows added at the end (Python:
 * `LabelsChanged`).
 * @typedef {{type: "labels-changed", base: number, revision: number, rows: LabelRow[], removed: number[],
 *   order: number[]}} LabelsChanged
 */

/** @typedef {import("@anywidget/types").AnyModel<ListsTraits>} Model */

const ROW_HEIGHT = 30; // px, as .dlw-label-row in ontology_lists.css
const VISIBLE_ROWS = 14;
const OVERSCAN = 6;

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
 * A focusable control whose keys stay out of the notebook's shortcuts.
 * @param {string} tag
 * @param {string} className
 * @param {string} [text]
 */
function control(tag, className, text) {
  const node = element(tag, className, text);
  node.setAttribute("data-lm-suppress-shortcuts", "true");
  return node;
}

/**
 * How many annotations use a label: they carry its stored tag (a new label has none yet).
 * @param {LabelRow} row
 * @param {Record<string, number> | null} counts
 */
function countText(row, counts) {
  if (!counts) return "…";
  const count = row.origin ? counts[row.origin] || 0 : 0;
  return count === 1 ? "1 annotation" : `${count} annotations`;
}

/** @param {{model: Model, el: HTMLElement, listen: import("./shared_module.js").Listen}} context */
function render({ model, el, listen }) {
  el.classList.add("dlw-ontology-lists");
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  /** @param {ListMessage} message */
  const send = (message) => model.send(message);

  // -- labels: heading, search, confirm bar, the scroller, the new-label row ----------------------------
  const heading = element("div", "dlw-heading");
  const hint =
    " (number: the annotator's hotkey; Alt+↑/↓ or drag ⠿ onto a sibling's left half to move;" +
    " Alt+→/← or drag onto a label's right half to nest under it)";
  heading.append(element("b", "", "Labels"), element("span", "dlw-hint", hint));
  const search = /** @type {HTMLInputElement} */ (control("input", "dlw-label-search"));
  search.type = "search";
  search.placeholder = "search labels";
  const found = element("span", "dlw-found");
  const searchBar = element("div", "dlw-search-bar");
  searchBar.append(search, found);

  const confirmBar = element("div", "dlw-confirm");
  const confirmText = element("span", "dlw-delete-warning");
  const confirmDelete = control("button", "dlw-confirm-delete", "Delete");
  const cancelDelete = control("button", "dlw-cancel-delete", "Cancel");
  confirmBar.append(confirmText, confirmDelete, cancelDelete);

  const scroller = control("div", "dlw-label-scroller");
  scroller.setAttribute("role", "list");
  const spacer = element("div", "dlw-label-spacer");
  scroller.appendChild(spacer);
  const empty = element("div", "dlw-empty");

  const newLabel = element("div", "dlw-new-label");
  const newName = /** @type {HTMLInputElement} */ (control("input", "dlw-new-label-name"));
  newName.type = "text";
  newName.placeholder = "new label (a child: parent.child)";
  const newColor = /** @type {HTMLInputElement} */ (control("input", "dlw-new-label-color"));
  newColor.type = "color";
  newColor.value = "#1f77b4";
  const addButton = control("button", "dlw-add-label", "Add label");
  newLabel.append(newName, newColor, addButton);

  // -- attributes ---------------------------------------------------------------------------------------
  const attributeHeading = element("div", "dlw-heading");
  attributeHeading.append(element("b", "", "Attributes"));
  const attributeList = element("div", "dlw-attribute-list");
  const newAttribute = control("button", "dlw-new-attribute", "New attribute");

  el.append(heading, searchBar, confirmBar, scroller, empty, newLabel);
  el.append(attributeHeading, attributeList, newAttribute);

  /** @type {LabelRow[]} */
  let shown = []; // the rows the search lets through, in order
  /** @type {Map<number, HTMLElement>} */
  const nodes = new Map(); // uid -> its row, while in view
  /** @type {number | null} */
  let dragged = null;
  /** @type {LabelRow[]} */
  let labels = []; // every label row, in list order, as the kernel's messages left them
  let revision = -1; // the kernel's revision of the list held here; -1: none yet
  let asked = false; // the whole list is asked for and not come yet
  const askLabels = () => {
    if (asked) return;
    asked = true;
    send({ type: "labels" });
  };
  /** @param {{type: string}} message */
  const onMessage = (message) => {
    if (isLabelsShown(message)) {
      labels = message.rows;
      revision = message.revision;
      asked = false;
      filter();
    } else if (isLabelsChanged(message)) {
      if (message.base !== revision) return askLabels(); // a change this view missed: all of it again
      const removed = new Set(message.removed);
      const byUid = new Map(labels.filter((row) => !removed.has(row.uid)).map((row) => [row.uid, row]));
      for (const row of message.rows) byUid.set(row.uid, row); // a new uid goes last, as the kernel's list
      const order = message.order.length ? message.order : [...byUid.keys()];
      labels = order.map((uid) => /** @type {LabelRow} */ (byUid.get(uid)));
      revision = message.revision;
      filter();
    }
  };

  const filter = () => {
    /** @type {LabelRow[]} */
    const rows = labels;
    const query = search.value.trim().toLowerCase();
    shown = query
      ? rows.filter((row) => `${row.tag}\n${row.display}`.toLowerCase().includes(query))
      : rows;
    found.textContent = query ? `${shown.length} of ${rows.length}` : "";
    const none = revision < 0 ? "reading the labels…" : "no labels yet";
    empty.textContent = rows.length ? (shown.length ? "" : "no label matches") : none;
    spacer.style.height = `${shown.length * ROW_HEIGHT}px`;
    scroller.style.height = `${Math.min(Math.max(shown.length, 1), VISIBLE_ROWS) * ROW_HEIGHT + 2}px`;
    draw();
  };

  /** @param {LabelRow} row */
  const makeRow = (row) => {
    const node = element("div", "dlw-label-row");
    node.setAttribute("role", "listitem");
    const handle = element("span", "dlw-handle", "⠿");
    handle.title = "drag onto a sibling's left half to move it there, onto a label's right half to nest it";
    node.draggable = true;
    const name = /** @type {HTMLInputElement} */ (control("input", "dlw-label-name"));
    name.type = "text";
    const color = /** @type {HTMLInputElement} */ (control("input", "dlw-label-color"));
    color.type = "color";
    const display = /** @type {HTMLInputElement} */ (control("input", "dlw-label-display"));
    display.type = "text";
    display.placeholder = "display name";
    const up = control("button", "dlw-move-up", "↑");
    up.title = "Move up (Alt+↑)";
    const down = control("button", "dlw-move-down", "↓");
    down.title = "Move down (Alt+↓)";
    const child = control("button", "dlw-add-child", "+ child");
    child.title = "Add a child label";
    const remove = control("button", "dlw-delete-label", "✕");
    remove.title = "Delete this label";
    node.append(
      handle, element("span", "dlw-hotkey"), color, name, display, element("span", "dlw-count"),
      up, down, child, remove, element("span", "dlw-problem"),
    );
    return node;
  };

  /** @param {HTMLElement} node @param {LabelRow} row @param {number} position */
  const fill = (node, row, position) => {
    node.dataset.uid = String(row.uid);
    node.style.top = `${position * ROW_HEIGHT}px`;
    node.classList.toggle("dlw-has-problem", row.problems.length > 0);
    const [hotkey, count, problem] = ["dlw-hotkey", "dlw-count", "dlw-problem"].map(
      (c) => /** @type {HTMLElement} */ (node.querySelector(`.${c}`)),
    );
    hotkey.textContent = row.hotkey ? String(row.hotkey) : "";
    count.textContent = countText(row, model.get("counts"));
    problem.textContent = row.problems.join("; ");
    problem.title = row.problems.join("\n");
    const name = /** @type {HTMLInputElement} */ (node.querySelector(".dlw-label-name"));
    name.style.marginLeft = `${row.depth * 20}px`;
    name.title = row.tag;
    const color = /** @type {HTMLInputElement} */ (node.querySelector(".dlw-label-color"));
    const display = /** @type {HTMLInputElement} */ (node.querySelector(".dlw-label-display"));
    // A field being typed in keeps what is typed; the kernel's value lands once it is left.
    if (document.activeElement !== name) name.value = row.name;
    if (document.activeElement !== display) display.value = row.display;
    color.value = /^#[0-9a-f]{6}$/.test(row.color) ? row.color : "#000000";
  };

  const draw = () => {
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(shown.length, first + VISIBLE_ROWS + 2 * OVERSCAN);
    const wanted = new Set();
    /** @type {HTMLElement[]} */
    const ordered = [];
    for (let position = first; position < last; position++) {
      const row = shown[position];
      wanted.add(row.uid);
      let node = nodes.get(row.uid);
      if (!node) {
        node = makeRow(row);
        nodes.set(row.uid, node);
      }
      fill(node, row, position);
      ordered.push(node);
    }
    for (const [uid, node] of nodes) {
      if (!wanted.has(uid) && !node.contains(document.activeElement)) {
        node.remove();
        nodes.delete(uid);
      }
    }
    putInOrder(ordered);
  };

  // The rows' DOM order is their order on screen, for Tab and for screen readers; the row being typed
  // in is never moved itself (moving it would take the focus away), the others go around it.
  /** @param {HTMLElement[]} ordered */
  const putInOrder = (ordered) => {
    const inView = new Set(ordered);
    const present = Array.from(spacer.children).filter((node) => inView.has(/** @type {any} */ (node)));
    if (present.length === ordered.length && present.every((node, i) => node === ordered[i])) return;
    const focused = ordered.find((node) => node.contains(document.activeElement) && node.parentNode);
    const at = focused ? ordered.indexOf(focused) : ordered.length;
    for (const node of ordered.slice(0, at)) spacer.insertBefore(node, focused || null);
    for (const node of ordered.slice(at + 1)) spacer.appendChild(node);
  };

  /** @param {Event} event @returns {LabelRow | undefined} */
  const rowOf = (event) => {
    const node = /** @type {HTMLElement} */ (event.target).closest(".dlw-label-row");
    if (!(node instanceof HTMLElement)) return undefined;
    const uid = Number(node.dataset.uid);
    return labels.find((/** @type {LabelRow} */ row) => row.uid === uid);
  };

  /** @param {Event} event */
  const onChange = (event) => {
    const target = /** @type {HTMLInputElement} */ (event.target);
    const row = rowOf(event);
    if (!row) return;
    const field = target.classList.contains("dlw-label-name")
      ? "name"
      : target.classList.contains("dlw-label-color")
        ? "color"
        : target.classList.contains("dlw-label-display")
          ? "display"
          : null;
    if (field) send({ type: "edit", uid: row.uid, field, value: target.value });
  };

  /** @param {Event} event */
  const onClick = (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const row = rowOf(event);
    if (!row) return;
    if (target.classList.contains("dlw-move-up")) send({ type: "move", uid: row.uid, offset: -1 });
    else if (target.classList.contains("dlw-move-down")) send({ type: "move", uid: row.uid, offset: 1 });
    else if (target.classList.contains("dlw-delete-label")) send({ type: "delete", uid: row.uid });
    else if (target.classList.contains("dlw-add-child")) {
      newName.value = `${row.tag}.`;
      onNewInput();
      newName.focus();
    }
  };

  /** @param {KeyboardEvent} event */
  const onKey = (event) => {
    const row = rowOf(event);
    if (!row) return;
    const target = /** @type {HTMLInputElement} */ (event.target);
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      send({ type: "move", uid: row.uid, offset: event.key === "ArrowUp" ? -1 : 1 });
    } else if (event.altKey && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      nestByKey(row, event.key === "ArrowRight");
    } else if (event.key === "Enter" && target.tagName === "INPUT") {
      target.blur(); // commits the field (its change event)
    } else if (event.key === "Escape") {
      target.blur();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  /** @param {DragEvent} event */
  const onDragStart = (event) => {
    const row = rowOf(event);
    if (!row || !event.dataTransfer) return;
    dragged = row.uid;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.tag);
  };

  // Alt+→ nests a label under the sibling above it (last of its children); Alt+← takes it out of its
  // parent, to just after it.
  /** @param {LabelRow} row @param {boolean} inward */
  const nestByKey = (row, inward) => {
    /** @type {LabelRow[]} */
    const rows = labels;
    if (inward) {
      const above = rows.find((r) => r.parent === row.parent && r.index === row.index - 1);
      if (above) send({ type: "nest", uid: row.uid, parent: above.uid, index: -1 });
    } else if (row.parent) {
      const parent = rows.find((r) => r.uid === row.parent);
      if (parent) send({ type: "nest", uid: row.uid, parent: parent.parent, index: parent.index + 1 });
    }
  };

  /**
   * What dropping the dragged label here does: onto a label's right half it nests under that label (not
   * under itself or its own children); onto a sibling's left half it moves there among its siblings.
   * @param {DragEvent} event
   * @returns {{from: LabelRow, over: LabelRow, nest: boolean} | null}
   */
  const dropOf = (event) => {
    const over = rowOf(event);
    const from = labels.find((/** @type {LabelRow} */ r) => r.uid === dragged);
    if (!over || !from || over.uid === from.uid) return null;
    const node = /** @type {HTMLElement} */ (/** @type {HTMLElement} */ (event.target).closest(".dlw-label-row"));
    const box = node.getBoundingClientRect();
    if (event.clientX > box.left + box.width / 2) {
      const inside = over.tag.startsWith(`${from.tag}.`);
      return inside || over.uid === from.parent ? null : { from, over, nest: true };
    }
    return over.parent === from.parent ? { from, over, nest: false } : null;
  };

  /** @param {HTMLElement | null} node the row a drop would nest under, marked; null: none */
  const markNest = (node) => {
    for (const marked of scroller.querySelectorAll(".dlw-drop-nest")) {
      if (marked !== node) marked.classList.remove("dlw-drop-nest");
    }
    node?.classList.add("dlw-drop-nest");
  };

  /** @param {DragEvent} event */
  const onDragOver = (event) => {
    const drop = dropOf(event);
    if (drop) event.preventDefault(); // only a place the label can go takes a drop
    const node = /** @type {HTMLElement} */ (event.target).closest(".dlw-label-row");
    markNest(drop?.nest && node instanceof HTMLElement ? node : null);
  };

  /** @param {DragEvent} event */
  const onDrop = (event) => {
    const drop = dropOf(event);
    dragged = null;
    markNest(null);
    if (!drop) return;
    event.preventDefault();
    const { from, over, nest } = drop;
    if (nest) send({ type: "nest", uid: from.uid, parent: over.uid, index: -1 });
    else send({ type: "move", uid: from.uid, offset: over.index - from.index });
  };
  const onDragEnd = () => markNest(null);

  // The new label's fields are synced as typed (the kernel's add_label() reads them), and "add" carries
  // them too: ipywidgets may hold back a state update while the kernel is busy, never a custom message.
  const onNewInput = () => {
    model.set("new_label", newName.value);
    model.set("new_color", newColor.value);
    model.save_changes();
  };
  const onAdd = () => {
    onNewInput();
    send({ type: "add", tag: newName.value, color: newColor.value });
  };
  /** @param {KeyboardEvent} event */
  const onNewKey = (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      onAdd();
    }
  };
  const onNewLabel = () => {
    if (newName.value !== model.get("new_label")) newName.value = model.get("new_label");
    newColor.value = model.get("new_color");
  };

  const drawConfirm = () => {
    /** @type {Confirm} */
    const confirm = model.get("confirm");
    confirmBar.style.display = confirm.uid ? "" : "none";
    confirmText.textContent = confirm.text || "";
  };

  const drawAttributes = () => {
    /** @type {AttributeRow[]} */
    const rows = model.get("attributes");
    const made = rows.map((row) => {
      const node = element("div", "dlw-attribute-row");
      node.dataset.uid = String(row.uid);
      const text = element("span", "dlw-attribute-text");
      text.append(element("b", "", row.title), " ", element("code", "", row.key), ` ${row.description}`);
      const edit = control("button", "dlw-edit-attribute", "Edit");
      const remove = control("button", "dlw-delete-attribute", "Delete");
      node.append(text, edit, remove);
      if (row.problems.length) {
        const list = element("ul", "dlw-problem");
        for (const problem of row.problems) list.appendChild(element("li", "", problem));
        node.appendChild(list);
      }
      return node;
    });
    attributeList.replaceChildren(...(made.length ? made : [element("i", "", "no attributes")]));
  };

  /** @param {Event} event */
  const onAttributeClick = (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const node = target.closest(".dlw-attribute-row");
    if (!(node instanceof HTMLElement)) return;
    const uid = Number(node.dataset.uid);
    if (target.classList.contains("dlw-edit-attribute")) send({ type: "edit-attribute", uid });
    else if (target.classList.contains("dlw-delete-attribute")) send({ type: "delete-attribute", uid });
  };

  const onConfirm = () => send({ type: "confirm", uid: model.get("confirm").uid || 0 });
  const onCancel = () => send({ type: "cancel", uid: model.get("confirm").uid || 0 });
  const onNewAttribute = () => send({ type: "new-attribute" });

  // Keys typed into a field are the field's: as ipywidgets' own text fields do, they stop here, before
  // the notebook's shortcuts (Enter, arrows, letters in command mode) can take them.
  /** @param {KeyboardEvent} event */
  const keepKeys = (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) event.stopPropagation();
  };
  el.addEventListener("keydown", keepKeys);
  search.addEventListener("input", filter);
  scroller.addEventListener("scroll", draw, { passive: true });
  scroller.addEventListener("change", onChange);
  scroller.addEventListener("click", onClick);
  scroller.addEventListener("keydown", onKey);
  scroller.addEventListener("dragstart", onDragStart);
  scroller.addEventListener("dragover", onDragOver);
  scroller.addEventListener("drop", onDrop);
  scroller.addEventListener("dragend", onDragEnd);
  addButton.addEventListener("click", onAdd);
  newName.addEventListener("keydown", onNewKey);
  newName.addEventListener("input", onNewInput);
  newColor.addEventListener("change", onNewInput);
  confirmDelete.addEventListener("click", onConfirm);
  cancelDelete.addEventListener("click", onCancel);
  attributeList.addEventListener("click", onAttributeClick);
  newAttribute.addEventListener("click", onNewAttribute);
  const unlisten = listen(model, {
    "change:attributes": drawAttributes,
    "change:counts": draw,
    "change:confirm": drawConfirm,
    "change:new_label": onNewLabel,
    "change:new_color": onNewLabel,
    "msg:custom": onMessage,
  });
  onNewLabel();
  filter();
  askLabels();
  // Counting reads every annotation once: asked for once the list is on screen, so it never delays it.
  if (model.get("counts") === null) send({ type: "count" });
  drawAttributes();
  drawConfirm();
  return unlisten;
}

/**
 * @param {{type: string}} msg
 * @returns {msg is LabelsShown}
 */
function isLabelsShown(msg) {
  return msg.type === "labels";
}

/**
 * @param {{type: string}} msg
 * @returns {msg is LabelsChanged}
 */
function isLabelsChanged(msg) {
  return msg.type === "labels-changed";
}

export default { render };

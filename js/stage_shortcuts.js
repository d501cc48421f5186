// The keyboard shortcuts' overlay on the annotator's stage, shown while `help_shown` (? on the gesture layer
// shows it, ? or Esc hides it); its rows are the kernel's `Shortcuts` model's, named by `_shortcuts`.
// @ts-check

/**
 * @typedef {import("./annotator_stage.js").StageModel} StageModel
 * @typedef {import("./annotator_stage.js").Listen} Listen
 */

/**
 * The overlay, over the stage's layers.
 * @param {StageModel} model
 * @param {HTMLElement} el
 * @param {(trait: string) => Promise<any>} shared
 * @param {Listen} listen
 */
export function renderShortcuts(model, el, shared, listen) {
  const help = document.createElement("div");
  help.className = "dlw-shortcuts";
  help.setAttribute("role", "dialog");
  help.setAttribute("aria-label", "Keyboard shortcuts");
  el.appendChild(help);
  const showHelp = async () => {
    // The list is built when it is shown (and again if the shortcuts change meanwhile), not at start-up.
    help.hidden = !model.get("help_shown");
    if (help.hidden) {
      help.replaceChildren();
      return;
    }
    /** @type {string[][]} */
    const rows = (await shared("_shortcuts")).get("rows");
    const title = document.createElement("div");
    title.className = "dlw-shortcuts-title";
    title.textContent = "Keyboard shortcuts (? or Esc to close)";
    const table = document.createElement("table");
    for (const [keys, does] of rows) {
      const row = table.insertRow();
      const cell = document.createElement("kbd");
      cell.textContent = keys;
      row.insertCell().appendChild(cell);
      row.insertCell().textContent = does;
    }
    help.replaceChildren(title, table);
  };
  void showHelp();
  return listen(model, { "change:_shortcuts": showHelp, "change:help_shown": showHelp });
}

/*
 * What every dlwidgets anywidget sends as its ``_esm``: its real ES module and stylesheet are held once
 * per kernel by a shared model (dlwidgets.widgets.assets.SharedModule) that the widget names in its
 * ``_shared_module`` trait. The first view of a module imports its text (a blob URL) and puts its
 * stylesheet in the page once; every view of every widget of the kind then uses that one import.
 */

/**
 * The widget's model, as anywidget hands it over.
 * @typedef {{get(name: string): any, widget_manager: {get_model(id: string): Promise<any>}}} Model
 */

/**
 * The shared model, once the page has it: restoring a saved notebook may make it after the widget's
 * (ipywidgets 8 then throws, 7 answers undefined), so it is asked for again for up to a second.
 * @param {Model} model
 * @returns {Promise<any>}
 */
async function sharedModel(model) {
  // The trait holds "IPY_MODEL_" and the shared model's id.
  const id = model.get("_shared_module").slice(10);
  for (let wait = 8; ; wait *= 2) {
    const shared = await Promise.resolve(model.widget_manager.get_model(id)).catch(() => undefined);
    if (shared || wait > 512) return shared;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/**
 * The widget's module (its ``initialize`` and ``render``), imported once per shared model.
 * @param {Model} model
 * @returns {Promise<any>}
 */
async function load(model) {
  const shared = await sharedModel(model);
  if (!shared.dlwImport) {
    const id = `dlw-${shared.get("name")}`;
    const style = document.getElementById(id) || document.head.appendChild(document.createElement("style"));
    style.id = id;
    style.textContent = shared.get("css");
    const url = URL.createObjectURL(new Blob([shared.get("esm")], { type: "text/javascript" }));
    shared.dlwImport = import(url).then((module) => (URL.revokeObjectURL(url), module.default));
  }
  return shared.dlwImport;
}

export default {
  /** @param {{model: Model}} props */
  initialize: async (props) => (await load(props.model)).initialize?.(props),
  /** @param {{model: Model}} props */
  render: async (props) => (await load(props.model)).render(props),
};

// @ts-check
/*
 * The page side of every dlwidgets anywidget, sent once per kernel: the `_esm` of the kernel's `Loader`
 * model (dlwidgets.widgets.assets). Imported when the page makes that model, it installs
 * `globalThis.dlwidgets2`, the widget definition (`initialize`, `render`) that each widget's own `_esm`
 * (widget_stub.js, a few bytes) hands to anywidget. A widget's real ES module and stylesheet are held once
 * per kernel by a `SharedModule` model that the widget names in its `_shared_module` trait: the first view
 * of a module imports its text (a blob URL) and puts its stylesheet in the page once; every widget of the
 * kind then uses that one import. The first page's loader serves every kernel of the page: its protocol
 * (the global's name, the traits read here) only changes with the name's number.
 */

/**
 * The widget's model, as anywidget hands it over.
 * @typedef {{get(name: string): any, widget_manager: {get_model(id: string): Promise<any>}}} Model
 */

/**
 * The model another model's ``trait`` names ("IPY_MODEL_" and its id), once the page has it: restoring a
 * saved notebook may make it after the widget's (ipywidgets 8 then throws, 7 answers undefined), so it is
 * asked for again for up to a second.
 * @param {Model} model
 * @param {string} trait
 * @returns {Promise<any>}
 */
async function sharedModel(model, trait) {
  const id = model.get(trait).slice(10);
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
  const shared = await sharedModel(model, "_shared_module");
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

/**
 * The widget's view, an ipywidgets DOMWidgetView: the listeners' ``this`` (anywidget registers a render's
 * listeners with the view as their context).
 * @typedef {{setLayout?(layout: any, old: any): void, update_classes?(old: string[], now: string[]): void}} View
 */

/**
 * Keep the view following the model's Layout model and DOM classes. Before it renders, anywidget takes
 * every listener of the view off the model, those ipywidgets' view had put there included: a new Layout
 * model (a widget's own, given when a value is set on a shared one, dlwidgets.widgets.shared_styling) or
 * a class added once shown would never reach the page.
 * @param {{on(name: string, callback: (this: View | undefined, model: any, value: any) => void): void}} model
 */
function followLayout(model) {
  model.on("change:layout", function (changed, layout) {
    this?.setLayout?.(layout, changed.previous("layout"));
  });
  model.on("change:_dom_classes", function (changed, classes) {
    this?.update_classes?.(changed.previous("_dom_classes"), classes);
  });
}

/*
 * The stage first. A stage (the annotator's image layer) says, once its model is made, that it is drawing
 * with ``stageDrawing(drawn)``, a promise settled once a view of it has an image on its canvas (or it is
 * closed); the views that the eye goes to after it (a toolbar, a side panel) build their DOM once the page
 * has painted that: ``afterStages()`` is null while no stage is drawing or unpainted (build now), else a
 * promise resolved once every such stage is painted. A stage counts for STAGE_WAIT_MS at most (one never
 * shown, an image that cannot be decoded).
 */
const STAGE_WAIT_MS = 2000;
/** @type {Set<Promise<unknown>>} */
const drawing = new Set();

/** A task queued from an animation frame runs once the page has painted that frame. */
const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));

/** @param {Promise<unknown>} drawn */
function stageDrawing(drawn) {
  const late = new Promise((resolve) => setTimeout(resolve, STAGE_WAIT_MS));
  const shown = Promise.race([drawn, late]).then(painted, painted);
  drawing.add(shown);
  shown.then(() => drawing.delete(shown));
}

/** @returns {Promise<void> | null} */
function afterStages() {
  return drawing.size ? Promise.all([...drawing]).then(() => {}) : null;
}

/*
 * The views being rendered. A box's children join it as their renders finish, each its module's import
 * later: a view measuring its first width before its siblings are in the row sees the whole row.
 * ``afterRenders()`` is resolved once every render begun so far has finished and the page painted.
 */
/** @type {Set<Promise<unknown>>} */
const rendering = new Set();

/** @returns {Promise<void>} */
function afterRenders() {
  return Promise.allSettled([...rendering]).then(painted);
}

/**
 * A model's events by name ("change:value", "msg:custom", ...), each with its handler.
 * @typedef {Record<string, (...args: any[]) => void>} Handlers
 * The model as ``listen`` uses it (anywidget's and ipywidgets' alike).
 * @typedef {{on(event: string, handler: (...args: any[]) => void): void,
 *   off(event: string, handler: (...args: any[]) => void): void}} Listened
 * @typedef {(model: Listened, handlers: Handlers) => () => void} Listen
 */

/**
 * Follow a model's events with their handlers; the function returned stops them all (for a cleanup).
 * @type {Listen}
 */
function listen(model, handlers) {
  const pairs = Object.entries(handlers);
  for (const [event, handler] of pairs) model.on(event, handler);
  return () => pairs.forEach(([event, handler]) => model.off(event, handler));
}

/**
 * What a widget's module gets beside anywidget's own: ``shared(trait)``, the model a trait of the widget
 * names (a ``Widget`` in the kernel), once the page has it; ``stageDrawing``, ``afterStages``,
 * ``afterRenders`` and ``listen`` (above).
 * @param {{model: Model}} props
 */
const withShared = (props) => ({
  ...props,
  shared: (/** @type {string} */ trait) => sharedModel(props.model, trait),
  stageDrawing,
  afterStages,
  afterRenders,
  listen,
});

/*
 * A widget's initialize as soon as the page makes its model. anywidget runs a model's `initialize` once it
 * has imported the model's own `_esm` (a blob URL, even for our few bytes): 3-11 ms on an idle page, ~30
 * ms while the page opens a widget's other models, all that time the stage's image waiting to be decoded.
 * The loader, once installed, follows the models each widget manager makes (`watch`): a dlwidgets
 * widget's initialize starts at once, given anywidget's narrow model API, and anywidget's own call, later,
 * takes its result (the cleanup, which anywidget runs as ever); a model closed before anywidget called it
 * is cleaned up here. The record goes on the model's attributes under a symbol: read through anywidget's
 * `model.get`, never saved nor sent.
 */
const EARLY = Symbol.for("dlwidgets2 initialize");
const WATCHED = Symbol.for("dlwidgets2 watched"); // on a manager: one page may import this module again

/**
 * @typedef {{result: Promise<any>, claimed: boolean}} Early
 * The model as the page's widget manager holds it (a Backbone model).
 * @typedef {{attributes: Record<string | symbol, any>, widget_manager: any, get(name: string): any,
 *   set(...args: any[]): any, save_changes(): void, send(...args: any[]): void,
 *   on(name: string, callback: Function, context?: any): void,
 *   off(name: string | null, callback: Function | null, context?: any): void,
 *   once(name: string, callback: Function): void}} PageModel
 */

/**
 * Follow the models `manager` makes from now on (ipywidgets' managers register each model's promise as
 * they start making it). Once per manager; a manager of another shape is left alone.
 * @param {any} manager
 */
function watch(manager) {
  if (!manager || manager[WATCHED] || typeof manager.register_model !== "function") return;
  manager[WATCHED] = true;
  redrawLost(manager);
  const register = manager.register_model;
  manager.register_model = function (/** @type {string} */ id, /** @type {Promise<any>} */ made) {
    const registered = register.call(this, id, made);
    Promise.resolve(made).then(initializeEarly, () => {});
    return registered;
  };
  const createView = manager.create_view;
  if (typeof createView !== "function") return;
  manager.create_view = function (/** @type {any[]} */ ...args) {
    const made = createView.apply(this, args);
    Promise.resolve(made).then(renderEarly, () => {});
    return made;
  };
}

/*
 * A notebook reopened with its saved widget state: each widget output asks the manager for its model as
 * soon as the manager exists, and ipywidgets 8's get_model gives up after 2 s without a last look; a
 * restore ending just then (a slow kernel start) leaves JupyterLab showing "Error displaying widget: model
 * not found" for good, the model there. For a while after the manager is seen, such an output is set again
 * in the notebook's model, which renders it again. Only a notebook holding saved widget state is watched:
 * in a live session there is nothing to restore.
 */
const LOST = "Error displaying widget: model not found";
const VIEW_MIME = "application/vnd.jupyter.widget-view+json";
const STATE_MIME = "application/vnd.jupyter.widget-state+json";
const LOST_WATCH_MS = 15000;

/**
 * Whether the notebook's model holds widget state saved with it: what the manager restores its models
 * from (jupyterlab-manager's `_loadFromNotebook`; JupyterLab 3's notebook model has `metadata.get`).
 * @param {any} notebook
 */
function hasSavedState(notebook) {
  const widgets = notebook?.getMetadata ? notebook.getMetadata("widgets") : notebook?.metadata?.get?.("widgets");
  return Boolean(widgets?.[STATE_MIME]);
}

/** @param {any} manager */
function redrawLost(manager) {
  const notebook = manager.context?.model;
  const cells = notebook?.cells;
  if (!cells || typeof cells.get !== "function" || typeof manager.has_model !== "function") return;
  if (!hasSavedState(notebook)) return;
  const until = Date.now() + LOST_WATCH_MS;
  const look = () => {
    const lost = [...document.querySelectorAll(".jupyter-widgets")].some((n) => n.textContent === LOST);
    if (lost) redrawOutputs(manager, cells);
    if (Date.now() < until) setTimeout(look, 200);
  };
  look();
}

/**
 * Set again each widget output whose model the manager has and no view shows.
 * @param {any} manager
 * @param {any} cells
 */
function redrawOutputs(manager, cells) {
  for (let i = 0; i < cells.length; i++) {
    const outputs = cells.get(i).outputs;
    for (let j = 0; j < (outputs?.length ?? 0); j++) {
      const output = outputs.get(j);
      const id = output.data?.[VIEW_MIME]?.model_id;
      if (!id || !manager.has_model(id)) continue;
      manager.get_model(id).then((/** @type {any} */ model) => {
        if (Object.keys(model.views ?? {}).length || outputs.get(j) !== output) return;
        outputs.set(j, output.toJSON());
      });
    }
  }
}

/**
 * Whether `model` is a dlwidgets widget's (its `_esm` hands it to this loader).
 * @param {PageModel | undefined} model
 */
function isOurs(model) {
  const attributes = model?.attributes;
  const esm = attributes?._esm;
  return typeof attributes?._shared_module === "string" && typeof esm === "string" && esm.includes("dlwidgets2");
}

/**
 * anywidget's narrow model API over the page's model, its listeners registered with a context of their
 * own (anywidget takes a view's listeners off the model before it renders the view).
 * @param {PageModel} model
 * @returns {Model & {set(...args: any[]): any, save_changes(): void, send(...args: any[]): void,
 *   on(name: string, callback: Function): void, off(name: string, callback: Function): void}}
 */
function narrow(model) {
  const context = {};
  return {
    get: (/** @type {string} */ name) => model.get(name),
    set: (/** @type {any[]} */ ...args) => model.set(...args),
    save_changes: () => model.save_changes(),
    send: (/** @type {any[]} */ ...args) => model.send(...args),
    on: (/** @type {string} */ name, /** @type {Function} */ callback) => model.on(name, callback, context),
    off: (/** @type {string} */ name, /** @type {Function} */ callback) => model.off(name, callback, context),
    widget_manager: model.widget_manager,
  };
}

/**
 * Start `model`'s initialize now if it is a dlwidgets widget.
 * @param {PageModel} model
 */
function initializeEarly(model) {
  if (!isOurs(model) || model.attributes[EARLY]) return;
  const attributes = model.attributes;
  const done = new AbortController();
  /** @type {Early} */
  const early = { result: initializeNow({ model: narrow(model), signal: done.signal }), claimed: false };
  early.result.catch(() => {}); // anywidget's own call sees a failure
  Object.defineProperty(attributes, EARLY, { value: early });
  model.once("destroy", () => {
    done.abort();
    if (!early.claimed) early.result.then((cleanup) => typeof cleanup === "function" && cleanup(), () => {});
  });
}

/** @param {{model: Model, signal?: AbortSignal}} props */
const initializeNow = async (props) => (await load(props.model)).initialize?.(withShared(props));

/*
 * A widget's view rendered as soon as the page makes it. anywidget makes the view's element at once but
 * renders into it only once its import of the widget's own `_esm` is in (4-20 ms after the page got the
 * cell's display, benchmarks/peers.py --breakdown), the stage's thumbnail decoded and waiting meanwhile.
 * The loader follows the views each widget manager makes (`watch`) and renders a dlwidgets widget's at
 * once, through the same narrow model API as the early initialize. anywidget's own render, later, empties
 * the element: the same nodes go back in, and the early render's cleanup is the one anywidget runs. A view
 * removed before anywidget rendered it is cleaned up here. The record goes on the element under a symbol;
 * anywidget's render marks it too, so a view it renders first is left alone.
 */
const RENDERED = Symbol.for("dlwidgets2 render");

/**
 * @typedef {{rendered: Promise<any>, nodes: Node[], claimed: boolean}} EarlyView
 * The view as the page's widget manager makes it (a Backbone view).
 * @typedef {{model: PageModel, el: HTMLElement & {[RENDERED]?: EarlyView | true},
 *   once?(name: string, callback: Function): void}} PageView
 */

/** @param {{model: Model, el: HTMLElement}} props */
function renderNow(props) {
  const rendered = load(props.model).then((module) => module.render(withShared(props)));
  rendering.add(rendered);
  const done = () => rendering.delete(rendered);
  rendered.then(done, done);
  return rendered;
}

/**
 * Render `view` now if it is a dlwidgets widget's and anywidget has not rendered it yet.
 * @param {PageView} view
 */
function renderEarly(view) {
  const el = view?.el;
  if (!el || el[RENDERED] || el.childNodes.length || !isOurs(view.model)) return;
  /** @type {EarlyView} */
  const early = { rendered: Promise.resolve(), nodes: [], claimed: false };
  early.rendered = renderNow({ model: narrow(view.model), el }).then((cleanup) => {
    early.nodes = [...el.childNodes];
    return cleanup;
  });
  early.rendered.catch(() => {}); // anywidget's own render sees a failure
  el[RENDERED] = early;
  view.once?.("remove", () => {
    if (!early.claimed) early.rendered.then((cleanup) => typeof cleanup === "function" && cleanup(), () => {});
  });
}

const loader = {
  /** @param {{model: Model}} props */
  initialize: (props) => {
    watch(props.model.widget_manager);
    /** @type {Early | undefined} */
    const early = props.model.get(/** @type {any} */ (EARLY));
    if (!early) return initializeNow(props);
    early.claimed = true;
    return early.result;
  },
  watch,
  /** @param {{model: Model & {on(name: string, callback: Function): void}, el: PageView["el"]}} props */
  render: (props) => {
    followLayout(props.model);
    const early = props.el[RENDERED];
    if (early && early !== true && !early.claimed) {
      early.claimed = true;
      return early.rendered.then((cleanup) => (props.el.replaceChildren(...early.nodes), cleanup));
    }
    props.el[RENDERED] = true;
    return renderNow(props);
  },
};

const page = /** @type {{dlwidgets2?: typeof loader}} */ (globalThis);
page.dlwidgets2 ??= loader;

/** The kernel's Loader model: its widget manager is followed from now on (by the page's loader). */
export default {
  /** @param {{model: Model}} props */
  initialize: ({ model }) => page.dlwidgets2?.watch?.(model.widget_manager),
};

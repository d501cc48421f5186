// The annotator's stage: one view stacking, bottom to top, the item's image, the annotations and the
// highlight of the object hovered in the objects list (both drawn by the kernel in ipycanvas's
// vocabulary and replayed here), and the gesture layer, a transparent canvas on top. Only anywidget's
// narrow model API is used (get, set, on, off, send, save_changes), so it runs in JupyterLab, Notebook 7,
// VS Code and Colab alike. This module is the widget (initialize, render) and its protocol; its parts are
// stage_image.js (the item's image, decoded), stage_replay.js (the drawing replayed), stage_gestures.js
// (the gesture layer; what it previews: stage_drags.js, stage_paths.js, stage_brush.js),
// stage_shortcuts.js (the shortcuts' overlay) and stage_width.js (the width reported to the kernel). The
// page's loader imports one text per widget: js/minify.mjs bundles them into js/min/annotator_stage.js.
//
// The drawing: the `drawing` and `highlight` traits each hold the commands drawn on that canvas since it
// was last cleared, as ipycanvas encodes them (see stage_replay.js): a view draws them when made and when
// they change, so a page opened later draws them from the model's state.
//
// The traits and messages below are the protocol; dlwidgets/widgets/annotator/stage.py,
// annotator/image_layer.py and annotator_gestures.py have the same TypedDicts. Points are canvas pixels.
// @ts-check
import { renderGestures } from "./stage_gestures.js";
import { LAYERS, clear, decode, shownFor, undecoded } from "./stage_image.js";
import { replay } from "./stage_replay.js";
import { renderShortcuts } from "./stage_shortcuts.js";
import { reportWidths } from "./stage_width.js";

/**
 * The synced traits (Python: `Stage`'s traitlets): `key` names this stage's decoded images (shared by the
 * model's initialize and its views), the canvas size, the pointer's cursor, the image's [scale, offset_x,
 * offset_y] on the canvas, whether the shortcuts' overlay is shown (its rows are the kernel's `Shortcuts`
 * model's, named by `_shortcuts`). `tool` is the Annotator's tool: "polygon" and "polyline" are drawn
 * click by click here (see PathDraft). `brush` is set while the brush or the eraser is the tool (see
 * BrushStroke). `drawing` and `highlight` are the two drawn canvases' commands (see replay). `sized_for` is
 * [width, lowest, highest window height] for which the canvas size is the kernel's choice (width 0: any,
 * highest 0: no limit; [] any: the size is fixed; see sizedHere). `later_page` is true in the state a page reads after the stage opened
 * (a reloaded page, a second tab): that page asks for the image (PageReady). `thumbnail` is the shown
 * item's (null: none). `has_image` is false while the shown item has no image (none will be drawn: the
 * page need not wait for one). These four, `brush` and `help_shown` are left out of the opening state at
 * their defaults (a missing `has_image` is true).
 * @typedef {{key: string, width: number, height: number, cursor: string, view: number[], help_shown: boolean,
 *   tool: string, brush: Brush | null, drawing: DataView[], highlight: DataView[], _shortcuts: string,
 *   sized_for: number[], later_page: boolean, thumbnail: Thumbnail | null, has_image: boolean}} StageTraits
 * @typedef {{tool: "brush" | "eraser", radius: number, color: string}} Brush
 */

/**
 * The `thumbnail` trait (Python: `Thumbnail`): item `seq`'s small image, a JPEG, in `image`; `width` x
 * `height` is the full image's size in image pixels, which it is drawn stretched to.
 * @typedef {{seq: number, width: number, height: number, image: DataView<ArrayBuffer>}} Thumbnail
 *
 * Kernel -> browser (Python: `ImageMessage`, `ClearImage`). `seq` numbers the items shown: a message of
 * an older item than the last one announced is dropped. `width` x `height` is the image's full size in
 * image pixels; one buffer holds the encoded bytes.
 * @typedef {{type: "image", seq: number, stage: "full", width: number, height: number,
 *   mimetype: string}} ImageMessage
 * @typedef {{type: "clear", seq: number}} ClearImage
 * @typedef {ImageMessage | ClearImage} ImageCommand
 *
 * Browser -> kernel (Python: `PageReady`): a page opened later (its state said `later_page`) has made this
 * stage's model and has no image: the kernel sends it again. The page the stage was made for sends nothing.
 * @typedef {{type: "ready"}} PageReady
 */

/**
 * Browser -> kernel (Python: `GestureEvent`). `id` names one drag from its "down" to its "up"; (px, py)
 * is where a pan was last reported; `size` is the [width, height] of the canvas the points are pixels of
 * (the kernel may have resized it since). `button` 1 (middle) pans; `ctrl` is Ctrl or Cmd. "vertices" is a
 * polygon or polyline drawn click by click, sent once when it is finished; its points are image pixels
 * (they were kept as such while drawing, so a zoom or pan meanwhile moves nothing). A "stroke" of the
 * brush or the eraser is sent once, when the pointer is released: its radius and its path
 * [x0, y0, x1, y1, ...], image pixels too.
 * @typedef {{type: "down", id: number, x: number, y: number, button: number, shift: boolean, ctrl: boolean,
 *   alt: boolean, size: number[]}} Down
 * @typedef {{type: "up", id: number, x: number, y: number, x0: number, y0: number, px: number, py: number,
 *   shift: boolean, size: number[]}} Up
 * @typedef {{type: "pan", id: number, dx: number, dy: number, size: number[]}} Pan
 * @typedef {{type: "wheel", x: number, y: number, dy: number, size: number[]}} Wheel
 * @typedef {{type: "key", key: string, ctrl: boolean, shift: boolean}} Key
 * @typedef {{type: "resize", width: number, window_height: number}} Resize
 * @typedef {{type: "vertices", id: number, tool: "polygon" | "polyline", points: number[][]}} Vertices
 * @typedef {{type: "stroke", id: number, tool: "brush" | "eraser", radius: number, points: number[]}} Stroke
 * @typedef {Down | Up | Pan | Wheel | Key | Resize | Vertices | Stroke} GestureEvent
 */

/**
 * Kernel -> browser (Python: `GestureReply`). "grab" answers a "down" with what the drag does: `mode`
 * "new" (draw a box, or with `kind` "ellipse" an ellipse from its centre), "none" (nothing to preview),
 * "pan", "move", the box handle dragged ("nw" ... "w"), "vertex" (drag vertex `index`), "insert" (a new
 * vertex on the edge after vertex `index`), "rotate" (about `centre`) or "radius" (an ellipse's, by the end
 * of its axis: `axis` is that end's offset from `centre`); `rect` is the grabbed box [left, top, right,
 * bottom], `point` the grabbed point, `points` the outline of a shape previewed as a path (`kind` "path",
 * `closed` or not). "pan_ack" lets
 * the next pan go; "committed" says the kernel has drawn gesture `id`'s result, so its preview can go;
 * "release" says Esc had nothing to cancel or unselect, so the keyboard goes back to the notebook.
 * @typedef {"new" | "none" | "pan" | "move" | "vertex" | "insert" | "rotate" | "radius" | Handle}
 *   GrabMode
 * @typedef {"nw" | "n" | "ne" | "e" | "se" | "s" | "sw" | "w"} Handle
 * @typedef {{type: "grab", id: number, mode: GrabMode, color?: string | null, rect?: number[],
 *   kind?: "point" | "path" | "ellipse", point?: number[], points?: number[][], closed?: boolean,
 *   index?: number, centre?: number[], axis?: number[]}} Grab
 * @typedef {{type: "pan_ack"}} PanAck
 * @typedef {{type: "committed", id: number}} Committed
 * @typedef {{type: "release"}} Release
 * @typedef {Grab | PanAck | Committed | Release} GestureReply
 */

// -- The stage's view --------------------------------------------------------------------------------

/**
 * The model as the stage's modules use it: anywidget's, with the traits above.
 * @typedef {import("@anywidget/types").AnyModel<StageTraits>} StageModel
 * @typedef {import("./shared_module.js").Listen} Listen
 * @typedef {import("./stage_image.js").Encoded} Encoded
 */

/**
 * @param {import("@anywidget/types").InitializeProps<StageTraits>
 *   & {stageDrawing?: (drawn: Promise<void>) => void, listen: Listen}} props
 */
function initialize({ model, stageDrawing, listen }) {
  const shown = shownFor(model.get("key"));
  stageDrawing?.(new Promise((resolve) => (shown.drew = resolve)));
  // An item with no image (the state says so): the stage has drawn all it will.
  if (model.get("has_image") === false) shown.drew();
  const decodeThumbnail = () => {
    const thumbnail = model.get("thumbnail");
    if (!thumbnail) return;
    const { image, seq, width, height } = thumbnail;
    /** @type {Encoded} */
    const msg = { seq, stage: "thumbnail", width, height, mimetype: "image/jpeg" };
    shown.thumbnail = decode(shown, msg, [image], 0).catch((error) => undecoded(shown, msg, image, error));
  };
  decodeThumbnail();
  /**
   * @param {ImageCommand | GestureReply} msg
   * @param {DataView<ArrayBuffer>[]} buffers
   */
  const onMessage = (msg, buffers) => {
    if (msg.type === "image") {
      // The stage's view is the first item's (the model is made with it); a later item's comes after its
      // image, and is at most as wide as the canvas.
      const scale = model.get("view")[0];
      const widest = msg.seq === 1 ? scale : Math.max(scale, model.get("width") / msg.width);
      decode(shown, msg, buffers, widest).catch((error) => undecoded(shown, msg, buffers[0], error));
    } else if (msg.type === "clear" && msg.seq >= shown.seq) {
      clear(shown, msg.seq);
      shown.redraws.forEach((redraw) => redraw());
      shown.drew();
    }
  };
  const unlisten = listen(model, { "msg:custom": onMessage, "change:thumbnail": decodeThumbnail });
  if (model.get("later_page")) {
    /** @type {PageReady} */
    const ready = { type: "ready" };
    model.send(ready);
  }
  return () => {
    shown.drew();
    unlisten();
    if (shown.bitmap) shown.bitmap.close();
    LAYERS.delete(model.get("key"));
  };
}

/**
 * A canvas of the stage: stretched to the stage's width by its CSS until the kernel's size arrives.
 * @param {HTMLElement} el
 * @param {string} className
 */
function layer(el, className) {
  const canvas = document.createElement("canvas");
  canvas.className = className;
  el.appendChild(canvas);
  return canvas;
}

/**
 * The image, the annotations and the highlight: drawn at once when the view is made, then in the next
 * animation frame after a change (the size, the view and the drawing come in one message, several
 * changes).
 * @param {StageModel} model
 * @param {HTMLElement} el
 * @param {Listen} listen
 */
function renderLayers(model, el, listen) {
  const image = layer(el, "dlw-image");
  const drawing = layer(el, "dlw-drawing");
  const highlight = layer(el, "dlw-highlight");
  const error = el.appendChild(document.createElement("div"));
  error.className = "dlw-stage-error";
  error.setAttribute("role", "alert");
  const imageCtx = /** @type {CanvasRenderingContext2D} */ (image.getContext("2d"));
  const shown = shownFor(model.get("key"));
  /** @type {Set<"size" | "image" | "drawing" | "highlight">} */
  const dirty = new Set(["size"]);
  let frame = 0;

  const drawImage = () => {
    imageCtx.clearRect(0, 0, image.width, image.height);
    error.textContent = shown.error;
    error.hidden = !shown.error;
    if (!shown.bitmap) return;
    const [scale, x, y] = model.get("view");
    const [width, height] = shown.size;
    imageCtx.drawImage(shown.bitmap, x, y, width * scale, height * scale);
    image.dataset.stage = shown.stage;
    if (shown.stage !== "thumbnail") shown.drew(); // the image as sharp as shown: the controls' turn
    const later = shown.later;
    shown.later = null;
    if (later) setTimeout(later);
  };
  const paint = () => {
    frame = 0;
    if (dirty.has("size")) {
      // A canvas given a new size is blank: every layer is drawn again.
      for (const canvas of [image, drawing, highlight]) {
        canvas.width = model.get("width");
        canvas.height = model.get("height");
      }
      ["image", "drawing", "highlight"].forEach((d) => dirty.add(/** @type {any} */ (d)));
    }
    if (dirty.has("image")) drawImage();
    if (dirty.has("drawing")) replay(drawing, model.get("drawing"));
    if (dirty.has("highlight")) replay(highlight, model.get("highlight"));
    dirty.clear();
  };
  /** @param {"size" | "image" | "drawing" | "highlight"} what */
  const schedule = (what) => () => {
    dirty.add(what);
    if (!frame) frame = requestAnimationFrame(paint);
  };
  paint();
  // A decoded image is drawn at once.
  const imageDecoded = () => {
    dirty.add("image");
    paint();
  };
  shown.redraws.add(imageDecoded);
  const unlisten = listen(model, {
    "change:width": schedule("size"),
    "change:height": schedule("size"),
    "change:view": schedule("image"),
    "change:drawing": schedule("drawing"),
    "change:highlight": schedule("highlight"),
  });
  return () => {
    shown.redraws.delete(imageDecoded);
    unlisten();
    if (frame) cancelAnimationFrame(frame);
  };
}

/**
 * @param {{model: StageModel, el: HTMLElement, shared: (trait: string) => Promise<any>, listen: Listen,
 *   afterRenders?: () => Promise<void>}} props
 */
function render({ model, el, shared, listen, afterRenders }) {
  el.classList.add("dlw-stage");
  const layers = renderLayers(model, el, listen);
  const gestures = renderGestures(model, el, listen);
  const shortcuts = renderShortcuts(model, el, shared, listen);
  const widths = reportWidths(model, el, afterRenders);
  return () => {
    layers();
    gestures();
    shortcuts();
    widths();
  };
}

export default { initialize, render };

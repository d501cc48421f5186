// The annotator's stage: one view stacking, bottom to top, the item's image, the annotations and the
// highlight of the object hovered in the objects list (both drawn by the kernel in ipycanvas's
// vocabulary and replayed here), and the gesture layer, a transparent canvas on top. Only anywidget's
// narrow model API is used (get, set, on, off, send, save_changes), so it runs in JupyterLab, Notebook 7,
// VS Code and Colab alike. One module, as the page's loader imports one text per widget.
//
// The image: the kernel sends each item's image as stored (JPEG stays JPEG): the workspace's small
// thumbnail in the `thumbnail` trait (for the first item, in the model's opening state), then the full
// image: the first item's in the opening state too (`image`, not a trait: dropped from the model once
// read, so a notebook saved with its widgets' state does not carry it) unless it is big, a big or later
// item's in a binary message of its own. Each is decoded off the main thread, even before the view exists (the model's initialize):
// the thumbnail as soon as the model has it, the full image once the thumbnail is decoded (two decodings
// at once finish together), and drawn once from the decoded image where the
// `view` puts it: the thumbnail scaled up, with the annotations, in the view's first frame, the full
// image over it when decoded; a big JPEG first at about the size it is shown at, then in full for zoom.
// Zoom, pan and resize redraw from the bitmap in the browser, with nothing sent again.
//
// The drawing: the `drawing` and `highlight` traits each hold the commands drawn on that canvas since it
// was last cleared, as ipycanvas encodes them (see replay): a view draws them when made and when they
// change, so a page opened later draws them from the model's state.
//
// The gestures: pointer, wheel and key events become a few coalesced messages for the kernel, and the
// preview of each drag is drawn here, so a drag costs one message at its start and one at its end.
// A person drawing quickly starts the next drag before the kernel has answered the last one (a busy
// kernel answers seconds later). So every gesture has an id, its messages and the kernel's replies
// carry it, and the gestures the kernel has not answered yet wait in a queue, drawn as previews, until
// their own reply comes: nothing drawn is dropped.
//
// The stage is as wide as the space the notebook gives it: a ResizeObserver reports that width, and the
// kernel redraws its layers at that size. Until it has, the canvases are stretched alike by CSS, and
// points are read through the canvas's scale, so a gesture always lands where it was made.
//
// The traits and messages below are the protocol; dlwidgets/widgets/annotator/stage.py,
// annotator/image_layer.py and annotator_gestures.py have the same TypedDicts. Points are canvas pixels.
// @ts-check

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
 * their defaults (a missing `has_image` is true). The opening state also holds `image`, no trait (see
 * OpeningImage).
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
 * The opening state's `image` (Python: `OpeningImage`), no trait: the first item's full image, as
 * ImageMessage says, its encoded bytes in `image`; the page drops it from the model once read.
 * @typedef {{seq: number, width: number, height: number, mimetype: string,
 *   image: DataView<ArrayBuffer>}} OpeningImage
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
 * @typedef {"new" | "none" | "pan" | "move" | "vertex" | "insert" | "rotate" | "radius" | keyof typeof HANDLE_EDGES}
 *   GrabMode
 * @typedef {{type: "grab", id: number, mode: GrabMode, color?: string | null, rect?: number[],
 *   kind?: "point" | "path" | "ellipse", point?: number[], points?: number[][], closed?: boolean,
 *   index?: number, centre?: number[], axis?: number[]}} Grab
 * @typedef {{type: "pan_ack"}} PanAck
 * @typedef {{type: "committed", id: number}} Committed
 * @typedef {{type: "release"}} Release
 * @typedef {Grab | PanAck | Committed | Release} GestureReply
 */

/**
 * A drag the kernel has not answered yet: where it began (x0, y0), is (x, y) and last panned (px, py).
 * @typedef {{id: number, x0: number, y0: number, x: number, y: number, px: number, py: number,
 *   grab: Grab | null, done: boolean}} Gesture
 */

/** @type {Record<"nw" | "n" | "ne" | "e" | "se" | "s" | "sw" | "w", string[]>} */
const HANDLE_EDGES = {
  nw: ["l", "t"], n: ["t"], ne: ["r", "t"], e: ["r"],
  se: ["r", "b"], s: ["b"], sw: ["l", "b"], w: ["l"],
};

/**
 * The rectangle to preview for a drag from (x0, y0) to (x, y), in canvas pixels.
 * @param {Pick<Grab, "mode" | "rect">} grab
 * @param {number} x0
 * @param {number} y0
 * @param {number} x
 * @param {number} y
 * @returns {number[]}
 */
export function previewRect(grab, x0, y0, x, y) {
  if (grab.mode === "new") return [x0, y0, x, y];
  const [l, t, r, b] = /** @type {number[]} */ (grab.rect);  // a grabbed box comes with its rect
  const dx = x - x0, dy = y - y0;
  if (grab.mode === "move") return [l + dx, t + dy, r + dx, b + dy];
  const edges = HANDLE_EDGES[/** @type {keyof typeof HANDLE_EDGES} */ (grab.mode)] || [];
  return [
    edges.includes("l") ? x : l, edges.includes("t") ? y : t,
    edges.includes("r") ? x : r, edges.includes("b") ? y : b,
  ];
}

/**
 * A turned box's corners (top-left, top-right, bottom-right, bottom-left before it was turned) with its
 * sides `edges` ("l", "t", "r", "b") moved along the box's own axes to pass through (x, y); the opposite
 * sides stay where they are.
 * @param {number[][]} corners
 * @param {string[]} edges
 * @param {number} x
 * @param {number} y
 * @returns {number[][]}
 */
function resizedCorners(corners, edges, x, y) {
  /** @type {(a: number[], b: number[]) => number[] | null} */
  const direction = (a, b) => {
    const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
    return length ? [(b[0] - a[0]) / length, (b[1] - a[1]) / length] : null;
  };
  const along = direction(corners[0], corners[1]);
  const down = direction(corners[0], corners[3]) || (along ? [-along[1], along[0]] : [0, 1]);
  const u = along || [down[1], -down[0]];
  /** @type {Record<string, [number[], number[]]>} */
  const sides = { l: [[0, 3], u], r: [[1, 2], u], t: [[0, 1], down], b: [[2, 3], down] };
  const out = corners.map((p) => [...p]);
  for (const edge of edges) {
    const [on, [ax, ay]] = sides[edge];
    const [px, py] = corners[on[0]];
    const shift = (x - px) * ax + (y - py) * ay;
    for (const i of on) out[i] = [out[i][0] + shift * ax, out[i][1] + shift * ay];
  }
  return out;
}

// An ellipse's radius is dragged no smaller than this (canvas pixels; the kernel keeps 1 image pixel).
const MIN_RADIUS_PX = 1;

/**
 * The outline to preview for a drag of a shape grabbed as a path (`kind` "path"), from (x0, y0) to (x, y):
 * moved, its vertex `index` dragged, a vertex added after `index`, turned about `centre`, stretched
 * along `axis` (from `centre` to the end of the radius dragged: that radius grows by the drag along it),
 * or a turned box's corner or edge (`mode` "nw" ... "w") dragged to (x, y) along the box's axes.
 * @param {Pick<Grab, "mode" | "points" | "index" | "centre" | "axis">} grab
 * @param {number} x0
 * @param {number} y0
 * @param {number} x
 * @param {number} y
 * @returns {number[][]}
 */
export function previewPoints(grab, x0, y0, x, y) {
  const points = (grab.points || []).map((p) => [...p]);
  const dx = x - x0, dy = y - y0;
  const index = grab.index ?? -1;
  if (grab.mode === "move") return points.map(([px, py]) => [px + dx, py + dy]);
  if (grab.mode === "vertex" && points[index]) points[index] = [points[index][0] + dx, points[index][1] + dy];
  if (grab.mode === "insert") points.splice(index + 1, 0, [x, y]);
  if (grab.mode === "rotate" && grab.centre) {
    const [cx, cy] = grab.centre;
    const turn = Math.atan2(y - cy, x - cx) - Math.atan2(y0 - cy, x0 - cx);
    const c = Math.cos(turn), s = Math.sin(turn);
    return points.map(([px, py]) => [cx + (px - cx) * c - (py - cy) * s, cy + (px - cx) * s + (py - cy) * c]);
  }
  const edges = HANDLE_EDGES[/** @type {keyof typeof HANDLE_EDGES} */ (grab.mode)];
  if (edges && points.length === 4) return resizedCorners(points, edges, x, y);
  if (grab.mode === "radius" && grab.centre && grab.axis) {
    const [cx, cy] = grab.centre;
    const radius = Math.hypot(grab.axis[0], grab.axis[1]);
    if (!radius) return points;
    const ux = grab.axis[0] / radius, uy = grab.axis[1] / radius;
    const stretch = Math.max(Math.abs(radius + dx * ux + dy * uy), MIN_RADIUS_PX) / radius - 1;
    return points.map(([px, py]) => {
      const along = ((px - cx) * ux + (py - cy) * uy) * stretch;
      return [px + along * ux, py + along * uy];
    });
  }
  return points;
}

export class GestureQueue {
  // The gestures the kernel has not answered yet, oldest first. The newest may still be in progress
  // (pointer down); the others are finished and wait for the kernel's "committed" reply.
  constructor() {
    /** @type {Gesture[]} */
    this.pending = [];
    this.nextId = 1;
  }

  get active() {
    // The gesture the pointer is drawing now, or null.
    const last = this.pending[this.pending.length - 1];
    return last && !last.done ? last : null;
  }

  /**
   * @param {number} x
   * @param {number} y
   * @returns {{gesture: Gesture, finished: Gesture | null}}
   */
  begin(x, y) {
    // A new gesture at (x, y); one still in progress (its pointer-up was missed) is finished first and
    // returned as `finished`, so that its end can be sent too.
    const finished = this.active ? this.end(this.active.x, this.active.y) : null;
    /** @type {Gesture} */
    const gesture = { id: this.nextId++, x0: x, y0: y, x, y, px: x, py: y, grab: null, done: false };
    this.pending.push(gesture);
    return { gesture, finished };
  }

  /**
   * @param {number} x
   * @param {number} y
   */
  move(x, y) {
    const gesture = this.active;
    if (gesture) [gesture.x, gesture.y] = [x, y];
    return gesture;
  }

  /**
   * @param {number} x
   * @param {number} y
   * @returns {Gesture | null}
   */
  end(x, y) {
    // The pointer is up: the active gesture is finished and waits for its reply.
    const gesture = this.active;
    if (!gesture) return null;
    [gesture.x, gesture.y] = [x, y];
    gesture.done = true;
    return gesture;
  }

  cancel() {
    // Esc: the gesture in progress is dropped, never sent as ended; returns it, or null.
    const gesture = this.active;
    if (gesture) this.pending.pop();
    return gesture;
  }

  /** @param {number} id */
  find(id) {
    return this.pending.find((g) => g.id === id) || null;
  }

  /** @param {Grab} message */
  grab(message) {
    // The kernel's answer to a gesture's start: what the gesture does (draw, move, resize, pan).
    const gesture = this.find(message.id);
    if (gesture) gesture.grab = message;
    return gesture;
  }

  /**
   * @param {number} id
   * @returns {Gesture | null}
   */
  commit(id) {
    // The kernel has applied (and drawn) gesture `id`: only that gesture leaves the queue.
    const index = this.pending.findIndex((g) => g.id === id);
    if (index < 0) return null;
    return this.pending.splice(index, 1)[0];
  }
}

// -- Polygons and polylines, drawn click by click ----------------------------------------------------
// Each click adds a vertex here, with no message to the kernel; the finished shape goes in one message.

// A click this close (canvas pixels) to the first vertex closes a polygon; a second click this close to
// the last vertex within DOUBLE_CLICK_MS is a double-click, which finishes the shape.
const CLOSE_PX = 8;
const DOUBLE_CLICK_MS = 400;

export class PathDraft {
  // The vertices of a polygon (`closed`) or polyline being drawn, in image pixels, and where the pointer is
  // (canvas pixels), for the rubber band to it.
  /** @param {boolean} closed */
  constructor(closed) {
    this.closed = closed;
    /** @type {number[][]} */
    this.points = [];
    /** @type {number[] | null} */
    this.pointer = null;
    this.lastClick = { t: -Infinity, x: NaN, y: NaN };
  }

  get isFinishable() {
    return this.points.length >= (this.closed ? 3 : 2);
  }

  /**
   * A click at canvas point (x, y), image point `at`, at time `t` (ms): "close" when it finishes the shape
   * (on the first vertex of a polygon, or the second click of a double-click), else "added".
   * @param {number} x
   * @param {number} y
   * @param {number[]} at
   * @param {number} t
   * @param {(p: number[]) => number[]} toCanvas
   * @returns {"close" | "added"}
   */
  click(x, y, at, t, toCanvas) {
    const near = (/** @type {number[]} */ p) => {
      const [px, py] = toCanvas(p);
      return Math.hypot(px - x, py - y) <= CLOSE_PX;
    };
    const last = this.lastClick;
    const isDouble = t - last.t <= DOUBLE_CLICK_MS && Math.hypot(last.x - x, last.y - y) <= CLOSE_PX;
    this.lastClick = { t, x, y };
    if (this.isFinishable && (isDouble || (this.closed && near(this.points[0])))) return "close";
    if (isDouble) return "added";  // a double-click too early to finish adds nothing more
    this.points.push(at);
    return "added";
  }

  /** Backspace: the last vertex goes; false when there was none. */
  removeLast() {
    return this.points.pop() !== undefined;
  }
}

/**
 * Draw a polygon or polyline's edges (canvas points), a rubber band to `pointer` and, if `marked`, its
 * vertices.
 * @param {CanvasRenderingContext2D} ctx
 * @param {number[][]} points
 * @param {boolean} closed
 * @param {number[] | null} pointer
 * @param {string} color
 * @param {boolean} [marked]
 */
function drawPath(ctx, points, closed, pointer, color, marked = true) {
  if (!points.length) return;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.setLineDash([6, 4]);
  ctx.beginPath();
  points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  if (pointer) ctx.lineTo(pointer[0], pointer[1]);
  if (closed) ctx.closePath();
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = "#ffffff";
  for (const [x, y] of marked ? points : []) {
    ctx.fillRect(x - 3, y - 3, 6, 6);
    ctx.strokeRect(x - 3, y - 3, 6, 6);
  }
  ctx.restore();
}

// -- Brush and eraser strokes on masks ---------------------------------------------------------------
// A stroke is painted here as the pointer moves, with no message to the kernel; when the pointer is
// released the whole stroke goes in one message (its path in image pixels and its radius), and its
// preview stays until the kernel has drawn the mask it painted.

// Points closer than this (canvas pixels) to the last one kept add nothing a person can see.
const STROKE_STEP_PX = 1.5;
// The preview's opacity: the mask's own on the annotation layer.
const STROKE_ALPHA = 0.45;

export class BrushStroke {
  // One stroke of `brush`, as image points (x, y pairs, to 0.1 pixel).
  /**
   * @param {number} id
   * @param {Brush} brush
   */
  constructor(id, brush) {
    this.id = id;
    this.brush = brush;
    /** @type {number[]} */
    this.points = [];
  }

  /**
   * Add the image point `at` ([x, y]) unless it is within `step` image pixels of the last one (`force`:
   * add it anyway unless it is that very point, as for the pointer's release).
   * @param {number[]} at
   * @param {number} step
   * @param {boolean} [force]
   */
  add([x, y], step, force = false) {
    const [rx, ry] = [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
    const n = this.points.length;
    if (n) {
      const [lx, ly] = [this.points[n - 2], this.points[n - 1]];
      const far = Math.hypot(rx - lx, ry - ly);
      if (far < step && !(force && far > 0)) return false;
    }
    this.points.push(rx, ry);
    return true;
  }

  /**
   * The message that sends it.
   * @returns {Stroke}
   */
  message() {
    return {
      type: "stroke", id: this.id, tool: this.brush.tool, radius: this.brush.radius, points: this.points,
    };
  }
}

/**
 * Draw a stroke as the kernel will paint it: round, `radius` wide on each side of its path, in its label's
 * colour (the eraser in white), half transparent; `view` is the image's [scale, offset_x, offset_y].
 * @param {CanvasRenderingContext2D} ctx
 * @param {BrushStroke} stroke
 * @param {number[]} view
 */
export function drawStroke(ctx, stroke, view) {
  const [scale, ox, oy] = view;
  const p = stroke.points;
  if (!p.length) return;
  ctx.save();
  ctx.globalAlpha = STROKE_ALPHA;
  ctx.strokeStyle = stroke.brush.tool === "eraser" ? "#ffffff" : stroke.brush.color;
  ctx.lineWidth = 2 * stroke.brush.radius * scale;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.beginPath();
  ctx.moveTo(p[0] * scale + ox, p[1] * scale + oy);
  // A single point is a dot: a zero-length line with round caps.
  for (let i = p.length > 2 ? 2 : 0; i < p.length; i += 2) ctx.lineTo(p[i] * scale + ox, p[i + 1] * scale + oy);
  ctx.stroke();
  ctx.restore();
}

/**
 * The brush's outline where the pointer is (canvas pixels), so its size shows before painting.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Brush} brush
 * @param {number[]} at
 * @param {number[]} view
 */
function drawBrushOutline(ctx, brush, at, view) {
  ctx.save();
  ctx.lineWidth = 1;
  ctx.strokeStyle = "#ffffff";
  ctx.beginPath();
  ctx.arc(at[0], at[1], Math.max(brush.radius * view[0], 1), 0, 2 * Math.PI);
  ctx.stroke();
  ctx.setLineDash([3, 3]);
  ctx.strokeStyle = "#000000";
  ctx.stroke();
  ctx.restore();
}

// -- The image ----------------------------------------------------------------------------------------

/**
 * A decoded image: a bitmap, or a frame of the JPEG decoder (both drawn and closed alike).
 * @typedef {ImageBitmap | VideoFrame} Decoded
 */

/**
 * What a layer shows: the newest item's best decoded image so far ("fit" is the full image decoded at
 * about the size it is shown at, see decodeToFit), its views' redraw functions, and the full image's
 * decoding, started once a view has drawn the fit one (`later`); `drew` tells the page's loader that the
 * stage has drawn what it will of its first item: an image, or none (the item has none, or it could not
 * be decoded); the toolbar and the side panel are built after it (shared_module.js). `thumbnail` settles
 * once the last thumbnail's decoding has (the full image's waits for it). `error` says why the newest
 * item's image is not shown ("": it is, or the item has none).
 * @typedef {{seq: number, stage: ImageStage, bitmap: Decoded | null, size: number[], redraws: Set<() => void>,
 *   later: (() => void) | null, drew: () => void, thumbnail: Promise<void>, error: string}} Shown
 * @typedef {"" | "thumbnail" | "fit" | "full"} ImageStage
 * An encoded image of item `seq` to decode, at `stage`: the thumbnail or the full image.
 * @typedef {{seq: number, stage: "thumbnail" | "full", width: number, height: number, mimetype: string}} Encoded
 */

/** @type {Map<string, Shown>} */
const LAYERS = new Map();

/** Each stage replaces only the ones before it. */
const STAGES = ["", "thumbnail", "fit", "full"];

// A JPEG shown at most this share of its size on each side is decoded at about that size first.
const FIT_SCALE = 0.5;

/**
 * @param {string} key
 * @returns {Shown}
 */
function shownFor(key) {
  let shown = LAYERS.get(key);
  if (!shown) {
    const thumbnail = Promise.resolve();
    shown = {
      seq: 0, stage: "", bitmap: null, size: [1, 1], redraws: new Set(), later: null, drew: () => {}, thumbnail,
      error: "",
    };
    LAYERS.set(key, shown);
  }
  return shown;
}

/**
 * Nothing to show (an item that is not an image).
 * @param {Shown} shown
 * @param {number} seq
 */
function clear(shown, seq) {
  if (shown.bitmap) shown.bitmap.close();
  shown.seq = seq;
  shown.stage = "";
  shown.bitmap = null;
  shown.later = null;
  shown.error = "";
}

/**
 * Show `image` (stage `stage` of item `msg.seq`) if it is still the newest item's best; else close it.
 * @param {Shown} shown
 * @param {Encoded} msg
 * @param {Decoded} image
 * @param {ImageStage} stage
 */
function offer(shown, msg, image, stage) {
  // Meanwhile a newer item may have come, or a better stage of this one may have overtaken it.
  if (msg.seq !== shown.seq || STAGES.indexOf(stage) <= STAGES.indexOf(shown.stage)) {
    image.close();
    return;
  }
  if (shown.bitmap) shown.bitmap.close();
  shown.bitmap = image;
  shown.stage = stage;
  shown.size = [msg.width, msg.height];
  shown.error = "";
  shown.redraws.forEach((redraw) => redraw());
}

/**
 * A big JPEG decoded at about the size it is shown at (`scale`: canvas pixels per image pixel), never
 * smaller: the JPEG decoder skips most of the work for a size of n/8 of the image's, so a 12 MP photo on
 * an 800 px canvas is on screen, as sharp as the canvas can show it, in half the time of its full
 * decoding (which follows, for zoom). Null where that does not pay (a smaller image, another format) or
 * the browser cannot (no WebCodecs ImageDecoder: insecure origins, Safari).
 * @param {Encoded} msg
 * @param {DataView<ArrayBuffer>} bytes
 * @param {number} scale
 * @returns {Promise<VideoFrame | null>}
 */
async function decodeToFit(msg, bytes, scale) {
  if (msg.mimetype !== "image/jpeg" || scale > FIT_SCALE || typeof ImageDecoder === "undefined") return null;
  const eighths = Math.ceil(8 * scale);
  const [width, height] = [Math.ceil((msg.width * eighths) / 8), Math.ceil((msg.height * eighths) / 8)];
  const type = msg.mimetype;
  const decoder = new ImageDecoder({ data: bytes, type, desiredWidth: width, desiredHeight: height });
  try {
    const { image } = await decoder.decode();
    // Smaller than shown (a decoder that rounds the other way) would blur: the full image instead.
    if (image.displayWidth >= msg.width * scale && image.displayHeight >= msg.height * scale) return image;
    image.close();
    return null;
  } finally {
    decoder.close();
  }
}

/**
 * @param {Shown} shown
 * @param {Encoded} msg
 * @param {DataView<ArrayBuffer>[]} buffers
 * @param {number} scale  the canvas pixels per image pixel the image is shown at now
 */
async function decode(shown, msg, buffers, scale) {
  // A new item's image replaces the last one's when decoded (no blank frame between items).
  if (msg.seq < shown.seq) return;
  if (msg.seq > shown.seq) [shown.seq, shown.stage, shown.later, shown.error] = [msg.seq, "", null, ""];
  if (msg.stage === "full") {
    // Decoded beside the thumbnail, the full image would make it wait: both would be drawn together.
    await shown.thumbnail;
    if (msg.seq !== shown.seq) return;
  }
  const full = async () => {
    const bitmap = await createImageBitmap(new Blob([buffers[0]], { type: msg.mimetype }));
    offer(shown, msg, bitmap, msg.stage);
  };
  if (msg.stage === "full" && STAGES.indexOf(shown.stage) < STAGES.indexOf("fit")) {
    const fit = await decodeToFit(msg, buffers[0], scale).catch(() => null);
    if (fit && msg.seq === shown.seq) {
      // The full image is decoded once a view has drawn this one: not competing with the page's start.
      shown.later = () => full().catch((error) => undecoded(shown, msg, buffers[0], error));
      offer(shown, msg, fit, "fit");
      return;
    }
    fit?.close();
  }
  await full();
}

/**
 * An image the browser cannot decode: said on the stage, which keeps what it shows of the item (its
 * thumbnail), else shows no image rather than the last item's; the annotations are drawn as ever.
 * @param {Shown} shown
 * @param {Encoded} msg
 * @param {DataView} bytes
 * @param {unknown} error
 */
function undecoded(shown, msg, bytes, error) {
  console.error("dlwidgets: the image could not be decoded", error);
  if (msg.seq !== shown.seq) return; // a newer item's is shown
  const kept = shown.stage !== "";
  if (!kept && shown.bitmap) {
    shown.bitmap.close();
    shown.bitmap = null;
  }
  const what = msg.stage === "thumbnail" ? "thumbnail" : "image";
  shown.error =
    `This browser could not decode the item's ${what} (${msg.mimetype || "no type"}, ` +
    `${msg.width} x ${msg.height} px, ${bytes.byteLength} bytes)` +
    (kept ? ": a smaller copy is shown." : ". The annotations are drawn without it.");
  shown.redraws.forEach((redraw) => redraw());
  shown.drew();
}

// -- The drawing, replayed ----------------------------------------------------------------------------
// The kernel draws with ipycanvas's calls (annotator/canvas_recorder.py) and syncs, per canvas, the commands
// drawn since it was last cleared, written shorter than ipycanvas's message: the first buffer is the JSON
// list of commands [number, args], the second the arrays' bytes, one after the other. An argument
// {dtype: shape} is the next array (cut from there by its dtype and shape), {same: n} the batch's n-th
// array again, read as it was sent: an array sent once for several commands. The numbers are ipycanvas's
// COMMANDS; only the calls the annotator draws with are replayed here, with ipycanvas's meaning. Our own
// commands beside them are EXTENSIONS (canvas_recorder.EXTENSIONS).

/** ipycanvas's command numbers (ipycanvas.canvas.COMMANDS) of the calls replayed. */
const COMMANDS = {
  fillRect: 0, strokeRect: 1, fillRects: 2, strokeRects: 3, fillCircle: 6, strokeCircle: 8, strokeLine: 13,
  fillText: 28, setLineDash: 30, translate: 36, set: 42, clear: 43, strokePolygon: 46, strokeLines: 47,
  fillStyledRects: 51, strokeStyledRects: 52, fillStyledCircles: 53, fillStyledPolygons: 57,
  strokeStyledPolygons: 58, strokeStyledLineSegments: 59,
};
/**
 * Our commands, numbered clear of ipycanvas's. fillTexts [texts, codes, x, y]: text texts[codes[i]] filled
 * at (x[i], y[i]), many texts in one command (ipycanvas's fillText is one a command).
 */
const EXTENSIONS = { fillTexts: 100 };
/** ipycanvas's style attributes by number (Canvas.ATTRS), those the annotator sets. */
const ATTRS = /** @type {Record<number, "fillStyle" | "strokeStyle" | "lineWidth" | "font" | "textBaseline">} */ ({
  0: "fillStyle", 1: "strokeStyle", 3: "font", 5: "textBaseline", 8: "lineWidth",
});
const TYPED = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array,
  uint32: Uint32Array, float32: Float32Array, float64: Float64Array };

/**
 * An argument: a number (or text), or an array sent as a buffer, read item by item (a scalar is the same
 * for every item, as in ipycanvas).
 * @typedef {{at(i: number): any, length: number}} Arg
 * @typedef {{idx: number, dtype: keyof typeof TYPED, shape: number[]}} BufferArg
 */

/**
 * @param {any} arg
 * @param {DataView[]} buffers
 * @returns {Arg}
 */
function argument(arg, buffers) {
  if (arg === null || typeof arg !== "object") return { at: () => arg, length: Infinity };
  const { idx, dtype } = /** @type {BufferArg} */ (arg);
  const view = buffers[idx];
  const Typed = TYPED[dtype];
  // A typed array needs its offset aligned to its item size: a misaligned buffer is copied.
  const aligned = view.byteOffset % Typed.BYTES_PER_ELEMENT === 0;
  const whole = /** @type {ArrayBuffer} */ (view.buffer);
  const buffer = aligned ? whole : whole.slice(view.byteOffset, view.byteOffset + view.byteLength);
  const array = new Typed(buffer, aligned ? view.byteOffset : 0, view.byteLength / Typed.BYTES_PER_ELEMENT);
  return { at: (i) => array[i], length: array.length };
}

/**
 * Item i's colour of a styled call: its [r, g, b] row of `colors` and its alpha.
 * @param {Arg} colors
 * @param {Arg} alpha
 * @param {number} i
 */
const rgba = (colors, alpha, i) =>
  `rgba(${colors.at(3 * i)}, ${colors.at(3 * i + 1)}, ${colors.at(3 * i + 2)}, ${alpha.at(i)})`;

/**
 * A path through the points [x0, y0, x1, y1, ...] of `points` from item `start` to `stop`.
 * @param {CanvasRenderingContext2D} ctx
 * @param {Arg} points
 * @param {number} start
 * @param {number} stop
 */
function tracePath(ctx, points, start, stop) {
  ctx.beginPath();
  ctx.moveTo(points.at(start), points.at(start + 1));
  for (let i = start + 2; i < stop; i += 2) ctx.lineTo(points.at(i), points.at(i + 1));
}

/**
 * Draw one command on `ctx`.
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} name
 * @param {any[]} args
 * @param {DataView[]} buffers  the command's own
 */
function draw(ctx, name, args, buffers) {
  const a = (/** @type {number} */ i) => argument(args[i], buffers);
  /**
   * A circle's path, filled or stroked.
   * @param {number} x
   * @param {number} y
   * @param {number} r
   */
  const arc = (x, y, r) => {
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    return ctx;
  };
  const fillCircle = (/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ r) => arc(x, y, r).fill();
  const strokeCircle = (/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ r) =>
    arc(x, y, r).stroke();
  if (name === COMMANDS.clear) {
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  } else if (name === COMMANDS.set) {
    const attr = ATTRS[args[0]];
    if (attr) Object.assign(ctx, { [attr]: args[1] });
  } else if (name === COMMANDS.setLineDash) {
    ctx.setLineDash(args[0]);
  } else if (name === COMMANDS.fillRect) {
    ctx.fillRect(args[0], args[1], args[2], args[3]);
  } else if (name === COMMANDS.strokeRect) {
    ctx.strokeRect(args[0], args[1], args[2], args[3]);
  } else if (name === COMMANDS.fillRects || name === COMMANDS.strokeRects) {
    const [x, y, w, h] = [a(0), a(1), a(2), a(3)];
    const n = Math.min(x.length, y.length, w.length, h.length);
    for (let i = 0; i < n; i++) {
      if (name === COMMANDS.fillRects) ctx.fillRect(x.at(i), y.at(i), w.at(i), h.at(i));
      else ctx.strokeRect(x.at(i), y.at(i), w.at(i), h.at(i));
    }
  } else if (name === COMMANDS.fillStyledRects || name === COMMANDS.strokeStyledRects) {
    const [x, y, w, h, colors, alpha] = [a(0), a(1), a(2), a(3), a(4), a(5)];
    const n = Math.min(x.length, y.length, w.length, h.length);
    const fill = name === COMMANDS.fillStyledRects;
    ctx.save();
    for (let i = 0; i < n; i++) {
      if (fill) {
        ctx.fillStyle = rgba(colors, alpha, i);
        ctx.fillRect(x.at(i), y.at(i), w.at(i), h.at(i));
      } else {
        ctx.strokeStyle = rgba(colors, alpha, i);
        ctx.strokeRect(x.at(i), y.at(i), w.at(i), h.at(i));
      }
    }
    ctx.restore();
  } else if (name === COMMANDS.fillCircle) {
    fillCircle(args[0], args[1], args[2]);
  } else if (name === COMMANDS.strokeCircle) {
    strokeCircle(args[0], args[1], args[2]);
  } else if (name === COMMANDS.fillStyledCircles) {
    const [x, y, r, colors, alpha] = [a(0), a(1), a(2), a(3), a(4)];
    const n = Math.min(x.length, y.length, r.length);
    ctx.save();
    for (let i = 0; i < n; i++) {
      ctx.fillStyle = rgba(colors, alpha, i);
      fillCircle(x.at(i), y.at(i), r.at(i));
    }
    ctx.restore();
  } else if (name === COMMANDS.strokeLine) {
    ctx.beginPath();
    ctx.moveTo(args[0], args[1]);
    ctx.lineTo(args[2], args[3]);
    ctx.stroke();
  } else if (name === COMMANDS.strokeLines || name === COMMANDS.strokePolygon) {
    const points = a(0);
    tracePath(ctx, points, 0, points.length);
    if (name === COMMANDS.strokePolygon) ctx.closePath();
    ctx.stroke();
  } else if (name === COMMANDS.translate) {
    ctx.translate(args[0], args[1]);
  } else if (name === EXTENSIONS.fillTexts) {
    const [texts, codes, x, y] = [/** @type {string[]} */ (args[0]), a(1), a(2), a(3)];
    for (let i = 0; i < codes.length; i++) ctx.fillText(texts[codes.at(i)], x.at(i), y.at(i));
  } else if (name === COMMANDS.fillText) {
    if (args.length > 3) ctx.fillText(args[0], args[1], args[2], args[3]);
    else ctx.fillText(args[0], args[1], args[2]);
  } else if (
    name === COMMANDS.fillStyledPolygons || name === COMMANDS.strokeStyledPolygons ||
    name === COMMANDS.strokeStyledLineSegments
  ) {
    // [count, points, points per item, colors, alpha]
    const [count, points, sizes, colors, alpha] = [args[0], a(1), a(2), a(3), a(4)];
    ctx.save();
    let start = 0;
    for (let i = 0; i < count; i++) {
      const stop = start + 2 * sizes.at(i);
      tracePath(ctx, points, start, stop);
      start = stop;
      if (name === COMMANDS.fillStyledPolygons) {
        ctx.closePath();
        ctx.fillStyle = rgba(colors, alpha, i);
        ctx.fill();
      } else {
        if (name === COMMANDS.strokeStyledPolygons) ctx.closePath();
        ctx.strokeStyle = rgba(colors, alpha, i);
        ctx.stroke();
      }
    }
    ctx.restore();
  } else {
    console.error(`dlwidgets: the stage cannot draw ipycanvas command ${name}`);
  }
}

/**
 * Draw a canvas's commands (`batch`: the commands' JSON, then the arrays' buffers) on a blank context.
 * @param {HTMLCanvasElement} canvas
 * @param {DataView[]} batch
 */
export function replay(canvas, batch) {
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  ctx.reset?.();
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!batch || !batch.length) return;
  const [listed, arrays] = batch;
  /** @type {[number, any[]][]} */
  const commands = JSON.parse(new TextDecoder().decode(listed));
  /** @type {BufferArg[]} */
  const sent = []; // the batch's arrays so far, each as `argument` reads it from `buffers`
  /** @type {DataView[]} */
  const buffers = [];
  let at = 0;
  for (const [name, args] of commands) {
    const resolved = args.map((arg) => {
      if (arg === null || typeof arg !== "object" || Array.isArray(arg)) return arg;
      if (arg.same !== undefined) return sent[arg.same];
      const [[dtype, shape]] = /** @type {[keyof typeof TYPED, number[]][]} */ (Object.entries(arg));
      const length = TYPED[dtype].BYTES_PER_ELEMENT * shape.reduce((n, d) => n * d, 1);
      buffers.push(new DataView(arrays.buffer, arrays.byteOffset + at, length));
      at += length;
      sent.push({ idx: buffers.length - 1, dtype, shape });
      return sent[sent.length - 1];
    });
    draw(ctx, name, resolved, buffers);
  }
}

// -- The stage's view --------------------------------------------------------------------------------

/**
 * The model as this module uses it: anywidget's, with the traits above.
 * @typedef {import("@anywidget/types").AnyModel<StageTraits>} StageModel
 * @typedef {import("./shared_module.js").Listen} Listen
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
  const untyped = /** @type {any} */ (model); // `image` is no trait
  /** @type {OpeningImage | undefined} */
  const opening = untyped.get("image");
  if (opening) {
    // Read: dropped from the model, which a notebook saved with its widgets' state is written from (unset,
    // so that nothing of it goes back to the kernel with the model's next changes either).
    untyped.set("image", undefined, { unset: true });
    const { image, ...size } = opening;
    onMessage({ type: "image", stage: "full", ...size }, [image]);
  }
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
 * Whether the kernel's canvas size is the one it would choose for a layer `width` wide in this window
 * (`sized_for`): then reporting that width would change nothing.
 * @param {StageModel} model
 * @param {number} width
 */
function sizedHere(model, width) {
  const [wide = 0, lowest = 0, highest = 0] = model.get("sized_for") ?? []; // [] (or left out): fixed
  const high = window.innerHeight;
  return (wide === 0 || wide === width) && high >= lowest && (highest === 0 || high <= highest);
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
    shown.drew();
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
  const gestures = renderGestures(model, el, shared, listen, afterRenders);
  return () => {
    layers();
    gestures();
  };
}

/**
 * The gesture layer, on top: its canvas takes the pointer and the keys, and shows the drags' previews.
 * @param {StageModel} model
 * @param {HTMLElement} el
 * @param {(trait: string) => Promise<any>} shared
 * @param {Listen} listen
 * @param {() => Promise<void>} [afterRenders]
 */
function renderGestures(model, el, shared, listen, afterRenders) {
  const canvas = document.createElement("canvas");
  canvas.className = "dlw-gestures";
  canvas.tabIndex = 0;
  // JupyterLab and Notebook 7 skip their own keyboard shortcuts for key events from inside an element
  // with this attribute. Lumino looks for it walking up from the event's target but stops at the first
  // element a shortcut's selector matches, and the focused canvas itself matches the notebook's command
  // mode selector (".jp-Notebook.jp-mod-commandMode :focus"), so the canvas must carry it too. Notebook 7
  // also sees keys before the canvas does (capture phase), so stopPropagation below cannot help there.
  canvas.setAttribute("data-lm-suppress-shortcuts", "true");
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  el.appendChild(canvas);
  const help = document.createElement("div");
  help.className = "dlw-shortcuts";
  help.setAttribute("role", "dialog");
  help.setAttribute("aria-label", "Keyboard shortcuts");
  el.appendChild(help);
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));

  const size = () => {
    // Stretched to the stage's width by its CSS until the kernel's size arrives.
    canvas.width = model.get("width");
    canvas.height = model.get("height");
    canvas.style.cursor = model.get("cursor");
  };
  size();
  const showView = () => {
    // The image's place on the canvas, for whoever reads the page (the browser tests do).
    canvas.dataset.view = JSON.stringify(model.get("view"));
  };
  showView();
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
  /** @param {boolean} shown */
  const setHelp = (shown) => {
    model.set("help_shown", shown);
    model.save_changes();
  };

  // The width the layer is given, reported when it changes (at most every 100 ms while it changes), the
  // first one unless the kernel sized the stage for it already; a hidden layer (0 wide, in a tab not
  // shown) reports nothing until it is shown. A first width the kernel did not size it for is read again
  // once the views rendering beside it are in the row (a reloaded page's side panel joins it later, and
  // until then the stage has the whole row).
  let sentWidth = 0;
  let resizeTimer = 0;
  let isSettling = false;
  const measure = () => Math.floor(el.getBoundingClientRect().width);
  const reportWidth = () => {
    resizeTimer = 0;
    const width = measure();
    if (width < 1 || width === sentWidth) return;
    sentWidth = width;
    send({ type: "resize", width, window_height: window.innerHeight });
  };
  const reportFirstWidth = async () => {
    if (isSettling || measure() < 1) return;
    if (!sizedHere(model, measure()) && afterRenders) {
      isSettling = true;
      await afterRenders();
      isSettling = false;
    }
    const width = measure();
    if (width < 1 || sentWidth) return;
    if (sizedHere(model, width)) sentWidth = width;
    else reportWidth();
  };
  const observer = new ResizeObserver(() => {
    if (!sentWidth) void reportFirstWidth();
    else if (!resizeTimer) resizeTimer = window.setTimeout(reportWidth, 100);
  });
  observer.observe(el);

  const queue = new GestureQueue();
  let frame = 0;        // a pending animation frame
  /** @type {{x: number, y: number, dy: number} | null} */
  let wheel = null;     // coalesced wheel delta, sent once per frame
  /** @type {{dx: number, dy: number} | null} */
  let panSent = null;   // pan awaiting the kernel's ack: at most one in flight

  /** @type {PathDraft | null} */
  let draft = null;     // the polygon or polyline being drawn, click by click
  /** @type {{id: number, points: number[][], closed: boolean}[]} */
  let sentPaths = [];   // finished ones, previewed until the kernel has drawn them

  /** @param {GestureEvent} message */
  const send = (message) => model.send(message);
  /** @type {BrushStroke | null} */
  let stroke = null;    // the brush or eraser stroke being painted
  /** @type {BrushStroke[]} */
  let sentStrokes = []; // strokes sent, shown until the kernel has drawn them
  /** @type {number[] | null} */
  let hover = null;     // where the pointer is, for the brush's outline
  /** The size of the canvas shown, whose pixels the points sent are. */
  const shown = () => [canvas.width, canvas.height];

  /**
   * @param {MouseEvent} event
   * @returns {[number, number]}
   */
  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    return [
      (event.clientX - box.left) * canvas.width / box.width,
      (event.clientY - box.top) * canvas.height / box.height,
    ];
  };

  /**
   * Canvas point -> image point, and back, through the view shown.
   * @param {number[]} p
   */
  const toImage = ([x, y]) => {
    const [scale, ox, oy] = model.get("view");
    return [(x - ox) / scale, (y - oy) / scale];
  };
  /** @param {number[]} p */
  const toCanvas = ([x, y]) => {
    const [scale, ox, oy] = model.get("view");
    return [x * scale + ox, y * scale + oy];
  };
  const isPathTool = () => model.get("tool") === "polygon" || model.get("tool") === "polyline";

  /** @param {PointerEvent} event */
  const onPathClick = (event) => {
    // A click with the polygon or polyline tool: a vertex, or the end of the shape.
    const [x, y] = point(event);
    if (!draft) draft = new PathDraft(model.get("tool") === "polygon");
    draft.pointer = [x, y];
    if (draft.click(x, y, toImage([x, y]), event.timeStamp, toCanvas) === "close") finishPath();
    schedule();
  };
  const finishPath = () => {
    // The finished shape goes to the kernel in one message; it stays previewed until drawn there.
    if (!draft || !draft.isFinishable) return;
    const id = queue.nextId++;
    const tool = draft.closed ? "polygon" : "polyline";
    send({ type: "vertices", id, tool, points: draft.points });
    sentPaths.push({ id, points: draft.points, closed: draft.closed });
    draft = null;
    schedule();
  };
  /**
   * A key while a shape is drawn click by click: Enter finishes it, Backspace removes its last vertex,
   * Esc drops it. False for the other keys, and when nothing is being drawn.
   * @param {string} key
   */
  const onPathKey = (key) => {
    if (!draft) return false;
    if (key === "Enter") finishPath();
    else if (key === "Backspace") draft.removeLast();
    else if (key === "Escape") draft = null;
    else return false;
    schedule();
    return true;
  };
  const drawPaths = () => {
    for (const sent of sentPaths) drawPath(ctx, sent.points.map(toCanvas), sent.closed, null, "#ffcc00");
    if (draft) drawPath(ctx, draft.points.map(toCanvas), false, draft.pointer, "#ffcc00");
  };

  /** @param {Gesture} drag */
  const sendPan = (drag) => {
    // The pan moved since the last one sent, once the kernel has acknowledged that one.
    if (panSent) return;
    panSent = { dx: drag.x - drag.px, dy: drag.y - drag.py };
    drag.px = drag.x;
    drag.py = drag.y;
    if (panSent.dx || panSent.dy) send({ type: "pan", id: drag.id, ...panSent, size: shown() });
    else panSent = null;
  };

  /** @param {Gesture} drag */
  const drawGesture = (drag) => {
    // A gesture the kernel has not answered yet. Before its grab arrives the kernel has not said what
    // the drag does; with the box or ellipse tool it is most likely a new one, so it is previewed as one.
    const tool = model.get("tool");
    /** @type {Omit<Grab, "type" | "id"> | null} */
    const guess =
      tool === "box" ? { mode: "new" } : tool === "ellipse" ? { mode: "new", kind: "ellipse" } : null;
    const grab = drag.grab || guess;
    if (!grab || grab.mode === "pan" || grab.mode === "none") return;
    if (grab.kind === "path") {
      const marked = grab.mode === "vertex" || grab.mode === "insert";
      const points = previewPoints(grab, drag.x0, drag.y0, drag.x, drag.y);
      drawPath(ctx, points, Boolean(grab.closed), null, grab.color || "#ffcc00", marked);
      return;
    }
    ctx.save();
    ctx.strokeStyle = grab.color || "#ffcc00";
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    if (grab.kind === "ellipse") {
      ctx.beginPath();
      ctx.ellipse(drag.x0, drag.y0, Math.abs(drag.x - drag.x0), Math.abs(drag.y - drag.y0), 0, 0, 2 * Math.PI);
      ctx.stroke();
    } else if (grab.kind === "point" && grab.point) {
      const [px, py] = grab.point;
      ctx.beginPath();
      ctx.arc(px + drag.x - drag.x0, py + drag.y - drag.y0, 6, 0, 2 * Math.PI);
      ctx.stroke();
    } else {
      const [l, t, r, b] = previewRect(grab, drag.x0, drag.y0, drag.x, drag.y);
      ctx.strokeRect(Math.min(l, r), Math.min(t, b), Math.abs(r - l), Math.abs(b - t));
    }
    ctx.restore();
  };

  /** @param {PointerEvent} event */
  const startStroke = (event) => {
    // With the brush or the eraser, a left press paints (Alt or the middle button still pan).
    const brush = model.get("brush");
    if (!brush || event.button !== 0 || event.altKey) return false;
    canvas.setPointerCapture(event.pointerId);
    if (stroke) finishStroke(null);
    stroke = new BrushStroke(queue.nextId++, brush);
    stroke.add(toImage(point(event)), 0, true);
    schedule();
    return true;
  };
  /** @param {number[] | null} at */
  const finishStroke = (at) => {
    // The pointer is up (at canvas point `at`): the stroke goes to the kernel, once.
    if (!stroke) return;
    if (at) stroke.add(toImage(at), STROKE_STEP_PX / model.get("view")[0], true);
    send(stroke.message());
    sentStrokes.push(stroke);
    stroke = null;
    schedule();
  };
  const drawStrokes = () => {
    const view = model.get("view");
    for (const s of sentStrokes) drawStroke(ctx, s, view);
    if (stroke) drawStroke(ctx, stroke, view);
    const brush = model.get("brush");
    if (brush && hover) drawBrushOutline(ctx, brush, hover, view);
  };

  const drawPreview = () => {
    frame = 0;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (wheel) {
      send({ type: "wheel", ...wheel, size: shown() });
      wheel = null;
    }
    const active = queue.active;
    if (active && active.grab && active.grab.mode === "pan") sendPan(active);
    queue.pending.forEach(drawGesture);
    drawStrokes();
    drawPaths();
  };
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(drawPreview);
  };

  /**
   * @param {Gesture} drag
   * @param {boolean} shift
   */
  const sendUp = (drag, shift) => {
    send({
      type: "up", id: drag.id, x: drag.x, y: drag.y, x0: drag.x0, y0: drag.y0, px: drag.px, py: drag.py,
      shift, size: shown(),
    });
  };

  /** @param {PointerEvent} event */
  const onDown = (event) => {
    if (event.button !== 0 && event.button !== 1) return;
    canvas.focus();
    if (event.button === 0 && !event.altKey && isPathTool()) {
      onPathClick(event);
      event.preventDefault();
      return;
    }
    if (startStroke(event)) {
      event.preventDefault();
      return;
    }
    canvas.setPointerCapture(event.pointerId);
    const [x, y] = point(event);
    const { gesture, finished } = queue.begin(x, y);
    if (finished) sendUp(finished, false);
    send({
      type: "down", id: gesture.id, x, y, button: event.button,
      shift: event.shiftKey, ctrl: event.ctrlKey || event.metaKey, alt: event.altKey, size: shown(),
    });
    event.preventDefault();
  };
  /** @param {PointerEvent} event */
  const onMove = (event) => {
    if (draft) {
      draft.pointer = point(event);
      schedule();
    }
    if (model.get("brush")) {
      hover = point(event);
      if (stroke) stroke.add(toImage(hover), STROKE_STEP_PX / model.get("view")[0]);
      schedule();
    }
    if (queue.move(...point(event))) schedule();
  };
  /** @param {PointerEvent} event */
  const onUp = (event) => {
    if (stroke) {
      finishStroke(point(event));
      return;
    }
    const drag = queue.end(...point(event));
    if (!drag) return;
    sendUp(drag, event.shiftKey);
    schedule();
  };
  /** @param {WheelEvent} event */
  const onWheel = (event) => {
    event.preventDefault();
    const [x, y] = point(event);
    wheel = { x, y, dy: (wheel ? wheel.dy : 0) + event.deltaY };
    schedule();
  };
  const release = () => {
    // Give the keyboard back to the notebook (command mode), as JupyterLab users expect.
    if (document.activeElement !== canvas) return;
    canvas.blur();
    const notebook = /** @type {HTMLElement | null} */ (el.closest(".jp-Notebook"));
    if (notebook) notebook.focus();
  };
  /** @param {KeyboardEvent} event */
  const onKey = (event) => {
    if (event.key === "Tab") return;
    event.preventDefault();
    event.stopPropagation();
    if (model.get("help_shown") && (event.key === "Escape" || event.key === "?")) {
      setHelp(false);
      return;
    }
    if (event.key === "?") {
      setHelp(true);
      return;
    }
    if (onPathKey(event.key)) return;
    if (event.key === "Escape" && stroke) {
      // The stroke being painted is dropped; nothing of it was sent.
      stroke = null;
      schedule();
      return;
    }
    if (event.key === "Escape") {
      // The drag in progress is dropped here; the kernel then drops it too, or else the selection, or
      // else answers "release".
      const dropped = queue.cancel();
      if (dropped) {
        if (dropped.grab && dropped.grab.mode === "pan") panSent = null;
        schedule();
      }
      send({ type: "key", key: "Escape", ctrl: false, shift: false });
      return;
    }
    send({
      type: "key", key: event.key, ctrl: event.ctrlKey || event.metaKey, shift: event.shiftKey,
    });
  };
  /** @param {GestureReply} msg */
  const onMessage = (msg) => {
    if (msg.type === "grab") {
      if (queue.grab(msg)) schedule();
    } else if (msg.type === "pan_ack") {
      panSent = null;
      if (queue.active) schedule();
    } else if (msg.type === "committed") {
      // The kernel has drawn this gesture's result on the annotation layer: its preview can go.
      if (queue.commit(msg.id)) schedule();
      const drawn = sentPaths.length;
      sentPaths = sentPaths.filter((p) => p.id !== msg.id);
      if (sentPaths.length !== drawn) schedule();
      const strokes = sentStrokes.length;
      sentStrokes = sentStrokes.filter((s) => s.id !== msg.id);
      if (sentStrokes.length !== strokes) schedule();
    } else if (msg.type === "release") {
      release();
    }
  };

  const dropDraft = () => {
    // Another tool: the shape being drawn click by click is dropped.
    draft = null;
    schedule();
  };

  canvas.addEventListener("pointerdown", onDown);
  canvas.addEventListener("pointermove", onMove);
  canvas.addEventListener("pointerup", onUp);
  canvas.addEventListener("pointercancel", onUp);
  canvas.addEventListener("wheel", onWheel, { passive: false });
  canvas.addEventListener("keydown", onKey);
  const onLeave = () => {
    hover = null;
    if (model.get("brush")) schedule();
  };
  canvas.addEventListener("pointerleave", onLeave);
  canvas.addEventListener("contextmenu", (e) => e.preventDefault());
  const unlisten = listen(model, {
    "change:width": size,
    "change:height": size,
    "change:cursor": size,
    "change:view": () => (showView(), schedule()),
    "change:_shortcuts": showHelp,
    "change:help_shown": showHelp,
    "change:tool": dropDraft,
    "change:brush": schedule,
    "msg:custom": onMessage,
  });
  return () => {
    unlisten();
    observer.disconnect();
    if (resizeTimer) clearTimeout(resizeTimer);
    if (frame) cancelAnimationFrame(frame);
  };
}

export default { initialize, render };

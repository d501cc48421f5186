// The gesture layer of the annotator's stage, a transparent canvas on top of the others: pointer, wheel and
// key events become a few coalesced messages for the kernel, and the preview of each drag is drawn here, so
// a drag costs one message at its start and one at its end. A person drawing quickly starts the next drag
// before the kernel has answered the last one (a busy kernel answers seconds later). So every gesture has
// an id, its messages and the kernel's replies carry it, and the gestures the kernel has not answered yet
// wait in a queue (stage_drags.js), drawn as previews, until their own reply comes: nothing drawn is
// dropped. The messages are annotator_stage.js's GestureEvent and GestureReply.
// @ts-check
// @ts-check
import { BrushStroke, STROKE_STEP_PX, drawBrushOutline, drawStroke } from "./stage_brush.js";
import { GestureQueue, previewPoints, previewRect } from "./stage_drags.js";
import { PathDraft, drawPath } from "./stage_paths.js";

/**
 * @typedef {import("./annotator_stage.js").StageModel} StageModel
 * @typedef {import("./annotator_stage.js").Listen} Listen
 * @typedef {import("./annotator_stage.js").Grab} Grab
 * @typedef {import("./annotator_stage.js").GestureEvent} GestureEvent
 * @typedef {import("./annotator_stage.js").GestureReply} GestureReply
 * @typedef {import("./stage_drags.js").Gesture} Gesture
 */

/**
 * The gesture layer, on top: its canvas takes the pointer and the keys, and shows the drags' previews.
 * @param {StageModel} model
 * @param {HTMLElement} el
 * @param {Listen} listen
 */
export function renderGestures(model, el, listen) {
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
  /** @param {boolean} shown */
  const setHelp = (shown) => {
    model.set("help_shown", shown);
    model.save_changes();
  };

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
    "change:tool": dropDraft,
    "change:brush": schedule,
    "msg:custom": onMessage,
  });
  return () => {
    unlisten();
    if (frame) cancelAnimationFrame(frame);
  };
}

// The annotator's gesture layer: a transparent canvas laid over the ipycanvas layers.
// It turns pointer, wheel and key events into a few coalesced messages for the kernel and draws the
// in-progress gesture (the preview) itself, so a drag costs one message at its start and one at its end.
// Only anywidget's narrow model API is used (get, on, send), so it runs in JupyterLab, Notebook 7,
// VS Code and Colab alike.

const HANDLE_EDGES = {
  nw: ["l", "t"], n: ["t"], ne: ["r", "t"], e: ["r"],
  se: ["r", "b"], s: ["b"], sw: ["l", "b"], w: ["l"],
};

function previewRect(grab, x0, y0, x, y) {
  // The rectangle to preview for a drag from (x0, y0) to (x, y), in canvas pixels.
  if (grab.mode === "new") return [x0, y0, x, y];
  const [l, t, r, b] = grab.rect;
  const dx = x - x0, dy = y - y0;
  if (grab.mode === "move") return [l + dx, t + dy, r + dx, b + dy];
  const edges = HANDLE_EDGES[grab.mode] || [];
  return [
    edges.includes("l") ? x : l, edges.includes("t") ? y : t,
    edges.includes("r") ? x : r, edges.includes("b") ? y : b,
  ];
}

function render({ model, el }) {
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
  el.classList.add("dlw-gesture-layer");
  el.appendChild(canvas);
  const ctx = canvas.getContext("2d");

  const size = () => {
    canvas.width = model.get("width");
    canvas.height = model.get("height");
    canvas.style.width = `${canvas.width}px`;
    canvas.style.height = `${canvas.height}px`;
    canvas.style.cursor = model.get("cursor");
  };
  size();

  let drag = null;      // {x0, y0, x, y, grab} while a pointer is down
  let frame = 0;        // a pending animation frame
  let wheel = null;     // coalesced wheel delta, sent once per frame
  let panSent = null;   // pan awaiting the kernel's ack: at most one in flight

  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    return [
      (event.clientX - box.left) * canvas.width / box.width,
      (event.clientY - box.top) * canvas.height / box.height,
    ];
  };

  const drawPreview = () => {
    frame = 0;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (wheel) {
      model.send({ type: "wheel", ...wheel });
      wheel = null;
    }
    if (!drag || !drag.grab) return;
    const { grab } = drag;
    if (grab.mode === "pan") {
      if (!panSent) {
        panSent = { dx: drag.x - drag.px, dy: drag.y - drag.py };
        drag.px = drag.x;
        drag.py = drag.y;
        if (panSent.dx || panSent.dy) model.send({ type: "pan", ...panSent });
        else panSent = null;
      }
      return;
    }
    if (grab.mode === "none") return;
    ctx.save();
    ctx.strokeStyle = grab.color || "#ffcc00";
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    if (grab.kind === "point") {
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
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(drawPreview);
  };

  const onDown = (event) => {
    if (event.button !== 0 && event.button !== 1) return;
    canvas.focus();
    canvas.setPointerCapture(event.pointerId);
    const [x, y] = point(event);
    drag = { x0: x, y0: y, x, y, px: x, py: y, grab: null };
    model.send({
      type: "down", x, y, button: event.button,
      shift: event.shiftKey, ctrl: event.ctrlKey || event.metaKey, alt: event.altKey,
    });
    event.preventDefault();
  };
  const onMove = (event) => {
    if (!drag || drag.done) return;
    [drag.x, drag.y] = point(event);
    schedule();
  };
  const onUp = (event) => {
    if (!drag || drag.done) return;
    const [x, y] = point(event);
    model.send({ type: "up", x, y, x0: drag.x0, y0: drag.y0, shift: event.shiftKey });
    drag.done = true;
    drag.x = x;
    drag.y = y;
    schedule();
  };
  const onWheel = (event) => {
    event.preventDefault();
    const [x, y] = point(event);
    wheel = { x, y, dy: (wheel ? wheel.dy : 0) + event.deltaY };
    schedule();
  };
  const onKey = (event) => {
    if (event.key === "Escape") {
      model.send({ type: "key", key: "Escape", ctrl: false, shift: false });
      canvas.blur();
      // Give the keyboard back to the notebook (command mode), as JupyterLab users expect.
      const notebook = el.closest(".jp-Notebook");
      if (notebook) notebook.focus();
      return;
    }
    if (event.key === "Tab") return;
    event.preventDefault();
    event.stopPropagation();
    model.send({
      type: "key", key: event.key, ctrl: event.ctrlKey || event.metaKey, shift: event.shiftKey,
    });
  };
  const onMessage = (msg) => {
    if (msg.type === "grab" && drag) {
      drag.grab = msg;
      schedule();
    } else if (msg.type === "pan_ack") {
      panSent = null;
      if (drag) schedule();
    } else if (msg.type === "committed") {
      // The kernel has drawn the result on the annotation layer: the preview can go.
      drag = null;
      schedule();
    }
  };

  canvas.addEventListener("pointerdown", onDown);
  canvas.addEventListener("pointermove", onMove);
  canvas.addEventListener("pointerup", onUp);
  canvas.addEventListener("wheel", onWheel, { passive: false });
  canvas.addEventListener("keydown", onKey);
  canvas.addEventListener("contextmenu", (e) => e.preventDefault());
  model.on("change:width", size);
  model.on("change:height", size);
  model.on("change:cursor", size);
  model.on("msg:custom", onMessage);
  return () => {
    model.off("change:width", size);
    model.off("change:height", size);
    model.off("change:cursor", size);
    model.off("msg:custom", onMessage);
    if (frame) cancelAnimationFrame(frame);
  };
}

export default { render };

// The width of the annotator's stage, reported to the kernel. The stage is as wide as the space the
// notebook gives it: a ResizeObserver reports that width, and the kernel redraws its layers at that size.
// Until it has, the canvases are stretched alike by CSS, and points are read through the canvas's scale, so
// a gesture always lands where it was made.
// @ts-check

/**
 * @typedef {import("./annotator_stage.js").StageModel} StageModel
 * @typedef {import("./annotator_stage.js").Resize} Resize
 */

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
 * Report the stage's width to the kernel from now on; returns the function that stops.
 * @param {StageModel} model
 * @param {HTMLElement} el
 * @param {() => Promise<void>} [afterRenders]
 */
export function reportWidths(model, el, afterRenders) {
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
    /** @type {Resize} */
    const message = { type: "resize", width, window_height: window.innerHeight };
    model.send(message);
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
  return () => {
    observer.disconnect();
    if (resizeTimer) clearTimeout(resizeTimer);
  };
}

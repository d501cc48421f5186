// Unit tests of the annotator's gesture queue: the kernel's reply to one gesture never touches another.
// `node --test js/`
import test from "node:test";
import assert from "node:assert/strict";

import { BrushStroke } from "./stage_brush.js";
import { GestureQueue, previewPoints, previewRect } from "./stage_drags.js";
import { PathDraft } from "./stage_paths.js";

test("a drag begun before the last one's reply keeps its moves and its end", () => {
  const queue = new GestureQueue();
  const { gesture: first } = queue.begin(10, 10);
  queue.move(50, 50);
  assert.equal(queue.end(60, 60), first);
  const { gesture: second, finished } = queue.begin(100, 100);
  assert.equal(finished, null);
  assert.notEqual(second.id, first.id);
  queue.grab({ type: "grab", id: first.id, mode: "new" });
  queue.move(120, 130);
  assert.equal(queue.commit(first.id), first, "the reply to the first drag");
  assert.equal(queue.active, second, "the second drag is still under the pointer");
  assert.equal(queue.move(150, 160), second);
  const ended = queue.end(170, 180);
  assert.deepEqual([ended.id, ended.x0, ended.y0, ended.x, ended.y], [second.id, 100, 100, 170, 180]);
});

test("unanswered gestures wait in order, each until its own reply", () => {
  const queue = new GestureQueue();
  const ids = [];
  for (let i = 0; i < 20; i++) {
    const { gesture } = queue.begin(i, i);
    queue.end(i + 30, i + 30);
    ids.push(gesture.id);
  }
  assert.equal(new Set(ids).size, 20);
  assert.deepEqual(queue.pending.map((g) => g.id), ids);
  assert.equal(queue.commit(ids[5]).id, ids[5]);
  assert.equal(queue.commit(ids[5]), null, "a second reply to the same gesture changes nothing");
  assert.equal(queue.commit(12345), null, "a reply to an unknown gesture changes nothing");
  assert.deepEqual(queue.pending.map((g) => g.id), ids.filter((id) => id !== ids[5]));
  for (const id of ids) queue.commit(id);
  assert.deepEqual(queue.pending, []);
});

test("a grab reaches its own gesture, even one that is already finished", () => {
  const queue = new GestureQueue();
  const { gesture: first } = queue.begin(0, 0);
  queue.end(40, 40);
  const { gesture: second } = queue.begin(50, 50);
  queue.grab({ type: "grab", id: second.id, mode: "move", rect: [0, 0, 10, 10] });
  queue.grab({ type: "grab", id: first.id, mode: "new" });
  assert.equal(first.grab.mode, "new");
  assert.equal(second.grab.mode, "move");
  assert.equal(queue.grab({ type: "grab", id: 999, mode: "pan" }), null);
});

test("a pointer-down while a drag is unfinished finishes that drag first", () => {
  const queue = new GestureQueue();
  const { gesture: lost } = queue.begin(1, 2);
  queue.move(30, 40);
  const { gesture, finished } = queue.begin(70, 80);
  assert.equal(finished, lost);
  assert.deepEqual([lost.done, lost.x, lost.y], [true, 30, 40]);
  assert.equal(queue.active, gesture);
});

test("moves and ends without a drag in progress are ignored", () => {
  const queue = new GestureQueue();
  assert.equal(queue.move(1, 1), null);
  assert.equal(queue.end(1, 1), null);
  queue.begin(0, 0);
  queue.end(5, 5);
  assert.equal(queue.move(9, 9), null, "a finished drag no longer follows the pointer");
  assert.equal(queue.pending[0].x, 5);
});

test("previews: a new box, a moved box and a resized corner", () => {
  assert.deepEqual(previewRect({ mode: "new" }, 1, 2, 30, 40), [1, 2, 30, 40]);
  const rect = [10, 10, 50, 50];
  assert.deepEqual(previewRect({ mode: "move", rect }, 20, 20, 25, 30), [15, 20, 55, 60]);
  assert.deepEqual(previewRect({ mode: "se", rect }, 50, 50, 70, 80), [10, 10, 70, 80]);
  assert.deepEqual(previewRect({ mode: "n", rect }, 30, 10, 99, 5), [10, 5, 50, 50]);
});

test("a brush stroke keeps the points a person can see, to 0.1 pixel, and goes in one message", () => {
  const stroke = new BrushStroke(7, { tool: "brush", radius: 6, color: "#ff0000" });
  assert.equal(stroke.add([10.04, 20.06], 0, true), true);
  assert.equal(stroke.add([10.5, 20.5], 2), false, "closer than the step: nothing seen changes");
  assert.equal(stroke.add([13, 20], 2), true);
  assert.equal(stroke.add([13.5, 20], 2, true), true, "the release point is kept");
  assert.equal(stroke.add([13.5, 20], 2, true), false, "but not twice");
  assert.deepEqual(stroke.message(), {
    type: "stroke", id: 7, tool: "brush", radius: 6, points: [10, 20.1, 13, 20, 13.5, 20],
  });
});

// -- Polygons and polylines drawn click by click; previews of vertex edits and turns ----------------------
const same = (/** @type {number[]} */ p) => p;

test("a polygon closes on its first vertex or a double-click, never with fewer than three", () => {
  const draft = new PathDraft(true);
  /** @param {number} x @param {number} y @param {number} t */
  const click = (x, y, t) => draft.click(x, y, [x, y], t, same);
  assert.equal(click(10, 10, 0), "added");
  assert.equal(click(100, 10, 1000), "added");
  assert.equal(click(12, 11, 2000), "added", "two vertices cannot close");
  assert.equal(draft.points.length, 3);
  assert.equal(click(11, 10, 3000), "close", "on the first vertex");
  const twice = new PathDraft(true);
  for (const [i, x] of [10, 100, 50].entries()) twice.click(x, x, [x, x], i * 1000, same);
  assert.equal(twice.click(51, 50, [51, 50], 2200, same), "close", "a double-click on the last vertex");
  assert.deepEqual(twice.points, [[10, 10], [100, 100], [50, 50]]);
});

test("a polyline is not closed on its first vertex; Backspace drops the last vertex", () => {
  const draft = new PathDraft(false);
  draft.click(10, 10, [10, 10], 0, same);
  draft.click(100, 10, [100, 10], 1000, same);
  assert.equal(draft.click(10, 10, [10, 10], 2000, same), "added");
  assert.ok(draft.removeLast());
  assert.deepEqual(draft.points, [[10, 10], [100, 10]]);
  assert.ok(draft.isFinishable);
});

test("previews: a vertex dragged, one added on an edge, a shape moved and turned", () => {
  const points = [[0, 0], [10, 0], [10, 10]];
  assert.deepEqual(previewPoints({ mode: "vertex", points, index: 1 }, 10, 0, 15, 5), [[0, 0], [15, 5], [10, 10]]);
  assert.deepEqual(previewPoints({ mode: "insert", points, index: 0 }, 5, 0, 5, -3), [
    [0, 0], [5, -3], [10, 0], [10, 10],
  ]);
  assert.deepEqual(previewPoints({ mode: "move", points }, 0, 0, 1, 2), [[1, 2], [11, 2], [11, 12]]);
  const turned = previewPoints({ mode: "rotate", points: [[10, 0]], centre: [0, 0] }, 0, -10, 10, 0);
  assert.ok(Math.abs(turned[0][0]) < 1e-9 && Math.abs(turned[0][1] - 10) < 1e-9, "a quarter turn clockwise");
  assert.deepEqual(points, [[0, 0], [10, 0], [10, 10]], "the grabbed outline is not changed");
});

test("previews: an ellipse's radius stretched along its turned axis, no smaller than a pixel", () => {
  // An ellipse about (100, 100) turned a quarter: its rx (40) lies downwards, its ry (20) to the left.
  const points = [[100, 140], [80, 100], [100, 60], [120, 100]];
  const grab = { mode: /** @type {const} */ ("radius"), points, centre: [100, 100], axis: [0, 40] };
  const longer = previewPoints(grab, 100, 140, 103, 150);  // 10 further along the axis: rx 50
  const near = (/** @type {number[][]} */ a, /** @type {number[][]} */ b) =>
    a.every(([x, y], i) => Math.abs(x - b[i][0]) < 1e-9 && Math.abs(y - b[i][1]) < 1e-9);
  assert.ok(near(longer, [[100, 150], [80, 100], [100, 50], [120, 100]]), JSON.stringify(longer));
  const flat = previewPoints(grab, 100, 140, 100, 100.5);  // dragged to the centre: 1 pixel
  assert.ok(near(flat, [[100, 101], [80, 100], [100, 99], [120, 100]]), JSON.stringify(flat));
});

test("previews: a turned box's corner and edge dragged along its axes, the opposite sides staying", () => {
  // A 200 x 100 box about (200, 150) turned a quarter clockwise: its top-left corner at (250, 50).
  const corners = [[250, 50], [250, 250], [150, 250], [150, 50]];
  const near = (/** @type {number[][]} */ a, /** @type {number[][]} */ b) =>
    a.every(([x, y], i) => Math.abs(x - b[i][0]) < 1e-9 && Math.abs(y - b[i][1]) < 1e-9);
  const corner = previewPoints({ mode: "se", points: corners }, 150, 250, 140, 270);
  assert.ok(near(corner, [[250, 50], [250, 270], [140, 270], [140, 50]]), JSON.stringify(corner));
  const edge = previewPoints({ mode: "e", points: corners }, 200, 250, 205, 230);
  assert.ok(near(edge, [[250, 50], [250, 230], [150, 230], [150, 50]]), JSON.stringify(edge));
});

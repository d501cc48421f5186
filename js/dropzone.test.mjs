// Unit tests of the dropzone's pure parts: chunk planning, flow control, paths, limits. `node --test js/`
import test from "node:test";
import assert from "node:assert/strict";

import {
  FileSender, MIB, RateMeter, checkDrop, collectEntries, dedupePaths, formatBytes, isAccepted, planChunks,
  timeLeft,
} from "./dropzone.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

function bytes(size) {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 7) & 255;
  return data;
}

// A sender over `data` whose sends are recorded; acks are given by the test.
function sender(data, chunkSize, window, read) {
  const sent = [];
  const s = new FileSender({
    size: data.length, chunkSize, window,
    read: read || (async (start, end) => data.slice(start, end).buffer),
    send: (chunk, buffer) => sent.push({ ...chunk, buffer }),
  });
  return { s, sent };
}

test("chunks cover the file exactly, the last one shorter", () => {
  assert.deepEqual(planChunks(10, 4), [
    { index: 0, start: 0, end: 4 }, { index: 1, start: 4, end: 8 }, { index: 2, start: 8, end: 10 },
  ]);
  assert.deepEqual(planChunks(8, 4).map((c) => c.end - c.start), [4, 4]);
  assert.deepEqual(planChunks(0, 4), []);
  assert.equal(planChunks(50 * 1000 * 1000, 4 * MIB).length, 12);
  assert.throws(() => planChunks(10, 0));
});

test("never more than `window` chunks unacknowledged, and done once all are acked", async () => {
  const data = bytes(1000);
  const { s, sent } = sender(data, 100, 3);
  let finished = false;
  s.start().then(() => { finished = true; });
  await tick();
  assert.equal(sent.length, 3, "the window fills");
  await tick();
  assert.equal(sent.length, 3, "and waits for acks");
  while (sent.length < 10 || s.inFlight.size) {
    const oldest = [...s.inFlight.keys()][0];
    assert.ok(s.ack(oldest));
    await tick();
    assert.ok(s.inFlight.size <= 3);
  }
  await tick();
  assert.ok(finished);
  assert.equal(s.maxInFlight, 3);
  const joined = Buffer.concat(sent.map((c) => Buffer.from(c.buffer)));
  assert.deepEqual(new Uint8Array(joined), data);
});

test("acks out of order, duplicated or unknown do not upset the count", async () => {
  const { s, sent } = sender(bytes(500), 100, 5);
  const done = s.start();
  await tick();
  assert.equal(sent.length, 5);
  assert.ok(s.ack(3));
  assert.equal(s.ack(3), false, "a duplicate ack");
  assert.equal(s.ack(42), false, "an ack for a chunk never sent");
  for (const index of [4, 0, 2, 1]) assert.ok(s.ack(index));
  await done;
  assert.equal(s.ackedBytes, 500);
});

test("a zero-byte file is done at once, with no chunk", async () => {
  const { s, sent } = sender(bytes(0), 100, 2);
  await s.start();
  assert.equal(sent.length, 0);
});

test("cancel stops sending and rejects", async () => {
  const { s, sent } = sender(bytes(1000), 100, 2);
  const done = s.start();
  await tick();
  s.cancel();
  s.ack(0);
  await tick();
  assert.equal(sent.length, 2);
  await assert.rejects(done, /cancelled/);
  assert.equal(s.state, "cancelled");
});

test("a file that shrinks or cannot be read fails with a reason", async () => {
  const data = bytes(300);
  const short = sender(data, 100, 2, async (start, end) => data.slice(start, Math.min(end, 150)).buffer);
  const done = short.s.start();
  await tick();
  short.s.ack(0);
  await assert.rejects(done, /the file changed while it was read/);
  const gone = sender(data, 100, 2, async () => {
    throw Object.assign(new Error("x"), { name: "NotReadableError" });
  });
  await assert.rejects(gone.s.start(), /changed or disappeared/);
});

test("the kernel's failure stops the sender", async () => {
  const { s, sent } = sender(bytes(1000), 100, 2);
  const done = s.start();
  await tick();
  s.fail("chunk 1 has 3 bytes");
  s.ack(0);
  await tick();
  assert.equal(sent.length, 2);
  await assert.rejects(done, /chunk 1 has 3 bytes/);
});

test("repeated names in one drop are renamed, keeping the extension", () => {
  assert.deepEqual(dedupePaths(["a.jpg", "a.jpg", "d/a.jpg", "a.jpg", "x", "x", "v.1/n"]),
    ["a.jpg", "a (2).jpg", "d/a.jpg", "a (3).jpg", "x", "x (2)", "v.1/n"]);
});

test("accept lists match types, wildcards and extensions", () => {
  assert.ok(isAccepted("a.JPG", "image/jpeg", "image/*"));
  assert.ok(!isAccepted("a.txt", "text/plain", "image/*"));
  assert.ok(isAccepted("a.pdf", "", "image/*, .pdf"));
  assert.ok(isAccepted("a.bin", "", ""));
});

test("limits: too large files are refused one by one, too many files refuse the drop", () => {
  const file = (size, type = "image/png") => ({ size, type });
  const drop = [
    { file: file(10), path: "a.png" }, { file: file(5000), path: "big.png" },
    { file: file(1, "text/plain"), path: "n.txt" }, { file: file(10), path: "a.png" },
  ];
  const checked = checkDrop(drop, { accept: "image/*", maxFiles: 10, maxFileSize: 1000 });
  assert.deepEqual(checked.accepted.map((e) => e.path), ["a.png", "a (2).png"]);
  assert.deepEqual(checked.refused.map((e) => e.path), ["big.png", "n.txt"]);
  assert.match(checked.refused[0].reason, /5.0 kB; the limit is 1.0 kB/);
  const many = checkDrop(drop, { accept: "", maxFiles: 3, maxFileSize: 0 });
  assert.equal(many.accepted.length, 0);
  assert.match(many.message, /4 files; the limit is 3/);
});

test("dropped folders are walked through their entries, in batches, keeping relative paths", async () => {
  const fileEntry = (fullPath) => ({ isFile: true, fullPath, file: (ok) => ok({ name: fullPath.split("/").pop() }) });
  const dir = (children) => ({
    isDirectory: true,
    createReader: () => {
      const batches = [children.slice(0, 2), children.slice(2), []];
      return { readEntries: (ok) => ok(batches.shift()) };
    },
  });
  const found = await collectEntries([
    fileEntry("/top.jpg"),
    dir([fileEntry("/photos/a b.jpg"), fileEntry("/photos/é.jpg"), dir([fileEntry("/photos/sub/c.jpg")])]),
  ]);
  assert.deepEqual(found.map((f) => f.path), ["top.jpg", "photos/a b.jpg", "photos/é.jpg", "photos/sub/c.jpg"]);
});

test("rates and sizes read well", () => {
  const meter = new RateMeter(3000);
  meter.add(0, 0);
  meter.add(1000, 50e6);
  assert.equal(meter.rate(), 50e6);
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(52_428_800), "52 MB");
});

test("the time left says finishing under a second, never a standing 1 s", () => {
  assert.equal(timeLeft(0.2), "finishing…");
  assert.equal(timeLeft(0.99), "finishing…");
  assert.equal(timeLeft(1.2), "2 s left");
  assert.equal(timeLeft(75), "1 min 15 s left");
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridShape, MAX_GRID_TILES, stripCapacity } from '../src/ui/layout.js';

test('every count from 1 to 25 fits, with no empty row, inside the area', () => {
  for (const [w, h] of [[1280, 620], [800, 900], [360, 640], [1920, 1000]]) {
    for (let n = 1; n <= MAX_GRID_TILES; n++) {
      const g = gridShape(n, w, h);
      assert.ok(g.cols * g.rows >= n, `${n} tiles in ${g.cols}x${g.rows}`);
      assert.ok(g.cols * (g.rows - 1) < n, `no empty row for ${n}`);
      assert.ok(g.tileWidth * g.cols <= w + 1e-6 && g.tileHeight * g.rows <= h + 1e-6, `${n} fits ${w}x${h}`);
      assert.ok(g.tileWidth > 0);
    }
  }
});

test('landscape screens get the grids people expect', () => {
  const shape = (n) => { const g = gridShape(n, 1280, 620); return `${g.cols}x${g.rows}`; };
  assert.deepEqual([1, 2, 3, 4, 5, 6, 9, 12, 16, 25].map(shape),
    ['1x1', '2x1', '2x2', '2x2', '3x2', '3x2', '3x3', '4x3', '4x4', '5x5']);
});

test('a phone held upright stacks tiles', () => {
  assert.equal(gridShape(2, 360, 640).cols, 1);
  assert.equal(gridShape(3, 360, 640).cols, 1);
});

test('tiles shrink as people join, never grow', () => {
  let last = Infinity;
  for (let n = 1; n <= MAX_GRID_TILES; n++) {
    const g = gridShape(n, 1280, 620);
    assert.ok(g.tileWidth <= last + 1e-6, `tile for ${n} not larger than for ${n - 1}`);
    last = g.tileWidth;
  }
});

test('more than 25 are laid out as 25 and nothing breaks for 0', () => {
  assert.deepEqual(gridShape(40, 1280, 620), gridShape(25, 1280, 620));
  assert.equal(gridShape(0, 1280, 620).cols, 1);
});

test('the strip holds at least one thumbnail', () => {
  assert.equal(stripCapacity(100), 1);
  assert.equal(stripCapacity(1280), 8);
});

// Grid arithmetic of the call page, apart from the DOM so it can be tested: how many columns and rows give n video
// tiles (1-25) the largest 16:9 size in the space there is, and how many thumbnails fit in the strip under a stage.
export const MAX_GRID_TILES = 25;
export const VIDEO_ASPECT = 16 / 9;

/**
 * {cols, rows, tileWidth, tileHeight} for n tiles in width x height (CSS pixels, gaps left out): the column count
 * whose tiles are largest; on a tie, the squarer grid.
 */
export function gridShape(n, width, height, aspect = VIDEO_ASPECT) {
  const count = Math.max(1, Math.min(n, MAX_GRID_TILES));
  let best = null;
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    if (cols * (rows - 1) >= count) continue; // an empty row
    const tileWidth = Math.min(width / cols, (height / rows) * aspect);
    if (!best || tileWidth > best.tileWidth + 0.5) best = { cols, rows, tileWidth, tileHeight: tileWidth / aspect };
  }
  return best;
}

/** How many tiles of the strip under a stage fit side by side in width, each at least minWidth wide. */
export function stripCapacity(width, minWidth = 160) {
  return Math.max(1, Math.floor(width / minWidth));
}

// Reads a `node --cpu-prof` profile and answers where the time went: the frames with the most self time, and the
// same time summed per source file, so that a bench run can say which part of a request costs what.
import { readFileSync } from 'node:fs';

const place = (frame) => {
  const file = frame.url ? frame.url.replace(/^.*\/(node_modules|packages)\//, '$1/') : '(native)';
  return { name: frame.functionName || '(anonymous)', file, line: frame.lineNumber + 1 };
};

/** Self time per frame and per file, in shares of the profile's samples (idle and GC listed as such). */
export function summariseProfile(path, top = 25) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const hits = new Map();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const frames = new Map();
  const files = new Map();
  for (const [id, count] of hits) {
    const { name, file, line } = place(byId.get(id).callFrame);
    const key = `${name} ${file}:${line}`;
    frames.set(key, (frames.get(key) ?? 0) + count);
    files.set(file, (files.get(file) ?? 0) + count);
  }
  const ranked = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([what, count]) => ({ what, share: count / total }));
  return { samples: total, frames: ranked(frames), files: ranked(files) };
}

// The pages' English words, read from the word tables in web/ (ui.js, phone-live.js,
// projector-words.js, debrief-words.js, console-words.js: each an object literal with an
// `en` and a `fr` table), so the French walk checks every UI string there is, not a
// list that goes stale. A string spelt the same in both tables is left out; a string
// with placeholders gives its longest fixed part.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { REPO } from './harness.mjs';

/// The word tables, by file: the declaration that opens each, and its shape (`en/fr`:
/// `{en: {…}, fr: {…}}`; `pairs`: `{key: [english, french], …}`).
export const TABLES = {
  'web/ui.js': ['const STRINGS = {', 'en/fr'],
  'web/phone-live.js': ['const STRINGS = {', 'en/fr'],
  'web/projector-words.js': ['const WORDS = {', 'en/fr'],
  'web/debrief-words.js': [null, 'en/fr'],
  'web/console-words.js': ['const WORDS = {', 'pairs'],
  'web/console-words-evaluation.js': ['  return {', 'pairs'],
  'web/console-words-authoring.js': ['  return {', 'pairs'],
  'web/console-words-conditions.js': ['  return {', 'pairs'],
};

/// The object literal of `file` that `opening` starts (the first `const X = {` followed
/// by `en: {` when none), evaluated without running the module; a `pairs` table is
/// turned into `{en, fr}`.
function table(file, [opening, shape]) {
  const src = fs.readFileSync(path.join(REPO, file), 'utf8');
  const open = opening ?? src.match(/const \w+ = \{\s*\n\s*en: \{/)?.[0].replace(/\{\s*\n[\s\S]*$/, '{');
  if (!open || !src.includes(open)) throw new Error(`${file}: no word table found`);
  const start = src.indexOf(open) + open.length - 1;
  let depth = 0;
  let end = start;
  for (; end < src.length; end++) {
    if (src[end] === '{') depth++;
    else if (src[end] === '}' && --depth === 0) break;
  }
  const context = { Intl, S: '\u00a0', one: (n) => n === 1, evaluationWords: () => ({}), authoringWords: () => ({}), conditionWords: () => ({}) };
  const literal = vm.runInNewContext(`(${src.slice(start, end + 1)})`, context);
  if (shape === 'en/fr') return literal;
  const pairs = Object.values(literal).filter(Array.isArray);
  return { en: pairs.map((p) => p[0]), fr: pairs.map((p) => p[1]) };
}

const strings = (v) =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];

/// English UI strings of every table that French does not share, by file.
export function englishWords() {
  const out = {};
  for (const [file, how] of Object.entries(TABLES)) {
    const { en, fr } = table(file, how);
    const french = new Set(strings(fr));
    const words = strings(en)
      .filter((s) => !french.has(s))
      .map((s) => s.split(/\{[^}]*\}/).map((part) => part.trim()).sort((a, b) => b.length - a.length)[0])
      .filter((s) => s && s.length >= 6 && /[A-Za-z]{3}/.test(s));
    out[file] = [...new Set(words)];
  }
  return out;
}

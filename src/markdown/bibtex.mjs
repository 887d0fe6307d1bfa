// @ts-check
/**
 * The book's bibliography: a small BibTeX reader (enough for src/content/references.bib) and
 * the two ways an entry is printed, as an author-year label in the prose ("Bengio et al.,
 * 2003") and as a full entry in a chapter's References.
 *
 * Read: `@type{key, field = {braced {nested} text} or "quoted text" or 1234, ...}`, `%` comment
 * lines outside entries, and `@comment{...}`. Not read (the reader throws, so nothing is
 * silently lost): `@string` macros and `#` concatenation. Every entry needs author (or
 * editor), title and year. Names are "Last, First" or "First Last" ("van der Maaten, Laurens"
 * keeps its particle); braces protect case in BibTeX and are dropped when printing.
 */

/**
 * @typedef {{ type: string, key: string, fields: Record<string, string>, line: number }} BibEntry
 * @typedef {{ first: string, last: string }} BibName
 */

/**
 * @param {string} text the .bib file's content
 * @param {string} [source] its name, for error messages
 * @returns {Map<string, BibEntry>}
 */
export function parseBibtex(text, source = 'bibliography') {
  /** @type {Map<string, BibEntry>} */
  const entries = new Map();
  let i = 0;
  const lineAt = (/** @type {number} */ at) => text.slice(0, at).split('\n').length;
  const fail = (/** @type {string} */ msg, /** @type {number} */ at) => {
    throw new Error(`${source}:${lineAt(at)}: ${msg}`);
  };
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text.charAt(i))) i++;
  };
  /** Reads a {...} group starting at text[i] === '{'; returns its inside. */
  const braced = () => {
    const start = i;
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text.charAt(i);
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        i++;
        return text.slice(start + 1, i - 1);
      }
    }
    return fail('unbalanced braces', start);
  };
  const quoted = () => {
    const start = i;
    i++;
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text.charAt(i);
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '"' && depth === 0) {
        i++;
        return text.slice(start + 1, i - 1);
      }
    }
    return fail('unterminated "quoted" value', start);
  };

  while (i < text.length) {
    skipSpace();
    if (i >= text.length) break;
    const c = text.charAt(i);
    if (c === '%') {
      while (i < text.length && text.charAt(i) !== '\n') i++;
      continue;
    }
    if (c !== '@') fail(`unexpected text ${JSON.stringify(text.slice(i, i + 20))}`, i);
    const at = i;
    i++;
    const type = /^[A-Za-z]+/.exec(text.slice(i))?.[0]?.toLowerCase();
    if (!type) return fail('an entry type after @', at);
    i += type.length;
    skipSpace();
    if (text.charAt(i) !== '{') fail(`"{" after @${type}`, i);
    if (type === 'comment') {
      braced();
      continue;
    }
    if (type === 'string' || type === 'preamble') fail(`@${type} is not supported`, at);
    i++;
    skipSpace();
    const key = /^[^\s,{}]+/.exec(text.slice(i))?.[0];
    if (!key) return fail(`@${type} without a key`, at);
    i += key.length;
    if (entries.has(key)) fail(`duplicate key "${key}"`, at);
    /** @type {Record<string, string>} */
    const fields = {};
    for (;;) {
      skipSpace();
      if (text.charAt(i) === ',') {
        i++;
        skipSpace();
      }
      if (text.charAt(i) === '}') {
        i++;
        break;
      }
      if (i >= text.length) fail(`entry "${key}" is not closed`, at);
      const name = /^[A-Za-z][\w-]*/.exec(text.slice(i))?.[0]?.toLowerCase();
      if (!name) return fail(`a field name in "${key}"`, i);
      i += name.length;
      skipSpace();
      if (text.charAt(i) !== '=') fail(`"=" after field "${name}" of "${key}"`, i);
      i++;
      skipSpace();
      const v = text.charAt(i);
      const value = v === '{' ? braced() : v === '"' ? quoted() : /^\d+/.exec(text.slice(i))?.[0];
      if (value === undefined) return fail(`a value for field "${name}" of "${key}"`, i);
      if (/^\d+$/.test(value) && v !== '{' && v !== '"') i += value.length;
      skipSpace();
      if (text.charAt(i) === '#') fail(`"#" concatenation is not supported ("${key}")`, i);
      if (Object.hasOwn(fields, name)) fail(`field "${name}" twice in "${key}"`, i);
      fields[name] = value.replace(/\s+/g, ' ').trim();
    }
    for (const required of ['title', 'year'])
      if (!fields[required]) fail(`entry "${key}" has no ${required}`, at);
    if (!fields['author'] && !fields['editor']) fail(`entry "${key}" has no author`, at);
    entries.set(key, { type, key, fields, line: lineAt(at) });
  }
  return entries;
}

/** BibTeX text -> plain text: drops protecting braces, turns `--` into an en dash, `\&` into &. */
export function plain(/** @type {string} */ s) {
  return s
    .replace(/\\&/g, '&')
    .replace(/---/g, '—')
    .replace(/--/g, '–')
    .replace(/~/g, '\u00a0')
    .replace(/[{}]/g, '');
}

/** Splits a name list on " and " outside braces. */
export function parseNames(/** @type {string} */ list) {
  /** @type {string[]} */
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list.charAt(i);
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 0 && /^\sand\s/.test(list.slice(i, i + 5))) {
      parts.push(list.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(list.slice(start));
  return parts.map((p) => parseName(p.trim()));
}

/** "Last, First" or "First von Last" -> its parts (plain text). */
function parseName(/** @type {string} */ name) {
  const comma = name.indexOf(',');
  if (comma >= 0)
    return { last: plain(name.slice(0, comma).trim()), first: plain(name.slice(comma + 1).trim()) };
  const words = name.split(/\s+/);
  // "First von Last": the last name starts at the first lowercase word, else it is the last word.
  let split = words.findIndex((w, k) => k > 0 && k < words.length - 1 && /^[a-z]/.test(w));
  if (split < 0) split = words.length - 1;
  return {
    first: plain(words.slice(0, split).join(' ')),
    last: plain(words.slice(split).join(' ')),
  };
}

/** "Bengio", "Press and Wolf", "Bengio et al.": the author part of an in-text citation. */
export function shortAuthors(/** @type {BibEntry} */ entry) {
  const names = parseNames(entry.fields['author'] ?? entry.fields['editor'] ?? '');
  const [a, b] = names;
  if (!a) return '';
  if (names.length === 1) return a.last;
  if (names.length === 2 && b) return `${a.last} and ${b.last}`;
  return `${a.last} et al.`;
}

/** "Yoshua Bengio, Réjean Ducharme and Pascal Vincent": every name, first names first. */
export function fullNames(/** @type {string} */ list) {
  const names = parseNames(list).map((n) => (n.first ? `${n.first} ${n.last}` : n.last));
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function year(/** @type {BibEntry} */ entry) {
  return plain(entry.fields['year'] ?? '');
}

/** A sort key: first author's last name, then year, then title. */
export function sortKey(/** @type {BibEntry} */ entry) {
  const first = parseNames(entry.fields['author'] ?? entry.fields['editor'] ?? '')[0];
  return `${first?.last.toLowerCase() ?? ''}\u0000${year(entry)}\u0000${plain(entry.fields['title'] ?? '').toLowerCase()}`;
}

/**
 * A full reference, in parts so the caller can set the title or venue in italics and link the
 * address: `{ authors, year, title, titleItalic, venue, venueItalic, rest, href, hrefText }`.
 * @param {BibEntry} entry
 */
export function formatEntry(entry) {
  const f = (/** @type {string} */ k) => (entry.fields[k] ? plain(entry.fields[k]) : '');
  const pages = f('pages') ? `pages ${f('pages')}` : '';
  const volNum = f('volume') ? f('volume') + (f('number') ? `(${f('number')})` : '') : '';
  /** @type {string[]} */
  let rest = [];
  let venue = '';
  let titleItalic = false;
  switch (entry.type) {
    case 'article':
      venue = f('journal');
      rest = [volNum, pages];
      break;
    case 'inproceedings':
    case 'incollection': {
      venue = f('booktitle');
      const eds = entry.fields['editor'] ? `edited by ${fullNames(entry.fields['editor'])}` : '';
      const series = f('series') ? `${f('series')}${f('volume') ? ` ${f('volume')}` : ''}` : '';
      rest = [eds, series || (f('volume') ? `volume ${f('volume')}` : ''), pages, f('publisher')];
      break;
    }
    case 'book':
      titleItalic = true;
      rest = [f('edition') ? `${f('edition')} edition` : '', f('publisher'), f('address')];
      break;
    case 'mastersthesis':
    case 'phdthesis':
      rest = [entry.type === 'mastersthesis' ? "Master's thesis" : 'PhD thesis', f('school')];
      break;
    default:
      rest = [
        f('howpublished'),
        f('publisher'),
        f('eprint') ? `${f('archiveprefix') || 'Eprint'} preprint` : '',
      ];
  }
  if (f('note')) rest.push(f('note'));
  const eprint = f('eprint');
  const doi = f('doi');
  const href = doi
    ? `https://doi.org/${doi}`
    : f('url') || (eprint ? `https://arxiv.org/abs/${eprint}` : '');
  const hrefText = doi ? `doi:${doi}` : eprint ? `arXiv:${eprint}` : href;
  return {
    authors: fullNames(entry.fields['author'] ?? entry.fields['editor'] ?? ''),
    year: year(entry),
    title: f('title'),
    titleItalic,
    venue,
    rest: rest.filter(Boolean).join(', '),
    href,
    hrefText,
  };
}

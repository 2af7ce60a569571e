// Turns a metalava signature file (Media3's api.txt, format 5.0, kotlin-name-type-order=yes)
// into compile-only Java stubs: same packages, classes, nesting, generics, constructors,
// methods, fields and constant values, with every body throwing. Kotlin code compiled against
// these stubs sees the same stable API surface as code compiled against the real library
// (and no @UnstableApi symbol, since api.txt does not list those).
//
// Usage as a module: generateStubs(apiText) -> { files: Map<relPath, javaSource>, notes: string[] }.
// Usage from a shell: node generate-stubs.mjs <api.txt> <outDir>

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const STUB_BODY = '{ throw new RuntimeException("stub"); }';
// Supertypes outside the stub set whose no-argument constructor the stubs may call.
const EXTERNAL_SUPER_CALLS = new Map([
  ['java.lang.Exception', 'super();'],
  ['java.lang.Throwable', 'super();'],
  ['java.io.IOException', 'super();'],
  ['java.lang.RuntimeException', 'super();'],
  ['androidx.lifecycle.LifecycleService', 'super();'],
  ['android.widget.FrameLayout', 'super((android.content.Context) null);'],
]);
// Parameter type of the hidden constructor every stub class gets, so stub subclasses can chain
// to it without giving user code a constructor the real class does not have.
const HIDDEN = 'androidx.media3.StubOnly';

// ---------------------------------------------------------------- lexical helpers

/**
 * Removes annotations (with balanced argument lists) from one line and reports which of the
 * ones that matter were present, in order, as markers: "@N" (Nullable) and "@D" (Deprecated).
 */
function stripAnnotations(line) {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (ch === '"') {
      const end = endOfString(line, i);
      out += line.slice(i, end);
      i = end;
      continue;
    }
    if (ch === '@' && /[A-Za-z]/.test(line[i + 1] ?? '') && !line.startsWith('@interface', i)) {
      let j = i + 1;
      while (j < line.length && /[A-Za-z0-9_.]/.test(line[j])) j++;
      const name = line.slice(i + 1, j);
      if (line[j] === '(') j = endOfBalanced(line, j);
      while (line[j] === ' ') j++;
      if (name === 'Nullable' || name === 'androidx.annotation.Nullable') out += '@N ';
      else if (name === 'Deprecated' || name === 'java.lang.Deprecated') out += '@D ';
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function endOfString(s, start) {
  let i = start + 1;
  while (i < s.length) {
    if (s[i] === '\\') i += 2;
    else if (s[i] === '"') return i + 1;
    else i++;
  }
  throw new Error(`unterminated string in: ${s}`);
}

function endOfBalanced(s, start) {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i = endOfString(s, i) - 1;
      continue;
    }
    if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error(`unbalanced annotation arguments in: ${s}`);
}

/** Splits at top-level commas (not inside <...> or (...)). */
function splitTopLevel(s, sep = ',') {
  const parts = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '<' || c === '(') depth++;
    else if (c === '>' || c === ')') depth--;
    if (c === sep && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

/** Reads a leading "<...>" (balanced) from s; returns [inside-with-brackets, rest]. */
function leadingAngle(s) {
  if (!s.startsWith('<')) return ['', s];
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '<') depth++;
    else if (s[i] === '>') {
      depth--;
      if (depth === 0) return [s.slice(0, i + 1), s.slice(i + 1).trim()];
    }
  }
  throw new Error(`unbalanced type parameters: ${s}`);
}

function takeMarkers(s) {
  const markers = new Set();
  let rest = s.trim();
  while (rest.startsWith('@N ') || rest.startsWith('@D ')) {
    markers.add(rest.slice(0, 2));
    rest = rest.slice(3).trim();
  }
  return [markers, rest];
}

const MODIFIERS = new Set(['public', 'protected', 'private', 'static', 'final', 'abstract', 'default', 'synchronized', 'native', 'transient', 'volatile', 'sealed']);

function takeModifiers(s) {
  const mods = new Set();
  const markers = new Set();
  let rest = s.trim();
  for (;;) {
    const [m, r] = takeMarkers(rest);
    for (const x of m) markers.add(x);
    rest = r;
    const word = /^([a-z]+)\s+/.exec(rest);
    if (word && MODIFIERS.has(word[1])) {
      mods.add(word[1]);
      rest = rest.slice(word[0].length);
      continue;
    }
    break;
  }
  return [mods, markers, rest];
}

/** Erasure used to decide whether a method overrides another: drops type arguments and markers. */
function erase(type, typeVars) {
  let t = type.replace(/@N |@D /g, '').trim();
  let out = '';
  let depth = 0;
  for (const c of t) {
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (depth === 0) out += c;
  }
  out = out.replace(/\.\.\.$/, '[]').replace(/\s+/g, '');
  const base = out.replace(/(\[\])+$/, '');
  if (typeVars.has(base)) out = 'java.lang.Object' + out.slice(base.length);
  if (out === 'String') return 'java.lang.String';
  return out;
}

// ---------------------------------------------------------------- parsing

function parseParams(text) {
  if (!text.trim()) return [];
  return splitTopLevel(text).map((p) => {
    const [markers, rest] = takeMarkers(p);
    const colon = rest.indexOf(':');
    if (colon < 0) throw new Error(`parameter without type: ${p}`);
    const name = rest.slice(0, colon).trim();
    const type = rest.slice(colon + 1).trim();
    return { name, type: type.replace(/@N |@D /g, '').trim(), nullable: markers.has('@N') };
  });
}

/** "name(params): Ret throws A, B" -> parts. */
function parseSignature(s) {
  const open = s.indexOf('(');
  const name = s.slice(0, open).trim();
  let depth = 0;
  let close = -1;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    }
  }
  const params = parseParams(s.slice(open + 1, close));
  let after = s.slice(close + 1).trim();
  let ret = null;
  let throwsList = [];
  if (after.startsWith(':')) after = after.slice(1).trim();
  const th = after.search(/\sthrows\s/);
  if (th >= 0) {
    throwsList = splitTopLevel(after.slice(th).replace(/^\s*throws\s+/, ''));
    after = after.slice(0, th).trim();
  }
  if (after) ret = after.replace(/@N |@D /g, '').trim();
  return { name, params, ret, throwsList };
}

function parseClassHeader(text, pkg) {
  const [mods, markers, rest0] = takeModifiers(text.replace(/\{\s*$/, '').trim());
  const kindMatch = /^(class|interface|@interface|enum)\s+/.exec(rest0);
  if (!kindMatch) throw new Error(`cannot read class header: ${text}`);
  let rest = rest0.slice(kindMatch[0].length);
  const nameMatch = /^[A-Za-z0-9_.]+/.exec(rest);
  const dotted = nameMatch[0];
  rest = rest.slice(dotted.length).trim();
  const [typeParams, afterTp] = leadingAngle(rest);
  rest = afterTp;
  let superclass = null;
  let interfaces = [];
  const kind = kindMatch[1];
  // "extends A" / "implements A B" (metalava separates several types with spaces).
  const readTypes = (s) => {
    const out = [];
    let cur = '';
    let depth = 0;
    for (const c of s) {
      if (c === '<') depth++;
      if (c === '>') depth--;
      if (c === ' ' && depth === 0) {
        if (cur) out.push(cur);
        cur = '';
      } else cur += c;
    }
    if (cur) out.push(cur);
    return out;
  };
  const ext = /^extends\s+(.*?)(?=\s+implements\s+|$)/.exec(rest);
  if (ext) {
    const types = readTypes(ext[1].trim());
    if (kind === 'interface') interfaces.push(...types);
    else superclass = types[0];
    rest = rest.slice(ext[0].length).trim();
  }
  const impl = /^implements\s+(.*)$/.exec(rest);
  if (impl) interfaces.push(...readTypes(impl[1].trim()));
  return {
    pkg,
    dotted,
    fqn: `${pkg}.${dotted}`,
    simple: dotted.split('.').pop(),
    kind,
    mods,
    deprecated: markers.has('@D'),
    typeParams,
    superclass,
    interfaces,
    ctors: [],
    methods: [],
    fields: [],
    children: [],
  };
}

function parseMember(kind, text, cls) {
  const [mods, markers, rest] = takeModifiers(text);
  const nullable = markers.has('@N');
  const deprecated = markers.has('@D');
  if (kind === 'ctor') {
    const sig = parseSignature(rest);
    return { mods, deprecated, params: sig.params, throwsList: sig.throwsList };
  }
  if (kind === 'method') {
    const [typeParams, r] = leadingAngle(rest);
    const sig = parseSignature(r);
    return { mods, deprecated, nullable, typeParams, ...sig };
  }
  // field name: Type [= value];
  const colon = rest.indexOf(':');
  const name = rest.slice(0, colon).trim();
  let typeAndValue = rest.slice(colon + 1).trim();
  let value = null;
  const eq = typeAndValue.indexOf(' = ');
  if (eq >= 0) {
    value = typeAndValue.slice(eq + 3).trim();
    typeAndValue = typeAndValue.slice(0, eq).trim();
  }
  return { mods, deprecated, nullable, name, type: typeAndValue.replace(/@N |@D /g, '').trim(), value, owner: cls.fqn };
}

/** Splits a member line "kind ...;  // comment" keeping string literals intact. */
function memberBody(line) {
  let s = line.trim();
  // drop a trailing comment outside strings
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') {
      const end = endOfString(s, i);
      out += s.slice(i, end);
      i = end - 1;
      continue;
    }
    if (s[i] === '/' && s[i + 1] === '/') break;
    out += s[i];
  }
  out = out.trim();
  if (out.endsWith(';')) out = out.slice(0, -1);
  return out;
}

export function parseApi(text) {
  const classes = new Map();
  let pkg = null;
  let cls = null;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n];
    const line = raw.trim();
    if (!line || line.startsWith('//')) continue;
    try {
      if (line.startsWith('package ')) {
        pkg = line.slice(8).replace(/\{\s*$/, '').trim();
        continue;
      }
      if (line === '}') {
        if (cls) cls = null;
        else pkg = null;
        continue;
      }
      const clean = stripAnnotations(line);
      const member = /^(ctor|method|field|property|enum_constant)\s+/.exec(clean);
      if (member) {
        if (!cls) throw new Error('member outside a class');
        const body = memberBody(clean.slice(member[0].length));
        const kind = member[1];
        if (kind === 'ctor') cls.ctors.push(parseMember('ctor', body, cls));
        else if (kind === 'method') cls.methods.push(parseMember('method', body, cls));
        else if (kind === 'field') cls.fields.push(parseMember('field', body, cls));
        else throw new Error(`unsupported member kind ${kind}`);
        continue;
      }
      if (clean.endsWith('{')) {
        cls = parseClassHeader(clean, pkg);
        classes.set(cls.fqn, cls);
        if (clean.trim().endsWith('{ }') || clean.trim().endsWith('{}')) cls = null;
        continue;
      }
      throw new Error('unrecognised line');
    } catch (e) {
      throw new Error(`api.txt line ${n + 1}: ${e.message}\n  ${raw}`);
    }
  }
  return classes;
}

// ---------------------------------------------------------------- model helpers

function buildTree(classes, notes) {
  const tops = [];
  const byFqn = new Map(classes);
  for (const c of [...classes.values()]) {
    const segs = c.dotted.split('.');
    if (segs.length === 1) continue;
    // make sure every outer class exists; an outer missing from api.txt becomes an empty holder
    for (let k = 1; k < segs.length; k++) {
      const outerFqn = `${c.pkg}.${segs.slice(0, k).join('.')}`;
      if (!byFqn.has(outerFqn)) {
        const holder = parseClassHeader(`public ${k > 1 ? 'static ' : ''}final class ${segs.slice(0, k).join('.')} {`, c.pkg);
        holder.synthetic = true;
        byFqn.set(outerFqn, holder);
        notes.push(`synthesised an empty holder class ${outerFqn} (absent from api.txt, needed as the outer class of ${c.fqn})`);
      }
    }
  }
  for (const c of byFqn.values()) {
    const segs = c.dotted.split('.');
    if (segs.length === 1) tops.push(c);
    else byFqn.get(`${c.pkg}.${segs.slice(0, -1).join('.')}`).children.push(c);
  }
  return { tops, byFqn };
}

function resolveName(ref, from, byFqn) {
  const t = ref.replace(/<.*$/, '').trim();
  if (byFqn.has(t)) return t;
  if (from) {
    // a simple or partially qualified name relative to the package of `from`
    const cand = `${from.pkg}.${t}`;
    if (byFqn.has(cand)) return cand;
  }
  return t;
}

function typeVarNames(typeParams) {
  if (!typeParams) return [];
  const inner = typeParams.slice(1, -1);
  return splitTopLevel(inner).map((p) => p.split(/\s+/)[0]);
}

/** Type arguments of a generic supertype reference, e.g. "a.B<X, Y>" -> ["X", "Y"]. */
function typeArgs(ref) {
  const lt = ref.indexOf('<');
  if (lt < 0) return [];
  return splitTopLevel(ref.slice(lt + 1, ref.lastIndexOf('>')));
}

function substitute(type, mapping) {
  if (!mapping.size) return type;
  return type.replace(/\b[A-Za-z_][A-Za-z0-9_]*\b/g, (w, off, s) => {
    // only bare identifiers (not parts of a qualified name)
    if (s[off - 1] === '.' || s[off + w.length] === '.') return w;
    return mapping.has(w) ? mapping.get(w) : w;
  });
}

/**
 * Abstract methods a concrete class inherits from stub supertypes without implementing them
 * (metalava leaves out members inherited unchanged from a public supertype, so the real class
 * implements them although api.txt does not repeat them). Returns method records to emit.
 */
function missingImplementations(c, byFqn) {
  const concrete = new Map(); // erased signature -> true
  const abstract = new Map(); // erased signature -> {method, mapping}
  const seen = new Set();
  const visit = (fqn, mapping, isClassChain) => {
    const k = fqn;
    const t = byFqn.get(fqn);
    if (!t || seen.has(k + (isClassChain ? ':c' : ':i'))) return;
    seen.add(k + (isClassChain ? ':c' : ':i'));
    const vars = new Set(typeVarNames(t.typeParams));
    for (const m of t.methods) {
      if (m.mods.has('static')) continue;
      const mvars = new Set([...vars, ...typeVarNames(m.typeParams)]);
      const key = `${m.name}(${m.params.map((p) => erase(substitute(p.type, mapping), mvars)).join(',')})`;
      const isAbstract = t.kind === 'interface' ? !m.mods.has('default') : m.mods.has('abstract');
      if (!isAbstract) concrete.set(key, true);
      else if (!abstract.has(key)) abstract.set(key, { m, mapping });
    }
    const next = (ref) => {
      const target = byFqn.get(resolveName(ref, t, byFqn));
      if (!target) return;
      const names = typeVarNames(target.typeParams);
      const args = typeArgs(ref).map((a) => substitute(a, mapping));
      const m2 = new Map(names.map((nm, i) => [nm, args[i] ?? 'java.lang.Object']));
      return [target.fqn, m2];
    };
    if (t.superclass) {
      const r = next(t.superclass);
      if (r) visit(r[0], r[1], isClassChain);
    }
    for (const i of t.interfaces) {
      const r = next(i);
      if (r) visit(r[0], r[1], false);
    }
  };
  visit(c.fqn, new Map(), true);
  return [...abstract.entries()].filter(([key]) => !concrete.has(key)).map(([, v]) => v);
}

// ---------------------------------------------------------------- emitting Java

function javaType(t) {
  return t.replace(/@N |@D /g, '').trim();
}

function defaultValue(type) {
  const t = type.trim();
  if (t === 'boolean') return 'false';
  if (['byte', 'short', 'int', 'long', 'float', 'double', 'char'].includes(t)) return `(${t}) 0`;
  return 'null';
}

function emitParams(params) {
  return params
    .map((p, i) => {
      const name = p.name === '_' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name) ? `p${i}` : p.name;
      return `${p.nullable ? '@androidx.annotation.Nullable ' : ''}${javaType(p.type)} ${name}`;
    })
    .join(', ');
}

function modifierText(mods, allowed) {
  return allowed.filter((m) => mods.has(m)).join(' ');
}

function superCall(c, byFqn) {
  if (!c.superclass) return '';
  const target = byFqn.get(resolveName(c.superclass, c, byFqn));
  if (target) return `super((${HIDDEN}) null);`;
  const bare = c.superclass.replace(/<.*$/, '');
  const call = EXTERNAL_SUPER_CALLS.get(bare);
  if (call === undefined) throw new Error(`no known constructor to call in external superclass ${bare} of ${c.fqn}`);
  return call;
}

function emitClass(c, byFqn, indent, notes) {
  const pad = ' '.repeat(indent);
  const inner = ' '.repeat(indent + 2);
  const out = [];
  const isInterface = c.kind === 'interface';
  const isAnnotation = c.kind === '@interface';
  const nested = c.dotted.includes('.');
  const mods = [];
  if (c.deprecated) out.push(`${pad}@Deprecated`);
  mods.push(c.mods.has('protected') ? 'protected' : 'public');
  if (nested && c.mods.has('static')) mods.push('static');
  if (c.mods.has('abstract') && !isInterface && !isAnnotation) mods.push('abstract');
  if (c.mods.has('final') && !isInterface && !isAnnotation) mods.push('final');
  let header = `${mods.join(' ')} ${c.kind} ${c.simple}${c.typeParams}`;
  if (!isInterface && !isAnnotation && c.superclass) header += ` extends ${c.superclass}`;
  if (c.interfaces.length) header += `${isInterface ? ' extends ' : ' implements '}${c.interfaces.join(', ')}`;
  out.push(`${pad}${header} {`);

  if (!isAnnotation) {
    for (const f of c.fields) {
      const fm = [];
      if (f.deprecated) fm.push('@Deprecated');
      if (f.nullable) fm.push('@androidx.annotation.Nullable');
      const access = f.mods.has('protected') ? 'protected' : 'public';
      if (isInterface) {
        fm.push(`${javaType(f.type)} ${f.name} = ${f.value ?? defaultValue(f.type)};`);
      } else {
        fm.push(access);
        if (f.mods.has('static')) fm.push('static');
        if (f.mods.has('final')) fm.push('final');
        if (f.value !== null && f.mods.has('static') && f.mods.has('final')) {
          fm.push(`${javaType(f.type)} ${f.name} = ${f.value};`);
        } else if (f.mods.has('final')) {
          // not a compile-time constant in the real class: keep it that way (no constant initialiser)
          fm.push(`${javaType(f.type)} ${f.name} = ${HIDDEN}.value();`);
        } else {
          fm.push(`${javaType(f.type)} ${f.name};`);
        }
      }
      out.push(`${inner}${fm.join(' ')}`);
    }

    if (!isInterface) {
      // Hidden constructor for stub subclasses (never callable from user code).
      out.push(`${inner}protected ${c.simple}(${HIDDEN} hidden) { ${superCall(c, byFqn)} }`);
      for (const k of c.ctors) {
        const access = k.mods.has('protected') ? 'protected' : 'public';
        const th = k.throwsList.length ? ` throws ${k.throwsList.join(', ')}` : '';
        out.push(`${inner}${k.deprecated ? '@Deprecated ' : ''}${access} ${c.simple}(${emitParams(k.params)})${th} { ${superCall(c, byFqn)} throw new RuntimeException("stub"); }`);
      }
    }

    const emitMethod = (m, mapping = new Map(), synthesized = false) => {
      const parts = [];
      if (m.deprecated && !synthesized) parts.push('@Deprecated');
      if (m.nullable) parts.push('@androidx.annotation.Nullable');
      const access = m.mods.has('protected') ? 'protected' : 'public';
      parts.push(access);
      let abstract = false;
      if (isInterface) {
        if (m.mods.has('static')) parts.push('static');
        else if (m.mods.has('default')) parts.push('default');
        else abstract = true;
      } else {
        if (!synthesized && m.mods.has('static')) parts.push('static');
        if (!synthesized && m.mods.has('abstract')) {
          parts.push('abstract');
          abstract = true;
        }
        if (!synthesized && m.mods.has('final')) parts.push('final');
      }
      if (m.typeParams) parts.push(m.typeParams);
      const ret = substitute(javaType(m.ret ?? 'void'), mapping);
      const params = m.params.map((p) => ({ ...p, type: substitute(p.type, mapping) }));
      const th = m.throwsList.length ? ` throws ${m.throwsList.join(', ')}` : '';
      out.push(`${inner}${parts.join(' ')} ${ret} ${m.name}(${emitParams(params)})${th}${abstract ? ';' : ' ' + STUB_BODY}`);
    };
    for (const m of c.methods) emitMethod(m);
    if (!isInterface && !c.mods.has('abstract')) {
      for (const { m, mapping } of missingImplementations(c, byFqn)) {
        emitMethod(m, mapping, true);
        notes.push(`added ${c.fqn}.${m.name}(${m.params.length} params): inherited abstract, implemented by the real class but not repeated in api.txt`);
      }
    }
  }

  for (const child of c.children) out.push(...emitClass(child, byFqn, indent + 2, notes));
  out.push(`${pad}}`);
  return out;
}

export function generateStubs(apiText, { exclude = [] } = {}) {
  const notes = [];
  const classes = parseApi(apiText);
  for (const ex of exclude) {
    for (const fqn of [...classes.keys()]) {
      if (fqn === ex || fqn.startsWith(ex + '.')) {
        classes.delete(fqn);
      }
    }
    notes.push(`excluded ${ex}`);
  }
  // Every member line of api.txt must have become a stub member (nothing silently dropped).
  const memberLines = apiText.split('\n').filter((l) => /^\s+(ctor|method|field) /.test(l)).length;
  const parsedMembers = [...classes.values()].reduce((n, c) => n + c.ctors.length + c.methods.length + c.fields.length, 0);
  if (!exclude.length && parsedMembers !== memberLines) {
    throw new Error(`parsed ${parsedMembers} members but api.txt has ${memberLines} member lines`);
  }
  const { tops, byFqn } = buildTree(classes, notes);
  const files = new Map();
  for (const c of tops) {
    const body = emitClass(c, byFqn, 0, notes);
    const src = [
      '// GENERATED compile-only stub from Media3 api.txt by test/apps/media3-stubs/generate-stubs.mjs. Do not edit.',
      `package ${c.pkg};`,
      '',
      ...body,
      '',
    ].join('\n');
    files.set(`${c.pkg.replace(/\./g, '/')}/${c.simple}.java`, src);
  }
  files.set(
    'androidx/media3/StubOnly.java',
    [
      '// GENERATED by test/apps/media3-stubs/generate-stubs.mjs: not part of Media3.',
      '// Parameter type of the constructor every stub class gets so stub subclasses can chain to it;',
      '// user code never names this type, so it cannot call constructors the real classes lack.',
      'package androidx.media3;',
      '',
      'public final class StubOnly {',
      '  private StubOnly() {}',
      '  public static <T> T value() { return null; }',
      '  public static boolean value(boolean b) { return b; }',
      '}',
      '',
    ].join('\n'),
  );
  return { files, notes, classCount: byFqn.size, memberCount: parsedMembers };
}

// ---------------------------------------------------------------- command line

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [apiPath, outDir] = process.argv.slice(2);
  if (!apiPath || !outDir) {
    process.stderr.write('usage: node generate-stubs.mjs <api.txt> <outDir>\n');
    process.exit(2);
  }
  const { files, notes, classCount } = generateStubs(fs.readFileSync(apiPath, 'utf8'));
  for (const [rel, src] of files) {
    const abs = path.join(outDir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, src);
  }
  process.stdout.write(`${classCount} classes, ${files.size} files\n${notes.join('\n')}\n`);
}

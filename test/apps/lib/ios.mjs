// iOS half of the harness, as far as Linux allows (no Swift compiler here): every Swift file parses
// with tree-sitter-swift without ERROR or MISSING nodes, every plist/entitlements/JSON/XML file
// parses, project.pbxproj parses, everything it references exists, and every Swift file is
// compiled by the app target (directly or through a synchronized folder).
// The parsers are the product's own (dist/src/parse/*), so the harness checks with the same code
// `audiobg doctor` uses.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, listFiles } from './util.mjs';

async function load(rel) {
  return import(pathToFileURL(path.join(REPO_ROOT, 'dist', rel)).href);
}

/** Syntax check of every Swift (or Kotlin) file under dir; returns problems as strings. */
export async function treeSitterProblems(dir, lang, ext) {
  const { getParser, firstSyntaxError } = await load('src/parse/tree-sitter.js');
  const parser = await getParser(lang);
  const problems = [];
  const files = listFiles(dir, (f) => f.endsWith(ext));
  for (const f of files) {
    const tree = parser.parse(fs.readFileSync(f, 'utf8'));
    const bad = firstSyntaxError(tree.rootNode);
    if (bad) {
      const p = bad.startPosition;
      problems.push(`${path.relative(dir, f)}:${p.row + 1}:${p.column + 1}: ${bad.isMissing ? `MISSING ${bad.type}` : 'ERROR'} near ${JSON.stringify(bad.text.slice(0, 60))}`);
    }
    tree.delete();
  }
  return { files, problems };
}

/** Well-formedness of plists, entitlements, other XML and JSON files. */
export async function dataFileProblems(dir) {
  const { parseXml } = await load('src/parse/xml.js');
  const { plistFromXml, isBinaryPlist, parseBinaryPlist } = await load('src/parse/plist.js');
  const problems = [];
  const checked = [];
  for (const f of listFiles(dir, (x) => /\.(plist|entitlements|xcworkspacedata|xml|json)$/.test(x))) {
    const rel = path.relative(dir, f);
    checked.push(rel);
    try {
      const bytes = fs.readFileSync(f);
      if (f.endsWith('.json')) JSON.parse(bytes.toString('utf8'));
      else if (/\.(plist|entitlements)$/.test(f)) {
        if (isBinaryPlist(bytes)) parseBinaryPlist(bytes);
        else {
          const doc = parseXml(bytes.toString('utf8'));
          if (doc.root.name !== 'plist') throw new Error(`root element is <${doc.root.name}>, not <plist>`);
          const value = plistFromXml(doc.root);
          if (value.type !== 'dict') throw new Error(`top-level value is a ${value.type}, not a dict`);
        }
      } else parseXml(bytes.toString('utf8'));
    } catch (e) {
      problems.push(`${rel}${e.line ? `:${e.line}:${e.column}` : ''}: ${e.message}`);
    }
  }
  return { checked, problems };
}

/**
 * project.pbxproj: parses; every file reference, synchronized folder, exception entry and
 * INFOPLIST_FILE / CODE_SIGN_ENTITLEMENTS path exists; every Swift file under the project folder
 * is a source of an application target. Returns { problems, notes }.
 */
export async function xcodeProjectProblems(iosDir) {
  const { parsePbxproj, pbxGet, pbxString, pbxStrings } = await load('src/parse/pbxproj.js');
  const problems = [];
  const notes = [];
  const projects = listFiles(iosDir, (f) => f.endsWith('.xcodeproj/project.pbxproj'));
  if (projects.length !== 1) return { problems: [`expected one .xcodeproj, found ${projects.length}`], notes };
  const pbxPath = projects[0];
  const srcRoot = path.dirname(path.dirname(pbxPath));
  let doc;
  try {
    doc = parsePbxproj(fs.readFileSync(pbxPath, 'utf8'));
  } catch (e) {
    return { problems: [`project.pbxproj:${e.line}:${e.column}: ${e.message}`], notes };
  }
  const objects = pbxGet(doc.root, 'objects');
  if (!objects || objects.type !== 'dict') return { problems: ['project.pbxproj has no objects dictionary'], notes };
  const obj = (id) => pbxGet(objects, id);
  const isa = (v) => pbxString(v, 'isa');
  const all = objects.entries.map((e) => ({ id: e.key, v: e.value }));
  const rootId = pbxString(doc.root, 'rootObject');
  const project = obj(rootId);
  if (!project || isa(project) !== 'PBXProject') return { problems: ['rootObject is not a PBXProject'], notes };

  // Every referenced object id must exist.
  const idLike = /^[0-9A-F]{24}$/;
  const visitIds = (v, where) => {
    if (!v) return;
    if (v.type === 'string' && idLike.test(v.value) && !obj(v.value)) problems.push(`${where} references missing object ${v.value}`);
    if (v.type === 'array') v.items.forEach((x) => visitIds(x, where));
    if (v.type === 'dict') v.entries.forEach((e) => e.key !== 'remoteGlobalIDString' && visitIds(e.value, `${where}.${e.key}`));
  };
  for (const { id, v } of all) visitIds(v, `${isa(v)} ${id}`);

  // Resolve paths of groups, file references and synchronized folders from the main group down.
  const pathOf = new Map();
  const walkGroup = (id, parentDir) => {
    const g = obj(id);
    if (!g) return;
    const tree = pbxString(g, 'sourceTree') ?? '<group>';
    const p = pbxString(g, 'path');
    let dir = parentDir;
    if (tree === '<group>') dir = p ? path.join(parentDir, p) : parentDir;
    else if (tree === 'SOURCE_ROOT') dir = p ? path.join(srcRoot, p) : srcRoot;
    else if (tree === '<absolute>') dir = p ?? parentDir;
    else dir = null; // BUILT_PRODUCTS_DIR, SDKROOT, DEVELOPER_DIR: not in the source tree
    pathOf.set(id, dir);
    for (const child of pbxStrings(pbxGet(g, 'children'))) walkGroup(child, dir ?? parentDir);
  };
  walkGroup(pbxString(project, 'mainGroup'), srcRoot);
  for (const { id, v } of all) {
    const kind = isa(v);
    if (kind === 'PBXFileReference' || kind === 'PBXFileSystemSynchronizedRootGroup') {
      if (!pathOf.has(id)) problems.push(`${kind} ${id} (${pbxString(v, 'path')}) is not in the project's group tree`);
      const p = pathOf.get(id);
      if (p && !fs.existsSync(p)) problems.push(`${kind} ${id} points at ${path.relative(srcRoot, p)}, which does not exist`);
    }
  }

  // Application targets and what they compile.
  const targets = all.filter(({ v }) => isa(v) === 'PBXNativeTarget' && pbxString(v, 'productType') === 'com.apple.product-type.application');
  if (!targets.length) problems.push('no application target');
  const swiftFiles = listFiles(srcRoot, (f) => f.endsWith('.swift'));
  for (const { id: tid, v: target } of targets) {
    const tname = pbxString(target, 'name');
    const compiled = new Set();
    // Classic build phase membership.
    for (const phaseId of pbxStrings(pbxGet(target, 'buildPhases'))) {
      const phase = obj(phaseId);
      if (isa(phase) !== 'PBXSourcesBuildPhase') continue;
      for (const bf of pbxStrings(pbxGet(phase, 'files'))) {
        const ref = pbxString(obj(bf), 'fileRef');
        const p = ref ? pathOf.get(ref) : null;
        if (p) compiled.add(path.resolve(p));
      }
    }
    // Synchronized folders: everything inside, minus the target's membership exceptions.
    for (const gid of pbxStrings(pbxGet(target, 'fileSystemSynchronizedGroups'))) {
      const dir = pathOf.get(gid);
      if (!dir) continue;
      const excluded = new Set();
      for (const exId of pbxStrings(pbxGet(obj(gid), 'exceptions'))) {
        const ex = obj(exId);
        if (pbxString(ex, 'target') !== tid) continue;
        for (const rel of pbxStrings(pbxGet(ex, 'membershipExceptions'))) {
          const abs = path.resolve(dir, rel);
          if (!fs.existsSync(abs)) problems.push(`membership exception ${rel} of target ${tname} does not exist`);
          excluded.add(abs);
        }
      }
      for (const f of listFiles(dir, (x) => x.endsWith('.swift'))) if (!excluded.has(path.resolve(f))) compiled.add(path.resolve(f));
    }
    for (const f of swiftFiles) {
      if (!compiled.has(path.resolve(f))) problems.push(`${path.relative(srcRoot, f)} is not compiled by target ${tname}`);
    }
    notes.push(`target ${tname} compiles ${compiled.size} Swift file(s)`);

    // Paths named by build settings.
    const configList = obj(pbxString(target, 'buildConfigurationList'));
    for (const cid of pbxStrings(pbxGet(configList, 'buildConfigurations'))) {
      const cfg = obj(cid);
      const settings = pbxGet(cfg, 'buildSettings');
      for (const key of ['INFOPLIST_FILE', 'CODE_SIGN_ENTITLEMENTS']) {
        const value = pbxString(settings, key);
        if (value && !value.includes('$') && !fs.existsSync(path.join(srcRoot, value))) {
          problems.push(`${key} = ${value} (${pbxString(cfg, 'name')}) does not exist`);
        }
      }
    }
  }
  return { problems, notes, swiftFiles, srcRoot };
}

/**
 * Shows that the iOS checks bite: each case breaks one thing in a copy of a generated app and the
 * matching check must report it. Returns [{ name, ok, detail }].
 */
export async function iosSelfTests(appDir, scratch) {
  const cases = [
    {
      name: 'a Swift syntax error is reported',
      mutate: (root) => {
        const f = listFiles(root, (x) => x.endsWith('.swift'))[0];
        fs.appendFileSync(f, '\nfunc broken( {\n');
        return path.relative(root, f);
      },
      detect: async (root, rel) => (await treeSitterProblems(root, 'swift', '.swift')).problems.some((p) => p.startsWith(rel)),
    },
    {
      name: 'a Swift file outside the app target is reported',
      mutate: (root) => {
        const pbx = listFiles(root, (x) => x.endsWith('project.pbxproj'))[0];
        const f = path.join(path.dirname(path.dirname(pbx)), 'Stray', 'Stray.swift');
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, 'struct Stray {}\n');
        return 'Stray/Stray.swift';
      },
      detect: async (root, rel) => (await xcodeProjectProblems(root)).problems.some((p) => p.startsWith(`${rel} is not compiled`)),
    },
    {
      name: 'a missing Info.plist named by INFOPLIST_FILE is reported',
      mutate: (root) => {
        const f = listFiles(root, (x) => x.endsWith('Info.plist'))[0];
        fs.rmSync(f);
        return path.basename(f);
      },
      detect: async (root) => (await xcodeProjectProblems(root)).problems.some((p) => p.startsWith('INFOPLIST_FILE')),
    },
    {
      name: 'a malformed plist is reported',
      mutate: (root) => {
        const f = listFiles(root, (x) => x.endsWith('Info.plist'))[0];
        fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('</dict>', '</dictionary>'));
        return path.relative(root, f);
      },
      detect: async (root, rel) => (await dataFileProblems(root)).problems.some((p) => p.startsWith(rel)),
    },
  ];
  const out = [];
  for (const [i, c] of cases.entries()) {
    const root = path.join(scratch, `ios-selftest-${i}`);
    fs.cpSync(appDir, root, { recursive: true });
    const rel = c.mutate(root);
    const ok = await c.detect(root, rel);
    out.push({ name: c.name, ok, detail: ok ? '' : `the check did not notice (${rel})` });
  }
  return out;
}

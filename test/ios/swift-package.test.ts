// Package.swift manifests read from their Swift syntax tree.

import { describe, expect, it } from 'vitest';
import { getParser } from '../../src/parse/tree-sitter.js';
import { manifestFromTree } from '../../src/facts/ios/swift-package.js';
import { roleOfProductType } from '../../src/facts/ios/build-ios-apps.js';

async function manifest(text: string) {
  const parser = await getParser('swift');
  return manifestFromTree('/pkg/Package.swift', parser.parse(text).rootNode);
}

describe('Package.swift manifest', () => {
  it('reads products, targets, paths, dependencies and local path packages', async () => {
    const m = await manifest(`
// swift-tools-version: 5.9
import PackageDescription

let shared = ["Engine", "Session"]

let package = Package(
    name: "Player",
    products: [
        .library(name: "Player", targets: shared),
        .library(name: "Extras", type: .dynamic, targets: ["Extras"]),
    ],
    dependencies: [
        .package(path: "../Codecs"),
        .package(url: "https://example.com/remote.git", from: "1.0.0"),
    ],
    targets: [
        .target(name: "Engine", dependencies: ["Session", .target(name: "Buffers"), .product(name: "Codec", package: "Codecs")]),
        .target(name: "Session", path: "Code/Session", exclude: ["Legacy"], sources: ["Live"]),
        .target(name: "Buffers"),
        .target(name: "Extras\\(suffix)"),
        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        // .target(name: "Commented"),
    ]
)
`);
    expect(m.name).toBe('Player');
    expect(m.products).toEqual([
      { name: 'Player', targets: ['Engine', 'Session'] },
      { name: 'Extras', targets: ['Extras'] },
    ]);
    expect(m.targets.map((t) => [t.name, t.kind, t.path])).toEqual([
      ['Engine', 'target', null],
      ['Session', 'target', 'Code/Session'],
      ['Buffers', 'target', null],
      ['EngineTests', 'testTarget', null],
    ]);
    expect(m.targets[0]!.dependencies).toEqual([
      { kind: 'name', name: 'Session' },
      { kind: 'target', name: 'Buffers' },
      { kind: 'product', name: 'Codec', package: 'Codecs' },
    ]);
    expect(m.targets[1]).toMatchObject({ exclude: ['Legacy'], sources: ['Live'] });
    expect(m.localDependencies).toEqual([{ identity: 'codecs', name: null, dir: '/Codecs' }]);
  });

  it('survives a manifest cut off in the middle', async () => {
    const m = await manifest('let package = Package(name: "Half", products: [.library(name: ');
    expect(m.products).toEqual([]);
  });
});

describe('target roles from productType', () => {
  it('tells apps, extensions, libraries and tests apart', () => {
    const roles = Object.fromEntries(
      [
        'application',
        'application.on-demand-install-capable',
        'application.watchapp2',
        'watchkit2-extension',
        'app-extension',
        'app-extension.messages',
        'extensionkit-extension',
        'framework',
        'framework.static',
        'library.static',
        'library.dynamic',
        'bundle.unit-test',
        'bundle.ui-testing',
        'tool',
      ].map((t) => [t, roleOfProductType(`com.apple.product-type.${t}`)]),
    );
    expect(roles).toEqual({
      application: 'app',
      'application.on-demand-install-capable': 'app',
      'application.watchapp2': 'app',
      'watchkit2-extension': 'app',
      'app-extension': 'extension',
      'app-extension.messages': 'extension',
      'extensionkit-extension': 'extension',
      framework: 'library',
      'framework.static': 'library',
      'library.static': 'library',
      'library.dynamic': 'library',
      'bundle.unit-test': 'test',
      'bundle.ui-testing': 'test',
      tool: 'other',
    });
    expect(roleOfProductType(null)).toBe('app');
  });
});

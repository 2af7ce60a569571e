// Parse a Swift / Objective-C snippet and extract its audio facts, for unit tests.

import { getParser } from '../../src/parse/tree-sitter.js';
import { extractSwiftAudioFacts } from '../../src/facts/ios/swift-audio-facts.js';
import { extractObjcAudioFacts } from '../../src/facts/ios/objc-audio-facts.js';
import type { IosSourceFacts } from '../../src/facts/ios/source-facts.js';

export async function swiftFacts(source: string): Promise<IosSourceFacts> {
  const parser = await getParser('swift');
  const tree = parser.parse(source);
  try {
    return extractSwiftAudioFacts('/x/File.swift', tree.rootNode);
  } finally {
    tree.delete();
  }
}

export async function objcFacts(source: string): Promise<IosSourceFacts> {
  const parser = await getParser('objc');
  const tree = parser.parse(source);
  try {
    return extractObjcAudioFacts('/x/File.m', tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** "line:column" of a location, for compact assertions. */
export const at = (l: { line: number; column: number }) => `${l.line}:${l.column}`;

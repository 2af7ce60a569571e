// The Dart grammar is loaded only when a Flutter app with audio code is scanned (own file: the
// grammar cache is per module instance, and vitest gives each test file fresh modules).

import { describe, expect, it } from 'vitest';
import { doctorJson } from '../support/cli.js';
import { loadedLanguages } from '../../src/parse/tree-sitter.js';

describe('Dart grammar loading', () => {
  it('is not loaded for a project without a Flutter app, and is for a Flutter app', async () => {
    await doctorJson('expo/bare-rntp');
    expect(loadedLanguages()).not.toContain('dart');
    await doctorJson('flutter/jab-ok');
    expect(loadedLanguages()).toContain('dart');
  });
});

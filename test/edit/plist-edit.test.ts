import { describe, expect, it } from 'vitest';
import { emptyPlist, ensureArrayStrings, ensureKey, stringValueXml } from '../../src/edit/plist-edit.js';

const CRLF_TABS =
  '<?xml version="1.0" encoding="UTF-8"?>\r\n<plist version="1.0">\r\n<dict>\r\n\t<key>CFBundleName</key>\r\n\t<string>X</string>\r\n\t<!-- keep me -->\r\n</dict>\r\n</plist>\r\n';

describe('plist edits keep the file as it was outside the patch', () => {
  it('adds UIBackgroundModes with the file\'s tabs and CRLF, keeping comments', () => {
    const out = ensureArrayStrings(CRLF_TABS, 'UIBackgroundModes', ['audio']);
    expect(out).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<plist version="1.0">\r\n<dict>\r\n\t<key>CFBundleName</key>\r\n\t<string>X</string>\r\n' +
        '\t<key>UIBackgroundModes</key>\r\n\t<array>\r\n\t\t<string>audio</string>\r\n\t</array>\r\n\t<!-- keep me -->\r\n</dict>\r\n</plist>\r\n',
    );
  });

  it('appends only missing values and is idempotent', () => {
    const once = ensureArrayStrings(CRLF_TABS, 'UIBackgroundModes', ['audio']);
    const twice = ensureArrayStrings(once, 'UIBackgroundModes', ['audio', 'push-to-talk']);
    expect(twice).toContain('\t\t<string>audio</string>\r\n\t\t<string>push-to-talk</string>\r\n\t</array>');
    expect(ensureArrayStrings(twice, 'UIBackgroundModes', ['push-to-talk', 'audio'])).toBe(twice);
  });

  it('expands an empty self-closing array', () => {
    const src = '<plist><dict>\n  <key>UIBackgroundModes</key>\n  <array/>\n</dict></plist>';
    expect(ensureArrayStrings(src, 'UIBackgroundModes', ['audio'])).toBe(
      '<plist><dict>\n  <key>UIBackgroundModes</key>\n  <array>\n    <string>audio</string>\n  </array>\n</dict></plist>',
    );
  });

  it('adds a key to an empty dict and leaves an existing value alone', () => {
    const out = ensureKey(emptyPlist(), 'aps-environment', stringValueXml('development'));
    expect(out).toContain('<dict>\n    <key>aps-environment</key>\n    <string>development</string>\n</dict>');
    expect(ensureKey(out, 'aps-environment', stringValueXml('production'))).toBe(out);
  });

  it('escapes values it writes', () => {
    const out = ensureKey(emptyPlist(), 'NSMicrophoneUsageDescription', stringValueXml('Talk <& "listen">'));
    expect(out).toContain('<string>Talk &lt;&amp; &quot;listen&quot;&gt;</string>');
  });
});

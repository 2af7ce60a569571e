import { describe, expect, it } from 'vitest';
import { ensureApplicationChild, ensurePermissions } from '../../src/edit/manifest-edit.js';

const MANIFEST = `<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android">
  <!-- network for streams -->
  <uses-permission android:name="android.permission.INTERNET"/>

  <application android:label="@string/app_name">
    <activity android:name=".MainActivity" android:exported="true"/>
  </application>
</manifest>
`;

const service = (unit: string) => [
  '<service',
  `${unit}android:name=".PlaybackService"`,
  `${unit}android:exported="true"`,
  `${unit}android:foregroundServiceType="mediaPlayback">`,
  '</service>',
];

describe('manifest edits', () => {
  it('adds missing permissions after the existing ones, with the file\'s indentation', () => {
    const out = ensurePermissions(MANIFEST, ['android.permission.INTERNET', 'android.permission.FOREGROUND_SERVICE']);
    expect(out).toBe(
      MANIFEST.replace(
        '<uses-permission android:name="android.permission.INTERNET"/>\n',
        '<uses-permission android:name="android.permission.INTERNET"/>\n  <uses-permission android:name="android.permission.FOREGROUND_SERVICE" />\n',
      ),
    );
    expect(ensurePermissions(out, ['android.permission.FOREGROUND_SERVICE'])).toBe(out);
  });

  it('puts the first permission above <application> when there is none', () => {
    const src = '<manifest xmlns:android="x">\n    <application/>\n</manifest>\n';
    expect(ensurePermissions(src, ['android.permission.WAKE_LOCK'])).toBe(
      '<manifest xmlns:android="x">\n    <uses-permission android:name="android.permission.WAKE_LOCK" />\n    <application/>\n</manifest>\n',
    );
  });

  it('adds a service inside <application> once', () => {
    const { text, existing } = ensureApplicationChild(MANIFEST, 'service', 'com.example.PlaybackService', service);
    expect(existing).toBeNull();
    expect(text).toContain(
      '    <activity android:name=".MainActivity" android:exported="true"/>\n    <service\n      android:name=".PlaybackService"\n      android:exported="true"\n      android:foregroundServiceType="mediaPlayback">\n    </service>\n  </application>',
    );
    const again = ensureApplicationChild(text, 'service', 'com.example.PlaybackService', service);
    expect(again.text).toBe(text);
    expect(again.existing?.start.line).toBe(8);
  });

  it('opens a self-closing <application/>', () => {
    const src = '<manifest xmlns:android="x">\n  <application android:label="A"/>\n</manifest>\n';
    const { text } = ensureApplicationChild(src, 'service', 'com.example.S', (u) => ['<service', `${u}android:name="com.example.S"/>`]);
    expect(text).toBe('<manifest xmlns:android="x">\n  <application android:label="A">\n    <service\n      android:name="com.example.S"/>\n  </application>\n</manifest>\n');
  });
});

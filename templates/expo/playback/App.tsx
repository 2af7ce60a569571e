import { StatusBar } from 'expo-status-bar';
import { setAudioModeAsync, useAudioPlayer, useAudioPlayerStatus } from 'expo-audio';
import { useEffect, useState } from 'react';
import { Pressable, StyleSheet, Text, View } from 'react-native';

const APP_NAME = "{{appName|js}}";
// A short synthesised arpeggio; replace it with your own file or a stream URL.
const SAMPLE = require('./assets/sample.wav');

export default function App() {
  const player = useAudioPlayer(SAMPLE);
  const status = useAudioPlayerStatus(player);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // - shouldPlayInBackground keeps the audio session active when the app leaves the screen
    //   (iOS also needs the `audio` background mode, which the expo-audio plugin in app.json adds).
    // - playsInSilentMode plays through the iPhone's silent switch and Android's silent ringer.
    // - interruptionMode 'doNotMix' takes audio focus: other apps pause, calls and alarms pause
    //   this player (status.playing turns false), and lock-screen controls require it.
    setAudioModeAsync({
      playsInSilentMode: true,
      shouldPlayInBackground: true,
      interruptionMode: 'doNotMix',
    }).catch((e: unknown) => setError(String(e)));
    player.loop = true;
    // Lock-screen and notification controls with metadata. On Android this also starts the
    // media-playback foreground service, without which playback stops a few minutes after the
    // app goes to the background.
    player.setActiveForLockScreen(true, { title: APP_NAME, artist: 'Sample' });
    return () => player.clearLockScreenControls();
  }, [player]);

  const toggle = () => {
    if (status.playing) player.pause();
    else player.play();
  };

  return (
    <View style={styles.container}>
      <Text style={styles.title}>{APP_NAME}</Text>
      <Pressable accessibilityRole="button" onPress={toggle} style={styles.button}>
        <Text style={styles.buttonText}>{status.playing ? 'Pause' : 'Play'}</Text>
      </Pressable>
      <Text style={styles.hint}>Press play, then lock the screen: the sound keeps playing and the lock screen shows its controls.</Text>
      {error ? <Text style={styles.error}>{error}</Text> : null}
      <StatusBar style="auto" />
    </View>
  );
}

const styles = StyleSheet.create({
  container: { flex: 1, alignItems: 'center', justifyContent: 'center', padding: 24, gap: 16 },
  title: { fontSize: 24, fontWeight: '600' },
  button: { paddingHorizontal: 32, paddingVertical: 12, borderRadius: 8, backgroundColor: '#2f6fed' },
  buttonText: { color: '#ffffff', fontSize: 18 },
  hint: { textAlign: 'center', opacity: 0.7 },
  error: { color: '#c62828' },
});

// Baseline for the harness's negative compile tests (test/apps/lib/android.mjs, PROBE_VARIANTS):
// this file compiles against the Media3 stubs, and each variant breaks exactly one spot of it
// (a misspelled method, a wrong argument type, a missing override, an @UnstableApi symbol, a
// nullable value used as non-null), which the compiler must then reject with its own message.
package audiobg.probe

import androidx.media3.common.AudioAttributes
import androidx.media3.common.C
import androidx.media3.common.MediaItem
import androidx.media3.common.Player
import androidx.media3.exoplayer.ExoPlayer
import androidx.media3.session.MediaSession
import androidx.media3.session.MediaSessionService

class ProbeService : MediaSessionService() {
    private var session: MediaSession? = null
    private var lastTitle: CharSequence? = null

    override fun onCreate() {
        super.onCreate()
        val attributes = AudioAttributes.Builder()
            .setUsage(C.USAGE_MEDIA)
            .setContentType(C.AUDIO_CONTENT_TYPE_MUSIC)
            .build()
        val player = ExoPlayer.Builder(this)
            .setAudioAttributes(attributes, true)
            .setHandleAudioBecomingNoisy(true)
            .setWakeMode(C.WAKE_MODE_LOCAL)
            .build()
        player.setMediaItem(MediaItem.fromUri("asset:///sample.wav"))
        player.addListener(object : Player.Listener {
            override fun onIsPlayingChanged(isPlaying: Boolean) {
                val title: CharSequence? = player.mediaMetadata.title
                lastTitle = title
            }
        })
        session = MediaSession.Builder(this, player).build()
    }

    override fun onGetSession(controllerInfo: MediaSession.ControllerInfo): MediaSession? = session

    override fun onDestroy() {
        session?.run {
            player.release()
            release()
        }
        session = null
        super.onDestroy()
    }
}

package {{packageName}}

import android.app.Activity
import android.content.ComponentName
import android.content.ContentResolver
import android.net.Uri
import android.os.Bundle
import android.util.Log
import android.view.Gravity
import android.widget.Button
import android.widget.LinearLayout
import android.widget.TextView
import androidx.core.content.ContextCompat
import androidx.media3.common.MediaItem
import androidx.media3.common.Player
import androidx.media3.common.util.Util
import androidx.media3.session.MediaController
import androidx.media3.session.SessionToken
import com.google.common.util.concurrent.ListenableFuture
import java.util.concurrent.ExecutionException

/**
 * A single Play/Pause button. The activity never plays audio itself: it connects a MediaController
 * to PlaybackService, so playback keeps going when the activity is closed or the screen locks.
 */
class MainActivity : Activity() {

    private lateinit var playPause: Button
    private var controllerFuture: ListenableFuture<MediaController>? = null
    private var controller: MediaController? = null

    private val playerListener = object : Player.Listener {
        override fun onIsPlayingChanged(isPlaying: Boolean) {
            render()
        }

        override fun onPlaybackStateChanged(playbackState: Int) {
            render()
        }
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)

        val title = TextView(this).apply {
            setText(R.string.app_name)
            textSize = 22f
            gravity = Gravity.CENTER
        }
        playPause = Button(this).apply {
            setText(R.string.play)
            isEnabled = false
            setOnClickListener {
                // Prepares an idle player, restarts an ended one, otherwise toggles play/pause.
                Util.handlePlayPauseButtonAction(controller)
            }
        }
        val root = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            gravity = Gravity.CENTER
            // Keep the views clear of the status and navigation bars (edge-to-edge at targetSdk 35+).
            fitsSystemWindows = true
            addView(title)
            addView(playPause)
        }
        setContentView(root)
    }

    override fun onStart() {
        super.onStart()
        val token = SessionToken(this, ComponentName(this, PlaybackService::class.java))
        val future = MediaController.Builder(this, token).buildAsync()
        controllerFuture = future
        future.addListener(
            {
                if (controllerFuture !== future || future.isCancelled) {
                    return@addListener
                }
                try {
                    val connected = future.get()
                    connected.addListener(playerListener)
                    // The service starts empty; give it the bundled sample the first time.
                    if (connected.mediaItemCount == 0) {
                        connected.setMediaItem(MediaItem.fromUri(sampleUri()))
                    }
                    controller = connected
                    render()
                } catch (e: ExecutionException) {
                    Log.w(TAG, "Could not connect to PlaybackService", e)
                }
            },
            ContextCompat.getMainExecutor(this)
        )
    }

    // Release the controller when the activity is no longer visible: a bound controller keeps the
    // service from stopping after playback ends or the app is swiped away.
    override fun onStop() {
        controller?.removeListener(playerListener)
        controller = null
        controllerFuture?.let { MediaController.releaseFuture(it) }
        controllerFuture = null
        render()
        super.onStop()
    }

    private fun sampleUri(): Uri =
        Uri.Builder()
            .scheme(ContentResolver.SCHEME_ANDROID_RESOURCE)
            .authority(packageName)
            .appendPath(R.raw.sample.toString())
            .build()

    private fun render() {
        val current = controller
        playPause.isEnabled = current != null
        playPause.setText(if (Util.shouldShowPlayButton(current)) R.string.play else R.string.pause)
    }

    private companion object {
        const val TAG = "MainActivity"
    }
}

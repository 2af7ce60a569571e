package {{packageName}}

import android.Manifest
import android.app.Activity
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import android.os.Bundle
import android.view.Gravity
import android.widget.Button
import android.widget.LinearLayout
import android.widget.TextView

/**
 * Play, Pause and Stop buttons that send commands to PlaybackService. The activity holds no
 * player, so closing it or locking the screen does not interrupt the audio.
 */
class MainActivity : Activity() {

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)

        val title = TextView(this).apply {
            setText(R.string.app_name)
            textSize = 22f
            gravity = Gravity.CENTER
        }
        val root = LinearLayout(this).apply {
            orientation = LinearLayout.VERTICAL
            gravity = Gravity.CENTER
            // Keep the views clear of the status and navigation bars (edge-to-edge at targetSdk 35+).
            fitsSystemWindows = true
            addView(title)
            addView(commandButton(R.string.play, PlaybackService.ACTION_PLAY))
            addView(commandButton(R.string.pause, PlaybackService.ACTION_PAUSE))
            addView(commandButton(R.string.playback_stop, PlaybackService.ACTION_STOP))
        }
        setContentView(root)

        requestNotificationPermission()
    }

    // startService() (not startForegroundService()) is enough: a tap means the app is visible, and
    // the service promotes itself to the foreground once it holds audio focus.
    private fun commandButton(label: Int, command: String): Button =
        Button(this).apply {
            setText(label)
            setOnClickListener {
                startService(Intent(this@MainActivity, PlaybackService::class.java).setAction(command))
            }
        }

    // The service posts its own notification, which Android 13+ gates behind this permission. It is
    // asked once and never required: playback and the media-session notification work without it.
    private fun requestNotificationPermission() {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU &&
            checkSelfPermission(Manifest.permission.POST_NOTIFICATIONS) != PackageManager.PERMISSION_GRANTED
        ) {
            requestPermissions(arrayOf(Manifest.permission.POST_NOTIFICATIONS), REQUEST_NOTIFICATIONS)
        }
    }

    private companion object {
        const val REQUEST_NOTIFICATIONS = 1
    }
}

package {{packageName}}

import android.app.ForegroundServiceStartNotAllowedException
import android.app.Notification
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.app.Service
import android.content.BroadcastReceiver
import android.content.Context
import android.content.Intent
import android.content.IntentFilter
import android.content.pm.ServiceInfo
import android.graphics.drawable.Icon
import android.media.AudioAttributes
import android.media.AudioFocusRequest
import android.media.AudioManager
import android.media.MediaMetadata
import android.media.MediaPlayer
import android.media.session.MediaSession
import android.media.session.PlaybackState
import android.os.Build
import android.os.IBinder
import android.os.PowerManager
import android.util.Log

/**
 * Background playback on framework APIs only: MediaPlayer for the audio, a platform MediaSession
 * for lock-screen, Bluetooth and system UI controls, and a foreground service of type
 * mediaPlayback so the system keeps the process alive while audio plays.
 *
 * Commands arrive three ways and all end in play(), pause() or stop(): intents sent to
 * onStartCommand (the activity and the notification buttons), MediaSession callbacks (media
 * buttons, system UI) and audio focus changes (onAudioFocusChange).
 *
 * Runs on minSdk 23 (Android 6.0) and up: calls added later (AudioFocusRequest and notification
 * channels in 26, the foreground service type in 29) sit behind Build.VERSION.SDK_INT checks with
 * the older equivalent beside them.
 */
class PlaybackService : Service(), AudioManager.OnAudioFocusChangeListener {

    private lateinit var audioManager: AudioManager
    private lateinit var notificationManager: NotificationManager
    private lateinit var mediaSession: MediaSession
    // Android 8+ only; older releases request focus with the listener and a stream type.
    private var focusRequest: AudioFocusRequest? = null
    private var player: MediaPlayer? = null

    private var playbackState = PlaybackState.STATE_NONE
    private var inForeground = false
    private var resumeOnFocusGain = false
    private var noisyReceiverRegistered = false

    // Unplugging headphones or disconnecting a Bluetooth headset: pause rather than carry on
    // through the loudspeaker. This broadcast is only delivered to receivers registered at
    // runtime (targetSdk 26+), so it is registered while playing and unregistered otherwise.
    private val becomingNoisyReceiver = object : BroadcastReceiver() {
        override fun onReceive(context: Context, intent: Intent) {
            if (intent.action == AudioManager.ACTION_AUDIO_BECOMING_NOISY) {
                pause()
            }
        }
    }

    private val sessionCallback = object : MediaSession.Callback() {
        override fun onPlay() {
            play()
        }

        override fun onPause() {
            pause()
        }

        override fun onStop() {
            stop()
        }
    }

    /** True while audio is audible (for tests and callers that need the state). */
    internal val isPlaying: Boolean
        get() = player?.isPlaying == true

    override fun onCreate() {
        super.onCreate()
        audioManager = getSystemService(Context.AUDIO_SERVICE) as AudioManager
        notificationManager = getSystemService(Context.NOTIFICATION_SERVICE) as NotificationManager
        createNotificationChannel()

        // USAGE_MEDIA routes the audio like music (media volume, A2DP, not the earpiece) and is
        // what audio focus decisions are based on.
        val attributes = AudioAttributes.Builder()
            .setUsage(AudioAttributes.USAGE_MEDIA)
            .setContentType(AudioAttributes.CONTENT_TYPE_MUSIC)
            .build()

        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O) {
            focusRequest = AudioFocusRequest.Builder(AudioManager.AUDIOFOCUS_GAIN)
                .setAudioAttributes(attributes)
                .setOnAudioFocusChangeListener(this)
                .build()
        }

        // create() with attributes prepares the player with them already applied.
        player = MediaPlayer.create(this, R.raw.sample, attributes, audioManager.generateAudioSessionId())?.apply {
            // Partial wake lock while playing: the CPU keeps feeding the decoder with the screen off.
            setWakeMode(this@PlaybackService, PowerManager.PARTIAL_WAKE_LOCK)
            setOnCompletionListener {
                // End of the track: rewind and behave like a user pause.
                it.seekTo(0)
                this@PlaybackService.pause()
            }
        }

        val metadata = MediaMetadata.Builder()
            .putString(MediaMetadata.METADATA_KEY_TITLE, appLabel())
            .putLong(MediaMetadata.METADATA_KEY_DURATION, (player?.duration ?: 0).toLong())
            .build()
        mediaSession = MediaSession(this, "PlaybackService").apply {
            setCallback(sessionCallback)
            setSessionActivity(activityIntent())
            setMetadata(metadata)
        }
        publishState(PlaybackState.STATE_NONE)
    }

    override fun onStartCommand(intent: Intent?, flags: Int, startId: Int): Int {
        when (intent?.action) {
            ACTION_PLAY -> play()
            ACTION_PAUSE -> pause()
            ACTION_STOP -> stop()
        }
        // Do not recreate the service with a null intent after the process is killed: playback
        // resumes only when the user asks for it.
        return START_NOT_STICKY
    }

    // Started service only; controllers reach it through the MediaSession, not a binder.
    override fun onBind(intent: Intent?): IBinder? = null

    internal fun play() {
        val mediaPlayer = player ?: return
        if (mediaPlayer.isPlaying) return

        // Never start audio without focus. From Android 15 (targetSdk 35) the request is denied
        // to an app that is neither visible nor running a foreground service.
        if (requestFocus() != AudioManager.AUDIOFOCUS_REQUEST_GRANTED) {
            Log.w(TAG, "Audio focus not granted; not starting playback")
            return
        }
        // Enter the foreground before the first sample plays, so the process is protected from
        // the moment there is sound.
        if (!showNotification(playing = true)) {
            abandonFocus()
            return
        }

        resumeOnFocusGain = false
        mediaPlayer.setVolume(1f, 1f)
        mediaPlayer.start()
        registerNoisyReceiver()
        mediaSession.isActive = true
        publishState(PlaybackState.STATE_PLAYING)
    }

    /** Pause requested by the user (or the system on their behalf). */
    internal fun pause() {
        if (playbackState != PlaybackState.STATE_PLAYING && playbackState != PlaybackState.STATE_PAUSED) {
            // Nothing was playing (for example a Pause intent reached a fresh service).
            stopSelf()
            return
        }
        resumeOnFocusGain = false
        haltPlayback()
        abandonFocus()
        publishState(PlaybackState.STATE_PAUSED)

        // Leave the foreground but keep the notification (DETACH): the user can resume from it or
        // swipe it away. The system may stop the idle service after a while; onDestroy then removes
        // the notification. Resuming is always a user action (notification, activity, media
        // button), and those may start a foreground service from the background.
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.N) {
            stopForeground(Service.STOP_FOREGROUND_DETACH)
        } else {
            @Suppress("DEPRECATION")
            stopForeground(false)
        }
        inForeground = false
        notificationManager.notify(NOTIFICATION_ID, buildNotification(playing = false))
    }

    internal fun stop() {
        resumeOnFocusGain = false
        haltPlayback()
        player?.seekTo(0)
        abandonFocus()
        publishState(PlaybackState.STATE_STOPPED)
        mediaSession.isActive = false

        // Stop means done: remove the notification and end the service.
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.N) {
            stopForeground(Service.STOP_FOREGROUND_REMOVE)
        } else {
            @Suppress("DEPRECATION")
            stopForeground(true)
        }
        inForeground = false
        notificationManager.cancel(NOTIFICATION_ID)
        stopSelf()
    }

    override fun onAudioFocusChange(focusChange: Int) {
        when (focusChange) {
            AudioManager.AUDIOFOCUS_GAIN -> {
                player?.setVolume(1f, 1f)
                if (resumeOnFocusGain) {
                    play()
                }
            }
            // Another app needs the audio for a while (a call, a voice note): pause, keep the
            // focus request and the foreground, and resume when focus comes back.
            AudioManager.AUDIOFOCUS_LOSS_TRANSIENT -> {
                if (isPlaying) {
                    haltPlayback()
                    resumeOnFocusGain = true
                    publishState(PlaybackState.STATE_PAUSED)
                    showNotification(playing = false)
                }
            }
            // A short overlapping sound (a navigation prompt): lower the volume until focus returns.
            // On Android 8+ the system usually ducks by itself and this callback does not arrive.
            AudioManager.AUDIOFOCUS_LOSS_TRANSIENT_CAN_DUCK -> player?.setVolume(DUCK_VOLUME, DUCK_VOLUME)
            // Another app took over playback for good: pause and do not resume on our own.
            AudioManager.AUDIOFOCUS_LOSS -> pause()
        }
    }

    // Swiped away from Recents: keep playing if audio is audible, otherwise clean up.
    override fun onTaskRemoved(rootIntent: Intent?) {
        if (!isPlaying) {
            stop()
        }
        super.onTaskRemoved(rootIntent)
    }

    override fun onDestroy() {
        unregisterNoisyReceiver()
        abandonFocus()
        // A detached notification outlives the service; remove it so it cannot control nothing.
        notificationManager.cancel(NOTIFICATION_ID)
        mediaSession.release()
        player?.release()
        player = null
        super.onDestroy()
    }

    /** Pauses the MediaPlayer and stops listening for headphone unplugs. */
    private fun haltPlayback() {
        player?.let {
            if (it.isPlaying) {
                it.pause()
            }
        }
        unregisterNoisyReceiver()
    }

    /**
     * Posts the notification, entering the foreground if the service is not there yet. Returns
     * false if Android refused the foreground start.
     */
    private fun showNotification(playing: Boolean): Boolean {
        val notification = buildNotification(playing)
        if (inForeground) {
            notificationManager.notify(NOTIFICATION_ID, notification)
            return true
        }
        try {
            // The type must be part of the manifest's foregroundServiceType ("mediaPlayback").
            // Before Android 10 there is no type argument; the manifest's type applies.
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.Q) {
                startForeground(NOTIFICATION_ID, notification, ServiceInfo.FOREGROUND_SERVICE_TYPE_MEDIA_PLAYBACK)
            } else {
                startForeground(NOTIFICATION_ID, notification)
            }
        } catch (e: IllegalStateException) {
            // Android 12+ throws ForegroundServiceStartNotAllowedException when a start does not
            // come from the user (app in the background, no exemption). Do not play unprotected.
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.S && e is ForegroundServiceStartNotAllowedException) {
                Log.w(TAG, "Not allowed to enter the foreground; playback not started", e)
                return false
            }
            throw e
        }
        inForeground = true
        return true
    }

    private fun buildNotification(playing: Boolean): Notification {
        val toggle = if (playing) {
            action(android.R.drawable.ic_media_pause, R.string.playback_pause, ACTION_PAUSE)
        } else {
            action(android.R.drawable.ic_media_play, R.string.playback_play, ACTION_PLAY)
        }
        val builder = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O) {
            Notification.Builder(this, CHANNEL_ID)
        } else {
            // Before Android 8 there are no channels; the low priority matches the channel's importance.
            @Suppress("DEPRECATION")
            Notification.Builder(this).setPriority(Notification.PRIORITY_LOW)
        }
        return builder
            .setSmallIcon(android.R.drawable.ic_media_play)
            .setContentTitle(appLabel())
            .setContentText(getString(if (playing) R.string.playback_status_playing else R.string.playback_status_paused))
            .setContentIntent(activityIntent())
            // Swiping the paused notification away ends the service.
            .setDeleteIntent(serviceIntent(ACTION_STOP))
            // Show the controls on the lock screen.
            .setVisibility(Notification.VISIBILITY_PUBLIC)
            .setOngoing(playing)
            .addAction(toggle)
            .addAction(action(android.R.drawable.ic_menu_close_clear_cancel, R.string.playback_stop, ACTION_STOP))
            // MediaStyle tied to the session token: the system renders media controls for it and
            // treats it as a media notification.
            .setStyle(
                Notification.MediaStyle()
                    .setMediaSession(mediaSession.sessionToken)
                    .setShowActionsInCompactView(0, 1)
            )
            .build()
    }

    private fun action(icon: Int, title: Int, command: String): Notification.Action =
        Notification.Action.Builder(Icon.createWithResource(this, icon), getString(title), serviceIntent(command))
            .build()

    private fun serviceIntent(command: String): PendingIntent =
        PendingIntent.getService(
            this,
            command.hashCode(),
            Intent(this, PlaybackService::class.java).setAction(command),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT
        )

    // Tapping the notification or the lock-screen controls opens the app's launcher activity.
    // Looked up at run time so the service can be dropped into any app (audiobg add).
    private fun activityIntent(): PendingIntent? =
        packageManager.getLaunchIntentForPackage(packageName)?.let { launch ->
            PendingIntent.getActivity(this, 0, launch, PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT)
        }

    // The app's own label, shown as the notification and session title.
    private fun appLabel(): String = applicationInfo.loadLabel(packageManager).toString()

    private fun publishState(state: Int) {
        playbackState = state
        val position = player?.currentPosition?.toLong() ?: PlaybackState.PLAYBACK_POSITION_UNKNOWN
        mediaSession.setPlaybackState(
            PlaybackState.Builder()
                .setActions(
                    PlaybackState.ACTION_PLAY or PlaybackState.ACTION_PAUSE or
                        PlaybackState.ACTION_PLAY_PAUSE or PlaybackState.ACTION_STOP
                )
                .setState(state, position, if (state == PlaybackState.STATE_PLAYING) 1f else 0f)
                .build()
        )
    }

    private fun requestFocus(): Int {
        val request = focusRequest
        return if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O && request != null) {
            audioManager.requestAudioFocus(request)
        } else {
            // Android 6 and 7: the stream type stands for the usage (STREAM_MUSIC is USAGE_MEDIA).
            @Suppress("DEPRECATION")
            audioManager.requestAudioFocus(this, AudioManager.STREAM_MUSIC, AudioManager.AUDIOFOCUS_GAIN)
        }
    }

    private fun abandonFocus() {
        val request = focusRequest
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O && request != null) {
            audioManager.abandonAudioFocusRequest(request)
        } else {
            @Suppress("DEPRECATION")
            audioManager.abandonAudioFocus(this)
        }
    }

    private fun registerNoisyReceiver() {
        if (noisyReceiverRegistered) return
        val filter = IntentFilter(AudioManager.ACTION_AUDIO_BECOMING_NOISY)
        // NOT_EXPORTED (Android 13+): only the system may deliver this broadcast to us.
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
            registerReceiver(becomingNoisyReceiver, filter, Context.RECEIVER_NOT_EXPORTED)
        } else {
            registerReceiver(becomingNoisyReceiver, filter)
        }
        noisyReceiverRegistered = true
    }

    private fun unregisterNoisyReceiver() {
        if (!noisyReceiverRegistered) return
        unregisterReceiver(becomingNoisyReceiver)
        noisyReceiverRegistered = false
    }

    private fun createNotificationChannel() {
        // Channels exist from Android 8. Low importance: the notification is silent and does not pop up.
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.O) return
        val channel = NotificationChannel(
            CHANNEL_ID,
            getString(R.string.playback_channel_name),
            NotificationManager.IMPORTANCE_LOW
        )
        notificationManager.createNotificationChannel(channel)
    }

    companion object {
        const val ACTION_PLAY = "{{packageName}}.action.PLAY"
        const val ACTION_PAUSE = "{{packageName}}.action.PAUSE"
        const val ACTION_STOP = "{{packageName}}.action.STOP"

        private const val TAG = "PlaybackService"
        private const val CHANNEL_ID = "playback"
        // Any non-zero id: startForeground() rejects 0.
        private const val NOTIFICATION_ID = 1
        private const val DUCK_VOLUME = 0.2f
    }
}
